from pathlib import Path

import pytest

from connector.errors import InputError
from connector.runtime.secrets import (
    ChainedSecrets,
    DirectorySecrets,
    EnvironmentSecrets,
    Redactor,
    substitute_secrets,
)


class TestSubstitution:
    def test_placeholder_in_nested_value_and_inside_longer_string(self) -> None:
        provider = EnvironmentSecrets({"SECRET_KEY": "abc", "SECRET_BUCKET": "prod"})
        variables = {"auth": {"secretKey": "{{secrets.KEY}}"}, "action": {"bucket": "bucket-{{ secrets.BUCKET }}-x"}}
        result, used = substitute_secrets(variables, provider)
        assert result == {"auth": {"secretKey": "abc"}, "action": {"bucket": "bucket-prod-x"}}
        assert used == {"abc", "prod"}

    def test_values_are_json_escaped(self) -> None:
        provider = EnvironmentSecrets({"SECRET_Q": 'a"b\\c\nd'})
        result, _ = substitute_secrets({"v": "{{secrets.Q}}"}, provider)
        assert result == {"v": 'a"b\\c\nd'}

    def test_input_is_not_mutated(self) -> None:
        variables = {"v": "{{secrets.A}}"}
        substitute_secrets(variables, EnvironmentSecrets({"SECRET_A": "x"}))
        assert variables == {"v": "{{secrets.A}}"}

    def test_missing_secret_is_an_input_error_naming_it(self) -> None:
        with pytest.raises(InputError) as info:
            substitute_secrets({"v": "{{secrets.NOPE}}"}, EnvironmentSecrets({}))
        assert info.value.code == "SECRET_NOT_FOUND"
        assert "NOPE" in info.value.message
        assert info.value.retryable is False

    def test_prefix_keeps_the_worker_environment_out_of_reach(self) -> None:
        provider = EnvironmentSecrets({"AWS_SECRET_ACCESS_KEY": "worker-own"}, prefix="SECRET_")
        with pytest.raises(InputError):
            substitute_secrets({"v": "{{secrets.AWS_SECRET_ACCESS_KEY}}"}, provider)

    def test_custom_prefix(self) -> None:
        provider = EnvironmentSecrets({"MY_X": "1"}, prefix="MY_")
        assert substitute_secrets({"v": "{{secrets.X}}"}, provider)[0] == {"v": "1"}

    def test_no_placeholder_returns_copy_without_lookup(self) -> None:
        result, used = substitute_secrets({"a": [1, {"b": None}]}, EnvironmentSecrets({}))
        assert result == {"a": [1, {"b": None}]} and used == frozenset()


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


class TestRedaction:
    def test_masks_plain_and_json_escaped_values(self) -> None:
        redact = Redactor().with_values(['p@ss"word', ""])
        assert redact('failed with p@ss"word and {"k": "p@ss\\"word"}') == 'failed with *** and {"k": "***"}'

    def test_longest_first(self) -> None:
        assert Redactor().with_values(["abc", "abcdef"])("x abcdef y") == "x *** y"


class TestReadOnlyVariables:
    def test_mapping_proxy_variables_as_pyzeebe_delivers_them(self) -> None:
        from types import MappingProxyType

        variables = MappingProxyType({"a": MappingProxyType({"b": "{{secrets.X}}"})})
        result, _ = substitute_secrets(variables, EnvironmentSecrets({"SECRET_X": "1"}))
        assert result == {"a": {"b": "1"}}
