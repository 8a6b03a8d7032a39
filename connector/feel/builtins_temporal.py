"""Temporal built-ins as feel-scala defines them: ``date()``, ``time()``, ``date and time()``, ``now()``, ...

Each constructor takes the argument forms Camunda's takes (a string, the parts, or another
temporal value); arguments that do not make a value yield null. A zone id Java refuses
(``date and time(x, "Mars/Olympus")``) fails the evaluation, as the exception does in Camunda.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from connector.feel.clock import current_time
from connector.feel.errors import FeelFailure
from connector.feel.operators import java_int
from connector.feel.registry import builtin
from connector.feel.temporal_text import parse_date, parse_date_time, parse_time
from connector.feel.temporals import LocalDateTime, LocalTime, ZonedDateTime, ZonedTime, at_zone, from_instant
from connector.feel.values import DayTimeDuration, YearMonthDuration
from connector.feel.zones import ZoneError, region

__all__: list[str] = []

_SECOND = 1_000_000_000
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _date_of(value: Any) -> datetime.date | None:
    kind = type(value)
    if kind is datetime.date:
        return value  # type: ignore[no-any-return]
    if kind is LocalDateTime:
        return value.date  # type: ignore[no-any-return]
    if kind is ZonedDateTime:
        return value.local.date  # type: ignore[no-any-return]
    return None


@builtin("date", "from")
def _date(value: Any) -> Any:
    return parse_date(value) if type(value) is str else _date_of(value)


@builtin("date", "year", "month", "day")
def _date_parts(year: Any, month: Any, day: Any) -> Any:
    if not all(type(part) is Decimal for part in (year, month, day)):
        return None
    y, m, d = java_int(year), java_int(month), java_int(day)
    if not -999_999_999 <= y <= 999_999_999:
        return None
    try:
        return datetime.date(y, m, d)
    except ValueError:
        if 1 <= y <= 9999 or not (1 <= m <= 12 and 1 <= d <= 31):
            return None
        raise FeelFailure("dates outside the years 1..9999 are not supported by this worker") from None


@builtin("date and time", "from")
def _date_and_time(value: Any) -> Any:
    return parse_date_time(value) if type(value) is str else None


def _zone_of(text: str) -> tuple[str | None, int]:
    try:
        zone, offset = region(text)
    except ZoneError as exc:
        raise FeelFailure(str(exc)) from None
    return zone, offset or 0


def _combine(date: datetime.date, time: Any) -> Any:
    if type(time) is LocalTime:
        return LocalDateTime(date, time.nanos)
    if type(time) is ZonedTime:
        return at_zone(LocalDateTime(date, time.nanos), time.zone, time.offset)
    return None


@builtin("date and time", "date", "time")
def _date_and_time_parts(date: Any, time: Any) -> Any:
    day = _date_of(date)
    if day is None:
        return None
    if type(time) is not str:
        return _combine(day, time)
    if type(date) is LocalDateTime:
        return at_zone(date, *_zone_of(time))
    if type(date) is ZonedDateTime:
        zone, offset = _zone_of(time)
        return from_instant(date.epoch_second, date.local.nanos % _SECOND, zone, offset)
    return None


@builtin("time", "from")
def _time(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return parse_time(value)
    if kind is LocalDateTime:
        return LocalTime(value.nanos)
    if kind is ZonedDateTime:
        return ZonedTime(value.local.nanos, value.offset, value.zone)
    if kind is datetime.date:
        return ZonedTime(0, 0, None)
    return None


def _local_time(hour: Any, minute: Any, second: Any, with_fraction: bool) -> LocalTime | None:
    if not all(type(part) is Decimal for part in (hour, minute, second)):
        return None
    h, m, s = java_int(hour), java_int(minute), java_int(second)
    fraction = java_int((second % 1).scaleb(9)) if with_fraction else 0
    if not (0 <= h <= 23 and 0 <= m <= 59 and 0 <= s <= 59 and 0 <= fraction < _SECOND):
        return None
    return LocalTime(((h * 60 + m) * 60 + s) * _SECOND + fraction)


@builtin("time", "hour", "minute", "second")
def _time_parts(hour: Any, minute: Any, second: Any) -> Any:
    return _local_time(hour, minute, second, with_fraction=True)


@builtin("time", "hour", "minute", "second", "offset")
def _time_offset(hour: Any, minute: Any, second: Any, offset: Any) -> Any:
    if offset is None:
        return _local_time(hour, minute, second, with_fraction=False)
    local = _local_time(hour, minute, second, with_fraction=True)
    if local is None or type(offset) is not DayTimeDuration:
        return None
    seconds = offset.nanos // _SECOND  # Duration.getSeconds()
    if abs(seconds) > 18 * 3600:
        return None
    return ZonedTime(local.nanos, seconds, None)


def _months_between(start: datetime.date, end: datetime.date) -> int:
    # Period.between: whole months, one less when the end day has not come yet
    months = (end.year * 12 + end.month) - (start.year * 12 + start.month)
    days = end.day - start.day
    if months > 0 and days < 0:
        return months - 1
    if months < 0 and days > 0:
        return months + 1
    return months


@builtin("years and months duration", "from", "to")
def _years_and_months(start: Any, end: Any) -> Any:
    first, last = _date_of(start), _date_of(end)
    if first is None or last is None:
        return None
    return YearMonthDuration(_months_between(first, last))


@builtin("now")
def _now() -> Any:
    return current_time()


@builtin("today")
def _today() -> Any:
    return current_time().local.date


def _register_date_function(name: str, compute: Any) -> None:
    builtin(name, "date")(lambda value: None if _date_of(value) is None else compute(_date_of(value)))


for _name, _compute in (
    ("day of year", lambda date: Decimal(date.timetuple().tm_yday)),
    ("day of week", lambda date: _DAYS[date.weekday()]),
    ("month of year", lambda date: _MONTHS[date.month - 1]),
    ("week of year", lambda date: Decimal(date.isocalendar()[1])),
    ("last day of month", lambda date: _last_day(date)),
):
    _register_date_function(_name, _compute)


def _last_day(date: datetime.date) -> datetime.date:
    following = date.replace(day=28) + datetime.timedelta(days=4)
    return following - datetime.timedelta(days=following.day)
