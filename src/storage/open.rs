//! Opening the database: sled's lock, the format version, and recovery from a crash (finishing
//! a committed import, discarding an uncommitted one); the numbers kept in the meta space.

use std::path::Path;

use super::disk::{Opening, Sled};
use super::engine::{Batch, Engine};
use super::{keys, Store, CHUNK, SCHEMA_VERSION};
use crate::error::{Error, Result, StorageError};

pub(super) fn open_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::Open { path: path.to_path_buf(), reason: reason.into() }
}

/// Where a database notes which process has it open (sled's lock does not say).
const PID_FILE: &str = "meetql.pid";

impl Store {
    /// Opens (creating when absent) the database at `path`, checks its format version and
    /// finishes or discards any import interrupted by a crash.
    pub fn open(path: &Path) -> Result<Store> {
        let mut attempts = 0;
        let db = loop {
            match Sled::open(path) {
                Err(Opening::Locked) => {
                    let who =
                        std::fs::read_to_string(path.join(PID_FILE)).ok().and_then(|s| s.trim().parse::<u32>().ok());
                    // A database this very process closed a moment ago stays locked until sled's
                    // background threads let go of it: wait a little for those, not for others.
                    if who == Some(std::process::id()) && attempts < 80 {
                        attempts += 1;
                        std::thread::sleep(std::time::Duration::from_millis(25));
                        continue;
                    }
                    return Err(open_error(
                        path,
                        match who {
                            Some(pid) if pid != std::process::id() => format!("it is in use by process {pid}"),
                            _ => "it is in use by another process".to_string(),
                        },
                    ));
                }
                Err(Opening::Failed(reason)) => return Err(open_error(path, reason)),
                Ok(db) => break db,
            }
        };
        let _ = std::fs::write(path.join(PID_FILE), std::process::id().to_string());
        Store::on(db, path)
    }
}

impl<E: Engine> Store<E> {
    /// The database held by `db` (whose files, if any, are at `path`): checks its format
    /// version and finishes or discards any import interrupted by a crash.
    pub(crate) fn on(db: E, path: &Path) -> Result<Store<E>> {
        let store = Store { db, path: path.to_path_buf(), writing: std::sync::Mutex::new(()) };
        store.check_version()?;
        store.recover()?;
        Ok(store)
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn check_version(&self) -> Result<()> {
        let damaged = |e: StorageError| open_error(&self.path, format!("the database is damaged ({e})"));
        match self.db.get(keys::meta("schema")).map_err(damaged)? {
            Some(v) if v.len() == 4 => {
                let found = u32::from_be_bytes([v[0], v[1], v[2], v[3]]);
                if found > SCHEMA_VERSION {
                    return Err(open_error(
                        &self.path,
                        format!("its format version {found} is newer than this meetql supports ({SCHEMA_VERSION}); upgrade meetql"),
                    ));
                }
                if found < SCHEMA_VERSION {
                    return Err(open_error(
                        &self.path,
                        format!("its format version {found} is older than this meetql's ({SCHEMA_VERSION}); export it with the older meetql and re-import"),
                    ));
                }
                Ok(())
            }
            Some(_) => Err(open_error(&self.path, "its format version key is damaged")),
            None if self.db.range::<&[u8]>(..).next().transpose().map_err(damaged)?.is_none() => {
                let mut batch = Batch::default();
                batch.insert(keys::meta("schema"), SCHEMA_VERSION.to_be_bytes());
                self.db.apply(batch)?;
                self.db.flush()?;
                Ok(())
            }
            None => Err(open_error(&self.path, "it is not a MeetQL database (no format version)")),
        }
    }

    /// Finishes committed imports and deletes uncommitted staging.
    pub(super) fn recover(&self) -> Result<()> {
        let mut committed = Vec::new();
        for kv in self.db.scan_prefix([keys::MARKER]) {
            let (k, _) = kv?;
            if k.len() == 9 {
                committed.push(u64::from_be_bytes(k[1..9].try_into().unwrap()));
            }
        }
        for id in &committed {
            self.apply_staged(*id)?;
        }
        // Blocks at or above the block count belong to an import that never committed.
        let changed = self.discard_uncommitted()?;
        // A clean open writes nothing (no fsync on the way to a read-only query).
        if changed {
            self.db.flush()?;
        }
        Ok(())
    }

    /// A number kept in the meta space (big-endian, `N` bytes; zero when absent).
    pub(super) fn meta_number<const N: usize>(&self, name: &str) -> Result<[u8; N]> {
        Ok(self.db.get(keys::meta(name))?.and_then(|v| v.as_ref().try_into().ok()).unwrap_or([0; N]))
    }

    /// The number of blocks committed: every row below `next_block * SLOTS` is visible.
    pub(super) fn next_block(&self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.meta_number("next_block")?))
    }

    /// Deletes blocks no commit covers; whether there were any.
    pub(super) fn discard_uncommitted(&self) -> Result<bool> {
        let from = keys::block(self.next_block()?);
        let mut removed = false;
        loop {
            let mut batch = Batch::default();
            let mut n = 0;
            for k in self.db.range(from..).take(CHUNK) {
                let (k, _) = k?;
                if k.first() != Some(&keys::BLOCK) {
                    break;
                }
                batch.remove(k);
                n += 1;
            }
            if n == 0 {
                return Ok(removed);
            }
            removed = true;
            self.db.apply(batch)?;
        }
    }

    /// Makes everything written so far durable.
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    /// The number of records.
    pub fn len(&self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.meta_number("count")?))
    }

    /// Bytes the database takes on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        Ok(self.db.size_on_disk()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.put(keys::meta("schema"), (SCHEMA_VERSION + 1).to_be_bytes()).unwrap();
            s.flush().unwrap();
        }
        let e = Store::open(dir.path()).err().unwrap();
        assert_eq!(e.exit_code(), 3);
        assert!(e.to_string().contains("newer"), "{e}");
    }

    #[test]
    fn an_older_layout_is_refused_with_a_reimport_message() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.put(keys::meta("schema"), 2u32.to_be_bytes()).unwrap();
            s.flush().unwrap();
        }
        let e = Store::open(dir.path()).err().unwrap();
        assert_eq!(e.exit_code(), 3);
        let msg = e.to_string();
        assert!(msg.contains("format version 2 is older than this meetql's (3)"), "{msg}");
        assert!(msg.contains("export it with the older meetql and re-import"), "{msg}");
    }
}
