"""ISO-8601 durations as Camunda's runtime reads them (Java ``Duration.parse``) — pure.

Accepted: ``PnDTnHnMn.nS`` with optional signs, letters in either case, e.g. ``PT30S``,
``PT0.5S``, ``P1DT2H``, ``pt5m``. Years, months and weeks are calendar periods, which
``Duration.parse`` rejects too, so a header using them fails like it does in Camunda.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["DurationError", "parse_duration_ms"]

_DURATION = re.compile(
    r"^(?P<sign>[-+]?)P"
    r"(?:(?P<days>[-+]?\d+)D)?"
    r"(?:T(?:(?P<hours>[-+]?\d+)H)?(?:(?P<minutes>[-+]?\d+)M)?(?:(?P<seconds>[-+]?\d+(?:[.,]\d{1,9})?)S)?)?$",
    re.IGNORECASE,
)
_MS_PER = {"days": 86_400_000, "hours": 3_600_000, "minutes": 60_000, "seconds": 1_000}
# Zeebe stores timeouts and backoffs as int64 milliseconds.
_MAX_MS = 2**63 - 1


class DurationError(ValueError):
    """The text is not an ISO-8601 duration in the ``PnDTnHnMn.nS`` form."""


def parse_duration_ms(text: str) -> int:
    """Parse an ISO-8601 duration into whole milliseconds (fractions below 1 ms are dropped).

    Raises:
        DurationError: if the text is not a duration, has no components (``P``/``PT``),
            or does not fit into a signed 64-bit count of milliseconds.
    """
    match = _DURATION.match(text.strip())
    if match is None or text.strip().upper().endswith("T") or not any(match.group(unit) for unit in _MS_PER):
        raise DurationError(f"expected an ISO-8601 duration such as PT30S or P1DT2H, got {text!r}")
    total = Decimal(0)
    try:
        for unit, factor in _MS_PER.items():
            value = match.group(unit)
            if value:
                total += Decimal(value.replace(",", ".")) * factor
    except InvalidOperation as exc:  # pragma: no cover - the regex only admits decimals
        raise DurationError(f"invalid number in duration {text!r}") from exc
    if match.group("sign") == "-":
        total = -total
    millis = int(total)
    if abs(millis) > _MAX_MS:
        raise DurationError(f"duration {text!r} is too long")
    return millis
