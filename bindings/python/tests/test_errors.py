"""Errors: the hierarchy, every RequestError kind with the parameter it names, the
service's errors, decode errors with their positions, wrong types, missing keyword
arguments, oversized bodies, and a Rust panic surfacing as ecs_ramrole.Error."""

from __future__ import annotations

import pickle
from typing import Any, Dict

import pytest

import ecs_ramrole as er
from conftest import case, case_body, cases_of

ATTACH = {"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole", "InstanceIds": ["i-1"]}
SIGNING: Dict[str, Any] = dict(
    access_key_id="testid", access_key_secret="testsecret",
    timestamp="2016-02-23T12:46:24Z", nonce="3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
)


def test_hierarchy() -> None:
    assert issubclass(er.Error, Exception)
    for cls in (er.RequestError, er.ServiceError, er.DecodeError):
        assert issubclass(cls, er.Error)
    assert issubclass(er.RequestError, ValueError)
    assert issubclass(er.DecodeError, ValueError)
    assert er.RequestError.__module__ == "ecs_ramrole"


def request_error(params: Dict[str, Any], operation: str = "AttachInstanceRamRole", **signing: Any) -> er.RequestError:
    with pytest.raises(er.RequestError) as raised:
        er.sign_request(operation, params, **{**SIGNING, **signing})
    return raised.value


@pytest.mark.parametrize(
    "change, kind, parameter",
    [
        ({"RegionId": None}, "missing_required", "RegionId"),
        ({"InstanceIds": None}, "missing_required", "InstanceIds"),
        ({"RamRoleName": None}, "missing_required", "RamRoleName"),
        ({"RegionId": ""}, "constraint_violation", "RegionId"),
        ({"ResourceOwnerAccount": ""}, "constraint_violation", "ResourceOwnerAccount"),
        ({"RegionId": 1}, "type_mismatch", "RegionId"),
        ({"RamRoleName": b"EcsRole"}, "type_mismatch", "RamRoleName"),
        ({"InstanceIds": {"i-1": 1}}, "type_mismatch", "InstanceIds"),
        ({"InstanceIds": [1]}, "type_mismatch", "InstanceIds"),
        ({"InstanceIds": 7}, "type_mismatch", "InstanceIds"),
        ({"InstanceIds": []}, "constraint_violation", "InstanceIds"),
        ({"InstanceIds": [f"i-{n}" for n in range(101)]}, "constraint_violation", "InstanceIds"),
        ({"InstanceIds": ["i-1", ""]}, "constraint_violation", "InstanceIds"),
        ({"InstanceIds": "i-1"}, "constraint_violation", "InstanceIds"),
        ({"InstanceIds": '["i-1", 2]'}, "constraint_violation", "InstanceIds"),
        ({"Policy": ""}, "constraint_violation", "Policy"),
        ({"Policy": "x" * 1025}, "constraint_violation", "Policy"),
        ({"OwnerId": "1"}, "type_mismatch", "OwnerId"),
        ({"OwnerId": -1}, "type_mismatch", "OwnerId"),
        ({"OwnerId": 2**63}, "type_mismatch", "OwnerId"),
        ({"OwnerId": 1.0}, "type_mismatch", "OwnerId"),
        ({"OwnerId": True}, "type_mismatch", "OwnerId"),
        ({"PageSize": 10}, "constraint_violation", "PageSize"),
        ({"Unknown": "x"}, "constraint_violation", "Unknown"),
    ],
)
def test_request_parameter_errors(change: Dict[str, Any], kind: str, parameter: str) -> None:
    params = {**ATTACH, **change}
    e = request_error(params)
    assert (e.kind, e.parameter) == (kind, parameter), str(e)
    assert parameter in str(e)


def test_policy_is_not_a_detach_parameter() -> None:
    e = request_error({"RegionId": "r", "InstanceIds": ["i-1"], "Policy": "{}"}, "DetachInstanceRamRole")
    assert (e.kind, e.parameter) == ("constraint_violation", "Policy")


def test_describe_needs_instances_or_a_role() -> None:
    e = request_error({"RegionId": "r"}, "DescribeInstanceRamRole")
    assert e.kind == "constraint_violation"
    e = request_error({"RegionId": "r", "RamRoleName": "R", "PageSize": 51}, "DescribeInstanceRamRole")
    assert (e.kind, e.parameter) == ("constraint_violation", "PageSize")
    ok = er.sign_request("DescribeInstanceRamRole", {"RegionId": "r", "RamRoleName": "R", "PageSize": 50}, **SIGNING)
    assert "PageSize=50" in ok.query


def test_raw_instance_ids_error_has_an_offset() -> None:
    e = request_error({**ATTACH, "InstanceIds": '["i-1",]'})
    assert e.parameter == "InstanceIds" and isinstance(e.offset, int) and e.offset > 0


@pytest.mark.parametrize(
    "signing, kind, parameter",
    [
        ({"access_key_id": None}, "missing_required", "access_key_id"),
        ({"access_key_secret": None}, "missing_required", "access_key_secret"),
        ({"timestamp": None}, "missing_required", "timestamp"),
        ({"nonce": None}, "missing_required", "nonce"),
        ({"access_key_id": ""}, "constraint_violation", "access_key_id"),
        ({"access_key_secret": ""}, "constraint_violation", "access_key_secret"),
        ({"nonce": ""}, "constraint_violation", "nonce"),
        ({"security_token": ""}, "constraint_violation", "security_token"),
        ({"timestamp": "2016-02-23 12:46:24"}, "constraint_violation", "timestamp"),
        ({"timestamp": "2016-02-30T12:46:24Z"}, "constraint_violation", "timestamp"),
        ({"timestamp": "2016-02-23T24:00:00Z"}, "constraint_violation", "timestamp"),
        ({"access_key_id": 12}, "type_mismatch", "access_key_id"),
        ({"nonce": 7}, "type_mismatch", "nonce"),
        ({"method": "PUT"}, "constraint_violation", "method"),
        ({"method": "post"}, "constraint_violation", "method"),
        ({"format": "json"}, "constraint_violation", "format"),
        ({"format": 1}, "type_mismatch", "format"),
        ({"algorithm": "HMAC-SHA256"}, "constraint_violation", "algorithm"),
        ({"placement": "body"}, "constraint_violation", "placement"),
        ({"placement": "header"}, "constraint_violation", "placement"),
        ({"algorithm": "ACS3-HMAC-SHA256", "method": "GET", "placement": "body"},
         "constraint_violation", "placement"),
        ({"algorithm": "ACS3-HMAC-SHA256", "host": ""}, "constraint_violation", "host"),
        ({"algorithm": "ACS3-HMAC-SHA256", "host": "a b"}, "constraint_violation", "host"),
    ],
)
def test_signing_input_errors(signing: Dict[str, Any], kind: str, parameter: str) -> None:
    e = request_error(ATTACH, **signing)
    assert (e.kind, e.parameter) == (kind, parameter), str(e)


@pytest.mark.parametrize(
    "operation, kind",
    [("RunInstances", "constraint_violation"), ("attachinstanceramrole", "constraint_violation"),
     (None, "type_mismatch"), (3, "type_mismatch")],
)
def test_unknown_operation(operation: Any, kind: str) -> None:
    with pytest.raises(er.RequestError) as raised:
        er.encode_request(operation, ATTACH)
    assert (raised.value.kind, raised.value.parameter) == (kind, "operation")


def test_params_must_be_a_mapping() -> None:
    for params in ([("RegionId", "r")], "RegionId=r", 5):
        with pytest.raises(er.RequestError) as raised:
            er.encode_request("AttachInstanceRamRole", params)
        assert (raised.value.kind, raised.value.parameter) == ("type_mismatch", "params")
    with pytest.raises(er.RequestError) as raised:
        er.encode_request("AttachInstanceRamRole", {1: "x"})
    assert raised.value.kind == "type_mismatch"


def test_missing_or_unknown_keyword_arguments_are_type_errors() -> None:
    signing = dict(SIGNING)
    del signing["nonce"]
    with pytest.raises(TypeError, match="nonce"):
        er.sign_request("AttachInstanceRamRole", ATTACH, **signing)
    with pytest.raises(TypeError, match="colour"):
        er.sign_request("AttachInstanceRamRole", ATTACH, colour="red", **SIGNING)
    with pytest.raises(TypeError):
        er.sign_request("AttachInstanceRamRole", ATTACH, "testid", **SIGNING)  # type: ignore[misc]
    with pytest.raises(TypeError, match="access_key_id"):
        er.sign_v3("GET", "/", {}, [], access_key_secret="s")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        er.decode_response("AttachInstanceRamRole", 200, [])  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "args, kind, parameter",
    [
        (("PUT", {"a": "b"}, "s"), "constraint_violation", "method"),
        (("GET", {"Signature": "x"}, "s"), "constraint_violation", "Signature"),
        (("GET", {"a": 1}, "s"), "type_mismatch", "a"),
        (("GET", {"a": "b"}, ""), "constraint_violation", "access_key_secret"),
        (("GET", {"a": "b"}, None), "missing_required", "access_key_secret"),
        (("GET", 3, "s"), "type_mismatch", "params"),
    ],
)
def test_sign_params_errors(args: Any, kind: str, parameter: str) -> None:
    with pytest.raises(er.RequestError) as raised:
        er.sign_params(*args)
    assert (raised.value.kind, raised.value.parameter) == (kind, parameter)


def test_sign_params_signs_empty_values_and_anything_else_as_given() -> None:
    stages = er.sign_params("POST", {"Empty": "", "x y": "a+b"}, "s")
    assert stages["canonical_query"] == "Empty=&x%20y=a%2Bb"


@pytest.mark.parametrize(
    "kwargs, kind, parameter",
    [
        ({"headers": [("Authorization", "x")]}, "constraint_violation", "headers"),
        ({"payload_sha256": "E3B0"}, "constraint_violation", "payload_sha256"),
        ({"payload_sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "body": b""},
         "constraint_violation", "payload_sha256"),
        ({"access_key_id": ""}, "constraint_violation", "access_key_id"),
        ({"access_key_id": None}, "missing_required", "access_key_id"),
        ({"access_key_secret": None}, "missing_required", "access_key_secret"),
        ({"headers": [("host", 1)]}, "type_mismatch", "host"),
        ({"headers": [("host",)]}, "type_mismatch", "headers"),
        ({"query": {"a": 1}}, "type_mismatch", "a"),
        ({"method": "DELETE"}, "constraint_violation", "method"),
        ({"body": 12}, "type_mismatch", "body"),
    ],
)
def test_sign_v3_errors(kwargs: Dict[str, Any], kind: str, parameter: str) -> None:
    args = {"method": "POST", "path": "/", "query": {}, "headers": [("host", "h")],
            "access_key_id": "id", "access_key_secret": "s", **kwargs}
    with pytest.raises(er.RequestError) as raised:
        er.sign_v3(args.pop("method"), args.pop("path"), args.pop("query"), args.pop("headers"), **args)
    assert (raised.value.kind, raised.value.parameter) == (kind, parameter)


# --- decode_response ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, kind, parameter",
    [
        (("AttachInstanceRamRole", "200", [], b"{}"), "type_mismatch", "status"),
        (("AttachInstanceRamRole", True, [], b"{}"), "type_mismatch", "status"),
        (("AttachInstanceRamRole", 1000, [], b"{}"), "constraint_violation", "status"),
        (("AttachInstanceRamRole", -200, [], b"{}"), "constraint_violation", "status"),
        (("AttachInstanceRamRole", 200, 5, b"{}"), "type_mismatch", "headers"),
        (("AttachInstanceRamRole", 200, [("content-type", None)], b"{}"), "type_mismatch", "content-type"),
        (("AttachInstanceRamRole", 200, [], 12), "type_mismatch", "body"),
        (("AttachInstanceRamRole", 200, [], None), "type_mismatch", "body"),
        (("RunInstances", 200, [], b"{}"), "constraint_violation", "operation"),
        (("AttachInstanceRamRole", 200, [], b"{}", "yaml"), "constraint_violation", "format"),
    ],
)
def test_decode_response_argument_errors(args: Any, kind: str, parameter: str) -> None:
    with pytest.raises(er.RequestError) as raised:
        er.decode_response(*args)
    assert (raised.value.kind, raised.value.parameter) == (kind, parameter)


def test_every_corpus_reject_is_a_decode_error_of_its_kind() -> None:
    seen = set()
    for c in cases_of("response"):
        expect = c["expect"]
        if expect["outcome"] != "reject":
            continue
        body = case_body(c["id"])
        with pytest.raises(er.DecodeError) as raised:
            er.decode_response(c["operation"], c["http"]["status"], c["http"]["headers"], body, c.get("format"))
        e = raised.value
        assert e.kind in expect["reject_kind"], c["id"]
        assert 0 <= e.offset <= len(body) and e.line >= 1 and e.column >= 1
        seen.add(e.kind)
    assert {"malformed_body", "unexpected_shape", "type_mismatch", "forbidden_construct"} <= seen


def test_decode_error_position() -> None:
    body = b'{"RequestId": "R",\n "TotalCount": "three"}'
    with pytest.raises(er.DecodeError) as raised:
        er.decode_response("AttachInstanceRamRole", 200, [("Content-Type", "application/json")], body)
    e = raised.value
    assert (e.kind, e.field, e.line) == ("type_mismatch", "TotalCount", 2)
    start = body.index(b'"three"')
    assert start <= e.offset <= start + len(b'"three"')  # inside the value
    assert e.column == e.offset - body.index(b"\n")


def test_oversized_body_is_a_decode_error_not_a_crash() -> None:
    body = b'{"RequestId":"' + b"a" * (8 * 1024 * 1024) + b'"}'
    with pytest.raises(er.DecodeError) as raised:
        er.decode_response("AttachInstanceRamRole", 200, [], body)
    assert raised.value.kind == "limit_exceeded"
    # As an error body it is the status alone.
    with pytest.raises(er.ServiceError) as service:
        er.decode_response("AttachInstanceRamRole", 503, [], body)
    assert (service.value.http_status, service.value.code, service.value.retryable) == (503, None, True)


def test_any_non_2xx_is_a_service_error_even_unreadable() -> None:
    for status, body in ((502, b"<html>Bad Gateway</html>"), (404, b""), (302, b"\xff\xfe"), (400, b"{")):
        with pytest.raises(er.ServiceError) as raised:
            er.decode_response("DetachInstanceRamRole", status, [], body)
        assert raised.value.http_status == status


def test_service_error_from_every_corpus_case() -> None:
    for c in cases_of("response"):
        expect = c["expect"]
        if expect["outcome"] != "service_error":
            continue
        with pytest.raises(er.ServiceError) as raised:
            er.decode_response(c["operation"], c["http"]["status"], c["http"]["headers"],
                               case_body(c["id"]), c.get("format"))
        e = raised.value
        got = {k: getattr(e, k) for k in ("http_status", "code", "message", "request_id",
                                           "host_id", "recommend", "access_denied_detail")}
        assert {k: v for k, v in got.items() if v is not None} == expect["error"], c["id"]
        if "retry" in expect:
            assert (e.retryable, e.retry_after_ms) == (expect["retry"]["retryable"], expect["retry"]["after_ms"])


# --- verify_request -------------------------------------------------------------------------


def test_verify_request_answers_with_the_services_codes() -> None:
    import base64

    for c in cases_of("incoming"):
        expect = c["expect"]
        if expect["outcome"] != "service_error":
            continue
        inp = c["input"]
        with pytest.raises(er.ServiceError) as raised:
            er.verify_request(inp.get("method", "POST"), inp.get("path", "/"), inp.get("query", ""),
                              inp.get("headers", []), base64.b64decode(inp.get("body_base64", "")),
                              inp["credentials"])
        e = raised.value
        assert (e.http_status, e.code) == (expect["error"]["http_status"], expect["error"]["code"]), c["id"]
        assert e.server_string_to_sign == expect["error"].get("server_string_to_sign")
        assert e.message  # the service's message, for the body a mock server sends


def test_verify_request_argument_errors() -> None:
    good = ("POST", "/", "", [], b"", {"id": "secret"})
    for index, bad, parameter in ((0, 1, "method"), (2, None, "query"), (3, 7, "headers"),
                                  (4, 1.5, "body"), (5, {"id": ""}, "credentials"),
                                  (5, {"id": 3}, "credentials"), (5, 3, "credentials")):
        args = list(good)
        args[index] = bad
        with pytest.raises(er.RequestError) as raised:
            er.verify_request(*args)
        assert raised.value.parameter == parameter, (index, bad)


def test_verify_request_credentials_callable_errors_propagate() -> None:
    signed = er.sign_request("AttachInstanceRamRole", ATTACH, **SIGNING)
    args = (signed.method, "/", signed.query, signed.headers, signed.body)

    def broken(key_id: str) -> str:
        raise KeyError(key_id)

    with pytest.raises(KeyError):
        er.verify_request(*args, broken)
    with pytest.raises(TypeError):
        er.verify_request(*args, lambda key_id: 5)
    assert er.verify_request(*args, lambda key_id: "testsecret")["operation"] == "AttachInstanceRamRole"
    with pytest.raises(er.ServiceError) as raised:
        er.verify_request(*args, lambda key_id: None)
    assert raised.value.code == "InvalidAccessKeyId.NotFound"


# --- panics, pickling ---------------------------------------------------------------------


def test_a_rust_panic_is_an_ecs_ramrole_error() -> None:
    with pytest.raises(er.Error) as raised:
        er._native._panic_for_tests()  # type: ignore[attr-defined]
    assert type(raised.value) is er.Error
    assert "internal error" in str(raised.value)


def test_exceptions_pickle_with_their_attributes() -> None:
    e = request_error({**ATTACH, "RegionId": 5})
    back = pickle.loads(pickle.dumps(e))
    assert (type(back), back.kind, back.parameter, str(back)) == (er.RequestError, e.kind, e.parameter, str(e))
    c = case("response/error/json/y_access_denied_detail")
    with pytest.raises(er.ServiceError) as raised:
        er.decode_response(c["operation"], c["http"]["status"], c["http"]["headers"], case_body(c["id"]))
    back = pickle.loads(pickle.dumps(raised.value))
    assert back.__dict__ == raised.value.__dict__ and str(back) == str(raised.value)
