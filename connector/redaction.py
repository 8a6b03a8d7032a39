"""Masking of known secret values in text that may leave the worker (messages, logs, variables).

One redactor for every room: the pipeline masks every secret the worker could hand out (and
those a job used) in messages and output variables, the log formatter does the same for log
lines, the document store masks its own credentials. A value is masked as written, JSON-escaped
and URL-encoded, so a secret placed into a key cannot come back through the key or the link.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

__all__ = ["MASK", "Redactor"]

MASK = "***"


def _forms(value: str) -> dict[str, None]:
    """The value as it may appear: itself, JSON-escaped, and URL-encoded (as in a link or key)."""
    forms = (value, json.dumps(value)[1:-1], quote(value, safe="/~-._"), quote(value, safe=""))
    return dict.fromkeys(forms)


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
            for form in _forms(value):
                text = text.replace(form, MASK)
        return text

    def json_value(self, value: Any) -> Any:
        """A JSON value with every known secret masked wherever it sits: keys, values, nested."""
        if not self.values:
            return value
        text = json.dumps(value, ensure_ascii=False, default=str)
        masked = self(text)
        return value if masked == text else json.loads(masked)
