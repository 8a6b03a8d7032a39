#!/usr/bin/env bash
# Provide Shopify's toxiproxy server (fault injection for the interop and fault suites): built
# once from the Go module proxy into the cache outside the repository (see provide-go-tool.sh);
# prints the binary's absolute path. Tests drive it through its HTTP API (testkit/toxiproxy.py),
# so the CLI is not built.
set -euo pipefail
TOXIPROXY_PIN=v2.5.0
exec "$(dirname "$0")/provide-go-tool.sh" toxiproxy 1.17 "$TOXIPROXY_PIN" \
    github.com/Shopify/toxiproxy/v2/cmd/server
