//! Signature V1: canonical query, string-to-sign, HMAC-SHA1, Base64 (protocol.md §2.1).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::method::Method;
use crate::percent::{Encoder, ascii, extend_encoded};
use crate::secret::AccessKeySecret;

type HmacSha1 = Hmac<Sha1>;

/// `SignatureMethod` sent with every signed request.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// `SignatureVersion` sent with every signed request.
pub const SIGNATURE_VERSION: &str = "1.0";

/// Every intermediate value of signature V1, each observable on its own so an SDK can see
/// which step diverged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureStages {
    canonical_query: String,
    string_to_sign: String,
    signature: String,
}

impl SignatureStages {
    /// `enc(k1)=enc(v1)&…`, sorted by raw name, `Signature` excluded.
    pub fn canonical_query(&self) -> &str {
        &self.canonical_query
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

/// Signs an arbitrary parameter set: the low-level signer behind every request, exposed
/// for vectors such as the documented DescribeRegions example.
///
/// `params` are unencoded (name, value) pairs, `Signature` excluded; empty values are
/// signed as `name=`. Order does not matter: they are sorted by name, byte-wise.
pub fn sign_params<K, V>(
    method: Method,
    params: &[(K, V)],
    secret: &AccessKeySecret,
) -> SignatureStages
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    let pairs = params.iter().map(|(k, v)| (k.as_ref(), v.as_ref()));
    let (canonical_query, string_to_sign) = encode_both(method, pairs);
    stages(canonical_query, string_to_sign, secret)
}

/// Sorts by raw name (byte order; names are unique, so an unstable sort is
/// deterministic).
fn sorted<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<(&'a str, &'a str)> {
    let mut pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    pairs
}

/// Sorts by raw name and writes `enc(k)=enc(v)` pairs joined with `&`.
pub(crate) fn canonical_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let pairs = sorted(pairs);
    // Room for a quarter of the bytes escaped; more grows the buffer.
    let raw: usize = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = Vec::with_capacity(raw + raw / 2);
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        extend_encoded(&mut out, name);
        out.push(b'=');
        extend_encoded(&mut out, value);
    }
    ascii(out)
}

/// The canonical query and the string-to-sign, in one pass over the raw pairs:
/// `enc(enc(x))` is written beside `enc(x)` rather than re-reading the canonical query.
pub(crate) fn encode_both<'a>(
    method: Method,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (String, String) {
    let pairs = sorted(pairs);
    let mut encoder = Encoder::with_prefixes("", string_to_sign_prefix(method));
    encoder.reserve(pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            encoder.push_literal(b'&', "%26");
        }
        encoder.push(name);
        encoder.push_literal(b'=', "%3D");
        encoder.push(value);
    }
    encoder.finish()
}

/// The string-to-sign and signature for an already canonical query.
pub(crate) fn stages(
    canonical_query: String,
    string_to_sign: String,
    secret: &AccessKeySecret,
) -> SignatureStages {
    let signature = BASE64.encode(hmac_sha1(secret, &string_to_sign));
    SignatureStages {
        canonical_query,
        string_to_sign,
        signature,
    }
}

/// `METHOD&%2F&`: what precedes the encoded canonical query in the string-to-sign.
fn string_to_sign_prefix(method: Method) -> &'static str {
    match method {
        Method::Get => "GET&%2F&",
        Method::Post => "POST&%2F&",
    }
}

pub(crate) fn string_to_sign(method: Method, canonical_query: &str) -> String {
    let mut out = string_to_sign_prefix(method).as_bytes().to_vec();
    extend_encoded(&mut out, canonical_query);
    ascii(out)
}

pub(crate) fn mac(secret: &AccessKeySecret, string_to_sign: &str) -> HmacSha1 {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <HmacSha1 as KeyInit>::new_from_slice(&secret.hmac_key())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    mac
}

fn hmac_sha1(secret: &AccessKeySecret, string_to_sign: &str) -> impl AsRef<[u8]> {
    mac(secret, string_to_sign).finalize().into_bytes()
}
