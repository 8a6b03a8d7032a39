"""Multipart uploads: parts in flight from a bounded buffer, completed only when every part
and the source's own check agree, and aborted the moment anything fails."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from connector.error_codes import OBJECT_TOO_LARGE
from connector.errors import ConnectorError
from connector.s3.attempts import MARKER_PART_NUMBER, abort_own_uploads, marker_body
from connector.s3.checksums import b64_of_hex, composite
from connector.s3.errors import s3_errors
from connector.s3.parts import PartSender, SentPart
from connector.s3.put_object import earlier_write_or_raise
from connector.s3.transfer import PutResult, unquote_etag
from connector.s3.upload_config import (
    LAST_PART_NUMBER,
    MAX_PARTS,
    MultipartConfig,
    Reader,
    ReadInto,
    UploadHooks,
    UploadOptions,
    read_full,
    read_into_part,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["PartSource", "abort_upload", "put_multipart"]

logger = logging.getLogger(__name__)


@dataclass
class PartSource:
    """The bytes already read (one part or more), and the reader of the rest.

    ``readinto``, when the source has one, reads each later part straight into its buffer.
    """

    first: bytes
    read: Reader
    part_size: int
    readinto: ReadInto | None = None

    def next_part(self) -> bytes | bytearray:
        """The next part: from what was read first while it lasts, then from the stream."""
        if len(self.first) >= self.part_size:
            part, self.first = self.first[: self.part_size], self.first[self.part_size :]
            return part
        carry, self.first = self.first, b""
        if self.readinto is not None:
            return read_into_part(self.readinto, self.part_size, carry)
        return carry + read_full(self.read, self.part_size - len(carry))


def put_multipart(
    client: S3Client,
    bucket: str,
    key: str,
    parts_source: PartSource,
    options: UploadOptions,
    hooks: UploadHooks,
    config: MultipartConfig,
    expected_sha256: str | None,
) -> PutResult:
    args: dict[str, Any] = {} if config.checksum == "NONE" else {"ChecksumAlgorithm": config.checksum}
    with s3_errors("CreateMultipartUpload", bucket, key):
        upload_id = client.create_multipart_upload(Bucket=bucket, Key=key, **options.object_args(), **args)["UploadId"]
    with _earlier_attempts_aborted(client, bucket, key, options.job_key, upload_id):
        return _upload_parts(client, bucket, key, upload_id, parts_source, options, hooks, config, expected_sha256)


@contextmanager
def _earlier_attempts_aborted(
    client: S3Client, bucket: str, key: str, job_key: str | None, upload_id: str
) -> Iterator[None]:
    """Look for this job's earlier uploads of the key beside the parts, not before them (it
    costs round trips), and be done with it before the upload ends, whatever its outcome."""
    if job_key is None:
        yield
        return
    check = threading.Thread(
        target=abort_own_uploads,
        args=(client,),
        kwargs={"bucket": bucket, "key": key, "job_key": job_key, "keep": upload_id},
        name="s3-earlier-attempts",
        daemon=True,
    )
    check.start()
    try:
        yield
    finally:
        check.join()


def _upload_parts(
    client: S3Client,
    bucket: str,
    key: str,
    upload_id: str,
    parts_source: PartSource,
    options: UploadOptions,
    hooks: UploadHooks,
    config: MultipartConfig,
    expected_sha256: str | None,
) -> PutResult:
    """Parts, the source's check and the completion of a created upload; aborted on any failure."""
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
        response = _complete(client, bucket, key, upload_id, parts, options, config)
    except ConnectorError as exc:
        abort_upload(client, bucket, key, upload_id)
        if pending is None:
            raise
        return earlier_write_or_raise(client, bucket, key, options, config.checksum, pending, exc)
    except BaseException:
        abort_upload(client, bucket, key, upload_id)
        raise
    return replace(pending, version_id=response.get("VersionId"), etag=unquote_etag(response.get("ETag")))


def _send_parts(
    client: S3Client,
    bucket: str,
    key: str,
    upload_id: str,
    source: PartSource,
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
        chunk = source.next_part()
        while chunk:
            if number > LAST_PART_NUMBER:
                raise OBJECT_TOO_LARGE.error(
                    f"The object exceeds {MAX_PARTS} parts of {source.part_size} bytes (S3's limit); nothing "
                    "was written. Raise S3_CONNECTOR_MULTIPART_PART_SIZE_BYTES, or state the document's size"
                )
            sender.send(number, chunk)
            number += 1
            # A short part is the end of the stream: no buffer for a read that must come back empty.
            ended = len(chunk) < source.part_size
            chunk = b""  # drop our reference: the slot bounds what is held, not this frame
            if ended:
                break
            sender.reserve()
            chunk = source.next_part()
        parts = sender.results()
        if options.job_key is not None:
            parts = [part for part in parts if part.number != MARKER_PART_NUMBER]
    return parts


def abort_upload(client: S3Client, bucket: str, key: str, upload_id: str) -> None:
    """Abort a multipart upload (or copy) that failed; a failure to abort is logged, not raised."""
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


def _complete(
    client: S3Client,
    bucket: str,
    key: str,
    upload_id: str,
    parts: list[SentPart],
    options: UploadOptions,
    config: MultipartConfig,
) -> dict[str, Any]:
    entries = [part.complete_entry(config.checksum) for part in parts]
    with s3_errors("CompleteMultipartUpload", bucket, key):
        response = client.complete_multipart_upload(
            Bucket=bucket,
            Key=key,
            UploadId=upload_id,
            MultipartUpload={"Parts": entries},  # type: ignore[typeddict-item]
            **options.commit_args(),
        )
    return dict(response)
