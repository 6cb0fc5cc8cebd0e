//! Encoding responses and error bodies back to the documented JSON and XML shapes, for
//! mock servers and fixtures. `decode(encode(x)) == x` in both formats.

use std::fmt;

use super::model::{InstanceRamRoleSet, InstanceResult, Response};
use super::service_error::ServiceError;
use super::xml::is_xml_char;

/// A value that XML 1.0 cannot carry: a control character in a string, or an
/// `AccessDeniedDetail` key that is not an element name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} cannot be written as XML: {problem}")]
pub struct XmlEncodeError {
    field: String,
    problem: String,
}

impl XmlEncodeError {
    /// The field (or `AccessDeniedDetail` key) that could not be written.
    pub fn field(&self) -> &str {
        &self.field
    }
}

const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

/// The (instance, role) pairs' wrapper and item.
const ROLE_SETS: (&str, &str) = ("InstanceRamRoleSets", "InstanceRamRoleSet");

/// Writes the members of one JSON object, in the order given.
struct JsonObject<'o> {
    out: &'o mut String,
    empty: bool,
}

impl<'o> JsonObject<'o> {
    fn open(out: &'o mut String) -> Self {
        out.push('{');
        Self { out, empty: true }
    }

    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        push_json_string(self.out, key);
        self.out.push(':');
        self.out
    }

    fn string(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            push_json_string(self.key(key), value);
        }
    }

    fn raw(&mut self, key: &str, value: Option<impl fmt::Display>) {
        if let Some(value) = value {
            let out = self.key(key);
            out.push_str(&value.to_string());
        }
    }

    /// `"Xs":{"X":[...]}` when the list is present.
    fn list<T>(
        &mut self,
        wrapper: &str,
        item: &str,
        list: Option<&[T]>,
        write: impl Fn(&mut String, &T),
    ) {
        let Some(list) = list else { return };
        let out = self.key(wrapper);
        let mut inner = JsonObject::open(out);
        let out = inner.key(item);
        out.push('[');
        for (i, value) in list.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write(out, value);
        }
        out.push(']');
        inner.close();
    }

    fn close(self) {
        self.out.push('}');
    }
}

/// A JSON string literal, escaped as serde_json escapes (`"`, `\\`, and the controls
/// below U+0020, the common ones by name), written straight into `out`: runs that need no
/// escape are copied whole.
fn push_json_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0x00..=0x1F => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escape);
        }
        run = i + 1;
    }
    out.push_str(&s[run..]);
    out.push('"');
}

impl Response<'_> {
    /// The JSON body, compact, fields in the documented order; absent fields, and the
    /// fields of the other operations, omitted.
    pub fn to_json(&self) -> String {
        let names = self.action.names();
        let mut out = String::with_capacity(256);
        let mut o = JsonObject::open(&mut out);
        o.string("RequestId", self.request_id.as_deref());
        match names.results {
            Some((wrapper, item)) => {
                o.list(wrapper, item, self.results.as_deref(), result_json);
                o.raw("TotalCount", self.total_count);
                o.raw("FailCount", self.fail_count);
                o.string("RamRoleName", self.ram_role_name.as_deref());
            }
            None => {
                o.string("RegionId", self.region_id.as_deref());
                o.raw("TotalCount", self.total_count);
                o.raw("PageNumber", self.page_number);
                o.raw("PageSize", self.page_size);
                o.list(
                    ROLE_SETS.0,
                    ROLE_SETS.1,
                    self.instance_ram_role_sets.as_deref(),
                    set_json,
                );
            }
        }
        o.close();
        out
    }

    /// The XML body: declaration, `<{Action}Response>` root, both list levels.
    ///
    /// # Errors
    /// [`XmlEncodeError`] for a string holding a character XML 1.0 cannot carry.
    pub fn to_xml(&self) -> Result<String, XmlEncodeError> {
        let names = self.action.names();
        let mut x = XmlWriter::new();
        x.open(names.root);
        x.text("RequestId", self.request_id.as_deref())?;
        match names.results {
            Some((wrapper, item)) => {
                x.list(wrapper, item, self.results.as_deref(), result_xml)?;
                x.raw("TotalCount", self.total_count);
                x.raw("FailCount", self.fail_count);
                x.text("RamRoleName", self.ram_role_name.as_deref())?;
            }
            None => {
                x.text("RegionId", self.region_id.as_deref())?;
                x.raw("TotalCount", self.total_count);
                x.raw("PageNumber", self.page_number);
                x.raw("PageSize", self.page_size);
                x.list(
                    ROLE_SETS.0,
                    ROLE_SETS.1,
                    self.instance_ram_role_sets.as_deref(),
                    set_xml,
                )?;
            }
        }
        x.close(names.root);
        Ok(x.out)
    }
}

fn result_json(out: &mut String, r: &InstanceResult<'_>) {
    let mut o = JsonObject::open(out);
    o.string("InstanceId", r.instance_id.as_deref());
    o.string("Code", r.code.as_deref());
    o.string("Message", r.message.as_deref());
    o.raw("Success", r.success);
    o.list(
        ROLE_SETS.0,
        ROLE_SETS.1,
        r.instance_ram_role_sets.as_deref(),
        set_json,
    );
    o.close();
}

fn set_json(out: &mut String, s: &InstanceRamRoleSet<'_>) {
    let mut o = JsonObject::open(out);
    o.string("InstanceId", s.instance_id.as_deref());
    o.string("RamRoleName", s.ram_role_name.as_deref());
    o.close();
}

fn result_xml(x: &mut XmlWriter, r: &InstanceResult<'_>) -> Result<(), XmlEncodeError> {
    x.text("InstanceId", r.instance_id.as_deref())?;
    x.text("Code", r.code.as_deref())?;
    x.text("Message", r.message.as_deref())?;
    x.raw("Success", r.success);
    x.list(
        ROLE_SETS.0,
        ROLE_SETS.1,
        r.instance_ram_role_sets.as_deref(),
        set_xml,
    )
}

fn set_xml(x: &mut XmlWriter, s: &InstanceRamRoleSet<'_>) -> Result<(), XmlEncodeError> {
    x.text("InstanceId", s.instance_id.as_deref())?;
    x.text("RamRoleName", s.ram_role_name.as_deref())
}

impl ServiceError {
    /// The flat JSON error body. `AccessDeniedDetail` is written with its JSON types.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256);
        let mut o = JsonObject::open(&mut out);
        o.string("RequestId", self.request_id.as_deref());
        o.string("HostId", self.host_id.as_deref());
        o.string("Code", self.code.as_ref().map(|c| c.as_str()));
        o.string("Message", self.message.as_deref());
        o.string("Recommend", self.recommend.as_deref());
        if let Some(detail) = &self.access_denied_detail {
            let out = o.key("AccessDeniedDetail");
            let mut d = JsonObject::open(out);
            for (key, value) in detail.iter() {
                d.key(key).push_str(&value.to_json());
            }
            d.close();
        }
        o.close();
        out
    }

    /// The `<Error>` body. XML has no types: each `AccessDeniedDetail` entry becomes a
    /// child element holding the string, or the JSON text of any other value (so only
    /// string entries decode back unchanged).
    ///
    /// # Errors
    /// [`XmlEncodeError`] for a character XML 1.0 cannot carry, or a detail key that is
    /// not an XML element name.
    pub fn to_xml(&self) -> Result<String, XmlEncodeError> {
        let mut x = XmlWriter::new();
        x.open("Error");
        x.text("RequestId", self.request_id.as_deref())?;
        x.text("HostId", self.host_id.as_deref())?;
        x.text("Code", self.code.as_ref().map(|c| c.as_str()))?;
        x.text("Message", self.message.as_deref())?;
        x.text("Recommend", self.recommend.as_deref())?;
        if let Some(detail) = &self.access_denied_detail {
            x.open("AccessDeniedDetail");
            for (key, value) in detail.iter() {
                if !is_xml_name(key) {
                    return Err(XmlEncodeError {
                        field: format!("AccessDeniedDetail.{key}"),
                        problem: "the key is not an XML element name".into(),
                    });
                }
                x.text(key, Some(value.to_xml_text()))?;
            }
            x.close("AccessDeniedDetail");
        }
        x.close("Error");
        Ok(x.out)
    }
}

struct XmlWriter {
    out: String,
}

impl XmlWriter {
    fn new() -> Self {
        let mut out = String::with_capacity(512);
        out.push_str(XML_DECL);
        Self { out }
    }

    fn open(&mut self, name: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn text(&mut self, name: &str, value: Option<&str>) -> Result<(), XmlEncodeError> {
        let Some(value) = value else { return Ok(()) };
        self.open(name);
        for c in value.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                // A literal CR would be normalized to LF on the way back in.
                '\r' => self.out.push_str("&#13;"),
                c if is_xml_char(c) => self.out.push(c),
                c => {
                    return Err(XmlEncodeError {
                        field: name.to_owned(),
                        problem: format!("U+{:04X} is not an XML 1.0 character", u32::from(c)),
                    });
                }
            }
        }
        self.close(name);
        Ok(())
    }

    fn raw(&mut self, name: &str, value: Option<impl fmt::Display>) {
        if let Some(value) = value {
            self.open(name);
            self.out.push_str(&value.to_string());
            self.close(name);
        }
    }

    fn list<T>(
        &mut self,
        wrapper: &str,
        item: &str,
        list: Option<&[T]>,
        write: impl Fn(&mut Self, &T) -> Result<(), XmlEncodeError>,
    ) -> Result<(), XmlEncodeError> {
        let Some(list) = list else { return Ok(()) };
        self.open(wrapper);
        for value in list {
            self.open(item);
            write(self, value)?;
            self.close(item);
        }
        self.close(wrapper);
        Ok(())
    }
}

/// A conservative XML `Name`: a letter or `_`, then letters, digits, `_`, `-`, `.`.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    /// Every escape serde_json writes, and the text between escapes, byte for byte.
    #[test]
    fn json_strings_escape_as_serde_json_does() {
        let mut texts: Vec<String> = (0u8..0x80)
            .map(|b| format!("a{}b", char::from(b)))
            .collect();
        texts.extend(
            [
                "",
                "plain",
                "\"quoted\"",
                "back\\slash",
                "é€😀\u{7f}\u{2028}",
                "\u{1}\u{1f}x",
            ]
            .map(String::from),
        );
        for text in texts {
            let mut out = String::new();
            super::push_json_string(&mut out, &text);
            assert_eq!(out, serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }
}
