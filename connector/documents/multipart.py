"""A multipart/form-data body for ``POST /v2/documents``, streamed chunk by chunk."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any
from uuid import uuid4

from connector.error_codes import DOCUMENT_SIZE_MISMATCH

__all__ = ["MultipartBody"]


class MultipartBody:
    """A multipart/form-data body streamed around ``chunks``: part ``file``, then ``metadata``."""

    def __init__(
        self,
        chunks: AsyncIterator[bytes],
        size: int | None,
        content_type: str | None,
        file_name: str,
        metadata: Mapping[str, Any],
    ) -> None:
        boundary = f"----s3-connector-{uuid4().hex}"
        self._chunks, self._size, self.started = chunks, size, False
        self._head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{_quote_header(file_name)}"\r\n'
            f"Content-Type: {_quote_header(content_type or 'application/octet-stream')}\r\n\r\n"
        ).encode()
        self._tail = (
            f"\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="metadata"\r\n'
            f"Content-Type: application/json\r\n\r\n{json.dumps(metadata)}\r\n--{boundary}--\r\n"
        ).encode()
        self.headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        if size is not None:
            # An explicit length makes httpx send it instead of Transfer-Encoding: chunked.
            self.headers["Content-Length"] = str(len(self._head) + size + len(self._tail))

    async def stream(self) -> AsyncIterator[bytes]:
        """The body; raises ``DOCUMENT_SIZE_MISMATCH`` when ``chunks`` disagree with ``size``."""
        yield self._head
        self.started = True  # from here on the source is consumed and cannot be replayed
        sent = 0
        async for chunk in self._chunks:
            sent += len(chunk)
            if self._size is not None and sent > self._size:
                break
            yield chunk
        if self._size is not None and sent != self._size:
            raise DOCUMENT_SIZE_MISMATCH.error(
                f"The document to store has {'at least ' if sent > self._size else ''}{sent} bytes, "
                f"but its size was given as {self._size}"
            )
        yield self._tail


def _quote_header(value: str) -> str:
    # As browsers encode multipart names (WHATWG): no quote or line break can end the header.
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
