//! The server direction: a query string or form body back into a typed request, and
//! signature verification.

use std::collections::BTreeSet;

use super::action::{API_VERSION, Action, Format, Method};
use super::error::{RequestError, RequestErrorKind};
use super::wire::Request;
use crate::signing::credentials::AccessKeySecret;
use crate::signing::percent::{DecodeFault, form_decode};
use crate::signing::v1;

/// Parameters every RPC request may carry besides the operation's own.
const COMMON: &[&str] = &["Action", "Format", "Version"];

/// One decoded parameter, with where its value starts in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Param {
    name: String,
    value: String,
    value_at: usize,
}

/// A request as a server receives it: the typed request plus every decoded parameter.
///
/// A parameter that belongs neither to the operation ([`Action::param`]) nor to the
/// common set (for example `OwnerAccount`, or `Policy` on DetachInstanceRamRole) is never
/// built into the request and never dropped: it stays in [`params`](Self::params), is
/// listed by [`unrecognized`](Self::unrecognized), and counts in the signature, which
/// covers what was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingRequest {
    request: Request,
    format: Option<Format>,
    params: Vec<Param>,
}

impl IncomingRequest {
    /// Decodes a query string (without the `?`) or an `application/x-www-form-urlencoded`
    /// body.
    ///
    /// `+` decodes to a space and `%XY` to a byte, so both percent-encoded and raw
    /// `["i-1"]` JSON text are accepted. Empty `&&` segments are skipped; a name without
    /// `=` has the empty value.
    ///
    /// ```
    /// use ecs_ramrole::IncomingRequest;
    ///
    /// let query = "Action=AttachInstanceRamRole&Version=2014-05-26&RegionId=cn-hangzhou\
    ///              &RamRoleName=R&InstanceIds=i-1";
    /// let err = IncomingRequest::parse(query).unwrap_err();
    /// assert_eq!(err.code(), "InvalidInstanceIds.Malformed");
    /// assert_eq!(err.offset(), query.find("i-1"));
    /// ```
    ///
    /// # Errors
    /// A [`RequestError`] with the server's error code ([`RequestError::code`]) and the
    /// byte offset in `query`: a malformed `%` escape, non-UTF-8 text, a repeated
    /// parameter, a missing or unknown `Action`, a missing or other `Version`, a bad
    /// `Format`, or any rule of the operation's builder.
    pub fn parse(query: &str) -> Result<Self, RequestError> {
        let params = split(query)?;
        let find = |name: &str| params.iter().find(|p| p.name == name);
        // Moves an error's position from inside a value to inside the query.
        let locate = |e: RequestError| match find(e.param()) {
            Some(p) => e.shifted(p.value_at),
            None => e,
        };

        let action =
            find("Action").ok_or_else(|| RequestError::new(RequestErrorKind::Missing, "Action"))?;
        let action = action.value.parse::<Action>().map_err(|_| {
            RequestError::new(RequestErrorKind::UnknownAction, "Action").at(action.value_at)
        })?;
        let version = find("Version")
            .ok_or_else(|| RequestError::new(RequestErrorKind::Missing, "Version"))?;
        if version.value != API_VERSION {
            return Err(
                RequestError::new(RequestErrorKind::UnsupportedVersion, "Version")
                    .at(version.value_at),
            );
        }
        let format = find("Format")
            .map(|p| p.value.parse::<Format>())
            .transpose()
            .map_err(locate)?;
        let mut values = Vec::new();
        for p in &params {
            if let Some(spec) = action.param(&p.name) {
                values.push((spec.name, spec.parse_wire(&p.value).map_err(locate)?));
            }
        }
        let request = Request::from_params(action, values).map_err(locate)?;
        Ok(Self {
            request,
            format,
            params,
        })
    }

    /// The typed request.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The typed request, by value.
    pub fn into_request(self) -> Request {
        self.request
    }

    /// The `Format` asked for, if any (`json` and `JSON` both mean JSON).
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// Every decoded (name, value) pair, in wire order, `Signature` included.
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.params
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
    }

    /// The decoded value of one parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Parameters that are neither common RPC parameters, nor signature V1's, nor the
    /// operation's own.
    pub fn unrecognized(&self) -> impl Iterator<Item = (&str, &str)> {
        let action = self.request.action();
        self.params().filter(move |(n, _)| {
            !COMMON.contains(n) && !v1::PARAMS.contains(n) && action.param(n).is_none()
        })
    }

    /// Verifies signature V1 against `secret`, as the server does: every parameter but
    /// `Signature`, re-encoded canonically, under the method the request arrived with.
    /// The comparison runs in constant time.
    ///
    /// # Errors
    /// `IncompleteSignature` ([`RequestErrorKind::Missing`] on `Signature`, or
    /// [`RequestErrorKind::UnsupportedSignature`] for a method other than HMAC-SHA1 1.0),
    /// or `SignatureDoesNotMatch` ([`RequestErrorKind::SignatureMismatch`]), whose message
    /// carries the server-side string-to-sign, as the real service's does.
    pub fn verify(&self, method: Method, secret: &AccessKeySecret) -> Result<(), RequestError> {
        v1::verify(method, self.params(), secret)
    }
}

/// Splits and decodes `name=value` pairs, rejecting duplicates.
fn split(query: &str) -> Result<Vec<Param>, RequestError> {
    let mut params = Vec::new();
    let mut seen = BTreeSet::new();
    let mut at = 0;
    for piece in query.split('&') {
        let start = at;
        at += piece.len() + 1;
        if piece.is_empty() {
            continue;
        }
        let (raw_name, raw_value, value_at) = match piece.split_once('=') {
            Some((n, v)) => (n, v, start + n.len() + 1),
            None => (piece, "", start + piece.len()),
        };
        let name = form_decode(raw_name)
            .map_err(|f| fault(f, raw_name.to_owned(), start))?
            .into_owned();
        if name.is_empty() {
            return Err(RequestError::new(RequestErrorKind::Empty, "(parameter name)").at(start));
        }
        let value = form_decode(raw_value)
            .map_err(|f| fault(f, name.clone(), value_at))?
            .into_owned();
        if !seen.insert(name.clone()) {
            return Err(RequestError::new(RequestErrorKind::Duplicate, name).at(start));
        }
        params.push(Param {
            name,
            value,
            value_at,
        });
    }
    Ok(params)
}

fn fault(fault: DecodeFault, param: String, base: usize) -> RequestError {
    match fault {
        DecodeFault::BadEscape(i) => {
            RequestError::new(RequestErrorKind::BadEscape, param).at(base + i)
        }
        DecodeFault::InvalidUtf8(i) => {
            RequestError::new(RequestErrorKind::InvalidUtf8, param).at(base + i)
        }
    }
}
