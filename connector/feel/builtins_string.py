"""String built-ins as Camunda defines them (positions are 1-based, negative ones count from the end).

A wrong argument type yields null. ``substring`` outside the string fails the evaluation, as
Java's ``String.substring`` makes Camunda's engine do.
"""

from __future__ import annotations

import base64
import uuid as _uuid
from decimal import Decimal
from typing import Any

from connector.feel.budget import current_budget
from connector.feel.errors import FeelFailure
from connector.feel.regex import compile_pattern, find_all, java_replace, java_split, run
from connector.feel.registry import builtin
from connector.feel.values import clamped_int

__all__: list[str] = []

# Java's String.trim() removes every char up to and including the space, nothing else
_JAVA_TRIMMED = "".join(chr(code) for code in range(33))


def _strings(*values: Any) -> bool:
    return all(type(value) is str for value in values)


def _index(text: str, position: Decimal) -> int:
    start = clamped_int(position)
    return start - 1 if start > 0 else len(text) + start


def _java_substring(text: str, begin: int, end: int) -> str:
    if begin < 0 or end > len(text) or begin > end:
        raise FeelFailure(f"substring out of range: begin {begin}, end {end}, length {len(text)}")
    return text[begin:end]


@builtin("substring", "string", "start position")
def _substring(text: Any, start: Any) -> Any:
    if type(text) is not str or type(start) is not Decimal:
        return None
    return _java_substring(text, _index(text, start), len(text))


@builtin("substring", "string", "start position", "length")
def _substring_length(text: Any, start: Any, length: Any) -> Any:
    if type(text) is not str or type(start) is not Decimal or type(length) is not Decimal:
        return None
    begin = _index(text, start)
    return _java_substring(text, begin, min(begin + clamped_int(length), len(text)))


@builtin("string length", "string")
def _string_length(text: Any) -> Any:
    # Java counts UTF-16 code units: an emoji has length 2
    return Decimal(len(text.encode("utf-16-le")) // 2) if type(text) is str else None


@builtin("upper case", "string")
def _upper_case(text: Any) -> Any:
    return text.upper() if type(text) is str else None


@builtin("lower case", "string")
def _lower_case(text: Any) -> Any:
    return text.lower() if type(text) is str else None


@builtin("substring before", "string", "match")
def _substring_before(text: Any, match: Any) -> Any:
    if not _strings(text, match):
        return None
    index = text.find(match)
    return text[:index] if index > 0 else ""


@builtin("substring after", "string", "match")
def _substring_after(text: Any, match: Any) -> Any:
    if not _strings(text, match):
        return None
    index = text.find(match)
    return text[index + len(match) :] if index >= 0 else ""


@builtin("contains", "string", "match")
def _contains(text: Any, match: Any) -> Any:
    return match in text if _strings(text, match) else None


@builtin("starts with", "string", "match")
def _starts_with(text: Any, match: Any) -> Any:
    return text.startswith(match) if _strings(text, match) else None


@builtin("ends with", "string", "match")
def _ends_with(text: Any, match: Any) -> Any:
    return text.endswith(match) if _strings(text, match) else None


@builtin("matches", "input", "pattern")
def _matches(text: Any, pattern: Any) -> Any:
    return _matches_flags(text, pattern, "")


@builtin("matches", "input", "pattern", "flags")
def _matches_flags(text: Any, pattern: Any, flags: Any) -> Any:
    if not _strings(text, pattern, flags):
        return None
    compiled = compile_pattern(pattern, flags)
    return None if compiled is None else run(compiled.search, text) is not None


@builtin("replace", "input", "pattern", "replacement")
def _replace(text: Any, pattern: Any, replacement: Any) -> Any:
    return _replace_flags(text, pattern, replacement, "")


@builtin("replace", "input", "pattern", "replacement", "flags")
def _replace_flags(text: Any, pattern: Any, replacement: Any, flags: Any) -> Any:
    if not _strings(text, pattern, replacement, flags):
        return None
    compiled = compile_pattern(pattern, flags)
    return None if compiled is None else java_replace(compiled, replacement, text)


@builtin("split", "string", "delimiter")
def _split(text: Any, delimiter: Any) -> Any:
    compiled = compile_pattern(delimiter) if _strings(text, delimiter) else None
    return None if compiled is None else java_split(compiled, text)


@builtin("extract", "input", "pattern")
def _extract(text: Any, pattern: Any) -> Any:
    compiled = compile_pattern(pattern) if _strings(text, pattern) else None
    return None if compiled is None else [match.group(0) for match in find_all(compiled, text)]


@builtin("trim", "string")
def _trim(text: Any) -> Any:
    return text.strip(_JAVA_TRIMMED) if type(text) is str else None


@builtin("is blank", "string")
def _is_blank(text: Any) -> Any:
    return text.strip() == "" if type(text) is str else None


@builtin("uuid")
def _random_uuid() -> Any:
    return str(_uuid.uuid4())


@builtin("to base64", "value")
def _to_base64(text: Any) -> Any:
    return base64.b64encode(text.encode("utf-8")).decode("ascii") if type(text) is str else None


def _join(items: Any, delimiter: Any, prefix: Any, suffix: Any) -> Any:
    if type(items) is not list or not _strings(delimiter, prefix, suffix):
        return None
    if any(item is not None and type(item) is not str for item in items):
        return None  # only strings (and nulls, which are skipped) can be joined
    current_budget().spend_text(  # before joining: a long delimiter multiplies
        len(prefix) + len(suffix) + sum(len(item) + len(delimiter) for item in items if item is not None)
    )
    return prefix + delimiter.join(item for item in items if item is not None) + suffix


@builtin("string join", "list")
def _string_join(items: Any) -> Any:
    return _join(items, "", "", "")


@builtin("string join", "list", "delimiter")
def _string_join_delimiter(items: Any, delimiter: Any) -> Any:
    return _join(items, "" if delimiter is None else delimiter, "", "")


@builtin("string join", "list", "delimiter", "prefix", "suffix")
def _string_join_wrapped(items: Any, delimiter: Any, prefix: Any, suffix: Any) -> Any:
    if (prefix is None) != (suffix is None):
        return None  # Camunda accepts a missing prefix only together with a missing suffix
    return _join(items, "" if delimiter is None else delimiter, prefix or "", suffix or "")
