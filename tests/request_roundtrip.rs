//! Properties: typed request -> query -> decoded request == original, over arbitrary
//! valid inputs; and decoding arbitrary text never panics.

use ecs_ramrole::{
    AccessKeySecret, AttachInstanceRamRole, Credentials, DetachInstanceRamRole, EncodeOptions,
    Format, IncomingRequest, InstanceIds, Method, Nonce, Request, Timestamp,
};
use proptest::prelude::*;

/// Non-empty strings drawn from ASCII reserved characters, ASCII letters and any Unicode
/// scalar value, so every encoder branch is hit.
fn text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        3 => prop::sample::select(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}~-_.".chars().collect::<Vec<_>>()),
        3 => prop::char::range('a', 'z'),
        2 => any::<char>(),
    ];
    prop::collection::vec(ch, 1..24).prop_map(|cs| cs.into_iter().collect())
}

/// 1 or 100 IDs most often (the bounds), anything between otherwise; typed or raw JSON
/// text with spaces (raw text must survive byte-for-byte).
fn instance_ids() -> impl Strategy<Value = InstanceIds> {
    let count = prop_oneof![Just(1usize), Just(100usize), 1usize..=100];
    (count, any::<bool>())
        .prop_flat_map(|(n, raw)| (prop::collection::vec(text(), n), Just(raw)))
        .prop_map(|(ids, raw)| {
            if raw {
                let items: Vec<String> = ids
                    .iter()
                    .map(|id| serde_json::to_string(id).unwrap())
                    .collect();
                InstanceIds::from_json(&format!("[ {} ]", items.join(", "))).unwrap()
            } else {
                InstanceIds::new(ids).unwrap()
            }
        })
}

fn attach() -> impl Strategy<Value = Request> {
    (
        text(),
        text(),
        instance_ids(),
        prop::option::of(text()),
        prop::option::of(0..=i64::MAX as u64),
        prop::option::of(0..=i64::MAX as u64),
        prop::option::of(text()),
    )
        .prop_map(
            |(region, role, ids, policy, owner, resource_owner, account)| {
                let mut b = AttachInstanceRamRole::builder()
                    .region_id(region)
                    .ram_role_name(role)
                    .instance_ids(ids);
                if let Some(v) = policy {
                    b = b.policy(v);
                }
                if let Some(v) = owner {
                    b = b.owner_id(v);
                }
                if let Some(v) = resource_owner {
                    b = b.resource_owner_id(v);
                }
                if let Some(v) = account {
                    b = b.resource_owner_account(v);
                }
                b.build().unwrap().into()
            },
        )
}

fn detach() -> impl Strategy<Value = Request> {
    (
        text(),
        instance_ids(),
        prop::option::of(text()),
        prop::option::of(0..=i64::MAX as u64),
        prop::option::of(text()),
    )
        .prop_map(|(region, ids, role, owner, account)| {
            let mut b = DetachInstanceRamRole::builder()
                .region_id(region)
                .instance_ids(ids);
            if let Some(v) = role {
                b = b.ram_role_name(v);
            }
            if let Some(v) = owner {
                b = b.owner_id(v);
            }
            if let Some(v) = account {
                b = b.resource_owner_account(v);
            }
            b.build().unwrap().into()
        })
}

fn options() -> impl Strategy<Value = EncodeOptions> {
    (
        prop_oneof![Just(Method::Get), Just(Method::Post)],
        prop_oneof![
            Just(None),
            Just(Some(Format::Json)),
            Just(Some(Format::Xml))
        ],
    )
        .prop_map(|(method, format)| EncodeOptions::new(method, format))
}

proptest! {
    #[test]
    fn unsigned_round_trip(request in prop_oneof![attach(), detach()], options in options()) {
        let encoded = request.encode(&options);
        let incoming = IncomingRequest::parse(encoded.query()).unwrap();
        prop_assert_eq!(incoming.format(), options.format());
        prop_assert_eq!(incoming.unrecognized().count(), 0);
        prop_assert_eq!(incoming.into_request(), request);
    }

    #[test]
    fn signed_round_trip_verifies(
        request in prop_oneof![attach(), detach()],
        options in options(),
        secret in text(),
        token in prop::option::of(text()),
        nonce in text(),
        secs in 0u64..253_402_300_800,
    ) {
        let mut credentials = Credentials::new("id", AccessKeySecret::new(secret).unwrap()).unwrap();
        if let Some(t) = token {
            credentials = credentials.with_security_token(t).unwrap();
        }
        let timestamp = Timestamp::from_unix_seconds(secs).unwrap();
        let signed = request.sign(&options, &credentials, &timestamp, &Nonce::new(nonce).unwrap());
        let incoming = IncomingRequest::parse(signed.query()).unwrap();
        incoming.verify(options.method(), credentials.secret()).unwrap();
        prop_assert_eq!(incoming.param("Timestamp"), Some(timestamp.as_str()));
        prop_assert_eq!(incoming.into_request(), request);
    }

    #[test]
    fn decoding_arbitrary_text_never_panics(query in ".{0,200}") {
        let _ = IncomingRequest::parse(&query);
    }

    #[test]
    fn decoding_query_shaped_text_never_panics(
        pairs in prop::collection::vec(("[A-Za-z%+=]{0,12}", "[ -~]{0,16}"), 0..12),
    ) {
        let query = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        let _ = IncomingRequest::parse(&format!("Action=AttachInstanceRamRole&Version=2014-05-26&{query}"));
    }
}
