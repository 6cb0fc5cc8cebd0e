"""Proof by corpus: the whole conformance corpus through `tests/adapter.py`, an adapter
written on this package's public functions, judged by `ecs-ramrole check --persistent`.
Every case must pass, in strict mode, as with the Rust library."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from collections import Counter

from conftest import CORPUS, HERE, corpus_cases

ADAPTER = HERE / "adapter.py"


def test_every_corpus_case_passes_through_the_python_adapter(ecs_ramrole_bin: str) -> None:
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(ADAPTER))}"
    run = subprocess.run(
        [
            ecs_ramrole_bin, "check",
            "--adapter", command,
            "--persistent", "--jobs", "2",
            "--corpus", str(CORPUS),
            "--strict",
            "--report", "json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=600,
    )
    assert run.stdout, run.stderr
    report = json.loads(run.stdout)
    summary = report["summary"]
    total = len(corpus_cases())
    by_kind = Counter((c["kind"], c["status"]) for c in report["cases"])
    print(f"corpus {report['corpus_version']}: {summary}")
    print("by kind:", dict(sorted(by_kind.items())))
    not_passing = [
        (c["id"], c["status"], c["detail"], c["verdict"])
        for c in report["cases"]
        if c["status"] != "pass"
    ]
    assert not not_passing, not_passing[:10]
    assert summary["pass"] == total == len(report["cases"])
    for status in ("fail", "warn", "crash", "unsupported", "xfail", "xpass", "stale"):
        assert summary[status] == 0, status
    assert run.returncode == 0, run.stderr


def test_the_adapter_answers_an_unusable_envelope_without_crashing() -> None:
    lines = "not json\n" + json.dumps({"protocol": 2, "kind": "sign"}) + "\n"
    lines += json.dumps({"protocol": 1, "kind": "retry"}) + "\n"
    lines += json.dumps({"protocol": 1, "kind": "response", "operation": "AttachInstanceRamRole"}) + "\n"
    run = subprocess.run(
        [sys.executable, str(ADAPTER)], input=lines, stdout=subprocess.PIPE, text=True, timeout=60
    )
    assert run.returncode == 0
    verdicts = [json.loads(line) for line in run.stdout.splitlines()]
    assert [v["outcome"] for v in verdicts] == ["unsupported"] * 4


def test_the_adapter_one_shot_mode() -> None:
    envelope = {
        "protocol": 1,
        "kind": "sign",
        "input": {"method": "GET", "access_key_secret": "testsecret", "params": {
            "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
        }},
    }
    run = subprocess.run(
        [sys.executable, str(ADAPTER), "--oneshot"],
        input=json.dumps(envelope, indent=2), stdout=subprocess.PIPE, text=True, timeout=60,
    )
    assert run.returncode == 0
    # The documented DescribeRegions example (protocol.md section 2.2).
    assert json.loads(run.stdout)["signature"] == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
