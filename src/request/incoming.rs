//! The server direction: an HTTP request back into a typed request, with its signature
//! (V1 or V3) verified and every failure answered with the service's own error code.
//! The steps and their order are `corpus/README.md`'s (the `incoming` kind).

use std::collections::BTreeSet;

use super::action::{API_VERSION, Action, Algorithm, Format, Method};
use super::error::{RequestError, RequestErrorKind};
use super::wire::{FORM, Request};
use crate::signing::credentials::AccessKeySecret;
use crate::signing::percent::{self, DecodeFault, form_decode};
use crate::signing::timestamp::Timestamp;
use crate::signing::v3::{self, CanonicalHeaders};
use crate::signing::{redact, v1};

/// Parameters every RPC request may carry besides the operation's own.
const COMMON: &[&str] = &["Action", "Format", "Version"];

/// An HTTP request as a server received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpRequest<'a> {
    /// The method, e.g. `POST`.
    pub method: &'a str,
    /// The path, e.g. `/`.
    pub path: &'a str,
    /// The raw query, without `?`.
    pub query: &'a str,
    /// Every header, as received (names in any case, a name possibly repeated).
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

impl<'a> HttpRequest<'a> {
    /// A request with these parts.
    pub fn new(
        method: &'a str,
        path: &'a str,
        query: &'a str,
        headers: &'a [(&'a str, &'a str)],
        body: &'a [u8],
    ) -> Self {
        Self {
            method,
            path,
            query,
            headers,
            body,
        }
    }

    /// The first value of a header, by name in any case.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// Whether the body holds parameters: a POST with
    /// `application/x-www-form-urlencoded`.
    pub fn has_form_body(&self) -> bool {
        self.method == "POST"
            && self
                .header("content-type")
                .and_then(|t| t.trim_start().as_bytes().get(..FORM.len()))
                .is_some_and(|t| t.eq_ignore_ascii_case(FORM.as_bytes()))
    }

    /// The operation a request names, read leniently and without verifying anything:
    /// `Action` in the query or form body, else the `x-acs-action` header. What a server
    /// needs before decoding, for example to pick which faults apply.
    pub fn action_hint(&self) -> Option<Action> {
        self.param_hint("Action")
            .or_else(|| self.header("x-acs-action").map(std::borrow::Cow::Borrowed))
            .and_then(|a| a.parse().ok())
    }

    /// The format a request asks for, read leniently: `Format`, else, for a V3 request
    /// (an `authorization` or `x-acs-action` header), an `accept` header naming JSON or
    /// XML; V1 ignores `accept`. What a server answers a request it could not decode in.
    pub fn format_hint(&self) -> Option<Format> {
        match self.param_hint("Format") {
            Some(format) => format.parse().ok(),
            None if self.is_v3() => {
                accept_format(&CanonicalHeaders::new(self.headers.iter().copied()))
            }
            None => None,
        }
    }

    /// Whether the request is V3-shaped: signed in an `authorization` header, or naming
    /// its operation in `x-acs-action`.
    pub fn is_v3(&self) -> bool {
        self.header("authorization").is_some() || self.header("x-acs-action").is_some()
    }

    /// The first decodable value of a parameter in the query or form body.
    fn param_hint(&self, name: &str) -> Option<std::borrow::Cow<'a, str>> {
        let body = if self.has_form_body() {
            std::str::from_utf8(self.body).unwrap_or_default()
        } else {
            ""
        };
        self.query
            .split('&')
            .chain(body.split('&'))
            .filter_map(|piece| piece.split_once('='))
            .find(|(n, _)| form_decode(n).is_ok_and(|n| n == name))
            .and_then(|(_, v)| form_decode(v).ok())
    }
}

/// One decoded parameter, with where its value starts in the query (or body).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Param {
    name: String,
    value: String,
    value_at: usize,
}

/// Who signed a request, and when, as its verified signature says.
#[derive(Clone, PartialEq, Eq)]
pub struct Signer {
    algorithm: Algorithm,
    access_key_id: String,
    timestamp: Timestamp,
    nonce: String,
    security_token: Option<String>,
}

impl Signer {
    /// V1 or V3.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The access key that signed.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// `Timestamp` (V1) or `x-acs-date` (V3): a replay window is the server's to check.
    pub fn timestamp(&self) -> &Timestamp {
        &self.timestamp
    }

    /// `SignatureNonce` (V1) or `x-acs-signature-nonce` (V3): unique per request.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// The STS token, if the request carried one (it prints as `<redacted>`).
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("algorithm", &self.algorithm)
            .field("access_key_id", &self.access_key_id)
            .field("timestamp", &self.timestamp)
            .field("nonce", &self.nonce)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// A request as a server receives it: the typed request plus every decoded parameter,
/// and, when it came through [`IncomingRequest::from_http`], who signed it.
///
/// A parameter that belongs neither to the operation ([`Action::param`]) nor to the
/// common set (for example `OwnerAccount`, or `Policy` on DetachInstanceRamRole) is never
/// built into the request and never dropped: it stays in [`params`](Self::params), is
/// listed by [`unrecognized`](Self::unrecognized), and counts in the signature, which
/// covers what was sent.
#[derive(Clone, PartialEq, Eq)]
pub struct IncomingRequest {
    request: Request,
    format: Option<Format>,
    params: Vec<Param>,
    signer: Option<Signer>,
}

impl std::fmt::Debug for IncomingRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let params: Vec<(&str, &str)> = self
            .params()
            .map(|(n, v)| {
                if n == "SecurityToken" {
                    (n, "<redacted>")
                } else {
                    (n, v)
                }
            })
            .collect();
        f.debug_struct("IncomingRequest")
            .field("request", &self.request)
            .field("format", &self.format)
            .field("params", &params)
            .field("signer", &self.signer)
            .finish()
    }
}

impl IncomingRequest {
    /// Decodes a query string (without the `?`) or an `application/x-www-form-urlencoded`
    /// body, without looking at a signature.
    ///
    /// `+` decodes to a space and `%XY` to a byte, so both percent-encoded and raw
    /// `["i-1"]` JSON text are accepted. Empty `&&` segments are skipped; a name without
    /// `=` has the empty value.
    ///
    /// ```
    /// use ecs_ramrole::IncomingRequest;
    ///
    /// let query = "Action=AttachInstanceRamRole&Version=2014-05-26&RegionId=cn-hangzhou\
    ///              &RamRoleName=R&InstanceIds=i-1";
    /// let err = IncomingRequest::parse(query).unwrap_err();
    /// assert_eq!(err.code(), "InvalidInstanceIds.Malformed");
    /// assert_eq!(err.offset(), query.find("i-1"));
    /// ```
    ///
    /// # Errors
    /// A [`RequestError`] with the server's error code ([`RequestError::code`]) and the
    /// byte offset in `query`: a malformed `%` escape, non-UTF-8 text, a repeated
    /// parameter, a missing or unknown `Action`, a missing or other `Version`, a bad
    /// `Format`, or any rule of the operation's builder.
    pub fn parse(query: &str) -> Result<Self, RequestError> {
        let params = split(query, &mut BTreeSet::new())?;
        let action = action_and_version(find(&params, "Action"), find(&params, "Version"))?;
        let format = format(&params)?;
        Self::build(action, params, format, None)
    }

    /// Decodes and authenticates an HTTP request as the service does: V1 (the signature
    /// in the query or a form body) or V3 (an `ACS3-HMAC-SHA256` `Authorization`
    /// header), the secret looked up by access key ID, the signature compared in
    /// constant time, then the operation's parameters checked. Timestamps are checked for
    /// their form only: the window and nonce replay are the caller's, who has a clock
    /// (see [`IncomingRequest::authenticate`] to check them before the parameters).
    ///
    /// # Errors
    /// The first failing step's [`RequestError`]: its [`code`](RequestError::code) and
    /// [`to_service_error`](RequestError::to_service_error) are the service's answer.
    pub fn from_http(
        http: &HttpRequest<'_>,
        secret_of: impl Fn(&str) -> Option<AccessKeySecret>,
    ) -> Result<Self, RequestError> {
        Self::authenticate(http, secret_of)?.decode()
    }

    /// The first stage of [`IncomingRequest::from_http`]: the request's parameters
    /// decoded and its signature verified, the operation's own parameters not yet
    /// checked. A server checks the timestamp window and the nonce here, between the
    /// two stages, as the service answers a replayed request before a malformed one.
    ///
    /// # Errors
    /// As [`IncomingRequest::from_http`], up to the signature.
    pub fn authenticate(
        http: &HttpRequest<'_>,
        secret_of: impl Fn(&str) -> Option<AccessKeySecret>,
    ) -> Result<Authenticated, RequestError> {
        let (params, query_len) = wire_params(http)?;
        let method = method(http)?;
        let (action, format, signer) = match http.header("authorization") {
            None => verify_v1(method, &params, &secret_of)?,
            Some(authorization) => {
                let query = &params[..query_len];
                verify_v3(method, http, authorization, query, &params, &secret_of)?
            }
        };
        Ok(Authenticated {
            action,
            params,
            format,
            signer,
        })
    }

    /// Decodes an HTTP request without looking at any signature, as a mock server does
    /// when told not to verify: the operation from `Action` (or the `x-acs-action`
    /// header), `Version` (or `x-acs-version`), the format from `Format` (or `accept`),
    /// then the operation's parameters.
    ///
    /// # Errors
    /// A [`RequestError`] for anything but the signature: the method, an escape, a
    /// repeated parameter, the action and version, the format, the operation's rules.
    pub fn from_http_unverified(http: &HttpRequest<'_>) -> Result<Self, RequestError> {
        let (params, _) = wire_params(http)?;
        method(http)?;
        let (action, format) = if find(&params, "Action").is_some() {
            let action = action_and_version(find(&params, "Action"), find(&params, "Version"))?;
            (action, format(&params)?)
        } else {
            let headers = CanonicalHeaders::new(http.headers.iter().copied());
            (v3_action(&headers)?, accept_format(&headers))
        };
        Self::build(action, params, format, None)
    }

    /// The operation's parameters through its builder, errors placed in the query.
    fn build(
        action: Action,
        params: Vec<Param>,
        format: Option<Format>,
        signer: Option<Signer>,
    ) -> Result<Self, RequestError> {
        let locate = |e: RequestError| match find(&params, e.param()) {
            Some(p) => e.shifted(p.value_at),
            None => e,
        };
        let mut values = Vec::new();
        for p in &params {
            if let Some(spec) = action.param(&p.name) {
                values.push((spec.name, spec.parse_wire(&p.value).map_err(locate)?));
            }
        }
        let request = Request::from_params(action, values).map_err(locate)?;
        Ok(Self {
            request,
            format,
            params,
            signer,
        })
    }

    /// The typed request.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The typed request, by value.
    pub fn into_request(self) -> Request {
        self.request
    }

    /// The format asked for, if any: `Format` under V1 (`json` and `JSON` both mean
    /// JSON), the `accept` header under V3.
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// Who signed, for a request that came through [`IncomingRequest::from_http`].
    pub fn signer(&self) -> Option<&Signer> {
        self.signer.as_ref()
    }

    /// Every decoded (name, value) pair, in wire order (query, then form body), `Signature`
    /// included.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.params
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
    }

    /// The decoded value of one parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Parameters that are neither common RPC parameters, nor signature V1's, nor the
    /// operation's own.
    pub fn unrecognized(&self) -> impl Iterator<Item = (&str, &str)> {
        let action = self.request.action();
        self.params().filter(move |(n, _)| {
            !COMMON.contains(n) && !v1::PARAMS.contains(n) && action.param(n).is_none()
        })
    }

    /// Verifies signature V1 against `secret`, as the server does: the checks of
    /// [`IncomingRequest::from_http`] for a V1 request whose key is `secret`'s.
    ///
    /// # Errors
    /// `IncompleteSignature` (no `Signature`, or a method other than HMAC-SHA1 1.0), a
    /// `MissingParameter.*` signing parameter, `IllegalTimestamp`, or
    /// `SignatureDoesNotMatch` ([`RequestErrorKind::SignatureMismatch`]), whose message
    /// carries the server-side string-to-sign, as the real service's does.
    pub fn verify(&self, method: Method, secret: &AccessKeySecret) -> Result<(), RequestError> {
        verify_v1(method, &self.params, &|_: &str| Some(secret.clone())).map(drop)
    }
}

/// A request whose signature holds, its operation parameters not yet checked: the
/// stage between [`IncomingRequest::authenticate`] and [`Authenticated::decode`].
#[derive(Clone, PartialEq, Eq)]
pub struct Authenticated {
    action: Action,
    params: Vec<Param>,
    format: Option<Format>,
    signer: Signer,
}

impl Authenticated {
    /// The operation the signature covers.
    pub fn action(&self) -> Action {
        self.action
    }

    /// The format asked for, as [`IncomingRequest::format`].
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// Who signed, and when.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    /// The operation's parameters through its builder.
    ///
    /// # Errors
    /// The first parameter rule that fails, placed in the query or body.
    pub fn decode(self) -> Result<IncomingRequest, RequestError> {
        IncomingRequest::build(self.action, self.params, self.format, Some(self.signer))
    }
}

impl std::fmt::Debug for Authenticated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The parameters may hold an STS token: only the signer, which redacts it.
        f.debug_struct("Authenticated")
            .field("action", &self.action)
            .field("format", &self.format)
            .field("signer", &self.signer)
            .finish_non_exhaustive()
    }
}

/// The query's parameters, then a form body's (a POST with
/// `application/x-www-form-urlencoded`, as pop-core sends): all of them, and how many
/// came from the query.
fn wire_params(http: &HttpRequest<'_>) -> Result<(Vec<Param>, usize), RequestError> {
    let mut seen = BTreeSet::new();
    let mut params = split(http.query, &mut seen)?;
    let query_len = params.len();
    if http.has_form_body() {
        let body = std::str::from_utf8(http.body).map_err(|e| {
            RequestError::new(RequestErrorKind::InvalidUtf8, "(body)").at(e.valid_up_to())
        })?;
        params.extend(split(body, &mut seen)?);
    }
    Ok((params, query_len))
}

fn method(http: &HttpRequest<'_>) -> Result<Method, RequestError> {
    http.method.parse::<Method>().map_err(|_| {
        RequestError::new(RequestErrorKind::Malformed, "method")
            .with_detail("only GET and POST reach these operations")
    })
}

/// The operation and API version of a V3 request, from its headers.
fn v3_action(headers: &CanonicalHeaders) -> Result<Action, RequestError> {
    let action = required(headers.get("x-acs-action"), "x-acs-action")?;
    let action = action
        .parse::<Action>()
        .map_err(|_| RequestError::new(RequestErrorKind::UnknownAction, "Action"))?;
    if required(headers.get("x-acs-version"), "x-acs-version")? != API_VERSION {
        return Err(RequestError::new(
            RequestErrorKind::UnsupportedVersion,
            "Version",
        ));
    }
    Ok(action)
}

/// The format a V3 `accept` header asks for, if it names one.
fn accept_format(headers: &CanonicalHeaders) -> Option<Format> {
    let accept = headers.get("accept")?.to_ascii_lowercase();
    if accept.contains("json") {
        Some(Format::Json)
    } else if accept.contains("xml") {
        Some(Format::Xml)
    } else {
        None
    }
}

fn find<'p>(params: &'p [Param], name: &str) -> Option<&'p Param> {
    params.iter().find(|p| p.name == name)
}

/// The operation named, in the API version of this crate.
fn action_and_version(
    action: Option<&Param>,
    version: Option<&Param>,
) -> Result<Action, RequestError> {
    let action = action.ok_or_else(|| RequestError::new(RequestErrorKind::Missing, "Action"))?;
    let parsed = action.value.parse::<Action>().map_err(|_| {
        RequestError::new(RequestErrorKind::UnknownAction, "Action").at(action.value_at)
    })?;
    let version = version.ok_or_else(|| RequestError::new(RequestErrorKind::Missing, "Version"))?;
    if version.value != API_VERSION {
        return Err(
            RequestError::new(RequestErrorKind::UnsupportedVersion, "Version").at(version.value_at),
        );
    }
    Ok(parsed)
}

fn format(params: &[Param]) -> Result<Option<Format>, RequestError> {
    find(params, "Format")
        .map(|p| p.value.parse::<Format>().map_err(|e| e.shifted(p.value_at)))
        .transpose()
}

/// A required parameter or header.
fn required<'v>(value: Option<&'v str>, name: &'static str) -> Result<&'v str, RequestError> {
    value.ok_or_else(|| RequestError::new(RequestErrorKind::Missing, name))
}

/// The secret of a known access key.
fn secret(
    access_key_id: &str,
    secret_of: &impl Fn(&str) -> Option<AccessKeySecret>,
) -> Result<AccessKeySecret, RequestError> {
    secret_of(access_key_id).ok_or_else(|| {
        RequestError::new(RequestErrorKind::UnknownAccessKeyId, "AccessKeyId")
            .with_detail(format!("{access_key_id:?}"))
    })
}

/// Step 3 of the procedure: the V1 signing parameters, then the signature.
fn verify_v1(
    method: Method,
    params: &[Param],
    secret_of: &impl Fn(&str) -> Option<AccessKeySecret>,
) -> Result<(Action, Option<Format>, Signer), RequestError> {
    let value = |name: &str| find(params, name).map(|p| p.value.as_str());
    let action = action_and_version(find(params, "Action"), find(params, "Version"))?;
    let signature = required(value("Signature"), "Signature")?;
    for (name, want) in [
        ("SignatureMethod", v1::SIGNATURE_METHOD),
        ("SignatureVersion", v1::SIGNATURE_VERSION),
    ] {
        if required(value(name), name)? != want {
            return Err(RequestError::new(
                RequestErrorKind::UnsupportedSignature,
                name,
            ));
        }
    }
    let access_key_id = required(value("AccessKeyId"), "AccessKeyId")?;
    let secret = secret(access_key_id, secret_of)?;
    let nonce = required(value("SignatureNonce"), "SignatureNonce")?;
    let timestamp = timestamp(find(params, "Timestamp"), "Timestamp")?;
    let signed = params
        .iter()
        .filter(|p| p.name != "Signature")
        .map(|p| (p.name.as_str(), p.value.as_str()));
    v1::verify(method, signed, signature, &secret)?;
    let signer = Signer {
        algorithm: Algorithm::HmacSha1,
        access_key_id: access_key_id.to_owned(),
        timestamp,
        nonce: nonce.to_owned(),
        security_token: value("SecurityToken").map(str::to_owned),
    };
    Ok((action, format(params)?, signer))
}

fn timestamp(param: Option<&Param>, name: &'static str) -> Result<Timestamp, RequestError> {
    let param = param.ok_or_else(|| RequestError::new(RequestErrorKind::Missing, name))?;
    param
        .value
        .parse()
        .map_err(|e: RequestError| e.shifted(param.value_at))
}

/// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>`.
struct Authorization<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

impl<'a> Authorization<'a> {
    fn parse(value: &'a str) -> Result<Self, RequestError> {
        let incomplete = |detail: &str| {
            RequestError::new(RequestErrorKind::Unsigned, "authorization")
                .with_detail(detail.to_owned())
        };
        let rest = value
            .strip_prefix(v3::ALGORITHM)
            .and_then(|rest| rest.strip_prefix(' '))
            .ok_or_else(|| incomplete("not an ACS3-HMAC-SHA256 authorization"))?;
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for part in rest.split(',') {
            // Exactly as documented: `,` with no space after it.
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| incomplete("expected Credential=, SignedHeaders= and Signature="))?;
            let slot = match key {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                _ => return Err(incomplete("an unknown part")),
            };
            if slot.replace(value).is_some() {
                return Err(incomplete("a part given twice"));
            }
        }
        match (credential, signed_headers, signature) {
            (Some(credential), Some(signed_headers), Some(signature)) => Ok(Self {
                credential,
                signed_headers,
                signature,
            }),
            _ => Err(incomplete(
                "expected Credential=, SignedHeaders= and Signature=",
            )),
        }
    }
}

/// The header names every V3 request must carry and sign, besides `x-acs-action` and
/// `x-acs-version`.
const V3_REQUIRED: &[&str] = &[
    "host",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
];

/// Step 4 of the procedure: the V3 headers, what they sign, then the signature.
fn verify_v3(
    method: Method,
    http: &HttpRequest<'_>,
    authorization: &str,
    query: &[Param],
    params: &[Param],
    secret_of: &impl Fn(&str) -> Option<AccessKeySecret>,
) -> Result<(Action, Option<Format>, Signer), RequestError> {
    let authorization = Authorization::parse(authorization)?;
    let headers = CanonicalHeaders::new(http.headers.iter().copied());
    let action = v3_action(&headers)?;
    if let Some(p) = params
        .iter()
        .find(|p| v1::PARAMS.contains(&p.name.as_str()))
    {
        return Err(RequestError::new(
            RequestErrorKind::MixedSignature,
            p.name.clone(),
        ));
    }
    for &name in V3_REQUIRED {
        required(headers.get(name), name)?;
    }
    let signed = signed_headers(&headers, authorization.signed_headers)?;
    let secret = secret(authorization.credential, secret_of)?;
    let date = headers.get("x-acs-date").unwrap_or_default();
    let timestamp = date
        .parse::<Timestamp>()
        .map_err(|_| RequestError::new(RequestErrorKind::Malformed, "x-acs-date"))?;
    let canonical_query = percent::canonicalize::<false>(
        query.iter().map(|p| (p.name.as_str(), p.value.as_str())),
        "",
    )
    .once;
    // The server hashes the body it received: a body altered after signing changes the
    // string to sign even when the client's (signed) hash header still verifies.
    let payload_hash = v3::payload_sha256(http.body);
    let string_to_sign =
        v3::server_string_to_sign(method, http.path, &canonical_query, &signed, &payload_hash);
    if headers.get("x-acs-content-sha256") != Some(payload_hash.as_str()) {
        return Err(v3::mismatch(&string_to_sign));
    }
    v3::verify(&string_to_sign, authorization.signature, &secret)?;
    let format = accept_format(&headers);
    let signer = Signer {
        algorithm: Algorithm::Acs3HmacSha256,
        access_key_id: authorization.credential.to_owned(),
        timestamp,
        nonce: headers
            .get("x-acs-signature-nonce")
            .unwrap_or_default()
            .to_owned(),
        security_token: headers.get(redact::TOKEN_HEADER).map(str::to_owned),
    };
    Ok((action, format, signer))
}

/// The headers `SignedHeaders` names: lowercase, sorted, without repeats, each one
/// present; `host`, `content-type` (when present) and every `x-acs-*` header among them.
fn signed_headers(
    headers: &CanonicalHeaders,
    names: &str,
) -> Result<CanonicalHeaders, RequestError> {
    let names: Vec<&str> = names.split(';').collect();
    let unsigned = |name: &str, detail: &str| {
        RequestError::new(RequestErrorKind::Unsigned, name.to_owned())
            .with_detail(detail.to_owned())
    };
    if names.windows(2).any(|w| w[0] >= w[1])
        || names
            .iter()
            .any(|n| n.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return Err(unsigned(
            "SignedHeaders",
            "not lowercase, sorted and without repeats",
        ));
    }
    let mut signed = Vec::with_capacity(names.len());
    for name in &names {
        let value = headers
            .get(name)
            .ok_or_else(|| unsigned(name, "signed but not sent"))?;
        signed.push((*name, value));
    }
    for (name, _) in headers.iter() {
        let must = name == "host" || name == "content-type" || name.starts_with("x-acs-");
        if must && names.binary_search(&name).is_err() {
            return Err(unsigned(name, "sent but not signed"));
        }
    }
    Ok(CanonicalHeaders::new(signed))
}

/// Splits and decodes `name=value` pairs, rejecting names already in `seen`.
fn split(query: &str, seen: &mut BTreeSet<String>) -> Result<Vec<Param>, RequestError> {
    let mut params = Vec::new();
    let mut at = 0;
    for piece in query.split('&') {
        let start = at;
        at += piece.len() + 1;
        if piece.is_empty() {
            continue;
        }
        let (raw_name, raw_value, value_at) = match piece.split_once('=') {
            Some((n, v)) => (n, v, start + n.len() + 1),
            None => (piece, "", start + piece.len()),
        };
        let name = form_decode(raw_name)
            .map_err(|f| fault(f, raw_name.to_owned(), start))?
            .into_owned();
        if name.is_empty() {
            return Err(RequestError::new(RequestErrorKind::Empty, "(parameter name)").at(start));
        }
        let value = form_decode(raw_value)
            .map_err(|f| fault(f, name.clone(), value_at))?
            .into_owned();
        if !seen.insert(name.clone()) {
            return Err(RequestError::new(RequestErrorKind::Duplicate, name).at(start));
        }
        params.push(Param {
            name,
            value,
            value_at,
        });
    }
    Ok(params)
}

fn fault(fault: DecodeFault, param: String, base: usize) -> RequestError {
    match fault {
        DecodeFault::BadEscape(i) => {
            RequestError::new(RequestErrorKind::BadEscape, param).at(base + i)
        }
        DecodeFault::InvalidUtf8(i) => {
            RequestError::new(RequestErrorKind::InvalidUtf8, param).at(base + i)
        }
    }
}
