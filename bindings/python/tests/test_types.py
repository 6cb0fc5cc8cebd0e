"""Types: what each function returns, that the stubs (__init__.pyi) describe the runtime
module exactly, and that the decoded value is what the official SDK's from_map takes."""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path
from typing import Any, Dict

import pytest

import ecs_ramrole as er
from conftest import REPO, case_body

SIGNING: Dict[str, Any] = dict(access_key_id="testid", access_key_secret="testsecret",
                               timestamp="2016-02-23T12:46:24Z", nonce="n")
ATTACH = {"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole", "InstanceIds": ("i-1", "i-2")}
PACKAGE = Path(er.__file__).parent
STUB = PACKAGE / "__init__.pyi"


def test_constants() -> None:
    assert er.OPERATIONS == ("AttachInstanceRamRole", "DetachInstanceRamRole", "DescribeInstanceRamRole")
    assert er.ALGORITHMS == ("HMAC-SHA1", "ACS3-HMAC-SHA256")
    assert (er.API_VERSION, er.DEFAULT_HOST) == ("2014-05-26", "ecs.aliyuncs.com")
    assert isinstance(er.__version__, str) and er.__version__.count(".") == 2


def test_signed_request_types() -> None:
    for algorithm in er.ALGORITHMS:
        signed = er.sign_request("AttachInstanceRamRole", ATTACH, algorithm=algorithm, **SIGNING)
        assert isinstance(signed, er.SignedRequest)
        assert type(signed).__module__ == "ecs_ramrole"
        assert signed.method == "POST" and signed.algorithm == algorithm
        assert isinstance(signed.query, str) and not signed.query.startswith("?")
        assert isinstance(signed.body, str)
        headers = signed.headers
        assert isinstance(headers, list)
        assert all(isinstance(h, tuple) and len(h) == 2 and all(isinstance(x, str) for x in h) for h in headers)
        assert [n for n, _ in headers] == sorted(n.lower() for n, _ in headers)
        assert (headers == []) == (algorithm == "HMAC-SHA1")
        stages = signed.stages
        assert isinstance(stages, dict) and all(isinstance(v, str) for v in stages.values())
        expected = (["canonical_query", "string_to_sign", "signature"] if algorithm == "HMAC-SHA1" else
                    ["canonical_request", "hashed_canonical_request", "string_to_sign", "signature", "authorization"])
        assert sorted(stages) == sorted(expected)
        stages["signature"] = "changed"  # a fresh dict each time
        assert signed.stages["signature"] != "changed"
        assert signed.url("https://ecs.aliyuncs.com") == signed.url("https://ecs.aliyuncs.com/")
        with pytest.raises(AttributeError):
            signed.query = "x"  # type: ignore[misc]


def test_encoded_request_types() -> None:
    encoded = er.encode_request("DetachInstanceRamRole", {"RegionId": "r", "InstanceIds": ["i-1"]}, method="GET")
    assert isinstance(encoded, er.EncodedRequest)
    assert encoded.method == "GET"
    assert encoded.url("http://localhost:8080") == "http://localhost:8080/?" + encoded.query


def test_decoded_value_types() -> None:
    value = er.decode_response("DetachInstanceRamRole", 200, [("Content-Type", "text/xml")],
                               case_body("response/DetachInstanceRamRole/xml/y_nested_sets_multiple"))
    results = value["DetachInstanceRamRoleResults"]["DetachInstanceRamRoleResult"]
    assert isinstance(results, list) and results
    for result in results:
        assert isinstance(result["Code"], str)
        assert isinstance(result.get("Success", True), bool)
        sets = result["InstanceRamRoleSets"]["InstanceRamRoleSet"]
        assert isinstance(sets, list)
    value = er.decode_response("AttachInstanceRamRole", 200, [], case_body("response/AttachInstanceRamRole/xml/y_doc_example"))
    assert isinstance(value["TotalCount"], int) and isinstance(value["FailCount"], int)


def test_body_may_be_bytes_bytearray_memoryview_or_str() -> None:
    body = case_body("response/AttachInstanceRamRole/xml/y_doc_example")
    want = er.decode_response("AttachInstanceRamRole", 200, {}, body)
    for form in (bytearray(body), memoryview(body), body.decode("utf-8")):
        assert er.decode_response("AttachInstanceRamRole", 200, {}, form) == want
    # Headers as a mapping or as pairs, names in any case.
    assert er.decode_response("AttachInstanceRamRole", 200, {"CONTENT-TYPE": "text/xml"}, body) == want


def test_decode_leniency_code_number_success_string() -> None:
    body = (b'{"RequestId":"R","TotalCount":1,"FailCount":0,"AttachInstanceRamRoleResults":'
            b'{"AttachInstanceRamRoleResult":[{"InstanceId":"i-1","Code":200,"Success":"true","Message":null}]}}')
    value = er.decode_response("AttachInstanceRamRole", 200, [("content-type", "application/json")], body)
    assert value["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"] == [
        {"InstanceId": "i-1", "Code": "200", "Success": True}
    ]


# --- the stubs ---------------------------------------------------------------------------


def stub_tree() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def test_package_ships_stubs_and_py_typed() -> None:
    assert STUB.is_file() and (PACKAGE / "py.typed").is_file()


def test_stub_names_are_the_runtime_names() -> None:
    tree = stub_tree()
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    constants = {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    assert functions | classes | constants == set(er.__all__)
    for name in er.__all__:
        assert hasattr(er, name), name


def parameters(fn: ast.FunctionDef) -> list:
    args = fn.args
    out = [(a.arg, "POSITIONAL_OR_KEYWORD") for a in args.posonlyargs + args.args]
    out += [(a.arg, "KEYWORD_ONLY") for a in args.kwonlyargs]
    return [p for p in out if p[0] != "self"]


def literal_defaults(fn: ast.FunctionDef) -> Dict[str, Any]:
    args = fn.args
    positional = args.posonlyargs + args.args
    out = {a.arg: ast.literal_eval(d) for a, d in zip(positional[len(positional) - len(args.defaults):], args.defaults)}
    out.update({a.arg: ast.literal_eval(d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    return out


def test_stub_signatures_match_the_runtime() -> None:
    for node in stub_tree().body:
        if not isinstance(node, ast.FunctionDef):
            continue
        runtime = inspect.signature(getattr(er, node.name))
        got = [(p.name, p.kind.name) for p in runtime.parameters.values()]
        assert got == parameters(node), node.name
        defaults = {p.name: p.default for p in runtime.parameters.values() if p.default is not inspect.Parameter.empty}
        assert defaults == literal_defaults(node), node.name


def test_stub_classes_match_the_runtime() -> None:
    for node in stub_tree().body:
        if not isinstance(node, ast.ClassDef):
            continue
        runtime = getattr(er, node.name)
        members = {n.name for n in node.body if isinstance(n, ast.FunctionDef) and n.name != "__init__"}
        for member in members:
            assert hasattr(runtime, member), (node.name, member)
        attributes = {n.target.id for n in node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
        if attributes:
            instance = runtime("text")
            assert attributes == set(vars(instance)), node.name


# --- the official SDK's from_map (when bash tools/sdk-adapters/python-tea/install.sh ran) --


def test_official_sdk_from_map_takes_the_value_as_is() -> None:
    deps = REPO / "tools/sdk-adapters/python-tea/.deps"
    if deps.is_dir() and str(deps) not in sys.path:
        sys.path.append(str(deps))  # after the venv's own packages
    ecs = pytest.importorskip("alibabacloud_ecs20140526.models")
    for case_id, model in [
        ("response/AttachInstanceRamRole/xml/y_results_multiple_items", ecs.AttachInstanceRamRoleResponseBody),
        ("response/DetachInstanceRamRole/xml/y_nested_sets_multiple", ecs.DetachInstanceRamRoleResponseBody),
    ]:
        operation = case_id.split("/")[1]
        value = er.decode_response(operation, 200, [], case_body(case_id))
        assert model().from_map(value).to_map() == value


# --- the stubs, checked by mypy (when installed: ci.sh installs it) ----------------------


def test_stubtest_finds_the_stubs_match_the_runtime() -> None:
    pytest.importorskip("mypy")
    import subprocess

    run = subprocess.run([sys.executable, "-m", "mypy.stubtest", "ecs_ramrole"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    assert run.returncode == 0, run.stdout


def test_a_callers_code_type_checks_strictly() -> None:
    pytest.importorskip("mypy")
    import subprocess

    usage = Path(__file__).parent / "typed_usage.py"
    run = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(usage)],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    assert run.returncode == 0, run.stdout
