#!/usr/bin/env bash
# Installs the pinned packages of requirements.txt into .deps/ next to this script, once
# (see ../pip-install.sh). Exits non-zero, with a message, when PyPI cannot be reached.
#
#   bash tools/sdk-adapters/python-tea/install.sh        (from any directory)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$here/../pip-install.sh" "$here"
