//! The server direction: decoding queries and verifying signatures.

use ecs_ramrole::{AccessKeySecret, Format, IncomingRequest, Method, Request, RequestErrorKind};

/// The Attach seed example signed by `tests/vectors/compute.py` (attach_doc_post_json):
/// its canonical query plus the independently computed signature.
const PY_SIGNED_ATTACH: &str = "AccessKeyId=testid&Action=AttachInstanceRamRole&Format=JSON&InstanceIds=%5B%22i-instance1%22%5D&RamRoleName=RamRoleTest&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26&Signature=0QXGTczdB227ZbvVI3QcpGwr7bk%3D";

fn secret(s: &str) -> AccessKeySecret {
    AccessKeySecret::new(s).unwrap()
}

#[test]
fn decodes_and_verifies_an_independently_signed_query() {
    let incoming = IncomingRequest::parse(PY_SIGNED_ATTACH).unwrap();
    let Request::Attach(attach) = incoming.request() else {
        panic!("expected AttachInstanceRamRole");
    };
    assert_eq!(attach.region_id(), "cn-hangzhou");
    assert_eq!(attach.ram_role_name(), "RamRoleTest");
    assert_eq!(attach.instance_ids().ids(), ["i-instance1"]);
    assert_eq!(attach.instance_ids().as_json(), r#"["i-instance1"]"#);
    assert_eq!(incoming.format(), Some(Format::Json));
    assert_eq!(incoming.unrecognized().count(), 0);

    incoming
        .verify(Method::Post, &secret("testsecret"))
        .unwrap();
    // The method is signed, and so is the key.
    let err = incoming
        .verify(Method::Get, &secret("testsecret"))
        .unwrap_err();
    assert_eq!(err.kind(), RequestErrorKind::SignatureMismatch);
    assert_eq!(err.code(), "SignatureDoesNotMatch");
    assert!(
        err.to_string()
            .contains("server string to sign is:GET&%2F&AccessKeyId%3Dtestid")
    );
    let err = incoming.verify(Method::Post, &secret("wrong")).unwrap_err();
    assert_eq!(err.kind(), RequestErrorKind::SignatureMismatch);
    assert!(!err.to_string().contains("testsecret"));
}

#[test]
fn form_style_encoding_verifies_too() {
    // The Go SDK sends url.Values.Encode() output: spaces as `+`, the rest in its own
    // escaping. The signature covers decoded values, so it still verifies.
    // Values from tests/vectors/compute.py, attach_full_post_token.
    let query = "AccessKeyId=testid&Action=AttachInstanceRamRole&Format=XML\
        &InstanceIds=%5B%22i-1%22%2C%22q%5C%22uote%22%2C%22%E9%98%BF+b%2Bc*~%22%5D\
        &OwnerId=1234567890123456&Policy=%7B%22Statement%22%3A+%5B%7B%22Action%22%3A+%22*%22%7D%5D%7D\
        &RamRoleName=%E8%A7%92%E8%89%B2+a%2Bb*c~d%2Fe%3Df%26g&RegionId=cn-hangzhou\
        &ResourceOwnerAccount=owner%40example.com&ResourceOwnerId=42&SecurityToken=sts+token%2F%2B%3D\
        &SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
        &SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26\
        &Signature=JD3arJn7A3NGymy1oCojXLOPm6g%3D";
    let incoming = IncomingRequest::parse(query).unwrap();
    incoming
        .verify(Method::Post, &secret("testsecret"))
        .unwrap();
    let Request::Attach(attach) = incoming.request() else {
        panic!("expected AttachInstanceRamRole");
    };
    assert_eq!(attach.ram_role_name(), "角色 a+b*c~d/e=f&g");
    assert_eq!(attach.instance_ids().ids(), ["i-1", "q\"uote", "阿 b+c*~"]);
    assert_eq!(attach.owner_id(), Some(1_234_567_890_123_456));
    assert_eq!(attach.resource_owner_account(), Some("owner@example.com"));
    assert_eq!(incoming.param("SecurityToken"), Some("sts token/+="));
}

#[test]
fn seed_request_examples_with_raw_json_are_accepted() {
    // Both seeds print the query with raw, unencoded JSON, one parameter per line, with
    // layout spaces at line ends and a `<Common request parameters>` placeholder. Repair
    // applied here: line breaks and layout spaces removed, the placeholder replaced by
    // `Version`. The raw JSON is then accepted and kept byte-for-byte.
    let attach = "Action=AttachInstanceRamRole&InstanceIds=[\"i-instance1\"]&RamRoleName=RamRoleTest&RegionId=cn-hangzhou&Version=2014-05-26";
    let Request::Attach(a) = IncomingRequest::parse(attach).unwrap().into_request() else {
        panic!("expected AttachInstanceRamRole")
    };
    assert_eq!(a.instance_ids().as_json(), "[\"i-instance1\"]");
    assert_eq!(a.instance_ids().ids(), ["i-instance1"]);
    assert_eq!(a.ram_role_name(), "RamRoleTest");

    let detach = "Action=DetachInstanceRamRole&RegionId=cn-hangzhou&RamRoleName=RamRoleTest&InstanceIds=[\"i-instance1\"]&Version=2014-05-26";
    let Request::Detach(d) = IncomingRequest::parse(detach).unwrap().into_request() else {
        panic!("expected DetachInstanceRamRole")
    };
    assert_eq!(d.ram_role_name(), Some("RamRoleTest"));
    assert_eq!(d.instance_ids().ids(), ["i-instance1"]);

    // Unrepaired, the layout space is part of the value, as a server would see it: nothing
    // is trimmed silently.
    let unrepaired = attach.replace("RamRoleTest", "RamRoleTest ");
    let Request::Attach(a) = IncomingRequest::parse(&unrepaired).unwrap().into_request() else {
        panic!("expected AttachInstanceRamRole")
    };
    assert_eq!(a.ram_role_name(), "RamRoleTest ");
}

#[test]
fn unknown_parameters_are_kept_not_dropped() {
    let query = "Action=DetachInstanceRamRole&Version=2014-05-26&RegionId=r&InstanceIds=%5B%22i%22%5D&Policy=p&OwnerAccount=acc&SignatureType=";
    let incoming = IncomingRequest::parse(query).unwrap();
    let unrecognized: Vec<_> = incoming.unrecognized().collect();
    assert_eq!(unrecognized, [("Policy", "p"), ("OwnerAccount", "acc")]);
    assert_eq!(incoming.params().count(), 7);
}

#[test]
fn verify_needs_a_complete_signature() {
    let unsigned =
        "Action=DetachInstanceRamRole&Version=2014-05-26&RegionId=r&InstanceIds=%5B%22i%22%5D";
    let err = IncomingRequest::parse(unsigned)
        .unwrap()
        .verify(Method::Get, &secret("s"))
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.code()),
        (RequestErrorKind::Missing, "IncompleteSignature")
    );

    let sha256 = PY_SIGNED_ATTACH.replace("HMAC-SHA1", "HMAC-SHA256");
    let err = IncomingRequest::parse(&sha256)
        .unwrap()
        .verify(Method::Post, &secret("testsecret"))
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.code()),
        (
            RequestErrorKind::UnsupportedSignature,
            "IncompleteSignature"
        )
    );

    // A signature that is not even Base64 is a mismatch, not a crash.
    let garbage = PY_SIGNED_ATTACH.replace("0QXGTczdB227ZbvVI3QcpGwr7bk%3D", "%21%21");
    let err = IncomingRequest::parse(&garbage)
        .unwrap()
        .verify(Method::Post, &secret("testsecret"))
        .unwrap_err();
    assert_eq!(err.kind(), RequestErrorKind::SignatureMismatch);
}
