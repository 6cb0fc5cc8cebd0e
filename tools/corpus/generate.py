#!/usr/bin/env python3
"""Writes the conformance corpus (corpus/**) from the case definitions below.

Python standard library only, and independent of the Rust crate: every expected query,
string-to-sign and signature is computed here with urllib/hmac/hashlib, every expected
response value is written here by hand from the seed pages and protocol.md.

    python3 tools/corpus/generate.py           # rewrite corpus/ cases, bodies, index.json
    python3 tools/corpus/generate.py --check   # fail if corpus/ differs from this script

The case files are the contract (corpus/README.md); this script is how they are kept.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import sys
import urllib.parse

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "corpus")
VERSION = "1.1.0"
# The corpus version each case is added in; switched to 1.1.0 before the 1.1.0 cases below.
SINCE = "1.0.0"
SEED_ATTACH = "seeds/002_77e01217c5edae54.txt (AttachInstanceRamRole API reference)"
SEED_DETACH = "seeds/000_9a24991bec15a4e7.txt (DetachInstanceRamRole API reference)"
SYNTHETIC = {"type": "synthetic"}

# ---------------------------------------------------------------------------------------
# Signature V1, independently (protocol.md §2.1).

def enc(s):
    return urllib.parse.quote(s.encode("utf-8"), safe="-_.~")


def canonical(params):
    return "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items(), key=lambda kv: kv[0].encode()))


def sign(method, params, secret):
    cq = canonical(params)
    sts = f"{method}&%2F&{enc(cq)}"
    sig = base64.b64encode(hmac.new((secret + "&").encode(), sts.encode(), hashlib.sha1).digest()).decode()
    return cq, sts, sig


def ids_json(ids):
    return json.dumps(ids, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------------------------------
# Signature V3 (ACS3-HMAC-SHA256), independently (protocol.md §3.3; corpus/README.md).

V3 = "ACS3-HMAC-SHA256"
FORM = "application/x-www-form-urlencoded"


def sha256_hex(data):
    return hashlib.sha256(data if isinstance(data, bytes) else data.encode("utf-8")).hexdigest()


EMPTY_SHA256 = sha256_hex(b"")
assert EMPTY_SHA256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def v3_headers(pairs):
    """Canonical header lines and the signed names: names lowercased, values trimmed (space
    and tab), names differing only in case merged with their values sorted and ','-joined."""
    merged = {}
    for name, value in pairs:
        merged.setdefault(name.lower(), []).append(value.strip(" \t"))
    names = sorted(merged, key=lambda n: n.encode())
    return "".join(f"{n}:{','.join(sorted(merged[n]))}\n" for n in names), ";".join(names)


def v3_sign(method, path, query, headers, payload_sha256, access_key_id, secret):
    """Every V3 stage, for the headers given (all of them signed)."""
    lines, signed = v3_headers(headers)
    creq = f"{method}\n{path or '/'}\n{canonical(query)}\n{lines}\n{signed}\n{payload_sha256}"
    hashed = sha256_hex(creq)
    sts = f"{V3}\n{hashed}"
    sig = hmac.new(secret.encode("utf-8"), sts.encode("utf-8"), hashlib.sha256).hexdigest()
    return {"canonical_request": creq, "hashed_canonical_request": hashed, "string_to_sign": sts, "signature": sig,
            "authorization": f"{V3} Credential={access_key_id},SignedHeaders={signed},Signature={sig}"}


def operation_wire(params):
    """The operation's parameters as wire strings (InstanceIds rendered, Longs in decimal)."""
    wire = {}
    for name, value in params.items():
        if name == "InstanceIds":
            wire[name] = value if isinstance(value, str) else ids_json(value)
        elif name in INTEGER_PARAMS:
            wire[name] = str(value)
        else:
            wire[name] = value
    return wire


ACCEPT = {"JSON": "application/json", "XML": "application/xml"}


def v3_wire(op, params, context):
    """A V3 request as the Tea SDKs send it: (method, query, headers without authorization,
    body, query parameters signed, payload hash)."""
    signing = context["signing"]
    method = context.get("method", "POST")
    wire = operation_wire(params)
    encoded = canonical(wire)
    in_body = context.get("placement", "query") == "body"
    query, body, query_params = ("", encoded, {}) if in_body else (encoded, "", wire)
    payload = sha256_hex(body)
    headers = [("host", context.get("host", "ecs.aliyuncs.com")), ("x-acs-action", op), ("x-acs-content-sha256", payload),
               ("x-acs-date", signing["timestamp"]), ("x-acs-signature-nonce", signing["nonce"]), ("x-acs-version", "2014-05-26")]
    if signing.get("security_token"):
        headers.append(("x-acs-security-token", signing["security_token"]))
    if in_body:
        headers.append(("content-type", FORM))
    return method, query, headers, body, query_params, payload


def expected_request_v3(op, params, context):
    unknown = set(params) - set(OPERATION_PARAMS[op])
    assert not unknown, f"{op} has no parameter {unknown}: a request case must expect a reject"
    signing = context["signing"]
    method, query, signed, body, query_params, payload = v3_wire(op, params, context)
    stages = v3_sign(method, "/", query_params, signed, payload, signing["access_key_id"], signing["access_key_secret"])
    headers = signed + [("authorization", stages["authorization"])]
    if context.get("format"):
        headers.append(("accept", ACCEPT[context["format"]]))   # unsigned
    headers.sort(key=lambda h: h[0].encode())
    return {"outcome": "request", "method": method, "query": query, "headers": [list(h) for h in headers], "body": body,
            "stages": stages}


DOC_SIGNING = {
    "algorithm": "HMAC-SHA1",
    "access_key_id": "testid",
    "access_key_secret": "testsecret",
    "timestamp": "2016-02-23T12:46:24Z",
    "nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
}

# Each operation's parameters: the crate's one schema, as `ecs-ramrole schema` writes it.
with open(os.path.join(ROOT, "schema", "operations.json"), encoding="utf-8") as f:
    _SCHEMA = json.load(f)["operations"]
OPERATION_PARAMS = {op: [p["name"] for p in params] for op, params in _SCHEMA.items()}
# Integer-typed parameters (OwnerId, ResourceOwnerId; Describe's PageNumber, PageSize): decimal on the wire.
INTEGER_PARAMS = {p["name"] for params in _SCHEMA.values() for p in params if p["type"] == "integer"}
assert INTEGER_PARAMS == {"OwnerId", "ResourceOwnerId", "PageNumber", "PageSize"}, INTEGER_PARAMS


def expected_request(op, params, context):
    """The expected request verdict, computed from the protocol rules."""
    if (context.get("signing") or {}).get("algorithm") == V3:
        return expected_request_v3(op, params, context)
    unknown = set(params) - set(OPERATION_PARAMS[op])
    assert not unknown, f"{op} has no parameter {unknown}: a request case must expect a reject"
    wire = {"Action": op, "Version": "2014-05-26"}
    if context.get("format"):
        wire["Format"] = context["format"]
    for name, value in params.items():
        if name == "InstanceIds":
            wire[name] = value if isinstance(value, str) else ids_json(value)
        elif name in INTEGER_PARAMS:
            wire[name] = str(value)
        else:
            wire[name] = value
    method = context.get("method", "POST")
    signing = context.get("signing")
    if not signing:
        cq = canonical(wire)
        return {"outcome": "request", "method": method, "query": cq, "stages": {"canonical_query": cq}}
    wire.update({
        "AccessKeyId": signing["access_key_id"],
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "SignatureNonce": signing["nonce"],
        "Timestamp": signing["timestamp"],
    })
    if signing.get("security_token"):
        wire["SecurityToken"] = signing["security_token"]
    cq, sts, sig = sign(method, wire, signing["access_key_secret"])
    return {
        "outcome": "request",
        "method": method,
        "query": f"{cq}&Signature={enc(sig)}",
        "stages": {"canonical_query": cq, "string_to_sign": sts, "signature": sig},
    }


# ---------------------------------------------------------------------------------------
# The case list.

CASES = []   # (case dict, {file name: bytes})


def add(case, files=None):
    CASES.append((case, files or {}))


def base(cid, kind, level, source, description, tags):
    prefix = cid.rsplit("/", 1)[1][:2]
    assert prefix in ("y_", "n_", "i_"), cid
    return {
        "id": cid,
        "kind": kind,
        "level": level,
        "since": SINCE,
        "source": source,
        "description": description,
        "tags": list(tags),
    }


def sign_case(stem, method, secret, params, description, source=SYNTHETIC, level="must", tags=(), published=None, expect=None):
    case = base(f"sign/{stem}", "sign", level, source, description, ("sign",) + tuple(tags))
    case["input"] = {"method": method, "access_key_secret": secret, "params": params}
    if expect is None:
        cq, sts, sig = sign(method, params, secret)
        if published is not None:
            assert sig == published, (stem, sig, published)
        expect = {"outcome": "signature", "canonical_query": cq, "string_to_sign": sts, "signature": sig}
    case["expect"] = expect
    add(case)


def request_case(op, stem, params, context=None, expect=None, description="", source=SYNTHETIC, level="must", tags=()):
    context = {} if context is None else context
    case = base(f"request/{op}/{stem}", "request", level, source, description, ("request",) + tuple(tags))
    case["operation"] = op
    case["input"] = {"params": params, "context": context}
    case["expect"] = expect if expect is not None else expected_request(op, params, context)
    add(case)


def reject(*kinds):
    return {"outcome": "reject", "reject_kind": list(kinds)}


CONTENT_TYPES = {"xml": "text/xml;charset=UTF-8", "json": "application/json;charset=utf-8"}


def response_case(op, fmt, stem, body, expect, description, status=200, content_type="default",
                  requested="same", source=SYNTHETIC, level="must", tags=(), twin=None, ext=None, group=None, extra_headers=()):
    """A response case. `op` None means an error-body case (response/error/...), run
    against AttachInstanceRamRole."""
    directory = f"response/{group or op}/{fmt}"
    case = base(f"{directory}/{stem}", "response", level, source, description, ("response", fmt) + tuple(tags))
    case["operation"] = op or "AttachInstanceRamRole"
    if content_type == "default":
        content_type = CONTENT_TYPES.get(fmt)
    headers = [["Content-Type", content_type]] if content_type else []
    headers += [list(h) for h in extra_headers]
    case["http"] = {"status": status, "headers": headers}
    if requested == "same":
        requested = fmt if fmt in ("xml", "json") else None
    case["format"] = requested
    if isinstance(body, str):
        body = body.encode("utf-8")
    name = f"{stem}.body.{ext or fmt}"
    case["body_file"] = name
    case["body_sha256"] = hashlib.sha256(body).hexdigest()
    if twin:
        case["twin"] = twin
    case["expect"] = expect
    add(case, {name: body})


def output(value):
    return {"outcome": "output", "value": value}


def service_error(**error):
    return {"outcome": "service_error", "error": error}


def any_of(*alternatives, recommended=0):
    return {"outcome": "any_of", "alternatives": list(alternatives), "recommended": recommended}


# ---------------------------------------------------------------------------------------
# sign/

DESCRIBE_REGIONS = {
    "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
    "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
}
sign_case("y_doc_describe_regions", "GET", "testsecret", DESCRIBE_REGIONS,
          "The documented signing example: every stage is published.",
          source={"type": "doc", "document": "Alibaba Cloud ECS API reference, 'Request signatures' (protocol.md §2.2)"},
          published="OLeaidS1JvxuMvnyHOwuJ+uX5qY=", tags=("doc",))
errata = dict(DESCRIBE_REGIONS)
errata["TimeStamp"] = errata.pop("Timestamp")
sign_case("y_doc_errata_timestamp_capital_s", "GET", "testsecret", errata,
          "The older documented example spells the key TimeStamp; its published signature matches that spelling (protocol.md §2.2 errata). Keys are signed as given.",
          source={"type": "doc", "document": "Older ECS signature examples (protocol.md §2.2 errata)"},
          published="CT9X0VtwR86fNWSnsc6v8YGOjuE=", tags=("doc", "errata"))
GO = {"Version": "", "Action": "", "Format": "JSON", "Timestamp": "mock date", "SignatureMethod": "HMAC-SHA1",
      "SignatureVersion": "1.0", "SignatureType": "", "SignatureNonce": "MOCK_UUID", "AccessKeyId": "accessKeyId",
      "RegionId": "regionId"}
GO_SRC = {"type": "sdk-test", "ref": "aliyun/alibaba-cloud-sdk-go sdk/auth/rpc_signature_composer_test.go (protocol.md §2.3)"}
sign_case("y_go_sdk_composer", "GET", "accessKeySecret", GO,
          "Go SDK test vector: empty values are signed as 'Name=', a space in a value becomes %2520 in the string-to-sign.",
          source=GO_SRC, published="7loPmFjvDnzOVnQeQNj85S6nFGY=", tags=("sdk",))
sign_case("y_go_sdk_composer_sts", "GET", "accessKeySecret", dict(GO, SecurityToken="accessKeyStsToken"),
          "Go SDK test vector with an STS token.", source=GO_SRC, published="5Nxdcler+ihqWqv0Hr2On4PsBf4=", tags=("sdk",))
sign_case("y_go_sdk_empty_params", "GET", "any", {}, "No parameters: the string-to-sign is 'GET&%2F&'.", source=GO_SRC, tags=("sdk",))
sign_case("y_go_sdk_key_value", "GET", "any", {"key": "value"}, "One parameter.", source=GO_SRC, tags=("sdk",))
sign_case("y_go_sdk_url_value", "GET", "any", {"q": "http://domain/?q=value&q2=value2"},
          "A URL as a value: encoded once in the canonical query, twice in the string-to-sign.", source=GO_SRC, tags=("sdk",))
sign_case("y_openapi_util_vector", "GET", "secret", {"query": "test", "body": "test"},
          "darabonba-openapi-util test vector.",
          source={"type": "sdk-test", "ref": "aliyun/darabonba-openapi-util python/tests/test_client.py (protocol.md §2.3)"},
          published="XlUyV4sXjOuX5FnjUz9IF9tm5rU=", tags=("sdk",))
sign_case("y_python_core_vector", "GET", "access_key_secret",
          {"SignatureVersion": "1.0", "Format": "JSON", "Timestamp": "7e1c7d12-7551-4856-8abb-1938ccac6bcc",
           "AccessKeyId": "access_key_id", "SignatureMethod": "HMAC-SHA1", "SignatureType": "",
           "SignatureNonce": "2018-12-04T04:03:12Z"},
          "aliyunsdkcore test vector (timestamp and nonce swapped upstream, signed as given).",
          source={"type": "sdk-test", "ref": "aliyun/aliyun-openapi-python-sdk aliyun-python-sdk-core tests (protocol.md §2.3)"},
          published="5AYPtZduFYvj3ETTIQlivGqL7Ic=", tags=("sdk",))
sign_case("y_sort_bytewise", "GET", "k", {"b": "1", "B": "2", "a": "3", "A": "4", "_": "5", "~": "6", "0": "7"},
          "Keys sort by byte: digits, uppercase, underscore, lowercase, tilde; never case-insensitively.")
sign_case("y_value_with_percent", "GET", "k", {"Value": "%41%2"},
          "A literal % is encoded (%25), never decoded: %2541 in the query, %252541 in the string-to-sign.")
sign_case("y_empty_value", "GET", "k", {"Empty": "", "Full": "x"}, "An empty value stays in the canonical query as 'Empty='.")
sign_case("y_secret_special_chars", "GET", "s&e+c/r=e t阿", {"A": "1"},
          "The HMAC key is the raw secret bytes plus '&': nothing in the secret is encoded.")
sign_case("y_post_method", "POST", "testsecret", DESCRIBE_REGIONS, "The method is part of the string-to-sign: POST differs from GET.")
sign_case("y_unreserved_and_reserved", "GET", "k", {"Chars": "-_.~!*'();:@&=+$,/?#[] \"<>%{}|\\^`"},
          "Only A-Z a-z 0-9 - _ . ~ stay literal; ! * ' ( ) are encoded too (unlike JavaScript's encodeURIComponent).")
sign_case("y_utf8_multibyte", "GET", "k", {"Name": "角色 é 😀"},
          "Non-ASCII is encoded byte by byte from UTF-8, uppercase hex, including 4-byte characters.")
sign_case("y_non_ascii_key", "GET", "k", {"Ключ": "v", "Key": "v"}, "Keys are encoded like values and sorted by their raw UTF-8 bytes.")
sign_case("n_signature_in_params", "GET", "k", {"A": "1", "Signature": "x"},
          "Signature is never part of what is signed: a sign envelope must not carry it.", expect=reject("constraint_violation"))
sign_case("n_non_string_value", "GET", "k", {"A": 1}, "Parameter values are strings.", expect=reject("type_mismatch"))
sign_case("n_empty_secret", "GET", "", {"A": "1"}, "An empty secret is refused.", expect=reject("constraint_violation"))
sign_case("n_method_put", "PUT", "k", {"A": "1"}, "Only GET and POST.", expect=reject("constraint_violation"))

# ---------------------------------------------------------------------------------------
# request/

ATTACH, DETACH = "AttachInstanceRamRole", "DetachInstanceRamRole"
SIGNED_POST = {"method": "POST", "format": "JSON", "signing": DOC_SIGNING}
SIGNED_GET_XML = {"method": "GET", "format": "XML", "signing": DOC_SIGNING}
DOC_ATTACH = {"RegionId": "cn-hangzhou", "RamRoleName": "RamRoleTest", "InstanceIds": ["i-instance1"]}
DOC_DETACH = {"RegionId": "cn-hangzhou", "RamRoleName": "RamRoleTest", "InstanceIds": ["i-instance1"]}
SEED_REPAIR = ("The page shows InstanceIds raw and unencoded, with layout spaces and a "
               "<Common request parameters> placeholder; the parameters are taken as documented and encoded on the wire.")

request_case(ATTACH, "y_doc_example", DOC_ATTACH, SIGNED_POST,
             description="The page's request example, signed with the documented signing example's key, time and nonce, POST and JSON as the official SDKs send.",
             source={"type": "doc", "document": SEED_ATTACH, "repair": SEED_REPAIR}, tags=("doc",))
request_case(ATTACH, "y_doc_example_get_xml", DOC_ATTACH, SIGNED_GET_XML,
             description="The same example over GET with Format=XML.",
             source={"type": "doc", "document": SEED_ATTACH, "repair": SEED_REPAIR}, tags=("doc",))
request_case(ATTACH, "y_doc_example_unsigned", DOC_ATTACH, {"method": "GET"},
             description="Unsigned and without Format: only Action, Version and the operation's parameters.",
             source={"type": "doc", "document": SEED_ATTACH, "repair": SEED_REPAIR}, tags=("doc", "unsigned"))
request_case(DETACH, "y_doc_example", DOC_DETACH, SIGNED_POST,
             description="The page's request example, signed like the Attach one.",
             source={"type": "doc", "document": SEED_DETACH, "repair": SEED_REPAIR}, tags=("doc",))
request_case(DETACH, "y_doc_example_get_xml", DOC_DETACH, SIGNED_GET_XML,
             description="The Detach example over GET with Format=XML.",
             source={"type": "doc", "document": SEED_DETACH, "repair": SEED_REPAIR}, tags=("doc",))

MASKED = ["i-bp67acfmxazb4p****", "i-bp67acfmxazb5p****"]
request_case(ATTACH, "y_ids_masked_asterisks", {"RegionId": "cn-hangzhou", "RamRoleName": "testRamRoleName", "InstanceIds": MASKED},
             {"method": "GET", "format": "JSON", "signing": DOC_SIGNING},
             description="conformance-design.md §10 vector: '*' is %2A; compact JSON gives qCAOEyvqMXpz2FYLmWz19xkWtKE=.",
             tags=("ids", "json-form"))
request_case(ATTACH, "y_ids_raw_spaced", {"RegionId": "cn-hangzhou", "RamRoleName": "testRamRoleName",
                                          "InstanceIds": '["i-bp67acfmxazb4p****", "i-bp67acfmxazb5p****"]'},
             {"method": "GET", "format": "JSON", "signing": DOC_SIGNING},
             description="Raw JSON text is sent byte-for-byte: the spaced form signs to ElW//GgMzjYD+RT23zrNIIZ5E18=.",
             tags=("ids", "raw-json"))
assert expected_request(ATTACH, CASES[-2][0]["input"]["params"], CASES[-2][0]["input"]["context"])["stages"]["signature"] == "qCAOEyvqMXpz2FYLmWz19xkWtKE="
assert CASES[-1][0]["expect"]["stages"]["signature"] == "ElW//GgMzjYD+RT23zrNIIZ5E18="

def with_overrides(params, overrides):
    """`params` with each override applied; an override of None removes the parameter."""
    params = dict(params)
    for name, value in overrides.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return params


def attach(**overrides):
    return with_overrides({"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole", "InstanceIds": ["i-1"]}, overrides)


def detach(**overrides):
    return with_overrides({"RegionId": "cn-hangzhou", "InstanceIds": ["i-1"]}, overrides)


HUNDRED = [f"i-{n:03}" for n in range(100)]
for op, make in ((ATTACH, attach), (DETACH, detach)):
    request_case(op, "y_ids_one", make(InstanceIds=["i-a"]), SIGNED_POST, description="One ID is still a JSON array: [\"i-a\"].", tags=("ids",))
    request_case(op, "y_ids_two_order_preserved", make(InstanceIds=["i-z", "i-a"]), SIGNED_POST, description="Order is kept, not sorted.", tags=("ids",))
    request_case(op, "y_ids_duplicates_preserved", make(InstanceIds=["i-a", "i-a"]), SIGNED_POST, description="Duplicates are kept.", tags=("ids",))
    request_case(op, "y_ids_100", make(InstanceIds=HUNDRED), SIGNED_POST, description="The documented maximum of 100 IDs.", tags=("ids", "limit"))
    request_case(op, "n_ids_101", make(InstanceIds=HUNDRED + ["i-100"]), SIGNED_POST, expect=reject("constraint_violation"),
                 description="101 IDs exceed the documented maximum.", tags=("ids", "limit"))
    request_case(op, "n_ids_empty", make(InstanceIds=[]), SIGNED_POST, expect=reject("constraint_violation"),
                 description="At least one ID ('Array length: 1 to 100').", tags=("ids",))
    request_case(op, "n_ids_empty_string_item", make(InstanceIds=["i-1", ""]), SIGNED_POST, expect=reject("constraint_violation"),
                 description="Each ID is a non-empty string.", tags=("ids",))
    request_case(op, "n_ids_missing", make(InstanceIds=None), SIGNED_POST, expect=reject("missing_required"),
                 description="InstanceIds is required.", tags=("ids",))
    request_case(op, "n_ids_item_not_string", make(InstanceIds=["i-1", 2]), SIGNED_POST, expect=reject("type_mismatch"),
                 description="Array elements must be strings.", tags=("ids",))
    request_case(op, "n_ids_object", make(InstanceIds={"i": 1}), SIGNED_POST, expect=reject("type_mismatch"),
                 description="InstanceIds is an array or a string of JSON text.", tags=("ids",))
    request_case(op, "n_ids_raw_bare_id", make(InstanceIds="i-instance1"), SIGNED_POST, expect=reject("constraint_violation"),
                 description="A bare ID is not JSON (the 2019-2021 Detach page's example had this defect).", tags=("ids", "raw-json"))
    request_case(op, "n_ids_raw_trailing_comma", make(InstanceIds='["i-1",]'), SIGNED_POST, expect=reject("constraint_violation"),
                 description="Raw text must be valid JSON.", tags=("ids", "raw-json"))
    request_case(op, "n_ids_raw_number_item", make(InstanceIds='["i-1",2]'), SIGNED_POST, expect=reject("constraint_violation"),
                 description="Raw text must be an array of strings.", tags=("ids", "raw-json"))
    request_case(op, "n_ids_raw_typographic_quotes", make(InstanceIds='[“i-1”]'), SIGNED_POST, expect=reject("constraint_violation"),
                 description="Typographic quotes (a typesetting artifact on one rendered page) are not JSON.", tags=("ids", "raw-json"))
    request_case(op, "y_ids_raw_pretty", make(InstanceIds='[\n  "i-1",\n  "i-2"\n]'), SIGNED_POST,
                 description="Raw JSON with newlines is sent exactly as given.", tags=("ids", "raw-json"))
    request_case(op, "n_region_missing", make(RegionId=None), SIGNED_POST, expect=reject("missing_required"), description="RegionId is required.")
    request_case(op, "n_region_empty", make(RegionId=""), SIGNED_POST, expect=reject("constraint_violation"), description="RegionId must not be empty.")
    request_case(op, "n_region_number", make(RegionId=1), SIGNED_POST, expect=reject("type_mismatch"), description="RegionId is a string.")
    request_case(op, "y_owner_params", make(OwnerId=1234567890123456, ResourceOwnerId=42, ResourceOwnerAccount="owner@example.com"),
                 SIGNED_POST, description="OwnerId and ResourceOwnerId are integers written in decimal; '@' is %40.", tags=("owner",))
    request_case(op, "y_owner_id_max_long", make(OwnerId=9223372036854775807), SIGNED_POST,
                 description="OwnerId is a Long: 2^63-1 is the largest.", tags=("owner", "int64-precision"))
    request_case(op, "n_owner_id_too_large", make(OwnerId=9223372036854775808), SIGNED_POST, expect=reject("type_mismatch"),
                 description="2^63 is not a Long.", tags=("owner", "int64-precision"))
    request_case(op, "n_owner_id_negative", make(OwnerId=-1), SIGNED_POST, expect=reject("type_mismatch"), description="Negative IDs mean nothing.", tags=("owner",))
    request_case(op, "n_owner_id_string", make(OwnerId="7"), SIGNED_POST, expect=reject("type_mismatch"), description="OwnerId is a JSON integer.", tags=("owner",))
    request_case(op, "n_owner_id_fraction", make(ResourceOwnerId=1.5), SIGNED_POST, expect=reject("type_mismatch"), description="No fractions.", tags=("owner",))
    request_case(op, "n_resource_owner_account_empty", make(ResourceOwnerAccount=""), SIGNED_POST, expect=reject("constraint_violation"),
                 description="An empty ResourceOwnerAccount means nothing.", tags=("owner",))
    request_case(op, "n_unknown_parameter", make(OwnerAccount="acc"), SIGNED_POST, expect=reject("constraint_violation"),
                 description="OwnerAccount is not a parameter of this operation in any SDK.")
    request_case(op, "y_security_token", make(), {"method": "POST", "format": "JSON", "signing": dict(DOC_SIGNING, security_token="CAIS/token+with=odd chars")},
                 description="An STS token is sent and signed as SecurityToken.", tags=("sts",))
    request_case(op, "y_unsigned_no_format", make(), {"method": "POST"}, description="Without signing or format: no signing parameters, no Format.", tags=("unsigned",))
    request_case(op, "y_method_defaults_to_post", make(), {"format": "XML", "signing": DOC_SIGNING}, description="Without a method, POST.")
    request_case(op, "y_param_order_independent", dict(reversed(list(make(ResourceOwnerId=7).items()))), SIGNED_POST,
                 description="The order of the input parameters does not matter.")
    request_case(op, "y_region_reserved_and_unicode", make(RegionId="cn hangzhou/*~+&=阿"), SIGNED_POST,
                 description="Reserved and non-ASCII characters in RegionId: %20, %2F, %2A, ~, %2B, %26, %3D, UTF-8 bytes.", tags=("encoding",))
    request_case(op, "y_ids_json_escapes", make(InstanceIds=["q\"uote", "back\\slash", "tab\there", "nl\nx"]), SIGNED_POST,
                 description="Canonical JSON escapes only what JSON requires: \\\" \\\\ \\t \\n.", tags=("ids", "json-form"))
    request_case(op, "y_ids_json_no_html_escape", make(InstanceIds=["a&b<c>d", "e/f"]), SIGNED_POST,
                 description="& < > and / stay raw in the JSON (Go's encoding/json would write \\u0026).", tags=("ids", "json-form"), level="should")
    request_case(op, "y_ids_json_non_ascii_raw", make(InstanceIds=["实例-1", "é😀"]), SIGNED_POST,
                 description="Non-ASCII stays raw UTF-8 in the JSON (Python's default ensure_ascii would write \\uXXXX).", tags=("ids", "json-form"), level="should")
    request_case(op, "y_ids_control_character", make(InstanceIds=["a\u0001b"]), SIGNED_POST,
                 description="A control character is escaped as \\u0001 (lowercase hex), as serde_json and Python's json do.", tags=("ids", "json-form"), level="should")
    request_case(op, "n_timestamp_not_utc_form", make(), {"method": "POST", "signing": dict(DOC_SIGNING, timestamp="2016-02-23 12:46:24")},
                 expect=reject("constraint_violation"), description="Timestamp must be YYYY-MM-DDThh:mm:ssZ.", tags=("signing",))
    request_case(op, "n_timestamp_fraction", make(), {"method": "POST", "signing": dict(DOC_SIGNING, timestamp="2016-02-23T12:46:24.123Z")},
                 expect=reject("constraint_violation"), description="No fractional seconds.", tags=("signing",))
    request_case(op, "n_timestamp_impossible_date", make(), {"method": "POST", "signing": dict(DOC_SIGNING, timestamp="2016-02-30T12:46:24Z")},
                 expect=reject("constraint_violation"), description="February has no 30th.", tags=("signing",))
    request_case(op, "n_nonce_missing", make(), {"method": "POST", "signing": {k: v for k, v in DOC_SIGNING.items() if k != "nonce"}},
                 expect=reject("missing_required"), description="Signing needs a nonce.", tags=("signing",))
    request_case(op, "n_nonce_empty", make(), {"method": "POST", "signing": dict(DOC_SIGNING, nonce="")},
                 expect=reject("constraint_violation"), description="An empty nonce is refused.", tags=("signing",))
    request_case(op, "n_method_put", make(), {"method": "PUT"}, expect=reject("constraint_violation"), description="Only GET and POST.")
    request_case(op, "n_format_lowercase", make(), {"format": "json"}, expect=reject("constraint_violation"),
                 description="The envelope's format is JSON or XML, as sent.")
    request_case(op, "y_nonce_and_key_id_reserved_chars", make(),
                 {"method": "GET", "signing": dict(DOC_SIGNING, nonce="n o/n+c=e&阿", access_key_id="LTAI id+/=")},
                 description="Reserved and non-ASCII characters in the nonce and AccessKeyId are encoded like any value.", tags=("encoding", "signing"))

request_case(ATTACH, "n_role_name_missing", attach(RamRoleName=None), SIGNED_POST, expect=reject("missing_required"),
             description="RamRoleName is required for AttachInstanceRamRole.")
request_case(ATTACH, "n_role_name_empty", attach(RamRoleName=""), SIGNED_POST, expect=reject("constraint_violation"), description="Not empty.")
request_case(ATTACH, "y_role_name_reserved_chars", attach(RamRoleName="a b+c*d~e/f=g&h%i"), SIGNED_POST,
             description="space %20, + %2B, * %2A, ~ literal, / %2F, = %3D, & %26, % %25.", tags=("encoding",))
request_case(ATTACH, "y_role_name_unicode", attach(RamRoleName="角色"), SIGNED_POST, description="UTF-8 bytes, uppercase hex.", tags=("encoding",))
request_case(ATTACH, "y_role_name_emoji_4byte", attach(RamRoleName="role😀"), SIGNED_POST,
             description="A 4-byte UTF-8 character is four %XX escapes, not a code-point escape.", tags=("encoding",))
request_case(ATTACH, "y_policy_verbatim", attach(Policy='{\n  "Statement": [{"Effect": "Allow", "Action": "*"}],\n  "Version": "1"\n}'),
             SIGNED_POST, description="Policy is a string sent byte-for-byte: whitespace and newlines kept, never re-serialized.", tags=("policy",))
request_case(ATTACH, "y_policy_1024_chars", attach(Policy="角" * 1024), SIGNED_POST,
             description="1024 characters (3072 UTF-8 bytes) is within the limit: characters, not bytes.", tags=("policy", "limit"))
request_case(ATTACH, "n_policy_1025_chars", attach(Policy="p" * 1025), SIGNED_POST, expect=reject("constraint_violation"),
             description="More than 1024 characters.", tags=("policy", "limit"))
request_case(ATTACH, "n_policy_empty", attach(Policy=""), SIGNED_POST, expect=reject("constraint_violation"), description="Policy is 1 to 1024 characters.", tags=("policy",))
request_case(ATTACH, "y_resource_owner_account_unicode", attach(ResourceOwnerAccount="所有者 a+b@例.com"), SIGNED_POST,
             description="Reserved and non-ASCII characters in ResourceOwnerAccount.", tags=("encoding", "owner"))
request_case(DETACH, "y_without_role_name", detach(), SIGNED_POST, description="RamRoleName is optional for Detach: absent from the query.")
request_case(DETACH, "y_role_name", detach(RamRoleName="RamRoleTest"), SIGNED_POST, description="With the optional RamRoleName.")
request_case(DETACH, "n_role_name_empty", detach(RamRoleName=""), SIGNED_POST, expect=reject("constraint_violation"),
             description="An optional parameter, when present, is not empty.")
request_case(DETACH, "n_policy_not_a_parameter", detach(Policy="p"), SIGNED_POST, expect=reject("constraint_violation"),
             description="DetachInstanceRamRole has no Policy.")
request_case(DETACH, "y_role_name_unicode_and_reserved", detach(RamRoleName="角色 a+b"), SIGNED_POST,
             description="Reserved and non-ASCII characters in the optional RamRoleName.", tags=("encoding",))

# ---------------------------------------------------------------------------------------
# response/: success bodies.

def seed_blocks(path):
    import re
    text = open(path, encoding="utf-8").read()
    return re.findall(r"```[^\n]*\n(.*?)```", text, re.S)


SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "seeds")


def read_seed_bodies():
    """The documented bodies, byte-exact from the pages, or from the corpus when the
    seeds are not beside the checkout."""
    out = {}
    for name, op in (("002_77e01217c5edae54.txt", ATTACH), ("000_9a24991bec15a4e7.txt", DETACH)):
        path = os.path.join(SHARED, name)
        if os.path.exists(path):
            blocks = seed_blocks(path)
            out[op] = (blocks[1], blocks[2])
        else:
            stem = "n_doc_example_as_published" if op == DETACH else "y_doc_example"
            out[op] = (open(os.path.join(ROOT, f"response/{op}/xml/y_doc_example.body.xml"), encoding="utf-8").read(),
                       open(os.path.join(ROOT, f"response/{op}/json/{stem}.body.json"), encoding="utf-8").read())
    return out


SEEDS = read_seed_bodies()


def doc_value(op, request_id):
    return {"RequestId": request_id, "RamRoleName": "RamRoleTest", "TotalCount": 1, "FailCount": 0,
            f"{op}Results": {f"{op}Result": [{"InstanceId": "i-instance1", "Code": "200", "Message": "success"}]}}


response_case(ATTACH, "xml", "y_doc_example", SEEDS[ATTACH][0], output(doc_value(ATTACH, "E6352369-5C2B-41CD-AB50-471550C8F674")),
              "The page's XML response example, byte-exact (indented, a trailing space after </TotalCount>, no declaration).",
              source={"type": "doc", "document": SEED_ATTACH}, tags=("doc",))
response_case(ATTACH, "json", "y_doc_example", SEEDS[ATTACH][1], output(doc_value(ATTACH, "D9553E4C-6C3A-4D66-AE79-9835AF705639")),
              "The page's JSON response example, byte-exact (tab-indented; its RequestId differs from the XML example's).",
              source={"type": "doc", "document": SEED_ATTACH}, tags=("doc",))
response_case(DETACH, "xml", "y_doc_example", SEEDS[DETACH][0], output(doc_value(DETACH, "E6352369-5C2B-41CD-AB50-471550C8F674")),
              "The page's XML response example, byte-exact.", source={"type": "doc", "document": SEED_DETACH}, tags=("doc",),
              twin="response/DetachInstanceRamRole/json/y_doc_example_repaired")
response_case(DETACH, "json", "n_doc_example_as_published", SEEDS[DETACH][1], reject("malformed_body"),
              "The page's JSON example as published: it lost its braces, so it is not JSON and must be rejected.",
              source={"type": "doc", "document": SEED_DETACH, "defect": "the braces of the root object, the wrapper object and the array item are missing"},
              tags=("doc", "doc-defect"))
detach_json = SEEDS[DETACH][1].split("\n")
for index, text in {0: "{", 4: "            {", 8: "            }", 9: "        ]", 10: "    },", 14: "}"}.items():
    assert detach_json[index].strip() == "", (index, detach_json[index])
    detach_json[index] = text
response_case(DETACH, "json", "y_doc_example_repaired", "\n".join(detach_json), output(doc_value(DETACH, "E6352369-5C2B-41CD-AB50-471550C8F674")),
              "The page's JSON example with its lost braces restored on the blank lines where they belong; nothing else changed.",
              source={"type": "doc", "document": SEED_DETACH, "repair": "restored {, {, }, ], }, and } on lines 1, 5, 9, 10, 11 and 15"},
              tags=("doc", "repaired"), twin="response/DetachInstanceRamRole/xml/y_doc_example")


def xml_doc(op, fields, decl=True):
    names = f"{op}Response"
    return (('<?xml version="1.0" encoding="UTF-8"?>' if decl else "") + f"<{names}>{fields}</{names}>")


def xml_results(op, items):
    return f"<{op}Results>" + "".join(f"<{op}Result>{i}</{op}Result>" for i in items) + f"</{op}Results>"


def el(name, text):
    return f"<{name}>{text}</{name}>"


def xml_item(d):
    return "".join(el(k, v if isinstance(v, str) else json.dumps(v)) for k, v in d.items())


def js_doc(op, fields):
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def results_value(op, items):
    return {f"{op}Results": {f"{op}Result": items}}


def twin_pair(op, stem, xml_body, json_body, value, description, level="must", tags=()):
    """An XML case and its JSON twin sharing one expected value."""
    response_case(op, "xml", stem, xml_body, output(value), description, level=level, tags=tags,
                  twin=f"response/{op}/json/{stem}")
    response_case(op, "json", stem, json_body, output(value), description, level=level, tags=tags,
                  twin=f"response/{op}/xml/{stem}")


for op in (ATTACH, DETACH):
    ok = {"InstanceId": "i-1", "Code": "200", "Message": "success", "Success": True}
    ok2 = {"InstanceId": "i-2", "Code": "200", "Message": "success", "Success": True}
    fail = {"InstanceId": "i-3", "Code": "InvalidInstanceId.NotFound", "Message": "The specified InstanceId does not exist.", "Success": False}
    base_fields = {"RequestId": "R-1", "RamRoleName": "Role"}

    def both(stem, items, description, extra=None, level="must", tags=()):
        value = dict(base_fields, TotalCount=len(items), FailCount=sum(1 for i in items if i.get("Success") is False))
        value.update(results_value(op, items))
        if extra:
            value.update(extra)
        xml_fields = el("RequestId", "R-1") + xml_results(op, [xml_item(i) for i in items]) + \
            el("TotalCount", str(value["TotalCount"])) + el("FailCount", str(value["FailCount"])) + el("RamRoleName", "Role")
        twin_pair(op, stem, xml_doc(op, xml_fields), js_doc(op, value), value, description, level=level, tags=tags)

    both("y_results_single_item", [ok], "One result: still a one-element list (the classic XML-to-object bug).", tags=("list",))
    both("y_results_multiple_items", [ok, ok2, fail], "Three results, order kept.", tags=("list",))
    both("y_partial_failure", [ok, fail], "HTTP 200 with FailCount 1 and a failed item: an output, not an error.", tags=("list", "partial"))
    both("y_code_string_200", [{"InstanceId": "i-1", "Code": "200"}], "Code is text: '200', a string in the value.", tags=("code",))

    # Empty and absent wrappers.
    empty = dict(base_fields)
    empty.update(results_value(op, []))
    for stem, inner, desc in (("y_results_empty_self_closing", f"<{op}Results/>", "<Xs/>: a present, empty list."),
                              ("y_results_empty_open_close", f"<{op}Results></{op}Results>", "<Xs></Xs>: a present, empty list."),
                              ("y_results_whitespace_only", f"<{op}Results>\n  </{op}Results>", "A wrapper holding only whitespace: empty.")):
        response_case(op, "xml", stem, xml_doc(op, el("RequestId", "R-1") + inner + el("RamRoleName", "Role")), output(empty), desc, tags=("list", "empty"))
    response_case(op, "json", "y_results_empty_array", js_doc(op, dict(base_fields, **results_value(op, []))), output(empty),
                  '{"Xs":{"X":[]}}: a present, empty list.', tags=("list", "empty"))
    response_case(op, "json", "y_results_empty_object_wrapper", js_doc(op, dict(base_fields, **{f"{op}Results": {}})), output(empty),
                  '{"Xs":{}}: the wrapper is present, so the list is present and empty.', tags=("list", "empty"))
    response_case(op, "json", "y_results_null_item_list", js_doc(op, dict(base_fields, **{f"{op}Results": {f"{op}Result": None}})), output(empty),
                  '{"Xs":{"X":null}}: null is absent, the wrapper still present: empty.', tags=("list", "empty", "null"))
    twin_pair(op, "y_results_wrapper_absent", xml_doc(op, el("RequestId", "R-1")), js_doc(op, {"RequestId": "R-1"}), {"RequestId": "R-1"},
              "No wrapper at all: the list is absent, not empty.", tags=("list",))
    response_case(op, "json", "y_results_null_wrapper", js_doc(op, {"RequestId": "R-1", f"{op}Results": None}), output({"RequestId": "R-1"}),
                  '{"Xs":null}: null is absent.', tags=("list", "null"))

    # Unknown fields at every level.
    unknown_xml = xml_doc(op, '<New attr="1"><Deep><Deeper>x</Deeper></Deep></New>' + el("RequestId", "R-1") +
                          f"<{op}Results><Other>1</Other><{op}Result><Extra><a/></Extra>" + el("Code", "200") +
                          f"<Unknown>u</Unknown></{op}Result></{op}Results><PageSize>10</PageSize>")
    unknown_json = js_doc(op, {"New": {"Deep": [1, {"x": None}], "b": True}, "RequestId": "R-1",
                               f"{op}Results": {"Other": 1, f"{op}Result": [{"Extra": {"a": []}, "Code": "200", "Unknown": "u"}]}, "PageSize": 10})
    twin_pair(op, "y_unknown_fields_ignored", unknown_xml, unknown_json, dict({"RequestId": "R-1"}, **results_value(op, [{"Code": "200"}])),
              "Unknown scalars, objects, lists and attributes at the root, wrapper and item level are ignored: new server fields never break clients.",
              tags=("unknown",))
    shuffled_xml = xml_doc(op, el("RamRoleName", "Role") + el("FailCount", "0") + xml_results(op, [el("Message", "m") + el("Code", "200") + el("InstanceId", "i")]) +
                           el("TotalCount", "1") + el("RequestId", "R"))
    twin_pair(op, "y_field_order_shuffled", shuffled_xml,
              '{"RamRoleName":"Role","FailCount":0,"%s":{"%s":[{"Message":"m","Code":"200","InstanceId":"i"}]},"TotalCount":1,"RequestId":"R"}' % (f"{op}Results", f"{op}Result"),
              dict({"RamRoleName": "Role", "FailCount": 0, "TotalCount": 1, "RequestId": "R"}, **results_value(op, [{"Message": "m", "Code": "200", "InstanceId": "i"}])),
              "Fields in any order.", tags=("order",))

# Detach's nested InstanceRamRoleSets.
sets_item = lambda sets: {"InstanceId": "i-1", "Code": "200", "Message": "success", "Success": True,
                          "InstanceRamRoleSets": {"InstanceRamRoleSet": sets}}
for stem, sets, desc in (("y_nested_sets_single", [{"InstanceId": "i-1", "RamRoleName": "Role"}], "One InstanceRamRoleSet: a one-element list."),
                         ("y_nested_sets_multiple", [{"InstanceId": "i-1", "RamRoleName": "A"}, {"InstanceId": "i-1", "RamRoleName": "B"}], "Two sets."),
                         ("y_nested_sets_empty", [], "An empty nested wrapper is an empty list.")):
    item = sets_item(sets)
    xml_sets = "<InstanceRamRoleSets>" + "".join(f"<InstanceRamRoleSet>{xml_item(s)}</InstanceRamRoleSet>" for s in sets) + "</InstanceRamRoleSets>"
    xml_body = xml_doc(DETACH, el("RequestId", "R") + xml_results(DETACH, [xml_item({k: v for k, v in item.items() if k != "InstanceRamRoleSets"}) + xml_sets]))
    value = dict({"RequestId": "R"}, **results_value(DETACH, [item]))
    twin_pair(DETACH, stem, xml_body, js_doc(DETACH, value), value, desc, tags=("list", "nested"))
response_case(ATTACH, "json", "y_sets_unknown_on_attach", js_doc(ATTACH, results_value(ATTACH, [sets_item([{"InstanceId": "i", "RamRoleName": "r"}])])),
              output(results_value(ATTACH, [{"InstanceId": "i-1", "Code": "200", "Message": "success", "Success": True}])),
              "InstanceRamRoleSets belongs to Detach: on an Attach result it is an unknown field, ignored.", tags=("unknown",))

A = ATTACH


def a_item_xml(inner):
    return xml_doc(A, xml_results(A, [inner]), decl=False)


def a_msg(m):
    return output(results_value(A, [{"Message": m}]))


# XML syntax.
X = "response/AttachInstanceRamRole/xml"
response_case(A, "xml", "y_xml_decl_absent", a_item_xml(el("Message", "ok")), a_msg("ok"), "No declaration.", tags=("xml-decl",))
response_case(A, "xml", "y_xml_decl_utf8", '<?xml version="1.0" encoding="UTF-8"?>\n' + a_item_xml(el("Message", "ok")), a_msg("ok"), "The usual declaration.", tags=("xml-decl",))
response_case(A, "xml", "y_xml_decl_single_quotes", "<?xml version='1.0' encoding='utf-8'?>" + a_item_xml(el("Message", "ok")), a_msg("ok"), "Single-quoted declaration.", tags=("xml-decl",))
response_case(A, "xml", "y_xml_decl_standalone", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + a_item_xml(el("Message", "ok")), a_msg("ok"), "standalone='yes'.", tags=("xml-decl",))
response_case(A, "xml", "y_bom_then_decl", "\ufeff" + '<?xml version="1.0" encoding="UTF-8"?>' + a_item_xml(el("Message", "ok")), a_msg("ok"),
              "A UTF-8 BOM before the declaration (XML 1.0 allows it).", tags=("bom",))
response_case(A, "xml", "y_bom_no_decl", "\ufeff" + a_item_xml(el("Message", "ok")), a_msg("ok"), "A UTF-8 BOM, no declaration.", tags=("bom",))
response_case(A, "xml", "y_crlf_indented", a_item_xml(el("Message", "ok")).replace("><", ">\r\n  <"), a_msg("ok"), "CRLF line ends and indentation between elements.", tags=("whitespace",))
response_case(A, "xml", "y_crlf_in_text_normalized", a_item_xml(el("Message", "a\r\nb\rc")), a_msg("a\nb\nc"),
              "CR LF and a lone CR inside text become LF (XML end-of-line handling).", tags=("whitespace",))
response_case(A, "xml", "y_entities_predefined", a_item_xml(el("Message", "&amp; &lt; &gt; &quot; &apos;")), a_msg("& < > \" '"),
              "The five predefined entities.", tags=("entity",))
response_case(A, "xml", "y_char_refs", a_item_xml(el("Message", "&#20013;&#x4E2D;&#x1F600;&#10;")), a_msg("中中😀\n"),
              "Decimal and hex character references, astral plane included.", tags=("entity",))
response_case(A, "xml", "y_cdata_value", a_item_xml(el("Message", "<![CDATA[<b>&amp;</b>]]>")), a_msg("<b>&amp;</b>"), "CDATA is literal text.", tags=("cdata",))
response_case(A, "xml", "y_cdata_split_terminator", a_item_xml(el("Message", "<![CDATA[a]]]]><![CDATA[>b]]>")), a_msg("a]]>b"),
              "A ]]> carried across two CDATA sections.", tags=("cdata",))
response_case(A, "xml", "y_cdata_mixed_with_text", a_item_xml(el("Message", "x<![CDATA[<y>]]>&amp;z")), a_msg("x<y>&z"), "Text, CDATA and entities concatenate.", tags=("cdata",))
response_case(A, "xml", "y_comments_and_pis", "<!-- start -->" + a_item_xml(el("Message", "a<!-- c -->b<?pi x?>c")).replace("<AttachInstanceRamRoleResults>", "<?pi?><AttachInstanceRamRoleResults><!-- c -->") + "<!-- end -->",
              a_msg("abc"), "Comments and processing instructions anywhere are ignored.", tags=("comment",))
response_case(A, "xml", "y_string_whitespace_preserved", a_item_xml(el("Message", " success ")), a_msg(" success "), "Strings are not trimmed.", tags=("whitespace",))
response_case(A, "xml", "y_empty_string_element", a_item_xml("<Message/>" + el("InstanceId", "")),
              output(results_value(A, [{"Message": "", "InstanceId": ""}])), "<Message/> and <InstanceId></InstanceId> are empty strings, present.", tags=("empty",))
response_case(A, "xml", "y_item_self_closing", xml_doc(A, f"<{A}Results><{A}Result/></{A}Results>", decl=False),
              output(results_value(A, [{}])), "A self-closing item is an item with no fields.", tags=("list", "empty"))
response_case(A, "xml", "y_unknown_attributes_ignored", xml_doc(A, f'<{A}Results a="1"><{A}Result b=\'2\'><Code c="3">200</Code></{A}Result></{A}Results>', decl=False),
              output(results_value(A, [{"Code": "200"}])), "Attributes are ignored.", tags=("unknown",))
response_case(A, "xml", "y_default_namespace_on_root", f'<{A}Response xmlns="http://ecs.aliyuncs.com/doc/2014-05-26/"><RequestId>R</RequestId></{A}Response>',
              output({"RequestId": "R"}), "A default namespace on the root changes nothing.", level="should", tags=("namespace",))
response_case(A, "xml", "y_int_and_bool_whitespace", xml_doc(A, "<TotalCount>\n 3 </TotalCount>" + xml_results(A, ["<Success> true </Success>"]), decl=False),
              output(dict({"TotalCount": 3}, **results_value(A, [{"Success": True}]))), "Numbers and booleans may be padded with XML whitespace.", tags=("number",))
response_case(A, "xml", "y_unicode_text", a_item_xml(el("Message", "实例 RAM 角色已绑定 😀")), a_msg("实例 RAM 角色已绑定 😀"), "UTF-8 text.", tags=("unicode",))
response_case(A, "xml", "y_minified_one_line", xml_doc(A, el("RequestId", "R") + xml_results(A, [el("Code", "200")]) + el("TotalCount", "1")),
              output(dict({"RequestId": "R", "TotalCount": 1}, **results_value(A, [{"Code": "200"}]))),
              "Real responses carry no line breaks or indentation.", tags=("whitespace",))

response_case(A, "xml", "n_doctype_internal_entity", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "expanded">]>' + a_item_xml(el("Message", "&x;")),
              reject("forbidden_construct"), "An entity declaration: rejected, never expanded.", tags=("dtd", "security"))
response_case(A, "xml", "n_doctype_external_entity", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + a_item_xml(el("Message", "&x;")),
              reject("forbidden_construct"), "XXE: an external entity must never be resolved.", tags=("dtd", "security"))
laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)) + "]>" + a_item_xml(el("Message", "&lol9;"))
response_case(A, "xml", "n_doctype_billion_laughs", laughs, any_of(reject("forbidden_construct"), reject("limit_exceeded")),
              "Billion laughs: refused (as a DTD, or by an expansion limit) within the timeout.", tags=("dtd", "security"))
response_case(A, "xml", "n_doctype_external_dtd", '<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://example.invalid/x.dtd">' + a_item_xml(el("Message", "m")),
              reject("forbidden_construct"), "An external DTD is never fetched.", tags=("dtd", "security"))
response_case(A, "xml", "i_doctype_benign", "<!DOCTYPE AttachInstanceRamRoleResponse>" + a_item_xml(el("Message", "m")),
              any_of(reject("forbidden_construct"), a_msg("m")), "A DOCTYPE without declarations: rejecting all DTDs is recommended.", level="may", tags=("dtd",))
response_case(A, "xml", "n_entity_undefined", a_item_xml(el("Message", "&nbsp;")), reject("malformed_body"), "Only the five predefined entities exist.", tags=("entity",))
response_case(A, "xml", "n_char_ref_nul", a_item_xml(el("Message", "&#0;")), reject("malformed_body"), "&#0; is not an XML character.", tags=("entity",))
response_case(A, "xml", "n_char_ref_surrogate", a_item_xml(el("Message", "&#xD800;")), reject("malformed_body"), "A surrogate is not a character.", tags=("entity",))
response_case(A, "xml", "n_raw_control_char", a_item_xml(el("Message", "a\u0001b")), reject("malformed_body"),
              "A raw U+0001 is as malformed as &#1; (XML 1.0 Char); found by fuzzing.", tags=("entity", "fuzz"))
response_case(A, "xml", "n_char_ref_control", a_item_xml(el("Message", "&#x1;")), reject("malformed_body"), "U+0001 is not an XML 1.0 character.", tags=("entity",))
full = xml_doc(A, el("RequestId", "R") + xml_results(A, [el("Code", "200")]))
response_case(A, "xml", "n_truncated", full[: len(full) // 2], reject("malformed_body"), "Cut in the middle.", tags=("truncated",))
response_case(A, "xml", "n_truncated_before_root_end", full[: full.rindex("</")], reject("malformed_body"), "The root's end tag is missing.", tags=("truncated",))
response_case(A, "xml", "n_trailing_garbage", full + "garbage", reject("malformed_body"), "Text after the root element.")
response_case(A, "xml", "n_second_root", full + "<x/>", reject("malformed_body"), "A second root element.")
response_case(A, "xml", "n_mismatched_tags", xml_doc(A, "<RequestId>R</RamRoleName>"), reject("malformed_body"), "End tag does not match.")
response_case(A, "xml", "n_invalid_utf8", xml_doc(A, "<RequestId>R").encode() + b"\xff\xfe" + b"</RequestId></AttachInstanceRamRoleResponse>",
              reject("malformed_body"), "Not UTF-8.", tags=("utf8",))
response_case(A, "xml", "n_empty_body", b"", reject("malformed_body"), "An empty 200 body.", tags=("empty",))
response_case(A, "xml", "n_wrong_root", full.replace("AttachInstanceRamRoleResponse", "DetachInstanceRamRoleResponse"), reject("unexpected_shape"),
              "The other operation's root element.", tags=("shape",))
response_case(A, "xml", "n_error_root_with_200", "<Error><Code>InternalError</Code></Error>", reject("unexpected_shape"),
              "An <Error> document with status 200 is not this operation's response.", level="should", tags=("shape",))
response_case(A, "xml", "n_mixed_content", xml_doc(A, "text" + el("RequestId", "R")), reject("unexpected_shape"), "Text where elements belong.", level="should", tags=("shape",))
response_case(A, "xml", "n_dup_scalar_element", xml_doc(A, el("RequestId", "a") + el("RequestId", "b")), reject("unexpected_shape"),
              "A field given twice: neither first nor last wins silently.", level="should", tags=("shape", "duplicate"))
response_case(A, "xml", "n_total_count_text", xml_doc(A, el("TotalCount", "one")), reject("type_mismatch"), "TotalCount is an integer.", tags=("number",))
response_case(A, "xml", "n_total_count_negative", xml_doc(A, el("TotalCount", "-1")), reject("type_mismatch"), "Counts are not negative.", tags=("number",))
response_case(A, "xml", "n_total_count_overflow", xml_doc(A, el("TotalCount", "4294967296")), reject("type_mismatch"), "Counts fit in 32 bits.", level="should", tags=("number",))
response_case(A, "xml", "n_fail_count_empty", xml_doc(A, "<FailCount/>"), reject("type_mismatch"), "An empty element is not a number.", level="should", tags=("number",))
response_case(A, "xml", "n_success_not_boolean", a_item_xml(el("Success", "yes")), reject("type_mismatch"), "Success is true or false.", tags=("bool",))
response_case(A, "xml", "n_element_inside_text_field", a_item_xml("<Code><b>200</b></Code>"), reject("type_mismatch"), "A string field holds text, not elements.", tags=("shape",))
response_case(A, "xml", "i_whitespace_before_decl", ' \n<?xml version="1.0"?>' + a_item_xml(el("Message", "m")),
              any_of(reject("malformed_body"), a_msg("m")), "Not well-formed per XML 1.0; lenient parsers accept it.", level="may", tags=("xml-decl",))
response_case(A, "xml", "i_utf16_with_bom", ("\ufeff" + a_item_xml(el("Message", "m"))).encode("utf-16-le"),
              any_of(reject("malformed_body"), reject("unsupported_encoding"), a_msg("m")), "UTF-16: the service sends UTF-8.", level="may", tags=("encoding",))
deep = "".join(f"<d{i}>" for i in range(400)) + "".join(f"</d{i}>" for i in reversed(range(400)))
response_case(A, "xml", "i_deep_nesting", xml_doc(A, deep + el("RequestId", "R")), any_of(reject("limit_exceeded"), output({"RequestId": "R"})),
              "400 levels of unknown elements: refuse by a depth limit (recommended) or skip them.", level="should", tags=("limit",))

# JSON syntax.
response_case(A, "json", "y_unicode_escapes", '{"RequestId":"\\u89d2\\u8272 \\ud83d\\ude00 a\\/b \\"q\\" \\\\"}', output({"RequestId": "角色 😀 a/b \"q\" \\"}),
              "\\uXXXX escapes, a surrogate pair, an escaped slash, quote and backslash.", tags=("escape",))
response_case(A, "json", "y_pretty_printed", json.dumps(dict({"RequestId": "R"}, **results_value(A, [{"Code": "200"}])), indent=4),
              output(dict({"RequestId": "R"}, **results_value(A, [{"Code": "200"}]))), "Indented JSON.", tags=("whitespace",))
response_case(A, "json", "y_bom", "\ufeff" + '{"RequestId":"R"}', output({"RequestId": "R"}), "A UTF-8 BOM before the object is skipped (RFC 8259 allows it).", level="should", tags=("bom",))
response_case(A, "json", "y_null_optional_is_absent", '{"RequestId":"R","RamRoleName":null,"TotalCount":null}', output({"RequestId": "R"}), "null is absent.", tags=("null",))
response_case(A, "json", "y_code_number", js_doc(A, results_value(A, [{"Code": 200}])), output(results_value(A, [{"Code": "200"}])),
              "Code as a JSON number decodes to the string \"200\" (the 2018 page typed it Integer).", tags=("code", "leniency"))
response_case(A, "json", "y_success_string", js_doc(A, results_value(A, [{"Success": "true"}, {"Success": "false"}])),
              output(results_value(A, [{"Success": True}, {"Success": False}])), "Success as \"true\"/\"false\".", tags=("bool", "leniency"))
response_case(A, "json", "y_empty_object", "{}", output({}), "An empty object: every field absent.")
response_case(A, "json", "n_truncated", '{"RequestId":"R","AttachInstanceRamRoleResults":{"AttachInstanceRamRoleResult":[{"Code":"2', reject("malformed_body"), "Cut short.", tags=("truncated",))
response_case(A, "json", "n_trailing_garbage", '{"RequestId":"R"} x', reject("malformed_body"), "Garbage after the value.")
response_case(A, "json", "n_trailing_comma", '{"RequestId":"R",}', reject("malformed_body"), "Strict JSON: no trailing comma.", level="should")
response_case(A, "json", "n_comments", '{/* c */"RequestId":"R"}', reject("malformed_body"), "Strict JSON: no comments.", level="should")
response_case(A, "json", "n_single_quotes", "{'RequestId':'R'}", reject("malformed_body"), "Strings use double quotes.")
response_case(A, "json", "n_invalid_utf8", b'{"RequestId":"\xff"}', reject("malformed_body"), "Not UTF-8.", tags=("utf8",))
response_case(A, "json", "n_empty_body", b"", reject("malformed_body"), "An empty 200 body.", tags=("empty",))
response_case(A, "json", "n_top_level_array", '[{"RequestId":"R"}]', reject("unexpected_shape"), "The body is an object.", tags=("shape",))
response_case(A, "json", "n_top_level_string", '"RequestId"', reject("unexpected_shape"), "A bare string is not a response.", tags=("shape",))
response_case(A, "json", "n_request_id_number", '{"RequestId":1}', reject("type_mismatch"), "RequestId is a string; only Code may be a number.", tags=("leniency",))
response_case(A, "json", "n_total_count_string", '{"TotalCount":"1"}', reject("type_mismatch"), "TotalCount is a JSON integer.", tags=("number",))
response_case(A, "json", "n_total_count_float", '{"TotalCount":1.5}', reject("type_mismatch"), "No fractions.", tags=("number",))
response_case(A, "json", "n_total_count_negative", '{"FailCount":-1}', reject("type_mismatch"), "Counts are not negative.", tags=("number",))
response_case(A, "json", "n_success_not_boolean", js_doc(A, results_value(A, [{"Success": "yes"}])), reject("type_mismatch"), "Only true/false.", tags=("bool",))
response_case(A, "json", "n_success_number", js_doc(A, results_value(A, [{"Success": 1}])), reject("type_mismatch"), "1 is not a boolean here.", tags=("bool",))
response_case(A, "json", "n_code_fraction", js_doc(A, results_value(A, [{"Code": 200.5}])), reject("type_mismatch"), "Only integers become Code text.", tags=("code",))
response_case(A, "json", "n_wrapper_is_array", '{"AttachInstanceRamRoleResults":[{"Code":"200"}]}', reject("type_mismatch"), "The wrapper is an object holding the list.", tags=("list",))
response_case(A, "json", "n_item_not_object", js_doc(A, results_value(A, ["200"])), reject("type_mismatch"), "List items are objects.", tags=("list",))
response_case(A, "json", "n_dup_keys", '{"RequestId":"a","RequestId":"b"}', reject("unexpected_shape"), "A field given twice.", level="should", tags=("duplicate",))
response_case(A, "json", "i_results_single_object_not_array", '{"AttachInstanceRamRoleResults":{"AttachInstanceRamRoleResult":{"Code":"200"}}}',
              any_of(reject("type_mismatch"), output(results_value(A, [{"Code": "200"}]))),
              "An object where the array belongs (an XML-to-JSON converter artifact).", level="may", tags=("list",))
response_case(A, "json", "i_deep_nesting", '{"New":' + "[" * 400 + "]" * 400 + ',"RequestId":"R"}', any_of(reject("limit_exceeded"), output({"RequestId": "R"})),
              "400 levels of unknown arrays: refuse by a depth limit or skip them.", level="should", tags=("limit",))
response_case(A, "json", "i_lone_surrogate", '{"RequestId":"\\ud800"}', any_of(reject("malformed_body"), output({"RequestId": "\ufffd"})),
              "A lone surrogate escape.", level="may", tags=("escape",))

# ---------------------------------------------------------------------------------------
# response/error/: non-2xx bodies (run against AttachInstanceRamRole).

DOCUMENTED_ERRORS = [
    (404, "InvalidRamRole.NotEcsRole", "The specified ram role is not authorized for ecs, please check your role policy.", SEED_ATTACH),
    (400, "MissingParameter.InstanceIds", "The input parameter InstanceIds that is mandatory for processing this request is missing.", SEED_DETACH),
    (400, "MissingParameter.RegionId", "The input parameter RegionId that is mandatory for processing this request is missing.", SEED_DETACH),
    (400, "InvalidInstanceIds.Malformed", "The specified InstanceIds is not valid.", SEED_DETACH),
    (403, "InvalidNetworkType.MismatchRamRole", "Ram role cannot be attached to instances of Classic network type.", SEED_DETACH),
    (403, "InvalidUser.PassRoleForbidden", "The RAM user does not have the privilege to pass a RAM role.", SEED_DETACH),
    (404, "InvalidInstanceId.NotFound", "The specified InstanceId does not exist.", SEED_DETACH),
    (404, "InvalidRamRole.NotFound", "The specified RamRoleName does not exist.", SEED_DETACH),
]
COMMON_ERRORS = [
    (400, "Throttling", "Request was denied due to request throttling."),
    (400, "SignatureNonceUsed", "Specified signature nonce was used already."),
    (400, "MissingParameter.RamRoleName", "The input parameter RamRoleName that is mandatory for processing this request is missing."),
    (403, "Forbidden.RAM", "User not authorized to operate on the specified resource, or this API doesn't support RAM."),
    (409, "OperationConflict", "Request was denied due to conflict with a previous request."),
    (500, "InternalError", "The request processing has failed due to some unknown error."),
    (503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
]
RID, HOST = "E6352369-5C2B-41CD-AB50-471550C8F674", "ecs.aliyuncs.com"


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def error_pair(stem, status, code, message, description, source=SYNTHETIC, tags=(), level="must"):
    xml_body = f'<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>{RID}</RequestId><HostId>{HOST}</HostId><Code>{code}</Code><Message>{xml_text(message)}</Message></Error>'
    json_body = json.dumps({"RequestId": RID, "HostId": HOST, "Code": code, "Message": message}, ensure_ascii=False)
    expected = service_error(http_status=status, code=code, message=message, request_id=RID, host_id=HOST)
    for fmt, body in (("xml", xml_body), ("json", json_body)):
        other = "json" if fmt == "xml" else "xml"
        response_case(None, fmt, stem, body, expected, description, status=status, source=source, tags=("error",) + tuple(tags),
                      level=level, group="error", twin=f"response/error/{other}/{stem}")


for status, code, message, page in DOCUMENTED_ERRORS:
    error_pair("y_doc_" + code.lower().replace(".", "_"), status, code, message,
               f"{code} from the page's error table, with its documented HTTP status and message, in the documented error-body shape.",
               source={"type": "doc", "document": page, "note": "code, message and status from the error table; body shape from protocol.md §5.1"},
               tags=("doc",))
for status, code, message in COMMON_ERRORS:
    error_pair("y_common_" + code.lower().replace(".", "_"), status, code, message, f"The common ECS error {code} (protocol.md §5.3).")

E = "error"
response_case(None, "json", "y_recommend", json.dumps({"RequestId": "6BE56E05", "HostId": "ecs.ap-southeast-3.aliyuncs.com", "Code": "InvalidImageId.NotFound",
              "Message": "The specified ImageId does not exist.", "Recommend": "https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q=InvalidImageId.NotFound&product=Ecs&requestId=6BE56E05"}),
              service_error(http_status=404, code="InvalidImageId.NotFound", message="The specified ImageId does not exist.", request_id="6BE56E05",
                            host_id="ecs.ap-southeast-3.aliyuncs.com", recommend="https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q=InvalidImageId.NotFound&product=Ecs&requestId=6BE56E05"),
              "Recommend, a diagnosis URL; a code this operation never documents is kept verbatim.", status=404, group=E,
              source={"type": "doc", "document": "OpenAPI Error Diagnosis (protocol.md §5.1)"}, tags=("error",))
response_case(None, "xml", "y_recommend", f"<Error><RequestId>R</RequestId><Code>Throttling</Code><Recommend>https://x.example/?a=1&amp;b=2</Recommend></Error>",
              service_error(http_status=400, code="Throttling", request_id="R", recommend="https://x.example/?a=1&b=2"),
              "Recommend in XML, with an entity in the URL.", status=400, group=E, tags=("error",))
detail = {"AuthAction": "ecs:AttachInstanceRamRole", "AuthPrincipalType": "SubUser", "AuthPrincipalOwnerId": "1234567890",
          "AuthPrincipalDisplayName": "dev", "NoPermissionType": "ImplicitDeny", "PolicyType": "AccountLevelIdentityBasedPolicy",
          "EncodedDiagnosticMessage": "AQEAAAAA"}
response_case(None, "json", "y_access_denied_detail", json.dumps({"RequestId": "R", "Code": "Forbidden.RAM", "Message": "denied", "AccessDeniedDetail": detail}),
              service_error(http_status=403, code="Forbidden.RAM", message="denied", request_id="R", access_denied_detail=detail),
              "AccessDeniedDetail kept whole, every subfield.", status=403, group=E, tags=("error", "access-denied"),
              source={"type": "doc", "document": "Get the RequestId of an API request (protocol.md §5.1)"})
response_case(None, "json", "y_access_denied_detail_camel_case", json.dumps({"Code": "Forbidden.RAM", "accessDeniedDetail": {"UserId": 123, "Flags": [True, None], "Nested": {"a": 1}}}),
              service_error(http_status=403, code="Forbidden.RAM", access_denied_detail={"UserId": 123, "Flags": [True, None], "Nested": {"a": 1}}),
              "The camelCase spelling, and values of any JSON type kept with their type.", status=403, group=E, tags=("error", "access-denied"))
response_case(None, "json", "y_access_denied_detail_float_exact", '{"Code":"Forbidden.RAM","AccessDeniedDetail":{"a":12.186666673709551616}}',
              service_error(http_status=403, code="Forbidden.RAM", access_denied_detail={"a": 12.186666673709551616}),
              "A detail number is read to the nearest double, exactly (a 17-digit decimal that a fast float parser rounds wrong); found by fuzzing.",
              status=403, group=E, tags=("error", "access-denied", "fuzz"))
response_case(None, "xml", "y_access_denied_detail", "<Error><Code>Forbidden.RAM</Code><AccessDeniedDetail><AuthAction>ecs:AttachInstanceRamRole</AuthAction><NoPermissionType>ImplicitDeny</NoPermissionType></AccessDeniedDetail></Error>",
              service_error(http_status=403, code="Forbidden.RAM", access_denied_detail={"AuthAction": "ecs:AttachInstanceRamRole", "NoPermissionType": "ImplicitDeny"}),
              "In XML each child element is a string entry.", status=403, group=E, tags=("error", "access-denied"))
response_case(None, "json", "y_message_escaped_quotes", json.dumps({"Code": "InvalidParameter", "Message": "The specified parameter \"InstanceIds\" is not valid."}),
              service_error(http_status=400, code="InvalidParameter", message="The specified parameter \"InstanceIds\" is not valid."),
              "Escaped quotes in Message, as captured in aliyun/aliyun-cli#38.", status=400, group=E, tags=("error",),
              source={"type": "issue", "ref": "aliyun/aliyun-cli#38 (protocol.md §5.1)"})
response_case(None, "xml", "y_message_unicode_and_entities", "<Error><Code>InvalidParameter</Code><Message>参数 “InstanceIds” &lt;无效&gt; &amp; doesn&apos;t</Message></Error>",
              service_error(http_status=400, code="InvalidParameter", message="参数 “InstanceIds” <无效> & doesn't"),
              "Chinese text, typographic quotes and entities in an XML message.", status=400, group=E, tags=("error", "unicode"))
response_case(None, "json", "y_extra_fields_ignored", json.dumps({"Code": "InternalError", "Data": {"x": [1]}, "Message": "m", "Extra": None}),
              service_error(http_status=500, code="InternalError", message="m"), "Unknown fields in an error body are ignored.", status=500, group=E, tags=("error", "unknown"))
response_case(None, "json", "y_signature_does_not_match", json.dumps({"RequestId": "R", "Code": "SignatureDoesNotMatch",
              "Message": "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3Dtestid"}),
              service_error(http_status=400, code="SignatureDoesNotMatch", request_id="R",
                            message="Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3Dtestid"),
              "The server's string-to-sign travels in the message.", status=400, group=E, tags=("error", "signing"))
response_case(None, "xml", "y_error_when_json_requested", "<Error><Code>Throttling</Code><Message>m</Message></Error>",
              service_error(http_status=400, code="Throttling", message="m"), "Format=JSON was asked for, but the body and its content type are XML: read as XML.",
              status=400, requested="json", group=E, level="should", tags=("error", "content-type"))
response_case(None, "xml", "y_no_content_type_sniffed", "<Error><Code>Throttling</Code></Error>", service_error(http_status=400, code="Throttling"),
              "No content type and no requested format: the first byte says XML.", status=400, content_type=None, requested=None, group=E, tags=("error", "content-type"))
response_case(None, "xml", "y_status_only_when_error_element_malformed", "<Error><Code>X</Code>", service_error(http_status=400),
              "A non-2xx body that cannot be parsed still gives a service error, with no code.", status=400, group=E, tags=("error",))
response_case(None, "xml", "y_status_only_with_doctype", '<!DOCTYPE Error [<!ENTITY c "Throttling">]><Error><Code>&c;</Code></Error>', service_error(http_status=400),
              "A DOCTYPE in an error body: not parsed, never expanded; the status remains.", status=400, group=E, tags=("error", "dtd", "security"))
response_case(None, "json", "y_status_only_when_not_json", '{"Code":', service_error(http_status=500), "Truncated JSON error body.", status=500, group=E, tags=("error",))
response_case(None, "json", "y_status_only_top_level_array", "[1,2]", service_error(http_status=400), "Not an error object.", status=400, group=E, tags=("error",))
response_case(None, "json", "i_code_number", '{"Code":400,"Message":"m"}', any_of(service_error(http_status=400, code="400", message="m"), service_error(http_status=400)),
              "Code as a number in an error body: stringified (Tea's behaviour) or dropped.", status=400, group=E, level="may", tags=("error", "code"))
response_case(None, "other", "y_html_502", "<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>", service_error(http_status=502),
              "A gateway's HTML page: a service error with the status, never a crash or a reject.", status=502, content_type="text/html", requested=None, group=E, ext="html", tags=("error",))
response_case(None, "other", "y_empty_body_503", b"", service_error(http_status=503), "An empty 503.", status=503, content_type=None, requested=None, group=E, ext="txt", tags=("error",))
response_case(None, "other", "y_text_plain_404", "Not Found", service_error(http_status=404), "Plain text.", status=404, content_type="text/plain", requested=None, group=E, ext="txt", tags=("error",))
response_case(None, "other", "y_invalid_utf8_400", b"\xff\xfe\x00<\x00E", service_error(http_status=400), "Bytes that are not text.", status=400, content_type=None, requested=None, group=E, ext="bin", tags=("error", "utf8"))
response_case(None, "other", "y_redirect_302", "", service_error(http_status=302), "A redirect is not a success.", status=302, content_type=None, requested=None, group=E, ext="txt", tags=("error",))
response_case(None, "other", "y_status_429_json", '{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}',
              service_error(http_status=429, code="Throttling.User", message="Request was denied due to user flow control."),
              "A 429 with a code this crate does not know: kept verbatim.", status=429, content_type="application/json", requested=None, group=E, ext="json", tags=("error",))
# Content type variants on success bodies.
ok_value = results_value(A, [{"Code": "200"}])
response_case(A, "xml", "y_content_type_application_xml", a_item_xml(el("Code", "200")), output(ok_value), "application/xml.", content_type="application/xml", tags=("content-type",))
response_case(A, "json", "y_content_type_missing_sniffed", js_doc(A, ok_value), output(ok_value), "No content type, no requested format: sniffed from '{'.",
              content_type=None, requested=None, tags=("content-type",))
response_case(A, "json", "y_content_type_wins_over_requested", js_doc(A, ok_value), output(ok_value), "Format=XML was asked for but the content type says JSON.",
              requested="xml", tags=("content-type",))
response_case(A, "xml", "y_requested_format_without_content_type", a_item_xml(el("Code", "200")), output(ok_value), "No content type: the requested format decides.",
              content_type=None, requested="xml", tags=("content-type",))
response_case(A, "json", "i_content_type_mismatch", js_doc(A, ok_value), any_of(reject("malformed_body"), output(ok_value)),
              "A JSON body labelled text/xml: trusting the label (recommended) rejects it; sniffing accepts it.", content_type="text/xml", level="may", tags=("content-type",))

# =======================================================================================
# Corpus 1.1.0: Signature V3 requests and signer, the incoming kind (server side), retry.
# Everything below is computed here (hashlib/hmac/urllib) or copied from the documents'
# published values, never from the Rust crate.
# =======================================================================================

SINCE = "1.1.0"

V3_DOC_PAGE = "Alibaba Cloud SDK: Request syntax and signature method V3, 'Fixed parameter values' (protocol.md §3.4)"
V3_NONCE = "3ee8c1b883d344afa94f4e0ad82fd6cf"   # the V1 documented nonce without its hyphens: 32 lowercase hex
V3_SIGNING = {
    "algorithm": V3,
    "access_key_id": "testid",
    "access_key_secret": "testsecret",
    "timestamp": "2016-02-23T12:46:24Z",
    "nonce": V3_NONCE,
}
V3_POST_JSON = {"method": "POST", "format": "JSON", "signing": V3_SIGNING}
V3_BODY_JSON = {"method": "POST", "format": "JSON", "placement": "body", "signing": V3_SIGNING}
V3_GET_XML = {"method": "GET", "format": "XML", "signing": V3_SIGNING}

# ---------------------------------------------------------------------------------------
# request/<Operation>/y_v3_* and n_v3_*

for op, make in ((ATTACH, attach), (DETACH, detach)):
    def v3(stem, params, context, description, expect=None, tags=(), level="must", source=SYNTHETIC):
        request_case(op, stem, params, context, expect=expect, description=description, tags=("v3",) + tuple(tags),
                     level=level, source=source)

    v3("y_v3_post_query", make(), V3_POST_JSON,
       "V3 in the contract's shape (the Tea SDKs' request, without their user-agent and x-acs-accesskey-id): POST, the operation's "
       "parameters alone in the query, Action and Version in x-acs-* headers, Format as an unsigned accept header, the empty body's "
       "SHA-256, every V3 stage.")
    v3("y_v3_get_query_xml", make(), V3_GET_XML, "V3 over GET with format XML: the method heads the canonical request; accept is application/xml.")
    v3("y_v3_post_body", make(), V3_BODY_JSON,
       "Parameters in a form body: empty query, content-type signed, x-acs-content-sha256 the body's hash.", tags=("body",))
    v3("y_v3_post_body_no_format", make(), {"method": "POST", "placement": "body", "signing": V3_SIGNING},
       "Body placement without a format: no accept header.", tags=("body",))
    v3("y_v3_no_format", make(), {"method": "POST", "signing": V3_SIGNING}, "Without a format there is no accept header (and never a Format parameter).")
    v3("y_v3_method_defaults_to_post", make(), {"format": "JSON", "signing": V3_SIGNING}, "Without a method, POST.")
    v3("y_v3_placement_query_explicit", make(), {"method": "POST", "format": "JSON", "placement": "query", "signing": V3_SIGNING},
       "placement \"query\" given explicitly is the default.")
    v3("y_v3_security_token", make(), {"method": "POST", "format": "JSON", "signing": dict(V3_SIGNING, security_token="CAIS/token+with=odd chars")},
       "An STS token goes in x-acs-security-token, signed like every x-acs-* header; no SecurityToken parameter.", tags=("sts",))
    v3("y_v3_security_token_body", make(), dict(V3_BODY_JSON, signing=dict(V3_SIGNING, security_token="CAIS/token+with=odd chars")),
       "An STS token with the parameters in the body.", tags=("sts", "body"))
    v3("y_v3_ids_100", make(InstanceIds=HUNDRED), V3_POST_JSON, "100 IDs in the query.", tags=("ids", "limit"))
    v3("y_v3_ids_100_body", make(InstanceIds=HUNDRED), V3_BODY_JSON, "100 IDs in the body.", tags=("ids", "limit", "body"))
    v3("y_v3_ids_raw_text", make(InstanceIds='["i-1", "i-2"]'), V3_POST_JSON,
       "Raw InstanceIds text is sent byte-for-byte under V3 too (its space is %20 in the query).", tags=("ids", "raw-json"))
    v3("y_v3_reserved_and_unicode", make(RegionId="cn hangzhou/*~+&=阿"), V3_POST_JSON,
       "Reserved and non-ASCII characters in the query: encoded once (%20, %2F, %2A, ~, %2B, %26, %3D, UTF-8 bytes); the canonical "
       "query line equals the wire query.", tags=("encoding",))
    v3("y_v3_reserved_and_unicode_body", make(RegionId="cn hangzhou/*~+&=阿"), V3_BODY_JSON,
       "The same characters in a form body, encoded the same way; the body hash covers those bytes.", tags=("encoding", "body"))
    v3("y_v3_host_regional", make(RegionId="cn-shanghai"), dict(V3_POST_JSON, host="ecs.cn-shanghai.aliyuncs.com"),
       "A regional endpoint: context.host is the signed host header.", tags=("host",))
    v3("y_v3_owner_params", make(OwnerId=1234567890123456, ResourceOwnerId=42, ResourceOwnerAccount="owner@example.com"), V3_POST_JSON,
       "Longs in decimal, '@' as %40, under V3.", tags=("owner",))
    v3("n_v3_body_with_get", make(), {"method": "GET", "placement": "body", "signing": V3_SIGNING}, expect=reject("constraint_violation"),
       description="A form body needs POST.", tags=("body",))
    v3("n_v3_body_under_hmac_sha1", make(), {"method": "POST", "placement": "body", "signing": DOC_SIGNING}, expect=reject("constraint_violation"),
       description="Body placement exists only under V3; HMAC-SHA1 requests put everything in the query.", tags=("body",))
    v3("n_v3_body_unsigned", make(), {"method": "POST", "placement": "body"}, expect=reject("constraint_violation"),
       description="Body placement exists only under V3; an unsigned request has no body.", tags=("body",))
    v3("n_v3_placement_unknown", make(), {"method": "POST", "placement": "header", "signing": V3_SIGNING}, expect=reject("constraint_violation"),
       description="placement is \"query\" or \"body\".")
    v3("n_v3_region_missing", make(RegionId=None), V3_POST_JSON, expect=reject("missing_required"), description="RegionId is required under V3 too.")
    v3("n_v3_ids_101", make(InstanceIds=HUNDRED + ["i-100"]), V3_POST_JSON, expect=reject("constraint_violation"),
       description="101 IDs exceed the maximum under V3 too.", tags=("ids", "limit"))
    v3("n_v3_ids_empty", make(InstanceIds=[]), V3_BODY_JSON, expect=reject("constraint_violation"), description="At least one ID, whatever the placement.", tags=("ids",))
    v3("n_v3_unknown_parameter", make(OwnerAccount="acc"), V3_POST_JSON, expect=reject("constraint_violation"),
       description="A parameter the operation does not have.")
    v3("n_v3_owner_id_string", make(OwnerId="7"), V3_POST_JSON, expect=reject("type_mismatch"), description="OwnerId is a JSON integer.", tags=("owner",))
    v3("n_v3_timestamp_not_utc_form", make(), dict(V3_POST_JSON, signing=dict(V3_SIGNING, timestamp="Tue, 23 Feb 2016 12:46:24 GMT")),
       expect=reject("constraint_violation"), description="x-acs-date takes YYYY-MM-DDThh:mm:ssZ, not an HTTP date.", tags=("signing",))
    v3("n_v3_nonce_empty", make(), dict(V3_POST_JSON, signing=dict(V3_SIGNING, nonce="")), expect=reject("constraint_violation"),
       description="An empty nonce is refused.", tags=("signing",))
    v3("n_v3_access_key_id_missing", make(), dict(V3_POST_JSON, signing={k: v for k, v in V3_SIGNING.items() if k != "access_key_id"}),
       expect=reject("missing_required"), description="V3 needs an access key id for the Credential.", tags=("signing",))
    v3("n_v3_format_lowercase", make(), dict(V3_POST_JSON, format="json"), expect=reject("constraint_violation"),
       description="format is JSON or XML under V3 too.")

request_case(ATTACH, "n_v3_role_name_missing", attach(RamRoleName=None), V3_POST_JSON, expect=reject("missing_required"),
             description="RamRoleName is required for AttachInstanceRamRole under V3 too.", tags=("v3",))
request_case(ATTACH, "y_v3_policy_body", attach(Policy='{\n  "Statement": [{"Effect": "Allow", "Action": "*"}],\n  "Version": "1"\n}'),
             V3_BODY_JSON, description="A Policy with newlines and quotes in a form body, byte-for-byte.", tags=("v3", "policy", "body"))
request_case(ATTACH, "y_v3_role_name_emoji", attach(RamRoleName="role 😀"), V3_POST_JSON,
             description="A 4-byte UTF-8 character is four %XX escapes in the query and in the canonical request.", tags=("v3", "encoding"))
request_case(DETACH, "y_v3_without_role_name", detach(), V3_POST_JSON, description="RamRoleName is optional for Detach under V3.", tags=("v3",))
request_case(DETACH, "n_v3_policy_not_a_parameter", detach(Policy="p"), V3_BODY_JSON, expect=reject("constraint_violation"),
             description="DetachInstanceRamRole has no Policy, in the body either.", tags=("v3",))

# Pin the wire shape of one case by hand, so the generator's own V3 code is checked too.
_v3 = expected_request(ATTACH, attach(), V3_POST_JSON)
assert _v3["query"] == "InstanceIds=%5B%22i-1%22%5D&RamRoleName=EcsRole&RegionId=cn-hangzhou", _v3["query"]
assert [h[0] for h in _v3["headers"]] == ["accept", "authorization", "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
                                          "x-acs-signature-nonce", "x-acs-version"]
assert _v3["stages"]["canonical_request"].split("\n")[-2] == "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
_v3b = expected_request(ATTACH, attach(), V3_BODY_JSON)
assert _v3b["query"] == "" and _v3b["body"] == _v3["query"] and ["content-type", FORM] in _v3b["headers"]

# ---------------------------------------------------------------------------------------
# sign/y_v3_* and n_v3_*

def sign_v3_case(stem, inp, description, source=SYNTHETIC, level="must", tags=(), expect=None, published=None):
    case = base(f"sign/{stem}", "sign", level, source, description, ("sign", "v3") + tuple(tags))
    case["input"] = dict({"algorithm": V3}, **inp)
    if expect is None:
        if "payload_sha256" in inp:
            payload = inp["payload_sha256"]
        elif "body_base64" in inp:
            payload = sha256_hex(base64.b64decode(inp["body_base64"]))
        else:
            payload = EMPTY_SHA256
        expect = dict({"outcome": "signature"}, **v3_sign(inp.get("method", "POST"), inp.get("path", "/"), inp.get("query", {}),
                                                          inp.get("headers", []), payload, inp["access_key_id"], inp["access_key_secret"]))
        for key, value in (published or {}).items():
            assert expect[key] == value, (stem, key, expect[key], value)
    case["expect"] = expect
    add(case)


RUN_INSTANCES_QUERY = {"ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId": "cn-shanghai"}
RUN_INSTANCES_HEADERS = [
    ["host", "ecs.cn-shanghai.aliyuncs.com"],
    ["x-acs-action", "RunInstances"],
    ["x-acs-content-sha256", EMPTY_SHA256],
    ["x-acs-date", "2023-10-26T10:22:32Z"],
    ["x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"],
    ["x-acs-version", "2014-05-26"],
]
RUN_INSTANCES = {"method": "POST", "path": "/", "query": RUN_INSTANCES_QUERY, "headers": RUN_INSTANCES_HEADERS,
                 "access_key_id": "YourAccessKeyId", "access_key_secret": "YourAccessKeySecret"}
RUN_INSTANCES_CANONICAL = (
    "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
    "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n"
    "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
    "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n"
    "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n"
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)
RUN_INSTANCES_PUBLISHED = {
    "canonical_request": RUN_INSTANCES_CANONICAL,
    "hashed_canonical_request": "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
    "string_to_sign": "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
    "signature": "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
    "authorization": "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;"
                     "x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
}
DOC_V3 = {"type": "doc", "document": V3_DOC_PAGE}
sign_v3_case("y_v3_doc_run_instances", RUN_INSTANCES,
             "The documented V3 walk-through (RunInstances, empty body): every stage is published and must match byte for byte. "
             "Only the fixed-value walk-through is used; the page's final-request sample signs other values (protocol.md §3.4).",
             source=DOC_V3, published=RUN_INSTANCES_PUBLISHED, tags=("doc",))
sign_v3_case("y_v3_doc_run_instances_payload_sha256", dict(RUN_INSTANCES, payload_sha256=EMPTY_SHA256),
             "The documented example with the payload hash given as payload_sha256 instead of derived from an absent body: same stages.",
             source=DOC_V3, published=RUN_INSTANCES_PUBLISHED, tags=("doc",))
sign_v3_case("y_v3_doc_run_instances_body_base64_empty", dict(RUN_INSTANCES, body_base64=""),
             "The documented example with an explicit empty body_base64: the empty body's hash, same stages.",
             source=DOC_V3, published=RUN_INSTANCES_PUBLISHED, tags=("doc",))
sign_v3_case("y_v3_doc_run_instances_headers_any_order_and_case",
             dict(RUN_INSTANCES, headers=[[n.title(), v] for n, v in reversed(RUN_INSTANCES_HEADERS)], query=dict(reversed(list(RUN_INSTANCES_QUERY.items())))),
             "The documented example with its headers reversed and named in title case (Host, X-Acs-Action, ...) and its query reversed: "
             "names are lowercased and sorted, so the published stages are unchanged.",
             source={"type": "doc", "document": V3_DOC_PAGE, "note": "inputs reordered and re-cased on purpose; expected stages as published"},
             published=RUN_INSTANCES_PUBLISHED, tags=("doc",))
UTIL_SRC = {"type": "sdk-test", "ref": "aliyun/darabonba-openapi-util python/tests/test_client.py test_get_authorization (protocol.md §3.5)"}
UTIL = {"method": "GET", "path": "", "query": {"test": "ok", "empty": ""}, "headers": [["x-acs-test", "http"], ["x-acs-TEST", "https"]],
        "payload_sha256": "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23", "access_key_id": "acesskey", "access_key_secret": "secret"}
UTIL_AUTH = ("ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,"
             "Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1")
sign_v3_case("y_v3_openapi_util_authorization", UTIL,
             "openapi-util's V3 vector: an empty path is '/', an empty value is 'empty=', and x-acs-test / x-acs-TEST merge into "
             "one line 'x-acs-test:http,https'. The authorization is published.",
             source=UTIL_SRC, published={"authorization": UTIL_AUTH}, tags=("sdk", "header-merge"))
assert "\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n" in CASES[-1][0]["expect"]["canonical_request"]
sign_v3_case("y_v3_openapi_util_authorization_reversed_headers", dict(UTIL, headers=list(reversed(UTIL["headers"]))),
             "The same vector with the two x-acs-test headers in the other order: merged values are sorted, so the published "
             "authorization is unchanged.",
             source={"type": "sdk-test", "ref": UTIL_SRC["ref"], "note": "header order reversed on purpose"},
             published={"authorization": UTIL_AUTH}, tags=("sdk", "header-merge"))
sign_v3_case("y_v3_openapi_util_query_encoding",
             {"method": "GET", "query": {"test": " ~/*-+"}, "headers": [["host", "ecs.aliyuncs.com"]], "access_key_id": "testid",
              "access_key_secret": "testsecret"},
             "openapi-util test_get_canonical_query_string: ' ~/*-+' is 'test=%20~%2F%2A-%2B' in the canonical request (host, keys "
             "and the empty body are this case's own).",
             source={"type": "sdk-test", "ref": "aliyun/darabonba-openapi-util python/tests/test_client.py test_get_canonical_query_string (protocol.md §3.5)"},
             tags=("sdk", "encoding"))
assert "\ntest=%20~%2F%2A-%2B\n" in CASES[-1][0]["expect"]["canonical_request"]
FORM_BODY = "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai".encode()
FORM_SHA = sha256_hex(FORM_BODY)
assert FORM_SHA == "9c4a9acc5fc770697f4d65ec4a1c94c4d90db5f295b17995d6006365717ecffd"
FORM_HEADERS = [["content-type", FORM]] + [[n, FORM_SHA if n == "x-acs-content-sha256" else v] for n, v in RUN_INSTANCES_HEADERS]
FORM_INPUT = dict(RUN_INSTANCES, query={}, headers=FORM_HEADERS, body_base64=base64.b64encode(FORM_BODY).decode())
FORM_SRC = {"type": "synthetic", "note": "protocol.md §3.5 form-body vector: the §3.4 example with its parameters in the body, "
                                         "checked there against alibabacloud-openapi-util 0.2.4"}
FORM_PUBLISHED = {"signature": "71fd26c61c5e04e0f714de615e1d19fbd530fc3d7badaf407783a018453889c8",
                  "authorization": "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=content-type;host;x-acs-action;"
                                   "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
                                   "Signature=71fd26c61c5e04e0f714de615e1d19fbd530fc3d7badaf407783a018453889c8"}
sign_v3_case("y_v3_form_body", FORM_INPUT,
             "The documented parameters moved into a form body given as body_base64: empty query line, content-type signed, "
             "the payload hash is the body's.", source=FORM_SRC, published=FORM_PUBLISHED, tags=("body",))
sign_v3_case("y_v3_form_body_payload_sha256", dict({k: v for k, v in FORM_INPUT.items() if k != "body_base64"}, payload_sha256=FORM_SHA),
             "The same request with the body's hash given as payload_sha256 instead of the body: the same signature.",
             source=FORM_SRC, published=FORM_PUBLISHED, tags=("body",))
sign_v3_case("y_v3_payload_sha256_wins_over_header", dict(RUN_INSTANCES, payload_sha256=FORM_SHA),
             "The payload line is payload_sha256, whatever the x-acs-content-sha256 header says (here the empty body's hash): "
             "the signer signs what it is given.", tags=("body",))
sign_v3_case("y_v3_header_values_trimmed",
             {"method": "POST", "headers": [["host", "  ecs.aliyuncs.com\t"], ["x-acs-action", "\tAttachInstanceRamRole "], ["x-acs-version", " 2014-05-26"]],
              "query": {"RegionId": "cn-hangzhou"}, "access_key_id": "testid", "access_key_secret": "testsecret"},
             "Header values are trimmed of spaces and tabs in the canonical request; inner spaces stay.")
assert "\nhost:ecs.aliyuncs.com\nx-acs-action:AttachInstanceRamRole\nx-acs-version:2014-05-26\n\n" in CASES[-1][0]["expect"]["canonical_request"]
sign_v3_case("y_v3_header_merge_three_sorted",
             {"method": "POST", "headers": [["X-Acs-Test", "b"], ["host", "ecs.aliyuncs.com"], ["x-acs-test", " c "], ["x-ACS-test", "a b"]],
              "access_key_id": "testid", "access_key_secret": "testsecret"},
             "Three headers whose names differ only in case merge into one line, values trimmed, sorted and ','-joined: "
             "'x-acs-test:a b,b,c'; SignedHeaders names it once.", tags=("header-merge",))
assert "\nx-acs-test:a b,b,c\n\nhost;x-acs-test\n" in CASES[-1][0]["expect"]["canonical_request"]
sign_v3_case("y_v3_path_and_method_default",
             {"headers": [["host", "ecs.aliyuncs.com"]], "query": {"RegionId": "cn-hangzhou"}, "access_key_id": "testid", "access_key_secret": "testsecret"},
             "Without method and path: POST and '/'.")
assert CASES[-1][0]["expect"]["canonical_request"].startswith("POST\n/\n")
sign_v3_case("y_v3_query_sort_bytewise_and_unicode",
             {"method": "GET", "headers": [["host", "ecs.aliyuncs.com"]], "query": {"b": "1", "B": "2", "_": "3", "a": "4", "角": "v", "Z": "é"},
              "access_key_id": "testid", "access_key_secret": "testsecret"},
             "Query names sort by their raw bytes (uppercase, underscore, lowercase, then non-ASCII); names and values encoded once.", tags=("encoding",))
assert "\nB=2&Z=%C3%A9&_=3&a=4&b=1&%E8%A7%92=v\n" in CASES[-1][0]["expect"]["canonical_request"]
sign_v3_case("y_v3_query_value_with_percent",
             {"method": "GET", "headers": [["host", "ecs.aliyuncs.com"]], "query": {"v": "%41%2", "k": "a=b&c"},
              "access_key_id": "testid", "access_key_secret": "testsecret"},
             "A literal % is encoded once (%25), never decoded and never twice: the doc's FAQ names repeated %25 as the double-encoding bug.",
             tags=("encoding",))
assert "\nk=a%3Db%26c&v=%2541%252\n" in CASES[-1][0]["expect"]["canonical_request"]
sign_v3_case("y_v3_secret_special_chars",
             {"method": "POST", "headers": [["host", "ecs.aliyuncs.com"]], "access_key_id": "testid", "access_key_secret": "s&e+c/r=e t阿"},
             "The HMAC-SHA256 key is the secret's UTF-8 bytes as they are: no '&' appended, nothing encoded.")
sign_v3_case("y_v3_security_token_and_extra_header",
             {"method": "POST", "headers": RUN_INSTANCES_HEADERS + [["x-acs-security-token", "CAIS/token"], ["user-agent", "AlibabaCloud (Linux) Python/3"]],
              "query": RUN_INSTANCES_QUERY, "access_key_id": "YourAccessKeyId", "access_key_secret": "YourAccessKeySecret"},
             "Every header given is signed, an x-acs-security-token and a user-agent included (as the Python util does).")
sign_case("y_algorithm_hmac_sha1_explicit", "GET", "testsecret", DESCRIBE_REGIONS,
          "The documented V1 example with algorithm \"HMAC-SHA1\" given explicitly: the V1 signer, same published signature.",
          source={"type": "doc", "document": "Alibaba Cloud ECS API reference, 'Request signatures' (protocol.md §2.2)"},
          published="OLeaidS1JvxuMvnyHOwuJ+uX5qY=", tags=("doc",))
CASES[-1][0]["input"] = dict({"algorithm": "HMAC-SHA1"}, **CASES[-1][0]["input"])

V3_MIN = {"method": "POST", "headers": [["host", "ecs.aliyuncs.com"]], "access_key_id": "testid", "access_key_secret": "testsecret"}
for stem, change, kind, description in (
    ("n_v3_authorization_header", {"headers": [["host", "ecs.aliyuncs.com"], ["authorization", "x"]]}, "constraint_violation",
     "authorization is the signer's output, never a signed input."),
    ("n_v3_authorization_header_mixed_case", {"headers": [["host", "ecs.aliyuncs.com"], ["Authorization", "x"]]}, "constraint_violation",
     "authorization in any case."),
    ("n_v3_payload_and_body_both", {"payload_sha256": EMPTY_SHA256, "body_base64": ""}, "constraint_violation",
     "payload_sha256 and body_base64 are alternatives: both at once is ambiguous."),
    ("n_v3_payload_uppercase_hex", {"payload_sha256": EMPTY_SHA256.upper()}, "constraint_violation", "payload_sha256 is lowercase hex."),
    ("n_v3_payload_short", {"payload_sha256": EMPTY_SHA256[:63]}, "constraint_violation", "payload_sha256 has 64 hex digits."),
    ("n_v3_access_key_id_empty", {"access_key_id": ""}, "constraint_violation", "An empty access key id is refused."),
    ("n_v3_secret_empty", {"access_key_secret": ""}, "constraint_violation", "An empty secret is refused."),
    ("n_v3_access_key_id_missing", {"access_key_id": None}, "missing_required", "V3 needs the access key id for the authorization."),
    ("n_v3_secret_missing", {"access_key_secret": None}, "missing_required", "No secret, no signature."),
    ("n_v3_method_put", {"method": "PUT"}, "constraint_violation", "Only GET and POST."),
    ("n_v3_query_value_not_string", {"query": {"RegionId": 1}}, "type_mismatch", "Query values are strings."),
    ("n_v3_header_not_pair", {"headers": [["host"]]}, "type_mismatch", "A header is a [name, value] pair of strings."),
    ("n_v3_header_value_not_string", {"headers": [["host", 1]]}, "type_mismatch", "A header value is a string."),
):
    inp = with_overrides(V3_MIN, change)
    sign_v3_case(stem, inp, description, expect=reject(kind))



# ---------------------------------------------------------------------------------------
# incoming/v1/ and incoming/v3/: the server side (corpus/README.md, kind "incoming").

CREDENTIALS = {"testid": "testsecret"}
SIGNATURE_DOES_NOT_MATCH = "SignatureDoesNotMatch"


def incoming_case(group, stem, request, expect, description, credentials=None, level="must", source=SYNTHETIC, tags=()):
    case = base(f"incoming/{group}/{stem}", "incoming", level, source, description, ("incoming", group) + tuple(tags))
    body = request.get("body", b"")
    case["input"] = {
        "method": request["method"],
        "path": request.get("path", "/"),
        "query": request["query"],
        "headers": [list(h) for h in request["headers"]],
        "body_base64": base64.b64encode(body if isinstance(body, bytes) else body.encode("utf-8")).decode(),
        "credentials": CREDENTIALS if credentials is None else credentials,
    }
    case["expect"] = expect
    add(case)


def accepted(op, version, params):
    out = dict(params)
    if isinstance(out.get("InstanceIds"), str):
        out["InstanceIds"] = json.loads(out["InstanceIds"])
    return {"outcome": "accepted", "operation": op, "signature_version": version, "params": out}


def refused(status, code, server_string_to_sign=None):
    error = {"http_status": status, "code": code}
    if server_string_to_sign is not None:
        error["server_string_to_sign"] = server_string_to_sign
    return {"outcome": "service_error", "error": error}


def decoded(wire_query):
    """The server's view of a wire query (urllib's form decoding: '+' is a space)."""
    return dict(urllib.parse.parse_qsl(wire_query, keep_blank_values=True, errors="strict"))


# --- V1 -------------------------------------------------------------------------------

V1_SIGNING_PARAMS = {"AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
                     "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "Timestamp": "2016-02-23T12:46:24Z"}


def v1_params(op, params, **changes):
    """Every V1 parameter of a request (wire strings); a change of None drops the parameter."""
    wire = {"Action": op, "Version": "2014-05-26", "Format": "JSON"}
    wire.update(V1_SIGNING_PARAMS)
    wire.update(operation_wire(params))
    return with_overrides(wire, changes)


def v1_signed_query(method, wire, secret="testsecret"):
    cq, _, sig = sign(method, wire, secret)
    return f"{cq}&Signature={enc(sig)}"


def v1_server_sts(method, wire_query, body=""):
    """What the server signs: every decoded parameter but Signature, query and form body alike."""
    params = decoded(wire_query)
    params.update(decoded(body))
    params.pop("Signature", None)
    return sign(method, params, "unused")[1]


HOST_HEADER = ["host", "ecs.aliyuncs.com"]
FORM_CT = ["content-type", FORM]


def v1_request(method, query, body="", headers=None):
    return {"method": method, "query": query, "headers": [HOST_HEADER] if headers is None else headers, "body": body}


V1 = "v1"
A_PARAMS = attach()
D_PARAMS = detach()


def v1_ok(stem, op, params, request, description, **kw):
    incoming_case(V1, stem, request, accepted(op, "1.0", params), description, **kw)


def v1_refused(stem, request, status, code, description, sts=None, **kw):
    incoming_case(V1, stem, request, refused(status, code, sts), description, **kw)


def v1_post(op, params, **changes):
    return v1_request("POST", v1_signed_query("POST", v1_params(op, params, **changes)))


v1_ok("y_attach_post_query", ATTACH, A_PARAMS, v1_post(ATTACH, A_PARAMS),
      "A V1 request in the request kind's shape: POST, every parameter and the Signature in the query, empty body.")
v1_ok("y_detach_get_query", DETACH, D_PARAMS,
      v1_request("GET", v1_signed_query("GET", v1_params(DETACH, D_PARAMS, Format="XML"))),
      "GET with Format=XML: the string to sign starts with GET.")
_form = v1_signed_query("POST", v1_params(ATTACH, A_PARAMS))
v1_ok("y_attach_form_body", ATTACH, A_PARAMS, v1_request("POST", "", _form, [HOST_HEADER, FORM_CT]),
      "Every parameter and the Signature in an application/x-www-form-urlencoded body and none in the query, the way protocol.md §9 "
      "says Node pop-core POSTs: form parameters are decoded and signed like query ones.", tags=("form-body",))
_wire = v1_params(DETACH, D_PARAMS)
_ops = operation_wire(D_PARAMS)
_sig = sign("POST", _wire, "testsecret")[2]
v1_ok("y_detach_query_and_form_body", DETACH, D_PARAMS,
      v1_request("POST", canonical({k: v for k, v in _wire.items() if k not in _ops}) + "&Signature=" + enc(_sig), canonical(_ops), [HOST_HEADER, FORM_CT]),
      "Common parameters in the query, the operation's in a form body (as the Go SDK's FormParams): one signature over both.",
      tags=("form-body",))
_params = attach(RamRoleName="Ecs Role", ResourceOwnerAccount="a b")
_q = v1_signed_query("POST", v1_params(ATTACH, _params))
assert "%20" in _q
v1_ok("y_plus_for_space", ATTACH, _params, v1_request("POST", _q.replace("%20", "+")),
      "Spaces sent as '+' (Go's url.Values.Encode does): the server form-decodes '+' as a space, then signs %20.", tags=("encoding",))
v1_ok("y_wire_lowercase_hex", ATTACH, attach(RamRoleName="角色"),
      v1_request("POST", re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), v1_signed_query("POST", v1_params(ATTACH, attach(RamRoleName="角色"))))),
      "Escapes with lowercase hex on the wire decode to the same bytes; the server signs its own canonical encoding.", tags=("encoding",))
v1_ok("y_sts_security_token", DETACH, D_PARAMS, v1_post(DETACH, D_PARAMS, SecurityToken="CAIS/token+with=odd chars"),
      "An STS token as the SecurityToken parameter: signed like the rest, not an operation parameter.", tags=("sts",))
_go = v1_params(ATTACH, A_PARAMS, SignatureType="")
v1_ok("y_go_sdk_style", ATTACH, A_PARAMS,
      v1_request("POST", v1_signed_query("POST", _go), "", [HOST_HEADER, ["x-acs-action", ATTACH], ["x-acs-version", "2014-05-26"],
                                                             ["x-sdk-client", "golang/1.0.0"], FORM_CT]),
      "The old Go SDK's shape: an empty SignatureType= signed and sent, x-acs-action / x-acs-version / x-sdk-client headers and a "
      "form content type with an empty body, all ignored by V1 (protocol.md §1.1, §2.5; the x-sdk-client value is illustrative).")
_params = detach(OwnerId=1234567890123456, ResourceOwnerId=0, ResourceOwnerAccount="owner@example.com", RamRoleName="RamRoleTest")
v1_ok("y_owner_params_typed", DETACH, _params, v1_post(DETACH, _params),
      "OwnerId and ResourceOwnerId come back as integers, the other parameters as strings.", tags=("owner",))
v1_ok("y_unknown_parameter_ignored", ATTACH, A_PARAMS, v1_post(ATTACH, A_PARAMS, OwnerAccount="acc"),
      "A parameter the operation does not have is signed like the rest and then ignored: it is not in params.")
_params = attach(InstanceIds='["i-1", "i-2"]')
v1_ok("y_ids_raw_spaced", ATTACH, _params, v1_post(ATTACH, _params), "InstanceIds JSON text with a space parses to the array.", tags=("ids",))
_params = attach(RamRoleName="角色 a+b*c~d/e=f&g%", RegionId="cn-hangzhou")
v1_ok("y_reserved_and_unicode", ATTACH, _params, v1_post(ATTACH, _params),
      "Reserved and non-ASCII characters decode exactly (%2B is '+', not a space).", tags=("encoding",))
_params = detach(InstanceIds=HUNDRED)
v1_ok("y_detach_ids_100", DETACH, _params, v1_post(DETACH, _params), "100 IDs.", tags=("ids", "limit"))

# Failing steps, in the README's order.
_good = v1_post(ATTACH, A_PARAMS)["query"]
_tampered = _good.replace("RamRoleName=EcsRole", "RamRoleName=AdminRole")
assert _tampered != _good
v1_refused("n_tampered_value", v1_request("POST", _tampered), 400, SIGNATURE_DOES_NOT_MATCH,
           "RamRoleName changed after signing: the server's string to sign has the new value, the signature does not match.",
           sts=v1_server_sts("POST", _tampered), tags=("signature",))
v1_refused("n_wrong_secret", v1_request("POST", _good), 400, SIGNATURE_DOES_NOT_MATCH,
           "The key id is known but the client signed with another secret: the server's string to sign equals the client's "
           "(which is how aliyunsdkcore tells a wrong secret from a bug).",
           sts=v1_server_sts("POST", _good), credentials={"testid": "not-the-secret"}, tags=("signature",))
assert v1_server_sts("POST", _good) == sign("POST", v1_params(ATTACH, A_PARAMS), "x")[1]
v1_refused("n_unknown_access_key_id", v1_request("POST", _good), 400, "InvalidAccessKeyId.NotFound",
           "The AccessKeyId is not among the server's credentials.", credentials={"otherid": "testsecret"})
_get = v1_signed_query("GET", v1_params(ATTACH, A_PARAMS))
v1_refused("n_method_changed", v1_request("POST", _get), 400, SIGNATURE_DOES_NOT_MATCH,
           "Signed for GET, sent as POST: the method is part of the string to sign.", sts=v1_server_sts("POST", _get), tags=("signature",))
v1_refused("n_signature_missing", v1_request("POST", canonical(v1_params(ATTACH, A_PARAMS))), 400, "IncompleteSignature",
           "Every signing parameter but Signature.")
for stem, change, code, description in (
    ("n_signature_method_wrong", {"SignatureMethod": "HMAC-SHA256"}, "IncompleteSignature", "SignatureMethod HMAC-SHA256 instead of HMAC-SHA1."),
    ("n_signature_method_missing", {"SignatureMethod": None}, "MissingParameter.SignatureMethod", "No SignatureMethod."),
    ("n_signature_version_wrong", {"SignatureVersion": "2.0"}, "IncompleteSignature", "SignatureVersion must be 1.0."),
    ("n_signature_version_missing", {"SignatureVersion": None}, "MissingParameter.SignatureVersion", "No SignatureVersion."),
    ("n_access_key_id_missing", {"AccessKeyId": None}, "MissingParameter.AccessKeyId", "No AccessKeyId."),
    ("n_nonce_missing", {"SignatureNonce": None}, "MissingParameter.SignatureNonce", "No SignatureNonce."),
    ("n_timestamp_missing", {"Timestamp": None}, "MissingParameter.Timestamp", "No Timestamp."),
    ("n_timestamp_fractional", {"Timestamp": "2016-02-23T12:46:24.123Z"}, "IllegalTimestamp",
     "Fractional seconds (as one third-party Rust crate sends them, protocol.md §7) are not the documented form."),
    ("n_timestamp_malformed", {"Timestamp": "2016-02-23 12:46:24"}, "IllegalTimestamp", "A space instead of T and no Z."),
    ("n_action_missing", {"Action": None}, "MissingParameter.Action", "No Action."),
    ("n_version_missing", {"Version": None}, "MissingParameter.Version", "No Version."),
    ("n_version_wrong", {"Version": "2016-03-14"}, "InvalidParameter", "Another API version than 2014-05-26."),
):
    v1_refused(stem, v1_post(ATTACH, A_PARAMS, **change), 400, code, description + " The request is otherwise correctly signed.")
v1_refused("n_action_unknown", v1_post(ATTACH, A_PARAMS, Action="DescribeRegions"), 403, "InvalidAction",
           "An Action this service does not serve (correctly signed): 403 InvalidAction.")

# Step 1: the query and body themselves.
_dup = v1_params(ATTACH, A_PARAMS)
_dupq = v1_signed_query("POST", _dup).replace("&RegionId=cn-hangzhou&", "&RegionId=cn-hangzhou&RegionId=cn-beijing&")
assert "RegionId=cn-beijing" in _dupq
v1_refused("n_duplicate_in_query", v1_request("POST", _dupq), 400, "InvalidParameter",
           "RegionId twice in the query: refused, neither the first nor the last wins.", tags=("duplicate",))
_signed = v1_signed_query("POST", _dup)
v1_refused("n_duplicate_query_and_body", v1_request("POST", _signed, "RegionId=cn-beijing", [HOST_HEADER, FORM_CT]), 400, "InvalidParameter",
           "RegionId in the query and again in a form body.", tags=("duplicate", "form-body"))
for stem, old, new, description in (
    ("n_bad_percent_escape", "RamRoleName=EcsRole", "RamRoleName=Ecs%G1Role", "'%G1' is not an escape."),
    ("n_truncated_percent_escape", "RamRoleName=EcsRole", "RamRoleName=EcsRole%4", "A '%' followed by one hex digit."),
    ("n_non_utf8_escape", "RamRoleName=EcsRole", "RamRoleName=Ecs%FF%FERole", "%FF%FE does not decode to UTF-8."),
):
    assert old in _good
    v1_refused(stem, v1_request("POST", _good.replace(old, new)), 400, "InvalidParameter", description + " Refused before any signature check.",
               tags=("encoding",))
_body = v1_signed_query("POST", v1_params(ATTACH, A_PARAMS))
v1_refused("n_form_body_without_content_type", v1_request("POST", "", _body, [HOST_HEADER]), 400, "MissingParameter.Action",
           "A pop-core style body without the form content type is not read: the request has no Action.", tags=("form-body",))
_body_get = v1_signed_query("GET", v1_params(ATTACH, A_PARAMS))
v1_refused("n_form_body_on_get", v1_request("GET", "", _body_get, [HOST_HEADER, FORM_CT]), 400, "MissingParameter.Action",
           "Only a POST body is read as parameters: a GET with a form body has no Action.", tags=("form-body",))
_extra = v1_params(ATTACH, A_PARAMS)
_unsigned = v1_signed_query("POST", _extra) + "&SignatureType="
v1_refused("n_unsigned_extra_parameter", v1_request("POST", _unsigned), 400, SIGNATURE_DOES_NOT_MATCH,
           "An empty SignatureType= sent but left out of the signature: the server signs every parameter it received, empty ones "
           "included.", sts=v1_server_sts("POST", _unsigned), tags=("signature",))

# Step 5: the operation's parameters, after a valid signature.
for stem, op, params, code, description in (
    ("n_region_missing", ATTACH, attach(RegionId=None), "MissingParameter.RegionId", "No RegionId."),
    ("n_ids_missing", DETACH, detach(InstanceIds=None), "MissingParameter.InstanceIds", "No InstanceIds."),
    ("n_role_name_missing", ATTACH, attach(RamRoleName=None), "MissingParameter.RamRoleName", "AttachInstanceRamRole without RamRoleName."),
    ("n_ids_bare_id", DETACH, detach(InstanceIds="i-instance1"), "InvalidInstanceIds.Malformed", "A bare ID, not a JSON array."),
    ("n_ids_101", ATTACH, attach(InstanceIds=HUNDRED + ["i-100"]), "InvalidInstanceIds.Malformed", "101 IDs."),
    ("n_ids_empty_array", DETACH, detach(InstanceIds="[]"), "InvalidInstanceIds.Malformed", "An empty array."),
    ("n_ids_single_quotes", DETACH, detach(InstanceIds="['i-1']"), "InvalidInstanceIds.Malformed",
     "Single-quoted pseudo-JSON (aliyun/aliyun-cli#154's suggestion) is not JSON."),
    ("n_role_name_empty", ATTACH, attach(RamRoleName=""), "InvalidParameter", "RamRoleName present but empty."),
    ("n_owner_id_negative", ATTACH, attach(OwnerId="-1"), "InvalidParameter", "OwnerId is a Long from 0 to 2^63-1."),
    ("n_owner_id_too_large", DETACH, detach(ResourceOwnerId="9223372036854775808"), "InvalidParameter", "2^63 is not a Long."),
    ("n_policy_too_long", ATTACH, attach(Policy="p" * 1025), "InvalidParameter", "A Policy over 1024 characters."),
):
    code_status = 400
    v1_refused(stem, v1_post(op, params), code_status, code, description + " Correctly signed, refused by the operation's rules.", tags=("params",))

# --- V3 -------------------------------------------------------------------------------

V3_GROUP = "v3"


def is_signed_by_default(name):
    name = name.lower()
    return name in ("host", "content-type") or name.startswith("x-acs-")


def v3_request(op, params, context=None, before=None, after=None, signed=None, access_key_id="testid", secret="testsecret"):
    """A V3 request as incoming input. `before(parts)` edits it before signing, `after(parts)`
    after; `signed` lists the header names to sign (default: host, content-type, x-acs-*)."""
    context = V3_POST_JSON if context is None else context
    method, query, headers, body, qparams, payload = v3_wire(op, params, context)
    parts = {"method": method, "path": "/", "query": query, "headers": [list(h) for h in headers], "body": body.encode("utf-8"),
             "qparams": qparams, "payload": payload}
    if context.get("format"):
        parts["headers"].append(["accept", ACCEPT[context["format"]]])
    if before:
        before(parts)
    names = signed if signed is not None else [n for n, _ in parts["headers"] if is_signed_by_default(n)]
    subset = [h for h in parts["headers"] if h[0].lower() in [n.lower() for n in names]]
    stages = v3_sign(parts["method"], parts["path"], parts["qparams"], subset, parts["payload"], access_key_id, secret)
    parts["headers"].append(["authorization", stages["authorization"]])
    parts["headers"].sort(key=lambda h: h[0].lower().encode())
    parts["stages"] = stages
    if after:
        after(parts)
    return parts


def header(parts, name):
    return next(v for n, v in parts["headers"] if n.lower() == name)


def set_header(parts, name, value):
    for h in parts["headers"]:
        if h[0].lower() == name:
            h[1] = value


def drop_header(parts, name):
    parts["headers"] = [h for h in parts["headers"] if h[0].lower() != name]


def v3_server_sts(parts):
    """What the server signs: method, path, the decoded query re-encoded, the headers the
    authorization names (merged as in the signer), the body's own SHA-256."""
    auth = header(parts, "authorization")
    names = re.search(r",SignedHeaders=([^,]*),", auth).group(1).split(";")
    headers = [h for h in parts["headers"] if h[0].lower() in names]
    return v3_sign(parts["method"], parts["path"], decoded(parts["query"]), headers, sha256_hex(parts["body"]), "unused", "unused")["string_to_sign"]


def v3_ok(stem, op, params, parts, description, **kw):
    incoming_case(V3_GROUP, stem, parts, accepted(op, V3, params), description, **kw)


def v3_refused(stem, parts, status, code, description, sts=False, **kw):
    incoming_case(V3_GROUP, stem, parts, refused(status, code, v3_server_sts(parts) if sts else None), description, **kw)


_p = v3_request(ATTACH, A_PARAMS)
assert v3_server_sts(_p) == _p["stages"]["string_to_sign"]
v3_ok("y_attach_post_query", ATTACH, A_PARAMS, _p,
      "A V3 request in the request kind's shape: parameters in the query, an unsigned accept header, the rest signed.")
v3_ok("y_detach_get_query", DETACH, D_PARAMS, v3_request(DETACH, D_PARAMS, V3_GET_XML), "GET, with accept: application/xml.")
v3_ok("y_attach_post_body", ATTACH, A_PARAMS, v3_request(ATTACH, A_PARAMS, V3_BODY_JSON),
      "Parameters in a form body: the empty query line, content-type signed, the body's hash checked.", tags=("form-body",))
_params = detach(RamRoleName="Ecs Role", OwnerId=7)
v3_ok("y_detach_post_body", DETACH, _params, v3_request(DETACH, _params, V3_BODY_JSON),
      "Detach with its optional parameters in a form body.", tags=("form-body",))
v3_ok("y_sts_security_token", ATTACH, A_PARAMS,
      v3_request(ATTACH, A_PARAMS, dict(V3_POST_JSON, signing=dict(V3_SIGNING, security_token="CAIS/token+with=odd chars"))),
      "An STS token in x-acs-security-token, signed.", tags=("sts",))


def title_case(parts):
    parts["headers"] = [[n.title(), v] for n, v in parts["headers"]]


v3_ok("y_header_names_any_case", ATTACH, A_PARAMS, v3_request(ATTACH, A_PARAMS, V3_BODY_JSON, after=title_case),
      "Header names in title case (Host, Authorization, Content-Type, X-Acs-Date, ...): names are compared without regard to case.")


def repeated_header(parts):
    parts["headers"] += [["x-acs-test", "http"], ["X-Acs-Test", "https "]]


v3_ok("y_repeated_header_merged", ATTACH, A_PARAMS, v3_request(ATTACH, A_PARAMS, before=repeated_header),
      "x-acs-test and X-Acs-Test, signed as the one merged line 'x-acs-test:http,https' (as openapi-util canonicalizes): accepted.",
      tags=("header-merge",))


def user_agent(parts):
    parts["headers"].append(["user-agent", "AlibabaCloud (Linux; x86_64) Python/3.11 TeaDSL/1"])


v3_ok("y_extra_header_unsigned", ATTACH, A_PARAMS, v3_request(ATTACH, A_PARAMS, before=user_agent),
      "A user-agent the client did not sign: only host, content-type and x-acs-* must be signed.")
v3_ok("y_extra_header_signed", ATTACH, A_PARAMS,
      v3_request(ATTACH, A_PARAMS, before=user_agent, signed=["accept", "host", "user-agent", "x-acs-action", "x-acs-content-sha256",
                                                              "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]),
      "accept and user-agent signed too (the Python util signs every header it has): SignedHeaders decides.")
_params = attach(RamRoleName="Ecs Role*~")


def reencode_wire(parts):
    parts["query"] = parts["query"].replace("%20", "+").replace("%2A", "*").replace("%5B", "%5b")


_p = v3_request(ATTACH, _params, after=reencode_wire)
assert "Ecs+Role*~" in _p["query"] and "%5b" in _p["query"]
v3_ok("y_wire_query_reencoded", ATTACH, _params, _p,
      "The wire query differs from the signed canonical query ('+' for a space, a raw '*', a lowercase escape): the server "
      "decodes and re-encodes canonically, so it still matches.", tags=("encoding",))
v3_ok("y_unknown_parameter_ignored", ATTACH, A_PARAMS, v3_request(ATTACH, A_PARAMS, before=lambda p: p.update(
    qparams=dict(p["qparams"], OwnerAccount="acc"), query=canonical(dict(p["qparams"], OwnerAccount="acc")))),
      "A parameter the operation does not have is signed in the query and then ignored.")
_params = attach(RegionId="cn-shanghai")
v3_ok("y_regional_host", ATTACH, _params, v3_request(ATTACH, _params, dict(V3_POST_JSON, host="ecs.cn-shanghai.aliyuncs.com")),
      "A regional host.")
_params = detach(InstanceIds='["i-1", "i-2"]')
v3_ok("y_ids_raw_spaced", DETACH, _params, v3_request(DETACH, _params, V3_BODY_JSON), "Raw InstanceIds text in a form body.", tags=("ids",))

# Signature failures.
_p = v3_request(ATTACH, A_PARAMS, after=lambda p: p.update(query=p["query"].replace("RamRoleName=EcsRole", "RamRoleName=AdminRole")))
v3_refused("n_tampered_query_value", _p, 400, SIGNATURE_DOES_NOT_MATCH,
           "RamRoleName changed in the query after signing.", sts=True, tags=("signature",))
_p = v3_request(ATTACH, A_PARAMS, V3_BODY_JSON, after=lambda p: p.update(body=p["body"].replace(b"EcsRole", b"AdminRole")))
v3_refused("n_body_tampered", _p, 400, SIGNATURE_DOES_NOT_MATCH,
           "The form body changed after signing, x-acs-content-sha256 still the old body's: the server hashes the body it got.",
           sts=True, tags=("signature", "form-body"))
_p = v3_request(ATTACH, A_PARAMS, V3_BODY_JSON, before=lambda p: (p.update(payload=EMPTY_SHA256), set_header(p, "x-acs-content-sha256", EMPTY_SHA256)))
v3_refused("n_content_sha256_of_empty_body", _p, 400, SIGNATURE_DOES_NOT_MATCH,
           "A client that hashed an empty body although it sent a form body: x-acs-content-sha256 and the signature agree with "
           "each other but not with the body.", sts=True, tags=("signature", "form-body"))
_p = v3_request(ATTACH, A_PARAMS)
v3_refused("n_wrong_secret", _p, 400, SIGNATURE_DOES_NOT_MATCH, "Signed with another secret than the server's for testid.",
           sts=True, credentials={"testid": "not-the-secret"}, tags=("signature",))
v3_refused("n_unknown_access_key_id", _p, 400, "InvalidAccessKeyId.NotFound", "The Credential's key id is unknown.",
           credentials={"otherid": "testsecret"})
_p = v3_request(ATTACH, A_PARAMS, V3_GET_XML, after=lambda p: p.update(method="POST"))
v3_refused("n_method_changed", _p, 400, SIGNATURE_DOES_NOT_MATCH, "Signed for GET, sent as POST.", sts=True, tags=("signature",))
_p = v3_request(ATTACH, A_PARAMS, after=lambda p: p.update(path="/v1"))
v3_refused("n_path_changed", _p, 400, SIGNATURE_DOES_NOT_MATCH, "Signed for '/', sent to '/v1': the path is the canonical URI.",
           sts=True, tags=("signature",))
_p2 = v3_request(ATTACH, A_PARAMS, before=lambda p: p["headers"].append(["x-acs-test", "http"]),
                 after=lambda p: p["headers"].append(["X-Acs-Test", "https"]))
v3_refused("n_repeated_header_signed_one_value", _p2, 400, SIGNATURE_DOES_NOT_MATCH,
           "x-acs-test sent twice (two cases of its name) but signed with one value: the server merges both ('http,https').",
           sts=True, tags=("signature", "header-merge"))

# Form of the authorization and SignedHeaders.
_sh = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"


def edit_authorization(fn):
    def after(parts):
        set_header(parts, "authorization", fn(header(parts, "authorization")))
    return after


for stem, fn, description in (
    ("n_authorization_spaces_after_commas", lambda a: a.replace(",", ", "), "Spaces after the commas (the AWS habit): not the ACS3 form."),
    ("n_authorization_other_algorithm", lambda a: a.replace("ACS3-HMAC-SHA256 ", "ACS3-HMAC-SM3 ", 1), "Another algorithm name."),
    ("n_authorization_no_signature", lambda a: a.split(",Signature=")[0], "No Signature= part."),
    ("n_signed_headers_unsorted", lambda a: a.replace(_sh, "x-acs-action;host;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"),
     "SignedHeaders not sorted."),
    ("n_signed_headers_uppercase", lambda a: a.replace(_sh, _sh.replace("host", "Host")), "SignedHeaders not lowercase."),
    ("n_signed_headers_repeated", lambda a: a.replace(_sh, "host;host;" + _sh[5:]), "SignedHeaders names host twice."),
):
    _p = v3_request(ATTACH, A_PARAMS, after=edit_authorization(fn))
    v3_refused(stem, _p, 400, "IncompleteSignature", description, tags=("authorization",))


def extra_then_drop(name, value):
    return (lambda p: p["headers"].append([name, value])), (lambda p: drop_header(p, name))


_b, _a = extra_then_drop("x-acs-extra", "1")
v3_refused("n_signed_headers_absent", v3_request(ATTACH, A_PARAMS, before=_b, after=_a), 400, "IncompleteSignature",
           "SignedHeaders names x-acs-extra, which the request does not carry.", tags=("authorization",))
_all = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]
_p = v3_request(ATTACH, A_PARAMS, signed=[n for n in _all if n != "host"], after=lambda p: drop_header(p, "host"))
v3_refused("n_host_missing", _p, 400, "IncompleteSignature", "No host header (the rest signed consistently).", tags=("authorization",))
_p = v3_request(ATTACH, A_PARAMS, signed=[n for n in _all if n != "host"])
v3_refused("n_host_unsigned", _p, 400, "IncompleteSignature", "host sent but left out of SignedHeaders.", tags=("authorization",))
_p = v3_request(ATTACH, A_PARAMS, dict(V3_POST_JSON, signing=dict(V3_SIGNING, security_token="CAIS/token")), signed=_all)
v3_refused("n_security_token_unsigned", _p, 400, "IncompleteSignature", "x-acs-security-token sent but not signed.", tags=("authorization", "sts"))
_p = v3_request(ATTACH, A_PARAMS, before=lambda p: p["headers"].append(["x-acs-custom", "1"]), signed=_all)
v3_refused("n_x_acs_header_unsigned", _p, 400, "IncompleteSignature", "Any x-acs-* header sent must be signed: x-acs-custom is not.",
           tags=("authorization",))
_p = v3_request(ATTACH, A_PARAMS, V3_BODY_JSON, signed=_all)
v3_refused("n_content_type_unsigned", _p, 400, "IncompleteSignature", "A form body whose content-type is not signed.",
           tags=("authorization", "form-body"))
for name in ("x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"):
    _p = v3_request(ATTACH, A_PARAMS, signed=[n for n in _all if n != name], after=lambda p, name=name: drop_header(p, name))
    v3_refused(f"n_{name[6:].replace('-', '_')}_missing", _p, 400, "IncompleteSignature", f"No {name} header (the rest signed consistently).",
               tags=("authorization",))
_p = v3_request(ATTACH, A_PARAMS, dict(V3_POST_JSON, signing=dict(V3_SIGNING, timestamp="Tue, 23 Feb 2016 12:46:24 GMT")))
v3_refused("n_date_http_format", _p, 400, "IllegalTimestamp", "x-acs-date as an HTTP date, signed consistently: not YYYY-MM-DDThh:mm:ssZ.")
_p = v3_request(ATTACH, A_PARAMS, dict(V3_POST_JSON, signing=dict(V3_SIGNING, timestamp="2016-02-23T12:46:24.000Z")))
v3_refused("n_date_fractional", _p, 400, "IllegalTimestamp", "x-acs-date with fractional seconds.")

# Action, Version and V1 parameters.
for stem, name, value, status, code, description in (
    ("n_action_missing", "x-acs-action", None, 400, "MissingParameter.Action", "No x-acs-action."),
    ("n_action_unknown", "x-acs-action", "RunInstances", 403, "InvalidAction", "An action this service does not serve."),
    ("n_version_missing", "x-acs-version", None, 400, "MissingParameter.Version", "No x-acs-version."),
    ("n_version_wrong", "x-acs-version", "2016-03-14", 400, "InvalidParameter", "Another API version."),
):
    if value is None:
        _p = v3_request(ATTACH, A_PARAMS, signed=[n for n in _all if n != name], after=lambda p, name=name: drop_header(p, name))
    else:
        _p = v3_request(ATTACH, A_PARAMS, before=lambda p, name=name, value=value: set_header(p, name, value))
    v3_refused(stem, _p, status, code, description + " Signed consistently.")


def with_query(extra):
    def before(parts):
        parts["qparams"] = dict(parts["qparams"], **extra)
        parts["query"] = canonical(parts["qparams"])
    return before


_p = v3_request(ATTACH, A_PARAMS, before=with_query({"AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
                                                     "SignatureNonce": "n", "Timestamp": "2016-02-23T12:46:24Z", "Signature": "x"}))
v3_refused("n_v1_parameters_in_query", _p, 400, "InvalidParameter",
           "V1 signing parameters in the query of a V3 request (signed into the V3 signature): which signature counts is not for "
           "the server to guess.")


def body_extra(parts):
    parts["body"] += b"&SecurityToken=CAIS"
    parts["payload"] = sha256_hex(parts["body"])
    set_header(parts, "x-acs-content-sha256", parts["payload"])


v3_refused("n_security_token_parameter_in_body", v3_request(ATTACH, A_PARAMS, V3_BODY_JSON, before=body_extra), 400, "InvalidParameter",
           "A SecurityToken parameter in the form body of a V3 request.", tags=("form-body",))

# Step 1 under V3.
_p = v3_request(ATTACH, A_PARAMS, after=lambda p: p.update(query=p["query"] + "&RegionId=cn-beijing"))
v3_refused("n_duplicate_in_query", _p, 400, "InvalidParameter", "RegionId twice in the query.", tags=("duplicate",))


def dup_in_body(parts):
    parts["body"] = b"RegionId=cn-beijing"
    parts["payload"] = sha256_hex(parts["body"])
    set_header(parts, "x-acs-content-sha256", parts["payload"])
    parts["headers"].append(["content-type", FORM])


v3_refused("n_duplicate_query_and_body", v3_request(ATTACH, A_PARAMS, before=dup_in_body), 400, "InvalidParameter",
           "RegionId in the query and in the form body, both covered by the signature.", tags=("duplicate", "form-body"))


def bad_body(new):
    def before(parts):
        parts["body"] = parts["body"].replace(b"RamRoleName=EcsRole", new)
        parts["payload"] = sha256_hex(parts["body"])
        set_header(parts, "x-acs-content-sha256", parts["payload"])
    return before


v3_refused("n_bad_percent_escape_in_body", v3_request(ATTACH, A_PARAMS, V3_BODY_JSON, before=bad_body(b"RamRoleName=Ecs%zzRole")), 400,
           "InvalidParameter", "'%zz' in the form body (whose hash and signature are consistent).", tags=("encoding", "form-body"))
v3_refused("n_non_utf8_escape_in_body", v3_request(ATTACH, A_PARAMS, V3_BODY_JSON, before=bad_body(b"RamRoleName=Ecs%C3%28")), 400,
           "InvalidParameter", "%C3%28 is not UTF-8.", tags=("encoding", "form-body"))
_p = v3_request(ATTACH, A_PARAMS, after=lambda p: p.update(query=p["query"].replace("RamRoleName=EcsRole", "RamRoleName=EcsRole%")))
v3_refused("n_truncated_percent_escape", _p, 400, "InvalidParameter", "A lone '%' at the end of a query value.", tags=("encoding",))

# Step 5 under V3.
for stem, op, params, context, code, description in (
    ("n_region_missing", ATTACH, attach(RegionId=None), V3_POST_JSON, "MissingParameter.RegionId", "No RegionId."),
    ("n_role_name_missing", ATTACH, attach(RamRoleName=None), V3_BODY_JSON, "MissingParameter.RamRoleName", "No RamRoleName, body placement."),
    ("n_ids_missing", DETACH, detach(InstanceIds=None), V3_POST_JSON, "MissingParameter.InstanceIds", "No InstanceIds."),
    ("n_ids_bare_id", DETACH, detach(InstanceIds="i-instance1"), V3_BODY_JSON, "InvalidInstanceIds.Malformed", "A bare ID in the body."),
    ("n_ids_empty_string_item", ATTACH, attach(InstanceIds='["i-1",""]'), V3_POST_JSON, "InvalidInstanceIds.Malformed", "An empty ID."),
    ("n_region_empty", DETACH, detach(RegionId=""), V3_POST_JSON, "InvalidParameter", "RegionId present but empty."),
):
    v3_refused(stem, v3_request(op, params, context), 400, code, description + " Correctly signed.", tags=("params",))



# ---------------------------------------------------------------------------------------
# response/error/{json,xml}/y_retry_*: the retry hint (corpus/README.md, since 1.1.0;
# protocol.md §5.2: x-acs-retry-after in milliseconds, positive integers only).

RETRY_SRC = {"type": "issue", "ref": "aliyun/darabonba-openapi#283, aliyun/aliyun-cli#1395 (protocol.md §5.2: x-acs-retry-after)"}
RETRY_RULE_SRC = {"type": "synthetic", "note": "the retry rule of corpus/README.md (status, throttling codes per protocol.md §5.2, known retryable codes)"}


def retry_pair(stem, status, code, message, retry_after, retryable, after_ms, description, header_name="x-acs-retry-after", source=None):
    xml_body = f'<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>{RID}</RequestId><HostId>{HOST}</HostId><Code>{code}</Code><Message>{xml_text(message)}</Message></Error>'
    json_body = json.dumps({"RequestId": RID, "HostId": HOST, "Code": code, "Message": message}, ensure_ascii=False)
    expected = service_error(http_status=status, code=code, message=message, request_id=RID, host_id=HOST)
    expected["retry"] = {"retryable": retryable, "after_ms": after_ms}
    extra = [] if retry_after is None else [[header_name, retry_after]]
    for fmt, body in (("xml", xml_body), ("json", json_body)):
        other = "json" if fmt == "xml" else "xml"
        default_source = RETRY_RULE_SRC if retry_after is None else RETRY_SRC
        response_case(None, fmt, stem, body, expected, description, status=status, source=source or default_source,
                      tags=("error", "retry"), group="error", twin=f"response/error/{other}/{stem}", extra_headers=extra)


FLOW = "Request was denied due to user flow control."
retry_pair("y_retry_throttling_user_with_after", 400, "Throttling.User", FLOW, "1500", True, 1500,
           "Throttling.User with x-acs-retry-after: 1500: retry, after 1500 ms.")
retry_pair("y_retry_throttling_user_without_after", 400, "Throttling.User", FLOW, None, True, None,
           "Throttling.User without the header: retryable by its code, no delay hint.")
retry_pair("y_retry_throttling_after_zero", 400, "Throttling", "Request was denied due to request throttling.", "0", True, None,
           "Throttling with x-acs-retry-after: 0: retryable by its code; 0 is no hint.")
retry_pair("y_retry_unknown_code_with_after", 400, "Custom.FlowControl", "Slow down.", "2000", True, 2000,
           "A 4xx code the rule does not know, with a positive x-acs-retry-after: the header alone makes it retryable.",
           source=dict(RETRY_SRC, note="the code is made up, so only the header can make it retryable"))
retry_pair("y_retry_header_name_case", 400, "Custom.FlowControl", "Slow down.", "250", True, 250,
           "The header named X-Acs-Retry-After: header names are compared without regard to case.", header_name="X-Acs-Retry-After",
           source=dict(RETRY_SRC, note="made-up code; header name in title case"))
retry_pair("y_retry_after_zero", 400, "Custom.FlowControl", "Slow down.", "0", False, None,
           "x-acs-retry-after: 0 on a code the rule does not know: no hint, not retryable.")
retry_pair("y_retry_after_empty", 400, "Custom.FlowControl", "Slow down.", "", False, None, "An empty x-acs-retry-after: no hint.")
retry_pair("y_retry_after_non_numeric", 400, "Custom.FlowControl", "Slow down.", "soon", False, None, "A non-numeric x-acs-retry-after: no hint.")
retry_pair("y_retry_after_negative", 400, "Custom.FlowControl", "Slow down.", "-5", False, None, "A negative value is not a positive integer: no hint.")
retry_pair("y_retry_after_fraction", 400, "Custom.FlowControl", "Slow down.", "1.5", False, None, "A fraction is not an integer: no hint.")
retry_pair("y_retry_503_unknown_code", 503, "Custom.Maintenance", "Come back later.", None, True, None,
           "Any 5xx is retryable, whatever its code.")
retry_pair("y_retry_500_with_after", 500, "InternalError", "The request processing has failed due to some unknown error.", "3000", True, 3000,
           "A 500 with a delay hint: retryable, after 3000 ms.")
retry_pair("y_retry_429_unknown_code", 429, "Custom.TooMany", "Too many requests.", None, True, None, "Any 429 is retryable, whatever its code.")
retry_pair("y_retry_signature_nonce_used", 400, "SignatureNonceUsed", "Specified signature nonce was used already.", None, True, None,
           "SignatureNonceUsed is a known retryable code (a new nonce fixes it).")
retry_pair("y_retry_operation_conflict", 409, "OperationConflict", "Request was denied due to conflict with a previous request.", None, True, None,
           "OperationConflict is a known retryable code.")
retry_pair("y_retry_not_found", 404, "InvalidRamRole.NotFound", "The specified RamRoleName does not exist.", None, False, None,
           "404 InvalidRamRole.NotFound: retrying cannot help.")
retry_pair("y_retry_invalid_parameter", 400, "InvalidParameter", "The specified parameter \"InstanceIds\" is not valid.", None, False, None,
           "A plain 400 InvalidParameter: not retryable.")


# =======================================================================================
# Corpus 1.1.0: DescribeInstanceRamRole, the third operation of the lifecycle (attach,
# describe, detach): its requests (V1 and V3), its responses and the server side. As
# above, every expected value is computed here or copied from the API reference page,
# never taken from the Rust crate.
# =======================================================================================

DESCRIBE = "DescribeInstanceRamRole"
DESCRIBE_PAGE = "AlibabaCloudDocs/ecs intl.en-US/API Reference/Instances/DescribeInstanceRamRole.md"
DOC_DESCRIBE = {"type": "doc", "document": f"{DESCRIBE_PAGE}, version of 2020-11-09 (commit a6f72118, read in the fork "
                                           "SkyeYXL/ecs, which carries the docs' history; protocol.md §1.4, §4.1)"}
DOC_DESCRIBE_2019 = {"type": "doc", "document": f"{DESCRIBE_PAGE}, version of 2019-08-14 (commit c07f7d3f, read in the fork "
                                                "SkyeYXL/ecs; protocol.md §1.4, §4.1)"}
# The page's examples, byte-exact (the text between the code fences, as seed_blocks reads the seeds).
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
DESCRIBE_DOC_2019_XML = (
    "<DescribeInstanceRamRoleResponse>\n  <RequestId>8F4CAE3F-7892-4662-83A5-2C2FFD639553</RequestId>\n"
    "  <InstanceRamRoleSets>\n    <InstanceRamRoleSet>\n      <InstanceId>i-instance1</InstanceId>\n"
    "      <RamRoleName>RamRoleTest</RamRoleName>\n    </InstanceRamRoleSet>\n  </InstanceRamRoleSets>\n"
    "  <TotalCount>1</TotalCount> \n</DescribeInstanceRamRoleResponse>\n\n")
DESCRIBE_DOC_2019_JSON = (
    '{\n\t"TotalCount":1,\n\t"RequestId":"8F4CAE3F-7892-4662-83A5-2C2FFD639553",\n\t"InstanceRamRoleSets":{\n'
    '\t\t"InstanceRamRoleSet":[\n\t\t\t{\n\t\t\t\t"InstanceId":"i-instance1",\n\t\t\t\t"RamRoleName":"RamRoleTest"\n'
    '\t\t\t}\n\t\t]\n\t}\n}\n')

# SHA-256 of the page's bytes (git show <commit>:<path>, the text between the fences), so an edit shows.
assert sha256_hex(DESCRIBE_DOC_XML) == "45437aa5f38fff47e5acd5d46fcde5c848f255fdb7a272d6b268586a93d4aa74"
assert sha256_hex(DESCRIBE_DOC_JSON) == "81c51a78bd7fdca09e5bcf2e1794c03f031d20deb14112bb150964802ef21db0"
assert sha256_hex(DESCRIBE_DOC_2019_XML) == "9c2bc6b3cb1098964e4a996298bbc50d8461427a9d0e88feb1ddbc820f57ad76"
assert sha256_hex(DESCRIBE_DOC_2019_JSON) == "1afd3bac5a678c544bc750a518d7e1fd11b5fa492ea76b080c7572d22cc295b1"

# ---------------------------------------------------------------------------------------
# request/DescribeInstanceRamRole/


def describe(**overrides):
    """Describe by instance (the default) ..."""
    return with_overrides({"RegionId": "cn-hangzhou", "InstanceIds": ["i-1"]}, overrides)


def by_role(**overrides):
    """... or by role."""
    return with_overrides({"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole"}, overrides)


DESCRIBE_REPAIR = ("The page shows the parameters raw and unencoded, with layout spaces and a <Common request parameters> "
                   "placeholder; they are taken as documented (InstanceIds as the page's JSON text, byte for byte; PageNumber and "
                   "PageSize as integers) and encoded on the wire.")
DOC_DESCRIBE_REQUEST = {"RegionId": "cn-hangzhou", "InstanceIds": '["i-bp67acfmxazb1p****", "i-bp67acfmxazb2p****", "bp67acfmxazb3p****"]',
                        "PageNumber": 1, "PageSize": 1}
DOC_DESCRIBE_2019_REQUEST = {"RegionId": "cn-hangzhou", "InstanceIds": '["i-instance1"]', "PageNumber": 1, "PageSize": 10,
                             "RamRoleName": "FinanceDeptOnly"}
ALL_EMPTY_SRC = dict(DOC_DESCRIBE, note="the rule and the service's 403 InvalidParameter.AllEmpty from the page's parameter and "
                                           "error tables; the request is synthetic")
ALL_EMPTY = ("At least one of InstanceIds and RamRoleName must be given (protocol.md §1.4; the service answers 403 "
             "InvalidParameter.AllEmpty). The request kind names it constraint_violation: neither parameter is required by "
             "itself, the rule is across the two (and the service's code is an InvalidParameter one, not MissingParameter), "
             "as this library answers it.")


def d_req(stem, params, context, description, expect=None, tags=(), level="must", source=SYNTHETIC):
    request_case(DESCRIBE, stem, params, context, expect=expect, description=description, tags=("describe",) + tuple(tags),
                 level=level, source=source)


d_req("y_doc_example", DOC_DESCRIBE_REQUEST, SIGNED_POST,
      "The 2020 page's request example (three IDs as the page's JSON text, one of them without its i- prefix, PageNumber 1, "
      "PageSize 1), signed with the documented signing example's key, time and nonce, POST and JSON.",
      source=dict(DOC_DESCRIBE, repair=DESCRIBE_REPAIR), tags=("doc", "paging"))
d_req("y_doc_example_get_xml", DOC_DESCRIBE_REQUEST, SIGNED_GET_XML, "The same example over GET with Format=XML.",
      source=dict(DOC_DESCRIBE, repair=DESCRIBE_REPAIR), tags=("doc", "paging"))
d_req("y_doc_example_2019", DOC_DESCRIBE_2019_REQUEST, SIGNED_POST,
      "The 2019 page's request example: InstanceIds and RamRoleName together, with PageNumber 1 and PageSize 10.",
      source=dict(DOC_DESCRIBE_2019, repair=DESCRIBE_REPAIR), tags=("doc", "paging"))
d_req("y_ids_only", describe(), SIGNED_POST, "By instance: InstanceIds without RamRoleName.", tags=("filters",))
d_req("y_role_name_only", by_role(), SIGNED_POST, "By role: RamRoleName without InstanceIds (every instance that has the role).",
      tags=("filters",))
d_req("y_ids_and_role_name", describe(RamRoleName="EcsRole", InstanceIds=["i-2", "i-1"]), SIGNED_POST,
      "Both filters at once; the IDs keep their order.", tags=("filters",))
d_req("y_paging", by_role(PageNumber=3, PageSize=50), SIGNED_POST,
      "PageNumber and PageSize are integers written in decimal; PageSize 50 is the documented maximum.", tags=("paging", "limit"))
d_req("y_page_size_1", describe(PageSize=1, PageNumber=1), SIGNED_POST, "PageSize 1 and PageNumber 1, the smallest values.",
      tags=("paging", "limit"))
d_req("y_page_number_max_int32", by_role(PageNumber=2147483647), SIGNED_POST,
      "The page documents PageNumber as an Integer starting from 1 with no maximum; the SDK models are 32-bit, so 2^31-1 is the "
      "largest (this library's bound).", tags=("paging", "limit"), level="should")
d_req("y_get_xml", by_role(PageNumber=2), SIGNED_GET_XML, "GET with Format=XML, by role, second page.", tags=("paging",))
d_req("y_unsigned", describe(RamRoleName="EcsRole", PageSize=20), {"method": "GET"},
      "Unsigned and without Format: only Action, Version and the operation's parameters.", tags=("unsigned",))
d_req("y_security_token", by_role(), {"method": "POST", "format": "JSON", "signing": dict(DOC_SIGNING, security_token="CAIS/token+with=odd chars")},
      "An STS token is sent and signed as SecurityToken.", tags=("sts",))
d_req("y_ids_100", describe(InstanceIds=HUNDRED), SIGNED_POST, "100 IDs, the documented maximum of the API reference page.",
      tags=("ids", "limit"))
d_req("y_ids_raw_spaced", describe(InstanceIds='["i-1", "i-2"]'), SIGNED_POST, "Raw JSON text is sent byte-for-byte.",
      tags=("ids", "raw-json"))
d_req("y_owner_params", by_role(OwnerId=1234567890123456, ResourceOwnerId=42, ResourceOwnerAccount="owner@example.com"), SIGNED_POST,
      "OwnerId and ResourceOwnerId are Longs written in decimal; '@' is %40.", tags=("owner",))
d_req("y_role_name_reserved_and_unicode", by_role(RamRoleName="角色 a+b*c~"), SIGNED_POST,
      "Reserved and non-ASCII characters in RamRoleName: %20, %2B, %2A, ~ literal, UTF-8 bytes.", tags=("encoding",))

# Rejects.
d_req("n_all_empty", {"RegionId": "cn-hangzhou"}, SIGNED_POST, ALL_EMPTY, expect=reject("constraint_violation"), tags=("filters",),
      source=ALL_EMPTY_SRC)
d_req("n_all_empty_paging_only", {"RegionId": "cn-hangzhou", "PageNumber": 1, "PageSize": 10}, SIGNED_POST,
      "Paging alone says nothing about what to describe: still neither InstanceIds nor RamRoleName.",
      expect=reject("constraint_violation"), tags=("filters", "paging"))
d_req("n_all_empty_unsigned", {"RegionId": "cn-hangzhou", "ResourceOwnerAccount": "owner"}, {"method": "GET"},
      "Unsigned, with only RegionId and ResourceOwnerAccount: refused the same way.", expect=reject("constraint_violation"),
      tags=("filters", "unsigned"))
d_req("n_page_size_0", by_role(PageSize=0), SIGNED_POST, "PageSize is 1 to 50.", expect=reject("constraint_violation"),
      tags=("paging", "limit"))
d_req("n_page_size_51", by_role(PageSize=51), SIGNED_POST, "PageSize is at most 50 (the page: 'Valid values: 1 to 50').",
      expect=reject("constraint_violation"), tags=("paging", "limit"))
d_req("n_page_number_0", describe(PageNumber=0), SIGNED_POST, "Pages start from 1.", expect=reject("constraint_violation"),
      tags=("paging", "limit"))
d_req("n_page_number_too_large", by_role(PageNumber=2147483648), SIGNED_POST,
      "2^31 does not fit the Integer the SDK models use (this library's bound; the page gives no maximum).",
      expect=reject("constraint_violation"), tags=("paging", "limit"), level="should")
d_req("n_page_size_string", by_role(PageSize="10"), SIGNED_POST, "PageSize is a JSON integer, like OwnerId.",
      expect=reject("type_mismatch"), tags=("paging",))
d_req("n_page_number_negative", by_role(PageNumber=-1), SIGNED_POST,
      "A negative number is the wrong type, as for OwnerId (the integers are non-negative).", expect=reject("type_mismatch"),
      tags=("paging",))
d_req("n_page_size_fraction", by_role(PageSize=10.5), SIGNED_POST, "No fractions.", expect=reject("type_mismatch"), tags=("paging",))
d_req("n_ids_empty", describe(InstanceIds=[]), SIGNED_POST,
      "An empty array is present, so it is not the AllEmpty case: it breaks the 1-to-100 rule.", expect=reject("constraint_violation"),
      tags=("ids",))
d_req("n_ids_101", describe(InstanceIds=HUNDRED + ["i-100"]), SIGNED_POST, "101 IDs exceed the documented maximum of 100.",
      expect=reject("constraint_violation"), tags=("ids", "limit"))
d_req("n_ids_raw_bare_id", describe(InstanceIds="i-instance1", RamRoleName="EcsRole"), SIGNED_POST,
      "A bare ID is not a JSON array, even with a RamRoleName beside it.", expect=reject("constraint_violation"), tags=("ids", "raw-json"))
d_req("n_ids_item_not_string", describe(InstanceIds=["i-1", 2]), SIGNED_POST, "Array elements must be strings.",
      expect=reject("type_mismatch"), tags=("ids",))
d_req("n_region_missing", by_role(RegionId=None), SIGNED_POST, "RegionId is required.", expect=reject("missing_required"))
d_req("n_region_empty", describe(RegionId=""), SIGNED_POST, "RegionId must not be empty.", expect=reject("constraint_violation"))
d_req("n_role_name_empty", describe(RamRoleName=""), SIGNED_POST, "An optional parameter, when present, is not empty.",
      expect=reject("constraint_violation"))
d_req("n_policy_not_a_parameter", by_role(Policy="p"), SIGNED_POST, "DescribeInstanceRamRole has no Policy.",
      expect=reject("constraint_violation"))

# Signature V3.
d_req("y_v3_post_query", describe(), V3_POST_JSON, "V3, by instance: the operation's parameters alone in the query, Action and "
      "Version in x-acs-* headers, every V3 stage.", tags=("v3",))
d_req("y_v3_get_query_xml", by_role(PageNumber=2, PageSize=50), V3_GET_XML,
      "V3 over GET, by role, with paging: the integers in the canonical query; accept is application/xml.", tags=("v3", "paging"))
d_req("y_v3_post_body", describe(RamRoleName="EcsRole", PageNumber=1, PageSize=10), V3_BODY_JSON,
      "V3 with both filters and paging in a form body: empty query, content-type signed, the body's hash.", tags=("v3", "body", "paging"))
d_req("y_v3_security_token", by_role(), dict(V3_POST_JSON, signing=dict(V3_SIGNING, security_token="CAIS/token+with=odd chars")),
      "An STS token in x-acs-security-token, signed.", tags=("v3", "sts"))
d_req("n_v3_all_empty", {"RegionId": "cn-hangzhou"}, V3_POST_JSON, ALL_EMPTY, expect=reject("constraint_violation"),
      tags=("v3", "filters"), source=ALL_EMPTY_SRC)
d_req("n_v3_page_size_51", by_role(PageSize=51), V3_BODY_JSON, "PageSize at most 50, in the body too.",
      expect=reject("constraint_violation"), tags=("v3", "paging", "limit"))
d_req("n_v3_region_missing", by_role(RegionId=None), V3_POST_JSON, "RegionId is required under V3 too.", expect=reject("missing_required"),
      tags=("v3",))

# Pin two wire shapes by hand, so the generator's own code is checked for Describe too.
_d = expected_request(DESCRIBE, by_role(PageNumber=2, PageSize=50), {"method": "GET"})
assert _d["query"] == ("Action=DescribeInstanceRamRole&PageNumber=2&PageSize=50&RamRoleName=EcsRole&RegionId=cn-hangzhou"
                       "&Version=2014-05-26"), _d["query"]
_d = expected_request(DESCRIBE, DOC_DESCRIBE_REQUEST, {"method": "GET"})
assert ("InstanceIds=%5B%22i-bp67acfmxazb1p%2A%2A%2A%2A%22%2C%20%22i-bp67acfmxazb2p%2A%2A%2A%2A%22%2C%20%22bp67acfmxazb3p%2A%2A%2A%2A%22%5D"
        "&PageNumber=1&PageSize=1&RegionId=cn-hangzhou") in _d["query"], _d["query"]

# ---------------------------------------------------------------------------------------
# response/DescribeInstanceRamRole/{xml,json}/
#
# The normalized value (corpus/README.md): RequestId, RegionId, TotalCount, PageNumber,
# PageSize and InstanceRamRoleSets.InstanceRamRoleSet[{InstanceId, RamRoleName}]; the
# fields of the other two operations are unknown here.

D = DESCRIBE


def sets_value(items):
    return {"InstanceRamRoleSets": {"InstanceRamRoleSet": items}}


def sets_xml(items):
    return "<InstanceRamRoleSets>" + "".join(
        "<InstanceRamRoleSet>" + "".join(el(k, xml_text(v)) for k, v in s.items()) + "</InstanceRamRoleSet>" for s in items) + \
        "</InstanceRamRoleSets>"


def describe_xml(value, decl=True):
    """A Describe value as its XML body, fields in the value's order."""
    fields = ""
    for name, v in value.items():
        if name == "InstanceRamRoleSets":
            fields += sets_xml(v["InstanceRamRoleSet"])
        else:
            fields += el(name, xml_text(v) if isinstance(v, str) else json.dumps(v))
    return xml_doc(D, fields, decl)


def d_pair(stem, value, description, level="must", tags=()):
    twin_pair(D, stem, describe_xml(value), js_doc(D, value), value, description, level=level, tags=("describe",) + tuple(tags))


def d_resp(fmt, stem, body, expect, description, level="must", tags=(), **kw):
    response_case(D, fmt, stem, body, expect, description, level=level, tags=("describe",) + tuple(tags), **kw)


DOC_RID = "8F4CAE3F-7892-4662-83A5-2C2FFD639553"
_doc = dict({"RequestId": DOC_RID}, **sets_value([{"InstanceId": "i-bp67acfmxazb4p****", "RamRoleName": "EcsServiceRole-EcsDocGuideTest"}]),
            TotalCount=1, PageNumber=1, PageSize=1)
_doc_2019 = dict({"RequestId": DOC_RID}, **sets_value([{"InstanceId": "i-instance1", "RamRoleName": "RamRoleTest"}]), TotalCount=1)
for fmt, body, other in (("xml", DESCRIBE_DOC_XML, "json"), ("json", DESCRIBE_DOC_JSON, "xml")):
    d_resp(fmt, "y_doc_example", body, output(_doc),
           "The 2020 page's response example, byte-exact: one role set, TotalCount, and the PageNumber and PageSize that the "
           "page's samples carry although no SDK model declares them (protocol.md §4.1); the value keeps them, as numbers.",
           source=DOC_DESCRIBE, tags=("doc", "paging"), twin=f"response/{D}/{other}/y_doc_example")
for fmt, body, other in (("xml", DESCRIBE_DOC_2019_XML, "json"), ("json", DESCRIBE_DOC_2019_JSON, "xml")):
    d_resp(fmt, "y_doc_example_2019", body, output(_doc_2019),
           "The 2019 page's response example, byte-exact (XML two-space indented with a space after </TotalCount> and a blank "
           "line at the end; JSON tab-indented, TotalCount first): no RegionId, PageNumber or PageSize, so none in the value.",
           source=DOC_DESCRIBE_2019, tags=("doc",), twin=f"response/{D}/{other}/y_doc_example_2019")

ROLE_SET = {"InstanceId": "i-bp67acfmxazb4p****", "RamRoleName": "EcsRole"}
PAGE = {"RequestId": "R-1", "RegionId": "cn-hangzhou"}
d_pair("y_sets_single", dict(PAGE, TotalCount=1, PageNumber=1, PageSize=10, **sets_value([ROLE_SET])),
       "One role set: still a one-element list (the classic XML-to-object bug), with RegionId and paging.", tags=("list",))
d_pair("y_sets_multiple", dict(PAGE, TotalCount=3, PageNumber=1, PageSize=10, **sets_value(
    [{"InstanceId": "i-3", "RamRoleName": "EcsRole"}, {"InstanceId": "i-1", "RamRoleName": "EcsRole"}, {"InstanceId": "i-2", "RamRoleName": "EcsRole"}])),
       "Three instances that have the role (a query by RamRoleName); order kept, not sorted.", tags=("list",))
d_pair("y_last_page", dict(PAGE, TotalCount=3, PageNumber=2, PageSize=2, **sets_value([{"InstanceId": "i-3", "RamRoleName": "EcsRole"}])),
       "The second page of two: TotalCount counts every page, so it is larger than the list; the value reports both as given.",
       tags=("list", "paging"))
d_pair("y_page_size_above_request_limit", dict(PAGE, PageSize=100, **sets_value([ROLE_SET])),
       "A response's PageSize is reported as given: the request rule (at most 50) is not a decoding rule.", tags=("paging",), level="should")
d_pair("y_sets_wrapper_absent", {"RequestId": "R-1", "TotalCount": 0},
       "No InstanceRamRoleSets wrapper at all: the list is absent, not empty.", tags=("list",))
d_pair("y_strings_exact", dict(PAGE, **sets_value([{"InstanceId": " i-1 ", "RamRoleName": "角色 & <role> \"q\""}])),
       "Set fields are strings kept exactly: spaces, non-ASCII and escaped characters.", tags=("unicode",))
_empty = dict(PAGE, TotalCount=0, PageNumber=1, PageSize=10, **sets_value([]))
_empty_fields = el("RequestId", "R-1") + el("RegionId", "cn-hangzhou") + el("TotalCount", "0") + el("PageNumber", "1") + el("PageSize", "10")
for stem, inner, desc in (("y_sets_empty_self_closing", "<InstanceRamRoleSets/>", "<InstanceRamRoleSets/>: a present, empty list (no instance has a role)."),
                          ("y_sets_empty_open_close", "<InstanceRamRoleSets></InstanceRamRoleSets>", "<InstanceRamRoleSets></InstanceRamRoleSets>: a present, empty list."),
                          ("y_sets_whitespace_only", "<InstanceRamRoleSets>\n    </InstanceRamRoleSets>", "A wrapper holding only whitespace: empty.")):
    d_resp("xml", stem, xml_doc(D, _empty_fields + inner), output(_empty), desc, tags=("list", "empty"))
d_resp("json", "y_sets_empty_array", js_doc(D, _empty), output(_empty), '{"InstanceRamRoleSets":{"InstanceRamRoleSet":[]}}: a present, empty list.',
       tags=("list", "empty"))
d_resp("json", "y_sets_empty_object_wrapper", js_doc(D, dict(_empty, InstanceRamRoleSets={})), output(_empty),
       '{"InstanceRamRoleSets":{}}: the wrapper is present, so the list is present and empty.', tags=("list", "empty"))
d_resp("json", "y_null_is_absent", '{"RequestId":"R-1","RegionId":null,"TotalCount":null,"PageNumber":null,"PageSize":null,"InstanceRamRoleSets":null}',
       output({"RequestId": "R-1"}), "null is absent, the paging fields and the wrapper included.", tags=("null",))
d_resp("json", "y_empty_object", "{}", output({}), "An empty object: every field absent.")
d_resp("xml", "y_numbers_whitespace", xml_doc(D, "<TotalCount> 7 </TotalCount><PageNumber>\n2\n</PageNumber><PageSize>\t5</PageSize>", decl=False),
       output({"TotalCount": 7, "PageNumber": 2, "PageSize": 5}), "Numbers may be padded with XML whitespace, the paging fields too.",
       tags=("number", "paging"))

_unknown_xml = xml_doc(D, '<New attr="1"><Deep>x</Deep></New>' + el("RequestId", "R-1") +
                       '<InstanceRamRoleSets kind="a"><Other>1</Other><InstanceRamRoleSet><Extra><a/></Extra>' + el("InstanceId", "i-1") +
                       "<Policy>p</Policy>" + el("RamRoleName", "EcsRole") + "</InstanceRamRoleSet></InstanceRamRoleSets>" + el("NextToken", "t"))
_unknown_json = js_doc(D, {"New": {"Deep": [1, {"x": None}]}, "RequestId": "R-1",
                           "InstanceRamRoleSets": {"Other": 1, "InstanceRamRoleSet": [{"Extra": {"a": []}, "InstanceId": "i-1", "Policy": "p",
                                                                                        "RamRoleName": "EcsRole"}]},
                           "NextToken": "t"})
twin_pair(D, "y_unknown_fields_ignored", _unknown_xml, _unknown_json,
          dict({"RequestId": "R-1"}, **sets_value([{"InstanceId": "i-1", "RamRoleName": "EcsRole"}])),
          "Unknown scalars, objects, lists and attributes at the root, wrapper and set level are ignored.", tags=("describe", "unknown"))
_other_ops_xml = xml_doc(D, el("RequestId", "R-1") + el("RamRoleName", "EcsRole") + el("FailCount", "0") + el("TotalCount", "1") +
                         "<DescribeInstanceRamRoleResults><DescribeInstanceRamRoleResult><Code>200</Code></DescribeInstanceRamRoleResult>"
                         "</DescribeInstanceRamRoleResults>")
_other_ops_json = js_doc(D, {"RequestId": "R-1", "RamRoleName": "EcsRole", "FailCount": 0, "TotalCount": 1,
                             "DescribeInstanceRamRoleResults": {"DescribeInstanceRamRoleResult": [{"Code": "200"}]}})
twin_pair(D, "y_other_operations_fields_ignored", _other_ops_xml, _other_ops_json, {"RequestId": "R-1", "TotalCount": 1},
          "RamRoleName and FailCount at the root and a per-instance results wrapper belong to Attach and Detach: no document gives "
          "them to Describe, so here they are unknown and ignored (as this library does).", level="should", tags=("describe", "unknown"))

# Type and shape errors, after the Attach cases' conventions.
d_resp("json", "n_total_count_string", '{"TotalCount":"1"}', reject("type_mismatch"), "TotalCount is a JSON integer.", tags=("number",))
d_resp("json", "n_page_number_string", '{"PageNumber":"1"}', reject("type_mismatch"), "PageNumber is a JSON integer.", tags=("number", "paging"))
d_resp("json", "n_page_size_fraction", '{"PageSize":10.5}', reject("type_mismatch"), "No fractions.", tags=("number", "paging"))
d_resp("json", "n_page_size_negative", '{"PageSize":-1}', reject("type_mismatch"), "Counts and page fields are not negative.",
       tags=("number", "paging"))
d_resp("json", "n_page_number_overflow", '{"PageNumber":4294967296}', reject("type_mismatch"), "Page fields fit in 32 bits, like the counts.",
       level="should", tags=("number", "paging"))
d_resp("json", "n_region_id_number", '{"RegionId":1}', reject("type_mismatch"), "RegionId is a string.")
d_resp("json", "n_sets_wrapper_is_array", '{"InstanceRamRoleSets":[{"InstanceId":"i-1","RamRoleName":"r"}]}', reject("type_mismatch"),
       "The wrapper is an object holding the list.", tags=("list",))
d_resp("json", "n_set_item_not_object", '{"InstanceRamRoleSets":{"InstanceRamRoleSet":["i-1"]}}', reject("type_mismatch"),
       "List items are objects.", tags=("list",))
d_resp("json", "n_set_instance_id_number", '{"InstanceRamRoleSets":{"InstanceRamRoleSet":[{"InstanceId":1,"RamRoleName":"r"}]}}',
       reject("type_mismatch"), "InstanceId is a string.", tags=("list",))
d_resp("json", "n_top_level_array", '[{"RequestId":"R-1"}]', reject("unexpected_shape"), "The body is an object.", tags=("shape",))
d_resp("json", "n_dup_keys", '{"PageSize":10,"PageSize":50}', reject("unexpected_shape"), "A field given twice.", level="should",
       tags=("duplicate",))
d_resp("json", "n_truncated", '{"RequestId":"R-1","InstanceRamRoleSets":{"InstanceRamRoleSet":[{"InstanceId":"i-', reject("malformed_body"),
       "Cut short.", tags=("truncated",))
d_resp("json", "i_sets_single_object_not_array", '{"InstanceRamRoleSets":{"InstanceRamRoleSet":{"InstanceId":"i-1","RamRoleName":"r"}}}',
       any_of(reject("type_mismatch"), output(sets_value([{"InstanceId": "i-1", "RamRoleName": "r"}]))),
       "An object where the array belongs (an XML-to-JSON converter artifact).", level="may", tags=("list",))
d_resp("xml", "n_total_count_text", xml_doc(D, el("TotalCount", "one")), reject("type_mismatch"), "TotalCount is an integer.", tags=("number",))
d_resp("xml", "n_page_number_text", xml_doc(D, el("PageNumber", "first")), reject("type_mismatch"), "PageNumber is an integer.",
       tags=("number", "paging"))
d_resp("xml", "n_page_size_negative", xml_doc(D, el("PageSize", "-1")), reject("type_mismatch"), "Not negative.", tags=("number", "paging"))
d_resp("xml", "n_page_size_overflow", xml_doc(D, el("PageSize", "4294967296")), reject("type_mismatch"), "Fits in 32 bits.",
       level="should", tags=("number", "paging"))
d_resp("xml", "n_page_number_empty", xml_doc(D, "<PageNumber/>"), reject("type_mismatch"), "An empty element is not a number.",
       level="should", tags=("number", "paging"))
d_resp("xml", "n_element_inside_text_field",
       xml_doc(D, "<InstanceRamRoleSets><InstanceRamRoleSet><InstanceId><b>i-1</b></InstanceId></InstanceRamRoleSet></InstanceRamRoleSets>"),
       reject("type_mismatch"), "A string field holds text, not elements.", tags=("shape",))
d_resp("xml", "n_wrong_root", xml_doc(A, el("RequestId", "R-1") + sets_xml([ROLE_SET])), reject("unexpected_shape"),
       "AttachInstanceRamRole's root element on a Describe response.", tags=("shape",))
d_resp("xml", "n_dup_sets_wrapper", xml_doc(D, sets_xml([ROLE_SET]) + sets_xml([ROLE_SET])), reject("unexpected_shape"),
       "Two InstanceRamRoleSets wrappers: repeated items are the list, a repeated wrapper is not.", level="should", tags=("shape", "duplicate"))
d_resp("xml", "n_doctype_internal_entity", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "expanded">]>' + xml_doc(D, el("RequestId", "&x;"), decl=False),
       reject("forbidden_construct"), "An entity declaration: rejected, never expanded, on Describe as on the others.", tags=("dtd", "security"))

# The page's one documented error (403 InvalidParameter.AllEmpty, message '%s').
_all_empty_message = "The specified parameters InstanceIds and RamRoleName are all empty."
_expected = service_error(http_status=403, code="InvalidParameter.AllEmpty", message=_all_empty_message, request_id=RID, host_id=HOST)
_expected["retry"] = {"retryable": False, "after_ms": None}
for fmt, body, other in (
    ("xml", f'<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>{RID}</RequestId><HostId>{HOST}</HostId>'
            f'<Code>InvalidParameter.AllEmpty</Code><Message>{_all_empty_message}</Message></Error>', "json"),
    ("json", json.dumps({"RequestId": RID, "HostId": HOST, "Code": "InvalidParameter.AllEmpty", "Message": _all_empty_message}), "xml"),
):
    d_resp(fmt, "y_error_all_empty", body, _expected,
           "403 InvalidParameter.AllEmpty from the page's error table, on a Describe call: a service error, not retryable (a "
           "403 with neither a retryable code nor x-acs-retry-after). The page documents the message as '%s'; this one is made up.",
           status=403, source=dict(DOC_DESCRIBE, note="status and code from the error table; message synthetic; body shape from protocol.md §5.1"),
           tags=("error", "retry"), twin=f"response/{D}/{other}/y_error_all_empty")

# ---------------------------------------------------------------------------------------
# incoming/v1/*describe* and incoming/v3/*describe*: the server side of Describe. Step 5
# gains one rule: after every parameter's own rule, neither InstanceIds nor RamRoleName is
# 403 InvalidParameter.AllEmpty.

D_IDS = describe()
D_ROLE = by_role(PageNumber=2, PageSize=50)
D_BOTH = describe(RamRoleName="EcsRole", PageNumber=1, PageSize=10)
ALL_EMPTY_CODE = "InvalidParameter.AllEmpty"

v1_ok("y_describe_post_query", DESCRIBE, D_IDS, v1_post(DESCRIBE, D_IDS), "A V1 Describe by instance, in the request kind's shape.",
      tags=("describe",))
v1_ok("y_describe_get_role_name_paging", DESCRIBE, D_ROLE,
      v1_request("GET", v1_signed_query("GET", v1_params(DESCRIBE, D_ROLE, Format="XML"))),
      "GET by role with paging: PageNumber and PageSize come back as integers, like OwnerId.", tags=("describe", "paging"))
_form = v1_signed_query("POST", v1_params(DESCRIBE, D_BOTH))
v1_ok("y_describe_form_body", DESCRIBE, D_BOTH, v1_request("POST", "", _form, [HOST_HEADER, FORM_CT]),
      "Both filters and paging in a form body (pop-core's shape).", tags=("describe", "form-body"))
v1_ok("y_describe_doc_example", DESCRIBE, DOC_DESCRIBE_REQUEST, v1_post(DESCRIBE, DOC_DESCRIBE_REQUEST),
      "The 2020 page's request example, signed: its spaced InstanceIds text parses to the three IDs.",
      source=dict(DOC_DESCRIBE, repair=DESCRIBE_REPAIR), tags=("describe", "doc"))
v1_refused("n_describe_all_empty", v1_post(DESCRIBE, {"RegionId": "cn-hangzhou"}), 403, ALL_EMPTY_CODE,
           "Correctly signed, with neither InstanceIds nor RamRoleName: 403 InvalidParameter.AllEmpty (the page's error table).",
           tags=("describe", "params"), source=ALL_EMPTY_SRC)
v1_refused("n_describe_all_empty_paging_only", v1_post(DESCRIBE, {"RegionId": "cn-hangzhou", "PageNumber": 1, "PageSize": 10}), 403,
           ALL_EMPTY_CODE, "Paging without a filter: still AllEmpty.", tags=("describe", "params"))
_good = v1_post(DESCRIBE, {"RegionId": "cn-hangzhou"})["query"]
_tampered = _good.replace("RegionId=cn-hangzhou", "RegionId=cn-beijing")
assert _tampered != _good
v1_refused("n_describe_all_empty_bad_signature", v1_request("POST", _tampered), 400, SIGNATURE_DOES_NOT_MATCH,
           "AllEmpty and a signature that does not match: the signature (step 3) answers before the parameters (step 5).",
           sts=v1_server_sts("POST", _tampered), tags=("describe", "signature"))
for stem, params, code, description in (
    ("n_describe_page_size_51", by_role(PageSize=51), "InvalidParameter", "PageSize over 50."),
    ("n_describe_page_number_zero", describe(PageNumber=0), "InvalidParameter", "PageNumber 0: pages start from 1."),
    ("n_describe_page_size_not_a_number", by_role(PageSize="ten"), "InvalidParameter", "PageSize is not an integer."),
    ("n_describe_ids_empty_array", describe(InstanceIds="[]"), "InvalidInstanceIds.Malformed",
     "An empty array is present: malformed, not AllEmpty."),
    ("n_describe_role_name_empty", {"RegionId": "cn-hangzhou", "RamRoleName": ""}, "InvalidParameter",
     "RamRoleName present but empty, and no InstanceIds: the parameter's own rule answers first (present is not absent)."),
    ("n_describe_region_missing", by_role(RegionId=None), "MissingParameter.RegionId", "No RegionId."),
):
    v1_refused(stem, v1_post(DESCRIBE, params), 400, code, description + " Correctly signed, refused by the operation's rules.",
               tags=("describe", "params"))

v3_ok("y_describe_post_query", DESCRIBE, D_IDS, v3_request(DESCRIBE, D_IDS), "A V3 Describe by instance, parameters in the query.",
      tags=("describe",))
v3_ok("y_describe_post_body", DESCRIBE, D_BOTH, v3_request(DESCRIBE, D_BOTH, V3_BODY_JSON),
      "Both filters and paging in a form body.", tags=("describe", "form-body"))
v3_ok("y_describe_get_xml", DESCRIBE, D_ROLE, v3_request(DESCRIBE, D_ROLE, V3_GET_XML), "GET by role with paging, accept application/xml.",
      tags=("describe", "paging"))
v3_refused("n_describe_all_empty", v3_request(DESCRIBE, {"RegionId": "cn-hangzhou"}), 403, ALL_EMPTY_CODE,
           "Correctly signed, with neither InstanceIds nor RamRoleName: 403 InvalidParameter.AllEmpty.", tags=("describe", "params"),
           source=ALL_EMPTY_SRC)
v3_refused("n_describe_all_empty_body_paging_only", v3_request(DESCRIBE, {"RegionId": "cn-hangzhou", "PageSize": 10}, V3_BODY_JSON), 403,
           ALL_EMPTY_CODE, "Only RegionId and PageSize, in a form body: AllEmpty.", tags=("describe", "params", "form-body"))
v3_refused("n_describe_page_size_zero", v3_request(DESCRIBE, by_role(PageSize=0), V3_BODY_JSON), 400, "InvalidParameter",
           "PageSize 0 in a form body. Correctly signed.", tags=("describe", "params", "form-body"))


# ---------------------------------------------------------------------------------------
# Writing.

def case_path(cid):
    return os.path.join(ROOT, cid + ".json")


def render(case):
    return json.dumps(case, ensure_ascii=False, indent=2) + "\n"


def outputs():
    files = {}
    ids = set()
    for case, bodies in CASES:
        assert case["id"] not in ids, case["id"]
        ids.add(case["id"])
        files[case_path(case["id"])] = render(case).encode("utf-8")
        directory = os.path.dirname(case_path(case["id"]))
        for name, body in bodies.items():
            files[os.path.join(directory, name)] = body
    index = {
        "corpus_version": VERSION,
        "protocol": 1,
        "cases": [
            {k: case[k] for k in ("id", "kind", "operation", "level", "since", "tags") if k in case}
            | {"outcome": case["expect"]["outcome"]}
            | ({"body_file": os.path.join(os.path.dirname(case["id"]), case["body_file"])} if "body_file" in case else {})
            for case, _ in sorted(CASES, key=lambda c: c[0]["id"])
        ],
    }
    files[os.path.join(ROOT, "index.json")] = (json.dumps(index, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    files[os.path.join(ROOT, "VERSION")] = (VERSION + "\n").encode()
    return files


def main():
    check = "--check" in sys.argv
    files = outputs()
    generated_dirs = ("request", "sign", "response", "incoming")
    existing = set()
    for d in generated_dirs:
        for dirpath, _, names in os.walk(os.path.join(ROOT, d)):
            existing.update(os.path.join(dirpath, n) for n in names)
    stale = sorted(existing - set(files))
    changed = [p for p, data in files.items() if not os.path.exists(p) or open(p, "rb").read() != data]
    if check:
        for p in changed:
            print(f"out of date: {os.path.relpath(p, ROOT)}")
        for p in stale:
            print(f"not generated: {os.path.relpath(p, ROOT)}")
        print(f"{len(CASES)} cases; {len(changed)} out of date, {len(stale)} not generated")
        sys.exit(1 if changed or stale else 0)
    for p in stale:
        os.remove(p)
    for p, data in files.items():
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    print(f"{len(CASES)} cases written")


if __name__ == "__main__":
    main()
