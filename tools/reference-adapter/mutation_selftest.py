#!/usr/bin/env python3
"""Proof that the harness asserts: every mutant of the reference adapter must be caught.

    python3 tools/reference-adapter/mutation_selftest.py path/to/ecs-ramrole

For each mutant in corpus/selftest/mutants.json, runs `ecs-ramrole check` with the
mutant on its cases and requires exit status 1 with at least one must-level failure.
Every mutant the adapter offers must be listed. Standard library only.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")


def main():
    binary = sys.argv[1]
    adapter = os.path.join(HERE, "adapter.py")
    spec = json.load(open(os.path.join(ROOT, "corpus", "selftest", "mutants.json")))["mutants"]
    offered = subprocess.run([sys.executable, adapter, "--list-mutants"], capture_output=True, text=True, check=True).stdout.split()
    failures = []
    missing = sorted(set(offered) - set(spec))
    if missing:
        failures.append(f"mutants without cases in mutants.json: {missing}")
    unknown = sorted(set(spec) - set(offered))
    if unknown:
        failures.append(f"mutants.json names mutants the adapter lacks: {unknown}")
    caught = 0
    for name, entry in sorted(spec.items()):
        if name not in offered:
            continue
        cmd = [binary, "check", "--corpus", os.path.join(ROOT, "corpus"), "--report", "json",
               "--adapter", f"{sys.executable} {adapter} --mutant {name}"]
        for pattern in entry["run"]:
            cmd += ["--run", pattern]
        persistent = entry.get("persistent", False)
        if persistent:
            # One adapter, broken on its 5th envelope: that case crashes, a fresh adapter
            # takes the next, and every other case still passes.
            cmd += ["--persistent", "--jobs", "1", "--timeout", "2"]
        result = subprocess.run(cmd, capture_output=True, text=True)
        report = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {}
        cases = report.get("cases", [])
        must_failures = [c["id"] for c in cases if c["status"] in ("fail", "crash") and c["level"] == "must"]
        if persistent:
            statuses = [c["status"] for c in cases]
            expected = ["crash" if (i + 1) % 5 == 0 else "pass" for i in range(len(cases))]
            if statuses != expected:
                must_failures = []
                print(f"  {name}: statuses {statuses}")
        if result.returncode == 1 and must_failures:
            caught += 1
            print(f"caught    {name:<30} by {len(must_failures)} must case(s), e.g. {must_failures[0]}")
        else:
            failures.append(f"{name}: not caught (exit {result.returncode}, {len(must_failures)} must failures) {result.stderr[-300:]}")
            print(f"NOT CAUGHT {name}")
    for f in failures:
        print(f"error: {f}")
    print(f"{caught} passed, {len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
