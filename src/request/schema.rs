//! Each operation's parameters as data: name, type, whether required, and the rule a
//! value must keep. The typed operations (`operations.rs`) are declared from these
//! entries, and everything that takes loose input (the query decoder, the adapter, the
//! bindings) goes through [`ParamSpec`] lookups, so a rule lives in one place.

use std::borrow::Cow;

use super::error::{RequestError, RequestErrorKind};
use super::instance_ids::InstanceIds;

/// What values a parameter takes, and the rule they must keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// Non-empty text of at most `max_chars` Unicode scalar values (`None`: no
    /// documented maximum). An empty value would be sent as `Name=` and means nothing.
    Text {
        /// The documented maximum length, in characters.
        max_chars: Option<usize>,
    },
    /// An integer in `min..=max`, sent in decimal.
    Integer {
        /// Smallest value.
        min: u64,
        /// Largest value.
        max: u64,
    },
    /// JSON array text of 1 to [`InstanceIds::MAX`] non-empty strings (see
    /// [`InstanceIds`]).
    InstanceIds,
}

impl Rule {
    /// Any non-empty text.
    pub const TEXT: Rule = Rule::Text { max_chars: None };
    /// The API's `Long` for account IDs: 0 to 2^63 - 1 (negative IDs mean nothing).
    pub const LONG: Rule = Rule::Integer {
        min: 0,
        max: i64::MAX as u64,
    };

    /// The JSON type a value of this rule has in the adapter protocol: `string`,
    /// `integer`, or `string|array` for `InstanceIds` (raw JSON text or a list).
    pub fn json_type(&self) -> &'static str {
        match self {
            Rule::Text { .. } => "string",
            Rule::Integer { .. } => "integer",
            Rule::InstanceIds => "string|array",
        }
    }
}

/// One parameter of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ParamSpec {
    /// The API's name, e.g. `RegionId`.
    pub name: &'static str,
    /// Whether a request without it is refused.
    pub required: bool,
    /// What a value must be.
    pub rule: Rule,
}

impl ParamSpec {
    pub(crate) const fn new(name: &'static str, required: bool, rule: Rule) -> Self {
        Self {
            name,
            required,
            rule,
        }
    }

    /// Reads a decoded wire value (the text after percent-decoding) as this parameter's
    /// type; the rule itself is checked when the request is built.
    ///
    /// # Errors
    /// [`RequestErrorKind::Malformed`] for an integer that is not plain decimal digits,
    /// or `InstanceIds` text that is not a JSON array of strings (offset inside `text`).
    pub fn parse_wire(&self, text: &str) -> Result<ParamValue, RequestError> {
        Ok(match self.rule {
            Rule::Text { .. } => ParamValue::Text(text.to_owned()),
            Rule::Integer { .. } => {
                let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
                let n = text.parse::<u64>().ok().filter(|_| digits);
                ParamValue::Integer(n.ok_or_else(|| {
                    RequestError::new(RequestErrorKind::Malformed, self.name)
                        .with_detail("expected a non-negative integer")
                })?)
            }
            Rule::InstanceIds => ParamValue::InstanceIds(InstanceIds::from_json(text)?),
        })
    }
}

/// A parameter value from loose input, before the operation's rules are checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamValue {
    /// Text, for [`Rule::Text`] parameters.
    Text(String),
    /// An integer, for [`Rule::Integer`] parameters.
    Integer(u64),
    /// `InstanceIds`, already checked as a list.
    InstanceIds(InstanceIds),
}

impl ParamValue {
    fn type_name(&self) -> &'static str {
        match self {
            ParamValue::Text(_) => "text",
            ParamValue::Integer(_) => "an integer",
            ParamValue::InstanceIds(_) => "an instance ID list",
        }
    }
}

/// The Rust types parameters are stored as, and how each is checked, taken from loose
/// input and written to the wire.
pub(crate) trait ParamType: Sized {
    /// The rule a spec gets when its declaration names none.
    const DEFAULT_RULE: Rule;

    /// Checks `self` against the spec's rule.
    fn check(self, spec: &ParamSpec) -> Result<Self, RequestError>;

    /// Takes the value out of loose input, or says it is of the wrong type.
    fn from_value(spec: &ParamSpec, value: ParamValue) -> Result<Self, RequestError>;

    /// The unencoded wire text.
    fn wire(&self) -> Cow<'_, str>;
}

fn type_mismatch(spec: &ParamSpec, value: &ParamValue) -> RequestError {
    RequestError::new(RequestErrorKind::TypeMismatch, spec.name).with_detail(format!(
        "expected {}, found {}",
        spec.rule.json_type(),
        value.type_name()
    ))
}

impl ParamType for String {
    const DEFAULT_RULE: Rule = Rule::TEXT;

    fn check(self, spec: &ParamSpec) -> Result<Self, RequestError> {
        if self.is_empty() {
            return Err(RequestError::new(RequestErrorKind::Empty, spec.name));
        }
        if let Rule::Text {
            max_chars: Some(max),
        } = spec.rule
        {
            let found = self.chars().count();
            if found > max {
                return Err(RequestError::new(
                    RequestErrorKind::TooLong { max, found },
                    spec.name,
                ));
            }
        }
        Ok(self)
    }

    fn from_value(spec: &ParamSpec, value: ParamValue) -> Result<Self, RequestError> {
        match value {
            ParamValue::Text(text) => Ok(text),
            other => Err(type_mismatch(spec, &other)),
        }
    }

    fn wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamType for u64 {
    const DEFAULT_RULE: Rule = Rule::LONG;

    fn check(self, spec: &ParamSpec) -> Result<Self, RequestError> {
        match spec.rule {
            Rule::Integer { min, max } if !(min..=max).contains(&self) => {
                Err(RequestError::new(RequestErrorKind::OutOfRange, spec.name)
                    .with_detail(format!("expected {min} to {max}, found {self}")))
            }
            _ => Ok(self),
        }
    }

    fn from_value(spec: &ParamSpec, value: ParamValue) -> Result<Self, RequestError> {
        match value {
            ParamValue::Integer(n) => Ok(n),
            other => Err(type_mismatch(spec, &other)),
        }
    }

    fn wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl ParamType for InstanceIds {
    const DEFAULT_RULE: Rule = Rule::InstanceIds;

    /// Checked when the list was made.
    fn check(self, _: &ParamSpec) -> Result<Self, RequestError> {
        Ok(self)
    }

    fn from_value(spec: &ParamSpec, value: ParamValue) -> Result<Self, RequestError> {
        match value {
            ParamValue::InstanceIds(ids) => Ok(ids),
            other => Err(type_mismatch(spec, &other)),
        }
    }

    fn wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.as_json())
    }
}

/// A required parameter: present, then its rule.
pub(crate) fn required<T: ParamType>(
    spec: &ParamSpec,
    value: Option<T>,
) -> Result<T, RequestError> {
    value
        .ok_or_else(|| RequestError::new(RequestErrorKind::Missing, spec.name))?
        .check(spec)
}

/// An optional parameter: its rule when present.
pub(crate) fn optional<T: ParamType>(
    spec: &ParamSpec,
    value: Option<T>,
) -> Result<Option<T>, RequestError> {
    value.map(|v| v.check(spec)).transpose()
}
