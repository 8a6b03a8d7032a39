"""Time zones as ``java.time.ZoneId`` has them, on the standard library's ``zoneinfo``.

A zone is named by its id: an IANA region (``Europe/Berlin``, through ``zoneinfo``; the ``tzdata``
package supplies the database where the system has none), a fixed offset (``Z``, ``+01:00``) or a
fixed region (``UTC``, ``GMT``, ``UT``, optionally with an offset: ``UTC+01:00``). A fixed offset is
what Java calls a ``ZoneOffset``; the temporal values keep its zone as ``None``.
"""

from __future__ import annotations

import datetime
import functools
import re
import zoneinfo

__all__ = [
    "ZoneError",
    "offset_at_instant",
    "offset_id",
    "parse_offset",
    "region",
    "resolve_local",
    "standard_offset_now",
]

_OFFSET = re.compile(r"([+-])(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?", re.ASCII)
_FIXED_REGION = re.compile(r"(UTC|GMT|UT)(?:([+-].*))?", re.ASCII)
_REGION_ID = re.compile(r"[A-Za-z][A-Za-z0-9~/._+-]+", re.ASCII)
_EPOCH = datetime.datetime(1970, 1, 1)
_MAX_OFFSET = 18 * 3600


class ZoneError(ValueError):
    """Not a zone id ``java.time.ZoneId.of`` accepts (or one this worker's database does not know)."""


def offset_id(seconds: int) -> str:
    """``ZoneOffset.getId()``: ``Z``, ``+01:00``, ``-05:30``, ``+01:00:30``."""
    if seconds == 0:
        return "Z"
    sign, rest = ("-" if seconds < 0 else "+"), abs(seconds)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def parse_offset(text: str) -> int:
    """``ZoneOffset.of(text)`` in seconds (``Z``, ``+h``, ``+hh``, ``+hh:mm``, ``+hhmm``, ``+hh:mm:ss``).

    Raises:
        ZoneError: if it is not an offset within +/-18:00.
    """
    if text == "Z":
        return 0
    match = _OFFSET.fullmatch(text) if len(text) > 2 else re.fullmatch(r"([+-])(\d)", text, re.ASCII)
    if match is None:
        raise ZoneError(f"invalid offset {text!r}")
    hours = int(match.group(2))
    minutes = int(match.group(3) or 0) if match.lastindex and match.lastindex >= 3 else 0
    seconds = int(match.group(4) or 0) if match.lastindex and match.lastindex >= 4 else 0
    total = hours * 3600 + minutes * 60 + seconds
    if minutes > 59 or seconds > 59 or total > _MAX_OFFSET:
        raise ZoneError(f"invalid offset {text!r}")
    return -total if match.group(1) == "-" else total


def region(zone_id: str) -> tuple[str | None, int | None]:
    """``ZoneId.of(zone_id)``: ``(None, offset)`` for a fixed offset, else ``(id, None)`` for a region.

    Raises:
        ZoneError: for an unknown or malformed id.
    """
    if zone_id == "Z" or zone_id[:1] in ("+", "-"):
        return None, parse_offset(zone_id)
    fixed = _FIXED_REGION.fullmatch(zone_id)
    if fixed is not None:
        if fixed.group(2) is None:
            return zone_id, None
        offset = parse_offset(fixed.group(2))
        return (fixed.group(1) if offset == 0 else fixed.group(1) + offset_id(offset)), None
    _rules(zone_id)
    return zone_id, None


@functools.lru_cache(maxsize=512)
def _rules(zone_id: str) -> datetime.tzinfo:
    fixed = _FIXED_REGION.fullmatch(zone_id)
    if fixed is not None:
        offset = parse_offset(fixed.group(2)) if fixed.group(2) else 0
        return datetime.timezone(datetime.timedelta(seconds=offset))
    if not _REGION_ID.fullmatch(zone_id):
        raise ZoneError(f"invalid zone id {zone_id!r}")
    try:
        return zoneinfo.ZoneInfo(zone_id)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ZoneError(f"unknown time zone {zone_id!r}") from exc


def _offset(value: datetime.timedelta | None) -> int:
    return int(value.total_seconds()) if value is not None else 0


def offset_at_instant(zone_id: str, epoch_second: int) -> int:
    """The zone's offset (seconds) at an instant."""
    rules = _rules(zone_id)
    moment = _EPOCH + datetime.timedelta(seconds=epoch_second)
    return _offset(moment.replace(tzinfo=datetime.timezone.utc).astimezone(rules).utcoffset())


def resolve_local(zone_id: str, local_seconds: int, preferred: int | None = None) -> tuple[int, int]:
    """``ZonedDateTime.ofLocal``: the offset for a local date-time (seconds since the local epoch).

    Returns ``(shift, offset)``: in a gap the local time moves forward by ``shift`` seconds (the gap)
    and takes the later offset; in an overlap the ``preferred`` offset wins if valid, else the
    earlier one (the offset before the transition), as in Java.
    """
    rules = _rules(zone_id)
    local = _EPOCH + datetime.timedelta(seconds=local_seconds)
    before = _offset(local.replace(tzinfo=rules, fold=0).utcoffset())
    after = _offset(local.replace(tzinfo=rules, fold=1).utcoffset())
    valid = [offset for offset in dict.fromkeys((before, after)) if _is_valid(rules, local_seconds, offset)]
    if not valid:  # a gap: fold=0 is the offset before it, fold=1 the one after
        return after - before, after
    if preferred in valid:
        return 0, preferred
    return 0, valid[0]


def _is_valid(rules: datetime.tzinfo, local_seconds: int, offset: int) -> bool:
    instant = _EPOCH + datetime.timedelta(seconds=local_seconds - offset)
    back = instant.replace(tzinfo=datetime.timezone.utc).astimezone(rules)
    return _offset(back.utcoffset()) == offset


def standard_offset_now(zone_id: str) -> int:
    """``ZoneRules.getStandardOffset(Instant.now())``: what feel-scala gives a time with a zone."""
    now = datetime.datetime.now(_rules(zone_id))
    return _offset(now.utcoffset()) - _offset(now.dst())
