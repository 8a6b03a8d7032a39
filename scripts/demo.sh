#!/usr/bin/env bash
# Quick start: a local S3 (moto server on loopback) and one upload -> download -> delete
# through `s3-connector invoke`, the same pipeline the worker runs for Zeebe jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
exec .venv/bin/python examples/demo.py "$@"
