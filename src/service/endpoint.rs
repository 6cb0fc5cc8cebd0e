//! The mock service as one function: an HTTP request and the time in, an answer out.
//! Decoding, verification, replay protection, faults, the operations and the admin
//! endpoints all live here; a server around it only moves bytes and time.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Serialize;

use super::error::ConfigError;
use super::faults::{Fault, FaultRule, Faults};
use super::operations::{self, Applied, Change};
use super::state::State;
use crate::request::action::{Action, Format};
use crate::request::incoming::{HttpRequest, IncomingRequest};
use crate::request::wire::Request;
use crate::response::model::Response;
use crate::response::service_error::{ErrorCode, ServiceError};
use crate::response::xml::is_xml_char;
use crate::signing::redact;

/// How far a request's timestamp may be from the server's clock, either way, and how long
/// a nonce is remembered: 15 minutes (the V3 documentation's window, used for V1 too).
pub const REPLAY_WINDOW_SECS: i64 = 15 * 60;

/// What the `/_mock/` prefix routes to instead of the service.
const ADMIN: &str = "/_mock/";

/// The content types of the service's answers (Tea reads an error as XML exactly when
/// the content type is `text/xml;charset=utf-8`, protocol.md §5.1).
const JSON_TYPE: &str = "application/json;charset=utf-8";
const XML_TYPE: &str = "text/xml;charset=utf-8";

/// The page a gateway in front of the service sends when it cannot reach it.
const GATEWAY_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>gateway</center>\r\n</body>\r\n</html>\r\n";

/// How the service behaves.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// Verify signatures, timestamps and nonces (default `true`). Off, any request is
    /// taken as it comes, as moto does by default.
    pub verify: bool,
    /// The most request records kept (default 100 000); the oldest go first.
    pub log_limit: usize,
    /// `HostId` in error bodies (default `ecs.aliyuncs.com`).
    pub host_id: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            verify: true,
            log_limit: 100_000,
            host_id: "ecs.aliyuncs.com".into(),
        }
    }
}

impl Options {
    /// Verification on or off.
    pub fn with_verify(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    /// The most request records kept.
    pub fn with_log_limit(mut self, limit: usize) -> Self {
        self.log_limit = limit;
        self
    }
}

/// What to send back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The headers (`content-type`, `x-acs-request-id`, `x-acs-retry-after`, ...).
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Hold the answer this long first (a `delay` fault).
    pub delay_ms: u64,
    /// Close the connection instead of answering (a `close` fault).
    pub close: bool,
    /// The fault draws start again from the seed (after `POST /_mock/reset`).
    pub reseed: bool,
    /// The error code in the body, for an error answer.
    pub code: Option<String>,
}

impl Answer {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: body.into(),
            delay_ms: 0,
            close: false,
            reseed: false,
            code: None,
        }
    }

    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request the service received, as `GET /_mock/requests` lists it: no secret, and
/// the STS token (query, form body or header) redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RequestRecord {
    /// The method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The query as received.
    pub query: String,
    /// Every header, as received.
    pub headers: Vec<(String, String)>,
    /// A form body, as received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// The operation named, if any.
    pub operation: Option<&'static str>,
    /// The answer's status.
    pub status: u16,
    /// The answer's error code, if it was an error.
    pub code: Option<String>,
    /// The injected fault, if one fired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<&'static str>,
    /// The answer's `RequestId`.
    pub request_id: String,
    /// Every role the call attached or detached, in order.
    pub changes: Vec<ChangeRecord>,
}

/// A [`Change`] as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRecord {
    /// The instance.
    pub instance_id: String,
    /// Its role before.
    pub from: Option<String>,
    /// Its role after.
    pub to: Option<String>,
}

impl From<Change> for ChangeRecord {
    fn from(c: Change) -> Self {
        Self {
            instance_id: c.instance_id,
            from: c.from,
            to: c.to,
        }
    }
}

/// Nonces seen within the window, forgotten when it has passed.
#[derive(Debug, Clone, Default)]
struct Nonces {
    seen: BTreeMap<String, i64>,
    by_expiry: BTreeSet<(i64, String)>,
}

impl Nonces {
    /// Records a nonce until `expires`; `false` if it is already recorded.
    fn insert(&mut self, nonce: &str, now: i64, expires: i64) -> bool {
        while let Some((at, _)) = self.by_expiry.first() {
            if *at > now {
                break;
            }
            if let Some((_, old)) = self.by_expiry.pop_first() {
                self.seen.remove(&old);
            }
        }
        if self.seen.contains_key(nonce) {
            return false;
        }
        self.seen.insert(nonce.to_owned(), expires);
        self.by_expiry.insert((expires, nonce.to_owned()));
        true
    }
}

/// A sans-IO mock of the ECS RAM-role operations: state in, answer out.
///
/// ```
/// use ecs_ramrole::service::{Options, Service, State};
/// use ecs_ramrole::HttpRequest;
///
/// let state = State::from_json(r#"{"instances": [{"region": "cn-hangzhou", "id": "i-1"}],
///                                  "roles": [{"name": "EcsRole"}]}"#)?;
/// let mut service = Service::new(state, Vec::new(), Options::default().with_verify(false));
/// let query = "Action=AttachInstanceRamRole&Version=2014-05-26&Format=JSON\
///              &RegionId=cn-hangzhou&RamRoleName=EcsRole&InstanceIds=%5B%22i-1%22%5D";
/// let answer = service.handle(&HttpRequest::new("POST", "/", query, &[], b""), 0, &mut || 0.5);
/// assert_eq!(answer.status, 200);
/// assert_eq!(service.state().instance("i-1").unwrap().ram_role.as_deref(), Some("EcsRole"));
/// # Ok::<(), ecs_ramrole::service::ConfigError>(())
/// ```
#[derive(Debug)]
pub struct Service {
    initial: State,
    state: State,
    credentials: Vec<super::state::AccessKey>,
    faults: Faults,
    nonces: Nonces,
    log: VecDeque<RequestRecord>,
    served: u64,
    options: Options,
}

impl Service {
    /// A service starting from `state`, with `credentials` added to its keys (and added
    /// again whenever the state is replaced).
    pub fn new(state: State, credentials: Vec<super::state::AccessKey>, options: Options) -> Self {
        let mut initial = state;
        initial.add_access_keys(&credentials);
        Self {
            state: initial.clone(),
            initial,
            credentials,
            faults: Faults::default(),
            nonces: Nonces::default(),
            log: VecDeque::new(),
            served: 0,
            options,
        }
    }

    /// The current state.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Replaces the state (the `--credentials` keys are added again).
    pub fn set_state(&mut self, mut state: State) {
        state.add_access_keys(&self.credentials);
        self.state = state;
    }

    /// Replaces the fault rules; their counts start again.
    pub fn set_faults(&mut self, rules: Vec<FaultRule>) {
        self.faults = Faults::new(rules);
    }

    /// The fault rules in force.
    pub fn faults(&self) -> &[FaultRule] {
        self.faults.rules()
    }

    /// Back to the starting state: faults, the request log, seen nonces and request IDs
    /// cleared.
    pub fn reset(&mut self) {
        self.state = self.initial.clone();
        self.faults = Faults::default();
        self.nonces = Nonces::default();
        self.log.clear();
        self.served = 0;
    }

    /// The requests received, oldest first (at most [`Options::log_limit`]).
    pub fn requests(&self) -> impl ExactSizeIterator<Item = &RequestRecord> {
        self.log.iter()
    }

    /// Answers one HTTP request at `now` (seconds since the Unix epoch). `draw` gives
    /// the fault rules their random numbers in `[0, 1)`, one per probability rule the call
    /// matches; pass a seeded source to replay a run.
    ///
    /// Paths under `/_mock/` are the admin endpoints: `GET`/`PUT /_mock/state`,
    /// `GET`/`PUT /_mock/faults`, `GET /_mock/requests`, `POST /_mock/reset`. Anything else
    /// is the service.
    pub fn handle(
        &mut self,
        http: &HttpRequest<'_>,
        now: i64,
        draw: &mut dyn FnMut() -> f64,
    ) -> Answer {
        match http.path.strip_prefix(ADMIN) {
            Some(route) => self.admin(route, http),
            None => self.api(http, now, draw),
        }
    }

    fn api(&mut self, http: &HttpRequest<'_>, now: i64, draw: &mut dyn FnMut() -> f64) -> Answer {
        self.served += 1;
        let request_id = request_id(self.served);
        let action = http.action_hint();
        let format = answer_format(http);
        let fault = self.faults.select(action, draw);
        let mut record = RequestRecord {
            method: http.method.to_owned(),
            path: http.path.to_owned(),
            query: redact::query_text(http.query),
            headers: http
                .headers
                .iter()
                .map(|(n, v)| {
                    let v = if n.eq_ignore_ascii_case(redact::TOKEN_HEADER) {
                        "<redacted>"
                    } else {
                        v
                    };
                    ((*n).to_owned(), v.to_owned())
                })
                .collect(),
            form: form_text(http).map(redact::query_text),
            operation: action.map(Action::as_str),
            status: 0,
            code: None,
            fault: fault.as_ref().map(Fault::kind),
            request_id: request_id.clone(),
            changes: Vec::new(),
        };
        let mut delay_ms = 0;
        let answer = match fault {
            Some(Fault::Delay { ms }) => {
                delay_ms = ms;
                None
            }
            Some(fault) => Some(self.fault_answer(&fault, http, now, format, &request_id)),
            None => None,
        };
        let mut answer = match answer {
            Some(answer) => answer,
            None => {
                let (result, changes) = match self.call(http, now, true) {
                    Ok(Applied { response, changes }) => (Ok(response), changes),
                    Err(error) => (Err(error), Vec::new()),
                };
                record.changes = changes.into_iter().map(ChangeRecord::from).collect();
                self.answer(result, format, &request_id)
            }
        };
        answer.delay_ms = delay_ms;
        record.status = answer.status;
        record.code.clone_from(&answer.code);
        self.record(record);
        answer
    }

    /// Decodes, verifies (unless told not to), checks the replay window and the nonce,
    /// then applies the operation: to the state when `commit`, else to a copy.
    fn call(
        &mut self,
        http: &HttpRequest<'_>,
        now: i64,
        commit: bool,
    ) -> Result<Applied, Box<ServiceError>> {
        let (incoming, can_pass_role) = if self.options.verify {
            let state = &self.state;
            let secret_of = |id: &str| state.access_key(id).map(|k| k.secret().clone());
            let authenticated = IncomingRequest::authenticate(http, secret_of)
                .map_err(|e| Box::new(e.to_service_error()))?;
            let signer = authenticated.signer();
            let at = signer.timestamp().unix_seconds();
            if now.abs_diff(at) > REPLAY_WINDOW_SECS.unsigned_abs() {
                return Err(with_message(
                    ErrorCode::InvalidTimeStampExpired,
                    "The request's timestamp is more than 15 minutes from the server's clock.",
                ));
            }
            let can_pass_role = state
                .access_key(signer.access_key_id())
                .is_some_and(|k| k.can_pass_role());
            // Remembered until no timestamp it could carry is in the window any more.
            let expires = now.max(at) + REPLAY_WINDOW_SECS;
            if commit && !self.nonces.insert(signer.nonce(), now, expires) {
                return Err(with_message(
                    ErrorCode::SignatureNonceUsed,
                    "The request's SignatureNonce has been used in the last 15 minutes.",
                ));
            }
            let incoming = authenticated
                .decode()
                .map_err(|e| Box::new(e.to_service_error()))?;
            (incoming, can_pass_role)
        } else {
            let incoming = IncomingRequest::from_http_unverified(http)
                .map_err(|e| Box::new(e.to_service_error()))?;
            (incoming, true)
        };
        echoable(incoming.request())?;
        if commit {
            operations::apply(&mut self.state, incoming.request(), can_pass_role)
        } else {
            operations::apply(&mut self.state.clone(), incoming.request(), can_pass_role)
        }
    }

    /// The answer to a call, success or error, in `format`.
    fn answer(
        &self,
        result: Result<Response<'static>, Box<ServiceError>>,
        format: Format,
        request_id: &str,
    ) -> Answer {
        let mut answer = match result {
            Ok(mut response) => {
                response.request_id = Some(request_id.to_owned().into());
                match format {
                    Format::Json => Answer::new(200, JSON_TYPE, response.to_json()),
                    // Every string in it was checked by `echoable` or the state.
                    Format::Xml => {
                        Answer::new(200, XML_TYPE, response.to_xml().unwrap_or_default())
                    }
                }
            }
            Err(mut error) => {
                error.request_id = Some(request_id.to_owned());
                error.host_id = Some(self.options.host_id.clone());
                let code = error
                    .code
                    .as_ref()
                    .map_or_else(String::new, |c| c.as_str().to_owned());
                error.recommend = Some(format!(
                    "https://api.alibabacloud.com/troubleshoot?q={code}&product=Ecs&requestId={request_id}"
                ));
                let mut answer = match format {
                    Format::Json => Answer::new(error.http_status, JSON_TYPE, error.to_json()),
                    Format::Xml => Answer::new(error.http_status, XML_TYPE, xml_error(*error)),
                };
                answer.code = Some(code);
                answer
            }
        };
        answer
            .headers
            .push(("x-acs-request-id", request_id.to_owned()));
        answer
    }

    /// The answer an injected fault gives instead of the call's; nothing is applied.
    fn fault_answer(
        &mut self,
        fault: &Fault,
        http: &HttpRequest<'_>,
        now: i64,
        format: Format,
        request_id: &str,
    ) -> Answer {
        let error = |status: u16, code: ErrorCode, message: Option<String>| {
            let message = message
                .or_else(|| code.documented_message().map(str::to_owned))
                .unwrap_or_else(|| code.as_str().to_owned());
            let mut error = ServiceError::new(status, code);
            error.message = Some(message);
            Err(Box::new(error))
        };
        match fault {
            Fault::Throttle { retry_after_ms } => {
                let result = error(
                    400,
                    ErrorCode::ThrottlingUser,
                    Some("Request was denied due to user flow control.".into()),
                );
                let mut answer = self.answer(result, format, request_id);
                answer
                    .headers
                    .push(("x-acs-retry-after", retry_after_ms.to_string()));
                answer
            }
            Fault::Status {
                status,
                code,
                message,
            } => self.answer(
                error(*status, ErrorCode::parse(code), message.clone()),
                format,
                request_id,
            ),
            Fault::Html502 => Answer::new(502, "text/html", GATEWAY_502),
            Fault::Empty => Answer::new(200, content_type(format), Vec::new()),
            Fault::Truncated => {
                // What the call would have answered, on a copy of the state, cut in half.
                let result = self.call(http, now, false).map(|a| a.response);
                let mut answer = self.answer(result, format, request_id);
                answer.status = 200;
                let half = answer.body.len() / 2;
                answer.body.truncate(half);
                answer
            }
            Fault::Close => Answer {
                close: true,
                ..Answer::new(200, content_type(format), Vec::new())
            },
            // Handled by the caller: the call proceeds.
            Fault::Delay { .. } => Answer::new(200, content_type(format), Vec::new()),
        }
    }

    fn record(&mut self, record: RequestRecord) {
        if self.options.log_limit == 0 {
            return;
        }
        while self.log.len() >= self.options.log_limit {
            self.log.pop_front();
        }
        self.log.push_back(record);
    }

    /// `/_mock/<route>`.
    fn admin(&mut self, route: &str, http: &HttpRequest<'_>) -> Answer {
        let json = |status: u16, body: String| Answer::new(status, "application/json", body);
        let no_content = || Answer::new(204, "application/json", Vec::new());
        let bad = |e: ConfigError| {
            let body = serde_json::json!({ "error": e.to_string() }).to_string();
            json(400, body)
        };
        let body = std::str::from_utf8(http.body);
        match (http.method, route) {
            ("GET", "state") => json(200, self.state.to_json()),
            ("PUT", "state") => {
                let state = &self.state;
                let known = |id: &str| state.access_key(id).map(|k| k.secret().clone());
                match body
                    .map_err(|_| ConfigError::invalid("(body)", "not UTF-8"))
                    .and_then(|b| State::from_json_keeping(b, known))
                {
                    Ok(state) => {
                        self.set_state(state);
                        no_content()
                    }
                    Err(e) => bad(e),
                }
            }
            ("GET", "faults") => json(200, FaultRule::list_to_json(self.faults.rules())),
            ("PUT", "faults") => match body
                .map_err(|_| ConfigError::invalid("(body)", "not UTF-8"))
                .and_then(FaultRule::list_from_json)
            {
                Ok(rules) => {
                    self.set_faults(rules);
                    no_content()
                }
                Err(e) => bad(e),
            },
            ("GET", "requests") => {
                let records: Vec<&RequestRecord> = self.log.iter().collect();
                // Strings, integers and lists: serializing cannot fail.
                json(200, serde_json::to_string(&records).unwrap_or_default())
            }
            ("POST", "reset") => {
                self.reset();
                Answer {
                    reseed: true,
                    ..no_content()
                }
            }
            (_, "state" | "faults" | "requests" | "reset") => {
                let body = serde_json::json!({ "error": "method not allowed" }).to_string();
                json(405, body)
            }
            _ => {
                let body = serde_json::json!({ "error": "no such admin endpoint" }).to_string();
                json(404, body)
            }
        }
    }
}

/// An error with this code, its documented status and the given message.
fn with_message(code: ErrorCode, message: &str) -> Box<ServiceError> {
    let mut error = ServiceError::new(code.documented_status().unwrap_or(400), code);
    error.message = Some(message.to_owned());
    Box::new(error)
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => JSON_TYPE,
        Format::Xml => XML_TYPE,
    }
}

/// An `<Error>` body. A message quoting what the client sent (a string to sign) may hold
/// characters XML cannot carry: those become U+FFFD rather than the answer failing.
fn xml_error(mut error: ServiceError) -> String {
    if let Ok(xml) = error.to_xml() {
        return xml;
    }
    error.message = error.message.map(|m| {
        m.chars()
            .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
            .collect()
    });
    error.to_xml().unwrap_or_default()
}

/// Whatever the service echoes (instance IDs, the role name, the region) must be
/// writable in both formats: a control character is refused as the service refuses a
/// malformed ID.
fn echoable(request: &Request) -> Result<(), Box<ServiceError>> {
    let bad = |s: &str| s.chars().any(|c| !is_xml_char(c));
    let (region, role, ids) = match request {
        Request::Attach(r) => (
            r.region_id(),
            Some(r.ram_role_name()),
            Some(r.instance_ids()),
        ),
        Request::Detach(r) => (r.region_id(), r.ram_role_name(), Some(r.instance_ids())),
        Request::Describe(r) => (r.region_id(), r.ram_role_name(), r.instance_ids()),
    };
    if ids.is_some_and(|ids| ids.ids().iter().any(|id| bad(id))) {
        let code = ErrorCode::InvalidInstanceIdsMalformed;
        let message = code.documented_message().unwrap_or_default().to_owned();
        return Err(with_message(code, &message));
    }
    if bad(region) || role.is_some_and(bad) {
        return Err(with_message(
            ErrorCode::InvalidParameter,
            "A parameter holds a control character.",
        ));
    }
    Ok(())
}

/// `RequestId`: UUID-shaped, counting from 1 since the start or the last reset, so runs
/// replay exactly.
fn request_id(n: u64) -> String {
    format!("6D0C4B1E-0000-4000-8000-{n:012X}")
}

/// The format to answer in: what the request asks for, else XML for V1 (as the service
/// does without `Format`) and JSON for V3.
fn answer_format(http: &HttpRequest<'_>) -> Format {
    http.format_hint().unwrap_or(if http.is_v3() {
        Format::Json
    } else {
        Format::Xml
    })
}

/// A form body's text, when the request has one.
fn form_text<'a>(http: &HttpRequest<'a>) -> Option<&'a str> {
    http.has_form_body()
        .then(|| std::str::from_utf8(http.body).ok())
        .flatten()
}
