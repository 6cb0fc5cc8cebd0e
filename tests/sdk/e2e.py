"""What the end-to-end SDK scripts share: the fixture's names, one printed line per check,
and the mock server's admin endpoints over plain urllib (never the SDK under test)."""

import json
import sys
import urllib.error
import urllib.request

REGION = "cn-hangzhou"
ROLE = "EcsRole"
WRONG_SECRET = "e2e-Wrong-Secret-8Kd2pZ"
DEFAULT_KEY = "e2e-key-id:e2e-Secret-3f9Q7x"
# The fixture: i-1 and i-2 without a role, i-3 with OtherRole (which no call touches).
FIXTURE = {"i-1": None, "i-2": None, "i-3": "OtherRole"}

checks = 0
BASE = ""  # the server, set by connect()


def connect(base):
    """Points the admin helpers at a server (`http://host:port`); returns host:port."""
    global BASE
    BASE = base.rstrip("/")
    return BASE[len("http://"):]


def fail(what, detail):
    print(f"FAIL {what}: {detail}", flush=True)
    sys.exit(1)


def check(what, condition, detail=""):
    """One printed line per check; the first false one ends the run with exit 1."""
    global checks
    if not condition:
        fail(what, detail or "condition is false")
    checks += 1
    print(f"ok   {what}", flush=True)


def check_eq(what, actual, expected):
    check(what, actual == expected, f"expected {expected!r}, got {actual!r}")


# ----------------------------------------------------------------------------------------
# The admin endpoints (plain urllib: not the SDK)
# ----------------------------------------------------------------------------------------


def admin(method, route, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{BASE}/_mock/{route}", data=data, method=method)
    if data is not None:
        request.add_header("content-type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        fail(f"{method} /_mock/{route}", f"HTTP {error.code}: {error.read().decode()!r}")
    except OSError as error:
        fail(f"{method} /_mock/{route}", f"cannot reach the server at {BASE}: {error}")


def reset():
    status, _ = admin("POST", "reset")
    check_eq("POST /_mock/reset answers 204", status, 204)


def set_faults(rules):
    status, _ = admin("PUT", "faults", rules)
    check_eq("PUT /_mock/faults answers 204", status, 204)


def roles():
    """The instances' roles as the server's state has them: {id: role or None}."""
    _, text = admin("GET", "state")
    state = json.loads(text)
    return {i["id"]: i.get("ram_role") for i in state["instances"] if i["id"] in FIXTURE}


def check_roles(what, expected):
    check_eq(f"server state {what}: {expected}", roles(), expected)


def log_text():
    return admin("GET", "requests")[1]


def log():
    return json.loads(log_text())


def check_log(what, expected):
    """`expected`: [(operation, status, code or None)], the whole log since the reset."""
    actual = [(r.get("operation"), r.get("status"), r.get("code")) for r in log()]
    check_eq(f"GET /_mock/requests {what}", actual, expected)


def check_no_secret(secrets):
    """`secrets`: {label: secret string}."""
    for route in ("requests", "state"):
        text = admin("GET", route)[1]
        for label, secret in secrets.items():
            check(
                f"GET /_mock/{route} does not hold {label}",
                secret not in text,
                f"the secret {secret!r} appears in the answer",
            )
