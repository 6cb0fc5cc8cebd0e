"""The README's examples run as written: the SDK author's client against the mock-server
author's server (the transport swapped for a direct call), with a throttled first try."""

from __future__ import annotations

import re
from typing import Any, Dict, List
from urllib.parse import urlsplit

import pytest

from conftest import BINDING


def blocks() -> List[str]:
    text = (BINDING / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    client_code, usage_code, server_code = blocks()
    server: Dict[str, Any] = {}
    exec(compile(server_code, "README.md (server)", "exec"), server)
    client: Dict[str, Any] = {}
    exec(compile(client_code, "README.md (client)", "exec"), client)

    sent = []

    def send(method: str, url: str, headers: Any, body: str) -> Any:
        parts = urlsplit(url)
        sent.append(dict(headers)["x-acs-signature-nonce"])
        if len(sent) == 1:  # the first try is throttled, with the service's retry hint
            return 400, [("x-acs-retry-after", "1"), ("content-type", "application/json")], (
                b'{"Code":"Throttling.User","Message":"Request was denied due to user flow control.",'
                b'"RequestId":"R"}')
        return server["answer"](method, parts.path, parts.query, headers, body.encode())

    client["send"] = send
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "testid")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "testsecret")
    monkeypatch.setenv("ECS_ENDPOINT", "http://127.0.0.1:9")
    usage: Dict[str, Any] = dict(client)
    exec(compile(usage_code, "README.md (usage)", "exec"), usage)
    assert len(sent) == 2 and sent[0] != sent[1]  # retried, signed afresh
    assert usage["response"]["TotalCount"] == 2
    assert usage["failed"] == []

    # A wrong secret: the server's SignatureDoesNotMatch, not retried.
    import ecs_ramrole

    sent.clear()
    sent.append("skip the throttle")
    with pytest.raises(ecs_ramrole.ServiceError) as raised:
        client["call"]("DetachInstanceRamRole", {"RegionId": "r", "InstanceIds": ["i-1"]},
                       key_id="testid", secret="wrong", endpoint="http://127.0.0.1:9")
    assert raised.value.code == "SignatureDoesNotMatch" and raised.value.http_status == 400
    assert len(sent) == 2
