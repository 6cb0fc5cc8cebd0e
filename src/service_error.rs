//! "The service said no": error bodies, their codes, and what each code means.

use std::fmt;

use serde_json::{Map, Value};

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $status:literal, $retry:literal; )*) => {
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
    InvalidInstanceIdsMalformed = "InvalidInstanceIds.Malformed", 400, false;
    MissingParameterInstanceIds = "MissingParameter.InstanceIds", 400, false;
    MissingParameterRegionId = "MissingParameter.RegionId", 400, false;
    MissingParameterRamRoleName = "MissingParameter.RamRoleName", 400, false;
    InvalidNetworkTypeMismatchRamRole = "InvalidNetworkType.MismatchRamRole", 403, false;
    InvalidUserPassRoleForbidden = "InvalidUser.PassRoleForbidden", 403, false;
    InvalidParameterAllEmpty = "InvalidParameter.AllEmpty", 403, false;
    InvalidInstanceIdNotFound = "InvalidInstanceId.NotFound", 404, false;
    InvalidRamRoleNotFound = "InvalidRamRole.NotFound", 404, false;
    InvalidRamRoleNotEcsRole = "InvalidRamRole.NotEcsRole", 404, false;
    // Common ECS codes ("Response results", protocol.md §5.3).
    IncompleteSignature = "IncompleteSignature", 400, false;
    SignatureDoesNotMatch = "SignatureDoesNotMatch", 400, false;
    InvalidAccessKeyIdNotFound = "InvalidAccessKeyId.NotFound", 400, false;
    /// Sign again with a fresh nonce; the same signed request will fail again.
    SignatureNonceUsed = "SignatureNonceUsed", 400, true;
    IllegalTimestamp = "IllegalTimestamp", 400, false;
    MissingParameter = "MissingParameter", 400, false;
    InvalidParameter = "InvalidParameter", 400, false;
    Throttling = "Throttling", 400, true;
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

/// An error the service returned: a non-2xx status and what its body said.
///
/// Every field but the status is optional: a gateway's HTML page or an empty body still
/// yields a `ServiceError`, carrying only the status.
#[derive(Debug, Clone, PartialEq)]
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
    pub access_denied_detail: Option<Map<String, Value>>,
}

impl ServiceError {
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
        }
    }

    /// Whether retrying can help: by code when there is one, else by status (429, 5xx).
    pub fn is_retryable(&self) -> bool {
        match &self.code {
            Some(code) => code.is_retryable(),
            None => self.http_status == 429 || self.http_status >= 500,
        }
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
        write!(f, "HTTP {}", self.http_status)?;
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

impl std::error::Error for ServiceError {}
