"""Times ecs_ramrole (this package) against the official Python SDK on the same inputs, in
the same run, and prints one table: ours, official, and official / ours against the
issue's targets. Not a test and not part of CI.

    python bench/bench.py [--inputs DIR] [--sdk DIR]

- Inputs: the files `cargo bench --bench ratios -- --ours --dump DIR` writes (the bodies
  and signing requests the crate's own peer benchmark uses: benches/peers/run.sh). Without
  --inputs they are dumped once into bindings/python/.bench/inputs.
- The official SDK: alibabacloud-ecs20140526 on alibabacloud-tea-openapi and
  darabonba-core, as pinned and installed by tools/sdk-adapters/python-tea/install.sh
  (run when its .deps/ folder is missing; --sdk names another folder).

What is timed, per call: 21 batches of about 20 ms for each side, the two sides
alternating; each side's median, and the median of the ratios of adjacent batches (the
ratio column), so that a change of load during the run moves both sides of a pair alike
(the method of benches/ratios.rs):

| row | ours | official |
|---|---|---|
| decode_xml/attach_100_results | decode_response(XML body) | darabonba's XML.parse_xml (ElementTree) + AttachInstanceRamRoleResponse().from_map |
| decode_json/attach_100_results | decode_response(JSON body) | json.loads + AttachInstanceRamRoleResponse().from_map |
| sign_v1/100_ids | sign_request(HMAC-SHA1), the wire query | Utils.get_rpcsignature + the wire query, encoded as the signer encodes |
| sign_v3/100_ids | sign_request(ACS3-HMAC-SHA256) | Utils.get_authorization on a DaraRequest with the same headers |

Both sides are checked to agree before they are timed (the same signature; the SDK's
model round-trips our value). Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple
from urllib.parse import parse_qsl, quote

import ecs_ramrole as er

HERE = Path(__file__).resolve().parent
BINDING = HERE.parent
REPO = BINDING.parent.parent
BATCH_NS = 20_000_000
SAMPLES = 21
TARGETS = {  # official / ours must be at least this
    "decode_xml/attach_100_results": 20.0,
    "decode_json/attach_100_results": 3.0,
    "sign_v1/100_ids": 20.0,
}


def calibrate(fn: Callable[[], Any]) -> int:
    """Calls per batch of about BATCH_NS."""
    iters = 1
    while True:
        start = time.perf_counter_ns()
        for _ in range(iters):
            fn()
        elapsed = time.perf_counter_ns() - start
        if elapsed >= BATCH_NS // 4:
            return max(1, int(BATCH_NS * iters / elapsed))
        iters *= 2


def batch_ns(fn: Callable[[], Any], iters: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(iters):
        fn()
    return (time.perf_counter_ns() - start) / iters


def pair(ours: Callable[[], Any], official: Callable[[], Any]) -> Tuple[float, float, float]:
    """Each side's median ns per call over SAMPLES batches, and the median of the ratios
    of adjacent batches (official / ours): the two sides alternate, so a change of load
    during the run moves both batches of a pair alike."""
    iters = (calibrate(ours), calibrate(official))
    a, b, ratios = [], [], []
    for _ in range(SAMPLES):
        x, y = batch_ns(ours, iters[0]), batch_ns(official, iters[1])
        a.append(x)
        b.append(y)
        ratios.append(y / x)
    return statistics.median(a), statistics.median(b), statistics.median(ratios)


def inputs(directory: Path) -> Path:
    if not (directory / "sign_100_ids.json").is_file():
        print(f"== dumping the inputs into {directory} (cargo bench --bench ratios -- --ours --dump)", flush=True)
        subprocess.run(
            ["cargo", "bench", "--quiet", "--bench", "ratios", "--", "--ours", "--dump", str(directory)],
            cwd=REPO, check=True, stdout=subprocess.DEVNULL,
        )
    return directory


def sdk(directory: Path) -> None:
    if not (directory / ".installed").is_file():
        print("== installing the official SDK (tools/sdk-adapters/python-tea/install.sh)", flush=True)
        subprocess.run(["bash", str(REPO / "tools/sdk-adapters/python-tea/install.sh")], check=True)
    sys.path.append(str(directory))


def versions() -> str:
    from importlib.metadata import version

    names = ("alibabacloud-ecs20140526", "alibabacloud-tea-openapi", "darabonba-core")
    return ", ".join(f"{n} {version(n)}" for n in names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=Path, default=BINDING / ".bench" / "inputs")
    parser.add_argument("--sdk", type=Path, default=REPO / "tools/sdk-adapters/python-tea/.deps")
    args = parser.parse_args()
    folder = inputs(args.inputs)
    sdk(args.sdk)

    from alibabacloud_ecs20140526 import models as ecs
    from alibabacloud_tea_openapi.utils import Utils
    from darabonba.request import DaraRequest
    from darabonba.utils.xml import XML as DaraXML

    print(f"== ecs_ramrole {er.__version__}; official: {versions()}; CPython {sys.version.split()[0]}")
    rows: List[Tuple[str, Tuple[float, float, float]]] = []

    # --- decoding the 100-result body -----------------------------------------------
    model = ecs.AttachInstanceRamRoleResponse
    xml = (folder / "attach_100_results.xml").read_bytes()
    body_json = (folder / "attach_100_results.json").read_bytes()
    xml_headers = [("content-type", "text/xml;charset=UTF-8")]
    json_headers = [("content-type", "application/json;charset=utf-8")]

    def ours_xml() -> Any:
        return er.decode_response("AttachInstanceRamRole", 200, xml_headers, xml)

    def official_xml() -> Any:
        parsed = DaraXML.parse_xml(xml.decode("utf-8"))["AttachInstanceRamRoleResponse"]
        return model().from_map({"headers": {}, "statusCode": 200, "body": parsed})

    def ours_json() -> Any:
        return er.decode_response("AttachInstanceRamRole", 200, json_headers, body_json)

    def official_json() -> Any:
        return model().from_map({"headers": {}, "statusCode": 200, "body": json.loads(body_json)})

    value = ours_xml()
    results = value["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"]
    assert len(results) == 100 and ours_json() == value
    # The SDK's model takes our value as is, and both of its paths read 100 results.
    assert ecs.AttachInstanceRamRoleResponseBody().from_map(value).to_map() == value
    for official in (official_xml, official_json):
        mapped = official().body.to_map()
        assert len(mapped["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"]) == 100
    rows.append(("decode_xml/attach_100_results", pair(ours_xml, official_xml)))
    rows.append(("decode_json/attach_100_results", pair(ours_json, official_json)))

    # --- signing a request with 100 instance IDs --------------------------------------
    dump: Dict[str, Any] = json.loads((folder / "sign_100_ids.json").read_text())
    wire_params: Dict[str, str] = dump["params"]
    secret, method, key_id = dump["secret"], dump["method"], dump["access_key_id"]
    own = {"Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion",
           "SignatureNonce", "Timestamp", "SignatureType", "SecurityToken"}
    business: Dict[str, Any] = {k: v for k, v in wire_params.items() if k not in own}
    business["InstanceIds"] = json.loads(business["InstanceIds"])  # a list, as a Python caller has it
    assert len(business["InstanceIds"]) == 100
    common = dict(access_key_id=key_id, access_key_secret=secret, timestamp=wire_params["Timestamp"],
                  nonce=wire_params["SignatureNonce"], method=method, format=wire_params.get("Format"))

    def ours_v1() -> Any:
        return er.sign_request("AttachInstanceRamRole", business, **common)

    def official_v1() -> str:
        signature = Utils.get_rpcsignature(wire_params, method, secret)
        query = dict(wire_params, Signature=signature)
        return "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(query.items()))

    signed = ours_v1()
    assert signed.stages["signature"] == dump["signature"] == Utils.get_rpcsignature(wire_params, method, secret)
    assert sorted(parse_qsl(signed.query)) == sorted(parse_qsl(official_v1()))  # the same wire parameters
    rows.append(("sign_v1/100_ids", pair(ours_v1, official_v1)))

    v3_common = dict(common, algorithm="ACS3-HMAC-SHA256", format=None)

    def ours_v3() -> Any:
        return er.sign_request("AttachInstanceRamRole", business, **v3_common)

    query_v3 = {k: v for k, v in wire_params.items() if k not in own}
    signed_v3 = ours_v3()
    headers_v3 = {n: v for n, v in signed_v3.headers if n != "authorization"}

    def official_v3() -> str:
        request = DaraRequest()
        request.method = method
        request.pathname = "/"
        request.query = dict(query_v3)
        request.headers = dict(headers_v3)
        payload = Utils.hash(b"", "ACS3-HMAC-SHA256").hex()
        return Utils.get_authorization(request, "ACS3-HMAC-SHA256", payload, key_id, secret)

    assert official_v3() == signed_v3.stages["authorization"]
    rows.append(("sign_v3/100_ids", pair(ours_v3, official_v3)))

    # --- the table ----------------------------------------------------------------------
    missed = 0
    print(f"| {'operation':<31} | {'ours ns':>9} | {'official ns':>11} | {'ratio':>7} | {'target':>7} | met |")
    print(f"|{'-' * 33}|{'-' * 11}|{'-' * 13}|{'-' * 9}|{'-' * 9}|-----|")
    for name, (ours, official, ratio) in rows:
        target = TARGETS.get(name)
        met = "-" if target is None else ("yes" if ratio >= target else "NO")
        missed += met == "NO"
        shown = "-" if target is None else f"{target:.0f}x"
        print(f"| {name:<31} | {ours:>9.0f} | {official:>11.0f} | {ratio:>6.1f}x | {shown:>7} | {met:>3} |")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
