//! Every request reject, one line per case: what was wrong, the kind, the parameter, the
//! position and the server's error code.

use ecs_ramrole::{
    AttachInstanceRamRole, DetachInstanceRamRole, IncomingRequest, InstanceIds, RequestError,
    RequestErrorKind as K,
};

const BASE: &str = "Action=AttachInstanceRamRole&Version=2014-05-26&RegionId=cn-hangzhou&RamRoleName=R&InstanceIds=%5B%22i-1%22%5D";

/// The base query with `param`'s pair replaced by `pair` (or removed when `pair` is empty).
fn with(param: &str, pair: &str) -> String {
    let mut parts: Vec<String> = BASE
        .split('&')
        .filter(|p| p.split('=').next() != Some(param))
        .map(str::to_owned)
        .collect();
    if !pair.is_empty() {
        parts.push(pair.to_owned());
    }
    parts.join("&")
}

/// The expected position, read off the input rather than taken from the decoder: the
/// marker text with a `|` where the offset points (no `|`: its first byte).
fn at(query: &str, marker: &str) -> Option<usize> {
    let (before, after) = marker.split_once('|').unwrap_or(("", marker));
    Some(
        query
            .find(&format!("{before}{after}"))
            .expect("marker in query")
            + before.len(),
    )
}

#[test]
fn decode_rejects() {
    let policy_1025 = format!("Policy={}", "p".repeat(1025));
    let ids_101 = format!(
        "InstanceIds=[{}]",
        (0..101)
            .map(|n| format!("\"i-{n}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    #[rustfmt::skip]
    let table: Vec<(String, K, &str, Option<&str>, &str)> = vec![
        // (query, kind, param, marker whose offset is the position, code)
        ("".into(), K::Missing, "Action", None, "MissingParameter.Action"),
        (with("Action", "Action=Describe"), K::UnknownAction, "Action", Some("Describe"), "InvalidAction"),
        (with("Version", ""), K::Missing, "Version", None, "MissingParameter.Version"),
        (with("Version", "Version=2014-05-27"), K::UnsupportedVersion, "Version", Some("2014-05-27"), "InvalidParameter"),
        (with("RegionId", ""), K::Missing, "RegionId", None, "MissingParameter.RegionId"),
        (with("RegionId", "RegionId="), K::Empty, "RegionId", Some("RegionId=|"), "InvalidParameter"),
        (with("RamRoleName", ""), K::Missing, "RamRoleName", None, "MissingParameter.RamRoleName"),
        (with("InstanceIds", ""), K::Missing, "InstanceIds", None, "MissingParameter.InstanceIds"),
        (with("InstanceIds", "InstanceIds=i-1"), K::Malformed, "InstanceIds", Some("i-1"), "InvalidInstanceIds.Malformed"),
        (with("InstanceIds", "InstanceIds=[1]"), K::Malformed, "InstanceIds", Some("[|1]"), "InvalidInstanceIds.Malformed"),
        (with("InstanceIds", "InstanceIds=%5B%5D"), K::Count { found: 0 }, "InstanceIds", Some("InstanceIds=|"), "InvalidInstanceIds.Malformed"),
        (with("InstanceIds", &ids_101), K::Count { found: 101 }, "InstanceIds", Some("InstanceIds=|"), "InvalidInstanceIds.Malformed"),
        (with("InstanceIds", "InstanceIds=[\"\"]"), K::EmptyItem { index: 0 }, "InstanceIds", Some("InstanceIds=|"), "InvalidInstanceIds.Malformed"),
        (with("Policy", &policy_1025), K::TooLong { max: 1024, found: 1025 }, "Policy", Some("Policy=|"), "InvalidParameter"),
        (with("Policy", "Policy="), K::Empty, "Policy", Some("Policy=|"), "InvalidParameter"),
        (with("OwnerId", "OwnerId=-1"), K::Malformed, "OwnerId", Some("OwnerId=|-1"), "InvalidParameter"),
        (with("OwnerId", "OwnerId=9223372036854775808"), K::OutOfRange, "OwnerId", Some("OwnerId=|9"), "InvalidParameter"),
        (with("ResourceOwnerId", "ResourceOwnerId=1.5"), K::Malformed, "ResourceOwnerId", Some("1.5"), "InvalidParameter"),
        (with("ResourceOwnerAccount", "ResourceOwnerAccount="), K::Empty, "ResourceOwnerAccount", Some("ResourceOwnerAccount=|"), "InvalidParameter"),
        (with("Format", "Format=yaml"), K::Malformed, "Format", Some("yaml"), "InvalidParameter"),
        (format!("{BASE}&RegionId=cn-beijing"), K::Duplicate, "RegionId", Some("RegionId=cn-beijing"), "InvalidParameter"),
        (with("RegionId", "RegionId=cn%2"), K::BadEscape, "RegionId", Some("RegionId=cn|%2"), "InvalidParameter"),
        (with("RegionId", "RegionId=cn%zz"), K::BadEscape, "RegionId", Some("%zz"), "InvalidParameter"),
        (with("RegionId", "RegionId=%FF"), K::InvalidUtf8, "RegionId", Some("%FF"), "InvalidParameter"),
        (format!("{BASE}&=x"), K::Empty, "(parameter name)", Some("=x"), "InvalidParameter"),
    ];
    for (query, kind, param, marker, code) in table {
        let err: RequestError = IncomingRequest::parse(&query).unwrap_err();
        let offset = marker.and_then(|m| at(&query, m));
        assert_eq!(
            (err.kind(), err.param(), err.offset(), err.code()),
            (kind, param, offset, code),
            "query {query:?}: {err}"
        );
    }
}

#[test]
fn detach_rejects() {
    let base =
        "Action=DetachInstanceRamRole&Version=2014-05-26&RegionId=r&InstanceIds=%5B%22i-1%22%5D";
    // RamRoleName is optional for Detach, but an empty one is still a broken rule.
    let err = IncomingRequest::parse(&format!("{base}&RamRoleName=")).unwrap_err();
    assert_eq!((err.kind(), err.param()), (K::Empty, "RamRoleName"));
    assert!(IncomingRequest::parse(base).is_ok());
}

#[test]
fn build_rejects() {
    let ids = || InstanceIds::new(["i-1"]).unwrap();
    #[rustfmt::skip]
    let table: Vec<(Result<(), RequestError>, K, &str)> = vec![
        (AttachInstanceRamRole::builder().ram_role_name("r").instance_ids(ids()).build().map(drop), K::Missing, "RegionId"),
        (AttachInstanceRamRole::builder().region_id("").ram_role_name("r").instance_ids(ids()).build().map(drop), K::Empty, "RegionId"),
        (AttachInstanceRamRole::builder().region_id("x").instance_ids(ids()).build().map(drop), K::Missing, "RamRoleName"),
        (AttachInstanceRamRole::builder().region_id("x").ram_role_name("").instance_ids(ids()).build().map(drop), K::Empty, "RamRoleName"),
        (AttachInstanceRamRole::builder().region_id("x").ram_role_name("r").build().map(drop), K::Missing, "InstanceIds"),
        (AttachInstanceRamRole::builder().region_id("x").ram_role_name("r").instance_ids(ids()).policy("").build().map(drop), K::Empty, "Policy"),
        (AttachInstanceRamRole::builder().region_id("x").ram_role_name("r").instance_ids(ids()).policy("角".repeat(1025)).build().map(drop), K::TooLong { max: 1024, found: 1025 }, "Policy"),
        (AttachInstanceRamRole::builder().region_id("x").ram_role_name("r").instance_ids(ids()).resource_owner_account("").build().map(drop), K::Empty, "ResourceOwnerAccount"),
        (DetachInstanceRamRole::builder().instance_ids(ids()).build().map(drop), K::Missing, "RegionId"),
        (DetachInstanceRamRole::builder().region_id("x").build().map(drop), K::Missing, "InstanceIds"),
        (DetachInstanceRamRole::builder().region_id("x").instance_ids(ids()).ram_role_name("").build().map(drop), K::Empty, "RamRoleName"),
        (InstanceIds::new(Vec::<String>::new()).map(drop), K::Count { found: 0 }, "InstanceIds"),
        (InstanceIds::new(vec!["i"; 101]).map(drop), K::Count { found: 101 }, "InstanceIds"),
        (InstanceIds::new(["i", ""]).map(drop), K::EmptyItem { index: 1 }, "InstanceIds"),
        (InstanceIds::from_json("{\"a\":1}").map(drop), K::Malformed, "InstanceIds"),
        (InstanceIds::from_json("[\"i-1\", 2]").map(drop), K::Malformed, "InstanceIds"),
        (ecs_ramrole::Nonce::new("").map(drop), K::Empty, "SignatureNonce"),
        (ecs_ramrole::AccessKeySecret::new("").map(drop), K::Empty, "AccessKeySecret"),
        (ecs_ramrole::Timestamp::parse("2016-02-30T00:00:00Z").map(drop), K::Malformed, "Timestamp"),
    ];
    for (i, (got, kind, param)) in table.into_iter().enumerate() {
        let err = got.unwrap_err();
        assert_eq!((err.kind(), err.param()), (kind, param), "row {i}: {err}");
        assert!(
            err.to_string().contains(param),
            "row {i}: message names the parameter: {err}"
        );
    }
    // 1024 characters of a 3-byte character is still within the limit: characters, not bytes.
    assert!(
        AttachInstanceRamRole::builder()
            .region_id("x")
            .ram_role_name("r")
            .instance_ids(ids())
            .policy("角".repeat(1024))
            .build()
            .is_ok()
    );
    assert!(InstanceIds::new(vec!["i"; 100]).is_ok());
}
