//! insta snapshots of every documented response and error example of both seeds, in both
//! formats: the decoded values as Rust sees them (`Debug`). The values themselves are
//! asserted against the documents in tests/response_decode.rs and the corpus.

use ecs_ramrole::{Action, ResponseDecoder, ServiceError};

fn decoded(action: Action, content_type: &str, body: &[u8]) -> String {
    match ResponseDecoder::new(action).decode(200, Some(content_type), body) {
        Ok(r) => format!("{r:#?}"),
        Err(e) => format!("Err({e})"),
    }
}

#[test]
fn attach_documented_examples() {
    insta::assert_snapshot!(
        "attach_xml",
        decoded(
            Action::AttachInstanceRamRole,
            "text/xml;charset=UTF-8",
            include_bytes!("../corpus/response/AttachInstanceRamRole/xml/y_doc_example.body.xml")
        )
    );
    insta::assert_snapshot!(
        "attach_json",
        decoded(
            Action::AttachInstanceRamRole,
            "application/json;charset=utf-8",
            include_bytes!("../corpus/response/AttachInstanceRamRole/json/y_doc_example.body.json")
        )
    );
}

#[test]
fn detach_documented_examples() {
    insta::assert_snapshot!(
        "detach_xml",
        decoded(
            Action::DetachInstanceRamRole,
            "text/xml;charset=UTF-8",
            include_bytes!("../corpus/response/DetachInstanceRamRole/xml/y_doc_example.body.xml")
        )
    );
    insta::assert_snapshot!(
        "detach_json_as_published",
        decoded(
            Action::DetachInstanceRamRole,
            "application/json;charset=utf-8",
            include_bytes!(
                "../corpus/response/DetachInstanceRamRole/json/n_doc_example_as_published.body.json"
            )
        )
    );
    insta::assert_snapshot!(
        "detach_json_repaired",
        decoded(
            Action::DetachInstanceRamRole,
            "application/json;charset=utf-8",
            include_bytes!(
                "../corpus/response/DetachInstanceRamRole/json/y_doc_example_repaired.body.json"
            )
        )
    );
}

/// The rows of both seeds' error tables: (HTTP status, code, message), verbatim.
const DOCUMENTED_ERRORS: &[(u16, &str, &str)] = &[
    (
        404,
        "InvalidRamRole.NotEcsRole",
        "The specified ram role is not authorized for ecs, please check your role policy.",
    ),
    (
        400,
        "MissingParameter.InstanceIds",
        "The input parameter InstanceIds that is mandatory for processing this request is missing.",
    ),
    (
        400,
        "MissingParameter.RegionId",
        "The input parameter RegionId that is mandatory for processing this request is missing.",
    ),
    (
        400,
        "InvalidInstanceIds.Malformed",
        "The specified InstanceIds is not valid.",
    ),
    (
        403,
        "InvalidNetworkType.MismatchRamRole",
        "Ram role cannot be attached to instances of Classic network type.",
    ),
    (
        403,
        "InvalidUser.PassRoleForbidden",
        "The RAM user does not have the privilege to pass a RAM role.",
    ),
    (
        404,
        "InvalidInstanceId.NotFound",
        "The specified InstanceId does not exist.",
    ),
    (
        404,
        "InvalidRamRole.NotFound",
        "The specified RamRoleName does not exist.",
    ),
];

#[test]
fn documented_error_codes_in_both_formats() {
    let decoder = ResponseDecoder::new(Action::DetachInstanceRamRole);
    let mut out = String::new();
    for &(status, code, message) in DOCUMENTED_ERRORS {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><RequestId>E6352369-5C2B-41CD-AB50-471550C8F674</RequestId><HostId>ecs.aliyuncs.com</HostId><Code>{code}</Code><Message>{message}</Message></Error>"
        );
        let json = format!(
            "{{\"RequestId\":\"E6352369-5C2B-41CD-AB50-471550C8F674\",\"HostId\":\"ecs.aliyuncs.com\",\"Code\":\"{code}\",\"Message\":\"{message}\"}}"
        );
        let from_xml: ServiceError = decoder.decode_error(status, Some("text/xml"), xml.as_bytes());
        let from_json = decoder.decode_error(status, Some("application/json"), json.as_bytes());
        assert_eq!(from_xml, from_json, "twins agree for {code}");
        assert_eq!(from_xml.code.as_ref().map(|c| c.as_str()), Some(code));
        assert_eq!(
            from_xml.code.as_ref().and_then(|c| c.documented_status()),
            Some(status)
        );
        out.push_str(&format!("{from_xml:#?}\n"));
    }
    insta::assert_snapshot!("documented_errors", out);
}
