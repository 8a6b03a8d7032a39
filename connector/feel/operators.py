"""FEEL operators with Camunda's null rules: equality, ordering, arithmetic and path access.

Where Camunda's engine reports a failure and carries on with ``null`` (``1 + "a"``, ``1 < "a"``,
``{}.x``, division by zero), these functions return ``None``.
"""

from __future__ import annotations

import datetime
import math
import operator
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from connector.feel.budget import current_budget
from connector.feel.errors import FeelFailure
from connector.feel.temporal_ops import temporal_add, temporal_property, temporal_subtract
from connector.feel.temporals import LocalDateTime, LocalTime, ZonedDateTime, ZonedTime, ordering_key
from connector.feel.values import DECIMAL, DayTimeDuration, FeelFunction, Range, YearMonthDuration, truncated_mod

__all__ = [
    "ORDERED_TYPES",
    "TEMPORAL_TYPES",
    "add",
    "divide",
    "equals",
    "multiply",
    "negate",
    "order",
    "path",
    "power",
    "same",
    "subtract",
]

TEMPORAL_TYPES = frozenset({datetime.date, LocalTime, ZonedTime, LocalDateTime, ZonedDateTime})
ORDERED_TYPES = frozenset({Decimal, str, DayTimeDuration, YearMonthDuration, *TEMPORAL_TYPES})
_INT_RANGE = 2**32
ORDER_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def equals(left: Any, right: Any) -> bool | None:
    """FEEL ``=``: null equals only null; values of different types are not comparable (``None``)."""
    if left is None or right is None:
        return left is None and right is None
    kind = type(left)
    if kind is not type(right) or kind is FeelFunction or kind is Range:
        return None
    if kind is list:
        return len(left) == len(right) and all(same(x, y) for x, y in zip(left, right, strict=True))
    if kind is dict:
        return left.keys() == right.keys() and all(same(value, right[key]) for key, value in left.items())
    return bool(left == right)


def same(left: Any, right: Any) -> bool:
    """Whether two values are equal; incomparable values are simply not the same."""
    # one step per comparison: `distinct values` compares every pair, list equality every item
    current_budget().spend()
    return equals(left, right) is True


def order(symbol: str, left: Any, right: Any) -> bool | None:
    """FEEL ``<``, ``<=``, ``>``, ``>=`` on two values of the same ordered type, else ``None``."""
    kind = type(left)
    if kind is not type(right) or kind not in ORDERED_TYPES:
        return None
    if kind in TEMPORAL_TYPES:
        return ORDER_OPERATORS[symbol](ordering_key(left), ordering_key(right))
    return ORDER_OPERATORS[symbol](left, right)


def negate(value: Any) -> Any:
    """Unary minus: numbers only (Camunda does not negate durations), rounded to 34 digits like Scala's."""
    return DECIMAL.minus(value) if type(value) is Decimal else None


def add(left: Any, right: Any) -> Any:
    """``+`` on numbers, strings (concatenation), durations of one kind, and a temporal value and a duration."""
    kind = type(left)
    if kind is not type(right):
        return temporal_add(left, right)
    try:
        if kind is Decimal:
            return DECIMAL.add(left, right)
    except ArithmeticError:
        return None
    if kind is str:
        current_budget().spend_text(len(left) + len(right))
        return left + right
    if kind is DayTimeDuration:
        return DayTimeDuration(left.nanos + right.nanos)
    if kind is YearMonthDuration:
        return YearMonthDuration(left.months + right.months)
    return None


def subtract(left: Any, right: Any) -> Any:
    """``-`` on numbers, durations of one kind and temporal values (see :mod:`connector.feel.temporal_ops`)."""
    kind = type(left)
    if kind is not type(right) or kind in TEMPORAL_TYPES:
        return temporal_subtract(left, right)
    try:
        if kind is Decimal:
            return DECIMAL.subtract(left, right)
    except ArithmeticError:
        return None
    if kind is DayTimeDuration:
        return DayTimeDuration(left.nanos - right.nanos)
    if kind is YearMonthDuration:
        return YearMonthDuration(left.months - right.months)
    return None


def java_int(number: Decimal) -> int:
    """``BigDecimal.intValue()``: the integer part, wrapped to 32 bits as Java does."""
    return (truncated_mod(number, _INT_RANGE) + 2**31) % _INT_RANGE - 2**31


def multiply(left: Any, right: Any) -> Any:
    """``*`` on numbers; a duration times a number uses the number's ``intValue`` (``Duration.multipliedBy``)."""
    if type(left) is Decimal and type(right) is Decimal:
        try:
            return DECIMAL.multiply(left, right)
        except ArithmeticError:
            return None
    if type(right) is Decimal:
        left, right = right, left
    if type(left) is not Decimal:
        return None
    if type(right) is DayTimeDuration:
        return DayTimeDuration(right.nanos * java_int(left))
    if type(right) is YearMonthDuration:
        return YearMonthDuration(right.months * java_int(left))
    return None


def divide(left: Any, right: Any) -> Any:
    """``/``; null when dividing by zero. Duration quotients follow Camunda's integer arithmetic."""
    kind, divisor = type(left), type(right)
    try:
        if kind is Decimal and divisor is Decimal:
            return DECIMAL.divide(left, right) if right else None
        if kind is DayTimeDuration and divisor is Decimal and right:
            return DayTimeDuration(java_int(DECIMAL.divide(Decimal(left.millis), right)) * 1_000_000)
        if kind is DayTimeDuration and divisor is DayTimeDuration and right.nanos:
            if not right.millis:  # Java divides the milliseconds: "/ by zero" fails the evaluation
                raise FeelFailure("division by zero: the divisor is less than a millisecond")
            return Decimal(_truncated_division(left.millis, right.millis))
        if kind is YearMonthDuration and divisor is Decimal and right:
            return YearMonthDuration(java_int(DECIMAL.divide(Decimal(left.months), right)))
        if kind is YearMonthDuration and divisor is YearMonthDuration and right.months:
            return Decimal(_truncated_division(left.months, right.months))
    except ArithmeticError:
        return None
    return None


def _truncated_division(dividend: int, divisor: int) -> int:
    # Java's long division truncates toward zero; Python's // floors.
    quotient = abs(dividend) // abs(divisor)
    return quotient if (dividend >= 0) == (divisor >= 0) else -quotient


def power(base: Any, exponent: Any) -> Any:
    """``**``: exact for whole exponents; a fractional exponent goes through ``double`` like in Camunda.

    Raises:
        FeelFailure: where Java throws and so fails the evaluation: ``0 ** -1`` (division by zero),
            a result that is not a number (``(-1) ** 0.5`` is NaN, ``0 ** -0.5`` infinite).
    """
    if type(base) is not Decimal or type(exponent) is not Decimal:
        return None
    try:
        if exponent == exponent.to_integral_value(context=DECIMAL):
            return _java_pow(base, java_int(exponent))
        result = math.pow(float(base), float(exponent))
    except (ArithmeticError, ValueError):
        result = math.nan
    if not math.isfinite(result):
        raise FeelFailure(f"{base} ** {exponent} is not a finite number")
    return Decimal(repr(result))


def _java_pow(base: Decimal, n: int) -> Decimal:
    """``BigDecimal.pow(n, DECIMAL128)`` step by step (JDK's algorithm), so the digits match Java's:
    ``0.00 ** 1`` is ``0.00``, ``(-2.5) ** -35`` keeps 34 digits where the exact value has fewer."""
    if n == 0:
        return Decimal(1)
    if abs(n) > 999_999_999:
        raise FeelFailure(f"{base} ** {n}: invalid operation")
    magnitude = abs(n)
    digits = DECIMAL.prec + len(str(magnitude)) + 1
    work = Context(prec=digits, rounding=ROUND_HALF_EVEN, Emax=DECIMAL.Emax, Emin=DECIMAL.Emin)
    result, seen = Decimal(1), False
    for bit in range(30, -1, -1):
        if magnitude >> bit & 1:
            seen = True
            result = work.multiply(result, base)
        if bit and seen:
            result = work.multiply(result, result)
    if n < 0:
        result = work.divide(Decimal(1), result)
    return DECIMAL.plus(result)


def path(value: Any, key: str) -> Any:
    """``value.key``: a context entry, a projection over a list, or a property of a duration or temporal value."""
    kind = type(value)
    if kind is dict:
        return value.get(key)
    if kind is list:
        return [path(item, key) for item in value]
    if kind is DayTimeDuration:
        return _day_time_property(value.nanos, key)
    if kind is YearMonthDuration:
        years = _truncated_division(value.months, 12)
        return {"years": Decimal(years), "months": Decimal(value.months - 12 * years)}.get(key)
    if kind in TEMPORAL_TYPES:
        return temporal_property(value, key)
    return None


def _day_time_property(nanos: int, key: str) -> Decimal | None:
    seconds = nanos // 1_000_000_000  # Duration.getSeconds() is rounded down
    if key == "seconds":
        return Decimal(seconds - 60 * _truncated_division(seconds, 60))
    divisor, modulus = {"days": (86_400, 0), "hours": (3_600, 24), "minutes": (60, 60)}.get(key, (0, 0))
    if not divisor:
        return None
    # toDays()/toHours()/toMinutes() truncate toward zero, % keeps the sign (Java)
    whole = _truncated_division(seconds, divisor)
    return Decimal(whole - modulus * _truncated_division(whole, modulus) if modulus else whole)
