"""Documents behind external http(s) URLs, fetched so that a URL cannot reach internal hosts.

Every hop (the URL, then each redirect target) goes through the same steps:

1. Only ``http`` and ``https``.
2. The host is resolved once (an injectable resolver) and EVERY address is checked by the
   ``AddressPolicy`` (``address_guard``); a refusal is raised before any connection is made.
3. The connection goes to a checked address, not to the name: the request URL carries the IP,
   the ``Host`` header carries the name, and for https the TLS SNI and certificate check use
   the name (httpx's ``sni_hostname`` request extension). DNS is never asked again for that
   hop, so a name that re-binds between the check and the connection (DNS rebinding) cannot
   bypass the guard, for http and https alike.
4. Redirects are followed by hand, at most ``max_redirects``, each target from step 1.
5. Proxies from the environment are ignored: a proxy would resolve the name itself.

Each hop gets its own connection pool, so a TLS connection verified for one name is never
reused for another. Failures::

    URL_NOT_ALLOWED           InputError: scheme or address refused (names the setting)
    DOCUMENT_TOO_LARGE        InputError: Content-Length or the bytes streamed exceed max_bytes
    DOCUMENT_NOT_FOUND        404/410                                 retryable=False
    EXTERNAL_URL_UNAVAILABLE  5xx, 408, 429, connection errors, timeouts    retryable=True
    EXTERNAL_URL_FAILED       other statuses, too many redirects      retryable=False

Messages show the URL without credentials or query string (it may hold a signature).
"""

from __future__ import annotations

import base64
import re
import ssl
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx

from connector.documents.address_guard import AddressPolicy, IPAddress, Resolver, resolve_checked, system_resolver
from connector.documents.streams import DocumentStream, ResponseStream, response_length
from connector.error_codes import (
    DOCUMENT_NOT_FOUND,
    DOCUMENT_TOO_LARGE,
    EXTERNAL_URL_FAILED,
    EXTERNAL_URL_UNAVAILABLE,
    URL_NOT_ALLOWED,
)
from connector.errors import ConnectorError
from connector.urls import DEFAULT_PORTS, is_ip_literal

__all__ = ["ExternalFetcher"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _shown(url: str) -> str:
    """The URL as messages may show it: no user info, no query, no fragment."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return "(an invalid URL)"


def _unavailable(url: str, detail: str) -> ConnectorError:
    return EXTERNAL_URL_UNAVAILABLE.error(f"External document {_shown(url)} is unavailable: {detail}")


class ExternalFetcher:
    """Opens external document URLs under an ``AddressPolicy``.

    Args:
        policy: which addresses may be reached.
        resolver: ``(host, port) -> addresses``; the operating system's resolver by default.
        max_bytes: the largest document accepted.
        ssl_context: TLS trust (e.g. an operator CA); the system's default CAs otherwise.
    """

    def __init__(
        self,
        policy: AddressPolicy,
        *,
        resolver: Resolver | None = None,
        max_bytes: int,
        connect_timeout_s: float = 10,
        read_timeout_s: float = 60,
        max_redirects: int = 5,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._policy = policy
        self._resolver: Resolver = resolver or system_resolver
        self._max_bytes = max_bytes
        self._timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        self._max_redirects = max_redirects
        # Built once: a context per hop would re-read the CA bundle for every redirect.
        self._verify = ssl_context or httpx.create_ssl_context()

    @asynccontextmanager
    async def open(self, url: str, *, name: str | None = None) -> AsyncIterator[DocumentStream]:
        """Open ``url`` for streaming; ``name`` overrides the file name the response suggests.

        Raises:
            InputError: ``URL_NOT_ALLOWED`` (nothing was contacted), ``DOCUMENT_TOO_LARGE``.
            ConnectorError: ``DOCUMENT_NOT_FOUND``, ``EXTERNAL_URL_UNAVAILABLE``,
                ``EXTERNAL_URL_FAILED``, ``URL_HOST_UNKNOWN``.
        """
        async with AsyncExitStack() as stack:
            response, final_url = await self._follow(stack, url)
            _raise_for_status(response, final_url)
            length = response_length(response)
            if length is not None and length > self._max_bytes:
                raise _TooLarge(final_url)(self._max_bytes)
            yield ResponseStream(
                response,
                content_type=response.headers.get("content-type"),
                content_length=length,
                file_name=name or _file_name(response, final_url),
                on_error=lambda exc: _unavailable(final_url, type(exc).__name__),
                max_bytes=self._max_bytes,
                on_too_large=_TooLarge(final_url),
            )

    async def _follow(self, stack: AsyncExitStack, url: str) -> tuple[httpx.Response, str]:
        for _ in range(self._max_redirects + 1):
            async with AsyncExitStack() as hop:
                client = await hop.enter_async_context(
                    httpx.AsyncClient(verify=self._verify, timeout=self._timeout, trust_env=False)
                )
                response = await self._hop(client, url)
                hop.push_async_callback(response.aclose)
                location = response.headers.get("location")
                if response.status_code not in _REDIRECTS or not location:
                    stack.push_async_exit(hop.pop_all())  # the caller streams, then closes
                    return response, url
            url = urljoin(url, location)
        raise EXTERNAL_URL_FAILED.error(f"External document {_shown(url)}: more than {self._max_redirects} redirects")

    async def _hop(self, client: httpx.AsyncClient, url: str) -> httpx.Response:
        try:
            parts = urlsplit(url)
            scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
        except ValueError:
            scheme, host, port = "", None, None
        if scheme not in DEFAULT_PORTS or not host:
            raise URL_NOT_ALLOWED.error(
                f"External document URL {_shown(url)} is not allowed: only absolute http and https URLs are"
            )
        port = port or DEFAULT_PORTS[scheme]
        addresses = await resolve_checked(host, port, self._policy, self._resolver)
        failure: Exception | None = None
        for address in addresses:  # every one is checked; try them in the resolver's order
            try:
                return await client.send(_pinned_request(client, url, address), stream=True)
            except httpx.ConnectError as exc:
                failure = exc
            except httpx.TransportError as exc:
                raise _unavailable(url, type(exc).__name__) from None
        raise _unavailable(url, type(failure).__name__)


class _TooLarge:
    """Builds the DOCUMENT_TOO_LARGE error for one URL."""

    def __init__(self, url: str) -> None:
        self._url = url

    def __call__(self, max_bytes: int) -> ConnectorError:
        return DOCUMENT_TOO_LARGE.error(
            f"External document {_shown(self._url)} is larger than the limit of {max_bytes} bytes"
        )


def _pinned_request(client: httpx.AsyncClient, url: str, address: IPAddress) -> httpx.Request:
    """A GET of ``url`` sent to ``address``: the name goes in Host and, for https, in SNI."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    port = parts.port or DEFAULT_PORTS[scheme]
    literal = f"[{address}]" if address.version == 6 else str(address)
    target = urlunsplit((scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
    host_header = f"[{host}]" if ":" in host else host
    if parts.port is not None and parts.port != DEFAULT_PORTS[scheme]:
        host_header += f":{parts.port}"
    headers = {"Host": host_header, "Accept-Encoding": "identity"}
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        headers["Authorization"] = f"Basic {base64.b64encode(pair).decode('ascii')}"
    extensions = {}
    if scheme == "https" and not is_ip_literal(host):
        extensions["sni_hostname"] = host  # SNI and certificate verification use the name
    return client.build_request("GET", target, headers=headers, extensions=extensions)


def _raise_for_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    if status in (404, 410):
        raise DOCUMENT_NOT_FOUND.error(f"External document {_shown(url)} was not found (HTTP {status})")
    if status >= 500 or status in (408, 429):
        raise _unavailable(url, f"HTTP {status}")
    raise EXTERNAL_URL_FAILED.error(f"External document {_shown(url)} could not be fetched: HTTP {status}")


def _file_name(response: httpx.Response, url: str) -> str | None:
    """From Content-Disposition (``filename*`` first), else the URL path's last segment."""
    disposition = response.headers.get("content-disposition", "")
    name: str | None = None
    extended = re.search(r"filename\*\s*=\s*([^;]+)", disposition, re.IGNORECASE)
    if extended:
        charset, _, rest = extended.group(1).strip().strip('"').partition("'")
        try:
            name = unquote(rest.partition("'")[2], encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            name = None
    if not name:
        plain = re.search(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))', disposition, re.IGNORECASE)
        if plain:
            name = re.sub(r"\\(.)", r"\1", plain.group(1)) if plain.group(1) is not None else plain.group(2).strip()
    if not name:
        name = unquote(urlsplit(url).path)
    # Only a base name: a header must not choose a directory.
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip() or None
