"""Checked by mypy --strict against the stubs (test_types.py); never run. A caller's code
as the README shows it must type-check without casts."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import ecs_ramrole


def call(key_id: str, secret: str, ids: List[str], token: Optional[str]) -> Dict[str, Any]:
    signed: ecs_ramrole.SignedRequest = ecs_ramrole.sign_request(
        "AttachInstanceRamRole",
        {"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole", "InstanceIds": ids, "OwnerId": 1},
        access_key_id=key_id,
        access_key_secret=secret,
        timestamp="2016-02-23T12:46:24Z",
        nonce="n",
        algorithm="ACS3-HMAC-SHA256",
        security_token=token,
        format=None,
    )
    headers: List[Tuple[str, str]] = signed.headers
    stages: Dict[str, str] = signed.stages
    url: str = signed.url("https://ecs.aliyuncs.com")
    assert url and stages and headers is not None
    try:
        return ecs_ramrole.decode_response("AttachInstanceRamRole", 200, headers, b"{}", "json")
    except ecs_ramrole.ServiceError as e:
        status: int = e.http_status
        retry: Optional[int] = e.retry_after_ms
        assert status and retry is None and e.retryable in (True, False)
        raise
    except ecs_ramrole.DecodeError as e:
        kind: str = e.kind
        line: int = e.line
        raise ValueError(kind, line) from e


def server(query: str, body: bytes) -> Tuple[str, str]:
    try:
        got = ecs_ramrole.verify_request("POST", "/", query, {"host": "h"}, body, lambda key_id: None)
    except ecs_ramrole.ServiceError as e:
        return e.code or "", e.server_string_to_sign or ""
    except ecs_ramrole.RequestError as e:
        return e.kind, e.parameter or ""
    return got["operation"], got["signature_version"]


def signers() -> str:
    v1: Dict[str, str] = ecs_ramrole.sign_params("GET", {"Action": "DescribeRegions"}, "s")
    v3: Dict[str, str] = ecs_ramrole.sign_v3("POST", "/", {}, [("host", "h")], access_key_id="a", access_key_secret="s")
    unsigned: ecs_ramrole.EncodedRequest = ecs_ramrole.encode_request("DetachInstanceRamRole", {"RegionId": "r"})
    return v1["signature"] + v3["authorization"] + unsigned.query + ecs_ramrole.API_VERSION
