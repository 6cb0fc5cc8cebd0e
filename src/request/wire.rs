//! A request of any operation, and its wire form: the parameters it sends, encoded
//! unsigned or signed (the bytes themselves come from `signing/`).

use std::borrow::Cow;
use std::fmt;

use super::action::{API_VERSION, Action, Algorithm, Format, Method, Placement};
use super::error::{RequestError, RequestErrorKind};
use super::operations::{AttachInstanceRamRole, DescribeInstanceRamRole, DetachInstanceRamRole};
use super::schema::{ParamSpec, ParamValue};
use crate::signing::credentials::{Credentials, Nonce};
use crate::signing::timestamp::Timestamp;
use crate::signing::v1::{self, SIGNATURE_METHOD, SIGNATURE_VERSION, SignatureStages};
use crate::signing::v3::{self, CanonicalHeaders, EMPTY_PAYLOAD_SHA256, V3Stages};
use crate::signing::{percent, redact};

/// The endpoint the official SDKs call for ECS.
pub const DEFAULT_HOST: &str = "ecs.aliyuncs.com";

/// The content type of a form body.
pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

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
    /// DescribeInstanceRamRole
    Describe(DescribeInstanceRamRole),
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

impl From<DescribeInstanceRamRole> for Request {
    fn from(request: DescribeInstanceRamRole) -> Self {
        Request::Describe(request)
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
            Action::DescribeInstanceRamRole => DescribeInstanceRamRole::PARAMS,
        }
    }

    /// One of the operation's parameters, by API name.
    pub fn param(self, name: &str) -> Option<&'static ParamSpec> {
        self.params().iter().find(|p| p.name == name)
    }
}

/// How a request goes on the wire: the method, the `Format` it asks for, and how it is
/// signed (V1, or V3 with its host and where the parameters go).
///
/// The default is what the older SDK cores send: `POST`, `Format=JSON`, HMAC-SHA1.
/// Combinations the service refuses cannot be made: a body needs `POST` and V3.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EncodeOptions {
    method: Method,
    format: Option<Format>,
    algorithm: Algorithm,
    host: Cow<'static, str>,
    placement: Placement,
}

impl EncodeOptions {
    /// Signature V1 (HMAC-SHA1): every parameter in the URL query, `Format` among them.
    pub fn new(method: Method, format: Option<Format>) -> Self {
        Self {
            method,
            format,
            algorithm: Algorithm::HmacSha1,
            host: Cow::Borrowed(DEFAULT_HOST),
            placement: Placement::Query,
        }
    }

    /// Signature V3 (ACS3-HMAC-SHA256) to [`DEFAULT_HOST`], the parameters in the query;
    /// `format` becomes an unsigned `accept` header.
    pub fn v3(method: Method, format: Option<Format>) -> Self {
        Self {
            algorithm: Algorithm::Acs3HmacSha256,
            ..Self::new(method, format)
        }
    }

    /// These options for another host (signed under V3 as `host`).
    ///
    /// # Errors
    /// [`RequestErrorKind::Malformed`] on `host` for an empty name or one with characters
    /// a host header cannot carry.
    pub fn with_host(mut self, host: impl Into<Cow<'static, str>>) -> Result<Self, RequestError> {
        let host = host.into();
        if host.is_empty() || !host.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(RequestError::new(RequestErrorKind::Malformed, "host")
                .with_detail("a host name: visible ASCII, not empty"));
        }
        self.host = host;
        Ok(self)
    }

    /// These options with the parameters in the query or in a form body.
    ///
    /// # Errors
    /// [`RequestErrorKind::Malformed`] on `placement`: a body needs `POST` and V3.
    pub fn with_placement(mut self, placement: Placement) -> Result<Self, RequestError> {
        if placement == Placement::Body
            && (self.method != Method::Post || self.algorithm != Algorithm::Acs3HmacSha256)
        {
            return Err(RequestError::new(RequestErrorKind::Malformed, "placement")
                .with_detail("a form body needs POST and ACS3-HMAC-SHA256"));
        }
        self.placement = placement;
        Ok(self)
    }

    /// `GET` or `POST`.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The response format asked for.
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// How the request is signed.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The host a V3 request signs.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Where a V3 request carries its parameters.
    pub fn placement(&self) -> Placement {
        self.placement
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
            Action::DescribeInstanceRamRole => build!(DescribeInstanceRamRole),
        })
    }

    /// Which operation this is.
    pub fn action(&self) -> Action {
        match self {
            Request::Attach(_) => Action::AttachInstanceRamRole,
            Request::Detach(_) => Action::DetachInstanceRamRole,
            Request::Describe(_) => Action::DescribeInstanceRamRole,
        }
    }

    /// The operation's own parameters as (API name, unencoded wire text), in declaration
    /// order: what a server decoded, or what goes on the wire before encoding.
    pub fn params(&self) -> Vec<(&str, Cow<'_, str>)> {
        let mut params = ParamList::with_capacity(8);
        self.push_params(&mut params);
        params
    }

    /// The operation's own parameters, unencoded.
    pub(crate) fn push_params<'a>(&'a self, out: &mut ParamList<'a>) {
        match self {
            Request::Attach(r) => r.push_params(out),
            Request::Detach(r) => r.push_params(out),
            Request::Describe(r) => r.push_params(out),
        }
    }

    /// `Action`, `Version`, `Format` (if chosen) and the operation's parameters: the
    /// parameters of an RPC request under V1, or unsigned.
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
    ///
    /// Unsigned requests are V1-shaped: `options`' algorithm, host and placement play no
    /// part.
    pub fn encode(&self, options: &EncodeOptions) -> EncodedRequest {
        let params = self.rpc_params(options);
        EncodedRequest {
            method: options.method,
            query: percent::canonical_query(&params),
        }
    }

    /// Encodes and signs the request as `options` say: V1 or V3.
    ///
    /// V1 adds `AccessKeyId`, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`,
    /// `SignatureNonce`, `Timestamp` and, with an STS token, `SecurityToken`, then appends
    /// `Signature` last; `SignatureType` is not sent (as Tea, unlike the Go SDK). V3 sends
    /// the operation's parameters alone in the query or the body, and the `x-acs-*`
    /// headers, `host`, `authorization`, and `accept` for a format.
    pub fn sign(
        &self,
        options: &EncodeOptions,
        credentials: &Credentials,
        timestamp: &Timestamp,
        nonce: &Nonce,
    ) -> SignedRequest {
        match options.algorithm {
            Algorithm::HmacSha1 => self.sign_v1(options, credentials, timestamp, nonce),
            Algorithm::Acs3HmacSha256 => self.sign_v3(options, credentials, timestamp, nonce),
        }
    }

    fn sign_v1(
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
            stages: Stages::V1(v1::sign(options.method, &params, credentials.secret())),
            wire: Wire::V1,
        }
    }

    fn sign_v3(
        &self,
        options: &EncodeOptions,
        credentials: &Credentials,
        timestamp: &Timestamp,
        nonce: &Nonce,
    ) -> SignedRequest {
        let mut params = ParamList::with_capacity(8);
        self.push_params(&mut params);
        let encoded = percent::canonical_query(&params);
        let (query, body) = match options.placement {
            Placement::Query => (encoded, String::new()),
            Placement::Body => (String::new(), encoded),
        };
        let payload_hash = if body.is_empty() {
            Cow::Borrowed(EMPTY_PAYLOAD_SHA256)
        } else {
            Cow::Owned(v3::payload_sha256(body.as_bytes()))
        };
        let mut signed: Vec<(String, String)> = [
            ("host", options.host()),
            ("x-acs-action", self.action().as_str()),
            ("x-acs-content-sha256", &payload_hash),
            ("x-acs-date", timestamp.as_str()),
            ("x-acs-signature-nonce", nonce.as_str()),
            ("x-acs-version", API_VERSION),
        ]
        .into_iter()
        .chain((!body.is_empty()).then_some(("content-type", FORM)))
        .chain(
            credentials
                .security_token()
                .map(|token| (redact::TOKEN_HEADER, token)),
        )
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        signed.reserve(2);
        let signed = CanonicalHeaders::from_owned(signed);
        let stages = v3::sign(
            options.method,
            "/",
            query,
            &signed,
            &payload_hash,
            credentials.access_key_id(),
            credentials.secret(),
        );
        let mut headers = signed.into_lines();
        headers.push(("authorization".into(), stages.authorization().to_owned()));
        if let Some(format) = options.format {
            headers.push(("accept".into(), format.media_type().to_owned()));
        }
        headers.sort_unstable();
        SignedRequest {
            method: options.method,
            stages: Stages::V3(stages),
            wire: Wire::V3 { headers, body },
        }
    }
}

/// `scheme://host` + `/`, then `?` and the query when there is one; whether or not the
/// endpoint ends in `/`.
fn url(endpoint: &str, query: &str) -> String {
    let endpoint = endpoint.trim_end_matches('/');
    if query.is_empty() {
        format!("{endpoint}/")
    } else {
        format!("{endpoint}/?{query}")
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

    /// The full URL at `endpoint` (`scheme://host`, with or without a trailing `/`).
    pub fn url(&self, endpoint: &str) -> String {
        url(endpoint, &self.query)
    }
}

/// Every stage of a signature, V1 or V3.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stages {
    /// HMAC-SHA1.
    V1(SignatureStages),
    /// ACS3-HMAC-SHA256.
    V3(V3Stages),
}

impl Stages {
    /// The canonical query: all parameters under V1, the query line under V3.
    pub fn canonical_query(&self) -> &str {
        match self {
            Stages::V1(s) => s.canonical_query(),
            Stages::V3(s) => s.canonical_query(),
        }
    }

    /// The string-to-sign.
    pub fn string_to_sign(&self) -> &str {
        match self {
            Stages::V1(s) => s.string_to_sign(),
            Stages::V3(s) => s.string_to_sign(),
        }
    }

    /// The signature: Base64 under V1, lowercase hex under V3.
    pub fn signature(&self) -> &str {
        match self {
            Stages::V1(s) => s.signature(),
            Stages::V3(s) => s.signature(),
        }
    }

    /// The signature's algorithm.
    pub fn algorithm(&self) -> Algorithm {
        match self {
            Stages::V1(_) => Algorithm::HmacSha1,
            Stages::V3(_) => Algorithm::Acs3HmacSha256,
        }
    }
}

/// What a V3 request carries besides its query.
#[derive(Clone, PartialEq, Eq)]
enum Wire {
    V1,
    V3 {
        headers: Vec<(String, String)>,
        body: String,
    },
}

/// A signed request: the method, the wire query, the headers and body it needs (V3), and
/// every signing stage.
///
/// `Debug` shows the STS token as `<redacted>` wherever the query, the headers and the
/// stages carry it.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    method: Method,
    stages: Stages,
    wire: Wire,
}

impl SignedRequest {
    /// The HTTP method (also the first component of the string-to-sign).
    pub fn method(&self) -> Method {
        self.method
    }

    /// The intermediate signing values.
    pub fn stages(&self) -> &Stages {
        &self.stages
    }

    /// The wire query, without `?`. V1: the canonical query followed by
    /// `&Signature=<encoded signature>` (for `POST` too: the official SDKs send an empty
    /// body); V3: the operation's parameters, or nothing when they are in the body.
    pub fn query(&self) -> &str {
        match &self.stages {
            Stages::V1(s) => s.signed_query(),
            Stages::V3(s) => s.canonical_query(),
        }
    }

    /// The headers a V3 request needs, names lowercase, sorted by name (`authorization`
    /// and `accept` included); none for V1.
    pub fn headers(&self) -> &[(String, String)] {
        match &self.wire {
            Wire::V1 => &[],
            Wire::V3 { headers, .. } => headers,
        }
    }

    /// The body: the form-encoded parameters of a V3 request that puts them there, else
    /// empty.
    pub fn body(&self) -> &str {
        match &self.wire {
            Wire::V1 => "",
            Wire::V3 { body, .. } => body,
        }
    }

    /// The full URL at `endpoint` (`scheme://host`, with or without a trailing `/`).
    pub fn url(&self, endpoint: &str) -> String {
        url(endpoint, self.query())
    }

    /// The request as an [`http::Request`] for any HTTP client: the method, the URL at
    /// `endpoint`, the headers and the body.
    ///
    /// # Errors
    /// [`Malformed`](RequestErrorKind::Malformed) on `endpoint` when the URL it makes is
    /// not a valid URI (a header value the service signed cannot be invalid).
    #[cfg(feature = "http")]
    pub fn to_http_request(&self, endpoint: &str) -> Result<http::Request<Vec<u8>>, RequestError> {
        let malformed = |detail: String| {
            RequestError::new(RequestErrorKind::Malformed, "endpoint").with_detail(detail)
        };
        let uri: http::Uri = self
            .url(endpoint)
            .parse()
            .map_err(|e: http::uri::InvalidUri| malformed(e.to_string()))?;
        let mut builder = http::Request::builder()
            .method(self.method.as_str())
            .uri(uri);
        for (name, value) in self.headers() {
            builder = builder.header(name, value);
        }
        builder
            .body(self.body().as_bytes().to_vec())
            .map_err(|e| malformed(e.to_string()))
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers()
            .iter()
            .map(|(n, v)| match n.as_str() {
                redact::TOKEN_HEADER => (n.as_str(), "<redacted>"),
                _ => (n.as_str(), v.as_str()),
            })
            .collect();
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("query", &redact::Query(self.query()))
            .field("headers", &headers)
            .field("body", &redact::Query(self.body()))
            .field("stages", &self.stages)
            .finish()
    }
}
