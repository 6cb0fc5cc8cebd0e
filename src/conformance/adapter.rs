//! Adapter protocol 1 for this crate, in-process: envelope JSON in, verdict JSON out.
//!
//! This is what `ecs-ramrole adapter` runs, and what `ecs-ramrole check` calls directly
//! when it checks this library. The protocol is specified in `corpus/README.md`.

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::{
    AccessKeySecret, Action, Algorithm, Credentials, EncodeOptions, Format, HttpRequest,
    IncomingRequest, InstanceIds, Method, Nonce, ParamValue, Payload, Placement, Request,
    RequestError, RequestErrorKind, ResponseDecoder, ResponseError, Rule, ServiceError, Stages,
    Timestamp, sign_params, sign_v3,
};

/// Why an envelope got no verdict: the envelope itself is unusable. (Every problem with
/// the request or body inside a usable envelope is a verdict, a reject.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AdapterError {
    /// The envelope is not JSON.
    #[error("the envelope is not JSON: {0}")]
    NotJson(String),
    /// `"protocol": 1` is missing.
    #[error("the envelope lacks \"protocol\": 1")]
    Protocol,
    /// `kind` is missing.
    #[error("the envelope lacks a \"kind\"")]
    NoKind,
    /// A field the harness must send is missing or unusable.
    #[error("{field}: {problem}")]
    Envelope {
        /// The envelope field, e.g. `http.status`.
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

fn envelope_error(field: &'static str, problem: impl Into<String>) -> AdapterError {
    AdapterError::Envelope {
        field,
        problem: problem.into(),
    }
}

/// Turns one envelope into one verdict.
///
/// # Errors
/// [`AdapterError`] when the envelope is unusable: not JSON, no `"protocol": 1` or
/// `kind`, or a response envelope without a usable `http.status` or `body_base64`.
pub fn handle(input: &[u8]) -> Result<Value, AdapterError> {
    let envelope: Value =
        serde_json::from_slice(input).map_err(|e| AdapterError::NotJson(e.to_string()))?;
    if envelope.get("protocol") != Some(&json!(1)) {
        return Err(AdapterError::Protocol);
    }
    let kind = envelope.get("kind").and_then(Value::as_str);
    Ok(match kind {
        Some("request") => request(&envelope).unwrap_or_else(Reject::into_verdict),
        Some("sign") => sign(&envelope).unwrap_or_else(Reject::into_verdict),
        Some("response") => response(&envelope)?,
        Some("incoming") => incoming(&envelope)?,
        Some(other) => unsupported(&format!("kind {other:?} is not implemented")),
        None => return Err(AdapterError::NoKind),
    })
}

/// The envelope's operation, if it is one this crate speaks.
fn operation(envelope: &Value) -> Option<Action> {
    envelope
        .get("operation")
        .and_then(Value::as_str)
        .and_then(|name| name.parse().ok())
}

fn unsupported(reason: &str) -> Value {
    json!({"outcome": "unsupported", "reason": reason})
}

/// A reject verdict under construction.
struct Reject {
    kind: &'static str,
    message: String,
}

impl Reject {
    fn type_mismatch(message: String) -> Self {
        Self {
            kind: "type_mismatch",
            message,
        }
    }

    fn constraint(message: String) -> Self {
        Self {
            kind: "constraint_violation",
            message,
        }
    }

    fn into_verdict(self) -> Value {
        json!({"outcome": "reject", "reject_kind": self.kind, "message": self.message})
    }
}

impl From<RequestError> for Reject {
    fn from(e: RequestError) -> Self {
        Self {
            kind: e.reject_kind(),
            message: e.to_string(),
        }
    }
}

/// One `params` entry as the operation's schema types it. Integers are non-negative and
/// fit the API's Long (a negative, fractional or larger number is the wrong type);
/// `InstanceIds` is raw JSON text or an array of strings.
fn param_value(action: Action, name: &str, value: &Value) -> Result<ParamValue, Reject> {
    let spec = action.param(name).ok_or_else(|| {
        Reject::from(
            RequestError::new(RequestErrorKind::Unknown, name.to_owned())
                .with_detail(format!("{action} has no such parameter")),
        )
    })?;
    let wrong = || Reject::type_mismatch(format!("{name} has the wrong JSON type: {value}"));
    Ok(match (spec.rule, value) {
        (Rule::Text { .. }, Value::String(s)) => ParamValue::Text(s.clone()),
        (Rule::Integer { .. }, Value::Number(n)) => {
            let n = n.as_i64().and_then(|n| u64::try_from(n).ok());
            ParamValue::Integer(n.ok_or_else(wrong)?)
        }
        (Rule::InstanceIds, Value::String(raw)) => {
            ParamValue::InstanceIds(InstanceIds::from_json(raw)?)
        }
        (Rule::InstanceIds, Value::Array(items)) => {
            let ids: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            ParamValue::InstanceIds(InstanceIds::new(ids.ok_or_else(wrong)?)?)
        }
        _ => return Err(wrong()),
    })
}

fn request(envelope: &Value) -> Result<Value, Reject> {
    let Some(action) = operation(envelope) else {
        return Ok(unsupported("unknown operation"));
    };
    let empty = Map::new();
    let input = envelope.get("input");
    let params = match input.and_then(|i| i.get("params")) {
        None => &empty,
        Some(Value::Object(map)) => map,
        Some(other) => {
            return Err(Reject::type_mismatch(format!(
                "params is not an object: {other}"
            )));
        }
    };
    let context = input.and_then(|i| i.get("context")).unwrap_or(&Value::Null);
    let signing = match context.get("signing") {
        None | Some(Value::Null) => None,
        Some(signing) => match signing_input(signing)? {
            Some(s) => Some(s),
            None => {
                return Ok(unsupported(
                    "only the HMAC-SHA1 and ACS3-HMAC-SHA256 algorithms are implemented",
                ));
            }
        },
    };
    let algorithm = signing.as_ref().map(|s| s.0);
    let options = encode_options(context, algorithm)?;
    // A JSON null is an absent parameter.
    let mut values = Vec::with_capacity(params.len());
    for (name, value) in params.iter().filter(|(_, v)| !v.is_null()) {
        values.push((name.as_str(), param_value(action, name, value)?));
    }
    let request = Request::from_params(action, values)?;
    Ok(match signing {
        None => {
            let encoded = request.encode(&options);
            json!({"outcome": "request", "method": encoded.method().as_str(), "query": encoded.query(),
                   "stages": {"canonical_query": encoded.query()}})
        }
        Some((_, credentials, timestamp, nonce)) => {
            let signed = request.sign(&options, &credentials, &timestamp, &nonce);
            let mut verdict = json!({"outcome": "request", "method": signed.method().as_str(),
                                     "query": signed.query()});
            match signed.stages() {
                Stages::V3(stages) => {
                    verdict["headers"] = json!(signed.headers());
                    verdict["body"] = json!(signed.body());
                    verdict["stages"] = v3_stages(stages);
                }
                stages => {
                    verdict["stages"] = json!({"canonical_query": stages.canonical_query(),
                                               "string_to_sign": stages.string_to_sign(),
                                               "signature": stages.signature()});
                }
            }
            verdict
        }
    })
}

/// A string field of an object: `Ok(None)` when absent, a reject when not a string.
fn opt_str<'v>(object: &'v Value, name: &str) -> Result<Option<&'v str>, Reject> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(Reject::type_mismatch(format!(
            "{name} is not a string: {other}"
        ))),
    }
}

fn req_str<'v>(object: &'v Value, name: &str) -> Result<&'v str, Reject> {
    opt_str(object, name)?.ok_or_else(|| Reject {
        kind: "missing_required",
        message: format!("{name} is required"),
    })
}

fn method(text: Option<&str>) -> Result<Method, Reject> {
    Ok(text.map(str::parse).transpose()?.unwrap_or_default())
}

/// Method, format, and under V3 host and placement; `algorithm` is `None` unsigned.
fn encode_options(context: &Value, algorithm: Option<Algorithm>) -> Result<EncodeOptions, Reject> {
    // The protocol spells formats in uppercase, as they are sent.
    let format = match opt_str(context, "format")? {
        None => None,
        Some(text) => Some(
            Format::ALL
                .iter()
                .copied()
                .find(|f| f.as_str() == text)
                .ok_or_else(|| Reject::constraint(format!("format {text:?} is not JSON or XML")))?,
        ),
    };
    let method = method(opt_str(context, "method")?)?;
    let placement = opt_str(context, "placement")?
        .map(str::parse::<Placement>)
        .transpose()?;
    let mut options = match algorithm {
        Some(Algorithm::Acs3HmacSha256) => EncodeOptions::v3(method, format),
        _ => EncodeOptions::new(method, format),
    };
    if let Some(host) = opt_str(context, "host")? {
        options = options.with_host(host.to_owned())?;
    }
    if let Some(placement) = placement {
        options = options.with_placement(placement)?;
    }
    Ok(options)
}

/// `Ok(None)` for an algorithm this adapter does not implement.
fn signing_input(
    signing: &Value,
) -> Result<Option<(Algorithm, Credentials, Timestamp, Nonce)>, Reject> {
    let algorithm = match opt_str(signing, "algorithm")?.map(str::parse) {
        None => Algorithm::HmacSha1,
        Some(Ok(algorithm)) => algorithm,
        Some(Err(_)) => return Ok(None),
    };
    let secret = AccessKeySecret::new(req_str(signing, "access_key_secret")?)?;
    let mut credentials = Credentials::new(req_str(signing, "access_key_id")?, secret)?;
    if let Some(token) = opt_str(signing, "security_token")? {
        credentials = credentials.with_security_token(token)?;
    }
    let timestamp = req_str(signing, "timestamp")?.parse()?;
    let nonce = Nonce::new(req_str(signing, "nonce")?)?;
    Ok(Some((algorithm, credentials, timestamp, nonce)))
}

fn v3_stages(stages: &crate::V3Stages) -> Value {
    json!({"canonical_request": stages.canonical_request(),
           "hashed_canonical_request": stages.hashed_canonical_request(),
           "string_to_sign": stages.string_to_sign(), "signature": stages.signature(),
           "authorization": stages.authorization()})
}

fn sign(envelope: &Value) -> Result<Value, Reject> {
    let input = envelope.get("input").unwrap_or(&Value::Null);
    match opt_str(input, "algorithm")? {
        None | Some("HMAC-SHA1") => {}
        Some("ACS3-HMAC-SHA256") => return sign_v3_input(input),
        Some(other) => return Ok(unsupported(&format!("algorithm {other:?}"))),
    }
    let method = method(opt_str(input, "method")?)?;
    let secret = AccessKeySecret::new(req_str(input, "access_key_secret")?)?;
    let mut pairs = Vec::new();
    match input.get("params") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (name, value) in map {
                let Some(value) = value.as_str() else {
                    return Err(Reject::type_mismatch(format!(
                        "{name} is not a string: {value}"
                    )));
                };
                if name == "Signature" {
                    return Err(Reject::constraint(
                        "Signature is never signed; leave it out".into(),
                    ));
                }
                pairs.push((name.as_str(), value));
            }
        }
        Some(other) => {
            return Err(Reject::type_mismatch(format!(
                "params is not an object: {other}"
            )));
        }
    }
    let stages = sign_params(method, &pairs, &secret);
    Ok(
        json!({"outcome": "signature", "canonical_query": stages.canonical_query(),
              "string_to_sign": stages.string_to_sign(), "signature": stages.signature()}),
    )
}

/// The V3 signer's input: every header given is signed.
fn sign_v3_input(input: &Value) -> Result<Value, Reject> {
    let method = method(opt_str(input, "method")?)?;
    let path = opt_str(input, "path")?.unwrap_or("/");
    let mut query = Vec::new();
    match input.get("query") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (name, value) in map {
                let value = value.as_str().ok_or_else(|| {
                    Reject::type_mismatch(format!("query {name} is not a string: {value}"))
                })?;
                query.push((name.as_str(), value));
            }
        }
        Some(other) => {
            return Err(Reject::type_mismatch(format!(
                "query is not an object: {other}"
            )));
        }
    }
    let headers = string_pairs(input.get("headers"), "headers")?;
    if headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
    {
        return Err(Reject::constraint(
            "authorization is the result, not an input".into(),
        ));
    }
    let body = match opt_str(input, "body_base64")? {
        None => None,
        Some(b64) => Some(
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|e| Reject::constraint(format!("body_base64 is not Base64: {e}")))?,
        ),
    };
    let payload = match (opt_str(input, "payload_sha256")?, &body) {
        (Some(_), Some(_)) => {
            return Err(Reject::constraint(
                "payload_sha256 or body_base64, not both".into(),
            ));
        }
        (Some(hex), None) => {
            let lower_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
            if hex.len() != 64 || !hex.bytes().all(lower_hex) {
                return Err(Reject::constraint(
                    "payload_sha256 is 64 lowercase hex digits".into(),
                ));
            }
            Payload::Sha256Hex(hex)
        }
        (None, Some(body)) => Payload::Body(body),
        (None, None) => Payload::Body(b""),
    };
    let access_key_id = req_str(input, "access_key_id")?;
    if access_key_id.is_empty() {
        return Err(Reject::constraint("access_key_id is empty".into()));
    }
    let secret = AccessKeySecret::new(req_str(input, "access_key_secret")?)?;
    let stages = sign_v3(
        method,
        path,
        &query,
        &headers,
        payload,
        access_key_id,
        &secret,
    );
    let mut verdict = v3_stages(&stages);
    verdict["outcome"] = json!("signature");
    Ok(verdict)
}

/// A list of `[name, value]` string pairs.
fn string_pairs<'v>(
    list: Option<&'v Value>,
    field: &str,
) -> Result<Vec<(&'v str, &'v str)>, Reject> {
    let wrong = |item: &Value| {
        Reject::type_mismatch(format!(
            "{field}: {item} is not a [name, value] pair of strings"
        ))
    };
    match list {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item.as_array().map(Vec::as_slice) {
                Some([Value::String(name), Value::String(value)]) => {
                    Ok((name.as_str(), value.as_str()))
                }
                _ => Err(wrong(item)),
            })
            .collect(),
        Some(other) => Err(wrong(other)),
    }
}

/// `kind: "incoming"`: the server side. Problems with the envelope mean no verdict;
/// everything about the request is the service's answer.
fn incoming(envelope: &Value) -> Result<Value, AdapterError> {
    let input = envelope
        .get("input")
        .filter(|i| i.is_object())
        .ok_or_else(|| envelope_error("input", "missing or not an object"))?;
    let text = |field: &'static str, default: &'static str| match input.get(field) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(envelope_error(field, "not a string")),
    };
    let (method, path, query) = (
        text("method", "POST")?,
        text("path", "/")?,
        text("query", "")?,
    );
    let headers = string_pairs(input.get("headers"), "headers")
        .map_err(|r| envelope_error("input.headers", r.message))?;
    let body = base64::engine::general_purpose::STANDARD
        .decode(text("body_base64", "")?)
        .map_err(|e| envelope_error("input.body_base64", format!("not Base64: {e}")))?;
    let mut credentials = std::collections::BTreeMap::new();
    if let Some(map) = input.get("credentials").and_then(Value::as_object) {
        for (id, secret) in map {
            let secret = secret
                .as_str()
                .and_then(|s| AccessKeySecret::new(s).ok())
                .ok_or_else(|| {
                    envelope_error("input.credentials", format!("{id}: not a non-empty string"))
                })?;
            credentials.insert(id.clone(), secret);
        }
    }
    let http = HttpRequest::new(method, path, query, &headers, &body);
    Ok(
        match IncomingRequest::from_http(&http, |id| credentials.get(id).cloned()) {
            Ok(incoming) => {
                let request = incoming.request();
                let algorithm = incoming.signer().map(|s| s.algorithm());
                json!({"outcome": "accepted", "operation": request.action().as_str(),
                   "signature_version": match algorithm {
                       Some(Algorithm::Acs3HmacSha256) => "ACS3-HMAC-SHA256",
                       _ => "1.0",
                   },
                   "params": request_params(request)})
            }
            Err(e) => {
                let mut error = json!({"http_status": e.status(), "code": e.code()});
                if let Some(sts) = e.server_string_to_sign() {
                    error["server_string_to_sign"] = json!(sts);
                }
                json!({"outcome": "service_error", "error": error})
            }
        },
    )
}

/// A request's own parameters in the request kind's shape: integers as numbers,
/// `InstanceIds` as an array.
fn request_params(request: &Request) -> Value {
    let action = request.action();
    let mut params = Map::new();
    for (name, wire) in request.params() {
        let value = match action.param(name).map(|spec| spec.rule) {
            Some(Rule::Integer { .. }) => wire.parse::<u64>().map_or(json!(wire), |n| json!(n)),
            Some(Rule::InstanceIds) => serde_json::from_str(&wire).unwrap_or(json!(wire)),
            _ => json!(wire),
        };
        params.insert(name.to_owned(), value);
    }
    Value::Object(params)
}

/// `kind: "response"`. Problems with the envelope itself (no status, bad Base64) mean no
/// verdict; everything about the body is a verdict.
fn response(envelope: &Value) -> Result<Value, AdapterError> {
    let Some(action) = operation(envelope) else {
        return Ok(unsupported("unknown operation"));
    };
    let http = envelope
        .get("http")
        .ok_or_else(|| envelope_error("http", "missing"))?;
    let status = http
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or_else(|| envelope_error("http.status", "not an HTTP status"))?;
    let headers = string_pairs(http.get("headers"), "headers")
        .map_err(|r| envelope_error("http.headers", r.message))?;
    let requested = match envelope
        .get("format")
        .or_else(|| envelope.get("requested_format"))
    {
        None | Some(Value::Null) => None,
        Some(Value::String(f)) => Some(
            f.parse::<Format>()
                .map_err(|_| envelope_error("format", format!("{f:?} is not json or xml")))?,
        ),
        Some(other) => return Err(envelope_error("format", format!("not a string: {other}"))),
    };
    let body = match envelope.get("body_base64") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(b64)) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| envelope_error("body_base64", format!("not Base64: {e}")))?,
        Some(other) => {
            return Err(envelope_error(
                "body_base64",
                format!("not a string: {other}"),
            ));
        }
    };
    let decoder = ResponseDecoder::new(action).requested_format(requested);
    Ok(match decoder.decode_http(status, headers, &body) {
        Ok(response) => {
            // The normalized value is the JSON-response shape: the JSON encoding, parsed.
            let value: Value = serde_json::from_str(&response.to_json())
                .map_err(|e| envelope_error("body_base64", format!("re-encoded: {e}")))?;
            json!({"outcome": "output", "value": value})
        }
        Err(ResponseError::Service(e)) => {
            json!({"outcome": "service_error", "error": service_error(&e),
                   "retry": {"retryable": e.is_retryable(), "after_ms": e.retry_after_ms}})
        }
        Err(ResponseError::Decode(e)) => {
            json!({"outcome": "reject", "reject_kind": e.kind().as_str(), "message": e.to_string()})
        }
    })
}

/// A service error in the verdict's shape: absent keys omitted, `AccessDeniedDetail`
/// values with their JSON types.
pub(crate) fn service_error(e: &ServiceError) -> Value {
    let mut error = Map::new();
    error.insert("http_status".into(), json!(e.http_status));
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(v) = value {
            error.insert(key.into(), json!(v));
        }
    };
    put("code", e.code.as_ref().map(|c| c.as_str()));
    put("message", e.message.as_deref());
    put("request_id", e.request_id.as_deref());
    put("host_id", e.host_id.as_deref());
    put("recommend", e.recommend.as_deref());
    if let Some(detail) = &e.access_denied_detail {
        let detail: Map<String, Value> = detail
            .iter()
            .map(|(key, value)| {
                // Each value is one valid JSON value by construction.
                let json = serde_json::from_str(&value.to_json()).unwrap_or(Value::Null);
                (key.to_owned(), json)
            })
            .collect();
        error.insert("access_denied_detail".into(), Value::Object(detail));
    }
    Value::Object(error)
}
