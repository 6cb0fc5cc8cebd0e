#!/usr/bin/env bash
# The harness's own speed, as a benchmark (not a timed test, not run by CI):
#
#   bash benches/harness/run.sh [path/to/ecs-ramrole]
#
# 1. The in-process check (this library, no adapter process), best of five.
# 2. The full corpus through an adapter that takes 0.3 s to start (this crate's adapter
#    behind `sleep 0.3`, standing in for an interpreter loading an SDK): once per case
#    with --jobs 1, then persistent with the default --jobs, in the same run. Prints both
#    times and their ratio (the issue's target: at least 20x).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin=target/release/ecs-ramrole
fi
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

best=""
for _ in 1 2 3 4 5; do
  t0=$(now); "$bin" check >/dev/null; t1=$(now)
  ms=$(echo "($t1 - $t0) * 1000" | bc)
  if [ -z "$best" ] || [ "$(echo "$ms < $best" | bc)" = 1 ]; then best=$ms; fi
done
printf 'in_process_check_ms %.1f (best of 5)\n' "$best"

slow_once="sleep 0.3; exec $bin adapter"
slow_persistent="sleep 0.3; exec $bin adapter --persistent"
cases=$("$bin" check --report json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cases"]))')

t0=$(now); "$bin" check --adapter "$slow_once" --jobs 1 >/dev/null; t1=$(now)
per_case=$(elapsed "$t0" "$t1")
t0=$(now); "$bin" check --adapter "$slow_persistent" --persistent >/dev/null; t1=$(now)
persistent=$(elapsed "$t0" "$t1")
jobs=$(nproc)
printf 'cases %d\n' "$cases"
printf 'per_case_jobs_1_s %.2f\n' "$per_case"
printf 'persistent_jobs_%d_s %.2f\n' "$jobs" "$persistent"
printf 'speedup %.1fx (target: at least 20x)\n' "$(echo "$per_case / $persistent" | bc -l)"
