#!/usr/bin/env bash
# The project's test command: set-up, lint, types, then the default test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
echo "== ruff"
.venv/bin/ruff check connector tests testkit examples benchmarks
.venv/bin/ruff format --check connector tests testkit examples benchmarks
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
# pytest exits 5 when it collected no tests; that is a failure here, never hidden.
exec .venv/bin/pytest -q -p no:cacheprovider "$@"
