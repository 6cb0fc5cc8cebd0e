//! The server side over HTTP parts: V1 and V3 requests decoded and verified, every
//! failing step answered with the service's code, tampering caught.

use ecs_ramrole::*;
use proptest::prelude::*;

const SECRET: &str = "testsecret";

fn keys(id: &str) -> Option<AccessKeySecret> {
    (id == "testid").then(|| AccessKeySecret::new(SECRET).unwrap())
}

/// A signed request as the parts a server receives.
struct Wire {
    method: &'static str,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Wire {
    fn from_signed(signed: &SignedRequest) -> Self {
        Self {
            method: signed.method().as_str(),
            query: signed.query().to_owned(),
            headers: signed.headers().to_vec(),
            body: signed.body().as_bytes().to_vec(),
        }
    }

    fn decode(&self) -> Result<IncomingRequest, RequestError> {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let http = HttpRequest::new(self.method, "/", &self.query, &headers, &self.body);
        IncomingRequest::from_http(&http, keys)
    }

    fn set_header(&mut self, name: &str, value: Option<&str>) {
        self.headers.retain(|(n, _)| n != name);
        if let Some(value) = value {
            self.headers.push((name.into(), value.into()));
        }
    }
}

fn credentials(token: Option<&str>) -> Credentials {
    let creds = Credentials::new("testid", AccessKeySecret::new(SECRET).unwrap()).unwrap();
    match token {
        Some(token) => creds.with_security_token(token).unwrap(),
        None => creds,
    }
}

fn sign(request: &Request, options: &EncodeOptions, token: Option<&str>) -> SignedRequest {
    request.sign(
        options,
        &credentials(token),
        &"2016-02-23T12:46:24Z".parse().unwrap(),
        &Nonce::new("3156853299f313e23d1673dc12e1703d").unwrap(),
    )
}

fn attach() -> Request {
    AttachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .ram_role_name("角色 a+b")
        .instance_ids(InstanceIds::new(["i-1", "i-2"]).unwrap())
        .policy("{\"Statement\": []}")
        .owner_id(7)
        .build()
        .unwrap()
        .into()
}

fn every_option() -> Vec<EncodeOptions> {
    let v3 = |method| EncodeOptions::v3(method, Some(Format::Xml));
    vec![
        EncodeOptions::default(),
        EncodeOptions::new(Method::Get, None),
        v3(Method::Get),
        v3(Method::Post),
        v3(Method::Post).with_placement(Placement::Body).unwrap(),
    ]
}

#[test]
fn signed_requests_come_back_as_they_were_built() {
    for options in every_option() {
        for token in [None, Some("STS.token")] {
            let signed = sign(&attach(), &options, token);
            let incoming = Wire::from_signed(&signed).decode().unwrap();
            assert_eq!(incoming.request(), &attach(), "{options:?}");
            assert_eq!(incoming.format(), options.format());
            let signer = incoming.signer().unwrap();
            assert_eq!(signer.algorithm(), options.algorithm());
            assert_eq!(
                (signer.access_key_id(), signer.nonce()),
                ("testid", "3156853299f313e23d1673dc12e1703d")
            );
            assert_eq!(signer.timestamp().as_str(), "2016-02-23T12:46:24Z");
            assert_eq!(signer.security_token(), token);
            assert!(!format!("{incoming:?}").contains("STS.token"));
        }
    }
}

/// The V1 parameters may arrive in a form body, as pop-core posts them.
#[test]
fn v1_parameters_in_a_form_body() {
    let signed = sign(&attach(), &EncodeOptions::default(), None);
    let mut wire = Wire::from_signed(&signed);
    wire.set_header("Content-Type", Some("application/x-www-form-urlencoded"));
    wire.body = std::mem::take(&mut wire.query).into_bytes();
    assert_eq!(wire.decode().unwrap().request(), &attach());
    // A media type matches in any case, with parameters after it and space before it.
    for form in [
        "Application/X-WWW-Form-URLEncoded",
        " application/x-www-form-urlencoded; charset=UTF-8",
    ] {
        wire.set_header("Content-Type", Some(form));
        assert_eq!(wire.decode().unwrap().request(), &attach(), "{form}");
    }
    // Anything else is not a form: the parameters are not read from the body.
    wire.set_header("Content-Type", Some("application/x-www-form"));
    let err = wire.decode().unwrap_err();
    assert_eq!((err.code(), err.status()), ("MissingParameter.Action", 400));
    wire.set_header("Content-Type", Some("application/x-www-form-urlencoded"));
    // Split between the two, but never the same parameter in both.
    let (first, rest) = signed.query().split_once('&').unwrap();
    wire.query = first.to_owned();
    wire.body = rest.as_bytes().to_vec();
    assert_eq!(wire.decode().unwrap().request(), &attach());
    wire.query = rest.split('&').next().unwrap().to_owned();
    let err = wire.decode().unwrap_err();
    assert_eq!((err.code(), err.status()), ("InvalidParameter", 400));
}

/// One line per failing step of the procedure in corpus/README.md: what is done to a
/// correctly signed request, and the service's answer.
#[test]
fn every_failing_step_gets_the_service_code() {
    type Edit = fn(&mut Wire);
    type Row = (&'static str, fn() -> Wire, Edit, u16, &'static str);
    let v1 = || Wire::from_signed(&sign(&attach(), &EncodeOptions::default(), None));
    let v3 = || {
        Wire::from_signed(&sign(
            &attach(),
            &EncodeOptions::v3(Method::Post, None),
            None,
        ))
    };
    let v3_body = || {
        let options = EncodeOptions::v3(Method::Post, None).with_placement(Placement::Body);
        Wire::from_signed(&sign(&attach(), &options.unwrap(), None))
    };
    fn replace(w: &mut Wire, from: &str, to: &str) {
        assert!(w.query.contains(from), "{from} in {}", w.query);
        w.query = w.query.replacen(from, to, 1);
    }
    #[rustfmt::skip]
    let table: Vec<Row> = vec![
        ("v1 tampered value", v1, |w| replace(w, "RegionId=cn-hangzhou", "RegionId=cn-beijing"), 400, "SignatureDoesNotMatch"),
        ("v1 duplicated parameter", v1, |w| w.query.push_str("&RegionId=cn-hangzhou"), 400, "InvalidParameter"),
        ("v1 bad escape", v1, |w| w.query.push_str("&X=%G1"), 400, "InvalidParameter"),
        ("v1 not UTF-8", v1, |w| w.query.push_str("&X=%FF"), 400, "InvalidParameter"),
        ("v1 no Action", v1, |w| replace(w, "Action=AttachInstanceRamRole&", ""), 400, "MissingParameter.Action"),
        ("v1 other Action", v1, |w| replace(w, "Action=AttachInstanceRamRole", "Action=RunInstances"), 403, "InvalidAction"),
        ("v1 other Version", v1, |w| replace(w, "Version=2014-05-26", "Version=2016-01-01"), 400, "InvalidParameter"),
        ("v1 no Signature", v1, |w| w.query.truncate(w.query.find("&Signature=").unwrap()), 400, "IncompleteSignature"),
        ("v1 SHA-256", v1, |w| replace(w, "SignatureMethod=HMAC-SHA1", "SignatureMethod=HMAC-SHA256"), 400, "IncompleteSignature"),
        ("v1 no SignatureVersion", v1, |w| replace(w, "SignatureVersion=1.0&", ""), 400, "MissingParameter.SignatureVersion"),
        ("v1 unknown key", v1, |w| replace(w, "AccessKeyId=testid", "AccessKeyId=other"), 400, "InvalidAccessKeyId.NotFound"),
        ("v1 no nonce", v1, |w| replace(w, "SignatureNonce=3156853299f313e23d1673dc12e1703d&", ""), 400, "MissingParameter.SignatureNonce"),
        ("v1 bad timestamp", v1, |w| replace(w, "2016-02-23T12%3A46%3A24Z", "2016-02-30T12%3A46%3A24Z"), 400, "IllegalTimestamp"),
        ("v1 no timestamp", v1, |w| replace(w, "Timestamp=2016-02-23T12%3A46%3A24Z&", ""), 400, "MissingParameter.Timestamp"),
        ("v3 tampered value", v3, |w| replace(w, "RegionId=cn-hangzhou", "RegionId=cn-beijing"), 400, "SignatureDoesNotMatch"),
        ("v3 not ACS3", v3, |w| w.set_header("authorization", Some("HMAC x")), 400, "IncompleteSignature"),
        ("v3 no action", v3, |w| w.set_header("x-acs-action", None), 400, "MissingParameter.Action"),
        ("v3 other action", v3, |w| w.set_header("x-acs-action", Some("RunInstances")), 403, "InvalidAction"),
        ("v3 no version", v3, |w| w.set_header("x-acs-version", None), 400, "MissingParameter.Version"),
        ("v3 with V1 parameters", v3, |w| w.query.push_str("&SignatureMethod=HMAC-SHA1"), 400, "InvalidParameter"),
        ("v3 no date", v3, |w| w.set_header("x-acs-date", None), 400, "IncompleteSignature"),
        ("v3 no host", v3, |w| w.set_header("host", None), 400, "IncompleteSignature"),
        ("v3 unsigned x-acs header", v3, |w| w.set_header("x-acs-extra", Some("1")), 400, "IncompleteSignature"),
        ("v3 unsigned content-type", v3, |w| w.set_header("content-type", Some("text/plain")), 400, "IncompleteSignature"),
        ("v3 bad date", v3, |w| w.set_header("x-acs-date", Some("2016-02-23 12:46:24")), 400, "IllegalTimestamp"),
        ("v3 tampered body", v3_body, |w| w.body[0] ^= 1, 400, "SignatureDoesNotMatch"),
        ("v3 tampered header", v3_body, |w| w.set_header("x-acs-signature-nonce", Some("other")), 400, "SignatureDoesNotMatch"),
    ];
    for (what, make, edit, status, code) in table {
        let mut wire = make();
        edit(&mut wire);
        let err = wire.decode().unwrap_err();
        assert_eq!((err.status(), err.code()), (status, code), "{what}: {err}");
        let service = err.to_service_error();
        assert_eq!(service.http_status, status);
        assert_eq!(service.code.as_ref().map(ErrorCode::as_str), Some(code));
        if code == "SignatureDoesNotMatch" {
            let sts = service.server_string_to_sign().unwrap();
            assert_eq!(Some(sts), err.server_string_to_sign(), "{what}");
            assert!(sts.starts_with(if what.starts_with("v1") {
                "POST&%2F&"
            } else {
                "ACS3-HMAC-SHA256\n"
            }));
        }
    }
}

/// A header given twice in different case merges, as the signer merges it.
#[test]
fn repeated_header_names_merge() {
    let signed = sign(&attach(), &EncodeOptions::v3(Method::Post, None), None);
    let mut wire = Wire::from_signed(&signed);
    let host = wire
        .headers
        .iter()
        .find(|(n, _)| n == "host")
        .unwrap()
        .1
        .clone();
    wire.headers.push(("Host".into(), host.clone()));
    // The signature covered `host:ecs.aliyuncs.com`; the merged line is now
    // `host:ecs.aliyuncs.com,ecs.aliyuncs.com`.
    assert_eq!(wire.decode().unwrap_err().code(), "SignatureDoesNotMatch");
}

fn tampered(wire: &Wire, at: usize) -> Wire {
    let mut out = Wire {
        method: wire.method,
        query: wire.query.clone(),
        headers: wire.headers.clone(),
        body: wire.body.clone(),
    };
    let query_len = out.query.len();
    let body_len = out.body.len();
    let flip = |b: u8| if b == b'a' { b'b' } else { b'a' };
    if at < query_len {
        let mut bytes = out.query.into_bytes();
        bytes[at] = flip(bytes[at]);
        out.query = String::from_utf8_lossy(&bytes).into_owned();
    } else if at < query_len + body_len {
        out.body[at - query_len] = flip(out.body[at - query_len]);
    } else {
        let mut left = at - query_len - body_len;
        for (_, value) in out.headers.iter_mut() {
            if left < value.len() {
                let mut bytes = std::mem::take(value).into_bytes();
                bytes[left] = flip(bytes[left]);
                *value = String::from_utf8_lossy(&bytes).into_owned();
                break;
            }
            left -= value.len();
        }
    }
    out
}

fn request() -> impl Strategy<Value = Request> {
    let text = "[a-zA-Z0-9 ~*+/=&%阿é-]{1,12}";
    (
        text,
        prop::collection::vec("[a-z0-9-]{1,10}", 1..5),
        prop::option::of(text),
        prop::option::of(0u64..=(i64::MAX as u64)),
        any::<bool>(),
    )
        .prop_map(|(region, ids, role, owner, detach)| {
            let ids = InstanceIds::new(ids).unwrap();
            if detach {
                DetachInstanceRamRole::builder()
                    .region_id(region)
                    .instance_ids(ids)
                    .set_ram_role_name(role)
                    .set_owner_id(owner)
                    .build()
                    .unwrap()
                    .into()
            } else {
                AttachInstanceRamRole::builder()
                    .region_id(region)
                    .ram_role_name(role.unwrap_or_else(|| "R".into()))
                    .instance_ids(ids)
                    .set_owner_id(owner)
                    .build()
                    .unwrap()
                    .into()
            }
        })
}

proptest! {
    #[test]
    fn v3_wire_decodes_to_the_same_request(request in request(), body in any::<bool>(), get in any::<bool>()) {
        let method = if get && !body { Method::Get } else { Method::Post };
        let mut options = EncodeOptions::v3(method, None);
        if body {
            options = options.with_placement(Placement::Body).unwrap();
        }
        let wire = Wire::from_signed(&sign(&request, &options, None));
        let incoming = wire.decode().unwrap();
        prop_assert_eq!(incoming.request(), &request);
    }

    #[test]
    fn a_tampered_byte_anywhere_is_refused(request in request(), scheme in 0..3usize, pick in any::<prop::sample::Index>()) {
        let options = match scheme {
            0 => EncodeOptions::default(),
            1 => EncodeOptions::v3(Method::Post, None),
            _ => EncodeOptions::v3(Method::Post, None).with_placement(Placement::Body).unwrap(),
        };
        let wire = Wire::from_signed(&sign(&request, &options, Some("token")));
        let len = wire.query.len() + wire.body.len()
            + wire.headers.iter().map(|(_, v)| v.len()).sum::<usize>();
        let at = pick.index(len);
        let bad = tampered(&wire, at);
        if bad.query == wire.query && bad.body == wire.body && bad.headers == wire.headers {
            return Ok(()); // the flip did not change the bytes
        }
        // Whatever the service says, it never accepts a request other than the one signed:
        // a change is accepted only when it decodes to the same parameters (`%2a` for
        // `%2A`: the signature covers the decoded parameters, not their spelling).
        if let Ok(accepted) = bad.decode() {
            let original = wire.decode().unwrap();
            let params = |r: &IncomingRequest| r.params().map(|(n, v)| (n.to_owned(), v.to_owned())).collect::<Vec<_>>();
            prop_assert_eq!(params(&accepted), params(&original), "accepted a tampered byte at {}", at);
        }
    }
}
