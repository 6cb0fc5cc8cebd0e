"""The no-secret rule: no AccessKey secret and no STS token in any repr or exception
message this package produces, on the success paths and on every failure path."""

from __future__ import annotations

import pickle
from typing import Any, Callable, Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ecs_ramrole as er

SECRET = "Sup3rSecretKeyValue"
TOKEN = "STSt0kenValue.With/Odd+Chars=="
OTHER = "AnotherSecretValue"
ATTACH = {"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole", "InstanceIds": ["i-1", "i-2"]}


def signing(**change: Any) -> Dict[str, Any]:
    return {"access_key_id": "testid", "access_key_secret": SECRET, "timestamp": "2016-02-23T12:46:24Z",
            "nonce": "n-1", "security_token": TOKEN, **change}


def leaks(text: str, secrets: List[str]) -> List[str]:
    """The secrets `text` carries, raw or percent-encoded once or twice."""
    from urllib.parse import quote

    found = []
    for secret in secrets:
        once = quote(secret, safe="-_.~")
        twice = quote(once, safe="-_.~")
        if any(form in text for form in {secret, once, twice}):
            found.append(secret)
    return found


def shown(value: Any) -> str:
    """Everything a log line could show of an object or exception."""
    parts = [repr(value), str(value)]
    if isinstance(value, BaseException):
        parts += [repr(value.args)]
    return "\n".join(parts)


@pytest.mark.parametrize(
    "algorithm, placement",
    [("HMAC-SHA1", "query"), ("ACS3-HMAC-SHA256", "query"), ("ACS3-HMAC-SHA256", "body")],
)
def test_signed_request_repr_has_no_secret_or_token(algorithm: str, placement: str) -> None:
    signed = er.sign_request("AttachInstanceRamRole", ATTACH, **signing(algorithm=algorithm, placement=placement))
    assert not leaks(shown(signed), [SECRET, TOKEN])
    assert "<redacted>" in repr(signed)
    # The wire itself must carry the token (it is signed and sent) but never the secret.
    wire = signed.query + signed.body + repr(signed.headers) + repr(signed.stages)
    assert leaks(wire, [SECRET, TOKEN]) == [TOKEN]


def test_encoded_request_repr() -> None:
    encoded = er.encode_request("AttachInstanceRamRole", dict(ATTACH, RegionId=SECRET))
    assert SECRET in repr(encoded)  # a parameter is not a secret: shown as given
    assert repr(encoded).startswith("EncodedRequest(method='POST', query='")


FAILING_SIGNINGS: List[Dict[str, Any]] = [
    {"timestamp": "yesterday"},
    {"timestamp": SECRET},
    {"nonce": ""},
    {"access_key_id": ""},
    {"access_key_id": 5},
    {"method": "PUT"},
    {"format": "yaml"},
    {"algorithm": "HMAC-MD5"},
    {"placement": "body"},
    {"host": ""},
]


@pytest.mark.parametrize("change", FAILING_SIGNINGS)
def test_sign_request_errors_carry_no_secret_or_token(change: Dict[str, Any]) -> None:
    with pytest.raises(er.RequestError) as raised:
        er.sign_request("AttachInstanceRamRole", ATTACH, **signing(**change))
    secrets = [TOKEN] + ([] if change.get("timestamp") == SECRET else [SECRET])
    assert not leaks(shown(raised.value), secrets)
    assert not leaks(repr(raised.value.__dict__), secrets)


@pytest.mark.parametrize(
    "params", [dict(ATTACH, RegionId=None), dict(ATTACH, InstanceIds=[]), dict(ATTACH, OwnerId=-1), {"X": 1}]
)
def test_parameter_errors_carry_no_secret_or_token(params: Dict[str, Any]) -> None:
    with pytest.raises(er.RequestError) as raised:
        er.sign_request("AttachInstanceRamRole", params, **signing())
    assert not leaks(shown(raised.value), [SECRET, TOKEN])


def test_signer_errors_carry_no_secret() -> None:
    calls: List[Callable[[], Any]] = [
        lambda: er.sign_params("PUT", {"a": "b"}, SECRET),
        lambda: er.sign_params("GET", {"Signature": SECRET}, SECRET),
        lambda: er.sign_v3("GET", "/", {}, [("authorization", "x")], access_key_id="a", access_key_secret=SECRET),
        lambda: er.sign_v3("GET", "/", {}, [], access_key_id="", access_key_secret=SECRET),
        lambda: er.sign_v3("GET", "/", {}, [], access_key_id="a", access_key_secret=SECRET, payload_sha256="x"),
    ]
    for call in calls:
        with pytest.raises(er.RequestError) as raised:
            call()
        assert not leaks(shown(raised.value), [SECRET])


@pytest.mark.parametrize("algorithm", ["HMAC-SHA1", "ACS3-HMAC-SHA256"])
def test_verification_failures_carry_no_secret_and_redact_the_token(algorithm: str) -> None:
    signed = er.sign_request("AttachInstanceRamRole", ATTACH, **signing(algorithm=algorithm))
    args = (signed.method, "/", signed.query, signed.headers, signed.body)
    with pytest.raises(er.ServiceError) as raised:
        er.verify_request(*args, {"testid": OTHER})
    e = raised.value
    assert e.code == "SignatureDoesNotMatch"
    assert not leaks(shown(e), [SECRET, OTHER, TOKEN])
    assert not leaks(repr(pickle.loads(pickle.dumps(e))), [SECRET, OTHER, TOKEN])
    if algorithm == "HMAC-SHA1":
        # The attribute is the service's string-to-sign as it is, for diffing: under V1 it
        # holds every signed parameter, the token among them (documented).
        assert TOKEN in (e.server_string_to_sign or "") or leaks(e.server_string_to_sign or "", [TOKEN])
    accepted = er.verify_request(*args, {"testid": SECRET})
    assert not leaks(repr(accepted), [SECRET, TOKEN])


def test_response_error_messages_redact_a_quoted_token() -> None:
    from urllib.parse import quote

    sts = "POST&%2F&AccessKeyId%3Dtestid%26SecurityToken%3D" + quote(quote(TOKEN, safe="-_.~"), safe="-_.~") + "%26Version%3D2014-05-26"
    message = f"Specified signature is not matched with our calculation. server string to sign is:{sts}"
    body = ('{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"' + message + '"}').encode()
    with pytest.raises(er.ServiceError) as raised:
        er.decode_response("AttachInstanceRamRole", 400, [("content-type", "application/json")], body)
    e = raised.value
    assert not leaks(shown(e), [TOKEN])
    assert e.message == message  # the attribute is exactly what the service said
    assert e.server_string_to_sign == sts


@settings(max_examples=150, deadline=None)
@given(
    # Marked so that no ordinary text of a message can match one by chance.
    secret=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FFF), min_size=8, max_size=40).map(
        lambda s: "\u00a4" + s + "\u00a4"),
    token=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FFF), min_size=8, max_size=40).map(
        lambda s: "\u00a7" + s + "\u00a7"),
    change=st.sampled_from(FAILING_SIGNINGS[:1] + FAILING_SIGNINGS[2:] + [{}]),
    algorithm=st.sampled_from(["HMAC-SHA1", "ACS3-HMAC-SHA256"]),
)
def test_no_generated_secret_or_token_ever_shows(secret: str, token: str, change: Dict[str, Any], algorithm: str) -> None:
    kwargs = signing(**{"access_key_secret": secret, "security_token": token, "algorithm": algorithm, **change})
    try:
        signed = er.sign_request("AttachInstanceRamRole", ATTACH, **kwargs)
    except er.RequestError as e:
        assert not leaks(shown(e), [secret, token])
        return
    assert not leaks(shown(signed), [secret, token])
    args = (signed.method, "/", signed.query, signed.headers, signed.body)
    try:
        er.verify_request(*args, {"testid": secret + "x"})
    except er.ServiceError as e:
        assert not leaks(shown(e), [secret, secret + "x", token])
