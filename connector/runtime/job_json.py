"""Job variables and headers from JSON text, with the nesting checked before anything recurses.

Python's JSON decoder, pydantic, FEEL and the encoder of the outcome all recurse once per level,
and a document nested a few thousand levels deep would raise ``RecursionError`` in whichever
of them meets it first. So the depth is measured first, by a flat scan of the text, and a
document deeper than ``MAX_NESTING_DEPTH`` is an input error that names where it goes deep.
"""

from __future__ import annotations

import json
import re
from typing import Any

from connector.errors import InputError, invalid

__all__ = ["MAX_NESTING_DEPTH", "decode_object"]

# Real job variables nest a handful of levels; 100 leaves the recursive code far from Python's limit.
MAX_NESTING_DEPTH = 100
# A string (optionally a key, with its colon) or a bracket; everything else is irrelevant to depth.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?|[\[\]{}]')
_SHOWN_LEVELS = 4


def _too_deep_path(text: str, max_depth: int) -> str | None:
    """The path to the first place ``text`` nests deeper than ``max_depth``, or None."""
    if text.count("{") + text.count("[") <= max_depth:
        return None  # an upper bound: brackets inside strings count too
    path: list[str] = []
    last_key = ""
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("{", "["):
            path.append(last_key if token == "{" or last_key else "[]")
            last_key = ""
            if len(path) > max_depth:
                return ".".join(part for part in path[1 : 1 + _SHOWN_LEVELS] if part) or "(top level)"
        elif token in ("}", "]"):
            if path:
                path.pop()
            last_key = ""
        elif match.group(1) is not None:
            last_key = _key_text(token[: token.rindex(":")].rstrip())
    return None


def _key_text(quoted: str) -> str:
    try:
        key = json.loads(quoted)
    except ValueError:
        return "?"
    return str(key)[:40]


def decode_object(text: str, what: str, *, max_depth: int = MAX_NESTING_DEPTH) -> dict[str, Any]:
    """Decode a job's ``variables`` or ``headers`` document (empty text means none).

    Raises:
        InputError: ``INVALID_INPUT`` naming ``what``: nested deeper than ``max_depth`` (with
            the path where it goes deep), not JSON, or not a JSON object.
    """
    if not text.strip():
        return {}
    deep = _too_deep_path(text, max_depth)
    if deep is not None:
        raise invalid(f"{what}", f"nested deeper than {max_depth} levels (under {deep}…)")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"Invalid input:\n- {what}: not a JSON document ({type(exc).__name__})") from None
    if not isinstance(value, dict):
        raise InputError(f"Invalid input:\n- {what}: must be a JSON object, got {type(value).__name__}")
    if "\\ud" in text or "\\uD" in text:  # only an escape can carry a lone surrogate
        _refuse_lone_surrogates(value, what)
    return value


def _refuse_lone_surrogates(value: dict[str, Any], what: str) -> None:
    """Raise for text that is not valid Unicode: it could not be validated, stored or sent on."""
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        path, item = pending.pop()
        texts = [item] if isinstance(item, str) else list(item) if isinstance(item, dict) else []
        for text in texts:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise InputError(
                    f"Invalid input:\n- {what}{path}: text is not valid Unicode (it holds a lone surrogate)"
                ) from None
        if isinstance(item, dict):
            pending.extend((f"{path}.{key}"[:200], child) for key, child in item.items())
        elif isinstance(item, list):
            pending.extend((f"{path}[{index}]"[:200], child) for index, child in enumerate(item))
