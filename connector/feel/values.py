"""FEEL values in Python, and the conversion from and to JSON-like Python values.

=========================  ==========================================================
FEEL type                  Python representation inside the evaluator
=========================  ==========================================================
null                       ``None``
number                     ``decimal.Decimal`` (never ``int``/``float``)
string / boolean           ``str`` / ``bool``
list / context             ``list`` / ``dict[str, Any]`` (never mutated once built)
days and time duration     :class:`DayTimeDuration` (nanoseconds, like ``java.time.Duration``)
years and months duration  :class:`YearMonthDuration` (total months, like a normalized ``Period``)
date, time, date and time  see :mod:`connector.feel.temporals`
range                      :class:`Range` (only as a function argument or a whole expression)
function                   :class:`FeelFunction`
=========================  ==========================================================

Numbers compute in the decimal context Camunda uses (Scala's ``BigDecimal`` default,
``MathContext.DECIMAL128``: 34 significant digits, half-even rounding). Operations pass
:data:`DECIMAL` explicitly, so no thread-local decimal context is read or changed.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from connector.feel.budget import current_budget
from connector.feel.durations import format_java_duration, format_java_period
from connector.feel.entry_order import variable_order
from connector.feel.temporal_format import jackson_text
from connector.feel.temporals import LocalDateTime, LocalTime, ZonedDateTime, ZonedTime

__all__ = [
    "DECIMAL",
    "DayTimeDuration",
    "FeelFunction",
    "Range",
    "YearMonthDuration",
    "clamped_int",
    "from_python",
    "is_number",
    "to_python",
    "truncated_mod",
    "type_name",
]

DECIMAL = Context(prec=34, rounding=ROUND_HALF_EVEN, Emax=999_999_999, Emin=-999_999_999)
_LONG_MIN, _LONG_MAX = Decimal(-(2**63)), Decimal(2**63 - 1)


@dataclass(frozen=True, order=True, slots=True)
class DayTimeDuration:
    """A FEEL days-and-time duration, stored as whole nanoseconds (``java.time.Duration``'s resolution)."""

    nanos: int

    @property
    def millis(self) -> int:
        """Whole milliseconds, truncated toward zero like ``Duration.toMillis`` (Java 9+)."""
        millis = abs(self.nanos) // 1_000_000
        return -millis if self.nanos < 0 else millis


@dataclass(frozen=True, order=True, slots=True)
class YearMonthDuration:
    """A FEEL years-and-months duration, stored as total months."""

    months: int


@dataclass(frozen=True, slots=True)
class Range:
    """A FEEL range ``[a..b]``, ``(a..b)``, ``]a..b[``: two points of one type and whether each end is closed."""

    start: Any
    start_closed: bool
    end: Any
    end_closed: bool


@dataclass(frozen=True, slots=True, eq=False)
class FeelFunction:
    """A FEEL function value: a built-in, a connector function or a user-defined ``function(..) body``.

    ``invoke`` receives the already evaluated arguments in parameter order. With ``varargs``, the
    last parameter collects the remaining positional arguments into a list (Camunda's rule).
    """

    name: str
    params: tuple[str, ...]
    invoke: Callable[[list[Any]], Any] = field(repr=False)
    varargs: bool = False


# Python converts 1E+999999 (which `10 ** 999999` is) to an int digit by digit, for minutes; no
# position, count or size needs more than a long, so larger numbers are clamped instead
_CLAMP = 2**63
_SMALL_EXPONENT = 30


def clamped_int(number: Decimal) -> int:
    """``int(number)`` (truncated toward zero), clamped to ±2^63 for numbers too large to convert quickly."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > _SMALL_EXPONENT:
        return _CLAMP if number > 0 else -_CLAMP
    return int(number)


def truncated_mod(number: Decimal, modulus: int) -> int:
    """``int(number) % modulus``, exact and quick however large the number (by modular powers of ten)."""
    sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent <= _SMALL_EXPONENT:
        return int(number) % modulus
    coefficient = int("".join(map(str, digits)))
    value = coefficient * pow(10, exponent, modulus) % modulus
    return -value % modulus if sign else value


def is_number(value: Any) -> bool:
    """Whether the value is a FEEL number (``bool`` is not, although Python treats it as an ``int``)."""
    return type(value) is Decimal


def type_name(value: Any) -> str:
    """The FEEL type name Camunda reports for a value (``instance of`` compares against it)."""
    if value is None:
        return "null"
    return _TYPE_NAMES.get(type(value), "unknown")


_TYPE_NAMES: dict[type, str] = {
    Decimal: "number",
    bool: "boolean",
    str: "string",
    list: "list",
    dict: "context",
    DayTimeDuration: "days and time duration",
    YearMonthDuration: "years and months duration",
    datetime.date: "date",
    LocalTime: "time",
    ZonedTime: "time",
    LocalDateTime: "date and time",
    ZonedDateTime: "date and time",
    Range: "range",
    FeelFunction: "function",
}


def from_python(value: Any) -> Any:
    """Convert a JSON-like Python value (job variables, a response) into a FEEL value.

    ``int``/``float`` become ``Decimal`` (floats through their shortest repr, as Jackson's
    ``BigDecimal.valueOf(double)`` does); NaN and infinities become null, as in Camunda.
    Mappings become contexts with string keys (in the order Camunda's engine iterates them, see
    :mod:`connector.feel.entry_order`), other sequences lists; ``timedelta`` becomes a duration.
    Anything else is passed on as its ``str()``.
    """
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is Decimal:
        return value if value.is_finite() else None
    if kind is int:
        return Decimal(value)
    if kind is dict:
        return _context(value)
    if kind is list:
        return [from_python(item) for item in value]
    return _from_other(value)


def _context(value: Mapping[Any, Any]) -> dict[str, Any]:
    # in the order Camunda's engine gives a job variable's context (Scala's hash maps)
    context = {str(key): from_python(item) for key, item in value.items()}
    if len(context) < 2:
        return context
    return {key: context[key] for key in variable_order(tuple(context))}


def _from_other(value: Any) -> Any:
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return Decimal(int(value))
    if isinstance(value, float):
        return Decimal(repr(float(value))) if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return _context(value)
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        return [from_python(item) for item in value]
    if isinstance(value, datetime.timedelta):
        return DayTimeDuration(_timedelta_nanos(value))
    if type(value) in _TYPE_NAMES:  # already a FEEL value (a function's result, a temporal)
        return value
    return str(value)


def _timedelta_nanos(value: datetime.timedelta) -> int:
    return ((value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds) * 1_000


def to_python(value: Any) -> Any:
    """Convert a FEEL value into a JSON-like Python value.

    Numbers become ``int`` when whole and within a Java ``long``, else ``float`` (as Camunda's
    ``JavaValueMapper`` makes them); durations and temporal values become
    the strings Camunda's Jackson mapper writes for ``java.time`` values (``PT30S``, ``PT24H``,
    ``P1Y2M``, ``2019-01-01T10:00:00+01:00``, ``10:30+02:00``; see :mod:`connector.feel.temporal_format`);
    ranges and functions have no JSON form and become ``None`` (as in Camunda for ranges).
    """
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is Decimal:
        return _number_to_python(value)
    if kind is dict:
        current_budget().spend(len(value) + 1)  # a result may share one list many times over: count each copy
        return {key: to_python(item) for key, item in value.items()}
    if kind is list:
        current_budget().spend(len(value) + 1)
        return [to_python(item) for item in value]
    if kind is DayTimeDuration:
        return format_java_duration(value.nanos)
    if kind is YearMonthDuration:
        return format_java_period(value.months)
    return jackson_text(value)


def _number_to_python(value: Decimal) -> int | float | None:
    # Camunda's JavaValueMapper: a whole number that fits a long stays whole, anything else is a double
    if not value.is_finite():
        return None
    if _LONG_MIN <= value <= _LONG_MAX and value == value.to_integral_value(context=DECIMAL):
        return int(value)
    number = float(value)
    return number if math.isfinite(number) else None
