"""The clock ``now()`` and ``today()`` read: the system clock in UTC, or one an engine was given.

Camunda's engine asks its ``FeelEngineClock`` (the JVM's clock and default zone); the worker uses
UTC, what Camunda's images run in. A :class:`~connector.feel.engine.FeelEngine` built with a clock
(tests, the differential suite) sets it for the duration of each evaluation through a context
variable, so evaluations on other threads keep their own.
"""

from __future__ import annotations

import contextvars
import datetime
import time
from collections.abc import Callable

from connector.feel.temporals import ZonedDateTime, from_instant

__all__ = ["Clock", "current_time", "reset_clock", "use_clock"]

Clock = Callable[[], datetime.datetime]
"""A clock gives the current moment as an aware ``datetime``: ``now()`` has its ``ZoneInfo`` region, or its offset."""


_EPOCH = datetime.datetime(1970, 1, 1)
_CLOCK: contextvars.ContextVar[Clock | None] = contextvars.ContextVar("feel_clock", default=None)


def use_clock(clock: Clock | None) -> contextvars.Token[Clock | None]:
    """Make ``clock`` the one of the current evaluation; returns the token to reset it with."""
    return _CLOCK.set(clock)


def reset_clock(token: contextvars.Token[Clock | None]) -> None:
    """Restore the clock that was in use before :func:`use_clock`."""
    _CLOCK.reset(token)


def current_time() -> ZonedDateTime:
    """``now()``: the current moment at the clock's offset, with nanosecond precision where the clock has it."""
    clock = _CLOCK.get()
    if clock is None:
        nanos = time.time_ns()
        return from_instant(nanos // 1_000_000_000, nanos % 1_000_000_000, None, 0)
    moment = clock()
    offset = moment.utcoffset()
    offset_seconds = 0 if offset is None else int(offset.total_seconds())
    epoch = (moment.replace(tzinfo=None) - _EPOCH) // datetime.timedelta(seconds=1) - offset_seconds
    zone = getattr(moment.tzinfo, "key", None)  # a ZoneInfo clock gives now() its region, as Java's does
    return from_instant(epoch, moment.microsecond * 1000, zone, offset_seconds)
