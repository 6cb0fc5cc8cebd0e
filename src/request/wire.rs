//! A request of any operation, and its wire form: the parameters it sends, encoded
//! unsigned or signed (the bytes themselves come from `signing/`).

use std::borrow::Cow;
use std::fmt;

use super::action::{API_VERSION, Action, Format, Method};
use super::error::RequestError;
use super::operations::{AttachInstanceRamRole, DetachInstanceRamRole};
use super::schema::{ParamSpec, ParamValue};
use crate::signing::credentials::{Credentials, Nonce};
use crate::signing::timestamp::Timestamp;
use crate::signing::v1::{self, SIGNATURE_METHOD, SIGNATURE_VERSION, SignatureStages};
use crate::signing::{percent, redact};

/// (name, unencoded value) pairs, in any order; the canonical query sorts them.
pub(crate) type ParamList<'a> = Vec<(&'a str, Cow<'a, str>)>;

/// A request of either operation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
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

impl Action {
    /// The operation's parameters (besides the common RPC ones), in declaration order.
    ///
    /// ```
    /// use ecs_ramrole::Action;
    ///
    /// let required: Vec<&str> = Action::DetachInstanceRamRole
    ///     .params()
    ///     .iter()
    ///     .filter(|p| p.required)
    ///     .map(|p| p.name)
    ///     .collect();
    /// assert_eq!(required, ["RegionId", "InstanceIds"]);
    /// ```
    pub fn params(self) -> &'static [ParamSpec] {
        match self {
            Action::AttachInstanceRamRole => AttachInstanceRamRole::PARAMS,
            Action::DetachInstanceRamRole => DetachInstanceRamRole::PARAMS,
        }
    }

    /// One of the operation's parameters, by API name.
    pub fn param(self, name: &str) -> Option<&'static ParamSpec> {
        self.params().iter().find(|p| p.name == name)
    }
}

/// How a request goes on the wire: the method, and the `Format` it asks for.
///
/// The default is what the official SDKs send: `POST` and `Format=JSON`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct EncodeOptions {
    /// `GET` or `POST`; either way every parameter is in the URL query.
    pub method: Method,
    /// The `Format` parameter, or `None` to omit it (the server then answers in XML).
    pub format: Option<Format>,
}

impl EncodeOptions {
    /// The given method and format.
    pub fn new(method: Method, format: Option<Format>) -> Self {
        Self { method, format }
    }
}

impl Default for EncodeOptions {
    fn default() -> Self {
        Self::new(Method::Post, Some(Format::Json))
    }
}

impl Request {
    /// Builds a request from loose (name, value) pairs in the API's names, through the
    /// operation's builder: what the query decoder, the adapter and the bindings do.
    ///
    /// ```
    /// use ecs_ramrole::{Action, InstanceIds, ParamValue, Request, RequestErrorKind};
    ///
    /// let params = [
    ///     ("RegionId", ParamValue::Text("cn-hangzhou".into())),
    ///     ("InstanceIds", ParamValue::InstanceIds(InstanceIds::new(["i-1"])?)),
    /// ];
    /// let request = Request::from_params(Action::DetachInstanceRamRole, params.clone())?;
    /// assert_eq!(request.action(), Action::DetachInstanceRamRole);
    /// let policy = ("Policy", ParamValue::Text("{}".into()));
    /// let err = Request::from_params(Action::DetachInstanceRamRole, [policy]).unwrap_err();
    /// assert_eq!(err.kind(), RequestErrorKind::Unknown);
    /// # Ok::<(), ecs_ramrole::RequestError>(())
    /// ```
    ///
    /// # Errors
    /// The first problem: a name the operation does not have
    /// ([`Unknown`](super::error::RequestErrorKind::Unknown)), a value of the wrong type,
    /// then the builder's checks.
    pub fn from_params<'n>(
        action: Action,
        params: impl IntoIterator<Item = (&'n str, ParamValue)>,
    ) -> Result<Self, RequestError> {
        macro_rules! build {
            ($op:ident) => {{
                let mut builder = $op::builder();
                for (name, value) in params {
                    builder = builder.set_param(name, value)?;
                }
                builder.build()?.into()
            }};
        }
        Ok(match action {
            Action::AttachInstanceRamRole => build!(AttachInstanceRamRole),
            Action::DetachInstanceRamRole => build!(DetachInstanceRamRole),
        })
    }

    /// Which operation this is.
    pub fn action(&self) -> Action {
        match self {
            Request::Attach(_) => Action::AttachInstanceRamRole,
            Request::Detach(_) => Action::DetachInstanceRamRole,
        }
    }

    /// The operation's own parameters, unencoded.
    pub(crate) fn push_params<'a>(&'a self, out: &mut ParamList<'a>) {
        match self {
            Request::Attach(r) => r.push_params(out),
            Request::Detach(r) => r.push_params(out),
        }
    }

    /// `Action`, `Version`, `Format` (if chosen) and the operation's parameters.
    fn rpc_params(&self, options: &EncodeOptions) -> ParamList<'_> {
        let mut params: ParamList<'_> = Vec::with_capacity(16);
        params.push(("Action", Cow::Borrowed(self.action().as_str())));
        params.push(("Version", Cow::Borrowed(API_VERSION)));
        if let Some(format) = options.format {
            params.push(("Format", Cow::Borrowed(format.as_str())));
        }
        self.push_params(&mut params);
        params
    }

    /// Encodes the request unsigned: `Action`, `Version`, `Format` (if chosen) and the
    /// operation's parameters, as a canonical query (sorted, percent-encoded).
    pub fn encode(&self, options: &EncodeOptions) -> EncodedRequest {
        let params = self.rpc_params(options);
        EncodedRequest {
            method: options.method,
            query: percent::canonical_query(&params),
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
        let mut params = self.rpc_params(options);
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
        SignedRequest {
            method: options.method,
            stages: v1::sign(options.method, &params, credentials.secret()),
        }
    }
}

/// `scheme://host` + `/?` + query, whether or not the endpoint ends in `/`.
fn url(endpoint: &str, query: &str) -> String {
    format!("{}/?{query}", endpoint.trim_end_matches('/'))
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

    /// The full URL at `endpoint` (`scheme://host`, with or without a trailing `/`).
    pub fn url(&self, endpoint: &str) -> String {
        url(endpoint, &self.query)
    }
}

/// A signed request: every signing stage, and the final query.
///
/// `Debug` shows the STS token as `<redacted>` wherever the query and the stages carry
/// it.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    method: Method,
    stages: SignatureStages,
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
        self.stages.signed_query()
    }

    /// The full URL at `endpoint` (`scheme://host`, with or without a trailing `/`).
    pub fn url(&self, endpoint: &str) -> String {
        url(endpoint, self.query())
    }

    /// The request as an [`http::Request`] for any HTTP client: the method, the URL at
    /// `endpoint` and an empty body.
    ///
    /// # Errors
    /// [`Malformed`](super::error::RequestErrorKind::Malformed) on `endpoint` when the
    /// URL it makes is not a valid URI.
    #[cfg(feature = "http")]
    pub fn to_http_request(&self, endpoint: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        let uri: http::Uri = self
            .url(endpoint)
            .parse()
            .map_err(|e: http::uri::InvalidUri| {
                RequestError::new(super::error::RequestErrorKind::Malformed, "endpoint")
                    .with_detail(e.to_string())
            })?;
        let mut request = http::Request::new(Vec::new());
        *request.method_mut() = match self.method() {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
        };
        *request.uri_mut() = uri;
        Ok(request)
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("query", &redact::Query(self.query()))
            .field("stages", &self.stages)
            .finish()
    }
}
