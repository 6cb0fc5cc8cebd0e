"""No crash on junk: random bytes into decode_response, random strings into
verify_request, random parameters into sign_request. Each returns its value or raises
one of this package's errors, never anything else, and the interpreter survives."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ecs_ramrole as er
from conftest import case_body, cases_of

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CONTENT_TYPES = st.sampled_from(
    [None, "application/json", "text/xml;charset=UTF-8", "text/html", "application/octet-stream", ""]
)
CORPUS_BODIES = [case_body(c["id"]) for c in cases_of("response")]


def decode(operation: str, status: int, content_type: Any, body: bytes, fmt: Any) -> None:
    headers = [] if content_type is None else [("Content-Type", content_type)]
    try:
        value = er.decode_response(operation, status, headers, body, fmt)
    except er.ServiceError as e:
        assert not 200 <= status <= 299
        assert e.http_status == status
    except er.DecodeError as e:
        assert 200 <= status <= 299
        assert 0 <= e.offset <= len(body) and e.line >= 1 and e.column >= 1
    else:
        assert 200 <= status <= 299 and isinstance(value, dict)


@SETTINGS
@given(
    operation=st.sampled_from(["AttachInstanceRamRole", "DetachInstanceRamRole", "DescribeInstanceRamRole"]),
    status=st.sampled_from([200, 204, 299, 302, 400, 403, 404, 429, 500, 503]),
    content_type=CONTENT_TYPES,
    body=st.binary(max_size=2048),
    fmt=st.sampled_from([None, "json", "xml"]),
)
@example("AttachInstanceRamRole", 200, None, b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", None)
@example("AttachInstanceRamRole", 200, "application/json", b"[" * 100_000, None)
@example("AttachInstanceRamRole", 200, "text/xml", b"<a>" * 100_000, None)
def test_random_bytes_never_crash_decode_response(
    operation: str, status: int, content_type: Any, body: bytes, fmt: Any
) -> None:
    decode(operation, status, content_type, body, fmt)


@SETTINGS
@given(
    index=st.integers(min_value=0, max_value=len(CORPUS_BODIES) - 1),
    cuts=st.lists(st.tuples(st.integers(min_value=0, max_value=4096), st.binary(max_size=8)), max_size=4),
    status=st.sampled_from([200, 400]),
    content_type=CONTENT_TYPES,
)
def test_mutated_corpus_bodies_never_crash_decode_response(
    index: int, cuts: Any, status: int, content_type: Any
) -> None:
    body = bytearray(CORPUS_BODIES[index])
    for at, junk in cuts:
        at = min(at, len(body))
        body[at:at + len(junk)] = junk
    decode("DetachInstanceRamRole", status, content_type, bytes(body), None)


TEXT = st.text(max_size=200)
QUERYISH = st.lists(
    st.tuples(
        st.sampled_from(["Action", "Version", "Signature", "AccessKeyId", "SignatureMethod",
                         "SignatureVersion", "SignatureNonce", "Timestamp", "RegionId",
                         "InstanceIds", "RamRoleName", "Format", "OwnerId"]) | TEXT,
        TEXT,
    ),
    max_size=12,
).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
HEADERS = st.lists(
    st.tuples(
        st.sampled_from(["authorization", "host", "x-acs-action", "x-acs-version", "x-acs-date",
                         "x-acs-signature-nonce", "x-acs-content-sha256", "content-type"]) | TEXT,
        TEXT,
    ),
    max_size=8,
)


@SETTINGS
@given(method=TEXT | st.sampled_from(["GET", "POST"]), path=TEXT, query=QUERYISH | TEXT,
       headers=HEADERS, body=st.binary(max_size=512) | TEXT)
@example("POST", "/", "%", [], b"")
@example("POST", "/", "Action=AttachInstanceRamRole&Action=AttachInstanceRamRole", [], b"")
@example("POST", "/", "", [("authorization", "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=,Signature=")], b"")
@example("POST", "/", "", [("content-type", "application/x-www-form-urlencoded")], b"\xff%zz&&==")
def test_random_strings_never_crash_verify_request(method: str, path: str, query: str, headers: Any, body: Any) -> None:
    try:
        got = er.verify_request(method, path, query, headers, body, {"testid": "testsecret"})
    except er.ServiceError as e:
        assert 400 <= e.http_status <= 599 and e.code
    else:  # junk that verifies would be a forged signature
        raise AssertionError(f"accepted: {got}")


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT | st.binary(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
NAMES = st.sampled_from(["RegionId", "RamRoleName", "InstanceIds", "Policy", "OwnerId",
                         "ResourceOwnerId", "ResourceOwnerAccount", "PageSize"]) | TEXT


@SETTINGS
@given(
    operation=st.sampled_from(["AttachInstanceRamRole", "DetachInstanceRamRole", "DescribeInstanceRamRole"]),
    params=st.dictionaries(NAMES, VALUES, max_size=6),
    algorithm=st.sampled_from(["HMAC-SHA1", "ACS3-HMAC-SHA256"]),
    timestamp=st.sampled_from(["2016-02-23T12:46:24Z"]) | TEXT,
)
def test_random_parameters_never_crash_sign_request(operation: str, params: Any, algorithm: str, timestamp: str) -> None:
    try:
        signed = er.sign_request(operation, params, access_key_id="testid", access_key_secret="testsecret",
                                 timestamp=timestamp, nonce="n", algorithm=algorithm)
    except er.RequestError as e:
        assert e.kind in ("missing_required", "constraint_violation", "type_mismatch")
        return
    # What it signed, the server side accepts with the same parameters.
    assert_round_trip(signed, operation, params)


def assert_round_trip(signed: Any, operation: str, params: Any) -> None:
    got = er.verify_request(signed.method, "/", signed.query, signed.headers, signed.body, {"testid": "testsecret"})
    assert got["operation"] == operation
    expected = {k: v for k, v in params.items() if v is not None}
    ids = expected.get("InstanceIds")
    if isinstance(ids, str):
        expected["InstanceIds"] = json.loads(ids)
    elif ids is not None:
        expected["InstanceIds"] = list(ids)
    assert got["params"] == expected


NONEMPTY = st.text(min_size=1, max_size=40)


@SETTINGS
@given(
    params=st.fixed_dictionaries(
        {"RegionId": NONEMPTY, "RamRoleName": NONEMPTY,
         "InstanceIds": st.lists(NONEMPTY, min_size=1, max_size=5) | st.lists(NONEMPTY, min_size=1, max_size=5).map(json.dumps)},
        optional={"Policy": NONEMPTY, "OwnerId": st.integers(0, 2**63 - 1),
                  "ResourceOwnerId": st.integers(0, 2**63 - 1), "ResourceOwnerAccount": NONEMPTY},
    ),
    algorithm=st.sampled_from(["HMAC-SHA1", "ACS3-HMAC-SHA256"]),
    method=st.sampled_from(["GET", "POST"]),
    body=st.booleans(),
    token=st.none() | NONEMPTY,
)
def test_any_valid_request_signs_and_verifies(params: Any, algorithm: str, method: str, body: bool, token: Any) -> None:
    placement = "body" if body and algorithm != "HMAC-SHA1" and method == "POST" else "query"
    signed = er.sign_request("AttachInstanceRamRole", params, access_key_id="testid", access_key_secret="testsecret",
                             timestamp="2016-02-23T12:46:24Z", nonce="n", algorithm=algorithm, method=method,
                             placement=placement, security_token=token)
    assert_round_trip(signed, "AttachInstanceRamRole", params)
