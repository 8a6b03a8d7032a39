"""Reading FEEL's temporal text forms, as feel-scala checks and parses them.

feel-scala first matches a text against a pattern (``isValidDate``, ``isOffsetTime``, ...) and then
parses it with a ``java.time`` formatter; both steps are reproduced here. A text neither accepts is
``None`` (FEEL's null). :func:`parse_literal` is the ``@"..."`` literal, which tries the kinds in
feel-scala's order: date, time with offset or zone, date-time with offset or zone, local date-time,
years-months duration, days-time duration, local time.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from connector.feel.durations import (
    DurationError,
    parse_day_time_duration,
    parse_duration_nanos,
    parse_year_month_duration,
)
from connector.feel.errors import FeelFailure
from connector.feel.temporals import LocalDateTime, LocalTime, ZonedDateTime, ZonedTime, at_zone, from_instant
from connector.feel.values import DayTimeDuration, YearMonthDuration
from connector.feel.zones import ZoneError, parse_offset, region, standard_offset_now

__all__ = ["parse_date", "parse_date_time", "parse_literal", "parse_time"]

_FLAGS = re.ASCII
# Java's '.' matches anything but a line terminator
_ANY = r"[^\n\r\u0085\u2028\u2029]"
_DATE_GATE = re.compile(r"-?([1-9]\d{0,4})?\d{4}-[01][0-9]-[0-3]\d", _FLAGS)
_OFFSET_TIME_GATE = re.compile(rf"T?\d{{2}}:\d{{2}}:\d{{2}}(\.\d{{1,9}})?([+-]\d{{2}}:\d{{2}}|Z|@{_ANY}*)", _FLAGS)
_DATE_TIME = r"-?([1-9]\d{0,4})?\d{4}-[01][0-9]-[0-3]\dT[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?(\.\d{1,9})?"
_OFFSET_DATE_TIME_GATE = re.compile(_DATE_TIME + rf"(((([+-][01][0-9]:[0-5][0-9])|Z)(\[{_ANY}+\])?)|@{_ANY}*)", _FLAGS)
_LOCAL_DATE_TIME_GATE = re.compile(_DATE_TIME, _FLAGS)

# the java.time formatters feel-scala parses with (package.scala)
_DATE = r"(?P<sign>-?)(?P<year>\d{4,9})-(?P<month>\d{2})-(?P<day>\d{2})"
_TIME = r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.(?P<fraction>\d{0,9}))?"
_ZONE = r"(?P<offset>Z|[+-]\d{2}:\d{2}(?::\d{2})?)?(?:\[(?P<bracket>[^\]]+)\])?(?:@(?P<at>.+))?"
_LOCAL_TIME = re.compile(rf"T?{_TIME}", _FLAGS | re.DOTALL)
_ZONED_TIME = re.compile(rf"T?{_TIME}{_ZONE}", _FLAGS | re.DOTALL)
_DATE_ONLY = re.compile(_DATE, _FLAGS)
_LOCAL_DATE_TIME = re.compile(rf"{_DATE}T{_TIME}", _FLAGS)
_ZONED_DATE_TIME = re.compile(rf"{_DATE}T{_TIME}{_ZONE}", _FLAGS | re.DOTALL)
_SECOND = 1_000_000_000


class _Invalid(Exception):
    """The text does not parse (Camunda: the value is null)."""


def _date(match: re.Match[str]) -> datetime.date:
    year = int(match["year"])
    if match["sign"] or not 1 <= year <= 9999:
        raise FeelFailure("dates outside the years 1..9999 are not supported by this worker")
    try:
        return datetime.date(year, int(match["month"]), int(match["day"]))
    except ValueError:
        raise _Invalid from None


def _time_nanos(match: re.Match[str], smart: bool) -> int:
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    fraction = int((match["fraction"] or "").ljust(9, "0") or "0")
    if smart and hour == 24 and minute == second == fraction == 0:
        return 0  # the SMART resolver reads 24:00 as midnight
    if hour > 23 or minute > 59 or second > 59:
        raise _Invalid
    return ((hour * 60 + minute) * 60 + second) * _SECOND + fraction


def _zone(match: re.Match[str]) -> tuple[int | None, str | None, bool]:
    """(offset, region, has a zone at all) from the offset/zone part."""
    offset = None if match["offset"] is None else parse_offset(match["offset"])
    zone_text = match["at"] if match["at"] is not None else match["bracket"]
    zone = None
    if zone_text is not None:
        zone, fixed = region(zone_text)
        if zone is None:  # an offset given where a zone id is expected: a fixed-offset zone
            offset = fixed if offset is None else offset
    return offset, zone, offset is not None or zone is not None


def _parse_zoned_time(text: str) -> ZonedTime:
    match = _ZONED_TIME.fullmatch(text)
    if match is None:
        raise _Invalid
    nanos = _time_nanos(match, smart=True)
    offset, zone, zoned = _zone(match)
    if not zoned:
        raise _Invalid
    if offset is None:
        offset = standard_offset_now(zone or "")
    return ZonedTime(nanos, offset, zone)


def _parse_local_time(text: str) -> LocalTime:
    match = _LOCAL_TIME.fullmatch(text)
    if match is None:
        raise _Invalid
    return LocalTime(_time_nanos(match, smart=True))


def _parse_local_date_time(text: str) -> LocalDateTime:
    match = _LOCAL_DATE_TIME.fullmatch(text)
    if match is None:
        raise _Invalid
    return LocalDateTime(_date(match), _time_nanos(match, smart=False))


def _parse_zoned_date_time(text: str) -> ZonedDateTime:
    match = _ZONED_DATE_TIME.fullmatch(text)
    if match is None:
        raise _Invalid
    local = LocalDateTime(_date(match), _time_nanos(match, smart=False))
    offset, zone, zoned = _zone(match)
    if not zoned:
        raise _Invalid
    if offset is None:
        return at_zone(local, zone)
    if zone is None:
        return ZonedDateTime(local, offset, None)
    # an offset and a region: the instant the offset gives, seen in the region (Java's resolution)
    return from_instant(local.local_seconds - offset, local.nanos % _SECOND, zone)


def _attempt(parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except (_Invalid, ZoneError):
        return None


def parse_date(text: str) -> datetime.date | None:
    """``date(text)``: ``yyyy-MM-dd``, strictly (``2019-02-30`` is null)."""
    if not _DATE_GATE.fullmatch(text):
        return None
    match = _DATE_ONLY.fullmatch(text)
    return None if match is None else _attempt(lambda _: _date(match), text)


def parse_time(text: str) -> LocalTime | ZonedTime | None:
    """``time(text)``: a time with offset or ``@zone`` if it has one (and seconds), else a local time."""
    if _OFFSET_TIME_GATE.fullmatch(text):
        return _attempt(_parse_zoned_time, text)  # type: ignore[no-any-return]
    return _attempt(_parse_local_time, text)  # type: ignore[no-any-return]


def parse_date_time(text: str, literal: bool = False) -> LocalDateTime | ZonedDateTime | None:
    """``date and time(text)``: a date alone is midnight; with offset or zone a zoned date-time.

    ``literal``: the form with a string literal, which feel-scala parses when it reads the
    expression, skipping its pattern check for local date-times.
    """
    if _DATE_GATE.fullmatch(text):
        date = parse_date(text)
        return None if date is None else LocalDateTime(date, 0)
    if _OFFSET_DATE_TIME_GATE.fullmatch(text):
        return _attempt(_parse_zoned_date_time, text)  # type: ignore[no-any-return]
    if literal or _LOCAL_DATE_TIME_GATE.fullmatch(text):
        return _attempt(_parse_local_date_time, text)  # type: ignore[no-any-return]
    return None


def parse_duration_literal(text: str) -> Any:
    """``duration("...")`` with a literal: a years-months duration if it looks like one, else ``Duration.parse``."""
    months = parse_year_month_duration(text)
    if months is not None:
        return YearMonthDuration(months)
    if re.fullmatch(r"-?P-?(\d+Y)?-?(\d+M)?", text, re.ASCII):
        return None
    try:
        return DayTimeDuration(parse_duration_nanos(text))
    except DurationError:
        return None


def parse_literal(text: str) -> Any:
    """The value of ``@"text"``, or ``None`` if no kind accepts the text."""
    if _DATE_GATE.fullmatch(text):
        return parse_date(text)
    if _OFFSET_TIME_GATE.fullmatch(text):
        return _attempt(_parse_zoned_time, text)
    if _OFFSET_DATE_TIME_GATE.fullmatch(text):
        return _attempt(_parse_zoned_date_time, text)
    if _LOCAL_DATE_TIME_GATE.fullmatch(text):
        return _attempt(_parse_local_date_time, text)
    if re.fullmatch(r"-?P-?(\d+Y)?-?(\d+M)?", text, re.ASCII):
        months = parse_year_month_duration(text)
        return None if months is None else YearMonthDuration(months)
    nanos = parse_day_time_duration(text)
    if nanos is not None:
        return DayTimeDuration(nanos)
    return _attempt(_parse_local_time, text)
