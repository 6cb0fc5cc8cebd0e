//! The AttachInstanceRamRole request.

use std::borrow::Cow;

use crate::instance_ids::InstanceIds;
use crate::params::{self, OwnerParams, ParamList};
use crate::request_error::{RequestError, RequestErrorKind};

/// AttachInstanceRamRole: attach a RAM role to 1 to 100 ECS instances.
///
/// Built with [`AttachInstanceRamRole::builder`], which validates every parameter;
/// encoding a built value cannot fail.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttachInstanceRamRole {
    region_id: String,
    ram_role_name: String,
    instance_ids: InstanceIds,
    policy: Option<String>,
    owner: OwnerParams,
}

impl AttachInstanceRamRole {
    /// The operation name, sent as `Action`.
    pub const ACTION: &'static str = "AttachInstanceRamRole";

    /// Starts a request; `RegionId`, `RamRoleName` and `InstanceIds` are required.
    pub fn builder() -> AttachInstanceRamRoleBuilder {
        AttachInstanceRamRoleBuilder::default()
    }

    /// `RegionId`.
    pub fn region_id(&self) -> &str {
        &self.region_id
    }

    /// `RamRoleName`.
    pub fn ram_role_name(&self) -> &str {
        &self.ram_role_name
    }

    /// `InstanceIds`.
    pub fn instance_ids(&self) -> &InstanceIds {
        &self.instance_ids
    }

    /// `Policy`, the optional extra policy document.
    pub fn policy(&self) -> Option<&str> {
        self.policy.as_deref()
    }

    /// `OwnerId`, `ResourceOwnerId` and `ResourceOwnerAccount`.
    pub fn owner(&self) -> &OwnerParams {
        &self.owner
    }

    pub(crate) fn push_params<'a>(&'a self, out: &mut ParamList<'a>) {
        out.push(("RegionId", Cow::Borrowed(&self.region_id)));
        out.push(("RamRoleName", Cow::Borrowed(&self.ram_role_name)));
        out.push(("InstanceIds", Cow::Borrowed(self.instance_ids.as_json())));
        if let Some(policy) = &self.policy {
            out.push(("Policy", Cow::Borrowed(policy)));
        }
        self.owner.push(out);
    }
}

/// Collects AttachInstanceRamRole parameters; [`build`](Self::build) validates them.
#[derive(Debug, Clone, Default)]
pub struct AttachInstanceRamRoleBuilder {
    region_id: Option<String>,
    ram_role_name: Option<String>,
    instance_ids: Option<InstanceIds>,
    policy: Option<String>,
    owner: OwnerParams,
}

impl AttachInstanceRamRoleBuilder {
    /// Sets `RegionId` (required, non-empty).
    pub fn region_id(mut self, value: impl Into<String>) -> Self {
        self.region_id = Some(value.into());
        self
    }

    /// Sets `RamRoleName` (required, non-empty).
    pub fn ram_role_name(mut self, value: impl Into<String>) -> Self {
        self.ram_role_name = Some(value.into());
        self
    }

    /// Sets `InstanceIds` (required).
    pub fn instance_ids(mut self, value: InstanceIds) -> Self {
        self.instance_ids = Some(value);
        self
    }

    /// Sets `Policy` (optional, 1 to 1024 characters).
    pub fn policy(mut self, value: impl Into<String>) -> Self {
        self.policy = Some(value.into());
        self
    }

    /// Sets `OwnerId`.
    pub fn owner_id(mut self, value: u64) -> Self {
        self.owner.owner_id = Some(value);
        self
    }

    /// Sets `ResourceOwnerId`.
    pub fn resource_owner_id(mut self, value: u64) -> Self {
        self.owner.resource_owner_id = Some(value);
        self
    }

    /// Sets `ResourceOwnerAccount` (non-empty).
    pub fn resource_owner_account(mut self, value: impl Into<String>) -> Self {
        self.owner.resource_owner_account = Some(value.into());
        self
    }

    /// Validates and builds the request.
    ///
    /// # Errors
    /// A [`RequestError`] naming the first parameter that breaks a rule, in the order
    /// RegionId, RamRoleName, InstanceIds, Policy, ResourceOwnerAccount.
    pub fn build(self) -> Result<AttachInstanceRamRole, RequestError> {
        Ok(AttachInstanceRamRole {
            region_id: params::required("RegionId", self.region_id)?,
            ram_role_name: params::required("RamRoleName", self.ram_role_name)?,
            instance_ids: self
                .instance_ids
                .ok_or_else(|| RequestError::new(RequestErrorKind::Missing, "InstanceIds"))?,
            policy: params::policy(self.policy)?,
            owner: self.owner.validated()?,
        })
    }
}
