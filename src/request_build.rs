//! Building either operation's request from loose, already-typed fields: what the query
//! decoder and the adapter both do, so the rules live in one place (the builders).

use crate::attach::AttachInstanceRamRole;
use crate::detach::DetachInstanceRamRole;
use crate::instance_ids::InstanceIds;
use crate::request::{Action, Request};
use crate::request_error::{RequestError, RequestErrorKind};

/// The parameters each operation takes besides the common RPC ones.
pub(crate) fn operation_params(action: Action) -> &'static [&'static str] {
    match action {
        Action::AttachInstanceRamRole => &[
            "InstanceIds",
            "OwnerId",
            "Policy",
            "RamRoleName",
            "RegionId",
            "ResourceOwnerAccount",
            "ResourceOwnerId",
        ],
        Action::DetachInstanceRamRole => &[
            "InstanceIds",
            "OwnerId",
            "RamRoleName",
            "RegionId",
            "ResourceOwnerAccount",
            "ResourceOwnerId",
        ],
    }
}

/// The operation parameters of either request, each as given (not yet validated).
#[derive(Debug, Default)]
pub(crate) struct RequestFields {
    pub(crate) region_id: Option<String>,
    pub(crate) ram_role_name: Option<String>,
    pub(crate) instance_ids: Option<InstanceIds>,
    pub(crate) policy: Option<String>,
    pub(crate) owner_id: Option<u64>,
    pub(crate) resource_owner_id: Option<u64>,
    pub(crate) resource_owner_account: Option<String>,
}

impl RequestFields {
    /// Validates the fields through the operation's builder.
    ///
    /// `Policy` on DetachInstanceRamRole is an error rather than dropped: that operation
    /// has no such parameter.
    pub(crate) fn build(self, action: Action) -> Result<Request, RequestError> {
        macro_rules! set {
            ($builder:ident, $($field:ident),*) => {
                $( if let Some(v) = self.$field { $builder = $builder.$field(v); } )*
            };
        }
        Ok(match action {
            Action::AttachInstanceRamRole => {
                let mut b = AttachInstanceRamRole::builder();
                set!(
                    b,
                    region_id,
                    ram_role_name,
                    instance_ids,
                    policy,
                    owner_id,
                    resource_owner_id,
                    resource_owner_account
                );
                b.build()?.into()
            }
            Action::DetachInstanceRamRole => {
                if self.policy.is_some() {
                    return Err(RequestError::new(RequestErrorKind::Unknown, "Policy")
                        .with_detail("DetachInstanceRamRole has no Policy parameter"));
                }
                let mut b = DetachInstanceRamRole::builder();
                set!(
                    b,
                    region_id,
                    ram_role_name,
                    instance_ids,
                    owner_id,
                    resource_owner_id,
                    resource_owner_account
                );
                b.build()?.into()
            }
        })
    }
}
