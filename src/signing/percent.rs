//! The one percent-encoding rule of Alibaba Cloud RPC, as data, and the one encoder.
//!
//! RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`) stay literal; every other
//! byte of the UTF-8 encoding becomes `%XY` with uppercase hex. Space is `%20`, never
//! `+`; `*` is `%2A`; `~` stays `~`. Both the canonical query and the second pass
//! inside the V1 string-to-sign use this set (protocol.md §2.1 step 3), as does the V3
//! canonical query (§3.3).

use std::borrow::Cow;

use percent_encoding::{AsciiSet, percent_decode_str};

/// The unreserved punctuation; with ASCII letters and digits, the bytes that stay literal.
const UNRESERVED_PUNCTUATION: &[u8; 4] = b"-_.~";

/// Per byte: whether it stays literal.
const LITERAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < UNRESERVED_PUNCTUATION.len() {
        table[UNRESERVED_PUNCTUATION[i] as usize] = true;
        i += 1;
    }
    table
};

/// Every byte's escape `%XY` (uppercase hex) at `3 * b`, and the escape of that escape
/// (`%` is `%25`, hex digits stay) at `5 * b`, as text so that the encoder writes `str`s.
static ESCAPES: (&str, &str) = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    const TABLES: ([u8; 3 * 256], [u8; 5 * 256]) = {
        let (mut once, mut twice) = ([0; 3 * 256], [0; 5 * 256]);
        let mut b = 0;
        while b < 256 {
            let (hi, lo) = (HEX[b >> 4], HEX[b & 15]);
            (once[3 * b], once[3 * b + 1], once[3 * b + 2]) = (b'%', hi, lo);
            (twice[5 * b], twice[5 * b + 1], twice[5 * b + 2]) = (b'%', b'2', b'5');
            (twice[5 * b + 3], twice[5 * b + 4]) = (hi, lo);
            b += 1;
        }
        (once, twice)
    };
    match (
        std::str::from_utf8(&TABLES.0),
        std::str::from_utf8(&TABLES.1),
    ) {
        (Ok(once), Ok(twice)) => (once, twice),
        _ => panic!("escapes are ASCII"),
    }
};

/// Each byte's two escapes from [`ESCAPES`] as `str`s of their own: taking one is a
/// table load, where slicing `ESCAPES` checks two char boundaries (this runs for every
/// escaped byte, twice).
static ESCAPE_STRS: [(&str, &str); 256] = {
    let (mut once, mut twice) = (ESCAPES.0.as_bytes(), ESCAPES.1.as_bytes());
    let mut table = [("", ""); 256];
    let mut b = 0;
    while b < 256 {
        let ((escape, escape_rest), (twice_escape, twice_rest)) =
            (once.split_at(3), twice.split_at(5));
        table[b] = match (
            std::str::from_utf8(escape),
            std::str::from_utf8(twice_escape),
        ) {
            (Ok(escape), Ok(twice_escape)) => (escape, twice_escape),
            _ => panic!("escapes are ASCII"),
        };
        (once, twice) = (escape_rest, twice_rest);
        b += 1;
    }
    table
};

/// The escape of `b`: `%XY`.
fn escape(b: u8) -> &'static str {
    ESCAPE_STRS[usize::from(b)].0
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is not [`LITERAL`], for eight bytes at once (the
/// same set: ASCII letters and digits and [`UNRESERVED_PUNCTUATION`]). Exact in every
/// byte: the comparisons work on 7-bit values, which never carry into the next byte.
#[inline(always)]
fn non_literal(w: u64) -> u64 {
    let low = w & !HIGH;
    // The high bit of each byte of `x` (7-bit bytes) that is at least `n` (`n <= 0x80`).
    let at_least = |x: u64, n: u8| x.wrapping_add(ONES * u64::from(0x80 - n)) & HIGH;
    let within = |x: u64, lo: u8, hi: u8| at_least(x, lo) & !at_least(x, hi + 1);
    // Digits, and letters with the case bit set.
    let mut literal = within(low, b'0', b'9') | within(low | (ONES * 0x20), b'a', b'z');
    for &p in UNRESERVED_PUNCTUATION {
        // Bytes equal to `p`: zero after the XOR, the only 7-bit value that sets no high
        // bit when 0x7F is added.
        let x = low ^ (ONES * u64::from(p));
        literal |= !x.wrapping_add(ONES * 0x7F) & HIGH;
    }
    // Bytes with the high bit set (UTF-8 beyond ASCII) are never literal.
    (!literal | w) & HIGH
}

/// The last `n` (1 to 7, at most `s.len()`) bytes of `s` in the low bytes of a word,
/// literal bytes above. The read has a fixed length: the eight bytes that end `s` when it
/// has them, shifted down; else each of eight bytes or the filler.
#[inline(always)]
fn last_word(s: &[u8], n: usize) -> u64 {
    const FILLER: u64 = u64::from_le_bytes(*b"aaaaaaaa");
    let word = match s.len().checked_sub(8).and_then(|from| s.get(from..)) {
        Some(last) => u64::from_le_bytes(last.try_into().unwrap_or_default()) >> (8 * (8 - n)),
        None => {
            let tail = &s[s.len() - n..];
            let mut word = [0; 8];
            for (i, slot) in word.iter_mut().enumerate() {
                *slot = tail.get(i).copied().unwrap_or(0);
            }
            u64::from_le_bytes(word)
        }
    };
    word | (FILLER << (8 * n))
}

/// The same set for the `percent-encoding` crate: every byte except the unreserved ones
/// is encoded.
pub const RPC_ENCODE_SET: &AsciiSet = &{
    let mut set = AsciiSet::EMPTY;
    let mut b = 0;
    while b < 128 {
        if !LITERAL[b] {
            set = set.add(b as u8);
        }
        b += 1;
    }
    set
};

/// Percent-encodes `s` by the RPC rule.
///
/// ```
/// assert_eq!(ecs_ramrole::percent_encode("a b*c~阿"), "a%20b%2Ac~%E9%98%BF");
/// ```
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    encode_into(&mut out, s);
    out
}

/// Appends the encoding of `s` to `out`.
pub(crate) fn encode_into(out: &mut String, s: &str) {
    let mut encoder = Encoder::<false> {
        once: std::mem::take(out),
        twice: String::new(),
    };
    encoder.reserve(s.len());
    encoder.push(s);
    *out = encoder.once;
}

/// Writes `enc(x)` and, when `TWICE`, `enc(enc(x))` beside it, in one pass over `x`: the
/// canonical query and the tail of the V1 string-to-sign. Runs of literal bytes are copied
/// whole into both; each other byte appends its escape to the first and the escape of that
/// escape (`%` is `%25`, hex digits stay) to the second.
#[derive(Debug, Default)]
pub(crate) struct Encoder<const TWICE: bool> {
    pub(crate) once: String,
    pub(crate) twice: String,
}

impl<const TWICE: bool> Encoder<TWICE> {
    /// Room for the encodings of `raw_len` more input bytes when up to a quarter of them
    /// are escaped (a list of instance IDs has one in eight); more text than that grows
    /// the outputs as any `Vec` grows.
    fn reserve(&mut self, raw_len: usize) {
        self.once.reserve(raw_len + raw_len / 2);
        if TWICE {
            self.twice.reserve(2 * raw_len);
        }
    }

    /// Appends the encodings of `s`. The escapes are found eight bytes at a time: one
    /// branch per word rather than one per byte, the per-byte loop's limit.
    pub(crate) fn push(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut run = 0;
        let mut words = bytes.chunks_exact(8);
        let mut at = 0;
        for word in &mut words {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            self.escapes(s, &mut run, at, non_literal(word));
            at += 8;
        }
        let rest = words.remainder().len();
        if rest > 0 {
            self.escapes(s, &mut run, at, non_literal(last_word(bytes, rest)));
        }
        self.literal(&s[run..]);
    }

    /// Escapes the bytes that `flags` marks in the word at `at`, each after the literal run
    /// before it (from `run`, which then moves past the escape).
    #[inline(always)]
    fn escapes(&mut self, s: &str, run: &mut usize, at: usize, mut flags: u64) {
        while flags != 0 {
            let i = at + flags.trailing_zeros() as usize / 8;
            flags &= flags - 1;
            // Escapes often come in a row (`","` between IDs): no empty copies. A literal
            // run is ASCII followed by ASCII or a character's first byte, so both of its
            // ends are char boundaries.
            if *run < i {
                self.literal(&s[*run..i]);
            }
            self.escape(s.as_bytes()[i]);
            *run = i + 1;
        }
    }

    /// Appends an already encoded separator (`&`, `=`): itself to the first output, its
    /// escape to the second.
    pub(crate) fn separator(&mut self, b: u8) {
        self.once.push(char::from(b));
        if TWICE {
            self.twice.push_str(&escape(b)[..3]);
        }
    }

    #[inline(always)]
    fn literal(&mut self, run: &str) {
        self.once.push_str(run);
        if TWICE {
            self.twice.push_str(run);
        }
    }

    #[inline(always)]
    fn escape(&mut self, b: u8) {
        let (escape, twice_escape) = ESCAPE_STRS[usize::from(b)];
        // Their lengths, written out: copies of a known length are a few moves, not a
        // `memcpy` call.
        self.once.push_str(&escape[..3]);
        if TWICE {
            self.twice.push_str(&twice_escape[..5]);
        }
    }
}

/// Sorts by raw name, byte order (names are unique, so an unstable sort is deterministic),
/// and writes `enc(k)=enc(v)` pairs joined with `&`, after `twice_prefix` in the second
/// output when `TWICE`.
pub(crate) fn canonicalize<'a, const TWICE: bool>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    twice_prefix: &str,
) -> Encoder<TWICE> {
    let mut pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut encoder = Encoder::<TWICE>::default();
    // Before the prefix, so that the second output is allocated once.
    encoder.reserve(pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum());
    if TWICE {
        encoder.twice.push_str(twice_prefix);
    }
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            encoder.separator(b'&');
        }
        encoder.push(name);
        encoder.separator(b'=');
        encoder.push(value);
    }
    encoder
}

/// The canonical query of (name, unencoded value) pairs.
pub(crate) fn canonical_query(params: &[(&str, Cow<'_, str>)]) -> String {
    canonicalize::<false>(params.iter().map(|(k, v)| (*k, v.as_ref())), "").once
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
            assert_eq!(percent_encode(raw), want, "encoding {raw:?}");
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

    /// The reference: the percent-encoding crate's own encoder with [`RPC_ENCODE_SET`].
    fn reference(s: &str) -> String {
        percent_encoding::utf8_percent_encode(s, RPC_ENCODE_SET).to_string()
    }

    /// Both outputs of the encoder for `s` pushed twice with a separator between.
    fn both(s: &str) -> (String, String) {
        let mut e = Encoder::<true>::default();
        e.twice.push_str("B&%2F&");
        e.push(s);
        e.separator(b'&');
        e.push(s);
        (e.once, e.twice)
    }

    #[test]
    fn the_encoder_matches_the_percent_encoding_crate_byte_for_byte() {
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
            assert_eq!(percent_encode(s), once, "percent_encode {s:?}");
            assert_eq!(
                both(s),
                (format!("{once}&{once}"), format!("B&%2F&{twice}%26{twice}")),
                "Encoder {s:?}"
            );
        }
    }

    #[test]
    fn every_single_character_encodes_as_the_crate_does() {
        // One call per character, so a table entry cannot hide behind its neighbours.
        for c in every_byte_value().chars() {
            let s = c.to_string();
            let once = reference(&s);
            assert_eq!(percent_encode(&s), once, "{c:?}");
            let mut e = Encoder::<true>::default();
            e.push(&s);
            assert_eq!((e.once, e.twice), (once.clone(), reference(&once)));
        }
    }

    #[test]
    fn canonical_query_sorts_by_raw_name() {
        let params = [
            ("b", Cow::Borrowed("2")),
            ("B", Cow::Borrowed("1 ")),
            ("a", Cow::Borrowed("")),
        ];
        assert_eq!(canonical_query(&params), "B=1%20&a=&b=2");
    }

    #[test]
    fn canonicalize_sorts_by_raw_name_bytes() {
        // Shared prefixes, one name a prefix of another, a NUL byte and bytes beyond ASCII,
        // through both outputs.
        let names = [
            "SignatureVersion",
            "SignatureNonce",
            "Signature",
            "SignatureMethod",
            "Sig",
            "Sig\0",
            "Sig\0\0",
            "Signatur",
            "Signaturf",
            "a",
            "A",
            "",
            "é",
            "Zz",
            "RegionId",
            "RamRoleName",
        ];
        let mut sorted = names;
        sorted.sort_unstable();
        let encoder = canonicalize::<true>(names.iter().map(|&n| (n, "v")), "P&");
        let want: Vec<String> = sorted
            .iter()
            .map(|n| format!("{}=v", reference(n)))
            .collect();
        let once = want.join("&");
        assert_eq!(encoder.once, once);
        assert_eq!(encoder.twice, format!("P&{}", reference(&once)));
    }

    #[test]
    fn non_literal_flags_exactly_the_bytes_the_table_rejects() {
        // Every byte value at every position, among neighbours of every kind (literal,
        // escaped, beyond ASCII, and the 0x00/0x7F/0x80/0xFF edges of the comparisons).
        for filler in [
            b'a', b'Z', b'0', b'-', b'~', b'%', 0x00, 0x7F, 0x80, 0xFF, 0x2F,
        ] {
            for at in 0..8 {
                for b in 0..=255u8 {
                    let mut bytes = [filler; 8];
                    bytes[at] = b;
                    let want = bytes.iter().enumerate().fold(0, |flags, (i, &b)| {
                        flags | u64::from(!LITERAL[usize::from(b)]) << (8 * i + 7)
                    });
                    assert_eq!(non_literal(u64::from_le_bytes(bytes)), want, "{bytes:02x?}");
                }
            }
        }
    }

    #[test]
    fn last_word_holds_the_last_bytes_then_literal_filler() {
        let text: Vec<u8> = (0..20u8).map(|i| b'A' + i).collect();
        for len in 1..=text.len() {
            let s = &text[..len];
            for n in 1..=len.min(7) {
                let mut want = [b'a'; 8];
                want[..n].copy_from_slice(&s[len - n..]);
                assert_eq!(last_word(s, n), u64::from_le_bytes(want), "{len} {n}");
            }
        }
    }

    #[test]
    fn every_length_and_escape_position_encodes_as_the_crate_does() {
        // Texts of 0 to 25 bytes with an escaped character at each position: the words,
        // the last partial word and the runs between escapes, at every alignment.
        for len in 0..26 {
            for at in 0..=len {
                for odd in [" ", "%", "\"", "é", "阿", "🦀", "\u{7f}"] {
                    let mut s: String = "a-Z_0.~9".chars().cycle().take(len).collect();
                    s.insert_str(at, odd);
                    let once = reference(&s);
                    assert_eq!(percent_encode(&s), once, "{s:?}");
                    assert_eq!(
                        both(&s),
                        (
                            format!("{once}&{once}"),
                            format!("B&%2F&{}%26{}", reference(&once), reference(&once))
                        ),
                        "{s:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn escape_strs_are_the_escapes() {
        for b in 0..=255u8 {
            let at = usize::from(b);
            assert_eq!(escape(b), &ESCAPES.0[3 * at..3 * at + 3]);
            assert_eq!(ESCAPE_STRS[at].1, &ESCAPES.1[5 * at..5 * at + 5]);
            assert_eq!(escape(b), format!("%{b:02X}"));
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
