"""The layering of DESIGN.md §2, checked on the source: the runtime knows jobs, not S3;
``connector/s3`` knows boto3, not Zeebe; only ``runtime/zeebe.py`` talks to pyzeebe/gRPC."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "connector"


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


def uses(names: set[str], prefix: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for name in names)


@pytest.mark.parametrize("path", modules("s3"), ids=lambda p: p.name)
def test_s3_layer_is_ignorant_of_zeebe_and_runtime(path: Path) -> None:
    names = imports_of(path)
    for forbidden in ("pyzeebe", "grpc", "connector.runtime", "connector.actions", "pydantic", "connector.settings"):
        assert not uses(names, forbidden), f"{path.name} imports {forbidden}"


@pytest.mark.parametrize("path", modules("runtime"), ids=lambda p: p.name)
def test_runtime_is_ignorant_of_s3(path: Path) -> None:
    names = imports_of(path)
    for forbidden in ("boto3", "botocore", "connector.s3", "connector.actions"):
        assert not uses(names, forbidden), f"{path.name} imports {forbidden}"


def test_only_the_zeebe_adapter_imports_pyzeebe_or_grpc() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "zeebe.py" and (uses(imports_of(path), "pyzeebe") or uses(imports_of(path), "grpc"))
    ]
    assert offenders == []


@pytest.mark.parametrize("path", modules("feel"), ids=lambda p: p.name)
def test_feel_is_a_standalone_evaluator(path: Path) -> None:
    names = {name for name in imports_of(path) if name.startswith("connector")}
    assert names <= {"connector.errors"} | {n for n in names if n.startswith("connector.feel")}, path.name
    for forbidden in ("boto3", "botocore", "pyzeebe", "grpc"):
        assert not uses(imports_of(path), forbidden)
