//! The corpus's equivalence rules: a verdict against a case's expectation. The rules are
//! the ones `corpus/README.md` states; `ecs-ramrole check` and this crate's own tests
//! both use this module, so there is one comparator.

use std::fmt;

use serde_json::Value;

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

/// The stages a `signature` expectation may hold: V1's and V3's.
const SIGNATURE_STAGES: &[&str] = &[
    "canonical_query",
    "canonical_request",
    "hashed_canonical_request",
    "string_to_sign",
    "signature",
    "authorization",
];

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
            // The wire of a V3 request: compared whenever the case has it.
            for key in ["headers", "body"] {
                if let Some(want) = expect.get(key) {
                    same(key, want, verdict.get(key))?;
                }
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
            let stages = expect.as_object().into_iter().flatten();
            for (key, want) in stages.filter(|(key, _)| SIGNATURE_STAGES.contains(&key.as_str())) {
                same(key, want, verdict.get(key))?;
            }
            Ok(())
        }
        "accepted" => {
            for key in ["operation", "signature_version", "params"] {
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
        "service_error" => {
            same("error", &expect["error"], verdict.get("error"))?;
            match expect.get("retry") {
                Some(want) => same("retry", want, verdict.get("retry")),
                None => Ok(()),
            }
        }
        other => Err(format!("the case expects an unknown outcome {other:?}")),
    }
}
