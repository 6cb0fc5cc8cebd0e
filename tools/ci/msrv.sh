#!/usr/bin/env bash
# The crate builds with the rust-version Cargo.toml declares. With that toolchain
# reachable, it is built; offline, every dependency's declared rust-version must not be
# newer (clippy's incompatible_msrv lint, run by CI, covers the crate's own std use).
set -euo pipefail
cd "$(dirname "$0")/../.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
echo "rust-version $msrv"
if rustup toolchain install "$msrv" --profile minimal >/dev/null 2>&1; then
  cargo +"$msrv" check --all-features --lib --bins --quiet
  echo "builds with $msrv"
else
  echo "toolchain $msrv not reachable: comparing declared rust-versions instead"
  cargo metadata --format-version 1 --all-features | python3 -c '
import json, sys
msrv = tuple(int(x) for x in sys.argv[1].split("."))
meta = json.load(sys.stdin)
used = {n["id"] for n in meta["resolve"]["nodes"]}
newer = ["%s %s needs %s" % (p["name"], p["version"], p["rust_version"]) for p in meta["packages"]
         if p["id"] in used and p.get("rust_version")
         and tuple(int(x) for x in p["rust_version"].split(".")) > msrv + (0,) * (3 - len(msrv))]
if newer:
    sys.exit("dependencies newer than rust-version: " + "; ".join(newer))
print("no dependency needs more than", sys.argv[1])
' "$msrv"
fi
