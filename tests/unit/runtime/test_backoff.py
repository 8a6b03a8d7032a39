import pytest

from connector.runtime.backoff import backoff_delay_ms


class TestBackoff:
    def test_grows_exponentially_within_jitter_bounds(self) -> None:
        lows = [backoff_delay_ms(n, initial_ms=100, max_ms=10_000, rand=lambda: 0.0) for n in range(1, 6)]
        highs = [backoff_delay_ms(n, initial_ms=100, max_ms=10_000, rand=lambda: 0.999999) for n in range(1, 6)]
        assert lows == [50, 100, 200, 400, 800]
        assert highs == [99, 199, 399, 799, 1599]

    def test_capped(self) -> None:
        assert backoff_delay_ms(60, initial_ms=500, max_ms=30_000, rand=lambda: 0.999999) <= 30_000
        assert backoff_delay_ms(1000, initial_ms=500, max_ms=30_000, rand=lambda: 0.0) == 15_000

    def test_attempt_starts_at_one(self) -> None:
        with pytest.raises(ValueError):
            backoff_delay_ms(0, initial_ms=1, max_ms=1, rand=lambda: 0.0)
