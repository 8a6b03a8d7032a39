#!/usr/bin/env bash
# Provide the MinIO server for the interop suite: built once from the Go module proxy into the
# cache outside the repository (see provide-go-tool.sh); prints the binary's absolute path.
#
# MinIO's release tags (RELEASE.2025-...) are not semver, and the module proxy here answers
# "not available" for them, so the pin is the pseudo-version of a commit the proxy serves.
# Change the pin here to move to another MinIO; the next run builds it and drops the old one.
set -euo pipefail
MINIO_PIN=v0.0.0-20260212201848-7aac2a2c5b7c
exec "$(dirname "$0")/provide-go-tool.sh" minio 1.24 "$MINIO_PIN" github.com/minio/minio
