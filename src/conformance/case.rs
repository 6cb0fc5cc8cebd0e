//! One corpus case, as read from its JSON file, and the envelope it sends an adapter.

use base64::Engine as _;
use serde_json::{Map, Value, json};

/// Why a case file is not a usable case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// The file is not a JSON object.
    #[error("not a JSON object: {0}")]
    NotAnObject(String),
    /// A required key is absent or of the wrong type.
    #[error("\"{0}\" is missing or not a string")]
    Missing(&'static str),
    /// `expect` is absent or not an object.
    #[error("\"expect\" is missing or not an object")]
    NoExpectation,
    /// A key holds a value outside its closed set.
    #[error("{key} {value:?} is not one of {allowed}")]
    Unknown {
        /// The key.
        key: &'static str,
        /// What it held.
        value: String,
        /// The values it may hold.
        allowed: &'static str,
    },
}

/// How bad a miss is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A miss fails the run.
    Must,
    /// A miss fails the run under `--strict`, and is a warning otherwise.
    Should,
    /// A miss is reported, never failing the run.
    May,
}

impl Level {
    /// `must`, `should` or `may`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "must",
            Level::Should => "should",
            Level::May => "may",
        }
    }
}

/// The case kinds this corpus version has.
pub const KINDS: &[&str] = &["request", "sign", "response", "incoming"];

/// One corpus case, as read from its JSON file.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    id: String,
    kind: String,
    level: Level,
    raw: Map<String, Value>,
}

impl Case {
    /// Parses a case file.
    ///
    /// # Errors
    /// The first structural problem: not a JSON object, or a missing or ill-typed `id`,
    /// `kind`, `level` or `expect`.
    pub fn parse(json: &[u8]) -> Result<Self, CaseError> {
        let raw: Map<String, Value> =
            serde_json::from_slice(json).map_err(|e| CaseError::NotAnObject(e.to_string()))?;
        let text = |key: &'static str| {
            raw.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(CaseError::Missing(key))
        };
        let level = match text("level")?.as_str() {
            "must" => Level::Must,
            "should" => Level::Should,
            "may" => Level::May,
            other => {
                return Err(CaseError::Unknown {
                    key: "level",
                    value: other.to_owned(),
                    allowed: "must, should, may",
                });
            }
        };
        let kind = text("kind")?;
        if !KINDS.contains(&kind.as_str()) {
            return Err(CaseError::Unknown {
                key: "kind",
                value: kind,
                allowed: "request, sign, response, incoming",
            });
        }
        if !raw.get("expect").is_some_and(Value::is_object) {
            return Err(CaseError::NoExpectation);
        }
        Ok(Self {
            id: text("id")?,
            kind,
            level,
            raw,
        })
    }

    /// The case ID: its path under `corpus/` without `.json`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// One of [`KINDS`].
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// How bad a miss is.
    pub fn level(&self) -> Level {
        self.level
    }

    /// A top-level field of the case file.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.raw.get(key)
    }

    /// The expectation.
    pub fn expect(&self) -> &Value {
        &self.raw["expect"]
    }

    /// The sidecar body file's name (relative to the case's directory), for responses.
    pub fn body_file(&self) -> Option<&str> {
        self.raw.get("body_file").and_then(Value::as_str)
    }

    /// The envelope sent to an adapter: everything but the expectation. `body` is the
    /// response body for response cases.
    pub fn envelope(&self, body: Option<&[u8]>) -> Value {
        let mut envelope = Map::new();
        envelope.insert("protocol".into(), json!(1));
        envelope.insert("id".into(), json!(self.id));
        envelope.insert("kind".into(), json!(self.kind));
        for key in ["operation", "input", "http", "format"] {
            if let Some(value) = self.raw.get(key) {
                envelope.insert(key.into(), value.clone());
            }
        }
        if let Some(body) = body {
            let encoded = base64::engine::general_purpose::STANDARD.encode(body);
            envelope.insert("body_base64".into(), json!(encoded));
        }
        Value::Object(envelope)
    }
}
