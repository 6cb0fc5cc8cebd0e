#!/usr/bin/env python3
"""End to end: the official Tea Python SDK (alibabacloud-ecs20140526) against a running
`ecs-ramrole serve`, over real sockets, as its users drive it.

    PYTHONPATH=tools/sdk-adapters/python-tea/.deps \\
        python3 tests/sdk/python_tea.py http://127.0.0.1:PORT v3|v2 [KEY_ID:SECRET]

Mode v3 is the client as configured by default (ACS3-HMAC-SHA256); mode v2 sets
`Config(signature_algorithm='v2')` (signature V1, HMAC-SHA1). The only change from a
production configuration is the endpoint: the server's host:port, over plain http.

The server must have been started with the fixture state of tests/sdk/README.md and the
same credentials (default `e2e-key-id:e2e-Secret-3f9Q7x`). The script resets it (POST
/_mock/reset) before each step, prints one line per check and exits 1 on the first failed
check (2 on bad arguments).
"""

import json
import sys
import time

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_tea_openapi import exceptions as tea_exceptions
from alibabacloud_tea_openapi import utils_models as open_api_models
from darabonba.policy.retry import RetryOptions

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


def client(secret, retry_options=None):
    config = open_api_models.Config(
        access_key_id=KEY_ID,
        access_key_secret=secret,
        endpoint=HOST,
        protocol="http",
        retry_options=retry_options,
    )
    if MODE == "v2":
        config.signature_algorithm = "v2"
    return EcsClient(config)


def ids(*instance_ids):
    return json.dumps(list(instance_ids))


def attach(c, *instance_ids):
    return c.attach_instance_ram_role(
        ecs_models.AttachInstanceRamRoleRequest(
            region_id=REGION, instance_ids=ids(*instance_ids), ram_role_name=ROLE
        )
    )


def describe(c, instance_ids=None, role=None):
    request = ecs_models.DescribeInstanceRamRoleRequest(region_id=REGION)
    if instance_ids is not None:
        request.instance_ids = ids(*instance_ids)
    if role is not None:
        request.ram_role_name = role
    return c.describe_instance_ram_role(request)


def detach(c, *instance_ids, role=None):
    request = ecs_models.DetachInstanceRamRoleRequest(
        region_id=REGION, instance_ids=ids(*instance_ids)
    )
    if role is not None:
        request.ram_role_name = role
    return c.detach_instance_ram_role(request)


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
    fail(what, f"the SDK returned instead of raising: {result.body.to_map() if result.body else result}")


def show(error):
    text = " ".join(str(error).split())
    print(f"     the SDK raised {type(error).__module__}.{type(error).__name__}: {text[:240]}", flush=True)


def check_results(what, results, instance_ids):
    items = results or []
    check_eq(f"{what}: one result per instance", sorted(r.instance_id for r in items), sorted(instance_ids))
    for r in items:
        check_eq(f"{what}: {r.instance_id} Code", r.code, "200")
        check_eq(f"{what}: {r.instance_id} Success", r.success, True)


def role_sets(body):
    sets = body.instance_ram_role_sets.instance_ram_role_set if body.instance_ram_role_sets else []
    return {s.instance_id: s.ram_role_name for s in sets or []}


# ----------------------------------------------------------------------------------------
# The steps
# ----------------------------------------------------------------------------------------


def lifecycle():
    print(f"# lifecycle: attach, describe, detach ({MODE})", flush=True)
    reset()
    check_roles("before", FIXTURE)
    good = client(SECRET)

    r = call("attach i-1,i-2", lambda: attach(good, "i-1", "i-2"))
    check_eq("attach: HTTP status", r.status_code, 200)
    check("attach: a decoded body", r.body is not None, "response.body is None")
    check_eq("attach: TotalCount", r.body.total_count, 2)
    check_eq("attach: FailCount", r.body.fail_count, 0)
    check_eq("attach: RamRoleName", r.body.ram_role_name, ROLE)
    check("attach: a RequestId", bool(r.body.request_id), repr(r.body.request_id))
    results = r.body.attach_instance_ram_role_results
    check_results("attach", results.attach_instance_ram_role_result if results else None, ["i-1", "i-2"])
    check_roles("after attach", {"i-1": ROLE, "i-2": ROLE, "i-3": "OtherRole"})

    r = call("describe by InstanceIds", lambda: describe(good, instance_ids=["i-1", "i-2"]))
    check_eq("describe by InstanceIds: HTTP status", r.status_code, 200)
    check_eq("describe by InstanceIds: TotalCount", r.body.total_count, 2)
    check_eq("describe by InstanceIds: RamRoleName per instance", role_sets(r.body), {"i-1": ROLE, "i-2": ROLE})
    r = call("describe by RamRoleName", lambda: describe(good, role=ROLE))
    check_eq("describe by RamRoleName: TotalCount", r.body.total_count, 2)
    check_eq("describe by RamRoleName: the instances (not i-3)", role_sets(r.body), {"i-1": ROLE, "i-2": ROLE})
    check_roles("after describe (unchanged)", {"i-1": ROLE, "i-2": ROLE, "i-3": "OtherRole"})

    r = call("detach i-1 naming the role", lambda: detach(good, "i-1", role=ROLE))
    check_eq("detach i-1: HTTP status", r.status_code, 200)
    check_eq("detach i-1: TotalCount", r.body.total_count, 1)
    check_eq("detach i-1: FailCount", r.body.fail_count, 0)
    check_eq("detach i-1: RamRoleName", r.body.ram_role_name, ROLE)
    results = r.body.detach_instance_ram_role_results
    check_results("detach i-1", results.detach_instance_ram_role_result if results else None, ["i-1"])
    check_roles("after detach i-1", {"i-1": None, "i-2": ROLE, "i-3": "OtherRole"})

    r = call("detach i-2", lambda: detach(good, "i-2"))
    check_eq("detach i-2: TotalCount", r.body.total_count, 1)
    check_eq("detach i-2: FailCount", r.body.fail_count, 0)
    results = r.body.detach_instance_ram_role_results
    check_results("detach i-2", results.detach_instance_ram_role_result if results else None, ["i-2"])
    check_roles("after detach i-2", FIXTURE)

    r = call("describe after detach", lambda: describe(good, instance_ids=["i-1", "i-2"]))
    check_eq("describe after detach: TotalCount", r.body.total_count, 0)
    check_eq("describe after detach: no instance", role_sets(r.body), {})

    ops = ["AttachInstanceRamRole"] + ["DescribeInstanceRamRole"] * 2
    ops += ["DetachInstanceRamRole"] * 2 + ["DescribeInstanceRamRole"]
    check_log("lists the SDK's 6 calls, each 200", [(op, 200, None) for op in ops])
    records = log()
    for record in records:
        check_eq(f"the {record['operation']} request was a POST", record["method"], "POST")
        headers = {name.lower(): value for name, value in record["headers"]}
        if MODE == "v3":
            auth = headers.get("authorization", "")
            check(
                f"the {record['operation']} request was signed with ACS3-HMAC-SHA256 by {KEY_ID}",
                auth.startswith(f"ACS3-HMAC-SHA256 Credential={KEY_ID},"),
                f"authorization header {auth!r}",
            )
        else:
            query = record["query"]
            check(
                f"the {record['operation']} request was signed with V1 HMAC-SHA1 by {KEY_ID}",
                "SignatureMethod=HMAC-SHA1" in query
                and "SignatureVersion=1.0" in query
                and f"AccessKeyId={KEY_ID}" in query
                and "authorization" not in headers,
                f"query {query!r}, headers {sorted(headers)}",
            )
    check_no_secret({"the secret": SECRET})


def wrong_secret():
    print(f"# wrong secret ({MODE})", flush=True)
    reset()
    bad = client(WRONG_SECRET)
    error = expect_raise("attach with a wrong secret", lambda: attach(bad, "i-1"))
    show(error)
    check(
        "wrong secret: the SDK's ClientException",
        isinstance(error, tea_exceptions.ClientException),
        f"{type(error).__name__}: {error}",
    )
    check_eq("wrong secret: code", getattr(error, "code", None), "SignatureDoesNotMatch")
    check_eq("wrong secret: status_code", getattr(error, "status_code", None), 400)
    check("wrong secret: a request_id", bool(getattr(error, "request_id", None)), repr(error))
    check_roles("after the refused attach (unchanged)", FIXTURE)
    check_log("shows one refused attach", [("AttachInstanceRamRole", 400, "SignatureDoesNotMatch")])
    check_no_secret({"the secret": SECRET, "the wrong secret": WRONG_SECRET})


def throttle():
    print(f"# throttle fault ({MODE})", flush=True)
    reset()
    set_faults([
        {"operation": "AttachInstanceRamRole", "nth": 1,
         "fault": {"kind": "throttle", "retry_after_ms": 1000}},
    ])
    good = client(SECRET)
    error = expect_raise("attach under a throttle fault", lambda: attach(good, "i-1"))
    show(error)
    check(
        "throttle: the SDK's ThrottlingException",
        isinstance(error, tea_exceptions.ThrottlingException),
        f"{type(error).__name__}: {error}",
    )
    check_eq("throttle: code", getattr(error, "code", None), "Throttling.User")
    check_eq("throttle: status_code", getattr(error, "status_code", None), 400)
    check_eq("throttle: retry_after (from x-acs-retry-after)", getattr(error, "retry_after", None), 1000)
    check_roles("after the throttled attach (unchanged)", FIXTURE)
    check_log(
        "shows exactly one attempt (the default client does not retry)",
        [("AttachInstanceRamRole", 400, "Throttling.User")],
    )
    r = call("attach again (the fault fired once)", lambda: attach(good, "i-1"))
    check_eq("attach again: FailCount", r.body.fail_count, 0)
    check_roles("after the second attach", {"i-1": ROLE, "i-2": None, "i-3": "OtherRole"})
    check_log(
        "shows the throttled attempt, then the success",
        [("AttachInstanceRamRole", 400, "Throttling.User"), ("AttachInstanceRamRole", 200, None)],
    )

    # The same code without x-acs-retry-after (a plain status fault): this SDK picks
    # ThrottlingException by the header, not by the code, so this is a ClientException.
    print(f"# Throttling.User without x-acs-retry-after ({MODE})", flush=True)
    reset()
    set_faults([
        {"operation": "AttachInstanceRamRole", "nth": 1,
         "fault": {"kind": "status", "status": 400, "code": "Throttling.User"}},
    ])
    error = expect_raise("attach under a Throttling.User status fault", lambda: attach(good, "i-1"))
    show(error)
    check(
        "no header: a ClientException, not a ThrottlingException",
        isinstance(error, tea_exceptions.ClientException)
        and not isinstance(error, tea_exceptions.ThrottlingException),
        f"{type(error).__name__}: {error}",
    )
    check_eq("no header: code", getattr(error, "code", None), "Throttling.User")
    check_eq("no header: status_code", getattr(error, "status_code", None), 400)
    check_log("shows exactly one attempt", [("AttachInstanceRamRole", 400, "Throttling.User")])

    # Retrying is opt-in: Config(retry_options=...) with a condition on ThrottlingException.
    # The SDK then waits the exception's retry_after (x-acs-retry-after, here 300 ms; its
    # own minimum without one is 100 ms) and sends the call again, newly signed.
    print(f"# throttle fault, retry enabled in Config.retry_options ({MODE})", flush=True)
    reset()
    set_faults([
        {"operation": "AttachInstanceRamRole", "nth": 1,
         "fault": {"kind": "throttle", "retry_after_ms": 300}},
    ])
    retrying = client(SECRET, RetryOptions({
        "retryable": True,
        "retryCondition": [{"maxAttempts": 3, "exception": ["ThrottlingException"]}],
    }))
    started = time.monotonic()
    r = call("attach with retry enabled", lambda: attach(retrying, "i-1"))
    waited = time.monotonic() - started
    check_eq("retried attach: FailCount", r.body.fail_count, 0)
    check_roles("after the retried attach", {"i-1": ROLE, "i-2": None, "i-3": "OtherRole"})
    check_log(
        "shows the SDK's retry: a 400 Throttling.User, then a 200",
        [("AttachInstanceRamRole", 400, "Throttling.User"), ("AttachInstanceRamRole", 200, None)],
    )
    check(
        f"the SDK waited x-acs-retry-after (300 ms) before retrying: {waited:.2f} s",
        waited >= 0.29,
        f"only {waited:.3f} s (its default delay is 100 ms)",
    )
    check_no_secret({"the secret": SECRET})


def main():
    global HOST, MODE, KEY_ID, SECRET
    args = sys.argv[1:]
    if len(args) not in (2, 3) or args[1] not in ("v3", "v2") or not args[0].startswith("http://"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    HOST = e2e.connect(args[0])
    MODE = args[1]
    KEY_ID, _, SECRET = (args[2] if len(args) == 3 else DEFAULT_KEY).partition(":")
    lifecycle()
    wrong_secret()
    throttle()
    print(f"python-tea {MODE}: all {e2e.checks} checks passed", flush=True)


if __name__ == "__main__":
    main()
