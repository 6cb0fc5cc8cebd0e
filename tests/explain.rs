//! The signature-mismatch explainer: one constructed mismatch per cause.

// The command reads its inputs from files: this test writes them.
#![allow(clippy::disallowed_methods)]

use ecs_ramrole::*;

const SECRET: &str = "testsecret";

fn secret(s: &str) -> AccessKeySecret {
    AccessKeySecret::new(s).unwrap()
}

/// A V1 request for `region`, signed with `key`, as sent.
fn v1_query(method: Method, region: &str, key: &str) -> (String, String) {
    let request: Request = DetachInstanceRamRole::builder()
        .region_id(region)
        .instance_ids(InstanceIds::new(["i-1"]).unwrap())
        .build()
        .unwrap()
        .into();
    let signed = request.sign(
        &EncodeOptions::new(method, Some(Format::Json)),
        &Credentials::new("testid", secret(key)).unwrap(),
        &"2016-02-23T12:46:24Z".parse().unwrap(),
        &Nonce::new("n").unwrap(),
    );
    (
        signed.query().to_owned(),
        signed.stages().string_to_sign().to_owned(),
    )
}

fn diagnose(method: &str, query: &str, ours: Option<&str>, key: Option<&str>) -> Diagnosis {
    let sent = HttpRequest::new(method, "/", query, &[], b"");
    let mut evidence = Evidence::new(sent);
    evidence.ours = ours;
    let key = key.map(secret);
    evidence.secret = key.as_ref();
    explain(&evidence)
}

/// The client's string-to-sign with one value spelled another way.
fn client_sts(correct: &str, from: &str, to: &str) -> String {
    assert!(correct.contains(from), "{from} in {correct}");
    correct.replacen(from, to, 1)
}

#[test]
fn one_mismatch_per_cause() {
    // The value "cn hz/*~" encodes once as `cn%20hz%2F%2A~` and, inside the
    // string-to-sign, twice as `cn%2520hz%252F%252A~`.
    let (query, sts) = v1_query(Method::Post, "cn hz/*~", SECRET);
    assert!(sts.contains("RegionId%3Dcn%2520hz%252F%252A~%26"), "{sts}");
    #[rustfmt::skip]
    let table: &[(&str, &str, Cause)] = &[
        // A value encoded twice: the canonical query holds %2520 for a space.
        ("RegionId%3Dcn%2520hz", "RegionId%3Dcn%252520hz", Cause::DoubleEncoded),
        // Form encoding: `+` for the space.
        ("RegionId%3Dcn%2520hz", "RegionId%3Dcn%2Bhz", Cause::PlusForSpace),
        // `*` left literal.
        ("%252A~", "*~", Cause::UnencodedReserved),
        // `~` encoded.
        ("%252A~", "%252A%257E", Cause::EncodedUnreserved),
        // Lowercase hex.
        ("%252F", "%252f", Cause::LowercaseHex),
        // Another method signed than sent.
        ("POST&", "GET&", Cause::MethodMismatch),
        // A parameter the client did not sign.
        ("Action%3DDetachInstanceRamRole%26", "", Cause::ParameterMissing),
        // A parameter signed but not sent.
        ("Action%3D", "Added%3Dx%26Action%3D", Cause::ParameterAdded),
        // The value signed is not the value that arrived.
        ("RegionId%3Dcn%2520hz", "RegionId%3Dcn%2520hk", Cause::ValueAlteredInTransit),
    ];
    for &(from, to, cause) in table {
        let ours = client_sts(&sts, from, to);
        let d = diagnose("POST", &query, Some(&ours), None);
        assert_eq!(d.cause, cause, "{from} -> {to}: {d:?}");
        assert!(!d.agrees());
        let offset = d.offset.unwrap();
        assert_eq!(&d.expected_full, &sts);
        assert_eq!(
            ours.as_bytes().get(..offset),
            sts.as_bytes().get(..offset),
            "the offset is the first difference"
        );
        if !matches!(cause, Cause::MethodMismatch) {
            let want = if cause == Cause::ParameterAdded {
                "Added"
            } else if cause == Cause::ParameterMissing {
                "Action"
            } else {
                "RegionId"
            };
            assert_eq!(d.parameter.as_deref(), Some(want), "{cause}");
        }
        assert!(!cause.advice().is_empty());
    }
}

#[test]
fn agreeing_strings_point_at_the_key() {
    // Signed with another secret: the strings agree, the key does not.
    let (query, sts) = v1_query(Method::Get, "cn-hangzhou", "another");
    let d = diagnose("GET", &query, Some(&sts), None);
    assert_eq!(
        (d.cause, d.agrees()),
        (Cause::StringsAgreeSecretOrKeyWrong, true)
    );
    let d = diagnose("GET", &query, Some(&sts), Some(SECRET));
    assert_eq!(d.cause, Cause::StringsAgreeSecretOrKeyWrong);
    // Nothing to compare at all.
    assert_eq!(diagnose("GET", &query, None, None).cause, Cause::Unknown);
    // The canonical query is accepted in place of the string-to-sign.
    let canonical = query.split("&Signature=").next().unwrap();
    let d = diagnose("GET", &query, Some(canonical), None);
    assert_eq!(
        (d.cause, d.expected_full.as_str()),
        (Cause::StringsAgreeSecretOrKeyWrong, canonical)
    );
}

#[test]
fn v3_key_suffix_and_mixed_signatures() {
    let request: Request = DetachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .instance_ids(InstanceIds::new(["i-1"]).unwrap())
        .build()
        .unwrap()
        .into();
    // HMAC-SHA256 keyed with `secret&`, as a V1 habit would.
    let signed = request.sign(
        &EncodeOptions::v3(Method::Post, None),
        &Credentials::new("testid", secret("testsecret&")).unwrap(),
        &"2016-02-23T12:46:24Z".parse().unwrap(),
        &Nonce::new("n").unwrap(),
    );
    let headers: Vec<(&str, &str)> = signed
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let sent = HttpRequest::new("POST", "/", signed.query(), &headers, b"");
    let key = secret(SECRET);
    let mut evidence = Evidence::new(sent);
    evidence.secret = Some(&key);
    let d = explain(&evidence);
    assert_eq!(d.cause, Cause::KeySuffix, "{d:?}");
    assert_eq!(d.expected_full, signed.stages().string_to_sign());

    // The service's error body: its string-to-sign differs from what was sent.
    let body = format!(
        r#"{{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:ACS3-HMAC-SHA256\n{}"}}"#,
        "0".repeat(64)
    );
    let mut evidence = Evidence::new(sent);
    evidence.error_body = Some(body.as_bytes());
    let d = explain(&evidence);
    assert_eq!(d.cause, Cause::ValueAlteredInTransit, "{d:?}");
    assert!(d.server.unwrap().contains("000000"));

    // V1 parameters under a V3 authorization.
    let query = format!("{}&SignatureMethod=HMAC-SHA1", signed.query());
    let sent = HttpRequest::new("POST", "/", &query, &headers, b"");
    assert_eq!(explain(&Evidence::new(sent)).cause, Cause::V1V3Mixed);
}

/// The command, as a support engineer runs it: files in, one JSON object out, exit 0.
#[test]
fn the_explain_command() {
    let dir = std::env::temp_dir().join(format!("ecs-ramrole-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (query, sts) = v1_query(Method::Post, "cn hz", SECRET);
    let ours = dir.join("ours.txt");
    std::fs::write(&ours, client_sts(&sts, "cn%2520hz", "cn%2Bhz")).unwrap();
    let secret_file = dir.join("secret.txt");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ecs-ramrole"))
        .args(["explain", "--method", "POST", "--query", &query, "--json"])
        .arg("--ours-file")
        .arg(&ours)
        .arg("--secret-file")
        .arg(&secret_file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains(SECRET), "the secret is never printed");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["cause"], "plus_for_space");
    assert_eq!(v["parameter"], "RegionId");
    // `cn%2` is common to both; `5` against `B` is the first difference.
    assert_eq!(v["offset"], sts.find("cn%2520hz").unwrap() + 4);
    assert!(v["expected"].as_str().unwrap().contains("cn%2520hz"));
    assert!(v["server"].is_null());
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_ecs-ramrole"))
        .args(["explain", "--method", "POST", "--ours-file", "/nonexistent"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}
