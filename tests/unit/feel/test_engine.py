"""The engine around the language: caching, thread-safety, JSON in and out, the grammar's health."""

from __future__ import annotations

import datetime
import logging
import math
import threading
from decimal import Decimal
from typing import Any

import pytest
from lark import Lark
from lark import logger as lark_logger

from connector.errors import InputError
from connector.feel import FeelEngine
from connector.feel.durations import (
    format_feel_duration,
    format_java_duration,
    format_java_period,
    parse_day_time_duration,
    parse_year_month_duration,
)
from connector.feel.grammar import _PATTERNS, GRAMMAR


class TestCaching:
    def test_the_same_compiled_expression_is_reused(self) -> None:
        engine = FeelEngine()
        first = engine.compile("{s3Key: response.key}")
        assert engine.compile("{s3Key: response.key}") is first
        assert engine.compile("  ={s3Key: response.key}  ") is first  # '=' and whitespace are not part of it

    def test_least_recently_used_expressions_are_evicted(self) -> None:
        engine = FeelEngine(cache_size=2)
        one = engine.compile("1")
        engine.compile("2")
        assert engine.compile("1") is one  # touched: "2" is now the oldest
        engine.compile("3")
        assert engine.compile("1") is one
        assert engine.compile("2") is not engine.compile("3")

    def test_a_compiled_expression_evaluates_many_contexts(self) -> None:
        compiled = FeelEngine().compile("x * 2")
        assert [compiled.evaluate({"x": value}) for value in (1, 2.5, None)] == [2, 5, None]

    def test_only_the_variables_it_reads_are_converted(self) -> None:
        compiled = FeelEngine().compile("{a: a, n: for i in xs return i.v}")
        assert compiled.names == frozenset({"a", "xs", "i"})
        assert compiled.evaluate({"a": 1, "xs": [{"v": 2}], "unused": object()}) == {"a": 1, "n": [2]}


class TestThreadSafety:
    def test_concurrent_evaluations_give_their_own_results(self) -> None:
        engine = FeelEngine(cache_size=8)
        expressions = [f'{{m: n * {factor}, s: string(n) + "-{factor}"}}' for factor in range(12)]
        errors: list[BaseException] = []

        def work(worker: int) -> None:
            try:
                for round_number in range(150):
                    factor = (worker + round_number) % len(expressions)
                    result = engine.evaluate(expressions[factor], {"n": worker})
                    assert result == {"m": worker * factor, "s": f"{worker}-{factor}"}
            except BaseException as exc:  # pragma: no cover - only on failure
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(worker,)) for worker in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []


class TestJsonShapes:
    ENGINE = FeelEngine()

    @pytest.mark.parametrize(
        ("expression", "expected"),
        [
            ("2", 2),
            ("2.0", 2),
            ("5 / 2", 2.5),
            ("1.10 + 1", 2.1),
            ("10000000000000000000000 * 10", 1e23),  # beyond a long: a double, as in Camunda
            ("9223372036854775807", 9223372036854775807),
            ("9223372036854775808", 9.223372036854775808e18),
            ('[1, 1.5, true, null, "s"]', [1, 1.5, True, None, "s"]),
            ("{a: {b: [2.0]}}", {"a": {"b": [2]}}),
            ('duration("PT30S")', "PT30S"),
            ('duration("P2D")', "PT48H"),
            ('duration("PT0S")', "PT0S"),
            ('duration("P1Y2M")', "P1Y2M"),
            ('{backoff: duration("PT1M")}', {"backoff": "PT1M"}),
            ("function(x) x", None),
        ],
    )
    def test_outputs_are_json_like(self, expression: str, expected: Any) -> None:
        result = self.ENGINE.evaluate(expression, {})
        assert result == expected
        assert type(result) is type(expected)

    def test_integral_numbers_are_ints_and_others_floats(self) -> None:
        assert type(self.ENGINE.evaluate("x + 1", {"x": 1.0})) is int
        assert type(self.ENGINE.evaluate("x / 4", {"x": 1})) is float

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (0.1, 0.1),
            (True, True),
            (math.nan, None),
            (math.inf, None),
            (Decimal("1.25"), 1.25),
            ((1, 2), [1, 2]),
            (datetime.timedelta(minutes=2), "PT2M"),
            ({"nested": {"n": 3}}, {"nested": {"n": 3}}),
        ],
    )
    def test_inputs_are_converted_from_json_like_values(self, value: Any, expected: Any) -> None:
        assert self.ENGINE.evaluate("x", {"x": value}) == expected

    def test_floats_keep_their_shortest_decimal_form(self) -> None:
        assert self.ENGINE.evaluate("x + y = 0.3", {"x": 0.1, "y": 0.2}) is True
        assert self.ENGINE.evaluate("string(x)", {"x": 1.0}) == "1.0"

    def test_booleans_are_not_numbers(self) -> None:
        assert self.ENGINE.evaluate("x = 1", {"x": True}) is None
        assert self.ENGINE.evaluate("x + 1", {"x": True}) is None

    def test_inputs_are_not_modified(self) -> None:
        variables = {"c": {"a": 1}, "xs": [3, 1, 2]}
        self.ENGINE.evaluate('{r: context put(c, "b", 2), s: sort(xs, function(x, y) x < y)}', variables)
        assert variables == {"c": {"a": 1}, "xs": [3, 1, 2]}


class TestEvaluationLimits:
    @pytest.mark.parametrize(
        "expression",
        ["[" * 3000 + "]" * 3000, "{a:" * 2000 + "1" + "}" * 2000, "not(" * 2000 + "true" + ")" * 2000],
    )
    def test_deeply_nested_expressions_fail_cleanly(self, expression: str) -> None:
        with pytest.raises(InputError, match="nests too deeply") as raised:
            FeelEngine().evaluate(expression, {})
        assert raised.value.code == "INVALID_EXPRESSION"

    def test_parentheses_do_not_nest_the_tree(self) -> None:
        assert FeelEngine().evaluate("(" * 3000 + "1" + ")" * 3000, {}) == 1


def test_the_grammar_has_only_the_intended_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    grammar = GRAMMAR
    for placeholder, pattern in _PATTERNS.items():
        grammar = grammar.replace(placeholder, pattern)
    level = lark_logger.level
    lark_logger.setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG, logger="lark"):
            Lark(grammar, parser="lalr", lexer="contextual", maybe_placeholders=True)
    finally:
        lark_logger.setLevel(level)
    conflicts = {record.getMessage() for record in caplog.records if "conflict" in record.getMessage()}
    # `x in <test> and ...`: the test extends to the right, like in Camunda's parser
    assert conflicts == {
        "Shift/Reduce conflict for terminal AND: (resolving as shift)",
        "Shift/Reduce conflict for terminal OR: (resolving as shift)",
    }


class TestDurationText:
    @pytest.mark.parametrize(
        ("text", "nanos"),
        [
            ("PT30S", 30 * 10**9),
            ("pt1m", None),  # FEEL checks the text against its own upper-case pattern first
            ("P1DT2H", 26 * 3600 * 10**9),
            ("PT0.5S", 5 * 10**8),
            ("-PT5M", -300 * 10**9),
            ("PT-3M-4S", -184 * 10**9),
            ("PT-0.5S", -5 * 10**8),
            ("PT", None),
            ("P", None),
            ("P1Y", None),
            ("30S", None),
        ],
    )
    def test_day_time_parsing(self, text: str, nanos: int | None) -> None:
        assert parse_day_time_duration(text) == nanos

    @pytest.mark.parametrize(
        ("text", "months"), [("P1Y", 12), ("P1Y2M", 14), ("-P5M", -5), ("P", None), ("PT1M", None)]
    )
    def test_year_month_parsing(self, text: str, months: int | None) -> None:
        assert parse_year_month_duration(text) == months

    @pytest.mark.parametrize(
        ("seconds", "java"),
        [
            (0, "PT0S"),
            (30, "PT30S"),
            (90, "PT1M30S"),
            (86400, "PT24H"),
            (0.5, "PT0.5S"),
            (-90, "PT-1M-30S"),
            (-0.5, "PT-0.5S"),
        ],
    )
    def test_java_duration_text(self, seconds: float, java: str) -> None:
        assert format_java_duration(round(seconds * 10**9)) == java

    def test_feel_and_java_texts_differ_as_in_camunda(self) -> None:
        assert format_feel_duration(86_400 * 10**9) == "P1D"
        assert format_feel_duration(0) == "P0D"
        assert format_java_period(0) == "P0D"
        assert format_java_period(-14) == "P-1Y-2M"
