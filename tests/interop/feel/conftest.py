"""The FEEL differential suite: Camunda's FEEL engine (built by scripts/provide-feel-engine.sh) beside ours.

Without Java, Maven or a buildable engine the suite fails -- loudly, at the first test -- rather than
skipping: a skipped differential run would look like agreement.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from connector.feel import FeelEngine
from tests.interop.feel.reference import REPOSITORY, ReferenceEngine, fixed_clock


@pytest.fixture(scope="session")
def reference() -> Iterator[ReferenceEngine]:
    """Camunda's FEEL engine, one JVM for the whole session."""
    script = REPOSITORY / "scripts" / "provide-feel-engine.sh"
    built = subprocess.run([str(script)], capture_output=True, text=True, timeout=900, check=False)
    if built.returncode != 0:
        pytest.fail(f"Camunda's FEEL engine could not be provided:\n{built.stderr}", pytrace=False)
    engine = ReferenceEngine(built.stdout.strip().splitlines()[-1])
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture(scope="session")
def ours() -> FeelEngine:
    """This worker's engine, reading the same fixed clock as the reference."""
    return FeelEngine(clock=fixed_clock, cache_size=4096)
