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

/// The fault adapter, in persistent mode, misbehaving on the `n`-th envelope.
fn fault(mode: &str, n: usize) -> String {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fault_adapter.py"
    );
    format!("python3 {script} {mode} {n}")
}

fn statuses(out: &Output) -> Vec<String> {
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap().to_owned())
        .collect()
}

/// The case files of `corpus/sign/` (what `sign/*` selects), by name.
fn sign_case_names() -> Vec<String> {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/sign"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".json"))
        .collect()
}

fn sign_cases() -> usize {
    sign_case_names().len()
}

#[test]
fn persistent_adapters_crash_one_case_and_the_run_goes_on() {
    // Every adapter started afresh misbehaves on its 10th envelope: cases 10 and 20 crash.
    let every = 10;
    for mode in ["crash", "hang", "garbage", "exit"] {
        let out = check(&[
            "--adapter",
            &fault(mode, every),
            "--persistent",
            "--jobs",
            "1",
            "--run",
            "sign/*",
            "--timeout",
            "1",
            "--report",
            "json",
        ]);
        assert_eq!(code(&out), 1, "{mode}");
        let statuses = statuses(&out);
        assert_eq!(statuses.len(), sign_cases(), "{mode}: every case reported");
        for (i, status) in statuses.iter().enumerate() {
            let want = if (i + 1) % every == 0 {
                "crash"
            } else {
                "unsupported"
            };
            assert_eq!(status, want, "{mode}: case {}", i + 1);
        }
        if mode == "crash" {
            let report: Value = serde_json::from_slice(&out.stdout).unwrap();
            let stderr = report["cases"][every - 1]["stderr"].as_str().unwrap();
            assert!(stderr.contains("about to crash"), "{stderr:?}");
        }
    }
    // An answer given twice: the next case never takes the extra line as its own pass.
    let out = check(&[
        "--adapter",
        &fault("double", 2),
        "--persistent",
        "--jobs",
        "1",
        "--run",
        "sign/*",
        "--report",
        "json",
    ]);
    let statuses = statuses(&out);
    assert_eq!(statuses.len(), sign_cases());
    assert!(
        ["crash", "fail"].contains(&statuses[2].as_str()),
        "{statuses:?}"
    );
    assert_eq!(code(&out), 1);
}

#[test]
fn reports_are_the_same_for_any_number_of_jobs() {
    let ours = concat!(env!("CARGO_BIN_EXE_ecs-ramrole"), " adapter --persistent");
    let run = |jobs: &str| {
        let args = [
            "--adapter",
            ours,
            "--persistent",
            "--jobs",
            jobs,
            "--report",
            "json",
        ];
        String::from_utf8(check(&args).stdout).unwrap()
    };
    let one = run("1");
    assert!(
        one == run("4"),
        "--jobs 1 and --jobs 4 give byte-identical reports"
    );
    let mut report: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(report["failed"], false);
    // The one-shot mode agrees with the persistent one, but for the adapter's name.
    let one_shot = concat!(env!("CARGO_BIN_EXE_ecs-ramrole"), " adapter");
    let out = check(&["--adapter", one_shot, "--jobs", "3", "--report", "json"]);
    let mut one_shot: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["adapter"] = Value::Null;
    one_shot["adapter"] = Value::Null;
    assert!(one_shot == report, "one-shot and persistent reports differ");
}

#[test]
fn a_selection_of_nothing_is_an_error_not_a_green_run() {
    let out = check(&["--run", "sgn/*"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("matches none"));
}

#[test]
fn expected_failure_lines_outside_the_selection_are_ignored() {
    let list = xfail_file(
        "slices",
        "response/*/xml/y_doc_example  # another slice's line\nsign/y_doc_describe_regions # passes\nsign/never_* # no such case\n",
    );
    let out = check(&[
        "--run",
        "sign/*",
        "--expected-failures",
        &list,
        "--report",
        "json",
    ]);
    assert_eq!(code(&out), 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The response line is ignored; the never_ line is stale; the doc case is an xpass
    // naming its line.
    let stale = report["stale_expected_failures"].as_array().unwrap();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["line"], 3);
    let xpass: Vec<&Value> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "xpass")
        .collect();
    assert_eq!(xpass.len(), 1);
    assert!(
        xpass[0]["detail"]
            .as_str()
            .unwrap()
            .contains("line 2: sign/y_doc_describe_regions (passes)"),
        "{}",
        xpass[0]["detail"]
    );
    assert_eq!(report["summary"]["failed"], 2);
}

#[test]
fn every_report_counts_what_it_shows() {
    let list = xfail_file("counts", "sign/y_doc_describe_regions\nsign/gone\n");
    let reject = constant(r#"{"outcome":"reject","reject_kind":"constraint_violation"}"#);
    let args = [
        "--adapter",
        &reject,
        "--run",
        "sign/*",
        "--expected-failures",
        &list,
    ];
    // JUnit: the attributes are the counts of the elements inside.
    let out = check(&[&args[..], &["--report", "junit"]].concat());
    let xml = String::from_utf8(out.stdout).unwrap();
    let attr = |name: &str| -> usize {
        let at = xml.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        xml[at..].split('"').next().unwrap().parse().unwrap()
    };
    assert_eq!(attr("tests"), xml.matches("<testcase ").count());
    assert_eq!(attr("failures"), xml.matches("<failure ").count());
    assert_eq!(attr("errors"), xml.matches("<error ").count());
    assert_eq!(attr("skipped"), xml.matches("<skipped ").count());
    assert_eq!(
        attr("tests"),
        sign_cases() + 1,
        "every case and the stale line"
    );
    // Text: the table's failing columns and the stale count add up to the last line.
    let out = check(&[&args[..], &["--report", "text"]].concat());
    let text = String::from_utf8(out.stdout).unwrap();
    let total: Vec<usize> = text
        .lines()
        .find(|l| l.starts_with("total"))
        .unwrap()
        .split_whitespace()
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    let (fail, xpass, crash) = (total[1], total[4], total[5]);
    let last = text.lines().last().unwrap();
    let failed: usize = last
        .split(" passed, ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(failed, fail + xpass + crash + 1, "{text}");
    assert!(last.contains("1 stale"), "{last}");
}

/// The README's minimal adapter, copied as written, passes every V1 sign case.
#[test]
fn the_readme_adapter_passes_every_case_of_its_kind() {
    let readme = include_str!("../README.md");
    let start = readme.find("```python\n").unwrap() + "```python\n".len();
    let script = &readme[start..start + readme[start..].find("```").unwrap()];
    let path = xfail_file("readme_adapter.py", script);
    let out = check(&[
        "--adapter",
        &format!("python3 {path}"),
        "--persistent",
        "--run",
        "sign/*",
        "--report",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    for case in report["cases"].as_array().unwrap() {
        let v3 = case["verdict"]["reason"] == "V1 sign only";
        let want = if v3 { "unsupported" } else { "pass" };
        assert_eq!(case["status"], want, "{}: {}", case["id"], case["detail"]);
    }
    let v1 = sign_case_names()
        .iter()
        .filter(|name| !name.contains("_v3_"))
        .count();
    assert_eq!(report["summary"]["pass"], v1);
    assert_eq!(code(&out), 0);
}
