//! Requests: the typed operations and their one parameter schema, building them from
//! typed or loose input, their wire form, and decoding them back off the wire.
//!
//! - `schema.rs`: every parameter's name, type, presence and rule, as data.
//! - `operations.rs`: the operations declared from that data (struct, builder, checks).
//! - `instance_ids.rs`: the `InstanceIds` JSON-array parameter.
//! - `wire.rs`: [`Request`], its parameters on the wire, unsigned or signed with V1.
//! - `incoming.rs`: the server side: a query back into a [`Request`], and verification.
//! - `action.rs`, `error.rs`: the small enums and [`RequestError`].

pub(crate) mod action;
pub(crate) mod error;
pub(crate) mod incoming;
pub(crate) mod instance_ids;
pub(crate) mod operations;
pub(crate) mod schema;
pub(crate) mod wire;

pub use action::{API_VERSION, Action, Algorithm, Format, Method, Placement};
pub use error::{RequestError, RequestErrorKind};
pub use incoming::{Authenticated, HttpRequest, IncomingRequest, Signer};
pub use instance_ids::InstanceIds;
pub use operations::{
    AttachInstanceRamRole, AttachInstanceRamRoleBuilder, DescribeInstanceRamRole,
    DescribeInstanceRamRoleBuilder, DetachInstanceRamRole, DetachInstanceRamRoleBuilder,
    PAGE_SIZE_MAX, POLICY_MAX_CHARS,
};
pub use schema::{ParamSpec, ParamValue, Rule};
pub use wire::{DEFAULT_HOST, EncodeOptions, EncodedRequest, Request, SignedRequest, Stages};
