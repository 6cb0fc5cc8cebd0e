//! Rules shared by both operations' parameters, and the parameter list they write into.

use std::borrow::Cow;

use crate::request_error::{RequestError, RequestErrorKind};

/// (name, unencoded value) pairs, in any order; the canonical query sorts them.
pub(crate) type ParamList<'a> = Vec<(&'a str, Cow<'a, str>)>;

/// The longest `Policy` the API accepts, in characters.
pub const POLICY_MAX_CHARS: usize = 1024;

/// A required string parameter: present and non-empty.
pub(crate) fn required(param: &'static str, value: Option<String>) -> Result<String, RequestError> {
    let value = value.ok_or_else(|| RequestError::new(RequestErrorKind::Missing, param))?;
    non_empty(param, value)
}

/// An optional string parameter: when present, non-empty (an empty value would be sent
/// as `Name=` and means nothing).
pub(crate) fn optional(
    param: &'static str,
    value: Option<String>,
) -> Result<Option<String>, RequestError> {
    value.map(|v| non_empty(param, v)).transpose()
}

fn non_empty(param: &'static str, value: String) -> Result<String, RequestError> {
    if value.is_empty() {
        return Err(RequestError::new(RequestErrorKind::Empty, param));
    }
    Ok(value)
}

/// `Policy`: 1 to 1024 characters (Unicode scalar values).
pub(crate) fn policy(value: Option<String>) -> Result<Option<String>, RequestError> {
    let Some(value) = optional("Policy", value)? else {
        return Ok(None);
    };
    let found = value.chars().count();
    if found > POLICY_MAX_CHARS {
        return Err(RequestError::new(
            RequestErrorKind::TooLong {
                max: POLICY_MAX_CHARS,
                found,
            },
            "Policy",
        ));
    }
    Ok(Some(value))
}

/// The account parameters both operations take: `OwnerId`, `ResourceOwnerId` (Long in the
/// API: 0 to 2^63 - 1 here) and `ResourceOwnerAccount`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct OwnerParams {
    pub(crate) owner_id: Option<u64>,
    pub(crate) resource_owner_id: Option<u64>,
    pub(crate) resource_owner_account: Option<String>,
}

impl OwnerParams {
    /// `OwnerId`, if set.
    pub fn owner_id(&self) -> Option<u64> {
        self.owner_id
    }

    /// `ResourceOwnerId`, if set.
    pub fn resource_owner_id(&self) -> Option<u64> {
        self.resource_owner_id
    }

    /// `ResourceOwnerAccount`, if set.
    pub fn resource_owner_account(&self) -> Option<&str> {
        self.resource_owner_account.as_deref()
    }

    pub(crate) fn validated(self) -> Result<Self, RequestError> {
        for (name, id) in [
            ("OwnerId", self.owner_id),
            ("ResourceOwnerId", self.resource_owner_id),
        ] {
            if id.is_some_and(|id| i64::try_from(id).is_err()) {
                return Err(RequestError::new(RequestErrorKind::OutOfRange, name));
            }
        }
        Ok(Self {
            resource_owner_account: optional("ResourceOwnerAccount", self.resource_owner_account)?,
            ..self
        })
    }

    pub(crate) fn push<'a>(&'a self, out: &mut ParamList<'a>) {
        if let Some(id) = self.owner_id {
            out.push(("OwnerId", Cow::Owned(id.to_string())));
        }
        if let Some(id) = self.resource_owner_id {
            out.push(("ResourceOwnerId", Cow::Owned(id.to_string())));
        }
        if let Some(account) = &self.resource_owner_account {
            out.push(("ResourceOwnerAccount", Cow::Borrowed(account)));
        }
    }
}
