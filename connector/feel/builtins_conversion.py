"""Conversion built-ins: ``string()``, ``number()``, ``duration()``, ``from json()``, ``to json()``, ``fromAi()``.

``string()`` gives feel-scala's forms (``P1DT2H``, ``10:30:00@Europe/Berlin``, ``[1..5]``);
``to json()`` writes temporal values as feel-scala's ``to json`` does (a zoned date-time with its
zone id in brackets), unlike job variables (see :mod:`connector.feel.temporal_format`).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from connector.feel.budget import current_budget
from connector.feel.durations import (
    format_feel_duration,
    format_feel_period,
    parse_day_time_duration,
    parse_year_month_duration,
)
from connector.feel.registry import builtin
from connector.feel.temporal_format import feel_text, json_text
from connector.feel.values import DayTimeDuration, FeelFunction, Range, YearMonthDuration, from_python, to_python

__all__ = ["feel_string"]

# what java.math.BigDecimal(String) accepts
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPING = frozenset({" ", ",", "."})
_DECIMAL_SEPARATORS = frozenset({",", "."})


def feel_string(value: Any) -> str:
    """The text ``string(value)`` gives in Camunda: ``1.1``, ``[1, 2]``, ``{a:1}``, ``PT1H``."""
    kind = type(value)
    if kind is str:
        return str(value)
    if kind is Decimal:
        return str(value.copy_abs() if value.is_zero() else value)  # BigDecimal has no negative zero
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if kind is list:
        current_budget().spend(len(value))  # a list may hold one list many times over: count each copy
        return "[" + ", ".join(_nested_string(item) for item in value) + "]"
    if kind is dict:
        current_budget().spend(len(value))
        return "{" + ", ".join(f"{key}:{_nested_string(item)}" for key, item in value.items()) + "}"
    if kind is DayTimeDuration:
        return format_feel_duration(value.nanos)
    if kind is YearMonthDuration:
        return format_feel_period(value.months)
    if kind is FeelFunction:
        return f"function({', '.join(value.params)})"
    if kind is Range:
        start, end = _nested_string(value.start), _nested_string(value.end)
        return f"{'[' if value.start_closed else '('}{start}..{end}{']' if value.end_closed else ')'}"
    text = feel_text(value)
    return str(value) if text is None else text


def _nested_string(value: Any) -> str:
    # inside a list or context a string is shown as a literal, so ["a"] does not read as [a]
    return json.dumps(value, ensure_ascii=False) if type(value) is str else feel_string(value)


@builtin("string", "from")
def _string(value: Any) -> Any:
    return None if value is None else feel_string(value)


def _parse_number(text: str) -> Decimal | None:
    return Decimal(text) if _NUMBER.fullmatch(text) else None


@builtin("number", "from")
def _number(text: Any) -> Any:
    return _parse_number(text) if type(text) is str else None


@builtin("number", "from", "grouping separator")
def _number_grouped(text: Any, grouping: Any) -> Any:
    if type(text) is not str or type(grouping) is not str or grouping not in _GROUPING:
        return None
    return _parse_number(text.replace(grouping, ""))


@builtin("number", "from", "grouping separator", "decimal separator")
def _number_separated(text: Any, grouping: Any, separator: Any) -> Any:
    if type(text) is not str or not all(v is None or type(v) is str for v in (grouping, separator)):
        return None
    if grouping is not None and (grouping not in _GROUPING or grouping == separator):
        return None
    if separator is not None and separator not in _DECIMAL_SEPARATORS:
        return None
    if grouping is None and separator is None:
        return None
    cleaned = text.replace(grouping, "") if grouping is not None else text
    return _parse_number(cleaned.replace(separator, ".") if separator is not None else cleaned)


@builtin("duration", "from")
def _duration(text: Any) -> Any:
    if type(text) is not str:
        return None
    months = parse_year_month_duration(text)
    if months is not None:
        return YearMonthDuration(months)
    nanos = parse_day_time_duration(text)
    return None if nanos is None else DayTimeDuration(nanos)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


@builtin("from json", "value")
def _from_json(text: Any) -> Any:
    if type(text) is not str:
        return None
    try:
        parsed = json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constants)
    except ValueError:
        return None
    return from_python(parsed)


def _json_value(value: Any) -> Any:
    kind = type(value)
    if kind is list or kind is dict:
        current_budget().spend(len(value))
    if kind is list:
        return [_json_value(item) for item in value]
    if kind is dict:
        return {key: _json_value(item) for key, item in value.items()}
    if kind is Range or kind is FeelFunction:
        return feel_string(value)
    text = json_text(value)
    return to_python(value) if text is None else text


@builtin("to json", "value")
def _to_json(value: Any) -> Any:
    return json.dumps(_json_value(value), ensure_ascii=False, separators=(",", ":"))


@builtin("fromAi", "value")
def _from_ai(value: Any) -> Any:
    # only tags a value for an AI agent integration; the value passes through unchanged
    return value


@builtin("fromAi", "value", "description")
@builtin("fromAi", "value", "description", "type")
@builtin("fromAi", "value", "description", "type", "schema")
@builtin("fromAi", "value", "description", "type", "schema", "options")
def _from_ai_described(value: Any, *_: Any) -> Any:
    return value
