"""Download: an S3 object as typed content (text, JSON, base64) or as a new Camunda document.

Content is capped (``inline_content_max_bytes``); a document is streamed from S3 into the
store's streamed POST as parallel ranged GETs, reassembled in order: ``concurrency x part
size`` in memory whatever the size. The response is the public
contract: ``{bucket, key, element, contentType, size, eTag, versionId, checksumSHA256}``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connector.actions.content_modes import typed_content
from connector.actions.inputs import DownloadAction, DownloadJob
from connector.actions.services import Connected, S3Services
from connector.documents.bridges import SyncToAsyncChunks
from connector.documents.references import CamundaDocument
from connector.documents.sources import document_store_missing
from connector.documents.store import DocumentStore
from connector.documents.streams import CHUNK_BYTES
from connector.runtime.pipeline import HandlerContext
from connector.s3.ranged import RangedReader, VerifyingRead, head_for_download
from connector.s3.transfer import get_object, open_object

__all__ = ["download"]


async def download(job: DownloadJob, services: S3Services, ctx: HandlerContext) -> dict[str, Any]:
    """Download the job's object and return the download response.

    Raises:
        ConnectorError: ``DOCUMENT_STORE_NOT_CONFIGURED`` for document mode without a store,
            ``CONTENT_TOO_LARGE`` over the inline cap, S3 and store failures (mapped).
    """
    action, fmt = job.action, job.format
    store = services.store
    if fmt.mode == "DOCUMENT" and store is None:
        raise document_store_missing("Downloading as a document (documentReturnFormat DOCUMENT or asFile=true)")
    connected = await services.connect(job, action.bucket, ctx)
    if fmt.mode == "DOCUMENT":
        assert store is not None
        return await _as_document(connected, services, store, action, ctx)
    result = await ctx.executor.run(
        get_object,
        connected.client,
        bucket=action.bucket,
        key=action.key,
        max_bytes=services.policy.inline_content_max_bytes,
        version_id=action.versionId,
        byte_range=action.range,
    )
    ctx.observer.on_bytes("download", len(result.body))
    content, content_type = typed_content(result.body, result.content_type, fmt, action.bucket, action.key)
    response = _response(action, {"content": content}, content_type, result.size, result.etag, result.version_id)
    # Small by the inline cap: hashing it costs little and tells the process what it got.
    response["checksumSHA256"] = base64.b64encode(hashlib.sha256(result.body).digest()).decode("ascii")
    return response


async def _as_document(
    connected: Connected, services: S3Services, store: DocumentStore, action: DownloadAction, ctx: HandlerContext
) -> dict[str, Any]:
    """S3 object -> Camunda document, streamed; with a link to it when one was asked for.

    A whole object goes as parallel ranged GETs pinned to its ETag and is checked against
    S3's full-object checksum (``connector.s3.ranged``); a byte range asked for is one GET.
    """
    opened = await (
        _open_whole(connected, services, action, ctx) if action.range is None else _open_range(connected, action, ctx)
    )
    counted = _CountingRead(opened.read, lambda n: ctx.observer.on_bytes("download", n))
    try:
        async with SyncToAsyncChunks(counted.read, ctx.executor.run, chunk_size=CHUNK_BYTES) as chunks:
            reference = await store.create(
                chunks,
                size=opened.length,
                content_type=opened.content_type,
                # As Camunda's runtime does: the document is named after the key.
                file_name=action.key,
                time_to_live_ms=action.documentTimeToLive,
                custom_properties=action.documentCustomProperties,
            )
    finally:
        await ctx.executor.run(opened.close)
    response = _response(
        action, {"document": reference}, opened.content_type, counted.total, opened.etag, opened.version_id
    )
    response["checksumSHA256"] = opened.verifying.digest_b64 if opened.verifying is not None else None
    if action.documentLinkTimeToLive is not None:
        created = CamundaDocument.model_validate(reference)
        response["documentLink"] = await store.create_link(created, action.documentLinkTimeToLive)
    return response


@dataclass(frozen=True)
class _Opened:
    """An object opened for streaming into the document store."""

    read: Callable[[int], bytes]
    close: Callable[[], None]
    content_type: str | None
    length: int | None
    etag: str | None
    version_id: str | None
    verifying: VerifyingRead | None = None


async def _open_whole(
    connected: Connected, services: S3Services, action: DownloadAction, ctx: HandlerContext
) -> _Opened:
    info = await ctx.executor.run(
        head_for_download, connected.client, bucket=action.bucket, key=action.key, version_id=action.versionId
    )
    ranged = RangedReader(
        connected.client,
        bucket=action.bucket,
        key=action.key,
        info=info,
        part_size=services.multipart.part_size_bytes,
        concurrency=services.multipart.concurrency,
    )
    verifying = VerifyingRead(ranged.read, info.full_sha256, f"bucket '{action.bucket}', key '{action.key}'")
    return _Opened(verifying.read, ranged.close, info.content_type, info.size, info.etag, info.version_id, verifying)


async def _open_range(connected: Connected, action: DownloadAction, ctx: HandlerContext) -> _Opened:
    stream = await ctx.executor.run(
        open_object,
        connected.client,
        bucket=action.bucket,
        key=action.key,
        version_id=action.versionId,
        byte_range=action.range,
    )
    return _Opened(
        stream.read, stream.close, stream.content_type, stream.content_length, stream.etag, stream.version_id
    )


class _CountingRead:
    def __init__(self, read: Callable[[int], bytes], on_bytes: Callable[[int], None]) -> None:
        self._read = read
        self._on_bytes = on_bytes
        self.total = 0

    def read(self, size: int) -> bytes:
        chunk = self._read(size)
        self.total += len(chunk)
        self._on_bytes(len(chunk))
        return chunk


def _response(
    action: DownloadAction,
    element: dict[str, Any],
    content_type: str | None,
    size: int,
    etag: str | None,
    version_id: str | None,
) -> dict[str, Any]:
    return {
        "bucket": action.bucket,
        "key": action.key,
        "element": element,
        "contentType": content_type,
        "size": size,
        "eTag": etag,
        "versionId": version_id,
    }
