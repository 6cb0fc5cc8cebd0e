//! An IO-free codec for the Alibaba Cloud ECS RPC operations [`AttachInstanceRamRole`]
//! and [`DetachInstanceRamRole`], with [`DescribeInstanceRamRole`] that completes their
//! lifecycle (API version 2014-05-26), built for SDKs to embed, mock servers to answer
//! with, and a conformance corpus to check both.
//!
//! - **Requests** ([`Request`]): typed, checked at construction against one parameter
//!   schema ([`Action::params`]), encoded infallibly into the canonical RPC query, and
//!   signed with signature V1 (HMAC-SHA1, [`sign_params`]) or V3 (ACS3-HMAC-SHA256,
//!   [`sign_v3`]), the parameters in the query or a form body. The timestamp and nonce
//!   are inputs: the library reads no clock and no random source.
//! - **The server side**: [`IncomingRequest::from_http`] decodes an HTTP request back into
//!   the typed request, tells V1 from V3, verifies the signature in constant time, and
//!   answers a failure with the service's own code ([`RequestError::to_service_error`]).
//! - **Diagnosis**: [`explain`] turns a `SignatureDoesNotMatch` into the first
//!   difference and its cause.
//! - **Responses**: [`ResponseDecoder`] turns (status, content type, body) into a typed
//!   [`Response`], a [`ServiceError`] ("the service said no": any non-2xx status), or a
//!   [`DecodeError`] ("we could not parse": kind, field, byte offset, line and column).
//!   [`Response::to_json`], [`Response::to_xml`] and their [`ServiceError`] twins write
//!   the documented shapes back, for mock servers.
//! - **A mock service** ([`service::Service`]): state in, answer out: decoding,
//!   verification, replay protection, the operations' semantics, injected faults and
//!   admin endpoints, with the time and the fault draws as inputs. `ecs-ramrole serve`
//!   puts it behind HTTP.
//! - **Conformance** (feature `conformance`): the corpus's case model, its judge, and
//!   this crate's adapter.
//!
//! # An SDK author: build, sign, send, decode, retry
//!
//! ```
//! use ecs_ramrole::*;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let request: Request = AttachInstanceRamRole::builder()
//!     .region_id("cn-hangzhou")
//!     .ram_role_name("EcsRole")
//!     .instance_ids(InstanceIds::new(["i-1", "i-2"])?)
//!     .build()?
//!     .into();
//! let credentials = Credentials::new("testid", AccessKeySecret::new("testsecret")?)?;
//! // The time and the nonce come from the caller: the codec has neither clock nor dice.
//! let signed = request.sign(
//!     &EncodeOptions::default(), // POST, Format=JSON, as the official SDKs send
//!     &credentials,
//!     &"2016-02-23T12:46:24Z".parse()?,
//!     &Nonce::new("3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf")?,
//! );
//! let url = signed.url("https://ecs.aliyuncs.com");
//! assert!(url.contains("InstanceIds=%5B%22i-1%22%2C%22i-2%22%5D"));
//!
//! // Send `signed.method()` to `url` with any HTTP client, then decode what came back:
//! let (status, content_type, body) = (400, "application/json", br#"{"RequestId":"R",
//!     "Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#);
//! match ResponseDecoder::new(request.action()).decode(status, Some(content_type), body) {
//!     Ok(response) => println!("{} failed", response.failed().count()),
//!     Err(e) if e.is_retryable() => println!("try again later: {e}"),
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # A mock-server author: parse, verify, answer
//!
//! ```
//! use ecs_ramrole::*;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let credentials = Credentials::new("testid", AccessKeySecret::new("testsecret")?)?;
//! # let signed = Request::from(DetachInstanceRamRole::builder().region_id("cn-hangzhou")
//! #     .instance_ids(InstanceIds::new(["i-1"])?).build()?)
//! #     .sign(&EncodeOptions::v3(Method::Post, None), &credentials, &"2016-02-23T12:46:24Z".parse()?, &Nonce::new("n")?);
//! # let headers: Vec<(&str, &str)> = signed.headers().iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
//! # let (query, body) = (signed.query(), signed.body().as_bytes());
//! // What arrived: method, path, query (after `?`), headers and body.
//! let http = HttpRequest::new("POST", "/", query, &headers, body);
//! let secret_of = |id: &str| (id == "testid").then(|| AccessKeySecret::new("testsecret").ok()).flatten();
//! let (status, answer) = match IncomingRequest::from_http(&http, secret_of) {
//!     Ok(incoming) => {
//!         let Request::Detach(detach) = incoming.request() else { unreachable!() };
//!         let mut response = Response::new(Action::DetachInstanceRamRole);
//!         response.request_id = Some("E6352369-5C2B-41CD-AB50-471550C8F674".into());
//!         response.total_count = Some(detach.instance_ids().ids().len() as u32);
//!         response.fail_count = Some(0);
//!         // Without `Format`, the service answers XML.
//!         match incoming.format() {
//!             Some(Format::Json) => (200, response.to_json()),
//!             _ => (200, response.to_xml()?),
//!         }
//!     }
//!     // `SignatureDoesNotMatch`, `MissingParameter.RegionId`, ... with their statuses.
//!     Err(e) => (e.status(), e.to_service_error().to_json()),
//! };
//! assert_eq!(status, 200);
//! assert!(answer.contains("E6352369"));
//! # Ok(())
//! # }
//! ```
//!
//! # A CI user: run the corpus on an SDK
//!
//! The `ecs-ramrole` command runs the corpus through any SDK's adapter
//! (`ecs-ramrole check --adapter 'python3 my_adapter.py'`); the same judge is a library
//! function for a Rust test suite:
//!
//! ```
//! # #[cfg(feature = "conformance")]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use ecs_ramrole::conformance::{Case, Judgement, adapter, judge};
//!
//! let case = Case::parse(br#"{"id": "sign/y_example", "kind": "sign", "level": "must",
//!     "input": {"method": "GET", "access_key_secret": "testsecret",
//!               "params": {"AccessKeyId": "testid", "Action": "DescribeRegions"}},
//!     "expect": {"outcome": "signature",
//!                "canonical_query": "AccessKeyId=testid&Action=DescribeRegions",
//!                "string_to_sign": "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions",
//!                "signature": "T2VWW3X3HkazOLQX8lGH5dwQfiY="}}"#)?; // Python hmac + base64
//! // An SDK's adapter answers the envelope; here, this crate's own.
//! let verdict = adapter::handle(case.envelope(None).to_string().as_bytes())?;
//! assert!(matches!(judge(case.expect(), &verdict), Judgement::Pass { .. }));
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "conformance"))]
//! # fn main() {}
//! ```
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

#![forbid(unsafe_code)]

#[cfg(feature = "conformance")]
pub mod conformance;
mod request;
mod response;
pub mod service;
mod signing;

pub use request::{
    API_VERSION, Action, Algorithm, AttachInstanceRamRole, AttachInstanceRamRoleBuilder,
    Authenticated, DEFAULT_HOST, DescribeInstanceRamRole, DescribeInstanceRamRoleBuilder,
    DetachInstanceRamRole, DetachInstanceRamRoleBuilder, EncodeOptions, EncodedRequest, Format,
    HttpRequest, IncomingRequest, InstanceIds, Method, PAGE_SIZE_MAX, POLICY_MAX_CHARS, ParamSpec,
    ParamValue, Placement, Request, RequestError, RequestErrorKind, Rule, SignedRequest, Signer,
    Stages,
};
pub use response::{
    AccessDeniedDetail, DecodeError, DecodeErrorKind, DetailValue, ErrorCode, InstanceRamRoleSet,
    InstanceResult, Limits, Response, ResponseDecoder, ResponseError, RetryPolicy, ServiceError,
    XmlEncodeError,
};
pub use signing::{
    AccessKeySecret, Cause, Credentials, Diagnosis, EMPTY_PAYLOAD_SHA256, Evidence, Nonce, Payload,
    RPC_ENCODE_SET, SIGNATURE_METHOD, SIGNATURE_VERSION, SignatureStages, Timestamp, V3_ALGORITHM,
    V3Stages, explain, payload_sha256, percent_encode, sign_params, sign_v3,
};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
