"""List built-ins as Camunda defines them (positions 1-based, negative from the end).

Functions marked ``varargs`` accept both a list and the items as separate arguments
(``sum([1, 2])`` and ``sum(1, 2)``). A wrong argument type yields null.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from connector.feel.budget import current_budget
from connector.feel.errors import FeelFailure
from connector.feel.operators import ORDERED_TYPES, same
from connector.feel.registry import builtin
from connector.feel.temporals import ordering_key
from connector.feel.values import DECIMAL, FeelFunction, clamped_int

__all__: list[str] = []


def _numbers(items: Any) -> list[Decimal] | None:
    """The list if it is a non-empty list of numbers, else ``None``."""
    if type(items) is not list or not items or any(type(item) is not Decimal for item in items):
        return None
    return items


def _position(items: list[Any], index: int) -> int:
    return index - 1 if index > 0 else len(items) + index


def _slice(items: list[Any], start: int, end: int) -> list[Any]:
    # Scala's slice clamps; Python would read negative bounds from the end
    return items[max(start, 0) : max(end, 0)]


@builtin("list contains", "list", "element")
def _list_contains(items: Any, element: Any) -> Any:
    return any(same(item, element) for item in items) if type(items) is list else None


@builtin("count", "list")
def _count(items: Any) -> Any:
    return Decimal(len(items)) if type(items) is list else None


def _comparable(value: Any) -> bool:
    """Scala's ``Val.isComparable``: an ordered value, or a non-empty list of comparable items of one type."""
    if type(value) is not list:
        return type(value) in ORDERED_TYPES
    return bool(value) and _comparable(value[0]) and all(type(item) is type(value[0]) for item in value)


def _extreme(items: Any, pick: Callable[..., Any]) -> Any:
    if type(items) is not list or not _comparable(items):
        return None
    if type(items[0]) is list:  # Camunda compares lists only when there are two of them: it fails then
        if len(items) == 1:
            return items[0]
        raise FeelFailure("lists can not be compared")
    return pick(items, key=ordering_key)  # the first of equal extremes, as Scala's min/max


@builtin("min", "list", varargs=True)
def _min(items: Any) -> Any:
    return _extreme(items, min)


@builtin("max", "list", varargs=True)
def _max(items: Any) -> Any:
    return _extreme(items, max)


@builtin("sum", "list", varargs=True)
def _sum(items: Any) -> Any:
    numbers = _numbers(items)
    return None if numbers is None else functools.reduce(DECIMAL.add, numbers)


@builtin("product", "list", varargs=True)
def _product(items: Any) -> Any:
    numbers = _numbers(items)
    return None if numbers is None else functools.reduce(DECIMAL.multiply, numbers)


@builtin("mean", "list", varargs=True)
def _mean(items: Any) -> Any:
    numbers = _numbers(items)
    return None if numbers is None else DECIMAL.divide(functools.reduce(DECIMAL.add, numbers), len(numbers))


@builtin("median", "list", varargs=True)
def _median(items: Any) -> Any:
    numbers = _numbers(items)
    if numbers is None:
        return None
    ordered, middle = sorted(numbers), len(numbers) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return DECIMAL.divide(DECIMAL.add(ordered[middle - 1], ordered[middle]), 2)


@builtin("stddev", "list", varargs=True)
def _stddev(items: Any) -> Any:
    numbers = _numbers(items)
    if numbers is None or len(numbers) < 2:
        return None
    mean = DECIMAL.divide(functools.reduce(DECIMAL.add, numbers), len(numbers))
    deviation = functools.reduce(DECIMAL.add, (DECIMAL.power(DECIMAL.subtract(x, mean), 2) for x in numbers))
    # Camunda takes the square root in double precision
    return Decimal(repr(math.sqrt(float(DECIMAL.divide(deviation, len(numbers) - 1)))))


@builtin("mode", "list", varargs=True)
def _mode(items: Any) -> Any:
    if type(items) is list and not items:
        return []
    numbers = _numbers(items)
    if numbers is None:
        return None
    counts: dict[Decimal, int] = {}
    for number in numbers:
        counts[number] = counts.get(number, 0) + 1
    most = max(counts.values())
    return sorted(number for number, count in counts.items() if count == most)


def _fold(items: Any, stop: bool) -> Any:
    """Three-valued and/or over a list: ``stop`` (false for and, true for or) decides at once."""
    if type(items) is not list:
        return None
    state: bool | None = not stop
    for item in items:
        if item is stop:
            return stop
        if type(item) is not bool:
            state = None
    return state


@builtin("all", "list", varargs=True)
@builtin("and", "list", varargs=True)
def _all(items: Any) -> Any:
    return _fold(items, False)


@builtin("any", "list", varargs=True)
@builtin("or", "list", varargs=True)
def _any(items: Any) -> Any:
    return _fold(items, True)


@builtin("sublist", "list", "start")
def _sublist(items: Any, start: Any) -> Any:
    if type(items) is not list or type(start) is not Decimal or start == 0:
        return None  # Camunda: "start position must be a non-zero number"
    return _slice(items, _position(items, clamped_int(start)), len(items))


@builtin("sublist", "list", "start", "length")
def _sublist_length(items: Any, start: Any, length: Any) -> Any:
    if type(items) is not list or type(start) is not Decimal or type(length) is not Decimal or start == 0:
        return None
    begin = _position(items, clamped_int(start))
    return _slice(items, begin, begin + clamped_int(length))


@builtin("append", "list", "items", varargs=True)
def _append(items: Any, extra: Any) -> Any:
    return [*items, *extra] if type(items) is list else None


def _flatten_one(lists: Any) -> Any:
    if type(lists) is not list:
        return None
    return [value for item in lists for value in (item if type(item) is list else [item])]


@builtin("concatenate", "lists", varargs=True)
def _concatenate(lists: Any) -> Any:
    return _flatten_one(lists)


@builtin("union", "lists", varargs=True)
def _union(lists: Any) -> Any:
    joined = _flatten_one(lists)
    return None if joined is None else _distinct(joined)


@builtin("insert before", "list", "position", "newItem")
def _insert_before(items: Any, position: Any, new_item: Any) -> Any:
    if type(items) is not list or type(position) is not Decimal:
        return None
    index = max(_position(items, clamped_int(position)), 0)
    return [*items[:index], new_item, *items[index:]]


@builtin("remove", "list", "position")
def _remove(items: Any, position: Any) -> Any:
    if type(items) is not list or type(position) is not Decimal:
        return None
    # Camunda: take(index(position)) ++ drop(index(position + 1))
    index = clamped_int(position)
    return _slice(items, 0, _position(items, index)) + items[max(_position(items, index + 1), 0) :]


@builtin("reverse", "list")
def _reverse(items: Any) -> Any:
    return items[::-1] if type(items) is list else None


@builtin("index of", "list", "match")
def _index_of(items: Any, match: Any) -> Any:
    if type(items) is not list:
        return None
    return [Decimal(index) for index, item in enumerate(items, start=1) if same(item, match)]


def _distinct(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if not any(same(item, kept) for kept in result):
            result.append(item)
    return result


@builtin("distinct values", "list")
def _distinct_values(items: Any) -> Any:
    return _distinct(items) if type(items) is list else None


@builtin("duplicate values", "list")
def _duplicate_values(items: Any) -> Any:
    if type(items) is not list:
        return None
    return [item for item in _distinct(items) if sum(1 for other in items if same(item, other)) > 1]


def _flatten(items: list[Any]) -> list[Any]:
    current_budget().spend(len(items))  # a list may hold one list many times over: count each copy
    return [value for item in items for value in (_flatten(item) if type(item) is list else [item])]


@builtin("flatten", "list")
def _flatten_list(items: Any) -> Any:
    return _flatten(items) if type(items) is list else None


@builtin("is empty", "list")
def _is_empty(items: Any) -> Any:
    return not items if type(items) is list else None


@builtin("partition", "list", "size")
def _partition(items: Any, size: Any) -> Any:
    if type(items) is not list or type(size) is not Decimal or clamped_int(size) <= 0:
        return None
    step = clamped_int(size)
    return [items[start : start + step] for start in range(0, len(items), step)]


class _NotBoolean(Exception):
    pass


@builtin("sort", "list", "precedes")
def _sort(items: Any, precedes: Any) -> Any:
    if type(items) is not list or type(precedes) is not FeelFunction or len(precedes.params) != 2:
        return None

    def before(left: Any, right: Any) -> bool:
        result = precedes.invoke([left, right])
        if type(result) is not bool:
            raise _NotBoolean
        return result

    def compare(left: Any, right: Any) -> int:
        return -1 if before(left, right) else (1 if before(right, left) else 0)

    try:
        return sorted(items, key=functools.cmp_to_key(compare))
    except _NotBoolean:
        return None  # Camunda: "fail to sort list by given precedes function" -> null
    except RecursionError as exc:  # pragma: no cover - a pathological precedes function
        raise FeelFailure("sort: the precedes function recursed too deeply") from exc
