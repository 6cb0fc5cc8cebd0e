//! Adapter protocol 1 for this crate, in-process: envelope JSON in, verdict JSON out.
//!
//! This is what `ecs-ramrole adapter` runs, and what `ecs-ramrole check` calls directly
//! when it checks this library. The protocol is specified in `corpus/README.md`.

use crate::request_build::{RequestFields, operation_params};
use crate::{
    AccessKeySecret, Action, Credentials, EncodeOptions, Format, InstanceIds, Method, Nonce,
    Request, RequestError, RequestErrorKind, ResponseDecoder, ResponseError, ServiceError,
    Timestamp, sign_params,
};
use base64::Engine as _;
use serde_json::{Map, Value, json};

/// Turns one envelope into one verdict.
///
/// # Errors
/// A description of why no verdict can be given: the envelope is not JSON, lacks
/// `"protocol": 1` or a `kind`, or a response envelope lacks a usable `http.status` or
/// `body_base64`. Every problem with the request or body inside a usable envelope is a
/// verdict (a reject), not an error.
pub fn handle(input: &[u8]) -> Result<Value, String> {
    let envelope: Value =
        serde_json::from_slice(input).map_err(|e| format!("envelope is not JSON: {e}"))?;
    if envelope.get("protocol") != Some(&json!(1)) {
        return Err("envelope lacks \"protocol\": 1".into());
    }
    let kind = envelope.get("kind").and_then(Value::as_str);
    Ok(match kind {
        Some("request") => request(&envelope).unwrap_or_else(Reject::into_verdict),
        Some("sign") => sign(&envelope).unwrap_or_else(Reject::into_verdict),
        Some("response") => response(&envelope)?,
        Some(other) => unsupported(&format!("kind {other:?} is not implemented")),
        None => return Err("envelope lacks a \"kind\"".into()),
    })
}

/// The envelope's operation, if it is one this crate speaks.
fn operation(envelope: &Value) -> Option<Action> {
    envelope
        .get("operation")
        .and_then(Value::as_str)
        .and_then(Action::parse)
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
        let kind = match e.kind() {
            RequestErrorKind::Missing => "missing_required",
            _ => "constraint_violation",
        };
        Self {
            kind,
            message: e.to_string(),
        }
    }
}

/// Typed views of the `params` object, checked for JSON types first.
struct Params<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Params<'a> {
    fn new(map: &'a Map<String, Value>, action: Action) -> Result<Self, Reject> {
        let known = operation_params(action);
        // A JSON null is an absent parameter.
        for (name, value) in map.iter().filter(|(_, v)| !v.is_null()) {
            if !known.contains(&name.as_str()) {
                return Err(Reject::constraint(format!(
                    "{action} has no parameter {name}"
                )));
            }
            let ok = match name.as_str() {
                "InstanceIds" => match value {
                    Value::String(_) => true,
                    Value::Array(items) => items.iter().all(Value::is_string),
                    _ => false,
                },
                // Long in the API; negative IDs mean nothing.
                "OwnerId" | "ResourceOwnerId" => value.as_i64().is_some_and(|n| n >= 0),
                _ => value.is_string(),
            };
            if !ok {
                return Err(Reject::type_mismatch(format!(
                    "{name} has the wrong JSON type: {value}"
                )));
            }
        }
        Ok(Self { map })
    }

    fn string(&self, name: &str) -> Option<String> {
        self.map
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    fn integer(&self, name: &str) -> Option<u64> {
        self.map.get(name).and_then(Value::as_u64)
    }

    fn instance_ids(&self) -> Result<Option<InstanceIds>, RequestError> {
        match self.map.get("InstanceIds") {
            Some(Value::String(raw)) => InstanceIds::from_json(raw).map(Some),
            Some(Value::Array(items)) => {
                InstanceIds::new(items.iter().filter_map(Value::as_str)).map(Some)
            }
            _ => Ok(None),
        }
    }
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
    let params = Params::new(params, action)?;
    let context = input.and_then(|i| i.get("context")).unwrap_or(&Value::Null);
    let options = encode_options(context)?;
    let signing = match context.get("signing") {
        None | Some(Value::Null) => None,
        Some(signing) => match signing_input(signing)? {
            Some(s) => Some(s),
            None => {
                return Ok(unsupported(
                    "only the HMAC-SHA1 signing algorithm is implemented",
                ));
            }
        },
    };
    let request = build(action, &params)?;
    Ok(match signing {
        None => {
            let encoded = request.encode(&options);
            json!({"outcome": "request", "method": encoded.method().as_str(), "query": encoded.query(),
                   "stages": {"canonical_query": encoded.query()}})
        }
        Some((credentials, timestamp, nonce)) => {
            let signed = request.sign(&options, &credentials, &timestamp, &nonce);
            let stages = signed.stages();
            json!({"outcome": "request", "method": signed.method().as_str(), "query": signed.query(),
                   "stages": {"canonical_query": stages.canonical_query(),
                              "string_to_sign": stages.string_to_sign(),
                              "signature": stages.signature()}})
        }
    })
}

fn build(action: Action, params: &Params<'_>) -> Result<Request, Reject> {
    let fields = RequestFields {
        region_id: params.string("RegionId"),
        ram_role_name: params.string("RamRoleName"),
        instance_ids: params.instance_ids()?,
        policy: params.string("Policy"),
        owner_id: params.integer("OwnerId"),
        resource_owner_id: params.integer("ResourceOwnerId"),
        resource_owner_account: params.string("ResourceOwnerAccount"),
    };
    Ok(fields.build(action)?)
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
    match text {
        None => Ok(Method::Post),
        Some(m) => Method::parse(m)
            .ok_or_else(|| Reject::constraint(format!("method {m:?} is not GET or POST"))),
    }
}

fn encode_options(context: &Value) -> Result<EncodeOptions, Reject> {
    let format = match opt_str(context, "format")? {
        None => None,
        Some("JSON") => Some(Format::Json),
        Some("XML") => Some(Format::Xml),
        Some(other) => {
            return Err(Reject::constraint(format!(
                "format {other:?} is not JSON or XML"
            )));
        }
    };
    Ok(EncodeOptions {
        method: method(opt_str(context, "method")?)?,
        format,
    })
}

/// `Ok(None)` for an algorithm this adapter does not implement.
fn signing_input(signing: &Value) -> Result<Option<(Credentials, Timestamp, Nonce)>, Reject> {
    match opt_str(signing, "algorithm")? {
        None | Some("HMAC-SHA1") => {}
        Some(_) => return Ok(None),
    }
    let secret = AccessKeySecret::new(req_str(signing, "access_key_secret")?)?;
    let mut credentials = Credentials::new(req_str(signing, "access_key_id")?, secret)?;
    if let Some(token) = opt_str(signing, "security_token")? {
        credentials = credentials.with_security_token(token)?;
    }
    let timestamp = Timestamp::parse(req_str(signing, "timestamp")?)?;
    let nonce = Nonce::new(req_str(signing, "nonce")?)?;
    Ok(Some((credentials, timestamp, nonce)))
}

fn sign(envelope: &Value) -> Result<Value, Reject> {
    let input = envelope.get("input").unwrap_or(&Value::Null);
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

/// `kind: "response"`. Problems with the envelope itself (no status, bad Base64) mean no
/// verdict; everything about the body is a verdict.
fn response(envelope: &Value) -> Result<Value, String> {
    let Some(action) = operation(envelope) else {
        return Ok(unsupported("unknown operation"));
    };
    let http = envelope
        .get("http")
        .ok_or("response envelope lacks \"http\"")?;
    let status = http
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("http.status is not an HTTP status")?;
    let content_type = match http.get("headers") {
        None | Some(Value::Null) => None,
        Some(Value::Array(headers)) => {
            headers
                .iter()
                .find_map(|pair| match pair.as_array().map(Vec::as_slice) {
                    Some([Value::String(name), Value::String(value)])
                        if name.eq_ignore_ascii_case("content-type") =>
                    {
                        Some(value.as_str())
                    }
                    _ => None,
                })
        }
        Some(_) => return Err("http.headers is not an array of [name, value] pairs".into()),
    };
    let requested = match envelope
        .get("format")
        .or_else(|| envelope.get("requested_format"))
    {
        None | Some(Value::Null) => None,
        Some(Value::String(f)) => {
            Some(Format::parse(f).ok_or_else(|| format!("format {f:?} is not json or xml"))?)
        }
        Some(other) => return Err(format!("format is not a string: {other}")),
    };
    let body = match envelope.get("body_base64") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(b64)) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| format!("body_base64 is not Base64: {e}"))?,
        Some(other) => return Err(format!("body_base64 is not a string: {other}")),
    };
    let decoder = ResponseDecoder::new(action).requested_format(requested);
    Ok(match decoder.decode(status, content_type, &body) {
        Ok(response) => {
            // The normalized value is the JSON-response shape: the JSON encoding, parsed.
            let value: Value = serde_json::from_str(&response.to_json())
                .map_err(|e| format!("internal: re-encoded response is not JSON: {e}"))?;
            json!({"outcome": "output", "value": value})
        }
        Err(ResponseError::Service(e)) => {
            json!({"outcome": "service_error", "error": service_error(&e)})
        }
        Err(ResponseError::Decode(e)) => {
            json!({"outcome": "reject", "reject_kind": e.kind().as_str(), "message": e.to_string()})
        }
    })
}

fn service_error(e: &ServiceError) -> Value {
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
        error.insert("access_denied_detail".into(), Value::Object(detail.clone()));
    }
    Value::Object(error)
}
