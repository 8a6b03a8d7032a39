"""Time and chance as the code sees them, in one injectable object.

Everything that waits, stamps or jitters (the worker loop, retries, token expiry, presigned
link expiry, key templates) takes a ``Clock``, so tests can drive time instead of sleeping.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone

__all__ = ["SYSTEM_CLOCK", "Clock", "iso_utc"]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Clock:
    """Sources of time and randomness.

    Attributes:
        monotonic: seconds on a clock that never goes back (durations, deadlines).
        now: the current UTC date and time (timestamps users see).
        sleep: an awaitable pause of so many seconds.
        random: floats in [0, 1), for jitter.
    """

    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = _utc_now
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    random: Callable[[], float] = random.random

    def epoch_ms(self) -> int:
        """Milliseconds since the Unix epoch, as Zeebe stamps job deadlines."""
        return int(self.now().timestamp() * 1000)


SYSTEM_CLOCK = Clock()


def iso_utc(moment: datetime) -> str:
    """``2026-12-01T20:15:00Z``: an aware moment in UTC, to the second, as responses show it."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
