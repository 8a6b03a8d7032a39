"""The range built-ins (``before``, ``after``, ``meets``, ..., ``coincides``) as feel-scala defines them.

Each takes two points, a point and a range, or two ranges, of one point type: numbers, dates,
times, date-times or durations (strings are not points; their ranges work only in ``x in [a..b]``).
Arguments of different or other types yield null. A combination a function has no rule for (e.g.
``meets(1, 2)``) fails the evaluation, as the ``MatchError`` does in Camunda's engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from connector.feel.errors import FeelFailure
from connector.feel.operators import equals, order
from connector.feel.registry import builtin
from connector.feel.temporals import LocalDateTime, LocalTime, ZonedDateTime, ZonedTime
from connector.feel.values import DayTimeDuration, Range, YearMonthDuration

__all__ = ["POINT_TYPES", "make_range"]

POINT_TYPES = frozenset(
    {Decimal, datetime.date, LocalTime, ZonedTime, LocalDateTime, ZonedDateTime, DayTimeDuration, YearMonthDuration}
)


def make_range(start: Any, start_closed: bool, end: Any, end_closed: bool) -> Range | None:
    """A range value of two points of one type, or ``None`` (Camunda: an invalid range is null)."""
    if type(start) is not type(end) or type(start) not in POINT_TYPES:
        return None
    return Range(start, start_closed, end, end_closed)


def _eq(left: Any, right: Any) -> bool:
    return equals(left, right) is True


def _lt(left: Any, right: Any) -> bool:
    return order("<", left, right) is True


def _gt(left: Any, right: Any) -> bool:
    return order(">", left, right) is True


def _kind(value: Any) -> type:
    return type(value.start) if type(value) is Range else type(value)


Rule = Callable[[Any, Any], bool]


def _register(name: str, params: list[tuple[str, str]], rules: dict[tuple[bool, bool], Rule]) -> None:
    """``rules`` maps (first is a range, second is a range) to the rule for that combination."""

    def invoke(first: Any, second: Any) -> Any:
        kind = _kind(first)
        if kind not in POINT_TYPES or kind is not _kind(second):
            return None
        rule = rules.get((type(first) is Range, type(second) is Range))
        if rule is None:
            raise FeelFailure(f"{name}() has no rule for these arguments")
        return rule(first, second)

    for first, second in params:
        builtin(name, first, second)(invoke)


_POINTS, _POINT_RANGE, _RANGE_POINT, _RANGES = (False, False), (False, True), (True, False), (True, True)
_ALL = [("point1", "point2"), ("point", "range"), ("range", "point"), ("range1", "range2")]


def _before_ranges(a: Range, b: Range) -> bool:
    return _lt(a.end, b.start) or ((not a.end_closed or not b.start_closed) and _eq(a.end, b.start))


_register(
    "before",
    _ALL,
    {
        _RANGES: _before_ranges,
        _POINT_RANGE: lambda p, r: _lt(p, r.start) or (_eq(p, r.start) and not r.start_closed),
        _RANGE_POINT: lambda r, p: _lt(r.end, p) or (_eq(r.end, p) and not r.end_closed),
        _POINTS: _lt,
    },
)
_register(
    "after",
    _ALL,
    {
        _RANGES: lambda a, b: _gt(a.start, b.end) or ((not a.start_closed or not b.end_closed) and _eq(a.start, b.end)),
        _POINT_RANGE: lambda p, r: _gt(p, r.end) or (_eq(p, r.end) and not r.end_closed),
        _RANGE_POINT: lambda r, p: _gt(r.start, p) or (_eq(r.start, p) and not r.start_closed),
        _POINTS: _gt,
    },
)
_register(
    "meets",
    [("range1", "range2")],
    {_RANGES: lambda a, b: a.end_closed and b.start_closed and _eq(a.end, b.start)},
)
_register(
    "met by",
    [("range1", "range2")],
    {_RANGES: lambda a, b: a.start_closed and b.end_closed and _eq(a.start, b.end)},
)


def _overlaps(a: Range, b: Range) -> bool:
    return (_gt(a.end, b.start) or (_eq(a.end, b.start) and a.end_closed and b.start_closed)) and (
        _lt(a.start, b.end) or (_eq(a.start, b.end) and a.start_closed and b.end_closed)
    )


def _overlaps_before(a: Range, b: Range) -> bool:
    return (
        (_lt(a.start, b.start) or (_eq(a.start, b.start) and a.start_closed and not b.start_closed))
        and (_gt(a.end, b.start) or (_eq(a.end, b.start) and a.end_closed and b.start_closed))
        and (_lt(a.end, b.end) or (_eq(a.end, b.end) and (not a.end_closed or b.end_closed)))
    )


_register("overlaps", [("range1", "range2")], {_RANGES: _overlaps})
_register("overlaps before", [("range1", "range2")], {_RANGES: _overlaps_before})
_register("overlaps after", [("range1", "range2")], {_RANGES: lambda a, b: _overlaps_before(b, a)})


def _finishes(a: Range, b: Range) -> bool:
    return (
        a.end_closed == b.end_closed
        and _eq(a.end, b.end)
        and (_gt(a.start, b.start) or (_eq(a.start, b.start) and (not a.start_closed or b.start_closed)))
    )


def _includes(a: Range, b: Range) -> bool:
    return (_lt(a.start, b.start) or (_eq(a.start, b.start) and (a.start_closed or not b.start_closed))) and (
        _gt(a.end, b.end) or (_eq(a.end, b.end) and (a.end_closed or not b.end_closed))
    )


def _contains(r: Range, p: Any) -> bool:
    return (
        (_lt(r.start, p) and _gt(r.end, p)) or (_eq(r.start, p) and r.start_closed) or (_eq(r.end, p) and r.end_closed)
    )


def _starts(a: Range, b: Range) -> bool:
    return (
        _eq(a.start, b.start)
        and a.start_closed == b.start_closed
        and (_lt(a.end, b.end) or (_eq(a.end, b.end) and (not a.end_closed or b.end_closed)))
    )


_register(
    "finishes",
    [("point", "range"), ("range1", "range2")],
    {_RANGES: _finishes, _POINT_RANGE: lambda p, r: r.end_closed and _eq(r.end, p)},
)
_register(
    "finished by",
    [("range", "point"), ("range1", "range2")],
    {_RANGES: lambda a, b: _finishes(b, a), _RANGE_POINT: lambda r, p: r.end_closed and _eq(r.end, p)},
)
_register("includes", [("range", "point"), ("range1", "range2")], {_RANGES: _includes, _RANGE_POINT: _contains})
_register(
    "during",
    [("point", "range"), ("range1", "range2")],
    {_RANGES: lambda a, b: _includes(b, a), _POINT_RANGE: lambda p, r: _contains(r, p)},
)
_register(
    "starts",
    [("point", "range"), ("range1", "range2")],
    {_RANGES: _starts, _POINT_RANGE: lambda p, r: _eq(r.start, p) and r.start_closed},
)
_register(
    "started by",
    [("range", "point"), ("range1", "range2")],
    {_RANGES: lambda a, b: _starts(b, a), _RANGE_POINT: lambda r, p: _eq(r.start, p) and r.start_closed},
)
_register(
    "coincides",
    [("point1", "point2"), ("range1", "range2")],
    # Camunda's catch-all rule compares any two values: a point never equals a range
    {_RANGES: lambda a, b: a == b, _POINTS: _eq, _POINT_RANGE: lambda a, b: False, _RANGE_POINT: lambda a, b: False},
)
