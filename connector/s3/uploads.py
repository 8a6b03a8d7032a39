"""Uploads of any size from a blocking reader: one PUT when small, multipart when large.

Memory per transfer is bounded by one part: at most ``part_size_bytes`` of the body is held
(plus botocore's request copy while a part is sent, so about 2 x part size), whatever the
object's size. The multipart upload is aborted the moment anything fails after it was
created, so a failed job never leaves parts behind that are billed and invisible.
"""

from __future__ import annotations

import logging
import math
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from connector.s3.errors import s3_errors
from connector.s3.transfer import PutResult, unquote_etag

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["MIN_PART_SIZE_BYTES", "MultipartConfig", "UploadHooks", "UploadOptions", "put_object", "upload_stream"]

logger = logging.getLogger(__name__)

MIN_PART_SIZE_BYTES = 5 * 1024 * 1024  # S3's minimum for every part but the last
_MAX_PARTS = 10_000
Reader = Callable[[int], bytes]


@dataclass(frozen=True, kw_only=True)
class MultipartConfig:
    """When to switch to multipart and how large each part is (both in bytes)."""

    threshold_bytes: int = 8 * 1024 * 1024
    part_size_bytes: int = 8 * 1024 * 1024

    def __post_init__(self) -> None:
        if self.part_size_bytes < MIN_PART_SIZE_BYTES:
            raise ValueError(f"part_size_bytes must be at least {MIN_PART_SIZE_BYTES}")
        if self.threshold_bytes < 1:
            raise ValueError("threshold_bytes must be positive")

    def part_size_for(self, size_hint: int | None) -> int:
        """A part size that keeps a known size within S3's 10,000 parts."""
        if size_hint is None:
            return self.part_size_bytes
        return max(self.part_size_bytes, math.ceil(size_hint / (_MAX_PARTS - 1)))


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
        if self.metadata:
            args["Metadata"] = dict(self.metadata)
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
) -> PutResult:
    """Upload everything ``read`` yields; the size is what was actually read.

    Args:
        read: a blocking ``read(n)`` returning at most n bytes, b"" at the end.
        size_hint: the expected size, used only to pick a part size, never trusted as length.
        hooks: metrics, content type choice and a last check before the object is committed.

    Raises:
        ConnectorError: any S3 failure (``PreconditionFailed`` when ``create_only`` and the
            key exists), or an error raised by ``read`` or a hook; a started multipart
            upload is aborted first.
    """
    config = config or MultipartConfig()
    part_size = config.part_size_for(size_hint)
    first = _read_full(read, max(config.threshold_bytes, 1))
    if options.content_type is None and hooks.content_type_from_head is not None:
        options = replace(options, content_type=hooks.content_type_from_head(first[:4096]))
    if len(first) < config.threshold_bytes:
        if hooks.before_commit:
            hooks.before_commit()
        result = put_object(client, bucket=bucket, key=key, body=first, options=options)
        if hooks.on_bytes:
            hooks.on_bytes(len(first))
        return result
    # The threshold may be smaller than a part: top the first part up to a full part.
    if len(first) < part_size:
        first += _read_full(read, part_size - len(first))
    return _put_multipart(client, bucket, key, _Parts(first, read, part_size), options, hooks)


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
) -> PutResult:
    """Store ``body`` under ``key`` with one PutObject request: the one PutObject path.

    Args:
        content_type: the ``Content-Type`` when no ``options`` are given (None: S3's default).
        options: every per-object option (they win over ``content_type``).

    Raises:
        ConnectorError: any S3 or transport failure (``PreconditionFailed`` for ``create_only``).
    """
    options = options or UploadOptions(content_type=content_type)
    with s3_errors("PutObject", bucket, key):
        response = client.put_object(
            Bucket=bucket, Key=key, Body=body, **options.object_args(), **options.commit_args()
        )
    return PutResult(
        version_id=response.get("VersionId"),
        etag=unquote_etag(response.get("ETag")),
        size=len(body),
        content_type=options.content_type,
    )


def _put_multipart(
    client: S3Client, bucket: str, key: str, parts_source: _Parts, options: UploadOptions, hooks: UploadHooks
) -> PutResult:
    with s3_errors("CreateMultipartUpload", bucket, key):
        upload_id = client.create_multipart_upload(Bucket=bucket, Key=key, **options.object_args())["UploadId"]
    try:
        parts, size = _send_parts(client, bucket, key, upload_id, parts_source, hooks.on_bytes)
        if hooks.before_commit:
            hooks.before_commit()
        with s3_errors("CompleteMultipartUpload", bucket, key):
            response = client.complete_multipart_upload(
                Bucket=bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
                **options.commit_args(),
            )
    except BaseException:
        _abort(client, bucket, key, upload_id)
        raise
    return PutResult(
        version_id=response.get("VersionId"),
        etag=unquote_etag(response.get("ETag")),
        size=size,
        content_type=options.content_type,
    )


def _send_parts(
    client: S3Client, bucket: str, key: str, upload_id: str, source: _Parts, on_bytes: Callable[[int], None] | None
) -> tuple[list[Any], int]:
    parts: list[Any] = []
    size = 0
    number = 1
    chunk = source.first
    source.first = b""  # hold one part at a time, not the first one for the whole upload
    while chunk:
        if number > _MAX_PARTS:
            raise ValueError(f"object exceeds {_MAX_PARTS} parts of {source.part_size} bytes")
        with s3_errors("UploadPart", bucket, key):
            response = client.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=chunk)
        parts.append({"ETag": response["ETag"], "PartNumber": number})
        size += len(chunk)
        if on_bytes:
            on_bytes(len(chunk))
        number += 1
        chunk = b""  # drop the sent part before reading the next: one part in memory, not two
        chunk = _read_full(source.read, source.part_size)
    return parts, size


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
