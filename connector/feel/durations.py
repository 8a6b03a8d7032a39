"""ISO-8601 durations: the one parser of the product, FEEL's ``duration("...")``, and their printed forms.

- :func:`parse_duration_nanos` / :func:`parse_duration_ms`: ``java.time.Duration.parse`` exactly
  (and ``Duration.toMillis``). Headers (``retryBackoff``, ``jobTimeout``) and FEEL both use them.
- :func:`parse_day_time_duration` / :func:`parse_year_month_duration`: FEEL's ``duration()``, which
  first checks the text against feel-scala's own patterns and then parses it with
  ``Duration.parse`` / ``Period.parse`` -- so a FEEL days-time duration is always a valid header.
- :func:`format_feel_duration` / :func:`format_feel_period`: FEEL's ``string(duration)``
  (``P1DT2H``, ``-PT2M30S``, zero is ``P0D`` / ``P0Y``).
- :func:`format_java_duration` / :func:`format_java_period`: what Camunda's Jackson mapper writes
  into job variables (``Duration.toString()``: ``PT30S``, ``PT24H``, zero ``PT0S``;
  ``Period.toString()``: ``P1Y2M``, zero ``P0D``).
"""

from __future__ import annotations

import re

__all__ = [
    "NANOS_PER_SECOND",
    "DurationError",
    "format_feel_duration",
    "format_feel_period",
    "format_java_duration",
    "format_java_period",
    "parse_day_time_duration",
    "parse_duration_ms",
    "parse_duration_nanos",
    "parse_year_month_duration",
]

NANOS_PER_SECOND = 1_000_000_000
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1

# java.time.Duration's own pattern: signs on the whole and on each component, ',' or '.' before
# 0-9 fraction digits, letters in either case (ASCII only, as in Java), nothing around it.
_JAVA_DURATION = re.compile(
    r"([-+]?)P(?:([-+]?[0-9]+)D)?"
    r"(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?",
    re.IGNORECASE | re.ASCII,
)
_JAVA_PERIOD = re.compile(
    r"([-+]?)P(?:([-+]?[0-9]+)Y)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)W)?(?:([-+]?[0-9]+)D)?",
    re.IGNORECASE | re.ASCII,
)
# feel-scala's gates in front of Duration.parse / Period.parse (package.scala). Its '.' before the
# fraction is an unescaped regex dot; Java's dot excludes these line terminators.
_FEEL_YEAR_MONTH = re.compile(r"-?P-?(\d+Y)?-?(\d+M)?", re.ASCII)
_FEEL_DAY_TIME = re.compile(r"-?P(-?(\d+D)?(T-?(\d+H)?-?(\d+M)?-?(\d+([^\n\r\u0085\u2028\u2029]\d*)?S)?)?)", re.ASCII)
_UNIT_SECONDS = (86_400, 3_600, 60, 1)


class DurationError(ValueError):
    """The text is not an ISO-8601 duration as ``java.time.Duration.parse`` reads it, or is too long."""


def _long(value: int, text: str) -> int:
    if not _LONG_MIN <= value <= _LONG_MAX:
        raise DurationError(f"duration {text!r} is too long")
    return value


def parse_duration_nanos(text: str) -> int:
    """Parse ``PnDTnHnMn.nS`` exactly as ``java.time.Duration.parse`` does, into nanoseconds.

    Raises:
        DurationError: if the text does not match (surrounding spaces, ``P``/``PT`` alone, ``P1DT``,
            years, months or weeks, more than 9 fraction digits are all invalid), or if a component
            or the whole does not fit ``Duration``'s signed 64-bit count of seconds.
    """
    match = _JAVA_DURATION.fullmatch(text)
    if match is None or (match.group(3) is not None and len(match.group(3)) == 1):
        raise DurationError(f"expected an ISO-8601 duration such as PT30S or P1DT2H, got {text!r}")
    negate, *amounts, fraction = match.group(1, 2, 4, 5, 6, 7)
    if all(amount is None for amount in amounts):
        raise DurationError(f"expected an ISO-8601 duration such as PT30S or P1DT2H, got {text!r}")
    # Java multiplies each component and adds them up from the seconds, each step checked.
    units = zip(amounts, _UNIT_SECONDS, strict=True)
    parts = [_long(int(amount) * unit, text) if amount else 0 for amount, unit in units]
    seconds = parts[3]
    for part in (parts[2], parts[1], parts[0]):
        seconds = _long(part + seconds, text)
    nanos = int((fraction or "").ljust(9, "0") or "0")
    total = seconds * NANOS_PER_SECOND + (-nanos if (amounts[3] or "").startswith("-") else nanos)
    if negate == "-":
        total = -total
    _long(total // NANOS_PER_SECOND, text)
    return total


def parse_duration_ms(text: str) -> int:
    """Parse an ISO-8601 duration into whole milliseconds, as ``Duration.parse(text).toMillis()``.

    Fractions below a millisecond are dropped toward zero (``-PT0.0009S`` is 0 ms), as in Java 9+.

    Raises:
        DurationError: if ``Duration.parse`` rejects the text (see :func:`parse_duration_nanos`),
            or the milliseconds do not fit a signed 64-bit integer (``toMillis`` overflows).
    """
    nanos = parse_duration_nanos(text)
    millis = abs(nanos) // 1_000_000
    return _long(-millis if nanos < 0 else millis, text)


def parse_day_time_duration(text: str) -> int | None:
    """FEEL's ``duration(text)`` for a days-time duration: nanoseconds, or ``None`` if it is not one."""
    if _FEEL_YEAR_MONTH.fullmatch(text) or not _FEEL_DAY_TIME.fullmatch(text):
        return None
    try:
        return parse_duration_nanos(text)
    except DurationError:
        return None


def parse_year_month_duration(text: str) -> int | None:
    """FEEL's ``duration(text)`` for a years-months duration: total months, or ``None`` if it is not one.

    ``Period.parse`` then ``normalized()``: each component must fit a Java ``int``, and so must the
    normalized years.
    """
    if not _FEEL_YEAR_MONTH.fullmatch(text):
        return None
    match = _JAVA_PERIOD.fullmatch(text)
    if match is None or all(group is None for group in match.groups()[1:]):
        return None
    sign, years, months = match.group(1, 2, 3)
    values = [int(years or 0), int(months or 0)]
    if any(not _INT_MIN <= value <= _INT_MAX for value in values):
        return None
    total = (values[0] * 12 + values[1]) * (-1 if sign == "-" else 1)
    return total if _INT_MIN <= int(total / 12) <= _INT_MAX else None


def format_feel_duration(nanos: int) -> str:
    """FEEL's string form of a days-and-time duration, e.g. ``P1DT2H3M4S``; zero is ``P0D``.

    Like feel-scala, only whole seconds (``Duration.getSeconds``, rounded down) are shown.
    """
    seconds = nanos // NANOS_PER_SECOND
    day, hour, minute, second = _java_div(seconds, 86_400), 0, 0, 0
    hour = _java_rem(_java_div(seconds, 3_600), 24)
    minute = _java_rem(_java_div(seconds, 60), 60)
    second = _java_rem(seconds, 60)
    if day == hour == minute == second == 0:
        return "P0D"
    if day <= 0 and hour <= 0 and minute <= 0 and second <= 0:
        return "-" + _feel_text(-day, -hour, -minute, -second)
    return _feel_text(day, hour, minute, second)


def _feel_text(day: int, hour: int, minute: int, second: int) -> str:
    time = "".join(f"{value}{unit}" for value, unit in ((hour, "H"), (minute, "M"), (second, "S")) if value)
    return "P" + (f"{day}D" if day else "") + (f"T{time}" if time else "")


def _java_div(dividend: int, divisor: int) -> int:
    quotient = abs(dividend) // abs(divisor)
    return quotient if (dividend >= 0) == (divisor >= 0) else -quotient


def _java_rem(dividend: int, divisor: int) -> int:
    return dividend - divisor * _java_div(dividend, divisor)


def format_feel_period(months: int) -> str:
    """FEEL's string form of a years-and-months duration, e.g. ``P1Y2M``; zero is ``P0Y``."""
    year, month = _java_div(months, 12), _java_rem(months, 12)
    if year == 0 and month == 0:
        return "P0Y"
    if year <= 0 and month <= 0:
        return "-" + format_feel_period(-months)
    return "P" + (f"{year}Y" if year else "") + (f"{month}M" if month else "")


def format_java_duration(nanos: int) -> str:
    """``java.time.Duration.toString()``: hours are the largest unit (``PT48H``), zero is ``PT0S``."""
    if nanos == 0:
        return "PT0S"
    seconds, nano = divmod(nanos, NANOS_PER_SECOND)  # floor, like Duration's (seconds, nanos) pair
    effective = seconds + 1 if seconds < 0 and nano > 0 else seconds
    hours, minutes, secs = _java_div(effective, 3_600), _java_rem(_java_div(effective, 60), 60), 0
    secs = _java_rem(effective, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if secs == 0 and nano == 0 and len(text) > 2:
        return text
    text += "-0" if seconds < 0 and nano > 0 and secs == 0 else str(secs)
    if nano > 0:
        digits = str(2 * NANOS_PER_SECOND - nano if seconds < 0 else nano + NANOS_PER_SECOND)
        text += "." + digits[1:].rstrip("0")
    return text + "S"


def format_java_period(months: int) -> str:
    """``java.time.Period.toString()`` of a normalized period: ``P1Y2M``, ``P-1Y-2M``; zero is ``P0D``."""
    if months == 0:
        return "P0D"
    years, rest = _java_div(months, 12), _java_rem(months, 12)
    return "P" + (f"{years}Y" if years else "") + (f"{rest}M" if rest else "")
