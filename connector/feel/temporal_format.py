"""The three ways temporal values are written: FEEL's ``string()``, Camunda's job variables, ``to json()``.

- :func:`feel_text`: feel-scala's ``toString`` (``10:30:00@Europe/Berlin``,
  ``2019-01-01T10:00:00+01:00``, ``2019-01-01T10:00:00@Europe/Berlin``).
- :func:`jackson_text`: what the connector runtime's Jackson mapper (``JavaTimeModule``, dates not
  as timestamps) writes when the value leaves the expression: ISO forms with seconds for local
  values, a zoned date-time with its offset and without the zone id (UTC as ``Z``), and a time with
  offset as ``OffsetTime.toString()`` (``10:30+02:00``: seconds only when not zero).
- :func:`json_text`: FEEL's own ``to json()`` (``ISO_ZONED_DATE_TIME``: the zone id in brackets).
"""

from __future__ import annotations

import datetime
from typing import Any

from connector.feel.temporals import LocalDateTime, LocalTime, ZonedDateTime, ZonedTime
from connector.feel.zones import offset_id

__all__ = ["feel_text", "jackson_text", "json_text", "time_text"]

_SECOND = 1_000_000_000


def _date_text(date: datetime.date) -> str:
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"


def time_text(nanos: int) -> str:
    """``HH:mm:ss`` plus as many fraction digits as needed (``ISO_LOCAL_TIME``)."""
    seconds, fraction = divmod(nanos, _SECOND)
    minutes, second = divmod(seconds, 60)
    text = f"{minutes // 60:02d}:{minutes % 60:02d}:{second:02d}"
    return text + ("." + f"{fraction:09d}".rstrip("0") if fraction else "")


def _java_time_text(nanos: int) -> str:
    """``LocalTime.toString()``: seconds only when not zero, fractions in groups of three digits."""
    seconds, fraction = divmod(nanos, _SECOND)
    minutes, second = divmod(seconds, 60)
    text = f"{minutes // 60:02d}:{minutes % 60:02d}"
    if second or fraction:
        text += f":{second:02d}"
    if fraction:
        digits = f"{fraction:09d}"
        text += "." + (digits[:3] if fraction % 1_000_000 == 0 else digits[:6] if fraction % 1000 == 0 else digits)
    return text


def _local_text(value: LocalDateTime) -> str:
    return f"{_date_text(value.date)}T{time_text(value.nanos)}"


def feel_text(value: Any) -> str | None:
    """feel-scala's string form of a temporal value, or ``None`` if it is not one."""
    kind = type(value)
    if kind is datetime.date:
        return _date_text(value)
    if kind is LocalTime:
        return time_text(value.nanos)
    if kind is ZonedTime:
        return time_text(value.nanos) + (f"@{value.zone}" if value.zone else offset_id(value.offset))
    if kind is LocalDateTime:
        return _local_text(value)
    if kind is ZonedDateTime:
        return _local_text(value.local) + (f"@{value.zone}" if value.zone else offset_id(value.offset))
    return None


def jackson_text(value: Any) -> str | None:
    """The text Camunda's connector runtime writes for a temporal value, or ``None`` if it is not one."""
    kind = type(value)
    if kind is ZonedTime:
        return _java_time_text(value.nanos) + offset_id(value.offset)
    if kind is ZonedDateTime:
        return _local_text(value.local) + offset_id(value.offset)
    return feel_text(value)


def json_text(value: Any) -> str | None:
    """The text of a temporal value in FEEL's ``to json()``, or ``None`` if it is not one."""
    kind = type(value)
    if kind is ZonedTime:
        return time_text(value.nanos) + offset_id(value.offset)
    if kind is ZonedDateTime:
        text = _local_text(value.local) + offset_id(value.offset)
        return text + (f"[{value.zone}]" if value.zone else "")
    return feel_text(value)
