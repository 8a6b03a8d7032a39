import json
from pathlib import Path
from typing import Any

import pytest

from connector.errors import InputError
from connector.runtime.secrets import (
    ChainedSecrets,
    DirectorySecrets,
    EnvironmentSecrets,
    SecretProvider,
    substitute_secrets,
)


def resolve(variables: dict[str, Any], provider: SecretProvider) -> tuple[Any, frozenset[str]]:
    text, used = substitute_secrets(json.dumps(variables), provider)
    return json.loads(text), used


class TestSubstitution:
    def test_placeholder_in_nested_value_and_inside_longer_string(self) -> None:
        provider = EnvironmentSecrets({"SECRET_KEY": "abc", "SECRET_BUCKET": "prod"})
        variables = {"auth": {"secretKey": "{{secrets.KEY}}"}, "action": {"bucket": "bucket-{{ secrets.BUCKET }}-x"}}
        result, used = resolve(variables, provider)
        assert result == {"auth": {"secretKey": "abc"}, "action": {"bucket": "bucket-prod-x"}}
        assert used == {"abc", "prod"}

    def test_values_are_json_escaped_so_a_secret_cannot_change_the_document(self) -> None:
        provider = EnvironmentSecrets({"SECRET_Q": 'a"b\\c\nd", "injected": "x'})
        result, _ = resolve({"v": "{{secrets.Q}}"}, provider)
        assert result == {"v": 'a"b\\c\nd", "injected": "x'}

    def test_missing_secret_is_an_input_error_naming_it(self) -> None:
        with pytest.raises(InputError) as info:
            resolve({"v": "{{secrets.NOPE}}"}, EnvironmentSecrets({}))
        assert info.value.code == "SECRET_NOT_FOUND"
        assert "NOPE" in info.value.message
        assert info.value.retryable is False

    def test_prefix_keeps_the_worker_environment_out_of_reach(self) -> None:
        provider = EnvironmentSecrets({"AWS_SECRET_ACCESS_KEY": "worker-own"}, prefix="SECRET_")
        with pytest.raises(InputError):
            resolve({"v": "{{secrets.AWS_SECRET_ACCESS_KEY}}"}, provider)

    def test_custom_prefix(self) -> None:
        provider = EnvironmentSecrets({"MY_X": "1"}, prefix="MY_")
        assert resolve({"v": "{{secrets.X}}"}, provider)[0] == {"v": "1"}

    def test_text_without_a_placeholder_is_returned_as_it_is(self) -> None:
        text = '{"a": [1, {"b": null}], "name": "Grüße"}'
        result, used = substitute_secrets(text, EnvironmentSecrets({}))
        assert result is text and used == frozenset()

    def test_works_on_the_gateway_text_with_raw_unicode(self) -> None:
        text = '{"key": "Grüße/{{secrets.X}}.txt"}'
        result, used = substitute_secrets(text, EnvironmentSecrets({"SECRET_X": "ü"}))
        assert json.loads(result) == {"key": "Grüße/ü.txt"} and used == {"ü"}


class TestProviders:
    def test_directory_reads_file_without_trailing_newline(self, tmp_path: Path) -> None:
        (tmp_path / "TOKEN").write_text("s3cr3t\n")
        assert DirectorySecrets(tmp_path).get("TOKEN") == "s3cr3t"
        assert DirectorySecrets(tmp_path).get("MISSING") is None

    @pytest.mark.parametrize("name", ["../etc/passwd", "a/b", "..", "."])
    def test_directory_refuses_paths_outside(self, tmp_path: Path, name: str) -> None:
        assert DirectorySecrets(tmp_path / "sub").get(name) is None

    def test_chain_first_wins(self, tmp_path: Path) -> None:
        (tmp_path / "A").write_text("from-file")
        chain = ChainedSecrets((EnvironmentSecrets({"SECRET_A": "from-env"}), DirectorySecrets(tmp_path)))
        assert chain.get("A") == "from-env"
        assert ChainedSecrets((EnvironmentSecrets({}), DirectorySecrets(tmp_path))).get("A") == "from-file"
