"""Java regular expressions (what Camunda's ``matches``, ``replace``, ``split`` use) on Python's ``re``.

Patterns compile with ``re.ASCII`` because Java's ``\\d``, ``\\w``, ``\\s``, ``\\b`` and
case-insensitive matching are ASCII-only by default. Java-only syntax that has a direct
equivalent is translated (``(?<name>..)``, ``\\Q..\\E``, ``\\z``); anything ``re`` cannot compile
counts as an invalid pattern, for which Camunda's functions yield null.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

__all__ = ["compile_pattern", "java_replacement", "java_split"]

_FLAGS = {"s": re.DOTALL, "m": re.MULTILINE, "i": re.IGNORECASE, "x": re.VERBOSE}
_QUOTED = re.compile(r"\\Q(.*?)(?:\\E|$)", re.DOTALL)
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<(?=[A-Za-z])")
_END_OF_INPUT = re.compile(r"(?<!\\)((?:\\\\)*)\\z")


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str, flags: str = "") -> re.Pattern[str] | None:
    """Compile a Java regex with FEEL's flag letters (``s``, ``m``, ``i``, ``x``); ``None`` if invalid."""
    translated = _QUOTED.sub(lambda match: re.escape(match.group(1)), pattern)
    translated = _NAMED_GROUP.sub("(?P<", translated)
    translated = _END_OF_INPUT.sub(r"\1\\Z", translated)
    options = re.ASCII
    for letter, flag in _FLAGS.items():
        if letter in flags:
            options |= flag
    try:
        return re.compile(translated, options)
    except (re.error, OverflowError, RecursionError):
        return None


def java_replacement(template: str, pattern: re.Pattern[str]) -> Callable[[re.Match[str]], str] | None:
    """A ``re.sub`` replacement for Java's template syntax: ``$1``, ``${name}``, ``\\$`` for a literal ``$``.

    ``None`` if the template refers to a group the pattern does not have (Java fails there too).
    """
    parts: list[str | int] = []
    index = 0
    while index < len(template):
        char = template[index]
        if char == "\\" and index + 1 < len(template):
            parts.append(template[index + 1])
            index += 2
        elif char == "$":
            reference, index = _group_reference(template, index + 1, pattern)
            if reference is None:
                return None
            parts.append(reference)
        else:
            parts.append(char)
            index += 1
    return lambda match: "".join(part if isinstance(part, str) else (match.group(part) or "") for part in parts)


def _group_reference(template: str, index: int, pattern: re.Pattern[str]) -> tuple[int | None, int]:
    if template.startswith("{", index):
        end = template.find("}", index)
        name = template[index + 1 : end] if end > 0 else ""
        return pattern.groupindex.get(name), end + 1
    if index >= len(template) or not template[index].isdigit():
        return None, index
    number, index = int(template[index]), index + 1
    # like Java: take more digits only while they still name an existing group
    while index < len(template) and template[index].isdigit() and number * 10 + int(template[index]) <= pattern.groups:
        number, index = number * 10 + int(template[index]), index + 1
    return (number if number <= pattern.groups else None), index


def java_split(pattern: re.Pattern[str], text: str) -> list[str]:
    """``Pattern.split(text, -1)``: trailing empty strings kept, no leading one for an empty match at 0."""
    parts, last = [], 0
    for match in pattern.finditer(text):
        if match.end() == 0:
            continue
        parts.append(text[last : match.start()])
        last = match.end()
    parts.append(text[last:])
    return parts
