//! Signature V1: canonical query, string-to-sign, HMAC-SHA1, Base64 (protocol.md §2.1).
//! Signing and verifying share the one string-to-sign and the one HMAC step below.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use super::credentials::AccessKeySecret;
use super::percent;
use crate::request::{Method, RequestError, RequestErrorKind};

type HmacSha1 = Hmac<Sha1>;

/// `SignatureMethod` sent with every signed request.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// `SignatureVersion` sent with every signed request.
pub const SIGNATURE_VERSION: &str = "1.0";

/// The parameters signature V1 adds to a request (`SignatureType` as the Go SDK and
/// aliyunsdkcore send it, empty).
pub(crate) const PARAMS: &[&str] = &[
    "AccessKeyId",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
];

/// Every intermediate value of signature V1, each observable on its own so an SDK can see
/// which step diverged. `Debug` redacts an STS token in the canonical query and the
/// string-to-sign.
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureStages {
    /// The canonical query, then `&Signature=` and the encoded signature: the wire query,
    /// built in place so the canonical query is not copied.
    signed_query: String,
    canonical_len: usize,
    string_to_sign: String,
    signature: String,
}

impl SignatureStages {
    /// `enc(k1)=enc(v1)&…`, sorted by raw name, `Signature` excluded.
    pub fn canonical_query(&self) -> &str {
        &self.signed_query[..self.canonical_len]
    }

    /// The wire query: the canonical query followed by `&Signature=<encoded signature>`.
    pub fn signed_query(&self) -> &str {
        &self.signed_query
    }

    /// `METHOD&%2F&` + enc(canonical query).
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// Base64 of HMAC-SHA1 over the string-to-sign, keyed with `secret&`.
    pub fn signature(&self) -> &str {
        &self.signature
    }
}

impl std::fmt::Debug for SignatureStages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureStages")
            .field(
                "canonical_query",
                &super::redact::Query(self.canonical_query()),
            )
            .field(
                "string_to_sign",
                &super::redact::StringToSign(&self.string_to_sign),
            )
            .field("signature", &self.signature)
            .finish()
    }
}

/// Signs an arbitrary parameter set: the signer behind every request, exposed for
/// vectors such as the documented DescribeRegions example.
///
/// `params` are unencoded (name, value) pairs, `Signature` excluded; empty values are
/// signed as `name=`. Order does not matter: they are sorted by name, byte-wise.
///
/// ```
/// use ecs_ramrole::{AccessKeySecret, Method, sign_params};
///
/// // The documented DescribeRegions example (protocol.md §2.2).
/// let params = [
///     ("AccessKeyId", "testid"),
///     ("Action", "DescribeRegions"),
///     ("Format", "XML"),
///     ("SignatureMethod", "HMAC-SHA1"),
///     ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
///     ("SignatureVersion", "1.0"),
///     ("Timestamp", "2016-02-23T12:46:24Z"),
///     ("Version", "2014-05-26"),
/// ];
/// let stages = sign_params(Method::Get, &params, &AccessKeySecret::new("testsecret")?);
/// assert_eq!(stages.signature(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
/// # Ok::<(), ecs_ramrole::RequestError>(())
/// ```
pub fn sign_params<K, V>(
    method: Method,
    params: &[(K, V)],
    secret: &AccessKeySecret,
) -> SignatureStages
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    stages(
        method,
        params.iter().map(|(k, v)| (k.as_ref(), v.as_ref())),
        secret,
    )
}

/// Signs a request's parameter list.
pub(crate) fn sign(
    method: Method,
    params: &[(&str, Cow<'_, str>)],
    secret: &AccessKeySecret,
) -> SignatureStages {
    stages(method, params.iter().map(|(k, v)| (*k, v.as_ref())), secret)
}

fn stages<'a>(
    method: Method,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
    secret: &AccessKeySecret,
) -> SignatureStages {
    let (mut signed_query, string_to_sign) = string_to_sign(method, params);
    let signature = BASE64.encode(mac(secret, &string_to_sign).finalize().into_bytes());
    let canonical_len = signed_query.len();
    signed_query.push_str("&Signature=");
    percent::encode_into(&mut signed_query, &signature);
    SignatureStages {
        signed_query,
        canonical_len,
        string_to_sign,
        signature,
    }
}

/// The canonical query and the string-to-sign `METHOD&%2F&enc(canonical query)`, in one
/// pass over the raw pairs: `enc(enc(x))` is written beside `enc(x)`.
fn string_to_sign<'a>(
    method: Method,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (String, String) {
    let prefix = match method {
        Method::Get => "GET&%2F&",
        Method::Post => "POST&%2F&",
    };
    let encoder = percent::canonicalize::<true>(params, prefix);
    (encoder.once, encoder.twice)
}

/// HMAC-SHA1 over the string-to-sign, keyed with `secret&`.
fn mac(secret: &AccessKeySecret, string_to_sign: &str) -> HmacSha1 {
    let mut mac = <HmacSha1 as KeyInit>::new_from_slice(&secret.v1_key())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    mac
}

/// Verifies a claimed Base64 `signature` over `params` (every decoded parameter of a
/// request but `Signature`) as the server does: canonically re-encoded, under `method`,
/// compared in constant time.
///
/// # Errors
/// `SignatureDoesNotMatch`, whose detail is `server string to sign is:` and the string the
/// server computed.
pub(crate) fn verify<'a>(
    method: Method,
    params: impl Iterator<Item = (&'a str, &'a str)>,
    signature: &str,
    secret: &AccessKeySecret,
) -> Result<(), RequestError> {
    let (_, string_to_sign) = self::string_to_sign(method, params);
    let ok = BASE64
        .decode(signature)
        .is_ok_and(|claimed| mac(secret, &string_to_sign).verify_slice(&claimed).is_ok());
    if ok {
        Ok(())
    } else {
        Err(
            RequestError::new(RequestErrorKind::SignatureMismatch, "Signature")
                .with_detail(format!("server string to sign is:{string_to_sign}")),
        )
    }
}
