//! The service model driven directly: every semantic decision of
//! `src/service/operations.rs`, verification and replay, faults, the admin endpoints and
//! the request log. Expected answers are written out from the issue and the seeds'
//! error tables; bodies are read with serde_json and plain text search, not this crate's
//! decoders.

use ecs_ramrole::service::{
    AccessKey, Answer, FaultRule, Options, ROLE_ATTACHED, ROLE_NOT_ATTACHED, ROLE_NOT_MATCH,
    Service, State,
};
use ecs_ramrole::*;
use serde_json::Value;

/// 2026-11-30T12:00:00Z.
const NOW: i64 = 1_796_040_000;

const STATE: &str = r#"{
  "regions": ["cn-hangzhou", "cn-beijing"],
  "instances": [
    {"region": "cn-hangzhou", "id": "i-1", "network_type": "vpc", "ram_role": null},
    {"region": "cn-hangzhou", "id": "i-2", "network_type": "vpc", "ram_role": "Other"},
    {"region": "cn-hangzhou", "id": "i-3", "network_type": "classic", "ram_role": null},
    {"region": "cn-beijing", "id": "i-4", "network_type": "vpc", "ram_role": null}
  ],
  "roles": [
    {"name": "EcsRole", "ecs_trusted": true},
    {"name": "Other", "ecs_trusted": true},
    {"name": "NotForEcs", "ecs_trusted": false}
  ],
  "access_keys": [
    {"id": "testid", "secret": "testsecret", "can_pass_role": true},
    {"id": "nopass", "secret": "nopasssecret", "can_pass_role": false}
  ]
}"#;

fn service() -> Service {
    Service::new(
        State::from_json(STATE).unwrap(),
        Vec::new(),
        Options::default(),
    )
}

/// A client that signs each request with a fresh nonce.
struct Client {
    key: &'static str,
    secret: &'static str,
    nonce: u32,
    options: EncodeOptions,
    at: i64,
}

/// A request as sent: method, query, headers, body.
struct Sent {
    method: &'static str,
    query: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Sent {
    fn send(&self, service: &mut Service, now: i64) -> Answer {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let http = HttpRequest::new(
            self.method,
            "/",
            &self.query,
            &headers,
            self.body.as_bytes(),
        );
        service.handle(&http, now, &mut || 0.5)
    }
}

impl Client {
    fn v1(format: Option<Format>) -> Self {
        Self {
            key: "testid",
            secret: "testsecret",
            nonce: 0,
            options: EncodeOptions::new(Method::Post, format),
            at: NOW,
        }
    }

    fn v3(format: Option<Format>) -> Self {
        Self {
            options: EncodeOptions::v3(Method::Post, format),
            ..Self::v1(format)
        }
    }

    fn signed(&mut self, request: impl Into<Request>) -> Sent {
        // Unique across clients, as real nonces are.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        self.nonce = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let credentials =
            Credentials::new(self.key, AccessKeySecret::new(self.secret).unwrap()).unwrap();
        let at = Timestamp::from_unix_seconds(u64::try_from(self.at).unwrap()).unwrap();
        let nonce = Nonce::new(format!("nonce-{}-{}", self.key, self.nonce)).unwrap();
        let signed = request
            .into()
            .sign(&self.options, &credentials, &at, &nonce);
        Sent {
            method: "POST",
            query: signed.query().to_owned(),
            headers: signed.headers().to_vec(),
            body: signed.body().to_owned(),
        }
    }

    fn call(&mut self, service: &mut Service, request: impl Into<Request>) -> Answer {
        self.signed(request).send(service, NOW)
    }
}

fn ids(ids: &[&str]) -> InstanceIds {
    InstanceIds::new(ids.iter().copied()).unwrap()
}

fn attach(role: &str, instances: &[&str]) -> AttachInstanceRamRole {
    AttachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .ram_role_name(role)
        .instance_ids(ids(instances))
        .build()
        .unwrap()
}

fn detach(role: Option<&str>, instances: &[&str]) -> DetachInstanceRamRole {
    DetachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .set_ram_role_name(role.map(str::to_owned))
        .instance_ids(ids(instances))
        .build()
        .unwrap()
}

fn json(answer: &Answer) -> Value {
    serde_json::from_slice(&answer.body).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&answer.body));
    })
}

fn role_of(service: &Service, id: &str) -> Option<String> {
    service.state().instance(id).unwrap().ram_role.clone()
}

/// (Code, Message, Success) of each per-instance result.
fn results(body: &Value, wrapper: &str) -> Vec<(String, String, bool)> {
    body[format!("{wrapper}s")][wrapper]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["InstanceId"].as_str().unwrap().to_owned() + ":" + r["Code"].as_str().unwrap(),
                r["Message"].as_str().unwrap().to_owned(),
                r["Success"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn attach_describe_detach_is_the_lifecycle() {
    for mut client in [Client::v1(Some(Format::Json)), Client::v3(None)] {
        let mut service = service();
        let answer = client.call(&mut service, attach("EcsRole", &["i-1"]));
        assert_eq!(answer.status, 200);
        assert_eq!(
            answer.header("content-type"),
            Some("application/json;charset=utf-8")
        );
        let body = json(&answer);
        assert_eq!(body["RamRoleName"], "EcsRole");
        assert_eq!(
            (body["TotalCount"].as_u64(), body["FailCount"].as_u64()),
            (Some(1), Some(0))
        );
        assert_eq!(
            results(&body, "AttachInstanceRamRoleResult"),
            [("i-1:200".to_owned(), "success".to_owned(), true)]
        );
        assert_eq!(
            body["RequestId"],
            answer.header("x-acs-request-id").unwrap()
        );
        assert_eq!(role_of(&service, "i-1").as_deref(), Some("EcsRole"));

        let describe = DescribeInstanceRamRole::builder()
            .region_id("cn-hangzhou")
            .instance_ids(ids(&["i-1", "i-2", "i-3"]))
            .build()
            .unwrap();
        let body = json(&client.call(&mut service, describe));
        assert_eq!(body["RegionId"], "cn-hangzhou");
        assert_eq!(body["TotalCount"], 2);
        assert_eq!(
            body["InstanceRamRoleSets"]["InstanceRamRoleSet"],
            serde_json::json!([
                {"InstanceId": "i-1", "RamRoleName": "EcsRole"},
                {"InstanceId": "i-2", "RamRoleName": "Other"}
            ])
        );

        let body = json(&client.call(&mut service, detach(Some("EcsRole"), &["i-1"])));
        assert_eq!(body["FailCount"], 0);
        let result = &body["DetachInstanceRamRoleResults"]["DetachInstanceRamRoleResult"][0];
        assert_eq!(result["Code"], "200");
        assert_eq!(
            result["InstanceRamRoleSets"]["InstanceRamRoleSet"],
            serde_json::json!([{"InstanceId": "i-1", "RamRoleName": "EcsRole"}])
        );
        assert_eq!(role_of(&service, "i-1"), None);
    }
}

#[test]
fn per_instance_failures_are_counted_and_coded() {
    let mut service = service();
    let mut client = Client::v1(Some(Format::Json));
    let body = json(&client.call(
        &mut service,
        attach("EcsRole", &["i-1", "i-2", "i-3", "i-4", "i-nope"]),
    ));
    assert_eq!(
        (body["TotalCount"].as_u64(), body["FailCount"].as_u64()),
        (Some(5), Some(4))
    );
    let found = results(&body, "AttachInstanceRamRoleResult");
    let want = [
        ("i-1:200", "success", true),
        (
            &format!("i-2:{ROLE_ATTACHED}")[..],
            "The instance already has another instance RAM role.",
            false,
        ),
        (
            "i-3:InvalidNetworkType.MismatchRamRole",
            "Ram role cannot be attached to instances of Classic network type.",
            false,
        ),
        // i-4 is in another region.
        (
            "i-4:InvalidInstanceId.NotFound",
            "The specified InstanceId does not exist.",
            false,
        ),
        (
            "i-nope:InvalidInstanceId.NotFound",
            "The specified InstanceId does not exist.",
            false,
        ),
    ];
    let want: Vec<(String, String, bool)> = want
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), *c))
        .collect();
    assert_eq!(found, want);
    assert_eq!(
        role_of(&service, "i-2").as_deref(),
        Some("Other"),
        "unchanged"
    );

    // Attaching the role an instance already has succeeds and changes nothing.
    let body = json(&client.call(&mut service, attach("EcsRole", &["i-1"])));
    assert_eq!(body["FailCount"], 0);

    let body = json(&client.call(
        &mut service,
        detach(Some("EcsRole"), &["i-1", "i-2", "i-3", "i-1"]),
    ));
    let found = results(&body, "DetachInstanceRamRoleResult");
    let codes: Vec<&str> = found.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "i-1:200".to_owned(),
            format!("i-2:{ROLE_NOT_MATCH}"),
            "i-3:InvalidNetworkType.MismatchRamRole".to_owned(),
            format!("i-1:{ROLE_NOT_ATTACHED}"),
        ]
    );
    assert_eq!(body["FailCount"], 3);
    // The mismatch names the role the instance does have.
    assert_eq!(
        body["DetachInstanceRamRoleResults"]["DetachInstanceRamRoleResult"][1]["InstanceRamRoleSets"]
            ["InstanceRamRoleSet"][0]["RamRoleName"],
        "Other"
    );
    // Without RamRoleName, whatever role there is goes.
    let body = json(&client.call(&mut service, detach(None, &["i-2"])));
    assert_eq!(body["FailCount"], 0);
    assert_eq!(role_of(&service, "i-2"), None);
}

#[test]
fn whole_call_errors_have_their_documented_status() {
    let mut client = Client::v1(Some(Format::Json));
    let mut nopass = Client {
        key: "nopass",
        secret: "nopasssecret",
        ..Client::v1(Some(Format::Json))
    };
    let describe_nothing = Request::from_params(
        Action::DescribeInstanceRamRole,
        [("RegionId", ParamValue::Text("cn-hangzhou".into()))],
    );
    // The builder refuses AllEmpty, so send it by hand through the query decoder's path.
    assert!(describe_nothing.is_err());
    let other_region = AttachInstanceRamRole::builder()
        .region_id("us-west-1")
        .ram_role_name("EcsRole")
        .instance_ids(ids(&["i-1"]))
        .build()
        .unwrap();
    let table: Vec<(Sent, u16, &str, &str)> = vec![
        (
            client.signed(attach("Nope", &["i-1"])),
            404,
            "InvalidRamRole.NotFound",
            "The specified RamRoleName does not exist.",
        ),
        (
            client.signed(attach("NotForEcs", &["i-1"])),
            404,
            "InvalidRamRole.NotEcsRole",
            "The specified ram role is not authorized for ecs, please check your role policy.",
        ),
        (
            nopass.signed(attach("EcsRole", &["i-1"])),
            403,
            "InvalidUser.PassRoleForbidden",
            "The RAM user does not have the privilege to pass a RAM role.",
        ),
        (
            client.signed(detach(Some("Nope"), &["i-2"])),
            404,
            "InvalidRamRole.NotFound",
            "The specified RamRoleName does not exist.",
        ),
        (
            client.signed(other_region),
            404,
            "InvalidRegionId.NotFound",
            "The specified RegionId does not exist.",
        ),
    ];
    let mut service = service();
    for (sent, status, code, message) in table {
        let answer = sent.send(&mut service, NOW);
        let body = json(&answer);
        assert_eq!((answer.status, body["Code"].as_str()), (status, Some(code)));
        assert_eq!(body["Message"], message);
        assert_eq!(body["HostId"], "ecs.aliyuncs.com");
        assert_eq!(
            body["RequestId"],
            answer.header("x-acs-request-id").unwrap()
        );
        assert!(body["Recommend"].as_str().unwrap().contains(code));
    }
    assert_eq!(role_of(&service, "i-1"), None, "nothing applied");
    // PassRole is Attach's alone: the same key may detach.
    let answer = nopass.call(&mut service, detach(None, &["i-2"]));
    assert_eq!(answer.status, 200);
}

#[test]
fn describe_without_filters_is_all_empty_and_pages() {
    let mut service = Service::new(
        State::from_json(STATE).unwrap(),
        Vec::new(),
        Options::default().with_verify(false),
    );
    let send = |service: &mut Service, query: &str| {
        service.handle(
            &HttpRequest::new("GET", "/", query, &[], b""),
            NOW,
            &mut || 0.5,
        )
    };
    let base = "Action=DescribeInstanceRamRole&Version=2014-05-26&Format=JSON&RegionId=cn-hangzhou";
    let answer = send(&mut service, base);
    assert_eq!(answer.status, 403);
    assert_eq!(json(&answer)["Code"], "InvalidParameter.AllEmpty");

    // Twelve instances with the role: pages of 5.
    let mut state: Value = serde_json::from_str(STATE).unwrap();
    for n in 0..12 {
        state["instances"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"region": "cn-hangzhou", "id": format!("i-p{n:02}"), "ram_role": "EcsRole"}));
    }
    service.set_state(State::from_json(&state.to_string()).unwrap());
    let page = |service: &mut Service, number: u32| {
        let body = json(&send(
            service,
            &format!("{base}&RamRoleName=EcsRole&PageSize=5&PageNumber={number}"),
        ));
        assert_eq!(body["TotalCount"], 12);
        assert_eq!(
            (body["PageNumber"].as_u64(), body["PageSize"].as_u64()),
            (Some(number.into()), Some(5))
        );
        body["InstanceRamRoleSets"]["InstanceRamRoleSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["InstanceId"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        page(&mut service, 1),
        ["i-p00", "i-p01", "i-p02", "i-p03", "i-p04"]
    );
    assert_eq!(page(&mut service, 3), ["i-p10", "i-p11"]);
    assert!(page(&mut service, 4).is_empty());
    // The default page is 10 long; an unknown role finds nothing.
    let body = json(&send(&mut service, &format!("{base}&RamRoleName=EcsRole")));
    assert_eq!(
        body["InstanceRamRoleSets"]["InstanceRamRoleSet"]
            .as_array()
            .unwrap()
            .len(),
        10
    );
    assert_eq!(body["PageSize"], 10);
    let body = json(&send(&mut service, &format!("{base}&RamRoleName=Nope")));
    assert_eq!(body["TotalCount"], 0);
}

#[test]
fn formats_follow_the_request() {
    let mut service = service();
    // V1 without Format: XML, as the service does.
    let answer = Client::v1(None).call(&mut service, attach("EcsRole", &["i-1"]));
    assert_eq!(
        answer.header("content-type"),
        Some("text/xml;charset=utf-8")
    );
    let xml = String::from_utf8(answer.body).unwrap();
    assert!(
        xml.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><AttachInstanceRamRoleResponse>"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<TotalCount>1</TotalCount><FailCount>0</FailCount>"),
        "{xml}"
    );
    // An error in XML too.
    let answer = Client::v1(None).call(&mut service, attach("Nope", &["i-1"]));
    let xml = String::from_utf8(answer.body).unwrap();
    assert!(xml.contains("<Error><RequestId>"), "{xml}");
    assert!(
        xml.contains("<Code>InvalidRamRole.NotFound</Code>"),
        "{xml}"
    );
    // V3 answers as accept asks, JSON by default.
    let answer = Client::v3(Some(Format::Xml)).call(&mut service, attach("EcsRole", &["i-1"]));
    assert_eq!(
        answer.header("content-type"),
        Some("text/xml;charset=utf-8")
    );
    let answer = Client::v3(None).call(&mut service, detach(None, &["i-1"]));
    assert_eq!(
        answer.header("content-type"),
        Some("application/json;charset=utf-8")
    );
}

#[test]
fn v1_parameters_are_read_from_a_form_body_as_from_the_query() {
    // pop-core POSTs every parameter in the body.
    let mut service = service();
    let sent = Client::v1(Some(Format::Json)).signed(attach("EcsRole", &["i-1"]));
    let form = Sent {
        method: "POST",
        query: String::new(),
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body: sent.query.clone(),
    };
    let answer = form.send(&mut service, NOW);
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(role_of(&service, "i-1").as_deref(), Some("EcsRole"));
}

#[test]
fn verification_replay_and_the_clock() {
    for v3 in [false, true] {
        let mut service = service();
        let new = |v3| {
            if v3 {
                Client::v3(None)
            } else {
                Client::v1(Some(Format::Json))
            }
        };
        let code = |answer: &Answer| {
            (
                answer.status,
                json(answer)["Code"].as_str().unwrap().to_owned(),
            )
        };

        // A wrong secret: the service's SignatureDoesNotMatch, with its string to sign.
        let mut wrong = Client {
            secret: "wrong",
            ..new(v3)
        };
        let answer = wrong.call(&mut service, attach("EcsRole", &["i-1"]));
        assert_eq!(code(&answer), (400, "SignatureDoesNotMatch".into()));
        assert!(
            json(&answer)["Message"]
                .as_str()
                .unwrap()
                .contains("server string to sign is:")
        );
        // An unknown key.
        let mut unknown = Client {
            key: "ghost",
            ..new(v3)
        };
        let answer = unknown.call(&mut service, attach("EcsRole", &["i-1"]));
        assert_eq!(code(&answer), (400, "InvalidAccessKeyId.NotFound".into()));

        // The same signed request twice: the second is a replay, and changes nothing.
        let mut client = new(v3);
        let sent = client.signed(attach("EcsRole", &["i-1"]));
        assert_eq!(sent.send(&mut service, NOW).status, 200);
        service.set_state(State::from_json(STATE).unwrap());
        let answer = sent.send(&mut service, NOW + 60);
        assert_eq!(code(&answer), (400, "SignatureNonceUsed".into()));
        assert_eq!(role_of(&service, "i-1"), None);

        // Fifteen minutes either way is in the window; a second more is not.
        for (skew, ok) in [(900, true), (-900, true), (901, false), (-901, false)] {
            let mut client = Client {
                at: NOW + skew,
                ..new(v3)
            };
            let answer = client.call(&mut service, detach(None, &["i-1"]));
            if ok {
                assert_eq!(answer.status, 200, "skew {skew}");
            } else {
                assert_eq!(
                    code(&answer),
                    (400, "InvalidTimeStamp.Expired".into()),
                    "skew {skew}"
                );
            }
        }
    }
}

#[test]
fn a_malformed_timestamp_is_illegal() {
    let mut service = service();
    let sent = Client::v1(Some(Format::Json)).signed(attach("EcsRole", &["i-1"]));
    let query = sent.query.replace(
        "Timestamp=2026-11-30T12%3A00%3A00Z",
        "Timestamp=2026-11-30T12%3A00%3A00",
    );
    assert_ne!(query, sent.query);
    let answer = Sent { query, ..sent }.send(&mut service, NOW);
    assert_eq!(
        (answer.status, json(&answer)["Code"].as_str()),
        (400, Some("IllegalTimestamp"))
    );
}

#[test]
fn without_verification_unsigned_requests_are_served() {
    let mut service = Service::new(
        State::from_json(STATE).unwrap(),
        Vec::new(),
        Options::default().with_verify(false),
    );
    let query = "Action=AttachInstanceRamRole&Version=2014-05-26&RegionId=cn-hangzhou\
                 &RamRoleName=EcsRole&InstanceIds=%5B%22i-1%22%5D";
    let answer = service.handle(
        &HttpRequest::new("GET", "/", query, &[], b""),
        NOW,
        &mut || 0.5,
    );
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-type"),
        Some("text/xml;charset=utf-8")
    );
    // A V3-shaped request without an authorization: its headers name the operation.
    let headers = [
        ("x-acs-action", "DetachInstanceRamRole"),
        ("x-acs-version", "2014-05-26"),
    ];
    let query = "RegionId=cn-hangzhou&InstanceIds=%5B%22i-1%22%5D";
    let answer = service.handle(
        &HttpRequest::new("POST", "/", query, &headers, b""),
        NOW,
        &mut || 0.5,
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(
        answer.header("content-type"),
        Some("application/json;charset=utf-8")
    );
    assert_eq!(role_of(&service, "i-1"), None);
}

#[test]
fn faults_fire_by_count_every_call_or_draw_and_change_nothing() {
    let mut service = service();
    let rules = FaultRule::list_from_json(
        r#"[{"operation": "AttachInstanceRamRole", "nth": 2, "fault": {"kind": "throttle", "retry_after_ms": 1500}},
            {"operation": "DetachInstanceRamRole", "probability": 0.25, "fault": {"kind": "status", "status": 503, "code": "ServiceUnavailable"}}]"#,
    )
    .unwrap();
    service.set_faults(rules);
    let mut client = Client::v1(Some(Format::Json));
    assert_eq!(
        client
            .call(&mut service, attach("EcsRole", &["i-1"]))
            .status,
        200
    );
    // The second Attach is throttled: 400 Throttling.User with x-acs-retry-after, and
    // the same signed request goes through afterwards (the nonce was not spent).
    let sent = client.signed(detach(None, &["i-1"]));
    let again = client.signed(attach("Other", &["i-1"]));
    assert_eq!(
        sent.send(&mut service, NOW).status,
        200,
        "draw 0.5 >= 0.25: no fault"
    );
    let answer = again.send(&mut service, NOW);
    assert_eq!(answer.status, 400);
    assert_eq!(json(&answer)["Code"], "Throttling.User");
    assert_eq!(answer.header("x-acs-retry-after"), Some("1500"));
    assert_eq!(
        role_of(&service, "i-1"),
        None,
        "a faulted call changes nothing"
    );
    assert_eq!(
        again.send(&mut service, NOW).status,
        200,
        "third Attach: no fault"
    );
    assert_eq!(role_of(&service, "i-1").as_deref(), Some("Other"));

    // The draw decides a probability rule: below 0.25 fires.
    let sent = client.signed(detach(None, &["i-1"]));
    let headers: Vec<(&str, &str)> = Vec::new();
    let http = HttpRequest::new("POST", "/", &sent.query, &headers, b"");
    let answer = service.handle(&http, NOW, &mut || 0.1);
    assert_eq!(
        (answer.status, json(&answer)["Code"].as_str()),
        (503, Some("ServiceUnavailable"))
    );
    assert_eq!(service.handle(&http, NOW, &mut || 0.9).status, 200);

    let log: Vec<_> = service.requests().collect();
    let faults: Vec<Option<&str>> = log.iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        [None, None, Some("throttle"), None, Some("status"), None]
    );
}

#[test]
fn each_fault_kind_answers_as_documented() {
    let kinds = [
        r#"{"kind": "html_502"}"#,
        r#"{"kind": "empty"}"#,
        r#"{"kind": "truncated"}"#,
        r#"{"kind": "close"}"#,
        r#"{"kind": "delay", "ms": 200}"#,
    ];
    for kind in kinds {
        let mut service = service();
        let rules = format!(r#"[{{"every": true, "fault": {kind}}}]"#);
        service.set_faults(FaultRule::list_from_json(&rules).unwrap());
        let answer = Client::v1(Some(Format::Json)).call(&mut service, attach("EcsRole", &["i-1"]));
        let body = String::from_utf8_lossy(&answer.body).into_owned();
        match &kind[10..14] {
            "html" => {
                assert_eq!(
                    (answer.status, answer.header("content-type")),
                    (502, Some("text/html"))
                );
                assert!(body.contains("502 Bad Gateway"));
            }
            "empt" => assert_eq!((answer.status, body.as_str()), (200, "")),
            "trun" => {
                assert_eq!(answer.status, 200);
                assert!(body.starts_with("{\"RequestId\":"), "{body}");
                assert!(serde_json::from_str::<Value>(&body).is_err(), "cut: {body}");
            }
            "clos" => assert!(answer.close),
            _ => {
                assert_eq!((answer.status, answer.delay_ms), (200, 200));
                assert_eq!(
                    role_of(&service, "i-1").as_deref(),
                    Some("EcsRole"),
                    "delay proceeds"
                );
                continue;
            }
        }
        assert_eq!(role_of(&service, "i-1"), None, "{kind}: nothing applied");
    }
}

#[test]
fn admin_state_faults_requests_and_reset() {
    let mut service = Service::new(
        State::from_json(STATE).unwrap(),
        vec![AccessKey::new("cli", AccessKeySecret::new("clisecret").unwrap()).unwrap()],
        Options::default(),
    );
    let admin = |service: &mut Service, method: &'static str, path: &str, body: &str| {
        let http = HttpRequest::new(method, path, "", &[], body.as_bytes());
        service.handle(&http, NOW, &mut || 0.5)
    };
    // GET shows no secret; PUT of what GET showed keeps every key working.
    let got = admin(&mut service, "GET", "/_mock/state", "");
    let text = String::from_utf8(got.body).unwrap();
    for secret in ["testsecret", "nopasssecret", "clisecret"] {
        assert!(!text.contains(secret), "{text}");
    }
    let state: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        state["instances"][1],
        serde_json::json!({"region": "cn-hangzhou", "id": "i-2", "network_type": "vpc", "ram_role": "Other"})
    );
    assert_eq!(
        admin(&mut service, "PUT", "/_mock/state", &text).status,
        204
    );
    let answer = Client::v1(Some(Format::Json)).call(&mut service, attach("EcsRole", &["i-1"]));
    assert_eq!(answer.status, 200);
    // A key that is new needs a secret; bad JSON says where.
    let answer = admin(
        &mut service,
        "PUT",
        "/_mock/state",
        r#"{"access_keys": [{"id": "new"}]}"#,
    );
    assert_eq!(answer.status, 400);
    assert_eq!(
        json(&answer)["error"],
        "access_keys[0].secret: required for a key not already known"
    );
    let answer = admin(&mut service, "PUT", "/_mock/state", "{\n \"instances\": 1}");
    assert_eq!(answer.status, 400);
    assert!(
        json(&answer)["error"]
            .as_str()
            .unwrap()
            .starts_with("line 2, column "),
        "{:?}",
        json(&answer)
    );
    // The --credentials key comes back after a PUT that leaves it out.
    assert_eq!(
        admin(
            &mut service,
            "PUT",
            "/_mock/state",
            r#"{"roles": [{"name": "EcsRole"}]}"#
        )
        .status,
        204
    );
    let state: Value = json(&admin(&mut service, "GET", "/_mock/state", ""));
    assert_eq!(
        state["access_keys"],
        serde_json::json!([{"id": "cli", "can_pass_role": true}])
    );

    // Faults round-trip; reset clears them, the log and the state.
    let rules = r#"[{"operation":"AttachInstanceRamRole","nth":1,"fault":{"kind":"close"}}]"#;
    assert_eq!(
        admin(&mut service, "PUT", "/_mock/faults", rules).status,
        204
    );
    assert_eq!(
        json(&admin(&mut service, "GET", "/_mock/faults", "")),
        serde_json::from_str::<Value>(rules).unwrap()
    );
    let answer = admin(
        &mut service,
        "PUT",
        "/_mock/faults",
        r#"[{"nth": 1, "probability": 0.5, "fault": {"kind": "close"}}]"#,
    );
    assert_eq!(
        json(&answer)["error"],
        "[0].nth: give exactly one of nth, every and probability"
    );
    assert!(service.requests().len() > 0);
    let answer = admin(&mut service, "POST", "/_mock/reset", "");
    assert!(answer.reseed);
    assert_eq!(service.requests().len(), 0);
    assert!(service.faults().is_empty());
    assert_eq!(service.state().instances().len(), 4);
    assert_eq!(
        admin(&mut service, "DELETE", "/_mock/state", "").status,
        405
    );
    assert_eq!(admin(&mut service, "GET", "/_mock/nothing", "").status, 404);
}

#[test]
fn the_request_log_redacts_tokens_and_accounts_for_changes() {
    let mut service = service();
    let credentials = Credentials::new("testid", AccessKeySecret::new("testsecret").unwrap())
        .unwrap()
        .with_security_token("sts-token-value")
        .unwrap();
    for options in [
        EncodeOptions::new(Method::Post, Some(Format::Json)),
        EncodeOptions::v3(Method::Post, None),
    ] {
        let at = Timestamp::from_unix_seconds(u64::try_from(NOW).unwrap()).unwrap();
        let nonce = Nonce::new(format!("{:?}", options.algorithm())).unwrap();
        let signed =
            Request::from(attach("EcsRole", &["i-1"])).sign(&options, &credentials, &at, &nonce);
        let headers: Vec<(&str, &str)> = signed
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        service.handle(
            &HttpRequest::new("POST", "/", signed.query(), &headers, b""),
            NOW,
            &mut || 0.5,
        );
    }
    let log = serde_json::to_string(&service.requests().collect::<Vec<_>>()).unwrap();
    assert!(!log.contains("sts-token-value"), "{log}");
    assert!(!log.contains("testsecret"), "{log}");
    assert_eq!(log.matches("<redacted>").count(), 2, "{log}");
    let records: Value = serde_json::from_str(&log).unwrap();
    assert_eq!(records[0]["operation"], "AttachInstanceRamRole");
    assert_eq!(records[0]["status"], 200);
    assert_eq!(
        records[0]["changes"],
        serde_json::json!([{"instance_id": "i-1", "from": null, "to": "EcsRole"}])
    );
    // The second attach (same role) changes nothing.
    assert_eq!(records[1]["changes"], serde_json::json!([]));
}

#[test]
fn ids_that_cannot_be_echoed_are_malformed() {
    let mut service = service();
    let answer = Client::v1(None).call(&mut service, attach("EcsRole", &["i-1", "i-\u{1}"]));
    assert_eq!(answer.status, 400);
    let xml = String::from_utf8(answer.body).unwrap();
    assert!(
        xml.contains("<Code>InvalidInstanceIds.Malformed</Code>"),
        "{xml}"
    );
    assert_eq!(role_of(&service, "i-1"), None, "nothing applied");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// One call: 0 attach, 1 detach, 2 describe; a role; some instances.
    fn call() -> impl Strategy<Value = (u8, usize, Vec<usize>, bool)> {
        (
            0u8..3,
            0usize..4,
            proptest::collection::vec(0usize..6, 1..5),
            any::<bool>(),
        )
    }

    const ROLES: [&str; 4] = ["EcsRole", "Other", "NotForEcs", "Nope"];
    const INSTANCES: [&str; 6] = ["i-1", "i-2", "i-3", "i-4", "i-5", "i-nope"];

    fn query(op: u8, role: usize, instances: &[usize], named: bool) -> String {
        let ids: Vec<&str> = instances.iter().map(|&i| INSTANCES[i]).collect();
        let ids = percent_encode(&serde_json::to_string(&ids).unwrap());
        let action = [
            "AttachInstanceRamRole",
            "DetachInstanceRamRole",
            "DescribeInstanceRamRole",
        ][op as usize];
        let role = if named || op == 0 {
            format!("&RamRoleName={}", ROLES[role])
        } else {
            String::new()
        };
        format!(
            "Action={action}&Version=2014-05-26&Format=JSON&RegionId=cn-hangzhou&InstanceIds={ids}{role}"
        )
    }

    proptest! {
        /// Any sequence of calls leaves every instance with at most one role, a role that
        /// exists, none on a classic instance; and replaying the log's changes over the
        /// starting state gives the final state, each change starting from the role the
        /// instance had (no lost update).
        #[test]
        fn calls_keep_the_invariants_and_the_log_accounts_for_them(calls in proptest::collection::vec(call(), 1..40)) {
            let mut state: Value = serde_json::from_str(STATE).unwrap();
            state["instances"].as_array_mut().unwrap().push(serde_json::json!({"region": "cn-hangzhou", "id": "i-5"}));
            let start = State::from_json(&state.to_string()).unwrap();
            let mut service = Service::new(start.clone(), Vec::new(), Options::default().with_verify(false));
            for (op, role, instances, named) in calls {
                let q = query(op, role, &instances, named);
                let answer = service.handle(&HttpRequest::new("POST", "/", &q, &[], b""), NOW, &mut || 0.5);
                prop_assert!(matches!(answer.status, 200 | 403 | 404), "{} {}", answer.status, String::from_utf8_lossy(&answer.body));
            }
            let mut roles: std::collections::BTreeMap<String, Option<String>> = start
                .instances()
                .iter()
                .map(|i| (i.id.clone(), i.ram_role.clone()))
                .collect();
            for record in service.requests() {
                for change in &record.changes {
                    let current = roles.get_mut(&change.instance_id).unwrap();
                    prop_assert_eq!(&*current, &change.from);
                    *current = change.to.clone();
                }
            }
            for instance in service.state().instances() {
                prop_assert_eq!(&roles[&instance.id], &instance.ram_role);
                if let Some(role) = &instance.ram_role {
                    prop_assert!(service.state().role(role).is_some_and(|r| r.ecs_trusted));
                    prop_assert!(instance.network_type == ecs_ramrole::service::NetworkType::Vpc);
                }
            }
        }

        /// Arbitrary requests never panic, and nothing but a 200 changes the state.
        #[test]
        fn junk_is_answered_and_changes_nothing(
            method in prop::sample::select(vec!["GET", "POST", "PUT", ""]),
            query in "[A-Za-z0-9=&%+\\[\\]\"._-]{0,120}",
            body in proptest::collection::vec(any::<u8>(), 0..64),
            header in prop::sample::select(vec!["authorization", "x-acs-action", "content-type", "accept", "x-acs-date"]),
            value in "[ -~]{0,40}",
            prefix in prop::sample::select(vec!["", "Action=AttachInstanceRamRole&Version=2014-05-26&", "Action=DetachInstanceRamRole&Version=2014-05-26&RegionId=cn-hangzhou&InstanceIds=%5B%22i-2%22%5D&"]),
            verify in any::<bool>(),
        ) {
            let mut service = Service::new(State::from_json(STATE).unwrap(), Vec::new(), Options::default().with_verify(verify));
            let before = service.state().to_json();
            let q = format!("{prefix}{query}");
            let headers = [(header, value.as_str())];
            let answer = service.handle(&HttpRequest::new(method, "/", &q, &headers, &body), NOW, &mut || 0.5);
            if answer.status != 200 {
                prop_assert_eq!(before, service.state().to_json());
                prop_assert!(answer.code.is_some());
            }
            prop_assert_eq!(service.requests().len(), 1);
        }
    }
}
