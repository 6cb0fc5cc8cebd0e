#!/usr/bin/env bash
# CI for the Python binding, as a user installs it: a venv in bindings/python/.venv
# (ignored by git), `pip install ./bindings/python` (pip fetches maturin from PyPI in
# build isolation and compiles the extension), then the test suite.
#
#   bash bindings/python/ci.sh          (from any directory)
#
# The corpus test runs `ecs-ramrole check`: set ECS_RAMROLE_BIN to a built binary (CI
# passes the one it built), or the test builds it with `cargo build --bin ecs-ramrole`.
# PYTHON picks the interpreter that makes the venv (default python3, 3.9 or newer).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv="$here/.venv"
python=${PYTHON:-python3}
# A relative ECS_RAMROLE_BIN is the caller's: resolve it before leaving their directory.
if [ -n "${ECS_RAMROLE_BIN:-}" ]; then
  ECS_RAMROLE_BIN=$(realpath "$ECS_RAMROLE_BIN")
  export ECS_RAMROLE_BIN
fi

if [ ! -x "$venv/bin/python" ]; then
  echo "== python binding: creating $venv"
  "$python" -m venv "$venv"
fi
echo "== python binding: pip install ./bindings/python pytest hypothesis mypy"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
  "$here" "pytest>=7" "hypothesis>=6" "mypy>=1.10"
"$venv/bin/python" -c 'import ecs_ramrole, sys; print("== python binding: ecs_ramrole", ecs_ramrole.__version__, "on Python", sys.version.split()[0])'

echo "== python binding: pytest"
cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q tests
