//! Injected faults: rules that match an operation (or any) and fire on their Nth match,
//! on every match, or with a probability. The random draws are the caller's input, so a
//! seeded caller replays the same run.

use serde::{Deserialize, Serialize};

use super::error::ConfigError;
use crate::request::action::Action;

/// What an injected fault does to the call it fires on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Fault {
    /// 400 `Throttling.User` with `x-acs-retry-after: <ms>`.
    Throttle {
        /// The milliseconds the client is asked to wait (default 1000).
        #[serde(default = "second")]
        retry_after_ms: u64,
    },
    /// An error with this status (400 to 599) and code, in the requested format.
    Status {
        /// The HTTP status.
        status: u16,
        /// The error code, e.g. `ServiceUnavailable`.
        code: String,
        /// The message (default: the code's documented message, or the code).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// A gateway's HTML 502 page instead of the service's answer.
    #[serde(rename = "html_502")]
    Html502,
    /// 200 with an empty body.
    Empty,
    /// 200 with the first half of the answer the call would have had (nothing applied).
    Truncated,
    /// The answer held back this long; the call then proceeds normally.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// The connection closed before any answer.
    Close,
}

fn second() -> u64 {
    1000
}

impl Fault {
    /// The `kind` as written in the JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Fault::Throttle { .. } => "throttle",
            Fault::Status { .. } => "status",
            Fault::Html502 => "html_502",
            Fault::Empty => "empty",
            Fault::Truncated => "truncated",
            Fault::Delay { .. } => "delay",
            Fault::Close => "close",
        }
    }
}

/// When a rule fires, among the calls it matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// On its Nth match only (1-based).
    Nth(u64),
    /// On every match.
    Every,
    /// On each match with this probability (0 to 1), one draw per match.
    Probability(f64),
}

/// One rule: which calls, when, and what happens.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// The operation it matches; `None` matches every call.
    pub operation: Option<Action>,
    /// When it fires.
    pub trigger: Trigger,
    /// What it does.
    pub fault: Fault,
}

/// The JSON form: exactly one of `nth`, `every`, `probability`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleJson {
    #[serde(default)]
    operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nth: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    every: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    probability: Option<f64>,
    fault: Fault,
}

impl FaultRule {
    /// Reads the faults JSON: a list of rules, first match wins.
    ///
    /// ```
    /// use ecs_ramrole::service::{Fault, FaultRule, Trigger};
    ///
    /// let rules = FaultRule::list_from_json(r#"[
    ///   {"operation": "AttachInstanceRamRole", "nth": 1, "fault": {"kind": "throttle", "retry_after_ms": 1000}},
    ///   {"operation": null, "probability": 0.1, "fault": {"kind": "status", "status": 503, "code": "ServiceUnavailable"}},
    ///   {"every": true, "fault": {"kind": "delay", "ms": 200}}]"#)?;
    /// assert_eq!(rules[0].trigger, Trigger::Nth(1));
    /// assert_eq!(rules[2].fault, Fault::Delay { ms: 200 });
    /// assert!(FaultRule::list_from_json(r#"[{"nth": 0, "fault": {"kind": "close"}}]"#).is_err());
    /// # Ok::<(), ecs_ramrole::service::ConfigError>(())
    /// ```
    ///
    /// # Errors
    /// [`ConfigError`]: the JSON's line and column, or the rule and field at fault (an
    /// unknown operation, no trigger or two, `nth` 0, a probability outside 0 to 1, a
    /// status outside 400 to 599, an empty code).
    pub fn list_from_json(json: &str) -> Result<Vec<Self>, ConfigError> {
        let raw: Vec<RuleJson> = serde_json::from_str(json).map_err(ConfigError::json)?;
        raw.into_iter()
            .enumerate()
            .map(|(i, rule)| Self::from_raw(i, rule))
            .collect()
    }

    fn from_raw(i: usize, raw: RuleJson) -> Result<Self, ConfigError> {
        let invalid = |field: &str, problem: &str| {
            ConfigError::invalid(format!("[{i}].{field}"), problem.to_owned())
        };
        let operation = raw
            .operation
            .map(|name| {
                name.parse::<Action>()
                    .map_err(|_| invalid("operation", "not an operation of this service"))
            })
            .transpose()?;
        let trigger = match (raw.nth, raw.every, raw.probability) {
            (Some(0), None, None) => return Err(invalid("nth", "counts from 1")),
            (Some(n), None, None) => Trigger::Nth(n),
            (None, Some(true), None) => Trigger::Every,
            (None, Some(false), None) => return Err(invalid("every", "must be true if given")),
            (None, None, Some(p)) if (0.0..=1.0).contains(&p) => Trigger::Probability(p),
            (None, None, Some(_)) => return Err(invalid("probability", "must be 0 to 1")),
            _ => {
                return Err(invalid(
                    "nth",
                    "give exactly one of nth, every and probability",
                ));
            }
        };
        if let Fault::Status { status, code, .. } = &raw.fault {
            if !(400..=599).contains(status) {
                return Err(invalid("fault.status", "must be 400 to 599"));
            }
            if code.is_empty() {
                return Err(invalid("fault.code", "must not be empty"));
            }
        }
        Ok(Self {
            operation,
            trigger,
            fault: raw.fault,
        })
    }

    /// The rules as JSON, in the shape [`FaultRule::list_from_json`] reads.
    pub fn list_to_json(rules: &[Self]) -> String {
        let raw: Vec<RuleJson> = rules
            .iter()
            .map(|rule| {
                let (nth, every, probability) = match rule.trigger {
                    Trigger::Nth(n) => (Some(n), None, None),
                    Trigger::Every => (None, Some(true), None),
                    Trigger::Probability(p) => (None, None, Some(p)),
                };
                RuleJson {
                    operation: rule.operation.map(|a| a.as_str().to_owned()),
                    nth,
                    every,
                    probability,
                    fault: rule.fault.clone(),
                }
            })
            .collect();
        // Strings, integers, bools and finite floats: serializing cannot fail.
        serde_json::to_string(&raw).unwrap_or_default()
    }

    fn matches(&self, operation: Option<Action>) -> bool {
        self.operation.is_none() || self.operation == operation
    }
}

/// The rules in force and how many calls each has matched.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults {
    rules: Vec<FaultRule>,
    matched: Vec<u64>,
}

impl Faults {
    /// New rules, their counts from zero.
    pub(crate) fn new(rules: Vec<FaultRule>) -> Self {
        let matched = vec![0; rules.len()];
        Self { rules, matched }
    }

    pub(crate) fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// The fault for a call, if one fires: every rule matching the operation counts the
    /// call (and a probability rule draws once), so one rule's Nth match does not depend
    /// on another firing; the first that fires wins.
    pub(crate) fn select(
        &mut self,
        operation: Option<Action>,
        draw: &mut dyn FnMut() -> f64,
    ) -> Option<Fault> {
        let mut fired = None;
        for (rule, matched) in self.rules.iter().zip(&mut self.matched) {
            if !rule.matches(operation) {
                continue;
            }
            *matched += 1;
            let fires = match rule.trigger {
                Trigger::Nth(n) => *matched == n,
                Trigger::Every => true,
                Trigger::Probability(p) => draw() < p,
            };
            if fires && fired.is_none() {
                fired = Some(rule.fault.clone());
            }
        }
        fired
    }
}
