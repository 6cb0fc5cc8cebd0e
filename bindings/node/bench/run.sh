#!/usr/bin/env bash
# The Node binding beside the official Node SDKs, same run (not run by CI):
#
#   bash bindings/node/bench/run.sh
#
# 1. Builds the binding (release) unless ecs-ramrole.node is there.
# 2. Installs the SDKs from their pinned locks (tools/sdk-adapters/node-tea and
#    node-pop-core, `npm ci`), once.
# 3. `cargo bench --bench ratios -- --ours --dump DIR` writes the shared inputs (the
#    100-result bodies, the 100-ID signing request with the library's signature) and
#    prints the Rust library's own medians on them.
# 4. bench/bench.js times the binding and the SDKs on those inputs and prints the table.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"
deps="$here/bench/.deps"
mkdir -p "$deps"
[ -f "$here/ecs-ramrole.node" ] || (cd "$here" && node scripts/build.js)
bash "$repo/tools/sdk-adapters/node-tea/install.sh" || echo "!! the Tea SDK did not install: its rows are skipped"
bash "$repo/tools/sdk-adapters/node-pop-core/install.sh" || echo "!! pop-core did not install: its rows are skipped"
echo "== the Rust library on the same inputs (cargo bench --bench ratios -- --ours)"
(cd "$repo" && cargo bench --quiet --bench ratios -- --ours --dump "$deps/inputs") | tee "$deps/rust.txt"
echo "== the Node binding and the SDKs"
node "$here/bench/bench.js" "$deps/inputs" "$deps/rust.txt"
