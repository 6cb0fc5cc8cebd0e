//! The public API as an embedding crate sees it: the house issue's snippet as written,
//! the retry rule, and what errors print.

use std::error::Error as _;

use ecs_ramrole::*;

/// The snippet of the house issue, verbatim but for the `Ok` at the end.
#[cfg(feature = "http")]
#[test]
fn the_embedding_snippet_compiles_and_runs() -> Result<(), Box<dyn std::error::Error>> {
    let ts: Timestamp = "2016-02-23T12:46:24Z".parse()?; // FromStr for Timestamp, Method, Format, Action, ErrorCode
    let m: Method = "POST".parse()?;
    let f: Format = "JSON".parse()?;
    let a: Action = "DetachInstanceRamRole".parse()?;
    let code: ErrorCode = "Throttling.User".parse().unwrap(); // infallible: Unknown keeps the text
    let ids = InstanceIds::try_from(vec!["i-1".to_string(), "i-2".to_string()])?;
    let req: Request = AttachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .ram_role_name("R")
        .instance_ids(ids)
        .build()?
        .into();
    let creds =
        Credentials::new("id", AccessKeySecret::new("secret")?)?.with_security_token("STS.tok")?;
    let signed = req.sign(&EncodeOptions::default(), &creds, &ts, &Nonce::new("n")?);
    assert!(!format!("{signed:?}").contains("STS.tok")); // no secret or token in any Debug output
    let url: String = signed.url("https://ecs.aliyuncs.com"); // scheme://host/?query
    // feature "http": an http::Request ready for any client (reqwest, hyper, ureq)
    let http_req: http::Request<Vec<u8>> = signed.to_http_request("https://ecs.aliyuncs.com")?;

    // What the snippet leaves implicit, checked.
    assert_eq!(
        (m, f, a),
        (Method::Post, Format::Json, Action::DetachInstanceRamRole)
    );
    assert_eq!(code, ErrorCode::ThrottlingUser);
    assert_eq!(
        "Whatever.New".parse::<ErrorCode>().unwrap(),
        ErrorCode::Unknown("Whatever.New".into())
    );
    assert!(
        url.starts_with("https://ecs.aliyuncs.com/?AccessKeyId=id&Action=AttachInstanceRamRole&")
    );
    assert!(
        url.contains("&SecurityToken=STS.tok&"),
        "the wire carries the token"
    );
    assert_eq!(http_req.method(), http::Method::POST);
    assert_eq!(http_req.uri().to_string(), url);
    assert!(http_req.body().is_empty());
    let debug = format!("{signed:?}");
    assert!(!debug.contains("secret"), "{debug}");
    assert!(debug.contains("SecurityToken=<redacted>"), "{debug}");
    assert!(debug.contains("SecurityToken%3D<redacted>"), "{debug}");
    assert!(signed.to_http_request("not a url\n").is_err());
    Ok(())
}

#[test]
fn retryable_by_status_or_code_prefix() {
    // (status, code, retryable): the house issue's rule.
    #[rustfmt::skip]
    let table: &[(u16, Option<&str>, bool)] = &[
        (429, None, true),
        (429, Some("Whatever.New"), true),
        (500, Some("InternalError"), true),
        (503, Some("Unknown.Code"), true),
        (502, None, true),
        (400, Some("Throttling.User"), true),
        (400, Some("Throttling"), true),
        (400, Some("Throttling.Api"), true),
        (403, Some("ServiceUnavailable.RegionMaintaining"), true),
        (400, Some("SignatureNonceUsed"), true),
        (409, Some("OperationConflict"), true),
        (400, Some("Whatever.New"), false),
        (404, Some("InvalidRamRole.NotFound"), false),
        (400, Some("SignatureDoesNotMatch"), false),
        (400, None, false),
        (403, Some("throttling.user"), false),
    ];
    for &(status, code, want) in table {
        let mut e = ServiceError::status_only(status);
        e.code = code.map(|c| c.parse().unwrap());
        assert_eq!(e.is_retryable(), want, "{status} {code:?}");
        let as_response = ResponseError::Service(Box::new(e.clone()));
        assert_eq!(as_response.is_retryable(), want);
        assert_eq!(as_response.service_error(), Some(&e));
    }
}

#[test]
fn decode_errors_name_the_field_and_print_once() {
    let body = br#"{"RequestId":"R","TotalCount":"three"}"#;
    let err = ResponseDecoder::new(Action::AttachInstanceRamRole)
        .decode(200, Some("application/json"), body)
        .unwrap_err();
    let decode = err.decode_error().unwrap();
    assert_eq!(decode.field(), Some("TotalCount"));
    assert_eq!(decode.kind(), DecodeErrorKind::TypeMismatch);
    // The position is the value's last byte (its closing quote), where serde_json stopped.
    assert_eq!(
        err.to_string(),
        "type_mismatch: TotalCount: invalid type: string \"three\", expected a non-negative 32-bit integer at line 1 column 37 (byte 36)"
    );
    assert!(!err.is_retryable());
    // The error displays its cause itself, so it has no source to print a second time.
    assert!(err.source().is_none());

    let xml = b"<AttachInstanceRamRoleResponse>\n  <TotalCount>three</TotalCount>\n</AttachInstanceRamRoleResponse>";
    let err = ResponseDecoder::new(Action::AttachInstanceRamRole)
        .decode(200, Some("text/xml"), xml)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "type_mismatch: TotalCount: expected a number, found \"three\" at line 2 column 3 (byte 34)"
    );

    // Nested: the innermost field.
    let body =
        br#"{"AttachInstanceRamRoleResults":{"AttachInstanceRamRoleResult":[{"Success":"yes"}]}}"#;
    let err = ResponseDecoder::new(Action::AttachInstanceRamRole)
        .decode(200, None, body)
        .unwrap_err();
    assert_eq!(
        err.decode_error().and_then(DecodeError::field),
        Some("Success")
    );
}

#[test]
fn service_errors_print_once() {
    let body = br#"{"RequestId":"R1","Code":"InvalidRamRole.NotFound","Message":"The specified RAMRoleName does not exist."}"#;
    let err = ResponseDecoder::new(Action::AttachInstanceRamRole)
        .decode(404, Some("application/json"), body)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the service answered HTTP 404 InvalidRamRole.NotFound: The specified RAMRoleName does not exist. (RequestId R1)"
    );
    assert!(err.source().is_none());
}

#[test]
fn loose_parameters_follow_the_schema() {
    let from_params = |params: Vec<(&str, ParamValue)>| {
        Request::from_params(Action::DetachInstanceRamRole, params)
    };
    let ids = || ParamValue::InstanceIds(InstanceIds::new(["i-1"]).unwrap());
    let ok = from_params(vec![
        ("RegionId", ParamValue::Text("cn-hangzhou".into())),
        ("InstanceIds", ids()),
        ("OwnerId", ParamValue::Integer(7)),
    ])
    .unwrap();
    let Request::Detach(detach) = &ok else {
        panic!("{ok:?}")
    };
    assert_eq!(detach.owner_id(), Some(7));
    type Params = Vec<(&'static str, ParamValue)>;
    #[rustfmt::skip]
    let table: Vec<(Params, RequestErrorKind, &str)> = vec![
        (vec![("Policy", ParamValue::Text("p".into()))], RequestErrorKind::Unknown, "Policy"),
        (vec![("RegionId", ParamValue::Integer(1))], RequestErrorKind::TypeMismatch, "RegionId"),
        (vec![("OwnerId", ParamValue::Text("7".into()))], RequestErrorKind::TypeMismatch, "OwnerId"),
        (vec![("OwnerId", ParamValue::Integer(1 << 63)), ("InstanceIds", ids()), ("RegionId", ParamValue::Text("r".into()))],
         RequestErrorKind::OutOfRange, "OwnerId"),
        // Checked in declaration order: RegionId before OwnerId.
        (vec![("OwnerId", ParamValue::Integer(1 << 63)), ("InstanceIds", ids())], RequestErrorKind::Missing, "RegionId"),
    ];
    for (params, kind, param) in table {
        let err = from_params(params).unwrap_err();
        assert_eq!((err.kind(), err.param()), (kind, param), "{err}");
    }
    // The builders' loose setters take `Option`s.
    let built = DetachInstanceRamRole::builder()
        .set_region_id(Some("cn-hangzhou".into()))
        .set_instance_ids(InstanceIds::new(["i-1"]).ok())
        .set_ram_role_name(None)
        .build()
        .unwrap();
    assert_eq!(built.ram_role_name(), None);
}
