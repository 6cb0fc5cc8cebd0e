//! "The service said no": error bodies, their codes, and what each code means.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

macro_rules! error_codes {
    (@message) => { None };
    (@message $message:literal) => { Some($message) };
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $status:literal, $retry:literal $(, $message:literal)?; )*) => {
        /// An ECS error code: every code of both operations' documented error tables,
        /// the common ECS codes, and [`ErrorCode::Unknown`] for anything else.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* #[doc = concat!("`", $code, "` (HTTP ", $status, ")")] $variant, )*
            /// A code this crate does not know, kept verbatim.
            Unknown(String),
        }

        impl ErrorCode {
            /// Every known code, in table order.
            pub const KNOWN: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// Parses a code; unknown codes become [`ErrorCode::Unknown`].
            pub fn parse(code: &str) -> Self {
                match code {
                    $( $code => ErrorCode::$variant, )*
                    other => ErrorCode::Unknown(other.to_owned()),
                }
            }

            /// The code as the service spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( ErrorCode::$variant => $code, )*
                    ErrorCode::Unknown(code) => code,
                }
            }

            /// The HTTP status the documentation gives for this code.
            pub fn documented_status(&self) -> Option<u16> {
                match self {
                    $( ErrorCode::$variant => Some($status), )*
                    ErrorCode::Unknown(_) => None,
                }
            }

            /// The message the documentation gives for this code, where it gives one.
            pub fn documented_message(&self) -> Option<&'static str> {
                match self {
                    $( ErrorCode::$variant => error_codes!(@message $($message)?), )*
                    ErrorCode::Unknown(_) => None,
                }
            }

            /// Whether sending the request again (re-signed, after a pause) can succeed.
            pub fn is_retryable(&self) -> bool {
                match self {
                    $( ErrorCode::$variant => $retry, )*
                    ErrorCode::Unknown(_) => false,
                }
            }
        }
    };
}

error_codes! {
    // Both seeds' error tables, and protocol.md §5.3.
    // The messages are the DetachInstanceRamRole seed's error table (and, for
    // NotEcsRole, the AttachInstanceRamRole seed's).
    InvalidInstanceIdsMalformed = "InvalidInstanceIds.Malformed", 400, false,
        "The specified InstanceIds is not valid.";
    MissingParameterInstanceIds = "MissingParameter.InstanceIds", 400, false,
        "The input parameter InstanceIds that is mandatory for processing this request is missing.";
    MissingParameterRegionId = "MissingParameter.RegionId", 400, false,
        "The input parameter RegionId that is mandatory for processing this request is missing.";
    MissingParameterRamRoleName = "MissingParameter.RamRoleName", 400, false,
        "The input parameter RamRoleName that is mandatory for processing this request is missing.";
    InvalidNetworkTypeMismatchRamRole = "InvalidNetworkType.MismatchRamRole", 403, false,
        "Ram role cannot be attached to instances of Classic network type.";
    InvalidUserPassRoleForbidden = "InvalidUser.PassRoleForbidden", 403, false,
        "The RAM user does not have the privilege to pass a RAM role.";
    InvalidParameterAllEmpty = "InvalidParameter.AllEmpty", 403, false;
    InvalidInstanceIdNotFound = "InvalidInstanceId.NotFound", 404, false,
        "The specified InstanceId does not exist.";
    InvalidRamRoleNotFound = "InvalidRamRole.NotFound", 404, false,
        "The specified RamRoleName does not exist.";
    InvalidRamRoleNotEcsRole = "InvalidRamRole.NotEcsRole", 404, false,
        "The specified ram role is not authorized for ecs, please check your role policy.";
    // Common ECS codes ("Response results", protocol.md §5.3).
    IncompleteSignature = "IncompleteSignature", 400, false;
    SignatureDoesNotMatch = "SignatureDoesNotMatch", 400, false;
    InvalidAccessKeyIdNotFound = "InvalidAccessKeyId.NotFound", 400, false;
    /// Sign again with a fresh nonce; the same signed request will fail again.
    SignatureNonceUsed = "SignatureNonceUsed", 400, true;
    IllegalTimestamp = "IllegalTimestamp", 400, false;
    /// A timestamp more than 15 minutes from the server's clock (V3 documents the window).
    InvalidTimeStampExpired = "InvalidTimeStamp.Expired", 400, false;
    MissingParameter = "MissingParameter", 400, false;
    InvalidParameter = "InvalidParameter", 400, false;
    Throttling = "Throttling", 400, true;
    // `Throttling.User` and `Throttling.Api` mean the same (protocol.md §5.2).
    ThrottlingUser = "Throttling.User", 400, true;
    ThrottlingApi = "Throttling.Api", 400, true;
    InvalidOwner = "InvalidOwner", 400, false;
    InvalidOwnerId = "InvalidOwnerId", 400, false;
    InvalidOwnerAccount = "InvalidOwnerAccount", 400, false;
    UnsupportedParameter = "UnsupportedParameter", 400, false;
    ForbiddenRam = "Forbidden.RAM", 403, false;
    ForbiddenAccessKeyDisabled = "Forbidden.AccessKeyDisabled", 403, false;
    ForbiddenRiskControl = "Forbidden.RiskControl", 403, false;
    InvalidAction = "InvalidAction", 403, false;
    UnsupportedHttpMethod = "UnsupportedHTTPMethod", 403, false;
    InvalidParameterResourceOwnerAccount = "InvalidParameter.ResourceOwnerAccount", 403, false;
    InvalidRegionIdNotFound = "InvalidRegionId.NotFound", 404, false;
    OperationConflict = "OperationConflict", 409, true;
    InternalError = "InternalError", 500, true;
    ServiceUnavailable = "ServiceUnavailable", 503, true;
    ServiceUnavailableRegionMaintaining = "ServiceUnavailable.RegionMaintaining", 503, true;
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ErrorCode {
    type Err = Infallible;

    /// Never fails: a code this crate does not know is kept as [`ErrorCode::Unknown`].
    fn from_str(code: &str) -> Result<Self, Infallible> {
        Ok(Self::parse(code))
    }
}

impl ErrorCode {
    /// Whether the code itself says "try again later": `Throttling*` and
    /// `ServiceUnavailable*`, known or not, and the known codes marked retryable.
    fn says_retry(&self) -> bool {
        let code = self.as_str();
        code.starts_with("Throttling")
            || code.starts_with("ServiceUnavailable")
            || self.is_retryable()
    }
}

/// `AccessDeniedDetail`: an open map (the documented keys are `AuthAction`,
/// `AuthPrincipalType`, `AuthPrincipalOwnerId`, `AuthPrincipalDisplayName`,
/// `NoPermissionType`, `PolicyType`, `EncodedDiagnosticMessage`, but the service may send
/// others). Keys are unique and kept in byte order; a key given twice keeps its last value.
///
/// ```
/// use ecs_ramrole::{Action, ResponseDecoder};
///
/// let body = br#"{"Code":"Forbidden.RAM","AccessDeniedDetail":
///     {"AuthAction":"ecs:AttachInstanceRamRole","NoPermissionType":"ImplicitDeny","UserId":123}}"#;
/// let e = ResponseDecoder::new(Action::AttachInstanceRamRole).decode_error(403, None, body);
/// let detail = e.access_denied_detail.unwrap();
/// assert_eq!(detail.auth_action(), Some("ecs:AttachInstanceRamRole"));
/// assert_eq!(detail.get("UserId").unwrap().to_json(), "123");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AccessDeniedDetail {
    entries: BTreeMap<String, DetailValue>,
}

/// One `AccessDeniedDetail` value: a string, or any other JSON value kept as the exact
/// JSON text the body held (so a number keeps every digit).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DetailValue(Repr);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Repr {
    Text(String),
    /// Valid JSON text of a value that is not a string.
    Json(Box<str>),
}

impl DetailValue {
    /// A string value.
    pub fn text(text: impl Into<String>) -> Self {
        Self(Repr::Text(text.into()))
    }

    /// Any JSON value, from its text (a JSON string becomes a string value); `None` when
    /// `json` is not one JSON value.
    pub fn from_json(json: &str) -> Option<Self> {
        let json = json.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        serde_json::from_str::<serde::de::IgnoredAny>(json).ok()?;
        Some(Self::from_raw_json(json))
    }

    /// From the text of one JSON value, already known to be valid.
    pub(crate) fn from_raw_json(json: &str) -> Self {
        match serde_json::from_str::<String>(json) {
            Ok(text) => Self::text(text),
            Err(_) => Self(Repr::Json(json.into())),
        }
    }

    /// The string, when the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.0 {
            Repr::Text(text) => Some(text),
            Repr::Json(_) => None,
        }
    }

    /// The value as JSON text: a string quoted and escaped, anything else as the body
    /// wrote it.
    pub fn to_json(&self) -> String {
        match &self.0 {
            // Serializing a string cannot fail.
            Repr::Text(text) => serde_json::to_string(text).unwrap_or_default(),
            Repr::Json(json) => json.to_string(),
        }
    }

    /// The text an XML element holds for this value: the string itself, or the JSON
    /// text of anything else (XML has no types).
    pub fn to_xml_text(&self) -> &str {
        match &self.0 {
            Repr::Text(text) => text,
            Repr::Json(json) => json,
        }
    }
}

impl From<&str> for DetailValue {
    fn from(text: &str) -> Self {
        Self::text(text)
    }
}

impl From<String> for DetailValue {
    fn from(text: String) -> Self {
        Self::text(text)
    }
}

impl<K: Into<String>, V: Into<DetailValue>> FromIterator<(K, V)> for AccessDeniedDetail {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut detail = Self::new();
        for (key, value) in entries {
            detail.insert(key, value);
        }
        detail
    }
}

impl AccessDeniedDetail {
    /// An empty detail.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key`, replacing an earlier value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<DetailValue>) {
        self.entries.insert(key.into(), value.into());
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&DetailValue> {
        self.entries.get(key)
    }

    /// Every (key, value), in byte order of the keys.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &DetailValue)> + Clone {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `AuthAction`, e.g. `ecs:AttachInstanceRamRole`, when it is a string.
    pub fn auth_action(&self) -> Option<&str> {
        self.get("AuthAction").and_then(DetailValue::as_str)
    }

    /// `NoPermissionType` (`ImplicitDeny` or `ExplicitDeny`), when it is a string.
    pub fn no_permission_type(&self) -> Option<&str> {
        self.get("NoPermissionType").and_then(DetailValue::as_str)
    }

    /// `EncodedDiagnosticMessage`, for RAM's `DecodeDiagnosticMessage`, when a string.
    pub fn encoded_diagnostic_message(&self) -> Option<&str> {
        self.get("EncodedDiagnosticMessage")
            .and_then(DetailValue::as_str)
    }
}

/// An error the service returned: a non-2xx status and what its body said.
///
/// Every field but the status is optional: a gateway's HTML page or an empty body still
/// yields a `ServiceError`, carrying only the status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct ServiceError {
    /// The HTTP status.
    pub http_status: u16,
    /// `Code`.
    pub code: Option<ErrorCode>,
    /// `Message`.
    pub message: Option<String>,
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `HostId`.
    pub host_id: Option<String>,
    /// `Recommend`: a diagnosis URL.
    pub recommend: Option<String>,
    /// `AccessDeniedDetail` (or `accessDeniedDetail`): an open map, every subfield kept
    /// with its JSON type. From XML, each child element becomes a string entry.
    pub access_denied_detail: Option<AccessDeniedDetail>,
    /// The response's `x-acs-retry-after` header when it held a positive integer: the
    /// milliseconds the service asks the client to wait (the Tea SDKs' throttling signal
    /// since mid-2026). Not part of the body.
    pub retry_after_ms: Option<u64>,
}

impl ServiceError {
    /// An error with a status and a code, as a mock server answers (its message,
    /// request ID and the rest unset: set the fields to add them).
    pub fn new(http_status: u16, code: ErrorCode) -> Self {
        Self {
            code: Some(code),
            ..Self::status_only(http_status)
        }
    }

    /// A service error carrying only the HTTP status.
    pub fn status_only(http_status: u16) -> Self {
        Self {
            http_status,
            code: None,
            message: None,
            request_id: None,
            host_id: None,
            recommend: None,
            access_denied_detail: None,
            retry_after_ms: None,
        }
    }

    /// Whether sending the request again (re-signed, after a pause) can succeed: any 429,
    /// any 5xx whatever the code, any code starting with `Throttling` or
    /// `ServiceUnavailable` whatever the status, and the known codes marked retryable
    /// ([`ErrorCode::is_retryable`]: `SignatureNonceUsed`, `OperationConflict`, ...), and
    /// any error that came with a [`retry_after_ms`](Self::retry_after_ms) hint. An
    /// unknown code on another 4xx is not.
    ///
    /// ```
    /// use ecs_ramrole::{ErrorCode, ServiceError};
    ///
    /// let throttled = ServiceError::new(400, "Throttling.User".parse().unwrap());
    /// assert!(throttled.is_retryable());
    /// assert!(ServiceError::new(503, ErrorCode::parse("Anything")).is_retryable());
    /// assert!(!ServiceError::new(404, ErrorCode::InvalidRamRoleNotFound).is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        self.http_status == 429
            || self.http_status >= 500
            || self.retry_after_ms.is_some()
            || self.code.as_ref().is_some_and(ErrorCode::says_retry)
    }

    /// Reads the `x-acs-retry-after` header value: a positive integer of milliseconds is
    /// a hint; `0`, empty or anything else is none.
    pub fn parse_retry_after(value: &str) -> Option<u64> {
        let value = value.trim();
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        value.parse().ok().filter(|&ms| ms > 0)
    }

    /// For `SignatureDoesNotMatch` and `IncompleteSignature`: the server's string-to-sign,
    /// taken from the message after `server string to sign is:`, to diff against the
    /// client's own.
    pub fn server_string_to_sign(&self) -> Option<&str> {
        const MARKER: &str = "server string to sign is:";
        match self.code {
            Some(ErrorCode::SignatureDoesNotMatch | ErrorCode::IncompleteSignature) => {}
            _ => return None,
        }
        let message = self.message.as_deref()?;
        let at = message.find(MARKER)?;
        Some(message[at + MARKER.len()..].trim())
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the service answered HTTP {}", self.http_status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId {id})")?;
        }
        Ok(())
    }
}
