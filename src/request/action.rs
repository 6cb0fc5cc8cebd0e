//! The small enums a request is made of: the operation, the HTTP method, the response
//! format asked for.

use std::fmt;
use std::str::FromStr;

use super::error::{RequestError, RequestErrorKind};

/// The ECS API version every operation here belongs to, sent as `Version`.
pub const API_VERSION: &str = "2014-05-26";

/// Declares a closed set of wire words: the enum, `as_str`, `Display` and a `FromStr`
/// that matches `exact`ly or in `any_case`, and whose error names `param`.
macro_rules! wire_enum {
    (@eq exact, $word:expr, $text:expr) => { $word == $text };
    (@eq any_case, $word:expr, $text:expr) => { $word.eq_ignore_ascii_case($text) };
    (
        $(#[$doc:meta])*
        $name:ident, $case:ident, param $param:literal, expected $expected:literal {
            $( $(#[$vdoc:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The word as it goes on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = RequestError;

            fn from_str(text: &str) -> Result<Self, RequestError> {
                let found = Self::ALL
                    .iter()
                    .copied()
                    .find(|v| wire_enum!(@eq $case, v.as_str(), text));
                found.ok_or_else(|| {
                    RequestError::new(RequestErrorKind::Malformed, $param)
                        .with_detail(format!("expected {}, found {text:?}", $expected))
                })
            }
        }
    };
}

wire_enum! {
    /// The operations this crate speaks, matched exactly, as the server matches `Action`.
    Action, exact, param "Action", expected "AttachInstanceRamRole, DetachInstanceRamRole or DescribeInstanceRamRole" {
        /// Attach a RAM role to 1 to 100 instances.
        AttachInstanceRamRole = "AttachInstanceRamRole",
        /// Detach the RAM role from 1 to 100 instances.
        DetachInstanceRamRole = "DetachInstanceRamRole",
        /// List instances' RAM roles.
        DescribeInstanceRamRole = "DescribeInstanceRamRole",
    }
}

wire_enum! {
    /// The HTTP method. The RPC operations accept both; the official SDKs send `POST`.
    /// Uppercase only: the method is the first component of the string-to-sign.
    Method, exact, param "method", expected "GET or POST" {
        /// `GET`
        Get = "GET",
        /// `POST`, the official SDKs' choice for these operations.
        Post = "POST",
    }
}

// The macro's derive list is shared by enums with no default.
#[allow(clippy::derivable_impls)]
impl Default for Method {
    fn default() -> Self {
        Method::Post
    }
}

wire_enum! {
    /// The response format a request asks for, parsed in either case: the SDKs send both
    /// `JSON` and `json`, and the server takes both.
    Format, any_case, param "Format", expected "JSON or XML" {
        /// `JSON`
        Json = "JSON",
        /// `XML` (the server's default when `Format` is absent).
        Xml = "XML",
    }
}

impl Format {
    /// The `accept` header value that asks for this format under V3.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Xml => "application/xml",
        }
    }
}

wire_enum! {
    /// How a request is signed.
    Algorithm, exact, param "algorithm", expected "HMAC-SHA1 or ACS3-HMAC-SHA256" {
        /// Signature V1: HMAC-SHA1 over the canonical query, every parameter in the query
        /// (what the older cores, aliyun-cli and terraform's Go SDK send).
        HmacSha1 = "HMAC-SHA1",
        /// Signature V3: HMAC-SHA256 over a canonical request, `Action` and `Version` in
        /// headers (what the generated Tea SDKs send by default).
        Acs3HmacSha256 = "ACS3-HMAC-SHA256",
    }
}

// The macro's derive list is shared by enums with no default.
#[allow(clippy::derivable_impls)]
impl Default for Algorithm {
    fn default() -> Self {
        Algorithm::HmacSha1
    }
}

wire_enum! {
    /// Where a V3 request carries the operation's parameters.
    Placement, exact, param "placement", expected "query or body" {
        /// In the URL query (the default).
        Query = "query",
        /// In an `application/x-www-form-urlencoded` body (POST only).
        Body = "body",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_parse_as_the_server_matches_them() {
        assert_eq!("POST".parse::<Method>().unwrap(), Method::Post);
        assert!("post".parse::<Method>().is_err());
        assert_eq!("json".parse::<Format>().unwrap(), Format::Json);
        assert_eq!("Xml".parse::<Format>().unwrap(), Format::Xml);
        let err = "yaml".parse::<Format>().unwrap_err();
        assert_eq!(
            (err.kind(), err.param()),
            (RequestErrorKind::Malformed, "Format")
        );
        assert_eq!(
            "DetachInstanceRamRole".parse::<Action>().unwrap(),
            Action::DetachInstanceRamRole
        );
        assert!("detachinstanceramrole".parse::<Action>().is_err());
    }
}
