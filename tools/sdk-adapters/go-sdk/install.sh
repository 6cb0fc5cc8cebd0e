#!/usr/bin/env bash
# Fetches the pinned Go SDK (go.mod / go.sum) into a folder-local module cache and builds
# the adapter into .deps/adapter. Idempotent: a second run downloads nothing and only
# relinks if a source changed. Needs the `go` command (1.21 or newer) and the Go module
# proxy; nothing is written outside this folder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deps="$here/.deps"
mkdir -p "$deps"

if ! command -v go >/dev/null 2>&1; then
  echo "go-sdk adapter: the 'go' command is not installed (Go 1.21 or newer is needed)" >&2
  exit 1
fi

export GOPATH="$deps/gopath"
export GOMODCACHE="$deps/gopath/pkg/mod"
export GOCACHE="$deps/gocache"
# -mod=mod: use go.mod/go.sum as they are; -modcacherw: keep the cache deletable (rm -rf .deps)
export GOFLAGS="-mod=mod -modcacherw"
export GOTOOLCHAIN=local
export GOWORK=off

cd "$here"
pinned="$(sed -n 's|.*github.com/aliyun/alibaba-cloud-sdk-go \(v[^ ]*\).*|\1|p' go.mod | head -n1)"
if ! go mod download github.com/aliyun/alibaba-cloud-sdk-go >"$deps/download.log" 2>&1 \
   || ! go mod download >>"$deps/download.log" 2>&1; then
  echo "go-sdk adapter: could not download the pinned modules (github.com/aliyun/alibaba-cloud-sdk-go $pinned)." >&2
  echo "  Is the Go module proxy ($(go env GOPROXY)) reachable? Last lines of $deps/download.log:" >&2
  tail -n 5 "$deps/download.log" | sed 's/^/    /' >&2
  exit 1
fi
go build -trimpath -o "$deps/adapter.tmp" . 
mv -f "$deps/adapter.tmp" "$deps/adapter"
echo "go-sdk adapter: built $deps/adapter against github.com/aliyun/alibaba-cloud-sdk-go $pinned" >&2
