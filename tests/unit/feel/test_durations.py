"""The product's ISO-8601 duration parser follows ``java.time.Duration.parse(text).toMillis()``.

Every expected value here was checked on the JVM (Java 17); ``tests/interop/feel/test_durations.py``
re-checks them, and generated texts, against it.
"""

from __future__ import annotations

import pytest

from connector.feel import FeelEngine
from connector.feel.durations import DurationError, parse_duration_ms, parse_duration_nanos

LONG_MAX = 2**63 - 1


@pytest.mark.parametrize(
    ("text", "millis"),
    [
        ("PT30S", 30_000),
        ("PT1.S", 1_000),  # a fraction of zero digits
        ("PT1,5S", 1_500),
        ("pt1h", 3_600_000),  # letters in either case
        ("P1DT2H", 93_600_000),
        ("+PT1H", 3_600_000),
        ("-PT-1H", 3_600_000),  # signs on the whole and on a component
        ("PT-0.5S", -500),
        ("P-1DT1H", -82_800_000),
        ("PT1H-30M", 1_800_000),
        ("P+1D", 86_400_000),
        ("PT0.0009S", 0),  # below a millisecond: dropped toward zero
        ("-PT0.0009S", 0),
        ("PT-0.0015S", -1),
        ("PT9223372036854775.807S", LONG_MAX),
        ("-PT9223372036854775.808S", -(2**63)),
        ("P106751991167DT7H12M55.807S", LONG_MAX),
        ("P0D", 0),
        ("PT0S", 0),
    ],
)
def test_valid_durations(text: str, millis: int) -> None:
    assert parse_duration_ms(text) == millis


@pytest.mark.parametrize(
    "text",
    [
        "P",
        "PT",
        "P1DT",  # a T without a time part
        " P1D",  # no trimming
        "P1D ",
        "P1W",  # weeks, months and years are periods
        "P1Y",
        "P1M",
        "PT1.1234567891S",  # more than nine fraction digits
        "PT9223372036854775807S",  # the seconds fit, the milliseconds do not
        "PT9223372036854775.808S",
        "P106751991167DT7H12M55.808S",
        "PT1\u017f",  # the long s folds to 's' in Unicode, not in Java's ASCII matching
        "PT\uff11S",  # a full-width digit
        "PT.5S",
        "PT1H1H",
        "PT1S1M",
        "PT1e3S",
        "",
    ],
)
def test_invalid_durations(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration_ms(text)


def test_nanoseconds_are_kept() -> None:
    assert parse_duration_nanos("PT0.000000001S") == 1
    assert parse_duration_nanos("-PT1.000000001S") == -1_000_000_001


@pytest.mark.parametrize("text", ["PT1H", "P2DT3H", "PT0.5S", "-PT5M", "P-1D", "PT1,5S"])
def test_feel_days_time_durations_are_valid_headers(text: str) -> None:
    engine = FeelEngine()
    assert parse_duration_ms(engine.evaluate("duration(x)", {"x": text})) == parse_duration_ms(text)


@pytest.mark.parametrize("text", ["pt1h", "+PT1H", "PT+1H", "P1DT"])
def test_feel_is_stricter_than_headers(text: str) -> None:
    # feel-scala checks its own upper-case, unsigned-plus pattern before Duration.parse
    assert FeelEngine().evaluate("duration(x)", {"x": text}) is None
