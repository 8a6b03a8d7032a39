"""FEEL's temporal values, as feel-scala keeps them in ``java.time`` types -- with nanoseconds.

===================  ======================================  ==============================
FEEL value           Java type in Camunda's engine           here
===================  ======================================  ==============================
date                 ``LocalDate``                           ``datetime.date``
time (local)         ``LocalTime``                           :class:`LocalTime`
time (offset/zone)   feel-scala's ``ZonedTime``              :class:`ZonedTime`
date and time        ``LocalDateTime``                       :class:`LocalDateTime`
date and time (z)    ``ZonedDateTime``                       :class:`ZonedDateTime`
===================  ======================================  ==============================

Equality is Java's ``equals`` (field by field: ``10:00+01:00`` is not ``09:00Z``); ordering is
Java's ``compareTo`` (by instant first), exposed as :func:`ordering_key`. Dates cover the years
1..9999 (Python's range); a value beyond it fails the evaluation (see ``UNSUPPORTED.md``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from connector.feel.errors import FeelFailure
from connector.feel.zones import offset_at_instant, offset_id, resolve_local

__all__ = [
    "DAY_NANOS",
    "LocalDateTime",
    "LocalTime",
    "ZonedDateTime",
    "ZonedTime",
    "add_nanos",
    "at_zone",
    "date_from_ordinal",
    "from_instant",
    "ordering_key",
    "zone_id",
]

DAY_NANOS = 86_400 * 1_000_000_000
_SECOND = 1_000_000_000
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


@dataclass(frozen=True, slots=True)
class LocalTime:
    """A time of day without offset: nanoseconds since midnight."""

    nanos: int


@dataclass(frozen=True, slots=True)
class ZonedTime:
    """feel-scala's ``ZonedTime``: a local time, its offset (seconds) and, optionally, the zone it came from."""

    nanos: int
    offset: int
    zone: str | None


@dataclass(frozen=True, slots=True)
class LocalDateTime:
    """A date and a time of day (nanoseconds since midnight), without offset."""

    date: datetime.date
    nanos: int

    @property
    def local_seconds(self) -> int:
        """Seconds since 1970-01-01T00:00 in local terms."""
        return (self.date.toordinal() - _EPOCH_ORDINAL) * 86_400 + self.nanos // _SECOND


@dataclass(frozen=True, slots=True)
class ZonedDateTime:
    """``java.time.ZonedDateTime``: the local date-time, the offset in force, the zone (``None``: the offset)."""

    local: LocalDateTime
    offset: int
    zone: str | None

    @property
    def epoch_second(self) -> int:
        """The instant, in whole seconds since the epoch."""
        return self.local.local_seconds - self.offset


def zone_id(value: ZonedDateTime | ZonedTime) -> str:
    """``getZone().getId()``: the region, or the offset's id for a fixed offset."""
    return value.zone if value.zone is not None else offset_id(value.offset)


def date_from_ordinal(ordinal: int) -> datetime.date:
    """The date with the given proleptic ordinal, failing the evaluation outside the years 1..9999."""
    try:
        return datetime.date.fromordinal(ordinal)
    except (ValueError, OverflowError):
        raise FeelFailure("dates outside the years 1..9999 are not supported by this worker") from None


def add_nanos(value: LocalDateTime, nanos: int) -> LocalDateTime:
    """``LocalDateTime.plus(Duration)``: the date rolls over as the time passes midnight."""
    days, time = divmod(value.nanos + nanos, DAY_NANOS)
    return LocalDateTime(date_from_ordinal(value.date.toordinal() + days), time)


def _local_from_seconds(seconds: int, nano: int) -> LocalDateTime:
    days, rest = divmod(seconds, 86_400)
    return LocalDateTime(date_from_ordinal(_EPOCH_ORDINAL + days), rest * _SECOND + nano)


def from_instant(epoch_second: int, nano: int, zone: str | None, offset: int = 0) -> ZonedDateTime:
    """``ZonedDateTime.ofInstant``: the instant seen in a region (or at a fixed ``offset`` when ``zone`` is None)."""
    if zone is not None:
        offset = offset_at_instant(zone, epoch_second)
    return ZonedDateTime(_local_from_seconds(epoch_second + offset, nano), offset, zone)


def at_zone(local: LocalDateTime, zone: str | None, offset: int = 0, preferred: int | None = None) -> ZonedDateTime:
    """``ZonedDateTime.ofLocal``: a local date-time in a region (a gap moves it forward), or at a fixed offset."""
    if zone is None:
        return ZonedDateTime(local, offset, None)
    shift, resolved = resolve_local(zone, local.local_seconds, preferred)
    if shift:
        local = add_nanos(local, shift * _SECOND)
    return ZonedDateTime(local, resolved, zone)


def ordering_key(value: Any) -> Any:
    """A key that orders values of one temporal type as Java's ``compareTo`` does."""
    kind = type(value)
    if kind is ZonedDateTime:
        return (value.epoch_second, value.local.nanos % _SECOND, value.local.date, value.local.nanos, zone_id(value))
    if kind is ZonedTime:
        return value.nanos - value.offset * _SECOND
    if kind is LocalDateTime:
        return (value.local_seconds, value.nanos)
    if kind is LocalTime:
        return value.nanos
    return value
