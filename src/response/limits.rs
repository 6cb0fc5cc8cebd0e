//! Bounds on untrusted response bodies.

/// Limits applied while decoding a response body. Exceeding one is
/// [`DecodeErrorKind::LimitExceeded`](crate::DecodeErrorKind::LimitExceeded), never an
/// out-of-memory or a stack overflow.
///
/// The defaults are far above anything the service sends (at most 100 results of a few
/// short strings) and small enough that a hostile body is refused early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Limits {
    /// Largest body accepted, in bytes. Default 8 MiB.
    pub max_body_bytes: usize,
    /// Deepest element or value nesting, counting the root as 1. Default 32.
    pub max_depth: usize,
    /// Most items in one list. Default 10,000.
    pub max_items: usize,
    /// Longest string field, in bytes after unescaping. Default 64 KiB.
    pub max_string_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 8 * 1024 * 1024,
            max_depth: 32,
            max_items: 10_000,
            max_string_bytes: 64 * 1024,
        }
    }
}

impl Limits {
    /// These limits with `max_body_bytes` replaced.
    pub fn with_max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// These limits with `max_depth` replaced.
    pub fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// These limits with `max_items` replaced.
    pub fn with_max_items(mut self, items: usize) -> Self {
        self.max_items = items;
        self
    }

    /// These limits with `max_string_bytes` replaced.
    pub fn with_max_string_bytes(mut self, bytes: usize) -> Self {
        self.max_string_bytes = bytes;
        self
    }
}
