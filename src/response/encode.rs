//! Encoding responses and error bodies back to the documented JSON and XML shapes, for
//! mock servers and fixtures. `decode(encode(x)) == x` in both formats.

use std::fmt;

use super::model::{InstanceRamRoleSet, InstanceResult, Response};
use super::service_error::{AccessDeniedDetail, ServiceError};
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

/// One body layout, two formats: each body's fields are listed once (in
/// [`Response::write`] and [`ServiceError::write`]) and written by either writer.
trait BodyWriter {
    type Error;
    /// A string field, escaped for the format; nothing when absent.
    fn text(&mut self, name: &str, value: Option<&str>) -> Result<(), Self::Error>;
    /// A number or boolean field, written as its `Display` text; nothing when absent.
    fn raw(&mut self, name: &str, value: Option<impl fmt::Display>);
    /// Both list levels, `Xs` holding `X` items: `"Xs":{"X":[{..},..]}` or
    /// `<Xs><X>..</X></Xs>`; nothing when absent.
    fn list<T>(
        &mut self,
        wrapper: &str,
        item: &str,
        list: Option<&[T]>,
        write: impl Fn(&mut Self, &T) -> Result<(), Self::Error>,
    ) -> Result<(), Self::Error>;
    /// `AccessDeniedDetail`: typed members in JSON, elements holding text in XML.
    fn detail(&mut self, detail: &AccessDeniedDetail) -> Result<(), Self::Error>;
}

/// Compact JSON, written straight into one `String`.
struct JsonWriter {
    out: String,
    /// No member written yet in the innermost open object.
    first: bool,
}

impl JsonWriter {
    /// One object, its members written by `write`.
    fn body(write: impl FnOnce(&mut Self) -> Result<(), std::convert::Infallible>) -> String {
        let mut w = Self {
            out: String::with_capacity(256),
            first: true,
        };
        w.open();
        let Ok(()) = write(&mut w);
        w.close();
        w.out
    }

    fn open(&mut self) {
        self.out.push('{');
        self.first = true;
    }

    fn close(&mut self) {
        self.out.push('}');
        self.first = false;
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        push_json_string(&mut self.out, key);
        self.out.push(':');
    }
}

impl BodyWriter for JsonWriter {
    type Error = std::convert::Infallible;

    fn text(&mut self, name: &str, value: Option<&str>) -> Result<(), Self::Error> {
        if let Some(value) = value {
            self.key(name);
            push_json_string(&mut self.out, value);
        }
        Ok(())
    }

    fn raw(&mut self, name: &str, value: Option<impl fmt::Display>) {
        if let Some(value) = value {
            self.key(name);
            self.out.push_str(&value.to_string());
        }
    }

    fn list<T>(
        &mut self,
        wrapper: &str,
        item: &str,
        list: Option<&[T]>,
        write: impl Fn(&mut Self, &T) -> Result<(), Self::Error>,
    ) -> Result<(), Self::Error> {
        let Some(list) = list else { return Ok(()) };
        self.key(wrapper);
        self.open();
        self.key(item);
        self.out.push('[');
        for (i, value) in list.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.open();
            write(self, value)?;
            self.close();
        }
        self.out.push(']');
        self.close();
        Ok(())
    }

    fn detail(&mut self, detail: &AccessDeniedDetail) -> Result<(), Self::Error> {
        self.key("AccessDeniedDetail");
        self.open();
        for (key, value) in detail.iter() {
            self.key(key);
            self.out.push_str(&value.to_json());
        }
        self.close();
        Ok(())
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

/// XML 1.0 after the declaration; a string XML cannot carry is an [`XmlEncodeError`].
struct XmlWriter {
    out: String,
}

impl XmlWriter {
    /// The declaration and one `root` element, its children written by `write`.
    fn body(
        root: &str,
        write: impl FnOnce(&mut Self) -> Result<(), XmlEncodeError>,
    ) -> Result<String, XmlEncodeError> {
        let mut w = Self {
            out: String::with_capacity(512),
        };
        w.out.push_str(XML_DECL);
        w.open(root);
        write(&mut w)?;
        w.close(root);
        Ok(w.out)
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
}

impl BodyWriter for XmlWriter {
    type Error = XmlEncodeError;

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

    fn detail(&mut self, detail: &AccessDeniedDetail) -> Result<(), XmlEncodeError> {
        self.open("AccessDeniedDetail");
        for (key, value) in detail.iter() {
            if !is_xml_name(key) {
                return Err(XmlEncodeError {
                    field: format!("AccessDeniedDetail.{key}"),
                    problem: "the key is not an XML element name".into(),
                });
            }
            self.text(key, Some(value.to_xml_text()))?;
        }
        self.close("AccessDeniedDetail");
        Ok(())
    }
}

impl Response<'_> {
    /// The JSON body, compact, fields in the documented order; absent fields, and the
    /// fields of the other operations, omitted.
    pub fn to_json(&self) -> String {
        JsonWriter::body(|w| self.write(w))
    }

    /// The XML body: declaration, `<{Action}Response>` root, both list levels.
    ///
    /// # Errors
    /// [`XmlEncodeError`] for a string holding a character XML 1.0 cannot carry.
    pub fn to_xml(&self) -> Result<String, XmlEncodeError> {
        XmlWriter::body(self.action.names().root, |w| self.write(w))
    }

    /// The fields, in the documented order, of this operation only.
    fn write<W: BodyWriter>(&self, w: &mut W) -> Result<(), W::Error> {
        w.text("RequestId", self.request_id.as_deref())?;
        match self.action.names().results {
            Some((wrapper, item)) => {
                w.list(wrapper, item, self.results.as_deref(), write_result)?;
                w.raw("TotalCount", self.total_count);
                w.raw("FailCount", self.fail_count);
                w.text("RamRoleName", self.ram_role_name.as_deref())
            }
            None => {
                w.text("RegionId", self.region_id.as_deref())?;
                w.raw("TotalCount", self.total_count);
                w.raw("PageNumber", self.page_number);
                w.raw("PageSize", self.page_size);
                let sets = self.instance_ram_role_sets.as_deref();
                w.list(ROLE_SETS.0, ROLE_SETS.1, sets, write_set)
            }
        }
    }
}

fn write_result<W: BodyWriter>(w: &mut W, r: &InstanceResult<'_>) -> Result<(), W::Error> {
    w.text("InstanceId", r.instance_id.as_deref())?;
    w.text("Code", r.code.as_deref())?;
    w.text("Message", r.message.as_deref())?;
    w.raw("Success", r.success);
    let sets = r.instance_ram_role_sets.as_deref();
    w.list(ROLE_SETS.0, ROLE_SETS.1, sets, write_set)
}

fn write_set<W: BodyWriter>(w: &mut W, s: &InstanceRamRoleSet<'_>) -> Result<(), W::Error> {
    w.text("InstanceId", s.instance_id.as_deref())?;
    w.text("RamRoleName", s.ram_role_name.as_deref())
}

impl ServiceError {
    /// The flat JSON error body. `AccessDeniedDetail` is written with its JSON types.
    pub fn to_json(&self) -> String {
        JsonWriter::body(|w| self.write(w))
    }

    /// The `<Error>` body. XML has no types: each `AccessDeniedDetail` entry becomes a
    /// child element holding the string, or the JSON text of any other value (so only
    /// string entries decode back unchanged).
    ///
    /// # Errors
    /// [`XmlEncodeError`] for a character XML 1.0 cannot carry, or a detail key that is
    /// not an XML element name.
    pub fn to_xml(&self) -> Result<String, XmlEncodeError> {
        XmlWriter::body("Error", |w| self.write(w))
    }

    fn write<W: BodyWriter>(&self, w: &mut W) -> Result<(), W::Error> {
        w.text("RequestId", self.request_id.as_deref())?;
        w.text("HostId", self.host_id.as_deref())?;
        w.text("Code", self.code.as_ref().map(|c| c.as_str()))?;
        w.text("Message", self.message.as_deref())?;
        w.text("Recommend", self.recommend.as_deref())?;
        match &self.access_denied_detail {
            Some(detail) => w.detail(detail),
            None => Ok(()),
        }
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
