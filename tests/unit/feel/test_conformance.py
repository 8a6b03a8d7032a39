"""The conformance suite: FEEL expressions with the result Camunda's engine gives for them."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from connector.errors import InputError
from connector.feel import FeelEngine
from tests.unit.feel import cases_builtins as builtins
from tests.unit.feel import cases_language as language
from tests.unit.feel import cases_operators as operators
from tests.unit.feel import cases_ranges as ranges
from tests.unit.feel import cases_temporal as temporal
from tests.unit.feel import cases_temporal_arithmetic as temporal_arithmetic
from tests.unit.feel.cases_language import PARSE_ERROR

TABLES: dict[str, list[tuple[str, dict[str, Any], Any]]] = {
    "literals": language.LITERALS,
    "contexts": language.CONTEXTS,
    "lists": language.LISTS,
    "comparisons": operators.COMPARISONS,
    "logic": operators.LOGIC,
    "arithmetic": operators.ARITHMETIC,
    "control": operators.CONTROL,
    "in": operators.IN_TESTS,
    "instance-of": operators.INSTANCE_OF,
    "invocation": builtins.INVOCATION,
    "string-functions": builtins.STRINGS,
    "list-functions": builtins.LISTS,
    "numeric-functions": builtins.NUMBERS,
    "context-boolean-functions": builtins.CONTEXT_AND_BOOLEAN,
    "conversion-functions": builtins.CONVERSION,
    "durations": builtins.DURATIONS,
    "temporal-construction": temporal.CONSTRUCTION,
    "temporal-literals": temporal.LITERALS,
    "temporal-strings": temporal.STRINGS,
    "temporal-functions": temporal.FUNCTIONS,
    "temporal-properties": temporal.PROPERTIES,
    "temporal-arithmetic": temporal_arithmetic.ARITHMETIC,
    "ranges": ranges.RANGES,
}
CASES = [
    pytest.param(expression, variables, expected, id=f"{table}: {expression[:60]}")
    for table, cases in TABLES.items()
    for expression, variables, expected in cases
]
# feel-scala's temporal tests pin their clock to 2020-07-31T14:27:30 in Berlin
NOW = datetime.datetime(2020, 7, 31, 14, 27, 30, tzinfo=ZoneInfo("Europe/Berlin"))
ENGINE = FeelEngine(clock=lambda: NOW)


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 1000


@pytest.mark.parametrize(("expression", "variables", "expected"), CASES)
def test_expression_evaluates_like_camunda(expression: str, variables: dict[str, Any], expected: Any) -> None:
    if expected is PARSE_ERROR:
        with pytest.raises(InputError) as raised:
            ENGINE.evaluate(expression, variables)
        assert raised.value.code == "INVALID_EXPRESSION"
        return
    result = ENGINE.evaluate(expression, variables)
    assert result == expected
    assert type(result) is type(expected)  # 2 is an int, 2.5 a float, True a bool
