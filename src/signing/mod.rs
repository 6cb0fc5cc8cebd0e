//! Signing: what it takes besides the request (credentials, timestamp, nonce), the one
//! percent-encoder that writes every encoded byte of the wire, and signature V1.
//!
//! - `percent.rs`: the unreserved set as data, the encoder, form decoding.
//! - `credentials.rs`: [`Credentials`], [`AccessKeySecret`] (zeroized, never printed),
//!   [`Nonce`].
//! - `timestamp.rs`: [`Timestamp`], parsed and formatted without a clock.
//! - `v1.rs`: HMAC-SHA1: the string-to-sign and the HMAC step, shared by signing and
//!   verifying.
//! - `v3.rs`: ACS3-HMAC-SHA256: the canonical request and the HMAC step, likewise.
//! - `explain.rs`: why a signature does not match, from what was sent and what was said.

pub(crate) mod credentials;
pub(crate) mod explain;
pub(crate) mod percent;
pub(crate) mod timestamp;
pub(crate) mod v1;
pub(crate) mod v3;

pub use credentials::{AccessKeySecret, Credentials, Nonce};
pub use explain::{Cause, Diagnosis, Evidence, explain};
pub use percent::{RPC_ENCODE_SET, percent_encode};
pub use timestamp::Timestamp;
pub use v1::{SIGNATURE_METHOD, SIGNATURE_VERSION, SignatureStages, sign_params};
pub use v3::{
    ALGORITHM as V3_ALGORITHM, EMPTY_PAYLOAD_SHA256, Payload, V3Stages, payload_sha256, sign_v3,
};

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

    /// A V3 canonical request: the `x-acs-security-token` header line redacted.
    pub(crate) struct CanonicalRequest<'a>(pub(crate) &'a str);

    impl fmt::Debug for CanonicalRequest<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("\"")?;
            for (i, line) in self.0.split('\n').enumerate() {
                if i > 0 {
                    f.write_str("\\n")?;
                }
                match line.split_once(':') {
                    Some((TOKEN_HEADER, _)) => write!(f, "{TOKEN_HEADER}:<redacted>")?,
                    _ => f.write_str(line)?,
                }
            }
            f.write_str("\"")
        }
    }

    /// A query or form body with the value of `SecurityToken` replaced by `<redacted>`,
    /// the name compared decoded (so `Security%54oken` is caught too).
    pub(crate) fn query_text(text: &str) -> String {
        let pairs: Vec<&str> = text
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _))
                    if crate::signing::percent::form_decode(name)
                        .is_ok_and(|n| n == "SecurityToken") =>
                {
                    "SecurityToken=<redacted>"
                }
                _ => pair,
            })
            .collect();
        pairs.join("&")
    }

    /// The V3 header that carries the STS token.
    pub(crate) const TOKEN_HEADER: &str = "x-acs-security-token";

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
