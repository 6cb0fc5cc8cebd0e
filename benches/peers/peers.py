"""Times the official Python SDKs' signing and decoding on the inputs `ratios --ours
--dump` wrote (the same bodies and the same signed parameters this crate times).

No network: the transport is never called. Timestamp and nonce are the fixed values in the
dumped parameters (aliyun-python-sdk-core's clock and UUID helpers are patched to return
them). Prints `peer <sdk> <op> <median ns>` lines and `check ...` lines.

Usage: python3 peers.py INPUT_DIR  (with the SDKs on PYTHONPATH; run.sh sets it up)
"""

import json
import os
import sys
import time
from urllib.parse import quote

BATCH_NS = 20_000_000  # one timed batch: about 20 ms
SAMPLES = 21


def median_ns(fn):
    """Median nanoseconds per call over SAMPLES batches of about BATCH_NS each."""
    iters = 1
    while True:
        start = time.perf_counter_ns()
        for _ in range(iters):
            fn()
        if time.perf_counter_ns() - start >= BATCH_NS // 4:
            break
        iters *= 2
    per_call = (time.perf_counter_ns() - start) / iters
    iters = max(1, int(BATCH_NS / max(per_call, 1)))
    samples = []
    for _ in range(SAMPLES):
        start = time.perf_counter_ns()
        for _ in range(iters):
            fn()
        samples.append((time.perf_counter_ns() - start) / iters)
    samples.sort()
    return samples[len(samples) // 2]


def report(sdk, op, fn):
    print(f"peer {sdk} {op} {median_ns(fn):.0f}", flush=True)


def load(input_dir):
    def read(name):
        with open(os.path.join(input_dir, name), "rb") as f:
            return f.read()

    signs = {n: json.loads(read(f"sign_{n}_ids.json")) for n in (1, 100)}
    bodies = {
        name: read(f"{name}.json")
        for name in ("attach_doc_example", "detach_doc_example", "attach_100_results")
    }
    return signs, bodies


def tea(signs, bodies):
    """alibabacloud-tea-openapi (the signer every alibabacloud-* client calls) and the
    alibabacloud-ecs20140526 response models."""
    from alibabacloud_ecs20140526 import models as ecs
    from alibabacloud_tea_openapi.utils import Utils

    sdk = "python-tea"
    for n, s in signs.items():
        params, secret, method = s["params"], s["secret"], s["method"]
        got = Utils.get_rpcsignature(params, method, secret)
        print(f"check {sdk} sign_{n}_ids signature_equal={got == s['signature']}")

        def sign(params=params, secret=secret, method=method):
            signature = Utils.get_rpcsignature(params, method, secret)
            # The wire query, encoded as the signer encodes (what the transport sends).
            query = dict(params, Signature=signature)
            return "&".join(
                f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in sorted(query.items())
            )

        report(sdk, f"sign_{n}_ids", sign)

    models = {
        "attach_doc_example": ecs.AttachInstanceRamRoleResponse,
        "detach_doc_example": ecs.DetachInstanceRamRoleResponse,
        "attach_100_results": ecs.AttachInstanceRamRoleResponse,
    }
    for name, body in bodies.items():
        model = models[name]

        # What the client does with a 200: read the body as JSON, then from_map into the
        # operation's response model (headers, status code, typed body).
        def decode(body=body, model=model):
            return model().from_map(
                {"headers": {}, "statusCode": 200, "body": json.loads(body)}
            )

        decoded = decode().body.to_map()
        wrapper = next(v for k, v in decoded.items() if k.endswith("Results"))
        results = next(iter(wrapper.values()))
        print(f"check {sdk} decode_json/{name} results={len(results)}")
        report(sdk, f"decode_json/{name}", decode)


def core(signs, bodies):
    """aliyun-python-sdk-core: the older core every aliyun-python-sdk-* package uses. It
    signs in rpc_signature_composer and hands the caller the raw body, which the caller
    parses with json.loads."""
    from aliyunsdkcore.auth.composer import rpc_signature_composer as composer
    from aliyunsdkcore.utils import parameter_helper

    sdk = "python-core"
    own = {
        "Timestamp",
        "SignatureMethod",
        "SignatureType",
        "SignatureVersion",
        "SignatureNonce",
        "AccessKeyId",
        "Format",
    }
    for n, s in signs.items():
        fixed = s["params"]
        parameter_helper.get_iso_8061_date = lambda fixed=fixed: fixed["Timestamp"]
        parameter_helper.get_uuid = lambda fixed=fixed: fixed["SignatureNonce"]
        business = {k: v for k, v in fixed.items() if k not in own}

        def sign(business=business, s=s):
            # It adds SignatureType= (empty) to what it signs: one parameter more than
            # this crate and the Tea SDKs send.
            return composer.get_signed_url(
                dict(business), s["access_key_id"], s["secret"], "JSON", s["method"], {}
            )

        _, string_to_sign = sign()
        print(
            f"check {sdk} sign_{n}_ids string_to_sign_equal={string_to_sign == s['string_to_sign']}"
            " (it also signs SignatureType=)"
        )
        report(sdk, f"sign_{n}_ids", sign)

    for name, body in bodies.items():
        report(sdk, f"decode_json/{name}", lambda body=body: json.loads(body))


def main():
    signs, bodies = load(sys.argv[1])
    for peer in (tea, core):
        try:
            peer(signs, bodies)
        except Exception as e:  # an SDK that failed to install or changed its API
            print(f"skip {peer.__name__}: {type(e).__name__}: {e}", flush=True)


if __name__ == "__main__":
    main()
