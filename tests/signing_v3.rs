//! Signature V3 (ACS3-HMAC-SHA256) against the documented example, the official SDK's
//! test vectors, and values computed independently by `tests/vectors/compute_v3.py`.

use ecs_ramrole::*;

fn secret(s: &str) -> AccessKeySecret {
    AccessKeySecret::new(s).unwrap()
}

/// protocol.md §3.4: the doc's "fixed parameter values" walk-through, every stage.
#[test]
fn documented_run_instances_example() {
    let headers = [
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-version", "2014-05-26"),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        ("x-acs-content-sha256", EMPTY_PAYLOAD_SHA256),
    ];
    let query = [
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-shanghai"),
    ];
    let stages = sign_v3(
        Method::Post,
        "/",
        &query,
        &headers,
        Payload::Body(b""),
        "YourAccessKeyId",
        &secret("YourAccessKeySecret"),
    );
    assert_eq!(
        stages.canonical_request(),
        "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
         host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n\
         x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
         x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
         x-acs-version:2014-05-26\n\n\
         host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        stages.hashed_canonical_request(),
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        stages.string_to_sign(),
        "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    assert_eq!(
        stages.signature(),
        "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
    assert_eq!(
        stages.authorization(),
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    );
    // The header order given does not matter, nor the case of the names.
    let mut shuffled: Vec<(String, &str)> = headers
        .iter()
        .rev()
        .map(|(n, v)| (n.to_uppercase(), *v))
        .collect();
    let version = shuffled
        .iter_mut()
        .find(|(n, _)| n == "X-ACS-VERSION")
        .unwrap();
    version.1 = " 2014-05-26 ";
    let again = sign_v3(
        Method::Post,
        "",
        &query,
        &shuffled,
        Payload::Sha256Hex(EMPTY_PAYLOAD_SHA256),
        "YourAccessKeyId",
        &secret("YourAccessKeySecret"),
    );
    assert_eq!(again, stages);
}

/// `darabonba-openapi-util python/tests/test_client.py test_get_authorization`:
/// repeated header names merge; an empty path is `/`; the payload hash is given.
#[test]
fn openapi_util_authorization_vector() {
    let stages = sign_v3(
        Method::Get,
        "",
        &[("test", "ok"), ("empty", "")],
        &[("x-acs-test", "http"), ("x-acs-TEST", "https")],
        Payload::Sha256Hex("55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23"),
        "acesskey",
        &secret("secret"),
    );
    assert_eq!(stages.canonical_query(), "empty=&test=ok");
    assert!(
        stages
            .canonical_request()
            .contains("\nx-acs-test:http,https\n")
    );
    assert_eq!(
        stages.authorization(),
        "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1"
    );
}

/// protocol.md §3.5: the RunInstances example with its parameters in a form body, checked
/// there against the official openapi-util.
#[test]
fn form_body_vector() {
    let body = "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai";
    assert_eq!(
        payload_sha256(body.as_bytes()),
        "9c4a9acc5fc770697f4d65ec4a1c94c4d90db5f295b17995d6006365717ecffd"
    );
    let headers = [
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-version", "2014-05-26"),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        (
            "x-acs-content-sha256",
            "9c4a9acc5fc770697f4d65ec4a1c94c4d90db5f295b17995d6006365717ecffd",
        ),
        ("content-type", "application/x-www-form-urlencoded"),
    ];
    let stages = sign_v3::<&str, &str, _, _>(
        Method::Post,
        "/",
        &[],
        &headers,
        Payload::Body(body.as_bytes()),
        "YourAccessKeyId",
        &secret("YourAccessKeySecret"),
    );
    assert_eq!(
        stages.authorization(),
        "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=71fd26c61c5e04e0f714de615e1d19fbd530fc3d7badaf407783a018453889c8"
    );
}

fn sign(request: impl Into<Request>, options: EncodeOptions, token: Option<&str>) -> SignedRequest {
    let mut creds = Credentials::new("testid", secret("testsecret")).unwrap();
    if let Some(token) = token {
        creds = creds.with_security_token(token).unwrap();
    }
    request.into().sign(
        &options,
        &creds,
        &"2016-02-23T12:46:24Z".parse().unwrap(),
        &Nonce::new("3156853299f313e23d1673dc12e1703d").unwrap(),
    )
}

fn header<'a>(signed: &'a SignedRequest, name: &str) -> Option<&'a str> {
    signed
        .headers()
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn typed_attach_in_the_query_with_a_token() {
    let attach = AttachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .ram_role_name("RamRoleTest")
        .instance_ids(InstanceIds::new(["i-instance1"]).unwrap())
        .build()
        .unwrap();
    let signed = sign(
        attach,
        EncodeOptions::v3(Method::Post, Some(Format::Json)),
        Some("STS.tok"),
    );
    // tests/vectors/compute_v3.py, attach_v3_query_token.
    assert_eq!(
        signed.query(),
        "InstanceIds=%5B%22i-instance1%22%5D&RamRoleName=RamRoleTest&RegionId=cn-hangzhou"
    );
    assert_eq!(signed.body(), "");
    let Stages::V3(stages) = signed.stages() else {
        panic!("V3 stages")
    };
    assert_eq!(
        stages.hashed_canonical_request(),
        "74c438ec6cc4a99dcf7a761c2bafcdd6b50f6c871a62ffa89dfeaa02ceb6c6cd"
    );
    assert_eq!(
        stages.signature(),
        "ca697f9438fb6612e75a69a1457237ec061fcdc85c7f6d897c1a273919392e50"
    );
    let names: Vec<&str> = signed.headers().iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "accept",
            "authorization",
            "host",
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-date",
            "x-acs-security-token",
            "x-acs-signature-nonce",
            "x-acs-version"
        ]
    );
    assert_eq!(header(&signed, "accept"), Some("application/json"));
    assert_eq!(
        header(&signed, "authorization"),
        Some(stages.authorization())
    );
    assert!(stages.authorization().contains(
        ",SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"
    ));
    let debug = format!("{signed:?}");
    assert!(!debug.contains("STS.tok"), "{debug}");
    assert_eq!(
        signed.url("https://ecs.aliyuncs.com/"),
        format!("https://ecs.aliyuncs.com/?{}", signed.query())
    );
}

#[test]
fn typed_detach_in_a_form_body() {
    let detach = DetachInstanceRamRole::builder()
        .region_id("cn-shanghai")
        .instance_ids(InstanceIds::new(["i-1", "阿 b+c*~"]).unwrap())
        .ram_role_name("角色 a/b=c&d")
        .owner_id(42)
        .build()
        .unwrap();
    let options = EncodeOptions::v3(Method::Post, None)
        .with_host("ecs.cn-shanghai.aliyuncs.com")
        .unwrap()
        .with_placement(Placement::Body)
        .unwrap();
    let signed = sign(detach, options, None);
    // tests/vectors/compute_v3.py, detach_v3_body_unicode.
    assert_eq!(signed.query(), "");
    assert_eq!(
        signed.body(),
        "InstanceIds=%5B%22i-1%22%2C%22%E9%98%BF%20b%2Bc%2A~%22%5D&OwnerId=42&RamRoleName=%E8%A7%92%E8%89%B2%20a%2Fb%3Dc%26d&RegionId=cn-shanghai"
    );
    assert_eq!(
        signed.stages().signature(),
        "c1a4096606cd85073b1f37f576e538b48409a19a10561d5d2b674e30a8832af7"
    );
    assert_eq!(
        header(&signed, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(header(&signed, "accept"), None);
    assert_eq!(signed.url("https://h"), "https://h/");
}

#[test]
fn a_body_needs_post_and_v3() {
    for options in [
        EncodeOptions::v3(Method::Get, None),
        EncodeOptions::new(Method::Post, None),
    ] {
        let err = options.with_placement(Placement::Body).unwrap_err();
        assert_eq!(
            (err.kind(), err.param()),
            (RequestErrorKind::Malformed, "placement")
        );
    }
    assert!(EncodeOptions::v3(Method::Get, None).with_host("").is_err());
    assert!(
        EncodeOptions::v3(Method::Get, None)
            .with_host("a b")
            .is_err()
    );
}
