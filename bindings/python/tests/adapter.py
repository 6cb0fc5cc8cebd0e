"""Adapter protocol 1 (corpus/README.md) on the public API of the `ecs_ramrole` Python
package: every verdict is what `sign_request`, `encode_request`, `sign_params`,
`sign_v3`, `decode_response` and `verify_request` return or raise. The adapter only
moves envelope fields into arguments and results into verdicts; it computes nothing.

    python adapter.py              persistent mode: one envelope per line in, one verdict
                                   per line out (ecs-ramrole check --persistent)
    python adapter.py --oneshot    one envelope on stdin, one verdict on stdout

An envelope it cannot use (not JSON, no "protocol": 1, a response without a usable
status or body) gets `{"outcome": "unsupported", ...}` in the persistent mode and no
verdict (exit 2) in the one-shot mode.
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
from typing import Any, Dict, Optional

import ecs_ramrole as er

Verdict = Dict[str, Any]


class Unusable(Exception):
    """The envelope itself is unusable: no verdict."""


def unsupported(reason: str) -> Verdict:
    return {"outcome": "unsupported", "reason": reason}


def reject(e: er.Error) -> Verdict:
    return {"outcome": "reject", "reject_kind": e.kind, "message": str(e)}  # type: ignore[attr-defined]


def b64(text: Any, field: str) -> bytes:
    if text is None:
        return b""
    if not isinstance(text, str):
        raise Unusable(f"{field} is not a string")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as e:
        raise Unusable(f"{field} is not Base64: {e}") from None


def obj(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


# --- kind: request ----------------------------------------------------------------


def request(env: Dict[str, Any]) -> Verdict:
    operation = env.get("operation")
    if operation not in er.OPERATIONS:
        return unsupported(f"operation {operation!r} is not one of {er.OPERATIONS}")
    inp = obj(env.get("input"))
    params = inp.get("params")
    context = obj(inp.get("context"))
    signing = context.get("signing")
    # The context's options, as keyword arguments; an absent `format` is no Format.
    options = {"format": context.get("format")}
    if context.get("method") is not None:
        options["method"] = context["method"]
    try:
        if signing is None:
            placement = context.get("placement")
            if placement is not None and placement != "query":
                # encode_request has no placement: an unsigned request is V1-shaped, every
                # parameter in the query (a form body needs ACS3-HMAC-SHA256).
                return {
                    "outcome": "reject",
                    "reject_kind": "constraint_violation",
                    "message": f"placement {placement!r} needs a signed ACS3-HMAC-SHA256 request",
                }
            encoded = er.encode_request(operation, params, **options)
            return {
                "outcome": "request",
                "method": encoded.method,
                "query": encoded.query,
                "stages": {"canonical_query": encoded.query},
            }
        signing = obj(signing)
        algorithm = signing.get("algorithm")
        if isinstance(algorithm, str) and algorithm not in er.ALGORITHMS:
            return unsupported(f"algorithm {algorithm!r}: only {er.ALGORITHMS}")
        for name in ("host", "placement"):
            if context.get(name) is not None:
                options[name] = context[name]
        signed = er.sign_request(
            operation,
            params,
            access_key_id=signing.get("access_key_id"),
            access_key_secret=signing.get("access_key_secret"),
            timestamp=signing.get("timestamp"),
            nonce=signing.get("nonce"),
            algorithm=algorithm,
            security_token=signing.get("security_token"),
            **options,
        )
    except er.RequestError as e:
        return reject(e)
    verdict = {"outcome": "request", "method": signed.method, "query": signed.query}
    if signed.algorithm == "ACS3-HMAC-SHA256":
        verdict["headers"] = [list(h) for h in signed.headers]
        verdict["body"] = signed.body
    verdict["stages"] = signed.stages
    return verdict


# --- kind: sign -------------------------------------------------------------------


def sign(env: Dict[str, Any]) -> Verdict:
    inp = obj(env.get("input"))
    algorithm = inp.get("algorithm")
    try:
        if algorithm is None or algorithm == "HMAC-SHA1":
            stages = er.sign_params(inp.get("method"), inp.get("params"), inp.get("access_key_secret"))
        elif algorithm == "ACS3-HMAC-SHA256":
            body = None
            if inp.get("body_base64") is not None:
                try:
                    body = base64.b64decode(inp["body_base64"], validate=True)
                except (binascii.Error, ValueError, TypeError) as e:
                    return {
                        "outcome": "reject",
                        "reject_kind": "constraint_violation",
                        "message": f"body_base64 is not Base64: {e}",
                    }
            stages = er.sign_v3(
                inp.get("method"),
                inp.get("path"),
                inp.get("query"),
                inp.get("headers"),
                access_key_id=inp.get("access_key_id"),
                access_key_secret=inp.get("access_key_secret"),
                payload_sha256=inp.get("payload_sha256"),
                body=body,
            )
        else:
            return unsupported(f"algorithm {algorithm!r}")
    except er.RequestError as e:
        return reject(e)
    return {"outcome": "signature", **stages}


# --- kind: response ---------------------------------------------------------------


def service_error(e: er.ServiceError) -> Dict[str, Any]:
    error: Dict[str, Any] = {"http_status": e.http_status}
    for key in ("code", "message", "request_id", "host_id", "recommend", "access_denied_detail"):
        value = getattr(e, key)
        if value is not None:
            error[key] = value
    return error


def response(env: Dict[str, Any]) -> Verdict:
    operation = env.get("operation")
    if operation not in er.OPERATIONS:
        return unsupported(f"operation {operation!r} is not one of {er.OPERATIONS}")
    http = env.get("http")
    if not isinstance(http, dict):
        raise Unusable("http is missing")
    status = http.get("status")
    if not isinstance(status, int) or isinstance(status, bool):
        raise Unusable("http.status is not an HTTP status")
    body = b64(env.get("body_base64"), "body_base64")
    fmt = env.get("format", env.get("requested_format"))
    try:
        value = er.decode_response(operation, status, http.get("headers") or [], body, fmt)
    except er.ServiceError as e:
        return {
            "outcome": "service_error",
            "error": service_error(e),
            "retry": {"retryable": e.retryable, "after_ms": e.retry_after_ms},
        }
    except er.DecodeError as e:
        return reject(e)
    except er.RequestError as e:
        # The envelope's status, headers or format were not usable arguments.
        raise Unusable(str(e)) from None
    return {"outcome": "output", "value": value}


# --- kind: incoming ---------------------------------------------------------------


def incoming(env: Dict[str, Any]) -> Verdict:
    inp = env.get("input")
    if not isinstance(inp, dict):
        raise Unusable("input is missing or not an object")
    body = b64(inp.get("body_base64"), "input.body_base64")
    try:
        accepted = er.verify_request(
            inp.get("method") or "POST",
            inp.get("path") or "/",
            inp.get("query") or "",
            inp.get("headers") or [],
            body,
            inp.get("credentials") or {},
        )
    except er.ServiceError as e:
        error: Dict[str, Any] = {"http_status": e.http_status, "code": e.code}
        if e.server_string_to_sign is not None:
            error["server_string_to_sign"] = e.server_string_to_sign
        return {"outcome": "service_error", "error": error}
    except er.RequestError as e:
        raise Unusable(str(e)) from None
    return {
        "outcome": "accepted",
        "operation": accepted["operation"],
        "signature_version": accepted["signature_version"],
        "params": accepted["params"],
    }


KINDS = {"request": request, "sign": sign, "response": response, "incoming": incoming}


def handle(line: str) -> Optional[Verdict]:
    """One verdict, or None for an unusable envelope."""
    try:
        env = json.loads(line)
    except ValueError:
        return None
    if not isinstance(env, dict) or env.get("protocol") != 1 or isinstance(env.get("protocol"), bool):
        return None
    kind = env.get("kind")
    if kind is None:
        return None
    if kind not in KINDS:
        return unsupported(f"kind {kind!r} is not implemented")
    try:
        return KINDS[kind](env)
    except Unusable:
        return None


def main() -> int:
    out = sys.stdout
    if "--oneshot" in sys.argv[1:]:
        verdict = handle(sys.stdin.read())
        if verdict is None:
            print("adapter.py: unusable envelope", file=sys.stderr)
            return 2
        out.write(json.dumps(verdict, ensure_ascii=False) + "\n")
        return 0
    for line in sys.stdin:
        verdict = handle(line)
        if verdict is None:
            verdict = unsupported("unusable envelope")
        out.write(json.dumps(verdict, ensure_ascii=False) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
