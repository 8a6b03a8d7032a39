#!/usr/bin/env bash
# Build a Go program from the Go module proxy into a cache outside the repository, once per pin,
# and print the binary's absolute path on stdout (progress goes to stderr).
#
#   provide-go-tool.sh NAME MIN_GO PIN PACKAGE [BINARY]
#     NAME     cache directory stem (the cache holds NAME-PIN/)
#     MIN_GO   the oldest Go that builds PACKAGE at PIN, e.g. 1.24
#     PIN      the module version (a semver tag or a pseudo-version the proxy serves)
#     PACKAGE  the package to `go install`, without @PIN
#     BINARY   the installed file name (default: the last element of PACKAGE)
#
# Cache: ${ZEEBE_S3_CONNECTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeebe-s3-connector}.
# GOPATH, GOMODCACHE and GOCACHE live in it too, so a clean machine needs nothing but `go` and
# the module proxy, and the user's own Go set-up is neither used nor touched. A finished build is
# renamed into place in one step, under one lock for all tools, so an interrupted or concurrent
# run never leaves a half-built binary where a later run would take it for a good one. The
# module cache is kept (a new pin downloads only what changed); the build cache (about 1 GiB
# after MinIO) is dropped once the binary is in place.
set -euo pipefail

if [ "$#" -lt 4 ]; then
    echo "usage: $0 NAME MIN_GO PIN PACKAGE [BINARY]" >&2
    exit 2
fi
NAME=$1 MIN_GO=$2 PIN=$3 PACKAGE=$4
BINARY=${5:-${PACKAGE##*/}}

CACHE=${ZEEBE_S3_CONNECTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zeebe-s3-connector}
TARGET="$CACHE/$NAME-$PIN"
say() { echo "provide-$NAME: $*" >&2; }

if [ -x "$TARGET/bin/$BINARY" ]; then
    echo "$TARGET/bin/$BINARY"
    exit 0
fi

if ! command -v go >/dev/null 2>&1; then
    say "Go >= $MIN_GO is needed to build $PACKAGE@$PIN, and 'go' is not on PATH."
    say "Install Go $MIN_GO or newer (Debian: apt-get install golang-go, if new enough; or https://go.dev/dl/)."
    exit 1
fi
have=$(go env GOVERSION)          # e.g. go1.26.8, or devel ...
have_mm=${have#go}
have_mm=${have_mm%%[!0-9.]*}
if ! printf '%s\n%s\n' "$MIN_GO" "$have_mm" | sort -C -V; then
    say "Go >= $MIN_GO is needed to build $PACKAGE@$PIN; this machine has $have ($(command -v go))."
    say "Install Go $MIN_GO or newer and put it first on PATH."
    exit 1
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.provide.lock"
flock 9
# Another run may have finished the build while this one waited for the lock.
if [ -x "$TARGET/bin/$BINARY" ]; then
    echo "$TARGET/bin/$BINARY"
    exit 0
fi

STAGE=$(mktemp -d "$CACHE/.$NAME-$PIN.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
say "building $PACKAGE@$PIN with $have (a cold build takes minutes; it is cached in $TARGET)"
started=$(date +%s)
# GOTOOLCHAIN=local: build with this Go, never fetch another toolchain. GOFLAGS is replaced so
# the caller's flags (e.g. -mod=vendor) cannot change what is built; -trimpath keeps local
# paths out of the binary. CGO is off: the tools are pure Go, and no C toolchain is needed.
# -modcacherw: the module cache can be removed with a plain rm -rf.
export GOPATH="$CACHE/go" GOMODCACHE="$CACHE/go/pkg/mod" GOCACHE="$CACHE/go-build" \
    GOTOOLCHAIN=local GOFLAGS=-modcacherw CGO_ENABLED=0 GO111MODULE=on
GOBIN="$STAGE/bin" go install -trimpath "$PACKAGE@$PIN" >&2
if [ ! -x "$STAGE/bin/$BINARY" ]; then
    say "go install finished but $STAGE/bin/$BINARY is missing"
    exit 1
fi
echo "$PIN" >"$STAGE/PIN"
# Builds of older pins are never used again.
for old in "$CACHE/$NAME"-*; do
    [ -d "$old" ] && [ "$old" != "$TARGET" ] && rm -rf "$old"
done
go clean -cache
rm -rf "$TARGET"   # a directory left without its binary (removed by hand) is rebuilt whole
mv "$STAGE" "$TARGET"
trap - EXIT
say "built in $(($(date +%s) - started)) s: $TARGET/bin/$BINARY"
echo "$TARGET/bin/$BINARY"
