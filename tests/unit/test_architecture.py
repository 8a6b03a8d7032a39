"""The four rooms of DESIGN.md §2 and their one-way doors, checked on the source.

- ``runtime/`` knows jobs: neither boto3 nor httpx, nor the other rooms.
- ``documents/`` knows Camunda's document store and HTTP: neither boto3, pyzeebe nor ``s3/``.
- ``s3/`` knows boto3: neither pyzeebe, httpx nor ``documents/``.
- ``actions/`` glues them; only ``runtime/zeebe.py`` talks to pyzeebe/gRPC.
- ``feel/`` stands alone; the shared modules at the top import no room.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "connector"
SHARED = ("errors", "error_codes", "clock", "retrying", "redaction", "urls")
ROOMS: dict[str, tuple[str, ...]] = {
    "runtime": ("boto3", "botocore", "httpx", "connector.s3", "connector.documents", "connector.actions"),
    "documents": (
        "boto3",
        "botocore",
        "pyzeebe",
        "grpc",
        "connector.s3",
        "connector.runtime",
        "connector.actions",
        "connector.settings",
    ),
    "s3": (
        "pyzeebe",
        "grpc",
        "httpx",
        "pydantic",
        "connector.documents",
        "connector.runtime",
        "connector.actions",
        "connector.settings",
    ),
    "actions": ("pyzeebe", "grpc"),
}


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def uses(names: set[str], prefix: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for name in names)


ROOM_MODULES = [
    pytest.param(room, path, id=f"{room}/{path.name}")
    for room in ROOMS
    for path in sorted((PACKAGE / room).rglob("*.py"))
]


@pytest.mark.parametrize(("room", "path"), ROOM_MODULES)
def test_each_room_keeps_to_its_doors(room: str, path: Path) -> None:
    names = imports_of(path)
    broken = [forbidden for forbidden in ROOMS[room] if uses(names, forbidden)]
    assert broken == [], f"{room}/{path.name} imports {broken}"


def test_every_room_has_modules() -> None:
    for room in ROOMS:
        assert list((PACKAGE / room).glob("*.py")), room


@pytest.mark.parametrize("name", SHARED)
def test_shared_modules_at_the_top_import_no_room(name: str) -> None:
    path = PACKAGE / f"{name}.py"
    if not path.exists():
        pytest.fail(f"connector/{name}.py is missing")
    names = imports_of(path)
    rooms = [room for room in (*ROOMS, "feel", "settings", "app", "cli") if uses(names, f"connector.{room}")]
    assert rooms == [], f"connector/{name}.py imports {rooms}"


def test_only_the_zeebe_adapter_imports_pyzeebe_or_grpc() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE) != Path("runtime/zeebe.py")
        and (uses(imports_of(path), "pyzeebe") or uses(imports_of(path), "grpc"))
    ]
    assert offenders == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "feel").rglob("*.py")), ids=lambda p: p.name)
def test_feel_is_a_standalone_evaluator(path: Path) -> None:
    names = {name for name in imports_of(path) if name.startswith("connector")}
    allowed = {"connector.errors", "connector.error_codes"}
    assert {n for n in names if not n.startswith("connector.feel")} <= allowed, path.name
    for forbidden in ("boto3", "botocore", "pyzeebe", "grpc", "httpx"):
        assert not uses(imports_of(path), forbidden)
