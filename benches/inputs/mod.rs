//! The inputs every benchmark shares: corpus bodies where the corpus has them, and bodies
//! and requests generated deterministically (no clock, no randomness) where it does not.
//! Each input's shape is written next to it.

// Each bench binary uses a different subset of these inputs.
#![allow(dead_code)]

use std::borrow::Cow;

use ecs_ramrole::{
    AccessKeySecret, Action, AttachInstanceRamRole, Credentials, EncodeOptions, InstanceIds,
    InstanceResult, Limits, Nonce, Request, Response, ResponseDecoder, SignedRequest, Timestamp,
};

/// AttachInstanceRamRole, XML, as documented: 11 lines, 2-space indented, 1 result with
/// InstanceId/Code/Message, then TotalCount, FailCount, RamRoleName. 460 bytes.
pub(crate) const ATTACH_DOC_XML: &[u8] =
    include_bytes!("../../corpus/response/AttachInstanceRamRole/xml/y_doc_example.body.xml");
/// AttachInstanceRamRole, JSON, as documented: tab-indented, keys in the documented
/// (unsorted) order, 1 result with Message/InstanceId/Code.
pub(crate) const ATTACH_DOC_JSON: &[u8] =
    include_bytes!("../../corpus/response/AttachInstanceRamRole/json/y_doc_example.body.json");
/// DetachInstanceRamRole, XML, as documented: 4-space indented, 1 result, no role sets.
pub(crate) const DETACH_DOC_XML: &[u8] =
    include_bytes!("../../corpus/response/DetachInstanceRamRole/xml/y_doc_example.body.xml");
/// DetachInstanceRamRole, JSON, the documented example with its missing braces restored:
/// 4-space indented, 1 result, no role sets.
pub(crate) const DETACH_DOC_JSON: &[u8] = include_bytes!(
    "../../corpus/response/DetachInstanceRamRole/json/y_doc_example_repaired.body.json"
);

/// An `<Error>` body as documented (protocol.md §5.1; the corpus has no error-body
/// files): XML declaration, then one line with RequestId, HostId, Code (a known code) and
/// an 82-byte Message.
pub(crate) const ERROR_XML: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Error><RequestId>540CFF28-407A-40B5-B6A5-74Bxxxxxxxxx</RequestId><HostId>ecs.aliyuncs.com</HostId><Code>InvalidRamRole.NotEcsRole</Code><Message>The specified ram role is not authorized for ecs, please check your role policy.</Message></Error>"#;
/// A JSON error body as documented: compact, RequestId, HostId, Code (unknown to the
/// crate, so kept as text), Message, a 128-byte Recommend URL.
pub(crate) const ERROR_JSON: &[u8] = br#"{"RequestId":"6BE56E05","HostId":"ecs.ap-southeast-3.aliyuncs.com","Code":"InvalidImageId.NotFound","Message":"The specified ImageId does not exist.","Recommend":"https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q=InvalidImageId.NotFound&product=Ecs&requestId=6BE56E05"}"#;

/// `n` instance IDs shaped like real ones: `i-` and 20 lowercase letters and digits,
/// from a fixed linear congruential sequence (the same IDs on every run).
pub(crate) fn instance_ids(n: usize) -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            let mut id = String::from("i-");
            for _ in 0..20 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                id.push(char::from(
                    ALPHABET[(state >> 33) as usize % ALPHABET.len()],
                ));
            }
            id
        })
        .collect()
}

/// An AttachInstanceRamRole response with `n` results: every tenth instance failed
/// (`InvalidInstanceId.NotFound`, a 39-byte message), the others `200`/`success`; the
/// counts agree with the results. No string needs escaping in either format.
pub(crate) fn attach_response(n: usize) -> Response<'static> {
    attach_response_with(n, "")
}

/// The same response with `suffix` appended to every string field (RequestId,
/// RamRoleName, and each result's InstanceId, Code, Message).
pub(crate) fn attach_response_with(n: usize, suffix: &str) -> Response<'static> {
    let owned = |text: &str| Cow::Owned(format!("{text}{suffix}"));
    let s = |text: &str| Some(owned(text));
    let results: Vec<InstanceResult<'static>> = instance_ids(n)
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            if i % 10 == 9 {
                InstanceResult::new(
                    owned(&id),
                    owned("InvalidInstanceId.NotFound"),
                    owned("The specified InstanceId does not exist."),
                )
            } else {
                InstanceResult::new(owned(&id), owned("200"), owned("success"))
            }
        })
        .collect();
    let mut response = Response::new(Action::AttachInstanceRamRole);
    response.request_id = s("D9553E4C-6C3A-4D66-AE79-9835AF705639");
    response.ram_role_name = s("RamRoleTest");
    response.total_count = Some(u32::try_from(n).expect("n fits in u32"));
    response.fail_count = Some(u32::try_from(n / 10).expect("n fits in u32"));
    response.results = Some(results);
    response
}

/// The number of string fields `attach_response(n)` carries: 2 + 3 per result.
pub(crate) fn string_fields(n: usize) -> usize {
    2 + 3 * n
}

/// A generated body, both formats.
pub(crate) struct Bodies {
    /// Compact JSON as `Response::to_json` writes it: fields in documented order.
    pub(crate) json: Vec<u8>,
    /// XML as `Response::to_xml` writes it: declaration, then one line, no indentation.
    pub(crate) xml: Vec<u8>,
}

pub(crate) fn bodies(response: &Response<'_>) -> Bodies {
    Bodies {
        json: response.to_json().into_bytes(),
        xml: response
            .to_xml()
            .expect("generated strings are XML characters")
            .into_bytes(),
    }
}

/// The decoder the benches use: AttachInstanceRamRole, with `max_items` raised past the
/// default 10,000 so the scaling body (exactly 10,000 results) is not near the limit.
pub(crate) fn attach_decoder() -> ResponseDecoder {
    ResponseDecoder::new(Action::AttachInstanceRamRole)
        .limits(Limits::default().with_max_items(100_000))
}

pub(crate) fn detach_decoder() -> ResponseDecoder {
    ResponseDecoder::new(Action::DetachInstanceRamRole)
}

/// The documented signing example's fixed inputs (protocol.md §2.1): `testid` /
/// `testsecret`, timestamp 2016-02-23T12:46:24Z, nonce 3ee8c1b8-…; POST, Format=JSON.
pub(crate) struct Signing {
    pub(crate) credentials: Credentials,
    pub(crate) timestamp: Timestamp,
    pub(crate) nonce: Nonce,
    pub(crate) options: EncodeOptions,
}

pub(crate) const SECRET: &str = "testsecret";

pub(crate) fn signing() -> Signing {
    Signing {
        credentials: Credentials::new("testid", AccessKeySecret::new(SECRET).expect("non-empty"))
            .expect("non-empty"),
        timestamp: Timestamp::parse("2016-02-23T12:46:24Z").expect("valid"),
        nonce: Nonce::new("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf").expect("non-empty"),
        options: EncodeOptions::default(),
    }
}

/// AttachInstanceRamRole in cn-hangzhou, role `EcsRamRoleDocumentTesting`, `n` IDs from
/// [`instance_ids`] (InstanceIds rendered as compact JSON: 25 bytes per ID).
pub(crate) fn attach_request(n: usize) -> Request {
    AttachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .ram_role_name("EcsRamRoleDocumentTesting")
        .instance_ids(InstanceIds::new(instance_ids(n)).expect("1 to 100 IDs"))
        .build()
        .expect("valid request")
        .into()
}

pub(crate) fn sign(request: &Request, s: &Signing) -> SignedRequest {
    request.sign(&s.options, &s.credentials, &s.timestamp, &s.nonce)
}

/// The same-run baselines: the building blocks alone, over the same bytes.
pub(crate) mod baseline {
    use std::hint::black_box;

    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use hmac::{Hmac, KeyInit, Mac};
    use quick_xml::Reader;
    use quick_xml::events::Event;
    use serde::de::{self, IgnoredAny};
    use sha1::Sha1;

    /// serde_json's validating scan: every token read, nothing built.
    pub(crate) fn json_ignored_any(body: &[u8]) {
        let _: IgnoredAny = serde_json::from_slice(body).expect("valid JSON");
    }

    /// The floor of any decoder driven by serde_json's visitors: every value visited
    /// through `deserialize_any`, every key and string borrowed as `&str` (so UTF-8
    /// checked), nothing kept. A typed decoder does this plus its own work.
    pub(crate) fn json_borrow_every_string(body: &[u8]) {
        let mut de = serde_json::Deserializer::from_slice(body);
        de::DeserializeSeed::deserialize(Walk, &mut de).expect("valid JSON");
        de.end().expect("nothing after the value");
    }

    struct Walk;

    impl<'de> de::DeserializeSeed<'de> for Walk {
        type Value = ();
        fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(Walk)
        }
    }

    impl<'de> de::Visitor<'de> for Walk {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_borrowed_str<E>(self, s: &'de str) -> Result<(), E> {
            black_box(s);
            Ok(())
        }
        fn visit_str<E>(self, s: &str) -> Result<(), E> {
            black_box(s);
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Walk)?.is_some() {}
            Ok(())
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<&'de str>()? {
                black_box(key);
                map.next_value_seed(Walk)?;
            }
            Ok(())
        }
    }

    /// serde_json's generic tree: every value built.
    pub(crate) fn json_value(body: &[u8]) -> serde_json::Value {
        serde_json::from_slice(body).expect("valid JSON")
    }

    /// quick-xml's reader with its default configuration (end names checked): every
    /// event read until `Eof`, each element name and each text's bytes handed to
    /// `black_box`. What a decoder over quick-xml cannot go below. Returns the text bytes
    /// seen.
    pub(crate) fn xml_event_loop(body: &[u8]) -> usize {
        let text = std::str::from_utf8(body).expect("UTF-8");
        let mut reader = Reader::from_str(text);
        let mut seen = 0;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    black_box(e.name());
                }
                Event::Text(t) => {
                    seen += black_box(&*t).len();
                }
                Event::CData(t) => {
                    seen += black_box(&*t).len();
                }
                other => {
                    black_box(&other);
                }
            }
        }
        seen
    }

    /// SHA-256 of a canonical request, then HMAC-SHA256 of the string-to-sign, both in
    /// hex: signature V3 minus building the canonical request.
    pub(crate) fn sha256_hmac_sha256_hex(secret: &str, canonical_request: &str) -> String {
        use sha2::{Digest, Sha256};
        let hashed = base16ct::lower::encode_string(&Sha256::digest(canonical_request.as_bytes()));
        let string_to_sign = format!("ACS3-HMAC-SHA256\n{hashed}");
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("any key length");
        mac.update(string_to_sign.as_bytes());
        base16ct::lower::encode_string(&mac.finalize().into_bytes())
    }

    /// HMAC-SHA1 keyed with `secret&`, then Base64: signature V1 minus the encoding.
    pub(crate) fn hmac_sha1_base64(secret: &str, string_to_sign: &str) -> String {
        let mut key = Vec::with_capacity(secret.len() + 1);
        key.extend_from_slice(secret.as_bytes());
        key.push(b'&');
        let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&key).expect("any key length");
        mac.update(string_to_sign.as_bytes());
        BASE64.encode(mac.finalize().into_bytes())
    }
}
