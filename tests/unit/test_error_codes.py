"""One table of error codes: the README lists exactly it, and the code raises only from it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from connector.error_codes import CODES, S3_CODES
from connector.errors import ConnectorError, InputError
from connector.feel.errors import ERROR_CODE as FEEL_CODE

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "connector"


def readme_codes() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Error codes", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Za-z0-9_]+)` \|", section, re.MULTILINE)


def test_the_readme_lists_every_code_of_the_table_once() -> None:
    listed = readme_codes()
    assert len(listed) == len(set(listed))
    assert set(listed) == set(CODES)


def test_the_readme_states_each_codes_retryability_as_the_table_does() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for code, entry in CODES.items():
        row = re.search(rf"^\| `{code}` \|.*\| retries (\S) ?1?0? \|", text, re.MULTILINE)
        assert row is not None, code
        assert (row.group(1) != "0") is entry.retryable, code


@pytest.mark.parametrize("code", sorted(set(CODES) - set(S3_CODES)))
def test_our_codes_are_screaming_snake(code: str) -> None:
    assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", code)


@pytest.mark.parametrize("code", sorted(S3_CODES))
def test_s3_codes_keep_s3s_names(code: str) -> None:
    assert re.fullmatch(r"[A-Z][A-Za-z]+", code) and not code.isupper()


def test_default_codes_of_the_classes_and_feels_code_are_in_the_table() -> None:
    assert InputError.default_code in CODES
    assert FEEL_CODE in CODES


def test_each_code_builds_its_error_class_with_the_tables_retryability() -> None:
    for entry in CODES.values():
        error = entry.error("m")
        assert error.code == entry.code and error.retryable is entry.retryable
        assert isinstance(error, InputError) is (entry.kind == "input")


def _literal_code_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        builds_error = isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("ConnectorError", "InputError")
        if builds_error and any(keyword.arg == "code" for keyword in node.keywords):  # type: ignore[attr-defined]
            found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_no_code_is_written_outside_the_table() -> None:
    offenders = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _literal_code_calls(path)]
    # FEEL stands alone and names its one code itself (checked above to be in the table).
    assert [hit for hit in offenders if not hit.startswith("feel/")] == []


def test_connector_error_without_a_code_is_not_used() -> None:
    assert ConnectorError.default_code not in CODES
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ConnectorError":
                pytest.fail(f"{path.relative_to(PACKAGE)}:{node.lineno} builds a ConnectorError without the table")
