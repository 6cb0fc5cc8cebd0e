#!/usr/bin/env bash
# Runs the Java SDK adapter (adapter protocol 1, one-shot or persistent mode) from any
# directory, building it first when missing or older than its sources. stdout carries
# verdicts only; build output and the JVM's warnings go to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
stale() {
  [ ! -f "$here/.deps/classes/Adapter.class" ] && return 0
  [ "$here/src/Adapter.java" -nt "$here/.deps/classes/Adapter.class" ] && return 0
  [ "$here/pom.xml" -nt "$here/.deps/classes/Adapter.class" ] && return 0
  return 1
}
if stale; then
  mkdir -p "$here/.deps"
  exec 9>"$here/.deps/build.lock"
  flock 9
  if stale; then bash "$here/install.sh" >&2; fi
  exec 9>&-
fi
# the adapter talks to its own HTTP server on 127.0.0.1: no proxy may be involved
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy ALL_PROXY all_proxy
exec java -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=off \
  -cp "$here/.deps/classes:$here/.deps/lib/*" Adapter "$@"
