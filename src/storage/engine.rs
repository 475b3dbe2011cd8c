//! The key-value engine under the layout: the few operations the layout needs of an ordered
//! store of byte keys and values, with the guarantees it relies on written down (after toydb's
//! `storage::Engine`).
//!
//! The layout keeps everything in one ordered keyspace, partitioned by a key's first byte
//! ([`super::keys`]): records, the id map, the indexes and the import markers are *spaces* of it,
//! so that one [`Batch`] can change any of them at once. An engine knows nothing of spaces.
//!
//! Implementations: [`super::disk::Sled`] (the database on disk), and for tests an
//! in-memory one (`memory::Memory`, which can also show what a crash leaves) and a wrapper that
//! injects faults (`faulty::Faulty`).

use std::ops::{Bound, RangeBounds};

use crate::error::StorageError;

/// What an engine's iterators yield: a key and its value, or why the engine could not read on.
pub(crate) type KvResult<B> = std::result::Result<(B, B), StorageError>;

/// Writes to apply together, all or nothing ([`Engine::apply`]). Within a batch, a later
/// write to a key replaces an earlier one.
#[derive(Debug, Clone, Default)]
pub(crate) struct Batch {
    ops: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    bytes: usize,
}

impl Batch {
    /// Sets `key` to `value`.
    pub(crate) fn insert(&mut self, key: impl AsRef<[u8]>, value: impl Into<Vec<u8>>) {
        let (key, value) = (key.as_ref().to_vec(), value.into());
        self.bytes += key.len() + value.len();
        self.ops.push((key, Some(value)));
    }

    /// Removes `key` (nothing happens when it is absent).
    pub(crate) fn remove(&mut self, key: impl AsRef<[u8]>) {
        let key = key.as_ref().to_vec();
        self.bytes += key.len();
        self.ops.push((key, None));
    }

    /// The number of writes.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ops.len()
    }

    /// The bytes of keys and values written.
    #[cfg(test)]
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// The writes, in the order they were made: a key and its new value (`None`: removed).
    pub(crate) fn into_ops(self) -> impl Iterator<Item = (Vec<u8>, Option<Vec<u8>>)> {
        self.ops.into_iter()
    }
}

/// An ordered store of byte keys and values.
///
/// Guarantees the layout relies on:
/// - **Order:** [`Engine::range`] and [`Engine::scan_prefix`] yield keys in ascending byte order
///   (descending when reversed), each key once.
/// - **A batch is all or nothing:** after [`Engine::apply`], readers see all of its writes or, if
///   it failed or the process died, none of them; batches are seen in the order applied.
/// - **Durable after flush:** what was applied before [`Engine::flush`] returned `Ok` survives a
///   crash. A crash may lose batches applied since the last flush, but only from the end: what
///   survives is the flushed state followed by a prefix of the later batches.
/// - **Reads see writes:** a read that starts after `apply` returned sees its writes. An
///   iterator may or may not see batches applied while it runs (the layout writes only under its
///   own lock, and readers never run beside a write that changes what they read).
/// - **Ids are unique:** [`Engine::generate_id`] never returns the same number twice for one
///   database, across reopening too.
pub(crate) trait Engine: Send + Sync {
    /// A key or value as the engine hands it out: read in place, without a copy where the engine
    /// can (sled shares its cached pages).
    type Bytes: std::ops::Deref<Target = [u8]> + AsRef<[u8]> + Send;

    /// The iterator of [`Engine::range`], both ways.
    type Iter<'a>: DoubleEndedIterator<Item = KvResult<Self::Bytes>> + Send + 'a
    where
        Self: 'a;

    /// The value of `key`, if any.
    fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<Self::Bytes>, StorageError>;

    /// The keys in `range` with their values, in key order (reverse the iterator for descending).
    fn range<K: AsRef<[u8]>>(&self, range: impl RangeBounds<K>) -> Self::Iter<'_>;

    /// The keys that start with `prefix` with their values, in key order.
    fn scan_prefix(&self, prefix: impl AsRef<[u8]>) -> Self::Iter<'_> {
        let prefix = prefix.as_ref().to_vec();
        match super::keys::prefix_end(&prefix) {
            Some(end) => self.range(prefix..end),
            None => self.range(prefix..),
        }
    }

    /// Applies a batch, all or nothing (see the trait's guarantees).
    fn apply(&self, batch: Batch) -> Result<(), StorageError>;

    /// Makes everything applied so far durable.
    fn flush(&self) -> Result<(), StorageError>;

    /// A number never handed out before for this database.
    fn generate_id(&self) -> Result<u64, StorageError>;

    /// Bytes the database takes on disk (zero for one that has none).
    fn size_on_disk(&self) -> Result<u64, StorageError>;

    /// Marks that the layout has reached a named step of a protocol (an import staged,
    /// committed, a window applied). Engines do nothing; a test's fault injector may stop there
    /// as if the process had died.
    fn step(&self, _name: &'static str) -> Result<(), StorageError> {
        Ok(())
    }
}

/// The bounds of `range` as borrowed slices.
pub(crate) fn bounds<'a, K: AsRef<[u8]> + 'a>(range: &'a impl RangeBounds<K>) -> (Bound<&'a [u8]>, Bound<&'a [u8]>) {
    (range.start_bound().map(K::as_ref), range.end_bound().map(K::as_ref))
}

#[cfg(test)]
pub(crate) mod behaviour {
    //! The behaviour every engine shows, run on each implementation.

    use super::*;

    fn collect<E: Engine>(it: E::Iter<'_>) -> Vec<(Vec<u8>, Vec<u8>)> {
        it.map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap()).collect()
    }

    fn pairs(kv: &[(&str, &str)]) -> Vec<(Vec<u8>, Vec<u8>)> {
        kv.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec())).collect()
    }

    /// Runs the suite on a fresh, empty engine.
    pub(crate) fn suite<E: Engine>(e: &E) {
        assert!(e.get(b"a").unwrap().is_none());
        assert_eq!(collect::<E>(e.range::<Vec<u8>>(..)), pairs(&[]));
        let mut b = Batch::default();
        for k in ["b", "a", "ab", "c", "b\u{7f}", "ba"] {
            b.insert(k, k.to_uppercase().into_bytes());
        }
        b.remove("c");
        b.insert("a", b"A2".to_vec());
        assert_eq!(b.len(), 8);
        e.apply(b).unwrap();
        assert_eq!(e.get("a").unwrap().as_deref(), Some(&b"A2"[..]));
        assert!(e.get("c").unwrap().is_none(), "a later write in a batch wins");
        let all = pairs(&[("a", "A2"), ("ab", "AB"), ("b", "B"), ("ba", "BA"), ("b\u{7f}", "B\u{7f}")]);
        assert_eq!(collect::<E>(e.range::<Vec<u8>>(..)), all, "ascending byte order");
        let mut back = all.clone();
        back.reverse();
        assert_eq!(e.range::<Vec<u8>>(..).rev().map(|kv| kv.unwrap().0.to_vec()).collect::<Vec<_>>(), {
            back.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>()
        });
        assert_eq!(collect::<E>(e.range(b"ab".to_vec()..b"b\x7f".to_vec())), all[1..4]);
        assert_eq!(collect::<E>(e.range(b"ab".to_vec()..=b"b\x7f".to_vec())), all[1..5]);
        assert_eq!(collect::<E>(e.range(b"b".to_vec()..b"ba".to_vec())), all[2..3]);
        assert_eq!(collect::<E>(e.range(b"b".to_vec()..)), all[2..]);
        assert_eq!(collect::<E>(e.range(b"z".to_vec()..b"a".to_vec())), pairs(&[]), "an empty range");
        assert_eq!(collect::<E>(e.scan_prefix("b")), all[2..]);
        assert_eq!(collect::<E>(e.scan_prefix("a")), all[..2]);
        assert_eq!(collect::<E>(e.scan_prefix([0xff])), pairs(&[]));
        // Iterating both ends at once meets in the middle, each key once.
        let mut it = e.range::<Vec<u8>>(..);
        let (first, last) = (it.next().unwrap().unwrap().0.to_vec(), it.next_back().unwrap().unwrap().0.to_vec());
        assert_eq!((first, last), (b"a".to_vec(), b"b\x7f".to_vec()));
        assert_eq!(it.count(), 3);
        let mut gone = Batch::default();
        gone.remove("a");
        gone.remove("never there");
        e.apply(gone).unwrap();
        assert_eq!(collect::<E>(e.range::<Vec<u8>>(..)), all[1..]);
        e.apply(Batch::default()).unwrap();
        e.flush().unwrap();
        let (x, y) = (e.generate_id().unwrap(), e.generate_id().unwrap());
        assert_ne!(x, y);
        e.size_on_disk().unwrap();
        e.step("a step").unwrap();
    }
}
