"""Uploads of any size from a blocking reader: one PUT when small, multipart when large.

Memory per transfer: a small object (under the threshold) is held once; a multipart upload
holds at most ``concurrency x part size`` (parts in flight, :mod:`connector.s3.parts`) plus
botocore's per-request buffers, whatever the object's size. The multipart upload is aborted
the moment anything fails after it was created, so a failed job never leaves parts behind
that are billed and invisible.

Every request carries a checksum S3 verifies (:mod:`connector.s3.checksums`); an upload of a
job records the job key in the object's metadata, so a re-run can recognise its earlier
attempt (:mod:`connector.s3.attempts`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import math
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from connector.errors import ConnectorError
from connector.s3.attempts import (
    JOB_KEY_METADATA,
    MARKER_PART_NUMBER,
    abort_own_uploads,
    earlier_write,
    marker_body,
)
from connector.s3.checksums import ChecksumAlgorithm, b64_of_hex, checksum_b64, composite, request_field
from connector.s3.errors import s3_errors
from connector.s3.parts import PartSender, SentPart
from connector.s3.transfer import PutResult, unquote_etag

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["MIN_PART_SIZE_BYTES", "MultipartConfig", "UploadHooks", "UploadOptions", "put_object", "upload_stream"]

DEFAULT_CONCURRENCY = 10

logger = logging.getLogger(__name__)

MIN_PART_SIZE_BYTES = 5 * 1024 * 1024  # S3's minimum for every part but the last
# Part numbers go up to 10,000; with a job's attempt marker as part 1 (connector.s3.attempts),
# 9,999 remain for the data.
_LAST_PART_NUMBER = 10_000
_MAX_PARTS = _LAST_PART_NUMBER - 1
Reader = Callable[[int], bytes]


@dataclass(frozen=True, kw_only=True)
class MultipartConfig:
    """When to switch to multipart, how large each part is (both in bytes), how many parts are
    in flight at once, and the checksum S3 verifies on every request."""

    threshold_bytes: int = 8 * 1024 * 1024
    part_size_bytes: int = 8 * 1024 * 1024
    concurrency: int = DEFAULT_CONCURRENCY
    checksum: ChecksumAlgorithm = "SHA256"

    def __post_init__(self) -> None:
        if self.part_size_bytes < MIN_PART_SIZE_BYTES:
            raise ValueError(f"part_size_bytes must be at least {MIN_PART_SIZE_BYTES}")
        if self.threshold_bytes < 1:
            raise ValueError("threshold_bytes must be positive")
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")

    def part_size_for(self, size_hint: int | None) -> int:
        """A part size that keeps a known size within S3's 10,000 parts."""
        if size_hint is None:
            return self.part_size_bytes
        return max(self.part_size_bytes, math.ceil(size_hint / _MAX_PARTS))


@dataclass(frozen=True, kw_only=True)
class UploadOptions:
    """Validated per-object options; only these ever reach boto3 (an allow-list by design)."""

    content_type: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    storage_class: str | None = None
    server_side_encryption: Literal["AES256", "aws:kms", "aws:kms:dsse"] | None = None
    kms_key_id: str | None = None
    cache_control: str | None = None
    content_disposition: str | None = None
    create_only: bool = False
    # The Zeebe job's key, recorded in the object's metadata (None: not a job's upload).
    job_key: str | None = None

    def object_args(self) -> dict[str, Any]:
        """Arguments shared by PutObject and CreateMultipartUpload."""
        args: dict[str, Any] = {}
        optional = {
            "ContentType": self.content_type,
            "StorageClass": self.storage_class,
            "ServerSideEncryption": self.server_side_encryption,
            "SSEKMSKeyId": self.kms_key_id,
            "CacheControl": self.cache_control,
            "ContentDisposition": self.content_disposition,
        }
        args.update({name: value for name, value in optional.items() if value})
        metadata = dict(self.metadata)
        if self.job_key is not None:
            metadata[JOB_KEY_METADATA] = self.job_key
        if metadata:
            args["Metadata"] = metadata
        if self.tags:
            args["Tagging"] = urllib.parse.urlencode(dict(self.tags))
        return args

    def commit_args(self) -> dict[str, Any]:
        """Arguments of the request that makes the object visible (PutObject/Complete)."""
        # If-None-Match: * makes the write conditional: a retried job cannot overwrite.
        return {"IfNoneMatch": "*"} if self.create_only else {}


def _read_full(read: Reader, size: int) -> bytes:
    """Read up to ``size`` bytes, looping over short reads, stopping only at end of stream."""
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


@dataclass(frozen=True, kw_only=True)
class UploadHooks:
    """Optional callbacks of an upload.

    Attributes:
        on_bytes: called with the size of each request body sent (for metrics).
        content_type_from_head: when the options have no content type, called with the first
            bytes (before any request) to choose one.
        before_commit: called after the last byte was read and before the object becomes
            visible; raising there (e.g. a content hash mismatch) leaves nothing behind.
    """

    on_bytes: Callable[[int], None] | None = None
    content_type_from_head: Callable[[bytes], str] | None = None
    before_commit: Callable[[], None] | None = None


_NO_HOOKS = UploadHooks()


def upload_stream(
    client: S3Client,
    *,
    bucket: str,
    key: str,
    read: Reader,
    options: UploadOptions,
    config: MultipartConfig | None = None,
    size_hint: int | None = None,
    hooks: UploadHooks = _NO_HOOKS,
    expected_sha256: str | None = None,
) -> PutResult:
    """Upload everything ``read`` yields; the size is what was actually read.

    Args:
        read: a blocking ``read(n)`` returning at most n bytes, b"" at the end.
        size_hint: the expected size, used only to pick a part size, never trusted as length.
        hooks: metrics, content type choice and a last check before the object is committed.
        expected_sha256: the bytes' SHA-256 (hex) as their source states it; a single PUT sends
            it as the checksum, so S3 itself refuses different bytes.

    Raises:
        ConnectorError: any S3 failure (``PreconditionFailed`` when ``create_only`` and the
            key holds something other than this job's earlier write), ``BadDigest`` when S3
            received other bytes than were sent, or an error raised by ``read`` or a hook; a
            started multipart upload is aborted first.
    """
    config = config or MultipartConfig()
    part_size = config.part_size_for(size_hint)
    first = _read_full(read, max(config.threshold_bytes, 1))
    if options.content_type is None and hooks.content_type_from_head is not None:
        options = replace(options, content_type=hooks.content_type_from_head(first[:4096]))
    if len(first) < config.threshold_bytes:
        if hooks.before_commit:
            hooks.before_commit()
        checksum = None
        if config.checksum == "SHA256" and expected_sha256:
            checksum = b64_of_hex(expected_sha256)
        elif config.checksum != "NONE":
            checksum = checksum_b64(config.checksum, first)
        try:
            result = put_object(
                client,
                bucket=bucket,
                key=key,
                body=first,
                options=options,
                algorithm=config.checksum,
                checksum=checksum,
            )
        except ConnectorError as exc:
            pending = PutResult(None, None, len(first), options.content_type, _sha256_b64(first), checksum)
            result = _earlier_write_or_raise(client, bucket, key, options, config.checksum, pending, exc)
        if hooks.on_bytes:
            hooks.on_bytes(len(first))
        return result
    # The threshold may be smaller than a part: top the first part up to a full part.
    if len(first) < part_size:
        first += _read_full(read, part_size - len(first))
    parts = _Parts(first, read, part_size)
    del first  # the sender drops each part once sent; this frame must not keep the first alive
    return _put_multipart(client, bucket, key, parts, options, hooks, config, expected_sha256)


@dataclass
class _Parts:
    first: bytes
    read: Reader
    part_size: int


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
    sha256 = checksum if algorithm == "SHA256" else _sha256_b64(body)
    return PutResult(
        version_id=response.get("VersionId"),
        etag=unquote_etag(response.get("ETag")),
        size=len(body),
        content_type=options.content_type,
        checksum_sha256=sha256,
        s3_checksum=checksum,
    )


def _sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def _earlier_write_or_raise(
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


def _put_multipart(
    client: S3Client,
    bucket: str,
    key: str,
    parts_source: _Parts,
    options: UploadOptions,
    hooks: UploadHooks,
    config: MultipartConfig,
    expected_sha256: str | None,
) -> PutResult:
    if options.job_key is not None:
        abort_own_uploads(client, bucket=bucket, key=key, job_key=options.job_key)
    args: dict[str, Any] = {} if config.checksum == "NONE" else {"ChecksumAlgorithm": config.checksum}
    with s3_errors("CreateMultipartUpload", bucket, key):
        upload_id = client.create_multipart_upload(Bucket=bucket, Key=key, **options.object_args(), **args)["UploadId"]
    pending: PutResult | None = None
    try:
        parts = _send_parts(client, bucket, key, upload_id, parts_source, hooks.on_bytes, options, config)
        if hooks.before_commit:
            hooks.before_commit()
        s3_checksum = None
        if config.checksum != "NONE":
            s3_checksum = composite(config.checksum, [part.checksum or "" for part in parts])
        pending = PutResult(
            version_id=None,
            etag=None,
            size=sum(part.size for part in parts),
            content_type=options.content_type,
            # S3 has no full-object SHA-256 for multipart uploads: the whole object's is known
            # when the source stated it, and before_commit has checked it by now.
            checksum_sha256=b64_of_hex(expected_sha256) if expected_sha256 else None,
            s3_checksum=s3_checksum,
        )
        entries = [part.complete_entry(config.checksum) for part in parts]
        with s3_errors("CompleteMultipartUpload", bucket, key):
            response = client.complete_multipart_upload(
                Bucket=bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": entries},  # type: ignore[typeddict-item]
                **options.commit_args(),
            )
    except ConnectorError as exc:
        _abort(client, bucket, key, upload_id)
        if pending is None:
            raise
        return _earlier_write_or_raise(client, bucket, key, options, config.checksum, pending, exc)
    except BaseException:
        _abort(client, bucket, key, upload_id)
        raise
    return replace(pending, version_id=response.get("VersionId"), etag=unquote_etag(response.get("ETag")))


def _send_parts(
    client: S3Client,
    bucket: str,
    key: str,
    upload_id: str,
    source: _Parts,
    on_bytes: Callable[[int], None] | None,
    options: UploadOptions,
    config: MultipartConfig,
) -> list[SentPart]:
    """Send every part, up to ``config.concurrency`` at once."""
    sender = PartSender(
        client,
        bucket=bucket,
        key=key,
        upload_id=upload_id,
        concurrency=config.concurrency,
        algorithm=config.checksum,
        on_bytes=on_bytes,
    )
    with sender:
        if options.job_key is not None:
            # Tiny, sent beside the data and left out of the completion (connector.s3.attempts).
            sender.send(MARKER_PART_NUMBER, marker_body(options.job_key), counted=False)
        number = MARKER_PART_NUMBER + 1 if options.job_key is not None else 1
        sender.reserve()
        chunk = source.first
        source.first = b""  # the sender holds the first part now, not this frame for the whole upload
        while chunk:
            if number > _LAST_PART_NUMBER:
                raise ValueError(f"object exceeds {_MAX_PARTS} parts of {source.part_size} bytes")
            sender.send(number, chunk)
            number += 1
            chunk = b""  # drop our reference: the slot bounds what is held, not this frame
            sender.reserve()
            chunk = _read_full(source.read, source.part_size)
        parts = sender.results()
        if options.job_key is not None:
            parts = [part for part in parts if part.number != MARKER_PART_NUMBER]
    return parts


def _abort(client: S3Client, bucket: str, key: str, upload_id: str) -> None:
    try:
        client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
    except Exception:  # the original failure matters more; the store's own cleanup is the backstop
        logger.warning(
            "Could not abort multipart upload %s of key %r in bucket %r; the store's cleanup is the backstop "
            "(on AWS a lifecycle rule with AbortIncompleteMultipartUpload, on MinIO its stale-upload expiry)",
            upload_id,
            key,
            bucket,
            exc_info=True,
        )
