import pytest

from connector.runtime.durations import DurationError, parse_duration_ms


class TestParsesJavaDurations:
    @pytest.mark.parametrize(
        ("text", "expected_ms"),
        [
            ("PT0S", 0),
            ("PT30S", 30_000),
            ("PT0.5S", 500),
            ("PT1M", 60_000),
            ("PT2H", 7_200_000),
            ("P1D", 86_400_000),
            ("P1DT2H3M4.005S", 93_784_005),
            ("pt5m", 300_000),
            ("PT1,5S", 1_500),
            ("-PT6H", -21_600_000),
            ("PT-6H3M", -21_420_000),
            ("  PT10S ", 10_000),
        ],
    )
    def test_valid(self, text: str, expected_ms: int) -> None:
        assert parse_duration_ms(text) == expected_ms


class TestRejectsWhatJavaRejects:
    @pytest.mark.parametrize("text", ["", "P", "PT", "30S", "P1W", "P1Y", "P1M", "PT1.5", "P1DT", "10", "PTS"])
    def test_invalid(self, text: str) -> None:
        with pytest.raises(DurationError):
            parse_duration_ms(text)

    def test_overflow(self) -> None:
        with pytest.raises(DurationError, match="too long"):
            parse_duration_ms("P999999999999999D")
