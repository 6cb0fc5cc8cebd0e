"""Signing, encoding, decoding and verifying against values from the documents
(../shared/reference/protocol.md: the documented examples and the official SDKs' test
vectors) and from the corpus's own expectations: never values this package computed."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Dict

import pytest

import ecs_ramrole as er
from conftest import case, case_body

# --- V1: protocol.md section 2.2, the documented DescribeRegions example ---------------

DESCRIBE_REGIONS = {
    "AccessKeyId": "testid",
    "Action": "DescribeRegions",
    "Format": "XML",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0",
    "Timestamp": "2016-02-23T12:46:24Z",
    "Version": "2014-05-26",
}


def test_v1_documented_example_every_stage() -> None:
    stages = er.sign_params("GET", DESCRIBE_REGIONS, "testsecret")
    assert stages == {
        "canonical_query": "AccessKeyId=testid&Action=DescribeRegions&Format=XML"
        "&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
        "&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26",
        "string_to_sign": "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions"
        "%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
        "signature": "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    }


def test_v1_params_as_pairs_in_any_order() -> None:
    pairs = list(reversed(list(DESCRIBE_REGIONS.items())))
    assert er.sign_params("GET", pairs, "testsecret")["signature"] == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


# --- V1: protocol.md section 2.3, the official SDKs' own test vectors -----------------

GO_COMPOSER = {
    "Version": "",
    "Action": "",
    "Format": "JSON",
    "Timestamp": "mock date",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureVersion": "1.0",
    "SignatureType": "",
    "SignatureNonce": "MOCK_UUID",
    "AccessKeyId": "accessKeyId",
    "RegionId": "regionId",
}


@pytest.mark.parametrize(
    "params, secret, signature",
    [
        (GO_COMPOSER, "accessKeySecret", "7loPmFjvDnzOVnQeQNj85S6nFGY="),
        (dict(GO_COMPOSER, SecurityToken="accessKeyStsToken"), "accessKeySecret",
         "5Nxdcler+ihqWqv0Hr2On4PsBf4="),
        ({"query": "test", "body": "test"}, "secret", "XlUyV4sXjOuX5FnjUz9IF9tm5rU="),
        ({"SignatureVersion": "1.0", "Format": "JSON",
          "Timestamp": "7e1c7d12-7551-4856-8abb-1938ccac6bcc", "AccessKeyId": "access_key_id",
          "SignatureMethod": "HMAC-SHA1", "SignatureType": "",
          "SignatureNonce": "2018-12-04T04:03:12Z"},
         "access_key_secret", "5AYPtZduFYvj3ETTIQlivGqL7Ic="),
    ],
    ids=["go-composer", "go-composer-sts", "openapi-util", "python-core"],
)
def test_v1_sdk_vectors(params: Dict[str, str], secret: str, signature: str) -> None:
    assert er.sign_params("GET", params, secret)["signature"] == signature


def test_v1_go_string_to_sign_rules() -> None:
    assert er.sign_params("GET", {}, "s")["string_to_sign"] == "GET&%2F&"
    assert er.sign_params("GET", {"key": "value"}, "s")["string_to_sign"] == "GET&%2F&key%3Dvalue"
    sts = er.sign_params("GET", {"q": "http://domain/?q=value&q2=value2"}, "s")["string_to_sign"]
    assert sts.endswith("q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2")


# --- V3: protocol.md sections 3.4 and 3.5 ---------------------------------------------

RUN_INSTANCES_HEADERS = [
    ("host", "ecs.cn-shanghai.aliyuncs.com"),
    ("x-acs-action", "RunInstances"),
    ("x-acs-version", "2014-05-26"),
    ("x-acs-date", "2023-10-26T10:22:32Z"),
    ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
    ("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
]
RUN_INSTANCES_QUERY = {
    "ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
    "RegionId": "cn-shanghai",
}


def test_v3_documented_example_every_stage() -> None:
    stages = er.sign_v3(
        "POST", "/", RUN_INSTANCES_QUERY, RUN_INSTANCES_HEADERS,
        access_key_id="YourAccessKeyId", access_key_secret="YourAccessKeySecret",
    )
    assert stages["canonical_request"] == (
        "POST\n/\n"
        "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
        "host:ecs.cn-shanghai.aliyuncs.com\n"
        "x-acs-action:RunInstances\n"
        "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
        "x-acs-date:2023-10-26T10:22:32Z\n"
        "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n"
        "x-acs-version:2014-05-26\n"
        "\n"
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert stages["hashed_canonical_request"] == (
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    )
    assert stages["string_to_sign"] == (
        "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    )
    assert stages["signature"] == "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    assert stages["authorization"] == (
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;"
        "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    )


def test_v3_openapi_util_vector() -> None:
    stages = er.sign_v3(
        "GET", "", {"test": "ok", "empty": ""}, [("x-acs-test", "http"), ("x-acs-TEST", "https")],
        access_key_id="acesskey", access_key_secret="secret",
        payload_sha256="55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
    )
    assert stages["authorization"] == (
        "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,"
        "Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1"
    )
    lines = stages["canonical_request"].split("\n")
    assert lines[1] == "/" and lines[2] == "empty=&test=ok" and lines[3] == "x-acs-test:http,https"


def test_v3_canonical_query_encoding() -> None:
    stages = er.sign_v3("GET", "/", {"test": " ~/*-+"}, [], access_key_id="a", access_key_secret="s")
    assert stages["canonical_request"].split("\n")[2] == "test=%20~%2F%2A-%2B"


def test_v3_form_body_vector() -> None:
    body = b"ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
    headers = [h for h in RUN_INSTANCES_HEADERS if h[0] != "x-acs-content-sha256"] + [
        ("x-acs-content-sha256", "9c4a9acc5fc770697f4d65ec4a1c94c4d90db5f295b17995d6006365717ecffd"),
        ("content-type", "application/x-www-form-urlencoded"),
    ]
    stages = er.sign_v3("POST", "/", {}, headers, access_key_id="YourAccessKeyId",
                        access_key_secret="YourAccessKeySecret", body=body)
    assert stages["authorization"].endswith(
        "SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;"
        "x-acs-signature-nonce;x-acs-version,"
        "Signature=71fd26c61c5e04e0f714de615e1d19fbd530fc3d7badaf407783a018453889c8"
    )
    # The body's hash, given instead of the body, signs the same.
    by_hash = er.sign_v3("POST", "/", {}, headers, access_key_id="YourAccessKeyId",
                         access_key_secret="YourAccessKeySecret",
                         payload_sha256=hashlib.sha256(body).hexdigest())
    assert by_hash == stages


# --- Requests: the corpus's expected wire form -----------------------------------------


def call_for(c: Dict[str, Any]) -> Any:
    """sign_request / encode_request with a request case's input, as a caller writes it."""
    inp = c["input"]
    ctx = inp.get("context", {})
    signing = ctx.get("signing")
    options = {"format": ctx.get("format")}
    for key in ("method", "host", "placement"):
        if key in ctx:
            options[key] = ctx[key]
    if signing is None:
        return er.encode_request(c["operation"], inp["params"], **options)
    return er.sign_request(c["operation"], inp["params"], **signing, **options)


@pytest.mark.parametrize(
    "case_id",
    [
        "request/AttachInstanceRamRole/y_doc_example",
        "request/AttachInstanceRamRole/y_v3_post_query",
        "request/AttachInstanceRamRole/y_v3_post_body",
        "request/DetachInstanceRamRole/y_doc_example",
    ],
)
def test_requests_match_the_corpus(case_id: str) -> None:
    c = case(case_id)
    expect = c["expect"]
    got = call_for(c)
    assert got.method == expect["method"]
    assert got.query == expect["query"]
    if "headers" in expect:
        assert [list(h) for h in got.headers] == expect["headers"]
        assert got.body == expect["body"]
    for name, value in expect.get("stages", {}).items():
        assert got.stages[name] == value, name


def test_unsigned_request_matches_the_corpus() -> None:
    c = case("request/AttachInstanceRamRole/y_doc_example_unsigned")
    got = call_for(c)
    assert (got.method, got.query) == (c["expect"]["method"], c["expect"]["query"])
    assert got.url("https://ecs.aliyuncs.com/") == "https://ecs.aliyuncs.com/?" + got.query


def test_instance_ids_raw_text_is_sent_byte_for_byte() -> None:
    c = case("request/AttachInstanceRamRole/y_ids_raw_spaced")
    got = call_for(c)
    assert got.query == c["expect"]["query"]
    raw = c["input"]["params"]["InstanceIds"]
    assert isinstance(raw, str) and " " in raw


# --- Responses: the corpus's expected values -------------------------------------------


@pytest.mark.parametrize(
    "case_id",
    [
        "response/AttachInstanceRamRole/xml/y_doc_example",
        "response/AttachInstanceRamRole/json/y_doc_example",
        "response/DetachInstanceRamRole/xml/y_doc_example",
        "response/DetachInstanceRamRole/json/y_doc_example_repaired",
        "response/DetachInstanceRamRole/xml/y_nested_sets_multiple",
        "response/AttachInstanceRamRole/json/y_results_multiple_items",
    ],
)
def test_documented_responses_decode_to_the_corpus_value(case_id: str) -> None:
    c = case(case_id)
    headers = [tuple(h) for h in c["http"]["headers"]]
    value = er.decode_response(c["operation"], c["http"]["status"], headers, case_body(case_id), c["format"])
    assert value == c["expect"]["value"]
    if "twin" in c:  # the other format decodes to the same value
        twin = case(c["twin"])
        assert er.decode_response(twin["operation"], 200, twin["http"]["headers"], case_body(c["twin"])) == value


def test_error_body_fields_match_the_corpus() -> None:
    case_id = "response/error/json/y_access_denied_detail"
    c = case(case_id)
    with pytest.raises(er.ServiceError) as raised:
        er.decode_response(c["operation"], c["http"]["status"], c["http"]["headers"], case_body(case_id))
    e = raised.value
    error = c["expect"]["error"]
    assert e.http_status == error["http_status"]
    for key in ("code", "message", "request_id", "host_id", "recommend", "access_denied_detail"):
        assert getattr(e, key) == error.get(key), key


def test_retry_hint_matches_the_corpus() -> None:
    case_id = "response/error/json/y_retry_throttling_user_with_after"
    c = case(case_id)
    with pytest.raises(er.ServiceError) as raised:
        er.decode_response(c["operation"], c["http"]["status"], c["http"]["headers"], case_body(case_id))
    assert raised.value.retryable is c["expect"]["retry"]["retryable"] is True
    assert raised.value.retry_after_ms == c["expect"]["retry"]["after_ms"] == 1500


# --- The server side ----------------------------------------------------------------------


def test_incoming_cases_match_the_corpus() -> None:
    for case_id in ("incoming/v1/y_attach_post_query", "incoming/v3/y_attach_post_query"):
        c = case(case_id)
        inp = c["input"]
        import base64

        got = er.verify_request(inp["method"], inp["path"], inp["query"], inp["headers"],
                                base64.b64decode(inp.get("body_base64", "")), inp["credentials"])
        expect = c["expect"]
        assert {k: got[k] for k in ("operation", "signature_version", "params")} == {
            k: expect[k] for k in ("operation", "signature_version", "params")
        }


def test_signed_requests_verify_and_a_wrong_secret_is_caught() -> None:
    params = {"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole", "InstanceIds": ["i-1", "i-2"],
              "OwnerId": 42}
    for algorithm in er.ALGORITHMS:
        for placement in ("query", "body") if algorithm == "ACS3-HMAC-SHA256" else ("query",):
            signed = er.sign_request(
                "AttachInstanceRamRole", params, access_key_id="testid",
                access_key_secret="testsecret", timestamp="2016-02-23T12:46:24Z", nonce="n-1",
                algorithm=algorithm, placement=placement,
            )
            args = (signed.method, "/", signed.query, signed.headers, signed.body)
            got = er.verify_request(*args, {"testid": "testsecret"})
            assert got["params"] == params
            assert got["operation"] == "AttachInstanceRamRole"
            assert got["signature_version"] == ("1.0" if algorithm == "HMAC-SHA1" else algorithm)
            assert (got["access_key_id"], got["timestamp"], got["nonce"]) == (
                "testid", "2016-02-23T12:46:24Z", "n-1")
            with pytest.raises(er.ServiceError) as raised:
                er.verify_request(*args, lambda key_id: "othersecret")
            e = raised.value
            assert (e.http_status, e.code) == (400, "SignatureDoesNotMatch")
            # The server computes the same string-to-sign from what was sent.
            assert e.server_string_to_sign == signed.stages["string_to_sign"]
            with pytest.raises(er.ServiceError) as raised:
                er.verify_request(*args, {})
            assert raised.value.code == "InvalidAccessKeyId.NotFound"


def test_format_none_sends_no_format() -> None:
    params = {"RegionId": "r", "InstanceIds": ["i-1"]}
    unsigned = er.encode_request("DetachInstanceRamRole", params, format=None)
    assert "Format=" not in unsigned.query
    assert "Format=JSON" in er.encode_request("DetachInstanceRamRole", params).query
    signed = er.sign_request("DetachInstanceRamRole", params, access_key_id="a", access_key_secret="s",
                             timestamp="2016-02-23T12:46:24Z", nonce="n", algorithm="ACS3-HMAC-SHA256",
                             format=None)
    assert all(name != "accept" for name, _ in signed.headers)


def test_json_value_is_json_serializable() -> None:
    case_id = "response/DetachInstanceRamRole/xml/y_doc_example"
    value = er.decode_response("DetachInstanceRamRole", 200, [], case_body(case_id))
    assert json.loads(json.dumps(value)) == value
