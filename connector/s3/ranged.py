"""Downloads of large objects as parallel ranged GETs, reassembled in order.

One streamed GET is limited by one connection; s3transfer gets its speed from ranged GETs in
flight. ``open_ranged`` learns the object's size, ETag and checksum with one HeadObject, then
``RangedReader`` keeps up to ``concurrency`` ranges of ``part_size`` in flight on its own
threads and hands the bytes out in order through a blocking ``read(n)``:

    memory ≈ concurrency x part size (ranges fetched or being consumed)

Every range is pinned with ``IfMatch`` on the ETag (and the version id when one was asked for),
so an overwrite during the download cannot mix two versions: S3 answers 412, raised as
``OBJECT_CHANGED``. When S3 stores a full-object checksum (SHA-256; not a multipart object's
composite one), the bytes are hashed in order and compared at the end (``CHECKSUM_MISMATCH``):
the last ``read`` raises instead of returning the end, so the consumer never sees a complete,
wrong download.
"""

from __future__ import annotations

import base64
import collections
import hashlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import IncompleteReadError

from connector.error_codes import CHECKSUM_MISMATCH, OBJECT_CHANGED
from connector.errors import ConnectorError
from connector.s3.errors import s3_errors
from connector.s3.transfer import unquote_etag

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["ObjectInfo", "RangedReader", "VerifyingRead", "head_for_download"]


@dataclass(frozen=True)
class ObjectInfo:
    """What HeadObject said: ``full_sha256`` is S3's full-object SHA-256 (base64), if any."""

    size: int
    etag: str | None
    version_id: str | None
    content_type: str | None
    full_sha256: str | None


def head_for_download(client: S3Client, *, bucket: str, key: str, version_id: str | None) -> ObjectInfo:
    """HeadObject with ``ChecksumMode=ENABLED``.

    Raises:
        ConnectorError: any S3 failure (mapped).
    """
    args: dict[str, Any] = {"Bucket": bucket, "Key": key, "ChecksumMode": "ENABLED"}
    if version_id:
        args["VersionId"] = version_id
    with s3_errors("HeadObject", bucket, key):
        head = client.head_object(**args)
    etag = unquote_etag(head.get("ETag"))
    return ObjectInfo(
        size=int(head.get("ContentLength", 0)),
        etag=etag,
        version_id=head.get("VersionId"),
        content_type=head.get("ContentType"),
        full_sha256=_full_object_sha256(head, etag),
    )


def _full_object_sha256(head: Any, etag: str | None) -> str | None:
    value = head.get("ChecksumSHA256")
    if not value:
        return None
    kind = head.get("ChecksumType")
    if kind is not None:
        return str(value) if kind == "FULL_OBJECT" else None
    # Stores that do not say which kind: a multipart object's value is composite, never the bytes'.
    if "-" in value or (etag and "-" in etag):
        return None
    return str(value)


class VerifyingRead:
    """Hashes what ``read`` returns, in order; at the end compares with ``expected`` (base64).

    ``digest_b64`` is the SHA-256 of everything read once the end was reached.
    """

    def __init__(self, read: Callable[[int], bytes], expected: str | None, where: str) -> None:
        self._read, self._expected, self._where = read, expected, where
        self._hash = hashlib.sha256()
        self.digest_b64: str | None = None

    def read(self, size: int) -> bytes:
        chunk = self._read(size)
        if chunk:
            self._hash.update(chunk)
            return chunk
        if self.digest_b64 is None:
            self.digest_b64 = base64.b64encode(self._hash.digest()).decode("ascii")
        if self._expected is not None and self.digest_b64 != self._expected:
            raise CHECKSUM_MISMATCH.error(
                f"The bytes downloaded from {self._where} do not match the SHA-256 S3 stores for it "
                f"({self._expected}); the download was not kept"
            )
        return chunk


class RangedReader:
    """A blocking ``read(n)`` over parallel ranged GETs of one object version, in order.

    Call ``close`` (also on failure): it cancels ranges not yet started and waits for those
    in flight, so no thread outlives the transfer.
    """

    def __init__(
        self,
        client: S3Client,
        *,
        bucket: str,
        key: str,
        info: ObjectInfo,
        part_size: int,
        concurrency: int,
        on_bytes: Callable[[int], None] | None = None,
    ) -> None:
        if part_size < 1 or concurrency < 1:
            raise ValueError("part_size and concurrency must be at least 1")
        self._client, self._bucket, self._key, self._info = client, bucket, key, info
        self._part_size, self._on_bytes = part_size, on_bytes
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="s3-range")
        self._window: collections.deque[Future[bytes]] = collections.deque()
        self._next_offset = 0
        self._current = memoryview(b"")
        for _ in range(concurrency):
            self._submit_next()

    def _submit_next(self) -> None:
        if self._next_offset >= self._info.size:
            return
        start = self._next_offset
        end = min(start + self._part_size, self._info.size) - 1
        self._next_offset = end + 1
        self._window.append(self._pool.submit(self._fetch, start, end))

    def _fetch(self, start: int, end: int) -> bytes:
        args: dict[str, Any] = {"Bucket": self._bucket, "Key": self._key, "Range": f"bytes={start}-{end}"}
        if self._info.etag:
            args["IfMatch"] = f'"{self._info.etag}"'
        if self._info.version_id:
            args["VersionId"] = self._info.version_id
        try:
            with s3_errors("GetObject", self._bucket, self._key):
                response = self._client.get_object(**args)
                body = response["Body"]
                try:
                    data = body.read()
                finally:
                    body.close()
                if len(data) != end - start + 1:
                    raise IncompleteReadError(actual_bytes=len(data), expected_bytes=end - start + 1)
        except ConnectorError as exc:
            if exc.code == "PreconditionFailed":
                raise OBJECT_CHANGED.error(
                    f"Object in bucket '{self._bucket}', key '{self._key}' changed during the download "
                    f"(its ETag is no longer {self._info.etag}); nothing was kept, a retry downloads the new one",
                    variables={"bucket": self._bucket, "key": self._key, "eTag": self._info.etag},
                ) from exc
            raise
        if self._on_bytes:
            self._on_bytes(len(data))
        return bytes(data)

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes in order; b"" at the end. Raises what a range raised."""
        if not self._current:
            if not self._window:
                return b""
            # The part in hand plus those in flight stay within the concurrency.
            self._current = memoryview(self._window.popleft().result())
        chunk = bytes(self._current[:size])
        self._current = self._current[size:]
        if not self._current:
            self._current = memoryview(b"")
            self._submit_next()
        return chunk

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._window.clear()
        self._current = memoryview(b"")
