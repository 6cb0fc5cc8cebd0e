#!/usr/bin/env bash
# The command the harness runs: bash tools/sdk-adapters/node-pop-core/run.sh
# Works from any current directory; speaks adapter protocol 1 in the persistent mode (the
# one-shot mode is the same loop fed a single line). pop-core has one mode (V1, HMAC-SHA1);
# an argument is accepted and ignored so the matrix can pass a label.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ ! -d "$here/node_modules/@alicloud/pop-core" ]; then
  echo "node-pop-core adapter: SDK not installed; run: bash $here/install.sh" >&2
  exit 3
fi
exec node "$here/adapter.js"
