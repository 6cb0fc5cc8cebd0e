#!/usr/bin/env python3
"""Builds the starting corpora of the fuzz targets from the conformance corpus.

    python3 tools/fuzz/seeds.py [--out fuzz/corpus] [--bin PATH/TO/ecs-ramrole]

Writes one directory per target under --out (default fuzz/corpus, git-ignored), each file
named by the SHA-1 of its content as libFuzzer names its own, so re-running only adds:

- xml_response, json_response: every corpus/response/**/*.body.* file (the XML bodies for
  one, the JSON bodies for the other, the .html/.txt/.bin bodies for both).
- error_body: every body, prefixed with selector bytes (content type, requested format
  and status: see fuzz/src/lib.rs `error_setup`).
- adapter_envelope: a protocol-1 envelope for every case in corpus/ (request, sign and
  incoming cases from their `input`; response cases from `http`, `format` and the body as
  Base64), plus variants of the request envelopes (method, format, unsigned).
- service_request: every incoming case's HTTP request, in the layout of fuzz/src/lib.rs
  `check_service` (flags, then method, path, query, headers and body split by NUL), with
  and without verification and with each fault rule set.
- request_query: the wire queries the library builds for those request envelopes, from
  `ecs-ramrole adapter` (--bin), plus hand-made variants of them (`+` for spaces, raw
  JSON text, lowercase format, a duplicate, a missing Version...). Without --bin, only
  a few fixed queries are written.

Python standard library only.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"

TARGETS = (
    "xml_response",
    "json_response",
    "error_body",
    "request_query",
    "adapter_envelope",
    "service_request",
)

# error_setup(selector): bits 0-2 content type (0 text/xml, 1 application/json, 2 none,
# 3 text/html), bits 3-4 requested format (0 none, 1 JSON, 2 XML), bits 5-7 status
# (0 400, 1 403, 2 404, 3 500, 4 503, 5 302, 6 100, 7 0).
ERROR_SELECTORS = {
    "xml": [0 | (0 << 3) | (0 << 5), 2 | (0 << 3) | (3 << 5), 3 | (2 << 3) | (1 << 5)],
    "json": [1 | (0 << 3) | (2 << 5), 2 | (0 << 3) | (4 << 5), 3 | (1 << 3) | (1 << 5)],
    "other": [3 | (0 << 3) | (4 << 5), 2 | (0 << 3) | (5 << 5)],
}

# Queries that parse, written by hand: used with or without the binary.
FIXED_QUERIES = [
    "Action=AttachInstanceRamRole&Format=JSON&InstanceIds=%5B%22i-1%22%2C%22i-2%22%5D"
    "&RamRoleName=EcsRole&RegionId=cn-hangzhou&Version=2014-05-26",
    "Action=DetachInstanceRamRole&InstanceIds=[\"i-1\"]&RegionId=cn-hangzhou&Version=2014-05-26",
    "Action=AttachInstanceRamRole&Version=2014-05-26&RegionId=cn+hangzhou&RamRoleName=R"
    "&InstanceIds=%5B%22i-1%22%5D&Policy=%7B%22Statement%22%3A%5B%5D%7D&OwnerId=007"
    "&ResourceOwnerId=18446744073709551615&ResourceOwnerAccount=acct&Format=xml",
    "Action=DetachInstanceRamRole&Version=2014-05-26&RegionId=r&InstanceIds=%5B%22i-%C3%A9%22%5D"
    "&RamRoleName=R&OwnerAccount=extra&&",
]


def write(directory: Path, data: bytes) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def load_cases() -> list[tuple[Path, dict]]:
    cases = []
    for path in sorted(CORPUS.rglob("*.json")):
        rel = path.relative_to(CORPUS)
        if rel.parts[0] not in ("request", "sign", "response", "incoming") or ".body." in path.name:
            continue
        cases.append((path, json.loads(path.read_text(encoding="utf-8"))))
    return cases


def envelope(case: dict, path: Path) -> dict:
    kind = case["kind"]
    env: dict = {"protocol": 1, "kind": kind}
    if "operation" in case:
        env["operation"] = case["operation"]
    if kind in ("request", "sign", "incoming"):
        env["input"] = case.get("input")
    else:
        env.setdefault("operation", "AttachInstanceRamRole")
        env["http"] = case["http"]
        if case.get("format") is not None:
            env["format"] = case["format"]
        body = (path.parent / case["body_file"]).read_bytes()
        env["body_base64"] = base64.b64encode(body).decode("ascii")
    return env


def request_variants(env: dict) -> list[dict]:
    """The envelope, and copies with other methods, formats, and without signing."""
    out = [env]
    if not isinstance(env.get("input"), dict) or not isinstance(
        env["input"].get("context", {}), (dict, type(None))
    ):
        return out
    context = env["input"].get("context") or {}
    for method in ("GET", "POST"):
        for fmt in ("JSON", "XML", None):
            for signed in (True, False):
                v = copy.deepcopy(env)
                ctx = v["input"].get("context") or {}
                v["input"]["context"] = ctx
                ctx["method"] = method
                if fmt is None:
                    ctx.pop("format", None)
                else:
                    ctx["format"] = fmt
                if not signed:
                    ctx.pop("signing", None)
                elif "signing" not in context:
                    continue
                out.append(v)
    return out


def run_adapter(binary: str, env: dict) -> dict | None:
    proc = subprocess.run(
        [binary, "adapter"],
        input=json.dumps(env).encode("utf-8"),
        capture_output=True,
        timeout=30,
        check=False,
    )
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout)


def query_variants(query: str) -> list[str]:
    """A wire query and hand-made variants of it that still exercise the parser."""
    out = [query, query.replace("%20", "+")]
    pairs = query.split("&")
    out.append("&".join(reversed(pairs)))
    out.append(query.replace("%5B", "[").replace("%5D", "]").replace("%22", '"').replace("%2C", ","))
    out.append(query.replace("Format=JSON", "Format=json").replace("Format=XML", "Format=xml"))
    out.append(query + "&" + pairs[0])  # a duplicate parameter
    out.append("&".join(p for p in pairs if not p.startswith("Version=")))
    out.append(query.replace("Version=2014-05-26", "Version=2016-11-11"))
    out.append(query + "&OwnerAccount=someone&&")
    out.append(query.replace("%", "%%", 1))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "fuzz" / "corpus")
    parser.add_argument("--bin", help="the ecs-ramrole binary, for request_query seeds")
    args = parser.parse_args()
    out: Path = args.out
    dirs = {t: out / t for t in TARGETS}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)

    # Response bodies.
    bodies = sorted(p for p in (CORPUS / "response").rglob("*.body.*"))
    for body_path in bodies:
        body = body_path.read_bytes()
        ext = body_path.suffix.lstrip(".")
        group = ext if ext in ("xml", "json") else "other"
        if group in ("xml", "other"):
            write(dirs["xml_response"], body)
        if group in ("json", "other"):
            write(dirs["json_response"], body)
        for selector in ERROR_SELECTORS[group]:
            write(dirs["error_body"], bytes([selector]) + body)

    # Envelopes (and, through the binary, queries).
    cases = load_cases()
    queries: set[str] = set(FIXED_QUERIES)
    envelopes = 0
    for path, case in cases:
        env = envelope(case, path)
        variants = request_variants(env) if case["kind"] == "request" else [env]
        for v in variants:
            write(dirs["adapter_envelope"], json.dumps(v, ensure_ascii=False).encode("utf-8"))
            envelopes += 1
            if args.bin and case["kind"] == "request":
                verdict = run_adapter(args.bin, v)
                if verdict and verdict.get("outcome") == "request":
                    queries.add(verdict["query"])
    for query in sorted(queries):
        for variant in query_variants(query):
            write(dirs["request_query"], variant.encode("utf-8"))

    # HTTP requests for the service model.
    for path, case in cases:
        if case["kind"] != "incoming":
            continue
        http = case["input"]
        headers = "".join(f"{n}: {v}\n" for n, v in http["headers"])
        fields = [http["method"], http["path"], http["query"], headers]
        packed = b"\0".join(f.encode("utf-8") for f in fields)
        packed += b"\0" + base64.b64decode(http.get("body_base64", ""))
        for flags in (0, 1, 2, 4, 6, 1 | (31 << 3)):
            write(dirs["service_request"], bytes([flags]) + packed)

    counts = {t: sum(1 for _ in d.iterdir()) for t, d in dirs.items()}
    print(
        f"seeds: {len(bodies)} bodies, {envelopes} envelopes, {len(queries)} queries"
        + ("" if args.bin else " (fixed only: no --bin)")
        + "; files: "
        + ", ".join(f"{t} {n}" for t, n in counts.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
