#!/usr/bin/env bash
# Runs the Go SDK adapter (adapter protocol 1, one-shot or persistent mode) from any
# directory, building it first when the binary is missing or older than its sources.
# stdout carries verdicts only; build output goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$here/.deps/adapter"
stale() {
  [ ! -x "$bin" ] && return 0
  local f
  for f in adapter.go linkname.s go.mod go.sum; do
    [ "$here/$f" -nt "$bin" ] && return 0
  done
  return 1
}
if stale; then
  mkdir -p "$here/.deps"
  # several adapters may start at once (check --jobs N): build under one lock
  exec 9>"$here/.deps/build.lock"
  flock 9
  if stale; then bash "$here/install.sh" >&2; fi
  exec 9>&-
fi
exec "$bin" "$@"
