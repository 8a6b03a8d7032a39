"""The task headers Camunda's connector runtime understands, parsed once per job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from connector.error_codes import INVALID_HEADER
from connector.feel.durations import DurationError, parse_duration_ms

__all__ = ["JobHeaders", "parse_headers"]


@dataclass(frozen=True)
class JobHeaders:
    """The connector headers of one job, parsed (durations in milliseconds)."""

    result_variable: str | None = None
    result_expression: str | None = None
    error_expression: str | None = None
    retry_backoff_ms: int | None = None
    job_timeout_ms: int | None = None


def _text(headers: Mapping[str, str], key: str) -> str | None:
    value = headers.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise INVALID_HEADER.error(f"Header '{key}' must be a string")
    # The Modeler drops empty headers; a blank one left by hand means "not set".
    return value.strip() or None


def _duration(headers: Mapping[str, str], key: str, example: str) -> int | None:
    if _text(headers, key) is None:
        return None
    text = headers[key]  # as Camunda reads it: Duration.parse of the value as it is, spaces included
    try:
        millis = parse_duration_ms(text)
    except DurationError as exc:
        raise INVALID_HEADER.error(
            f"Failed to parse header '{key}'. Expected an ISO-8601 duration, e.g. {example}, got: {text!r}"
        ) from exc
    if millis < 0:
        raise INVALID_HEADER.error(f"Header '{key}' must not be negative, got: {text!r}")
    return millis


def parse_headers(headers: Mapping[str, str]) -> JobHeaders:
    """Read ``resultVariable``, ``resultExpression``, ``errorExpression``, ``retryBackoff``
    and ``jobTimeout``; other headers (``elementTemplateVersion``, ...) are ignored.

    Raises:
        InputError: ``INVALID_HEADER`` naming the header, for a non-string value, an invalid
            or negative duration, or a zero job timeout.
    """
    job_timeout_ms = _duration(headers, "jobTimeout", "PT5M")
    if job_timeout_ms == 0:
        raise INVALID_HEADER.error("Header 'jobTimeout' must be longer than zero")
    return JobHeaders(
        result_variable=_text(headers, "resultVariable"),
        result_expression=_text(headers, "resultExpression"),
        error_expression=_text(headers, "errorExpression"),
        retry_backoff_ms=_duration(headers, "retryBackoff", "PT30S"),
        job_timeout_ms=job_timeout_ms,
    )
