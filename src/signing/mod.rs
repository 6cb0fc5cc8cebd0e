//! Signing: what it takes besides the request (credentials, timestamp, nonce), the one
//! percent-encoder that writes every encoded byte of the wire, and signature V1.
//!
//! - `percent.rs`: the unreserved set as data, the encoder, form decoding.
//! - `credentials.rs`: [`Credentials`], [`AccessKeySecret`] (zeroized, never printed),
//!   [`Nonce`].
//! - `timestamp.rs`: [`Timestamp`], parsed and formatted without a clock.
//! - `v1.rs`: HMAC-SHA1: the string-to-sign and the HMAC step, shared by signing and
//!   verifying.

pub(crate) mod credentials;
pub(crate) mod percent;
pub(crate) mod timestamp;
pub(crate) mod v1;

pub use credentials::{AccessKeySecret, Credentials, Nonce};
pub use percent::{RPC_ENCODE_SET, percent_encode};
pub use timestamp::Timestamp;
pub use v1::{SIGNATURE_METHOD, SIGNATURE_VERSION, SignatureStages, sign_params};

/// `Debug` views of signed text with the STS token replaced by `<redacted>`.
pub(crate) mod redact {
    use std::fmt;

    /// Writes `text`, split into `name<kv>value` pairs by `sep`, with the value of
    /// every pair named `SecurityToken` redacted.
    fn pairs(f: &mut fmt::Formatter<'_>, text: &str, sep: &str, kv: &str) -> fmt::Result {
        for (i, pair) in text.split(sep).enumerate() {
            if i > 0 {
                f.write_str(sep)?;
            }
            match pair.split_once(kv) {
                Some(("SecurityToken", _)) => write!(f, "SecurityToken{kv}<redacted>")?,
                _ => f.write_str(pair)?,
            }
        }
        Ok(())
    }

    /// A query string (`&` and `=`).
    pub(crate) struct Query<'a>(pub(crate) &'a str);

    impl fmt::Debug for Query<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("\"")?;
            pairs(f, self.0, "&", "=")?;
            f.write_str("\"")
        }
    }

    /// A V1 string-to-sign: the canonical query encoded once more (`%26` and `%3D`).
    pub(crate) struct StringToSign<'a>(pub(crate) &'a str);

    impl fmt::Debug for StringToSign<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("\"")?;
            pairs(f, self.0, "%26", "%3D")?;
            f.write_str("\"")
        }
    }
}
