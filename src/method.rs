//! The HTTP method and the response `Format` a request asks for.

use std::fmt;

/// The HTTP method. The RPC operations accept both; the official SDKs send `POST` with
/// every parameter in the URL query and an empty body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`, the official SDKs' choice for these operations.
    #[default]
    Post,
}

impl Method {
    /// `GET` or `POST`: the first component of the string-to-sign.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// Parses `GET` or `POST` (uppercase, as signed).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            _ => None,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The response format a request asks for with the `Format` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `JSON`
    Json,
    /// `XML` (the server's default when `Format` is absent).
    Xml,
}

impl Format {
    /// `JSON` or `XML`, as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Xml => "XML",
        }
    }

    /// Parses `JSON` or `XML`, ignoring ASCII case: the SDKs send both `JSON` and `json`.
    pub fn parse(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("JSON") {
            Some(Format::Json)
        } else if text.eq_ignore_ascii_case("XML") {
            Some(Format::Xml)
        } else {
            None
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
