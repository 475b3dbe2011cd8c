//! Opened record blocks shared by every query of one [`super::Store`], so that a query asked
//! again (or one that reads the rows another just read) finds them decompressed, without a
//! point read or LZ4.
//!
//! The cache cannot serve a block older than the database: the store's engine is wrapped in a
//! [`Counted`] engine that numbers every applied batch, and a block is cached under the number
//! that was current when it was read. A lookup asks for the current number, so after any write
//! (an import, a removal, recovery at open, a test's damage) every block is read afresh; the
//! stale entries are evicted as the cache fills. The cache holds at most
//! [`SharedBlocks::BYTES`] of decompressed blocks, counted by their length.

use std::ops::RangeBounds;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::engine::{Batch, Engine};
use crate::error::StorageError;

/// An engine that counts the batches applied to it (see the module docs).
pub(crate) struct Counted<E> {
    inner: E,
    applied: AtomicU64,
}

impl<E> Counted<E> {
    pub(crate) fn new(inner: E) -> Counted<E> {
        Counted { inner, applied: AtomicU64::new(0) }
    }

    /// The engine counted (for tests that ask a fault injector what it saw).
    #[cfg(test)]
    pub(crate) fn inner(&self) -> &E {
        &self.inner
    }

    /// Batches applied so far (failed ones included: a failed batch may have changed nothing,
    /// but counting it costs only a re-read).
    pub(crate) fn applied(&self) -> u64 {
        self.applied.load(Ordering::Acquire)
    }
}

impl<E: Engine> Engine for Counted<E> {
    type Bytes = E::Bytes;
    type Iter<'a>
        = E::Iter<'a>
    where
        Self: 'a;

    fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<Self::Bytes>, StorageError> {
        self.inner.get(key)
    }

    fn range<K: AsRef<[u8]>>(&self, range: impl RangeBounds<K>) -> Self::Iter<'_> {
        self.inner.range(range)
    }

    fn scan_prefix(&self, prefix: impl AsRef<[u8]>) -> Self::Iter<'_> {
        self.inner.scan_prefix(prefix)
    }

    fn apply(&self, batch: Batch) -> Result<(), StorageError> {
        // Counted before and after: a reader that looked the number up while the batch was
        // being applied caches what it read under a number no later lookup asks for.
        self.applied.fetch_add(1, Ordering::AcqRel);
        let r = self.inner.apply(batch);
        self.applied.fetch_add(1, Ordering::AcqRel);
        r
    }

    fn flush(&self) -> Result<(), StorageError> {
        self.inner.flush()
    }

    fn generate_id(&self) -> Result<u64, StorageError> {
        self.inner.generate_id()
    }

    fn size_on_disk(&self) -> Result<u64, StorageError> {
        self.inner.size_on_disk()
    }

    fn step(&self, name: &'static str) -> Result<(), StorageError> {
        self.inner.step(name)
    }
}

/// Weighs a cached block by its length.
#[derive(Clone)]
struct ByLength;

impl quick_cache::Weighter<(u64, u64), Arc<[u8]>> for ByLength {
    fn weight(&self, _: &(u64, u64), block: &Arc<[u8]>) -> u64 {
        block.len().max(1) as u64
    }
}

/// Decompressed blocks by (batches applied when read, block number).
///
/// A block is kept only when it is read a second time (a doorkeeper, as in TinyLFU): the first
/// read notes its number. A process that answers one query and exits (`meetql query`) then
/// fills no cache it will never ask again, and a query that reads many blocks once does not
/// push out the blocks of queries that are asked again. Measured on a one-shot query returning
/// 87,809 of 1M meetings: keeping every block read cost 32 MB more memory, and the fresh pages'
/// zeroing in the kernel is a third of such a process's time.
pub(crate) struct SharedBlocks {
    cache: quick_cache::sync::Cache<(u64, u64), Arc<[u8]>, ByLength>,
    seen: std::sync::Mutex<std::collections::HashSet<(u64, u64)>>,
}

impl SharedBlocks {
    /// Bytes of decompressed blocks kept at most: about 16,000 blocks of ~2 KB, the rows of
    /// several selective queries. It fills only as queries read, so a process that answers one
    /// small query and exits holds little of it.
    pub(crate) const BYTES: u64 = 32 << 20;

    /// Block numbers noted as read once at most; the notes are forgotten all at once beyond
    /// this (16 bytes each).
    const SEEN: usize = 65_536;

    pub(crate) fn new() -> SharedBlocks {
        SharedBlocks {
            cache: quick_cache::sync::Cache::with_weighter(16_384, Self::BYTES, ByLength),
            seen: Default::default(),
        }
    }

    /// The block as read when `applied` batches had been applied, if it is kept.
    pub(crate) fn get(&self, applied: u64, block: u64) -> Option<Arc<[u8]>> {
        self.cache.get(&(applied, block))
    }

    /// Offers a block read when `applied` batches had been applied: kept if it was offered
    /// before (see the type's docs).
    pub(crate) fn insert(&self, applied: u64, block: u64, raw: Arc<[u8]>) {
        let key = (applied, block);
        {
            // A poisoned lock only means another reader panicked while noting a number.
            let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
            if !seen.remove(&key) {
                if seen.len() >= Self::SEEN {
                    seen.clear();
                }
                seen.insert(key);
                return;
            }
        }
        self.cache.insert(key, raw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_read_before_a_write_is_not_served_after_it() {
        let db = Counted::new(super::super::memory::Memory::default());
        let blocks = SharedBlocks::new();
        let before = db.applied();
        blocks.insert(before, 7, Arc::from(&b"old"[..]));
        blocks.insert(before, 7, Arc::from(&b"old"[..]));
        assert_eq!(blocks.get(db.applied(), 7).as_deref(), Some(&b"old"[..]));
        let mut batch = Batch::default();
        batch.insert(b"k", b"v".to_vec());
        db.apply(batch).unwrap();
        assert!(db.applied() > before);
        assert_eq!(blocks.get(db.applied(), 7), None);
    }

    #[test]
    fn the_cache_keeps_no_more_than_its_bytes() {
        let blocks = SharedBlocks::new();
        let block: Arc<[u8]> = Arc::from(vec![0u8; 4096]);
        for b in 0..(2 * SharedBlocks::BYTES / 4096) {
            blocks.insert(0, b, block.clone());
            blocks.insert(0, b, block.clone());
        }
        assert!(blocks.cache.weight() <= SharedBlocks::BYTES, "{} bytes kept", blocks.cache.weight());
    }

    #[test]
    fn a_block_is_kept_when_it_is_read_again() {
        let blocks = SharedBlocks::new();
        let block: Arc<[u8]> = Arc::from(&b"raw"[..]);
        blocks.insert(0, 1, block.clone());
        assert_eq!(blocks.get(0, 1), None, "kept after one read");
        blocks.insert(0, 1, block.clone());
        assert_eq!(blocks.get(0, 1).as_deref(), Some(&b"raw"[..]));
        // The notes are bounded: past their number they are forgotten, and reading then noted.
        for b in 0..SharedBlocks::SEEN as u64 + 10 {
            blocks.insert(1, b, block.clone());
        }
        assert!(blocks.seen.lock().unwrap().len() <= SharedBlocks::SEEN);
        blocks.insert(1, SharedBlocks::SEEN as u64 + 5, block.clone());
        assert!(blocks.get(1, SharedBlocks::SEEN as u64 + 5).is_some());
        assert_eq!(blocks.cache.len(), 2);
    }
}
