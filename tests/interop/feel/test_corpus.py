"""The conformance corpus (tests/unit/feel) through Camunda's FEEL engine: every case must agree with it.

The unit suite checks this worker's engine against the expected values; this run checks the same
expressions against Camunda's engine itself, so a mistranscribed expected value cannot hide a
difference. The only disagreements allowed are the deliberate ones of ``connector/feel/UNSUPPORTED.md``.
"""

from __future__ import annotations

from tests.interop.feel.reference import (
    REPOSITORY,
    ReferenceEngine,
    outcome_of_ours,
    outcome_of_reference,
    request,
    same_outcome,
)
from tests.unit.feel.test_conformance import ENGINE, TABLES

# the clock of the corpus (feel-scala's temporal tests): 2020-07-31T14:27:30 in Berlin
NOW = "2020-07-31T14:27:30+02:00[Europe/Berlin]"
# expression -> the heading in UNSUPPORTED.md that explains why Camunda's result differs
KNOWN = {
    "fromAi(toolCall.searchQuery)": "`fromAi(...)`",
    'fromAi(toolCall.userId, "The user\'s ID", "number")': "`fromAi(...)`",
}


def test_the_corpus_agrees_with_camunda(reference: ReferenceEngine) -> None:
    cases = [(expression, variables) for cases in TABLES.values() for expression, variables, _ in cases]
    answers = reference.ask([request(expression, variables, NOW) for expression, variables in cases])
    disagreeing = {}
    for (expression, variables), answer in zip(cases, answers, strict=True):
        ours, theirs = outcome_of_ours(ENGINE, expression, variables), outcome_of_reference(answer)
        if not same_outcome(ours, theirs):
            disagreeing[expression] = f"ours {ours!r}, Camunda {theirs!r} {answer.get('error', '')}"
    unexplained = {expression: why for expression, why in disagreeing.items() if expression not in KNOWN}
    assert not unexplained, "\n".join(f"{expression}: {why}" for expression, why in unexplained.items())
    assert set(KNOWN) <= set(disagreeing), "a known difference is gone; remove it from KNOWN and UNSUPPORTED.md"
    assert len(cases) >= 1000


def test_every_known_difference_is_documented() -> None:
    documented = (REPOSITORY / "connector" / "feel" / "UNSUPPORTED.md").read_text(encoding="utf-8")
    for heading in set(KNOWN.values()):
        assert heading in documented
