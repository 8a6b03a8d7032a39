"""One redactor masks known secrets in text and in JSON values, in every room."""

from __future__ import annotations

from connector.redaction import Redactor


class TestRedaction:
    def test_masks_plain_and_json_escaped_values(self) -> None:
        redact = Redactor().with_values(['p@ss"word', ""])
        assert redact('failed with p@ss"word and {"k": "p@ss\\"word"}') == 'failed with *** and {"k": "***"}'

    def test_longest_first(self) -> None:
        assert Redactor().with_values(["abc", "abcdef"])("x abcdef y") == "x *** y"

    def test_json_values_are_masked_in_keys_and_nested_values(self) -> None:
        redact = Redactor(frozenset({"tok-123"}))
        value = {"tok-123": [{"note": "used tok-123 twice"}], "n": 1}
        assert redact.json_value(value) == {"***": [{"note": "used *** twice"}], "n": 1}

    def test_without_secrets_a_json_value_is_returned_as_it_is(self) -> None:
        value = {"a": [1, 2]}
        assert Redactor().json_value(value) is value

    def test_url_encoded_forms_are_masked_too(self) -> None:
        redact = Redactor(frozenset({"a b/c+d"}))
        assert redact("https://h/bucket/a%20b/c%2Bd/x and a%20b%2Fc%2Bd") == "https://h/bucket/***/x and ***"

    def test_a_json_value_without_secrets_in_it_is_returned_as_it_is(self) -> None:
        value = {"key": "plain"}
        assert Redactor(frozenset({"s3cr3t"})).json_value(value) is value
