//! The DetachInstanceRamRole request.

use std::borrow::Cow;

use crate::instance_ids::InstanceIds;
use crate::params::{self, OwnerParams, ParamList};
use crate::request_error::{RequestError, RequestErrorKind};

/// DetachInstanceRamRole: detach the RAM role from 1 to 100 ECS instances.
///
/// `RamRoleName` is optional here; there is no `Policy`. Built with
/// [`DetachInstanceRamRole::builder`], which validates every parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DetachInstanceRamRole {
    region_id: String,
    instance_ids: InstanceIds,
    ram_role_name: Option<String>,
    owner: OwnerParams,
}

impl DetachInstanceRamRole {
    /// The operation name, sent as `Action`.
    pub const ACTION: &'static str = "DetachInstanceRamRole";

    /// Starts a request; `RegionId` and `InstanceIds` are required.
    pub fn builder() -> DetachInstanceRamRoleBuilder {
        DetachInstanceRamRoleBuilder::default()
    }

    /// `RegionId`.
    pub fn region_id(&self) -> &str {
        &self.region_id
    }

    /// `InstanceIds`.
    pub fn instance_ids(&self) -> &InstanceIds {
        &self.instance_ids
    }

    /// `RamRoleName`, if given.
    pub fn ram_role_name(&self) -> Option<&str> {
        self.ram_role_name.as_deref()
    }

    /// `OwnerId`, `ResourceOwnerId` and `ResourceOwnerAccount`.
    pub fn owner(&self) -> &OwnerParams {
        &self.owner
    }

    pub(crate) fn push_params<'a>(&'a self, out: &mut ParamList<'a>) {
        out.push(("RegionId", Cow::Borrowed(&self.region_id)));
        out.push(("InstanceIds", Cow::Borrowed(self.instance_ids.as_json())));
        if let Some(name) = &self.ram_role_name {
            out.push(("RamRoleName", Cow::Borrowed(name)));
        }
        self.owner.push(out);
    }
}

/// Collects DetachInstanceRamRole parameters; [`build`](Self::build) validates them.
#[derive(Debug, Clone, Default)]
pub struct DetachInstanceRamRoleBuilder {
    region_id: Option<String>,
    instance_ids: Option<InstanceIds>,
    ram_role_name: Option<String>,
    owner: OwnerParams,
}

impl DetachInstanceRamRoleBuilder {
    /// Sets `RegionId` (required, non-empty).
    pub fn region_id(mut self, value: impl Into<String>) -> Self {
        self.region_id = Some(value.into());
        self
    }

    /// Sets `InstanceIds` (required).
    pub fn instance_ids(mut self, value: InstanceIds) -> Self {
        self.instance_ids = Some(value);
        self
    }

    /// Sets `RamRoleName` (optional, non-empty).
    pub fn ram_role_name(mut self, value: impl Into<String>) -> Self {
        self.ram_role_name = Some(value.into());
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
    /// RegionId, InstanceIds, RamRoleName, ResourceOwnerAccount.
    pub fn build(self) -> Result<DetachInstanceRamRole, RequestError> {
        Ok(DetachInstanceRamRole {
            region_id: params::required("RegionId", self.region_id)?,
            instance_ids: self
                .instance_ids
                .ok_or_else(|| RequestError::new(RequestErrorKind::Missing, "InstanceIds"))?,
            ram_role_name: params::optional("RamRoleName", self.ram_role_name)?,
            owner: self.owner.validated()?,
        })
    }
}
