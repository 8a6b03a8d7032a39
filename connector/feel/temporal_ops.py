"""Arithmetic and properties of temporal values, as feel-scala computes them with ``java.time``.

- A days-time duration moves a zoned date-time along the time line (``PT24H`` across a DST change
  is 24 real hours); a years-months duration moves the calendar and keeps the local time, the day
  clamped to the month's end (``2019-01-31 + P1M`` is ``2019-02-28``) and the offset kept if it is
  still valid (``ZonedDateTime.plus``).
- Date minus date, local date-time minus local date-time, date-time minus date-time give a
  days-time duration; times with an offset give the *absolute* difference (feel-scala's ``ZonedTime``).
- Anything else is null (``None``), as Camunda's "Can't add ..." failures are.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from connector.feel.temporals import (
    DAY_NANOS,
    LocalDateTime,
    LocalTime,
    ZonedDateTime,
    ZonedTime,
    add_nanos,
    at_zone,
    date_from_ordinal,
    from_instant,
)
from connector.feel.values import DayTimeDuration, YearMonthDuration

__all__ = ["plus_months", "temporal_add", "temporal_property", "temporal_subtract"]

_SECOND = 1_000_000_000


def plus_months(date: datetime.date, months: int) -> datetime.date:
    """``LocalDate.plusMonths``: the day is clamped to the last day of the resulting month."""
    count = date.year * 12 + date.month - 1 + months
    year, month = divmod(count, 12)
    if not 1 <= year <= 9999:
        date_from_ordinal(0)  # fails the evaluation: outside the supported years
    return datetime.date(year, month + 1, min(date.day, calendar.monthrange(year, month + 1)[1]))


def _date_plus_nanos(date: datetime.date, nanos: int) -> datetime.date:
    return add_nanos(LocalDateTime(date, 0), nanos).date


def _zoned_plus_nanos(value: ZonedDateTime, nanos: int) -> ZonedDateTime:
    total = value.epoch_second * _SECOND + value.local.nanos % _SECOND + nanos
    return from_instant(total // _SECOND, total % _SECOND, value.zone, value.offset)


def _zoned_plus_months(value: ZonedDateTime, months: int) -> ZonedDateTime:
    local = LocalDateTime(plus_months(value.local.date, months), value.local.nanos)
    return at_zone(local, value.zone, value.offset, preferred=value.offset)


def _shift(value: Any, amount: Any) -> Any:
    """``value + amount`` for a temporal value and a duration, or ``None``."""
    kind, by = type(value), type(amount)
    if by is DayTimeDuration:
        nanos = amount.nanos
        if kind is datetime.date:
            return _date_plus_nanos(value, nanos)
        if kind is LocalTime:
            return LocalTime((value.nanos + nanos) % DAY_NANOS)
        if kind is ZonedTime:
            return ZonedTime((value.nanos + nanos) % DAY_NANOS, value.offset, value.zone)
        if kind is LocalDateTime:
            return add_nanos(value, nanos)
        if kind is ZonedDateTime:
            return _zoned_plus_nanos(value, nanos)
    if by is YearMonthDuration:
        months = amount.months
        if kind is datetime.date:
            return plus_months(value, months)
        if kind is LocalDateTime:
            return LocalDateTime(plus_months(value.date, months), value.nanos)
        if kind is ZonedDateTime:
            return _zoned_plus_months(value, months)
    return None


def _negated(amount: Any) -> Any:
    if type(amount) is DayTimeDuration:
        return DayTimeDuration(-amount.nanos)
    if type(amount) is YearMonthDuration:
        return YearMonthDuration(-amount.months)
    return None


def temporal_add(left: Any, right: Any) -> Any:
    """``+`` where one side is a temporal value and the other a duration (in either order)."""
    if type(left) in (DayTimeDuration, YearMonthDuration):
        return _shift(right, left)
    return _shift(left, right)


def _between(left: Any, right: Any) -> Any:
    """``left - right`` for two values of one temporal type, in nanoseconds."""
    kind = type(left)
    if kind is not type(right):
        return None
    if kind is datetime.date:
        return (left.toordinal() - right.toordinal()) * DAY_NANOS
    if kind is LocalTime:
        return left.nanos - right.nanos
    if kind is ZonedTime:
        return abs((left.nanos - left.offset * _SECOND) - (right.nanos - right.offset * _SECOND))
    if kind is LocalDateTime:
        return (left.local_seconds - right.local_seconds) * _SECOND + left.nanos % _SECOND - right.nanos % _SECOND
    if kind is ZonedDateTime:
        seconds = left.epoch_second - right.epoch_second
        return seconds * _SECOND + left.local.nanos % _SECOND - right.local.nanos % _SECOND
    return None


def temporal_subtract(left: Any, right: Any) -> Any:
    """``-`` of two temporal values of one type (a days-time duration) or a temporal value minus a duration."""
    nanos = _between(left, right)
    if nanos is not None:
        return DayTimeDuration(nanos)
    negated = _negated(right)
    if negated is None or type(left) in (DayTimeDuration, YearMonthDuration):
        return None
    return _shift(left, negated)


def _offset_duration(seconds: int) -> DayTimeDuration:
    return DayTimeDuration(seconds * _SECOND)


def _time_properties(nanos: int) -> dict[str, Any]:
    seconds = nanos // _SECOND
    return {"hour": Decimal(seconds // 3600), "minute": Decimal(seconds // 60 % 60), "second": Decimal(seconds % 60)}


def _date_properties(date: datetime.date) -> dict[str, Any]:
    return {
        "year": Decimal(date.year),
        "month": Decimal(date.month),
        "day": Decimal(date.day),
        "weekday": Decimal(date.isoweekday()),
    }


def temporal_property(value: Any, key: str) -> Any:
    """``value.key`` for a temporal value: ``year``, ``month``, ``day``, ``weekday``, ``hour``, ``minute``,
    ``second``, ``time offset``, ``timezone`` (whichever the type has); anything else is null."""
    kind = type(value)
    if kind is datetime.date:
        return _date_properties(value).get(key)
    if key == "time offset":
        has = kind in (ZonedTime, ZonedDateTime)
        return _offset_duration(value.offset) if has else None
    if key == "timezone":
        return value.zone if kind in (ZonedTime, ZonedDateTime) else None
    if kind in (LocalTime, ZonedTime):
        return _time_properties(value.nanos).get(key)
    local = value.local if kind is ZonedDateTime else value
    if key in ("hour", "minute", "second"):
        return _time_properties(local.nanos)[key]
    return _date_properties(local.date).get(key)
