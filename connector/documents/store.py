"""Client of Camunda's REST document store (Orchestration Cluster API ``/v2/documents``).

Reads stream (``open``), creates stream (``create``: a multipart body built chunk by chunk),
links are created with ``create_link``. Failures are ``ConnectorError``s::

    DOCUMENT_NOT_FOUND           404                                        retryable=False
    DOCUMENT_STORE_UNAUTHORIZED  401/403, or the token endpoint refused us  retryable=False
    DOCUMENT_STORE_UNAVAILABLE   5xx, 429, connection errors, timeouts      retryable=True
    DOCUMENT_READ_FAILED / DOCUMENT_CREATE_FAILED / DOCUMENT_LINK_FAILED   other 4xx, retryable=False
    DOCUMENT_SIZE_MISMATCH       the bytes streamed differ from the size announced, retryable=False

Requests are retried (``max_attempts``, exponential backoff) on 5xx and connection errors
while nothing has been streamed; an upload whose body has started cannot be replayed, so its
failure goes to the job's own retries. ProblemDetail ``title``/``detail`` end up in messages;
credentials and tokens never do.

Where the store is and how to authenticate is a ``DocumentStoreConfig``, built from the
worker's settings (``connector.settings.documents`` names the variables).
"""

from __future__ import annotations

import base64
import ssl
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from connector.clock import SYSTEM_CLOCK, Clock
from connector.documents.multipart import MultipartBody
from connector.documents.references import CamundaDocument, DocumentMetadata
from connector.documents.store_auth import (
    DocumentStoreConfig,
    TokenSource,
    unavailable,
)
from connector.documents.store_http import describe, error_of, read_json
from connector.documents.streams import DocumentStream, ResponseStream, response_length
from connector.error_codes import (
    DOCUMENT_CREATE_FAILED,
    DOCUMENT_LINK_FAILED,
    DOCUMENT_READ_FAILED,
)
from connector.redaction import Redactor
from connector.retrying import Backoff, retry_async

__all__ = ["DocumentStore", "DocumentStoreConfig", "DocumentStream"]


_BACKOFF = Backoff(initial_ms=200, max_ms=2000)


class _Transient(Exception):
    """An attempt worth repeating: a 5xx/429 answer, or (``error``) no answer at all."""

    def __init__(self, error: httpx.TransportError | None) -> None:
        super().__init__()
        self.error = error


class DocumentStore:
    """Reads, creates and links documents in Camunda's document store.

    Args:
        config: where and how to connect.
        transport: an httpx transport, for tests; by default a real HTTP connection pool.
        clock: time for token expiry and the backoff's waits, for tests.
    """

    def __init__(
        self,
        config: DocumentStoreConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._config = config
        self._clock = clock
        self._tokens = TokenSource(config, clock.monotonic) if config.auth == "oauth" else None
        verify: ssl.SSLContext | bool = True
        if config.ca_certificate_path:
            verify = ssl.create_default_context(cafile=config.ca_certificate_path)
        self._client = httpx.AsyncClient(
            transport=transport,
            verify=verify,
            timeout=httpx.Timeout(config.read_timeout_s, connect=config.connect_timeout_s),
            # Identity encoding: Content-Length then counts the bytes we actually stream.
            headers={"Accept-Encoding": "identity"},
        )
        # The store might echo what it was sent; our credentials must not reach a job's incident.
        self._redact = Redactor(frozenset(s for s in (config.password, config.client_secret) if s))

    @property
    def documents_url(self) -> str:
        """Where documents live, for the startup log line."""
        return self._config.documents_url

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()

    async def __aenter__(self) -> DocumentStore:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @asynccontextmanager
    async def open(self, ref: CamundaDocument) -> AsyncIterator[DocumentStream]:
        """Open a document for streaming: ``GET /v2/documents/{id}?storeId&contentHash``.

        Content type and file name come from the reference's metadata (as in Camunda), else
        from the response; the length from the response, else the metadata's size.

        Raises:
            ConnectorError: ``DOCUMENT_NOT_FOUND``, ``DOCUMENT_STORE_UNAUTHORIZED``,
                ``DOCUMENT_STORE_UNAVAILABLE`` (also while streaming), ``DOCUMENT_READ_FAILED``.
        """
        what = f"Reading document {ref.document_id!r} from the Camunda document store"
        url, params = self._document_url(ref), _params(storeId=ref.store_id, contentHash=ref.content_hash)
        response = await self._send(what, lambda headers: self._request("GET", url, params, headers))
        try:
            if response.status_code != 200:
                raise await error_of(response, what, DOCUMENT_READ_FAILED, self._redact)
            length = response_length(response)
            yield ResponseStream(
                response,
                content_type=ref.metadata.content_type or response.headers.get("content-type"),
                content_length=length if length is not None else ref.metadata.size,
                file_name=ref.metadata.file_name,
                on_error=lambda exc: unavailable(what, describe(exc)),
            )
        finally:
            await response.aclose()

    async def create(
        self,
        chunks: AsyncIterator[bytes],
        *,
        size: int | None,
        content_type: str | None,
        file_name: str,
        time_to_live_ms: int | None = None,
        custom_properties: Mapping[str, Any] | None = None,
        store_id: str | None = None,
        process_definition_id: str | None = None,
        process_instance_key: int | str | None = None,
    ) -> dict[str, Any]:
        """Create a document from streamed bytes: ``POST /v2/documents`` (multipart ``file`` + ``metadata``).

        With ``size`` the body has an exact Content-Length, else it is sent chunked. Nothing is
        buffered: the multipart body is generated around ``chunks`` as they arrive.

        Returns:
            The created document reference JSON (``camunda.document.type`` = ``camunda``).

        Raises:
            ConnectorError: ``DOCUMENT_CREATE_FAILED`` (4xx), ``DOCUMENT_STORE_UNAUTHORIZED``,
                ``DOCUMENT_STORE_UNAVAILABLE`` (5xx, connection; retryable),
                ``DOCUMENT_SIZE_MISMATCH``; and whatever ``chunks`` raises.
        """
        expires_at = None
        if time_to_live_ms is not None:
            expires = self._clock.now() + timedelta(milliseconds=time_to_live_ms)
            expires_at = expires.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        metadata = DocumentMetadata(
            content_type=content_type,
            file_name=file_name,
            size=size,
            expires_at=expires_at,
            process_definition_id=process_definition_id,
            process_instance_key=process_instance_key,
            custom_properties=dict(custom_properties or {}),
        )
        body = MultipartBody(chunks, size, content_type, file_name, metadata.to_json())
        what = f"Creating document {file_name!r} in the Camunda document store"
        url, params = self._config.documents_url, _params(storeId=store_id)

        def build(headers: dict[str, str]) -> httpx.Request:
            return self._request("POST", url, params, {**headers, **body.headers}, content=body.stream())

        response = await self._send(what, build, replayable=lambda: not body.started)
        reference = await read_json(response, what, DOCUMENT_CREATE_FAILED, self._redact, expect=(200, 201))
        try:
            CamundaDocument.model_validate(reference)
        except ValidationError:
            raise unavailable(what, "the response is not a document reference") from None
        return reference

    async def create_link(self, ref: CamundaDocument, time_to_live_ms: int | None) -> dict[str, Any]:
        """Create a link: ``POST /v2/documents/{id}/links`` with ``{"timeToLive": ms}``.

        Returns:
            ``{"url": ..., "expiresAt": ...}`` as the store answered.

        Raises:
            ConnectorError: as ``open``, with ``DOCUMENT_LINK_FAILED`` for other 4xx.
        """
        what = f"Creating a link to document {ref.document_id!r} in the Camunda document store"
        url = f"{self._document_url(ref)}/links"
        params = _params(storeId=ref.store_id, contentHash=ref.content_hash)
        payload = {} if time_to_live_ms is None else {"timeToLive": time_to_live_ms}
        response = await self._send(what, lambda headers: self._request("POST", url, params, headers, json=payload))
        return await read_json(response, what, DOCUMENT_LINK_FAILED, self._redact, expect=(200, 201))

    def _document_url(self, ref: CamundaDocument) -> str:
        return f"{self._config.documents_url}/{quote(ref.document_id, safe='')}"

    def _request(
        self, method: str, url: str, params: dict[str, str], headers: dict[str, str], **kwargs: Any
    ) -> httpx.Request:
        return self._client.build_request(method, url, params=params, headers=headers, **kwargs)

    async def _auth_headers(self, stale: str | None) -> tuple[dict[str, str], str | None]:
        config = self._config
        if self._tokens is not None:
            token = await self._tokens.get(self._client, stale=stale)
            return {"Authorization": f"Bearer {token}"}, token
        if config.auth == "basic":
            pair = f"{config.username}:{config.password or ''}".encode()
            return {"Authorization": f"Basic {base64.b64encode(pair).decode('ascii')}"}, None
        return {}, None

    async def _send(
        self,
        what: str,
        build: Callable[[dict[str, str]], httpx.Request],
        *,
        replayable: Callable[[], bool] = lambda: True,
    ) -> httpx.Response:
        """Send with auth, retrying 5xx/429/connection errors while the request is replayable.

        Returns the streamed response (any status; the caller maps errors and closes it).

        Raises:
            ConnectorError: ``DOCUMENT_STORE_UNAVAILABLE`` when the last attempt could not connect.
        """
        pending: list[httpx.Response] = []

        async def attempt(_: int) -> httpx.Response:
            while pending:  # a transient answer of the previous attempt is not needed any more
                await pending.pop().aclose()
            try:
                response = await self._authorized(build, replayable)
            except httpx.TransportError as exc:
                raise _Transient(exc) from None
            if response.status_code >= 500 or response.status_code == 429:
                pending.append(response)
                raise _Transient(None)
            return response

        def may_retry(number: int, delay_s: float) -> bool:
            return number < self._config.max_attempts and replayable()

        try:
            return await retry_async(
                attempt, retry_on=_Transient, may_retry=may_retry, backoff=_BACKOFF, clock=self._clock
            )
        except _Transient as exc:
            if pending:
                return pending.pop()  # the caller maps the status (DOCUMENT_STORE_UNAVAILABLE)
            raise unavailable(what, self._redact(describe(exc.error or exc))) from None

    async def _authorized(
        self, build: Callable[[dict[str, str]], httpx.Request], replayable: Callable[[], bool]
    ) -> httpx.Response:
        """One send with credentials; with OAuth, a 401 fetches a new token and sends once more
        (the token may have been revoked before it expired)."""
        headers, token = await self._auth_headers(stale=None)
        response = await self._client.send(build(headers), stream=True)
        if response.status_code != 401 or self._tokens is None or not replayable():
            return response
        await response.aclose()
        headers, _ = await self._auth_headers(stale=token)
        return await self._client.send(build(headers), stream=True)


def _params(**values: str | None) -> dict[str, str]:
    return {key: value for key, value in values.items() if value is not None}
