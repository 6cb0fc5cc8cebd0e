//! An IO-free codec for two Alibaba Cloud ECS RPC operations (API version 2014-05-26):
//! [`AttachInstanceRamRole`] and [`DetachInstanceRamRole`].
//!
//! - **Requests**: typed, validated at construction, encoded infallibly into the
//!   canonical RPC query, and signed with signature V1 (HMAC-SHA1). The timestamp and
//!   nonce are inputs: the library reads no clock and no random source.
//! - **The server side**: [`IncomingRequest`] decodes a query back into the typed request
//!   and verifies its signature.
//! - **Responses**: [`ResponseDecoder`] turns (status, content type, body) into a typed
//!   [`Response`], a [`ServiceError`] ("the service said no": any non-2xx status), or a
//!   [`DecodeError`] ("we could not parse": kind, byte offset, line and column). XML and
//!   JSON are decoded straight from the parsers' events, with strings borrowed from the
//!   body where nothing needed unescaping. [`Response::to_json`], [`Response::to_xml`] and
//!   their [`ServiceError`] twins write the documented shapes back, for mock servers.
//!
//! # Decoding rules
//!
//! Each rule is pinned by a test and by a corpus case.
//!
//! - XML: root `<{Action}Response>` (or `<Error>`), optional XML declaration and UTF-8 BOM,
//!   any whitespace; comments and processing instructions ignored; CDATA is text; the five
//!   predefined entities and character references are decoded; CR LF becomes LF. A DOCTYPE
//!   is rejected, never expanded. Attributes and namespace prefixes are ignored.
//! - JSON: strict RFC 8259, a leading UTF-8 BOM skipped.
//! - Lists: `<Xs><X/>…</Xs>` and `{"Xs":{"X":[…]}}` with 0, 1 or N items. A present
//!   wrapper is always a list (`<Xs/>` and `{"Xs":{}}` are empty lists); an absent one
//!   stays `None`.
//! - Leniency: a per-instance `Code` may be a JSON number (`200` decodes to `"200"`);
//!   `Success` may be `"true"`/`"false"`; a JSON `null` is an absent field; XML numbers
//!   and booleans may be padded with whitespace. Strings are never trimmed.
//! - Unknown elements, attributes and keys are ignored at every level: new server fields
//!   never break a client. A known field given twice is an error.
//! - Bodies are bounded by [`Limits`] (size, depth, list length, string length).
//!
//! ```
//! use ecs_ramrole::{
//!     AccessKeySecret, AttachInstanceRamRole, Credentials, EncodeOptions, Format,
//!     InstanceIds, Method, Nonce, Request, Timestamp,
//! };
//!
//! # fn main() -> Result<(), ecs_ramrole::RequestError> {
//! let request: Request = AttachInstanceRamRole::builder()
//!     .region_id("cn-hangzhou")
//!     .ram_role_name("EcsRole")
//!     .instance_ids(InstanceIds::new(["i-1", "i-2"])?)
//!     .build()?
//!     .into();
//! let credentials = Credentials::new("testid", AccessKeySecret::new("testsecret")?)?;
//! let signed = request.sign(
//!     &EncodeOptions { method: Method::Post, format: Some(Format::Json) },
//!     &credentials,
//!     &Timestamp::parse("2016-02-23T12:46:24Z")?,
//!     &Nonce::new("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf")?,
//! );
//! assert!(signed.query().contains("InstanceIds=%5B%22i-1%22%2C%22i-2%22%5D"));
//! assert!(signed.query().ends_with(&format!(
//!     "&Signature={}",
//!     ecs_ramrole::percent_encode(signed.stages().signature())
//! )));
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]

pub mod adapter;
mod attach;
pub mod conformance;
mod credentials;
mod decode_error;
mod detach;
mod instance_ids;
mod json_decode;
mod limits;
mod method;
mod params;
mod percent;
mod request;
mod request_build;
mod request_decode;
mod request_error;
mod response;
mod response_decode;
mod response_encode;
mod secret;
mod service_error;
mod sign;
mod swar;
mod timestamp;
mod xml_decode;

pub use attach::{AttachInstanceRamRole, AttachInstanceRamRoleBuilder};
pub use credentials::{Credentials, Nonce};
pub use decode_error::{DecodeError, DecodeErrorKind, ResponseError};
pub use detach::{DetachInstanceRamRole, DetachInstanceRamRoleBuilder};
pub use instance_ids::InstanceIds;
pub use limits::Limits;
pub use method::{Format, Method};
pub use params::{OwnerParams, POLICY_MAX_CHARS};
pub use percent::{RPC_ENCODE_SET, percent_encode};
pub use request::{API_VERSION, Action, EncodeOptions, EncodedRequest, Request, SignedRequest};
pub use request_decode::IncomingRequest;
pub use request_error::{RequestError, RequestErrorKind};
pub use response::{InstanceRamRoleSet, InstanceResult, Response};
pub use response_decode::ResponseDecoder;
pub use response_encode::XmlEncodeError;
pub use secret::AccessKeySecret;
pub use service_error::{ErrorCode, ServiceError};
pub use sign::{SIGNATURE_METHOD, SIGNATURE_VERSION, SignatureStages, sign_params};
pub use timestamp::Timestamp;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
