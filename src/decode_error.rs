//! "We could not parse": why a response body could not be decoded, and where.

use std::fmt;

use crate::service_error::ServiceError;

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

/// A body that could not be decoded: the kind, the byte offset in the body, the line and
/// column (1-based, column in bytes) of that offset, and a description.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
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
        Self {
            kind,
            offset,
            line,
            column: offset - line_start + 1,
            message: message.into(),
        }
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

    /// The coarse reason.
    pub fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// Byte offset in the body where the problem was found.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// 1-based line of [`offset`](Self::offset).
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column, in bytes, of [`offset`](Self::offset).
    pub fn column(&self) -> usize {
        self.column
    }

    /// What was wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} at line {} column {} (byte {})",
            self.kind, self.message, self.line, self.column, self.offset
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("kind", &self.kind)
            .field("offset", &self.offset)
            .field("line", &self.line)
            .field("column", &self.column)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for DecodeError {}

/// Why a response was not a success: the service said no, or the body could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseError {
    /// A non-2xx status, with whatever the error body said (boxed: it is large, and the
    /// `Ok` path should not pay for it).
    Service(Box<ServiceError>),
    /// A 2xx body that could not be decoded.
    Decode(DecodeError),
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Service(e) => write!(f, "service error: {e}"),
            ResponseError::Decode(e) => write!(f, "cannot decode the response: {e}"),
        }
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResponseError::Service(e) => Some(e),
            ResponseError::Decode(e) => Some(e),
        }
    }
}
