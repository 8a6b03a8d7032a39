"""Parts in flight: a multipart upload's parts sent by up to ``concurrency`` threads at once.

One connection is limited by round trips and per-connection throughput; S3 scales with
requests in flight, as s3transfer does. The reader stays sequential (a document is a stream):
the calling thread reads part after part and hands each to the pool, but only after a slot is
free, so at most ``concurrency`` parts are held, the one being read included:

    memory ≈ concurrency x part size (+ botocore's per-request buffers)

The first failure stops the reading; parts already in flight are waited for (an abort racing
a part still being written could leave that part behind), then the failure is raised and the
caller aborts the upload.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from connector.s3.checksums import ChecksumAlgorithm, checksum_b64, request_field
from connector.s3.errors import s3_errors

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["PartSender", "SentPart"]


@dataclass(frozen=True)
class SentPart:
    """A part S3 acknowledged; ``checksum`` is base64, None without an algorithm."""

    number: int
    etag: str
    checksum: str | None
    size: int

    def complete_entry(self, algorithm: ChecksumAlgorithm) -> dict[str, Any]:
        entry: dict[str, Any] = {"ETag": self.etag, "PartNumber": self.number}
        if self.checksum is not None:
            entry[request_field(algorithm)] = self.checksum
        return entry


class PartSender:
    """Sends the parts of one multipart upload, at most ``concurrency`` held or in flight.

    Use as a context manager from the thread that reads: ``send`` blocks until a slot is free
    (call it *before* reading the next part, via ``reserve``), ``results`` waits for all parts.
    """

    def __init__(
        self,
        client: S3Client,
        *,
        bucket: str,
        key: str,
        upload_id: str,
        concurrency: int,
        algorithm: ChecksumAlgorithm,
        on_bytes: Callable[[int], None] | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._client, self._bucket, self._key, self._upload_id = client, bucket, key, upload_id
        self._algorithm = algorithm
        self._on_bytes = on_bytes
        self._slots = threading.Semaphore(concurrency)
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="s3-part")
        self._futures: list[Future[SentPart]] = []
        self._failure: BaseException | None = None

    def __enter__(self) -> PartSender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # Wait for parts in flight even on failure: the abort must come after them.
        self._pool.shutdown(wait=True, cancel_futures=True)

    def reserve(self) -> None:
        """Wait for room for one more part; raise the first part failure instead, if any."""
        self._slots.acquire()
        if self._failure is not None:
            self._slots.release()
            raise self._failure

    def send(self, number: int, body: bytes | bytearray, *, counted: bool = True) -> None:
        """Send part ``number`` (a slot must be reserved unless ``counted`` is False)."""
        # In a holder the part thread empties, so the body is freed before the slot is released
        # (the pool's work item keeps its arguments until after the done callbacks ran).
        future = self._pool.submit(self._upload, number, [body])
        if counted:
            future.add_done_callback(self._done)
        self._futures.append(future)

    def _done(self, future: Future[SentPart]) -> None:
        error = future.exception()
        if error is not None and self._failure is None:
            self._failure = error
        self._slots.release()

    def _upload(self, number: int, holder: list[bytes | bytearray]) -> SentPart:
        body = holder.pop()
        args: dict[str, Any] = {}
        checksum = None
        if self._algorithm != "NONE":
            checksum = checksum_b64(self._algorithm, body)
            args[request_field(self._algorithm)] = checksum
            args["ChecksumAlgorithm"] = self._algorithm
        with s3_errors("UploadPart", self._bucket, self._key):
            # botocore's validator takes a bytearray as a blob (the stubs do not say so); sent
            # as it is, not copied into a BytesIO as bytes would be.
            response = self._client.upload_part(
                Bucket=self._bucket,
                Key=self._key,
                UploadId=self._upload_id,
                PartNumber=number,
                Body=body,  # type: ignore[arg-type]
                **args,
            )
        size = len(body)
        del body
        if self._on_bytes:
            self._on_bytes(size)
        return SentPart(number, response["ETag"], checksum, size)

    def results(self) -> list[SentPart]:
        """Every part, in part-number order, once all are acknowledged; raises the first failure."""
        wait(self._futures)
        if self._failure is not None:
            raise self._failure
        parts = [future.result() for future in self._futures]
        return sorted(parts, key=lambda part: part.number)
