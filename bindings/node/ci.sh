#!/usr/bin/env bash
# CI for the Node binding, from a clean clone: install (which builds the native module
# with cargo, release) and run the test suite (the whole corpus through the binding's own
# adapter, the vectors, errors, types, secrets, fuzz).
#
#   bash bindings/node/ci.sh
#
# ECS_RAMROLE_BIN: the `ecs-ramrole` harness to run the corpus with (default: the corpus
# test builds it with `cargo build --bin ecs-ramrole` at the repository root). CI that
# has built it already passes its path, e.g. ECS_RAMROLE_BIN=target/debug/ecs-ramrole.
# CARGO_TARGET_DIR is honoured by every cargo build here.
set -euo pipefail
caller="$(pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
for tool in node npm cargo; do
  command -v "$tool" >/dev/null || { echo "bindings/node: $tool is not installed" >&2; exit 1; }
done
if [ -n "${ECS_RAMROLE_BIN:-}" ]; then
  # Relative to where the caller stood, as the caller wrote it.
  ECS_RAMROLE_BIN="$(cd "$caller" && realpath "$ECS_RAMROLE_BIN")"
  export ECS_RAMROLE_BIN
fi
echo "== node $(node --version), npm $(npm --version), $(cargo --version)"
echo "== npm ci (builds the native module)"
npm ci --no-audit --no-fund
echo "== npm test"
npm test
