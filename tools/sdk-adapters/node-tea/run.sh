#!/usr/bin/env bash
# The command the harness runs: bash tools/sdk-adapters/node-tea/run.sh [v3|v2]
#   v3 (default): the SDK's default signer, ACS3-HMAC-SHA256
#   v2          : Config.signatureAlgorithm = 'v2' (HMAC-SHA1)
# Works from any current directory; speaks adapter protocol 1 in the persistent mode (the
# one-shot mode is the same loop fed a single line).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -d "$here/node_modules/@alicloud/ecs20140526" ]; then
  echo "node-tea adapter: SDK not installed; run: bash $here/install.sh" >&2
  exit 3
fi
exec node "$here/adapter.js" "${1:-v3}"
