//! Hashed buckets: a map from strings to small payloads held in a fixed number of sled values.
//! Two maps use them: the id map, and the index of meetings' source references (document
//! names and URLs), which are nearly all different.
//!
//! The id map (folded id → row) has one entry per record. As one sled key each, a large import
//! would insert a million keys, and sled's cost (time, memory, log) grows with the keys it
//! inserts; hashed into [`BUCKETS`] buckets, an import rewrites each bucket once per batch
//! instead, and a lookup reads one bucket of a few dozen entries.
//!
//! Layout of a bucket (stored compressed, `pack`): `entry count (u32 BE)`, then each entry `key length (u16 BE) | key |
//! payload length (u16 BE) | payload`, sorted by key then payload.

/// Buckets of a map: 16,384, so a bucket holds about 6 entries at 100,000 records and 60 at a
/// million.
pub const BUCKETS: u32 = 1 << 14;

/// The bucket of a key: the top bits of its 64-bit FNV-1a hash, mixed by MurmurHash3's
/// finalizer so that keys differing only in their last bytes spread (stable across platforms
/// and versions, which a stored layout needs).
pub fn bucket_of(key: &str) -> u16 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    (h >> (64 - BUCKETS.trailing_zeros())) as u16
}

/// The entries of one bucket, sorted by key then payload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bucket {
    entries: Vec<(String, Vec<u8>)>,
}

impl Bucket {
    /// Decodes a stored bucket; `None` when it is damaged.
    pub fn decode(stored: &[u8]) -> Option<Bucket> {
        let raw = super::pack::unpack(stored)?;
        let b = raw.as_slice();
        let n = u32::from_be_bytes(b.get(0..4)?.try_into().ok()?) as usize;
        let mut rest = &b[4..];
        let mut entries = Vec::with_capacity(n.min(rest.len() / 4));
        for _ in 0..n {
            let kl = u16::from_be_bytes(rest.get(0..2)?.try_into().ok()?) as usize;
            let key = std::str::from_utf8(rest.get(2..2 + kl)?).ok()?.to_string();
            rest = &rest[2 + kl..];
            let pl = u16::from_be_bytes(rest.get(0..2)?.try_into().ok()?) as usize;
            entries.push((key, rest.get(2..2 + pl)?.to_vec()));
            rest = &rest[2 + pl..];
        }
        (rest.is_empty() && entries.windows(2).all(|w| w[0] < w[1])).then_some(Bucket { entries })
    }

    /// Encodes the bucket for storage. Keys and payloads are at most 65,535 bytes (longer ones
    /// are refused by [`Bucket::set`]).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.entries.iter().map(|(k, p)| 4 + k.len() + p.len()).sum::<usize>());
        out.extend_from_slice(&(self.entries.len() as u32).to_be_bytes());
        for (k, p) in &self.entries {
            out.extend_from_slice(&(k.len() as u16).to_be_bytes());
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(&(p.len() as u16).to_be_bytes());
            out.extend_from_slice(p);
        }
        super::pack::pack(&out)
    }

    /// The payload of `key`, if it has one.
    pub fn get(&self, key: &str) -> Option<&[u8]> {
        let i = self.entries.partition_point(|(k, _)| k.as_str() < key);
        self.entries.get(i).filter(|(k, _)| k == key).map(|(_, p)| p.as_slice())
    }

    /// Gives `key` this payload (and no other).
    pub fn set(&mut self, key: &str, payload: Vec<u8>) -> Result<(), String> {
        if key.len() > u16::MAX as usize || payload.len() > u16::MAX as usize {
            return Err(format!("a key of {} bytes is too long to store", key.len()));
        }
        let i = self.entries.partition_point(|(k, _)| k.as_str() < key);
        let j = i + self.entries[i..].iter().take_while(|(k, _)| k == key).count();
        self.entries.splice(i..j, [(key.to_string(), payload)]);
        Ok(())
    }

    /// Adds an entry unless it is there.
    pub fn insert(&mut self, key: &str, payload: Vec<u8>) -> Result<(), String> {
        if key.len() > u16::MAX as usize || payload.len() > u16::MAX as usize {
            return Err(format!("a value of {} bytes is too long to index", key.len()));
        }
        let at = self.entries.partition_point(|(k, p)| (k.as_str(), p.as_slice()) < (key, payload.as_slice()));
        if self.entries.get(at).is_none_or(|(k, p)| k != key || *p != payload) {
            self.entries.insert(at, (key.to_string(), payload));
        }
        Ok(())
    }

    /// Takes an entry out, if it is there.
    pub fn remove(&mut self, key: &str, payload: &[u8]) {
        let at = self.entries.partition_point(|(k, p)| (k.as_str(), p.as_slice()) < (key, payload));
        if self.entries.get(at).is_some_and(|(k, p)| k == key && p == payload) {
            self.entries.remove(at);
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries, sorted.
    pub fn entries(&self) -> &[(String, Vec<u8>)] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_round_trip_keep_order_and_reject_damage() {
        let mut b = Bucket::default();
        b.set("m-2", vec![2]).unwrap();
        b.set("m-1", vec![1]).unwrap();
        b.set("m-2", vec![9, 9]).unwrap();
        b.set("", vec![]).unwrap();
        assert_eq!(b.get("m-2"), Some(&[9u8, 9][..]));
        assert_eq!(b.get("m-3"), None);
        assert_eq!(b.len(), 3);
        let e = b.encode();
        assert_eq!(Bucket::decode(&e), Some(b.clone()));
        assert_eq!(b.entries()[0].0, "");
        assert!(Bucket::decode(&e[..e.len() - 1]).is_none());
        let mut longer = e.clone();
        longer.push(0);
        assert!(Bucket::decode(&longer).is_none());
        assert!(b.set(&"x".repeat(70_000), vec![]).is_err());
        // Several payloads for one key.
        b.insert("m-2", vec![1]).unwrap();
        b.insert("m-2", vec![1]).unwrap();
        b.insert("m-2", vec![0, 5]).unwrap();
        let of =
            |b: &Bucket| b.entries().iter().filter(|(k, _)| k == "m-2").map(|(_, p)| p.clone()).collect::<Vec<_>>();
        assert_eq!(of(&b), vec![vec![0u8, 5], vec![1], vec![9, 9]]);
        b.remove("m-2", &[9, 9]);
        b.remove("m-2", &[7]);
        assert_eq!(of(&b), vec![vec![0u8, 5], vec![1]]);
        assert_eq!(Bucket::decode(&b.encode()), Some(b.clone()));
    }

    #[test]
    fn hashing_is_stable_and_spreads() {
        // Fixed values: the bucket of a key is part of the stored layout.
        assert_eq!([bucket_of(""), bucket_of("m-1"), bucket_of("g-5-0")], [15150, 15948, 518]);
        assert_eq!(bucket_of("m-1"), bucket_of("m-1"));
        let used: std::collections::HashSet<u16> = (0..10_000).map(|i| bucket_of(&format!("g-{i}"))).collect();
        assert!(used.len() > 7_000, "{}", used.len());
        assert!(used.iter().all(|&b| (b as u32) < BUCKETS));
    }
}
