"""Built-ins whose results are not fixed (uuid, random) or whose Java details matter (regex, padding)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from connector.feel import FeelEngine

ENGINE = FeelEngine()


def evaluate(expression: str, variables: dict[str, Any] | None = None) -> Any:
    return ENGINE.evaluate(expression, variables or {})


def test_uuid_is_36_characters() -> None:
    first, second = evaluate("uuid()"), evaluate("uuid()")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", first)
    assert first != second


def test_random_number_is_between_zero_and_one() -> None:
    assert all(0 <= evaluate("random number()") < 1 for _ in range(20))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("partition([1,2,3,4,5], 2)", [[1, 2], [3, 4], [5]]),
        ("partition([], 2)", []),
        ("partition([1], 0)", None),
        ('from json(to json({a: [1, "x", null, true]}))', {"a": [1, "x", None, True]}),
        ('string(["a", 1])', '["a", 1]'),
        ("string(-0)", "0"),
        ("sublist([1,2,3], -2)", [2, 3]),
        ("sublist([1,2,3], 5)", []),
        ("insert before([1,2], -1, 9)", [1, 9, 2]),
        ("remove([1,2,3], -1)", [1, 2]),
        ("concatenate([1], 2, [3])", [1, 2, 3]),
        ("append([1], [2])", [1, [2]]),
        ('min("b", "a")', "a"),
        ('max(duration("PT1M"), duration("PT1H"))', "PT1H"),
        ("sum(xs)", 6),
        ("odd(-3)", True),
        ("even(-3)", False),
        ("odd(1.5)", False),
        ("decimal(1.25, 1)", 1.2),
        ('decimal(1.25, 1, "UNNECESSARY")', None),
        ('decimal(1.2, 1, "UNNECESSARY")', 1.2),
        ('decimal(1, 0, "SIDEWAYS")', None),
        ("floor(1234.5, -2)", 1200),
    ],
)
def test_further_built_in_results(expression: str, expected: Any) -> None:
    assert evaluate(expression, {"xs": [1, 2, 3]}) == expected


class TestJavaRegularExpressions:
    @pytest.mark.parametrize(
        ("expression", "expected"),
        [
            (r'replace("2024-06-01", "(?<y>\d+)-(?<m>\d+)-(?<d>\d+)", "${d}.${m}.${y}")', "01.06.2024"),
            (r'replace("a.b", "\Q.\E", "-")', "a-b"),
            (r'replace("price", "price", "\$5")', "$5"),
            (r'replace("abc", "b", "$2")', None),
            (r'matches("abc\n", "c\z")', False),
            (r'matches("abc", "c\z")', True),
            (r'matches("é", "\w")', False),
            (r'split("abc", "")', ["a", "b", "c", ""]),  # Pattern.split(s, -1) keeps the trailing ""
            (r'split("a1b22c", "\d+")', ["a", "b", "c"]),
            (r'split("", ",")', [""]),
            ('matches("a\nb", "a.b")', False),
            ('matches("a\nb", "a.b", "s")', True),
            ('matches("x\nab", "^ab", "m")', True),
            ('matches("ab", "a b", "x")', True),
        ],
    )
    def test_java_semantics(self, expression: str, expected: Any) -> None:
        assert evaluate(expression) == expected


def test_a_variable_holding_a_function_shadows_a_built_in() -> None:
    assert evaluate("{count: function(x) 42, r: count([1])}.r") == 42
    assert evaluate("{count: function(x, y) 42, r: count([1])}.r") == 1  # parameters do not fit: the built-in


def test_strings_keep_unknown_escapes_for_regular_expressions() -> None:
    assert evaluate(r'"\d\s\."') == r"\d\s\."
    assert evaluate(r'matches("a 1", "\s\d")') is True
