//! Why a signature does not match: what was sent, the client's own string-to-sign, the
//! service's error body and the secret, each optional but the request, turned into the
//! first difference and its cause.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};

use super::credentials::AccessKeySecret;
use super::percent::{self, form_decode};
use super::v3::{self, CanonicalHeaders};
use super::{sign_params, v1};
use crate::request::{HttpRequest, Method};
use crate::response::ResponseDecoder;

/// Why the strings differ, from a closed set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cause {
    /// The client percent-encoded a value twice (`%2520` for a space).
    DoubleEncoded,
    /// The client wrote a space as `+` (form encoding) instead of `%20`.
    PlusForSpace,
    /// The client left a reserved character literal (`*`, `!`, `'`, `(`, `)`...).
    UnencodedReserved,
    /// The client encoded an unreserved character (`~` as `%7E`).
    EncodedUnreserved,
    /// The client wrote percent-escapes in lowercase hex.
    LowercaseHex,
    /// The client signed another HTTP method than it sent.
    MethodMismatch,
    /// A parameter was sent but is not in the client's signed string.
    ParameterMissing,
    /// A parameter is in the client's signed string but was not sent.
    ParameterAdded,
    /// A value differs between what was signed and what arrived.
    ValueAlteredInTransit,
    /// V1 signing parameters under a V3 authorization.
    V1V3Mixed,
    /// The HMAC key's `&` suffix: used with V3, or missing with V1.
    KeySuffix,
    /// The strings agree: the secret or the access key is wrong.
    StringsAgreeSecretOrKeyWrong,
    /// None of the above could be shown.
    Unknown,
}

impl Cause {
    /// The cause's name, e.g. `double_encoded`.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::DoubleEncoded => "double_encoded",
            Cause::PlusForSpace => "plus_for_space",
            Cause::UnencodedReserved => "unencoded_reserved",
            Cause::EncodedUnreserved => "encoded_unreserved",
            Cause::LowercaseHex => "lowercase_hex",
            Cause::MethodMismatch => "method_mismatch",
            Cause::ParameterMissing => "parameter_missing",
            Cause::ParameterAdded => "parameter_added",
            Cause::ValueAlteredInTransit => "value_altered_in_transit",
            Cause::V1V3Mixed => "v1_v3_mixed",
            Cause::KeySuffix => "key_suffix",
            Cause::StringsAgreeSecretOrKeyWrong => "strings_agree_secret_or_key_wrong",
            Cause::Unknown => "unknown",
        }
    }

    /// What to do about it.
    pub fn advice(self) -> &'static str {
        match self {
            Cause::DoubleEncoded => {
                "encode each name and value once; the string-to-sign's second pass encodes the whole canonical query, not the values again"
            }
            Cause::PlusForSpace => {
                "encode a space as %20: the RPC encoding is RFC 3986, not form encoding"
            }
            Cause::UnencodedReserved => {
                "encode every byte outside A-Z a-z 0-9 - _ . ~ as %XY (after a form encoder, replace * with %2A)"
            }
            Cause::EncodedUnreserved => {
                "leave ~ literal (after a form encoder, replace %7E with ~)"
            }
            Cause::LowercaseHex => "write percent-escapes with uppercase hex digits (%2F, not %2f)",
            Cause::MethodMismatch => "sign with the HTTP method the request is sent with",
            Cause::ParameterMissing => {
                "sign every parameter you send (an SDK or proxy may add one after signing)"
            }
            Cause::ParameterAdded => "send every parameter you signed, and nothing else",
            Cause::ValueAlteredInTransit => {
                "something between the signer and the server changed a value: send exactly the bytes you signed"
            }
            Cause::V1V3Mixed => {
                "use one signature: V1 parameters (Signature, SignatureMethod, ...) or an ACS3-HMAC-SHA256 authorization header"
            }
            Cause::KeySuffix => {
                "V1 keys HMAC-SHA1 with the secret followed by &; V3 keys HMAC-SHA256 with the secret alone"
            }
            Cause::StringsAgreeSecretOrKeyWrong => {
                "the strings match: check the AccessKey secret (and that it belongs to the AccessKey ID sent)"
            }
            Cause::Unknown => {
                "give the client's string-to-sign, the service's error body or the secret for a closer diagnosis"
            }
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is known about a failed call; everything but the request is optional.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Evidence<'a> {
    /// What was sent.
    pub sent: HttpRequest<'a>,
    /// The client's own string-to-sign, or (V1) canonical query, or (V3) canonical
    /// request.
    pub ours: Option<&'a str>,
    /// The service's error body (XML or JSON), which carries its string-to-sign.
    pub error_body: Option<&'a [u8]>,
    /// The secret, which tells a wrong key from a wrong `&` suffix.
    pub secret: Option<&'a AccessKeySecret>,
}

impl<'a> Evidence<'a> {
    /// The request alone.
    pub fn new(sent: HttpRequest<'a>) -> Self {
        Self {
            sent,
            ours: None,
            error_body: None,
            secret: None,
        }
    }
}

/// The diagnosis: the cause, where the first difference is, and each string around it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnosis {
    /// The cause.
    pub cause: Cause,
    /// The parameter (or header) the first difference falls in.
    pub parameter: Option<String>,
    /// The first difference's byte offset in [`expected`](Self::expected_full).
    pub offset: Option<usize>,
    /// The client's string around the difference, if given.
    pub ours: Option<String>,
    /// What a correct client computes from what was sent, around the difference.
    pub expected: String,
    /// The service's string-to-sign around the difference, if an error body gave one.
    pub server: Option<String>,
    /// The whole expected string (the same form as `ours`: string-to-sign, canonical
    /// query or canonical request).
    pub expected_full: String,
}

impl Diagnosis {
    /// Whether the client's string (or the server's) agrees with the expected one.
    pub fn agrees(&self) -> bool {
        self.offset.is_none()
    }
}

/// Diagnoses a signature mismatch.
///
/// ```
/// use ecs_ramrole::{Cause, Evidence, HttpRequest, explain};
///
/// let query = "AccessKeyId=testid&RegionId=cn%20hz&Signature=x";
/// let sent = HttpRequest::new("GET", "/", query, &[], b"");
/// let mut evidence = Evidence::new(sent);
/// // The client's string-to-sign: it encoded the space as `+` (form encoding).
/// evidence.ours = Some("GET&%2F&AccessKeyId%3Dtestid%26RegionId%3Dcn%2Bhz");
/// let diagnosis = explain(&evidence);
/// assert_eq!(diagnosis.cause, Cause::PlusForSpace);
/// assert_eq!(diagnosis.parameter.as_deref(), Some("RegionId"));
/// assert_eq!(diagnosis.expected_full, "GET&%2F&AccessKeyId%3Dtestid%26RegionId%3Dcn%2520hz");
/// ```
pub fn explain(evidence: &Evidence<'_>) -> Diagnosis {
    let sent = &evidence.sent;
    let params = decoded_params(sent);
    let authorization = sent.header("authorization");
    let v3 = authorization.is_some_and(|a| a.starts_with(v3::ALGORITHM));
    let server = evidence
        .error_body
        .map(|body| {
            ResponseDecoder::new(crate::Action::AttachInstanceRamRole).decode_error(400, None, body)
        })
        .and_then(|e| e.server_string_to_sign().map(str::to_owned));
    let method = sent.method.parse::<Method>().unwrap_or(Method::Post);
    if v3
        && params
            .iter()
            .any(|(n, _)| v1::PARAMS.contains(&n.as_str()) && n != "SecurityToken")
    {
        let expected = String::new();
        return diagnosis(
            Cause::V1V3Mixed,
            None,
            None,
            evidence.ours,
            &expected,
            server.as_deref(),
        );
    }
    let expected = if v3 {
        Expected::v3(sent, &params)
    } else {
        Expected::v1(method, &params)
    };
    // The client's string in the form it was given; the expected one in the same form.
    if let Some(ours) = evidence.ours {
        let want = expected.same_form_as(ours);
        if let Some(at) = first_difference(ours, &want) {
            let (cause, parameter) = classify(ours, &want, at, v3);
            return diagnosis(
                cause,
                parameter,
                Some(at),
                Some(ours),
                &want,
                server.as_deref(),
            );
        }
    }
    let sts = expected.string_to_sign();
    // The service computed another string from what it received than a correct client
    // computes from what was sent: the bytes changed on the way.
    if let Some(server) = &server
        && let Some(at) = first_difference(server, &sts)
    {
        let parameter = if v3 { None } else { parameter_at(&sts, at) };
        return diagnosis(
            Cause::ValueAlteredInTransit,
            parameter,
            Some(at),
            evidence.ours,
            &sts,
            Some(server),
        );
    }
    let want = evidence
        .ours
        .map_or(sts.clone(), |ours| expected.same_form_as(ours));
    let cause = match (evidence.secret, evidence.ours.is_some() || server.is_some()) {
        (Some(secret), _) => key_cause(sent, &sts, v3, secret),
        (None, true) => Cause::StringsAgreeSecretOrKeyWrong,
        (None, false) => Cause::Unknown,
    };
    diagnosis(cause, None, None, evidence.ours, &want, server.as_deref())
}

/// Every decoded parameter of the query and a form body, `Signature` aside.
fn decoded_params(sent: &HttpRequest<'_>) -> Vec<(String, String)> {
    let form = sent.header("content-type").is_some_and(|t| {
        t.to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    let body = if form {
        std::str::from_utf8(sent.body).unwrap_or("")
    } else {
        ""
    };
    sent.query
        .split('&')
        .chain(body.split('&'))
        .filter(|piece| !piece.is_empty())
        .filter_map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            let name = form_decode(name).ok()?.into_owned();
            let value = form_decode(value).ok()?.into_owned();
            (name != "Signature").then_some((name, value))
        })
        .collect()
}

/// What a correct client computes from what was sent.
enum Expected {
    V1 {
        string_to_sign: String,
    },
    V3 {
        canonical_request: String,
        string_to_sign: String,
    },
}

impl Expected {
    fn v1(method: Method, params: &[(String, String)]) -> Self {
        // Any secret gives the same string-to-sign; this one never leaves the function.
        let probe = AccessKeySecret::new("-").unwrap_or_else(|_| unreachable!("not empty"));
        Self::V1 {
            string_to_sign: sign_params(method, params, &probe)
                .string_to_sign()
                .to_owned(),
        }
    }

    fn v3(sent: &HttpRequest<'_>, params: &[(String, String)]) -> Self {
        let query: Vec<(&str, &str)> = query_params(sent, params);
        let canonical_query = percent::canonicalize::<false>(query, "").once;
        let signed_names = sent
            .header("authorization")
            .and_then(|a| a.split("SignedHeaders=").nth(1))
            .map(|rest| rest.split(',').next().unwrap_or(""))
            .unwrap_or("");
        let names: Vec<&str> = signed_names.split(';').filter(|n| !n.is_empty()).collect();
        let all = CanonicalHeaders::new(sent.headers.iter().copied());
        let signed =
            CanonicalHeaders::new(names.iter().filter_map(|n| all.get(n).map(|v| (*n, v))));
        let payload = all
            .get("x-acs-content-sha256")
            .map_or_else(|| v3::payload_sha256(sent.body), str::to_owned);
        let method = sent.method.parse::<Method>().unwrap_or(Method::Post);
        let string_to_sign =
            v3::server_string_to_sign(method, sent.path, &canonical_query, &signed, &payload);
        let canonical_request =
            v3::canonical_request(method, sent.path, &canonical_query, &signed, &payload).0;
        Self::V3 {
            canonical_request,
            string_to_sign,
        }
    }

    fn string_to_sign(&self) -> String {
        match self {
            Expected::V1 { string_to_sign } | Expected::V3 { string_to_sign, .. } => {
                string_to_sign.clone()
            }
        }
    }

    /// The expected string in the form `ours` has: a string-to-sign, a V1 canonical
    /// query, or a V3 canonical request.
    fn same_form_as(&self, ours: &str) -> String {
        match self {
            Expected::V1 { string_to_sign } => {
                if ours.contains("&%2F&") {
                    string_to_sign.clone()
                } else {
                    canonical_of(string_to_sign)
                }
            }
            Expected::V3 {
                canonical_request,
                string_to_sign,
            } => {
                if ours.starts_with(v3::ALGORITHM) {
                    string_to_sign.clone()
                } else {
                    canonical_request.clone()
                }
            }
        }
    }
}

/// The parameters of the query alone (the V3 query line; a form body is hashed).
fn query_params<'p>(
    sent: &HttpRequest<'_>,
    params: &'p [(String, String)],
) -> Vec<(&'p str, &'p str)> {
    let in_query = sent.query.split('&').filter(|p| !p.is_empty()).count();
    params
        .iter()
        .take(in_query)
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// The V1 canonical query inside a string-to-sign (`METHOD&%2F&` + enc(query)).
fn canonical_of(string_to_sign: &str) -> String {
    let encoded = string_to_sign.splitn(3, '&').nth(2).unwrap_or("");
    form_decode(&encoded.replace('+', "%2B"))
        .map_or_else(|_| encoded.to_owned(), |c| c.into_owned())
}

fn first_difference(a: &str, b: &str) -> Option<usize> {
    let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y);
    match at {
        Some(at) => Some(at),
        None if a.len() != b.len() => Some(a.len().min(b.len())),
        None => None,
    }
}

/// The `name=value` pairs of a canonical query, raw (still encoded once).
fn raw_pairs(canonical: &str) -> Vec<(&str, &str)> {
    canonical
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect()
}

/// The parameter whose pair holds byte `at` of a V1 string-to-sign or canonical query.
fn parameter_at(text: &str, at: usize) -> Option<String> {
    let (sep, kv, start) = if text.contains("&%2F&") {
        (
            "%26",
            "%3D",
            text.splitn(3, '&').take(2).map(|p| p.len() + 1).sum(),
        )
    } else {
        ("&", "=", 0)
    };
    let mut offset = start;
    for pair in text.get(start..)?.split(sep) {
        let end = offset + pair.len();
        if at <= end {
            return pair
                .split(kv)
                .next()
                .map(|n| form_decode(n).map_or(n.to_owned(), |n| n.into_owned()));
        }
        offset = end + sep.len();
    }
    None
}

/// The cause of the first difference between the client's string and the expected one.
fn classify(ours: &str, want: &str, at: usize, v3: bool) -> (Cause, Option<String>) {
    if v3 {
        return classify_v3(ours, want, at);
    }
    let method_end = want.find('&').unwrap_or(0);
    if want.contains("&%2F&") && at <= method_end {
        return (Cause::MethodMismatch, None);
    }
    let (ours_q, want_q) = if want.contains("&%2F&") {
        (canonical_of(ours), canonical_of(want))
    } else {
        (ours.to_owned(), want.to_owned())
    };
    compare_queries(&ours_q, &want_q).unwrap_or((Cause::Unknown, parameter_at(want, at)))
}

fn classify_v3(ours: &str, want: &str, at: usize) -> (Cause, Option<String>) {
    if ours.starts_with(v3::ALGORITHM) {
        return (Cause::Unknown, None);
    }
    let line = want[..at].matches('\n').count();
    let (ours_lines, want_lines): (Vec<&str>, Vec<&str>) =
        (ours.split('\n').collect(), want.split('\n').collect());
    match line {
        0 => (Cause::MethodMismatch, None),
        2 => compare_queries(ours_lines.get(2).copied().unwrap_or(""), want_lines[2])
            .unwrap_or((Cause::Unknown, None)),
        _ => {
            let header = want_lines
                .get(line)
                .and_then(|l| l.split_once(':'))
                .map(|(n, _)| n.to_owned());
            let ours_names: Vec<&str> = ours_lines
                .iter()
                .filter_map(|l| l.split_once(':').map(|(n, _)| n))
                .collect();
            match &header {
                Some(name) if !ours_names.contains(&name.as_str()) => {
                    (Cause::ParameterMissing, header)
                }
                Some(_) => (Cause::ValueAlteredInTransit, header),
                None => (Cause::Unknown, None),
            }
        }
    }
}

/// The first parameter whose encoding differs, and how.
fn compare_queries(ours: &str, want: &str) -> Option<(Cause, Option<String>)> {
    let (ours, want) = (raw_pairs(ours), raw_pairs(want));
    let name = |raw: &str| form_decode(raw).map_or(raw.to_owned(), |n| n.into_owned());
    for (w_name, w_value) in &want {
        let found = ours.iter().find(|(o_name, _)| name(o_name) == name(w_name));
        let Some((_, o_value)) = found else {
            return Some((Cause::ParameterMissing, Some(name(w_name))));
        };
        if o_value != w_value {
            return Some((value_cause(o_value, w_value), Some(name(w_name))));
        }
    }
    ours.iter()
        .find(|(o_name, _)| !want.iter().any(|(w_name, _)| name(w_name) == name(o_name)))
        .map(|(o_name, _)| (Cause::ParameterAdded, Some(name(o_name))))
}

/// How an encoded value the client signed differs from the correct encoding.
fn value_cause(ours: &str, want: &str) -> Cause {
    let decoded = |s: &str| {
        form_decode(&s.replace('+', "%2B"))
            .map(|c| c.into_owned())
            .ok()
    };
    // `%` encoded again: `%2520` where `%20` belongs.
    if ours.contains("%25") && ours.replace("%25", "%") == want {
        return Cause::DoubleEncoded;
    }
    if ours.contains('+') && ours.replace('+', "%20") == want {
        return Cause::PlusForSpace;
    }
    if ours.contains("%7E") && ours.replace("%7E", "~") == want {
        return Cause::EncodedUnreserved;
    }
    let upper = |s: &str| {
        let mut out = String::with_capacity(s.len());
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            out.push(c);
            if c == '%' {
                out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_uppercase()));
            }
        }
        out
    };
    if ours != upper(ours) && upper(ours) == want {
        return Cause::LowercaseHex;
    }
    let literal_reserved = ours
        .bytes()
        .any(|b| b != b'%' && percent::percent_encode(&char::from(b).to_string()).len() > 1);
    if literal_reserved && decoded(ours).is_some_and(|d| percent::percent_encode(&d) == want) {
        return Cause::UnencodedReserved;
    }
    Cause::ValueAlteredInTransit
}

/// With the secret: which key the sent signature was made with.
fn key_cause(
    sent: &HttpRequest<'_>,
    string_to_sign: &str,
    v3: bool,
    secret: &AccessKeySecret,
) -> Cause {
    let secret = secret.bytes();
    let with_amp = [secret, b"&"].concat();
    let matches = |key: &[u8]| -> bool {
        if v3 {
            let claimed = sent
                .header("authorization")
                .and_then(|a| a.split("Signature=").nth(1))
                .and_then(|hex| base16ct::lower::decode_vec(hex.trim()).ok());
            let mac = Hmac::<sha2::Sha256>::new_from_slice(key).map(|mut m| {
                m.update(string_to_sign.as_bytes());
                m
            });
            match (claimed, mac) {
                (Some(claimed), Ok(mac)) => mac.verify_slice(&claimed).is_ok(),
                _ => false,
            }
        } else {
            let claimed = sent
                .query
                .split('&')
                .find_map(|p| p.strip_prefix("Signature="))
                .and_then(|s| form_decode(s).ok())
                .and_then(|s| BASE64.decode(s.as_bytes()).ok());
            let mac = Hmac::<sha1::Sha1>::new_from_slice(key).map(|mut m| {
                m.update(string_to_sign.as_bytes());
                m
            });
            match (claimed, mac) {
                (Some(claimed), Ok(mac)) => mac.verify_slice(&claimed).is_ok(),
                _ => false,
            }
        }
    };
    let (right, wrong) = if v3 {
        (secret, &with_amp[..])
    } else {
        (&with_amp[..], secret)
    };
    if matches(wrong) {
        Cause::KeySuffix
    } else if matches(right) {
        Cause::Unknown
    } else {
        Cause::StringsAgreeSecretOrKeyWrong
    }
}

/// Around a difference: a window of each string.
fn around(text: &str, at: Option<usize>) -> String {
    let Some(at) = at else { return text.to_owned() };
    const SPAN: usize = 24;
    let mut start = at.saturating_sub(SPAN);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + SPAN).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    format!("{prefix}{}{suffix}", &text[start..end])
}

fn diagnosis(
    cause: Cause,
    parameter: Option<String>,
    offset: Option<usize>,
    ours: Option<&str>,
    expected: &str,
    server: Option<&str>,
) -> Diagnosis {
    Diagnosis {
        cause,
        parameter,
        offset,
        ours: ours.map(|o| around(o, offset.map(|at| at.min(o.len())))),
        expected: around(expected, offset.map(|at| at.min(expected.len()))),
        server: server.map(|s| around(s, offset.map(|at| at.min(s.len())))),
        expected_full: expected.to_owned(),
    }
}
