"""Job documents are decoded only after a flat scan has measured their nesting."""

from __future__ import annotations

import json

import pytest

from connector.errors import InputError
from connector.runtime.job_json import MAX_NESTING_DEPTH, decode_object


def nested(levels: int, opener: str = '{"k": ', closer: str = "}") -> str:
    return opener * levels + "1" + closer * levels


class TestDecodeObject:
    def test_an_ordinary_document_decodes(self) -> None:
        text = json.dumps({"action": {"bucket": "b", "keys": ["a", "b"]}, "n": 1.5})
        assert decode_object(text, "variables") == {"action": {"bucket": "b", "keys": ["a", "b"]}, "n": 1.5}

    def test_empty_text_means_no_variables(self) -> None:
        assert decode_object("", "variables") == {}
        assert decode_object("  ", "headers") == {}

    def test_exactly_the_limit_is_accepted(self) -> None:
        # the top-level object is level 1
        text = '{"a": ' + nested(MAX_NESTING_DEPTH - 1) + "}"
        assert decode_object(text, "variables")["a"]["k"] is not None

    @pytest.mark.parametrize("levels", [MAX_NESTING_DEPTH, 1_000, 100_000])
    def test_deeper_is_an_input_error_naming_where_it_goes_deep(self, levels: int) -> None:
        text = '{"action": {"metadata": ' + nested(levels) + "}}"
        with pytest.raises(InputError) as raised:
            decode_object(text, "variables")
        assert raised.value.code == "INVALID_INPUT" and raised.value.retryable is False
        assert raised.value.message == (
            f"Invalid input:\n- variables: nested deeper than {MAX_NESTING_DEPTH} levels (under action.metadata.k.k…)"
        )

    def test_lists_are_measured_too(self) -> None:
        with pytest.raises(InputError, match=r"under items\.\[\]\.\[\]"):
            decode_object('{"items": ' + nested(200, "[", "]") + "}", "variables")

    def test_brackets_inside_strings_do_not_count(self) -> None:
        text = json.dumps({"content": "{[" * 10_000, "name": 'a]}\\"{'})
        assert decode_object(text, "variables")["content"].startswith("{[")

    def test_escaped_quotes_do_not_end_a_string_early(self) -> None:
        text = '{"a": "\\"{{{{", "b": ' + nested(150) + "}"
        with pytest.raises(InputError, match=r"under b\.k"):
            decode_object(text, "variables")

    def test_text_that_is_not_json_is_an_input_error(self) -> None:
        with pytest.raises(InputError, match="headers: not a JSON document"):
            decode_object("{not json", "headers")

    @pytest.mark.parametrize("text", ["[1, 2]", '"text"', "3", "null"])
    def test_a_document_must_be_an_object(self, text: str) -> None:
        with pytest.raises(InputError, match="variables: must be a JSON object"):
            decode_object(text, "variables")


class TestUnicode:
    @pytest.mark.parametrize(
        ("text", "where"),
        [
            ('{"action": {"key": "a\\ud800b"}}', "variables.action.key"),
            ('{"a": ["ok", "\\udfff"]}', "variables.a[1]"),
            ('{"a": {"\\ud800": 1}}', "variables.a"),
        ],
    )
    def test_a_lone_surrogate_is_an_input_error_naming_where(self, text: str, where: str) -> None:
        with pytest.raises(InputError) as raised:
            decode_object(text, "variables")
        assert (
            raised.value.message == f"Invalid input:\n- {where}: text is not valid Unicode (it holds a lone surrogate)"
        )

    def test_a_surrogate_pair_is_one_character_and_fine(self) -> None:
        assert decode_object('{"rocket": "\\ud83d\\ude80"}', "variables") == {"rocket": "🚀"}
