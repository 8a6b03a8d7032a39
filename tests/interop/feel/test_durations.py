"""The product's one ISO-8601 duration parser against ``java.time.Duration.parse(text).toMillis()`` on the JVM.

``parse_duration_ms`` reads the ``retryBackoff`` and ``jobTimeout`` headers and ``jobError``'s
backoff; FEEL's ``duration()`` reads days-time durations with the same parser behind feel-scala's
own pattern. Edge cases and generated texts go through both; every FEEL days-time duration must be
a valid header with the same milliseconds.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connector.feel import FeelEngine
from connector.feel.durations import DurationError, parse_duration_ms
from tests.interop.feel.reference import (
    FAILED,
    ReferenceEngine,
    outcome_of_ours,
    outcome_of_reference,
    request,
    same_outcome,
)

EDGES = [
    "PT30S", "PT1.S", "PT1,5S", "pt1m", "P1DT2H", "+PT1H", "-PT-1H", "PT-0.5S", "P-1DT1H", "PT1H-30M",
    "P+1D", "PT0.0009S", "-PT0.0009S", "PT0.0000001S", "PT-0.001S", "P1DT", "PT", "P", " P1D", "P1D ",
    "P1W", "P1Y", "P1M", "PT1.1234567891S", "PT1.123456789S", "PT9223372036854775807S",
    "PT9223372036854775.807S", "PT9223372036854775.808S", "-PT9223372036854775.808S",
    "P106751991167DT7H12M55.807S", "P106751991167DT7H12M55.808S", "PT1\u017f", "\uff30T1S", "PT\uff11S", "PTS", "PT.5S",
    "P1D2H", "PT1H1H", "PT1S1M", "P0D", "-P0D", "PT0S", "P1DT0H0M0S", "PT-0S", "PT1e3S", "PT 1S", "",
]  # fmt: skip


def _ms(text: str) -> Any:
    try:
        return parse_duration_ms(text)
    except DurationError:
        return FAILED


def _compare(reference: ReferenceEngine, ours: FeelEngine, texts: list[str]) -> list[str]:
    requests = [{"op": "duration-ms", "text": text} for text in texts]
    requests += [request("duration(x)", {"x": text}) for text in texts]
    answers = [outcome_of_reference(answer) for answer in reference.ask(requests)]
    found = []
    for text, java_ms, java_feel in zip(texts, answers[: len(texts)], answers[len(texts) :], strict=True):
        if _ms(text) != java_ms:
            found.append(f"{text!r}: parse_duration_ms {_ms(text)!r}, Duration.parse().toMillis() {java_ms!r}")
        feel = outcome_of_ours(ours, "duration(x)", {"x": text})
        if not same_outcome(feel, java_feel):
            found.append(f"{text!r}: FEEL duration() ours {feel!r}, Camunda {java_feel!r}")
        if isinstance(feel, str) and feel.startswith("PT") and _ms(text) != _ms(feel):
            found.append(f"{text!r}: FEEL reads a days-time duration the header parser does not read alike")
    return found


def test_edge_cases_parse_as_in_java(reference: ReferenceEngine, ours: FeelEngine) -> None:
    found = _compare(reference, ours, EDGES)
    assert not found, "\n".join(found)


_sign = st.sampled_from(["", "", "-", "+"])
_number = st.one_of(st.integers(0, 99).map(str), st.integers(0, 2**64).map(str), st.just(""))
_fraction = st.one_of(st.just(""), st.text("0123456789", max_size=11).map(lambda d: "." + d), st.just(",5"))
_component = st.tuples(_sign, _number, _fraction, st.sampled_from(["D", "H", "M", "S", "Y", "W", "d", "s", "T"]))
duration_like = st.tuples(
    _sign,
    st.sampled_from(["P", "p", "PT", "pt", "P1DT", "", " P"]),
    st.lists(_component.map(lambda c: "".join(c)), max_size=4),
    st.sampled_from(["", "", " ", "x"]),
).map(lambda t: t[0] + t[1] + "".join(t[2]) + t[3])


@settings(max_examples=20, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(duration_like, min_size=100, max_size=100))
def test_generated_texts_parse_as_in_java(reference: ReferenceEngine, ours: FeelEngine, texts: list[str]) -> None:
    found = _compare(reference, ours, texts)
    assert not found, "\n".join(found[:10])
