//! `ecs-ramrole serve`: the service model behind HTTP/1.1. This shell moves bytes and
//! time only: it reads requests (within limits), asks the model, waits out a delay,
//! writes the answer or drops the connection. Every answer is the model's, except the
//! transport's own: an oversized or too-slow body (a gateway's 413 or 408 page), and
//! what hyper answers to malformed HTTP (400) or oversized headers (431).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ecs_ramrole::service::{AccessKey, Answer, Options as ServiceOptions, Service, State};
use ecs_ramrole::{AccessKeySecret, HttpRequest};
use http_body_util::{BodyExt as _, Full, LengthLimitError, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;

#[derive(Debug, clap::Args)]
pub(crate) struct Options {
    /// The address to listen on; port 0 picks a free one. The first line of stdout is
    /// `listening on http://HOST:PORT`.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// An access key the service accepts, `ID:SECRET` (repeatable); it may pass roles.
    #[arg(long = "credentials", value_name = "ID:SECRET", value_parser = parse_credentials)]
    credentials: Vec<AccessKey>,
    /// The starting state: JSON with `regions`, `instances`, `roles`, `access_keys`.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Seeds the fault draws (`probability` rules); reseeded by `POST /_mock/reset`.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Accept unsigned or wrongly signed requests (no signature, timestamp or nonce
    /// checks), as moto does by default.
    #[arg(long)]
    no_verify: bool,
    /// The largest request head (request line and headers) read, in bytes.
    #[arg(long, default_value_t = 16 * 1024, value_name = "BYTES")]
    max_header_bytes: usize,
    /// The largest request body read, in bytes; a larger one gets 413.
    #[arg(long, default_value_t = 1024 * 1024, value_name = "BYTES")]
    max_body_bytes: usize,
    /// How long a client may take to send its request head, and then its body, in
    /// milliseconds; a slower one is dropped (head) or gets 408 (body).
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    read_timeout_ms: u64,
    /// The most request records kept for `GET /_mock/requests`.
    #[arg(long, default_value_t = 100_000)]
    log_limit: usize,
}

fn parse_credentials(text: &str) -> Result<AccessKey, String> {
    let (id, secret) = text
        .split_once(':')
        .ok_or_else(|| "expected ID:SECRET".to_owned())?;
    let secret = AccessKeySecret::new(secret).map_err(|_| "the secret is empty".to_owned())?;
    AccessKey::new(id, secret).map_err(|e| e.to_string())
}

/// The model and the fault draws, behind one lock: each request is one step of the
/// model, so concurrent calls are serialized and none is lost.
struct Shared {
    inner: Mutex<Inner>,
    seed: u64,
    max_body_bytes: usize,
    read_timeout: Duration,
}

struct Inner {
    service: Service,
    draws: fastrand::Rng,
}

pub(crate) fn run(options: Options) -> ExitCode {
    let state = match &options.state {
        None => State::default(),
        Some(path) => match std::fs::read_to_string(path).map(|text| State::from_json(&text)) {
            Ok(Ok(state)) => state,
            Ok(Err(e)) => return fail(&format!("{}: {e}", path.display())),
            Err(e) => return fail(&format!("cannot read {}: {e}", path.display())),
        },
    };
    let service_options = ServiceOptions::default()
        .with_verify(!options.no_verify)
        .with_log_limit(options.log_limit);
    let shared = Arc::new(Shared {
        inner: Mutex::new(Inner {
            service: Service::new(state, options.credentials.clone(), service_options),
            draws: fastrand::Rng::with_seed(options.seed),
        }),
        seed: options.seed,
        max_body_bytes: options.max_body_bytes,
        read_timeout: Duration::from_millis(options.read_timeout_ms),
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return fail(&format!("cannot start the runtime: {e}")),
    };
    match runtime.block_on(serve(&options, shared)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("ecs-ramrole serve: {message}");
    ExitCode::from(2)
}

async fn serve(options: &Options, shared: Arc<Shared>) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(options.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        // The address line is the contract; a closed stdout must not stop the server.
        let _ = writeln!(out, "listening on http://{bound}").and_then(|()| out.flush());
    }
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(shared.read_timeout)
        .max_buf_size(options.max_header_bytes.max(8192))
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                // A failed accept (out of file descriptors, a reset) leaves the server up.
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let shared = Arc::clone(&shared);
                let connection = builder.serve_connection(
                    TokioIo::new(stream),
                    service_fn(move |request| answer(Arc::clone(&shared), request)),
                );
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    // A client that hangs up or speaks bad HTTP only ends its own
                    // connection.
                    let _ = connection.await;
                });
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    // In-flight requests are answered; idle keep-alive connections close at once.
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(30)) => {
            eprintln!("ecs-ramrole serve: connections still open after 30 s; exiting");
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Why a connection is dropped without an answer (a `close` fault).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection closed by a fault rule")
    }
}

impl std::error::Error for Dropped {}

async fn answer(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > shared.max_body_bytes as u64) {
        return Ok(gateway(StatusCode::PAYLOAD_TOO_LARGE));
    }
    let body = Limited::new(body, shared.max_body_bytes).collect();
    let body = match tokio::time::timeout(shared.read_timeout, body).await {
        Err(_) => return Ok(gateway(StatusCode::REQUEST_TIMEOUT)),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            return Ok(gateway(StatusCode::PAYLOAD_TOO_LARGE));
        }
        // The client went away mid-body: nobody to answer.
        Ok(Err(_)) => return Err(Dropped),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let http = HttpRequest::new(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query().unwrap_or(""),
        &headers,
        &body,
    );
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let answer = {
        // A panic elsewhere cannot leave the model half-updated: each step completes
        // under the lock or not at all, so a poisoned lock is still usable.
        let mut inner = shared.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let Inner { service, draws } = &mut *inner;
        let answer = service.handle(&http, now, &mut || draws.f64());
        if answer.reseed {
            *draws = fastrand::Rng::with_seed(shared.seed);
        }
        answer
    };
    if answer.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(answer.delay_ms)).await;
    }
    if answer.close {
        return Err(Dropped);
    }
    Ok(response(answer))
}

fn response(answer: Answer) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in answer.headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    response
}

/// A gateway's own page: the request never reached the service.
fn gateway(status: StatusCode) -> Response<Full<Bytes>> {
    let reason = status.canonical_reason().unwrap_or("Error");
    let code = status.as_u16();
    let page = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n\
         <center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n"
    );
    let mut response = Response::new(Full::new(Bytes::from(page)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/html"),
    );
    // The rest of an unread body may still be on the wire: this connection is done.
    headers.insert(
        hyper::header::CONNECTION,
        hyper::header::HeaderValue::from_static("close"),
    );
    response
}
