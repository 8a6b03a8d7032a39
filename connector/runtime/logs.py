"""Logging set-up: text or JSON lines, with known secret values masked in every record."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime, timezone

__all__ = ["configure_logging"]


class _RedactingFormatter(logging.Formatter):
    def __init__(self, redact: Callable[[str], str], json_lines: bool) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
        self._redact = redact
        self._json = json_lines

    def format(self, record: logging.LogRecord) -> str:
        if not self._json:
            return self._redact(super().format(record))
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
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
