//! An [`Engine`] wrapper that fails on purpose, for tests: after a number of batches, after a
//! number of bytes written, or at a named step of a protocol ([`Engine::step`]). From the first
//! fault on, every write fails too, as if the process had died there; reads go on.

use std::ops::RangeBounds;
use std::sync::Mutex;

use super::engine::{Batch, Engine};
use crate::error::StorageError;

/// When a [`Faulty`] engine fails.
#[derive(Debug, Clone, Default)]
pub(crate) struct Faults {
    /// Fails the batch after this many have been applied.
    pub(crate) after_batches: Option<usize>,
    /// Fails the batch that would take the bytes written past this.
    pub(crate) after_bytes: Option<usize>,
    /// Fails at the step of this name.
    pub(crate) at_step: Option<&'static str>,
}

#[derive(Default)]
struct Count {
    batches: usize,
    bytes: usize,
    /// Each step reached, with the batches applied before it.
    steps: Vec<(&'static str, usize)>,
    failed: Option<String>,
}

/// An engine that fails as its [`Faults`] say.
pub(crate) struct Faulty<E> {
    inner: E,
    faults: Faults,
    count: Mutex<Count>,
}

impl<E: Engine> Faulty<E> {
    /// Wraps `inner`.
    pub(crate) fn new(inner: E, faults: Faults) -> Faulty<E> {
        Faulty { inner, faults, count: Mutex::default() }
    }

    /// The batches applied so far.
    pub(crate) fn batches(&self) -> usize {
        self.count.lock().unwrap().batches
    }

    /// The bytes of the batches applied so far.
    pub(crate) fn bytes(&self) -> usize {
        self.count.lock().unwrap().bytes
    }

    /// The steps reached so far, in order, each with the number of batches applied before it.
    pub(crate) fn steps(&self) -> Vec<(&'static str, usize)> {
        self.count.lock().unwrap().steps.clone()
    }

    /// Fails with `why` from now on.
    fn fail(count: &mut Count, why: String) -> StorageError {
        count.failed = Some(why.clone());
        StorageError::Injected(why)
    }

    fn alive(count: &Count) -> Result<(), StorageError> {
        match &count.failed {
            Some(why) => Err(StorageError::Injected(format!("after {why}"))),
            None => Ok(()),
        }
    }
}

impl<E: Engine> Engine for Faulty<E> {
    type Bytes = E::Bytes;
    type Iter<'a>
        = E::Iter<'a>
    where
        E: 'a;

    fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<E::Bytes>, StorageError> {
        self.inner.get(key)
    }

    fn range<K: AsRef<[u8]>>(&self, range: impl RangeBounds<K>) -> E::Iter<'_> {
        self.inner.range(range)
    }

    fn apply(&self, batch: Batch) -> Result<(), StorageError> {
        let mut c = self.count.lock().unwrap();
        Self::alive(&c)?;
        if self.faults.after_batches.is_some_and(|n| c.batches >= n) {
            let why = format!("{} batches", c.batches);
            return Err(Self::fail(&mut c, why));
        }
        if self.faults.after_bytes.is_some_and(|n| c.bytes + batch.bytes() > n) {
            let why = format!("{} bytes", c.bytes);
            return Err(Self::fail(&mut c, why));
        }
        c.bytes += batch.bytes();
        c.batches += 1;
        self.inner.apply(batch)
    }

    fn flush(&self) -> Result<(), StorageError> {
        Self::alive(&self.count.lock().unwrap())?;
        self.inner.flush()
    }

    fn generate_id(&self) -> Result<u64, StorageError> {
        Self::alive(&self.count.lock().unwrap())?;
        self.inner.generate_id()
    }

    fn size_on_disk(&self) -> Result<u64, StorageError> {
        self.inner.size_on_disk()
    }

    fn step(&self, name: &'static str) -> Result<(), StorageError> {
        let mut c = self.count.lock().unwrap();
        Self::alive(&c)?;
        let at = c.batches;
        c.steps.push((name, at));
        if self.faults.at_step == Some(name) {
            return Err(Self::fail(&mut c, format!("step \"{name}\"")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::memory::Memory;
    use super::*;

    #[test]
    fn a_faulty_engine_without_faults_behaves_as_an_engine() {
        super::super::engine::behaviour::suite(&Faulty::new(Memory::default(), Faults::default()));
    }

    fn put(e: &impl Engine, k: &str, v: &str) -> Result<(), StorageError> {
        let mut b = Batch::default();
        b.insert(k, v.as_bytes().to_vec());
        e.apply(b)
    }

    #[test]
    fn faults_come_where_asked_and_stop_every_later_write() {
        let e = Faulty::new(Memory::default(), Faults { after_batches: Some(2), ..Faults::default() });
        put(&e, "a", "1").unwrap();
        put(&e, "b", "2").unwrap();
        let err = put(&e, "c", "3").unwrap_err();
        assert_eq!(err.to_string(), "injected fault: 2 batches");
        assert!(e.get("c").unwrap().is_none(), "the failed batch wrote nothing");
        assert!(e.flush().is_err() && e.step("x").is_err() && put(&e, "d", "4").is_err());
        assert!(e.get("a").unwrap().is_some(), "reads go on");

        let e = Faulty::new(Memory::default(), Faults { after_bytes: Some(5), ..Faults::default() });
        put(&e, "a", "123").unwrap();
        assert!(put(&e, "b", "12").is_err(), "4 + 3 bytes is past 5");

        let e = Faulty::new(Memory::default(), Faults { at_step: Some("two"), ..Faults::default() });
        e.step("one").unwrap();
        assert_eq!(e.step("two").unwrap_err().to_string(), "injected fault: step \"two\"");
        assert_eq!(e.steps(), [("one", 0), ("two", 0)]);
        assert_eq!((e.batches(), e.bytes()), (0, 0));
    }
}
