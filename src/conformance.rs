//! The corpus's case model and its equivalence rules, IO-free: build the envelope a case
//! sends to an adapter, and judge the adapter's verdict against the case's expectation.
//!
//! The rules are the ones `corpus/README.md` states; `ecs-ramrole check` and this crate's
//! own tests both use this module, so there is one comparator.

use std::fmt;

use base64::Engine as _;
use serde_json::{Map, Value, json};

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
    /// A description of the first structural problem: not a JSON object, or a missing or
    /// ill-typed `id`, `kind`, `level` or `expect`.
    pub fn parse(json: &[u8]) -> Result<Self, String> {
        let raw: Map<String, Value> =
            serde_json::from_slice(json).map_err(|e| format!("not a JSON object: {e}"))?;
        let text = |key: &str| {
            raw.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("\"{key}\" is missing or not a string"))
        };
        let level = match text("level")?.as_str() {
            "must" => Level::Must,
            "should" => Level::Should,
            "may" => Level::May,
            other => return Err(format!("level {other:?} is not must, should or may")),
        };
        let kind = text("kind")?;
        if !matches!(kind.as_str(), "request" | "sign" | "response") {
            return Err(format!("kind {kind:?} is not request, sign or response"));
        }
        if !raw.get("expect").is_some_and(Value::is_object) {
            return Err("\"expect\" is missing or not an object".into());
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

    /// `request`, `sign` or `response`.
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

/// How a verdict compares with an expectation.
#[derive(Debug, Clone, PartialEq)]
pub enum Judgement {
    /// The verdict meets the expectation; for `any_of`, the index of the alternative met.
    Pass {
        /// The alternative that matched, for `any_of` expectations.
        alternative: Option<usize>,
    },
    /// The verdict misses the expectation; the text says where.
    Fail(String),
    /// The adapter answered `unsupported`.
    Unsupported(String),
}

impl fmt::Display for Judgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Judgement::Pass { alternative: None } => f.write_str("pass"),
            Judgement::Pass {
                alternative: Some(i),
            } => write!(f, "pass (alternative {i})"),
            Judgement::Fail(why) => write!(f, "fail: {why}"),
            Judgement::Unsupported(reason) => write!(f, "unsupported: {reason}"),
        }
    }
}

/// Judges a verdict against an expectation, by the corpus's equivalence rules:
///
/// - `request`: `method` and `query` byte-exact; each expected stage byte-exact when the
///   verdict reports it (adapters expose the stages they can).
/// - `signature`: `canonical_query`, `string_to_sign` and `signature` byte-exact.
/// - `reject`: the verdict's `reject_kind` is one of the listed kinds; messages are never
///   compared.
/// - `output`: `value` equal as JSON (object key order ignored, numbers exact).
/// - `service_error`: `error` equal as JSON: every expected key present and equal, and no
///   other key.
/// - `any_of`: any alternative passes.
pub fn judge(expect: &Value, verdict: &Value) -> Judgement {
    if verdict.get("outcome").and_then(Value::as_str) == Some("unsupported") {
        let reason = verdict.get("reason").and_then(Value::as_str).unwrap_or("");
        return Judgement::Unsupported(reason.to_owned());
    }
    if expect.get("outcome").and_then(Value::as_str) == Some("any_of") {
        let alternatives = expect.get("alternatives").and_then(Value::as_array);
        let mut misses = Vec::new();
        for (i, alternative) in alternatives.into_iter().flatten().enumerate() {
            match judge_one(alternative, verdict) {
                Ok(()) => {
                    return Judgement::Pass {
                        alternative: Some(i),
                    };
                }
                Err(why) => misses.push(format!("[{i}] {why}")),
            }
        }
        return Judgement::Fail(format!("no alternative matched: {}", misses.join("; ")));
    }
    match judge_one(expect, verdict) {
        Ok(()) => Judgement::Pass { alternative: None },
        Err(why) => Judgement::Fail(why),
    }
}

fn judge_one(expect: &Value, verdict: &Value) -> Result<(), String> {
    let outcome = expect.get("outcome").and_then(Value::as_str).unwrap_or("");
    let got = verdict.get("outcome").and_then(Value::as_str).unwrap_or("");
    if got != outcome {
        let detail = match got {
            "reject" => format!(" ({})", verdict.get("reject_kind").unwrap_or(&Value::Null)),
            _ => String::new(),
        };
        return Err(format!("expected outcome {outcome}, got {got:?}{detail}"));
    }
    let same = |key: &str, want: &Value, have: Option<&Value>| match have {
        Some(have) if have == want => Ok(()),
        have => Err(format!(
            "{key}: expected {want}, got {}",
            have.unwrap_or(&Value::Null)
        )),
    };
    match outcome {
        "request" => {
            for key in ["method", "query"] {
                same(key, &expect[key], verdict.get(key))?;
            }
            let stages = expect.get("stages").and_then(Value::as_object);
            for (stage, want) in stages.into_iter().flatten() {
                if let Some(have) = verdict.pointer(&format!("/stages/{stage}")) {
                    same(stage, want, Some(have))?;
                }
            }
            Ok(())
        }
        "signature" => {
            for key in ["canonical_query", "string_to_sign", "signature"] {
                same(key, &expect[key], verdict.get(key))?;
            }
            Ok(())
        }
        "reject" => {
            let kind = verdict.get("reject_kind").unwrap_or(&Value::Null);
            let allowed = expect.get("reject_kind").and_then(Value::as_array);
            if allowed.is_some_and(|kinds| kinds.contains(kind)) {
                Ok(())
            } else {
                Err(format!(
                    "reject_kind: expected one of {}, got {kind}",
                    expect["reject_kind"]
                ))
            }
        }
        "output" => same("value", &expect["value"], verdict.get("value")),
        "service_error" => same("error", &expect["error"], verdict.get("error")),
        other => Err(format!("the case expects an unknown outcome {other:?}")),
    }
}
