//! The server direction: a query string or form body back into a typed request, and
//! signature verification.

use std::collections::BTreeSet;

use crate::instance_ids::InstanceIds;
use crate::method::{Format, Method};
use crate::percent::{DecodeFault, form_decode};
use crate::request::{API_VERSION, Action, Request};
use crate::request_build::{RequestFields, operation_params};
use crate::request_error::{RequestError, RequestErrorKind};
use crate::secret::AccessKeySecret;
use crate::sign::{self, SIGNATURE_METHOD, SIGNATURE_VERSION};

/// Parameters every signed RPC request may carry besides the operation's own.
const COMMON: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Format",
    "SecurityToken",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureType",
    "SignatureVersion",
    "Timestamp",
    "Version",
];

/// One decoded parameter, with where its value starts in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Param {
    name: String,
    value: String,
    value_at: usize,
}

/// A request as a server receives it: the typed request plus every decoded parameter.
///
/// Parameters that belong neither to the operation nor to the common set (for example
/// `OwnerAccount`, or `Policy` on DetachInstanceRamRole) are not dropped: they stay in
/// [`params`](Self::params), are listed by [`unrecognized`](Self::unrecognized), and count
/// in the signature.
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
    /// # Errors
    /// A [`RequestError`] with the server's error code ([`RequestError::code`]) and the
    /// byte offset in `query`: a malformed `%` escape, non-UTF-8 text, a repeated
    /// parameter, a missing or unknown `Action`, a missing or other `Version`, a bad
    /// `Format`, or any rule of the operation's builder.
    pub fn parse(query: &str) -> Result<Self, RequestError> {
        let params = split(query)?;
        let find = |name: &str| params.iter().find(|p| p.name == name);
        let value = |name: &str| find(name).map(|p| p.value.clone());
        // Moves a builder error's position from inside the value to inside the query.
        let locate = |e: RequestError| match find(e.param()) {
            Some(p) => e.shifted(p.value_at),
            None => e,
        };

        let action =
            find("Action").ok_or_else(|| RequestError::new(RequestErrorKind::Missing, "Action"))?;
        let action = Action::parse(&action.value).ok_or_else(|| {
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
            .map(|p| {
                Format::parse(&p.value).ok_or_else(|| {
                    RequestError::new(RequestErrorKind::Malformed, "Format")
                        .at(p.value_at)
                        .with_detail("expected JSON or XML")
                })
            })
            .transpose()?;
        let instance_ids = find("InstanceIds")
            .map(|p| InstanceIds::from_json(&p.value))
            .transpose()
            .map_err(locate)?;
        let owner_id = |name: &'static str| {
            find(name)
                .map(|p| {
                    p.value.parse::<u64>().map_err(|_| {
                        RequestError::new(RequestErrorKind::Malformed, name)
                            .at(p.value_at)
                            .with_detail("expected a non-negative integer")
                    })
                })
                .transpose()
        };
        let (owner, resource_owner) = (owner_id("OwnerId")?, owner_id("ResourceOwnerId")?);

        let request = RequestFields {
            region_id: value("RegionId"),
            ram_role_name: value("RamRoleName"),
            instance_ids,
            // Policy belongs to AttachInstanceRamRole only; elsewhere it stays an
            // unrecognized parameter, kept in `params`.
            policy: value("Policy").filter(|_| action == Action::AttachInstanceRamRole),
            owner_id: owner,
            resource_owner_id: resource_owner,
            resource_owner_account: value("ResourceOwnerAccount"),
        }
        .build(action)
        .map_err(locate)?;
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
    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.params
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
    }

    /// The decoded value of one parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Parameters that are neither common RPC parameters nor the operation's own.
    pub fn unrecognized(&self) -> impl Iterator<Item = (&str, &str)> {
        let own = operation_params(self.request.action());
        self.params()
            .filter(move |(n, _)| !COMMON.contains(n) && !own.contains(n))
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
        let signature = self
            .param("Signature")
            .ok_or_else(|| RequestError::new(RequestErrorKind::Missing, "Signature"))?;
        for (name, want) in [
            ("SignatureMethod", SIGNATURE_METHOD),
            ("SignatureVersion", SIGNATURE_VERSION),
        ] {
            match self.param(name) {
                None => return Err(RequestError::new(RequestErrorKind::Missing, name)),
                Some(v) if v != want => {
                    return Err(RequestError::new(
                        RequestErrorKind::UnsupportedSignature,
                        name,
                    ));
                }
                Some(_) => {}
            }
        }
        let canonical = sign::canonical_query(self.params().filter(|(n, _)| *n != "Signature"));
        let string_to_sign = sign::string_to_sign(method, &canonical);
        let claimed = {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.decode(signature)
        };
        let ok = claimed.is_ok_and(|bytes| {
            use hmac::Mac as _;
            sign::mac(secret, &string_to_sign)
                .verify_slice(&bytes)
                .is_ok()
        });
        if ok {
            Ok(())
        } else {
            Err(
                RequestError::new(RequestErrorKind::SignatureMismatch, "Signature")
                    .with_detail(format!("server string to sign is:{string_to_sign}")),
            )
        }
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
