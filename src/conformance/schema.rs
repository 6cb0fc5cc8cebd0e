//! The parameter schema as language-neutral JSON (`corpus/schema/operations.json`), so
//! a corpus generator or an SDK's adapter reads the same table the crate is built from.

use serde_json::{Map, Value, json};

use crate::{API_VERSION, Action, InstanceIds, Rule};

/// Every operation's parameters: `{"api_version": …, "operations": {Action: [param…]}}`,
/// each parameter `{"name", "type", "required"}` plus its rule's bounds (`max_chars`;
/// `minimum` and `maximum`; `min_items` and `max_items`).
pub fn parameter_schema() -> Value {
    let operations: Map<String, Value> = Action::ALL
        .iter()
        .map(|action| {
            let params = action.params().iter().map(|spec| {
                let mut param = json!({
                    "name": spec.name,
                    "type": spec.rule.json_type(),
                    "required": spec.required,
                });
                let bounds = match spec.rule {
                    Rule::Text { max_chars } => json!({"max_chars": max_chars}),
                    Rule::Integer { min, max } => json!({"minimum": min, "maximum": max}),
                    Rule::InstanceIds => json!({"min_items": 1, "max_items": InstanceIds::MAX}),
                };
                for (key, value) in bounds.as_object().into_iter().flatten() {
                    if !value.is_null() {
                        param[key] = value.clone();
                    }
                }
                param
            });
            (action.as_str().to_owned(), Value::Array(params.collect()))
        })
        .collect();
    json!({"api_version": API_VERSION, "operations": operations})
}
