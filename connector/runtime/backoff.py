"""Exponential backoff with jitter for reconnecting to the gateway — pure."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["backoff_delay_ms"]


def backoff_delay_ms(attempt: int, *, initial_ms: int, max_ms: int, rand: Callable[[], float]) -> int:
    """Delay before retry number ``attempt`` (1-based): the cap doubles per attempt up to
    ``max_ms`` and the delay is drawn from [cap/2, cap], so replicas that lost the same
    gateway do not come back in lockstep.

    Args:
        attempt: 1 for the first retry.
        rand: a source of floats in [0, 1), e.g. ``random.random``; injected for tests.
    """
    if attempt < 1:
        raise ValueError("attempt starts at 1")
    # Cap the exponent before shifting so a long outage cannot build a huge integer.
    cap = min(max_ms, initial_ms * (1 << min(attempt - 1, 30)))
    return int(cap / 2 + rand() * cap / 2)
