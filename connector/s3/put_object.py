"""The one PutObject path, and what a failed commit may still be: this job's earlier write."""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from connector.errors import ConnectorError
from connector.s3.attempts import earlier_write
from connector.s3.checksums import ChecksumAlgorithm, checksum_b64, request_field
from connector.s3.errors import s3_errors
from connector.s3.transfer import PutResult, unquote_etag
from connector.s3.upload_config import UploadOptions

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["earlier_write_or_raise", "put_object", "sha256_b64"]

logger = logging.getLogger(__name__)


def put_object(
    client: S3Client,
    *,
    bucket: str,
    key: str,
    body: bytes,
    content_type: str | None = None,
    options: UploadOptions | None = None,
    algorithm: ChecksumAlgorithm = "SHA256",
    checksum: str | None = None,
) -> PutResult:
    """Store ``body`` under ``key`` with one PutObject request: the one PutObject path.

    Args:
        content_type: the ``Content-Type`` when no ``options`` are given (None: S3's default).
        options: every per-object option (they win over ``content_type``).
        algorithm: the checksum S3 verifies; ``checksum`` its value when the caller knows what
            the bytes should be (else it is computed from ``body``).

    Raises:
        ConnectorError: any S3 or transport failure (``PreconditionFailed`` for ``create_only``).
    """
    options = options or UploadOptions(content_type=content_type)
    args: dict[str, Any] = {}
    if algorithm != "NONE":
        checksum = checksum or checksum_b64(algorithm, body)
        args[request_field(algorithm)] = checksum
        args["ChecksumAlgorithm"] = algorithm
    with s3_errors("PutObject", bucket, key):
        response = client.put_object(
            Bucket=bucket, Key=key, Body=body, **options.object_args(), **options.commit_args(), **args
        )
    sha256 = checksum if algorithm == "SHA256" else sha256_b64(body)
    return PutResult(
        version_id=response.get("VersionId"),
        etag=unquote_etag(response.get("ETag")),
        size=len(body),
        content_type=options.content_type,
        checksum_sha256=sha256,
        s3_checksum=checksum,
    )


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def earlier_write_or_raise(
    client: S3Client,
    bucket: str,
    key: str,
    options: UploadOptions,
    algorithm: ChecksumAlgorithm,
    pending: PutResult,
    exc: ConnectorError,
) -> PutResult:
    """After a failed commit: a createOnly conflict with this job's own earlier write of the
    same bytes is that write's success (Zeebe delivers jobs at least once); else ``exc``."""
    if exc.code != "PreconditionFailed" or not options.create_only or options.job_key is None:
        raise exc
    # S3 reports a multipart object's checksum as composite, with or without its "-N".
    candidates = {pending.s3_checksum, (pending.s3_checksum or "").split("-")[0]}
    if algorithm == "SHA256":
        candidates.add(pending.checksum_sha256)
    head = earlier_write(
        client,
        bucket=bucket,
        key=key,
        job_key=options.job_key,
        algorithm=algorithm,
        checksums=frozenset(c for c in candidates if c),
    )
    if head is None:
        raise exc
    logger.info("Key %r in bucket %r already holds this job's earlier write; completing as that", key, bucket)
    return replace(pending, version_id=head.get("VersionId"), etag=unquote_etag(head.get("ETag")))
