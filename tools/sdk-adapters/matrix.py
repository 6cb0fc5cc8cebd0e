#!/usr/bin/env python3
"""Runs the corpus through every SDK adapter and writes docs/sdk-matrix.md.

    python3 tools/sdk-adapters/matrix.py --bin target/release/ecs-ramrole [--only FOLDER]...

Each folder under tools/sdk-adapters/ with an sdk.json is one SDK: its install.sh is run
(a no-op when already installed), then every command in sdk.json "commands" runs the
whole corpus with `ecs-ramrole check --persistent --report json`, timed. Failing cases
are grouped by cause with the folder's known-divergences.txt (the first glob that
matches a case gives its reason); a failing case no line explains is listed as such.
Python standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import json
import platform
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tools" / "sdk-adapters"
KINDS = ("request", "sign", "response", "incoming")
STATUSES = ("pass", "fail", "warn", "crash", "unsupported")
FAILING = ("fail", "warn", "crash")


def divergences(folder: Path) -> list[tuple[str, str]]:
    """(glob, reason) in file order."""
    path = folder / "known-divergences.txt"
    if not path.exists():
        return []
    rules = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        glob, _, reason = line.partition("#")
        rules.append((glob.strip(), reason.strip() or "(no reason given)"))
    return rules


def run(bin_path: str, command: str) -> tuple[dict | None, float, str]:
    started = time.monotonic()
    proc = subprocess.run(
        [bin_path, "check", "--corpus", str(ROOT / "corpus"), "--adapter", command,
         "--persistent", "--report", "json", "--timeout", "10"],
        cwd=ROOT, capture_output=True, text=True,
    )
    elapsed = time.monotonic() - started
    try:
        return json.loads(proc.stdout), elapsed, proc.stderr
    except json.JSONDecodeError:
        return None, elapsed, proc.stderr + proc.stdout


def ids_line(ids: list[str]) -> str:
    shown = ", ".join(f"`{i}`" for i in ids[:12])
    return shown + (f", and {len(ids) - 12} more" if len(ids) > 12 else "")


def section(folder: Path, sdk: dict, bin_path: str) -> list[str]:
    out = [f"## {sdk['name']}", ""]
    versions = ", ".join(f"`{p}` {v}" for p, v in sdk["packages"].items())
    out += [f"Pinned: {versions} (`tools/sdk-adapters/{folder.name}/`).", ""]
    install = subprocess.run(["bash", str(folder / "install.sh")], capture_output=True, text=True)
    if install.returncode != 0:
        return out + ["Not installed: " + (install.stderr.strip().splitlines() or ["?"])[-1], ""]
    out += ["What this means for you:", ""]
    out += [f"- {line}" for line in sdk.get("summary", [])] + [""]
    rules = divergences(folder)
    for label, command in sdk["commands"].items():
        report, elapsed, stderr = run(bin_path, command)
        out += [f"### `{command}`", ""]
        if report is None:
            out += ["The run produced no report:", "", "```", stderr.strip()[-2000:], "```", ""]
            continue
        counts: dict[str, Counter] = defaultdict(Counter)
        causes: dict[str, list[str]] = defaultdict(list)
        unsupported: Counter = Counter()
        for case in report["cases"]:
            counts[case["kind"]][case["status"]] += 1
            if case["status"] in FAILING:
                reason = next((r for g, r in rules if fnmatch.fnmatchcase(case["id"], g)),
                              "not explained by known-divergences.txt")
                causes[reason].append(case["id"])
            elif case["status"] == "unsupported":
                reason = (case.get("verdict") or {}).get("reason") or case.get("detail") or "?"
                unsupported[reason.split(":")[0].split(";")[0].strip()] += 1
        total = sum(sum(c.values()) for c in counts.values())
        out += [f"{total} cases in {elapsed:.1f} s (persistent, default `--jobs`).", ""]
        out += ["| kind | " + " | ".join(STATUSES) + " |", "|---|" + "---:|" * len(STATUSES)]
        for kind in KINDS:
            out.append(f"| {kind} | " + " | ".join(str(counts[kind][s]) for s in STATUSES) + " |")
        out.append("")
        if causes:
            out += ["Failing cases by cause:", ""]
            for reason, ids in sorted(causes.items(), key=lambda kv: (-len(kv[1]), kv[0])):
                out.append(f"- **{reason}** ({len(ids)}): {ids_line(sorted(ids))}")
            out.append("")
        if unsupported:
            out += ["Unsupported, by the adapter's reason:", ""]
            for reason, n in unsupported.most_common():
                out.append(f"- {reason} ({n})")
            out.append("")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "sdk-matrix.md")
    args = parser.parse_args()
    folders = sorted(p.parent for p in HERE.glob("*/sdk.json"))
    if args.only:
        folders = [f for f in folders if f.name in args.only]
    version = subprocess.run([args.bin, "--version"], capture_output=True, text=True).stdout.strip()
    corpus_version = (ROOT / "corpus" / "VERSION").read_text().strip()
    lines = [
        "# How the official SDKs behave against the corpus",
        "",
        "Generated by `bash tools/sdk-adapters/matrix.sh` on "
        f"{datetime.date.today().isoformat()} ({version}, corpus {corpus_version}, "
        f"{platform.system()} {platform.machine()}). Each adapter drives the SDK as its users "
        "do, with the transport stubbed and the clock and nonce fixed, and answers with what "
        "the SDK itself computed (`unsupported` where the SDK cannot do what a case asks). "
        "`fail` is a divergence from the corpus, `warn` one at `should` level; each failing case "
        "is grouped under the cause its folder's `known-divergences.txt` names.",
        "",
    ]
    for folder in folders:
        sdk = json.loads((folder / "sdk.json").read_text())
        print(f"== {folder.name}", file=sys.stderr)
        lines += section(folder, sdk, args.bin)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines).rstrip() + "\n")
    print(f"wrote {args.out.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
