//! A sans-IO model of the service, for mock servers: state in, answer out. No sockets, no
//! clock, no random source: the time and the fault draws are inputs.
//!
//! - `state.rs`: [`State`]: regions, instances (at most one role each), roles, keys.
//! - `operations.rs`: the three operations on the state, and every semantic decision.
//! - `faults.rs`: [`FaultRule`]s: throttling, 5xx, gateway pages, cut bodies, delays.
//! - `endpoint.rs`: [`Service::handle`]: decode, verify, replay window, faults, apply,
//!   encode; the `/_mock/` admin endpoints; the request log.
//! - `error.rs`: [`ConfigError`], for a state or fault list that cannot be taken.

mod endpoint;
mod error;
mod faults;
mod operations;
mod state;

pub use endpoint::{Answer, ChangeRecord, Options, REPLAY_WINDOW_SECS, RequestRecord, Service};
pub use error::ConfigError;
pub use faults::{Fault, FaultRule, Trigger};
pub use operations::{Change, ROLE_ATTACHED, ROLE_NOT_ATTACHED, ROLE_NOT_MATCH};
pub use state::{AccessKey, Instance, NetworkType, Role, State};
