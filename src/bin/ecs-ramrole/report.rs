//! The results of a check run, as text, JSON or JUnit XML. Every format counts the same
//! things: each case once by status, and each stale expected-failure line once.

use std::io::{self, Write};

use ecs_ramrole::conformance::{KINDS, Level};
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

/// An expected-failures line that matches no case of the corpus.
pub(crate) struct Stale {
    pub(crate) line: usize,
    pub(crate) pattern: String,
}

pub(crate) struct Run {
    pub(crate) corpus_version: String,
    pub(crate) adapter: String,
    pub(crate) outcomes: Vec<Outcome>,
    pub(crate) stale: Vec<Stale>,
}

impl Run {
    fn count(&self, kind: Option<&str>, status: Status) -> usize {
        self.outcomes
            .iter()
            .filter(|o| kind.is_none_or(|k| o.kind == k) && o.status == status)
            .count()
    }

    /// Cases that fail the run, and stale lines.
    fn failures(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.status.fails_run())
            .count()
            + self.stale.len()
    }

    pub(crate) fn failed(&self) -> bool {
        self.failures() > 0
    }
}

pub(crate) fn write(out: &mut impl Write, format: Format, run: &Run) -> io::Result<()> {
    match format {
        Format::Text => text(out, run),
        Format::Json => writeln!(out, "{:#}", json(run)),
        Format::Junit => junit(out, run),
    }
}

fn stale_message(s: &Stale) -> String {
    format!(
        "expected-failures line {} {:?} matches no case of the corpus",
        s.line, s.pattern
    )
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
    for s in &run.stale {
        writeln!(out, "STALE       {}", stale_message(s))?;
    }
    writeln!(out)?;
    write!(out, "{:<10}", "kind")?;
    for s in Status::ALL {
        write!(out, " {:>11}", s.as_str())?;
    }
    writeln!(out)?;
    let kinds = KINDS.iter().copied().map(Some);
    for kind in kinds.chain([None]) {
        write!(out, "{:<10}", kind.unwrap_or("total"))?;
        for s in Status::ALL {
            write!(out, " {:>11}", run.count(kind, s))?;
        }
        writeln!(out)?;
    }
    if !run.stale.is_empty() {
        writeln!(out, "stale expected-failure lines: {}", run.stale.len())?;
    }
    let counted: Vec<String> = [Status::Fail, Status::Xpass, Status::Crash]
        .into_iter()
        .map(|s| (s.as_str(), run.count(None, s)))
        .chain([("stale", run.stale.len())])
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{n} {name}"))
        .collect();
    let why = if counted.is_empty() {
        String::new()
    } else {
        format!(" ({})", counted.join(", "))
    };
    writeln!(
        out,
        "{} passed, {} failed{why}",
        run.count(None, Status::Pass),
        run.failures()
    )
}

fn json(run: &Run) -> Value {
    let mut summary: serde_json::Map<String, Value> = Status::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), json!(run.count(None, *s))))
        .collect();
    summary.insert("stale".into(), json!(run.stale.len()));
    summary.insert("failed".into(), json!(run.failures()));
    json!({
        "corpus_version": run.corpus_version,
        "adapter": run.adapter,
        "failed": run.failed(),
        "summary": summary,
        "stale_expected_failures": run.stale.iter().map(|s| json!({"line": s.line, "pattern": s.pattern})).collect::<Vec<_>>(),
        "cases": run.outcomes.iter().map(|o| json!({
            "id": o.id, "kind": o.kind, "level": o.level.as_str(), "status": o.status.as_str(),
            "detail": o.detail, "verdict": o.verdict, "stderr": o.stderr,
        })).collect::<Vec<_>>(),
    })
}

/// What a JUnit `<testcase>` holds besides its name.
enum Element<'a> {
    None,
    Failure(String),
    Error(&'a str),
    Skipped(String),
}

fn junit(out: &mut impl Write, run: &Run) -> io::Result<()> {
    let esc = |s: &str| quick_xml::escape::escape(s).into_owned();
    // Each test case once, as (class, name, element, stderr); the counts are read off
    // this list, so they are the counts of what is written.
    let mut cases: Vec<(String, String, Element<'_>, &str)> = run
        .outcomes
        .iter()
        .map(|o| {
            let (class, name) = o.id.rsplit_once('/').unwrap_or(("", &o.id));
            let element = match o.status {
                Status::Fail | Status::Xpass => {
                    Element::Failure(format!("{}: {}", o.status.as_str(), o.detail))
                }
                Status::Crash => Element::Error(&o.detail),
                Status::Unsupported | Status::Xfail => {
                    Element::Skipped(format!("{}: {}", o.status.as_str(), o.detail))
                }
                Status::Pass | Status::Warn => Element::None,
            };
            (
                class.replace('/', "."),
                name.to_owned(),
                element,
                o.stderr.as_str(),
            )
        })
        .collect();
    cases.extend(run.stale.iter().map(|s| {
        (
            "expected-failures".to_owned(),
            format!("line {}: {}", s.line, s.pattern),
            Element::Failure(stale_message(s)),
            "",
        )
    }));
    let count = |f: fn(&Element<'_>) -> bool| cases.iter().filter(|c| f(&c.2)).count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuite name="ecs-ramrole corpus {}" tests="{}" failures="{}" errors="{}" skipped="{}">"#,
        esc(&run.corpus_version),
        cases.len(),
        count(|e| matches!(e, Element::Failure(_))),
        count(|e| matches!(e, Element::Error(_))),
        count(|e| matches!(e, Element::Skipped(_))),
    )?;
    for (class, name, element, stderr) in &cases {
        write!(
            out,
            r#"  <testcase classname="{}" name="{}">"#,
            esc(class),
            esc(name)
        )?;
        match element {
            Element::Failure(message) => write!(out, r#"<failure message="{}"/>"#, esc(message))?,
            Element::Error(message) => write!(out, r#"<error message="{}"/>"#, esc(message))?,
            Element::Skipped(message) => write!(out, r#"<skipped message="{}"/>"#, esc(message))?,
            Element::None => {}
        }
        if !stderr.is_empty() {
            write!(out, "<system-err>{}</system-err>", esc(stderr))?;
        }
        writeln!(out, "</testcase>")?;
    }
    writeln!(out, "</testsuite>")
}
