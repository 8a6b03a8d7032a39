"""Logging set-up: text or JSON lines, with known secret values masked in every record.

Every record is bounded (``MAX_LOG_MESSAGE_CHARS`` for the message, ``MAX_LOG_TRACE_CHARS``
for a traceback): job input can be megabytes, and a log line must never carry it at length.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

__all__ = ["MAX_LOG_MESSAGE_CHARS", "MAX_LOG_TRACE_CHARS", "bounded", "configure_logging"]

MAX_LOG_MESSAGE_CHARS = 8_000
MAX_LOG_TRACE_CHARS = 16_000


def bounded(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


class _RedactingFormatter(logging.Formatter):
    def __init__(self, redact: Callable[[str], str], json_lines: bool) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
        self._redact = redact
        self._json = json_lines

    def formatMessage(self, record: logging.LogRecord) -> str:
        # Masked before the cut, so that a cut can never leave half a secret behind.
        record.message = bounded(self._redact(record.message), MAX_LOG_MESSAGE_CHARS)
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:
        return bounded(self._redact(super().formatException(ei)), MAX_LOG_TRACE_CHARS)

    def format(self, record: logging.LogRecord) -> str:
        if not self._json:
            return self._redact(super().format(record))
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": bounded(self._redact(record.getMessage()), MAX_LOG_MESSAGE_CHARS),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return self._redact(json.dumps(entry, ensure_ascii=False))


def configure_logging(level: str, log_format: str, redact: Callable[[str], str]) -> None:
    """Log to stderr at ``level`` in ``text`` or ``json`` format, masking secrets."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_RedactingFormatter(redact, json_lines=log_format == "json"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # pyzeebe logs whole jobs, variables included, at DEBUG; botocore logs request bodies.
    for noisy in ("pyzeebe", "botocore", "boto3", "urllib3", "s3transfer"):
        logging.getLogger(noisy).setLevel(max(logging.getLevelName(level), logging.INFO))
