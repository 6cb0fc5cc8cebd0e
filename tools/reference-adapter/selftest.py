#!/usr/bin/env python3
"""Self-test of the reference adapter (stdlib only).

Pipes envelopes into adapter.py, one process per envelope exactly as the harness does,
and checks the verdicts against published vectors (Alibaba's documented signature
example, SDK test-suite vectors, the two API pages' response examples) and against the
README's rules. Then checks that every mutant changes at least one verdict.

    python3 selftest.py [-v]

Prints one line per failure (every line with -v) and a final `N passed, M failed`;
the exit status is non-zero when anything failed.
"""

import base64
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ADAPTER = [sys.executable, os.path.join(HERE, "adapter.py")]
VERBOSE = "-v" in sys.argv[1:]

PASSED = 0
FAILED = 0


def run_adapter(stdin_bytes, *args):
    proc = subprocess.run(ADAPTER + list(args), input=stdin_bytes, capture_output=True, timeout=30)
    return proc.returncode, proc.stdout, proc.stderr


def verdict_of(env, mutant=None):
    """Runs the adapter on an envelope; returns the verdict or raises AssertionError."""
    args = ["--mutant", mutant] if mutant else []
    rc, out, err = run_adapter(json.dumps(env).encode("utf-8"), *args)
    if rc != 0:
        raise AssertionError("exit status %d, stderr: %s" % (rc, err.decode("utf-8", "replace").strip()))
    lines = out.decode("utf-8").splitlines()
    if len(lines) != 1:
        raise AssertionError("expected exactly one stdout line, got %r" % out)
    return json.loads(lines[0])


def record(name, ok, detail=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
        if VERBOSE:
            print("ok    " + name)
    else:
        FAILED += 1
        print("FAIL  %s: %s" % (name, detail))


def check(name, env, predicate, mutant=None):
    try:
        verdict = verdict_of(env, mutant)
    except AssertionError as e:
        record(name, False, str(e))
        return
    problem = predicate(verdict)
    record(name, problem is None, "%s\n      verdict: %s" % (problem, json.dumps(verdict, ensure_ascii=False)))


def equals(expected):
    """The verdict must equal `expected` on every key `expected` lists."""
    def predicate(verdict):
        for key, value in expected.items():
            if verdict.get(key) != value:
                return "%s: expected %s" % (key, json.dumps(value, ensure_ascii=False))
        return None
    return predicate


def rejects(kind):
    return equals({"outcome": "reject", "reject_kind": kind})


def output(value):
    return equals({"outcome": "output", "value": value})


def service_error(error):
    return equals({"outcome": "service_error", "error": error})


# --------------------------------------------------------------------------------------
# Envelope builders
# --------------------------------------------------------------------------------------

def sign_env(method, secret, params):
    return {"protocol": 1, "kind": "sign", "input": {"method": method, "access_key_secret": secret, "params": params}}


DOC_SIGNING = {
    "algorithm": "HMAC-SHA1", "access_key_id": "testid", "access_key_secret": "testsecret",
    "timestamp": "2016-02-23T12:46:24Z", "nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
}


def req_env(operation, params, method=None, fmt=None, signing=None, **signing_changes):
    context = {}
    if method is not None:
        context["method"] = method
    if fmt is not None:
        context["format"] = fmt
    if signing is not None:
        context["signing"] = dict(signing, **signing_changes)
    return {"protocol": 1, "kind": "request", "operation": operation,
            "input": {"params": params, "context": context}}


def resp_env(operation, body, status=200, content_type=None, fmt=None):
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = [["Content-Type", content_type]] if content_type else []
    env = {"protocol": 1, "kind": "response", "operation": operation,
           "http": {"status": status, "headers": headers}, "body_base64": base64.b64encode(body).decode("ascii")}
    if fmt is not None:
        env["format"] = fmt
    return env


ATTACH = "AttachInstanceRamRole"
DETACH = "DetachInstanceRamRole"
XML_CT = "text/xml;charset=UTF-8"
JSON_CT = "application/json;charset=utf-8"

# --------------------------------------------------------------------------------------
# Published examples (copied byte-for-byte from the API reference pages in
# /work/shared/seeds: 002_… is AttachInstanceRamRole, 000_… is DetachInstanceRamRole)
# --------------------------------------------------------------------------------------

ATTACH_DOC_XML = (
    '<AttachInstanceRamRoleResponse>\n  <RequestId>E6352369-5C2B-41CD-AB50-471550C8F674</RequestId>\n'
    '  <AttachInstanceRamRoleResults>\n    <AttachInstanceRamRoleResult>\n      <InstanceId>i-instance1</InstanceId>\n'
    '      <Code>200</Code>\n      <Message>success</Message>\n    </AttachInstanceRamRoleResult>\n'
    '  </AttachInstanceRamRoleResults>\n  <TotalCount>1</TotalCount> \n  <FailCount>0</FailCount>\n'
    '  <RamRoleName>RamRoleTest</RamRoleName>\n</AttachInstanceRamRoleResponse>\n'
)
ATTACH_DOC_JSON = (
    '{\n\t"TotalCount":1,\n\t"RequestId":"D9553E4C-6C3A-4D66-AE79-9835AF705639",\n\t"AttachInstanceRamRoleResults":{\n'
    '\t\t"AttachInstanceRamRoleResult":[\n\t\t\t{\n\t\t\t\t"Message":"success",\n\t\t\t\t"InstanceId":"i-instance1",\n'
    '\t\t\t\t"Code":"200"\n\t\t\t}\n\t\t]\n\t},\n\t"RamRoleName":"RamRoleTest",\n\t"FailCount":0\n}\n'
)
DETACH_DOC_XML = (
    '<DetachInstanceRamRoleResponse>\n    <RequestId>E6352369-5C2B-41CD-AB50-471550C8F674</RequestId>\n'
    '    <DetachInstanceRamRoleResults>\n        <DetachInstanceRamRoleResult>\n'
    '             <InstanceId>i-instance1</InstanceId>\n             <Code>200</Code>\n'
    '             <Message>success</Message>\n        </DetachInstanceRamRoleResult>\n'
    '    </DetachInstanceRamRoleResults>\n    <TotalCount>1</TotalCount>\n    <FailCount>0</FailCount>\n'
    '    <RamRoleName>RamRoleTest</RamRoleName>\n</DetachInstanceRamRoleResponse>\n\n'
)
# As published: the page renderer lost every brace and bracket close.
DETACH_DOC_JSON_AS_PUBLISHED = (
    '\n    "RequestId": "E6352369-5C2B-41CD-AB50-471550C8F674",\n    "DetachInstanceRamRoleResults": {\n'
    '        "DetachInstanceRamRoleResult": [\n            \n                "Message": "success",\n'
    '                "InstanceId": "i-instance1",\n                "Code": "200"\n            \n        \n    \n'
    '    "TotalCount": 1,\n    "FailCount": 0,\n    "RamRoleName": "RamRoleTest"\n\n'
)
# The same text with the lost braces restored (fix-up, nothing else changed).
DETACH_DOC_JSON_REPAIRED = (
    '{\n    "RequestId": "E6352369-5C2B-41CD-AB50-471550C8F674",\n    "DetachInstanceRamRoleResults": {\n'
    '        "DetachInstanceRamRoleResult": [\n            {\n                "Message": "success",\n'
    '                "InstanceId": "i-instance1",\n                "Code": "200"\n            }\n        ]\n    },\n'
    '    "TotalCount": 1,\n    "FailCount": 0,\n    "RamRoleName": "RamRoleTest"\n}\n'
)


def doc_value(operation, request_id="E6352369-5C2B-41CD-AB50-471550C8F674"):
    return {
        "RequestId": request_id,
        operation + "Results": {operation + "Result": [{"InstanceId": "i-instance1", "Code": "200", "Message": "success"}]},
        "TotalCount": 1, "FailCount": 0, "RamRoleName": "RamRoleTest",
    }


# --------------------------------------------------------------------------------------
# kind: sign
# --------------------------------------------------------------------------------------

def test_sign():
    doc_params = {
        "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
    }
    check("sign/doc DescribeRegions (protocol.md 2.2)", sign_env("GET", "testsecret", doc_params), equals({
        "outcome": "signature",
        "canonical_query": "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1"
                           "&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0"
                           "&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26",
        "string_to_sign": "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
                          "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
                          "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
        "signature": "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
    }))
    # The older doc spelling "TimeStamp" gives the other published value (protocol.md 2.2 errata).
    errata = dict(doc_params)
    errata["TimeStamp"] = errata.pop("Timestamp")
    check("sign/doc errata TimeStamp spelling", sign_env("GET", "testsecret", errata),
          equals({"signature": "CT9X0VtwR86fNWSnsc6v8YGOjuE="}))

    go_params = {
        "Version": "", "Action": "", "Format": "JSON", "Timestamp": "mock date", "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0", "SignatureType": "", "SignatureNonce": "MOCK_UUID",
        "AccessKeyId": "accessKeyId", "RegionId": "regionId",
    }
    check("sign/go TestRpcSignatureComposer", sign_env("GET", "accessKeySecret", go_params),
          equals({"signature": "7loPmFjvDnzOVnQeQNj85S6nFGY="}))
    check("sign/go space is %2520 in the string to sign", sign_env("GET", "accessKeySecret", go_params),
          lambda v: None if "Timestamp%3Dmock%2520date" in v.get("string_to_sign", "") else "no %2520")
    check("sign/go TestRpcSignatureComposer + SecurityToken",
          sign_env("GET", "accessKeySecret", dict(go_params, SecurityToken="accessKeyStsToken")),
          equals({"signature": "5Nxdcler+ihqWqv0Hr2On4PsBf4="}))
    check("sign/openapi-util test_get_rpc_signature", sign_env("GET", "secret", {"query": "test", "body": "test"}),
          equals({"signature": "XlUyV4sXjOuX5FnjUz9IF9tm5rU="}))
    py_params = {
        "SignatureVersion": "1.0", "Format": "JSON", "Timestamp": "7e1c7d12-7551-4856-8abb-1938ccac6bcc",
        "AccessKeyId": "access_key_id", "SignatureMethod": "HMAC-SHA1", "SignatureType": "",
        "SignatureNonce": "2018-12-04T04:03:12Z",
    }
    check("sign/aliyunsdkcore test_rpc_signature_composer", sign_env("GET", "access_key_secret", py_params),
          equals({"signature": "5AYPtZduFYvj3ETTIQlivGqL7Ic="}))

    # Go buildRpcStringToSign string-to-sign vectors.
    check("sign/go empty params", sign_env("GET", "s", {}),
          equals({"canonical_query": "", "string_to_sign": "GET&%2F&"}))
    check("sign/go key=value", sign_env("GET", "s", {"key": "value"}),
          equals({"string_to_sign": "GET&%2F&key%3Dvalue"}))
    check("sign/go url value", sign_env("GET", "s", {"q": "http://domain/?q=value&q2=value2"}),
          equals({"string_to_sign": "GET&%2F&q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2"}))

    check("sign/encoding spot check", sign_env("POST", "s", {"k": "角色 a+b*c~d/e=f&g"}),
          equals({"canonical_query": "k=%E8%A7%92%E8%89%B2%20a%2Bb%2Ac~d%2Fe%3Df%26g"}))
    check("sign/4-byte UTF-8 and !'()", sign_env("POST", "s", {"k": "😀!'()"}),
          equals({"canonical_query": "k=%F0%9F%98%80%21%27%28%29"}))
    check("sign/byte-order sort, empty value kept", sign_env("POST", "s", {"a": "1", "B": "", "_": "2"}),
          equals({"canonical_query": "B=&_=2&a=1", "string_to_sign": "POST&%2F&B%3D%26_%3D2%26a%3D1"}))
    check("sign/value with percent", sign_env("GET", "s", {"v": "%41"}),
          equals({"canonical_query": "v=%2541", "string_to_sign": "GET&%2F&v%3D%252541"}))

    check("sign/reject non-string value", sign_env("GET", "s", {"a": 1}), rejects("type_mismatch"))
    check("sign/reject null value", sign_env("GET", "s", {"a": None}), rejects("type_mismatch"))
    check("sign/reject Signature param", sign_env("GET", "s", {"Signature": "x"}), rejects("constraint_violation"))
    check("sign/reject empty secret", sign_env("GET", "", {"a": "b"}), rejects("constraint_violation"))
    check("sign/reject method PUT", sign_env("PUT", "s", {"a": "b"}), rejects("constraint_violation"))
    check("sign/reject lowercase method", sign_env("get", "s", {"a": "b"}), rejects("constraint_violation"))


# --------------------------------------------------------------------------------------
# kind: request
# --------------------------------------------------------------------------------------

def encode_query(canonical, method):
    """The string to sign, derived by hand: a canonical query holds only unreserved
    characters, `%`, `=` and `&`, so the second encoding pass is three replacements."""
    return method + "&%2F&" + canonical.replace("%", "%25").replace("=", "%3D").replace("&", "%26")


def test_request():
    attach = {"RegionId": "cn-hangzhou", "RamRoleName": "testRamRoleName",
              "InstanceIds": ["i-bp67acfmxazb4p****", "i-bp67acfmxazb5p****"]}
    cq = ("AccessKeyId=testid&Action=AttachInstanceRamRole&Format=JSON"
          "&InstanceIds=%5B%22i-bp67acfmxazb4p%2A%2A%2A%2A%22%2C%22i-bp67acfmxazb5p%2A%2A%2A%2A%22%5D"
          "&RamRoleName=testRamRoleName&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1"
          "&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0"
          "&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26")
    # Illustrative vector of conformance-design.md section 10, re-derived here.
    check("request/attach signed, compact ids", req_env(ATTACH, attach, "GET", "JSON", DOC_SIGNING), equals({
        "outcome": "request", "method": "GET",
        "query": cq + "&Signature=qCAOEyvqMXpz2FYLmWz19xkWtKE%3D",
        "stages": {"canonical_query": cq, "string_to_sign": encode_query(cq, "GET"),
                   "signature": "qCAOEyvqMXpz2FYLmWz19xkWtKE="},
    }))
    spaced = dict(attach, InstanceIds='["i-bp67acfmxazb4p****", "i-bp67acfmxazb5p****"]')
    spaced_cq = cq.replace("%2C%22", "%2C%20%22")
    check("request/attach raw ids text sent byte-for-byte", req_env(ATTACH, spaced, "GET", "JSON", DOC_SIGNING),
          equals({"stages": {"canonical_query": spaced_cq, "string_to_sign": encode_query(spaced_cq, "GET"),
                             "signature": "ElW//GgMzjYD+RT23zrNIIZ5E18="}}))
    check("request/signature is percent-encoded on the wire", req_env(ATTACH, spaced, "GET", "JSON", DOC_SIGNING),
          lambda v: None if v.get("query", "").endswith("&Signature=ElW%2F%2FGgMzjYD%2BRT23zrNIIZ5E18%3D") else "suffix")

    detach = {"RegionId": "cn-hangzhou", "InstanceIds": ["i-instance1"]}
    unsigned_q = "Action=DetachInstanceRamRole&InstanceIds=%5B%22i-instance1%22%5D&RegionId=cn-hangzhou&Version=2014-05-26"
    check("request/detach unsigned, no role name, POST default", req_env(DETACH, detach), equals({
        "outcome": "request", "method": "POST", "query": unsigned_q, "stages": {"canonical_query": unsigned_q}}))
    check("request/format XML and Longs",
          req_env(DETACH, dict(detach, OwnerId=123, ResourceOwnerId=0, ResourceOwnerAccount="acct"), fmt="XML"),
          equals({"query": "Action=DetachInstanceRamRole&Format=XML&InstanceIds=%5B%22i-instance1%22%5D&OwnerId=123"
                           "&RegionId=cn-hangzhou&ResourceOwnerAccount=acct&ResourceOwnerId=0&Version=2014-05-26"}))
    check("request/non-ASCII and escapes in ids JSON", req_env(DETACH, dict(detach, InstanceIds=["é", 'a"b\\c', "<&>"])),
          lambda v: None if "InstanceIds=%5B%22%C3%A9%22%2C%22a%5C%22b%5C%5Cc%22%2C%22%3C%26%3E%22%5D" in v.get("query", "")
          else "InstanceIds rendering")
    check("request/security token signed and sent",
          req_env(DETACH, detach, signing=DOC_SIGNING, security_token="tok"),
          lambda v: None if "&SecurityToken=tok&" in v.get("query", "") and "SignatureType" not in v.get("query", "")
          else "SecurityToken")
    check("request/null optional is absent", req_env(DETACH, dict(detach, RamRoleName=None)),
          equals({"query": unsigned_q}))
    ids100 = ["i-%03d" % n for n in range(100)]
    check("request/100 ids accepted", req_env(DETACH, dict(detach, InstanceIds=ids100)), equals({"outcome": "request"}))
    check("request/policy 1024 scalar values accepted",
          req_env(ATTACH, dict(attach, Policy="😀" * 1024)), equals({"outcome": "request"}))

    # Rejects.
    check("request/missing RegionId", req_env(DETACH, {"InstanceIds": ["i-1"]}), rejects("missing_required"))
    check("request/missing InstanceIds", req_env(DETACH, {"RegionId": "r"}), rejects("missing_required"))
    check("request/attach missing RamRoleName", req_env(ATTACH, detach), rejects("missing_required"))
    check("request/empty RegionId", req_env(DETACH, dict(detach, RegionId="")), rejects("constraint_violation"))
    check("request/empty RamRoleName", req_env(DETACH, dict(detach, RamRoleName="")), rejects("constraint_violation"))
    check("request/empty ResourceOwnerAccount", req_env(DETACH, dict(detach, ResourceOwnerAccount="")),
          rejects("constraint_violation"))
    check("request/101 ids", req_env(DETACH, dict(detach, InstanceIds=ids100 + ["i-x"])), rejects("constraint_violation"))
    check("request/101 ids raw text", req_env(DETACH, dict(detach, InstanceIds=json.dumps(ids100 + ["i-x"]))),
          rejects("constraint_violation"))
    check("request/0 ids", req_env(DETACH, dict(detach, InstanceIds=[])), rejects("constraint_violation"))
    check("request/empty id", req_env(DETACH, dict(detach, InstanceIds=["i-1", ""])), rejects("constraint_violation"))
    check("request/raw text bare id", req_env(DETACH, dict(detach, InstanceIds="i-instance1")),
          rejects("constraint_violation"))
    check("request/raw text array of numbers", req_env(DETACH, dict(detach, InstanceIds="[1]")),
          rejects("constraint_violation"))
    check("request/raw text single quotes", req_env(DETACH, dict(detach, InstanceIds="['i-1']")),
          rejects("constraint_violation"))
    check("request/Policy on Detach", req_env(DETACH, dict(detach, Policy="{}")), rejects("constraint_violation"))
    check("request/unknown param", req_env(DETACH, dict(detach, OwnerAccount="x")), rejects("constraint_violation"))
    check("request/Policy empty", req_env(ATTACH, dict(attach, Policy="")), rejects("constraint_violation"))
    check("request/Policy 1025", req_env(ATTACH, dict(attach, Policy="x" * 1025)), rejects("constraint_violation"))
    check("request/RegionId number", req_env(DETACH, dict(detach, RegionId=1)), rejects("type_mismatch"))
    check("request/OwnerId string", req_env(DETACH, dict(detach, OwnerId="1")), rejects("type_mismatch"))
    check("request/OwnerId negative", req_env(DETACH, dict(detach, OwnerId=-1)), rejects("type_mismatch"))
    check("request/OwnerId fractional", req_env(DETACH, dict(detach, OwnerId=1.5)), rejects("type_mismatch"))
    check("request/OwnerId bool", req_env(DETACH, dict(detach, OwnerId=True)), rejects("type_mismatch"))
    check("request/ids non-string element", req_env(DETACH, dict(detach, InstanceIds=["i-1", 2])),
          rejects("type_mismatch"))
    check("request/type checked before missing", req_env(DETACH, {"RegionId": 5}), rejects("type_mismatch"))
    check("request/bad timestamp Feb 30", req_env(DETACH, detach, signing=DOC_SIGNING, timestamp="2016-02-30T12:46:24Z"),
          rejects("constraint_violation"))
    check("request/timestamp with fraction", req_env(DETACH, detach, signing=DOC_SIGNING,
                                                      timestamp="2016-02-23T12:46:24.000Z"),
          rejects("constraint_violation"))
    check("request/leap day ok", req_env(DETACH, detach, signing=DOC_SIGNING, timestamp="2016-02-29T23:59:59Z"),
          equals({"outcome": "request"}))
    check("request/empty nonce", req_env(DETACH, detach, signing=DOC_SIGNING, nonce=""), rejects("constraint_violation"))
    check("request/empty secret", req_env(DETACH, detach, signing=DOC_SIGNING, access_key_secret=""),
          rejects("constraint_violation"))
    check("request/empty security token", req_env(DETACH, detach, signing=DOC_SIGNING, security_token=""),
          rejects("constraint_violation"))
    check("request/method PUT", req_env(DETACH, detach, method="PUT"), rejects("constraint_violation"))
    check("request/format lowercase", req_env(DETACH, detach, fmt="json"), rejects("constraint_violation"))
    check("request/algorithm SM3 unsupported", req_env(DETACH, detach, signing=DOC_SIGNING, algorithm="ACS3-HMAC-SM3"),
          equals({"outcome": "unsupported"}))


# --------------------------------------------------------------------------------------
# Signature V3 (corpus 1.1.0): the signer and V3 requests
# --------------------------------------------------------------------------------------

EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
RUN_INSTANCES_HEADERS = [
    ["host", "ecs.cn-shanghai.aliyuncs.com"], ["x-acs-action", "RunInstances"], ["x-acs-content-sha256", EMPTY_SHA256],
    ["x-acs-date", "2023-10-26T10:22:32Z"], ["x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"],
    ["x-acs-version", "2014-05-26"],
]


def sign_v3_env(**inp):
    return {"protocol": 1, "kind": "sign", "input": dict({"algorithm": "ACS3-HMAC-SHA256"}, **inp)}


def test_sign_v3():
    doc = dict(method="POST", path="/", query={"ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId": "cn-shanghai"},
               headers=RUN_INSTANCES_HEADERS, access_key_id="YourAccessKeyId", access_key_secret="YourAccessKeySecret")
    # protocol.md 3.4, the documented walk-through: every stage published.
    check("sign-v3/doc RunInstances", sign_v3_env(**doc), equals({
        "outcome": "signature",
        "canonical_request": "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
                             "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n"
                             "x-acs-content-sha256:" + EMPTY_SHA256 + "\nx-acs-date:2023-10-26T10:22:32Z\n"
                             "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n"
                             "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" + EMPTY_SHA256,
        "hashed_canonical_request": "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
        "string_to_sign": "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
        "signature": "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
        "authorization": "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
                         "x-acs-date;x-acs-signature-nonce;x-acs-version,"
                         "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
    }))
    check("sign-v3/doc with payload_sha256", sign_v3_env(**dict(doc, payload_sha256=EMPTY_SHA256)),
          equals({"signature": "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"}))
    check("sign-v3/doc, headers title-cased and reversed",
          sign_v3_env(**dict(doc, headers=[[n.title(), v] for n, v in reversed(RUN_INSTANCES_HEADERS)])),
          equals({"signature": "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"}))
    # protocol.md 3.5: form-body placement, cross-checked with alibabacloud-openapi-util 0.2.4.
    body = b"ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
    body_sha = "9c4a9acc5fc770697f4d65ec4a1c94c4d90db5f295b17995d6006365717ecffd"
    form_headers = [["content-type", "application/x-www-form-urlencoded"]] + [
        [n, body_sha if n == "x-acs-content-sha256" else v] for n, v in RUN_INSTANCES_HEADERS]
    form = dict(doc, query={}, headers=form_headers)
    want = {"signature": "71fd26c61c5e04e0f714de615e1d19fbd530fc3d7badaf407783a018453889c8"}
    check("sign-v3/form body as body_base64", sign_v3_env(**dict(form, body_base64=base64.b64encode(body).decode())), equals(want))
    check("sign-v3/form body as payload_sha256", sign_v3_env(**dict(form, payload_sha256=body_sha)), equals(want))
    # openapi-util test_get_authorization: path "" is "/", "empty=", header merge.
    util = dict(method="GET", path="", query={"test": "ok", "empty": ""}, headers=[["x-acs-test", "http"], ["x-acs-TEST", "https"]],
                payload_sha256="55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
                access_key_id="acesskey", access_key_secret="secret")
    check("sign-v3/openapi-util test_get_authorization", sign_v3_env(**util), equals({
        "authorization": "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,"
                         "Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1"}))
    check("sign-v3/openapi-util canonical lines", sign_v3_env(**util),
          lambda v: None if v.get("canonical_request", "").startswith("GET\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n")
          else "canonical request")
    check("sign-v3/openapi-util test_get_canonical_query_string",
          sign_v3_env(method="GET", query={"test": " ~/*-+"}, headers=[], access_key_id="a", access_key_secret="s"),
          lambda v: None if v.get("canonical_request", "").startswith("GET\n/\ntest=%20~%2F%2A-%2B\n") else "query line")
    check("sign-v3/values trimmed, merged values sorted",
          sign_v3_env(headers=[["X-A", " b\t"], ["x-a", "a"], ["host", " h "]], access_key_id="a", access_key_secret="s"),
          lambda v: None if v.get("canonical_request", "").startswith("POST\n/\n\nhost:h\nx-a:a,b\n\nhost;x-a\n") else "headers")
    check("sign-v3/percent encoded once", sign_v3_env(query={"v": "%41"}, headers=[], access_key_id="a", access_key_secret="s"),
          lambda v: None if "\nv=%2541\n" in v.get("canonical_request", "") else "query line")
    minimal = dict(headers=[["host", "h"]], access_key_id="a", access_key_secret="s")
    for name, change, kind in (
        ("authorization header", {"headers": [["Authorization", "x"]]}, "constraint_violation"),
        ("payload and body", {"payload_sha256": EMPTY_SHA256, "body_base64": ""}, "constraint_violation"),
        ("payload uppercase", {"payload_sha256": EMPTY_SHA256.upper()}, "constraint_violation"),
        ("payload 63 digits", {"payload_sha256": EMPTY_SHA256[1:]}, "constraint_violation"),
        ("body not Base64", {"body_base64": "*"}, "constraint_violation"),
        ("empty key id", {"access_key_id": ""}, "constraint_violation"),
        ("empty secret", {"access_key_secret": ""}, "constraint_violation"),
        ("method PUT", {"method": "PUT"}, "constraint_violation"),
        ("query value number", {"query": {"a": 1}}, "type_mismatch"),
        ("header single string", {"headers": [["host"]]}, "type_mismatch"),
        ("header value number", {"headers": [["host", 1]]}, "type_mismatch"),
        ("path number", {"path": 1}, "type_mismatch"),
    ):
        check("sign-v3/reject " + name, sign_v3_env(**dict(minimal, **change)), rejects(kind))
    missing = dict(minimal)
    del missing["access_key_secret"]
    check("sign-v3/reject missing secret", sign_v3_env(**missing), rejects("missing_required"))
    check("sign/other algorithm unsupported", {"protocol": 1, "kind": "sign", "input": {"algorithm": "ACS3-HMAC-SM3"}},
          equals({"outcome": "unsupported"}))


V3_SIGNING = {"algorithm": "ACS3-HMAC-SHA256", "access_key_id": "testid", "access_key_secret": "testsecret",
              "timestamp": "2016-02-23T12:46:24Z", "nonce": "3ee8c1b883d344afa94f4e0ad82fd6cf"}


def v3_env(operation, params, placement=None, host=None, **kw):
    env = req_env(operation, params, signing=V3_SIGNING, **kw)
    if placement is not None:
        env["input"]["context"]["placement"] = placement
    if host is not None:
        env["input"]["context"]["host"] = host
    return env


def test_request_v3():
    import hashlib
    import hmac as hmac_module
    detach = {"RegionId": "cn-hangzhou", "InstanceIds": ["i-1"]}
    q = "InstanceIds=%5B%22i-1%22%5D&RegionId=cn-hangzhou"

    def expect(method, query, body, fmt=None, host="ecs.aliyuncs.com"):
        # Derived by hand from corpus/README.md, independently of the adapter's code.
        payload = hashlib.sha256(body.encode()).hexdigest()
        signed = [("host", host), ("x-acs-action", DETACH), ("x-acs-content-sha256", payload),
                  ("x-acs-date", "2016-02-23T12:46:24Z"), ("x-acs-signature-nonce", "3ee8c1b883d344afa94f4e0ad82fd6cf"),
                  ("x-acs-version", "2014-05-26")]
        if body:
            signed.insert(0, ("content-type", "application/x-www-form-urlencoded"))
        names = ";".join(n for n, _ in signed)
        creq = "%s\n/\n%s\n%s\n%s\n%s" % (method, query, "".join("%s:%s\n" % h for h in signed), names, payload)
        sts = "ACS3-HMAC-SHA256\n" + hashlib.sha256(creq.encode()).hexdigest()
        sig = hmac_module.new(b"testsecret", sts.encode(), hashlib.sha256).hexdigest()
        auth = "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=%s,Signature=%s" % (names, sig)
        headers = signed + [("authorization", auth)] + ([("accept", {"JSON": "application/json", "XML": "application/xml"}[fmt])] if fmt else [])
        return {"outcome": "request", "method": method, "query": query if not body else "", "body": body,
                "headers": sorted([list(h) for h in headers]),
                "stages": {"canonical_request": creq, "string_to_sign": sts, "signature": sig, "authorization": auth,
                           "hashed_canonical_request": sts.split("\n")[1]}}

    check("request-v3/query POST JSON", v3_env(DETACH, detach, method="POST", fmt="JSON"), equals(expect("POST", q, "", "JSON")))
    check("request-v3/query GET XML", v3_env(DETACH, detach, method="GET", fmt="XML"), equals(expect("GET", q, "", "XML")))
    check("request-v3/body, no format", v3_env(DETACH, detach, placement="body"), equals(expect("POST", "", q)))
    check("request-v3/regional host", v3_env(DETACH, detach, host="ecs.cn-shanghai.aliyuncs.com"),
          equals(expect("POST", q, "", host="ecs.cn-shanghai.aliyuncs.com")))
    check("request-v3/security token header",
          req_env(DETACH, detach, signing=V3_SIGNING, security_token="tok"),
          lambda v: None if ["x-acs-security-token", "tok"] in v.get("headers", []) and "x-acs-security-token;" in v["stages"]["authorization"]
          and "SecurityToken" not in v["query"] else "x-acs-security-token")
    check("request-v3/body with GET", v3_env(DETACH, detach, placement="body", method="GET"), rejects("constraint_violation"))
    check("request-v3/body under HMAC-SHA1", dict(req_env(DETACH, detach, signing=DOC_SIGNING), input={
        "params": detach, "context": {"placement": "body", "signing": DOC_SIGNING}}), rejects("constraint_violation"))
    check("request-v3/body unsigned", dict(req_env(DETACH, detach), input={"params": detach, "context": {"placement": "body"}}),
          rejects("constraint_violation"))
    check("request-v3/placement other", v3_env(DETACH, detach, placement="path"), rejects("constraint_violation"))
    check("request-v3/empty host", v3_env(DETACH, detach, host=""), rejects("constraint_violation"))
    check("request-v3/missing RegionId", v3_env(DETACH, {"InstanceIds": ["i-1"]}), rejects("missing_required"))
    check("request-v3/bad date", v3_env(DETACH, detach, timestamp="2016-02-23T12:46:24"), rejects("constraint_violation"))


# --------------------------------------------------------------------------------------
# kind: incoming (corpus 1.1.0): the server side
# --------------------------------------------------------------------------------------

def incoming_env(method, query, headers, body=b"", credentials=None, path="/"):
    return {"protocol": 1, "kind": "incoming", "input": {
        "method": method, "path": path, "query": query, "headers": headers,
        "body_base64": base64.b64encode(body).decode("ascii"),
        "credentials": {"testid": "testsecret"} if credentials is None else credentials}}


def served(request_envelope, edit=None, credentials=None):
    """The request kind's verdict, sent to the incoming kind: a round trip through the
    adapter's client and server sides. `edit(parts)` changes the wire first."""
    verdict = verdict_of(request_envelope)
    parts = {"method": verdict["method"], "query": verdict["query"], "body": verdict.get("body", "").encode("utf-8"),
             "headers": [list(h) for h in verdict.get("headers", [["host", "ecs.aliyuncs.com"]])]}
    if edit:
        edit(parts)
    return incoming_env(parts["method"], parts["query"], parts["headers"], parts["body"], credentials), verdict


def v1_query_for(params, method="POST", secret="testsecret"):
    """A V1 wire query for exactly these parameters, signed by the sign kind."""
    import urllib.parse
    signature = verdict_of(sign_env(method, secret, params))
    return signature["canonical_query"] + "&Signature=" + urllib.parse.quote(signature["signature"], safe="")


def refused(status, code, sts=None):
    error = {"http_status": status, "code": code}
    if sts is not None:
        error["server_string_to_sign"] = sts
    return equals({"outcome": "service_error", "error": error})


def test_incoming():
    attach = {"RegionId": "cn-hangzhou", "RamRoleName": "Ecs Role", "InstanceIds": ["i-1", "i-2"], "OwnerId": 5}
    accepted_v1 = equals({"outcome": "accepted", "operation": ATTACH, "signature_version": "1.0", "params": attach})
    accepted_v3 = equals({"outcome": "accepted", "operation": ATTACH, "signature_version": "ACS3-HMAC-SHA256", "params": attach})
    try:
        for name, env, predicate in (
            ("V1 POST", req_env(ATTACH, attach, "POST", "JSON", DOC_SIGNING), accepted_v1),
            ("V1 GET, STS", req_env(ATTACH, attach, "GET", "XML", DOC_SIGNING, security_token="tok"), accepted_v1),
            ("V3 query", v3_env(ATTACH, attach, method="POST", fmt="JSON"), accepted_v3),
            ("V3 GET, STS", v3_env(ATTACH, attach, method="GET", fmt="XML", security_token="tok"), accepted_v3),
            ("V3 body", v3_env(ATTACH, attach, placement="body"), accepted_v3),
        ):
            check("incoming/round trip " + name, served(env)[0], predicate)

        v1 = req_env(ATTACH, attach, "POST", "JSON", DOC_SIGNING)
        env, verdict = served(v1, credentials={"testid": "other"})
        check("incoming/V1 wrong secret: the client's string to sign", env,
              refused(400, "SignatureDoesNotMatch", verdict["stages"]["string_to_sign"]))
        check("incoming/V1 unknown key id", served(v1, credentials={"x": "testsecret"})[0], refused(400, "InvalidAccessKeyId.NotFound"))
        tampered = verdict_of(req_env(ATTACH, dict(attach, RamRoleName="Evil"), "POST", "JSON", DOC_SIGNING))
        check("incoming/V1 tampered: the tampered string to sign",
              served(v1, lambda p: p.update(query=p["query"].replace("RamRoleName=Ecs%20Role", "RamRoleName=Evil")))[0],
              refused(400, "SignatureDoesNotMatch", tampered["stages"]["string_to_sign"]))
        check("incoming/V1 '+' is a space", served(v1, lambda p: p.update(query=p["query"].replace("%20", "+")))[0], accepted_v1)
        check("incoming/V1 form body (pop-core)",
              served(v1, lambda p: p.update(query="", body=p["query"].encode(), headers=[["host", "h"], ["Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"]]))[0],
              accepted_v1)
        check("incoming/V1 form body needs POST",
              served(v1, lambda p: p.update(method="GET", query="", body=p["query"].encode(), headers=[["content-type", "application/x-www-form-urlencoded"]]))[0],
              refused(400, "MissingParameter.Action"))
        check("incoming/V1 duplicate", served(v1, lambda p: p.update(query=p["query"] + "&OwnerId=5"))[0], refused(400, "InvalidParameter"))
        check("incoming/V1 duplicate across query and body",
              served(v1, lambda p: p.update(body=b"OwnerId=5", headers=[["content-type", "application/x-www-form-urlencoded"]]))[0],
              refused(400, "InvalidParameter"))
        for bad in ("%", "%4", "%zz", "%C3", "%FF"):
            check("incoming/V1 bad escape " + bad, served(v1, lambda p, bad=bad: p.update(query=p["query"] + "&X=" + bad))[0],
                  refused(400, "InvalidParameter"))

        common = {"Action": ATTACH, "Version": "2014-05-26", "AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1",
                  "SignatureVersion": "1.0", "SignatureNonce": "n", "Timestamp": "2016-02-23T12:46:24Z",
                  "RegionId": "r", "RamRoleName": "R", "InstanceIds": '["i-1"]'}
        for change, status, code in (
            ({"Action": None}, 400, "MissingParameter.Action"), ({"Action": "RunInstances"}, 403, "InvalidAction"),
            ({"Version": None}, 400, "MissingParameter.Version"), ({"Version": "2016-01-01"}, 400, "InvalidParameter"),
            ({"SignatureMethod": None}, 400, "MissingParameter.SignatureMethod"), ({"SignatureMethod": "x"}, 400, "IncompleteSignature"),
            ({"SignatureVersion": None}, 400, "MissingParameter.SignatureVersion"), ({"SignatureVersion": "2"}, 400, "IncompleteSignature"),
            ({"AccessKeyId": None}, 400, "MissingParameter.AccessKeyId"), ({"SignatureNonce": None}, 400, "MissingParameter.SignatureNonce"),
            ({"Timestamp": None}, 400, "MissingParameter.Timestamp"), ({"Timestamp": "2016-02-30T00:00:00Z"}, 400, "IllegalTimestamp"),
            ({"RegionId": None}, 400, "MissingParameter.RegionId"), ({"InstanceIds": None}, 400, "MissingParameter.InstanceIds"),
            ({"RamRoleName": None}, 400, "MissingParameter.RamRoleName"), ({"InstanceIds": "[1]"}, 400, "InvalidInstanceIds.Malformed"),
            ({"InstanceIds": '[""]'}, 400, "InvalidInstanceIds.Malformed"), ({"OwnerId": "1.0"}, 400, "InvalidParameter"),
            ({"ResourceOwnerAccount": ""}, 400, "InvalidParameter"), ({"Policy": ""}, 400, "InvalidParameter"),
        ):
            params = {k: v for k, v in dict(common, **change).items() if v is not None}
            check("incoming/V1 %s -> %s" % (json.dumps(change), code), incoming_env("POST", v1_query_for(params), []), refused(status, code))
        check("incoming/V1 Signature missing", incoming_env("POST", v1_query_for(common).split("&Signature=")[0], []),
              refused(400, "IncompleteSignature"))
        check("incoming/V1 unknown parameter ignored, Policy ignored on Detach",
              incoming_env("GET", v1_query_for(dict(common, Action=DETACH, Policy="p", X=""), "GET"), []),
              equals({"outcome": "accepted", "params": {"RegionId": "r", "RamRoleName": "R", "InstanceIds": ["i-1"]}}))

        v3 = v3_env(ATTACH, attach, fmt="JSON")
        env, verdict = served(v3, credentials={"testid": "other"})
        check("incoming/V3 wrong secret: the client's string to sign", env,
              refused(400, "SignatureDoesNotMatch", verdict["stages"]["string_to_sign"]))
        check("incoming/V3 unknown key id", served(v3, credentials={})[0], refused(400, "InvalidAccessKeyId.NotFound"))
        check("incoming/V3 wire re-encoded", served(v3, lambda p: p.update(query=p["query"].replace("%20", "+").replace("%22", "%22")))[0],
              accepted_v3)

        def without(name):
            return lambda p: p.update(headers=[h for h in p["headers"] if h[0] != name])

        for name in ("host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"):
            check("incoming/V3 no " + name, served(v3, without(name))[0], refused(400, "IncompleteSignature"))
        check("incoming/V3 no x-acs-action", served(v3, without("x-acs-action"))[0], refused(400, "MissingParameter.Action"))
        check("incoming/V3 no x-acs-version", served(v3, without("x-acs-version"))[0], refused(400, "MissingParameter.Version"))
        check("incoming/V3 unsigned x-acs header", served(v3, lambda p: p["headers"].append(["X-Acs-New", "1"]))[0],
              refused(400, "IncompleteSignature"))
        check("incoming/V3 unsigned user-agent is fine", served(v3, lambda p: p["headers"].append(["User-Agent", "x"]))[0], accepted_v3)
        check("incoming/V3 V1 parameter in the query", served(v3, lambda p: p.update(query=p["query"] + "&Timestamp=x"))[0],
              refused(400, "InvalidParameter"))

        def auth(fn):
            return lambda p: p.update(headers=[[n, fn(v) if n == "authorization" else v] for n, v in p["headers"]])

        check("incoming/V3 authorization form", served(v3, auth(lambda a: a.replace("Credential=", "Credential =")))[0],
              refused(400, "IncompleteSignature"))
        check("incoming/V3 SignedHeaders naming an absent header", served(v3, auth(lambda a: a.replace("host;", "host;x-acs-absent;")))[0],
              refused(400, "IncompleteSignature"))
        v3_body = v3_env(ATTACH, attach, placement="body")
        check("incoming/V3 body changed", served(v3_body, lambda p: p.update(body=p["body"] + b"&X=1"))[0],
              lambda v: None if v.get("error", {}).get("code") == "SignatureDoesNotMatch" else "code")
        check("incoming/V3 bad date", served(v3_env(ATTACH, attach, timestamp="2016-02-23T12:46:24Z"),
                                             lambda p: p.update(headers=[[n, "20160223T124624Z" if n == "x-acs-date" else v] for n, v in p["headers"]]))[0],
              refused(400, "IllegalTimestamp"))
    except AssertionError as e:
        record("incoming/setup", False, str(e))


# --------------------------------------------------------------------------------------
# kind: response
# --------------------------------------------------------------------------------------

def xml_body(op, inner):
    return '<?xml version="1.0" encoding="UTF-8"?><%sResponse>%s</%sResponse>' % (op, inner, op)


def test_response_docs():
    check("response/attach doc XML", resp_env(ATTACH, ATTACH_DOC_XML, content_type=XML_CT), output(doc_value(ATTACH)))
    check("response/attach doc JSON", resp_env(ATTACH, ATTACH_DOC_JSON, content_type=JSON_CT),
          output(doc_value(ATTACH, "D9553E4C-6C3A-4D66-AE79-9835AF705639")))
    check("response/detach doc XML", resp_env(DETACH, DETACH_DOC_XML, content_type=XML_CT), output(doc_value(DETACH)))
    check("response/detach doc JSON as published", resp_env(DETACH, DETACH_DOC_JSON_AS_PUBLISHED, content_type=JSON_CT),
          rejects("malformed_body"))
    check("response/detach doc JSON as published, sniffed", resp_env(DETACH, DETACH_DOC_JSON_AS_PUBLISHED),
          rejects("malformed_body"))
    check("response/detach doc JSON repaired", resp_env(DETACH, DETACH_DOC_JSON_REPAIRED, content_type=JSON_CT),
          output(doc_value(DETACH)))
    # README's normalized example, as an XML body and its JSON twin.
    readme_value = {
        "RequestId": "E6352369-5C2B-41CD-AB50-471550C8F674", "RamRoleName": "RamRoleTest", "TotalCount": 1, "FailCount": 0,
        "DetachInstanceRamRoleResults": {"DetachInstanceRamRoleResult": [
            {"InstanceId": "i-instance1", "Code": "200", "Message": "success", "Success": True,
             "InstanceRamRoleSets": {"InstanceRamRoleSet": [{"InstanceId": "i-instance1", "RamRoleName": "RamRoleTest"}]}}]}}
    xml = xml_body(DETACH, "<RequestId>E6352369-5C2B-41CD-AB50-471550C8F674</RequestId><RamRoleName>RamRoleTest</RamRoleName>"
                   "<TotalCount>1</TotalCount><FailCount>0</FailCount><DetachInstanceRamRoleResults>"
                   "<DetachInstanceRamRoleResult><InstanceId>i-instance1</InstanceId><Code>200</Code>"
                   "<Message>success</Message><Success>true</Success><InstanceRamRoleSets><InstanceRamRoleSet>"
                   "<InstanceId>i-instance1</InstanceId><RamRoleName>RamRoleTest</RamRoleName></InstanceRamRoleSet>"
                   "</InstanceRamRoleSets></DetachInstanceRamRoleResult></DetachInstanceRamRoleResults>")
    check("response/README value from XML", resp_env(DETACH, xml, fmt="xml"), output(readme_value))
    check("response/README value from JSON", resp_env(DETACH, json.dumps(readme_value), fmt="json"), output(readme_value))
    # InstanceRamRoleSets is not part of AttachInstanceRamRole: ignored there.
    check("response/attach ignores InstanceRamRoleSets",
          resp_env(ATTACH, xml.replace("Detach", "Attach")),
          lambda v: None if "InstanceRamRoleSets" not in json.dumps(v) and v.get("outcome") == "output" else "kept")


def test_response_xml():
    op = ATTACH
    res = lambda inner: xml_body(op, "<AttachInstanceRamRoleResults>%s</AttachInstanceRamRoleResults>" % inner)  # noqa
    item = "<AttachInstanceRamRoleResult><InstanceId>i-1</InstanceId></AttachInstanceRamRoleResult>"
    lst = lambda items: {"AttachInstanceRamRoleResults": {"AttachInstanceRamRoleResult": items}}  # noqa

    check("xml/two items", resp_env(op, res(item + item)), output(lst([{"InstanceId": "i-1"}] * 2)))
    check("xml/empty wrapper self-closing", resp_env(op, xml_body(op, "<AttachInstanceRamRoleResults/>")), output(lst([])))
    check("xml/empty wrapper whitespace", resp_env(op, res("\n  ")), output(lst([])))
    check("xml/wrapper absent", resp_env(op, xml_body(op, "")), output({}))
    check("xml/string whitespace preserved", resp_env(op, xml_body(op, "<RequestId> r </RequestId>")),
          output({"RequestId": " r "}))
    check("xml/empty string element", resp_env(op, xml_body(op, "<RequestId/>")), output({"RequestId": ""}))
    check("xml/number and bool whitespace",
          resp_env(op, res("<AttachInstanceRamRoleResult><Success>\n true </Success></AttachInstanceRamRoleResult>")
                   .replace("</AttachInstanceRamRoleResponse>", "<TotalCount> 7\n</TotalCount></AttachInstanceRamRoleResponse>")),
          output(dict(lst([{"Success": True}]), TotalCount=7)))
    check("xml/u32 max", resp_env(op, xml_body(op, "<FailCount>4294967295</FailCount>")), output({"FailCount": 4294967295}))
    check("xml/entities, char refs, CDATA, CRLF, comments, PIs",
          resp_env(op, xml_body(op, "<!-- c --><?pi x?><RequestId>&amp;&lt;&gt;&quot;&apos;&#20013;&#x1F600;"
                                    "<![CDATA[<a>]]]]><![CDATA[>]]>\r\nx<!--y-->z</RequestId>")),
          output({"RequestId": "&<>\"'中😀<a>]]>\nxz"}))
    check("xml/BOM, declaration, unknown elements and attributes",
          resp_env(op, b"\xef\xbb\xbf" + xml_body(op, '<Unknown a="1"><RequestId>no</RequestId></Unknown>'
                                                      '<RequestId x="y">r</RequestId><List><X/><X/></List>').encode()),
          output({"RequestId": "r"}))
    check("xml/default namespace on root",
          resp_env(op, '<AttachInstanceRamRoleResponse xmlns="https://ecs.aliyuncs.com/"><RequestId>r</RequestId>'
                       '</AttachInstanceRamRoleResponse>'), output({"RequestId": "r"}))
    check("xml/declared encoding ignored, read as UTF-8",
          resp_env(op, '<?xml version="1.0" encoding="ISO-8859-1"?><AttachInstanceRamRoleResponse><RequestId>é'
                       '</RequestId></AttachInstanceRamRoleResponse>'), output({"RequestId": "é"}))

    check("xml/DOCTYPE", resp_env(op, '<!DOCTYPE x><AttachInstanceRamRoleResponse/>'), rejects("forbidden_construct"))
    check("xml/XXE", resp_env(op, '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                                  '<AttachInstanceRamRoleResponse><RequestId>&e;</RequestId></AttachInstanceRamRoleResponse>'),
          rejects("forbidden_construct"))
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' + "".join(
        '<!ENTITY %s "%s">' % (chr(98 + i), ("&%s;" % chr(97 + i)) * 10) for i in range(9)) + "]>"
    check("xml/billion laughs", resp_env(op, laughs + xml_body(op, "<RequestId>&j;</RequestId>").split("?>", 1)[1]),
          rejects("forbidden_construct"))
    check("xml/undefined entity", resp_env(op, xml_body(op, "<RequestId>&nbsp;</RequestId>")), rejects("malformed_body"))
    check("xml/invalid char ref", resp_env(op, xml_body(op, "<RequestId>&#0;</RequestId>")), rejects("malformed_body"))
    check("xml/truncated", resp_env(op, ATTACH_DOC_XML[:60]), rejects("malformed_body"))
    check("xml/trailing garbage", resp_env(op, ATTACH_DOC_XML + "x"), rejects("malformed_body"))
    check("xml/mismatched tags", resp_env(op, xml_body(op, "<RequestId>r</Message>")), rejects("malformed_body"))
    check("xml/invalid UTF-8", resp_env(op, xml_body(op, "<RequestId>X</RequestId>").encode().replace(b"X", b"\xff")),
          rejects("malformed_body"))
    check("xml/empty body", resp_env(op, b"", content_type=XML_CT), rejects("malformed_body"))
    check("xml/empty body sniffed", resp_env(op, b""), rejects("malformed_body"))
    check("xml/wrong root", resp_env(op, xml_body(DETACH, "")), rejects("unexpected_shape"))
    check("xml/duplicate scalar", resp_env(op, xml_body(op, "<RequestId>a</RequestId><RequestId>a</RequestId>")),
          rejects("unexpected_shape"))
    check("xml/duplicate wrapper", resp_env(op, xml_body(op, "<AttachInstanceRamRoleResults/>" * 2)),
          rejects("unexpected_shape"))
    check("xml/mixed content in root", resp_env(op, xml_body(op, "text<RequestId>a</RequestId>")),
          rejects("unexpected_shape"))
    check("xml/mixed content in wrapper", resp_env(op, res("x" + item)), rejects("unexpected_shape"))
    check("xml/element inside Code",
          resp_env(op, res("<AttachInstanceRamRoleResult><Code><x/></Code></AttachInstanceRamRoleResult>")),
          rejects("type_mismatch"))
    check("xml/TotalCount not a number", resp_env(op, xml_body(op, "<TotalCount>1.0</TotalCount>")),
          rejects("type_mismatch"))
    check("xml/TotalCount empty", resp_env(op, xml_body(op, "<TotalCount/>")), rejects("type_mismatch"))
    check("xml/FailCount overflow", resp_env(op, xml_body(op, "<FailCount>4294967296</FailCount>")),
          rejects("type_mismatch"))
    check("xml/Success True", resp_env(op, res("<AttachInstanceRamRoleResult><Success>True</Success>"
                                              "</AttachInstanceRamRoleResult>")), rejects("type_mismatch"))
    check("xml/deep nesting", resp_env(op, xml_body(op, "<u>" * 300 + "</u>" * 300)), rejects("limit_exceeded"))


def test_response_json():
    op = DETACH
    W, X = "DetachInstanceRamRoleResults", "DetachInstanceRamRoleResult"
    lst = lambda items: {W: {X: items}}  # noqa: E731
    j = lambda value: resp_env(op, json.dumps(value), content_type=JSON_CT)  # noqa: E731

    check("json/Code number", j(lst([{"Code": 200}])), output(lst([{"Code": "200"}])))
    check("json/Success string", j(lst([{"Success": "false"}])), output(lst([{"Success": False}])))
    check("json/nulls are absent", j({"RequestId": None, W: {X: [{"Code": None}]}}), output(lst([{}])))
    check("json/item list null -> empty", j({W: {X: None}}), output(lst([])))
    check("json/empty wrapper object", j({W: {}}), output(lst([])))
    check("json/empty array", j(lst([])), output(lst([])))
    check("json/wrapper null absent", j({W: None}), output({}))
    check("json/unknown fields ignored",
          j({"A": [1, {"b": None}], "RequestId": "r", W: {"Z": 1, X: [{"Q": {"x": [1.5e300]}, "InstanceId": "i"}]}}),
          output({"RequestId": "r", W: {X: [{"InstanceId": "i"}]}}))
    check("json/BOM", resp_env(op, b'\xef\xbb\xbf{"RequestId":"r"}'), output({"RequestId": "r"}))
    check("json/escapes", resp_env(op, br'{"RequestId":"\u89d2\ud83d\ude00\/"}', content_type=JSON_CT),
          output({"RequestId": "角😀/"}))
    check("json/top-level array", j([]), rejects("unexpected_shape"))
    check("json/top-level string", j("x"), rejects("unexpected_shape"))
    check("json/duplicate key", resp_env(op, b'{"RequestId":"a","RequestId":"a"}', fmt="json"), rejects("unexpected_shape"))
    check("json/duplicate unknown key ignored", resp_env(op, b'{"Z":1,"Z":2}', fmt="json"), output({}))
    check("json/TotalCount string", j({"TotalCount": "1"}), rejects("type_mismatch"))
    check("json/TotalCount float", resp_env(op, b'{"TotalCount":1.0}'), rejects("type_mismatch"))
    check("json/TotalCount exponent", resp_env(op, b'{"TotalCount":1e0}'), rejects("type_mismatch"))
    check("json/TotalCount negative", j({"TotalCount": -1}), rejects("type_mismatch"))
    check("json/TotalCount bool", j({"TotalCount": True}), rejects("type_mismatch"))
    check("json/FailCount huge", resp_env(op, b'{"FailCount":' + b"9" * 5000 + b"}"), rejects("type_mismatch"))
    check("json/RequestId number", j({"RequestId": 1}), rejects("type_mismatch"))
    check("json/Code float", j(lst([{"Code": 200.5}])), rejects("type_mismatch"))
    check("json/Success TRUE", j(lst([{"Success": "TRUE"}])), rejects("type_mismatch"))
    check("json/single object not array", j({W: {X: {"InstanceId": "i"}}}), rejects("type_mismatch"))
    check("json/wrapper is an array", j({W: [{"InstanceId": "i"}]}), rejects("type_mismatch"))
    check("json/item not object", j(lst(["i"])), rejects("type_mismatch"))
    check("json/nested set not array", j(lst([{"InstanceRamRoleSets": {"InstanceRamRoleSet": 1}}])),
          rejects("type_mismatch"))
    check("json/NaN", resp_env(op, b'{"TotalCount":NaN}'), rejects("malformed_body"))
    check("json/trailing comma", resp_env(op, b'{"RequestId":"r",}'), rejects("malformed_body"))
    check("json/comment", resp_env(op, b'{"RequestId":"r"/*c*/}'), rejects("malformed_body"))
    check("json/truncated", resp_env(op, DETACH_DOC_JSON_REPAIRED[:-5]), rejects("malformed_body"))
    check("json/invalid UTF-8", resp_env(op, b'{"RequestId":"\xff"}'), rejects("malformed_body"))
    check("json/lone surrogate", resp_env(op, br'{"Z":"\ud800"}'), rejects("malformed_body"))
    check("json/empty body", resp_env(op, b"", content_type=JSON_CT), rejects("malformed_body"))
    check("json/deep nesting", resp_env(op, b'{"Z":' + b"[" * 3000 + b"]" * 3000 + b"}"), rejects("limit_exceeded"))
    # Format selection: Content-Type first, then the requested format, then sniffing.
    check("format/content-type beats requested format", resp_env(op, b'{"RequestId":"r"}', content_type=JSON_CT, fmt="xml"),
          output({"RequestId": "r"}))
    check("format/requested format beats sniffing", resp_env(op, b'{"RequestId":"r"}', fmt="XML"), rejects("malformed_body"))
    check("format/header name case-insensitive",
          dict(resp_env(op, b'{"RequestId":"r"}', fmt="xml"), http={"status": 200, "headers": [["content-TYPE", "Application/JSON"]]}),
          output({"RequestId": "r"}))
    check("format/unknown first byte", resp_env(op, b"RequestId=r"), rejects("malformed_body"))


def test_response_errors():
    op = ATTACH
    xml_err = ('<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>540CFF28</RequestId><HostId>ecs.aliyuncs.com'
               '</HostId><Code>InvalidRamRole.NotFound</Code><Message>The specified RAMRoleName does not exist.</Message>'
               '<Recommend>https://x/?a=1&amp;b=2</Recommend><Extra><y/></Extra></Error>')
    full = {"http_status": 404, "request_id": "540CFF28", "host_id": "ecs.aliyuncs.com", "code": "InvalidRamRole.NotFound",
            "message": "The specified RAMRoleName does not exist.", "recommend": "https://x/?a=1&b=2"}
    check("error/xml", resp_env(op, xml_err, 404, XML_CT), service_error(full))
    detail = {"AuthAction": "ecs:AttachInstanceRamRole", "UserId": 123, "Nested": {"a": [1.50, None]}}
    json_err = {"RequestId": "540CFF28", "HostId": "ecs.aliyuncs.com", "Code": "InvalidRamRole.NotFound",
                "Message": "The specified RAMRoleName does not exist.", "Recommend": "https://x/?a=1&b=2",
                "AccessDeniedDetail": detail, "Unknown": [1]}
    check("error/json with AccessDeniedDetail", resp_env(op, json.dumps(json_err), 404, JSON_CT),
          service_error(dict(full, access_denied_detail=detail)))
    camel = dict(json_err)
    camel["accessDeniedDetail"] = camel.pop("AccessDeniedDetail")
    check("error/json camelCase accessDeniedDetail", resp_env(op, json.dumps(camel), 404, JSON_CT),
          service_error(dict(full, access_denied_detail=detail)))
    check("error/xml AccessDeniedDetail map",
          resp_env(op, "<Error><Code>Forbidden.RAM</Code><AccessDeniedDetail><AuthAction>ecs:X</AuthAction>"
                       "<NoPermissionType>ImplicitDeny</NoPermissionType></AccessDeniedDetail></Error>", 403),
          service_error({"http_status": 403, "code": "Forbidden.RAM",
                         "access_denied_detail": {"AuthAction": "ecs:X", "NoPermissionType": "ImplicitDeny"}}))
    check("error/json Message key case", resp_env(op, '{"Code":"C","Message":"M","message":"lower"}', 400),
          service_error({"http_status": 400, "code": "C", "message": "M"}))
    check("error/only some keys", resp_env(op, '{"Code":"Throttling"}', 400, JSON_CT),
          service_error({"http_status": 400, "code": "Throttling"}))
    check("error/html 502", resp_env(op, "<html><body>Bad Gateway</body></html>", 502, "text/html"),
          service_error({"http_status": 502}))
    check("error/empty 503", resp_env(op, b"", 503), service_error({"http_status": 503}))
    check("error/malformed xml 400", resp_env(op, "<Error><Code>X</Error>", 400, XML_CT), service_error({"http_status": 400}))
    check("error/code number", resp_env(op, '{"Code":400,"Message":"m"}', 400, JSON_CT), service_error({"http_status": 400}))
    check("error/DOCTYPE", resp_env(op, '<!DOCTYPE Error><Error><Code>X</Code></Error>', 400),
          service_error({"http_status": 400}))
    check("error/json error body as XML content type", resp_env(op, '{"Code":"C"}', 400, XML_CT),
          service_error({"http_status": 400}))
    check("error/status 199 and 300 are errors", resp_env(op, ATTACH_DOC_XML, 300, XML_CT),
          service_error({"http_status": 300}))
    check("error/Error body with 200 is a shape problem", resp_env(op, xml_err, 200, XML_CT), rejects("unexpected_shape"))
    check("error/status 299 is success", resp_env(op, ATTACH_DOC_XML, 299, XML_CT), output(doc_value(ATTACH)))


def test_retry():
    def env(status, code=None, retry_after=None, name="x-acs-retry-after", body=None):
        if body is None:
            body = json.dumps({"Code": code}) if code is not None else ""
        e = resp_env(ATTACH, body, status, JSON_CT)
        if retry_after is not None:
            e["http"]["headers"].append([name, retry_after])
        return e

    def retry(retryable, after_ms):
        return equals({"outcome": "service_error", "retry": {"retryable": retryable, "after_ms": after_ms}})

    for label, e, want in (
        ("Throttling.User + 1500", env(400, "Throttling.User", "1500"), retry(True, 1500)),
        ("Throttling.Api, no header", env(400, "Throttling.Api"), retry(True, None)),
        ("Throttling + 0", env(400, "Throttling", "0"), retry(True, None)),
        ("ServiceUnavailable.RegionMaintaining at 400", env(400, "ServiceUnavailable.RegionMaintaining"), retry(True, None)),
        ("unknown code + 2000", env(400, "X.Y", "2000"), retry(True, 2000)),
        ("unknown code + ' 7 ' (trimmed)", env(400, "X.Y", " 7 "), retry(True, 7)),
        ("header name case", env(400, "X.Y", "9", name="X-ACS-RETRY-AFTER"), retry(True, 9)),
        ("unknown code + 0", env(400, "X.Y", "0"), retry(False, None)),
        ("unknown code + ''", env(400, "X.Y", ""), retry(False, None)),
        ("unknown code + 'abc'", env(400, "X.Y", "abc"), retry(False, None)),
        ("unknown code + '-1'", env(400, "X.Y", "-1"), retry(False, None)),
        ("unknown code + '1e3'", env(400, "X.Y", "1e3"), retry(False, None)),
        ("unknown code + 2^64", env(400, "X.Y", str(2**64)), retry(False, None)),
        ("429", env(429, "X.Y"), retry(True, None)),
        ("503, unparseable body", env(503, body="<html>"), retry(True, None)),
        ("SignatureNonceUsed", env(400, "SignatureNonceUsed"), retry(True, None)),
        ("OperationConflict", env(409, "OperationConflict"), retry(True, None)),
        ("InvalidRamRole.NotFound", env(404, "InvalidRamRole.NotFound"), retry(False, None)),
        ("prefix is case-sensitive", env(400, "throttling"), retry(False, None)),
        ("Rejected.Throttling is not a prefix match", env(400, "Rejected.Throttling"), retry(False, None)),
    ):
        check("retry/" + label, e, want)
    check("retry/not on success", resp_env(ATTACH, '{"RequestId":"r"}', 200, JSON_CT), lambda v: "retry" in v and "retry on a 200" or None)


# --------------------------------------------------------------------------------------
# DescribeInstanceRamRole (corpus 1.1.0)
# --------------------------------------------------------------------------------------

DESCRIBE = "DescribeInstanceRamRole"
# The 2020-11-09 API reference page's examples (AlibabaCloudDocs/ecs, commit a6f72118), byte-exact.
DESCRIBE_DOC_XML = (
    "<DescribeInstanceRamRoleResponse>\n      <RequestId>8F4CAE3F-7892-4662-83A5-2C2FFD639553</RequestId>\n"
    "      <InstanceRamRoleSets>\n            <InstanceRamRoleSet>\n"
    "                  <InstanceId>i-bp67acfmxazb4p****</InstanceId>\n"
    "                  <RamRoleName>EcsServiceRole-EcsDocGuideTest</RamRoleName>\n            </InstanceRamRoleSet>\n"
    "      </InstanceRamRoleSets>\n      <TotalCount>1</TotalCount>\n      <PageNumber>1</PageNumber>\n"
    "      <PageSize>1</PageSize>\n</DescribeInstanceRamRoleResponse>\n")
DESCRIBE_DOC_JSON = (
    '{\n    "RequestId": "8F4CAE3F-7892-4662-83A5-2C2FFD639553",\n    "InstanceRamRoleSets": {\n'
    '        "InstanceRamRoleSet": [\n            {\n                "InstanceId": "i-bp67acfmxazb4p****",\n'
    '                "RamRoleName": "EcsServiceRole-EcsDocGuideTest"\n            }\n        ]\n    },\n'
    '    "TotalCount": 1,\n    "PageNumber": 1,\n    "PageSize": 1\n}\n')
DESCRIBE_DOC_VALUE = {
    "RequestId": "8F4CAE3F-7892-4662-83A5-2C2FFD639553",
    "InstanceRamRoleSets": {"InstanceRamRoleSet": [{"InstanceId": "i-bp67acfmxazb4p****", "RamRoleName": "EcsServiceRole-EcsDocGuideTest"}]},
    "TotalCount": 1, "PageNumber": 1, "PageSize": 1,
}


def test_describe():
    by_role = {"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole"}
    region = {"RegionId": "cn-hangzhou"}
    check("describe/unsigned query", req_env(DESCRIBE, dict(by_role, PageNumber=2, PageSize=50), "GET"), equals({
        "outcome": "request", "method": "GET",
        "query": "Action=DescribeInstanceRamRole&PageNumber=2&PageSize=50&RamRoleName=EcsRole&RegionId=cn-hangzhou&Version=2014-05-26"}))
    check("describe/ids only", req_env(DESCRIBE, dict(region, InstanceIds=["i-1"]), "GET"), equals({
        "outcome": "request",
        "query": "Action=DescribeInstanceRamRole&InstanceIds=%5B%22i-1%22%5D&RegionId=cn-hangzhou&Version=2014-05-26"}))
    for label, params, kind in (
        ("neither filter", region, "constraint_violation"),
        ("paging only", dict(region, PageNumber=1, PageSize=10), "constraint_violation"),
        ("filters null", dict(region, InstanceIds=None, RamRoleName=None), "constraint_violation"),
        ("PageSize 0", dict(by_role, PageSize=0), "constraint_violation"),
        ("PageSize 51", dict(by_role, PageSize=51), "constraint_violation"),
        ("PageNumber 0", dict(by_role, PageNumber=0), "constraint_violation"),
        ("PageNumber 2^31", dict(by_role, PageNumber=2**31), "constraint_violation"),
        ("PageSize string", dict(by_role, PageSize="10"), "type_mismatch"),
        ("PageNumber negative", dict(by_role, PageNumber=-1), "type_mismatch"),
        ("PageSize true", dict(by_role, PageSize=True), "type_mismatch"),
        ("InstanceIds []", dict(region, InstanceIds=[]), "constraint_violation"),
        ("no RegionId", {"RamRoleName": "r"}, "missing_required"),
        ("Policy", dict(by_role, Policy="p"), "constraint_violation"),
    ):
        check("describe/request %s" % label, req_env(DESCRIBE, params, signing=DOC_SIGNING), rejects(kind))
    check("describe/doc XML", resp_env(DESCRIBE, DESCRIBE_DOC_XML, content_type=XML_CT), output(DESCRIBE_DOC_VALUE))
    check("describe/doc JSON", resp_env(DESCRIBE, DESCRIBE_DOC_JSON, content_type=JSON_CT), output(DESCRIBE_DOC_VALUE))
    check("describe/empty sets", resp_env(DESCRIBE, "<DescribeInstanceRamRoleResponse><InstanceRamRoleSets/></DescribeInstanceRamRoleResponse>"),
          output({"InstanceRamRoleSets": {"InstanceRamRoleSet": []}}))
    check("describe/Attach fields unknown", resp_env(DESCRIBE, '{"RamRoleName":"r","FailCount":0,"RegionId":"cn"}', content_type=JSON_CT),
          output({"RegionId": "cn"}))
    check("describe/PageSize string", resp_env(DESCRIBE, '{"PageSize":"10"}', content_type=JSON_CT), rejects("type_mismatch"))
    check("describe/Attach root", resp_env(DESCRIBE, "<AttachInstanceRamRoleResponse/>"), rejects("unexpected_shape"))
    # The server side: round trips through the client side.
    try:
        params = dict(by_role, InstanceIds=["i-1"], PageNumber=3, PageSize=7)
        check("describe/incoming V1 accepted", served(req_env(DESCRIBE, params, "POST", "JSON", DOC_SIGNING))[0], equals({
            "outcome": "accepted", "operation": DESCRIBE, "signature_version": "1.0", "params": params}))
        check("describe/incoming V3 accepted", served(v3_env(DESCRIBE, params, placement="body"))[0], equals({
            "outcome": "accepted", "operation": DESCRIBE, "signature_version": "ACS3-HMAC-SHA256", "params": params}))
        v1_common = {"Action": DESCRIBE, "Version": "2014-05-26", "AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1",
                     "SignatureVersion": "1.0", "SignatureNonce": "n", "Timestamp": "2016-02-23T12:46:24Z", "RegionId": "cn-hangzhou"}
        check("describe/incoming AllEmpty", incoming_env("POST", v1_query_for(dict(v1_common, PageSize="10")), []),
              refused(403, "InvalidParameter.AllEmpty"))
        check("describe/incoming PageSize 50", served(req_env(DESCRIBE, dict(by_role, PageSize=50), "POST", "JSON", DOC_SIGNING))[0],
              equals({"outcome": "accepted"}))
        for label, extra, status, code in (("PageSize 51", {"RamRoleName": "r", "PageSize": "51"}, 400, "InvalidParameter"),
                                           ("PageNumber 0", {"InstanceIds": '["i-1"]', "PageNumber": "0"}, 400, "InvalidParameter"),
                                           ("RamRoleName empty", {"RamRoleName": ""}, 400, "InvalidParameter")):
            check("describe/incoming %s" % label, incoming_env("POST", v1_query_for(dict(v1_common, **extra)), []), refused(status, code))
    except AssertionError as e:
        record("describe/incoming round trips", False, str(e))


# --------------------------------------------------------------------------------------
# Adapter protocol
# --------------------------------------------------------------------------------------

def test_protocol():
    check("protocol/unknown kind", {"protocol": 1, "kind": "parse"}, equals({"outcome": "unsupported"}))
    for name, raw in (("not JSON", b"{"), ("no protocol", b'{"kind":"sign"}'), ("protocol 2", b'{"protocol":2,"kind":"sign"}')):
        rc, out, err = run_adapter(raw)
        record("protocol/%s exits 2 without a verdict" % name, rc == 2 and out == b"" and err != b"",
               "rc=%d out=%r" % (rc, out))
    # The persistent mode: one-line envelopes in, one line out per envelope, in order.
    envs = [sign_env("GET", "s", {"a": str(n)}) for n in range(3)]
    rc, out, err = run_adapter(b"".join(json.dumps(e).encode() + b"\n" for e in envs))
    lines = out.decode("utf-8").splitlines()
    record("protocol/persistent mode answers each line", rc == 0 and len(lines) == 3
           and [json.loads(line) for line in lines] == [verdict_of(e) for e in envs], "rc=%d out=%r" % (rc, out))
    rc, out, err = run_adapter(json.dumps(envs[0], indent=2).encode())
    record("protocol/one-shot envelope over several lines", rc == 0 and json.loads(out) == verdict_of(envs[0]), "rc=%d out=%r" % (rc, out))
    rc, out, _ = run_adapter(b"", "--list-mutants")
    names = out.decode().split()
    record("protocol/--list-mutants", rc == 0 and len(names) == len(set(names)) >= 20, repr(names))
    return names


# --------------------------------------------------------------------------------------
# Mutants: each must change at least one verdict
# --------------------------------------------------------------------------------------

def test_mutants(names):
    detach = {"RegionId": "cn-hangzhou", "InstanceIds": ["i-1", "i-2"]}
    signed = req_env(DETACH, detach, "GET", "JSON", DOC_SIGNING)
    attach_xml = resp_env(ATTACH, ATTACH_DOC_XML, content_type=XML_CT)
    probes = {
        "plus_for_space": sign_env("GET", "s", {"a": "b c"}),
        "star_unencoded": sign_env("GET", "s", {"a": "i-****"}),
        "tilde_encoded": sign_env("GET", "s", {"a": "~"}),
        "lowercase_hex": sign_env("GET", "s", {"a": "é"}),
        "sort_case_insensitive": sign_env("GET", "s", {"a": "1", "B": "2"}),
        "no_amp_on_key": sign_env("GET", "s", {"a": "1"}),
        "double_encode_missing": sign_env("GET", "s", {"a": "1"}),
        "signature_not_urlencoded": req_env(DETACH, detach, signing=DOC_SIGNING, nonce="n1"),
        "json_spaces_in_instance_ids": req_env(DETACH, detach),
        "drop_single_item_list": attach_xml,
        "empty_list_as_absent": resp_env(ATTACH, xml_body(ATTACH, "<AttachInstanceRamRoleResults/>")),
        "trim_string_text": resp_env(ATTACH, xml_body(ATTACH, "<Message> x </Message><RequestId> r </RequestId>")),
        "expand_dtd_entities": resp_env(ATTACH, '<!DOCTYPE x [<!ENTITY e "v">]>'
                                                '<AttachInstanceRamRoleResponse><RequestId>&e;</RequestId>'
                                                '</AttachInstanceRamRoleResponse>'),
        "ignore_unknown_fails": resp_env(ATTACH, '{"RequestId":"r","PageSize":10}'),
        "code_as_int": attach_xml,
        "error_message_lowercase_key": resp_env(ATTACH, '{"Code":"C","Message":"M"}', 400, JSON_CT),
        "ignore_body": attach_xml,
        "sign_get_always": sign_env("POST", "s", {"a": "1"}),
        "accept_101_ids": req_env(DETACH, dict(detach, InstanceIds=["i-%d" % n for n in range(101)])),
        "status_ignored": resp_env(ATTACH, '{"Code":"C"}', 400, JSON_CT),
        "retry_after_ignored": resp_env(ATTACH, '{"Code":"X"}', 400, JSON_CT),
        "retry_after_zero_is_hint": resp_env(ATTACH, '{"Code":"X"}', 400, JSON_CT),
        "v3_key_amp": sign_v3_env(headers=[["host", "h"]], access_key_id="a", access_key_secret="s"),
        "v3_double_encode_query": sign_v3_env(query={"a": "b c"}, headers=[], access_key_id="a", access_key_secret="s"),
        "v3_content_type_unsigned": v3_env(DETACH, detach, placement="body"),
        "v3_uppercase_hex": sign_v3_env(headers=[], access_key_id="a", access_key_secret="s"),
        "v3_accept_signed": v3_env(DETACH, detach, fmt="JSON"),
        "v3_format_in_query": v3_env(DETACH, detach, fmt="XML"),
        "v3_headers_not_merged": sign_v3_env(headers=[["x-a", "1"], ["X-A", "2"]], access_key_id="a", access_key_secret="s"),
    }
    probes["describe_filters_unchecked"] = req_env(DESCRIBE, {"RegionId": "cn-hangzhou"})
    probes["describe_paging_dropped"] = resp_env(DESCRIBE, DESCRIBE_DOC_JSON, content_type=JSON_CT)
    probes["retry_after_ignored"]["http"]["headers"].append(["x-acs-retry-after", "5"])
    probes["retry_after_zero_is_hint"]["http"]["headers"].append(["x-acs-retry-after", "0"])
    # The server side: requests built by the (correct) client side, then edited.
    v1 = req_env(DETACH, dict(detach, RamRoleName="a b"), "POST", "JSON", DOC_SIGNING)
    v3 = v3_env(DETACH, dict(detach, RamRoleName="a b"))
    v3_body = v3_env(DETACH, detach, placement="body")
    try:
        go_style = dict(DOC_SIGNING)
        empty_param = {"Action": DETACH, "Version": "2014-05-26", "AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1",
                       "SignatureVersion": "1.0", "SignatureNonce": go_style["nonce"], "Timestamp": go_style["timestamp"],
                       "SignatureType": "", "RegionId": "r", "InstanceIds": '["i-1"]'}
        probes.update({
            "incoming_accept_any_signature": served(v1, credentials={"testid": "other"})[0],
            "incoming_plus_literal": served(v1, lambda p: p.update(query=p["query"].replace("%20", "+")))[0],
            "incoming_duplicate_last_wins": served(v1, lambda p: p.update(query=p["query"] + "&RegionId=x"))[0],
            "incoming_form_body_ignored": served(v1, lambda p: p.update(query="", body=p["query"].encode(),
                                                                       headers=[["content-type", "application/x-www-form-urlencoded"]]))[0],
            "incoming_signed_headers_unchecked": served(v3, lambda p: p["headers"].append(["x-acs-new", "1"]))[0],
            "incoming_body_hash_unchecked": served(v3_body, lambda p: p.update(body=p["body"] + b"&X=1"))[0],
            "incoming_v3_raw_query": served(v3, lambda p: p.update(query=p["query"].replace("%20", "+")))[0],
            "incoming_empty_values_unsigned": incoming_env("POST", v1_query_for(empty_param), []),
        })
    except AssertionError as e:
        record("mutant/server-side probes", False, str(e))
    for name in names:
        if name.startswith("stream_"):
            test_stream_mutant(name, probes["plus_for_space"])
            continue
        env = probes.get(name)
        if env is None:
            record("mutant/%s has a probe" % name, False, "no probe envelope in selftest.py")
            continue
        try:
            normal, broken = verdict_of(env), verdict_of(env, name)
        except AssertionError as e:
            record("mutant/%s" % name, False, str(e))
            continue
        record("mutant/%s changes the verdict" % name, normal != broken, "verdict unchanged: %s" % json.dumps(broken))


def test_stream_mutant(name, env):
    """A stream_* mutant answers four envelopes of a persistent stream, then breaks on the
    fifth: exits, prints a non-verdict line, or hangs (then the pipe is cut after 3 s)."""
    line = (json.dumps(env, separators=(",", ":")) + "\n").encode("utf-8")
    proc = subprocess.Popen(ADAPTER + ["--mutant", name], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, _ = proc.communicate(line * 6, timeout=3)
        hung = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        hung = True
    lines = out.decode("utf-8", "replace").splitlines()
    verdicts = [l for l in lines if l.startswith("{")]
    expected = {
        "stream_exit_on_5": not hung and proc.returncode == 3 and len(lines) == 4,
        "stream_garbage_on_5": not hung and len(verdicts) == 5 and lines[4] == "this is not a verdict",
        "stream_hang_on_5": hung and len(lines) == 4,
    }[name]
    record("mutant/%s breaks on the 5th envelope" % name, expected,
           "hung=%s rc=%s lines=%r" % (hung, proc.returncode, lines))


def main():
    test_sign()
    test_request()
    test_sign_v3()
    test_request_v3()
    test_incoming()
    test_response_docs()
    test_response_xml()
    test_response_json()
    test_response_errors()
    test_retry()
    test_describe()
    names = test_protocol()
    test_mutants(names)
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
