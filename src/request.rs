//! Either operation's request, and its encoding into the RPC query string.

use std::borrow::Cow;
use std::fmt;

use crate::attach::AttachInstanceRamRole;
use crate::credentials::{Credentials, Nonce};
use crate::detach::DetachInstanceRamRole;
use crate::method::{Format, Method};
use crate::params::ParamList;
use crate::percent::push_encoded;
use crate::sign::{self, SIGNATURE_METHOD, SIGNATURE_VERSION, SignatureStages};
use crate::timestamp::Timestamp;

/// The ECS API version both operations belong to, sent as `Version`.
pub const API_VERSION: &str = "2014-05-26";

/// The two operations this crate speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// AttachInstanceRamRole
    AttachInstanceRamRole,
    /// DetachInstanceRamRole
    DetachInstanceRamRole,
}

impl Action {
    /// The operation name, as sent in `Action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::AttachInstanceRamRole => AttachInstanceRamRole::ACTION,
            Action::DetachInstanceRamRole => DetachInstanceRamRole::ACTION,
        }
    }

    /// Parses an operation name (exact, case-sensitive, as the server matches it).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            AttachInstanceRamRole::ACTION => Some(Action::AttachInstanceRamRole),
            DetachInstanceRamRole::ACTION => Some(Action::DetachInstanceRamRole),
            _ => None,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request of either operation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Request {
    /// AttachInstanceRamRole
    Attach(AttachInstanceRamRole),
    /// DetachInstanceRamRole
    Detach(DetachInstanceRamRole),
}

impl From<AttachInstanceRamRole> for Request {
    fn from(request: AttachInstanceRamRole) -> Self {
        Request::Attach(request)
    }
}

impl From<DetachInstanceRamRole> for Request {
    fn from(request: DetachInstanceRamRole) -> Self {
        Request::Detach(request)
    }
}

/// How a request goes on the wire: the method, and the `Format` it asks for.
///
/// The default is what the official SDKs send: `POST` and `Format=JSON`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EncodeOptions {
    /// `GET` or `POST`; either way every parameter is in the URL query.
    pub method: Method,
    /// The `Format` parameter, or `None` to omit it (the server then answers in XML).
    pub format: Option<Format>,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self {
            method: Method::Post,
            format: Some(Format::Json),
        }
    }
}

impl Request {
    /// Which operation this is.
    pub fn action(&self) -> Action {
        match self {
            Request::Attach(_) => Action::AttachInstanceRamRole,
            Request::Detach(_) => Action::DetachInstanceRamRole,
        }
    }

    /// Encodes the request unsigned: `Action`, `Version`, `Format` (if chosen) and the
    /// operation's parameters, as a canonical query (sorted, percent-encoded).
    pub fn encode(&self, options: &EncodeOptions) -> EncodedRequest {
        let params = self.params(options);
        EncodedRequest {
            method: options.method,
            query: sign::canonical_query(params.iter().map(|(k, v)| (*k, v.as_ref()))),
        }
    }

    /// Encodes and signs the request with signature V1 (HMAC-SHA1).
    ///
    /// Adds `AccessKeyId`, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`,
    /// `SignatureNonce`, `Timestamp` and, with an STS token, `SecurityToken`; then appends
    /// `Signature` last. `SignatureType` is not sent (as Tea, unlike the Go SDK).
    pub fn sign(
        &self,
        options: &EncodeOptions,
        credentials: &Credentials,
        timestamp: &Timestamp,
        nonce: &Nonce,
    ) -> SignedRequest {
        let mut params = self.params(options);
        params.extend([
            ("AccessKeyId", Cow::Borrowed(credentials.access_key_id())),
            ("SignatureMethod", Cow::Borrowed(SIGNATURE_METHOD)),
            ("SignatureVersion", Cow::Borrowed(SIGNATURE_VERSION)),
            ("SignatureNonce", Cow::Borrowed(nonce.as_str())),
            ("Timestamp", Cow::Borrowed(timestamp.as_str())),
        ]);
        if let Some(token) = credentials.security_token() {
            params.push(("SecurityToken", Cow::Borrowed(token)));
        }
        let (canonical, string_to_sign) =
            sign::encode_both(options.method, params.iter().map(|(k, v)| (*k, v.as_ref())));
        let stages = sign::stages(canonical, string_to_sign, credentials.secret());
        let mut query = String::with_capacity(stages.canonical_query().len() + 48);
        query.push_str(stages.canonical_query());
        query.push_str("&Signature=");
        push_encoded(&mut query, stages.signature());
        SignedRequest {
            method: options.method,
            stages,
            query,
        }
    }

    fn params(&self, options: &EncodeOptions) -> ParamList<'_> {
        let mut params: ParamList<'_> = Vec::with_capacity(16);
        params.push(("Action", Cow::Borrowed(self.action().as_str())));
        params.push(("Version", Cow::Borrowed(API_VERSION)));
        if let Some(format) = options.format {
            params.push(("Format", Cow::Borrowed(format.as_str())));
        }
        match self {
            Request::Attach(r) => r.push_params(&mut params),
            Request::Detach(r) => r.push_params(&mut params),
        }
        params
    }
}

/// An unsigned request, ready for the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedRequest {
    method: Method,
    query: String,
}

impl EncodedRequest {
    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The query string, which is also the canonical query.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// `/?` + query: the request target for either method.
    pub fn path_and_query(&self) -> String {
        format!("/?{}", self.query)
    }
}

/// A signed request: every signing stage, and the final query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    method: Method,
    stages: SignatureStages,
    query: String,
}

impl SignedRequest {
    /// The HTTP method (also the first component of the string-to-sign).
    pub fn method(&self) -> Method {
        self.method
    }

    /// The intermediate signing values.
    pub fn stages(&self) -> &SignatureStages {
        &self.stages
    }

    /// The wire query: the canonical query followed by `&Signature=<encoded signature>`.
    /// For `POST` it goes in the URL too, and the body is empty, as the official SDKs send.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// `/?` + query: the request target for either method.
    pub fn path_and_query(&self) -> String {
        format!("/?{}", self.query)
    }
}
