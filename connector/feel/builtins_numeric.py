"""Numeric built-ins as Camunda defines them: rounding at a scale, ``modulo``, roots and logarithms.

``sqrt``, ``log`` and ``exp`` compute in double precision like Camunda does. ``modulo`` by zero
and logarithms of non-positive numbers fail the evaluation, as the ``ArithmeticException`` /
``NumberFormatException`` they raise in Camunda's engine does.
"""

from __future__ import annotations

import math
import random
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    InvalidOperation,
)
from typing import Any

from connector.feel.errors import FeelFailure
from connector.feel.registry import builtin
from connector.feel.values import DECIMAL, DayTimeDuration, YearMonthDuration, clamped_int, truncated_mod

__all__: list[str] = []

_MODES = {
    "UP": ROUND_UP,
    "DOWN": ROUND_DOWN,
    "CEILING": ROUND_CEILING,
    "FLOOR": ROUND_FLOOR,
    "HALF_UP": ROUND_HALF_UP,
    "HALF_DOWN": ROUND_HALF_DOWN,
    "HALF_EVEN": ROUND_HALF_EVEN,
}
# BigDecimal.setScale keeps every digit it needs; quantize needs the precision spelled out.
_SCALE_LIMIT = 6_176
_EXACT_DIGITS = 10_000


def _numbers(*values: Any) -> bool:
    return all(type(value) is Decimal for value in values)


def _round(number: Any, scale: Any, rounding: str | None) -> Any:
    """``BigDecimal.setScale(scale, mode)``; ``rounding`` None is ``UNNECESSARY`` (exact or null)."""
    if not _numbers(number, scale) or abs(clamped_int(scale)) > _SCALE_LIMIT:
        return None
    places = int(scale)
    digits = max(number.adjusted() + places + 2, 1)
    context = Context(prec=digits, rounding=rounding or ROUND_HALF_EVEN, Emax=999_999_999, Emin=-999_999_999)
    try:
        result = number.quantize(Decimal((0, (1,), -places)), context=context)
    except InvalidOperation:
        return None
    return None if rounding is None and result != number else result


@builtin("decimal", "n", "scale")
def _decimal(number: Any, scale: Any) -> Any:
    return _round(number, scale, ROUND_HALF_EVEN)


@builtin("decimal", "n", "scale", "mode")
def _decimal_mode(number: Any, scale: Any, mode: Any) -> Any:
    if type(mode) is not str or (mode.upper() not in _MODES and mode.upper() != "UNNECESSARY"):
        return None
    return _round(number, scale, _MODES.get(mode.upper()))


def _register_rounding(name: str, rounding: str, with_default_scale: bool) -> None:
    if with_default_scale:  # only floor() and ceiling() have a one-argument form in Camunda
        builtin(name, "n")(lambda number: _round(number, Decimal(0), rounding))
    builtin(name, "n", "scale")(lambda number, scale: _round(number, scale, rounding))


for _name, _rounding, _default in (
    ("floor", ROUND_FLOOR, True),
    ("ceiling", ROUND_CEILING, True),
    ("round up", ROUND_UP, False),
    ("round down", ROUND_DOWN, False),
    ("round half up", ROUND_HALF_UP, False),
    ("round half down", ROUND_HALF_DOWN, False),
):
    _register_rounding(_name, _rounding, _default)


@builtin("abs", "n")
@builtin("abs", "number")
def _abs(number: Any) -> Any:
    kind = type(number)
    if kind is Decimal:
        return number.copy_abs()
    if kind is DayTimeDuration:
        return DayTimeDuration(abs(number.nanos))
    if kind is YearMonthDuration:
        return YearMonthDuration(abs(number.months))
    return None


@builtin("modulo", "dividend", "divisor")
def _modulo(dividend: Any, divisor: Any) -> Any:
    if not _numbers(dividend, divisor):
        return None
    if not divisor:
        raise FeelFailure("modulo: division by zero")
    # ((dividend % divisor) + divisor) % divisor: the result has the divisor's sign
    remainder = _java_remainder(dividend, divisor)
    return _java_remainder(DECIMAL.add(remainder, divisor), divisor)


def _java_remainder(dividend: Decimal, divisor: Decimal) -> Decimal:
    """``BigDecimal.remainder(divisor, DECIMAL128)``: it fails only if the integral quotient, without
    its trailing zeros, needs more than 34 digits (Python's ``remainder`` counts the zeros too)."""
    try:
        return DECIMAL.remainder(dividend, divisor)
    except InvalidOperation:
        pass
    digits = dividend.adjusted() - divisor.adjusted() + len(divisor.as_tuple().digits) + 2
    if digits > _EXACT_DIGITS:
        raise FeelFailure("modulo: the quotient does not fit the decimal precision")
    exact = Context(prec=max(digits, 34), Emax=999_999_999, Emin=-999_999_999)
    quotient = exact.divide_int(dividend, divisor)
    if len(quotient.normalize(exact).as_tuple().digits) > DECIMAL.prec:
        raise FeelFailure("modulo: the quotient does not fit the decimal precision")
    return exact.subtract(dividend, exact.multiply(quotient, divisor))


def _double(value: float) -> Decimal:
    if not math.isfinite(value):
        raise FeelFailure("the result is not a finite number")
    return Decimal(repr(value))


@builtin("sqrt", "number")
def _sqrt(number: Any) -> Any:
    if type(number) is not Decimal or number < 0:
        return None
    return _double(math.sqrt(float(number)))


@builtin("log", "number")
def _log(number: Any) -> Any:
    if type(number) is not Decimal:
        return None
    if number <= 0:
        raise FeelFailure(f"log({number}) is not a finite number")
    return _double(math.log(float(number)))


@builtin("exp", "number")
def _exp(number: Any) -> Any:
    if type(number) is not Decimal:
        return None
    try:
        return _double(math.exp(float(number)))
    except OverflowError as exc:
        raise FeelFailure(f"exp({number}) is not a finite number") from exc


def _remainder_by_two(number: Any) -> Decimal | None:
    if type(number) is not Decimal:
        return None
    if number == number.to_integral_value(context=DECIMAL):
        return Decimal(truncated_mod(number, 2))  # exact however many digits the number has
    try:
        return DECIMAL.remainder(number, 2)
    except InvalidOperation:
        return None


@builtin("odd", "number")
def _odd(number: Any) -> Any:
    remainder = _remainder_by_two(number)
    return None if remainder is None else remainder.copy_abs() == 1


@builtin("even", "number")
def _even(number: Any) -> Any:
    remainder = _remainder_by_two(number)
    return None if remainder is None else remainder == 0


@builtin("random number")
def _random_number() -> Any:
    return Decimal(repr(random.random()))
