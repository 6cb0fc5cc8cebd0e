//! XML bodies, decoded straight from quick-xml's events: no DOM, strings borrowed from the
//! body unless they hold entities, CDATA next to text, or CR characters.

use std::borrow::Cow;

use super::error::{DecodeError, DecodeErrorKind as Kind};
use super::limits::Limits;
use super::model::{InstanceRamRoleSet, InstanceResult, Response};
use super::service_error::{AccessDeniedDetail, ErrorCode, ServiceError};
use super::swar;
use crate::request::Action;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};

struct Decoder<'a> {
    reader: Reader<&'a [u8]>,
    /// The whole body, for positions; `text` starts `base` bytes into it (after a BOM).
    body: &'a [u8],
    base: usize,
    limits: Limits,
    /// Where the event being handled started, relative to `text`.
    event_at: usize,
    depth: usize,
}

type Result<T> = std::result::Result<T, DecodeError>;

/// Decodes a success body whose root must be `<{Action}Response>`.
pub(crate) fn decode_response<'a>(
    action: Action,
    body: &'a [u8],
    limits: Limits,
) -> Result<Response<'a>> {
    let mut d = Decoder::new(body, limits)?;
    let names = action.names();
    let (root, empty) = d.root()?;
    if local(&root) != names.root {
        return Err(d.error_at_event(
            Kind::UnexpectedShape,
            format!(
                "expected root element <{}>, found <{}>",
                names.root,
                local(&root)
            ),
        ));
    }
    let mut response = Response::new(action);
    if !empty {
        let describe = names.results.is_none();
        d.fields(|d, name, open| {
            Some(match name {
                "RequestId" => d.string(&mut response.request_id, open),
                "TotalCount" => d.number(&mut response.total_count, open),
                "RamRoleName" if !describe => d.string(&mut response.ram_role_name, open),
                "FailCount" if !describe => d.number(&mut response.fail_count, open),
                n if names.is_results(n) => {
                    d.list(&mut response.results, open, names.result(), |d, open, r| {
                        d.instance_result(action, open, r)
                    })
                }
                "RegionId" if describe => d.string(&mut response.region_id, open),
                "PageNumber" if describe => d.number(&mut response.page_number, open),
                "PageSize" if describe => d.number(&mut response.page_size, open),
                "InstanceRamRoleSets" if describe => d.list(
                    &mut response.instance_ram_role_sets,
                    open,
                    "InstanceRamRoleSet",
                    Decoder::role_set,
                ),
                _ => return None,
            })
        })?;
    }
    d.epilog()?;
    Ok(response)
}

/// Decodes an `<Error>` body; `None` when the body is anything else.
pub(crate) fn decode_error(status: u16, body: &[u8], limits: Limits) -> Option<ServiceError> {
    let mut d = Decoder::new(body, limits).ok()?;
    let (root, empty) = d.root().ok()?;
    if local(&root) != "Error" {
        return None;
    }
    let mut e = ServiceError::status_only(status);
    if !empty {
        let mut code = None;
        let (mut message, mut request_id, mut host_id, mut recommend) = (None, None, None, None);
        let mut detail = None;
        d.fields(|d, name, open| {
            Some(match name {
                "Code" => d.string(&mut code, open),
                "Message" => d.string(&mut message, open),
                "RequestId" => d.string(&mut request_id, open),
                "HostId" => d.string(&mut host_id, open),
                "Recommend" => d.string(&mut recommend, open),
                "AccessDeniedDetail" | "accessDeniedDetail" => d.detail(&mut detail, open),
                _ => return None,
            })
        })
        .ok()?;
        d.epilog().ok()?;
        e.code = code.map(|c: Cow<'_, str>| ErrorCode::parse(&c));
        e.message = message.map(Cow::into_owned);
        e.request_id = request_id.map(Cow::into_owned);
        e.host_id = host_id.map(Cow::into_owned);
        e.recommend = recommend.map(Cow::into_owned);
        e.access_denied_detail = detail;
    }
    Some(e)
}

/// An element's name without its namespace prefix.
fn local<'b>(start: &'b BytesStart<'_>) -> &'b str {
    let name = start.name().into_inner();
    name.split_once(':').map_or(name, |(_, local)| local)
}

/// Whether a start tag was `<x/>` (nothing inside) or `<x>` (content follows).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Empty,
    Content,
}

impl<'a> Decoder<'a> {
    fn new(body: &'a [u8], limits: Limits) -> Result<Self> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        let base = if body.starts_with(BOM) { BOM.len() } else { 0 };
        let text = std::str::from_utf8(&body[base..]).map_err(|e| {
            DecodeError::at(
                Kind::MalformedBody,
                body,
                base + e.valid_up_to(),
                "the body is not UTF-8",
            )
        })?;
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.allow_unmatched_ends = false;
        config.check_comments = true;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Ok(Self {
            reader,
            body,
            base,
            limits,
            event_at: 0,
            depth: 0,
        })
    }

    fn error_at(&self, kind: Kind, offset: usize, message: impl Into<Box<str>>) -> DecodeError {
        DecodeError::at(kind, self.body, self.base + offset, message)
    }

    fn error_at_event(&self, kind: Kind, message: impl Into<Box<str>>) -> DecodeError {
        self.error_at(kind, self.event_at, message)
    }

    /// The next raw event, quick-xml's own errors turned into decode errors. Each caller
    /// matches the event anyway, so the checks of a start tag ([`Self::open`]) and of an
    /// end tag ([`Self::close`]) are made there, once.
    #[inline(always)]
    fn event(&mut self) -> Result<Event<'a>> {
        self.event_at = pos(self.reader.buffer_position());
        self.reader.read_event().map_err(|e| {
            let at = pos(self.reader.error_position());
            self.error_at(Kind::MalformedBody, at, e.to_string())
        })
    }

    /// A start tag: its attributes are well-formed, and `<x>` opens a level within
    /// [`Limits::max_depth`].
    #[inline(always)]
    fn open(&mut self, start: &BytesStart<'_>, open: Open) -> Result<()> {
        self.check_attributes(start)?;
        if open == Open::Content {
            self.depth += 1;
            if self.depth > self.limits.max_depth {
                return Err(self.error_at_event(
                    Kind::LimitExceeded,
                    format!("elements nest deeper than {}", self.limits.max_depth),
                ));
            }
        }
        Ok(())
    }

    /// An end tag: back up one level.
    #[inline(always)]
    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The error for an event no caller expects where it stands: a DOCTYPE (anywhere:
    /// entities are never expanded), a second XML declaration, the end of the body.
    #[cold]
    fn misplaced(&self, event: &Event<'_>) -> DecodeError {
        match event {
            Event::DocType(_) => self.error_at_event(
                Kind::ForbiddenConstruct,
                "DOCTYPE is not allowed (entities are never expanded)",
            ),
            Event::Eof => {
                self.error_at_event(Kind::MalformedBody, "the body ends inside an element")
            }
            _ => self.error_at_event(Kind::MalformedBody, "an XML declaration inside an element"),
        }
    }

    /// Attributes are ignored, but a malformed one still makes the body malformed.
    #[inline(always)]
    fn check_attributes(&self, start: &BytesStart<'_>) -> Result<()> {
        // Most tags have nothing after the name: no attribute parser to run.
        if start.attributes_raw().is_empty() {
            return Ok(());
        }
        self.check_attribute_list(start)
    }

    fn check_attribute_list(&self, start: &BytesStart<'_>) -> Result<()> {
        for attribute in start.attributes() {
            attribute.map_err(|e| self.error_at_event(Kind::MalformedBody, e.to_string()))?;
        }
        Ok(())
    }

    /// An event between elements other than a tag: whitespace, comments and processing
    /// instructions pass; other content here is misplaced.
    #[cold]
    fn between_elements(&self, event: Event<'a>) -> Result<()> {
        match event {
            Event::Text(t) if is_xml_space(&t) => Ok(()),
            Event::Comment(_) | Event::PI(_) => Ok(()),
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => Err(self.error_at_event(
                Kind::UnexpectedShape,
                "text where only elements are expected",
            )),
            other => Err(self.misplaced(&other)),
        }
    }

    /// The prolog (declaration, comments, whitespace) and the root element's start tag.
    fn root(&mut self) -> Result<(BytesStart<'a>, bool)> {
        let mut first = true;
        loop {
            let event = self.event()?;
            match event {
                Event::Start(e) => {
                    self.open(&e, Open::Content)?;
                    return Ok((e, false));
                }
                Event::Empty(e) => {
                    self.open(&e, Open::Empty)?;
                    return Ok((e, true));
                }
                Event::DocType(_) => return Err(self.misplaced(&event)),
                Event::Decl(_) if first => {}
                Event::Text(t) if is_xml_space(&t) => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => {
                    return Err(
                        self.error_at_event(Kind::MalformedBody, "the body has no root element")
                    );
                }
                _ => {
                    return Err(
                        self.error_at_event(Kind::MalformedBody, "content before the root element")
                    );
                }
            }
            first = false;
        }
    }

    /// After the root: only whitespace, comments and processing instructions.
    fn epilog(&mut self) -> Result<()> {
        loop {
            match self.event()? {
                Event::Eof => return Ok(()),
                Event::Text(t) if is_xml_space(&t) => {}
                Event::Comment(_) | Event::PI(_) => {}
                event @ Event::DocType(_) => return Err(self.misplaced(&event)),
                _ => {
                    return Err(
                        self.error_at_event(Kind::MalformedBody, "content after the root element")
                    );
                }
            }
        }
    }

    /// Runs `field` for each child element of the element just opened, until its end tag.
    /// `field` either reads the child (`Some`, through `string`, `number`, `list`...) or
    /// leaves it untouched (`None`), and then it is skipped here: an unknown element is
    /// never left half-read. An error inside names the innermost field.
    fn fields(
        &mut self,
        mut field: impl FnMut(&mut Self, &str, Open) -> Option<Result<()>>,
    ) -> Result<()> {
        loop {
            let (start, open) = match self.event()? {
                Event::Start(e) => (e, Open::Content),
                Event::Empty(e) => (e, Open::Empty),
                Event::End(_) => {
                    self.close();
                    return Ok(());
                }
                // Indentation, in pretty-printed bodies.
                Event::Text(t) if is_xml_space(&t) => continue,
                other => {
                    self.between_elements(other)?;
                    continue;
                }
            };
            self.open(&start, open)?;
            // The prefix is looked for only when the name is not known as it stands:
            // prefixed names are rare, and this runs once per element.
            let mut name = start.name().into_inner();
            let mut read = field(self, name, open);
            if read.is_none()
                && let Some((_, local)) = name.split_once(':')
            {
                name = local;
                read = field(self, name, open);
            }
            match read {
                Some(read) => read.map_err(|e| e.in_field(name))?,
                None => self.skip(open)?,
            }
        }
    }

    /// A string field; a second occurrence is an error.
    fn string(&mut self, slot: &mut Option<Cow<'a, str>>, open: Open) -> Result<()> {
        if slot.is_some() {
            return Err(self.error_at_event(Kind::UnexpectedShape, "a field appears twice"));
        }
        *slot = Some(self.text(open)?);
        Ok(())
    }

    /// A `u32` field: digits, optionally surrounded by XML whitespace.
    fn number(&mut self, slot: &mut Option<u32>, open: Open) -> Result<()> {
        let at = self.event_at;
        let mut text = None;
        self.string(&mut text, open)?;
        let text = text.unwrap_or_default();
        let digits = text.trim_matches(is_xml_space_char);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error_at(
                Kind::TypeMismatch,
                at,
                format!("expected a number, found {text:?}"),
            ));
        }
        *slot = Some(digits.parse().map_err(|_| {
            self.error_at(
                Kind::TypeMismatch,
                at,
                format!("{digits} does not fit in 32 bits"),
            )
        })?);
        Ok(())
    }

    /// A boolean field: `true` or `false`, optionally surrounded by XML whitespace.
    fn boolean(&mut self, slot: &mut Option<bool>, open: Open) -> Result<()> {
        let at = self.event_at;
        let mut text = None;
        self.string(&mut text, open)?;
        let text = text.unwrap_or_default();
        *slot = Some(match text.trim_matches(is_xml_space_char) {
            "true" => true,
            "false" => false,
            _ => {
                return Err(self.error_at(
                    Kind::TypeMismatch,
                    at,
                    format!("expected true or false, found {text:?}"),
                ));
            }
        });
        Ok(())
    }

    /// The text content of the element just opened, up to its end tag. Entities and
    /// character references are resolved, CDATA taken as text, CR LF and lone CR
    /// normalized to LF. A child element here is a type mismatch.
    fn text(&mut self, open: Open) -> Result<Cow<'a, str>> {
        if open == Open::Empty {
            return Ok(Cow::Borrowed(""));
        }
        // The usual field is one text event and the end tag: no accumulator for it.
        let first = match self.event()? {
            Event::Text(t) => self.checked_text(t.into_inner())?,
            Event::End(_) => {
                self.close();
                return Ok(Cow::Borrowed(""));
            }
            other => return self.text_pieces(None, other),
        };
        self.check_length(&first)?;
        match self.event()? {
            Event::End(_) => {
                self.close();
                Ok(first)
            }
            other => self.text_pieces(Some(first), other),
        }
    }

    /// The rest of a text field from `event` on: more text, CDATA, references,
    /// comments, up to the end tag.
    fn text_pieces(
        &mut self,
        mut acc: Option<Cow<'a, str>>,
        mut event: Event<'a>,
    ) -> Result<Cow<'a, str>> {
        loop {
            let piece: Cow<'a, str> = match event {
                Event::Text(t) => self.checked_text(t.into_inner())?,
                Event::CData(c) => self.checked_text(c.into_inner())?,
                Event::GeneralRef(r) => {
                    let ch = self.resolve(&r)?;
                    owned(&mut acc, ch.len_utf8()).push(ch);
                    Cow::Borrowed("")
                }
                Event::End(_) => {
                    self.close();
                    return Ok(acc.unwrap_or(Cow::Borrowed("")));
                }
                Event::Comment(_) | Event::PI(_) => Cow::Borrowed(""),
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let open = if matches!(event, Event::Start(_)) {
                        Open::Content
                    } else {
                        Open::Empty
                    };
                    self.open(e, open)?;
                    return Err(
                        self.error_at_event(Kind::TypeMismatch, "an element inside a text field")
                    );
                }
                Event::Decl(_) | Event::DocType(_) | Event::Eof => {
                    return Err(self.misplaced(&event));
                }
            };
            if !piece.is_empty() {
                append(&mut acc, piece);
            }
            if let Some(text) = &acc {
                self.check_length(text)?;
            }
            event = self.event()?;
        }
    }

    fn check_length(&self, text: &str) -> Result<()> {
        if text.len() > self.limits.max_string_bytes {
            return Err(self.error_at_event(
                Kind::LimitExceeded,
                format!(
                    "a string is longer than {} bytes",
                    self.limits.max_string_bytes
                ),
            ));
        }
        Ok(())
    }

    /// A piece of text or CDATA, EOL-normalized; a character XML 1.0 does not allow is
    /// `malformed_body`, written raw or as a reference alike.
    #[inline(always)]
    fn checked_text(&self, text: Cow<'a, str>) -> Result<Cow<'a, str>> {
        if !suspect(text.as_bytes()) {
            return Ok(text);
        }
        eols(text).map_err(|c| {
            self.error_at_event(
                Kind::MalformedBody,
                format!("U+{:04X} is not an XML character", u32::from(c)),
            )
        })
    }

    /// The five predefined entities and character references; anything else is undefined
    /// (no DTD is ever read, so no other entity can be defined).
    fn resolve(&self, r: &BytesRef<'_>) -> Result<char> {
        let ch = match &**r {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            name if r.is_char_ref() => match r.resolve_char_ref() {
                Ok(Some(ch)) if is_xml_char(ch) => ch,
                _ => {
                    return Err(self.error_at_event(
                        Kind::MalformedBody,
                        format!("&{name}; is not a valid XML character"),
                    ));
                }
            },
            name => {
                return Err(
                    self.error_at_event(Kind::MalformedBody, format!("undefined entity &{name};"))
                );
            }
        };
        Ok(ch)
    }

    /// A list wrapper: zero or more `item` elements; other children are skipped. Each item
    /// is decoded in place, in the list, rather than built apart and moved in.
    fn list<T: Default>(
        &mut self,
        slot: &mut Option<Vec<T>>,
        open: Open,
        item: &str,
        mut decode: impl FnMut(&mut Self, Open, &mut T) -> Result<()>,
    ) -> Result<()> {
        if slot.is_some() {
            return Err(self.error_at_event(Kind::UnexpectedShape, "a list wrapper appears twice"));
        }
        let mut items: Vec<T> = Vec::new();
        if open == Open::Content {
            self.fields(|d, name, open| {
                if name != item {
                    return None;
                }
                if items.len() == d.limits.max_items {
                    return Some(Err(d.error_at_event(
                        Kind::LimitExceeded,
                        format!("a list has more than {} items", d.limits.max_items),
                    )));
                }
                let at = items.len();
                items.push(T::default());
                Some(decode(d, open, &mut items[at]))
            })?;
        }
        *slot = Some(items);
        Ok(())
    }

    fn instance_result(
        &mut self,
        action: Action,
        open: Open,
        r: &mut InstanceResult<'a>,
    ) -> Result<()> {
        if open == Open::Empty {
            return Ok(());
        }
        self.fields(|d, name, open| {
            Some(match name {
                "InstanceId" => d.string(&mut r.instance_id, open),
                "Code" => d.string(&mut r.code, open),
                "Message" => d.string(&mut r.message, open),
                "Success" => d.boolean(&mut r.success, open),
                "InstanceRamRoleSets" if action == Action::DetachInstanceRamRole => d.list(
                    &mut r.instance_ram_role_sets,
                    open,
                    "InstanceRamRoleSet",
                    Self::role_set,
                ),
                _ => return None,
            })
        })
    }

    fn role_set(&mut self, open: Open, s: &mut InstanceRamRoleSet<'a>) -> Result<()> {
        if open == Open::Empty {
            return Ok(());
        }
        self.fields(|d, name, open| {
            Some(match name {
                "InstanceId" => d.string(&mut s.instance_id, open),
                "RamRoleName" => d.string(&mut s.ram_role_name, open),
                _ => return None,
            })
        })
    }

    /// `AccessDeniedDetail`: each child element becomes a string entry.
    fn detail(&mut self, slot: &mut Option<AccessDeniedDetail>, open: Open) -> Result<()> {
        if slot.is_some() {
            return Err(self.error_at_event(Kind::UnexpectedShape, "a field appears twice"));
        }
        let mut detail = AccessDeniedDetail::new();
        if open == Open::Content {
            self.fields(|d, name, open| {
                Some(
                    d.text(open)
                        .map(|value| detail.insert(name, value.into_owned())),
                )
            })?;
        }
        *slot = Some(detail);
        Ok(())
    }

    /// Skips an unknown element and everything in it, still checking well-formedness.
    fn skip(&mut self, open: Open) -> Result<()> {
        if open == Open::Empty {
            return Ok(());
        }
        let mut nested = 0_usize;
        loop {
            match self.event()? {
                Event::Start(e) => {
                    self.open(&e, Open::Content)?;
                    nested += 1;
                }
                Event::Empty(e) => self.open(&e, Open::Empty)?,
                Event::End(_) => {
                    self.close();
                    match nested.checked_sub(1) {
                        Some(n) => nested = n,
                        None => return Ok(()),
                    }
                }
                Event::GeneralRef(r) => {
                    self.resolve(&r)?;
                }
                event @ (Event::Eof | Event::Decl(_) | Event::DocType(_)) => {
                    return Err(self.misplaced(&event));
                }
                _ => {}
            }
        }
    }
}

/// XML 1.0 end-of-line handling (CR LF and lone CR become LF), as `xml10_content`
/// does, without its `memchr` set-up on the short texts that have no CR at all; and the
/// XML 1.0 `Char` rule, so a raw control character is as malformed as `&#1;`. `Err`
/// carries the first character XML cannot carry.
fn eols(text: Cow<'_, str>) -> std::result::Result<Cow<'_, str>, char> {
    // One plain loop over the bytes finds both CR and anything suspect: C0 controls, and
    // 0xEF, the lead byte of U+FFFE and U+FFFF. `contains` would call `memchr`, slower on
    // texts this short.
    if !suspect(text.as_bytes()) {
        return Ok(text);
    }
    if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
        return Err(c);
    }
    if !text.contains('\r') {
        return Ok(text);
    }
    Ok(match text {
        Cow::Borrowed(t) => BytesText::from_escaped(t).xml10_content(),
        Cow::Owned(t) => Cow::Owned(BytesText::from_escaped(t).xml10_content().into_owned()),
    })
}

/// Whether `bytes` holds a C0 control (CR, LF and tab included) or 0xEF, the lead byte
/// of U+FFFE and U+FFFF: only then does the text need a closer look.
#[inline(always)]
fn suspect(bytes: &[u8]) -> bool {
    swar::any(bytes, b'a', |w| swar::below(w, 0x20) | swar::equal(w, 0xEF))
}

/// Appends a piece of text: a single piece stays as it came (borrowed when it needed no
/// normalization); a second piece makes the text owned, once.
fn append<'a>(acc: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match acc {
        None => *acc = Some(piece),
        Some(_) => owned(acc, piece.len()).push_str(&piece),
    }
}

/// The accumulated text as an owned string with room for `more` bytes, allocated once
/// with spare capacity so that the usual `a&amp;b` costs one allocation.
fn owned<'s>(acc: &'s mut Option<Cow<'_, str>>, more: usize) -> &'s mut String {
    let prev = acc.take().unwrap_or_default();
    let text = match prev {
        Cow::Owned(text) => text,
        Cow::Borrowed(prev) => {
            let mut text = String::with_capacity(prev.len() + more + 32);
            text.push_str(prev);
            text
        }
    };
    // Owned already, so `to_mut` does not copy.
    acc.insert(Cow::Owned(text)).to_mut()
}

fn pos(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

fn is_xml_space_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_xml_space(text: &str) -> bool {
    // XML whitespace is ASCII, and no byte of a multi-byte character is ASCII. The usual
    // indentation is a line feed and spaces: checked a word at a time, whatever its
    // length, before the plain scan.
    let bytes = text.as_bytes();
    if let [b'\n', spaces @ ..] = bytes
        && !swar::any(spaces, b' ', |w| w ^ u64::from_le_bytes([b' '; 8]))
    {
        return true;
    }
    bytes.iter().all(|&b| is_xml_space_byte(b))
}

fn is_xml_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// XML 1.0 `Char`: what a character reference may name.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_xml_space_matches_the_plain_scan() {
        // Spaces, and a line feed then spaces (the indentation the word test takes), with
        // every byte value at every position.
        for first in [b' ', b'\n'] {
            for len in 0..41 {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut text = vec![b' '; len];
                        text[0] = first;
                        text[at] = b;
                        let Ok(text) = String::from_utf8(text) else {
                            continue;
                        };
                        let plain = text.bytes().all(|b| b" \t\r\n".contains(&b));
                        assert_eq!(super::is_xml_space(&text), plain, "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn suspect_matches_the_plain_scan() {
        // Every byte value at every position of texts of 0 to 40 bytes: each way of reading
        // them (a few bytes, two halves, words with an overlapping last one).
        for len in 0..41 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut text = vec![b'a'; len];
                    text[at] = b;
                    let plain = text.iter().any(|&b| b < 0x20 || b == 0xEF);
                    assert_eq!(
                        super::suspect(&text),
                        plain,
                        "len {len} at {at} byte {b:#x}"
                    );
                }
            }
        }
    }
}
