//! Shared checks for the ecs-ramrole fuzz targets.
//!
//! Every target feeds untrusted bytes to one public entry point and must never panic
//! (beyond the assertions here). Where a cheap property holds for every input, it is
//! asserted, so that libFuzzer reports a violation as a crash:
//!
//! - a decoded response re-encodes with `to_json` (and `to_xml` when it succeeds) to a
//!   body that decodes to an equal value, in the other format too;
//! - a decoded error body re-encodes the same way (XML keeps `AccessDeniedDetail`
//!   values as text, as `ServiceError::to_xml` documents);
//! - a parsed query re-encodes to a query that parses to the same request, and a request
//!   signed here verifies under the same method and secret, and not under the other;
//! - every error position lies inside the input;
//! - the adapter's verdicts follow protocol 1, and a request verdict is one the server
//!   side decodes as sent and (when signed) verifies with the envelope's secret.

use ecs_ramrole::{
    AccessKeySecret, Action, Credentials, DecodeError, DecodeErrorKind, EncodeOptions, ErrorCode,
    IncomingRequest, Limits, Method, Nonce, Response, ResponseDecoder, ResponseError, ServiceError,
    Timestamp,
};
use serde_json::Value;

/// Both operations: every response body is tried as each.
pub const ACTIONS: [Action; 2] = [Action::AttachInstanceRamRole, Action::DetachInstanceRamRole];

/// Content types used for the re-decode checks.
pub const JSON_TYPE: &str = "application/json;charset=utf-8";
/// Content types used for the re-decode checks.
pub const XML_TYPE: &str = "text/xml;charset=UTF-8";

/// The fixed secret `request_query` verifies and signs with. Unlikely enough that a
/// fuzzed query does not hold it by chance (the leak check is skipped if one does).
pub const SECRET: &str = "fz-Secret-7Qx2Lw9pKd4Vb6Nm";

/// XML 1.0 `Char` (surrogates cannot occur in a Rust `char`).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn has_non_xml_char(s: &str) -> bool {
    !s.chars().all(is_xml_char)
}

/// The conservative element-name rule of `ServiceError::to_xml`.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Every string a response carries.
fn response_strings<'r>(r: &'r Response<'_>) -> Vec<&'r str> {
    let mut out: Vec<&str> = Vec::new();
    out.extend(r.request_id.as_deref());
    out.extend(r.ram_role_name.as_deref());
    for result in r.results() {
        out.extend(result.instance_id.as_deref());
        out.extend(result.code.as_deref());
        out.extend(result.message.as_deref());
        for set in result.instance_ram_role_sets.as_deref().unwrap_or_default() {
            out.extend(set.instance_id.as_deref());
            out.extend(set.ram_role_name.as_deref());
        }
    }
    out
}

/// Checks a decode error's position against the body it came from.
pub fn check_decode_error(e: &DecodeError, body: &[u8]) {
    assert!(
        e.offset() <= body.len(),
        "error offset {} past the end of a {}-byte body: {e}",
        e.offset(),
        body.len()
    );
    let before = &body[..e.offset()];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(e.line(), line, "line of offset {}: {e}", e.offset());
    assert!(e.column() >= 1, "column is 1-based: {e}");
    let shown = e.to_string();
    assert!(shown.starts_with(e.kind().as_str()), "{shown}");
}

/// Properties of a successfully decoded response.
pub fn check_response(action: Action, response: &Response<'_>) {
    assert_eq!(response.action, action);
    let _ = response.fail_count_agrees();
    let _ = response.failed().count();
    let _ = format!("{response:?}");
    if action == Action::AttachInstanceRamRole {
        assert!(
            response
                .results()
                .iter()
                .all(|r| r.instance_ram_role_sets.is_none()),
            "an AttachInstanceRamRole result has InstanceRamRoleSets"
        );
    }
    assert_eq!(
        &response.clone().into_owned(),
        response,
        "into_owned changed the value"
    );

    let decoder = ResponseDecoder::new(action);

    // to_json: valid JSON, and it decodes back to the same value.
    let json = response.to_json();
    if let Err(e) = serde_json::from_str::<Value>(&json) {
        panic!("to_json wrote invalid JSON ({e}): {json}");
    }
    match decoder.decode(200, Some(JSON_TYPE), json.as_bytes()) {
        Ok(back) => assert_eq!(&back, response, "to_json did not round-trip: {json}"),
        Err(e) => panic!("to_json output does not decode ({e}): {json}"),
    }

    // to_xml: fails only for a character XML 1.0 cannot carry; otherwise round-trips.
    match response.to_xml() {
        Ok(xml) => match decoder.decode(200, Some(XML_TYPE), xml.as_bytes()) {
            Ok(back) => assert_eq!(&back, response, "to_xml did not round-trip: {xml}"),
            Err(e) => panic!("to_xml output does not decode ({e}): {xml}"),
        },
        Err(e) => assert!(
            response_strings(response).into_iter().any(has_non_xml_char),
            "to_xml failed ({e}) although every string is XML 1.0 text: {response:?}"
        ),
    }
}

/// Decodes `body` as a 2xx response of `action` and checks what comes out, then again
/// under small limits; returns the decode error's kind (default limits), if any.
pub fn decode_success(
    action: Action,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), DecodeErrorKind> {
    let decoded = ResponseDecoder::new(action).decode(200, content_type, body);
    let outcome = match &decoded {
        Ok(response) => {
            check_response(action, response);
            Ok(())
        }
        Err(ResponseError::Decode(e)) => {
            check_decode_error(e, body);
            Err(e.kind())
        }
        Err(ResponseError::Service(e)) => panic!("status 200 gave a service error: {e}"),
    };
    check_tight(action, content_type, body, &decoded);
    outcome
}

/// Small limits chosen by the last two bytes of the input, so that short inputs reach
/// every limit: depth 1 to 8, 0 to 3 items, strings of 0 to 127 bytes, bodies of 64 to
/// 8192 bytes.
pub fn tight_limits(data: &[u8]) -> Limits {
    let a = data.last().copied().unwrap_or(0);
    let b = data.len().checked_sub(2).map_or(0, |i| data[i]);
    Limits::default()
        .with_max_body_bytes(64 << (b & 7))
        .with_max_depth(1 + usize::from(a & 7))
        .with_max_items(usize::from((a >> 3) & 3))
        .with_max_string_bytes((1 << ((a >> 5) & 7)) - 1)
}

/// Limits only refuse: under smaller limits a body decodes to the same value or fails
/// with `limit_exceeded`, and any other failure is the one the defaults give. What does
/// decode respects the limits.
fn check_tight(
    action: Action,
    content_type: Option<&str>,
    body: &[u8],
    default: &Result<Response<'_>, ResponseError>,
) {
    let limits = tight_limits(body);
    let tight = ResponseDecoder::new(action)
        .limits(limits)
        .decode(200, content_type, body);
    match tight {
        Ok(response) => {
            match default {
                Ok(d) => assert_eq!(&response, d, "the limits {limits:?} changed the value"),
                Err(e) => panic!("decodes under {limits:?} but not under the defaults: {e}"),
            }
            assert!(body.len() <= limits.max_body_bytes);
            assert!(response.results().len() <= limits.max_items, "{limits:?}");
            for result in response.results() {
                let sets = result.instance_ram_role_sets.as_deref().unwrap_or_default();
                assert!(sets.len() <= limits.max_items, "{limits:?}");
            }
            for s in response_strings(&response) {
                assert!(s.len() <= limits.max_string_bytes, "{limits:?}: {s:?}");
            }
        }
        Err(ResponseError::Decode(e)) => {
            check_decode_error(&e, body);
            if e.kind() != DecodeErrorKind::LimitExceeded {
                match default {
                    Err(ResponseError::Decode(d)) => {
                        assert_eq!(&e, d, "the limits {limits:?} changed the error")
                    }
                    _ => panic!("fails under {limits:?} ({e}) but not as limit_exceeded"),
                }
            }
        }
        Err(ResponseError::Service(e)) => panic!("status 200 gave a service error: {e}"),
    }
}

/// What `ServiceError::to_xml` then an XML decode give: detail values become text.
fn through_xml(e: &ServiceError) -> ServiceError {
    let mut expected = e.clone();
    expected.access_denied_detail = e.access_denied_detail.as_ref().map(|detail| {
        detail
            .iter()
            .map(|(k, v)| (k, v.to_xml_text().to_owned()))
            .collect()
    });
    expected
}

/// Properties of a decoded error body.
pub fn check_service_error(decoder: &ResponseDecoder, status: u16, e: &ServiceError) {
    assert_eq!(e.http_status, status);
    let _ = e.is_retryable();
    let _ = e.server_string_to_sign();
    let _ = e.to_string();
    if let Some(code) = &e.code {
        assert_eq!(
            &ErrorCode::parse(code.as_str()),
            code,
            "ErrorCode does not round-trip"
        );
    }

    let json = e.to_json();
    // Syntax only: a detail number kept verbatim may be beyond f64 (JSON allows it;
    // serde_json's Value does not).
    if let Err(err) = serde_json::from_str::<Box<serde_json::value::RawValue>>(&json) {
        panic!("ServiceError::to_json wrote invalid JSON ({err}): {json}");
    }
    let back = decoder.decode_error(status, Some(JSON_TYPE), json.as_bytes());
    assert_eq!(&back, e, "ServiceError::to_json did not round-trip: {json}");

    let expected = through_xml(e);
    let strings = [
        &expected.message,
        &expected.request_id,
        &expected.host_id,
        &expected.recommend,
    ];
    let mut texts: Vec<&str> = strings.iter().filter_map(|s| s.as_deref()).collect();
    texts.extend(expected.code.as_ref().map(ErrorCode::as_str));
    let detail = expected.access_denied_detail.iter().flat_map(|d| d.iter());
    texts.extend(detail.clone().filter_map(|(_, v)| v.as_str()));
    match e.to_xml() {
        Ok(xml) => {
            // Text fields over the string limit are refused on the way back in (a JSON
            // detail map is not bounded by it): nothing to compare then.
            let limit = Limits::default().max_string_bytes;
            if texts.iter().all(|t| t.len() <= limit) {
                let back = decoder.decode_error(status, Some(XML_TYPE), xml.as_bytes());
                assert_eq!(
                    back, expected,
                    "ServiceError::to_xml did not round-trip: {xml}"
                );
            }
        }
        Err(err) => assert!(
            texts.iter().any(|t| has_non_xml_char(t))
                || detail.clone().any(|(k, _)| !is_xml_name(k)),
            "ServiceError::to_xml failed ({err}) although everything is XML text: {e:?}"
        ),
    }
}

/// A non-2xx status: `decode` gives the service error, the same as `decode_error`.
pub fn decode_failure(
    decoder: &ResponseDecoder,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) {
    assert!(!(200..=299).contains(&status));
    let direct = decoder.decode_error(status, content_type, body);
    match decoder.decode(status, content_type, body) {
        Err(ResponseError::Service(e)) => {
            assert_eq!(*e, direct, "decode and decode_error disagree")
        }
        Ok(_) => panic!("status {status} decoded as a success"),
        Err(ResponseError::Decode(e)) => panic!("status {status} gave a decode error: {e}"),
    }
    check_service_error(decoder, status, &direct);

    // Under small limits: the same error, or the status alone.
    let limits = tight_limits(body);
    let tight = decoder
        .limits(limits)
        .decode_error(status, content_type, body);
    assert!(
        tight == direct || tight == ServiceError::status_only(status),
        "the limits {limits:?} changed the error body: {tight:?} vs {direct:?}"
    );
}

fn other(method: Method) -> Method {
    match method {
        Method::Get => Method::Post,
        Method::Post => Method::Get,
    }
}

/// `IncomingRequest::parse`, `verify`, and the encode/parse and sign/verify round trips.
pub fn check_query(query: &str) {
    let secret = AccessKeySecret::new(SECRET).expect("non-empty secret");
    let incoming = match IncomingRequest::parse(query) {
        Ok(incoming) => incoming,
        Err(e) => {
            if let Some(at) = e.offset() {
                assert!(
                    at <= query.len(),
                    "error offset {at} past a {}-byte query: {e}",
                    query.len()
                );
            }
            let _ = (e.code(), e.to_string(), format!("{e:?}"));
            return;
        }
    };
    let _ = incoming.unrecognized().count();
    let _ = incoming.params().count();
    for method in [Method::Get, Method::Post] {
        if let Err(e) = incoming.verify(method, &secret) {
            let shown = format!("{e} {e:?}");
            assert!(
                query.contains(SECRET) || !shown.contains(SECRET),
                "verify leaked the secret: {shown}"
            );
        }
    }

    // Re-encode: the query parses back to the same request and format, with no stray
    // parameter, and encoding that again gives the same bytes.
    let request = incoming.request();
    let options = EncodeOptions::new(Method::Post, incoming.format());
    let encoded = request.encode(&options);
    let again = match IncomingRequest::parse(encoded.query()) {
        Ok(again) => again,
        Err(e) => panic!("re-encoded query does not parse ({e}): {}", encoded.query()),
    };
    assert_eq!(
        again.request(),
        request,
        "encode/parse changed the request: {}",
        encoded.query()
    );
    assert_eq!(again.format(), incoming.format());
    assert_eq!(again.unrecognized().count(), 0, "{}", encoded.query());
    assert_eq!(
        again.request().encode(&options).query(),
        encoded.query(),
        "encoding is not stable"
    );

    // Sign here: the signed query parses to the same request and verifies under the same
    // method and secret only.
    let credentials = Credentials::new("fz-key-id", secret.clone()).expect("key id");
    let timestamp = Timestamp::parse("2016-02-23T12:46:24Z").expect("timestamp");
    let nonce = Nonce::new("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf").expect("nonce");
    for method in [Method::Get, Method::Post] {
        let options = EncodeOptions::new(method, incoming.format());
        let signed = request.sign(&options, &credentials, &timestamp, &nonce);
        assert!(signed
            .query()
            .starts_with(signed.stages().canonical_query()));
        let back = match IncomingRequest::parse(signed.query()) {
            Ok(back) => back,
            Err(e) => panic!("signed query does not parse ({e}): {}", signed.query()),
        };
        assert_eq!(
            back.request(),
            request,
            "sign/parse changed the request: {}",
            signed.query()
        );
        if let Err(e) = back.verify(method, &secret) {
            panic!(
                "own {method:?} signature does not verify ({e}): {}",
                signed.query()
            );
        }
        assert!(
            back.verify(other(method), &secret).is_err(),
            "signature ignores the method"
        );
        if !query.contains(SECRET) {
            assert!(
                !signed.query().contains(SECRET),
                "the secret is in the query"
            );
        }
    }
}

const OUTCOMES: &[&str] = &[
    "request",
    "signature",
    "output",
    "service_error",
    "accepted",
    "reject",
    "unsupported",
];
const REJECT_KINDS: &[&str] = &[
    "missing_required",
    "constraint_violation",
    "type_mismatch",
    "malformed_body",
    "unexpected_shape",
    "forbidden_construct",
    "limit_exceeded",
    "unsupported_encoding",
];

/// `adapter::handle`, and protocol 1's shape of what it answers.
pub fn check_envelope(data: &[u8]) {
    let verdict = match ecs_ramrole::conformance::adapter::handle(data) {
        Ok(verdict) => verdict,
        Err(why) => {
            assert!(
                !why.to_string().is_empty(),
                "an empty reason for no verdict"
            );
            return;
        }
    };
    let outcome = verdict.get("outcome").and_then(Value::as_str);
    let Some(outcome) = outcome.filter(|o| OUTCOMES.contains(o)) else {
        panic!("verdict without a protocol-1 outcome: {verdict}");
    };
    let text = |key: &str| verdict.get(key).and_then(Value::as_str);
    match outcome {
        "reject" => {
            let kind = text("reject_kind").unwrap_or_default();
            assert!(
                REJECT_KINDS.contains(&kind),
                "unknown reject kind: {verdict}"
            );
            assert!(
                text("message").is_some(),
                "reject without a message: {verdict}"
            );
        }
        "output" => assert!(verdict["value"].is_object(), "{verdict}"),
        "service_error" => {
            assert!(verdict["error"]["http_status"].is_u64(), "{verdict}");
            let status = verdict["error"]["http_status"].as_u64().unwrap_or_default();
            assert!(
                !(200..=299).contains(&status),
                "a 2xx service error: {verdict}"
            );
        }
        "signature" => {
            // V1 names its canonical query, V3 its canonical request.
            let canonical = if verdict.get("canonical_request").is_some() {
                "canonical_request"
            } else {
                "canonical_query"
            };
            for key in [canonical, "string_to_sign", "signature"] {
                assert!(text(key).is_some(), "{verdict}");
            }
        }
        "accepted" => {
            assert!(text("operation").is_some(), "{verdict}");
            assert!(
                matches!(text("signature_version"), Some("1.0" | "ACS3-HMAC-SHA256")),
                "{verdict}"
            );
            assert!(verdict["params"].is_object(), "{verdict}");
        }
        "request" => check_request_verdict(data, &verdict),
        _ => {}
    }
}

/// A request verdict is one the server side accepts as sent (method, query, headers and
/// body: V3 puts the action in a header and may put the parameters in the body), and
/// verifies when signed.
fn check_request_verdict(data: &[u8], verdict: &Value) {
    use ecs_ramrole::HttpRequest;

    let method = verdict.get("method").and_then(Value::as_str);
    let Some(method) = method.filter(|m| m.parse::<Method>().is_ok()) else {
        panic!("request verdict without GET/POST: {verdict}")
    };
    let Some(query) = verdict.get("query").and_then(Value::as_str) else {
        panic!("request verdict without a query: {verdict}")
    };
    let headers: Vec<(&str, &str)> = verdict
        .get("headers")
        .and_then(Value::as_array)
        .map(|pairs| {
            pairs
                .iter()
                .map(|pair| match (pair[0].as_str(), pair[1].as_str()) {
                    (Some(name), Some(value)) => (name, value),
                    _ => panic!("a header that is not a [name, value] pair: {verdict}"),
                })
                .collect()
        })
        .unwrap_or_default();
    let body = verdict.get("body").and_then(Value::as_str).unwrap_or("");
    let http = HttpRequest::new(method, "/", query, &headers, body.as_bytes());

    let envelope: Value = serde_json::from_slice(data).expect("handle parsed it");
    let signing = &envelope["input"]["context"]["signing"];
    let stages = &verdict["stages"];
    let incoming = if let Some(secret) = signing.get("access_key_secret").and_then(Value::as_str) {
        let secret = AccessKeySecret::new(secret).expect("the adapter accepted it");
        let incoming = match IncomingRequest::from_http(&http, |_| Some(secret.clone())) {
            Ok(incoming) => incoming,
            Err(e) => panic!("the adapter's signed request does not verify ({e}): {verdict}"),
        };
        if headers.is_empty() {
            // V1: the signed query leads the wire query, the signature after it.
            let canonical = stages["canonical_query"].as_str().unwrap_or("\u{0}");
            assert!(query.starts_with(canonical), "{verdict}");
        } else {
            assert!(stages["canonical_request"].is_string(), "{verdict}");
        }
        incoming
    } else {
        assert_eq!(stages["canonical_query"].as_str(), Some(query), "{verdict}");
        match IncomingRequest::from_http_unverified(&http) {
            Ok(incoming) => incoming,
            Err(e) => panic!("the adapter built a query the server side refuses ({e}): {query}"),
        }
    };
    assert_eq!(incoming.unrecognized().count(), 0, "{verdict}");
}

/// The decoder `error_body` uses, and the status and content type, from the first byte:
/// bits 0-2 pick the content type, bits 3-4 the requested format, bits 5-7 the status.
pub fn error_setup(selector: u8) -> (ResponseDecoder, u16, Option<&'static str>) {
    const TYPES: [Option<&str>; 8] = [
        Some("text/xml;charset=UTF-8"),
        Some("application/json;charset=utf-8"),
        None,
        Some("text/html"),
        Some("application/xml"),
        Some("text/json"),
        Some("text/plain"),
        Some(""),
    ];
    const STATUSES: [u16; 8] = [400, 403, 404, 500, 503, 302, 100, 0];
    let requested = match (selector >> 3) & 3 {
        1 => Some(ecs_ramrole::Format::Json),
        2 => Some(ecs_ramrole::Format::Xml),
        _ => None,
    };
    let decoder = ResponseDecoder::new(Action::AttachInstanceRamRole).requested_format(requested);
    (
        decoder,
        STATUSES[usize::from(selector >> 5)],
        TYPES[usize::from(selector & 7)],
    )
}

/// JSON bodies: the decoder is strict RFC 8259 (after a BOM), so success means serde_json
/// accepts the text, and a syntax rejection means it does not.
pub fn check_json_agreement(body: &[u8], outcome: Result<(), DecodeErrorKind>) {
    let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let plain = || serde_json::from_slice::<Value>(text).is_ok();
    match outcome {
        Ok(()) => assert!(plain(), "decoded a body serde_json refuses"),
        Err(DecodeErrorKind::MalformedBody) => {
            assert!(!plain(), "malformed_body for text serde_json accepts")
        }
        Err(_) => {}
    }
}

/// The state `service_request` serves: the corpus's incoming cases' key (`testid` /
/// `testsecret`) and instances their requests name.
pub const SERVICE_STATE: &str = r#"{
  "instances": [
    {"region": "cn-hangzhou", "id": "i-1"},
    {"region": "cn-hangzhou", "id": "i-2", "ram_role": "Other"},
    {"region": "cn-hangzhou", "id": "i-3", "network_type": "classic"}
  ],
  "roles": [{"name": "EcsRole"}, {"name": "Other"}, {"name": "NotEcs", "ecs_trusted": false}],
  "access_keys": [{"id": "testid", "secret": "testsecret"}]
}"#;

/// The corpus's incoming cases are signed at 2016-02-23T12:46:24Z.
pub const SERVICE_NOW: i64 = 1_456_231_584;

/// The fault rules `service_request` can turn on (flags bits 1-2).
const SERVICE_FAULTS: [&str; 4] = [
    "[]",
    r#"[{"operation": "AttachInstanceRamRole", "every": true, "fault": {"kind": "throttle"}}]"#,
    r#"[{"every": true, "fault": {"kind": "truncated"}}]"#,
    r#"[{"probability": 0.5, "fault": {"kind": "status", "status": 503, "code": "ServiceUnavailable"}}]"#,
];

/// `Service::handle` on a fuzzed HTTP request. The input is a flags byte (bit 0: do not
/// verify; bits 1-2: a fault rule set; bits 3-7: the fault draw), then method, path,
/// query, headers (`name: value` lines) and body, separated by NUL bytes.
///
/// Asserted, the admin endpoints (`/_mock/`) aside: a status between 100 and 599; an
/// answer other than 200 leaves the state as it was; a JSON answer (faults aside) is JSON; one request in the log; the secret
/// nowhere in the log; and, verifying, the same request accepted twice only once (the
/// second is a replay).
pub fn check_service(data: &[u8]) {
    use ecs_ramrole::service::{FaultRule, Options, Service, State};
    use ecs_ramrole::HttpRequest;

    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.split(|&b| b == 0);
    let mut text = || String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let (method, path, query, headers) = (text(), text(), text(), text());
    let body = parts.next().unwrap_or_default();
    let headers: Vec<(&str, &str)> = headers
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim(), v.trim()))
        .collect();
    let verify = flags & 1 == 0;
    let faults = SERVICE_FAULTS[usize::from((flags >> 1) & 3)];
    let draw = f64::from(flags >> 3) / 32.0;

    let state = State::from_json(SERVICE_STATE).expect("the fixed state is valid");
    let mut service = Service::new(state, Vec::new(), Options::default().with_verify(verify));
    service.set_faults(FaultRule::list_from_json(faults).expect("the fixed rules are valid"));
    let http = HttpRequest::new(&method, &path, &query, &headers, body);
    let before = service.state().to_json();
    let answer = service.handle(&http, SERVICE_NOW, &mut || draw);
    assert!(
        (100..=599).contains(&answer.status),
        "status {}",
        answer.status
    );
    if path.starts_with("/_mock/") {
        // The admin endpoints change what they are told to and are not logged.
        assert_eq!(service.requests().len(), 0);
        return;
    }
    if answer.status != 200 {
        assert_eq!(before, service.state().to_json(), "refused, yet changed");
    }
    let faulted = faults != "[]";
    if !faulted
        && answer
            .header("content-type")
            .is_some_and(|t| t.contains("json"))
    {
        let parsed = serde_json::from_slice::<Value>(&answer.body);
        assert!(
            parsed.is_ok(),
            "not JSON: {:?}",
            String::from_utf8_lossy(&answer.body)
        );
    }
    assert_eq!(service.requests().len(), 1);
    // The record's own strings, not its JSON (where a tab before "estsecret" would read
    // as "\testsecret").
    let record = service.requests().next().expect("one record");
    let mut recorded = vec![&record.method, &record.path, &record.query];
    recorded.extend(record.headers.iter().flat_map(|(n, v)| [n, v]));
    recorded.extend(record.form.as_ref());
    let sent_secret = String::from_utf8_lossy(data).contains("testsecret");
    assert!(
        sent_secret || !recorded.iter().any(|t| t.contains("testsecret")),
        "secret in the log"
    );
    let accepted = answer.status == 200 && answer.code.is_none() && !answer.close;
    if verify && accepted && !faulted {
        let again = service.handle(&http, SERVICE_NOW, &mut || draw);
        assert_eq!(
            again.code.as_deref(),
            Some("SignatureNonceUsed"),
            "replay accepted"
        );
    }
}
