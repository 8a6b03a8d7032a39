"""Uploads of any size from a blocking reader: one PUT when small, multipart when large.

Memory per transfer: a small object (under the threshold) is held once; a multipart upload
holds at most ``concurrency x part size`` (parts in flight, :mod:`connector.s3.parts`) plus
botocore's per-request buffers, whatever the object's size. The multipart upload is aborted
the moment anything fails after it was created (:mod:`connector.s3.multipart_upload`), so a
failed job never leaves parts behind that are billed and invisible.

Every request carries a checksum S3 verifies (:mod:`connector.s3.checksums`); an upload of a
job records the job key in the object's metadata, so a re-run can recognise its earlier
attempt (:mod:`connector.s3.attempts`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from connector.errors import ConnectorError
from connector.s3.checksums import b64_of_hex, checksum_b64
from connector.s3.multipart_upload import PartSource, put_multipart
from connector.s3.put_object import earlier_write_or_raise, put_object, sha256_b64
from connector.s3.transfer import PutResult
from connector.s3.upload_config import (
    MIN_PART_SIZE_BYTES,
    NO_HOOKS,
    MultipartConfig,
    Reader,
    ReadInto,
    UploadHooks,
    UploadOptions,
    read_full,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["MIN_PART_SIZE_BYTES", "MultipartConfig", "UploadHooks", "UploadOptions", "put_object", "upload_stream"]


def upload_stream(
    client: S3Client,
    *,
    bucket: str,
    key: str,
    read: Reader,
    options: UploadOptions,
    config: MultipartConfig | None = None,
    size_hint: int | None = None,
    hooks: UploadHooks = NO_HOOKS,
    expected_sha256: str | None = None,
    readinto: ReadInto | None = None,
) -> PutResult:
    """Upload everything ``read`` yields; the size is what was actually read.

    Args:
        read: a blocking ``read(n)`` returning at most n bytes, b"" at the end.
        size_hint: the expected size, used only to pick a part size, never trusted as length.
        hooks: metrics, content type choice and a last check before the object is committed.
        expected_sha256: the bytes' SHA-256 (hex) as their source states it; a single PUT sends
            it as the checksum, so S3 itself refuses different bytes.
        readinto: the same stream's ``readinto``, when it has one: parts after the first are
            read straight into their buffers, so no part is ever held twice.

    Raises:
        ConnectorError: any S3 failure (``PreconditionFailed`` when ``create_only`` and the
            key holds something other than this job's earlier write), ``BadDigest`` when S3
            received other bytes than were sent, or an error raised by ``read`` or a hook; a
            started multipart upload is aborted first.
    """
    config = config or MultipartConfig()
    part_size = config.part_size_for(size_hint, fill_slots=True)
    first = read_full(read, max(config.threshold_bytes, 1))
    if options.content_type is None and hooks.content_type_from_head is not None:
        options = replace(options, content_type=hooks.content_type_from_head(first[:4096]))
    if len(first) < config.threshold_bytes:
        return _put_small(client, bucket, key, first, options, config, hooks, expected_sha256)
    # The threshold may be smaller than a part: top the first part up to a full part.
    if len(first) < part_size:
        first += read_full(read, part_size - len(first))
    parts = PartSource(first, read, part_size, readinto)
    del first  # the sender drops each part once sent; this frame must not keep the first alive
    return put_multipart(client, bucket, key, parts, options, hooks, config, expected_sha256)


def _put_small(
    client: S3Client,
    bucket: str,
    key: str,
    body: bytes,
    options: UploadOptions,
    config: MultipartConfig,
    hooks: UploadHooks,
    expected_sha256: str | None,
) -> PutResult:
    """One PutObject for an object under the multipart threshold."""
    if hooks.before_commit:
        hooks.before_commit()
    checksum = None
    if config.checksum == "SHA256" and expected_sha256:
        checksum = b64_of_hex(expected_sha256)
    elif config.checksum != "NONE":
        checksum = checksum_b64(config.checksum, body)
    try:
        result = put_object(
            client, bucket=bucket, key=key, body=body, options=options, algorithm=config.checksum, checksum=checksum
        )
    except ConnectorError as exc:
        pending = PutResult(None, None, len(body), options.content_type, sha256_b64(body), checksum)
        result = earlier_write_or_raise(client, bucket, key, options, config.checksum, pending, exc)
    if hooks.on_bytes:
        hooks.on_bytes(len(body))
    return result
