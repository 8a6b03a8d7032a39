"""Masking of known secret values in text that may leave the worker (messages, logs, variables).

One redactor for every room: the pipeline masks the secrets a job used, the log formatter
masks every secret the worker could hand out, the document store masks its own credentials.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MASK", "Redactor"]

MASK = "***"


@dataclass(frozen=True)
class Redactor:
    """Replaces each known value, and its JSON-escaped form, with ``***``."""

    values: frozenset[str] = field(default_factory=frozenset)

    def with_values(self, values: Iterable[str]) -> Redactor:
        """A redactor that also masks ``values`` (empty strings are ignored)."""
        return Redactor(self.values | {v for v in values if v})

    def __call__(self, text: str) -> str:
        # Longest first, so a secret containing another secret is masked whole.
        for value in sorted(self.values, key=len, reverse=True):
            text = text.replace(value, MASK)
            escaped = json.dumps(value)[1:-1]
            if escaped != value:
                text = text.replace(escaped, MASK)
        return text

    def json_value(self, value: Any) -> Any:
        """A JSON value with every known secret masked wherever it sits: keys, values, nested."""
        if not self.values:
            return value
        return json.loads(self(json.dumps(value, ensure_ascii=False, default=str)))
