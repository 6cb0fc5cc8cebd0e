//! The results of a check run, as text, JSON or JUnit XML.

use std::io::{self, Write};

use ecs_ramrole::conformance::Level;
use serde_json::{Value, json};

/// The report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
    Junit,
}

/// A case's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// The verdict met the expectation.
    Pass,
    /// A miss that fails the run.
    Fail,
    /// A miss at a level that does not fail the run (`should` without `--strict`, `may`).
    Warn,
    /// A listed expected failure that failed.
    Xfail,
    /// A listed expected failure that passed: fails the run.
    Xpass,
    /// No verdict: non-zero exit, timeout, unparseable output. Never a rejection.
    Crash,
    /// The adapter answered `unsupported`.
    Unsupported,
}

impl Status {
    const ALL: [Status; 7] = [
        Status::Pass,
        Status::Fail,
        Status::Warn,
        Status::Xfail,
        Status::Xpass,
        Status::Crash,
        Status::Unsupported,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Xfail => "xfail",
            Status::Xpass => "xpass",
            Status::Crash => "crash",
            Status::Unsupported => "unsupported",
        }
    }

    fn fails_run(self) -> bool {
        matches!(self, Status::Fail | Status::Xpass | Status::Crash)
    }
}

pub(crate) struct Outcome {
    pub(crate) id: String,
    pub(crate) kind: String,
    pub(crate) level: Level,
    pub(crate) status: Status,
    pub(crate) detail: String,
    pub(crate) verdict: Option<Value>,
    pub(crate) stderr: String,
}

pub(crate) struct Run {
    pub(crate) corpus_version: String,
    pub(crate) adapter: String,
    pub(crate) outcomes: Vec<Outcome>,
    pub(crate) stale_expected_failures: Vec<String>,
}

impl Run {
    pub(crate) fn failed(&self) -> bool {
        !self.stale_expected_failures.is_empty()
            || self.outcomes.iter().any(|o| o.status.fails_run())
    }

    fn count(&self, kind: Option<&str>, status: Status) -> usize {
        self.outcomes
            .iter()
            .filter(|o| kind.is_none_or(|k| o.kind == k) && o.status == status)
            .count()
    }
}

pub(crate) fn write(out: &mut impl Write, format: Format, run: &Run) -> io::Result<()> {
    match format {
        Format::Text => text(out, run),
        Format::Json => writeln!(out, "{:#}", json(run)),
        Format::Junit => junit(out, run),
    }
}

fn text(out: &mut impl Write, run: &Run) -> io::Result<()> {
    writeln!(
        out,
        "ecs-ramrole corpus {} against {}",
        run.corpus_version, run.adapter
    )?;
    for o in run.outcomes.iter().filter(|o| o.status != Status::Pass) {
        writeln!(
            out,
            "{:<11} {:<6} {}  {}",
            o.status.as_str().to_uppercase(),
            o.level.as_str(),
            o.id,
            o.detail
        )?;
        if matches!(o.status, Status::Crash | Status::Fail) && !o.stderr.trim().is_empty() {
            let tail: Vec<&str> = o.stderr.trim_end().lines().rev().take(3).collect();
            for line in tail.into_iter().rev() {
                writeln!(out, "            stderr: {line}")?;
            }
        }
    }
    for pattern in &run.stale_expected_failures {
        writeln!(
            out,
            "STALE       expected-failures entry {pattern:?} matches no case"
        )?;
    }
    writeln!(out)?;
    write!(out, "{:<10}", "kind")?;
    for s in Status::ALL {
        write!(out, " {:>11}", s.as_str())?;
    }
    writeln!(out)?;
    let kinds = ecs_ramrole::conformance::KINDS.iter().copied().map(Some);
    for kind in kinds.chain([None]) {
        write!(out, "{:<10}", kind.unwrap_or("total"))?;
        for s in Status::ALL {
            write!(out, " {:>11}", run.count(kind, s))?;
        }
        writeln!(out)?;
    }
    let passed = run.count(None, Status::Pass);
    let failed = run.outcomes.iter().filter(|o| o.status.fails_run()).count()
        + run.stale_expected_failures.len();
    writeln!(out, "{passed} passed, {failed} failed")
}

fn json(run: &Run) -> Value {
    let summary: serde_json::Map<String, Value> = Status::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), json!(run.count(None, *s))))
        .collect();
    json!({
        "corpus_version": run.corpus_version,
        "adapter": run.adapter,
        "failed": run.failed(),
        "summary": summary,
        "stale_expected_failures": run.stale_expected_failures,
        "cases": run.outcomes.iter().map(|o| json!({
            "id": o.id, "kind": o.kind, "level": o.level.as_str(), "status": o.status.as_str(),
            "detail": o.detail, "verdict": o.verdict, "stderr": o.stderr,
        })).collect::<Vec<_>>(),
    })
}

fn junit(out: &mut impl Write, run: &Run) -> io::Result<()> {
    let esc = |s: &str| quick_xml::escape::escape(s).into_owned();
    let failures = run
        .outcomes
        .iter()
        .filter(|o| matches!(o.status, Status::Fail | Status::Xpass))
        .count();
    let errors = run.count(None, Status::Crash);
    let skipped = run
        .outcomes
        .iter()
        .filter(|o| matches!(o.status, Status::Unsupported | Status::Xfail))
        .count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuite name="ecs-ramrole corpus {}" tests="{}" failures="{failures}" errors="{errors}" skipped="{skipped}">"#,
        esc(&run.corpus_version),
        run.outcomes.len()
    )?;
    for o in &run.outcomes {
        let (class, name) = o.id.rsplit_once('/').unwrap_or(("", &o.id));
        write!(
            out,
            r#"  <testcase classname="{}" name="{}">"#,
            esc(&class.replace('/', ".")),
            esc(name)
        )?;
        match o.status {
            Status::Fail | Status::Xpass => write!(
                out,
                r#"<failure message="{}"/>"#,
                esc(&format!("{}: {}", o.status.as_str(), o.detail))
            )?,
            Status::Crash => write!(out, r#"<error message="{}"/>"#, esc(&o.detail))?,
            Status::Unsupported | Status::Xfail => write!(
                out,
                r#"<skipped message="{}"/>"#,
                esc(&format!("{}: {}", o.status.as_str(), o.detail))
            )?,
            Status::Pass | Status::Warn => {}
        }
        if !o.stderr.is_empty() {
            write!(out, "<system-err>{}</system-err>", esc(&o.stderr))?;
        }
        writeln!(out, "</testcase>")?;
    }
    for pattern in &run.stale_expected_failures {
        writeln!(
            out,
            r#"  <testcase classname="expected-failures" name="{}"><failure message="matches no case"/></testcase>"#,
            esc(pattern)
        )?;
    }
    writeln!(out, "</testsuite>")
}
