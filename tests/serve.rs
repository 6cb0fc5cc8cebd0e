//! `ecs-ramrole serve` over real sockets: the lifecycle through an HTTP client, keep-alive,
//! many clients at once on the same instances, bad HTTP of every kind, faults that close
//! or delay, and a graceful stop.

// Tests do IO on purpose: files, sockets, processes.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ecs_ramrole::*;
use serde_json::Value;

const STATE: &str = r#"{
  "instances": [
    {"region": "cn-hangzhou", "id": "i-1", "network_type": "vpc", "ram_role": null},
    {"region": "cn-hangzhou", "id": "i-2", "network_type": "vpc", "ram_role": null},
    {"region": "cn-hangzhou", "id": "i-3", "network_type": "vpc", "ram_role": null}
  ],
  "roles": [{"name": "A", "ecs_trusted": true}, {"name": "B", "ecs_trusted": true}],
  "access_keys": [{"id": "testid", "secret": "testsecret", "can_pass_role": true}]
}"#;

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(extra: &[&str]) -> Self {
        // One folder per server: tests run side by side.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("ecs-ramrole-serve-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let state = dir.join("state.json");
        std::fs::write(&state, STATE).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-ramrole"))
            .args(["serve", "--listen", "127.0.0.1:0", "--state"])
            .arg(&state)
            .args(["--credentials", "cli:clisecret"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("first line: {line:?}"))
            .to_owned();
        Self { child, addr }
    }

    fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{path_and_query}", self.addr)
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into()
    }

    /// Sends a signed request; (status, headers, body).
    fn send(&self, agent: &ureq::Agent, signed: &SignedRequest) -> (u16, Value) {
        let mut request = ureq::http::Request::post(signed.url(&format!("http://{}", self.addr)));
        for (name, value) in signed.headers() {
            request = request.header(name, value);
        }
        let request = request.body(signed.body().to_owned()).unwrap();
        let mut response = agent.run(request).unwrap();
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap();
        (
            status,
            serde_json::from_str(&body).unwrap_or(Value::String(body)),
        )
    }

    fn admin(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path))
            .body(body.to_owned())
            .unwrap();
        let mut response = Self::agent().run(request).unwrap();
        let status = response.status().as_u16();
        (status, response.body_mut().read_to_string().unwrap())
    }

    fn state(&self) -> Value {
        serde_json::from_str(&self.admin("GET", "/_mock/state", "").1).unwrap()
    }

    /// A raw connection, for what no HTTP client would send.
    fn raw(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }

    fn still_serving(&self) {
        assert_eq!(
            self.admin("GET", "/_mock/state", "").0,
            200,
            "still serving"
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Signs with a fresh nonce at the current time.
fn sign(request: impl Into<Request>, options: &EncodeOptions, nonce: &str) -> SignedRequest {
    let credentials =
        Credentials::new("testid", AccessKeySecret::new("testsecret").unwrap()).unwrap();
    request.into().sign(
        options,
        &credentials,
        &Timestamp::from_unix_seconds(now()).unwrap(),
        &Nonce::new(nonce).unwrap(),
    )
}

fn attach(role: &str, ids: &[&str]) -> AttachInstanceRamRole {
    AttachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .ram_role_name(role)
        .instance_ids(InstanceIds::new(ids.iter().copied()).unwrap())
        .build()
        .unwrap()
}

fn detach(ids: &[&str]) -> DetachInstanceRamRole {
    DetachInstanceRamRole::builder()
        .region_id("cn-hangzhou")
        .instance_ids(InstanceIds::new(ids.iter().copied()).unwrap())
        .build()
        .unwrap()
}

/// Reads one HTTP/1.1 response off a raw stream: the status line's code and the
/// Content-Length body. `None` when the server closed the connection instead.
fn read_response(stream: &mut TcpStream) -> Option<(u16, String)> {
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    if reader.read_line(&mut status).ok()? == 0 {
        return None;
    }
    let code = status.split(' ').nth(1)?.parse().ok()?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((code, String::from_utf8_lossy(&body).into_owned()))
}

#[test]
fn the_lifecycle_through_an_http_client_v1_and_v3() {
    let server = Server::start(&[]);
    let agent = Server::agent();
    for (n, options) in [
        EncodeOptions::new(Method::Post, Some(Format::Json)),
        EncodeOptions::v3(Method::Post, None),
    ]
    .iter()
    .enumerate()
    {
        let (status, body) = server.send(
            &agent,
            &sign(attach("A", &["i-1"]), options, &format!("a{n}")),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["FailCount"], 0);
        assert_eq!(server.state()["instances"][0]["ram_role"], "A");
        let describe = DescribeInstanceRamRole::builder()
            .region_id("cn-hangzhou")
            .ram_role_name("A")
            .build()
            .unwrap();
        let (status, body) = server.send(&agent, &sign(describe, options, &format!("d{n}")));
        assert_eq!(status, 200);
        assert_eq!(
            body["InstanceRamRoleSets"]["InstanceRamRoleSet"],
            serde_json::json!([{"InstanceId": "i-1", "RamRoleName": "A"}])
        );
        let (status, _) = server.send(&agent, &sign(detach(&["i-1"]), options, &format!("x{n}")));
        assert_eq!(status, 200);
        assert_eq!(server.state()["instances"][0]["ram_role"], Value::Null);
        // The same signed request again is a replay.
        let signed = sign(detach(&["i-1"]), options, &format!("x{n}"));
        let (status, body) = server.send(&agent, &signed);
        assert_eq!(
            (status, body["Code"].as_str()),
            (400, Some("SignatureNonceUsed"))
        );
    }
    // A wrong secret, by the key given on the command line.
    let credentials = Credentials::new("cli", AccessKeySecret::new("wrong").unwrap()).unwrap();
    let signed = Request::from(attach("A", &["i-1"])).sign(
        &EncodeOptions::default(),
        &credentials,
        &Timestamp::from_unix_seconds(now()).unwrap(),
        &Nonce::new("wrong-1").unwrap(),
    );
    let (status, body) = server.send(&agent, &signed);
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("SignatureDoesNotMatch"))
    );
}

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let server = Server::start(&["--no-verify"]);
    let mut stream = server.raw();
    let query = "/?Action=DescribeInstanceRamRole&Version=2014-05-26&Format=JSON&RegionId=cn-hangzhou&RamRoleName=A";
    for _ in 0..20 {
        write!(stream, "GET {query} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let (status, body) = read_response(&mut stream).expect("an answer on the same connection");
        assert_eq!(status, 200, "{body}");
    }
}

#[test]
fn many_clients_on_the_same_instances_lose_no_update() {
    let server = Server::start(&[]);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let agent = Server::agent();
                let server = ServerRef { addr };
                for i in 0..25 {
                    let ids = [["i-1", "i-2"], ["i-2", "i-3"], ["i-3", "i-1"]][(t + i) % 3];
                    let role = if t % 2 == 0 { "A" } else { "B" };
                    let options = EncodeOptions::new(Method::Post, Some(Format::Json));
                    let nonce = format!("t{t}-{i}");
                    let signed = if i % 2 == 0 {
                        sign(attach(role, &ids), &options, &nonce)
                    } else {
                        sign(detach(&ids), &options, &nonce)
                    };
                    let status = server.send(&agent, &signed);
                    assert_eq!(status, 200);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let (status, log) = server.admin("GET", "/_mock/requests", "");
    assert_eq!(status, 200);
    let log: Vec<Value> = serde_json::from_str(&log).unwrap();
    assert_eq!(log.len(), 200);
    // Replaying the recorded changes in order gives the final state, and each change
    // starts from the role the instance had: no update was lost or interleaved.
    let mut roles: std::collections::BTreeMap<String, Value> = ["i-1", "i-2", "i-3"]
        .map(|i| (i.to_owned(), Value::Null))
        .into();
    let mut changed = 0;
    for record in &log {
        for change in record["changes"].as_array().unwrap() {
            let current = roles
                .get_mut(change["instance_id"].as_str().unwrap())
                .unwrap();
            assert_eq!(*current, change["from"], "{record}");
            *current = change["to"].clone();
            changed += 1;
        }
    }
    assert!(changed > 0);
    for instance in server.state()["instances"].as_array().unwrap() {
        assert_eq!(
            roles[instance["id"].as_str().unwrap()],
            instance["ram_role"]
        );
    }
}

/// The address alone, for threads.
struct ServerRef {
    addr: String,
}

impl ServerRef {
    fn send(&self, agent: &ureq::Agent, signed: &SignedRequest) -> u16 {
        let url = signed.url(&format!("http://{}", self.addr));
        agent.post(&url).send("").unwrap().status().as_u16()
    }
}

#[test]
fn bad_http_gets_its_answer_and_the_server_keeps_serving() {
    let server = Server::start(&[
        "--max-header-bytes",
        "8192",
        "--max-body-bytes",
        "1024",
        "--read-timeout-ms",
        "300",
    ]);
    // Not HTTP at all: 400 from the HTTP layer, connection closed.
    let mut stream = server.raw();
    stream.write_all(b"NONSENSE\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut stream).map(|r| r.0), Some(400));
    server.still_serving();

    // A head larger than the limit: 431.
    let mut stream = server.raw();
    let big = "x".repeat(20_000);
    let _ = write!(stream, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {big}\r\n\r\n");
    assert_eq!(read_response(&mut stream).map(|r| r.0), Some(431));
    server.still_serving();

    // A body over the limit: 413, declared or not.
    let mut stream = server.raw();
    let body = "a".repeat(2000);
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n{body}"
    )
    .unwrap();
    let (status, page) = read_response(&mut stream).unwrap();
    assert_eq!(status, 413, "{page}");
    let mut stream = server.raw();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n{body}\r\n0\r\n\r\n"
    )
    .unwrap();
    assert_eq!(read_response(&mut stream).map(|r| r.0), Some(413));
    server.still_serving();

    // A slow head: dropped after the read timeout.
    let mut stream = server.raw();
    stream.write_all(b"GET / HTTP/1.1\r\nHost:").unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "dropped, not hung"
    );
    server.still_serving();

    // A slow body: 408.
    let mut stream = server.raw();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        .unwrap();
    assert_eq!(read_response(&mut stream).map(|r| r.0), Some(408));
    server.still_serving();

    // A client that hangs up mid-request.
    for cut in [
        b"POST / HTTP/1.1\r\nHo".as_slice(),
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab",
    ] {
        let mut stream = server.raw();
        stream.write_all(cut).unwrap();
        drop(stream);
    }
    server.still_serving();

    // Unsigned and malformed requests get the service's own answer.
    let (status, body) = server.admin(
        "GET",
        "/?Action=AttachInstanceRamRole&Version=2014-05-26&Format=JSON",
        "",
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["Code"],
        "IncompleteSignature"
    );
    let (status, body) = server.admin(
        "GET",
        "/?Action=AttachInstanceRamRole&Version=2014-05-26&RegionId=%zz",
        "",
    );
    assert_eq!(status, 400);
    assert!(body.contains("<Code>InvalidParameter</Code>"), "{body}");
}

#[test]
fn faults_close_and_delay_over_the_wire() {
    let server = Server::start(&["--no-verify"]);
    let query = "/?Action=DescribeInstanceRamRole&Version=2014-05-26&Format=JSON&RegionId=cn-hangzhou&RamRoleName=A";
    let rules = r#"[{"operation": "DescribeInstanceRamRole", "nth": 1, "fault": {"kind": "close"}},
                    {"operation": "DescribeInstanceRamRole", "nth": 2, "fault": {"kind": "delay", "ms": 400}}]"#;
    assert_eq!(server.admin("PUT", "/_mock/faults", rules).0, 204);
    let mut stream = server.raw();
    write!(stream, "GET {query} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut stream), None, "closed without an answer");
    let started = Instant::now();
    let (status, _) = server.admin("GET", query, "");
    assert_eq!(status, 200);
    assert!(started.elapsed() >= Duration::from_millis(400));
    let (status, _) = server.admin("GET", query, "");
    assert_eq!(status, 200);
}

#[test]
fn a_stop_signal_answers_in_flight_requests_then_exits_zero() {
    let mut server = Server::start(&["--no-verify"]);
    let rules = r#"[{"every": true, "fault": {"kind": "delay", "ms": 700}}]"#;
    assert_eq!(server.admin("PUT", "/_mock/faults", rules).0, 204);
    let url = server.url("/?Action=DescribeInstanceRamRole&Version=2014-05-26&Format=JSON&RegionId=cn-hangzhou&RamRoleName=A");
    let in_flight = std::thread::spawn(move || {
        let mut response = Server::agent().get(&url).call().unwrap();
        (
            response.status().as_u16(),
            response.body_mut().read_to_string().unwrap(),
        )
    });
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let (status, body) = in_flight.join().unwrap();
    assert_eq!(status, 200, "{body}");
    let exit = server.child.wait().unwrap();
    assert_eq!(exit.code(), Some(0));
    let mut stderr = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("secret"), "{stderr}");
}

#[test]
fn a_bad_state_file_or_credentials_stop_the_start() {
    let dir = std::env::temp_dir().join(format!("ecs-ramrole-bad-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("bad.json");
    std::fs::write(
        &state,
        "{\"instances\": [{\"region\": \"r\", \"id\": \"i-1\", \"ram_role\": \"X\"}]}",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ecs-ramrole"))
        .args(["serve", "--listen", "127.0.0.1:0", "--state"])
        .arg(&state)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("instances[0].ram_role: no role is named \"X\""),
        "{stderr}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_ecs-ramrole"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--credentials",
            "nosecret",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected ID:SECRET"));
}
