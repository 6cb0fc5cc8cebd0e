//! `InstanceIds`: a JSON array of 1 to 100 instance IDs, carried as a string parameter.

use std::fmt;

use super::error::{RequestError, RequestErrorKind};

const PARAM: &str = "InstanceIds";

/// The validated `InstanceIds` parameter.
///
/// The wire value is JSON text, and the signature covers its exact bytes. Two ways in:
///
/// - [`InstanceIds::new`] takes a list and renders serde_json's compact form,
///   `["i-a","i-b"]` (no spaces; `"` and `\` escaped; non-ASCII kept as UTF-8).
/// - [`InstanceIds::from_json`] takes JSON text as every official SDK does, checks it, and
///   sends it byte-for-byte, so a caller migrating from another SDK keeps its signatures.
///
/// Either way: 1 to 100 IDs, each a non-empty string, order and duplicates kept. The
/// instance-ID format itself is the server's business. Two values are equal when their
/// wire text is equal.
///
/// ```
/// use ecs_ramrole::InstanceIds;
///
/// let typed = InstanceIds::new(["i-a", "i-b"])?;
/// assert_eq!(typed.as_json(), r#"["i-a","i-b"]"#);
/// let raw = InstanceIds::from_json(r#"["i-a", "i-b"]"#)?; // as another SDK sent it
/// assert_eq!(raw.ids(), typed.ids());
/// assert_ne!(raw, typed, "the bytes differ, and so would the signatures");
/// assert!(InstanceIds::from_json("i-a").is_err());
/// # Ok::<(), ecs_ramrole::RequestError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct InstanceIds {
    ids: Vec<String>,
    json: Box<str>,
}

impl InstanceIds {
    /// The documented maximum number of IDs per call.
    pub const MAX: usize = 100;

    /// Builds the parameter from a list of IDs, rendered as compact JSON.
    ///
    /// # Errors
    /// [`RequestErrorKind::Count`] outside 1..=100 IDs, [`RequestErrorKind::EmptyItem`]
    /// for an empty ID.
    pub fn new<I, S>(ids: I) -> Result<Self, RequestError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        check_items(&ids)?;
        // Serializing a list of strings cannot fail.
        let json = serde_json::to_string(&ids)
            .unwrap_or_default()
            .into_boxed_str();
        Ok(Self { ids, json })
    }

    /// Takes `InstanceIds` as raw JSON text, which is sent exactly as given.
    ///
    /// # Errors
    /// [`RequestErrorKind::Malformed`] (with the byte offset inside `text`) unless the
    /// text is a JSON array of strings; then the rules of [`InstanceIds::new`].
    pub fn from_json(text: &str) -> Result<Self, RequestError> {
        let ids: Vec<String> = serde_json::from_str(text).map_err(|e| {
            RequestError::new(RequestErrorKind::Malformed, PARAM)
                .at(byte_offset(text, e.line(), e.column()))
                .with_detail(format!(
                    "not a JSON array of strings ({})",
                    e.classify_text()
                ))
        })?;
        check_items(&ids)?;
        Ok(Self {
            ids,
            json: text.into(),
        })
    }

    /// The IDs, in order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The exact JSON text sent as the parameter value.
    pub fn as_json(&self) -> &str {
        &self.json
    }
}

impl TryFrom<Vec<String>> for InstanceIds {
    type Error = RequestError;

    fn try_from(ids: Vec<String>) -> Result<Self, RequestError> {
        Self::new(ids)
    }
}

impl TryFrom<&[&str]> for InstanceIds {
    type Error = RequestError;

    fn try_from(ids: &[&str]) -> Result<Self, RequestError> {
        Self::new(ids.iter().copied())
    }
}

impl fmt::Debug for InstanceIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InstanceIds({})", self.json)
    }
}

fn check_items(ids: &[String]) -> Result<(), RequestError> {
    if ids.is_empty() || ids.len() > InstanceIds::MAX {
        return Err(RequestError::new(
            RequestErrorKind::Count { found: ids.len() },
            PARAM,
        ));
    }
    if let Some(index) = ids.iter().position(String::is_empty) {
        return Err(RequestError::new(
            RequestErrorKind::EmptyItem { index },
            PARAM,
        ));
    }
    Ok(())
}

/// serde_json reports 1-based line and column (in bytes); turn them into a byte offset.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

trait ClassifyText {
    fn classify_text(&self) -> &'static str;
}

impl ClassifyText for serde_json::Error {
    fn classify_text(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Data => "wrong JSON type",
            serde_json::error::Category::Eof => "JSON ends early",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_serde_json_compact_form() {
        let ids = InstanceIds::new(["i-a", "i-b", "i-a"]).unwrap();
        assert_eq!(ids.as_json(), r#"["i-a","i-b","i-a"]"#);
        let odd = InstanceIds::new(["q\"uote", "back\\slash", "阿", "a/b"]).unwrap();
        assert_eq!(odd.as_json(), r#"["q\"uote","back\\slash","阿","a/b"]"#);
    }

    #[test]
    fn raw_json_kept_byte_for_byte() {
        let text = "[ \"i-1\",\n  \"i-2\" ]";
        let ids = InstanceIds::from_json(text).unwrap();
        assert_eq!(ids.as_json(), text);
        assert_eq!(ids.ids(), ["i-1", "i-2"]);
    }

    #[test]
    fn rejects_each_broken_rule() {
        let hundred: Vec<String> = (0..100).map(|n| format!("i-{n}")).collect();
        assert!(InstanceIds::new(hundred.clone()).is_ok());
        let mut many = hundred;
        many.push("i-x".into());
        let table: [(
            Result<InstanceIds, RequestError>,
            RequestErrorKind,
            Option<usize>,
        ); 8] = [
            (
                InstanceIds::new(many),
                RequestErrorKind::Count { found: 101 },
                None,
            ),
            (
                InstanceIds::new(Vec::<String>::new()),
                RequestErrorKind::Count { found: 0 },
                None,
            ),
            (
                InstanceIds::new(["i-1", ""]),
                RequestErrorKind::EmptyItem { index: 1 },
                None,
            ),
            (
                InstanceIds::from_json("[]"),
                RequestErrorKind::Count { found: 0 },
                None,
            ),
            (
                InstanceIds::from_json("i-1"),
                RequestErrorKind::Malformed,
                Some(0),
            ),
            // The parser stops at the `]` (byte 7), where a value was due.
            (
                InstanceIds::from_json("[\"i-1\",]"),
                RequestErrorKind::Malformed,
                Some(7),
            ),
            (
                InstanceIds::from_json("[\"i-1\"] x"),
                RequestErrorKind::Malformed,
                Some(8),
            ),
            (
                InstanceIds::from_json("[\"\"]"),
                RequestErrorKind::EmptyItem { index: 0 },
                None,
            ),
        ];
        for (i, (got, kind, offset)) in table.into_iter().enumerate() {
            let err = got.unwrap_err();
            assert_eq!(err.kind(), kind, "row {i}");
            assert_eq!(err.offset(), offset, "row {i}: {err}");
            assert_eq!(err.param(), "InstanceIds");
        }
    }
}
