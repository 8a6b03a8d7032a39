"""What an upload sends: a blocking reader plus what is known about the bytes (file name,
content type, expected size and hash), whatever kind of document the job gave.

- inline references and plain string/JSON values: bytes in hand;
- Camunda document store references: streamed from ``GET /v2/documents/{id}``;
- external URLs: streamed through the SSRF-safe fetcher.

Streams reach the blocking uploader's thread through a bounded bridge, so an upload holds a
few chunks in memory here, whatever the document's size.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import io
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from connector.documents.bridges import AsyncToSyncReader
from connector.documents.external import ExternalFetcher
from connector.documents.references import CamundaDocument, ExternalDocument, InlineDocument, PlainValue
from connector.documents.store import DocumentStore
from connector.documents.streams import CHUNK_BYTES, DocumentStream
from connector.error_codes import DOCUMENT_HASH_MISMATCH, DOCUMENT_STORE_NOT_CONFIGURED, INLINE_UPLOAD_TOO_LARGE
from connector.errors import ConnectorError, invalid

__all__ = ["DocumentSources", "UploadBody", "UploadSource", "document_store_missing", "upload_body"]

_SHA256_HEX = frozenset("0123456789abcdef")
SourceDocument = CamundaDocument | InlineDocument | ExternalDocument | PlainValue


@dataclass(frozen=True)
class UploadBody:
    """Bytes in hand, with what the document says about them."""

    data: bytes
    file_name: str | None
    content_type: str | None
    # Used when neither the document nor the key's extension names a type.
    fallback_content_type: str | None = None


@dataclass(frozen=True)
class UploadSource:
    """A blocking ``read(n)`` (call it from a worker thread) and what is known of the bytes."""

    read: Callable[[int], bytes]
    file_name: str | None
    content_type: str | None
    fallback_content_type: str | None = None
    size_hint: int | None = None
    before_commit: Callable[[], None] | None = None
    # The SHA-256 (hex) the document store states for the bytes, when it states one.
    sha256: str | None = None
    # The same stream's ``readinto(view)``: lets the uploader read a part into its own buffer.
    readinto: Callable[[memoryview], int] | None = None


def upload_body(
    document: InlineDocument | PlainValue, field: str = "action.document", *, base64_encoded: bool = False
) -> UploadBody:
    """The bytes of an inline document or a plain string/JSON value.

    Args:
        base64_encoded: the content is base64 text to decode (binary content inline).

    Raises:
        InputError: ``INVALID_INPUT`` when ``base64_encoded`` and the content is not base64.
    """
    body = _plain_body(document)
    if not base64_encoded:
        return body
    try:
        data = base64.b64decode(body.data, validate=True)
    except binascii.Error:
        raise invalid(field, "contentEncoding is base64 but the content is not valid base64") from None
    # Decoded bytes are binary until the name or the bytes say otherwise.
    return UploadBody(data, body.file_name, body.content_type, None)


def _plain_body(document: InlineDocument | PlainValue) -> UploadBody:
    if isinstance(document, InlineDocument):
        return UploadBody(document.content.encode("utf-8"), document.name or None, document.content_type or None)
    value = document.root
    if isinstance(value, str):
        return UploadBody(value.encode("utf-8"), None, None, "text/plain; charset=utf-8")
    # Camunda captures a non-string inline value as compact JSON text.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return UploadBody(text.encode("utf-8"), None, None, "application/json")


def document_store_missing(what: str) -> ConnectorError:
    """The error for a job that needs the document store on a worker configured without one."""
    return DOCUMENT_STORE_NOT_CONFIGURED.error(
        f"{what} needs the Camunda document store, but CAMUNDA_REST_ADDRESS is not set for this worker"
    )


class _HashingReader:
    """Counts and hashes what the uploader reads, to check the store's ``contentHash`` at the end."""

    def __init__(
        self,
        read: Callable[[int], bytes],
        readinto: Callable[[memoryview], int],
        expected_sha256: str | None,
        where: str,
    ) -> None:
        self._read = read
        self._readinto = readinto
        self._hash = hashlib.sha256()
        self._expected = expected_sha256
        self._where = where

    def read(self, size: int) -> bytes:
        chunk = self._read(size)
        if self._expected:
            self._hash.update(chunk)
        return chunk

    def readinto(self, view: memoryview) -> int:
        count = self._readinto(view)
        if self._expected and count:
            with view[:count] as filled:
                self._hash.update(filled)
        return count

    def verify(self) -> None:
        if self._expected and self._hash.hexdigest() != self._expected:
            raise DOCUMENT_HASH_MISMATCH.error(
                f"The content of {self._where} does not match its contentHash; nothing was written"
            )


def sha256_hex(content_hash: str | None) -> str | None:
    """Camunda's stores hash content with SHA-256 (hex); anything else is not checked."""
    if content_hash and len(content_hash) == 64 and set(content_hash.lower()) <= _SHA256_HEX:
        return content_hash.lower()
    return None


class DocumentSources:
    """Opens the ``document`` of an upload, whatever kind it is.

    Args:
        store: the Camunda document store, or None when the worker has none.
        fetcher: reaches external URLs under the operator's address policy.
        verify_hash: check a store document's SHA-256 ``contentHash`` before the commit.
        inline_max_bytes: the largest inline content accepted.
    """

    def __init__(
        self,
        *,
        store: DocumentStore | None,
        fetcher: ExternalFetcher,
        verify_hash: bool = True,
        inline_max_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        self._store = store
        self._fetcher = fetcher
        self._verify_hash = verify_hash
        self._inline_max_bytes = inline_max_bytes

    @asynccontextmanager
    async def open(
        self, document: SourceDocument, field: str = "action.document", *, base64_encoded: bool = False
    ) -> AsyncIterator[UploadSource]:
        """Yield an ``UploadSource`` whose ``read`` may be called from a worker thread.

        Raises:
            InputError: invalid base64, inline content over the cap, a refused URL.
            ConnectorError: store not configured, document not found, store or URL unavailable.
        """
        if isinstance(document, CamundaDocument):
            async with self._open_camunda(document) as source:
                yield source
        elif isinstance(document, ExternalDocument):
            async with (
                self._fetcher.open(document.url, name=document.name) as stream,
                _bridged(stream, None, None, "the external document") as source,
            ):
                yield source
        else:
            yield self._inline(upload_body(document, field, base64_encoded=base64_encoded), field)

    def _inline(self, body: UploadBody, field: str) -> UploadSource:
        if len(body.data) > self._inline_max_bytes:
            raise INLINE_UPLOAD_TOO_LARGE.error(
                f"Invalid input:\n- {field}: inline content is {len(body.data)} bytes, over the limit of "
                f"{self._inline_max_bytes} (S3_CONNECTOR_INLINE_UPLOAD_MAX_BYTES); pass large files as documents"
            )
        reader = io.BytesIO(body.data)
        return UploadSource(
            reader.read,
            body.file_name,
            body.content_type,
            body.fallback_content_type,
            len(body.data),
            readinto=reader.readinto,
        )

    @asynccontextmanager
    async def _open_camunda(self, document: CamundaDocument) -> AsyncIterator[UploadSource]:
        if self._store is None:
            raise document_store_missing("Uploading a Camunda document")
        expected = sha256_hex(document.content_hash) if self._verify_hash else None
        where = f"document '{document.document_id}'"
        async with (
            self._store.open(document) as stream,
            _bridged(stream, expected, document.metadata.size, where) as source,
        ):
            yield source


@asynccontextmanager
async def _bridged(
    stream: DocumentStream, expected_sha256: str | None, declared_size: int | None, where: str
) -> AsyncIterator[UploadSource]:
    reader = AsyncToSyncReader(stream.aiter_bytes(CHUNK_BYTES), asyncio.get_running_loop())
    hashing = _HashingReader(reader.read, reader.readinto, expected_sha256, where)
    try:
        # The size only sizes parts; what is uploaded is what arrives.
        yield UploadSource(
            hashing.read,
            stream.file_name,
            stream.content_type,
            None,
            stream.content_length or declared_size,
            hashing.verify,
            expected_sha256,
            hashing.readinto,
        )
    finally:
        reader.close()
