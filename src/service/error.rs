//! What can be wrong with a state or a fault list handed to the service.

/// A state or fault list the service cannot take: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Not JSON of the expected shape (an unknown field, a wrong type, a syntax error).
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON reader said.
        message: String,
    },
    /// Well-formed, but a value breaks a rule.
    #[error("{path}: {problem}")]
    Invalid {
        /// Where the value is, e.g. `instances[2].ram_role`.
        path: String,
        /// The rule it breaks.
        problem: String,
    },
}

impl ConfigError {
    pub(crate) fn json(e: serde_json::Error) -> Self {
        // serde_json's message ends with its own " at line L column C": keep it once.
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        Self::Json {
            line: e.line(),
            column: e.column(),
            message,
        }
    }

    pub(crate) fn invalid(path: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::Invalid {
            path: path.into(),
            problem: problem.into(),
        }
    }
}
