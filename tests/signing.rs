//! Signature V1 against published and independently computed vectors.
//!
//! Sources: protocol.md §2.2 (the documented DescribeRegions example), §2.3 (vectors from
//! the official SDKs' test suites), conformance-design.md §10 (an AttachInstanceRamRole
//! vector in two JSON byte forms), and `tests/vectors/compute.py` (Python standard library,
//! run independently of this crate) for the rest.

use ecs_ramrole::{
    AccessKeySecret, AttachInstanceRamRole, Credentials, DetachInstanceRamRole, EncodeOptions,
    Format, InstanceIds, Method, Nonce, Request, Timestamp, sign_params,
};

fn secret(s: &str) -> AccessKeySecret {
    AccessKeySecret::new(s).unwrap()
}

#[test]
fn documented_describe_regions_example_every_stage() {
    let params = [
        ("AccessKeyId", "testid"),
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ];
    let stages = sign_params(Method::Get, &params, &secret("testsecret"));
    assert_eq!(
        stages.canonical_query(),
        "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"
    );
    assert_eq!(
        stages.string_to_sign(),
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    );
    assert_eq!(stages.signature(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

#[test]
fn input_order_does_not_matter() {
    let sorted = [("A", "1"), ("B", "2"), ("a", "3")];
    let shuffled = [("a", "3"), ("B", "2"), ("A", "1")];
    let s = secret("k");
    assert_eq!(
        sign_params(Method::Get, &sorted, &s),
        sign_params(Method::Get, &shuffled, &s)
    );
    // Byte order: uppercase before lowercase.
    assert_eq!(
        sign_params(Method::Get, &shuffled, &s).canonical_query(),
        "A=1&B=2&a=3"
    );
}

#[test]
fn go_sdk_rpc_signature_composer_vectors() {
    let mut params = vec![
        ("Version", ""),
        ("Action", ""),
        ("Format", "JSON"),
        ("Timestamp", "mock date"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureType", ""),
        ("SignatureNonce", "MOCK_UUID"),
        ("AccessKeyId", "accessKeyId"),
        ("RegionId", "regionId"),
    ];
    let s = secret("accessKeySecret");
    let stages = sign_params(Method::Get, &params, &s);
    assert!(stages.string_to_sign().contains("mock%2520date"));
    assert_eq!(stages.signature(), "7loPmFjvDnzOVnQeQNj85S6nFGY=");
    params.push(("SecurityToken", "accessKeyStsToken"));
    assert_eq!(
        sign_params(Method::Get, &params, &s).signature(),
        "5Nxdcler+ihqWqv0Hr2On4PsBf4="
    );
}

#[test]
fn go_sdk_string_to_sign_vectors() {
    let s = secret("any");
    let empty: [(&str, &str); 0] = [];
    assert_eq!(
        sign_params(Method::Get, &empty, &s).string_to_sign(),
        "GET&%2F&"
    );
    assert_eq!(
        sign_params(Method::Get, &[("key", "value")], &s).string_to_sign(),
        "GET&%2F&key%3Dvalue"
    );
    assert_eq!(
        sign_params(
            Method::Get,
            &[("q", "http://domain/?q=value&q2=value2")],
            &s
        )
        .string_to_sign(),
        "GET&%2F&q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2"
    );
}

#[test]
fn openapi_util_and_python_core_vectors() {
    assert_eq!(
        sign_params(
            Method::Get,
            &[("query", "test"), ("body", "test")],
            &secret("secret")
        )
        .signature(),
        "XlUyV4sXjOuX5FnjUz9IF9tm5rU="
    );
    let params = [
        ("SignatureVersion", "1.0"),
        ("Format", "JSON"),
        ("Timestamp", "7e1c7d12-7551-4856-8abb-1938ccac6bcc"),
        ("AccessKeyId", "access_key_id"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureType", ""),
        ("SignatureNonce", "2018-12-04T04:03:12Z"),
    ];
    assert_eq!(
        sign_params(Method::Get, &params, &secret("access_key_secret")).signature(),
        "5AYPtZduFYvj3ETTIQlivGqL7Ic="
    );
}

fn doc_signing() -> (Credentials, Timestamp, Nonce) {
    (
        Credentials::new("testid", secret("testsecret")).unwrap(),
        Timestamp::parse("2016-02-23T12:46:24Z").unwrap(),
        Nonce::new("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf").unwrap(),
    )
}

fn sign(request: impl Into<Request>, method: Method, format: Format) -> ecs_ramrole::SignedRequest {
    let (credentials, timestamp, nonce) = doc_signing();
    let options = EncodeOptions::new(method, Some(format));
    request
        .into()
        .sign(&options, &credentials, &timestamp, &nonce)
}

#[test]
fn attach_masked_ids_both_json_byte_forms() {
    // conformance-design.md §10, vector 2: the byte form of InstanceIds changes the signature.
    let build = |ids: InstanceIds| {
        AttachInstanceRamRole::builder()
            .region_id("cn-hangzhou")
            .ram_role_name("testRamRoleName")
            .instance_ids(ids)
            .build()
            .unwrap()
    };
    let compact = InstanceIds::new(["i-bp67acfmxazb4p****", "i-bp67acfmxazb5p****"]).unwrap();
    let signed = sign(build(compact), Method::Get, Format::Json);
    assert_eq!(signed.stages().signature(), "qCAOEyvqMXpz2FYLmWz19xkWtKE=");
    assert!(signed.query().contains(
        "InstanceIds=%5B%22i-bp67acfmxazb4p%2A%2A%2A%2A%22%2C%22i-bp67acfmxazb5p%2A%2A%2A%2A%22%5D"
    ));

    let spaced =
        InstanceIds::from_json(r#"["i-bp67acfmxazb4p****", "i-bp67acfmxazb5p****"]"#).unwrap();
    let signed = sign(build(spaced), Method::Get, Format::Json);
    assert_eq!(signed.stages().signature(), "ElW//GgMzjYD+RT23zrNIIZ5E18=");
    assert!(
        signed
            .query()
            .ends_with("&Signature=ElW%2F%2FGgMzjYD%2BRT23zrNIIZ5E18%3D")
    );
}

#[test]
fn seed_examples_signed_match_independent_computation() {
    // Values from tests/vectors/compute.py (attach_doc_post_json, detach_doc_get_xml).
    let ids = || InstanceIds::new(["i-instance1"]).unwrap();
    let attach = AttachInstanceRamRole::builder()
        .instance_ids(ids())
        .ram_role_name("RamRoleTest")
        .region_id("cn-hangzhou")
        .build()
        .unwrap();
    let signed = sign(attach, Method::Post, Format::Json);
    assert_eq!(
        signed.stages().canonical_query(),
        "AccessKeyId=testid&Action=AttachInstanceRamRole&Format=JSON&InstanceIds=%5B%22i-instance1%22%5D&RamRoleName=RamRoleTest&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"
    );
    assert!(
        signed
            .stages()
            .string_to_sign()
            .starts_with("POST&%2F&AccessKeyId%3Dtestid%26")
    );
    assert_eq!(signed.stages().signature(), "0QXGTczdB227ZbvVI3QcpGwr7bk=");
    assert_eq!(
        signed.query(),
        format!(
            "{}&Signature=0QXGTczdB227ZbvVI3QcpGwr7bk%3D",
            signed.stages().canonical_query()
        )
    );

    let detach = DetachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .ram_role_name("RamRoleTest")
        .instance_ids(ids())
        .build()
        .unwrap();
    let signed = sign(detach, Method::Get, Format::Xml);
    assert_eq!(signed.method(), Method::Get);
    assert_eq!(signed.stages().signature(), "7dG3mMFjkDkt9Ls+Xaxdr8MpeEM=");
    assert!(
        signed
            .query()
            .ends_with("&Signature=7dG3mMFjkDkt9Ls%2BXaxdr8MpeEM%3D")
    );
}

#[test]
fn every_optional_parameter_token_and_odd_characters() {
    // tests/vectors/compute.py, attach_full_post_token.
    let attach = AttachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .ram_role_name("角色 a+b*c~d/e=f&g")
        .instance_ids(InstanceIds::new(["i-1", "q\"uote", "阿 b+c*~"]).unwrap())
        .policy(r#"{"Statement": [{"Action": "*"}]}"#)
        .owner_id(1_234_567_890_123_456)
        .resource_owner_id(42)
        .resource_owner_account("owner@example.com")
        .build()
        .unwrap();
    let (credentials, timestamp, nonce) = doc_signing();
    let credentials = credentials.with_security_token("sts token/+=").unwrap();
    let options = EncodeOptions::new(Method::Post, Some(Format::Xml));
    let signed = Request::from(attach).sign(&options, &credentials, &timestamp, &nonce);
    assert_eq!(
        signed.stages().canonical_query(),
        "AccessKeyId=testid&Action=AttachInstanceRamRole&Format=XML&InstanceIds=%5B%22i-1%22%2C%22q%5C%22uote%22%2C%22%E9%98%BF%20b%2Bc%2A~%22%5D&OwnerId=1234567890123456&Policy=%7B%22Statement%22%3A%20%5B%7B%22Action%22%3A%20%22%2A%22%7D%5D%7D&RamRoleName=%E8%A7%92%E8%89%B2%20a%2Bb%2Ac~d%2Fe%3Df%26g&RegionId=cn-hangzhou&ResourceOwnerAccount=owner%40example.com&ResourceOwnerId=42&SecurityToken=sts%20token%2F%2B%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"
    );
    assert_eq!(signed.stages().signature(), "JD3arJn7A3NGymy1oCojXLOPm6g=");
}

#[test]
fn unsigned_request_has_no_signing_parameters() {
    let detach = DetachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .instance_ids(InstanceIds::new(["i-1"]).unwrap())
        .build()
        .unwrap();
    let request = Request::from(detach);
    let encoded = request.encode(&EncodeOptions::new(Method::Get, None));
    assert_eq!(
        encoded.query(),
        "Action=DetachInstanceRamRole&InstanceIds=%5B%22i-1%22%5D&RegionId=cn-hangzhou&Version=2014-05-26"
    );
    assert_eq!(encoded.path_and_query(), format!("/?{}", encoded.query()));
}

#[test]
fn secret_never_printed() {
    let (credentials, timestamp, nonce) = doc_signing();
    let credentials = credentials.with_security_token("tok").unwrap();
    let debug = format!("{credentials:?}");
    assert!(
        !debug.contains("testsecret") && !debug.contains("tok\""),
        "{debug}"
    );
    let attach = AttachInstanceRamRole::builder()
        .region_id("r")
        .ram_role_name("n")
        .instance_ids(InstanceIds::new(["i"]).unwrap())
        .build()
        .unwrap();
    let signed =
        Request::from(attach).sign(&EncodeOptions::default(), &credentials, &timestamp, &nonce);
    assert!(!format!("{signed:?}").contains("testsecret"));
}
