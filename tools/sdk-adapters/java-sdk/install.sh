#!/usr/bin/env bash
# Fetches the pinned Java SDK (pom.xml) from Maven Central into a folder-local repository
# (.deps/m2), copies the runtime jars to .deps/lib and compiles src/Adapter.java into
# .deps/classes. Idempotent; nothing is written outside this folder. Needs mvn and a JDK 17+.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deps="$here/.deps"
mkdir -p "$deps"
for tool in mvn javac java; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "java-sdk adapter: '$tool' is not installed (Maven and a JDK 17 or newer are needed)" >&2
    exit 1
  fi
done
cd "$here"
if [ ! -f "$deps/lib/.complete" ] || [ pom.xml -nt "$deps/lib/.complete" ]; then
  rm -rf "$deps/lib"
  if ! mvn -B -q -f pom.xml -Dmaven.repo.local="$deps/m2" \
        dependency:copy-dependencies -DoutputDirectory="$deps/lib" -DincludeScope=runtime \
        >"$deps/download.log" 2>&1; then
    echo "java-sdk adapter: could not fetch the pinned artifacts (com.aliyun:aliyun-java-sdk-core 4.7.10, aliyun-java-sdk-ecs 5.11.7)." >&2
    echo "  Is Maven Central reachable? Last lines of $deps/download.log:" >&2
    tail -n 8 "$deps/download.log" | sed 's/^/    /' >&2
    exit 1
  fi
  touch "$deps/lib/.complete"
fi
rm -rf "$deps/classes.tmp"
mkdir -p "$deps/classes.tmp"
javac -encoding UTF-8 -nowarn -cp "$deps/lib/*" -d "$deps/classes.tmp" src/Adapter.java 2>"$deps/javac.log" || {
  echo "java-sdk adapter: javac failed:" >&2; cat "$deps/javac.log" >&2; exit 1; }
rm -rf "$deps/classes"
mv "$deps/classes.tmp" "$deps/classes"
echo "java-sdk adapter: built $deps/classes against $(cd "$deps/lib" && ls aliyun-java-sdk-*.jar | tr '\n' ' ')" >&2
