"""S3 clients, built once per distinct configuration and reused across jobs.

Building a boto3 client costs about 0.2 s (service model loading), and a client holds a
connection pool, so the worker keeps one client per (credentials, region, endpoint, options)
in a bounded, thread-safe LRU cache. Cache hits take one short lock; builds are serialised
on a second lock because boto3 ``Session`` objects are not thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from connector.error_codes import MISSING_CREDENTIALS
from connector.s3.credentials import AssumeRole, assume_role_session, digest
from connector.s3.expect_continue import send_small_bodies_at_once
from connector.s3.validation import DEFAULT_REGION

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["ClientCache", "ClientSpec"]


@dataclass(frozen=True, kw_only=True)
class ClientSpec:
    """Everything that makes one S3 client different from another.

    Attributes:
        access_key_id: static access key id, or None for the default credential chain.
        secret_access_key: static secret; never shown in ``repr``.
        session_token: temporary session token; never shown in ``repr``.
        region: signing region; None lets botocore resolve it (see ``ClientCache``).
        endpoint_url: custom S3-compatible endpoint; None means AWS (or
            ``AWS_ENDPOINT_URL_S3``, which botocore reads itself).
        path_style: address buckets as ``endpoint/bucket/key`` (MinIO, Ceph, moto).
        connect_timeout_s: TCP connect timeout per attempt.
        read_timeout_s: socket read timeout per attempt.
        max_attempts: total attempts including the first (botocore "standard" retries).
        anonymous: send unsigned requests (public buckets); credentials are then ignored.
        assume_role: a role to assume on top of the static keys, or of the default chain
            when there are none.
        use_fips / use_dualstack: AWS FIPS / dual-stack (IPv6) endpoints; AWS only.
        checksum_when_required: send and validate checksums only when S3 requires them,
            for S3-compatible stores that reject boto3's default CRC headers.
        retry_mode: botocore retry mode (``standard``, ``adaptive``, ``legacy``).
        sts_endpoint_url: STS endpoint for ``assume_role`` (None: AWS's).

    Raises:
        InputError: ``MissingCredentials`` when only one of key id and secret is given.
        ValueError: for non-positive timeouts or attempts (a programming error).
    """

    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)
    region: str | None = None
    endpoint_url: str | None = None
    path_style: bool = False
    connect_timeout_s: float = 10
    read_timeout_s: float = 60
    max_attempts: int = 3
    anonymous: bool = False
    assume_role: AssumeRole | None = None
    use_fips: bool = False
    use_dualstack: bool = False
    checksum_when_required: bool = False
    retry_mode: Literal["standard", "adaptive", "legacy"] = "standard"
    sts_endpoint_url: str | None = None

    def __post_init__(self) -> None:
        if (self.access_key_id is None) != (self.secret_access_key is None):
            raise MISSING_CREDENTIALS.error("static S3 credentials need both an access key id and a secret access key")
        if self.connect_timeout_s <= 0 or self.read_timeout_s <= 0:
            raise ValueError("S3 timeouts must be positive")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    @property
    def build_operation(self) -> str:
        """What building this client calls first, to name a failure: STS or nothing remote."""
        return "AssumeRole" if self.assume_role else "CreateClient"


def _credentials_key(spec: ClientSpec) -> tuple[Any, ...]:
    role = spec.assume_role.cache_key() if spec.assume_role else None
    return (spec.access_key_id, digest(spec.secret_access_key), digest(spec.session_token), role)


def cache_key(spec: ClientSpec) -> tuple[Any, ...]:
    """The identity of a client in the cache: every field, with secrets hashed.

    Args:
        spec: the client configuration.

    Returns:
        A hashable tuple that contains no raw secret.
    """
    return (
        *_credentials_key(spec),
        spec.region,
        spec.endpoint_url,
        spec.path_style,
        spec.connect_timeout_s,
        spec.read_timeout_s,
        spec.max_attempts,
        spec.anonymous,
        spec.use_fips,
        spec.use_dualstack,
        spec.checksum_when_required,
        spec.retry_mode,
        spec.sts_endpoint_url,
    )


class ClientCache:
    """A thread-safe LRU cache of boto3 S3 clients keyed by :class:`ClientSpec`.

    Region resolution when ``spec.region`` is None: ``default_region`` (the operator's
    setting, e.g. ``AWS_REGION``, which botocore itself does not read), then botocore's own
    chain (``AWS_DEFAULT_REGION``, the profile), then ``us-east-1``.

    Args:
        max_size: clients kept; the least recently used one is dropped beyond it.
        default_region: region for specs without one, before botocore's chain.
        max_pool_connections: HTTP connections per client; set it to the worker's
            concurrency so parallel jobs on one client do not queue for a connection.
    """

    def __init__(
        self, max_size: int = 64, *, default_region: str | None = None, max_pool_connections: int = 10
    ) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self._max_size = max_size
        self._default_region = default_region
        self._max_pool_connections = max_pool_connections
        self._clients: OrderedDict[tuple[Any, ...], S3Client] = OrderedDict()
        self._sessions: OrderedDict[tuple[str | None, ...], boto3.Session] = OrderedDict()
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._clients)

    def get(self, spec: ClientSpec) -> S3Client:
        """Return the cached client for ``spec``, building it on first use.

        Args:
            spec: the client configuration.

        Returns:
            A boto3 S3 client shared by every caller with an equal spec.

        Raises:
            botocore.exceptions.BotoCoreError: if botocore rejects the configuration
                (e.g. a malformed endpoint URL); callers map it with ``map_s3_error``.
        """
        key = cache_key(spec)
        client = self._lookup(key)
        if client is not None:
            return client
        with self._build_lock:
            # Another thread may have built it while this one waited for the build lock.
            client = self._lookup(key)
            if client is not None:
                return client
            client = self._build(spec)
            with self._lock:
                self._clients[key] = client
                while len(self._clients) > self._max_size:
                    self._clients.popitem(last=False)
        return client

    def _lookup(self, key: tuple[Any, ...]) -> S3Client | None:
        with self._lock:
            client = self._clients.get(key)
            if client is not None:
                self._clients.move_to_end(key)
            return client

    def _build(self, spec: ClientSpec) -> S3Client:
        """Create a client; only called with ``_build_lock`` held."""
        region = spec.region or self._default_region
        session = self._session(spec, region)
        region = region or session.region_name or DEFAULT_REGION
        options: dict[str, Any] = {
            "connect_timeout": spec.connect_timeout_s,
            "read_timeout": spec.read_timeout_s,
            # In a Config, botocore's "max_attempts" counts retries only (it adds one);
            # "total_max_attempts" is what AWS_MAX_ATTEMPTS means: attempts including the first.
            "retries": {"mode": spec.retry_mode, "total_max_attempts": spec.max_attempts},
            "max_pool_connections": self._max_pool_connections,
        }
        if spec.use_fips:
            options["use_fips_endpoint"] = True
        if spec.use_dualstack:
            options["use_dualstack_endpoint"] = True
        if spec.checksum_when_required:
            options["request_checksum_calculation"] = "when_required"
            options["response_checksum_validation"] = "when_required"
        # Only options we set are passed: a None would still count as "set by the user" and
        # could shadow the profile's s3 settings.
        if spec.path_style:
            options["s3"] = {"addressing_style": "path"}
        # SigV4 everywhere: botocore would still presign with legacy SigV2 in us-east-1, which
        # newer regions, KMS-encrypted objects and most S3-compatible stores reject.
        options["signature_version"] = UNSIGNED if spec.anonymous else "s3v4"
        client = session.client("s3", region_name=region, endpoint_url=spec.endpoint_url, config=Config(**options))
        send_small_bodies_at_once(client)
        return client

    def _session(self, spec: ClientSpec, region: str | None) -> boto3.Session:
        """One boto3 Session per credentials, so clients never share credential state."""
        key = _credentials_key(spec)
        session = self._sessions.get(key)
        if session is None:
            session = boto3.Session(
                aws_access_key_id=spec.access_key_id,
                aws_secret_access_key=spec.secret_access_key,
                aws_session_token=spec.session_token,
            )
            if spec.assume_role is not None and not spec.anonymous:
                session = assume_role_session(
                    session,
                    spec.assume_role,
                    region=region or session.region_name or DEFAULT_REGION,
                    sts_endpoint_url=spec.sts_endpoint_url,
                )
            self._sessions[key] = session
            while len(self._sessions) > self._max_size:
                self._sessions.popitem(last=False)
        self._sessions.move_to_end(key)
        return session
