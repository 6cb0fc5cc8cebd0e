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

/// The first eight bytes of `bytes` as a little-endian word, `fill` past its end. The
/// read has a fixed length, so short texts of varying lengths cost no mispredicted loop
/// exits.
#[inline(always)]
pub(crate) fn head(bytes: &[u8], fill: u8) -> u64 {
    let mut word = [fill; 8];
    for (i, slot) in word.iter_mut().enumerate() {
        *slot = bytes.get(i).copied().unwrap_or(fill);
    }
    u64::from_le_bytes(word)
}

/// Whether any byte of `bytes` is flagged by `word` (which must be nonzero exactly when
/// some byte of its argument matches, and zero for `fill` bytes). Texts of up to 16
/// bytes take one or two fixed-length word reads (the second may overlap the first).
#[inline(always)]
pub(crate) fn any(
    bytes: &[u8],
    fill: u8,
    word: impl Fn(u64) -> u64,
    byte: impl Fn(u8) -> bool,
) -> bool {
    match bytes.len() {
        0..=8 => word(head(bytes, fill)) != 0,
        9..=16 => word(head(bytes, fill)) | word(head(&bytes[bytes.len() - 8..], fill)) != 0,
        _ => find(bytes, word, byte).is_some(),
    }
}
