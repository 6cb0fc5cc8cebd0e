//! `ecs-ramrole adapter`, driven as another SDK's harness would: a process, one envelope
//! on stdin, one verdict on stdout.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn run(envelope: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-ramrole"))
        .arg("adapter")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(envelope).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs the adapter and returns its verdict, checking the protocol's exit-status rule.
fn verdict(envelope: Value) -> Value {
    let out = run(envelope.to_string().as_bytes());
    assert!(
        out.status.success(),
        "exit status 0 whenever a verdict is printed"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        1,
        "exactly one verdict line: {stdout}"
    );
    let verdict: Value = serde_json::from_str(&stdout).unwrap();
    for secret in ["testsecret", "accessKeySecret", "s3cr3t-value"] {
        assert!(
            !stdout.contains(secret),
            "secret leaked into the verdict: {stdout}"
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains(secret));
    }
    verdict
}

fn signing() -> Value {
    json!({"algorithm": "HMAC-SHA1", "access_key_id": "testid", "access_key_secret": "testsecret",
           "timestamp": "2016-02-23T12:46:24Z", "nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"})
}

#[test]
fn request_kind_documented_envelope() {
    let mut signing = signing();
    signing["security_token"] = json!("optional");
    let v = verdict(
        json!({"protocol": 1, "kind": "request", "operation": "AttachInstanceRamRole",
        "input": {"params": {"RegionId": "cn-hangzhou", "RamRoleName": "EcsRole", "InstanceIds": ["i-1", "i-2"]},
                  "context": {"method": "POST", "format": "JSON", "signing": signing}}}),
    );
    // tests/vectors/compute.py, adapter_issue_example.
    let canonical = "AccessKeyId=testid&Action=AttachInstanceRamRole&Format=JSON&InstanceIds=%5B%22i-1%22%2C%22i-2%22%5D&RamRoleName=EcsRole&RegionId=cn-hangzhou&SecurityToken=optional&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26";
    assert_eq!(v["outcome"], "request");
    assert_eq!(v["method"], "POST");
    assert_eq!(v["stages"]["canonical_query"], canonical);
    assert_eq!(
        v["stages"]["string_to_sign"],
        "POST&%2F&AccessKeyId%3Dtestid%26Action%3DAttachInstanceRamRole%26Format%3DJSON%26InstanceIds%3D%255B%2522i-1%2522%252C%2522i-2%2522%255D%26RamRoleName%3DEcsRole%26RegionId%3Dcn-hangzhou%26SecurityToken%3Doptional%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    );
    assert_eq!(v["stages"]["signature"], "SydG8d1RxJFyT9JfPaNie2y1XwQ=");
    assert_eq!(
        v["query"],
        format!("{canonical}&Signature=SydG8d1RxJFyT9JfPaNie2y1XwQ%3D")
    );
}

#[test]
fn request_kind_raw_json_and_unsigned() {
    // Raw JSON text is sent byte-for-byte: conformance-design.md §10's spaced vector.
    let v = verdict(
        json!({"protocol": 1, "kind": "request", "operation": "AttachInstanceRamRole",
        "input": {"params": {"RegionId": "cn-hangzhou", "RamRoleName": "testRamRoleName",
                             "InstanceIds": "[\"i-bp67acfmxazb4p****\", \"i-bp67acfmxazb5p****\"]"},
                  "context": {"method": "GET", "format": "JSON", "signing": signing()}}}),
    );
    assert_eq!(v["stages"]["signature"], "ElW//GgMzjYD+RT23zrNIIZ5E18=");

    // Without signing and format: only Action, Version and the operation's parameters.
    let v = verdict(
        json!({"protocol": 1, "kind": "request", "operation": "DetachInstanceRamRole",
        "input": {"params": {"RegionId": "cn-hangzhou", "InstanceIds": ["i-1"], "OwnerId": 7}}}),
    );
    let query = "Action=DetachInstanceRamRole&InstanceIds=%5B%22i-1%22%5D&OwnerId=7&RegionId=cn-hangzhou&Version=2014-05-26";
    assert_eq!(
        v,
        json!({"outcome": "request", "method": "POST", "query": query,
                         "stages": {"canonical_query": query}})
    );
}

#[test]
fn sign_kind_vectors() {
    let v = verdict(
        json!({"protocol": 1, "kind": "sign", "input": {"method": "GET", "access_key_secret": "testsecret",
        "params": {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
                   "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
                   "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}}}),
    );
    assert_eq!(v["outcome"], "signature");
    assert_eq!(
        v["canonical_query"],
        "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"
    );
    assert_eq!(
        v["string_to_sign"],
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    );
    assert_eq!(v["signature"], "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");

    let go = json!({"Version": "", "Action": "", "Format": "JSON", "Timestamp": "mock date",
        "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureType": "",
        "SignatureNonce": "MOCK_UUID", "AccessKeyId": "accessKeyId", "RegionId": "regionId"});
    let v = verdict(json!({"protocol": 1, "kind": "sign",
        "input": {"method": "GET", "access_key_secret": "accessKeySecret", "params": go}}));
    assert_eq!(v["signature"], "7loPmFjvDnzOVnQeQNj85S6nFGY=");
    let v = verdict(json!({"protocol": 1, "kind": "sign",
        "input": {"method": "GET", "access_key_secret": "secret", "params": {"query": "test", "body": "test"}}}));
    assert_eq!(v["signature"], "XlUyV4sXjOuX5FnjUz9IF9tm5rU=");
}

#[test]
fn rejects_one_line_per_case() {
    let attach = |params: Value| {
        json!({"protocol": 1, "kind": "request", "operation": "AttachInstanceRamRole",
        "input": {"params": params}})
    };
    let detach = |params: Value| {
        json!({"protocol": 1, "kind": "request", "operation": "DetachInstanceRamRole",
        "input": {"params": params}})
    };
    let signed = |s: Value| {
        json!({"protocol": 1, "kind": "request", "operation": "DetachInstanceRamRole",
        "input": {"params": {"RegionId": "r", "InstanceIds": ["i"]}, "context": {"signing": s}}})
    };
    let mut no_nonce = signing();
    no_nonce.as_object_mut().unwrap().remove("nonce");
    let mut bad_time = signing();
    bad_time["timestamp"] = json!("2016-02-23 12:46:24");
    let mut empty_secret = signing();
    empty_secret["access_key_secret"] = json!("");
    let hundred_one: Vec<String> = (0..101).map(|n| format!("i-{n}")).collect();
    #[rustfmt::skip]
    let table = [
        (attach(json!({"RamRoleName": "r", "InstanceIds": ["i"]})), "missing_required"),
        (attach(json!({"RegionId": "r", "InstanceIds": ["i"]})), "missing_required"),
        (attach(json!({"RegionId": "r", "RamRoleName": "r"})), "missing_required"),
        (detach(json!({"RegionId": "r"})), "missing_required"),
        (attach(json!({"RegionId": "", "RamRoleName": "r", "InstanceIds": ["i"]})), "constraint_violation"),
        (attach(json!({"RegionId": "r", "RamRoleName": "", "InstanceIds": ["i"]})), "constraint_violation"),
        (attach(json!({"RegionId": "r", "RamRoleName": "r", "InstanceIds": []})), "constraint_violation"),
        (attach(json!({"RegionId": "r", "RamRoleName": "r", "InstanceIds": hundred_one})), "constraint_violation"),
        (attach(json!({"RegionId": "r", "RamRoleName": "r", "InstanceIds": ["i", ""]})), "constraint_violation"),
        (attach(json!({"RegionId": "r", "RamRoleName": "r", "InstanceIds": "i-1"})), "constraint_violation"),
        (attach(json!({"RegionId": "r", "RamRoleName": "r", "InstanceIds": ["i"], "Policy": "p".repeat(1025)})), "constraint_violation"),
        (detach(json!({"RegionId": "r", "InstanceIds": ["i"], "Policy": "p"})), "constraint_violation"),
        (detach(json!({"RegionId": "r", "InstanceIds": ["i"], "RamRoleName": ""})), "constraint_violation"),
        (detach(json!({"RegionId": "r", "InstanceIds": ["i"], "ResourceOwnerAccount": ""})), "constraint_violation"),
        (signed(no_nonce), "missing_required"),
        (signed(bad_time), "constraint_violation"),
        (signed(empty_secret), "constraint_violation"),
        (attach(json!({"RegionId": 1, "RamRoleName": "r", "InstanceIds": ["i"]})), "type_mismatch"),
        (attach(json!({"RegionId": "r", "RamRoleName": "r", "InstanceIds": ["i", 2]})), "type_mismatch"),
        (attach(json!({"RegionId": "r", "RamRoleName": "r", "InstanceIds": {"a": 1}})), "type_mismatch"),
        (detach(json!({"RegionId": "r", "InstanceIds": ["i"], "OwnerId": "7"})), "type_mismatch"),
        (detach(json!({"RegionId": "r", "InstanceIds": ["i"], "OwnerId": -7})), "type_mismatch"),
        (detach(json!({"RegionId": "r", "InstanceIds": ["i"], "OwnerId": 9_223_372_036_854_775_808_u64})), "type_mismatch"),
        (detach(json!({"RegionId": "r", "InstanceIds": ["i"], "ResourceOwnerId": 1.5})), "type_mismatch"),
        (json!({"protocol": 1, "kind": "sign", "input": {"access_key_secret": "s", "params": {"A": 1}}}), "type_mismatch"),
        (json!({"protocol": 1, "kind": "sign", "input": {"access_key_secret": "s", "params": {"Signature": "x"}}}), "constraint_violation"),
        (json!({"protocol": 1, "kind": "sign", "input": {"method": "PUT", "access_key_secret": "s", "params": {}}}), "constraint_violation"),
    ];
    for (envelope, kind) in table {
        let v = verdict(envelope.clone());
        assert_eq!(v["outcome"], "reject", "{envelope} -> {v}");
        assert_eq!(v["reject_kind"], kind, "{envelope} -> {v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[test]
fn unsupported_and_unusable_envelopes() {
    let mut other = signing();
    other["algorithm"] = json!("HMAC-SHA512");
    let v = verdict(
        json!({"protocol": 1, "kind": "request", "operation": "AttachInstanceRamRole",
        "input": {"params": {"RegionId": "r", "RamRoleName": "r", "InstanceIds": ["i"]}, "context": {"signing": other}}}),
    );
    assert_eq!(v["outcome"], "unsupported");
    let v = verdict(
        json!({"protocol": 1, "kind": "request", "operation": "DescribeRegions", "input": {}}),
    );
    assert_eq!(v["outcome"], "unsupported");

    // No verdict possible: non-zero exit, nothing on stdout.
    for envelope in [
        &b"not json"[..],
        br#"{"protocol":2,"kind":"sign"}"#,
        br#"{"protocol":1}"#,
    ] {
        let out = run(envelope);
        assert!(!out.status.success());
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn secret_never_in_rejects() {
    let mut s = signing();
    s["access_key_secret"] = json!("s3cr3t-value");
    s["timestamp"] = json!("bad s3cr3t-value");
    let v = verdict(
        json!({"protocol": 1, "kind": "request", "operation": "AttachInstanceRamRole",
        "input": {"params": {"RegionId": "r", "RamRoleName": "r", "InstanceIds": ["i"]}, "context": {"signing": s}}}),
    );
    assert_eq!(v["reject_kind"], "constraint_violation");
}

fn response_envelope(
    operation: &str,
    status: u16,
    content_type: Option<&str>,
    format: Option<&str>,
    body: &[u8],
) -> Value {
    use base64::Engine as _;
    let headers: Vec<Value> = content_type
        .map(|ct| json!(["Content-Type", ct]))
        .into_iter()
        .collect();
    let mut envelope = json!({"protocol": 1, "kind": "response", "operation": operation,
        "http": {"status": status, "headers": headers},
        "body_base64": base64::engine::general_purpose::STANDARD.encode(body)});
    if let Some(f) = format {
        envelope["format"] = json!(f);
    }
    envelope
}

#[test]
fn response_kind_output_service_error_and_reject() {
    let xml = include_bytes!("../corpus/response/DetachInstanceRamRole/xml/y_doc_example.body.xml");
    let v = verdict(response_envelope(
        "DetachInstanceRamRole",
        200,
        Some("text/xml;charset=UTF-8"),
        Some("xml"),
        xml,
    ));
    // The JSON-response shape, both list levels, Code a string, counts numbers.
    assert_eq!(
        v,
        json!({"outcome": "output", "value": {
        "RequestId": "E6352369-5C2B-41CD-AB50-471550C8F674", "TotalCount": 1, "FailCount": 0, "RamRoleName": "RamRoleTest",
        "DetachInstanceRamRoleResults": {"DetachInstanceRamRoleResult": [
            {"InstanceId": "i-instance1", "Code": "200", "Message": "success"}]}}})
    );

    let body = br#"{"RequestId":"R","HostId":"ecs.aliyuncs.com","Code":"InvalidRamRole.NotFound","Message":"The specified RamRoleName does not exist.","AccessDeniedDetail":{"UserId":123}}"#;
    let v = verdict(response_envelope(
        "AttachInstanceRamRole",
        404,
        Some("application/json"),
        None,
        body,
    ));
    assert_eq!(
        v,
        json!({"outcome": "service_error", "error": {"http_status": 404, "code": "InvalidRamRole.NotFound",
        "message": "The specified RamRoleName does not exist.", "request_id": "R", "host_id": "ecs.aliyuncs.com",
        "access_denied_detail": {"UserId": 123}}, "retry": {"retryable": false, "after_ms": null}})
    );

    let v = verdict(response_envelope(
        "AttachInstanceRamRole",
        502,
        Some("text/html"),
        None,
        b"<html>Bad Gateway</html>",
    ));
    assert_eq!(
        v,
        json!({"outcome": "service_error", "error": {"http_status": 502},
               "retry": {"retryable": true, "after_ms": null}})
    );

    let published = include_bytes!(
        "../corpus/response/DetachInstanceRamRole/json/n_doc_example_as_published.body.json"
    );
    let v = verdict(response_envelope(
        "DetachInstanceRamRole",
        200,
        Some("application/json"),
        Some("json"),
        published,
    ));
    assert_eq!(v["outcome"], "reject");
    assert_eq!(v["reject_kind"], "malformed_body");

    let v = verdict(response_envelope(
        "AttachInstanceRamRole",
        200,
        None,
        None,
        b"<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>",
    ));
    assert_eq!(v["reject_kind"], "forbidden_construct");

    // No usable envelope: bad Base64.
    let mut bad = response_envelope("AttachInstanceRamRole", 200, None, None, b"{}");
    bad["body_base64"] = json!("***");
    assert!(!run(bad.to_string().as_bytes()).status.success());
}
