#!/usr/bin/env bash
# The interop command: the suites that need tools beyond Python and Node. Each suite builds
# what it needs (MinIO and toxiproxy from the Go module proxy, Camunda's FEEL engine from
# Maven Central) through scripts/provide-*.sh, cached outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
# pytest exits 5 when it collected no tests; that is a failure here, never hidden.
exec .venv/bin/pytest -q -p no:cacheprovider --interop tests/interop "$@"
