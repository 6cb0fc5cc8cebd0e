//! The one percent-encoding rule of Alibaba Cloud RPC, as data.
//!
//! RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`) stay literal; every other
//! byte of the UTF-8 encoding becomes `%XY` with uppercase hex. Space is `%20`, never
//! `+`; `*` is `%2A`; `~` stays `~`. Both the canonical query and the second pass
//! inside the string-to-sign use this set (protocol.md §2.1 step 3).

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, PercentEncode, percent_decode_str};

/// Every byte except RFC 3986 unreserved characters is encoded.
pub const RPC_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `s` with [`RPC_ENCODE_SET`], lazily.
pub fn percent_encode(s: &str) -> PercentEncode<'_> {
    percent_encoding::utf8_percent_encode(s, RPC_ENCODE_SET)
}

/// Appends the encoding of `s` to `out`.
pub(crate) fn push_encoded(out: &mut String, s: &str) {
    for chunk in percent_encode(s) {
        out.push_str(chunk);
    }
}

/// Why a form component could not be decoded, and the byte offset (within the component)
/// where the problem starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeFault {
    /// A `%` not followed by two hex digits.
    BadEscape(usize),
    /// The decoded bytes are not UTF-8; the offset is of the first byte of the component.
    InvalidUtf8(usize),
}

/// Decodes one `application/x-www-form-urlencoded` component: `+` is a space, `%XY` a byte.
///
/// Unlike `percent_decode_str`, a malformed escape is an error rather than kept verbatim,
/// so nothing is silently altered.
pub(crate) fn form_decode(s: &str) -> Result<Cow<'_, str>, DecodeFault> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(pos) = bytes[i..].iter().position(|&b| b == b'%') {
        let at = i + pos;
        let hex = |k: usize| bytes.get(at + k).is_some_and(u8::is_ascii_hexdigit);
        if !(hex(1) && hex(2)) {
            return Err(DecodeFault::BadEscape(at));
        }
        i = at + 3;
    }
    let plus_free: Cow<'_, str> = if s.contains('+') {
        Cow::Owned(s.replace('+', " "))
    } else {
        Cow::Borrowed(s)
    };
    let decoded = match percent_decode_str(&plus_free).decode_utf8() {
        Ok(Cow::Borrowed(_)) => return Ok(plus_free),
        Ok(Cow::Owned(owned)) => owned,
        Err(_) => return Err(DecodeFault::InvalidUtf8(0)),
    };
    Ok(Cow::Owned(decoded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_exactly_the_documented_examples() {
        // protocol.md §2.1 step 3, one pair per documented example.
        let table = [
            (" ", "%20"),
            ("*", "%2A"),
            ("~", "~"),
            ("\"", "%22"),
            ("[", "%5B"),
            ("]", "%5D"),
            (",", "%2C"),
            (":", "%3A"),
            ("/", "%2F"),
            ("+", "%2B"),
            ("é", "%C3%A9"),
            ("阿", "%E9%98%BF"),
            ("AZaz09-_.", "AZaz09-_."),
        ];
        for (raw, want) in table {
            assert_eq!(percent_encode(raw).to_string(), want, "encoding {raw:?}");
        }
    }

    #[test]
    fn form_decode_handles_plus_and_escapes() {
        assert_eq!(form_decode("a+b%2Bc").unwrap(), "a b+c");
        assert_eq!(form_decode("[\"i-1\"]").unwrap(), "[\"i-1\"]");
        assert_eq!(form_decode("%E9%98%BF").unwrap(), "阿");
        assert!(matches!(
            form_decode("plain").unwrap(),
            Cow::Borrowed("plain")
        ));
    }

    #[test]
    fn form_decode_rejects_bad_escapes_with_offset() {
        assert_eq!(form_decode("ab%2"), Err(DecodeFault::BadEscape(2)));
        assert_eq!(form_decode("%G0"), Err(DecodeFault::BadEscape(0)));
        assert_eq!(form_decode("%41%"), Err(DecodeFault::BadEscape(3)));
        assert_eq!(form_decode("%FF"), Err(DecodeFault::InvalidUtf8(0)));
    }
}
