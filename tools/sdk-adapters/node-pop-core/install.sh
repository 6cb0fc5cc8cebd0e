#!/usr/bin/env bash
# Installs the pinned SDK (package-lock.json) into this folder's node_modules/.
# Idempotent: does nothing when node_modules already matches the lock.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
command -v node >/dev/null || { echo "node-pop-core install: node is not installed" >&2; exit 1; }
command -v npm >/dev/null || { echo "node-pop-core install: npm is not installed" >&2; exit 1; }
# npm writes node_modules/.package-lock.json after a successful install; when it equals the
# lock's packages, there is nothing to do.
if [ -f node_modules/.package-lock.json ] && node -e '
  const a = require("./package-lock.json").packages, b = require("./node_modules/.package-lock.json").packages;
  const strip = (p) => JSON.stringify(Object.fromEntries(Object.entries(p).filter(([k]) => k !== "").map(([k, v]) => [k, v.version + " " + (v.integrity || "")]).sort()));
  process.exit(strip(a) === strip(b) ? 0 : 1);' 2>/dev/null; then
  echo "node-pop-core: node_modules is up to date with package-lock.json"
  exit 0
fi
registry="$(npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)"
if ! timeout 60 npm ping --fetch-retries=0 --fetch-timeout=20000 >/dev/null 2>&1; then
  echo "node-pop-core install: cannot reach the npm registry ($registry); nothing installed" >&2
  exit 1
fi
# --ignore-scripts: nothing in this tree has an install script; this keeps it that way.
npm ci --ignore-scripts --no-audit --no-fund
echo "node-pop-core: installed $(node -p 'require("@alicloud/pop-core/package.json").version') (@alicloud/pop-core)"
