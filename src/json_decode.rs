//! JSON bodies, decoded straight from serde_json's parser through hand-written visitors:
//! no `serde_json::Value` in between, unknown values skipped without being built, strings
//! borrowed from the body unless they hold escapes.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::decode_error::{DecodeError, DecodeErrorKind as Kind};
use crate::limits::Limits;
use crate::request::Action;
use crate::response::{InstanceRamRoleSet, InstanceResult, Response};
use crate::service_error::{ErrorCode, ServiceError};

/// What the visitors know while they run, and the kind of the first error they raise
/// (serde's error type carries only a message).
struct Ctx {
    action: Action,
    limits: Limits,
    kind: Cell<Option<Kind>>,
    /// Still before the root object: a type error now means the body is not an object
    /// at all (the wrong document), not a field of the wrong type.
    at_root: Cell<bool>,
}

impl Ctx {
    fn new(action: Action, limits: Limits) -> Self {
        Self {
            action,
            limits,
            kind: Cell::new(None),
            at_root: Cell::new(true),
        }
    }
}

impl Ctx {
    fn fail<E: de::Error>(&self, kind: Kind, message: impl fmt::Display) -> E {
        if self.kind.get().is_none() {
            self.kind.set(Some(kind));
        }
        E::custom(message)
    }
}

/// Decodes a success body: a JSON object holding the response fields.
pub(crate) fn decode_response<'a>(
    action: Action,
    body: &'a [u8],
    limits: Limits,
) -> Result<Response<'a>, DecodeError> {
    // The usual body takes the fast path; anything it does not fully vouch for (an
    // error, an escape, an odd number, a limit near) goes through serde_json below,
    // which also gives every error its kind and position.
    if let Some(response) = fast::decode_response(action, body, limits) {
        return Ok(response);
    }
    let ctx = Ctx::new(action, limits);
    run(body, &ctx, |de| {
        de.deserialize_any(ObjectVisitor(ResponseObject(&ctx)))
    })
}

/// A strict single-pass reader for the usual success body: valid UTF-8 (checked once, up
/// front), strings without escapes, non-negative integers, the expected types. It returns
/// `None` (and the caller falls back to the serde_json decoder) on anything else: any
/// syntax error, escape, fraction, exponent, sign, type mismatch, duplicate field, deep
/// nesting or limit reached. So when it returns a response, the serde_json decoder
/// returns the same one (the tests below check this on every corpus body and on
/// thousands of mutations of them); it only skips serde's per-value visitor machinery,
/// which costs about twice a bare scan.
mod fast {
    use std::borrow::Cow;

    use crate::limits::Limits;
    use crate::request::Action;
    use crate::response::{InstanceRamRoleSet, InstanceResult, Response};

    /// Below serde_json's own recursion limit (128), whatever `max_depth` says.
    const MAX_NESTING: usize = 100;

    /// `None` means "not vouched for": fall back, never "invalid".
    type Maybe<T> = Option<T>;

    struct Reader<'a> {
        text: &'a str,
        bytes: &'a [u8],
        at: usize,
        limits: Limits,
    }

    pub(super) fn decode_response(
        action: Action,
        body: &[u8],
        limits: Limits,
    ) -> Maybe<Response<'_>> {
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let text = std::str::from_utf8(body).ok()?;
        let mut r = Reader {
            text,
            bytes: body,
            at: 0,
            limits,
        };
        let names = action.names();
        let mut response = Response::new(action);
        r.object(|r, key| match key {
            "RequestId" => r.string_field(&mut response.request_id),
            "RamRoleName" => r.string_field(&mut response.ram_role_name),
            "TotalCount" => r.count_field(&mut response.total_count),
            "FailCount" => r.count_field(&mut response.fail_count),
            k if k == names.results => {
                r.wrapper(&mut response.results, names.result, 3, |r| r.result(action))
            }
            _ => r.skip(1),
        })?;
        r.ws();
        (r.at == r.bytes.len()).then_some(response)
    }

    /// Where the first `"`, `\\` or control character is.
    pub(super) fn string_end(bytes: &[u8]) -> Option<usize> {
        crate::swar::find(
            bytes,
            |w| {
                crate::swar::equal(w, b'"')
                    | crate::swar::equal(w, b'\\')
                    | crate::swar::below(w, 0x20)
            },
            |b| b == b'"' || b == b'\\' || b < 0x20,
        )
    }

    impl<'a> Reader<'a> {
        fn peek(&self) -> Maybe<u8> {
            self.bytes.get(self.at).copied()
        }

        fn ws(&mut self) {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
                self.at += 1;
            }
        }

        /// Skips whitespace, then consumes `b`.
        fn expect(&mut self, b: u8) -> Maybe<()> {
            self.ws();
            (self.peek()? == b).then(|| self.at += 1)
        }

        /// A string without escapes or control characters, borrowed from the body.
        fn string(&mut self) -> Maybe<&'a str> {
            self.expect(b'"')?;
            let start = self.at;
            let len = string_end(&self.bytes[start..])?;
            self.at = start + len;
            if self.bytes[self.at] != b'"' {
                return None;
            }
            self.at += 1;
            // Both ends are next to an ASCII quote, so on char boundaries.
            self.text.get(start..start + len)
        }

        /// `null` (consumed: true) or not (nothing consumed: false).
        fn null(&mut self) -> bool {
            self.ws();
            let null = self.peek() == Some(b'n') && self.bytes[self.at..].starts_with(b"null");
            if null {
                self.at += 4;
            }
            null
        }

        fn literal(&mut self, word: &[u8]) -> Maybe<()> {
            self.ws();
            self.bytes[self.at..]
                .starts_with(word)
                .then(|| self.at += word.len())
        }

        /// A non-negative integer without leading zeros, fraction or exponent.
        fn integer(&mut self) -> Maybe<u64> {
            self.ws();
            let start = self.at;
            let mut n: u64 = 0;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
                self.at += 1;
            }
            let digits = self.at - start;
            let leading_zero = digits > 1 && self.bytes[start] == b'0';
            if digits == 0 || leading_zero || matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
                return None;
            }
            Some(n)
        }

        /// `{ "key": value, ... }`, `member` reading each value.
        fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Maybe<()>) -> Maybe<()> {
            self.expect(b'{')?;
            self.ws();
            if self.peek()? == b'}' {
                self.at += 1;
                return Some(());
            }
            loop {
                let key = self.string()?;
                self.expect(b':')?;
                member(self, key)?;
                self.ws();
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => {
                        self.at += 1;
                        return Some(());
                    }
                    _ => return None,
                }
            }
        }

        /// A string field, or `null` for absent; the slot must still be empty.
        fn string_field(&mut self, slot: &mut Option<Cow<'a, str>>) -> Maybe<()> {
            if slot.is_some() {
                return None;
            }
            if !self.null() {
                let s = self.string()?;
                if s.len() > self.limits.max_string_bytes {
                    return None;
                }
                *slot = Some(Cow::Borrowed(s));
            }
            Some(())
        }

        fn count_field(&mut self, slot: &mut Option<u32>) -> Maybe<()> {
            if slot.is_some() {
                return None;
            }
            if !self.null() {
                *slot = Some(u32::try_from(self.integer()?).ok()?);
            }
            Some(())
        }

        /// `Code`: a string, or an integer taken as its decimal text.
        fn code_field(&mut self, slot: &mut Option<Cow<'a, str>>) -> Maybe<()> {
            self.ws();
            if self.peek()?.is_ascii_digit() {
                if slot.is_some() {
                    return None;
                }
                *slot = Some(Cow::Owned(self.integer()?.to_string()));
                return Some(());
            }
            self.string_field(slot)
        }

        /// `Success`: a boolean, or `"true"` / `"false"`.
        fn bool_field(&mut self, slot: &mut Option<bool>) -> Maybe<()> {
            if slot.is_some() {
                return None;
            }
            if self.null() {
                return Some(());
            }
            *slot = Some(match self.peek()? {
                b't' => self.literal(b"true").map(|()| true)?,
                b'f' => self.literal(b"false").map(|()| false)?,
                _ => match self.string()? {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                },
            });
            Some(())
        }

        /// `{"Item": [objects]}`, `null` for an absent wrapper; other keys skipped at
        /// `skip_depth`, as the serde decoder does.
        fn wrapper<T>(
            &mut self,
            slot: &mut Option<Vec<T>>,
            item: &str,
            skip_depth: usize,
            mut decode: impl FnMut(&mut Self) -> Maybe<T>,
        ) -> Maybe<()> {
            if slot.is_some() {
                return None;
            }
            if self.null() {
                return Some(());
            }
            let mut items: Option<Vec<T>> = None;
            self.object(|r, key| {
                if key != item {
                    return r.skip(skip_depth);
                }
                if items.is_some() {
                    return None;
                }
                let mut list = Vec::new();
                if !r.null() {
                    r.expect(b'[')?;
                    r.ws();
                    if r.peek()? == b']' {
                        r.at += 1;
                    } else {
                        loop {
                            if list.len() == r.limits.max_items {
                                return None;
                            }
                            list.push(decode(r)?);
                            r.ws();
                            match r.peek()? {
                                b',' => r.at += 1,
                                b']' => {
                                    r.at += 1;
                                    break;
                                }
                                _ => return None,
                            }
                        }
                    }
                }
                items = Some(list);
                Some(())
            })?;
            *slot = Some(items.unwrap_or_default());
            Some(())
        }

        fn result(&mut self, action: Action) -> Maybe<InstanceResult<'a>> {
            let mut r = InstanceResult::default();
            self.object(|this, key| match key {
                "InstanceId" => this.string_field(&mut r.instance_id),
                "Message" => this.string_field(&mut r.message),
                "Code" => this.code_field(&mut r.code),
                "Success" => this.bool_field(&mut r.success),
                "InstanceRamRoleSets" if action == Action::DetachInstanceRamRole => this.wrapper(
                    &mut r.instance_ram_role_sets,
                    "InstanceRamRoleSet",
                    6,
                    Self::role_set,
                ),
                _ => this.skip(4),
            })?;
            Some(r)
        }

        fn role_set(&mut self) -> Maybe<InstanceRamRoleSet<'a>> {
            let mut s = InstanceRamRoleSet::default();
            self.object(|this, key| match key {
                "InstanceId" => this.string_field(&mut s.instance_id),
                "RamRoleName" => this.string_field(&mut s.ram_role_name),
                _ => this.skip(7),
            })?;
            Some(s)
        }

        /// Skips any value. `depth` is the serde decoder's `Skip` depth: entering a
        /// container there at or past `max_depth` is its error, so it is a fallback here.
        fn skip(&mut self, depth: usize) -> Maybe<()> {
            self.ws();
            match self.peek()? {
                b'"' => self.string().map(drop),
                b'{' | b'[' if depth + 1 >= self.limits.max_depth.min(MAX_NESTING) => None,
                b'{' => self.object(|r, _| r.skip(depth + 1)),
                b'[' => {
                    self.at += 1;
                    self.ws();
                    if self.peek()? == b']' {
                        self.at += 1;
                        return Some(());
                    }
                    loop {
                        self.skip(depth + 1)?;
                        self.ws();
                        match self.peek()? {
                            b',' => self.at += 1,
                            b']' => {
                                self.at += 1;
                                return Some(());
                            }
                            _ => return None,
                        }
                    }
                }
                b't' => self.literal(b"true"),
                b'f' => self.literal(b"false"),
                b'n' => self.literal(b"null"),
                b'0'..=b'9' => self.integer().map(drop),
                _ => None,
            }
        }
    }
}

/// Decodes a flat JSON error object; `None` when the body is anything else.
pub(crate) fn decode_error(status: u16, body: &[u8], limits: Limits) -> Option<ServiceError> {
    // The action plays no part in error bodies.
    let ctx = Ctx::new(Action::AttachInstanceRamRole, limits);
    run(body, &ctx, |de| {
        de.deserialize_any(ErrorVisitor { ctx: &ctx, status })
    })
    .ok()
}

fn run<'a, T>(
    body: &'a [u8],
    ctx: &Ctx,
    decode: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::SliceRead<'a>>,
    ) -> Result<T, serde_json::Error>,
) -> Result<T, DecodeError> {
    // RFC 8259 lets a parser skip a BOM; serde_json does not, so it is skipped here.
    let text = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let mut de = serde_json::Deserializer::from_slice(text);
    let result = decode(&mut de).and_then(|value| de.end().map(|()| value));
    result.map_err(|e| {
        // A body that is not an object at all may also not be JSON at all (the published
        // Detach example is a bare string followed by garbage): syntax comes first.
        let e = match serde_json::from_slice::<de::IgnoredAny>(text) {
            Err(syntax) if ctx.at_root.get() => syntax,
            _ => e,
        };
        let kind = match e.classify() {
            serde_json::error::Category::Data => ctx.kind.get().unwrap_or(if ctx.at_root.get() {
                Kind::UnexpectedShape
            } else {
                Kind::TypeMismatch
            }),
            _ => Kind::MalformedBody,
        };
        let message = e.to_string();
        // serde_json appends " at line L column C"; the position is reported separately.
        let message = message
            .rsplit_once(" at line ")
            .map_or(&*message, |(m, _)| m);
        // serde_json's column is that of the last byte it read: the offending byte for a
        // syntax error, the value's last byte for a type error. At end of input the
        // problem is the end itself.
        let mut err = if e.classify() == serde_json::error::Category::Eof {
            DecodeError::at(kind, text, text.len(), message)
        } else {
            DecodeError::at_line_column(kind, text, e.line(), e.column(), message)
        };
        if text.len() != body.len() {
            err = DecodeError::at(
                kind,
                body,
                err.offset() + (body.len() - text.len()),
                message,
            );
        }
        err
    })
}

/// Object keys, borrowed unless escaped.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
}

/// Decodes any value through `deserialize_any` with the wrapped visitor.
struct Any<V>(V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for Any<V> {
    type Value = V::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self.0)
    }
}

/// The JSON spellings a scalar field accepts. `null` always means "absent"; any other
/// type is a type mismatch (serde's default `invalid_type` error).
#[derive(Clone, Copy)]
enum Field {
    /// A string.
    Str,
    /// `Code`: a string, or an integer taken as its decimal text.
    Code,
    /// `TotalCount` / `FailCount`: an integer in `u32`.
    Count,
    /// `Success`: a boolean, or the string `"true"` / `"false"`.
    Bool,
}

enum Scalar<'de> {
    Null,
    Str(Cow<'de, str>),
    Count(u32),
    Bool(bool),
}

struct ScalarVisitor<'c> {
    ctx: &'c Ctx,
    field: Field,
}

impl<'de> Visitor<'de> for ScalarVisitor<'_> {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.field {
            Field::Str => "a string",
            Field::Code => "a string or an integer",
            Field::Count => "a non-negative 32-bit integer",
            Field::Bool => "a boolean or \"true\"/\"false\"",
        })
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        self.text(Cow::Borrowed(s))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        self.text(Cow::Owned(s.to_owned()))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        match self.field {
            Field::Code => Ok(Scalar::Str(Cow::Owned(n.to_string()))),
            Field::Count => u32::try_from(n)
                .map(Scalar::Count)
                .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(n), &self)),
            _ => Err(E::invalid_type(de::Unexpected::Unsigned(n), &self)),
        }
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        match self.field {
            Field::Code => Ok(Scalar::Str(Cow::Owned(n.to_string()))),
            _ => Err(E::invalid_type(de::Unexpected::Signed(n), &self)),
        }
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        match self.field {
            Field::Bool => Ok(Scalar::Bool(b)),
            _ => Err(E::invalid_type(de::Unexpected::Bool(b), &self)),
        }
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
}

impl ScalarVisitor<'_> {
    fn text<'de, E: de::Error>(self, s: Cow<'de, str>) -> Result<Scalar<'de>, E> {
        match (self.field, &*s) {
            (Field::Str | Field::Code, _) if s.len() > self.ctx.limits.max_string_bytes => {
                Err(self.ctx.fail(
                    Kind::LimitExceeded,
                    format_args!(
                        "a string is longer than {} bytes",
                        self.ctx.limits.max_string_bytes
                    ),
                ))
            }
            (Field::Str | Field::Code, _) => Ok(Scalar::Str(s)),
            (Field::Bool, "true") => Ok(Scalar::Bool(true)),
            (Field::Bool, "false") => Ok(Scalar::Bool(false)),
            _ => Err(E::invalid_type(de::Unexpected::Str(&s), &self)),
        }
    }
}

/// Reads a scalar field's value into `slot`; a repeated key is an unexpected shape.
fn scalar<'de, A: MapAccess<'de>, T>(
    ctx: &Ctx,
    map: &mut A,
    key: &str,
    field: Field,
    slot: &mut Option<T>,
    pick: impl FnOnce(Scalar<'de>) -> Option<T>,
) -> Result<bool, A::Error> {
    let value = map.next_value_seed(Any(ScalarVisitor { ctx, field }))?;
    once(ctx, slot, key, pick(value))?;
    Ok(true)
}

fn once<T, E: de::Error>(
    ctx: &Ctx,
    slot: &mut Option<T>,
    key: &str,
    value: Option<T>,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(ctx.fail(Kind::UnexpectedShape, format_args!("duplicate field {key}")));
    }
    *slot = value;
    Ok(())
}

fn str_field<'de, A: MapAccess<'de>>(
    ctx: &Ctx,
    map: &mut A,
    key: &str,
    field: Field,
    slot: &mut Option<Cow<'de, str>>,
) -> Result<bool, A::Error> {
    scalar(ctx, map, key, field, slot, |v| match v {
        Scalar::Str(s) => Some(s),
        _ => None,
    })
}

/// Skips an unknown value of any type without building it, within the depth limit.
struct Skip<'c> {
    ctx: &'c Ctx,
    depth: usize,
}

impl<'de> Visitor<'de> for Skip<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        while seq
            .next_element_seed(Any(Skip {
                ctx: self.ctx,
                depth: inner,
            }))?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        while map.next_key_seed(Key)?.is_some() {
            map.next_value_seed(Any(Skip {
                ctx: self.ctx,
                depth: inner,
            }))?;
        }
        Ok(())
    }
}

impl Skip<'_> {
    fn deeper<E: de::Error>(&self) -> Result<usize, E> {
        if self.depth >= self.ctx.limits.max_depth {
            return Err(self.ctx.fail(
                Kind::LimitExceeded,
                format_args!("values nest deeper than {}", self.ctx.limits.max_depth),
            ));
        }
        Ok(self.depth + 1)
    }
}

/// One JSON object of the model: the response, a result, a role set.
trait Object<'de>: Copy {
    type Value;
    /// Nesting depth of the object (the root object is 1); unknown values below it are
    /// skipped from there.
    const DEPTH: usize;
    const WHAT: &'static str;
    fn ctx(&self) -> &Ctx;
    fn new_value(&self) -> Self::Value;
    /// Reads the value of a known key and returns `true`, or returns `false` to have it
    /// skipped.
    fn field<A: MapAccess<'de>>(
        &self,
        value: &mut Self::Value,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;
}

struct ObjectVisitor<O>(O);

impl<'de, O: Object<'de>> Visitor<'de> for ObjectVisitor<O> {
    type Value = O::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(O::WHAT)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let object = self.0;
        object.ctx().at_root.set(false);
        let mut value = object.new_value();
        while let Some(key) = map.next_key_seed(Key)? {
            if !object.field(&mut value, &key, &mut map)? {
                map.next_value_seed(Any(Skip {
                    ctx: object.ctx(),
                    depth: O::DEPTH,
                }))?;
            }
        }
        Ok(value)
    }
}

/// A list wrapper `{"X": [...]}`. `null` means the wrapper is absent; a present wrapper
/// is always a list, empty when `X` is missing or `null`.
struct Wrapper<O> {
    item: &'static str,
    object: O,
}

impl<'de, O: Object<'de>> Visitor<'de> for Wrapper<O> {
    type Value = Option<Vec<O::Value>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object holding a {} list", self.item)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ctx = self.object.ctx();
        let mut items = None;
        while let Some(key) = map.next_key_seed(Key)? {
            if key == self.item {
                let list = map.next_value_seed(Any(List(self.object)))?;
                once(ctx, &mut items, &key, Some(list))?;
            } else {
                map.next_value_seed(Any(Skip {
                    ctx,
                    depth: O::DEPTH - 1,
                }))?;
            }
        }
        Ok(Some(items.unwrap_or_default()))
    }
}

/// The array inside a wrapper; `null` counts as empty.
struct List<O>(O);

impl<'de, O: Object<'de>> Visitor<'de> for List<O> {
    type Value = Vec<O::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of {}", O::WHAT)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let ctx = self.0.ctx();
        let mut items = Vec::new();
        while let Some(value) = seq.next_element_seed(Any(ObjectVisitor(self.0)))? {
            if items.len() == ctx.limits.max_items {
                return Err(ctx.fail(
                    Kind::LimitExceeded,
                    format_args!("a list has more than {} items", ctx.limits.max_items),
                ));
            }
            items.push(value);
        }
        Ok(items)
    }
}

fn wrapper<'de, A: MapAccess<'de>, O: Object<'de>>(
    map: &mut A,
    key: &str,
    item: &'static str,
    object: O,
    slot: &mut Option<Vec<O::Value>>,
) -> Result<bool, A::Error> {
    let value = map.next_value_seed(Any(Wrapper { item, object }))?;
    // A repeated wrapper key is caught even when the first one was `null`.
    if slot.is_some() {
        return Err(object
            .ctx()
            .fail(Kind::UnexpectedShape, format_args!("duplicate field {key}")));
    }
    *slot = value;
    Ok(true)
}

#[derive(Clone, Copy)]
struct ResponseObject<'c>(&'c Ctx);

impl<'de> Object<'de> for ResponseObject<'_> {
    type Value = Response<'de>;
    const DEPTH: usize = 1;
    const WHAT: &'static str = "a JSON object";
    fn ctx(&self) -> &Ctx {
        self.0
    }
    fn new_value(&self) -> Response<'de> {
        Response::new(self.0.action)
    }
    fn field<A: MapAccess<'de>>(
        &self,
        r: &mut Response<'de>,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let ctx = self.0;
        let names = ctx.action.names();
        let count = |v| match v {
            Scalar::Count(n) => Some(n),
            _ => None,
        };
        match key {
            "RequestId" => str_field(ctx, map, key, Field::Str, &mut r.request_id),
            "RamRoleName" => str_field(ctx, map, key, Field::Str, &mut r.ram_role_name),
            "TotalCount" => scalar(ctx, map, key, Field::Count, &mut r.total_count, count),
            "FailCount" => scalar(ctx, map, key, Field::Count, &mut r.fail_count, count),
            k if k == names.results => {
                wrapper(map, key, names.result, ResultObject(ctx), &mut r.results)
            }
            _ => Ok(false),
        }
    }
}

#[derive(Clone, Copy)]
struct ResultObject<'c>(&'c Ctx);

impl<'de> Object<'de> for ResultObject<'_> {
    type Value = InstanceResult<'de>;
    const DEPTH: usize = 4;
    const WHAT: &'static str = "a result object";
    fn ctx(&self) -> &Ctx {
        self.0
    }
    fn new_value(&self) -> InstanceResult<'de> {
        InstanceResult::default()
    }
    fn field<A: MapAccess<'de>>(
        &self,
        r: &mut InstanceResult<'de>,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let ctx = self.0;
        match key {
            "InstanceId" => str_field(ctx, map, key, Field::Str, &mut r.instance_id),
            "Message" => str_field(ctx, map, key, Field::Str, &mut r.message),
            "Code" => str_field(ctx, map, key, Field::Code, &mut r.code),
            "Success" => scalar(ctx, map, key, Field::Bool, &mut r.success, |v| match v {
                Scalar::Bool(b) => Some(b),
                _ => None,
            }),
            "InstanceRamRoleSets" if ctx.action == Action::DetachInstanceRamRole => wrapper(
                map,
                key,
                "InstanceRamRoleSet",
                SetObject(ctx),
                &mut r.instance_ram_role_sets,
            ),
            _ => Ok(false),
        }
    }
}

#[derive(Clone, Copy)]
struct SetObject<'c>(&'c Ctx);

impl<'de> Object<'de> for SetObject<'_> {
    type Value = InstanceRamRoleSet<'de>;
    const DEPTH: usize = 7;
    const WHAT: &'static str = "an InstanceRamRoleSet object";
    fn ctx(&self) -> &Ctx {
        self.0
    }
    fn new_value(&self) -> InstanceRamRoleSet<'de> {
        InstanceRamRoleSet::default()
    }
    fn field<A: MapAccess<'de>>(
        &self,
        s: &mut InstanceRamRoleSet<'de>,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            "InstanceId" => str_field(self.0, map, key, Field::Str, &mut s.instance_id),
            "RamRoleName" => str_field(self.0, map, key, Field::Str, &mut s.ram_role_name),
            _ => Ok(false),
        }
    }
}

struct ErrorVisitor<'c> {
    ctx: &'c Ctx,
    status: u16,
}

impl<'de> Visitor<'de> for ErrorVisitor<'_> {
    type Value = ServiceError;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an error object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let ctx = self.ctx;
        let (mut code, mut message, mut request_id, mut host_id, mut recommend) =
            (None, None, None, None, None);
        let mut detail: Option<Map<String, Value>> = None;
        while let Some(key) = map.next_key_seed(Key)? {
            let slot = match &*key {
                "Code" => Some((&mut code, Field::Code)),
                "Message" => Some((&mut message, Field::Str)),
                "RequestId" => Some((&mut request_id, Field::Str)),
                "HostId" => Some((&mut host_id, Field::Str)),
                "Recommend" => Some((&mut recommend, Field::Str)),
                _ => None,
            };
            if let Some((slot, field)) = slot {
                str_field(ctx, &mut map, &key, field, slot)?;
            } else if key == "AccessDeniedDetail" || key == "accessDeniedDetail" {
                // An open map by nature: kept whole, every value with its JSON type.
                let value: Option<Map<String, Value>> = map.next_value()?;
                once(ctx, &mut detail, &key, value)?;
            } else {
                map.next_value_seed(Any(Skip { ctx, depth: 1 }))?;
            }
        }
        let own = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        Ok(ServiceError {
            http_status: self.status,
            code: code.map(|c| ErrorCode::parse(&c)),
            message: own(message),
            request_id: own(request_id),
            host_id: own(host_id),
            recommend: own(recommend),
            access_denied_detail: detail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The serde_json decoder alone, without the fast path in front.
    fn slow(action: Action, body: &[u8], limits: Limits) -> Result<Response<'_>, DecodeError> {
        let ctx = Ctx::new(action, limits);
        run(body, &ctx, |de| {
            de.deserialize_any(ObjectVisitor(ResponseObject(&ctx)))
        })
    }

    /// Whenever the fast path answers, the serde_json decoder gives the same response.
    /// Returns whether the fast path answered.
    fn agree(action: Action, body: &[u8], limits: Limits) -> bool {
        let Some(fast) = fast::decode_response(action, body, limits) else {
            return false;
        };
        match slow(action, body, limits) {
            Ok(slow) => assert_eq!(fast, slow, "{action} {:?}", String::from_utf8_lossy(body)),
            Err(e) => panic!(
                "fast path accepted what serde_json rejects ({e}): {action} {:?}",
                String::from_utf8_lossy(body)
            ),
        }
        true
    }

    const ACTIONS: [Action; 2] = [Action::AttachInstanceRamRole, Action::DetachInstanceRamRole];

    /// Every JSON body of the corpus, and hand-made ones for the corners the corpus
    /// does not reach.
    fn seeds() -> Vec<Vec<u8>> {
        let mut seeds = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/response");
        for action in std::fs::read_dir(&root).expect("corpus/response") {
            let dir = action.expect("entry").path().join("json");
            for file in std::fs::read_dir(dir).expect("json cases") {
                let path = file.expect("entry").path();
                if path.to_string_lossy().ends_with(".body.json") {
                    // A test reads the corpus (clippy.toml bans file IO in the library).
                    #[allow(clippy::disallowed_methods)]
                    seeds.push(std::fs::read(&path).expect("readable"));
                }
            }
        }
        assert!(seeds.len() > 30, "the corpus has its JSON cases");
        for extra in [
            r#"{"RequestId":null,"TotalCount":null,"FailCount":0,"RamRoleName":"r","X":[1,{"a":[true,false,null,"s"]},[]]}"#,
            r#"{"AttachInstanceRamRoleResults":{"Other":{"x":[[]]},"AttachInstanceRamRoleResult":[{"Code":200,"Success":"true","Extra":{}},{"Code":"E","Success":false,"Message":null},{}]}}"#,
            r#"{"DetachInstanceRamRoleResults":{"DetachInstanceRamRoleResult":[{"InstanceRamRoleSets":{"InstanceRamRoleSet":[{"InstanceId":"i","RamRoleName":"r","z":9}]},"Success":true}]}}"#,
            r#"{"DetachInstanceRamRoleResults":{"DetachInstanceRamRoleResult":[{"InstanceRamRoleSets":null},{"InstanceRamRoleSets":{"InstanceRamRoleSet":null}}]}}"#,
            r#"{"AttachInstanceRamRoleResults":null,"AttachInstanceRamRoleResults":{"AttachInstanceRamRoleResult":[]}}"#,
            r#"{"RequestId":null,"RequestId":"again"}"#,
            " \u{feff}{\"RequestId\":\"\u{e9}\u{963f}\"} \n",
            "\u{feff}{\"TotalCount\":4294967295,\"FailCount\":4294967296}",
            r#"{"AttachInstanceRamRoleResults":{"AttachInstanceRamRoleResult":[{"Code":18446744073709551615},{"Code":18446744073709551616}]}}"#,
            r#"{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{}}}}}}}}}"#,
        ] {
            seeds.push(extra.as_bytes().to_vec());
        }
        seeds
    }

    fn limits() -> [Limits; 4] {
        let d = Limits::default();
        [
            d,
            Limits { max_items: 1, ..d },
            Limits {
                max_string_bytes: 3,
                ..d
            },
            Limits { max_depth: 3, ..d },
        ]
    }

    #[test]
    fn fast_path_agrees_with_serde_json_on_every_seed_and_takes_the_usual_bodies() {
        let mut answered = 0;
        for seed in seeds() {
            for action in ACTIONS {
                for limits in limits() {
                    answered += usize::from(agree(action, &seed, limits));
                }
            }
        }
        assert!(
            answered > 100,
            "the fast path answered only {answered} times"
        );
        // The documented examples and generated bodies are what it is for.
        for (action, body) in [
            (
                Action::AttachInstanceRamRole,
                &include_bytes!(
                    "../corpus/response/AttachInstanceRamRole/json/y_doc_example.body.json"
                )[..],
            ),
            (
                Action::DetachInstanceRamRole,
                &include_bytes!(
                    "../corpus/response/DetachInstanceRamRole/json/y_doc_example_repaired.body.json"
                )[..],
            ),
        ] {
            assert!(agree(action, body, Limits::default()), "{action}");
        }
    }

    #[test]
    fn string_end_finds_the_first_quote_backslash_or_control_byte() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
        // Every position, every byte value, with bytes on both sides that look alike.
        for len in 0..20 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    if at + 1 < len {
                        bytes[at + 1] = b'"';
                    }
                    if at > 0 {
                        bytes[at - 1] = 0xA2;
                    }
                    assert_eq!(fast::string_end(&bytes), naive(&bytes), "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn fast_path_agrees_with_serde_json_on_mutations() {
        // Each seed with one byte deleted, replaced or inserted, at every position.
        const BYTES: &[u8] = b"\"\\{}[],:0-.e nt\x01\xC3";
        let mut answered = 0;
        let mut tried = 0;
        for seed in seeds().into_iter().filter(|s| s.len() <= 600) {
            let mut mutants = Vec::new();
            for at in 0..=seed.len() {
                if at < seed.len() {
                    let mut m = seed.clone();
                    m.remove(at);
                    mutants.push(m);
                }
                for &b in BYTES {
                    if at < seed.len() && seed[at] != b {
                        let mut m = seed.clone();
                        m[at] = b;
                        mutants.push(m);
                    }
                    if at % 3 == 0 {
                        let mut m = seed.clone();
                        m.insert(at, b);
                        mutants.push(m);
                    }
                }
            }
            for m in mutants {
                for action in ACTIONS {
                    tried += 1;
                    answered += usize::from(agree(action, &m, Limits::default()));
                }
            }
        }
        assert!(answered > 1000, "{answered} of {tried} mutants answered");
    }
}
