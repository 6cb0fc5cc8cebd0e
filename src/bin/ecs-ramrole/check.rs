//! `ecs-ramrole check`: run every selected corpus case through an adapter and judge it.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ecs_ramrole::conformance::{Judgement, Level, adapter, judge};
use glob::Pattern;
use serde_json::Value;

use crate::corpus::{self, Loaded, Source};
use crate::report::{self, Format, Outcome, Run, Stale, Status};
use crate::runner::{OneShot, Persistent, Verdict};

/// What to run and how.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// Adapter command, run with `sh -c` (protocol 1 on stdin/stdout); once per case,
    /// or once per job with `--persistent`.
    #[arg(long, value_name = "CMD")]
    adapter: Option<String>,
    /// Start the adapter once and stream one envelope per line (protocol 1, persistent
    /// mode); a crash restarts it for the next case.
    #[arg(long, requires = "adapter")]
    persistent: bool,
    /// Adapters run side by side (default: the number of CPUs).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Corpus directory (default: the corpus embedded in this binary).
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Run only cases whose ID matches a glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    run: Vec<Pattern>,
    /// Skip cases whose ID matches a glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    skip: Vec<Pattern>,
    /// Expected failures: one glob per line, `# reason` after it. A listed case that
    /// passes, or a line that matches no case of the corpus, fails the run; a line whose
    /// cases are all outside the selection is ignored.
    #[arg(long, value_name = "FILE")]
    expected_failures: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    report: Format,
    /// Seconds an adapter may take per case.
    #[arg(long, default_value = "10", value_name = "SECONDS", value_parser = seconds)]
    timeout: Duration,
    /// Misses on `should` cases fail the run too.
    #[arg(long)]
    strict: bool,
}

fn seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{text:?} is not a positive number of seconds"))
}

/// One expected-failures line.
struct Expected {
    line: usize,
    pattern: Pattern,
    reason: String,
}

/// Exit codes: 0 clean, 1 conformance failures, 2 usage, corpus or protocol errors.
pub(crate) fn run(options: &Options) -> ExitCode {
    match try_run(options) {
        Ok(code) => code,
        Err(problems) => {
            for p in problems {
                eprintln!("ecs-ramrole check: {p}");
            }
            ExitCode::from(2)
        }
    }
}

fn try_run(options: &Options) -> Result<ExitCode, Vec<String>> {
    let source = options
        .corpus
        .clone()
        .map_or(Source::Embedded, Source::Directory);
    let (version, cases) = corpus::load(&source)?;
    let expected = match &options.expected_failures {
        None => Vec::new(),
        Some(path) => read_expected_failures(path).map_err(|e| vec![e])?,
    };
    let selected: Vec<&Loaded> = cases
        .iter()
        .filter(|c| options.run.is_empty() || options.run.iter().any(|p| p.matches(c.case.id())))
        .filter(|c| !options.skip.iter().any(|p| p.matches(c.case.id())))
        .collect();
    if selected.is_empty() {
        return Err(vec![format!(
            "the selection (--run {:?}, --skip {:?}) matches none of the {} cases",
            options.run.iter().map(Pattern::as_str).collect::<Vec<_>>(),
            options.skip.iter().map(Pattern::as_str).collect::<Vec<_>>(),
            cases.len()
        )]);
    }

    let mut outcomes = run_cases(options, &selected).map_err(|e| vec![e])?;

    // Expected failures: a line applies to the selected cases it matches; a line that
    // matches only unselected cases is ignored; one that matches no case at all is stale.
    let mut stale = Vec::new();
    for line in &expected {
        let mut applied = false;
        for outcome in outcomes.iter_mut().filter(|o| line.pattern.matches(&o.id)) {
            applied = true;
            let listed = format!(
                "expected-failures line {}: {}{}",
                line.line,
                line.pattern.as_str(),
                if line.reason.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", line.reason)
                }
            );
            outcome.status = match outcome.status {
                Status::Pass => {
                    outcome.detail = format!("passes, but is listed on {listed}");
                    Status::Xpass
                }
                Status::Fail | Status::Warn | Status::Crash => {
                    outcome.detail = format!("{} [{listed}]", outcome.detail);
                    Status::Xfail
                }
                other => other,
            };
        }
        if !applied && !cases.iter().any(|c| line.pattern.matches(c.case.id())) {
            stale.push(Stale {
                line: line.line,
                pattern: line.pattern.as_str().to_owned(),
            });
        }
    }
    for outcome in &mut outcomes {
        if outcome.status == Status::Fail && !counts(outcome.level, options.strict) {
            outcome.status = Status::Warn;
        }
    }
    let run = Run {
        corpus_version: version,
        adapter: options
            .adapter
            .clone()
            .unwrap_or_else(|| "in-process (this library)".into()),
        outcomes,
        stale,
    };
    let mut out = std::io::stdout().lock();
    report::write(&mut out, options.report, &run)
        .and_then(|()| std::io::Write::flush(&mut out))
        .map_err(|e| vec![format!("cannot write the report: {e}")])?;
    Ok(if run.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether a miss at `level` fails the run.
fn counts(level: Level, strict: bool) -> bool {
    match level {
        Level::Must => true,
        Level::Should => strict,
        Level::May => false,
    }
}

/// Runs every selected case on `--jobs` workers, each with its own adapter; the outcomes
/// come back in the order of `selected` (ID order) whatever the scheduling was.
///
/// # Errors
/// An adapter that cannot be started at all: a protocol error for the whole run.
fn run_cases(options: &Options, selected: &[&Loaded]) -> Result<Vec<Outcome>, String> {
    let jobs = options
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .min(selected.len());
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> =
        Mutex::new((0..selected.len()).map(|_| None).collect());
    let progress = std::io::stderr().is_terminal();
    let failure: Mutex<Option<String>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let mut worker = Worker::new(options);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(loaded) = selected.get(i) else { break };
                    match worker.run_case(loaded) {
                        Ok(outcome) => {
                            if let Ok(mut results) = results.lock() {
                                results[i] = Some(outcome);
                            }
                        }
                        Err(e) => {
                            if let Ok(mut failure) = failure.lock() {
                                failure.get_or_insert(e);
                            }
                            // Stop every worker: the run cannot be completed.
                            next.store(selected.len(), Ordering::Relaxed);
                            break;
                        }
                    }
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if progress {
                        eprint!("\r\x1b[2K[{n}/{}] {}", selected.len(), loaded.case.id());
                    }
                }
            });
        }
    });
    if progress {
        eprint!("\r\x1b[2K");
    }
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    let results = results
        .into_inner()
        .map_err(|_| "a worker panicked".to_owned())?;
    results
        .into_iter()
        .map(|o| o.ok_or_else(|| "a case was not run".to_owned()))
        .collect()
}

/// Where one worker's verdicts come from.
enum Worker<'o> {
    InProcess,
    OneShot(OneShot<'o>),
    Persistent(Persistent<'o>),
}

impl<'o> Worker<'o> {
    fn new(options: &'o Options) -> Self {
        match (&options.adapter, options.persistent) {
            (None, _) => Worker::InProcess,
            (Some(command), false) => Worker::OneShot(OneShot::new(command, options.timeout)),
            (Some(command), true) => Worker::Persistent(Persistent::new(command, options.timeout)),
        }
    }

    fn run_case(&mut self, loaded: &Loaded) -> Result<Outcome, String> {
        let case = &loaded.case;
        let envelope = case.envelope(loaded.body.as_deref()).to_string();
        let Verdict { verdict, stderr } = match self {
            Worker::InProcess => Verdict {
                verdict: adapter::handle(envelope.as_bytes())
                    .map_err(|e| format!("no verdict: {e}")),
                stderr: String::new(),
            },
            Worker::OneShot(runner) => runner.run(&envelope)?,
            Worker::Persistent(runner) => runner.run(&envelope)?,
        };
        let (status, detail, verdict) = match verdict {
            Err(why) => (Status::Crash, why, None),
            Ok(verdict) => judged(case.expect(), verdict),
        };
        Ok(Outcome {
            id: case.id().to_owned(),
            kind: case.kind().to_owned(),
            level: case.level(),
            status,
            detail,
            verdict,
            stderr,
        })
    }
}

fn judged(expect: &Value, verdict: Value) -> (Status, String, Option<Value>) {
    match judge(expect, &verdict) {
        Judgement::Pass { alternative } => (
            Status::Pass,
            alternative
                .map(|i| format!("alternative {i}"))
                .unwrap_or_default(),
            Some(verdict),
        ),
        Judgement::Fail(why) => (Status::Fail, why, Some(verdict)),
        Judgement::Unsupported(reason) => (Status::Unsupported, reason, Some(verdict)),
    }
}

/// One glob per line, `#` starts the reason (or a comment line).
fn read_expected_failures(path: &str) -> Result<Vec<Expected>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let (pattern, reason) = line.split_once('#').unwrap_or((line, ""));
        let pattern = pattern.trim();
        if pattern.is_empty() {
            continue;
        }
        let glob = Pattern::new(pattern)
            .map_err(|e| format!("{path}:{}: bad pattern {pattern:?}: {e}", n + 1))?;
        out.push(Expected {
            line: n + 1,
            pattern: glob,
            reason: reason.trim().to_owned(),
        });
    }
    Ok(out)
}
