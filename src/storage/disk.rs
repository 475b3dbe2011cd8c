//! The [`Engine`] on disk: sled. **Invariant:** the only file that names sled.

use std::ops::RangeBounds;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::engine::{Batch, Engine, KvResult};
use super::Hold;
use crate::error::StorageError;

/// sled's page cache. Measured on 1M meetings (`examples/profile_query`): 256 MB did not make
/// an indexed query of 9,607 rows measurably faster than 128 MB (27–30 against 27–33 ms) but
/// raised a 1M import's peak memory from about 550 to 680 MB. (sled does not bound its memory
/// by this during writes.)
const CACHE_BYTES: u64 = 128 << 20;

/// A sled database: everything in its default tree.
pub(crate) struct Sled {
    db: sled::Db,
    path: Arc<Path>,
}

/// Why a sled database would not open.
pub(crate) enum Opening {
    /// sled found the files damaged (or panicked reading them).
    Damaged,
    /// Another process (or this one, a moment ago) holds its lock.
    Locked,
    /// Why, for people.
    Failed(String),
}

impl Sled {
    /// Opens (creating when absent) the database at `path`, for a process that holds it as
    /// `hold` says: sled's background flusher (a thread that writes buffered changes out every
    /// second, fsyncs and reclaims log space) runs only for [`Hold::Long`]. Every write of the
    /// store is flushed before it reports success either way.
    pub(crate) fn open(path: &Path, hold: Hold) -> Result<Sled, Opening> {
        let every = match hold {
            Hold::Long => Some(1000),
            Hold::Brief => None,
        };
        let config = sled::Config::new().path(path).cache_capacity(CACHE_BYTES).flush_every_ms(every);
        // sled can panic on damaged files; such a database cannot be opened, which is an error
        // for the user, not a crash. The panic hook is silenced for the duration.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || config.open()));
        std::panic::set_hook(hook);
        match opened {
            Ok(Ok(db)) => Ok(Sled { db, path: Arc::from(path) }),
            Ok(Err(sled::Error::Io(e)))
                if e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("could not acquire lock") =>
            {
                Err(Opening::Locked)
            }
            Ok(Err(sled::Error::Io(e))) => Err(Opening::Failed(crate::error::io_reason(&e))),
            // sled's own text names file offsets and backtraces: open.rs says what it means.
            Ok(Err(_)) | Err(_) => Err(Opening::Damaged),
        }
    }
}

/// sled's error, typed: its I/O failures name the database's directory.
fn typed(path: &Path, e: sled::Error) -> StorageError {
    match e {
        sled::Error::Io(source) => StorageError::Io { path: PathBuf::from(path), source },
        sled::Error::Corruption { .. } => StorageError::Damaged { what: "database files".into() },
        e => StorageError::Sled(e.to_string()),
    }
}

/// A sled iterator with its errors typed.
pub(crate) struct Iter {
    inner: sled::Iter,
    path: Arc<Path>,
}

impl Iterator for Iter {
    type Item = KvResult<sled::IVec>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.inner.next()?.map_err(|e| typed(&self.path, e)))
    }
}

impl DoubleEndedIterator for Iter {
    fn next_back(&mut self) -> Option<Self::Item> {
        Some(self.inner.next_back()?.map_err(|e| typed(&self.path, e)))
    }
}

impl Engine for Sled {
    type Bytes = sled::IVec;
    type Iter<'a> = Iter;

    fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<sled::IVec>, StorageError> {
        self.db.get(key).map_err(|e| typed(&self.path, e))
    }

    fn range<K: AsRef<[u8]>>(&self, range: impl RangeBounds<K>) -> Iter {
        let (lo, hi) = super::engine::bounds(&range);
        Iter { inner: self.db.range::<&[u8], _>((lo, hi)), path: self.path.clone() }
    }

    fn scan_prefix(&self, prefix: impl AsRef<[u8]>) -> Iter {
        Iter { inner: self.db.scan_prefix(prefix), path: self.path.clone() }
    }

    fn apply(&self, batch: Batch) -> Result<(), StorageError> {
        let mut b = sled::Batch::default();
        for (k, v) in batch.into_ops() {
            match v {
                Some(v) => b.insert(k, v),
                None => b.remove(k),
            }
        }
        self.db.apply_batch(b).map_err(|e| typed(&self.path, e))
    }

    fn flush(&self) -> Result<(), StorageError> {
        self.db.flush().map(drop).map_err(|e| typed(&self.path, e))
    }

    fn generate_id(&self) -> Result<u64, StorageError> {
        self.db.generate_id().map_err(|e| typed(&self.path, e))
    }

    fn size_on_disk(&self) -> Result<u64, StorageError> {
        self.db.size_on_disk().map_err(|e| typed(&self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sled_behaves_as_an_engine() {
        let dir = tempfile::tempdir().unwrap();
        let e = Sled::open(dir.path(), Hold::Long).ok().unwrap();
        super::super::engine::behaviour::suite(&e);
    }

    #[test]
    fn a_second_open_finds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let _held = Sled::open(dir.path(), Hold::Long).ok().unwrap();
        // sled's lock is per process for its own files: a second open in this process is refused.
        assert!(matches!(Sled::open(dir.path(), Hold::Long), Err(Opening::Locked)));
    }
}
