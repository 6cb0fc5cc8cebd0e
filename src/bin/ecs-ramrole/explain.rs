//! `ecs-ramrole explain`: why a signature does not match, from what was sent and, when
//! given, the client's own string-to-sign, the service's error body and the secret.

use std::path::PathBuf;
use std::process::ExitCode;

use ecs_ramrole::{AccessKeySecret, Diagnosis, Evidence, HttpRequest, explain};
use serde_json::json;

/// What was sent, and what is known about it.
#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// The HTTP method sent.
    #[arg(long, value_name = "METHOD")]
    method: String,
    /// The wire query sent, without `?`.
    #[arg(long, value_name = "QUERY", default_value = "")]
    query: String,
    /// The path (V3 signs it).
    #[arg(long, value_name = "PATH", default_value = "/")]
    path: String,
    /// A header sent, `name: value` (repeatable; V3 signs them).
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// A file holding the body sent.
    #[arg(long, value_name = "FILE")]
    body_file: Option<PathBuf>,
    /// A file holding the client's own string-to-sign (or canonical query / request).
    #[arg(long, value_name = "FILE")]
    ours_file: Option<PathBuf>,
    /// A file holding the service's error body.
    #[arg(long, value_name = "FILE")]
    error_file: Option<PathBuf>,
    /// A file holding the AccessKey secret (never printed).
    #[arg(long, value_name = "FILE")]
    secret_file: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

fn read(path: &Option<PathBuf>) -> Result<Option<Vec<u8>>, String> {
    path.as_ref()
        .map(|p| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display())))
        .transpose()
}

/// Exit status 0 whenever a diagnosis was printed; 2 when the inputs cannot be read.
pub(crate) fn run(options: &Options) -> ExitCode {
    match diagnose(options) {
        Ok(diagnosis) => {
            print(&diagnosis, options.json);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ecs-ramrole explain: {e}");
            ExitCode::from(2)
        }
    }
}

fn diagnose(options: &Options) -> Result<Diagnosis, String> {
    let headers: Vec<(&str, &str)> = options
        .headers
        .iter()
        .map(|h| {
            h.split_once(':')
                .map(|(n, v)| (n.trim(), v.trim()))
                .ok_or_else(|| format!("--header {h:?} is not `name: value`"))
        })
        .collect::<Result<_, _>>()?;
    let body = read(&options.body_file)?.unwrap_or_default();
    let ours = read(&options.ours_file)?
        .map(|b| String::from_utf8(b).map_err(|_| "--ours-file is not UTF-8".to_owned()))
        .transpose()?;
    let error = read(&options.error_file)?;
    let secret = read(&options.secret_file)?
        .map(|b| {
            let text = String::from_utf8(b).map_err(|_| "--secret-file is not UTF-8".to_owned())?;
            AccessKeySecret::new(text.trim_end_matches(['\n', '\r'])).map_err(|e| e.to_string())
        })
        .transpose()?;
    let sent = HttpRequest::new(
        &options.method,
        &options.path,
        &options.query,
        &headers,
        &body,
    );
    let mut evidence = Evidence::new(sent);
    evidence.ours = ours.as_deref().map(|o| o.trim_end_matches(['\n', '\r']));
    evidence.error_body = error.as_deref();
    evidence.secret = secret.as_ref();
    Ok(explain(&evidence))
}

fn print(d: &Diagnosis, as_json: bool) {
    if as_json {
        let v = json!({"cause": d.cause.as_str(), "parameter": d.parameter, "offset": d.offset,
                       "ours": d.ours, "expected": d.expected, "server": d.server,
                       "advice": d.cause.advice()});
        println!("{v}");
        return;
    }
    if d.agrees() {
        println!("the strings agree");
    } else {
        let at = d.offset.map_or(String::new(), |o| {
            format!(" at byte {o} of the expected string")
        });
        let parameter = d
            .parameter
            .as_deref()
            .map_or(String::new(), |p| format!(", in {p}"));
        println!("first difference{at}{parameter}");
    }
    println!("cause:    {}", d.cause);
    if let Some(ours) = &d.ours {
        println!("ours:     {ours}");
    }
    println!("expected: {}", d.expected);
    if let Some(server) = &d.server {
        println!("server:   {server}");
    }
    println!("advice:   {}", d.cause.advice());
}
