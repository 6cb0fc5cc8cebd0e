"""Conformance adapter (protocol 1, persistent mode) around the legacy official Python SDK
for ECS: aliyun-python-sdk-core (AcsClient) and aliyun-python-sdk-ecs (the request
classes). Signature V1 (HMAC-SHA1) only.

    python3 adapter.py v1

One envelope per line on stdin, one verdict per line on stdout (flushed). Every answer is
what the SDK itself computed: the adapter builds the SDK's own request object with its
setters, sends it with AcsClient.do_action_with_exception, pins the clock and nonce by
patching the helpers the signer calls (`aliyunsdkcore.utils.parameter_helper.
get_iso_8061_date` / `get_uuid`), and stops the transport at the vendored
`requests.adapters.HTTPAdapter.send`, so nothing goes on the network. It never computes a
signature, an encoding or a decoded value itself. See README.md.
"""

import base64
import gc
import http.client
import io
import json
import sys
from pathlib import Path
from urllib.parse import unquote

MODE = sys.argv[1] if len(sys.argv) > 1 else "v1"
if MODE != "v1":
    sys.stderr.write(f"adapter.py: unknown mode {MODE!r} (the legacy core has one: v1)\n")
    sys.exit(2)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from protocol1 import instance_ids_text, reject, serve, unsupported  # noqa: E402

# Verdicts go to the real stdout; anything the SDK or its libraries print goes to stderr.
_VERDICTS = sys.stdout
sys.stdout = sys.stderr

from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException  # noqa: E402
from aliyunsdkcore.auth import credentials as sdk_credentials  # noqa: E402
from aliyunsdkcore.auth.composer import rpc_signature_composer as composer  # noqa: E402
from aliyunsdkcore.client import AcsClient  # noqa: E402
from aliyunsdkcore.utils import parameter_helper  # noqa: E402
from aliyunsdkcore.vendored.requests import adapters as vendored_adapters  # noqa: E402
from aliyunsdkcore.vendored.requests import exceptions as vendored_exceptions  # noqa: E402
from aliyunsdkcore.vendored.requests.packages.urllib3._collections import HTTPHeaderDict  # noqa: E402
from aliyunsdkcore.vendored.requests.packages.urllib3.response import HTTPResponse  # noqa: E402
from aliyunsdkecs.request.v20140526.AttachInstanceRamRoleRequest import (  # noqa: E402
    AttachInstanceRamRoleRequest,
)
from aliyunsdkecs.request.v20140526.DescribeInstanceRamRoleRequest import (  # noqa: E402
    DescribeInstanceRamRoleRequest,
)
from aliyunsdkecs.request.v20140526.DetachInstanceRamRoleRequest import (  # noqa: E402
    DetachInstanceRamRoleRequest,
)
import aliyunsdkcore.client as _core_client_module  # noqa: E402

DEFAULT_HOST = "ecs.aliyuncs.com"
# AcsClient's default region (its constructor's default), used when the envelope has no
# RegionId. The core puts the client's region in the request as RegionId.
CLIENT_REGION = "cn-hangzhou"

# --------------------------------------------------------------------------------------
# Hooks: the clock, the nonce and the transport
# --------------------------------------------------------------------------------------


class _State:
    def __init__(self):
        self.timestamp = None  # str to pin, or None: the SDK's own clock
        self.nonce = None  # str to pin, or None: the SDK's own generator
        self.wire = []  # vendored requests.PreparedRequest objects that reached the transport
        self.answer = None  # (status, [[name, value]...], body bytes) the "server" gives
        self.failed_client = False  # AcsClient() raised in this envelope


STATE = _State()

_sdk_date = parameter_helper.get_iso_8061_date
_sdk_uuid = parameter_helper.get_uuid


def _pinned_date():
    return STATE.timestamp if STATE.timestamp is not None else _sdk_date()


def _pinned_uuid():
    return STATE.nonce if STATE.nonce is not None else _sdk_uuid()


# The composer calls them as `helper.get_iso_8061_date()` / `helper.get_uuid()` through
# this module, so patching the module attributes reaches every caller.
parameter_helper.get_iso_8061_date = _pinned_date
parameter_helper.get_uuid = _pinned_uuid


def _fake_send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
    """Stands in for the socket: records the prepared request and answers with the
    envelope's status, headers and body through requests' own build_response."""
    STATE.wire.append(request)
    if STATE.answer is None:
        raise vendored_exceptions.ConnectionError("adapter: no network")
    status, pairs, body = STATE.answer
    raw = HTTPResponse(
        body=io.BytesIO(body),
        headers=HTTPHeaderDict([(str(k), str(v)) for k, v in pairs]),
        status=status,
        reason=http.client.responses.get(status, ""),
        preload_content=False,
        decode_content=True,
    )
    return self.build_response(request, raw)


vendored_adapters.HTTPAdapter.send = _fake_send


class _NoWaitTime:
    """The client module's `time`, minus the waiting: AcsClient sleeps its backoff
    between retries (DescribeInstanceRamRole is in its retryable list); the adapter
    keeps the retries and skips the wait, as it pins the clock elsewhere."""

    def __init__(self, real):
        self._real = real
        self.slept_ms = []

    def sleep(self, seconds):
        self.slept_ms.append(seconds * 1000)

    def __getattr__(self, name):
        return getattr(self._real, name)


_core_client_module.time = _NoWaitTime(_core_client_module.time)

CANNED_OK = (200, [["Content-Type", "application/json;charset=utf-8"]], b'{"RequestId":"adapter"}')

OPERATIONS = {
    "AttachInstanceRamRole": AttachInstanceRamRoleRequest,
    "DetachInstanceRamRole": DetachInstanceRamRoleRequest,
    "DescribeInstanceRamRole": DescribeInstanceRamRoleRequest,
}

# --------------------------------------------------------------------------------------
# Verdict helpers
# --------------------------------------------------------------------------------------


def describe(exc):
    if isinstance(exc, (ClientException, ServerException)):
        return f"{type(exc).__name__} {exc.get_error_code()}: {exc.get_error_msg()}"
    return f"{type(exc).__name__}: {exc}"


def reject_before_send(exc, where):
    """The SDK raised before sending: the closest reject kind, with its message. An
    exception that is not one of the SDK's own is a crash inside it, not a check, and the
    message says so."""
    if isinstance(exc, (ClientException, ServerException)):
        msg = f"{where}: {describe(exc)}"
        if exc.get_error_code() == "SDK.InvalidCredential":
            return reject("missing_required", msg)
        return reject("constraint_violation", msg)
    if isinstance(exc, AttributeError) and where.startswith("request."):
        # A parameter the request class has no setter for.
        return reject("constraint_violation", f"{where}: {describe(exc)}")
    msg = f"{where} crashed (no check): {describe(exc)}"
    if isinstance(exc, (AttributeError, TypeError)) and "NoneType" in str(exc):
        return reject("missing_required", msg)  # it tripped over an absent input
    if isinstance(exc, TypeError):
        return reject("type_mismatch", msg)
    return reject("constraint_violation", msg)


def build_request(op, params, host):
    """The SDK's request object, filled as a caller would: one set_<Name>() call per
    parameter. A parameter with no setter fails as it would for the caller. RegionId is
    not a request field in this SDK (the classes have no set_RegionId): it is the
    client's region, see make_client()."""
    request = OPERATIONS[op]()
    request.set_endpoint(host)
    for name, value in params.items():
        if name == "RegionId":
            continue
        if name == "InstanceIds":
            value = instance_ids_text(value)
        setter = f"set_{name}"
        try:
            getattr(request, setter)(value)
        except AttributeError as exc:
            raise AttributeError(f"{type(request).__name__} has no {setter}(): {exc}") from None
    return request


def client_region(params):
    """AcsClient(region_id=...) is where this SDK takes RegionId; RpcRequest.get_url puts
    it in the query. Without one the caller still builds a client, and the constructor's
    default region is what the core then sends."""
    return params["RegionId"] if "RegionId" in params else CLIENT_REGION


def make_client(signing, region):
    if signing is None:
        return AcsClient(region_id=region)
    ak = signing.get("access_key_id")
    secret = signing.get("access_key_secret")
    if "security_token" in signing:
        credential = sdk_credentials.StsTokenCredential(ak, secret, signing.get("security_token"))
        return AcsClient(region_id=region, credential=credential)
    return AcsClient(ak, secret, region)


# --------------------------------------------------------------------------------------
# kind: request
# --------------------------------------------------------------------------------------


def handle_request(env):
    op = env.get("operation")
    if op not in OPERATIONS:
        return unsupported(f"operation {op!r}: not one this adapter drives")
    inp = env.get("input") or {}
    params = inp.get("params") or {}
    ctx = inp.get("context") or {}
    signing = ctx.get("signing")
    if signing is not None:
        algorithm = signing.get("algorithm", "HMAC-SHA1")
        if algorithm != "HMAC-SHA1":
            return unsupported(f"signing algorithm {algorithm!r}: aliyun-python-sdk-core signs with HMAC-SHA1 (V1) only")
        STATE.timestamp = signing.get("timestamp")
        STATE.nonce = signing.get("nonce")
    # context.placement has no counterpart in the request classes (every parameter is a
    # query parameter); it is left to the SDK, and the verdict shows where they went.

    try:
        request = build_request(op, params, ctx.get("host", DEFAULT_HOST))
        if "method" in ctx:
            request.set_method(ctx["method"])
        if "format" in ctx:
            request.set_accept_format(ctx["format"])
    except Exception as exc:
        return reject_before_send(exc, "request.set_*")
    try:
        client = make_client(signing, client_region(params))
    except Exception as exc:
        STATE.failed_client = True
        return reject_before_send(exc, "AcsClient()")

    STATE.answer = CANNED_OK
    error = None
    try:
        # The documented call; it sets the request's accept format to JSON first.
        client.do_action_with_exception(request)
    except Exception as exc:
        error = exc
    if not STATE.wire:
        if error is None:
            return unsupported("the SDK returned without sending a request")
        return reject_before_send(error, "AcsClient.do_action_with_exception()")
    if error is not None:
        sys.stderr.write(f"note: the SDK raised after sending: {describe(error)}\n")
    return request_verdict(request, STATE.wire[0])


def request_verdict(request, prepared):
    url = prepared.url
    query = url.split("?", 1)[1] if "?" in url else ""
    verdict = {"outcome": "request", "method": prepared.method, "query": query}
    stages = {}
    string_to_sign = getattr(request, "string_to_sign", None)
    if string_to_sign is not None:
        stages["string_to_sign"] = string_to_sign
    # The signature the SDK put in its own URL, read back from it.
    for pair in query.split("&"):
        if pair.startswith("Signature="):
            stages["signature"] = unquote(pair[len("Signature=") :])
    if stages:
        verdict["stages"] = stages
    return verdict


# --------------------------------------------------------------------------------------
# kind: sign
# --------------------------------------------------------------------------------------

# The composer's own two steps (module-level functions; their double underscore is only a
# naming convention at module level). get_signed_url() wraps them but first overwrites
# Timestamp, SignatureNonce, AccessKeyId, Format and adds SignatureType=, so it is not a
# bare signer.
_compose_string_to_sign = getattr(composer, "__compose_string_to_sign")
_get_signature = getattr(composer, "__get_signature")


def handle_sign(env):
    inp = env.get("input") or {}
    algorithm = inp.get("algorithm", "HMAC-SHA1")
    if algorithm != "HMAC-SHA1":
        return unsupported(f"signing algorithm {algorithm!r}: aliyun-python-sdk-core signs with HMAC-SHA1 (V1) only")
    try:
        string_to_sign = _compose_string_to_sign(inp.get("method"), dict(inp.get("params") or {}))
        signature = _get_signature(string_to_sign, inp.get("access_key_secret"))
    except Exception as exc:
        return reject_before_send(exc, "rpc_signature_composer")
    return {"outcome": "signature", "string_to_sign": string_to_sign, "signature": signature}


# --------------------------------------------------------------------------------------
# kind: response
# --------------------------------------------------------------------------------------

RESPONSE_CALL = {
    "AttachInstanceRamRole": {"RamRoleName": "EcsRole", "InstanceIds": ["i-1"]},
    "DetachInstanceRamRole": {"InstanceIds": ["i-1"]},
    "DescribeInstanceRamRole": {"InstanceIds": ["i-1"]},
}


def handle_response(env):
    op = env.get("operation") or "AttachInstanceRamRole"
    if op not in OPERATIONS:
        return unsupported(f"operation {op!r}: not one this adapter drives")
    exchange = env.get("http") or {}
    status = exchange.get("status")
    body = base64.b64decode(env.get("body_base64") or "")
    STATE.answer = (status, exchange.get("headers") or [], body)
    client = AcsClient("testid", "testsecret", CLIENT_REGION)
    request = build_request(op, RESPONSE_CALL[op], DEFAULT_HOST)
    try:
        client.do_action_with_exception(request)
    except ServerException as exc:
        return service_error(exc)
    except Exception as exc:
        return response_failure(exc, status)
    return unsupported(
        "do_action_with_exception() hands a 2xx body back as raw bytes: the core has no "
        "response model or decoder for these operations"
    )


def service_error(exc):
    """ServerException carries the HTTP status, Code, Message and RequestId only."""
    error = {"http_status": exc.get_http_status()}
    if exc.get_error_code() is not None:
        error["code"] = exc.get_error_code()
    if exc.get_error_msg() is not None:
        error["message"] = exc.get_error_msg()
    if exc.get_request_id() is not None:
        error["request_id"] = exc.get_request_id()
    # The client retries only when its policy says so; count what it sent. The core reads
    # no server wait hint, so after_ms is always null.
    retry = {"retryable": len(STATE.wire) > 1, "after_ms": None}
    return {"outcome": "service_error", "error": error, "retry": retry}


def response_failure(exc, status):
    where = "reading a 2xx body" if isinstance(status, int) and 200 <= status < 300 else f"reading a {status} answer"
    msg = f"the SDK raised while {where}: {describe(exc)}"
    if isinstance(exc, UnicodeDecodeError):
        return reject("malformed_body", msg)
    if isinstance(exc, (AttributeError, TypeError, KeyError, IndexError)):
        return reject("unexpected_shape", msg)
    return reject("malformed_body", msg)


# --------------------------------------------------------------------------------------
# The loop
# --------------------------------------------------------------------------------------


def _reset():
    failed_client = STATE.failed_client
    STATE.__init__()
    if failed_client:
        # A client whose constructor raised is collected now, so the warning its
        # __del__ prints (it has no session) lands in this envelope's stderr.
        gc.collect()


def main():
    handlers = {"request": handle_request, "sign": handle_sign, "response": handle_response}
    serve(_VERDICTS, handlers, _reset)


if __name__ == "__main__":
    main()
