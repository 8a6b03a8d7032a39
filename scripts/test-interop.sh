#!/usr/bin/env bash
# The interop command: the suites that need tools beyond Python and Node. Each suite builds
# what it needs (MinIO and toxiproxy from the Go module proxy, Camunda's FEEL engine from
# Maven Central) through scripts/provide-*.sh, cached outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
# Build (first run: about 10 minutes on 2 cores) or find the Go servers before pytest starts, so
# the build's progress is shown and a missing Go fails here, with the script's own message.
./scripts/provide-minio.sh >/dev/null
./scripts/provide-toxiproxy.sh >/dev/null
# The short soak (tests/interop/faults/test_soak.py) draws its plots with the bench extra.
.venv/bin/python -c 'import matplotlib' 2>/dev/null || .venv/bin/python -m pip install --quiet -e ".[test,bench]"
# The S3 truth suite and the S3 integration tests (the connector's S3 layer, its further actions,
# custom endpoints, faults and the check command) run on MinIO, and on moto and s3rver beside it,
# so each difference between them is a named, proven strict xfail (see tests/conftest.py).
# pytest exits 5 when it collected no tests; that is a failure here, never hidden.
.venv/bin/pytest -q -p no:cacheprovider --interop --s3-servers=minio,moto,s3rver \
    tests/interop tests/integration/test_s3_over_http.py tests/integration/test_further_actions_over_http.py \
    tests/integration/test_custom_endpoints.py tests/integration/test_s3_faults.py \
    tests/integration/test_check_command.py "$@"
# The end-to-end suite (real worker processes) on MinIO: the default command runs it on moto; here
# every end-to-end test that touches S3 runs again with MinIO checking each signature.
# The transfer suites run on moto and s3rver in the default command; here on MinIO too.
.venv/bin/pytest -q -p no:cacheprovider --s3-servers=minio tests/integration/test_transfers_over_http.py \
    tests/integration/test_ranged_downloads_over_http.py tests/integration/test_uploads_command.py "$@"
exec .venv/bin/pytest -q -p no:cacheprovider --e2e-s3-servers=minio -k minio tests/e2e "$@"
