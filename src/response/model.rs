//! The typed success responses of the three operations.

use std::borrow::Cow;

use crate::request::Action;

/// A decoded success body of any of the operations: AttachInstanceRamRole and
/// DetachInstanceRamRole carry per-instance results; DescribeInstanceRamRole carries the
/// (instance, role) pairs of a page.
///
/// Every field is optional because the service and its documents disagree on which
/// fields appear (`Success`, for one, is absent from most documented examples); a field
/// the body did not carry stays `None`. Strings borrow from the body where it needed no
/// unescaping; [`Response::into_owned`] detaches them.
///
/// `results` is `Some` whenever the body had the `…Results` wrapper, even an empty one,
/// and `None` when the wrapper was absent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Response<'a> {
    /// Which operation this answers; it names the root element and the list wrappers.
    pub action: Action,
    /// `RequestId`.
    pub request_id: Option<Cow<'a, str>>,
    /// `RamRoleName`.
    pub ram_role_name: Option<Cow<'a, str>>,
    /// `TotalCount`: how many instances the call covered.
    pub total_count: Option<u32>,
    /// `FailCount`: how many of them failed, as the service counts them.
    pub fail_count: Option<u32>,
    /// `{Action}Results.{Action}Result`: one entry per instance (Attach and Detach).
    pub results: Option<Vec<InstanceResult<'a>>>,
    /// `RegionId` (DescribeInstanceRamRole).
    pub region_id: Option<Cow<'a, str>>,
    /// `PageNumber` (DescribeInstanceRamRole's documented samples carry it).
    pub page_number: Option<u32>,
    /// `PageSize` (likewise).
    pub page_size: Option<u32>,
    /// `InstanceRamRoleSets.InstanceRamRoleSet`: the page's (instance, role) pairs
    /// (DescribeInstanceRamRole; `TotalCount` counts them over every page).
    pub instance_ram_role_sets: Option<Vec<InstanceRamRoleSet<'a>>>,
}

/// The outcome for one instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct InstanceResult<'a> {
    /// `InstanceId`.
    pub instance_id: Option<Cow<'a, str>>,
    /// `Code`: `"200"` on success, otherwise an error code. Always text, even when a JSON
    /// body sent it as a number.
    pub code: Option<Cow<'a, str>>,
    /// `Message`.
    pub message: Option<Cow<'a, str>>,
    /// `Success`, when the body carried it.
    pub success: Option<bool>,
    /// `InstanceRamRoleSets.InstanceRamRoleSet` (DetachInstanceRamRole only; `None` for
    /// AttachInstanceRamRole, whose results have no such list).
    pub instance_ram_role_sets: Option<Vec<InstanceRamRoleSet<'a>>>,
}

/// An (instance, RAM role) pair in a DetachInstanceRamRole result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct InstanceRamRoleSet<'a> {
    /// `InstanceId`.
    pub instance_id: Option<Cow<'a, str>>,
    /// `RamRoleName`.
    pub ram_role_name: Option<Cow<'a, str>>,
}

impl<'a> Response<'a> {
    /// An empty response for `action`: every field absent.
    pub fn new(action: Action) -> Self {
        Self {
            action,
            request_id: None,
            ram_role_name: None,
            total_count: None,
            fail_count: None,
            results: None,
            region_id: None,
            page_number: None,
            page_size: None,
            instance_ram_role_sets: None,
        }
    }

    /// The per-instance results, empty when the wrapper was absent.
    pub fn results(&self) -> &[InstanceResult<'a>] {
        self.results.as_deref().unwrap_or_default()
    }

    /// The results of the instances that did not succeed (see [`InstanceResult::succeeded`]).
    pub fn failed(&self) -> impl Iterator<Item = &InstanceResult<'a>> {
        self.results().iter().filter(|r| !r.succeeded())
    }

    /// Whether `FailCount` equals the number of failed results; `None` when the body had
    /// no `FailCount` or no results wrapper. The service's count is exposed, not trusted.
    pub fn fail_count_agrees(&self) -> Option<bool> {
        let fail_count = usize::try_from(self.fail_count?).ok()?;
        self.results.as_ref()?;
        Some(fail_count == self.failed().count())
    }

    /// Detaches every string from the body.
    pub fn into_owned(self) -> Response<'static> {
        Response {
            action: self.action,
            request_id: self.request_id.map(owned),
            ram_role_name: self.ram_role_name.map(owned),
            total_count: self.total_count,
            fail_count: self.fail_count,
            results: self
                .results
                .map(|rs| rs.into_iter().map(InstanceResult::into_owned).collect()),
            region_id: self.region_id.map(owned),
            page_number: self.page_number,
            page_size: self.page_size,
            instance_ram_role_sets: self.instance_ram_role_sets.map(|sets| {
                sets.into_iter()
                    .map(InstanceRamRoleSet::into_owned)
                    .collect()
            }),
        }
    }
}

impl<'a> InstanceResult<'a> {
    /// A result for one instance: its ID, `Code` and `Message` (`Success` and the role
    /// sets absent; set the fields to add them).
    pub fn new(
        instance_id: impl Into<Cow<'a, str>>,
        code: impl Into<Cow<'a, str>>,
        message: impl Into<Cow<'a, str>>,
    ) -> Self {
        Self {
            instance_id: Some(instance_id.into()),
            code: Some(code.into()),
            message: Some(message.into()),
            ..Self::default()
        }
    }

    /// `Success` when the body carried it; otherwise whether `Code` is `"200"`.
    pub fn succeeded(&self) -> bool {
        match self.success {
            Some(success) => success,
            None => self.code.as_deref() == Some("200"),
        }
    }

    /// Detaches every string from the body.
    pub fn into_owned(self) -> InstanceResult<'static> {
        InstanceResult {
            instance_id: self.instance_id.map(owned),
            code: self.code.map(owned),
            message: self.message.map(owned),
            success: self.success,
            instance_ram_role_sets: self.instance_ram_role_sets.map(|sets| {
                sets.into_iter()
                    .map(InstanceRamRoleSet::into_owned)
                    .collect()
            }),
        }
    }
}

impl<'a> InstanceRamRoleSet<'a> {
    /// An (instance, role) pair.
    pub fn new(
        instance_id: impl Into<Cow<'a, str>>,
        ram_role_name: impl Into<Cow<'a, str>>,
    ) -> Self {
        Self {
            instance_id: Some(instance_id.into()),
            ram_role_name: Some(ram_role_name.into()),
        }
    }

    /// Detaches every string from the body.
    pub fn into_owned(self) -> InstanceRamRoleSet<'static> {
        InstanceRamRoleSet {
            instance_id: self.instance_id.map(owned),
            ram_role_name: self.ram_role_name.map(owned),
        }
    }
}

fn owned(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

/// Element and key names that depend on the operation.
pub(crate) struct Names {
    pub(crate) root: &'static str,
    /// The per-instance results' wrapper and item (Attach and Detach).
    pub(crate) results: Option<(&'static str, &'static str)>,
}

impl Names {
    /// Whether `key` is the results wrapper.
    pub(crate) fn is_results(&self, key: &str) -> bool {
        self.results.is_some_and(|(wrapper, _)| wrapper == key)
    }

    /// The results' item name.
    pub(crate) fn result(&self) -> &'static str {
        self.results.map_or("", |(_, item)| item)
    }
}

impl Action {
    pub(crate) fn names(self) -> Names {
        match self {
            Action::AttachInstanceRamRole => Names {
                root: "AttachInstanceRamRoleResponse",
                results: Some((
                    "AttachInstanceRamRoleResults",
                    "AttachInstanceRamRoleResult",
                )),
            },
            Action::DetachInstanceRamRole => Names {
                root: "DetachInstanceRamRoleResponse",
                results: Some((
                    "DetachInstanceRamRoleResults",
                    "DetachInstanceRamRoleResult",
                )),
            },
            Action::DescribeInstanceRamRole => Names {
                root: "DescribeInstanceRamRoleResponse",
                results: None,
            },
        }
    }
}
