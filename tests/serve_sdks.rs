//! The official SDKs against `ecs-ramrole serve`, over real sockets: for each SDK (and
//! signing mode), install it from its registry with its adapter folder's pinned
//! `install.sh`, start the server on a free port with the fixture state, and run the
//! SDK's end-to-end script in `tests/sdk/` (attach, describe, detach; a wrong secret; a
//! throttle fault; the request log), which checks both the SDK's parsed answers and the
//! server's state. See `tests/sdk/README.md`.

// Tests do IO on purpose: files, processes, the clock and the environment.
#![allow(clippy::disallowed_methods)]

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long one SDK script may run (it takes about a second).
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(120);
/// How long the server may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one install may take (a cold `pip install` / `npm ci`).
const INSTALL_TIMEOUT: Duration = Duration::from_secs(900);

const KEY_ID: &str = "e2e-key-id";

/// Environment the SDKs read credentials or settings from: never inherited.
const SDK_ENV: &[&str] = &[
    "ALIYUN_ACCESS_KEY_ID",
    "ALIYUN_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_USER_AGENT",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "DEBUG",
    "NODE_OPTIONS",
];

/// One install at a time per adapter folder: the two modes of a Tea SDK share a folder,
/// and two `install.sh` runs in one folder would race on swapping `.deps` in.
static PYTHON_TEA_INSTALL: Mutex<()> = Mutex::new(());
static PYTHON_CORE_INSTALL: Mutex<()> = Mutex::new(());
static NODE_TEA_INSTALL: Mutex<()> = Mutex::new(());

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// What a child left behind: its status (None: killed at the deadline) and its output.
struct Finished {
    status: Option<ExitStatus>,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Runs `command` with stdout and stderr in files under `dir` (no pipe to fill while
/// waiting), killing it at `timeout`.
fn run_to_files(mut command: Command, dir: &Path, name: &str, timeout: Duration) -> Finished {
    let out_path = dir.join(format!("{name}.stdout"));
    let err_path = dir.join(format!("{name}.stderr"));
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {name} ({command:?}): {e}"));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(10));
    };
    Finished {
        status,
        stdout: fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: fs::read_to_string(&err_path).unwrap_or_default(),
        took: started.elapsed(),
    }
}

/// A fresh directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let path = std::env::temp_dir().join(format!(
            "ecs-ramrole-sdk-{name}-{}-{nanos}",
            std::process::id()
        ));
        fs::create_dir(&path).unwrap();
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs the adapter folder's `install.sh` (idempotent: fast when already installed).
fn install(folder: &str, lock: &Mutex<()>, dir: &Path) {
    let _one_at_a_time = lock.lock().unwrap_or_else(PoisonError::into_inner);
    let script = root()
        .join("tools/sdk-adapters")
        .join(folder)
        .join("install.sh");
    let mut command = Command::new("bash");
    command.arg(&script).current_dir(root());
    let done = run_to_files(command, dir, "install", INSTALL_TIMEOUT);
    let ok = done.status.is_some_and(|s| s.success());
    assert!(
        ok,
        "installing the {folder} SDK failed ({}; bash {}):\n--- stderr\n{}\n--- stdout\n{}",
        done.status.map_or_else(
            || format!("killed after {INSTALL_TIMEOUT:?}"),
            |s| s.to_string()
        ),
        script.display(),
        done.stderr,
        done.stdout,
    );
    eprintln!("{folder}: install.sh ok in {:.2?}", done.took);
}

/// The fixture of `tests/sdk/README.md`: i-1 and i-2 without a role, i-3 with `OtherRole`.
fn fixture() -> serde_json::Value {
    serde_json::json!({
        "instances": [
            {"region": "cn-hangzhou", "id": "i-1", "network_type": "vpc", "ram_role": null},
            {"region": "cn-hangzhou", "id": "i-2", "network_type": "vpc", "ram_role": null},
            {"region": "cn-hangzhou", "id": "i-3", "network_type": "vpc", "ram_role": "OtherRole"}
        ],
        "roles": [
            {"name": "EcsRole", "ecs_trusted": true},
            {"name": "OtherRole", "ecs_trusted": true}
        ]
    })
}

/// A running `ecs-ramrole serve`, killed when dropped (also when the test panics).
struct Server {
    child: Child,
    url: String,
    stderr: PathBuf,
}

impl Server {
    fn start(dir: &Path, secret: &str) -> Self {
        let state = dir.join("state.json");
        fs::write(&state, fixture().to_string()).unwrap();
        let stderr = dir.join("server.stderr");
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-ramrole"))
            .args(["serve", "--listen", "127.0.0.1:0", "--state"])
            .arg(&state)
            .arg("--credentials")
            .arg(format!("{KEY_ID}:{secret}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        // The first line is the address; the rest of stdout is drained so the server
        // never blocks on a full pipe. A thread, so a silent server cannot hang the test.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = tx.send(line);
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let mut server = Self {
            child,
            url: String::new(),
            stderr,
        };
        let line = rx.recv_timeout(START_TIMEOUT).unwrap_or_default();
        let Some(url) = line.trim_end().strip_prefix("listening on ") else {
            panic!(
                "the server did not print its address within {START_TIMEOUT:?} (first line {line:?}; exit {:?}):\n{}",
                server.child.try_wait(),
                server.stderr_text()
            );
        };
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "address line {line:?}"
        );
        url.clone_into(&mut server.url);
        eprintln!("server at {url} in {:.2?}", started.elapsed());
        server
    }

    fn stderr_text(&self) -> String {
        fs::read_to_string(&self.stderr).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One SDK end to end: install, start a server, run the script, check it passed.
fn run_sdk(
    name: &str,
    folder: &str,
    lock: &Mutex<()>,
    program: &str,
    script: &str,
    mode: Option<&str>,
) {
    let started = Instant::now();
    let dir = TempDir::new(name);
    install(folder, lock, &dir.0);
    // A secret of this run only: the scripts check that the server's log never holds it.
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let secret = format!("e2e-Secret-{name}-{nanos:08x}");
    let server = Server::start(&dir.0, &secret);

    let folder_path = root().join("tools/sdk-adapters").join(folder);
    let mut command = Command::new(program);
    command
        .arg(root().join(script))
        .arg(&server.url)
        .args(mode)
        .arg(format!("{KEY_ID}:{secret}"))
        .current_dir(root())
        .env("PYTHONPATH", folder_path.join(".deps"))
        .env("PYTHONNOUSERSITE", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("NODE_TEA_DIR", &folder_path)
        // The server is local: never through a proxy the environment may name.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");
    for var in SDK_ENV {
        command.env_remove(var);
    }
    let done = run_to_files(command, &dir.0, "script", SCRIPT_TIMEOUT);
    let ok = done.status.is_some_and(|s| s.success());
    assert!(
        ok,
        "{name}: `{program} {script} {}{}` failed ({}) after {:.2?}\n--- script stdout\n{}\n--- script stderr\n{}\n--- server stderr\n{}",
        server.url,
        mode.map(|m| format!(" {m}")).unwrap_or_default(),
        done.status.map_or_else(
            || format!("killed after {SCRIPT_TIMEOUT:?}"),
            |s| s.to_string()
        ),
        done.took,
        done.stdout,
        done.stderr,
        server.stderr_text(),
    );
    let summary = done.stdout.lines().last().unwrap_or_default();
    assert!(
        summary.contains("checks passed"),
        "{name}: the script exited 0 without its summary line:\n{}",
        done.stdout
    );
    eprintln!(
        "{name}: {summary} (script {:.2?}, test {:.2?})",
        done.took,
        started.elapsed()
    );
}

#[test]
fn python_tea_v3() {
    let python = python();
    run_sdk(
        "python-tea-v3",
        "python-tea",
        &PYTHON_TEA_INSTALL,
        &python,
        "tests/sdk/python_tea.py",
        Some("v3"),
    );
}

#[test]
fn python_tea_v2() {
    let python = python();
    run_sdk(
        "python-tea-v2",
        "python-tea",
        &PYTHON_TEA_INSTALL,
        &python,
        "tests/sdk/python_tea.py",
        Some("v2"),
    );
}

#[test]
fn python_core() {
    let python = python();
    run_sdk(
        "python-core",
        "python-core",
        &PYTHON_CORE_INSTALL,
        &python,
        "tests/sdk/python_core.py",
        None,
    );
}

#[test]
fn node_tea_v3() {
    run_sdk(
        "node-tea-v3",
        "node-tea",
        &NODE_TEA_INSTALL,
        "node",
        "tests/sdk/node_tea.js",
        Some("v3"),
    );
}

#[test]
fn node_tea_v2() {
    run_sdk(
        "node-tea-v2",
        "node-tea",
        &NODE_TEA_INSTALL,
        "node",
        "tests/sdk/node_tea.js",
        Some("v2"),
    );
}
