#!/usr/bin/env bash
# Times the official SDKs beside this crate on the same inputs, same run (not run by CI).
#
#   bash benches/peers/run.sh
#
# 1. Installs the SDKs into benches/peers/.deps/ (ignored by git), once:
#    PyPI alibabacloud-ecs20140526, alibabacloud-tea-openapi, aliyun-python-sdk-core;
#    npm @alicloud/ecs20140526, @alicloud/pop-core.
# 2. `cargo bench --bench ratios -- --ours --dump DIR` writes the inputs (corpus bodies,
#    the generated 100-result body, both signing requests with our signature) and prints
#    this crate's medians.
# 3. peers.py and peers.js time the SDKs on those inputs (no network, fixed timestamp and
#    nonce) and check they sign exactly what we sign.
# 4. Prints one table: ours, theirs, and theirs / ours.
set -uo pipefail
cd "$(dirname "$0")"
here=$(pwd)
deps="$here/.deps"
mkdir -p "$deps"

if [ ! -f "$deps/python/.installed" ]; then
  echo "== installing the Python SDKs into $deps/python"
  if python3 -m pip install --quiet --disable-pip-version-check --target "$deps/python" \
      alibabacloud-ecs20140526 alibabacloud-tea-openapi aliyun-python-sdk-core; then
    touch "$deps/python/.installed"
  else
    echo "!! pip install failed: the Python peers will be skipped"
  fi
fi
if [ ! -f "$deps/node/.installed" ]; then
  echo "== installing the Node SDKs into $deps/node"
  mkdir -p "$deps/node"
  if (cd "$deps/node" && npm install --silent --no-audit --no-fund --prefix . \
      @alicloud/ecs20140526 @alicloud/pop-core); then
    touch "$deps/node/.installed"
  else
    echo "!! npm install failed: the Node peers will be skipped"
  fi
fi

{
  echo "== versions"
  PYTHONPATH="$deps/python" python3 - <<'PY'
from importlib.metadata import version
for p in ("alibabacloud-ecs20140526", "alibabacloud-tea-openapi", "aliyun-python-sdk-core"):
    try:
        print(f"  {p} {version(p)} (Python)")
    except Exception as e:
        print(f"  {p} missing ({e})")
PY
  for p in @alicloud/ecs20140526 @alicloud/openapi-core @alicloud/pop-core; do
    v=$(node -p "require('$deps/node/node_modules/$p/package.json').version" 2>/dev/null || echo missing)
    echo "  $p $v (Node $(node --version))"
  done
} | tee "$deps/versions.txt"

echo "== ours (cargo bench --bench ratios -- --ours)"
(cd ../.. && cargo bench --quiet --bench ratios -- --ours --dump "$deps/inputs") \
  | tee "$deps/ours.txt"
echo "== python peers"
PYTHONPATH="$deps/python" python3 peers.py "$deps/inputs" | tee "$deps/python.txt"
echo "== node peers"
NODE_PATH="$deps/node/node_modules" node peers.js "$deps/inputs" | tee "$deps/node.txt"

echo "== table (median ns per call; ratio = theirs / ours)"
python3 - "$deps/ours.txt" "$deps/python.txt" "$deps/node.txt" <<'PY'
import sys
ours, rows = {}, []
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 3 and parts[0] == "ours":
        ours[parts[1]] = float(parts[2])
for path in sys.argv[2:]:
    for line in open(path):
        parts = line.split()
        if len(parts) == 4 and parts[0] == "peer":
            rows.append((parts[2], parts[1], float(parts[3])))
print(f"| {'operation':<32} | {'peer':<14} | {'ours ns':>9} | {'peer ns':>9} | {'peer/ours':>9} |")
print(f"|{'-' * 34}|{'-' * 16}|{'-' * 11}|{'-' * 11}|{'-' * 11}|")
for op, sdk, ns in sorted(rows):
    mine = ours.get(op)
    ratio = f"{ns / mine:.1f}x" if mine else "n/a"
    mine_s = f"{mine:.0f}" if mine else "n/a"
    print(f"| {op:<32} | {sdk:<14} | {mine_s:>9} | {ns:>9.0f} | {ratio:>9} |")
PY
