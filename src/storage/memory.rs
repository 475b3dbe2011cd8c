//! An [`Engine`] in memory, for tests: it keeps what a crash would leave (the flushed state and
//! the batches applied since), so a test can reopen a database as a crash left it.

use std::collections::BTreeMap;
use std::ops::{Bound, RangeBounds};
use std::sync::{Arc, Mutex, MutexGuard};

use super::engine::{Batch, Engine, KvResult};
use crate::error::StorageError;

type Map = BTreeMap<Vec<u8>, Arc<[u8]>>;

#[derive(Default)]
struct State {
    /// What readers see.
    live: Map,
    /// What the last flush made durable.
    durable: Map,
    /// Batches applied since the last flush, in order.
    unflushed: Vec<Batch>,
    next_id: u64,
    /// The most writes one batch held.
    largest: usize,
}

/// A database in memory. Clones share it.
#[derive(Clone, Default)]
pub(crate) struct Memory {
    state: Arc<Mutex<State>>,
}

fn apply_to(map: &mut Map, batch: Batch) {
    for (k, v) in batch.into_ops() {
        match v {
            Some(v) => map.insert(k, v.into()),
            None => map.remove(&k),
        };
    }
}

impl Memory {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new database holding what a crash now could leave: the flushed state and the first
    /// `kept` batches applied since (the engine's guarantees allow any such prefix).
    pub(crate) fn after_crash(&self, kept: usize) -> Memory {
        let s = self.lock();
        let mut map = s.durable.clone();
        for b in s.unflushed.iter().take(kept) {
            apply_to(&mut map, b.clone());
        }
        let state = State { live: map.clone(), durable: map, unflushed: Vec::new(), next_id: s.next_id, largest: 0 };
        Memory { state: Arc::new(Mutex::new(state)) }
    }

    /// The most writes one batch applied so far held.
    pub(crate) fn largest_batch(&self) -> usize {
        self.lock().largest
    }

    /// The number of batches applied since the last flush.
    pub(crate) fn unflushed(&self) -> usize {
        self.lock().unflushed.len()
    }
}

/// An iterator over a range of a [`Memory`], reading one key at a time (so it may see batches
/// applied meanwhile, as sled's may).
pub(crate) struct Iter {
    state: Arc<Mutex<State>>,
    lo: Bound<Vec<u8>>,
    hi: Bound<Vec<u8>>,
}

impl Iter {
    fn step(&mut self, back: bool) -> Option<KvResult<Arc<[u8]>>> {
        use Bound::*;
        let empty = match (&self.lo, &self.hi) {
            (Included(a), Included(b)) => a > b,
            (Included(a), Excluded(b)) | (Excluded(a), Included(b)) | (Excluded(a), Excluded(b)) => a >= b,
            _ => false,
        };
        if empty {
            return None;
        }
        let s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let range = s.live.range::<[u8], _>((self.lo.as_ref().map(Vec::as_slice), self.hi.as_ref().map(Vec::as_slice)));
        let (k, v) = if back { range.last()? } else { range.into_iter().next()? };
        let (k, v) = (k.clone(), v.clone());
        drop(s);
        if back {
            self.hi = Excluded(k.clone());
        } else {
            self.lo = Excluded(k.clone());
        }
        Some(Ok((k.into(), v)))
    }
}

impl Iterator for Iter {
    type Item = KvResult<Arc<[u8]>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.step(false)
    }
}

impl DoubleEndedIterator for Iter {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.step(true)
    }
}

impl Engine for Memory {
    type Bytes = Arc<[u8]>;
    type Iter<'a> = Iter;

    fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<Arc<[u8]>>, StorageError> {
        Ok(self.lock().live.get(key.as_ref()).cloned())
    }

    fn range<K: AsRef<[u8]>>(&self, range: impl RangeBounds<K>) -> Iter {
        let owned = |b: Bound<&K>| b.map(|k| k.as_ref().to_vec());
        Iter { state: self.state.clone(), lo: owned(range.start_bound()), hi: owned(range.end_bound()) }
    }

    fn apply(&self, batch: Batch) -> Result<(), StorageError> {
        let mut s = self.lock();
        s.largest = s.largest.max(batch.len());
        apply_to(&mut s.live, batch.clone());
        s.unflushed.push(batch);
        Ok(())
    }

    fn flush(&self) -> Result<(), StorageError> {
        let mut s = self.lock();
        let s = &mut *s;
        for b in s.unflushed.drain(..) {
            apply_to(&mut s.durable, b);
        }
        Ok(())
    }

    fn generate_id(&self) -> Result<u64, StorageError> {
        let mut s = self.lock();
        s.next_id += 1;
        Ok(s.next_id)
    }

    fn size_on_disk(&self) -> Result<u64, StorageError> {
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_behaves_as_an_engine() {
        super::super::engine::behaviour::suite(&Memory::default());
    }

    #[test]
    fn a_crash_keeps_the_flushed_state_and_a_prefix_of_later_batches() {
        let m = Memory::default();
        let put = |k: &str| {
            let mut b = Batch::default();
            b.insert(k, b"v".to_vec());
            m.apply(b).unwrap();
        };
        put("a");
        m.flush().unwrap();
        put("b");
        put("c");
        assert_eq!(m.unflushed(), 2);
        let keys = |m: &Memory| m.range::<Vec<u8>>(..).map(|kv| kv.unwrap().0.to_vec()).collect::<Vec<_>>();
        assert_eq!(keys(&m.after_crash(0)), [b"a".to_vec()]);
        assert_eq!(keys(&m.after_crash(1)), [b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(keys(&m.after_crash(9)), keys(&m));
        assert!(m.after_crash(0).generate_id().unwrap() > m.generate_id().unwrap() - 1);
    }
}
