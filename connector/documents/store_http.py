"""How the document store's HTTP answers become results or errors of the connector."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from connector.documents.store_auth import unavailable
from connector.error_codes import DOCUMENT_NOT_FOUND, DOCUMENT_STORE_UNAUTHORIZED, DOCUMENT_STORE_UNAVAILABLE
from connector.errors import ConnectorError, ErrorCode

__all__ = ["describe", "error_of", "read_json"]


async def read_json(
    response: httpx.Response,
    what: str,
    failed: ErrorCode,
    redact: Callable[[str], str],
    *,
    expect: tuple[int, ...],
) -> dict[str, Any]:
    """The JSON object of an expected answer; the response is closed either way.

    Raises:
        ConnectorError: the mapped error of another status (see ``error_of``), or
            ``DOCUMENT_STORE_UNAVAILABLE`` for a body that is not a JSON object.
    """
    try:
        if response.status_code not in expect:
            raise await error_of(response, what, failed, redact)
        try:
            body = json.loads(await response.aread())
        except (ValueError, httpx.HTTPError) as exc:
            raise unavailable(what, f"unreadable response ({type(exc).__name__})") from None
        if not isinstance(body, dict):
            raise unavailable(what, "the response is not a JSON object")
        return body
    finally:
        await response.aclose()


async def error_of(
    response: httpx.Response, what: str, failed: ErrorCode, redact: Callable[[str], str]
) -> ConnectorError:
    """An error answer as a ConnectorError: 404 not found, 401/403 unauthorized, 5xx/429
    unavailable (retryable), anything else ``failed``; ProblemDetail title/detail included."""
    status = response.status_code
    message = redact(f"{what} failed: HTTP {status}{await _problem(response)}")
    if status == 404:
        return DOCUMENT_NOT_FOUND.error(message)
    if status in (401, 403):
        return DOCUMENT_STORE_UNAUTHORIZED.error(message)
    if status >= 500 or status == 429:
        return DOCUMENT_STORE_UNAVAILABLE.error(message)
    return failed.error(message)


def describe(exc: Exception) -> str:
    """An exception as ``Type: text`` for a message."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def _problem(response: httpx.Response, limit: int = 65536) -> str:
    """`` title: detail`` from a ProblemDetail body (read at most ``limit`` bytes), or ``""``."""
    raw = b""
    try:
        async for chunk in response.aiter_bytes():
            raw += chunk
            if len(raw) >= limit:
                break
        problem = json.loads(raw[:limit])
    except (ValueError, httpx.HTTPError):
        return ""
    if not isinstance(problem, dict):
        return ""
    parts = [str(problem[key]) for key in ("title", "detail") if problem.get(key)]
    return f" {': '.join(parts)}" if parts else ""
