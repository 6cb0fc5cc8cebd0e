#!/usr/bin/env bash
# The official SDKs' behaviour matrix: installs what is missing (each folder's install.sh,
# from the package registries), runs the whole corpus through every adapter in the
# persistent mode, and writes docs/sdk-matrix.md. Not a CI step.
#
#   bash tools/sdk-adapters/matrix.sh [--only FOLDER]...
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
cargo build --quiet --release --bin ecs-ramrole
exec python3 tools/sdk-adapters/matrix.py --bin target/release/ecs-ramrole "$@"
