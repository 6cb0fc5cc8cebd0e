//! DescribeInstanceRamRole, the third operation of the lifecycle: its request rules,
//! both signatures (against `tests/vectors/compute*.py`), its response in both formats,
//! and the server side.

use ecs_ramrole::*;

fn describe() -> DescribeInstanceRamRoleBuilder {
    DescribeInstanceRamRole::builder().region_id("cn-hangzhou")
}

fn sign(request: impl Into<Request>, options: EncodeOptions) -> SignedRequest {
    request.into().sign(
        &options,
        &Credentials::new("testid", AccessKeySecret::new("testsecret").unwrap()).unwrap(),
        &"2016-02-23T12:46:24Z".parse().unwrap(),
        &Nonce::new("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf").unwrap(),
    )
}

#[test]
fn request_rules() {
    let err = describe().build().unwrap_err();
    assert_eq!(
        (err.code(), err.status()),
        ("InvalidParameter.AllEmpty", 403)
    );
    assert!(describe().ram_role_name("R").build().is_ok());
    assert!(
        describe()
            .instance_ids(InstanceIds::new(["i-1"]).unwrap())
            .build()
            .is_ok()
    );
    for (size, ok) in [(0, false), (1, true), (50, true), (51, false)] {
        let built = describe().ram_role_name("R").page_size(size).build();
        assert_eq!(built.is_ok(), ok, "PageSize {size}");
    }
    let err = describe()
        .ram_role_name("R")
        .page_number(0)
        .build()
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.param()),
        (RequestErrorKind::OutOfRange, "PageNumber")
    );
}

#[test]
fn signed_with_both_versions() {
    let by_role = describe()
        .ram_role_name("EcsRole")
        .page_number(2)
        .page_size(5)
        .build()
        .unwrap();
    let signed = sign(by_role, EncodeOptions::new(Method::Get, Some(Format::Json)));
    // tests/vectors/compute.py, describe_by_role_get.
    assert_eq!(signed.stages().signature(), "2H+M5TTyqXPn1JGWKOS2dAsg2ik=");
    assert!(signed.query().starts_with(
        "AccessKeyId=testid&Action=DescribeInstanceRamRole&Format=JSON&PageNumber=2&PageSize=5&RamRoleName=EcsRole&RegionId=cn-hangzhou&"
    ));

    let by_ids = describe()
        .instance_ids(InstanceIds::new(["i-1", "i-2"]).unwrap())
        .build()
        .unwrap();
    let signed = sign(by_ids, EncodeOptions::v3(Method::Post, None));
    // Only the operation's own parameters under V3 (the vector is below).
    assert_eq!(
        signed.query(),
        "InstanceIds=%5B%22i-1%22%2C%22i-2%22%5D&RegionId=cn-hangzhou"
    );
    let headers: Vec<(&str, &str)> = signed
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let http = HttpRequest::new("POST", "/", signed.query(), &headers, b"");
    let incoming =
        IncomingRequest::from_http(&http, |_| AccessKeySecret::new("testsecret").ok()).unwrap();
    assert_eq!(incoming.request().action(), Action::DescribeInstanceRamRole);
}

#[test]
fn v3_vector() {
    let by_ids = describe()
        .instance_ids(InstanceIds::new(["i-1", "i-2"]).unwrap())
        .build()
        .unwrap();
    let signed = Request::from(by_ids).sign(
        &EncodeOptions::v3(Method::Post, None),
        &Credentials::new("testid", AccessKeySecret::new("testsecret").unwrap()).unwrap(),
        &"2016-02-23T12:46:24Z".parse().unwrap(),
        &Nonce::new("3156853299f313e23d1673dc12e1703d").unwrap(),
    );
    // tests/vectors/compute_v3.py, describe_v3_by_ids.
    assert_eq!(
        signed.stages().signature(),
        "db2b2fdaffe0d22ec185e65896c8548baedf3ad03bdd1ea94ecedd488314cd9e"
    );
}

/// A body shaped as the documented samples (protocol.md §1.4: PageNumber and PageSize
/// beside the SDK models' fields), in both formats.
const JSON: &str = r#"{"RequestId":"E6352369-5C2B-41CD-AB50-471550C8F674","RegionId":"cn-hangzhou","TotalCount":2,"PageNumber":1,"PageSize":10,"InstanceRamRoleSets":{"InstanceRamRoleSet":[{"InstanceId":"i-1","RamRoleName":"EcsRole"},{"InstanceId":"i-2","RamRoleName":"EcsRole"}]}}"#;
const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstanceRamRoleResponse>
  <RequestId>E6352369-5C2B-41CD-AB50-471550C8F674</RequestId>
  <RegionId>cn-hangzhou</RegionId>
  <TotalCount>2</TotalCount>
  <PageNumber>1</PageNumber>
  <PageSize>10</PageSize>
  <InstanceRamRoleSets>
    <InstanceRamRoleSet><InstanceId>i-1</InstanceId><RamRoleName>EcsRole</RamRoleName></InstanceRamRoleSet>
    <InstanceRamRoleSet><InstanceId>i-2</InstanceId><RamRoleName>EcsRole</RamRoleName></InstanceRamRoleSet>
  </InstanceRamRoleSets>
</DescribeInstanceRamRoleResponse>"#;

#[test]
fn responses_in_both_formats() {
    let decoder = ResponseDecoder::new(Action::DescribeInstanceRamRole);
    let json = decoder
        .decode(200, Some("application/json"), JSON.as_bytes())
        .unwrap();
    let xml = decoder
        .decode(200, Some("text/xml"), XML.as_bytes())
        .unwrap();
    assert_eq!(json, xml);
    assert_eq!(json.region_id.as_deref(), Some("cn-hangzhou"));
    assert_eq!(
        (json.total_count, json.page_number, json.page_size),
        (Some(2), Some(1), Some(10))
    );
    let sets = json.instance_ram_role_sets.as_ref().unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[1].instance_id.as_deref(), Some("i-2"));
    assert_eq!(json.to_json(), JSON, "written back in the documented order");
    let back = json.to_xml().unwrap();
    assert_eq!(decoder.decode(200, None, back.as_bytes()).unwrap(), json);
    // Attach's and Detach's fields are not Describe's: dropped like any unknown field.
    let other = r#"{"RequestId":"R","FailCount":1,"RamRoleName":"x","InstanceRamRoleSets":{"InstanceRamRoleSet":[]}}"#;
    let r = decoder.decode(200, None, other.as_bytes()).unwrap();
    assert_eq!((r.fail_count, r.ram_role_name.as_deref()), (None, None));
    assert_eq!(r.instance_ram_role_sets, Some(vec![]));
    // And Describe's are not Attach's.
    let attach = ResponseDecoder::new(Action::AttachInstanceRamRole)
        .decode(200, None, JSON.as_bytes())
        .unwrap();
    assert_eq!(
        (attach.region_id, attach.instance_ram_role_sets),
        (None, None)
    );
}
