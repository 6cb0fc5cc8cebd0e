//! Responses: the typed model, its decoders (XML and JSON, straight from the parsers'
//! events), its encoders (for mock servers), and the two ways a call can fail.
//!
//! - `model.rs`: [`Response`], [`InstanceResult`], [`InstanceRamRoleSet`].
//! - `decoder.rs`: [`ResponseDecoder`], the one entry point: status, content type, body.
//! - `xml.rs`, `json/`: the decoders; `encode.rs`: `to_json` and `to_xml`.
//! - `service_error.rs`: "the service said no": [`ServiceError`], [`ErrorCode`].
//! - `error.rs`: "we could not parse": [`DecodeError`]; and [`ResponseError`], either.
//! - `retry.rs`: [`RetryPolicy`], when and after how long to try again.
//! - `limits.rs`: [`Limits`] on untrusted bodies; `swar.rs`: byte scans for the decoders.

pub(crate) mod decoder;
pub(crate) mod encode;
pub(crate) mod error;
mod json;
pub(crate) mod limits;
pub(crate) mod model;
mod retry;
pub(crate) mod service_error;
mod swar;
pub(crate) mod xml;

pub use decoder::ResponseDecoder;
pub use encode::XmlEncodeError;
pub use error::{DecodeError, DecodeErrorKind, ResponseError};
pub use limits::Limits;
pub use model::{InstanceRamRoleSet, InstanceResult, Response};
pub use retry::RetryPolicy;
pub use service_error::{AccessDeniedDetail, DetailValue, ErrorCode, ServiceError};
