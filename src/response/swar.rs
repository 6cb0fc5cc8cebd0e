//! Finding the first byte of a small set, eight bytes at a time (SWAR). The XML and JSON
//! decoders use it on short texts and names, where `memchr`'s set-up costs more than it
//! saves.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is zero. Exact in its lowest set bit, which is
/// all `find` reads.
#[inline(always)]
pub(crate) fn zero(w: u64) -> u64 {
    w.wrapping_sub(ONES) & !w & HIGH
}

/// The high bit of each byte of `w` equal to `b` (lowest set bit exact).
#[inline(always)]
pub(crate) fn equal(w: u64, b: u8) -> u64 {
    zero(w ^ (ONES * u64::from(b)))
}

/// The high bit of each byte of `w` below `n`, for `n <= 0x80` (lowest set bit exact).
#[inline(always)]
pub(crate) fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH
}

/// The index of the first byte matching `byte`, where `word` flags the matching bytes
/// of eight little-endian bytes and agrees with `byte` on the lowest flag.
#[inline(always)]
pub(crate) fn find(
    bytes: &[u8],
    word: impl Fn(u64) -> u64,
    byte: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let flags = word(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        if flags != 0 {
            return Some(at + flags.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| byte(b))
        .map(|i| at + i)
}

/// The eight bytes of `bytes` from `at` on, as a little-endian word (`at + 8` must be
/// within `bytes`).
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// Whether any byte of `bytes` is flagged by `word`, which must be nonzero exactly when
/// some byte of its argument matches, and zero for `fill` bytes.
///
/// Every text is read in whole words of fixed length, so texts of varying lengths cost no
/// mispredicted loop exits over their bytes: from 8 bytes on, words from the start and a
/// last one that ends with the text (overlapping the one before it); 4 to 7 bytes, the
/// first four and the last four; 1 to 3 bytes, the first, middle and last byte.
#[inline(always)]
pub(crate) fn any(bytes: &[u8], fill: u8, word: impl Fn(u64) -> u64) -> bool {
    let n = bytes.len();
    if n >= 8 {
        let mut flags = word(word_at(bytes, n - 8));
        let mut at = 0;
        while at + 8 < n {
            flags |= word(word_at(bytes, at));
            at += 8;
        }
        return flags != 0;
    }
    let half = |at: usize| {
        let mut half = [0; 4];
        half.copy_from_slice(&bytes[at..at + 4]);
        u64::from(u32::from_le_bytes(half))
    };
    let w = match n {
        4.. => half(0) | half(n - 4) << 32,
        1.. => u64::from_le_bytes([
            bytes[0],
            bytes[n / 2],
            bytes[n - 1],
            fill,
            fill,
            fill,
            fill,
            fill,
        ]),
        0 => return false,
    };
    word(w) != 0
}

#[cfg(test)]
mod tests {
    /// `any` against a plain scan, for a predicate flagging one byte value: every byte value
    /// at every position of texts of 0 to 40 bytes.
    #[test]
    fn any_matches_the_plain_scan() {
        for len in 0..41 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut text = vec![b'a'; len];
                    text[at] = b;
                    for target in [b'"', 0x00, 0xFF] {
                        let plain = text.contains(&target);
                        let word = |w| super::equal(w, target);
                        assert_eq!(super::any(&text, b'a', word), plain, "{text:02x?} {target}");
                    }
                }
            }
        }
    }
}
