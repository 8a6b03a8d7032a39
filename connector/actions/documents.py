"""What an upload sends, from the ``document`` input: a blocking reader plus what is known
about the bytes (file name, content type, expected size and hash).

- inline references and plain string/JSON values: bytes in hand;
- Camunda document store references: streamed from ``GET /v2/documents/{id}``;
- external URLs: streamed through the SSRF-safe fetcher.

Streams reach boto3's thread through a bounded bridge, so an upload holds a few chunks and
one part in memory, whatever the document's size.
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
from typing import Any

from connector.documents.external import ExternalFetcher
from connector.documents.references import (
    CamundaDocumentRef,
    ExternalDocumentRef,
    InlineDocumentRef,
    is_document_ref,
    parse_document_ref,
)
from connector.documents.store import DocumentStore
from connector.documents.streams import AsyncToSyncReader, DocumentStream
from connector.errors import ConnectorError, InputError

__all__ = ["DocumentSources", "UploadBody", "UploadSource", "document_store_missing", "upload_body"]

_CHUNK_BYTES = 1024 * 1024
_SHA256_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class UploadBody:
    data: bytes
    file_name: str | None
    content_type: str | None
    # Used when neither the document nor the key's extension names a type.
    fallback_content_type: str | None = None


@dataclass(frozen=True)
class UploadSource:
    read: Callable[[int], bytes]
    file_name: str | None
    content_type: str | None
    fallback_content_type: str | None = None
    size_hint: int | None = None
    before_commit: Callable[[], None] | None = None


def _text_of(value: Any) -> str:
    # Camunda captures a non-string inline value as compact JSON text.
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def upload_body(document: Any, field: str = "action.document", *, base64_encoded: bool = False) -> UploadBody:
    """The bytes of an inline document or a plain string/JSON value.

    Args:
        base64_encoded: the content is base64 text to decode (binary content inline).

    Raises:
        InputError: null, a list of several documents, a malformed reference, a reference
            that is not inline (those stream through ``DocumentSources``), or invalid base64.
    """
    body = _plain_body(document, field)
    if not base64_encoded:
        return body
    try:
        data = base64.b64decode(body.data, validate=True)
    except binascii.Error:
        raise InputError(
            f"Invalid input:\n- {field}: contentEncoding is base64 but the content is not valid base64",
            code="INVALID_INPUT",
        ) from None
    # Decoded bytes are binary until the name or the bytes say otherwise.
    return UploadBody(data, body.file_name, body.content_type, None)


def _plain_body(document: Any, field: str) -> UploadBody:
    if isinstance(document, list) and len(document) != 1:
        raise InputError(
            f"Invalid input:\n- {field}: a list must hold exactly one document, got {len(document)}",
            code="INVALID_INPUT",
        )
    if isinstance(document, list):
        document = document[0]
    if document is None:
        raise InputError(f"Invalid input:\n- {field}: must not be null", code="INVALID_INPUT")
    if is_document_ref(document):
        ref = parse_document_ref(document, field)
        if not isinstance(ref, InlineDocumentRef):
            raise InputError(f"{field}: expected an inline document", code="INVALID_DOCUMENT")
        return UploadBody(ref.content.encode("utf-8"), ref.name or None, ref.content_type or None)
    if isinstance(document, str):
        return UploadBody(document.encode("utf-8"), None, None, "text/plain; charset=utf-8")
    return UploadBody(_text_of(document).encode("utf-8"), None, None, "application/json")


def document_store_missing(what: str) -> ConnectorError:
    return ConnectorError(
        f"{what} needs the Camunda document store, but CAMUNDA_REST_ADDRESS is not set for this worker",
        code="DOCUMENT_STORE_NOT_CONFIGURED",
        retryable=False,
    )


class _HashingReader:
    """Counts and hashes what boto3 reads, to check the store's ``contentHash`` at the end."""

    def __init__(self, read: Callable[[int], bytes], expected_sha256: str | None, where: str) -> None:
        self._read = read
        self._hash = hashlib.sha256()
        self._expected = expected_sha256
        self._where = where

    def read(self, size: int) -> bytes:
        chunk = self._read(size)
        self._hash.update(chunk)
        return chunk

    def verify(self) -> None:
        if self._expected and self._hash.hexdigest() != self._expected:
            raise ConnectorError(
                f"The content of {self._where} does not match its contentHash; nothing was written",
                code="DOCUMENT_HASH_MISMATCH",
                retryable=True,
            )


def _sha256_hex(content_hash: str | None) -> str | None:
    """Camunda's stores hash content with SHA-256 (hex); anything else is not checked."""
    if content_hash and len(content_hash) == 64 and set(content_hash.lower()) <= _SHA256_HEX:
        return content_hash.lower()
    return None


class DocumentSources:
    """Opens the ``document`` of an upload, whatever kind it is."""

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
        self, document: Any, field: str = "action.document", *, base64_encoded: bool = False
    ) -> AsyncIterator[UploadSource]:
        """Yield an ``UploadSource`` whose ``read`` may be called from a worker thread.

        Raises:
            InputError: malformed or null document, inline content over the cap, refused URL.
            ConnectorError: store not configured, document not found, store or URL unavailable.
        """
        if isinstance(document, list) and len(document) == 1:
            document = document[0]
        ref = parse_document_ref(document, field) if is_document_ref(document) else None
        if isinstance(ref, CamundaDocumentRef):
            async with self._open_camunda(ref) as source:
                yield source
        elif isinstance(ref, ExternalDocumentRef):
            async with (
                self._fetcher.open(ref.url, name=ref.name) as stream,
                _bridged(stream, None, None, "the external document") as source,
            ):
                yield source
        else:
            body = upload_body(document, field, base64_encoded=base64_encoded)
            if len(body.data) > self._inline_max_bytes:
                raise InputError(
                    f"Invalid input:\n- {field}: inline content is {len(body.data)} bytes, over the limit of "
                    f"{self._inline_max_bytes} (S3_CONNECTOR_INLINE_UPLOAD_MAX_BYTES); pass large files as documents",
                    code="CONTENT_TOO_LARGE",
                )
            yield UploadSource(
                io.BytesIO(body.data).read,
                body.file_name,
                body.content_type,
                body.fallback_content_type,
                len(body.data),
            )

    @asynccontextmanager
    async def _open_camunda(self, ref: CamundaDocumentRef) -> AsyncIterator[UploadSource]:
        if self._store is None:
            raise document_store_missing("Uploading a Camunda document")
        expected = _sha256_hex(ref.content_hash) if self._verify_hash else None
        async with self._store.open(ref) as stream:
            metadata = ref.metadata
            named = _NamedStream(stream, metadata.file_name, metadata.content_type)
            async with _bridged(named, expected, metadata.size, f"document '{ref.document_id}'") as source:
                yield source


@dataclass(frozen=True)
class _NamedStream:
    """A stream whose reference metadata wins over what the HTTP response says."""

    stream: DocumentStream
    name: str | None
    declared_type: str | None

    @property
    def file_name(self) -> str | None:
        return self.name or self.stream.file_name

    @property
    def content_type(self) -> str | None:
        return self.declared_type or self.stream.content_type

    @property
    def content_length(self) -> int | None:
        return self.stream.content_length

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.stream.aiter_bytes(chunk_size)


@asynccontextmanager
async def _bridged(
    stream: DocumentStream | _NamedStream, expected_sha256: str | None, declared_size: int | None, where: str
) -> AsyncIterator[UploadSource]:
    reader = AsyncToSyncReader(stream.aiter_bytes(_CHUNK_BYTES), asyncio.get_running_loop())
    hashing = _HashingReader(reader.read, expected_sha256, where)
    try:
        # The size only sizes parts; what is uploaded is what arrives.
        yield UploadSource(
            hashing.read,
            stream.file_name,
            stream.content_type,
            None,
            stream.content_length or declared_size,
            hashing.verify,
        )
    finally:
        reader.close()
