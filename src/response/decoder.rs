//! The one entry point for responses: status, content type and body in; the typed
//! response, the service's error, or a decode error out.

use super::error::{DecodeError, DecodeErrorKind, ResponseError};
use super::limits::Limits;
use super::model::Response;
use super::service_error::ServiceError;
use super::swar;
use super::{json as json_decode, xml as xml_decode};
use crate::request::{Action, Format};

/// Decodes the responses of one operation.
///
/// ```
/// use ecs_ramrole::{Action, ResponseDecoder};
///
/// let body = br#"{"RequestId":"R","TotalCount":1,"FailCount":0,"RamRoleName":"Role",
///   "AttachInstanceRamRoleResults":{"AttachInstanceRamRoleResult":[
///     {"InstanceId":"i-1","Code":"200","Message":"success"}]}}"#;
/// let decoder = ResponseDecoder::new(Action::AttachInstanceRamRole);
/// let response = decoder.decode(200, Some("application/json;charset=utf-8"), body).unwrap();
/// assert!(response.results()[0].succeeded());
/// assert_eq!(response.fail_count_agrees(), Some(true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseDecoder {
    action: Action,
    requested: Option<Format>,
    limits: Limits,
}

impl ResponseDecoder {
    /// A decoder for `action`'s responses, with the default [`Limits`].
    pub fn new(action: Action) -> Self {
        Self {
            action,
            requested: None,
            limits: Limits::default(),
        }
    }

    /// The `Format` the request asked for: used when the content type names neither
    /// JSON nor XML.
    pub fn requested_format(mut self, format: Option<Format>) -> Self {
        self.requested = format;
        self
    }

    /// Replaces the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The body's format: from the content type when it names JSON or XML, else the
    /// requested format, else the first byte after an optional UTF-8 BOM and whitespace
    /// (`<` is XML; `{` or `[` is JSON).
    pub fn detect_format(&self, content_type: Option<&str>, body: &[u8]) -> Option<Format> {
        content_type
            .and_then(format_of_content_type)
            .or(self.requested)
            .or_else(|| sniff(body))
    }

    /// Decodes a response from its status, every header and the body: the
    /// `content-type` chooses the parser (see [`detect_format`](Self::detect_format)), and
    /// an error's `x-acs-retry-after` becomes [`ServiceError::retry_after_ms`].
    ///
    /// # Errors
    /// As [`decode`](Self::decode).
    pub fn decode_http<'a, 'h>(
        &self,
        status: u16,
        headers: impl IntoIterator<Item = (&'h str, &'h str)>,
        body: &'a [u8],
    ) -> Result<Response<'a>, ResponseError> {
        let (mut content_type, mut retry_after) = (None, None);
        for (name, value) in headers {
            if name.eq_ignore_ascii_case("content-type") {
                content_type = content_type.or(Some(value));
            } else if name.eq_ignore_ascii_case("x-acs-retry-after") {
                retry_after = retry_after.or_else(|| ServiceError::parse_retry_after(value));
            }
        }
        self.decode(status, content_type, body)
            .map_err(|e| match e {
                ResponseError::Service(mut e) => {
                    e.retry_after_ms = retry_after;
                    ResponseError::Service(e)
                }
                decode => decode,
            })
    }

    /// Decodes a response.
    ///
    /// # Errors
    /// [`ResponseError::Service`] for any status outside 200..=299, whatever the body
    /// holds (an unreadable body gives a service error carrying only the status);
    /// [`ResponseError::Decode`] for a 2xx body that is not the operation's response.
    pub fn decode<'a>(
        &self,
        status: u16,
        content_type: Option<&str>,
        body: &'a [u8],
    ) -> Result<Response<'a>, ResponseError> {
        if !(200..=299).contains(&status) {
            let error = self.decode_error(status, content_type, body);
            return Err(ResponseError::Service(Box::new(error)));
        }
        if body.len() > self.limits.max_body_bytes {
            return Err(ResponseError::Decode(DecodeError::at(
                DecodeErrorKind::LimitExceeded,
                body,
                self.limits.max_body_bytes,
                format!(
                    "the body is larger than {} bytes",
                    self.limits.max_body_bytes
                ),
            )));
        }
        let decoded = match self.detect_format(content_type, body) {
            Some(Format::Xml) => xml_decode::decode_response(self.action, body, self.limits),
            Some(Format::Json) => json_decode::decode_response(self.action, body, self.limits),
            None => Err(DecodeError::at(
                DecodeErrorKind::MalformedBody,
                body,
                first_significant(body),
                "the body is neither XML nor JSON",
            )),
        };
        decoded.map_err(ResponseError::Decode)
    }

    /// Decodes a non-2xx body as an error body, falling back to the status alone.
    pub fn decode_error(
        &self,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> ServiceError {
        let parsed = if body.len() > self.limits.max_body_bytes {
            None
        } else {
            match self.detect_format(content_type, body) {
                Some(Format::Xml) => xml_decode::decode_error(status, body, self.limits),
                Some(Format::Json) => json_decode::decode_error(status, body, self.limits),
                None => None,
            }
        };
        parsed.unwrap_or_else(|| ServiceError::status_only(status))
    }
}

/// `json` anywhere in the content type (any case) means JSON; else `xml` means XML. One
/// pass, eight bytes at a time to the next `j` or `x` (any case), without lowercasing a
/// copy: decoding allocates only for values.
fn format_of_content_type(content_type: &str) -> Option<Format> {
    const LOWER: u64 = 0x2020_2020_2020_2020;
    let bytes = content_type.as_bytes();
    let at = |i: usize, word: &[u8]| {
        bytes
            .get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    let (mut from, mut xml) = (0, false);
    while let Some(i) = swar::find(
        &bytes[from..],
        |w| swar::equal(w | LOWER, b'j') | swar::equal(w | LOWER, b'x'),
        |b| matches!(b | 0x20, b'j' | b'x'),
    ) {
        let i = from + i;
        if at(i, b"json") {
            return Some(Format::Json);
        }
        xml = xml || at(i, b"xml");
        from = i + 1;
    }
    xml.then_some(Format::Xml)
}

fn first_significant(body: &[u8]) -> usize {
    let start = if body.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    start
        + body[start..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(body.len() - start)
}

fn sniff(body: &[u8]) -> Option<Format> {
    match body.get(first_significant(body)) {
        Some(b'<') => Some(Format::Xml),
        Some(b'{' | b'[') => Some(Format::Json),
        _ => None,
    }
}
