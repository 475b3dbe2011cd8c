//! LZ4 compression of stored values: `raw length (u32 LE) | the raw bytes compressed`.
//!
//! sled writes every page more than once (appended changes, then the consolidated page, then
//! segment cleaning), so the bytes of each value are paid for several times on disk; record
//! blocks, postings chunks and hashed buckets are stored packed.

/// The largest raw value [`unpack`] accepts (a damaged length must not allocate without bound).
const MAX_RAW: usize = 256 << 20;

/// Compresses a value for storage.
pub fn pack(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + raw.len() / 2);
    out.extend_from_slice(&(raw.len() as u32).to_le_bytes());
    out.extend_from_slice(&lz4_flex::block::compress(raw));
    out
}

/// The raw length a stored value's header gives; `None` when it is missing or beyond
/// [`MAX_RAW`].
fn raw_len(stored: &[u8]) -> Option<usize> {
    let len = u32::from_le_bytes(stored.get(0..4)?.try_into().ok()?) as usize;
    (len <= MAX_RAW).then_some(len)
}

/// Decompresses a stored value; `None` when it is damaged.
pub fn unpack(stored: &[u8]) -> Option<Vec<u8>> {
    let len = raw_len(stored)?;
    let raw = lz4_flex::block::decompress(&stored[4..], len).ok()?;
    (raw.len() == len).then_some(raw)
}

/// [`unpack`] straight into shared memory, for blocks that a cache keeps: one allocation of
/// the raw length, no buffer to copy out of. `None` when the value is damaged.
pub fn unpack_shared(stored: &[u8]) -> Option<std::sync::Arc<[u8]>> {
    let len = raw_len(stored)?;
    // An exact-size iterator: the `Arc` is allocated once, at its length.
    let mut raw: std::sync::Arc<[u8]> = std::iter::repeat_n(0u8, len).collect();
    let buf = std::sync::Arc::get_mut(&mut raw)?;
    matches!(lz4_flex::block::decompress_into(&stored[4..], buf), Ok(n) if n == len).then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_round_trip_and_reject_damage() {
        for raw in [&b""[..], b"a", &[7u8; 5000][..], "Türkiye – ΣΑΣ".as_bytes()] {
            assert_eq!(unpack(&pack(raw)).as_deref(), Some(raw));
            assert_eq!(unpack_shared(&pack(raw)).as_deref(), Some(raw));
        }
        assert!(unpack_shared(&[1, 0, 0, 0]).is_none());
        assert!(pack(&[7u8; 5000]).len() < 100);
        let p = pack(b"abcabcabcabcabcabcabcabc");
        assert!(unpack(&p[..p.len() - 1]).is_none());
        assert!(unpack_shared(&p[..p.len() - 1]).is_none());
        assert!(unpack_shared(&[0xff, 0xff, 0xff, 0x7f, 0]).is_none());
        assert!(unpack(&[0xff, 0xff, 0xff, 0x7f, 0]).is_none());
        assert!(unpack(&[3, 0]).is_none());
        // A length that does not match what the bytes hold.
        let mut wrong = p.clone();
        wrong[0] = wrong[0].wrapping_add(1);
        assert!(unpack(&wrong).is_none());
    }

    #[test]
    fn garbage_never_panics() {
        // Decoding is lz4_flex's unsafe decoder with its `checked-decode` bounds checks: damaged
        // input must give `None`, never a panic or a read out of bounds.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let good = pack(&b"the quick brown fox jumps over the lazy dog ".repeat(40));
        for i in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut b: Vec<u8> = if i % 2 == 0 {
                (0..(x % 300) as usize).map(|j| (x >> (j % 56)) as u8).collect()
            } else {
                good.clone()
            };
            if !b.is_empty() {
                let at = (x as usize) % b.len();
                b[at] ^= (x >> 8) as u8 | 1;
            }
            if let Some(raw) = unpack(&b) {
                assert!(raw.len() <= MAX_RAW);
            }
            assert_eq!(unpack_shared(&b).as_deref(), unpack(&b).as_deref());
        }
    }
}
