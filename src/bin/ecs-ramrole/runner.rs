//! Running an adapter process: once per case, or once and then a line per case
//! (protocol 1, persistent mode). A crash is a verdict of its own and never stops the run.

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

/// What one case got from the adapter: a verdict or why there is none (a crash), and
/// what the adapter wrote to stderr meanwhile.
pub(crate) struct Verdict {
    pub(crate) verdict: Result<Value, String>,
    pub(crate) stderr: String,
}

/// `sh -c CMD` in a process group of its own, so that a timeout ends the adapter and
/// whatever it started.
fn spawn(command: &str) -> Result<Child, String> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    cmd.spawn()
        .map_err(|e| format!("cannot start the adapter {command:?}: {e}"))
}

/// Ends the adapter's whole process group, then reaps it.
fn kill(child: &mut Child) {
    #[cfg(unix)]
    {
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A verdict line: one JSON object with an `outcome`.
fn parse(line: &[u8]) -> Result<Value, String> {
    let value: Value =
        serde_json::from_slice(line).map_err(|e| format!("stdout is not one JSON verdict: {e}"))?;
    match value.get("outcome").and_then(Value::as_str) {
        Some(_) => Ok(value),
        None => Err("the verdict has no \"outcome\"".into()),
    }
}

/// A stream collected on a thread of its own, so a chatty adapter never blocks on a full
/// pipe.
struct Drained {
    buffer: Arc<Mutex<Vec<u8>>>,
    handle: Option<JoinHandle<()>>,
}

impl Drained {
    fn new(stream: Option<impl std::io::Read + Send + 'static>) -> Self {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&buffer);
        let handle = stream.map(|mut stream| {
            std::thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = stream.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    if let Ok(mut sink) = sink.lock() {
                        sink.extend_from_slice(&chunk[..n]);
                    }
                }
            })
        });
        Self { buffer, handle }
    }

    fn len(&self) -> usize {
        self.buffer.lock().map(|b| b.len()).unwrap_or(0)
    }

    /// What arrived since byte `from`.
    fn since(&self, from: usize) -> String {
        self.buffer
            .lock()
            .map(|b| String::from_utf8_lossy(b.get(from..).unwrap_or_default()).into_owned())
            .unwrap_or_default()
    }

    /// Everything, once the stream has ended.
    fn finish(mut self) -> Vec<u8> {
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
        self.buffer.lock().map(|b| b.clone()).unwrap_or_default()
    }
}

/// The adapter started afresh for every case.
pub(crate) struct OneShot<'c> {
    command: &'c str,
    timeout: Duration,
}

impl<'c> OneShot<'c> {
    pub(crate) fn new(command: &'c str, timeout: Duration) -> Self {
        Self { command, timeout }
    }

    /// Runs the adapter on one envelope.
    ///
    /// # Errors
    /// Only when it cannot be started at all: a protocol error for the whole run.
    pub(crate) fn run(&mut self, envelope: &str) -> Result<Verdict, String> {
        let mut child = spawn(self.command)?;
        let input = envelope.as_bytes().to_vec();
        let mut stdin = child.stdin.take();
        let writer = std::thread::spawn(move || {
            if let Some(stdin) = stdin.as_mut() {
                // An adapter that exits without reading its input shows up as a crash.
                let _ = stdin.write_all(&input);
            }
        });
        let stdout = Drained::new(child.stdout.take());
        let stderr = Drained::new(child.stderr.take());
        let waited = wait_timeout::ChildExt::wait_timeout(&mut child, self.timeout)
            .map_err(|e| format!("cannot wait for the adapter: {e}"))?;
        if waited.is_none() {
            kill(&mut child);
        }
        let _ = writer.join();
        let (out, err) = (stdout.finish(), stderr.finish());
        let verdict = match waited {
            None => Err(format!("timed out after {} s", self.timeout.as_secs_f64())),
            Some(status) if !status.success() => Err(format!("exited with {status}")),
            Some(_) => parse(&out),
        };
        Ok(Verdict {
            verdict,
            stderr: String::from_utf8_lossy(&err).into_owned(),
        })
    }
}

/// A live persistent adapter.
struct Live {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<Vec<u8>>,
    stderr: Drained,
}

/// The adapter started once and fed a line per case; started again after a crash.
pub(crate) struct Persistent<'c> {
    command: &'c str,
    timeout: Duration,
    live: Option<Live>,
}

impl<'c> Persistent<'c> {
    pub(crate) fn new(command: &'c str, timeout: Duration) -> Self {
        Self {
            command,
            timeout,
            live: None,
        }
    }

    fn start(&self) -> Result<Live, String> {
        let mut child = spawn(self.command)?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            kill(&mut child);
            return Err("the adapter's pipes could not be opened".into());
        };
        let stderr = Drained::new(child.stderr.take());
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = Vec::new();
                match reader.read_until(b'\n', &mut line) {
                    // End of output: the adapter exited (dropping `send` says so).
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if send.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Ok(Live {
            child,
            stdin,
            lines,
            stderr,
        })
    }

    /// Sends one envelope and waits for its verdict line.
    ///
    /// # Errors
    /// Only when the adapter cannot be started at all: a protocol error for the run.
    pub(crate) fn run(&mut self, envelope: &str) -> Result<Verdict, String> {
        if self.live.is_none() {
            self.live = Some(self.start()?);
        }
        let Some(live) = self.live.as_mut() else {
            return Err("the adapter is not running".into());
        };
        let mark = live.stderr.len();
        // A line already waiting was not asked for: the adapter answered one envelope
        // twice, and every later answer would belong to the wrong case.
        if let Ok(extra) = live.lines.try_recv() {
            let stderr = live.stderr.since(mark);
            if let Some(mut dead) = self.live.take() {
                kill(&mut dead.child);
            }
            let extra = String::from_utf8_lossy(&extra);
            return Ok(Verdict {
                verdict: Err(format!(
                    "the adapter printed a line out of turn: {}",
                    extra.trim_end()
                )),
                stderr,
            });
        }
        let mut line = Vec::with_capacity(envelope.len() + 1);
        line.extend_from_slice(envelope.as_bytes());
        line.push(b'\n');
        let verdict = match live
            .stdin
            .write_all(&line)
            .and_then(|()| live.stdin.flush())
        {
            Err(e) => Err(format!("the adapter stopped reading: {e}")),
            Ok(()) => match live.lines.recv_timeout(self.timeout) {
                Ok(answer) => parse(&answer),
                Err(RecvTimeoutError::Timeout) => {
                    Err(format!("timed out after {} s", self.timeout.as_secs_f64()))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = live
                        .child
                        .wait()
                        .map_or_else(|e| e.to_string(), |s| s.to_string());
                    Err(format!("the adapter exited ({status}) before answering"))
                }
            },
        };
        // Whatever it printed up to now belongs to this case.
        let stderr = live.stderr.since(mark);
        if verdict.is_err() {
            // A crash: a fresh adapter takes the next case.
            if let Some(mut dead) = self.live.take() {
                kill(&mut dead.child);
            }
        }
        Ok(Verdict { verdict, stderr })
    }
}

impl Drop for Persistent<'_> {
    fn drop(&mut self) {
        if let Some(Live {
            mut child, stdin, ..
        }) = self.live.take()
        {
            // End of input: the adapter exits on its own; one that does not is ended.
            drop(stdin);
            match wait_timeout::ChildExt::wait_timeout(&mut child, Duration::from_secs(2)) {
                Ok(Some(_)) => {}
                _ => kill(&mut child),
            }
        }
    }
}
