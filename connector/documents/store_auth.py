"""Where Camunda's document store is and how the worker authenticates to it.

``DocumentStoreConfig.from_env`` reads the names Camunda's SDKs use (listed in
``connector.documents.store``); ``TokenSource`` caches OAuth client-credentials tokens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import httpx

from connector.error_codes import DOCUMENT_STORE_UNAUTHORIZED, DOCUMENT_STORE_UNAVAILABLE
from connector.errors import ConnectorError

__all__ = ["DEFAULT_AUDIENCE", "DEFAULT_OAUTH_URL", "AuthStrategy", "DocumentStoreConfig", "TokenSource", "unavailable"]

AuthStrategy = Literal["none", "basic", "oauth"]
DEFAULT_OAUTH_URL = "https://login.cloud.camunda.io/oauth/token"
DEFAULT_AUDIENCE = "zeebe.camunda.io"
_STRATEGIES: dict[str, AuthStrategy] = {"NONE": "none", "BASIC": "basic", "OAUTH": "oauth"}


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
        if self.auth == "oauth" and not (self.client_id and self.client_secret):
            raise ValueError("OAuth needs CAMUNDA_CLIENT_ID and CAMUNDA_CLIENT_SECRET")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    @property
    def documents_url(self) -> str:
        """``{base}/v2/documents``, without doubling a ``/v2`` the base already ends with."""
        base = self.base_url.rstrip("/")
        return f"{base}/documents" if base.endswith("/v2") else f"{base}/v2/documents"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> DocumentStoreConfig | None:
        """Read the variables listed in the module docstring; None when no REST address is set.

        Raises:
            ValueError: an unknown ``CAMUNDA_AUTH_STRATEGY`` or missing credentials for it.
        """

        def get(*names: str) -> str | None:
            return next((environ[name].strip() for name in names if environ.get(name, "").strip()), None)

        base_url = get("CAMUNDA_REST_ADDRESS", "ZEEBE_REST_ADDRESS")
        if base_url is None:
            return None
        client_id = get("CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID")
        client_secret = get("CAMUNDA_CLIENT_SECRET", "ZEEBE_CLIENT_SECRET")
        username = get("CAMUNDA_BASIC_AUTH_USERNAME")
        strategy = get("CAMUNDA_AUTH_STRATEGY")
        if strategy is None:
            auth: AuthStrategy = "oauth" if client_id and client_secret else "basic" if username else "none"
        elif strategy.upper() in _STRATEGIES:
            auth = _STRATEGIES[strategy.upper()]
        else:
            raise ValueError(f"CAMUNDA_AUTH_STRATEGY must be NONE, BASIC or OAUTH, got {strategy!r}")
        return cls(
            base_url=base_url,
            auth=auth,
            username=username,
            password=environ.get("CAMUNDA_BASIC_AUTH_PASSWORD"),
            client_id=client_id,
            client_secret=client_secret,
            oauth_url=get("CAMUNDA_OAUTH_URL", "ZEEBE_AUTHORIZATION_SERVER_URL") or DEFAULT_OAUTH_URL,
            audience=get("CAMUNDA_TOKEN_AUDIENCE", "ZEEBE_TOKEN_AUDIENCE") or DEFAULT_AUDIENCE,
            scope=get("CAMUNDA_TOKEN_SCOPE"),
            ca_certificate_path=get("CAMUNDA_CA_CERTIFICATE_PATH"),
        )


def unavailable(what: str, detail: str) -> ConnectorError:
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
            response = await client.post(config.oauth_url or DEFAULT_OAUTH_URL, data=form)
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
