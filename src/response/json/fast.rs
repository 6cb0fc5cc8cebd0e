//! A strict single-pass reader for the usual success body: valid UTF-8 (checked once, up
//! front), strings without escapes, non-negative integers, the expected types. It returns
//! `None` (and the caller falls back to the serde_json decoder) on anything else: any
//! syntax error, escape, fraction, exponent, sign, type mismatch, duplicate field, deep
//! nesting or limit reached. So when it returns a response, the serde_json decoder
//! returns the same one (the tests below check this on every corpus body and on
//! thousands of mutations of them); it only skips serde's per-value visitor machinery,
//! which costs about twice a bare scan.

use std::borrow::Cow;

use super::depth;
use crate::request::Action;
use crate::response::limits::Limits;
use crate::response::model::{InstanceRamRoleSet, InstanceResult, Response};
use crate::response::swar;

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

pub(super) fn decode_response(action: Action, body: &[u8], limits: Limits) -> Maybe<Response<'_>> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let text = std::str::from_utf8(body).ok()?;
    let mut r = Reader {
        text,
        bytes: body,
        at: 0,
        limits,
    };
    // Describe's bodies are the visitors' (the fast path is for the big result lists).
    let (results, result) = action.names().results?;
    let mut response = Response::new(action);
    r.object(|r, key| match key {
        "RequestId" => r.string_field(&mut response.request_id),
        "RamRoleName" => r.string_field(&mut response.ram_role_name),
        "TotalCount" => r.count_field(&mut response.total_count),
        "FailCount" => r.count_field(&mut response.fail_count),
        k if k == results => r.wrapper(&mut response.results, result, depth::RESULT - 1, |r| {
            r.result(action)
        }),
        _ => r.skip(depth::RESPONSE),
    })?;
    r.ws();
    (r.at == r.bytes.len()).then_some(response)
}

/// Where the first `"`, `\\` or control character is.
pub(super) fn string_end(bytes: &[u8]) -> Option<usize> {
    swar::find(
        bytes,
        |w| swar::equal(w, b'"') | swar::equal(w, b'\\') | swar::below(w, 0x20),
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
                depth::ROLE_SET - 1,
                Self::role_set,
            ),
            _ => this.skip(depth::RESULT),
        })?;
        Some(r)
    }

    fn role_set(&mut self) -> Maybe<InstanceRamRoleSet<'a>> {
        let mut s = InstanceRamRoleSet::default();
        self.object(|this, key| match key {
            "InstanceId" => this.string_field(&mut s.instance_id),
            "RamRoleName" => this.string_field(&mut s.ram_role_name),
            _ => this.skip(depth::ROLE_SET),
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
