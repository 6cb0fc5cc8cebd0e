//! What signing needs besides the request: the key pair (the secret zeroized on drop and
//! never printed), an STS token, and a nonce.

use std::fmt;

use zeroize::Zeroizing;

use crate::request::{RequestError, RequestErrorKind};

/// An AccessKey pair, optionally with an STS security token.
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret: AccessKeySecret,
    security_token: Option<String>,
}

impl Credentials {
    /// Pairs an AccessKey ID with its secret.
    ///
    /// # Errors
    /// [`RequestErrorKind::Empty`] for an empty AccessKey ID.
    pub fn new(
        access_key_id: impl Into<String>,
        secret: AccessKeySecret,
    ) -> Result<Self, RequestError> {
        let access_key_id = access_key_id.into();
        if access_key_id.is_empty() {
            return Err(RequestError::new(RequestErrorKind::Empty, "AccessKeyId"));
        }
        Ok(Self {
            access_key_id,
            secret,
            security_token: None,
        })
    }

    /// Adds an STS token, sent as `SecurityToken`.
    ///
    /// # Errors
    /// [`RequestErrorKind::Empty`] for an empty token.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Result<Self, RequestError> {
        let token = token.into();
        if token.is_empty() {
            return Err(RequestError::new(RequestErrorKind::Empty, "SecurityToken"));
        }
        self.security_token = Some(token);
        Ok(self)
    }

    /// The AccessKey ID, sent as `AccessKeyId`.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret (which prints as `<redacted>`).
    pub fn secret(&self) -> &AccessKeySecret {
        &self.secret
    }

    /// The STS token, if any.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret", &self.secret)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// `SignatureNonce`: any non-empty string, unique per request (the server answers a reused
/// one with `SignatureNonceUsed`). The caller supplies it; the library has no randomness.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Nonce(Box<str>);

impl Nonce {
    /// Wraps a nonce.
    ///
    /// # Errors
    /// [`RequestErrorKind::Empty`] for an empty string.
    pub fn new(nonce: impl Into<Box<str>>) -> Result<Self, RequestError> {
        let nonce = nonce.into();
        if nonce.is_empty() {
            return Err(RequestError::new(RequestErrorKind::Empty, "SignatureNonce"));
        }
        Ok(Self(nonce))
    }

    /// The nonce text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

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
    pub(crate) fn v1_key(&self) -> Zeroizing<Vec<u8>> {
        let mut key = Zeroizing::new(Vec::with_capacity(self.0.len() + 1));
        key.extend_from_slice(self.0.as_bytes());
        key.push(b'&');
        key
    }

    /// The secret's bytes: the HMAC-SHA256 key of signature V3.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
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
    fn secret_never_printed() {
        let s = AccessKeySecret::new("testsecret").unwrap();
        assert!(!format!("{s:?}").contains("testsecret"));
        assert!(!format!("{s}").contains("testsecret"));
        assert!(s.appears_in("xx testsecret xx"));
        assert_eq!(&*s.v1_key(), b"testsecret&");
        assert!(AccessKeySecret::new("").is_err());
    }
}
