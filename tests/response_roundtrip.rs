//! Properties of the response codec: typed values round-trip through XML and JSON;
//! arbitrary bytes never panic; every strict prefix of a valid body is an error.

use std::borrow::Cow;

use ecs_ramrole::{
    Action, ErrorCode, InstanceRamRoleSet, InstanceResult, Response, ResponseDecoder,
    ResponseError, ServiceError,
};
use proptest::prelude::*;

/// Strings XML 1.0 can carry (any char but C0 controls other than tab, LF, CR, and
/// U+FFFE/U+FFFF), including markup characters, entities-to-be and whitespace runs.
fn text() -> impl Strategy<Value = Cow<'static, str>> {
    let ch = prop_oneof![
        4 => prop::sample::select("<>&\"' \t\r\n]]>;#x".chars().collect::<Vec<_>>()),
        4 => prop::char::range('a', 'z'),
        2 => any::<char>().prop_filter("XML 1.0 Char", |c| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        }),
    ];
    prop::collection::vec(ch, 0..16).prop_map(|cs| Cow::Owned(cs.into_iter().collect()))
}

fn set() -> impl Strategy<Value = InstanceRamRoleSet<'static>> {
    (prop::option::of(text()), prop::option::of(text())).prop_map(|(instance_id, ram_role_name)| {
        let mut set = InstanceRamRoleSet::default();
        (set.instance_id, set.ram_role_name) = (instance_id, ram_role_name);
        set
    })
}

fn result(action: Action) -> impl Strategy<Value = InstanceResult<'static>> {
    let sets = if action == Action::DetachInstanceRamRole {
        prop::option::of(prop::collection::vec(set(), 0..3)).boxed()
    } else {
        Just(None).boxed()
    };
    (
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(any::<bool>()),
        sets,
    )
        .prop_map(
            |(instance_id, code, message, success, instance_ram_role_sets)| {
                let mut r = InstanceResult::default();
                r.instance_id = instance_id;
                r.code = code;
                r.message = message;
                r.success = success;
                r.instance_ram_role_sets = instance_ram_role_sets;
                r
            },
        )
}

fn response() -> impl Strategy<Value = Response<'static>> {
    let attach_or_detach = prop_oneof![
        Just(Action::AttachInstanceRamRole),
        Just(Action::DetachInstanceRamRole)
    ]
    .prop_flat_map(|action| {
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(any::<u32>()),
            prop::option::of(any::<u32>()),
            prop::option::of(prop::collection::vec(result(action), 0..5)),
        )
            .prop_map(
                move |(request_id, ram_role_name, total_count, fail_count, results)| {
                    let mut r = Response::new(action);
                    r.request_id = request_id;
                    r.ram_role_name = ram_role_name;
                    r.total_count = total_count;
                    r.fail_count = fail_count;
                    r.results = results;
                    r
                },
            )
    });
    let describe = (
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(any::<u32>()),
        prop::option::of(any::<u32>()),
        prop::option::of(any::<u32>()),
        prop::option::of(prop::collection::vec(set(), 0..5)),
    )
        .prop_map(
            |(request_id, region_id, total_count, page_number, page_size, sets)| {
                let mut r = Response::new(Action::DescribeInstanceRamRole);
                r.request_id = request_id;
                r.region_id = region_id;
                r.total_count = total_count;
                r.page_number = page_number;
                r.page_size = page_size;
                r.instance_ram_role_sets = sets;
                r
            },
        );
    prop_oneof![2 => attach_or_detach, 1 => describe]
}

fn service_error() -> impl Strategy<Value = ServiceError> {
    let owned = || prop::option::of(text().prop_map(Cow::into_owned));
    let code = prop::option::of(prop_oneof![
        prop::sample::select(ErrorCode::KNOWN.to_vec()),
        "[A-Za-z.]{1,20}".prop_map(|c| ErrorCode::parse(&c)),
    ]);
    let detail = prop::option::of(prop::collection::btree_map(
        "[A-Za-z][A-Za-z0-9]{0,8}",
        text(),
        0..4,
    ));
    (
        400u16..600,
        code,
        owned(),
        owned(),
        owned(),
        owned(),
        detail,
    )
        .prop_map(
            |(http_status, code, message, request_id, host_id, recommend, detail)| {
                let mut e = ServiceError::status_only(http_status);
                e.code = code;
                e.message = message;
                e.request_id = request_id;
                e.host_id = host_id;
                e.recommend = recommend;
                e.access_denied_detail =
                    detail.map(|d| d.into_iter().map(|(k, v)| (k, v.into_owned())).collect());
                e
            },
        )
}

fn decode(action: Action, body: &[u8]) -> Result<Response<'_>, ResponseError> {
    ResponseDecoder::new(action).decode(200, None, body)
}

proptest! {
    #[test]
    fn json_round_trip(r in response()) {
        let body = r.to_json();
        prop_assert_eq!(decode(r.action, body.as_bytes()).unwrap(), r);
    }

    #[test]
    fn xml_round_trip(r in response()) {
        let body = r.to_xml().unwrap();
        prop_assert_eq!(decode(r.action, body.as_bytes()).unwrap(), r);
    }

    #[test]
    fn error_bodies_round_trip(e in service_error()) {
        let decoder = ResponseDecoder::new(Action::AttachInstanceRamRole);
        let json = e.to_json();
        prop_assert_eq!(&decoder.decode_error(e.http_status, Some("application/json"), json.as_bytes()), &e);
        let xml = e.to_xml().unwrap();
        prop_assert_eq!(&decoder.decode_error(e.http_status, Some("text/xml"), xml.as_bytes()), &e);
    }

    #[test]
    fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..256), status in 100u16..600) {
        for action in [Action::AttachInstanceRamRole, Action::DetachInstanceRamRole] {
            let decoder = ResponseDecoder::new(action);
            let _ = decoder.decode(status, None, &body);
            let _ = decoder.decode(status, Some("application/json"), &body);
            let _ = decoder.decode(status, Some("text/xml"), &body);
        }
    }

    /// Bytes that look like the documents, so the decoders get past the first token.
    #[test]
    fn markup_like_bytes_never_panic(
        parts in prop::collection::vec(prop::sample::select(vec![
            "<AttachInstanceRamRoleResponse>", "</AttachInstanceRamRoleResponse>", "<AttachInstanceRamRoleResults>",
            "<AttachInstanceRamRoleResult>", "</AttachInstanceRamRoleResult>", "<Code>", "</Code>", "200", "&amp;",
            "&#x0;", "<![CDATA[", "]]>", "<!DOCTYPE x>", "<?xml version=\"1.0\"?>", "{", "}", "[", "]", ",", ":",
            "\"AttachInstanceRamRoleResults\"", "\"AttachInstanceRamRoleResult\"", "\"Code\"", "200", "null", "\"x\"",
        ]), 0..24),
    ) {
        let body = parts.concat();
        let _ = decode(Action::AttachInstanceRamRole, body.as_bytes());
    }

    #[test]
    fn every_strict_prefix_is_an_error(r in response(), xml in any::<bool>()) {
        let body = if xml { r.to_xml().unwrap() } else { r.to_json() };
        for end in 0..body.len() {
            let prefix = &body.as_bytes()[..end];
            prop_assert!(decode(r.action, prefix).is_err(), "prefix of {} bytes decoded: {:?}", end, String::from_utf8_lossy(prefix));
        }
    }
}

#[test]
fn xml_cannot_carry_control_characters() {
    let mut r = Response::new(Action::AttachInstanceRamRole);
    r.request_id = Some(Cow::Borrowed("a\u{1}b"));
    let e = r.to_xml().unwrap_err();
    assert_eq!(e.field(), "RequestId");
    // JSON can, and round-trips it.
    assert_eq!(decode(r.action, r.to_json().as_bytes()).unwrap(), r);
}
