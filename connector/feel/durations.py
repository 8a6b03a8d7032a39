"""ISO-8601 durations: parsing FEEL's ``duration("...")`` and the three ways Camunda prints them.

- :func:`format_feel_duration` / :func:`format_feel_period`: FEEL's ``string(duration)``
  (``P1DT2H``, ``-PT2M30S``, zero is ``P0D`` / ``P0Y``).
- :func:`format_java_duration` / :func:`format_java_period`: what Camunda's Jackson mapper writes
  into job variables (``java.time.Duration.toString()``: ``PT30S``, ``PT24H``, zero ``PT0S``;
  ``Period.toString()``: ``P1Y2M``, zero ``P0D``). Job outputs use these, so that a
  ``retryBackoff`` reads exactly as the Java runtime would send it.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = [
    "format_feel_duration",
    "format_feel_period",
    "format_java_duration",
    "format_java_period",
    "parse_day_time_duration",
    "parse_year_month_duration",
]

NANOS_PER_SECOND = 1_000_000_000

# java.time.Duration.parse: signs allowed on the whole and on each component, ',' or '.' fractions.
_DAY_TIME = re.compile(
    r"([-+]?)P(?:([-+]?\d+)D)?(T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?",
    re.IGNORECASE,
)
_YEAR_MONTH = re.compile(r"([-+]?)P(?:([-+]?\d+)Y)?(?:([-+]?\d+)M)?", re.IGNORECASE)
_UNIT_NANOS = (86_400 * NANOS_PER_SECOND, 3_600 * NANOS_PER_SECOND, 60 * NANOS_PER_SECOND)


def parse_day_time_duration(text: str) -> int | None:
    """Parse ``PnDTnHnMn.nS`` into nanoseconds, or ``None`` if it is not a days-and-time duration."""
    match = _DAY_TIME.fullmatch(text)
    if match is None or (match.group(3) is not None and match.group(3).upper() == "T"):
        return None
    sign, days, _, hours, minutes, seconds, fraction = match.groups()
    if days is None and hours is None and minutes is None and seconds is None:
        return None
    total = 0
    for amount, unit in zip((days, hours, minutes), _UNIT_NANOS, strict=True):
        total += int(amount or 0) * unit
    if seconds is not None:
        whole = int(seconds) * NANOS_PER_SECOND
        part = int((fraction or "").ljust(9, "0") or "0")
        total += whole - part if seconds.startswith("-") else whole + part
    return -total if sign == "-" else total


def parse_year_month_duration(text: str) -> int | None:
    """Parse ``PnYnM`` into total months, or ``None`` if it is not a years-and-months duration."""
    match = _YEAR_MONTH.fullmatch(text)
    if match is None or (match.group(2) is None and match.group(3) is None):
        return None
    sign, years, months = match.groups()
    total = int(years or 0) * 12 + int(months or 0)
    return -total if sign == "-" else total


def format_feel_duration(nanos: int) -> str:
    """FEEL's string form of a days-and-time duration, e.g. ``P1DT2H3M4S``; zero is ``P0D``."""
    if nanos == 0:
        return "P0D"
    sign, rest = ("-" if nanos < 0 else ""), abs(nanos)
    days, rest = divmod(rest, _UNIT_NANOS[0])
    hours, rest = divmod(rest, _UNIT_NANOS[1])
    minutes, rest = divmod(rest, _UNIT_NANOS[2])
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if rest:
        time += _seconds_text(rest) + "S"
    return f"{sign}P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")


def format_feel_period(months: int) -> str:
    """FEEL's string form of a years-and-months duration, e.g. ``P1Y2M``; zero is ``P0Y``."""
    if months == 0:
        return "P0Y"
    years, rest = divmod(abs(months), 12)
    text = (f"{years}Y" if years else "") + (f"{rest}M" if rest else "")
    return ("-" if months < 0 else "") + "P" + text


def format_java_duration(nanos: int) -> str:
    """``java.time.Duration.toString()``: hours are the largest unit (``PT48H``), zero is ``PT0S``."""
    if nanos == 0:
        return "PT0S"
    seconds, nano = divmod(nanos, NANOS_PER_SECOND)  # floor, like Duration's (seconds, nanos) pair
    effective = seconds + 1 if seconds < 0 and nano > 0 else seconds
    hours, minutes, secs = _java_split(effective)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if secs == 0 and nano == 0 and len(text) > 2:
        return text
    text += "-0" if seconds < 0 and nano > 0 and secs == 0 else str(secs)
    if nano > 0:
        digits = str(2 * NANOS_PER_SECOND - nano if seconds < 0 else nano + NANOS_PER_SECOND)
        text += "." + digits[1:].rstrip("0")
    return text + "S"


def _java_split(total_seconds: int) -> tuple[int, int, int]:
    # Java's / and % truncate toward zero; Python's floor, so work on the magnitude.
    sign = -1 if total_seconds < 0 else 1
    hours, rest = divmod(abs(total_seconds), 3_600)
    minutes, secs = divmod(rest, 60)
    return sign * hours, sign * minutes, sign * secs


def format_java_period(months: int) -> str:
    """``java.time.Period.toString()`` of a normalized period: ``P1Y2M``, ``P-1Y-2M``; zero is ``P0D``."""
    if months == 0:
        return "P0D"
    sign = -1 if months < 0 else 1
    years, rest = divmod(abs(months), 12)
    return "P" + (f"{sign * years}Y" if years else "") + (f"{sign * rest}M" if rest else "")


def _seconds_text(nanos: int) -> str:
    value = Decimal(nanos).scaleb(-9).normalize()
    return format(value, "f")
