#!/usr/bin/env python3
"""End to end: the legacy official Python SDK (aliyun-python-sdk-core + aliyun-python-sdk-ecs)
against a running `ecs-ramrole serve`, over real sockets, as its users drive it.

    PYTHONPATH=tools/sdk-adapters/python-core/.deps \\
        python3 tests/sdk/python_core.py http://127.0.0.1:PORT [KEY_ID:SECRET]

The core signs with signature V1 (HMAC-SHA1) only: there is one mode. The client is
`AcsClient(key_id, secret, region)` with its defaults (auto_retry on, 3 retries); the only
change from a production set-up is the endpoint: `request.set_endpoint(host:port)` over
plain http.

The server must have been started with the fixture state of tests/sdk/README.md and the
same credentials (default `e2e-key-id:e2e-Secret-3f9Q7x`). The script resets it (POST
/_mock/reset) before each step, prints one line per check and exits 1 on the first failed
check (2 on bad arguments).
"""

import json
import sys
import time

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.http import protocol_type
from aliyunsdkecs.request.v20140526.AttachInstanceRamRoleRequest import AttachInstanceRamRoleRequest
from aliyunsdkecs.request.v20140526.DescribeInstanceRamRoleRequest import DescribeInstanceRamRoleRequest
from aliyunsdkecs.request.v20140526.DetachInstanceRamRoleRequest import DetachInstanceRamRoleRequest

import e2e
from e2e import (
    REGION,
    ROLE,
    WRONG_SECRET,
    DEFAULT_KEY,
    FIXTURE,
    fail,
    check,
    check_eq,
    admin,
    reset,
    set_faults,
    roles,
    check_roles,
    log_text,
    log,
    check_log,
    check_no_secret,
)



# ----------------------------------------------------------------------------------------
# The SDK, as its users write it
# ----------------------------------------------------------------------------------------


def client(secret):
    # RegionId is the client's region in this SDK (the request classes have no setter).
    return AcsClient(KEY_ID, secret, REGION)


def ids(*instance_ids):
    return json.dumps(list(instance_ids))


def send(c, request):
    """do_action_with_exception returns the body bytes (the core has no response models):
    the caller decodes them."""
    request.set_endpoint(HOST)
    request.set_protocol_type(protocol_type.HTTP)
    return json.loads(c.do_action_with_exception(request))


def attach(c, *instance_ids):
    request = AttachInstanceRamRoleRequest()
    request.set_InstanceIds(ids(*instance_ids))
    request.set_RamRoleName(ROLE)
    return send(c, request)


def describe(c, instance_ids=None, role=None):
    request = DescribeInstanceRamRoleRequest()
    if instance_ids is not None:
        request.set_InstanceIds(ids(*instance_ids))
    if role is not None:
        request.set_RamRoleName(role)
    return send(c, request)


def detach(c, *instance_ids, role=None):
    request = DetachInstanceRamRoleRequest()
    request.set_InstanceIds(ids(*instance_ids))
    if role is not None:
        request.set_RamRoleName(role)
    return send(c, request)


def call(what, fn):
    try:
        return fn()
    except Exception as error:  # the SDK's own exception, shown as it is
        fail(what, f"the SDK raised {type(error).__name__}: {error}")


def expect_raise(what, fn):
    try:
        result = fn()
    except Exception as error:
        return error
    fail(what, f"the SDK returned instead of raising: {result!r}")


def show(error):
    text = " ".join(str(error).split())
    print(f"     the SDK raised {type(error).__module__}.{type(error).__name__}: {text[:240]}", flush=True)


def check_server_exception(what, error, code, status):
    check(f"{what}: the SDK's ServerException", isinstance(error, ServerException), f"{type(error).__name__}: {error}")
    check_eq(f"{what}: get_error_code()", error.get_error_code(), code)
    check_eq(f"{what}: get_http_status()", error.get_http_status(), status)
    check(f"{what}: a request id", bool(error.get_request_id()), repr(error.get_request_id()))


def check_results(what, body, wrapper, item, instance_ids):
    items = (body.get(wrapper) or {}).get(item) or []
    check_eq(f"{what}: one result per instance", sorted(r.get("InstanceId") for r in items), sorted(instance_ids))
    for r in items:
        check_eq(f"{what}: {r.get('InstanceId')} Code", r.get("Code"), "200")
        check_eq(f"{what}: {r.get('InstanceId')} Success", r.get("Success"), True)


def role_sets(body):
    sets = (body.get("InstanceRamRoleSets") or {}).get("InstanceRamRoleSet") or []
    return {s.get("InstanceId"): s.get("RamRoleName") for s in sets}


# ----------------------------------------------------------------------------------------
# The steps
# ----------------------------------------------------------------------------------------


def lifecycle():
    print("# lifecycle: attach, describe, detach", flush=True)
    reset()
    check_roles("before", FIXTURE)
    good = client(SECRET)

    r = call("attach i-1,i-2", lambda: attach(good, "i-1", "i-2"))
    check_eq("attach: TotalCount", r.get("TotalCount"), 2)
    check_eq("attach: FailCount", r.get("FailCount"), 0)
    check_eq("attach: RamRoleName", r.get("RamRoleName"), ROLE)
    check("attach: a RequestId", bool(r.get("RequestId")), repr(r))
    check_results("attach", r, "AttachInstanceRamRoleResults", "AttachInstanceRamRoleResult", ["i-1", "i-2"])
    check_roles("after attach", {"i-1": ROLE, "i-2": ROLE, "i-3": "OtherRole"})

    r = call("describe by InstanceIds", lambda: describe(good, instance_ids=["i-1", "i-2"]))
    check_eq("describe by InstanceIds: TotalCount", r.get("TotalCount"), 2)
    check_eq("describe by InstanceIds: RamRoleName per instance", role_sets(r), {"i-1": ROLE, "i-2": ROLE})
    r = call("describe by RamRoleName", lambda: describe(good, role=ROLE))
    check_eq("describe by RamRoleName: TotalCount", r.get("TotalCount"), 2)
    check_eq("describe by RamRoleName: the instances (not i-3)", role_sets(r), {"i-1": ROLE, "i-2": ROLE})
    check_roles("after describe (unchanged)", {"i-1": ROLE, "i-2": ROLE, "i-3": "OtherRole"})

    r = call("detach i-1 naming the role", lambda: detach(good, "i-1", role=ROLE))
    check_eq("detach i-1: TotalCount", r.get("TotalCount"), 1)
    check_eq("detach i-1: FailCount", r.get("FailCount"), 0)
    check_eq("detach i-1: RamRoleName", r.get("RamRoleName"), ROLE)
    check_results("detach i-1", r, "DetachInstanceRamRoleResults", "DetachInstanceRamRoleResult", ["i-1"])
    check_roles("after detach i-1", {"i-1": None, "i-2": ROLE, "i-3": "OtherRole"})

    r = call("detach i-2", lambda: detach(good, "i-2"))
    check_eq("detach i-2: TotalCount", r.get("TotalCount"), 1)
    check_eq("detach i-2: FailCount", r.get("FailCount"), 0)
    check_results("detach i-2", r, "DetachInstanceRamRoleResults", "DetachInstanceRamRoleResult", ["i-2"])
    check_roles("after detach i-2", FIXTURE)

    r = call("describe after detach", lambda: describe(good, instance_ids=["i-1", "i-2"]))
    check_eq("describe after detach: TotalCount", r.get("TotalCount"), 0)
    check_eq("describe after detach: no instance", role_sets(r), {})

    ops = ["AttachInstanceRamRole"] + ["DescribeInstanceRamRole"] * 2
    ops += ["DetachInstanceRamRole"] * 2 + ["DescribeInstanceRamRole"]
    check_log("lists the SDK's 6 calls, each 200", [(op, 200, None) for op in ops])
    for record in log():
        query = record["query"]
        check(
            f"the {record['operation']} request was signed with V1 HMAC-SHA1 by {KEY_ID}",
            "SignatureMethod=HMAC-SHA1" in query
            and "SignatureVersion=1.0" in query
            and f"AccessKeyId={KEY_ID}" in query
            and f"RegionId={REGION}" in query,
            f"query {query!r}",
        )
    check_no_secret({"the secret": SECRET})


def wrong_secret():
    print("# wrong secret", flush=True)
    reset()
    bad = client(WRONG_SECRET)
    error = expect_raise("attach with a wrong secret", lambda: attach(bad, "i-1"))
    show(error)
    # The server answers SignatureDoesNotMatch with its string to sign in the message
    # (as ECS does); the core compares it with its own and, when they are equal, reports
    # InvalidAccessKeySecret instead (aliyunsdkcore/client.py). So this code also proves
    # that the server's string to sign is exactly the SDK's.
    check_server_exception("wrong secret", error, "InvalidAccessKeySecret", 400)
    check_roles("after the refused attach (unchanged)", FIXTURE)
    check_log(
        "shows one refused attach, answered SignatureDoesNotMatch (never retried)",
        [("AttachInstanceRamRole", 400, "SignatureDoesNotMatch")],
    )
    check_no_secret({"the secret": SECRET, "the wrong secret": WRONG_SECRET})


def throttle():
    print("# throttle fault", flush=True)
    good = client(SECRET)

    reset()
    set_faults([
        {"operation": "AttachInstanceRamRole", "nth": 1,
         "fault": {"kind": "throttle", "retry_after_ms": 1000}},
    ])
    error = expect_raise("attach under a throttle fault", lambda: attach(good, "i-1"))
    show(error)
    check_server_exception("throttled attach", error, "Throttling.User", 400)
    check_roles("after the throttled attach (unchanged)", FIXTURE)
    check_log(
        "shows exactly one attempt (Attach is not in the core's retryable APIs)",
        [("AttachInstanceRamRole", 400, "Throttling.User")],
    )
    r = call("attach again (the fault fired once)", lambda: attach(good, "i-1"))
    check_eq("attach again: FailCount", r.get("FailCount"), 0)
    check_roles("after the second attach", {"i-1": ROLE, "i-2": None, "i-3": "OtherRole"})
    check_log(
        "shows the throttled attempt, then the success",
        [("AttachInstanceRamRole", 400, "Throttling.User"), ("AttachInstanceRamRole", 200, None)],
    )

    # DescribeInstanceRamRole is in the core's retryable APIs, but its retryable
    # throttling codes are exactly ["Throttling"]: Throttling.User is not retried.
    reset()
    set_faults([
        {"operation": "DescribeInstanceRamRole", "nth": 1,
         "fault": {"kind": "throttle", "retry_after_ms": 1000}},
    ])
    error = expect_raise("describe under a throttle fault", lambda: describe(good, instance_ids=["i-3"]))
    show(error)
    check_server_exception("throttled describe", error, "Throttling.User", 400)
    check_log(
        "shows exactly one describe attempt (Throttling.User is not a retryable code)",
        [("DescribeInstanceRamRole", 400, "Throttling.User")],
    )

    # The same call answered with the code the core does retry: it retries on its own,
    # after its throttling backoff (250 to 500 ms for the first retry), and succeeds.
    reset()
    set_faults([
        {"operation": "DescribeInstanceRamRole", "nth": 1,
         "fault": {"kind": "status", "status": 400, "code": "Throttling"}},
    ])
    started = time.monotonic()
    r = call("describe under a 'Throttling' fault", lambda: describe(good, instance_ids=["i-3"]))
    waited = time.monotonic() - started
    check_eq("describe retried: TotalCount", r.get("TotalCount"), 1)
    check_eq("describe retried: RamRoleName per instance", role_sets(r), {"i-3": "OtherRole"})
    check_log(
        "shows the auto-retry: a 400 Throttling, then a 200",
        [("DescribeInstanceRamRole", 400, "Throttling"), ("DescribeInstanceRamRole", 200, None)],
    )
    check(f"the core waited before retrying ({waited:.2f} s >= 0.25 s)", waited >= 0.25, f"{waited:.3f} s")
    check_no_secret({"the secret": SECRET})


def main():
    global HOST, KEY_ID, SECRET
    args = sys.argv[1:]
    if len(args) not in (1, 2) or not args[0].startswith("http://"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    HOST = e2e.connect(args[0])
    KEY_ID, _, SECRET = (args[1] if len(args) == 2 else DEFAULT_KEY).partition(":")
    lifecycle()
    wrong_secret()
    throttle()
    print(f"python-core: all {e2e.checks} checks passed", flush=True)


if __name__ == "__main__":
    main()
