"""Streams of document bytes: what an open document is, and one over a streamed httpx response.

The bridges that carry these bytes to and from blocking code are in ``bridges``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Protocol

import httpx

__all__ = ["CHUNK_BYTES", "DocumentStream", "ResponseStream", "response_length"]

# The size of the chunks documents are read in: small against a part, large against a syscall.
CHUNK_BYTES = 1024 * 1024


class DocumentStream(Protocol):
    """An open document: what is known about it, and its bytes as an async stream."""

    @property
    def content_type(self) -> str | None: ...

    @property
    def content_length(self) -> int | None:
        """The exact number of bytes ``aiter_bytes`` yields, when known in advance."""

    @property
    def file_name(self) -> str | None: ...

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """Yield the content; may raise ``ConnectorError`` when the source fails mid-way."""


class ResponseStream:
    """A ``DocumentStream`` over a streamed httpx response (the caller closes the response).

    Args:
        on_error: maps an httpx error met while streaming to the exception to raise.
        max_bytes: raise ``on_too_large(max_bytes)`` as soon as more bytes than this arrive.
    """

    def __init__(
        self,
        response: httpx.Response,
        *,
        content_type: str | None,
        content_length: int | None,
        file_name: str | None,
        on_error: Callable[[httpx.HTTPError], Exception],
        max_bytes: int | None = None,
        on_too_large: Callable[[int], Exception] | None = None,
    ) -> None:
        self.content_type, self.content_length, self.file_name = content_type, content_length, file_name
        self._response, self._on_error = response, on_error
        self._max_bytes, self._on_too_large = max_bytes, on_too_large

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """Yield the body. Raises what ``on_error`` / ``on_too_large`` return."""
        seen = 0
        try:
            async for chunk in self._response.aiter_bytes(chunk_size):
                seen += len(chunk)
                if self._max_bytes is not None and seen > self._max_bytes:
                    raise (self._on_too_large or OverflowError)(self._max_bytes)
                yield chunk
        except httpx.HTTPError as exc:
            raise self._on_error(exc) from None


def response_length(response: httpx.Response) -> int | None:
    """The body length from Content-Length, unless absent, invalid or of an encoded body."""
    if response.headers.get("content-encoding", "identity").lower() != "identity":
        return None  # httpx decodes the body: the header counts bytes we never see
    try:
        length = int(response.headers.get("content-length", ""))
    except ValueError:
        return None
    return length if length >= 0 else None
