"""Java regular expressions (what Camunda's ``matches``, ``replace``, ``split`` use), run with a time limit.

Patterns compile with ASCII semantics because Java's ``\\d``, ``\\w``, ``\\s``, ``\\b`` and
case-insensitive matching are ASCII-only by default. Java-only syntax that has a direct
equivalent is translated (``(?<name>..)``, ``\\Q..\\E``, ``\\z``); anything the standard library's
``re`` cannot compile, and a ``{`` that is no quantifier Java accepts, counts as an invalid pattern,
for which Camunda's functions yield null.

Matching runs on the ``regex`` package (in its ``re``-compatible ``V0`` mode), whose matching
functions take a ``timeout``: a pattern such as ``(a+)+$`` backtracks for hours on Java's and on
``re``'s engine alike, and the worker must not stall on one. :func:`run` passes the evaluation's
remaining time and turns a timeout into the evaluation's failure.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import regex

from connector.feel.budget import BudgetExceeded, current_budget

__all__ = ["MAX_EXPANDED_SIZE", "Pattern", "compile_pattern", "find_all", "java_replace", "java_split", "run"]

Pattern = Any  # a compiled ``regex`` pattern (the package ships no type information)
T = TypeVar("T")

_FLAGS = {"s": regex.DOTALL, "m": regex.MULTILINE, "i": regex.IGNORECASE, "x": regex.VERBOSE}
_RE_FLAGS = {"s": re.DOTALL, "m": re.MULTILINE, "i": re.IGNORECASE, "x": re.VERBOSE}
_QUOTED = re.compile(r"\\Q(.*?)(?:\\E|$)", re.DOTALL)
_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<(?=[A-Za-z])")
_END_OF_INPUT = re.compile(r"(?<!\\)((?:\\\\)*)\\z")
_JAVA_QUANTIFIER = re.compile(r"\{\d+(?:,\d*)?\}")
# `regex` compiles `a{n}` into n copies (a{2147483647} fills gigabytes, (a|b) repeated 20,000 times
# takes a second) and compiling has no timeout: real patterns stay far below this
MAX_EXPANDED_SIZE = 20_000


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str, flags: str = "") -> Pattern | None:
    """Compile a Java regex with FEEL's flag letters (``s``, ``m``, ``i``, ``x``); ``None`` if invalid."""
    translated = _QUOTED.sub(lambda match: re.escape(match.group(1)), pattern)
    translated = _NAMED_GROUP.sub("(?P<", translated)
    translated = _END_OF_INPUT.sub(r"\1\\Z", translated)
    size = _expanded_size(translated)
    if size is None:
        return None  # Java: "Illegal repetition"; `regex` would read e.g. {e<=1} as fuzzy matching
    if size > MAX_EXPANDED_SIZE:
        raise BudgetExceeded(
            f"the regular expression expands to {size} elements with its repeats multiplied out, more than the "
            f"{MAX_EXPANDED_SIZE} this worker compiles"
        )
    options, re_options = regex.ASCII | regex.V0, re.ASCII
    for letter in flags:
        options |= _FLAGS.get(letter, 0)
        re_options |= _RE_FLAGS.get(letter, 0)
    try:
        # `re` decides what is valid, as it did before `regex` ran the matching: `regex` accepts
        # more (\\p{..}, \\K, branch reset groups) and with other meanings than Java's
        re.compile(translated, re_options)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # `regex` warns about `[[` and `&&`, which `re` takes literally
            return regex.compile(translated, options)
    except (re.error, regex.error, OverflowError, RecursionError):
        return None


def _expanded_size(pattern: str) -> int | None:
    """The pattern's length with its bounded repeats multiplied out (``(ab){3}`` is 6); ``None`` if a
    ``{`` outside a character class and not escaped starts no ``{n}``, ``{n,}`` or ``{n,m}``.

    ``regex`` compiles ``a{n}`` into ``n`` copies of ``a``: this is what compiling costs in time and memory.
    """
    frames = [[0, 0]]  # per open group: [size so far, size of the last atom]
    index, in_class = 0, False
    while index < len(pattern):
        char, frame = pattern[index], frames[-1]
        if char == "\\":
            index += 1
            atom = 1
        elif in_class:
            in_class = char != "]"
            atom = 0 if in_class else 1  # a class is one atom, counted when it closes
        elif char == "[":
            in_class, atom = True, 0
            if pattern.startswith("]", index + 1) or pattern.startswith("^]", index + 1):
                index += 1 + (pattern[index + 1] == "^")  # a leading ] is a member of the class
        elif char == "(":
            frames.append([0, 0])
            index += 1
            continue
        elif char == ")" and len(frames) > 1:
            frames.pop()
            atom = max(frame[0], 1)
            frame = frames[-1]
        elif char == "{":
            quantifier = _JAVA_QUANTIFIER.match(pattern, index)
            if quantifier is None:
                return None
            low, _, high = quantifier.group(0)[1:-1].partition(",")
            times = int(high or low)
            frame[0] += frame[1] * (times - 1)
            frame[1] *= times
            index = quantifier.end()
            continue
        else:
            atom = 1
        if atom:
            frame[0] += atom
            frame[1] = atom
        index += 1
    return sum(size for size, _ in frames)


def run(call: Callable[..., T], *args: Any) -> T:
    """Call a ``regex`` matching function with the evaluation's remaining time as its ``timeout``.

    Raises:
        BudgetExceeded: the matching ran out of the evaluation's time.
    """
    budget = current_budget()
    try:
        return call(*args, timeout=budget.remaining_s())
    except TimeoutError:
        raise budget.timed_out() from None


def find_all(pattern: Pattern, text: str) -> list[Any]:
    """Every match, as Java's ``Matcher.find`` finds them, within the evaluation's time.

    After an empty match Java searches again one character later; Python's ``finditer`` would
    first try a non-empty match at the same place (``b*?`` would match ``b`` there).
    """
    budget = current_budget()
    matches, position = [], 0
    try:
        while position <= len(text):
            match = pattern.search(text, position, timeout=budget.remaining_s())
            if match is None:
                break
            budget.spend()
            matches.append(match)
            position = match.end() if match.end() > match.start() else match.end() + 1
    except TimeoutError:
        raise budget.timed_out() from None
    return matches


def java_replace(pattern: Pattern, template: str, text: str) -> str | None:
    """``Matcher.replaceAll`` with Java's template syntax: ``$1``, ``${name}``, ``\\$`` for a literal ``$``.

    ``None`` if the template refers to a group the pattern does not have and there is a match
    (Java reads the template only at the first match, so without one the text comes back as it is).
    """
    matches = find_all(pattern, text)
    if not matches:
        return text
    parts = _template_parts(template, pattern)
    if parts is None:
        return None
    budget = current_budget()
    pieces, last = [], 0
    for match in matches:
        replacement = "".join(part if isinstance(part, str) else (match.group(part) or "") for part in parts)
        budget.spend_text(len(replacement) + match.start() - last)  # a long replacement for many matches multiplies
        pieces.append(text[last : match.start()])
        pieces.append(replacement)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _template_parts(template: str, pattern: Pattern) -> list[str | int] | None:
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
    return parts


def _group_reference(template: str, index: int, pattern: Pattern) -> tuple[int | None, int]:
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


def java_split(pattern: Pattern, text: str) -> list[str]:
    """``Pattern.split(text, -1)``: trailing empty strings kept, no leading one for an empty match at 0."""
    parts, last = [], 0
    for match in find_all(pattern, text):
        if match.end() == 0:
            continue
        parts.append(text[last : match.start()])
        last = match.end()
    parts.append(text[last:])
    return parts
