//! The access key secret: zeroized on drop, never printed.

use std::fmt;

use zeroize::Zeroizing;

use crate::request_error::{RequestError, RequestErrorKind};

/// An AccessKey secret.
///
/// Its memory is overwritten when it is dropped, and `Debug` and `Display` print
/// `<redacted>`, so the secret cannot reach a log, an error or a snapshot by accident.
#[derive(Clone)]
pub struct AccessKeySecret(Zeroizing<String>);

impl AccessKeySecret {
    /// Wraps a secret.
    ///
    /// # Errors
    /// [`RequestErrorKind::Empty`] if the secret is empty.
    pub fn new(secret: impl Into<String>) -> Result<Self, RequestError> {
        let secret = Zeroizing::new(secret.into());
        if secret.is_empty() {
            return Err(RequestError::new(
                RequestErrorKind::Empty,
                "AccessKeySecret",
            ));
        }
        Ok(Self(secret))
    }

    /// The HMAC-SHA1 key of signature V1: the secret followed by `&`.
    pub(crate) fn hmac_key(&self) -> Zeroizing<Vec<u8>> {
        let mut key = Zeroizing::new(Vec::with_capacity(self.0.len() + 1));
        key.extend_from_slice(self.0.as_bytes());
        key.push(b'&');
        key
    }

    /// Whether `text` contains the secret (used by tests that scan outputs for leaks).
    pub fn appears_in(&self, text: &str) -> bool {
        text.contains(self.0.as_str())
    }
}

impl fmt::Debug for AccessKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessKeySecret(<redacted>)")
    }
}

impl fmt::Display for AccessKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let s = AccessKeySecret::new("testsecret").unwrap();
        assert!(!format!("{s:?}").contains("testsecret"));
        assert!(!format!("{s}").contains("testsecret"));
        assert!(s.appears_in("xx testsecret xx"));
        assert_eq!(&*s.hmac_key(), b"testsecret&");
        assert!(AccessKeySecret::new("").is_err());
    }
}
