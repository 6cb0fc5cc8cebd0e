#!/usr/bin/env bash
# Installs the pinned packages of a Python adapter's requirements.txt into .deps/ in its
# folder (pip --target), once: a second run with the same requirements.txt does nothing.
# Exits non-zero, with a message on stderr, when PyPI cannot be reached or pip fails.
# Each Python adapter's install.sh calls it with its own folder:
#
#   bash tools/sdk-adapters/pip-install.sh tools/sdk-adapters/<folder>
set -euo pipefail
here=$(cd "${1:?usage: pip-install.sh ADAPTER_DIR}" && pwd)
deps="$here/.deps"
req="$here/requirements.txt"
python=${PYTHON:-python3}

stamp=$(sha256sum "$req" | cut -d' ' -f1)
if [ -f "$deps/.installed" ] && [ "$(cat "$deps/.installed")" = "$stamp" ]; then
  echo "install.sh: $deps is up to date with requirements.txt; nothing to do" >&2
  exit 0
fi

if ! command -v "$python" >/dev/null 2>&1; then
  echo "install.sh: $python not found (set PYTHON to a Python 3 interpreter)" >&2
  exit 1
fi

# Install into a fresh directory and swap it in only when pip succeeded, so a failed or
# interrupted install never leaves a half-filled .deps/ that looks installed.
tmp=$(mktemp -d "$here/.deps.tmp.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
echo "install.sh: installing $(grep -cE '^[A-Za-z]' "$req") pinned packages into $deps" >&2
if ! "$python" -m pip install --quiet --disable-pip-version-check --no-input --root-user-action=ignore \
    --target "$tmp" --requirement "$req" 1>&2; then
  echo "install.sh: pip could not install the pinned packages from PyPI." >&2
  echo "install.sh: is the registry reachable from here (proxy, network)? Nothing was changed in $deps." >&2
  exit 1
fi
echo "$stamp" > "$tmp/.installed"
rm -rf "$deps"
mv "$tmp" "$deps"
trap - EXIT
echo "install.sh: done" >&2
