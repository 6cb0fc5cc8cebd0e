//! `ecs-ramrole`: the command-line face of the crate.
//!
//! - `check`: run the conformance corpus against this library or any SDK's adapter.
//! - `adapter`: adapter protocol 1 (see `corpus/README.md`): one JSON envelope on stdin,
//!   one JSON verdict on stdout.
//! - `example`: encode and sign the documented AttachInstanceRamRole example and print
//!   every stage.
//! - `schema`: every operation's parameters as JSON.
//! - `explain`: why a signature does not match.
//! - `serve`: a mock ECS endpoint over HTTP/1.1.

// The library is pure and its lint forbids IO; this command reads files and runs
// adapters by design.
#![allow(clippy::disallowed_methods)]
#![forbid(unsafe_code)]

mod check;
mod corpus;
mod explain;
mod report;
mod runner;
mod serve;

use std::io::{Read as _, Write as _};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ecs_ramrole::conformance::adapter;

#[derive(Debug, Parser)]
#[command(
    name = "ecs-ramrole",
    version,
    about = "Codec and conformance tools for ECS AttachInstanceRamRole / DetachInstanceRamRole"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the conformance corpus against this library (default) or an SDK's adapter.
    ///
    /// Exit status: 0 clean, 1 conformance failures, 2 usage, corpus or protocol errors.
    Check(check::Options),
    /// Encode and sign the documented AttachInstanceRamRole example request and print each stage.
    Example,
    /// Adapter protocol 1: read one JSON envelope on stdin, write one JSON verdict on stdout.
    Adapter {
        /// Persistent mode: one envelope per line in, one verdict per line out, until the
        /// end of stdin.
        #[arg(long)]
        persistent: bool,
    },
    /// Print every operation's parameter schema as JSON (corpus/schema/operations.json).
    Schema,
    /// Explain a SignatureDoesNotMatch: the first difference and its cause.
    ///
    /// Exit status: 0 whenever a diagnosis was printed, 2 when an input cannot be read.
    Explain(explain::Options),
    /// A mock ECS endpoint over HTTP/1.1: the service model, with admin endpoints under
    /// /_mock/ (state, faults, requests, reset).
    ///
    /// Exit status: 0 after SIGINT or SIGTERM (in-flight requests answered), 2 when it
    /// cannot start.
    Serve(serve::Options),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check(options) => check::run(&options),
        Command::Example => example(),
        Command::Adapter { persistent: false } => run_adapter(),
        Command::Adapter { persistent: true } => run_persistent_adapter(),
        Command::Explain(options) => explain::run(&options),
        Command::Serve(options) => serve::run(options),
        Command::Schema => {
            println!("{:#}", ecs_ramrole::conformance::parameter_schema());
            ExitCode::SUCCESS
        }
    }
}

fn run_adapter() -> ExitCode {
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        eprintln!("ecs-ramrole adapter: cannot read stdin: {e}");
        return ExitCode::from(2);
    }
    match adapter::handle(&input) {
        Ok(verdict) => {
            let mut out = std::io::stdout().lock();
            if writeln!(out, "{verdict}")
                .and_then(|()| out.flush())
                .is_err()
            {
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ecs-ramrole adapter: no verdict: {e}");
            ExitCode::from(2)
        }
    }
}

/// A verdict a line, flushed at once; an envelope that gets no verdict is answered
/// `unsupported`, so the stream stays in step.
fn run_persistent_adapter() -> ExitCode {
    use std::io::BufRead as _;
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else {
            eprintln!("ecs-ramrole adapter: stdin is not UTF-8 lines");
            return ExitCode::from(2);
        };
        let verdict = adapter::handle(line.as_bytes()).unwrap_or_else(|e| {
            eprintln!("ecs-ramrole adapter: no verdict: {e}");
            serde_json::json!({"outcome": "unsupported", "reason": e.to_string()})
        });
        if writeln!(out, "{verdict}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// The AttachInstanceRamRole request example of the API reference page
/// (`InstanceIds=["i-instance1"]`, `RamRoleName=RamRoleTest`, `RegionId=cn-hangzhou`),
/// signed with the credentials, timestamp and nonce of the documented signing example.
fn example() -> ExitCode {
    let envelope = serde_json::json!({
        "protocol": 1,
        "kind": "request",
        "operation": "AttachInstanceRamRole",
        "input": {
            "params": {"RegionId": "cn-hangzhou", "RamRoleName": "RamRoleTest", "InstanceIds": ["i-instance1"]},
            "context": {"method": "POST", "format": "JSON", "signing": {
                "access_key_id": "testid", "access_key_secret": "testsecret",
                "timestamp": "2016-02-23T12:46:24Z", "nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"}}
        }
    });
    let verdict = match adapter::handle(envelope.to_string().as_bytes()) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let field = |path: &str| verdict.pointer(path).and_then(|v| v.as_str()).unwrap_or("");
    println!(
        "AttachInstanceRamRole, the documented example (AccessKeyId testid, secret testsecret)"
    );
    println!("method:          {}", field("/method"));
    println!("canonical query: {}", field("/stages/canonical_query"));
    println!("string to sign:  {}", field("/stages/string_to_sign"));
    println!("signature:       {}", field("/stages/signature"));
    println!(
        "request:         {} https://ecs.aliyuncs.com/?{}",
        field("/method"),
        field("/query")
    );
    ExitCode::SUCCESS
}
