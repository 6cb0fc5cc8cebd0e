//! The native half of the Node binding: each function takes loose JavaScript values,
//! builds the `ecs_ramrole` library's types from them (the library's own constructors and
//! parsers doing every check), calls the library, and hands back plain values.
//!
//! `index.js` is the public face: it checks argument types (`TypeError`), fills in
//! defaults, and turns this module's errors into the package's error classes. An error
//! from here is a JavaScript `Error` whose message is `ecs-ramrole:` followed by a JSON
//! object saying which class to raise and with which fields ([`Failure`]).
//!
//! Every entry point runs inside `catch_unwind`: a Rust panic reaches JavaScript as a
//! `Failure::Panic`, never as an abort of the process.

#![deny(unsafe_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};

use ecs_ramrole::{
    AccessKeySecret, Action, Algorithm, Credentials, DecodeError, EncodeOptions, Format,
    HttpRequest, IncomingRequest, InstanceIds, Method, Nonce, ParamValue, Payload, Placement,
    Request, RequestError, ResponseDecoder, ResponseError, Rule, ServiceError, Stages, Timestamp,
    sign_params, sign_v3,
};
use napi::bindgen_prelude::{Array, BigInt, Either, Function, Latin1String, Unknown, Utf16String};
use napi::{JsValue, ValueType};
use napi_derive::napi;
use serde_json::{Value, json};

/// The prefix of every error message this module produces.
const MARK: &str = "ecs-ramrole:";

/// Why a call failed, in the shape `index.js` turns into an error class.
enum Failure {
    /// `RequestError`: a request parameter or signing input broke a rule.
    Request {
        kind: &'static str,
        parameter: String,
        message: String,
    },
    /// `ServiceError`: the service's answer (a non-2xx response, or a refused request).
    Service(Value),
    /// `DecodeError`: a 2xx body that could not be read.
    Decode(Value),
    /// `TypeError`: a value JavaScript should not have passed (index.js checks first).
    Type(String),
    /// A Rust panic, caught.
    Panic,
}

impl Failure {
    fn request(e: &RequestError) -> Self {
        Failure::Request {
            kind: e.reject_kind(),
            parameter: e.param().to_owned(),
            message: e.to_string(),
        }
    }

    fn type_mismatch(parameter: &str, message: String) -> Self {
        Failure::Request {
            kind: "type_mismatch",
            parameter: parameter.to_owned(),
            message,
        }
    }

    fn constraint(parameter: &str, message: String) -> Self {
        Failure::Request {
            kind: "constraint_violation",
            parameter: parameter.to_owned(),
            message,
        }
    }

    fn into_napi(self) -> napi::Error {
        let payload = match self {
            Failure::Request {
                kind,
                parameter,
                message,
            } => {
                json!({"type": "request", "kind": kind, "parameter": parameter, "message": message})
            }
            Failure::Service(error) => json!({"type": "service", "error": error}),
            Failure::Decode(error) => json!({"type": "decode", "error": error}),
            Failure::Type(message) => json!({"type": "type", "message": message}),
            Failure::Panic => json!({"type": "panic"}),
        };
        napi::Error::from_reason(format!("{MARK}{payload}"))
    }
}

impl From<RequestError> for Failure {
    fn from(e: RequestError) -> Self {
        Failure::request(&e)
    }
}

impl From<napi::Error> for Failure {
    fn from(e: napi::Error) -> Self {
        Failure::Type(e.reason)
    }
}

/// Runs `f`, a panic included, and turns its failure into a JavaScript error.
fn guarded<T>(f: impl FnOnce() -> Result<T, Failure>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(failure)) => Err(failure.into_napi()),
        Err(_) => Err(Failure::Panic.into_napi()),
    }
}

fn action(operation: &str) -> Result<Action, Failure> {
    Ok(operation.parse::<Action>()?)
}

fn method(text: Option<&str>) -> Result<Method, Failure> {
    Ok(text.map(str::parse).transpose()?.unwrap_or_default())
}

/// `JSON` or `XML`, spelled as sent: the request's `Format` is case-sensitive here, as
/// the adapter protocol has it (`Format::from_str` is lenient, for the server side).
fn request_format(text: Option<&str>) -> Result<Option<Format>, Failure> {
    match text {
        None => Ok(None),
        Some(text) => Format::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == text)
            .map(Some)
            .ok_or_else(|| {
                Failure::constraint(
                    "Format",
                    format!("Format must be JSON or XML, found {text:?}"),
                )
            }),
    }
}

/// A JavaScript value's type, as a message names it.
fn js_type(value: &Unknown<'_>) -> &'static str {
    match value.get_type() {
        Ok(ValueType::String) => "a string",
        Ok(ValueType::Number) => "a number",
        Ok(ValueType::BigInt) => "a bigint",
        Ok(ValueType::Boolean) => "a boolean",
        Ok(ValueType::Null) => "null",
        Ok(ValueType::Undefined) => "undefined",
        Ok(ValueType::Object) if value.is_array().unwrap_or(false) => "an array",
        Ok(ValueType::Object) => "an object",
        Ok(ValueType::Function) => "a function",
        Ok(ValueType::Symbol) => "a symbol",
        _ => "a value of another type",
    }
}

fn string_of(value: &Unknown<'_>) -> Option<String> {
    match value.get_type() {
        Ok(ValueType::String) => value
            .coerce_to_string()
            .ok()?
            .into_utf8()
            .ok()?
            .into_owned()
            .ok(),
        _ => None,
    }
}

/// The largest integer an `OwnerId` (the API's Long) can hold.
const LONG_MAX: u64 = i64::MAX as u64;
/// 2^53 - 1: past it a JavaScript number may not be the integer that was meant.
const SAFE_MAX: f64 = 9_007_199_254_740_991.0;

fn wrong_integer(name: &str, why: &str) -> Failure {
    Failure::type_mismatch(
        name,
        format!(
            "{name} must be a non-negative integer (a number, or a bigint up to 2^63 - 1), {why}"
        ),
    )
}

/// An integer parameter from a JavaScript number: a safe non-negative integer. (A
/// negative, fractional or larger value is not a Long, as the adapter protocol has it.)
fn integer_from_number(name: &str, n: f64) -> Result<u64, Failure> {
    if n.fract() != 0.0 || !n.is_finite() {
        Err(wrong_integer(name, "found a number that is not an integer"))
    } else if n < 0.0 {
        Err(wrong_integer(name, "found a negative number"))
    } else if n > SAFE_MAX {
        Err(wrong_integer(
            name,
            "found a number past 2^53 - 1 (pass a bigint)",
        ))
    } else {
        // In range and integral: exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(n as u64)
    }
}

/// An integer parameter: a number (see [`integer_from_number`]) or a bigint from 0 to
/// 2^63 - 1.
fn integer_of(name: &str, value: &Unknown<'_>) -> Result<u64, Failure> {
    match value.get_type()? {
        ValueType::Number => integer_from_number(name, value.coerce_to_number()?.get_double()?),
        ValueType::BigInt => {
            #[allow(unsafe_code)]
            // SAFETY: the value was just checked to be a bigint.
            let big: BigInt = unsafe { value.cast()? };
            let (negative, n, lossless) = big.get_u64();
            if negative && n != 0 {
                Err(wrong_integer(name, "found a negative bigint"))
            } else if !lossless || n > LONG_MAX {
                Err(wrong_integer(name, "found a bigint past 2^63 - 1"))
            } else {
                Ok(n)
            }
        }
        _ => Err(wrong_integer(name, &format!("found {}", js_type(value)))),
    }
}

/// One `params` entry as the operation's schema types it (the library's
/// [`Action::param`]): text, an integer, or `InstanceIds` as raw JSON text or a list.
fn param_value(action: Action, name: &str, value: &Unknown<'_>) -> Result<ParamValue, Failure> {
    let spec = action.param(name).ok_or_else(|| {
        Failure::constraint(name, format!("{name} is not a parameter of {action}"))
    })?;
    let wrong = || wrong_type(name, spec.rule, js_type(value));
    Ok(match spec.rule {
        Rule::Integer { .. } => ParamValue::Integer(integer_of(name, value)?),
        Rule::InstanceIds => match string_of(value) {
            Some(raw) => ParamValue::InstanceIds(InstanceIds::from_json(&raw)?),
            None if value.is_array()? => {
                #[allow(unsafe_code)]
                // SAFETY: the value was just checked to be an array.
                let array: Array<'_> = unsafe { value.cast()? };
                let mut ids = Vec::with_capacity(array.len() as usize);
                for index in 0..array.len() {
                    let item: Unknown<'_> = array.get(index)?.ok_or_else(|| {
                        Failure::type_mismatch(
                            name,
                            format!("{name}[{index}] is not a string, found undefined"),
                        )
                    })?;
                    ids.push(string_of(&item).ok_or_else(|| {
                        Failure::type_mismatch(
                            name,
                            format!("{name}[{index}] is not a string, found {}", js_type(&item)),
                        )
                    })?);
                }
                ParamValue::InstanceIds(InstanceIds::new(ids)?)
            }
            None => return Err(wrong()),
        },
        // Text, and any rule a later version of the library adds: text is what the wire
        // carries.
        _ => ParamValue::Text(string_of(value).ok_or_else(wrong)?),
    })
}

/// The message for a value of the wrong JSON type.
fn wrong_type(name: &str, rule: Rule, found: &str) -> Failure {
    Failure::type_mismatch(
        name,
        format!(
            "{name} must be {}, found {found}",
            match rule {
                Rule::InstanceIds => "an array of strings or a string of JSON text",
                _ => "a string",
            }
        ),
    )
}

/// One `params` entry that `index.js` sent as JSON (a string, a finite number, a
/// boolean, or an array of well-formed strings): the same rules as [`param_value`].
fn json_param_value(action: Action, name: &str, value: Value) -> Result<ParamValue, Failure> {
    let spec = action.param(name).ok_or_else(|| {
        Failure::constraint(name, format!("{name} is not a parameter of {action}"))
    })?;
    let found = match &value {
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::Null => "null",
    };
    Ok(match (spec.rule, value) {
        (Rule::Integer { .. }, Value::Number(n)) => {
            ParamValue::Integer(integer_from_number(name, n.as_f64().unwrap_or(f64::NAN))?)
        }
        (Rule::Integer { .. }, _) => return Err(wrong_integer(name, &format!("found {found}"))),
        (Rule::InstanceIds, Value::String(raw)) => {
            ParamValue::InstanceIds(InstanceIds::from_json(&raw)?)
        }
        (Rule::InstanceIds, Value::Array(items)) => {
            let mut ids = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let Value::String(id) = item else {
                    return Err(Failure::type_mismatch(
                        name,
                        format!("{name}[{index}] is not a string"),
                    ));
                };
                ids.push(id);
            }
            ParamValue::InstanceIds(InstanceIds::new(ids)?)
        }
        (Rule::InstanceIds, _) => return Err(wrong_type(name, spec.rule, found)),
        (_, Value::String(text)) => ParamValue::Text(text),
        (rule, _) => return Err(wrong_type(name, rule, found)),
    })
}

/// What `index.js` sends for a request: JSON `[operation, params, ...rest]`, where
/// `params` holds the entries JSON carries as they are; the others (bigints, objects,
/// numbers JSON cannot write, strings with lone surrogates) come as `(names, values)`
/// JavaScript values. (Most calls cross as one string: the fewest crossings between
/// the runtimes.)
fn build_request(
    operation: &str,
    json_params: Vec<(String, Value)>,
    names: Option<&[String]>,
    values: Option<&[Unknown<'_>]>,
) -> Result<Request, Failure> {
    let action = action(operation)?;
    let mut json_names = Vec::with_capacity(json_params.len());
    let mut params = Vec::with_capacity(json_params.len() + names.map_or(0, <[_]>::len));
    for (name, value) in json_params {
        if !value.is_null() {
            params.push(json_param_value(action, &name, value)?);
            json_names.push(name);
        }
    }
    let mut named: Vec<(&str, ParamValue)> =
        json_names.iter().map(String::as_str).zip(params).collect();
    for (name, value) in names
        .unwrap_or_default()
        .iter()
        .zip(values.unwrap_or_default())
    {
        if matches!(value.get_type()?, ValueType::Null | ValueType::Undefined) {
            continue;
        }
        named.push((name.as_str(), param_value(action, name, value)?));
    }
    Ok(Request::from_params(action, named)?)
}

/// The JSON `index.js` sends, read.
fn envelope(text: &str) -> Result<Vec<Value>, Failure> {
    serde_json::from_str(text).map_err(|e| Failure::Type(format!("malformed call: {e}")))
}

fn text_at(items: &[Value], at: usize) -> Option<&str> {
    items.get(at).and_then(Value::as_str)
}

/// The call's `params` object, taken out of it.
fn params_at(items: &mut [Value], at: usize) -> Vec<(String, Value)> {
    match items.get_mut(at).map(Value::take) {
        Some(Value::Object(map)) => map.into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Strings packed into one JavaScript string (one crossing, however many there are):
/// a header `count:length,length,...;` in decimal (lengths in UTF-16 code units), then
/// the texts back to back. Latin-1 when every text is ASCII (V8 then copies bytes, and
/// the slices are one-byte strings), UTF-16 otherwise.
fn pack(strings: &[&str]) -> Either<Latin1String, Utf16String> {
    let mut header = format!("{}:", strings.len());
    let ascii = strings.iter().all(|s| s.is_ascii());
    for (i, s) in strings.iter().enumerate() {
        if i > 0 {
            header.push(',');
        }
        let units = if ascii {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        header.push_str(&units.to_string());
    }
    header.push(';');
    if ascii {
        let total = header.len() + strings.iter().map(|s| s.len()).sum::<usize>();
        let mut out = String::with_capacity(total);
        out.push_str(&header);
        for s in strings {
            out.push_str(s);
        }
        // ASCII: its bytes are its Latin-1.
        Either::A(Latin1String::from(out))
    } else {
        let mut out: Vec<u16> = header.encode_utf16().collect();
        for s in strings {
            out.extend(s.encode_utf16());
        }
        Either::B(Utf16String::from(out))
    }
}

fn push_u32(out: &mut Vec<u16>, n: usize) {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    #[allow(clippy::cast_possible_truncation)]
    out.extend([n as u16, (n >> 16) as u16]);
}

/// Appends `s` as UTF-16; returns how many code units that was.
fn push_utf16(out: &mut Vec<u16>, s: &str) -> usize {
    let before = out.len();
    if s.is_ascii() {
        out.extend(s.bytes().map(u16::from));
    } else {
        out.extend(s.encode_utf16());
    }
    out.len() - before
}

/// An unsigned request. `call` is JSON `[operation, params, method, format]`; the
/// answer packs `[method, query]`.
#[napi]
pub fn encode_request(
    call: String,
    names: Option<Vec<String>>,
    values: Option<Vec<Unknown<'_>>>,
) -> napi::Result<Either<Latin1String, Utf16String>> {
    guarded(|| {
        let mut items = envelope(&call)?;
        let format = request_format(text_at(&items, 3))?;
        let method = self::method(text_at(&items, 2))?;
        let params = params_at(&mut items, 1);
        let request = build_request(
            text_at(&items, 0).unwrap_or_default(),
            params,
            names.as_deref(),
            values.as_deref(),
        )?;
        let encoded = request.encode(&EncodeOptions::new(method, format));
        Ok(pack(&[encoded.method().as_str(), encoded.query()]))
    })
}

/// The signing inputs' positions in `sign_request`'s inputs (`null` where absent).
const O_ALGORITHM: usize = 0;
const O_METHOD: usize = 1;
const O_FORMAT: usize = 2;
const O_ACCESS_KEY_ID: usize = 3;
const O_ACCESS_KEY_SECRET: usize = 4;
const O_SECURITY_TOKEN: usize = 5;
const O_TIMESTAMP: usize = 6;
const O_NONCE: usize = 7;
const O_HOST: usize = 8;
const O_PLACEMENT: usize = 9;

/// Signs a request. `call` is JSON `[operation, params, inputs]`, `inputs` the signing
/// inputs by position (`O_*`); the answer packs `[method, query, body, "1" | "3",
/// stages..., header name, value, ...]`: V1's stages are the canonical query,
/// string-to-sign and signature; V3's the canonical query, canonical request, hashed
/// canonical request, string-to-sign, signature and authorization.
#[napi]
pub fn sign_request(
    call: String,
    names: Option<Vec<String>>,
    values: Option<Vec<Unknown<'_>>>,
) -> napi::Result<Either<Latin1String, Utf16String>> {
    guarded(|| {
        let mut items = envelope(&call)?;
        let mut inputs: Vec<Option<String>> = match items.get_mut(2).map(Value::take) {
            Some(Value::Array(inputs)) => inputs
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        inputs.resize(O_PLACEMENT + 1, None);
        let mut take = |at: usize| inputs[at].take();
        let required = |value: Option<String>, name: &str| {
            value.ok_or_else(|| Failure::Request {
                kind: "missing_required",
                parameter: name.to_owned(),
                message: format!("{name} is required but missing"),
            })
        };
        let algorithm: Algorithm = match take(O_ALGORITHM) {
            None => Algorithm::HmacSha1,
            Some(text) => text.parse()?,
        };
        let secret = AccessKeySecret::new(required(take(O_ACCESS_KEY_SECRET), "AccessKeySecret")?)?;
        let mut credentials =
            Credentials::new(required(take(O_ACCESS_KEY_ID), "AccessKeyId")?, secret)?;
        if let Some(token) = take(O_SECURITY_TOKEN) {
            credentials = credentials.with_security_token(token)?;
        }
        let timestamp = Timestamp::parse(&required(take(O_TIMESTAMP), "Timestamp")?)?;
        let nonce = Nonce::new(required(take(O_NONCE), "SignatureNonce")?)?;
        let format = request_format(take(O_FORMAT).as_deref())?;
        let method = method(take(O_METHOD).as_deref())?;
        let mut encode = match algorithm {
            Algorithm::Acs3HmacSha256 => EncodeOptions::v3(method, format),
            _ => EncodeOptions::new(method, format),
        };
        if let Some(host) = take(O_HOST) {
            encode = encode.with_host(host)?;
        }
        if let Some(placement) = take(O_PLACEMENT) {
            encode = encode.with_placement(placement.parse::<Placement>()?)?;
        }
        let params = params_at(&mut items, 1);
        let request = build_request(
            text_at(&items, 0).unwrap_or_default(),
            params,
            names.as_deref(),
            values.as_deref(),
        )?;
        let signed = request.sign(&encode, &credentials, &timestamp, &nonce);
        let mut out: Vec<&str> = Vec::with_capacity(10 + 2 * signed.headers().len());
        out.extend([signed.method().as_str(), signed.query(), signed.body()]);
        match signed.stages() {
            Stages::V3(s) => out.extend([
                "3",
                s.canonical_query(),
                s.canonical_request(),
                s.hashed_canonical_request(),
                s.string_to_sign(),
                s.signature(),
                s.authorization(),
            ]),
            s => out.extend(["1", s.canonical_query(), s.string_to_sign(), s.signature()]),
        }
        for (name, value) in signed.headers() {
            out.extend([name.as_str(), value.as_str()]);
        }
        Ok(pack(&out))
    })
}

/// Name-value pairs from `[name, value, ...]`; `index.js` has checked they are strings.
fn pairs(flat: &[String]) -> Vec<(&str, &str)> {
    flat.chunks_exact(2)
        .map(|pair| (pair[0].as_str(), pair[1].as_str()))
        .collect()
}

/// The bare V1 signer: `[canonical query, string-to-sign, signature]`.
#[napi]
pub fn sign_params_v1(
    method: String,
    params: Vec<String>,
    access_key_secret: String,
) -> napi::Result<Vec<String>> {
    guarded(|| {
        let method: Method = method.parse()?;
        let secret = AccessKeySecret::new(access_key_secret)?;
        let params = pairs(&params);
        // The signer signs what it is given, but `Signature` is its output: a list that
        // holds one was meant for verifying, not signing.
        if params.iter().any(|(name, _)| *name == "Signature") {
            return Err(Failure::constraint(
                "Signature",
                "Signature is the signer's output; leave it out of params".into(),
            ));
        }
        let stages = sign_params(method, &params, &secret);
        Ok(vec![
            stages.canonical_query().to_owned(),
            stages.string_to_sign().to_owned(),
            stages.signature().to_owned(),
        ])
    })
}

/// The generic V3 signer: `[canonical request, hashed canonical request,
/// string-to-sign, signature, authorization]`.
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn sign_v3_generic(
    method: String,
    path: String,
    query: Vec<String>,
    headers: Vec<String>,
    access_key_id: String,
    access_key_secret: String,
    payload_sha256: Option<String>,
    body: Option<&[u8]>,
) -> napi::Result<Vec<String>> {
    guarded(|| {
        let method: Method = method.parse()?;
        let headers = pairs(&headers);
        // `authorization` is what the signer makes; signing one in would sign a stale
        // signature.
        if headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        {
            return Err(Failure::constraint(
                "authorization",
                "the authorization header is the signer's output, not an input".into(),
            ));
        }
        let payload = match (payload_sha256.as_deref(), body) {
            (Some(_), Some(_)) => {
                return Err(Failure::constraint(
                    "payloadSha256",
                    "give payloadSha256 or body, not both".into(),
                ));
            }
            (Some(hex), None) => {
                let lower_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
                if hex.len() != 64 || !hex.bytes().all(lower_hex) {
                    return Err(Failure::constraint(
                        "payloadSha256",
                        "payloadSha256 must be 64 lowercase hex digits".into(),
                    ));
                }
                Payload::Sha256Hex(hex)
            }
            (None, Some(body)) => Payload::Body(body),
            (None, None) => Payload::Body(b""),
        };
        if access_key_id.is_empty() {
            return Err(Failure::constraint(
                "AccessKeyId",
                "AccessKeyId must not be empty".into(),
            ));
        }
        let secret = AccessKeySecret::new(access_key_secret)?;
        let path = if path.is_empty() { "/" } else { path.as_str() };
        let stages = sign_v3(
            method,
            path,
            &pairs(&query),
            &headers,
            payload,
            &access_key_id,
            &secret,
        );
        Ok(vec![
            stages.canonical_request().to_owned(),
            stages.hashed_canonical_request().to_owned(),
            stages.string_to_sign().to_owned(),
            stages.signature().to_owned(),
            stages.authorization().to_owned(),
        ])
    })
}

/// A service error's fields, for `index.js`: `accessDeniedDetail` as `[key, JSON text]`
/// pairs, each value the exact JSON the body held (so a long number keeps its digits).
fn service_error(e: &ServiceError) -> Value {
    let detail = e.access_denied_detail.as_ref().map(|detail| {
        detail
            .iter()
            .map(|(key, value)| json!([key, value.to_json()]))
            .collect::<Vec<_>>()
    });
    json!({
        "httpStatus": e.http_status,
        "code": e.code.as_ref().map(|c| c.as_str()),
        "message": e.message,
        "requestId": e.request_id,
        "hostId": e.host_id,
        "recommend": e.recommend,
        "accessDeniedDetail": detail,
        "retryable": e.is_retryable(),
        "retryAfterMs": e.retry_after_ms,
        "serverStringToSign": e.server_string_to_sign(),
    })
}

fn decode_error(e: &DecodeError) -> Value {
    json!({
        "kind": e.kind().as_str(),
        "field": e.field(),
        "offset": e.offset(),
        "line": e.line(),
        "column": e.column(),
        "message": e.to_string(),
    })
}

/// The keys of the success value, by code: what the tape ([`Tape`]) names fields by.
/// The documented field names, in `Response::to_json`'s order; the test suite checks
/// that the value built from the tape equals `to_json`'s on every corpus body.
const KEYS: &[&str] = &[
    "RequestId",
    "RamRoleName",
    "TotalCount",
    "FailCount",
    "RegionId",
    "PageNumber",
    "PageSize",
    "InstanceId",
    "Code",
    "Message",
    "Success",
    "InstanceRamRoleSets",
    "InstanceRamRoleSet",
    "AttachInstanceRamRoleResults",
    "AttachInstanceRamRoleResult",
    "DetachInstanceRamRoleResults",
    "DetachInstanceRamRoleResult",
];
const K_REQUEST_ID: u32 = 0;
const K_RAM_ROLE_NAME: u32 = 1;
const K_TOTAL_COUNT: u32 = 2;
const K_FAIL_COUNT: u32 = 3;
const K_REGION_ID: u32 = 4;
const K_PAGE_NUMBER: u32 = 5;
const K_PAGE_SIZE: u32 = 6;
const K_INSTANCE_ID: u32 = 7;
const K_CODE: u32 = 8;
const K_MESSAGE: u32 = 9;
const K_SUCCESS: u32 = 10;
const K_SETS: (u32, u32) = (11, 12);

/// The results' wrapper and item keys of an operation that has results.
fn results_keys(action: Action) -> Option<(u32, u32)> {
    match action {
        Action::AttachInstanceRamRole => Some((13, 14)),
        Action::DetachInstanceRamRole => Some((15, 16)),
        _ => None,
    }
}

/// The key table, for `index.js`.
#[napi]
pub fn value_keys() -> Vec<&'static str> {
    KEYS.to_vec()
}

/// A decoded value as `index.js` builds it without a JSON round trip: one JavaScript
/// string, UTF-16 `[W][tape: W words][pool]`, each word two code units (low, high). The
/// pool holds every string; the tape says where each goes. Ops: `[1, key, from, to]` a
/// string (offsets in the pool), `[2, key, n]` a number, `[3, key, 0|1]` a boolean,
/// `[4, wrapper, item, count]` a list of `count` objects, each ended by `[0]`. Fields
/// come in `Response::to_json`'s order, absent ones left out.
struct Tape {
    words: Vec<u32>,
    pool: Vec<u16>,
}

impl Tape {
    fn string(&mut self, key: u32, value: Option<&str>) {
        let Some(value) = value else { return };
        let from = self.pool.len();
        push_utf16(&mut self.pool, value);
        let offset = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.words
            .extend([1, key, offset(from), offset(self.pool.len())]);
    }

    fn number(&mut self, key: u32, value: Option<u32>) {
        if let Some(n) = value {
            self.words.extend([2, key, n]);
        }
    }

    fn boolean(&mut self, key: u32, value: Option<bool>) {
        if let Some(b) = value {
            self.words.extend([3, key, u32::from(b)]);
        }
    }

    fn list<T>(
        &mut self,
        keys: (u32, u32),
        list: Option<&[T]>,
        mut item: impl FnMut(&mut Self, &T),
    ) {
        let Some(list) = list else { return };
        let count = u32::try_from(list.len()).unwrap_or(u32::MAX);
        self.words.extend([4, keys.0, keys.1, count]);
        for value in list {
            item(self, value);
            self.words.push(0);
        }
    }

    fn role_set(&mut self, set: &ecs_ramrole::InstanceRamRoleSet<'_>) {
        self.string(K_INSTANCE_ID, set.instance_id.as_deref());
        self.string(K_RAM_ROLE_NAME, set.ram_role_name.as_deref());
    }

    fn result(&mut self, r: &ecs_ramrole::InstanceResult<'_>) {
        self.string(K_INSTANCE_ID, r.instance_id.as_deref());
        self.string(K_CODE, r.code.as_deref());
        self.string(K_MESSAGE, r.message.as_deref());
        self.boolean(K_SUCCESS, r.success);
        self.list(K_SETS, r.instance_ram_role_sets.as_deref(), Self::role_set);
    }

    /// The value of `response`, as one string.
    fn response(response: &ecs_ramrole::Response<'_>) -> Utf16String {
        let mut tape = Tape {
            words: Vec::with_capacity(64),
            pool: Vec::with_capacity(256),
        };
        tape.string(K_REQUEST_ID, response.request_id.as_deref());
        match results_keys(response.action) {
            Some(keys) => {
                tape.list(keys, response.results.as_deref(), Self::result);
                tape.number(K_TOTAL_COUNT, response.total_count);
                tape.number(K_FAIL_COUNT, response.fail_count);
                tape.string(K_RAM_ROLE_NAME, response.ram_role_name.as_deref());
            }
            None => {
                tape.string(K_REGION_ID, response.region_id.as_deref());
                tape.number(K_TOTAL_COUNT, response.total_count);
                tape.number(K_PAGE_NUMBER, response.page_number);
                tape.number(K_PAGE_SIZE, response.page_size);
                tape.list(
                    K_SETS,
                    response.instance_ram_role_sets.as_deref(),
                    Self::role_set,
                );
            }
        }
        let mut out = Vec::with_capacity(2 + 2 * tape.words.len() + tape.pool.len());
        push_u32(&mut out, tape.words.len());
        for &word in &tape.words {
            #[allow(clippy::cast_possible_truncation)]
            out.extend([word as u16, (word >> 16) as u16]);
        }
        out.extend_from_slice(&tape.pool);
        Utf16String::from(out)
    }
}

/// `[operation, status, [name, value, ...], format]` as `index.js` sends it, then the
/// decode.
fn decode<'b>(call: &str, body: &'b [u8]) -> Result<ecs_ramrole::Response<'b>, Failure> {
    let items = envelope(call)?;
    let action = action(text_at(&items, 0).unwrap_or_default())?;
    let status = items
        .get(1)
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or_else(|| Failure::Type("status must be an HTTP status".into()))?;
    let headers: Vec<&str> = match items.get(2) {
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let headers = headers.chunks_exact(2).map(|pair| (pair[0], pair[1]));
    let requested = text_at(&items, 3).map(str::parse::<Format>).transpose()?;
    let decoder = ResponseDecoder::new(action).requested_format(requested);
    match decoder.decode_http(status, headers, body) {
        Ok(response) => Ok(response),
        Err(ResponseError::Service(e)) => Err(Failure::Service(service_error(&e))),
        Err(ResponseError::Decode(e)) => Err(Failure::Decode(decode_error(&e))),
    }
}

/// Decodes a response: the success value (as a tape, which `index.js` turns into the
/// corpus's JSON-response shape), or a service or decode error. `call` is JSON
/// `[operation, status, [name, value, ...], format]`.
#[napi]
pub fn decode_response(call: String, body: &[u8]) -> napi::Result<Utf16String> {
    guarded(|| Ok(Tape::response(&decode(&call, body)?)))
}

/// The same decode, the value written by the library's own `Response::to_json`: the
/// oracle the test suite checks the tape against.
#[napi(js_name = "_decodeResponseJson")]
pub fn decode_response_json(call: String, body: &[u8]) -> napi::Result<String> {
    guarded(|| Ok(decode(&call, body)?.to_json()))
}

/// A verified request, as `index.js` hands it back.
#[napi(object)]
pub struct NativeVerified {
    pub operation: String,
    pub signature_version: String,
    pub format: Option<String>,
    pub access_key_id: Option<String>,
    /// `[name, type, wire text, ...]`: type `t` text, `i` integer, `l` an instance ID
    /// list (the text is its JSON array).
    pub params: Vec<String>,
}

/// The server side: decodes and verifies a request with the secrets `lookup` gives, or
/// answers with the service's error.
#[napi]
pub fn verify_request(
    method: String,
    path: String,
    query: String,
    headers: Vec<String>,
    body: &[u8],
    lookup: Function<'_, String, Option<String>>,
) -> napi::Result<NativeVerified> {
    guarded(|| {
        let headers = pairs(&headers);
        let http = HttpRequest::new(&method, &path, &query, &headers, body);
        // `index.js` wraps the caller's lookup so that it never throws and returns a
        // non-empty string or null.
        let secret_of = |id: &str| {
            lookup
                .call(id.to_owned())
                .ok()
                .flatten()
                .and_then(|secret| AccessKeySecret::new(secret).ok())
        };
        let incoming = IncomingRequest::from_http(&http, secret_of).map_err(|e| {
            let mut error = service_error(&e.to_service_error());
            // The string-to-sign straight from the refusal, not re-read from its message.
            if let Some(sts) = e.server_string_to_sign() {
                error["serverStringToSign"] = json!(sts);
            }
            Failure::Service(error)
        })?;
        let request = incoming.request();
        let action = request.action();
        let mut params = Vec::new();
        for (name, wire) in request.params() {
            let kind = match action.param(name).map(|spec| spec.rule) {
                Some(Rule::Integer { .. }) => "i",
                Some(Rule::InstanceIds) => "l",
                _ => "t",
            };
            params.extend([name.to_owned(), kind.to_owned(), wire.into_owned()]);
        }
        let signer = incoming.signer();
        Ok(NativeVerified {
            operation: action.as_str().to_owned(),
            signature_version: match signer.map(|s| s.algorithm()) {
                Some(Algorithm::Acs3HmacSha256) => "ACS3-HMAC-SHA256",
                _ => "1.0",
            }
            .to_owned(),
            format: incoming.format().map(|f| f.as_str().to_owned()),
            access_key_id: signer.map(|s| s.access_key_id().to_owned()),
            params,
        })
    })
}

/// Panics inside the guard, so the tests can show a panic arrives as an `Error`.
#[napi(js_name = "_panicForTests")]
pub fn panic_for_tests() -> napi::Result<()> {
    guarded(|| -> Result<(), Failure> { panic!("a panic raised on purpose by the test suite") })
}
