//! The serde_json decoder: hand-written visitors over serde_json's parser, with no
//! `serde_json::Value` in between, unknown values skipped without being built, strings
//! borrowed from the body unless they hold escapes. It decodes whatever the fast path
//! does not vouch for, and gives every error its kind, field and position.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::depth;
use crate::request::Action;
use crate::response::error::{DecodeError, DecodeErrorKind as Kind};
use crate::response::limits::Limits;
use crate::response::model::{InstanceRamRoleSet, InstanceResult, Response};
use crate::response::service_error::{AccessDeniedDetail, DetailValue, ErrorCode, ServiceError};

/// What the visitors know while they run, and the kind and field of the first error they
/// raise (serde's error type carries only a message).
struct Ctx {
    action: Action,
    limits: Limits,
    kind: Cell<Option<Kind>>,
    /// The innermost key whose value failed, set on the way out of the error.
    field: RefCell<Option<Box<str>>>,
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
            field: RefCell::new(None),
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

    /// Passes `result` through, naming `key` as the field of its error unless an inner
    /// key was named.
    fn within<T, E>(&self, key: &str, result: Result<T, E>) -> Result<T, E> {
        if result.is_err() {
            self.field.borrow_mut().get_or_insert_with(|| key.into());
        }
        result
    }
}

/// Decodes a success body: a JSON object holding the response fields.
pub(super) fn decode_response<'a>(
    action: Action,
    body: &'a [u8],
    limits: Limits,
) -> Result<Response<'a>, DecodeError> {
    let ctx = Ctx::new(action, limits);
    run(body, &ctx, |de| {
        de.deserialize_any(ObjectVisitor(ResponseObject(&ctx)))
    })
}

/// Decodes a flat JSON error object; `None` when the body is anything else.
pub(super) fn decode_error(status: u16, body: &[u8], limits: Limits) -> Option<ServiceError> {
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
        match ctx.field.take() {
            Some(field) if !ctx.at_root.get() => err.in_field(&field),
            _ => err,
        }
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
            let ctx = object.ctx();
            let known = ctx.within(&key, object.field(&mut value, &key, &mut map))?;
            if !known {
                let skipped = map.next_value_seed(Any(Skip {
                    ctx,
                    depth: O::DEPTH,
                }));
                ctx.within(&key, skipped)?;
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
    const DEPTH: usize = depth::RESPONSE;
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
        let describe = names.results.is_none();
        match key {
            "RequestId" => str_field(ctx, map, key, Field::Str, &mut r.request_id),
            "TotalCount" => scalar(ctx, map, key, Field::Count, &mut r.total_count, count),
            "RamRoleName" if !describe => {
                str_field(ctx, map, key, Field::Str, &mut r.ram_role_name)
            }
            "FailCount" if !describe => {
                scalar(ctx, map, key, Field::Count, &mut r.fail_count, count)
            }
            k if names.is_results(k) => {
                wrapper(map, key, names.result(), ResultObject(ctx), &mut r.results)
            }
            "RegionId" if describe => str_field(ctx, map, key, Field::Str, &mut r.region_id),
            "PageNumber" if describe => {
                scalar(ctx, map, key, Field::Count, &mut r.page_number, count)
            }
            "PageSize" if describe => scalar(ctx, map, key, Field::Count, &mut r.page_size, count),
            "InstanceRamRoleSets" if describe => wrapper(
                map,
                key,
                "InstanceRamRoleSet",
                SetObject::<{ depth::RESULT }>(ctx),
                &mut r.instance_ram_role_sets,
            ),
            _ => Ok(false),
        }
    }
}

#[derive(Clone, Copy)]
struct ResultObject<'c>(&'c Ctx);

impl<'de> Object<'de> for ResultObject<'_> {
    type Value = InstanceResult<'de>;
    const DEPTH: usize = depth::RESULT;
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
                SetObject::<{ depth::ROLE_SET }>(ctx),
                &mut r.instance_ram_role_sets,
            ),
            _ => Ok(false),
        }
    }
}

/// An (instance, role) pair: in a Detach result, or at the top of a Describe body.
#[derive(Clone, Copy)]
struct SetObject<'c, const DEPTH: usize>(&'c Ctx);

impl<'de, const D: usize> Object<'de> for SetObject<'_, D> {
    type Value = InstanceRamRoleSet<'de>;
    const DEPTH: usize = D;
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
        let mut detail: Option<AccessDeniedDetail> = None;
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
                // An open map by nature: kept whole, every value with its JSON text.
                let value: Option<std::collections::BTreeMap<String, &'de RawValue>> =
                    map.next_value()?;
                let value = value.map(|entries| {
                    let mut detail = AccessDeniedDetail::new();
                    for (key, raw) in entries {
                        detail.insert(key, DetailValue::from_raw_json(raw.get()));
                    }
                    detail
                });
                once(ctx, &mut detail, &key, value)?;
            } else {
                map.next_value_seed(Any(Skip {
                    ctx,
                    depth: depth::RESPONSE,
                }))?;
            }
        }
        let own = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        let mut error = ServiceError::status_only(self.status);
        error.code = code.map(|c| ErrorCode::parse(&c));
        error.message = own(message);
        error.request_id = own(request_id);
        error.host_id = own(host_id);
        error.recommend = own(recommend);
        error.access_denied_detail = detail;
        Ok(error)
    }
}
