//! `ecs-ramrole check`: statuses, strict expected failures, reports and exit codes,
//! driven with tiny shell adapters whose behaviour is known.

// Tests write expected-failure files; the purity lint is for the library.
#![allow(clippy::disallowed_methods)]

use std::process::{Command, Output};

use serde_json::Value;

const DOC_SIGN: &str = "sign/y_doc_describe_regions";

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ecs-ramrole"))
        .arg("check")
        .args(args)
        .output()
        .unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn xfail_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("ecs-ramrole-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// An adapter that answers every envelope with the same verdict.
fn constant(verdict: &str) -> String {
    format!("cat >/dev/null; echo '{verdict}'")
}

#[test]
fn clean_run_exits_zero() {
    let out = check(&["--run", "sign/*"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stdout));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().last().unwrap().ends_with("passed, 0 failed"),
        "{text}"
    );
}

#[test]
fn wrong_verdicts_fail_and_crashes_never_count_as_rejections() {
    let reject = constant(r#"{"outcome":"reject","reject_kind":"constraint_violation"}"#);
    let out = check(&["--adapter", &reject, "--run", DOC_SIGN]);
    assert_eq!(code(&out), 1);
    // A crash on an n_ case (which expects a rejection) is still a crash.
    for adapter in [
        "cat >/dev/null; exit 3",
        "cat >/dev/null; echo not-json",
        "cat >/dev/null; echo '{}'",
        "sleep 5",
    ] {
        let out = check(&[
            "--adapter",
            adapter,
            "--run",
            "sign/n_empty_secret",
            "--timeout",
            "0.5",
            "--report",
            "json",
        ]);
        assert_eq!(code(&out), 1, "{adapter}");
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["cases"][0]["status"], "crash", "{adapter}");
    }
}

#[test]
fn unsupported_is_reported_not_passed() {
    let out = check(&[
        "--adapter",
        &constant(r#"{"outcome":"unsupported","reason":"no"}"#),
        "--run",
        "sign/*",
        "--report",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["pass"], 0);
    assert!(report["summary"]["unsupported"].as_u64().unwrap() > 10);
    assert_eq!(code(&out), 0, "unsupported alone does not fail the run");
}

#[test]
fn expected_failures_are_strict() {
    let reject = constant(r#"{"outcome":"reject","reject_kind":"constraint_violation"}"#);
    let listed = xfail_file(
        "listed",
        &format!("{DOC_SIGN}  # this adapter rejects everything\n"),
    );
    let out = check(&[
        "--adapter",
        &reject,
        "--run",
        DOC_SIGN,
        "--expected-failures",
        &listed,
        "--report",
        "json",
    ]);
    assert_eq!(code(&out), 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["cases"][0]["status"], "xfail");

    // Listed but passing: xpass fails the run.
    let out = check(&["--run", DOC_SIGN, "--expected-failures", &listed]);
    assert_eq!(code(&out), 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains("XPASS"));

    // A line that matches no selected case fails the run.
    let stale = xfail_file("stale", "# comment\nsign/no_such_case # gone\n");
    let out = check(&["--run", DOC_SIGN, "--expected-failures", &stale]);
    assert_eq!(code(&out), 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains("STALE"));
}

#[test]
fn levels_decide_what_fails_the_run() {
    // The should-level case answered wrongly: a warning, unless --strict.
    let id = "response/AttachInstanceRamRole/json/n_dup_keys";
    let wrong = constant(r#"{"outcome":"output","value":{}}"#);
    assert_eq!(code(&check(&["--adapter", &wrong, "--run", id])), 0);
    assert_eq!(
        code(&check(&["--adapter", &wrong, "--run", id, "--strict"])),
        1
    );
}

#[test]
fn reports_and_usage_errors() {
    let out = check(&["--run", "sign/y_doc_*", "--report", "junit"]);
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(
        xml.starts_with("<?xml")
            && xml.contains("<testsuite ")
            && xml.trim_end().ends_with("</testsuite>")
    );
    assert_eq!(xml.matches("<testcase ").count(), 2);
    // Usage and corpus errors exit 2.
    assert_eq!(code(&check(&["--report", "yaml"])), 2);
    assert_eq!(code(&check(&["--corpus", "/nonexistent-corpus"])), 2);
    let empty = std::env::temp_dir().join(format!("ecs-ramrole-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    assert_eq!(code(&check(&["--corpus", empty.to_str().unwrap()])), 2);
}
