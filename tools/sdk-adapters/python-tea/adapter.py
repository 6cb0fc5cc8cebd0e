"""Conformance adapter (protocol 1, persistent mode) around the official Tea Python SDK for
ECS: alibabacloud-ecs20140526 on alibabacloud-tea-openapi and darabonba-core.

    python3 adapter.py v3    the client as configured by default (ACS3-HMAC-SHA256)
    python3 adapter.py v2    Config(signature_algorithm='v2'): signature V1, HMAC-SHA1

One envelope per line on stdin, one verdict per line on stdout (flushed). Every answer is
what the SDK itself computed: the adapter builds the SDK's own request model, calls the
SDK's own operation method, pins the clock and nonce by patching the SDK's helpers
(`alibabacloud_tea_openapi.utils.Utils.get_timestamp` / `get_nonce`), and stops the
transport at `requests.adapters.HTTPAdapter.send` (below darabonba's `DaraCore.do_action`),
so nothing goes on the network. It never computes a signature, an encoding or a decoded
value itself. See README.md for what each kind covers.
"""

import base64
import http.client
import io
import json
import re
import sys
from pathlib import Path

MODE = sys.argv[1] if len(sys.argv) > 1 else "v3"
if MODE not in ("v3", "v2"):
    sys.stderr.write(f"adapter.py: unknown mode {MODE!r} (use v3 or v2)\n")
    sys.exit(2)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from protocol1 import instance_ids_text, reject, serve, unsupported  # noqa: E402

# Verdicts go to the real stdout; anything the SDK or its libraries print goes to stderr.
_VERDICTS = sys.stdout
sys.stdout = sys.stderr

import requests.adapters  # noqa: E402  (the transport darabonba sends through)
import requests.exceptions  # noqa: E402
from urllib3._collections import HTTPHeaderDict  # noqa: E402
from urllib3.response import HTTPResponse  # noqa: E402

from alibabacloud_ecs20140526 import models as ecs_models  # noqa: E402
from alibabacloud_ecs20140526.client import Client as EcsClient  # noqa: E402
from alibabacloud_tea_openapi import exceptions as tea_exceptions  # noqa: E402
from alibabacloud_tea_openapi import utils_models as open_api_models  # noqa: E402
from alibabacloud_tea_openapi.utils import Utils  # noqa: E402
from darabonba.core import DaraCore  # noqa: E402
from darabonba.exceptions import UnretryableException  # noqa: E402
from darabonba.request import DaraRequest  # noqa: E402

ALGORITHM = {"v3": "ACS3-HMAC-SHA256", "v2": "HMAC-SHA1"}[MODE]
DEFAULT_HOST = "ecs.aliyuncs.com"

# --------------------------------------------------------------------------------------
# Hooks: the clock, the nonce and the transport
# --------------------------------------------------------------------------------------


class _State:
    """Per-envelope state the hooks read and write."""

    def __init__(self):
        self.timestamp = None  # str to pin, or None: the SDK's own clock
        self.nonce = None  # str to pin, or None: the SDK's own generator
        self.sdk_requests = []  # snapshots of the DaraRequest objects handed to do_action
        self.wire = []  # requests.PreparedRequest objects that reached the transport
        self.answer = None  # (status, [[name, value]...], body bytes) the "server" gives


STATE = _State()

_sdk_get_timestamp = Utils.get_timestamp
_sdk_get_nonce = Utils.get_nonce


def _pinned_timestamp():
    return STATE.timestamp if STATE.timestamp is not None else _sdk_get_timestamp()


def _pinned_nonce():
    return STATE.nonce if STATE.nonce is not None else _sdk_get_nonce()


Utils.get_timestamp = staticmethod(_pinned_timestamp)
Utils.get_nonce = staticmethod(_pinned_nonce)

_sdk_do_action = DaraCore.do_action


def _recording_do_action(request, runtime_option=None):
    # What the SDK built, before do_action turns a str body into bytes.
    STATE.sdk_requests.append(
        {
            "method": request.method,
            "pathname": request.pathname,
            "query": dict(request.query or {}),
            "headers": dict(request.headers or {}),
            "body": request.body,
        }
    )
    return _sdk_do_action(request, runtime_option)


DaraCore.do_action = staticmethod(_recording_do_action)


def _fake_send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
    """Stands in for the socket: records the prepared request and answers with the
    envelope's status, headers and body through requests' own build_response."""
    first_url = STATE.wire[0].url if STATE.wire else None
    STATE.wire.append(request)
    if STATE.answer is None:
        raise requests.exceptions.ConnectionError("adapter: no network")
    if first_url is not None and request.url != first_url:
        # A redirect being followed: there is no second server to answer it.
        raise requests.exceptions.ConnectionError(
            f"adapter: no network for a second exchange ({request.method} {request.url})"
        )
    status, pairs, body = STATE.answer
    raw = HTTPResponse(
        body=io.BytesIO(body),
        headers=HTTPHeaderDict([(str(k), str(v)) for k, v in pairs]),
        status=status,
        reason=http.client.responses.get(status, ""),
        preload_content=False,
        decode_content=True,
        request_method=request.method,
        request_url=request.url,
    )
    return self.build_response(request, raw)


requests.adapters.HTTPAdapter.send = _fake_send

# A 200 the transport gives a `request` envelope once the request is captured, so the
# SDK's call completes normally.
CANNED_OK = (200, [["Content-Type", "application/json;charset=utf-8"]], b'{"RequestId":"adapter"}')

# --------------------------------------------------------------------------------------
# The SDK's request models: API name -> constructor argument, read off the SDK itself
# --------------------------------------------------------------------------------------

OPERATIONS = {
    "AttachInstanceRamRole": (ecs_models.AttachInstanceRamRoleRequest, "attach_instance_ram_role"),
    "DetachInstanceRamRole": (ecs_models.DetachInstanceRamRoleRequest, "detach_instance_ram_role"),
    "DescribeInstanceRamRole": (ecs_models.DescribeInstanceRamRoleRequest, "describe_instance_ram_role"),
}


def _field_names(model):
    """{API name: constructor argument}, learned by setting each argument to a marker and
    seeing under which API name the model's own to_map() puts it."""
    import inspect

    out = {}
    for arg in inspect.signature(model.__init__).parameters:
        if arg == "self":
            continue
        marker = object()
        for api_name, value in model(**{arg: marker}).to_map().items():
            if value is marker:
                out[api_name] = arg
    return out


FIELDS = {op: _field_names(model) for op, (model, _) in OPERATIONS.items()}


def build_model(op, params):
    """The SDK's request model, built as a caller would: one constructor keyword per
    parameter. A name the model has no argument for is passed under its API name, and
    the constructor refuses it (TypeError) as it would refuse the caller."""
    model, _ = OPERATIONS[op]
    kwargs = {}
    for name, value in params.items():
        if name == "InstanceIds":
            value = instance_ids_text(value)
        kwargs[FIELDS[op].get(name, name)] = value
    return model(**kwargs)


def make_client(signing, host):
    kwargs = {"endpoint": host}
    if signing is not None:
        kwargs["access_key_id"] = signing.get("access_key_id")
        kwargs["access_key_secret"] = signing.get("access_key_secret")
        if "security_token" in signing:
            kwargs["security_token"] = signing.get("security_token")
    if MODE == "v2":
        kwargs["signature_algorithm"] = "v2"
    return EcsClient(open_api_models.Config(**kwargs))


def call_operation(op, client, request_model):
    return getattr(client, OPERATIONS[op][1])(request_model)


# --------------------------------------------------------------------------------------
# Verdict helpers
# --------------------------------------------------------------------------------------


def describe(exc):
    """`Type: message` of an exception, unwrapping darabonba's UnretryableException."""
    inner = unwrap(exc)
    text = str(inner)
    if inner is not exc:
        return f"{type(exc).__name__} wrapping {type(inner).__name__}: {text}"
    return f"{type(inner).__name__}: {text}"


def unwrap(exc):
    while isinstance(exc, UnretryableException) and getattr(exc, "inner_exception", None):
        exc = exc.inner_exception
    return exc


def reject_before_send(exc, where):
    """The SDK raised before anything reached the transport: the closest reject kind,
    with the SDK's own message. An exception that is not one of the SDK's own is a crash
    inside it, not a check, and the message says so."""
    inner = unwrap(exc)
    if isinstance(inner, tea_exceptions.AlibabaCloudException):
        code = getattr(inner, "code", None)
        msg = f"{where}: {type(inner).__name__} {code}: {inner.message}"
        if code == "InvalidCredentials":
            return reject("missing_required", msg)
        return reject("constraint_violation", msg)
    if isinstance(inner, TypeError) and where.startswith("request model"):
        # The model's constructor refusing an argument it does not have.
        return reject("constraint_violation", f"{where}: {describe(exc)}")
    msg = f"{where} crashed (no check): {describe(exc)}"
    if isinstance(inner, (AttributeError, TypeError)) and "NoneType" in str(inner):
        return reject("missing_required", msg)  # it tripped over an absent input
    if isinstance(inner, TypeError):
        return reject("type_mismatch", msg)
    return reject("constraint_violation", msg)


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
        if algorithm not in ("HMAC-SHA1", "ACS3-HMAC-SHA256"):
            return unsupported(f"signing algorithm {algorithm!r}: not one the protocol defines")
        if algorithm != ALGORITHM:
            other = "v2" if MODE == "v3" else "v3"
            return unsupported(
                f"mode {MODE} signs with {ALGORITHM} only; {algorithm} is the other mode ({other})"
            )
        STATE.timestamp = signing.get("timestamp")
        STATE.nonce = signing.get("nonce")
    host = ctx.get("host", DEFAULT_HOST)
    # context.method, context.format and context.placement have no counterpart in the
    # SDK's API for these operations (the generated method fixes POST, the Format / accept
    # value and query placement); they are left to the SDK, and the verdict shows what it
    # sent.

    try:
        model = build_model(op, params)
    except Exception as exc:  # the constructor refused an argument
        return reject_before_send(exc, "request model constructor")
    try:
        client = make_client(signing, host)
    except Exception as exc:
        return reject_before_send(exc, "client Config")

    STATE.answer = CANNED_OK
    error = None
    try:
        call_operation(op, client, model)
    except Exception as exc:
        error = exc
    if not STATE.sdk_requests or not STATE.wire:
        if error is None:
            return unsupported("the SDK returned without sending a request")
        return reject_before_send(error, f"{OPERATIONS[op][1]}()")
    if error is not None:
        sys.stderr.write(f"note: the SDK raised after sending: {describe(error)}\n")
    return request_verdict(STATE.sdk_requests[0], STATE.wire[0])


def _wire_query(prepared):
    url = prepared.url
    return url.split("?", 1)[1] if "?" in url else ""


def request_verdict(sdk_req, prepared):
    verdict = {"outcome": "request", "method": prepared.method, "query": _wire_query(prepared)}
    stages = {}
    if MODE == "v2":
        signature = sdk_req["query"].get("Signature")
        if signature is not None:
            stages["signature"] = signature
    else:
        headers = sorted(
            ([str(k).lower(), str(v)] for k, v in sdk_req["headers"].items() if v is not None),
            key=lambda kv: kv[0],
        )
        verdict["headers"] = headers
        body = sdk_req["body"]
        if body is None:
            body = ""
        elif isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        verdict["body"] = body
        authorization = next((v for k, v in headers if k == "authorization"), None)
        if authorization is not None:
            stages["authorization"] = authorization
            m = re.search(r"Signature=([^,\s]*)$", authorization)
            if m:
                stages["signature"] = m.group(1)
    if stages:
        verdict["stages"] = stages
    return verdict


# --------------------------------------------------------------------------------------
# kind: sign
# --------------------------------------------------------------------------------------


def handle_sign(env):
    inp = env.get("input") or {}
    algorithm = inp.get("algorithm", "HMAC-SHA1")
    if algorithm not in ("HMAC-SHA1", "ACS3-HMAC-SHA256"):
        return unsupported(f"signing algorithm {algorithm!r}: not one the protocol defines")
    if algorithm != ALGORITHM:
        other = "v2" if MODE == "v3" else "v3"
        return unsupported(
            f"mode {MODE} signs with {ALGORITHM} only; {algorithm} is the other mode ({other})"
        )
    if MODE == "v2":
        return sign_v1(inp)
    return sign_v3(inp)


def sign_v1(inp):
    """Utils.get_rpcsignature(signed_params, method, secret): the one V1 signing utility
    the SDK has. It returns the signature only; the canonical query and the string to
    sign stay inside it."""
    params = inp.get("params") or {}
    try:
        signature = Utils.get_rpcsignature(dict(params), inp.get("method"), inp.get("access_key_secret"))
    except Exception as exc:
        return reject_before_send(exc, "Utils.get_rpcsignature")
    return {"outcome": "signature", "signature": signature}


def sign_v3(inp):
    """Utils.get_authorization(request, sign_type, payload_hash, ak, secret) on a
    DaraRequest holding the given method, path, query and headers. It returns the
    Authorization value only."""
    if "payload_sha256" in inp and "body_base64" in inp:
        return unsupported("get_authorization takes one payload hash; the envelope gives two inputs")
    headers = inp.get("headers") or []
    if not all(isinstance(h, list) and len(h) == 2 for h in headers):
        return unsupported("the SDK's request headers are a dict: a header that is not a [name, value] pair cannot be expressed")
    names = [h[0] for h in headers]
    if len(set(names)) != len(names):
        return unsupported("the SDK's request headers are a dict: a name given twice cannot be expressed")
    try:
        request = DaraRequest()
        request.method = inp.get("method", "POST")
        request.pathname = inp.get("path")
        request.query = dict(inp.get("query") or {})
        request.headers = {name: value for name, value in headers}
        if "payload_sha256" in inp:
            payload = inp["payload_sha256"]
        else:
            body = base64.b64decode(inp.get("body_base64", ""))
            payload = Utils.hash(body, ALGORITHM).hex()
        authorization = Utils.get_authorization(
            request, ALGORITHM, payload, inp.get("access_key_id"), inp.get("access_key_secret")
        )
    except Exception as exc:
        return reject_before_send(exc, "Utils.get_authorization")
    verdict = {"outcome": "signature", "authorization": authorization}
    m = re.search(r"Signature=([^,\s]*)$", authorization or "")
    if m:
        verdict["signature"] = m.group(1)
    return verdict


# --------------------------------------------------------------------------------------
# kind: response
# --------------------------------------------------------------------------------------

# A well-formed call for the operation; only the answer matters here.
RESPONSE_CALL = {
    "AttachInstanceRamRole": {"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole", "InstanceIds": ["i-1"]},
    "DetachInstanceRamRole": {"RegionId": "cn-hangzhou", "InstanceIds": ["i-1"]},
    "DescribeInstanceRamRole": {"RegionId": "cn-hangzhou", "InstanceIds": ["i-1"]},
}
RESPONSE_SIGNING = {"access_key_id": "testid", "access_key_secret": "testsecret"}


def handle_response(env):
    op = env.get("operation") or "AttachInstanceRamRole"
    if op not in OPERATIONS:
        return unsupported(f"operation {op!r}: not one this adapter drives")
    exchange = env.get("http") or {}
    status = exchange.get("status")
    body = base64.b64decode(env.get("body_base64") or "")
    STATE.answer = (status, exchange.get("headers") or [], body)
    client = make_client(RESPONSE_SIGNING, DEFAULT_HOST)
    model = build_model(op, RESPONSE_CALL[op])
    try:
        response = call_operation(op, client, model)
    except tea_exceptions.AlibabaCloudException as exc:
        return service_error(exc)
    except Exception as exc:
        return response_failure(exc)
    if response.body is None:
        return reject(
            "unexpected_shape",
            "the SDK returned a response whose body model is None: the model's from_map failed and "
            "DaraCore.from_map swallowed the error, keeping only the raw map",
        )
    return {"outcome": "output", "value": response.body.to_map()}


def _undecorated_message(exc):
    """The SDK's `message` is f'code: {status}, {Message} request id: {RequestId}'; the
    verdict wants the service's Message, which is the middle part."""
    message = exc.message
    if not isinstance(message, str):
        return message
    prefix = f"code: {exc.status_code}, "
    suffix = f" request id: {exc.request_id}"
    if message.startswith(prefix) and message.endswith(suffix) and len(message) >= len(prefix) + len(suffix):
        return message[len(prefix) : len(message) - len(suffix)]
    return message


def service_error(exc):
    """The SDK's ClientException / ServerException / ThrottlingException, field by field.
    code, request_id and message are the SDK's own (it formats absent ones as 'None');
    host_id and recommend exist only in the exception's raw `data` map."""
    error = {"http_status": exc.status_code}
    if exc.code is not None:
        error["code"] = exc.code
    message = _undecorated_message(exc)
    if message is not None:
        error["message"] = message
    if exc.request_id is not None:
        error["request_id"] = exc.request_id
    data = exc.data if isinstance(exc.data, dict) else {}
    if data.get("HostId") is not None:
        error["host_id"] = data["HostId"]
    if data.get("Recommend") is not None:
        error["recommend"] = data["Recommend"]
    detail = getattr(exc, "accessDeniedDetail", None)
    if detail is not None:
        error["access_denied_detail"] = detail
    if isinstance(exc, tea_exceptions.ThrottlingException):
        retry = {"retryable": True, "after_ms": exc.retry_after}
    else:
        # The default client has no retry options: it retries nothing, and only a
        # ThrottlingException carries a wait hint.
        retry = {"retryable": len(STATE.wire) > 1, "after_ms": None}
    return {"outcome": "service_error", "error": error, "retry": retry}


def response_failure(exc):
    """The SDK raised something other than its service exceptions while reading the
    answer: map what it signals to the closest reject kind, and say so."""
    inner = unwrap(exc)
    status = (STATE.answer or (None,))[0]
    where = "reading a 2xx body" if isinstance(status, int) and 200 <= status < 300 else f"reading a {status} answer"
    msg = f"the SDK raised while {where}: {describe(exc)}"
    if isinstance(inner, requests.exceptions.RequestException):
        return unsupported(f"the SDK made a second request the adapter cannot answer: {describe(exc)}")
    if isinstance(inner, UnicodeDecodeError):
        return reject("malformed_body", msg)
    if isinstance(inner, RuntimeError) and "Failed to parse the value as json format" in str(inner):
        return reject("malformed_body", msg)
    if type(inner).__name__ == "ParseError":  # xml.etree.ElementTree.ParseError
        return reject("malformed_body", msg)
    if isinstance(inner, (AttributeError, TypeError, KeyError, IndexError)):
        return reject("unexpected_shape", msg)
    return reject("malformed_body", msg)


# --------------------------------------------------------------------------------------
# The loop
# --------------------------------------------------------------------------------------


def main():
    handlers = {"request": handle_request, "sign": handle_sign, "response": handle_response}
    serve(_VERDICTS, handlers, STATE.__init__)


if __name__ == "__main__":
    main()
