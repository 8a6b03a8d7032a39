"""The operator's S3 policy: which endpoints a job may name, which credentials it may use.

A process model must not point the worker at internal hosts, so a job's custom endpoint is
honoured only when the operator allowed it; the operator's own default endpoint always is.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from connector.error_codes import BUCKET_NOT_ALLOWED, DEFAULT_CREDENTIALS_NOT_ALLOWED, ENDPOINT_NOT_ALLOWED
from connector.urls import DEFAULT_PORTS

__all__ = ["S3Policy", "endpoint_allowed"]


@dataclass(frozen=True)
class S3Policy:
    """What the operator allows jobs (endpoints, buckets, credentials) and the client options they get."""

    default_endpoint: str | None = None
    allowed_endpoints: tuple[str, ...] = ()
    allow_default_credentials: bool = False
    inline_content_max_bytes: int = 1_572_864
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 60.0
    max_attempts: int = 3
    retry_mode: Literal["standard", "adaptive", "legacy"] = "standard"
    # auto: S3-compatible stores (custom endpoints) get checksums only when required.
    checksum_mode: Literal["auto", "when_required", "when_supported"] = "auto"
    sts_endpoint: str | None = None
    multipart_threshold_bytes: int = 8 * 1024 * 1024
    multipart_part_size_bytes: int = 8 * 1024 * 1024
    transfer_concurrency: int = 10
    transfer_checksum: Literal["SHA256", "CRC32", "NONE"] = "SHA256"
    # CopyObject copies up to 5 GiB in one request; larger copies go part by part.
    copy_multipart_threshold_bytes: int = 5 * 1024**3
    external_max_bytes: int = 5 * 1024**3
    # Empty: any bucket. Otherwise bucket names or fnmatch patterns such as "invoices-*".
    allowed_buckets: tuple[str, ...] = ()

    def check_bucket(self, bucket: str) -> None:
        """Raises:
        InputError: ``BUCKET_NOT_ALLOWED`` naming ``action.bucket`` and the setting.
        """
        if self.allowed_buckets and not any(fnmatch.fnmatchcase(bucket, rule) for rule in self.allowed_buckets):
            raise BUCKET_NOT_ALLOWED.error(
                f"action.bucket '{bucket}' is not allowed by this worker: the operator limits jobs to the buckets "
                "in S3_CONNECTOR_ALLOWED_BUCKETS"
            )

    def check_endpoint(self, endpoint: str | None) -> None:
        """Raises:
        InputError: ``ENDPOINT_NOT_ALLOWED`` naming ``configuration.endpoint`` and the setting.
        """
        if endpoint is None or endpoint_allowed(endpoint, self.default_endpoint, self.allowed_endpoints):
            return
        raise ENDPOINT_NOT_ALLOWED.error(
            "configuration.endpoint is not allowed by this worker: add it to S3_CONNECTOR_ALLOWED_ENDPOINTS "
            "(comma-separated URLs) to let jobs use it"
        )

    def check_default_credentials(self) -> None:
        """Raises:
        InputError: ``DEFAULT_CREDENTIALS_NOT_ALLOWED`` naming the setting that enables them.
        """
        if not self.allow_default_credentials:
            raise DEFAULT_CREDENTIALS_NOT_ALLOWED.error(
                "authentication.type 'defaultCredentialsChain' uses the worker's own AWS identity and is "
                "disabled; the operator can enable it with S3_CONNECTOR_ALLOW_DEFAULT_CREDENTIALS=true"
            )


def _origin_and_path(url: str) -> tuple[str, str, int, str] | None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    except ValueError:
        return None
    if not parts.scheme or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port, parts.path.rstrip("/")


def endpoint_allowed(endpoint: str, default: str | None, allowed: tuple[str, ...]) -> bool:
    """True when ``endpoint`` has the scheme, host and port of the default or an allowed entry
    and its path lies under that entry's path. Pure: no DNS, no connection."""
    target = _origin_and_path(endpoint)
    if target is None:
        return False
    for entry in (default, *allowed):
        rule = _origin_and_path(entry) if entry else None
        if rule is None or rule[:3] != target[:3]:
            continue
        if target[3] == rule[3] or target[3].startswith(rule[3] + "/") or not rule[3]:
            return True
    return False
