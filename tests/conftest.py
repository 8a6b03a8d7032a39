"""Suite selection: ``tests/interop`` needs tools beyond Python and Node (Go, Java), so it is
collected only with ``--interop`` (``./scripts/test-interop.sh``); the default command leaves it out."""

from __future__ import annotations

from pathlib import Path

import pytest

_INTEROP = Path(__file__).resolve().parent / "interop"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--interop",
        action="store_true",
        default=False,
        help="also collect tests/interop (MinIO, toxiproxy, Camunda's FEEL engine; needs Go and Java)",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if config.getoption("--interop"):
        return None
    if collection_path == _INTEROP or _INTEROP in collection_path.parents:
        return True
    return None
