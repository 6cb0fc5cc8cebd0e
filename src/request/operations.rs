//! The typed operations, each declared once: its parameters' names, Rust types, whether
//! they are required and their rules. From that one declaration come the struct and its
//! accessors, the builder (plain setters, `set_*(Option<_>)` setters for loose input,
//! and [`set_param`](AttachInstanceRamRoleBuilder::set_param) by API name), the checks
//! `build` runs, the wire parameters, and the [`ParamSpec`] table that the query decoder
//! and the adapter consult.

use super::error::{RequestError, RequestErrorKind};
use super::instance_ids::InstanceIds;
use super::schema::{self, ParamSpec, ParamType, ParamValue, Rule};
use super::wire::ParamList;

/// Declares one operation. Each field line is
/// `"ApiName" accessor / set_accessor: Type required|optional [= rule];`
/// where `Type` is `String`, `u64` or `InstanceIds`, and the rule defaults to the type's
/// (non-empty text, a Long, a valid ID list). A rule across fields is a function of the
/// built value, named after `check`.
macro_rules! operation {
    (
        $(#[$doc:meta])*
        $op:ident, $builder:ident, $action:ident $(, check $check:path)?;
        $(
            $(#[$fdoc:meta])*
            $name:literal $field:ident / $set:ident: $ty:ident $presence:ident $(= $rule:expr)?;
        )*
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $op {
            $( $field: operation!(@store $ty $presence), )*
        }

        impl $op {
            /// The operation.
            pub const ACTION: super::action::Action = super::action::Action::$action;

            /// The operation's parameters, in declaration order.
            pub const PARAMS: &'static [ParamSpec] = &[
                $( operation!(@spec $name $ty $presence $($rule)?), )*
            ];

            /// Starts a request.
            pub fn builder() -> $builder {
                $builder::default()
            }

            $(
                $(#[$fdoc])*
                pub fn $field(&self) -> operation!(@get_ty $ty $presence) {
                    operation!(@get self.$field, $ty $presence)
                }
            )*

            pub(crate) fn push_params<'a>(&'a self, out: &mut ParamList<'a>) {
                $( operation!(@push out, $name, self.$field, $presence); )*
            }
        }

        #[doc = concat!("Collects ", stringify!($action), " parameters; [`build`](Self::build) checks them.")]
        #[derive(Debug, Clone, Default)]
        pub struct $builder {
            $( $field: Option<$ty>, )*
        }

        impl $builder {
            $(
                $(#[$fdoc])*
                pub fn $field(mut self, value: operation!(@set_ty $ty)) -> Self {
                    self.$field = Some(value.into());
                    self
                }

                #[doc = concat!("Sets or clears `", $name, "`, for loose input.")]
                pub fn $set(mut self, value: Option<$ty>) -> Self {
                    self.$field = value;
                    self
                }
            )*

            /// Sets a parameter by its API name.
            ///
            /// # Errors
            /// [`RequestErrorKind::Unknown`] for a name the operation does not have;
            /// [`RequestErrorKind::TypeMismatch`] for a value of the wrong type.
            pub fn set_param(mut self, name: &str, value: ParamValue) -> Result<Self, RequestError> {
                match name {
                    $( $name => {
                        let spec = operation!(@spec $name $ty $presence $($rule)?);
                        self.$field = Some(<$ty>::from_value(&spec, value)?);
                    } )*
                    other => {
                        return Err(RequestError::new(RequestErrorKind::Unknown, other.to_owned())
                            .with_detail(concat!(stringify!($action), " has no such parameter")));
                    }
                }
                Ok(self)
            }

            /// Checks every parameter and builds the request.
            ///
            /// # Errors
            /// A [`RequestError`] naming the first parameter, in declaration order, that
            /// is missing or breaks its rule.
            pub fn build(self) -> Result<$op, RequestError> {
                let built = $op {
                    $( $field: schema::$presence(
                        &operation!(@spec $name $ty $presence $($rule)?),
                        self.$field,
                    )?, )*
                };
                $( $check(&built)?; )?
                Ok(built)
            }
        }
    };

    (@spec $name:literal $ty:ident $presence:ident $($rule:expr)?) => {
        ParamSpec::new($name, operation!(@required $presence), operation!(@rule $ty $($rule)?))
    };
    (@store $ty:ident required) => { $ty };
    (@store $ty:ident optional) => { Option<$ty> };
    (@required required) => { true };
    (@required optional) => { false };
    (@rule $ty:ident) => { <$ty as ParamType>::DEFAULT_RULE };
    (@rule $ty:ident $rule:expr) => { $rule };
    (@set_ty String) => { impl Into<String> };
    (@set_ty $ty:ident) => { $ty };
    (@get_ty String required) => { &str };
    (@get_ty String optional) => { Option<&str> };
    (@get_ty u64 optional) => { Option<u64> };
    (@get_ty InstanceIds required) => { &InstanceIds };
    (@get_ty InstanceIds optional) => { Option<&InstanceIds> };
    (@get $v:expr, String required) => { &$v };
    (@get $v:expr, String optional) => { $v.as_deref() };
    (@get $v:expr, u64 optional) => { $v };
    (@get $v:expr, InstanceIds required) => { &$v };
    (@get $v:expr, InstanceIds optional) => { $v.as_ref() };
    (@push $out:ident, $name:literal, $v:expr, required) => {
        $out.push(($name, ParamType::wire(&$v)))
    };
    (@push $out:ident, $name:literal, $v:expr, optional) => {
        if let Some(v) = &$v {
            $out.push(($name, ParamType::wire(v)));
        }
    };
}

/// The longest `Policy` the API accepts, in characters.
pub const POLICY_MAX_CHARS: usize = 1024;

operation! {
    /// AttachInstanceRamRole: attach a RAM role to 1 to 100 ECS instances.
    ///
    /// Built with [`AttachInstanceRamRole::builder`], which checks every parameter;
    /// encoding a built value cannot fail.
    AttachInstanceRamRole, AttachInstanceRamRoleBuilder, AttachInstanceRamRole;
    /// `RegionId` (required): the region of the instances.
    "RegionId" region_id / set_region_id: String required;
    /// `RamRoleName` (required): the role to attach.
    "RamRoleName" ram_role_name / set_ram_role_name: String required;
    /// `InstanceIds` (required): 1 to 100 instances.
    "InstanceIds" instance_ids / set_instance_ids: InstanceIds required;
    /// `Policy`: an extra policy document, 1 to 1024 characters.
    "Policy" policy / set_policy: String optional = Rule::Text { max_chars: Some(POLICY_MAX_CHARS) };
    /// `OwnerId`: 0 to 2^63 - 1.
    "OwnerId" owner_id / set_owner_id: u64 optional;
    /// `ResourceOwnerId`: 0 to 2^63 - 1.
    "ResourceOwnerId" resource_owner_id / set_resource_owner_id: u64 optional;
    /// `ResourceOwnerAccount`.
    "ResourceOwnerAccount" resource_owner_account / set_resource_owner_account: String optional;
}

operation! {
    /// DetachInstanceRamRole: detach the RAM role from 1 to 100 ECS instances.
    ///
    /// `RamRoleName` is optional here, and there is no `Policy`. Built with
    /// [`DetachInstanceRamRole::builder`], which checks every parameter.
    DetachInstanceRamRole, DetachInstanceRamRoleBuilder, DetachInstanceRamRole;
    /// `RegionId` (required): the region of the instances.
    "RegionId" region_id / set_region_id: String required;
    /// `InstanceIds` (required): 1 to 100 instances.
    "InstanceIds" instance_ids / set_instance_ids: InstanceIds required;
    /// `RamRoleName`: when given, only that role is detached.
    "RamRoleName" ram_role_name / set_ram_role_name: String optional;
    /// `OwnerId`: 0 to 2^63 - 1.
    "OwnerId" owner_id / set_owner_id: u64 optional;
    /// `ResourceOwnerId`: 0 to 2^63 - 1.
    "ResourceOwnerId" resource_owner_id / set_resource_owner_id: u64 optional;
    /// `ResourceOwnerAccount`.
    "ResourceOwnerAccount" resource_owner_account / set_resource_owner_account: String optional;
}

/// The largest page DescribeInstanceRamRole returns.
pub const PAGE_SIZE_MAX: u64 = 50;

operation! {
    /// DescribeInstanceRamRole: the RAM roles of instances, by instance or by role, a page
    /// at a time. Attach, describe, detach is the whole lifecycle.
    ///
    /// At least one of `InstanceIds` and `RamRoleName` is given (the service answers
    /// `InvalidParameter.AllEmpty` otherwise).
    DescribeInstanceRamRole, DescribeInstanceRamRoleBuilder, DescribeInstanceRamRole, check describe_filters;
    /// `RegionId` (required): the region of the instances.
    "RegionId" region_id / set_region_id: String required;
    /// `InstanceIds`: the instances to describe, 1 to 100.
    "InstanceIds" instance_ids / set_instance_ids: InstanceIds optional;
    /// `RamRoleName`: the instances that have this role.
    "RamRoleName" ram_role_name / set_ram_role_name: String optional;
    /// `PageNumber`: 1 or more (the service's default is 1).
    "PageNumber" page_number / set_page_number: u64 optional = Rule::Integer { min: 1, max: i32::MAX as u64 };
    /// `PageSize`: 1 to 50 (the service's default is 10).
    "PageSize" page_size / set_page_size: u64 optional = Rule::Integer { min: 1, max: PAGE_SIZE_MAX };
    /// `OwnerId`: 0 to 2^63 - 1.
    "OwnerId" owner_id / set_owner_id: u64 optional;
    /// `ResourceOwnerId`: 0 to 2^63 - 1.
    "ResourceOwnerId" resource_owner_id / set_resource_owner_id: u64 optional;
    /// `ResourceOwnerAccount`.
    "ResourceOwnerAccount" resource_owner_account / set_resource_owner_account: String optional;
}

/// Describe needs something to describe by.
fn describe_filters(request: &DescribeInstanceRamRole) -> Result<(), RequestError> {
    if request.instance_ids.is_none() && request.ram_role_name.is_none() {
        return Err(RequestError::new(RequestErrorKind::AllEmpty, "InstanceIds")
            .with_detail("give InstanceIds, RamRoleName or both"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::action::Action;

    #[test]
    fn every_rule_fits_its_type() {
        // A rule given in a declaration must be of the field type's kind.
        for action in Action::ALL {
            for spec in action.params() {
                let value = match spec.rule {
                    Rule::Text { .. } => ParamValue::Text("x".into()),
                    Rule::Integer { min, .. } => ParamValue::Integer(min),
                    Rule::InstanceIds => {
                        ParamValue::InstanceIds(InstanceIds::new(["i-1"]).unwrap())
                    }
                };
                let set = crate::Request::from_params(*action, [(spec.name, value)]);
                if let Err(e) = set {
                    assert_ne!(
                        e.kind(),
                        RequestErrorKind::TypeMismatch,
                        "{action} {}",
                        spec.name
                    );
                }
            }
        }
    }
}
