"""How bad expressions fail: ``InputError(INVALID_EXPRESSION)`` quoting the expression and pointing at it."""

from __future__ import annotations

import pytest

from connector.errors import InputError
from connector.feel import FeelEngine

ENGINE = FeelEngine()


def error_of(expression: str, variables: dict[str, object] | None = None) -> InputError:
    with pytest.raises(InputError) as raised:
        ENGINE.evaluate(expression, variables or {})
    assert raised.value.code == "INVALID_EXPRESSION"
    assert raised.value.retryable is False
    return raised.value


class TestSyntaxErrors:
    def test_message_quotes_the_expression_and_names_line_and_column(self) -> None:
        message = error_of("1 +* 2").message
        assert message.startswith("Invalid FEEL expression '1 +* 2': unexpected '*' at line 1, column 4")

    def test_a_caret_line_points_at_the_offending_token(self) -> None:
        lines = error_of("1 +* 2").message.splitlines()
        assert lines[1:] == ["  1 +* 2", "     ^"]

    def test_position_in_a_multi_line_expression(self) -> None:
        error = error_of("{a: 1,\n b: (2 + }")
        assert "unexpected '}' at line 2, column 10" in error.message
        assert error.message.splitlines()[-2:] == ["   b: (2 + }", "           ^"]

    def test_unexpected_end_names_what_was_expected(self) -> None:
        error = error_of("if x then 1")
        assert "unexpected end of expression at line 1, column 12 (expected 'else')" in error.message

    def test_path_without_a_key(self) -> None:
        assert "(expected a name)" in error_of("x.").message

    def test_unterminated_string(self) -> None:
        assert "unterminated string at line 1, column 3" in error_of('1 "abc').message

    def test_unknown_character(self) -> None:
        assert "unexpected character '?' at line 1, column 3" in error_of("a ? b").message

    def test_reserved_word_as_variable(self) -> None:
        message = error_of("x + and").message
        assert "'and' is a reserved word at line 1, column 5" in message
        assert message.endswith("  x + and\n      ^")

    def test_empty_expression(self) -> None:
        assert "unexpected end of expression" in error_of("").message
        assert "unexpected end of expression" in error_of("=").message

    @pytest.mark.parametrize(
        "expression",
        ["1e3", "@2023", "x in ]1..5", "[1..5] = x", "{a 1}", "[1, 2", "f(a, b: 1)", "not x", "1 < 2 < 3"],
    )
    def test_unsupported_or_invalid_syntax_is_refused(self, expression: str) -> None:
        assert error_of(expression).message.startswith(f"Invalid FEEL expression '{expression}'")

    def test_very_long_expressions_are_quoted_shortened(self) -> None:
        expression = "1 + " * 400 + "*"
        assert "..." in error_of(expression).message.splitlines()[0]


class TestEvaluationFailures:
    """Where Camunda's engine fails the evaluation instead of yielding null."""

    def test_connector_function_argument_of_the_wrong_type(self) -> None:
        message = error_of("if true then bpmnError(404) else null").message
        assert message == (
            "Failed to evaluate FEEL expression 'if true then bpmnError(404) else null' at line 1, column 14: "
            "Parameter 'errorCode' of function 'bpmnError' must be a String"
        )

    def test_position_of_a_failure_on_a_later_line(self) -> None:
        message = error_of('{\n  a: 1,\n  b: jobError("m", "not a context")\n}').message
        assert "at line 3, column 6: Parameter 'variables' of function 'jobError' must be a Context" in message

    def test_the_innermost_invocation_names_the_position(self) -> None:
        message = error_of('string(bpmnError("X", 1))').message
        assert "at line 1, column 8: Parameter 'errorMessage' of function 'bpmnError' must be a String" in message

    def test_assert_fails_with_its_cause(self) -> None:
        assert error_of("assert(x, x != null, \"'x' should not be null\")").message.endswith("'x' should not be null")
        assert "assertion failed" in error_of("assert(x, x >= 0)", {"x": -1}).message

    def test_supported_by_camunda_but_not_here(self) -> None:
        message = error_of('createDocument("a")').message
        assert "the FEEL function 'createDocument' is not supported by this worker" in message

    def test_dates_beyond_the_supported_years(self) -> None:
        assert "outside the years 1..9999" in error_of('date("2019-01-01") + duration("P8000Y")').message
        assert "outside the years 1..9999" in error_of('@"10000-01-01"').message

    def test_an_unknown_zone_fails_like_in_camunda(self) -> None:
        assert "unknown time zone" in error_of('date and time(@"2019-01-01T10:00:00", "Mars/Olympus")').message

    def test_dividing_by_a_duration_below_a_millisecond(self) -> None:
        assert "division by zero" in error_of('@"PT1S" / @"PT0.0001S"').message

    def test_a_range_function_without_a_rule_for_its_arguments(self) -> None:
        assert "meets() has no rule" in error_of("meets(1, 2)").message

    def test_substring_outside_the_string(self) -> None:
        assert "substring out of range" in error_of('substring("abc", 10)').message

    def test_modulo_by_zero(self) -> None:
        assert "division by zero" in error_of("modulo(1, 0)").message

    def test_qualified_invocation_on_a_missing_context(self) -> None:
        assert "expected a context to invoke 'f' on" in error_of("x.f(1)").message

    def test_backoff_attempt_below_one(self) -> None:
        assert "'attempt' must be >= 1, but was 0" in error_of("backoff(0)").message

    def test_huge_ranges_are_refused_instead_of_exhausting_memory(self) -> None:
        assert "more than" in error_of("for x in 1..100000000000 return x").message


class TestUnknownFunctionsFail:
    """A deliberate difference from Camunda (which yields null): a typo in a function name
    must not silently turn an error expression into "no error"."""

    @pytest.mark.parametrize("expression", ["f()", "camel case(x)", "unknown(1, 2)", 'bpmError("NOT_FOUND", "m")'])
    def test_fails_naming_the_function(self, expression: str) -> None:
        with pytest.raises(InputError) as info:
            ENGINE.evaluate(expression, {"x": "a variable"})
        assert "no function named" in info.value.message and "line 1" in info.value.message

    def test_a_known_function_with_wrong_parameters_is_still_null(self) -> None:
        assert ENGINE.evaluate('string length("a", "b")', {}) is None

    def test_a_function_held_by_a_variable_is_not_unknown(self) -> None:
        assert ENGINE.evaluate("{f: function(x) x + 1, r: f(1)}.r", {}) == 2


class TestNullInsteadOfFailure:
    """Camunda yields null (with a warning) for these; so does this engine."""

    @pytest.mark.parametrize(
        "expression",
        [
            "x",
            "x.y.z",
            '1 + "a"',
            "1 / 0",
            '1 < "a"',
            "{}.missing",
            "upper case(1)",
            'string length("a", "b")',
            'matches("a", "(")',
            'replace("a", "(", "b")',
            'number("12a")',
            'duration("P1X")',
            "sort([2, 1], function(x, y) 1)",
        ],
    )
    def test_yields_null(self, expression: str) -> None:
        assert ENGINE.evaluate(expression, {}) is None
