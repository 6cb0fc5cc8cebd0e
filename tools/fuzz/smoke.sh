#!/usr/bin/env bash
# Fuzz smoke: build every cargo-fuzz target, seed its corpus from corpus/, run each for
# FUZZ_SECONDS (default 60). Exits non-zero if any target crashes (panic, failed
# assertion, sanitizer report, timeout, out-of-memory) and prints each artifact's path and
# its bytes as Base64. See FUZZING.md.
#
# Run from anywhere in the repository, on a machine with the Rust toolchain and Python 3:
#   bash tools/fuzz/smoke.sh
# Environment:
#   FUZZ_SECONDS     seconds per target (default 60)
#   FUZZ_TARGETS     space-separated subset (default: every target in fuzz/Cargo.toml)
#   FUZZ_SEED        libFuzzer's -seed (default 1, so that a CI run's mutations repeat;
#                    0 picks a random seed)
#   FUZZ_SANITIZER   address (default) or none; if the ASan build fails, the script
#                    falls back to none and says so
#   ECS_RAMROLE_BIN  an ecs-ramrole binary for the request_query seeds (default: build
#                    it with `cargo build --bin ecs-ramrole`)
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

seconds=${FUZZ_SECONDS:-60}
sanitizer=${FUZZ_SANITIZER:-address}
# cargo-fuzz passes -Z flags to rustc; the toolchain here is stable.
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=never
# ls and comm must sort alike.
export LC_ALL=C

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install cargo-fuzz --locked || { echo "cannot install cargo-fuzz" >&2; exit 2; }
fi
cargo fuzz --version
targets=${FUZZ_TARGETS:-$(cargo fuzz list)}
echo "== fuzz smoke: ${seconds}s per target: $(echo $targets)"

# -a: debug assertions (and overflow checks) on, as in a test build.
build_flags=(-a --sanitizer "$sanitizer")
echo "== build (sanitizer: $sanitizer)"
if ! cargo fuzz build "${build_flags[@]}"; then
    if [ "$sanitizer" = address ]; then
        echo "!! the AddressSanitizer build failed; falling back to --sanitizer none" >&2
        sanitizer=none
        build_flags=(-a --sanitizer none)
        cargo fuzz build "${build_flags[@]}" || { echo "fuzz build failed" >&2; exit 2; }
    else
        echo "fuzz build failed" >&2
        exit 2
    fi
fi

echo "== seed corpora"
bin=${ECS_RAMROLE_BIN:-}
if [ -z "$bin" ]; then
    if cargo build --quiet --bin ecs-ramrole; then
        bin="${CARGO_TARGET_DIR:-target}/debug/ecs-ramrole"
    else
        echo "!! cannot build ecs-ramrole: request_query gets the fixed seeds only" >&2
    fi
fi
seed_args=()
[ -n "$bin" ] && [ -x "$bin" ] && seed_args=(--bin "$bin")
python3 tools/fuzz/seeds.py --out fuzz/corpus "${seed_args[@]}" || { echo "seeding failed" >&2; exit 2; }

logs=fuzz/artifacts/logs
mkdir -p "$logs"
failed=()
for target in $targets; do
    artifacts="fuzz/artifacts/$target"
    mkdir -p "$artifacts" "fuzz/corpus/$target"
    before=$(ls "$artifacts")
    log="$logs/$target.log"
    args=(-seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048)
    [ -f "fuzz/dict/$target.dict" ] && args+=(-dict="fuzz/dict/$target.dict")
    echo "== $target"
    cargo fuzz run "${build_flags[@]}" "$target" "fuzz/corpus/$target" -- "${args[@]}" >"$log" 2>&1
    status=$?
    grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" | tr '\n' ' '
    echo
    new=$(comm -13 <(echo "$before") <(ls "$artifacts") | grep -v '^slow-unit-' || true)
    slow=$(comm -13 <(echo "$before") <(ls "$artifacts") | grep '^slow-unit-' || true)
    for s in $slow; do echo "   slow input (not a failure): $artifacts/$s"; done
    if [ "$status" -ne 0 ] || [ -n "$new" ]; then
        failed+=("$target")
        echo "!! $target FAILED (exit $status); log: $log"
        grep -m 1 -B 2 -A 25 -E "panicked at|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY" "$log" | head -n 60 ||
            tail -n 30 "$log"
        for a in $new; do
            echo "   artifact: $root/$artifacts/$a"
            echo "   reproducer (base64): $(python3 -c 'import base64,sys; print(base64.b64encode(open(sys.argv[1],"rb").read()).decode())' "$artifacts/$a")"
            echo "   replay: RUSTC_BOOTSTRAP=1 cargo fuzz run ${build_flags[*]} $target $artifacts/$a"
        done
    fi
done

if [ "${#failed[@]}" -ne 0 ]; then
    echo "== fuzz smoke FAILED: ${failed[*]}"
    exit 1
fi
echo "== fuzz smoke ok (sanitizer: $sanitizer)"
