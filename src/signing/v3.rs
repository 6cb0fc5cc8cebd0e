//! Signature V3, `ACS3-HMAC-SHA256` (protocol.md §3): the canonical request, its SHA-256,
//! the string-to-sign, and HMAC-SHA256 keyed with the secret itself (no `&`). Signing and
//! verifying share the canonical request and the HMAC step below.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::credentials::AccessKeySecret;
use super::percent;
use crate::request::{Method, RequestError, RequestErrorKind};

type HmacSha256 = Hmac<Sha256>;

/// The algorithm's name: the first line of the string-to-sign and of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The SHA-256 of an empty body, which every request with no body signs.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// What the payload hash line is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Payload<'a> {
    /// The body's bytes, hashed here.
    Body(&'a [u8]),
    /// A hash computed elsewhere, as lowercase hex, signed as given.
    Sha256Hex(&'a str),
}

/// Lowercase hex SHA-256 of `bytes`, as `x-acs-content-sha256` carries it.
pub fn payload_sha256(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(&Sha256::digest(bytes))
}

/// Every intermediate value of signature V3, each observable on its own. `Debug` redacts
/// an STS token in the canonical request.
#[derive(Clone, PartialEq, Eq)]
pub struct V3Stages {
    canonical_query: String,
    canonical_request: String,
    hashed_canonical_request: String,
    string_to_sign: String,
    signature: String,
    authorization: String,
}

impl V3Stages {
    /// The query line of the canonical request: `enc(k)=enc(v)&…`, sorted by raw name.
    pub fn canonical_query(&self) -> &str {
        &self.canonical_query
    }

    /// Method, path, canonical query, signed header lines, signed names, payload hash,
    /// one per line.
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// Lowercase hex SHA-256 of the canonical request.
    pub fn hashed_canonical_request(&self) -> &str {
        &self.hashed_canonical_request
    }

    /// `ACS3-HMAC-SHA256` newline the hashed canonical request.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// Lowercase hex HMAC-SHA256 of the string-to-sign, keyed with the secret.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>`.
    pub fn authorization(&self) -> &str {
        &self.authorization
    }
}

impl fmt::Debug for V3Stages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("V3Stages")
            .field(
                "canonical_request",
                &super::redact::CanonicalRequest(&self.canonical_request),
            )
            .field("hashed_canonical_request", &self.hashed_canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field("authorization", &self.authorization)
            .finish()
    }
}

/// Headers in canonical form: names lowercased, values trimmed, a name given more than
/// once (in any case) merged into one line whose values are sorted and `,`-joined, lines
/// sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CanonicalHeaders {
    lines: Vec<(String, String)>,
}

impl CanonicalHeaders {
    pub(crate) fn new<'h>(headers: impl IntoIterator<Item = (&'h str, &'h str)>) -> Self {
        Self::from_owned(
            headers
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
        )
    }

    /// The same from owned pairs, reused in place: a request's own headers are already
    /// lowercase and trimmed, and then nothing is copied.
    pub(crate) fn from_owned(mut pairs: Vec<(String, String)>) -> Self {
        for (name, value) in &mut pairs {
            name.make_ascii_lowercase();
            if value.trim().len() != value.len() {
                *value = value.trim().to_owned();
            }
        }
        pairs.sort_unstable();
        let mut lines: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        for (name, value) in pairs {
            match lines.last_mut() {
                Some((last, merged)) if *last == name => {
                    merged.push(',');
                    merged.push_str(&value);
                }
                _ => lines.push((name, value)),
            }
        }
        Self { lines }
    }

    /// The lines, by value.
    pub(crate) fn into_lines(self) -> Vec<(String, String)> {
        self.lines
    }

    /// The merged value of a lowercase `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.lines
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| self.lines[i].1.as_str())
    }

    /// Every (lowercase name, merged value), sorted by name.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.lines.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

/// Signs an arbitrary request: the V3 signer behind every typed request, exposed for
/// vectors such as the documented RunInstances example. Every header given is signed.
///
/// ```
/// use ecs_ramrole::{AccessKeySecret, Method, Payload, sign_v3};
///
/// // protocol.md §3.4, the documented example.
/// let headers = [
///     ("host", "ecs.cn-shanghai.aliyuncs.com"),
///     ("x-acs-action", "RunInstances"),
///     ("x-acs-version", "2014-05-26"),
///     ("x-acs-date", "2023-10-26T10:22:32Z"),
///     ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
///     ("x-acs-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
/// ];
/// let query = [
///     ("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"),
///     ("RegionId", "cn-shanghai"),
/// ];
/// let secret = AccessKeySecret::new("YourAccessKeySecret")?;
/// let stages = sign_v3(Method::Post, "/", &query, &headers, Payload::Body(b""), "YourAccessKeyId", &secret);
/// assert_eq!(stages.signature(), "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
/// # Ok::<(), ecs_ramrole::RequestError>(())
/// ```
pub fn sign_v3<K, V, H, W>(
    method: Method,
    path: &str,
    query: &[(K, V)],
    headers: &[(H, W)],
    payload: Payload<'_>,
    access_key_id: &str,
    secret: &AccessKeySecret,
) -> V3Stages
where
    K: AsRef<str>,
    V: AsRef<str>,
    H: AsRef<str>,
    W: AsRef<str>,
{
    let pairs = query.iter().map(|(k, v)| (k.as_ref(), v.as_ref()));
    let canonical_query = percent::canonicalize::<false>(pairs, "").once;
    let headers = CanonicalHeaders::new(headers.iter().map(|(n, v)| (n.as_ref(), v.as_ref())));
    let hash;
    let payload_hash = match payload {
        Payload::Body(body) => {
            hash = payload_sha256(body);
            hash.as_str()
        }
        Payload::Sha256Hex(hex) => hex,
    };
    sign(
        method,
        path,
        canonical_query,
        &headers,
        payload_hash,
        access_key_id,
        secret,
    )
}

/// Signs a canonical query, every line of `signed` and a payload hash.
pub(crate) fn sign(
    method: Method,
    path: &str,
    canonical_query: String,
    signed: &CanonicalHeaders,
    payload_hash: &str,
    access_key_id: &str,
    secret: &AccessKeySecret,
) -> V3Stages {
    let (canonical_request, signed_names) =
        canonical_request(method, path, &canonical_query, signed, payload_hash);
    let (hashed_canonical_request, string_to_sign) = string_to_sign(&canonical_request);
    let signature =
        base16ct::lower::encode_string(&mac(secret, &string_to_sign).finalize().into_bytes());
    let authorization = format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_names},Signature={signature}"
    );
    V3Stages {
        canonical_query,
        canonical_request,
        hashed_canonical_request,
        string_to_sign,
        signature,
        authorization,
    }
}

/// The canonical request and its signed-names line.
pub(crate) fn canonical_request(
    method: Method,
    path: &str,
    canonical_query: &str,
    signed: &CanonicalHeaders,
    payload_hash: &str,
) -> (String, String) {
    let path = if path.is_empty() { "/" } else { path };
    let names: Vec<&str> = signed.iter().map(|(name, _)| name).collect();
    let signed_names = names.join(";");
    let header_bytes: usize = signed.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut request = String::with_capacity(
        canonical_query.len() + header_bytes + signed_names.len() + payload_hash.len() + 16,
    );
    for part in [method.as_str(), "\n", path, "\n", canonical_query, "\n"] {
        request.push_str(part);
    }
    for (name, value) in signed.iter() {
        for part in [name, ":", value, "\n"] {
            request.push_str(part);
        }
    }
    for part in ["\n", signed_names.as_str(), "\n", payload_hash] {
        request.push_str(part);
    }
    (request, signed_names)
}

/// The hashed canonical request, and `ACS3-HMAC-SHA256\n` followed by it.
fn string_to_sign(canonical_request: &str) -> (String, String) {
    let hashed = base16ct::lower::encode_string(&Sha256::digest(canonical_request.as_bytes()));
    let string_to_sign = format!("{ALGORITHM}\n{hashed}");
    (hashed, string_to_sign)
}

/// HMAC-SHA256 over the string-to-sign, keyed with the secret itself.
fn mac(secret: &AccessKeySecret, string_to_sign: &str) -> HmacSha256 {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(secret.bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    mac
}

/// The string-to-sign the server computes for a canonical query, the signed header lines
/// and a payload hash.
pub(crate) fn server_string_to_sign(
    method: Method,
    path: &str,
    canonical_query: &str,
    signed: &CanonicalHeaders,
    payload_hash: &str,
) -> String {
    let (canonical_request, _) =
        canonical_request(method, path, canonical_query, signed, payload_hash);
    string_to_sign(&canonical_request).1
}

/// Verifies a claimed hex signature over the server's string-to-sign, in constant time.
///
/// # Errors
/// [`mismatch`].
pub(crate) fn verify(
    string_to_sign: &str,
    claimed: &str,
    secret: &AccessKeySecret,
) -> Result<(), RequestError> {
    let ok = base16ct::lower::decode_vec(claimed)
        .is_ok_and(|claimed| mac(secret, string_to_sign).verify_slice(&claimed).is_ok());
    if ok {
        Ok(())
    } else {
        Err(mismatch(string_to_sign))
    }
}

/// `SignatureDoesNotMatch`, whose detail is `server string to sign is:` and the string the
/// server computed, as the service's message ends.
pub(crate) fn mismatch(string_to_sign: &str) -> RequestError {
    RequestError::new(RequestErrorKind::SignatureMismatch, "Signature")
        .with_detail(format!("server string to sign is:{string_to_sign}"))
}
