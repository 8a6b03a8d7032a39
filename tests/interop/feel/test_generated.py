"""The differential run: hypothesis-generated expressions through Camunda's FEEL engine and ours.

Each test draws batches of 10 expressions of one kind (numbers, strings, lists, contexts, temporal
values, ranges) with generated variables (larger batches overrun hypothesis's data buffer), sends a
batch to the JVM in one go and compares every outcome. The run is deterministic (``derandomize``),
so CI sees the same 14,000 expressions every time. It does not shrink a failure (that can take many
minutes): the message lists the disagreeing expressions of the batch, which is small.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from connector.feel import FeelEngine
from tests.interop.feel import strategies as feel
from tests.interop.feel.reference import ReferenceEngine, outcome_of_ours, outcome_of_reference, request, same_outcome

BATCH = 10
BATCHES = 200
RUN: Counter[str] = Counter()

_SETTINGS = settings(
    max_examples=BATCHES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
KINDS: dict[str, st.SearchStrategy[str]] = {
    "numbers": feel.numbers,
    "strings": feel.strings,
    "lists": feel.lists,
    "contexts": feel.contexts,
    "temporals": feel.temporal_values,
    "ranges": feel.range_expressions,
    "regex": feel.regex_expressions,
}


def disagreements(reference: ReferenceEngine, ours: FeelEngine, batch: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """The cases of a batch where the two engines' outcomes differ, described for the failure message."""
    answers = reference.ask([request(expression, context) for expression, context in batch])
    found = []
    for (expression, context), answer in zip(batch, answers, strict=True):
        mine, theirs = outcome_of_ours(ours, expression, context), outcome_of_reference(answer)
        if not same_outcome(mine, theirs):
            found.append(
                f"{expression}  [x={context['x']!r}]: ours {mine!r}, Camunda {theirs!r} {answer.get('error', '')}"
            )
    return found


@pytest.mark.parametrize("kind", list(KINDS))
def test_generated_expressions_agree_with_camunda(kind: str, reference: ReferenceEngine, ours: FeelEngine) -> None:
    @_SETTINGS
    @given(st.lists(feel.cases(KINDS[kind]), min_size=BATCH, max_size=BATCH))
    def run(batch: list[tuple[str, dict[str, Any]]]) -> None:
        RUN[kind] += len(batch)
        found = disagreements(reference, ours, batch)
        assert not found, "\n".join(found[:10])

    run()
    assert RUN[kind] >= BATCH * BATCHES  # the whole share of the run happened


def test_the_run_was_large_enough() -> None:
    # runs after the kinds above (file order): what they counted, not what they were meant to run
    assert set(RUN) == set(KINDS) and sum(RUN.values()) >= 10_000, RUN
