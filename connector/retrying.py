"""Retries with exponential backoff and jitter: the delay is a pure function, the loop is one helper.

The worker loop (reconnecting to the gateway, reporting outcomes) and the document store
client retry through ``retry_async``; both get their time and randomness from a ``Clock``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from connector.clock import SYSTEM_CLOCK, Clock

__all__ = ["Backoff", "retry_async"]

T = TypeVar("T")


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff: the cap doubles per attempt from ``initial_ms`` up to ``max_ms``."""

    initial_ms: int
    max_ms: int

    def __post_init__(self) -> None:
        if self.initial_ms < 1 or self.max_ms < self.initial_ms:
            raise ValueError("backoff needs 1 <= initial_ms <= max_ms")

    def delay_ms(self, attempt: int, rand: Callable[[], float]) -> int:
        """Delay before retry number ``attempt`` (1-based), drawn from [cap/2, cap] so that
        replicas that lost the same server do not come back in lockstep.

        Raises:
            ValueError: ``attempt`` is below 1.
        """
        if attempt < 1:
            raise ValueError("attempt starts at 1")
        # Cap the exponent before shifting so a long outage cannot build a huge integer.
        cap = min(self.max_ms, self.initial_ms * (1 << min(attempt - 1, 30)))
        return int(cap / 2 + rand() * cap / 2)


async def retry_async(
    call: Callable[[int], Awaitable[T]],
    *,
    retry_on: type[Exception] | tuple[type[Exception], ...],
    may_retry: Callable[[int, float], bool],
    backoff: Backoff,
    clock: Clock = SYSTEM_CLOCK,
    on_retry: Callable[[int, Exception, float], None] | None = None,
) -> T:
    """Await ``call(attempt)`` until it returns, retrying the exceptions ``retry_on`` names.

    Args:
        call: one attempt; gets the attempt number, 1 for the first.
        may_retry: ``(attempt, delay_s) -> bool``, asked after a failed attempt before waiting
            ``delay_s``; False re-raises that attempt's exception.
        on_retry: called with ``(attempt, exception, delay_s)`` before each wait (for logs).

    Raises:
        Whatever the last attempt raised, when ``may_retry`` says no or it is not retryable.
    """
    attempt = 1
    while True:
        try:
            return await call(attempt)
        except retry_on as exc:
            delay_s = backoff.delay_ms(attempt, clock.random) / 1000
            if not may_retry(attempt, delay_s):
                raise
            if on_retry is not None:
                on_retry(attempt, exc, delay_s)
            await clock.sleep(delay_s)
            attempt += 1
