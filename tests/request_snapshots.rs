//! insta snapshots of both seeds' documented request examples, one parameter per line.
//!
//! The seeds print raw, unencoded JSON (`InstanceIds=["i-instance1"]`) and leave the
//! common parameters as a placeholder. Here each example is built from its documented
//! parameters, signed with the documented signing example's inputs (testid/testsecret,
//! 2016-02-23T12:46:24Z, nonce 3ee8c1b8-…), and shown as it goes on the wire, encoded.
//! The signatures in the snapshots equal those computed independently by
//! `tests/vectors/compute.py` (asserted in tests/signing.rs).

use ecs_ramrole::{
    AccessKeySecret, AttachInstanceRamRole, Credentials, DetachInstanceRamRole, EncodeOptions,
    Format, InstanceIds, Method, Nonce, Request, Timestamp,
};

fn one_param_per_line(request: impl Into<Request>, options: EncodeOptions) -> String {
    let credentials =
        Credentials::new("testid", AccessKeySecret::new("testsecret").unwrap()).unwrap();
    let signed = request.into().sign(
        &options,
        &credentials,
        &Timestamp::parse("2016-02-23T12:46:24Z").unwrap(),
        &Nonce::new("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf").unwrap(),
    );
    let mut out = format!("{} /?\n", signed.method());
    for pair in signed.query().split('&') {
        out.push_str(pair);
        out.push('\n');
    }
    out.push_str(&format!(
        "\nstring-to-sign: {}\n",
        signed.stages().string_to_sign()
    ));
    out
}

#[test]
fn attach_seed_request_example() {
    // seeds/002_77e01217c5edae54.txt, "Sample requests".
    let request = AttachInstanceRamRole::builder()
        .instance_ids(InstanceIds::new(["i-instance1"]).unwrap())
        .ram_role_name("RamRoleTest")
        .region_id("cn-hangzhou")
        .build()
        .unwrap();
    let options = EncodeOptions::new(Method::Post, Some(Format::Json));
    insta::assert_snapshot!(one_param_per_line(request, options));
}

#[test]
fn detach_seed_request_example() {
    // seeds/000_9a24991bec15a4e7.txt, "Request example".
    let request = DetachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .ram_role_name("RamRoleTest")
        .instance_ids(InstanceIds::new(["i-instance1"]).unwrap())
        .build()
        .unwrap();
    let options = EncodeOptions::new(Method::Get, Some(Format::Xml));
    insta::assert_snapshot!(one_param_per_line(request, options));
}
