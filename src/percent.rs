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

/// Whether `b` stays literal: RFC 3986 unreserved (the complement of [`RPC_ENCODE_SET`],
/// which the tests below check byte for byte).
const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Per byte: whether it stays literal, `enc(b)` (3 bytes when escaped) and
/// `enc(enc(b))` (5 bytes: `%` itself encodes as `%25`, and hex digits stay literal).
struct Tables {
    literal: [bool; 256],
    once: [[u8; 3]; 256],
    twice: [[u8; 5]; 256],
}

static TABLES: Tables = {
    let mut t = Tables {
        literal: [false; 256],
        once: [[0; 3]; 256],
        twice: [[0; 5]; 256],
    };
    let mut b = 0;
    while b < 256 {
        let (hi, lo) = (HEX[b >> 4], HEX[b & 15]);
        t.literal[b] = is_unreserved(b as u8);
        t.once[b] = [b'%', hi, lo];
        t.twice[b] = [b'%', b'2', b'5', hi, lo];
        b += 1;
    }
    t
};

/// `%00%01…%FF`: the escape of byte `b` is `ESCAPES[3 * b..3 * b + 3]`.
static ESCAPES: &str = {
    const BYTES: [u8; 768] = {
        let mut out = [0; 768];
        let mut b = 0;
        while b < 256 {
            out[3 * b] = b'%';
            out[3 * b + 1] = HEX[b >> 4];
            out[3 * b + 2] = HEX[b & 15];
            b += 1;
        }
        out
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("hex escapes are ASCII"),
    }
};

/// Appends the encoding of `s` to `out`: unreserved runs copied whole, every other byte
/// as its escape.
pub(crate) fn push_encoded(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !is_unreserved(b) {
            // A non-empty run is ASCII and is followed by ASCII or a character's first
            // byte, so both of its ends are char boundaries.
            if run < i {
                out.push_str(&s[run..i]);
            }
            let at = 3 * usize::from(b);
            out.push_str(&ESCAPES[at..at + 3]);
            run = i + 1;
        }
    }
    // Empty, or ASCII to the end.
    if run < bytes.len() {
        out.push_str(&s[run..]);
    }
}

/// Builds `enc(x)` and `enc(enc(x))` of the same text side by side, in one pass over it:
/// the canonical query and the tail of the string-to-sign. Runs of literal bytes are
/// copied whole into both; each other byte appends its fixed-size escapes.
#[derive(Debug, Default)]
pub(crate) struct Encoder {
    once: Vec<u8>,
    twice: Vec<u8>,
}

impl Encoder {
    /// An encoder whose outputs start with the given prefixes, copied as they are.
    pub(crate) fn with_prefixes(once: &str, twice: &str) -> Self {
        Self {
            once: once.as_bytes().to_vec(),
            twice: twice.as_bytes().to_vec(),
        }
    }

    /// Reserves room for the encodings of `raw_len` more input bytes: enough when up to a
    /// quarter of them are escaped (a list of instance IDs has one in eight); more text
    /// than that grows the outputs as any `Vec` grows.
    pub(crate) fn reserve(&mut self, raw_len: usize) {
        self.once.reserve(raw_len + raw_len / 2);
        self.twice.reserve(2 * raw_len);
    }

    /// Appends `enc(s)` to the first output and `enc(enc(s))` to the second.
    pub(crate) fn push(&mut self, s: &str) {
        let t = &TABLES;
        let bytes = s.as_bytes();
        let mut run = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if !t.literal[usize::from(b)] {
                // Escapes often come in a row (`","` between IDs): no empty copies.
                if run < i {
                    self.once.extend_from_slice(&bytes[run..i]);
                    self.twice.extend_from_slice(&bytes[run..i]);
                }
                self.once.extend_from_slice(&t.once[usize::from(b)]);
                self.twice.extend_from_slice(&t.twice[usize::from(b)]);
                run = i + 1;
            }
        }
        self.once.extend_from_slice(&bytes[run..]);
        self.twice.extend_from_slice(&bytes[run..]);
    }

    /// Appends an already encoded separator: `once` literally to the first output and
    /// `twice` (its encoding) to the second.
    pub(crate) fn push_literal(&mut self, once: u8, twice: &str) {
        self.once.push(once);
        self.twice.extend_from_slice(twice.as_bytes());
    }

    /// The two outputs.
    pub(crate) fn finish(self) -> (String, String) {
        (ascii(self.once), ascii(self.twice))
    }
}

/// Appends `enc(s)` to `out`, run by run like [`Encoder`], for one output.
pub(crate) fn extend_encoded(out: &mut Vec<u8>, s: &str) {
    let t = &TABLES;
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + bytes.len() / 2);
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !t.literal[usize::from(b)] {
            if run < i {
                out.extend_from_slice(&bytes[run..i]);
            }
            out.extend_from_slice(&t.once[usize::from(b)]);
            run = i + 1;
        }
    }
    out.extend_from_slice(&bytes[run..]);
}

/// Text built by the encoders: valid UTF-8 prefixes followed by ASCII, so the check
/// cannot fail.
pub(crate) fn ascii(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|_| unreachable!("percent-encoded text is ASCII"))
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

    /// Every byte value a `&str` can hold: all ASCII, every continuation byte, every lead
    /// byte of 2-, 3- and 4-byte characters.
    fn every_byte_value() -> String {
        let mut s: String = (0..0x800).filter_map(char::from_u32).collect();
        s.extend(
            (0x800..=0x10FFFF)
                .step_by(0x3F1)
                .chain([0xFFFF, 0x10000, 0x10FFFF])
                .filter_map(char::from_u32),
        );
        s
    }

    /// The reference: the percent-encoding crate with [`RPC_ENCODE_SET`].
    fn reference(s: &str) -> String {
        percent_encoding::utf8_percent_encode(s, RPC_ENCODE_SET).to_string()
    }

    #[test]
    fn fast_encoders_match_the_percent_encoding_crate_byte_for_byte() {
        let all = every_byte_value();
        let bytes: std::collections::BTreeSet<u8> = all.bytes().collect();
        assert_eq!(
            bytes.len(),
            256 - 13,
            "every byte but C0, C1, F5..FF (never in UTF-8)"
        );
        let samples = [
            all.as_str(),
            "",
            "a",
            "%",
            "i-bp67acfmxazb4p****",
            r#"["i-1","i-2"]"#,
            "Ω≈ç√∫˜µ≤≥÷ 阿里云 🦀 tab\tquote\" end~",
            "AZaz09-_.~ !*'();:@&=+$,/?#[]",
        ];
        for s in samples {
            let once = reference(s);
            let twice = reference(&once);

            let mut pushed = String::from("prefix:");
            push_encoded(&mut pushed, s);
            assert_eq!(pushed, format!("prefix:{once}"), "push_encoded {s:?}");

            let mut extended = b"x".to_vec();
            extend_encoded(&mut extended, s);
            assert_eq!(ascii(extended), format!("x{once}"), "extend_encoded {s:?}");

            let mut both = Encoder::with_prefixes("A", "B&%2F&");
            both.reserve(s.len());
            both.push(s);
            both.push_literal(b'&', "%26");
            both.push(s);
            assert_eq!(
                both.finish(),
                (
                    format!("A{once}&{once}"),
                    format!("B&%2F&{twice}%26{twice}")
                ),
                "Encoder {s:?}"
            );
        }
    }

    #[test]
    fn every_single_character_encodes_as_the_crate_does() {
        // One call per character, so a table entry cannot hide behind its neighbours.
        for c in every_byte_value().chars() {
            let s = c.to_string();
            let mut pushed = String::new();
            push_encoded(&mut pushed, &s);
            assert_eq!(pushed, reference(&s), "{c:?}");
            let mut both = Encoder::default();
            both.push(&s);
            assert_eq!(both.finish(), (reference(&s), reference(&reference(&s))));
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
