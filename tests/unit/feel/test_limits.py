"""Hostile expressions end in a FEEL failure naming the limit they passed, quickly and without filling memory.

A process model controls result and error expressions; each case here used to run for minutes,
for ever, or until the worker ran out of memory (``matches`` with catastrophic backtracking,
ranges of millions, strings doubled in every context entry, lists sharing one list 2^n times).
Small limits keep the tests fast; the defaults are checked to let real expressions through.
"""

from __future__ import annotations

from typing import Any

import pytest

from connector.errors import InputError
from connector.feel import FeelEngine, FeelLimits
from connector.settings import WorkerSettings

STEPS = "limit S3_CONNECTOR_FEEL_MAX_STEPS"
TEXT = "limit S3_CONNECTOR_FEEL_MAX_TEXT_LENGTH"
TIME = "limit S3_CONNECTOR_FEEL_TIMEOUT_MS"

SMALL = FeelLimits(max_steps=20_000, max_text_length=100_000, timeout_ms=300)


def doubling(count: int, start: str, step: str) -> str:
    """A context whose every entry doubles the one before: ``{v0: start, v1: step(v0), ...}``."""
    entries = [f"v0: {start}"] + [f"v{i}: {step.format(p=f'v{i - 1}')}" for i in range(1, count)]
    return "{" + ", ".join(entries) + f"}}.v{count - 1}"


def failure(expression: str, limits: FeelLimits = SMALL, context: dict[str, Any] | None = None) -> str:
    with pytest.raises(InputError) as caught:
        FeelEngine(limits=limits).evaluate(expression, context or {})
    assert caught.value.code == "INVALID_EXPRESSION" and caught.value.retryable is False
    return caught.value.message


class TestSteps:
    @pytest.mark.parametrize(
        "expression",
        [
            "for i in 1..100000000 return i",
            "for i in 1..5000000 return i",
            'string join(for i in 1..10000000 return "xxxxxxxxxx")',
            "count(for i in 1..3000, j in 1..3000 return 1)",
            "some i in 1..10000000 satisfies i < 0",
            "count((for i in 1..15000 return i)[item > 0]) + count((for i in 1..15000 return i)[item > 0])",
            "count(distinct values(for i in 1..5000 return i))",
            "for i in 1..5000 return count(partial)",
            "for i in 1..100000 return [partial[-1]]",
            "sort(for i in 1..5000 return 5000 - i, function(a, b) a < b)",
        ],
        ids=[
            "huge-range",
            "range-over-budget",
            "join-of-ten-million",
            "cartesian-product",
            "quantifier",
            "filters",
            "quadratic-distinct",
            "partial-copies",
            "nested-by-partial",
            "sort-callbacks",
        ],
    )
    def test_work_that_grows_with_the_data_is_counted(self, expression: str) -> None:
        message = failure(expression)
        assert STEPS in message, message

    def test_a_function_calling_itself_twice_runs_out_of_steps_or_time(self) -> None:
        message = failure("{f: function(n) if n = 0 then 0 else f(n - 1) + f(n - 1)}.f(40)")
        assert STEPS in message or TIME in message

    def test_recursion_deeper_than_python_allows_fails_as_nested_too_deeply(self) -> None:
        assert "nests too deeply" in failure("{f: function(n) if n = 0 then 0 else 1 + f(n - 1)}.f(100000)")

    @pytest.mark.parametrize(
        "expression",
        [
            doubling(40, "[1, 1]", "[{p}, {p}]"),
            "for i in 1..40 return partial",
            "string(" + doubling(40, "[1, 1]", "[{p}, {p}]") + ")",
            "to json(" + doubling(40, "[1, 1]", "[{p}, {p}]") + ")",
            "flatten(" + doubling(40, "[1, 1]", "[{p}, {p}]") + ")",
            doubling(40, "[1, 1]", "[{p}, {p}]") + " = " + doubling(40, "[1, 1]", "[{p}, {p}]"),
            doubling(40, "{a: 1}", "{{a: {p}, b: {p}}}"),
        ],
        ids=["result", "partial-result", "string", "to-json", "flatten", "equality", "contexts"],
    )
    def test_a_list_sharing_one_list_many_times_over_is_counted_per_copy(self, expression: str) -> None:
        # only ~80 values are built, but written out (as a result, a string, JSON) they are 2^40
        message = failure(expression)
        assert STEPS in message or TIME in message, message


class TestText:
    @pytest.mark.parametrize(
        "expression",
        [
            doubling(30, '"xxxxxxxxxx"', "{p} + {p}"),
            'string join(["a", "b", "c"], s)',
            'replace("' + "a" * 200 + '", "a", s)',
            "string join(for i in 1..200 return s)",
            "upper case(" + doubling(30, '"xxxxxxxxxx"', "{p} + {p}") + ")",
        ],
        ids=["doubling", "long-delimiter", "replacement-per-match", "join-of-copies", "through-a-built-in"],
    )
    def test_strings_built_beyond_the_limit_fail_before_they_are_built(self, expression: str) -> None:
        assert TEXT in failure(expression, context={"s": "y" * 60_000})

    def test_an_input_string_handed_through_is_not_counted(self) -> None:
        engine = FeelEngine(limits=SMALL)
        big = "z" * 90_000
        assert engine.evaluate("for i in 1..5 return string(s)", {"s": big}) == [big] * 5


class TestRegularExpressions:
    @pytest.mark.parametrize("function", ["matches(s, p)", 'replace(s, p, "x")', "split(s, p)", "extract(s, p)"])
    def test_catastrophic_backtracking_ends_at_the_time_limit(self, function: str) -> None:
        # `(a|aa)+$` backtracks exponentially on re's, regex's and Java's engines alike
        context = {"s": "a" * 40 + "!", "p": "(a|aa)+$"}
        assert TIME in failure(function, FeelLimits(timeout_ms=100), context)

    def test_the_examples_of_the_issue_still_answer(self) -> None:
        engine = FeelEngine()
        # `regex` recognises this one and answers at once, as Java does
        assert engine.evaluate('matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$")', {}) is False
        assert engine.evaluate('replace("a1b22", "[0-9]+", "#")', {}) == "a#b#"
        assert engine.evaluate('split("a,b,,c,", ",")', {}) == ["a", "b", "", "c", ""]
        assert engine.evaluate('extract("a1b22", "[0-9]+")', {}) == ["1", "22"]
        assert engine.evaluate('matches("ÄB", "äb", "i")', {}) is False  # ASCII-only case folding, as Java

    @pytest.mark.parametrize(
        ("pattern", "expected"),
        [("a{e<=1}", None), ("a{,2}b", None), ("a{2}", True), ("a{1,}", True), ("a{1,3}", True), ("[{]", False)],
    )
    def test_a_brace_is_a_quantifier_as_java_reads_it_or_the_pattern_is_invalid(
        self, pattern: str, expected: bool | None
    ) -> None:
        # checked against Camunda's engine: `{e<=1}` (fuzzy matching in `regex`) and `{,2}` are
        # "Illegal repetition" in Java, so the functions yield null
        assert FeelEngine().evaluate("matches(s, p)", {"s": "aab", "p": pattern}) is expected


class TestRegularExpressionSize:
    @pytest.mark.parametrize(
        "pattern",
        ["a{2147483647}", "((a{1000}){1000}){1000}", "(?:a{60000}){60000}", "(a|b)" * 10_000],
        ids=["huge-count", "nested-counts", "nested-counts-2", "long"],
    )
    def test_a_pattern_too_large_to_compile_quickly_fails_naming_the_limit(self, pattern: str) -> None:
        # `regex` compiles a{n} into n copies: a{2147483647} alone took gigabytes
        message = failure("matches(s, p)", context={"s": "a", "p": pattern})
        assert "with its repeats multiplied out, more than the 20000 this worker compiles" in message

    @pytest.mark.parametrize(
        ("pattern", "subject"),
        [("[a-z]{1,255}\\.[a-z]{2,63}", "key.csv"), ("\\d{4}-\\d{2}-\\d{2}", "2024-06-14"), (".{0,1024}x", "ax")],
    )
    def test_real_patterns_with_bounded_repeats_compile(self, pattern: str, subject: str) -> None:
        assert FeelEngine().evaluate("matches(s, p)", {"s": subject, "p": pattern}) is True


class TestHugeNumbers:
    @pytest.mark.parametrize(
        ("expression", "expected"),
        [
            ('substring("abc", 1, 10 ** 999999)', "abc"),
            ("sublist([1, 2, 3], 1, 10 ** 999999)", [1, 2, 3]),
            ("insert before([1], 10 ** 999999, 2)", [1, 2]),
            ("[1, 2, 3][10 ** 999999]", None),
            ("odd(10 ** 999999)", False),  # as Camunda: exact, by modular powers of ten
            ('duration("PT1S") * 10 ** 40', "PT0S"),  # as Camunda: the factor's intValue() is 0
        ],
    )
    def test_positions_and_factors_of_a_million_digits_answer_at_once(self, expression: str, expected: Any) -> None:
        # Python converts 1E+999999 to an int digit by digit, for minutes; these used to hang
        assert FeelEngine().evaluate(expression, {}) == expected

    def test_a_range_of_a_million_digits_runs_out_of_steps(self) -> None:
        assert STEPS in failure("for i in 1..(10 ** 999999) return i")


class TestJavaMatching:
    """Matching moved from ``re.finditer``/``re.sub`` to a find loop of our own (for the timeout);
    it follows ``java.util.regex.Matcher.find``. Expected values are Camunda's engine's answers."""

    @pytest.mark.parametrize(
        ("expression", "expected"),
        [
            ('extract("a b,c", "b*?")', ["", "", "", "", "", ""]),  # Python's finditer would give "b" too
            ('extract("baaa", "a*")', ["", "aaa", ""]),
            ('replace("baaa", "a*", "-")', "-b--"),
            ('replace("abab", "b*?", "-")', "-a-b-a-b-"),
            ('split("baaa", "a*")', ["b", "", ""]),
            ('replace("1", "(?:ab)", "$1")', "1"),  # Java reads the template only at a match
            ('replace("ab", "(?:ab)", "$1")', None),  # ... and there group 1 does not exist
        ],
    )
    def test_matches_are_found_as_java_finds_them(self, expression: str, expected: Any) -> None:
        assert FeelEngine().evaluate(expression, {}) == expected


class TestDefaults:
    def test_real_expressions_over_a_thousand_objects_stay_well_inside(self) -> None:
        contents = [{"key": f"reports/{i:04}.csv", "size": i * 100} for i in range(1000)]
        expression = (
            "{keys: for o in contents[size > 50000] return o.key, total: sum(contents.size), "
            'names: string join(for o in contents return substring after(o.key, "/"), ","), '
            'csv: count(contents[matches(key, "\\.csv$")])}'
        )
        result = FeelEngine().evaluate(expression, {"contents": contents})
        assert len(result["keys"]) == 499 and result["total"] == 49_950_000 and result["csv"] == 1000

    def test_the_settings_carry_the_documented_defaults(self) -> None:
        settings = WorkerSettings()
        assert (
            (settings.feel_max_steps, settings.feel_max_text_length, settings.feel_timeout_ms)
            == (
                FeelLimits().max_steps,
                FeelLimits().max_text_length,
                FeelLimits().timeout_ms,
            )
            == (1_000_000, 10_000_000, 1_000)
        )

    def test_every_evaluation_starts_with_a_full_budget(self) -> None:
        engine = FeelEngine(limits=SMALL)
        for _ in range(5):  # each spends most of the steps; none inherits what the one before spent
            assert engine.evaluate("count(for i in 1..8000 return i)", {}) == 8000
