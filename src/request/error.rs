//! Errors on the request side: building a request, and decoding one off the wire.

use std::borrow::Cow;
use std::fmt;

/// What was wrong with a request parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestErrorKind {
    /// A required parameter is absent.
    Missing,
    /// A parameter that must not be empty is empty.
    Empty,
    /// An `InstanceIds` element is the empty string.
    EmptyItem {
        /// Zero-based index of the element.
        index: usize,
    },
    /// `InstanceIds` holds a number of IDs outside `1..=100`.
    Count {
        /// How many IDs were given.
        found: usize,
    },
    /// A value is longer than its documented maximum, counted in characters.
    TooLong {
        /// The documented maximum.
        max: usize,
        /// The length found.
        found: usize,
    },
    /// An integer outside its documented range (`OwnerId` and `ResourceOwnerId` are
    /// non-negative Longs: at most 2^63 - 1).
    OutOfRange,
    /// A value does not have the required syntax (JSON array of strings, timestamp,
    /// integer, `JSON`/`XML`).
    Malformed,
    /// A value of the wrong type for its parameter (text given where an integer belongs).
    TypeMismatch,
    /// The same parameter appears twice in a query.
    Duplicate,
    /// A parameter the operation does not have.
    Unknown,
    /// A `%` in the query is not followed by two hex digits.
    BadEscape,
    /// A decoded parameter is not UTF-8.
    InvalidUtf8,
    /// `Action` names an operation this crate does not speak.
    UnknownAction,
    /// `Version` is not `2014-05-26`.
    UnsupportedVersion,
    /// `SignatureMethod` or `SignatureVersion` is not `HMAC-SHA1` / `1.0`.
    UnsupportedSignature,
    /// The signature does not match the one computed with the given secret.
    SignatureMismatch,
    /// The access key ID is not one the server knows.
    UnknownAccessKeyId,
    /// A V3 signature that leaves out what it must cover: a missing `x-acs-*` or `host`
    /// header, one not in `SignedHeaders`, or an `Authorization` that does not parse.
    Unsigned,
    /// A V1 signing parameter in a request signed with V3: which signature counts is not
    /// for the server to guess.
    MixedSignature,
    /// None of the parameters that say what to act on (DescribeInstanceRamRole:
    /// `InstanceIds`, `RamRoleName`).
    AllEmpty,
}

/// A request parameter broke a rule: which parameter, which rule, and where.
///
/// Produced when building a request (the position is then a byte offset inside the
/// parameter's value, where one applies) and when decoding a query string (a byte offset
/// inside the query). [`RequestError::code`] gives the error code the ECS server returns
/// for the same problem, so a mock server can answer as the real one does.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub struct RequestError {
    kind: RequestErrorKind,
    param: Cow<'static, str>,
    offset: Option<usize>,
    detail: Option<Box<str>>,
}

impl RequestError {
    pub(crate) fn new(kind: RequestErrorKind, param: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            param: param.into(),
            offset: None,
            detail: None,
        }
    }

    pub(crate) fn at(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Shifts a position inside a value to a position inside the enclosing query.
    pub(crate) fn shifted(mut self, by: usize) -> Self {
        self.offset = Some(self.offset.unwrap_or(0) + by);
        self
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<Box<str>>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The rule that was broken.
    pub fn kind(&self) -> RequestErrorKind {
        self.kind
    }

    /// The parameter's API name, such as `InstanceIds`.
    pub fn param(&self) -> &str {
        &self.param
    }

    /// Byte offset of the problem: inside the query when decoding, inside the value when
    /// building (for `InstanceIds` JSON text and timestamps).
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// What the rule's name does not say, if anything (for a signature mismatch, the
    /// server's string-to-sign).
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// For a signature that does not match: the string-to-sign the server computed, which
    /// its message ends with.
    pub fn server_string_to_sign(&self) -> Option<&str> {
        match self.kind {
            RequestErrorKind::SignatureMismatch => self
                .detail
                .as_deref()
                .and_then(|d| d.strip_prefix("server string to sign is:")),
            _ => None,
        }
    }

    /// The error code the ECS server uses for this problem.
    ///
    /// The documented codes are used where one exists (`MissingParameter.InstanceIds`,
    /// `MissingParameter.RegionId`, `MissingParameter.RamRoleName`,
    /// `InvalidInstanceIds.Malformed`); signature problems give `IncompleteSignature` or
    /// `SignatureDoesNotMatch`; anything else is `InvalidParameter`.
    pub fn code(&self) -> &'static str {
        use RequestErrorKind::*;
        match (self.kind, &*self.param) {
            (SignatureMismatch, _) => "SignatureDoesNotMatch",
            (UnsupportedSignature | Unsigned, _) | (Missing, "Signature") => "IncompleteSignature",
            (UnknownAccessKeyId, _) => "InvalidAccessKeyId.NotFound",
            (AllEmpty, _) => "InvalidParameter.AllEmpty",
            (Malformed, "Timestamp" | "x-acs-date") => "IllegalTimestamp",
            (UnknownAction, _) => "InvalidAction",
            (Malformed, "method") => "UnsupportedHTTPMethod",
            (_, "InstanceIds") if self.kind != Missing => "InvalidInstanceIds.Malformed",
            (Missing, "host" | "authorization") => "IncompleteSignature",
            (Missing, name) if name.starts_with("x-acs-") && missing_code(name).is_none() => {
                "IncompleteSignature"
            }
            // Present but empty is not missing: the service's generic code.
            (Missing, name) => missing_code(name).unwrap_or("InvalidParameter"),
            _ => "InvalidParameter",
        }
    }

    /// The HTTP status the service answers [`code`](Self::code) with: 403 for
    /// `InvalidAction`, 400 for everything else a request can get wrong.
    pub fn status(&self) -> u16 {
        crate::ErrorCode::parse(self.code())
            .documented_status()
            .unwrap_or(400)
    }

    /// The service's answer to this request: its status, code and message. A
    /// `SignatureDoesNotMatch` message ends with `server string to sign is:` and the
    /// server's string-to-sign, as the real service's does.
    pub fn to_service_error(&self) -> crate::ServiceError {
        let code = crate::ErrorCode::parse(self.code());
        let message = match (self.kind, self.detail.as_deref()) {
            (RequestErrorKind::SignatureMismatch, Some(detail)) => {
                format!("Specified signature is not matched with our calculation. {detail}")
            }
            _ => match code.documented_message() {
                Some(message) => message.to_owned(),
                None => self.to_string(),
            },
        };
        let mut error = crate::ServiceError::new(self.status(), code);
        error.message = Some(message);
        error
    }

    /// The corpus's reject kind for a request that could not be built:
    /// `missing_required`, `type_mismatch` or `constraint_violation`.
    pub fn reject_kind(&self) -> &'static str {
        match self.kind {
            RequestErrorKind::Missing => "missing_required",
            RequestErrorKind::TypeMismatch => "type_mismatch",
            _ => "constraint_violation",
        }
    }
}

/// `MissingParameter.<Name>` for the parameters the server requires.
fn missing_code(name: &str) -> Option<&'static str> {
    Some(match name {
        "InstanceIds" => "MissingParameter.InstanceIds",
        "RegionId" => "MissingParameter.RegionId",
        "RamRoleName" => "MissingParameter.RamRoleName",
        "Action" => "MissingParameter.Action",
        "Version" => "MissingParameter.Version",
        "AccessKeyId" => "MissingParameter.AccessKeyId",
        "SignatureNonce" => "MissingParameter.SignatureNonce",
        "Timestamp" => "MissingParameter.Timestamp",
        "SignatureMethod" => "MissingParameter.SignatureMethod",
        "SignatureVersion" => "MissingParameter.SignatureVersion",
        // Under V3, `Action` and `Version` travel as headers.
        "x-acs-action" => "MissingParameter.Action",
        "x-acs-version" => "MissingParameter.Version",
        _ => return None,
    })
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RequestErrorKind::*;
        let p = &self.param;
        match self.kind {
            Missing => write!(f, "{p} is required but missing")?,
            Empty => write!(f, "{p} must not be empty")?,
            EmptyItem { index } => write!(f, "{p}[{index}] is an empty string")?,
            Count { found } => write!(f, "{p} must hold 1 to 100 IDs, found {found}")?,
            TooLong { max, found } => {
                write!(f, "{p} must be at most {max} characters, found {found}")?
            }
            OutOfRange => write!(f, "{p} is out of range")?,
            Malformed => write!(f, "{p} is malformed")?,
            TypeMismatch => write!(f, "{p} has the wrong type")?,
            Duplicate => write!(f, "{p} appears more than once")?,
            Unknown => write!(f, "{p} is not a parameter of this operation")?,
            BadEscape => write!(f, "{p}: `%` is not followed by two hex digits")?,
            InvalidUtf8 => write!(f, "{p} does not decode to UTF-8")?,
            UnknownAction => write!(f, "{p} names an unsupported action")?,
            UnsupportedVersion => write!(f, "{p} must be 2014-05-26")?,
            UnsupportedSignature => write!(f, "{p} is not supported (HMAC-SHA1 / 1.0 only)")?,
            SignatureMismatch => write!(f, "{p} does not match the computed signature")?,
            UnknownAccessKeyId => write!(f, "{p} is not a known access key")?,
            Unsigned => write!(f, "{p} is not covered by the signature")?,
            MixedSignature => write!(f, "{p} is a V1 signing parameter in a V3 request")?,
            AllEmpty => write!(f, "{p} and the parameters that go with it are all absent")?,
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        if let Some(offset) = self.offset {
            write!(f, " (at byte {offset})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestError")
            .field("kind", &self.kind)
            .field("param", &self.param)
            .field("offset", &self.offset)
            .field("code", &self.code())
            .field("message", &self.to_string())
            .finish()
    }
}
