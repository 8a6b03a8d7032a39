"""Backoff is a pure function of the attempt; the retry loop waits on an injected clock."""

from __future__ import annotations

import pytest

from connector.clock import Clock
from connector.retrying import Backoff, retry_async


class TestBackoff:
    def test_grows_exponentially_within_jitter_bounds(self) -> None:
        backoff = Backoff(initial_ms=100, max_ms=10_000)
        assert [backoff.delay_ms(n, lambda: 0.0) for n in range(1, 6)] == [50, 100, 200, 400, 800]
        assert [backoff.delay_ms(n, lambda: 0.999999) for n in range(1, 6)] == [99, 199, 399, 799, 1599]

    def test_capped(self) -> None:
        backoff = Backoff(initial_ms=500, max_ms=30_000)
        assert backoff.delay_ms(60, lambda: 0.999999) <= 30_000
        assert backoff.delay_ms(1000, lambda: 0.0) == 15_000

    def test_attempt_starts_at_one(self) -> None:
        with pytest.raises(ValueError):
            Backoff(initial_ms=1, max_ms=1).delay_ms(0, lambda: 0.0)

    def test_bounds_must_be_ordered(self) -> None:
        with pytest.raises(ValueError):
            Backoff(initial_ms=10, max_ms=5)


class Flaky(Exception):
    pass


def recording_clock(slept: list[float]) -> Clock:
    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    return Clock(sleep=sleep, random=lambda: 0.0)


class TestRetryAsync:
    async def test_retries_until_the_call_succeeds_waiting_the_backoff_between(self) -> None:
        slept: list[float] = []
        attempts: list[int] = []

        async def call(attempt: int) -> str:
            attempts.append(attempt)
            if attempt < 3:
                raise Flaky
            return "done"

        result = await retry_async(
            call,
            retry_on=Flaky,
            may_retry=lambda attempt, delay_s: True,
            backoff=Backoff(initial_ms=100, max_ms=1000),
            clock=recording_clock(slept),
        )
        assert result == "done"
        assert attempts == [1, 2, 3]
        assert slept == [0.05, 0.1]

    async def test_gives_up_when_may_retry_says_no_and_raises_the_last_error(self) -> None:
        slept: list[float] = []
        asked: list[tuple[int, float]] = []

        async def call(attempt: int) -> None:
            raise Flaky(attempt)

        def may_retry(attempt: int, delay_s: float) -> bool:
            asked.append((attempt, delay_s))
            return attempt < 2

        with pytest.raises(Flaky) as raised:
            await retry_async(
                call, retry_on=Flaky, may_retry=may_retry, backoff=Backoff(100, 100), clock=recording_clock(slept)
            )
        assert raised.value.args == (2,)
        assert asked == [(1, 0.05), (2, 0.05)]
        assert slept == [0.05]

    async def test_other_errors_are_not_retried(self) -> None:
        slept: list[float] = []

        async def call(attempt: int) -> None:
            raise KeyError("not transient")

        with pytest.raises(KeyError):
            await retry_async(
                call, retry_on=Flaky, may_retry=lambda a, d: True, backoff=Backoff(1, 1), clock=recording_clock(slept)
            )
        assert slept == []

    async def test_on_retry_sees_each_failure_before_its_wait(self) -> None:
        seen: list[tuple[int, str, float]] = []

        async def call(attempt: int) -> int:
            if attempt == 1:
                raise Flaky("first")
            return attempt

        result = await retry_async(
            call,
            retry_on=Flaky,
            may_retry=lambda a, d: True,
            backoff=Backoff(1000, 1000),
            clock=recording_clock([]),
            on_retry=lambda attempt, exc, delay_s: seen.append((attempt, str(exc), delay_s)),
        )
        assert result == 2
        assert seen == [(1, "first", 0.5)]
