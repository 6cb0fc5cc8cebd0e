//! The conformance corpus's model, IO-free (feature `conformance`, on with `cli`): a
//! case and the envelope it sends, the judge that compares a verdict with the case's
//! expectation, and this crate's own adapter.
//!
//! - `case.rs`: [`Case`], [`Level`], [`CaseError`].
//! - `judge.rs`: [`judge`] and its [`Judgement`], by the rules of `corpus/README.md`.
//! - `adapter.rs`: [`adapter::handle`], adapter protocol 1 in-process.
//! - `schema.rs`: [`parameter_schema`], the parameter schema as JSON.

pub mod adapter;
mod case;
mod judge;
mod schema;

pub use adapter::AdapterError;
pub use case::{Case, CaseError, KINDS, Level};
pub use judge::{Judgement, judge};
pub use schema::parameter_schema;
