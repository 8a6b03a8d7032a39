"""Where Camunda's document store is and how the worker authenticates to it.

``DocumentStoreConfig`` is built from the worker's settings (``connector.settings.documents``
names the variables); ``TokenSource`` caches OAuth client-credentials tokens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import httpx

from connector.error_codes import DOCUMENT_STORE_UNAUTHORIZED, DOCUMENT_STORE_UNAVAILABLE
from connector.errors import ConnectorError

__all__ = ["AuthStrategy", "DocumentStoreConfig", "TokenSource", "unavailable"]

AuthStrategy = Literal["none", "basic", "oauth"]


@dataclass(frozen=True, kw_only=True)
class DocumentStoreConfig:
    """Where the document store is and how to authenticate; secrets stay out of ``repr``.

    Raises:
        ValueError: an unknown ``auth``, or credentials missing for it (names, never values).
    """

    base_url: str
    auth: AuthStrategy = "none"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    oauth_url: str | None = None
    audience: str | None = None
    scope: str | None = None
    ca_certificate_path: str | None = None
    connect_timeout_s: float = 10
    read_timeout_s: float = 60
    max_attempts: int = 3

    def __post_init__(self) -> None:
        if self.auth not in ("none", "basic", "oauth"):
            raise ValueError(f"document store auth must be none, basic or oauth, got {self.auth!r}")
        if self.auth == "basic" and not (self.username and self.password is not None):
            raise ValueError("basic auth needs CAMUNDA_BASIC_AUTH_USERNAME and CAMUNDA_BASIC_AUTH_PASSWORD")
        if self.auth == "oauth" and not (self.client_id and self.client_secret and self.oauth_url):
            raise ValueError("OAuth needs CAMUNDA_CLIENT_ID, CAMUNDA_CLIENT_SECRET and CAMUNDA_OAUTH_URL")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    @property
    def documents_url(self) -> str:
        """``{base}/v2/documents``, without doubling a ``/v2`` the base already ends with."""
        base = self.base_url.rstrip("/")
        return f"{base}/documents" if base.endswith("/v2") else f"{base}/v2/documents"


def unavailable(what: str, detail: str) -> ConnectorError:
    """The retryable error for a store that did not answer usefully."""
    return DOCUMENT_STORE_UNAVAILABLE.error(f"{what}: {detail}")


class TokenSource:
    """OAuth client-credentials tokens, cached until shortly before they expire."""

    def __init__(self, config: DocumentStoreConfig, clock: Callable[[], float]) -> None:
        self._config = config
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._valid_until = 0.0

    async def get(self, client: httpx.AsyncClient, *, stale: str | None = None) -> str:
        """A valid token; a new one when the cached one expired or equals ``stale`` (refused)."""
        async with self._lock:  # one refresh at a time; waiters then reuse the fresh token
            if self._token is not None and self._token != stale and self._clock() < self._valid_until:
                return self._token
            token, expires_in = await self._fetch(client)
            # Renew a little early so a token never expires on its way to the server.
            self._token, self._valid_until = token, self._clock() + expires_in - min(30.0, expires_in / 10)
            return token

    async def _fetch(self, client: httpx.AsyncClient) -> tuple[str, float]:
        config = self._config
        form = {"grant_type": "client_credentials", "client_id": config.client_id or ""}
        form["client_secret"] = config.client_secret or ""
        form.update({k: v for k, v in (("audience", config.audience), ("scope", config.scope)) if v})
        what = "Fetching an OAuth token for the Camunda document store"
        try:
            response = await client.post(config.oauth_url or "", data=form)
        except httpx.HTTPError as exc:
            raise unavailable(what, f"{type(exc).__name__} {exc}") from None
        if response.status_code >= 500 or response.status_code == 429:
            raise unavailable(what, f"HTTP {response.status_code}")
        try:
            body = response.json() if response.status_code == 200 else {}
            token, expires_in = str(body["access_token"]), float(body.get("expires_in", 300))
        except (ValueError, KeyError, TypeError):
            raise DOCUMENT_STORE_UNAUTHORIZED.error(
                f"{what}: the token endpoint refused the client credentials (HTTP {response.status_code})"
            ) from None
        return token, expires_in
