//! "We could not parse": why a response body could not be decoded, and where; and the
//! error of a response that was not a success, either way.

use std::fmt;

use super::service_error::ServiceError;

/// The coarse reason a body was rejected; the names are the corpus's reject kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// Not well-formed XML or JSON: truncated, trailing garbage, invalid UTF-8, an
    /// undefined entity, an empty body.
    MalformedBody,
    /// Well-formed, but not the expected document: a wrong root element, a top-level
    /// array, text where elements belong, a field given twice.
    UnexpectedShape,
    /// A value that cannot be read as its field's type (`TotalCount` of `"one"`).
    TypeMismatch,
    /// A DOCTYPE or entity declaration, rejected without being expanded.
    ForbiddenConstruct,
    /// Over one of the [`Limits`](crate::Limits).
    LimitExceeded,
}

impl DecodeErrorKind {
    /// The corpus's name for this kind, e.g. `malformed_body`.
    pub fn as_str(self) -> &'static str {
        match self {
            DecodeErrorKind::MalformedBody => "malformed_body",
            DecodeErrorKind::UnexpectedShape => "unexpected_shape",
            DecodeErrorKind::TypeMismatch => "type_mismatch",
            DecodeErrorKind::ForbiddenConstruct => "forbidden_construct",
            DecodeErrorKind::LimitExceeded => "limit_exceeded",
        }
    }
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A body that could not be decoded: the kind, the field it happened in (where there is
/// one), the byte offset in the body, the line and column (1-based, column in bytes) of
/// that offset, and a description.
///
/// Displays as `type_mismatch: TotalCount: expected a number, found "three" at line 1
/// column 32 (byte 31)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError(Box<Detail>);

/// Boxed, so that the decoders' `Result`s stay the size of their values.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Detail {
    kind: DecodeErrorKind,
    field: Option<Box<str>>,
    offset: usize,
    line: usize,
    column: usize,
    message: Box<str>,
}

impl DecodeError {
    pub(crate) fn at(
        kind: DecodeErrorKind,
        body: &[u8],
        offset: usize,
        message: impl Into<Box<str>>,
    ) -> Self {
        let offset = offset.min(body.len());
        let before = &body[..offset];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Self(Box::new(Detail {
            kind,
            field: None,
            offset,
            line,
            column: offset - line_start + 1,
            message: message.into(),
        }))
    }

    /// From a 1-based line and column (in bytes), as serde_json reports them.
    pub(crate) fn at_line_column(
        kind: DecodeErrorKind,
        body: &[u8],
        line: usize,
        column: usize,
        message: impl Into<Box<str>>,
    ) -> Self {
        let line_start: usize = body
            .split_inclusive(|&b| b == b'\n')
            .take(line.saturating_sub(1))
            .map(<[u8]>::len)
            .sum();
        Self::at(kind, body, line_start + column.saturating_sub(1), message)
    }

    /// Names the field the error happened in, unless an inner one is named already.
    pub(crate) fn in_field(mut self, field: &str) -> Self {
        if self.0.field.is_none() {
            self.0.field = Some(field.into());
        }
        self
    }

    /// The coarse reason.
    pub fn kind(&self) -> DecodeErrorKind {
        self.0.kind
    }

    /// The innermost field (element or key name) the problem is in, if any.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// Byte offset in the body where the problem was found.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// 1-based line of [`offset`](Self::offset).
    pub fn line(&self) -> usize {
        self.0.line
    }

    /// 1-based column, in bytes, of [`offset`](Self::offset).
    pub fn column(&self) -> usize {
        self.0.column
    }

    /// What was wrong, without the field and the position.
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.0.kind)?;
        if let Some(field) = &self.0.field {
            write!(f, "{field}: ")?;
        }
        write!(
            f,
            "{} at line {} column {} (byte {})",
            self.0.message, self.0.line, self.0.column, self.0.offset
        )
    }
}

/// Why a response was not a success: the service said no, or the body could not be read.
///
/// Displays as the inner error, and has no `source` of its own, so an error-chain
/// reporter prints the cause once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// A non-2xx status, with whatever the error body said (boxed: it is large, and the
    /// `Ok` path should not pay for it).
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// A 2xx body that could not be decoded.
    #[error(transparent)]
    Decode(DecodeError),
}

impl ResponseError {
    /// The service's error, when the service said no.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            ResponseError::Service(e) => Some(e),
            ResponseError::Decode(_) => None,
        }
    }

    /// The decode error, when a 2xx body could not be read.
    pub fn decode_error(&self) -> Option<&DecodeError> {
        match self {
            ResponseError::Service(_) => None,
            ResponseError::Decode(e) => Some(e),
        }
    }

    /// Whether sending the request again can succeed: [`ServiceError::is_retryable`] for
    /// the service's errors. A 2xx body that cannot be read is not retried: the call may
    /// have taken effect.
    pub fn is_retryable(&self) -> bool {
        self.service_error().is_some_and(ServiceError::is_retryable)
    }
}
