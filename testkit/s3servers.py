"""The S3 servers the suites run against, described alike, and started alike.

Three servers, each a real HTTP server on 127.0.0.1:

- ``moto``: moto's AWS mock, in-process (``ThreadedMotoServer``); AWS's semantics, but it
  checks no signature and no session token.
- ``s3rver``: a small emulator (npm); files on disk, few of S3's newer features.
- ``minio``: MinIO, the server self-managed Camunda users run (built with Go; interop only).

``lacks`` names, per server, what it does not do and why; a test of such a feature carries
``@pytest.mark.s3_gap(feature=...)`` (see ``tests/conftest.py``) and is a strict xfail there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
from botocore import UNSIGNED
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["FEATURES", "LACKS", "SERVER_NAMES", "S3Server", "start_s3_server"]

SERVER_NAMES = ("moto", "s3rver", "minio")

# Every feature a server may lack, with what a test of it shows.
FEATURES: Mapping[str, str] = {
    "signature-check": "a wrong secret or an unknown access key is refused",
    "presigned-check": "a presigned URL's signature and expiry are verified",
    "access-control": "users' policies are enforced, private buckets refuse anonymous requests",
    "bucket-policy": "a bucket policy can make objects public-read for unsigned requests",
    "sts": "STS AssumeRole gives temporary credentials that work",
    "token-check": "a session token is verified with its temporary credentials",
    "sts-limits": "STS refuses sessions under 900 s, role chaining and GetSessionToken",
    "checksums": "x-amz-checksum-* values are verified and returned",
    "conditional-writes": "If-None-Match: * on PutObject and CompleteMultipartUpload",
    "conditional-reads": "If-Match on GetObject answers 412 for another ETag",
    "versioning": "bucket versioning: version ids, older versions, delete markers",
    "tagging": "object tags",
    "multipart-listing": "ListMultipartUploads",
    "upload-part-copy": "UploadPartCopy",
    "lifecycle": "bucket lifecycle configuration",
    "sse-s3": "server-side encryption with S3-managed keys (AES256)",
    "sse-kms": "server-side encryption with a KMS key",
}


@dataclass(frozen=True)
class S3Server:
    """One running S3 server, as a test sees it.

    Attributes:
        name: ``moto``, ``s3rver`` or ``minio``.
        endpoint_url: ``http://127.0.0.1:PORT``, path-style addressing.
        access_key_id / secret_access_key: credentials the server accepts (any, for moto).
        region: the region to sign for.
        aws_like: answers as AWS S3 does (error codes, headers, checksum and conditional
            semantics) for the calls the connector makes; s3rver does not.
        lacks: feature (a key of ``FEATURES``) -> why this server lacks it.
        pid: the process serving it (the test process itself for moto).
    """

    name: str
    endpoint_url: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    region: str
    aws_like: bool
    lacks: Mapping[str, str] = field(default_factory=dict)
    pid: int | None = None

    def client(self, **config: Any) -> S3Client:
        """A boto3 client with the server's credentials, path-style, SigV4; ``config`` adds
        botocore ``Config`` options (e.g. ``request_checksum_calculation``)."""
        return self.client_as(self.access_key_id, self.secret_access_key, **config)

    def client_as(
        self, access_key_id: str, secret_access_key: str, session_token: str | None = None, **config: Any
    ) -> S3Client:
        """A boto3 client for other credentials (a user, a role session, a wrong secret)."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            aws_session_token=session_token,
            config=Config(
                signature_version="s3v4", s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}, **config
            ),
        )

    def anonymous_client(self) -> S3Client:
        """A client that sends unsigned requests."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            config=Config(
                signature_version=UNSIGNED, s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}
            ),
        )

    def ensure_bucket(self, name: str) -> None:
        """Create bucket ``name`` unless it exists (suites share one server per session)."""
        client = self.client()
        if name not in {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}:
            client.create_bucket(Bucket=name)

    def new_bucket(self, prefix: str = "t") -> str:
        """Create a bucket with a unique, valid name and return the name."""
        name = f"{prefix}-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(Bucket=name)
        return name


_MOTO_LACKS = {
    "signature-check": "moto accepts any credentials and never checks a signature",
    "presigned-check": "moto does not verify presigned URL signatures or expiry",
    "access-control": "moto enforces no policy: any request is allowed",
    "bucket-policy": "moto answers 403 to an anonymous HeadObject that a public-read (s3:GetObject) policy allows",
    "token-check": "moto never checks a session token",
    "sts-limits": "moto's STS has no such limits",
    "checksums": "moto returns the checksums a client sent but accepts wrong ones (x-amz-checksum-*, Content-MD5), "
    "reports no ChecksumType and allows a full-object SHA-256",
}
_S3RVER_LACKS = {
    "access-control": "s3rver has no users and no access checks",
    "bucket-policy": "s3rver has no bucket policies",
    "sts": "s3rver has no STS",
    "token-check": "s3rver has no STS",
    "sts-limits": "s3rver has no STS",
    "checksums": "s3rver neither verifies nor returns x-amz-checksum-* values",
    "conditional-writes": "s3rver ignores If-None-Match and If-Match on writes",
    "conditional-reads": "s3rver ignores If-Match on GetObject",
    "versioning": "s3rver does not implement versioning",
    "tagging": "s3rver does not implement object tagging",
    "multipart-listing": "s3rver implements neither ListMultipartUploads nor AbortMultipartUpload",
    "upload-part-copy": "s3rver does not implement UploadPartCopy",
    "lifecycle": "s3rver does not implement lifecycle configuration",
    "sse-s3": "s3rver does not implement server-side encryption",
    "sse-kms": "s3rver does not implement server-side encryption",
}
_MINIO_LACKS = {
    "sse-s3": "MinIO needs a KMS for SSE-S3 too; the test MinIO has none (NotImplemented, 501)",
    "sse-kms": "the test MinIO runs without a KMS (MINIO_KMS_* unset): NotImplemented, 501",
}
# Server name -> feature -> why it lacks it (known before any server starts).
LACKS: Mapping[str, Mapping[str, str]] = {"moto": _MOTO_LACKS, "s3rver": _S3RVER_LACKS, "minio": _MINIO_LACKS}


@contextmanager
def start_s3_server(name: str, workdir: Path) -> Iterator[S3Server]:
    """Start server ``name`` on loopback (state under ``workdir``); stop it on exit.

    Raises:
        ValueError: an unknown name.
        RuntimeError: the server could not be started (MinIO: no Go, failed build).
    """
    if name == "moto":
        from testkit.moto_http import moto_server

        with moto_server() as url:
            yield S3Server(
                "moto", url, "AKIAMOTOFAKE0000001", "moto-secret", "us-east-1", True, LACKS["moto"], os.getpid()
            )
    elif name == "s3rver":
        from testkit.s3rver import ACCESS_KEY, SECRET_KEY, S3rver

        server = S3rver(workdir)
        try:
            yield S3Server(
                "s3rver", server.url, ACCESS_KEY, SECRET_KEY, "us-east-1", False, LACKS["s3rver"], server.pid
            )
        finally:
            server.stop()
    elif name == "minio":
        from testkit.minio import REGION, ROOT_PASSWORD, ROOT_USER, minio_server

        with minio_server(workdir / "data") as minio:
            yield S3Server("minio", minio.url, ROOT_USER, ROOT_PASSWORD, REGION, True, LACKS["minio"], minio.pid)
    else:
        raise ValueError(f"unknown S3 server {name!r}; known: {', '.join(SERVER_NAMES)}")
