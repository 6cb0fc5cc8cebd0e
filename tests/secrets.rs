//! The secret never leaves: every signing case of the corpus is run with a distinctive
//! secret, and every output (verdicts, errors, Debug renderings) is searched for it, in
//! plain, percent-encoded and Base64 form.

// Tests read the corpus from disk; the purity lint is for the library.
#![allow(clippy::disallowed_methods)]

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use base64::Engine as _;
use ecs_ramrole::conformance::Case;
use ecs_ramrole::conformance::adapter;
use ecs_ramrole::{AccessKeySecret, Credentials, percent_encode};
use serde_json::{Value, json};

const SECRET: &str = "Zq7-LEAK-CANARY-secret+/=";

fn leaks(text: &str) -> bool {
    let encoded = percent_encode(SECRET).to_string();
    let b64 = base64::engine::general_purpose::STANDARD.encode(SECRET);
    text.contains(SECRET)
        || text.contains(&encoded)
        || text.contains(&b64)
        || text.contains("LEAK-CANARY")
}

/// Every envelope of the corpus that carries a secret, with the secret replaced.
fn signing_envelopes() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for dir in [
        "request/AttachInstanceRamRole",
        "request/DetachInstanceRamRole",
        "sign",
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(dir);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let case = Case::parse(&std::fs::read(&path).unwrap()).unwrap();
            let mut envelope = case.envelope(None);
            let input = &mut envelope["input"];
            if let Some(secret) = input.pointer_mut("/context/signing/access_key_secret") {
                *secret = json!(SECRET);
            } else if let Some(secret) = input.get_mut("access_key_secret") {
                *secret = json!(SECRET);
            } else {
                continue;
            }
            out.push((case.id().to_owned(), envelope));
        }
    }
    out
}

#[test]
fn no_verdict_contains_the_secret() {
    let envelopes = signing_envelopes();
    assert!(
        envelopes.len() > 80,
        "found {} signing cases",
        envelopes.len()
    );
    for (id, envelope) in envelopes {
        let output = match adapter::handle(envelope.to_string().as_bytes()) {
            Ok(verdict) => verdict.to_string(),
            Err(no_verdict) => no_verdict.to_string(),
        };
        assert!(!leaks(&output), "{id}: {output}");
    }
}

#[test]
fn the_adapter_process_leaks_nothing_on_stdout_or_stderr() {
    // A sample through the real process, including envelopes it cannot use.
    let mut inputs: Vec<Vec<u8>> = signing_envelopes()
        .into_iter()
        .take(5)
        .map(|(_, e)| e.to_string().into_bytes())
        .collect();
    inputs.push(
        format!(
            "{{\"protocol\":1,\"kind\":\"sign\",\"input\":{{\"access_key_secret\":\"{SECRET}\""
        )
        .into_bytes(),
    );
    inputs.push(format!("{{\"protocol\":2,\"access_key_secret\":\"{SECRET}\"}}").into_bytes());
    for input in inputs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-ramrole"))
            .arg("adapter")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let out = child.wait_with_output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!leaks(&all), "{all}");
    }
}

#[test]
fn debug_and_errors_redact() {
    let secret = AccessKeySecret::new(SECRET).unwrap();
    let credentials = Credentials::new("id", secret.clone())
        .unwrap()
        .with_security_token("tok")
        .unwrap();
    for text in [
        format!("{secret:?}"),
        format!("{secret}"),
        format!("{credentials:?}"),
    ] {
        assert!(!leaks(&text), "{text}");
    }
}
