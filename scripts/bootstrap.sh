#!/usr/bin/env bash
# Set up everything the demo and the tests need on a fresh machine, idempotently:
# libmagic (system package), a virtualenv in .venv, and the project with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    echo "bootstrap: Python >= 3.10 is required (set PYTHON=/path/to/python3)" >&2
    exit 1
fi

have_libmagic() {
    ldconfig -p 2>/dev/null | grep -q 'libmagic\.so\.1' || ls /usr/lib/*/libmagic.so.1 /usr/lib/libmagic.so.1 >/dev/null 2>&1
}
if ! have_libmagic; then
    echo "bootstrap: installing libmagic (python-magic needs it)" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    if command -v apt-get >/dev/null; then
        $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libmagic1 >/dev/null
    elif command -v apk >/dev/null; then
        $SUDO apk add --no-cache libmagic >/dev/null
    elif command -v dnf >/dev/null; then
        $SUDO dnf install -y file-libs >/dev/null
    elif command -v brew >/dev/null; then
        brew install libmagic >/dev/null
    else
        echo "bootstrap: please install libmagic with your package manager" >&2
        exit 1
    fi
fi

# s3rver, a second S3 implementation, runs the custom-endpoint tests beside moto.
if ! command -v npm >/dev/null; then
    echo "bootstrap: installing Node.js and npm (for s3rver)" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    if command -v apt-get >/dev/null; then
        $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
    else
        echo "bootstrap: please install Node.js >= 18 with npm" >&2
        exit 1
    fi
fi
if [ ! -x tools/node_modules/.bin/s3rver ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
    (cd tools && npm ci --no-audit --no-fund --silent)
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# Reinstall only when the project definition changed since the last bootstrap.
STAMP=.venv/.bootstrap-stamp
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test]"
    touch "$STAMP"
fi
