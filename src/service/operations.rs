//! The three operations applied to the state: the service's semantics, each a decision
//! written down here once.
//!
//! - An instance has at most one role. Attaching a role to an instance that has another is
//!   a per-instance failure, [`ROLE_ATTACHED`]; attaching the role it already has
//!   succeeds and changes nothing, so a retried call is harmless.
//! - An unknown instance, or one in another region, is a per-instance failure
//!   (`InvalidInstanceId.NotFound`); so is a classic-network instance
//!   (`InvalidNetworkType.MismatchRamRole`), on Attach and Detach alike.
//! - Detaching from an instance without a role is [`ROLE_NOT_ATTACHED`]; naming a role
//!   other than the attached one is [`ROLE_NOT_MATCH`]. Both per instance.
//! - A per-instance failure carries its code as `Code` and its message as `Message`,
//!   counts in `FailCount`, and the call still answers 200 (protocol.md §4.1 infers this
//!   from the models; no capture confirms it).
//! - Whole-call errors: an unknown role (404 `InvalidRamRole.NotFound`, on Attach and on a
//!   Detach that names one), a role ECS may not assume (404 `InvalidRamRole.NotEcsRole`), a
//!   key that may not pass roles, on Attach only (403 `InvalidUser.PassRoleForbidden`), a
//!   region outside `regions` when the state lists some (404 `InvalidRegionId.NotFound`).
//! - Describe lists the instances of the region that have a role, narrowed by
//!   `InstanceIds` and `RamRoleName` (an unknown name finds nothing), in state order, a page
//!   at a time (`PageNumber` from 1, `PageSize` 10 by default); `TotalCount` counts every
//!   match.

use std::borrow::Cow;

use super::state::{NetworkType, State};
use crate::request::operations::{
    AttachInstanceRamRole, DescribeInstanceRamRole, DetachInstanceRamRole,
};
use crate::request::wire::Request;
use crate::response::model::{InstanceRamRoleSet, InstanceResult, Response};
use crate::response::service_error::{ErrorCode, ServiceError};

/// Attach to an instance that has another role: this service's code (the documents
/// say only that "an error is returned").
pub const ROLE_ATTACHED: &str = "InvalidInstance.RamRoleAttached";
/// Detach from an instance that has no role.
pub const ROLE_NOT_ATTACHED: &str = "InvalidInstance.RamRoleNotAttached";
/// Detach naming a role other than the instance's.
pub const ROLE_NOT_MATCH: &str = "InvalidRamRole.NotMatch";

const ROLE_ATTACHED_MESSAGE: &str = "The instance already has another instance RAM role.";
const ROLE_NOT_ATTACHED_MESSAGE: &str = "The instance has no instance RAM role.";
const ROLE_NOT_MATCH_MESSAGE: &str =
    "The specified RamRoleName is not the instance RAM role of the instance.";

/// The service's default page size for DescribeInstanceRamRole.
const PAGE_SIZE_DEFAULT: u64 = 10;

/// One instance's role changing, as applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The instance.
    pub instance_id: String,
    /// Its role before.
    pub from: Option<String>,
    /// Its role after.
    pub to: Option<String>,
}

/// What an operation did: the answer, and every change it made.
pub(crate) struct Applied {
    pub(crate) response: Response<'static>,
    pub(crate) changes: Vec<Change>,
}

/// Applies a request; `can_pass_role` is the signing key's (an unverified request's is
/// `true`).
pub(crate) fn apply(
    state: &mut State,
    request: &Request,
    can_pass_role: bool,
) -> Result<Applied, Box<ServiceError>> {
    match request {
        Request::Attach(r) => attach(state, r, can_pass_role),
        Request::Detach(r) => detach(state, r),
        Request::Describe(r) => describe(state, r).map(|response| Applied {
            response,
            changes: Vec::new(),
        }),
    }
}

fn error(code: ErrorCode) -> Box<ServiceError> {
    let status = code.documented_status().unwrap_or(400);
    let message = code.documented_message().map(str::to_owned);
    let mut error = ServiceError::new(status, code);
    error.message = message;
    Box::new(error)
}

fn region(state: &State, region: &str) -> Result<(), Box<ServiceError>> {
    if state.regions().is_empty() || state.regions().iter().any(|r| r == region) {
        return Ok(());
    }
    let mut e = error(ErrorCode::InvalidRegionIdNotFound);
    e.message = Some("The specified RegionId does not exist.".into());
    Err(e)
}

/// A per-instance failure: its `Code` and `Message`.
type Failure = (Cow<'static, str>, &'static str);

/// A per-instance result.
fn result(id: &str, outcome: Result<(), Failure>) -> InstanceResult<'static> {
    let success = outcome.is_ok();
    let (code, message) = match outcome {
        Ok(()) => (Cow::Borrowed("200"), "success"),
        Err(failure) => failure,
    };
    let mut result = InstanceResult::new(id.to_owned(), code, message);
    result.success = Some(success);
    result
}

/// A documented code as a per-instance failure.
fn documented(code: ErrorCode) -> Failure {
    let message = code.documented_message().unwrap_or_default();
    (Cow::Owned(code.as_str().to_owned()), message)
}

/// The documented per-instance failures: unknown (or in another region), classic.
fn reachable(state: &State, region: &str, id: &str) -> Result<(), Failure> {
    match state.instance(id) {
        Some(i) if i.region == region && i.network_type == NetworkType::Classic => {
            Err(documented(ErrorCode::InvalidNetworkTypeMismatchRamRole))
        }
        Some(i) if i.region == region => Ok(()),
        _ => Err(documented(ErrorCode::InvalidInstanceIdNotFound)),
    }
}

fn attach(
    state: &mut State,
    request: &AttachInstanceRamRole,
    can_pass_role: bool,
) -> Result<Applied, Box<ServiceError>> {
    region(state, request.region_id())?;
    let name = request.ram_role_name();
    let role = state
        .role(name)
        .ok_or_else(|| error(ErrorCode::InvalidRamRoleNotFound))?;
    if !role.ecs_trusted {
        return Err(error(ErrorCode::InvalidRamRoleNotEcsRole));
    }
    if !can_pass_role {
        return Err(error(ErrorCode::InvalidUserPassRoleForbidden));
    }
    let ids = request.instance_ids().ids();
    let mut results = Vec::with_capacity(ids.len());
    let mut changes = Vec::new();
    for id in ids {
        let outcome = reachable(state, request.region_id(), id).and_then(|()| {
            // Reachable, so present.
            let Some(instance) = state.instance_mut(id) else {
                return Ok(());
            };
            match instance.ram_role.as_deref() {
                Some(current) if current == name => Ok(()),
                Some(_) => Err((Cow::Borrowed(ROLE_ATTACHED), ROLE_ATTACHED_MESSAGE)),
                None => {
                    instance.ram_role = Some(name.to_owned());
                    changes.push(Change {
                        instance_id: id.clone(),
                        from: None,
                        to: Some(name.to_owned()),
                    });
                    Ok(())
                }
            }
        });
        results.push(result(id, outcome));
    }
    let mut response = Response::new(AttachInstanceRamRole::ACTION);
    response.ram_role_name = Some(Cow::Owned(name.to_owned()));
    counts(&mut response, results);
    Ok(Applied { response, changes })
}

fn detach(
    state: &mut State,
    request: &DetachInstanceRamRole,
) -> Result<Applied, Box<ServiceError>> {
    region(state, request.region_id())?;
    let name = request.ram_role_name();
    if name.is_some_and(|name| state.role(name).is_none()) {
        return Err(error(ErrorCode::InvalidRamRoleNotFound));
    }
    let ids = request.instance_ids().ids();
    let mut results = Vec::with_capacity(ids.len());
    let mut changes = Vec::new();
    for id in ids {
        let mut set = None;
        let outcome = reachable(state, request.region_id(), id).and_then(|()| {
            let Some(instance) = state.instance_mut(id) else {
                return Ok(());
            };
            let current = instance.ram_role.clone();
            set = current.clone().map(|role| role_set(id, role));
            match (current, name) {
                (None, _) => Err((Cow::Borrowed(ROLE_NOT_ATTACHED), ROLE_NOT_ATTACHED_MESSAGE)),
                (Some(current), Some(name)) if current != name => {
                    Err((Cow::Borrowed(ROLE_NOT_MATCH), ROLE_NOT_MATCH_MESSAGE))
                }
                (Some(current), _) => {
                    instance.ram_role = None;
                    changes.push(Change {
                        instance_id: id.clone(),
                        from: Some(current),
                        to: None,
                    });
                    Ok(())
                }
            }
        });
        let mut result = result(id, outcome);
        result.instance_ram_role_sets = Some(set.into_iter().collect());
        results.push(result);
    }
    let mut response = Response::new(DetachInstanceRamRole::ACTION);
    response.ram_role_name = name.map(|n| Cow::Owned(n.to_owned()));
    counts(&mut response, results);
    Ok(Applied { response, changes })
}

fn role_set(id: &str, role: String) -> InstanceRamRoleSet<'static> {
    InstanceRamRoleSet::new(id.to_owned(), role)
}

/// `TotalCount`, `FailCount` and the results.
fn counts(response: &mut Response<'static>, results: Vec<InstanceResult<'static>>) {
    let failed = results.iter().filter(|r| !r.succeeded()).count();
    // At most 100 IDs per call: the counts fit.
    response.total_count = u32::try_from(results.len()).ok();
    response.fail_count = u32::try_from(failed).ok();
    response.results = Some(results);
}

fn describe(
    state: &State,
    request: &DescribeInstanceRamRole,
) -> Result<Response<'static>, Box<ServiceError>> {
    region(state, request.region_id())?;
    let ids = request.instance_ids().map(|ids| ids.ids());
    let matches: Vec<InstanceRamRoleSet<'static>> = state
        .instances()
        .iter()
        .filter(|i| i.region == request.region_id())
        .filter(|i| ids.is_none_or(|ids| ids.contains(&i.id)))
        .filter_map(|i| {
            let role = i.ram_role.as_deref()?;
            let wanted = request.ram_role_name().is_none_or(|name| name == role);
            wanted.then(|| role_set(&i.id, role.to_owned()))
        })
        .collect();
    let page_number = request.page_number().unwrap_or(1);
    let page_size = request.page_size().unwrap_or(PAGE_SIZE_DEFAULT);
    let skip = usize::try_from((page_number - 1).saturating_mul(page_size)).unwrap_or(usize::MAX);
    let take = usize::try_from(page_size).unwrap_or(usize::MAX);
    let mut response = Response::new(DescribeInstanceRamRole::ACTION);
    response.region_id = Some(Cow::Owned(request.region_id().to_owned()));
    response.total_count = u32::try_from(matches.len()).ok();
    // Both are checked at decoding: PageNumber up to 2^31 - 1, PageSize up to 50.
    response.page_number = u32::try_from(page_number).ok();
    response.page_size = u32::try_from(page_size).ok();
    response.instance_ram_role_sets = Some(matches.into_iter().skip(skip).take(take).collect());
    Ok(response)
}
