//! `ecs-ramrole check`: run every selected corpus case through an adapter and judge it.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use ecs_ramrole::conformance::adapter;
use ecs_ramrole::conformance::{Judgement, Level, judge};
use glob::Pattern;
use serde_json::Value;
use wait_timeout::ChildExt as _;

use crate::corpus::{self, Loaded, Source};
use crate::report::{self, Format, Outcome, Run, Status};

/// What to run and how.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// Adapter command, run with `sh -c` once per case (protocol 1 on stdin/stdout).
    #[arg(long, value_name = "CMD")]
    adapter: Option<String>,
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
    /// passes, or a line that matches no case, fails the run.
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

/// Exit codes: 0 clean, 1 conformance failures, 2 usage, corpus or protocol errors.
pub(crate) fn run(options: &Options) -> ExitCode {
    let source = options
        .corpus
        .clone()
        .map_or(Source::Embedded, Source::Directory);
    let (version, cases) = match corpus::load(&source) {
        Ok(loaded) => loaded,
        Err(problems) => {
            for p in problems {
                eprintln!("corpus error: {p}");
            }
            return ExitCode::from(2);
        }
    };
    let xfail = match &options.expected_failures {
        None => Vec::new(),
        Some(path) => match read_expected_failures(path) {
            Ok(list) => list,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
    };
    let selected: Vec<&Loaded> = cases
        .iter()
        .filter(|c| options.run.is_empty() || options.run.iter().any(|p| p.matches(c.case.id())))
        .filter(|c| !options.skip.iter().any(|p| p.matches(c.case.id())))
        .collect();

    let progress = std::io::stderr().is_terminal();
    let mut outcomes = Vec::with_capacity(selected.len());
    for (n, loaded) in selected.iter().enumerate() {
        if progress {
            eprint!(
                "\r\x1b[2K[{}/{}] {}",
                n + 1,
                selected.len(),
                loaded.case.id()
            );
        }
        let outcome = match run_case(options, loaded) {
            Ok(outcome) => outcome,
            Err(e) => {
                if progress {
                    eprintln!();
                }
                eprintln!("protocol error: {e}");
                return ExitCode::from(2);
            }
        };
        outcomes.push(outcome);
    }
    if progress {
        eprint!("\r\x1b[2K");
    }

    // Strict expected failures: a listed case that passes, or a pattern that matches no
    // selected case, fails the run.
    let mut stale = Vec::new();
    for (pattern, _reason) in &xfail {
        let mut matched = false;
        for outcome in outcomes.iter_mut().filter(|o| pattern.matches(&o.id)) {
            matched = true;
            outcome.status = match outcome.status {
                Status::Pass => Status::Xpass,
                Status::Fail | Status::Warn | Status::Crash => Status::Xfail,
                other => other,
            };
        }
        if !matched {
            stale.push(pattern.as_str().to_owned());
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
        stale_expected_failures: stale,
    };
    let mut out = std::io::stdout().lock();
    let written = report::write(&mut out, options.report, &run).and_then(|()| out.flush());
    if let Err(e) = written {
        eprintln!("cannot write the report: {e}");
        return ExitCode::from(2);
    }
    if run.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether a miss at `level` fails the run.
fn counts(level: Level, strict: bool) -> bool {
    match level {
        Level::Must => true,
        Level::Should => strict,
        Level::May => false,
    }
}

fn run_case(options: &Options, loaded: &Loaded) -> Result<Outcome, String> {
    let case = &loaded.case;
    let envelope = case.envelope(loaded.body.as_deref()).to_string();
    let (verdict, stderr) = match &options.adapter {
        None => (
            adapter::handle(envelope.as_bytes()).map_err(|e| format!("no verdict: {e}")),
            String::new(),
        ),
        Some(command) => run_external(command, envelope.as_bytes(), options.timeout)?,
    };
    let (status, detail, verdict) = match verdict {
        Err(why) => (Status::Crash, why, None),
        Ok(verdict) => match judge(case.expect(), &verdict) {
            Judgement::Pass { alternative } => (
                Status::Pass,
                alternative
                    .map(|i| format!("alternative {i}"))
                    .unwrap_or_default(),
                Some(verdict),
            ),
            Judgement::Fail(why) => (Status::Fail, why, Some(verdict)),
            Judgement::Unsupported(reason) => (Status::Unsupported, reason, Some(verdict)),
        },
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

/// Runs an adapter once. `Err` only when it cannot be started at all (a protocol error
/// for the whole run); a crash, a timeout or bad output is `Ok(Err(..))`.
fn run_external(
    command: &str,
    envelope: &[u8],
    timeout: Duration,
) -> Result<(Result<Value, String>, String), String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the adapter {command:?}: {e}"))?;
    // Feed stdin and drain stdout and stderr on their own threads, so a chatty adapter
    // cannot deadlock on a full pipe.
    let mut stdin = child.stdin.take();
    let input = envelope.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            // An adapter that exits without reading its input shows up as a crash anyway.
            let _ = stdin.write_all(&input);
        }
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(out) = stdout.as_mut() {
            let _ = out.read_to_end(&mut buf);
        }
        buf
    });
    let mut stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(err) = stderr.as_mut() {
            let _ = err.read_to_end(&mut buf);
        }
        buf
    });
    let waited = child
        .wait_timeout(timeout)
        .map_err(|e| format!("cannot wait for the adapter: {e}"))?;
    let status = match waited {
        Some(status) => Some(status),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            None
        }
    };
    let _ = writer.join();
    let stdout = reader.join().unwrap_or_default();
    let stderr_bytes = err_reader.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&stderr_bytes).into_owned();
    let verdict = match status {
        None => Err(format!("timed out after {} s", timeout.as_secs_f64())),
        Some(s) if !s.success() => Err(format!("exited with {s}")),
        Some(_) => serde_json::from_slice::<Value>(&stdout)
            .map_err(|e| format!("stdout is not one JSON verdict: {e}"))
            .and_then(|v| match v.get("outcome").and_then(Value::as_str) {
                Some(_) => Ok(v),
                None => Err("the verdict has no \"outcome\"".into()),
            }),
    };
    Ok((verdict, stderr))
}

/// One glob per line, `#` starts the reason (or a comment line).
fn read_expected_failures(path: &str) -> Result<Vec<(Pattern, String)>, String> {
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
        out.push((glob, reason.trim().to_owned()));
    }
    Ok(out)
}
