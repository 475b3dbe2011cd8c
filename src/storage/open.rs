//! Opening the database: sled's lock, the format version, and recovery from a crash (finishing
//! a committed import, discarding an uncommitted one); the numbers kept in the meta space.

use std::path::Path;

use super::disk::{Opening, Sled};
use super::engine::{Batch, Engine};
use super::{keys, Store, CHUNK, OLDEST_SCHEMA_VERSION, SCHEMA_VERSION};
use crate::error::{Error, Result, StorageError};

/// What a damaged database's message says, without sled's internals.
const DAMAGED: &str = "the database files are damaged (a part of them cannot be read back); \
    `meetql check` tells what is affected when the database still opens; restore a backup or \
    re-import the records from an export (`meetql export`) into a new database";

pub(super) fn open_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::Open { path: path.to_path_buf(), reason: reason.into() }
}

/// Where a database notes which process has it open (sled's lock does not say).
pub(super) const PID_FILE: &str = "meetql.pid";

/// How long a process keeps a database open, which decides what opening it starts.
///
/// Durability is the same either way: every write is flushed before it reports success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hold {
    /// Kept open (the shell, an import, a program embedding the library): sled's background
    /// thread writes buffered changes out every second and reclaims log space.
    #[default]
    Long,
    /// Opened for a few statements, then flushed and closed by exiting (`meetql query`,
    /// `meetql run`, a piped script): no background thread. Measured on 200k meetings
    /// (`meetings count`, 21 alternating runs): 8 ms less wall time and 3 ms less CPU, the
    /// thread's start and its first fsync.
    Brief,
}

impl Store {
    /// Opens (creating when absent) the database at `path`, checks its format version and
    /// finishes or discards any import interrupted by a crash.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_held(path, Hold::Long)
    }

    /// [`Store::open`] for a process that holds the database as `hold` says.
    pub fn open_held(path: &Path, hold: Hold) -> Result<Store> {
        refuse_foreign(path)?;
        std::fs::create_dir_all(path)
            .map_err(|e| open_error(path, format!("cannot create the directory: {}", crate::error::io_reason(&e))))?;
        remove_unfinished_snapshots(path);
        let mut attempts = 0;
        let db = loop {
            match Sled::open(path, hold) {
                Err(Opening::Locked) => {
                    let who = std::fs::read_to_string(path.join(PID_FILE))
                        .ok()
                        .and_then(|s| s.trim().parse::<u32>().ok())
                        .filter(|pid| is_alive(*pid));
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
                Err(Opening::Damaged) if conf_damaged(path) => return Err(open_error(path, DAMAGED_CONF)),
                Err(Opening::Damaged) => return Err(open_error(path, DAMAGED)),
                Ok(db) => break db,
            }
        };
        write_pid(path);
        Store::on(db, path)
    }
}

/// What a damaged `conf` means and what to do (sled's own words were "created using a sled
/// version earlier than 0.29").
const DAMAGED_CONF: &str = "its `conf` file (the storage settings, a few lines of text) is damaged; every MeetQL \
     database of this version has the same one: copy `conf` from another (for instance one that `meetql import` \
     makes in a new directory) over it, or re-import the records from an export into a new database";

/// Whether the `conf` file sled writes (`segment_size: …`, `use_compression: …`, `version: …`
/// and a checksum) is there but no longer reads as such.
fn conf_damaged(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path.join("conf")) else { return false };
    let text = String::from_utf8_lossy(&bytes);
    !(text.starts_with("segment_size: ") && text.contains("\nuse_compression: ") && text.contains("\nversion: "))
}

/// Refuses, before sled touches anything, a path that is a file, a directory holding files but
/// no database, or a database whose pid file is a link (writing it would write outside).
fn refuse_foreign(path: &Path) -> Result<()> {
    if path.as_os_str().is_empty() {
        return Err(open_error(path, "the database path is empty (is MEETQL_DB set to nothing?); name a directory"));
    }
    let Ok(meta) = std::fs::metadata(path) else { return Ok(()) };
    if !meta.is_dir() {
        return Err(open_error(path, format!("{} is a file, not a database directory", path.display())));
    }
    let pid = path.join(PID_FILE);
    if std::fs::symlink_metadata(&pid).is_ok_and(|m| !m.is_file()) {
        return Err(open_error(
            path,
            format!("{} is not a plain file (a link?); meetql never writes through it: remove it", pid.display()),
        ));
    }
    let mut entries = std::fs::read_dir(path)
        .map_err(|e| open_error(path, format!("cannot read the directory: {}", crate::error::io_reason(&e))))?;
    if entries.next().is_some() && !path.join("conf").is_file() {
        return Err(open_error(
            path,
            "it is not a MeetQL database (the directory holds other files); name an empty or new directory",
        ));
    }
    Ok(())
}

/// Removes the `snap.*.generating` files a kill or a full disk can leave: sled 0.34 writes its
/// snapshot there, syncs it and only then renames it to `snap.*`, deleting older snapshots last,
/// so such a file is never the only copy of anything; left in place, sled reads it as the newest
/// snapshot and calls the database damaged. Done holding sled's own lock (a `flock` of `db`), so
/// a live process's snapshot in the making is never touched.
fn remove_unfinished_snapshots(path: &Path) {
    let Ok(lock) = std::fs::OpenOptions::new().read(true).write(true).open(path.join("db")) else { return };
    if lock.try_lock().is_err() {
        return;
    }
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("snap.") && name.ends_with(".generating") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let _ = lock.unlock();
}

/// Notes this process as the database's holder, never following a link planted in its place.
fn write_pid(path: &Path) {
    use std::io::Write;
    let pid = path.join(PID_FILE);
    if std::fs::symlink_metadata(&pid).is_ok_and(|m| !m.is_file()) {
        return;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    if let Ok(mut f) = options.open(&pid) {
        let _ = f.write_all(std::process::id().to_string().as_bytes());
    }
}

/// Whether a process with this id is running (a pid file can outlive its process).
fn is_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

impl<E: Engine> Store<E> {
    /// The database held by `db` (whose files, if any, are at `path`): checks its format
    /// version and finishes or discards any import interrupted by a crash.
    pub(crate) fn on(db: E, path: &Path) -> Result<Store<E>> {
        let mut store = Store {
            db: super::shared::Counted::new(db),
            blocks: super::shared::SharedBlocks::new(),
            path: path.to_path_buf(),
            layout: SCHEMA_VERSION,
            writing: std::sync::Mutex::new(()),
        };
        store.layout = store.check_version()?;
        store.recover()?;
        Ok(store)
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks the format version and returns it (a new database gets [`SCHEMA_VERSION`]).
    pub(super) fn check_version(&self) -> Result<u32> {
        let damaged = |_: StorageError| open_error(&self.path, DAMAGED);
        match self.db.get(keys::meta("schema")).map_err(damaged)? {
            Some(v) if v.len() == 4 => {
                let found = u32::from_be_bytes([v[0], v[1], v[2], v[3]]);
                if found > SCHEMA_VERSION {
                    return Err(open_error(
                        &self.path,
                        format!("its format version {found} is newer than this meetql supports ({SCHEMA_VERSION}); upgrade meetql"),
                    ));
                }
                if found < OLDEST_SCHEMA_VERSION {
                    return Err(open_error(
                        &self.path,
                        format!("its format version {found} is older than this meetql reads ({OLDEST_SCHEMA_VERSION} to {SCHEMA_VERSION}); export it with the older meetql and re-import"),
                    ));
                }
                Ok(found)
            }
            Some(_) => Err(open_error(&self.path, "its format version key is damaged")),
            None if self.db.range::<&[u8]>(..).next().transpose().map_err(damaged)?.is_none() => {
                let mut batch = Batch::default();
                batch.insert(keys::meta("schema"), SCHEMA_VERSION.to_be_bytes());
                self.db.apply(batch)?;
                self.db.flush()?;
                Ok(SCHEMA_VERSION)
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
    fn a_layout_3_database_opens_answers_and_stays_without_a_text_index() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            assert!(s.has_text_index());
            s.put(keys::meta("schema"), 3u32.to_be_bytes()).unwrap();
            s.flush().unwrap();
        }
        {
            let s = Store::open(dir.path()).unwrap();
            assert!(!s.has_text_index());
            let mut m = crate::storage::testing::rec("a", "2024", &[]);
            m.summary = Some("Water talks".into());
            s.write(vec![m]).unwrap();
            assert!(s.db.scan_prefix([keys::GRAM]).next().is_none(), "no text index is written");
            assert!(s.check(5).unwrap().is_ok());
            assert_eq!(s.meta_number::<4>("schema").unwrap(), 3u32.to_be_bytes(), "the layout stays 3");
        }
        // Through the engine: `contains` scans, gives the rows, and explain says why.
        let e = crate::Engine::open(dir.path()).unwrap();
        let r = e.query("meetings where text contains \"water\"").unwrap();
        assert_eq!(r.meetings().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["a"]);
        let text = e.query("explain meetings where text contains \"water\"").unwrap().plan.unwrap();
        assert!(text.contains("full scan of every record"), "{text}");
        assert!(text.contains("text index: none in this database"), "{text}");
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
        assert!(msg.contains("format version 2 is older than this meetql reads (3 to 4)"), "{msg}");
        assert!(msg.contains("export it with the older meetql and re-import"), "{msg}");
    }
}
