//! Storage: the sled database, its key layout and the import protocol.
//!
//! **Invariant:** this is the only module that imports sled, and [`codec`] the only one that
//! imports bincode. Nothing outside depends on key or value formats: callers see records,
//! [`RowRef`]s (a meeting's date interval and id) and index hits.
//!
//! Everything lives in sled's default tree under one-byte key spaces ([`keys`]), so that one
//! sled batch updates a record and all its index entries atomically. Index entries are packed
//! a calendar month at a time per value ([`postings`]): sled holds about one key per record.
//!
//! ## Imports are all-or-nothing
//! A small file becomes one batch. A large one is first *staged* under a fresh import id in
//! bounded batches (invisible to queries); then one small *marker* key commits it; then the
//! staged records are applied to the live space in bounded batches, each of which also deletes
//! the staging keys it consumed; finally the marker goes. On open, a marked import is finished
//! and unmarked staging is deleted, so a crash at any moment leaves the import whole or absent.
//! Every step that reports success first calls `flush`.

pub(crate) mod codec;
mod keys;
mod postings;

use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fields::IndexField;
use crate::model::Meeting;

/// The layout version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 2;

/// Files up to this many records are written as one batch; larger ones are staged.
pub const DIRECT_LIMIT: usize = 5_000;

/// Records per batch when staging a large import.
const CHUNK: usize = 2_000;

/// Records per batch when applying a staged import: each batch rewrites the postings chunks it
/// touches, so fewer, larger batches write less.
const APPLY_CHUNK: usize = 10_000;

/// A meeting as the indexes know it: its date interval (days since 1970-01-01) and id. Orders
/// as the default order of `meetings`: by start, then end, then id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowRef {
    /// First day of the meeting's date interval.
    pub start: i32,
    /// Last day of the meeting's date interval.
    pub end: i32,
    /// The record id.
    pub id: String,
}

impl RowRef {
    /// The row of a record.
    pub fn of(m: &Meeting) -> RowRef {
        RowRef { start: m.date.start(), end: m.date.end(), id: m.id.clone() }
    }
}

/// Which days a meeting's interval may start and end on (inclusive bounds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    /// Earliest start.
    pub start_min: i32,
    /// Latest start.
    pub start_max: i32,
    /// Earliest end.
    pub end_min: i32,
    /// Latest end.
    pub end_max: i32,
}

impl DateWindow {
    /// No restriction.
    pub const ALL: DateWindow =
        DateWindow { start_min: i32::MIN, start_max: i32::MAX, end_min: i32::MIN, end_max: i32::MAX };

    /// Whether a row with this interval lies in the window.
    pub fn holds(&self, start: i32, end: i32) -> bool {
        (self.start_min..=self.start_max).contains(&start) && (self.end_min..=self.end_max).contains(&end)
    }

    /// The latest start a row in the window can have: a meeting starts no later than it ends.
    pub fn last_start(&self) -> i32 {
        self.start_max.min(self.end_max)
    }

    /// Both windows at once.
    pub fn intersect(&self, o: &DateWindow) -> DateWindow {
        DateWindow {
            start_min: self.start_min.max(o.start_min),
            start_max: self.start_max.min(o.start_max),
            end_min: self.end_min.max(o.end_min),
            end_max: self.end_max.min(o.end_max),
        }
    }

    /// Whether this window restricts nothing.
    pub fn is_all(&self) -> bool {
        *self == DateWindow::ALL
    }
}

/// Which folded values of an indexed field to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueSel {
    /// Exactly this folded value.
    Point(String),
    /// Folded values within the bounds.
    Range(Bound<String>, Bound<String>),
    /// Folded values that start with this.
    Prefix(String),
}

/// The sled database of one MeetQL corpus.
pub struct Store {
    db: sled::Db,
    path: PathBuf,
}

fn storage(e: sled::Error) -> Error {
    Error::Storage(e.to_string())
}

fn open_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::Open { path: path.to_path_buf(), reason: reason.into() }
}

const PID_FILE: &str = "meetql.pid";

enum Opening {
    Locked,
    Failed(String),
}

fn open_sled(path: &Path) -> std::result::Result<sled::Db, Opening> {
    let config = sled::Config::new().path(path).cache_capacity(128 << 20).flush_every_ms(Some(1000));
    // sled can panic on damaged files; such a database cannot be opened, which is an error for
    // the user, not a crash. The panic hook is silenced for the duration.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || config.open()));
    std::panic::set_hook(hook);
    match opened {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(sled::Error::Io(e)))
            if e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("could not acquire lock") =>
        {
            Err(Opening::Locked)
        }
        Ok(Err(sled::Error::Io(e))) => Err(Opening::Failed(e.to_string())),
        Ok(Err(e)) => Err(Opening::Failed(format!("the database is damaged ({e})"))),
        Err(_) => Err(Opening::Failed("the database files are damaged".into())),
    }
}

impl Store {
    /// Opens (creating when absent) the database at `path`, checks its format version and
    /// finishes or discards any import interrupted by a crash.
    pub fn open(path: &Path) -> Result<Store> {
        let mut attempts = 0;
        let db = loop {
            match open_sled(path) {
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
        let store = Store { db, path: path.to_path_buf() };
        store.check_version()?;
        store.recover()?;
        Ok(store)
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn check_version(&self) -> Result<()> {
        let damaged = |e: sled::Error| open_error(&self.path, format!("the database is damaged ({e})"));
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
            None if self.db.first().map_err(damaged)?.is_none() => {
                self.db.insert(keys::meta("schema"), &SCHEMA_VERSION.to_be_bytes()).map_err(storage)?;
                self.db.flush().map_err(storage)?;
                Ok(())
            }
            None => Err(open_error(&self.path, "it is not a MeetQL database (no format version)")),
        }
    }

    /// Finishes committed imports and deletes uncommitted staging.
    fn recover(&self) -> Result<()> {
        let mut committed = Vec::new();
        for kv in self.db.scan_prefix([keys::MARKER]) {
            let (k, _) = kv.map_err(storage)?;
            if k.len() == 9 {
                committed.push(u64::from_be_bytes(k[1..9].try_into().unwrap()));
            }
        }
        for id in &committed {
            self.apply_staged(*id)?;
        }
        // Whatever staging is left belongs to imports that never committed.
        let changed = self.remove_prefix(&[keys::STAGE])?;
        // A clean open writes nothing (no fsync on the way to a read-only query).
        if changed {
            self.db.flush().map_err(storage)?;
        }
        Ok(())
    }

    /// Makes everything written so far durable.
    pub fn flush(&self) -> Result<()> {
        self.db.flush().map_err(storage)?;
        Ok(())
    }

    /// The number of records.
    pub fn len(&self) -> Result<u64> {
        Ok(self
            .db
            .get(keys::meta("count"))
            .map_err(storage)?
            .map_or(0, |v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8]))))
    }

    /// Whether the database holds no record.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Bytes the database takes on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        self.db.size_on_disk().map_err(storage)
    }

    /// The record with this id.
    pub fn get(&self, id: &str) -> Result<Option<Meeting>> {
        match self.db.get(record_key(id)).map_err(storage)? {
            Some(v) => Ok(Some(codec::decode(&v).map_err(|e| Error::Storage(format!("record {id}: {e}")))?)),
            None => Ok(None),
        }
    }

    /// Every record, in storage order (not date order): the fastest way to read them all.
    pub fn records(&self) -> impl Iterator<Item = Result<Meeting>> + '_ {
        self.db.scan_prefix([keys::RECORD]).values().map(|v| {
            let v = v.map_err(storage)?;
            codec::decode(&v).map_err(|e| Error::Storage(format!("stored record: {e}")))
        })
    }

    /// The postings groups whose chunk keys lie in `lo..hi`, in key order (or reversed): each
    /// group's key, the spelling of its first chunk, and its rows merged in the default order.
    fn groups(&self, lo: Vec<u8>, hi: Vec<u8>, reverse: bool) -> Box<dyn Iterator<Item = Result<Group>> + '_> {
        let iter: Box<dyn Iterator<Item = KvResult>> =
            if reverse { Box::new(self.db.range(lo..hi).rev()) } else { Box::new(self.db.range(lo..hi)) };
        Box::new(GroupIter { inner: iter.peekable(), failed: false })
    }

    /// Every meeting whose interval lies in `window`, in the default order (or its reverse).
    pub fn rows(&self, window: DateWindow, reverse: bool) -> Box<dyn Iterator<Item = Result<RowRef>> + '_> {
        let lo = if window.start_min == i32::MIN {
            vec![keys::DATE]
        } else {
            keys::date_chunk(postings::month_of(window.start_min))
        };
        let hi = if window.last_start() == i32::MAX {
            vec![keys::DATE + 1]
        } else {
            keys::prefix_end(&keys::date_chunk(postings::month_of(window.last_start()))).expect("a key has an end")
        };
        if lo >= hi {
            return Box::new(std::iter::empty());
        }
        Box::new(self.groups(lo, hi, reverse).flat_map(move |g| -> Vec<Result<RowRef>> {
            match g {
                Ok((_, _, rows)) => {
                    let mut rows: Vec<Result<RowRef>> =
                        rows.into_iter().filter(|r| window.holds(r.start, r.end)).map(Ok).collect();
                    if reverse {
                        rows.reverse();
                    }
                    rows
                }
                Err(e) => vec![Err(e)],
            }
        }))
    }

    /// Entries of `field`'s index whose folded value is selected by `sel` and whose interval
    /// lies in `window`: by value, then in the default order within a value.
    pub fn index(
        &self,
        field: IndexField,
        sel: &ValueSel,
        window: DateWindow,
    ) -> Box<dyn Iterator<Item = Result<RowRef>> + '_> {
        let base = keys::value_field(field);
        let field_end = keys::prefix_end(&base).expect("field prefix has an end");
        let (lo, hi): (Vec<u8>, Vec<u8>) = match sel {
            ValueSel::Point(v) => {
                let p = keys::value_point(field, v);
                let lo = if window.start_min == i32::MIN {
                    p.clone()
                } else {
                    keys::value_chunk(field, v, postings::month_of(window.start_min))
                };
                let hi = if window.last_start() == i32::MAX {
                    keys::prefix_end(&p).unwrap()
                } else {
                    keys::prefix_end(&keys::value_chunk(field, v, postings::month_of(window.last_start()))).unwrap()
                };
                (lo, hi)
            }
            ValueSel::Prefix(v) => {
                let mut p = base.clone();
                keys::push_escaped(&mut p, v);
                let hi = keys::prefix_end(&p).unwrap_or(field_end.clone());
                (p, hi)
            }
            ValueSel::Range(lower, upper) => {
                let lo = match lower {
                    Bound::Unbounded => base.clone(),
                    Bound::Included(v) => keys::value_point(field, v),
                    Bound::Excluded(v) => keys::prefix_end(&keys::value_point(field, v)).unwrap(),
                };
                let hi = match upper {
                    Bound::Unbounded => field_end.clone(),
                    Bound::Excluded(v) => keys::value_point(field, v),
                    Bound::Included(v) => keys::prefix_end(&keys::value_point(field, v)).unwrap(),
                };
                (lo, hi)
            }
        };
        if lo >= hi {
            return Box::new(std::iter::empty());
        }
        Box::new(self.groups(lo, hi, false).flat_map(move |g| -> Vec<Result<RowRef>> {
            match g {
                Ok((_, _, rows)) => rows.into_iter().filter(|r| window.holds(r.start, r.end)).map(Ok).collect(),
                Err(e) => vec![Err(e)],
            }
        }))
    }

    /// Distinct folded values of `field` that start with `prefix` (folded), each with its
    /// spelling and how many meetings have it, at most `limit` of them, in value order.
    pub fn index_values(&self, field: IndexField, prefix: &str, limit: usize) -> Result<Vec<(String, String, u64)>> {
        let mut p = keys::value_field(field);
        keys::push_escaped(&mut p, prefix);
        let mut out: Vec<(String, String, u64)> = Vec::new();
        for kv in self.db.scan_prefix(&p) {
            let (k, v) = kv.map_err(storage)?;
            let ((folded, _), (spelling, n)) = keys::take_string(&k[2..])
                .zip(postings::count(&v))
                .ok_or_else(|| Error::Storage("damaged index chunk".into()))?;
            match out.last_mut() {
                Some(last) if last.0 == folded => last.2 += n as u64,
                _ => {
                    if out.len() == limit {
                        break;
                    }
                    out.push((folded, spelling, n as u64));
                }
            }
        }
        Ok(out)
    }

    /// How a folded value of `field` is shown: the spelling stored with its earliest postings
    /// chunk, so that every way of answering a query shows a value the same way.
    pub fn spelling(&self, field: IndexField, folded: &str) -> Result<Option<String>> {
        match self.db.scan_prefix(keys::value_point(field, folded)).values().next() {
            Some(v) => Ok(postings::count(&v.map_err(storage)?).map(|(s, _)| s)),
            None => Ok(None),
        }
    }

    /// Records that each pair names one organisation (an acronym and its full name), both ways,
    /// durably.
    pub fn add_aliases(&self, pairs: &[(String, String)]) -> Result<()> {
        let mut batch = sled::Batch::default();
        for (a, b) in pairs {
            let (fa, fb) = (crate::fields::fold(a), crate::fields::fold(b));
            if fa.is_empty() || fb.is_empty() || fa == fb {
                continue;
            }
            batch.insert(keys::alias(&fa, &fb), b.trim().as_bytes());
            batch.insert(keys::alias(&fb, &fa), a.trim().as_bytes());
        }
        self.db.apply_batch(batch).map_err(storage)?;
        self.flush()
    }

    /// The folded names recorded as aliases of `folded` (one step).
    pub fn aliases(&self, folded: &str) -> Result<Vec<String>> {
        let prefix = keys::alias_prefix(folded);
        let mut out = Vec::new();
        for k in self.db.scan_prefix(&prefix).keys() {
            let k = k.map_err(storage)?;
            if let Some((other, _)) = keys::take_string(&k[prefix.len()..]) {
                out.push(other);
            }
        }
        Ok(out)
    }

    /// Writes records at once, atomically and durably; a record replaces the one with its id.
    pub fn write(&self, records: Vec<Meeting>) -> Result<()> {
        self.apply(records, Vec::new())?;
        self.flush()
    }

    /// One atomic batch: the records (the last of equal ids wins) with their index entries,
    /// replacing older versions, plus removal of `consumed` keys.
    fn apply(&self, records: Vec<Meeting>, consumed: Vec<sled::IVec>) -> Result<()> {
        let mut last: HashMap<String, usize> = HashMap::with_capacity(records.len());
        for (i, m) in records.iter().enumerate() {
            last.insert(crate::fields::fold(&m.id), i);
        }
        /// What one postings chunk gains and loses in this batch.
        #[derive(Default)]
        struct Change {
            spelling: String,
            add: Vec<RowRef>,
            remove: Vec<RowRef>,
        }
        let mut changes: std::collections::BTreeMap<Vec<u8>, Change> = std::collections::BTreeMap::new();
        let mut batch = sled::Batch::default();
        let mut count = self.len()?;
        for (i, m) in records.iter().enumerate() {
            if last[&crate::fields::fold(&m.id)] != i {
                continue;
            }
            let encoded = codec::encode(m).map_err(Error::Storage)?;
            match self.db.get(record_key(&m.id)).map_err(storage)? {
                Some(old) => {
                    let old = codec::decode(&old).map_err(|e| Error::Storage(format!("record {}: {e}", m.id)))?;
                    for (k, _, row) in index_entries(&old) {
                        changes.entry(k).or_default().remove.push(row);
                    }
                }
                None => count += 1,
            }
            batch.insert(record_key(&m.id), encoded);
            for (k, spelling, row) in index_entries(m) {
                let c = changes.entry(k).or_default();
                if c.spelling.is_empty() || crate::fields::prefer_spelling(spelling, &c.spelling) {
                    c.spelling = spelling.to_string();
                }
                c.add.push(row);
            }
        }
        for (group, c) in changes {
            self.change_group(&mut batch, &group, c.spelling, c.add, &c.remove)?;
        }
        for k in consumed {
            batch.remove(k);
        }
        batch.insert(keys::meta("count"), &count.to_be_bytes());
        self.db.apply_batch(batch).map_err(storage)
    }

    /// Adds `add` to a postings group and takes `remove` out of it, in `batch`. New rows go in a
    /// new chunk; a group that would have more than [`postings::MAX_CHUNKS`] chunks, loses rows
    /// or gets a better spelling is rewritten as one chunk.
    fn change_group(
        &self,
        batch: &mut sled::Batch,
        group: &[u8],
        spelling: String,
        mut add: Vec<RowRef>,
        remove: &[RowRef],
    ) -> Result<()> {
        let damaged = || Error::Storage("damaged index chunk".into());
        let existing: Vec<(sled::IVec, sled::IVec)> =
            self.db.scan_prefix(group).collect::<std::result::Result<_, _>>().map_err(storage)?;
        let next = existing.last().and_then(|(k, _)| keys::split_chunk(k)).map_or(0, |(_, seq)| seq + 1);
        let first_spelling = match existing.first() {
            Some((_, v)) => postings::count(v).ok_or_else(damaged)?.0,
            None => String::new(),
        };
        let spelling = if first_spelling.is_empty() || crate::fields::prefer_spelling(&spelling, &first_spelling) {
            spelling
        } else {
            first_spelling.clone()
        };
        // Appending keeps one spelling for the whole group: a better spelling rewrites it.
        let same_spelling = existing.is_empty() || spelling == first_spelling;
        if remove.is_empty() && existing.len() < postings::MAX_CHUNKS && same_spelling {
            if !add.is_empty() {
                add.sort_unstable();
                add.dedup();
                batch.insert(keys::chunk(group, next), postings::encode(&spelling, &add));
            }
            return Ok(());
        }
        // Merge the whole group into one chunk: old rows, less the removed, plus the new.
        let mut rows = Vec::new();
        for (k, v) in &existing {
            rows.extend(postings::decode(v).ok_or_else(damaged)?.1);
            batch.remove(k.clone());
        }
        if !remove.is_empty() {
            let gone: std::collections::HashSet<&RowRef> = remove.iter().collect();
            rows.retain(|r| !gone.contains(r));
        }
        rows.append(&mut add);
        rows.sort_unstable();
        rows.dedup();
        if !rows.is_empty() {
            batch.insert(keys::chunk(group, next), postings::encode(&spelling, &rows));
        }
        Ok(())
    }

    /// Starts an all-or-nothing import; see the module docs.
    pub fn begin_import(&self) -> Import<'_> {
        Import { store: self, id: None, seq: 0, pending: Vec::new(), batch: sled::Batch::default(), batched: 0 }
    }

    fn apply_staged(&self, import: u64) -> Result<()> {
        let prefix = keys::stage_prefix(import);
        loop {
            let mut records = Vec::new();
            let mut consumed = Vec::new();
            for kv in self.db.scan_prefix(&prefix).take(APPLY_CHUNK) {
                let (k, v) = kv.map_err(storage)?;
                records.push(codec::decode(&v).map_err(|e| Error::Storage(format!("staged record: {e}")))?);
                consumed.push(k);
            }
            if records.is_empty() {
                break;
            }
            self.apply(records, consumed)?;
        }
        self.db.remove(keys::marker(import)).map_err(storage)?;
        self.flush()
    }

    fn discard_staged(&self, import: u64) -> Result<()> {
        self.remove_prefix(&keys::stage_prefix(import)).map(|_| ())
    }

    /// Removes every key that starts with `prefix`, in bounded batches; whether any was there.
    fn remove_prefix(&self, prefix: &[u8]) -> Result<bool> {
        let mut removed = false;
        loop {
            let mut batch = sled::Batch::default();
            let mut n = 0;
            for k in self.db.scan_prefix(prefix).keys().take(CHUNK) {
                batch.remove(k.map_err(storage)?);
                n += 1;
            }
            if n == 0 {
                return Ok(removed);
            }
            removed = true;
            self.db.apply_batch(batch).map_err(storage)?;
        }
    }
}

/// What [`Store::check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// Records read.
    pub records: u64,
    /// Index entries (date and value indexes) read.
    pub index_entries: u64,
    /// What is wrong, for people (empty when the database is sound).
    pub problems: Vec<String>,
}

impl CheckReport {
    /// Whether nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Store {
    /// Verifies the database: every record decodes and is stored under its own id, every index
    /// entry a record implies exists, no index entry exists that no record implies (the counts
    /// agree), the record count agrees, and no import is left half done. Reports at most
    /// `max_problems` problems.
    pub fn check(&self, max_problems: usize) -> Result<CheckReport> {
        let mut r = CheckReport::default();
        let problem = |r: &mut CheckReport, p: String| {
            if r.problems.len() < max_problems {
                r.problems.push(p);
            }
        };
        // What the records imply, chunk by chunk (memory: one row reference per index entry).
        let mut expected: std::collections::BTreeMap<Vec<u8>, Vec<RowRef>> = std::collections::BTreeMap::new();
        for kv in self.db.scan_prefix([keys::RECORD]) {
            let (k, v) = kv.map_err(storage)?;
            r.records += 1;
            let id = String::from_utf8_lossy(&k[1..]).into_owned();
            let m = match codec::decode(&v) {
                Ok(m) => m,
                Err(e) => {
                    problem(&mut r, format!("record {id}: {e}"));
                    continue;
                }
            };
            if crate::fields::fold(&m.id) != id {
                problem(&mut r, format!("record stored under id {id} holds id {}", m.id));
            }
            for (key, _, row) in index_entries(&m) {
                expected.entry(key).or_default().push(row);
            }
        }
        for space in [keys::DATE, keys::VALUE] {
            for g in self.groups(vec![space], vec![space + 1], false) {
                let (k, _, rows) = match g {
                    Ok(g) => g,
                    Err(e) => {
                        problem(&mut r, format!("{}: {e}", describe(&[space])));
                        continue;
                    }
                };
                r.index_entries += rows.len() as u64;
                let mut want = expected.remove(&k).unwrap_or_default();
                want.sort_unstable();
                if want != rows {
                    let stray = rows.iter().filter(|x| want.binary_search(x).is_err()).count();
                    let missing = want.iter().filter(|x| rows.binary_search(x).is_err()).count();
                    let first = want
                        .iter()
                        .find(|x| rows.binary_search(x).is_err())
                        .map(|x| format!(" (e.g. record {})", x.id))
                        .unwrap_or_default();
                    problem(
                        &mut r,
                        format!("{}: {missing} entries missing{first}, {stray} pointing at nothing", describe(&k)),
                    );
                }
            }
        }
        for (k, rows) in expected {
            problem(
                &mut r,
                format!("{}: chunk missing ({} entries, e.g. record {})", describe(&k), rows.len(), rows[0].id),
            );
        }
        let counted = self.len()?;
        if counted != r.records {
            let msg = format!("the record count says {counted} but {} records are stored", r.records);
            problem(&mut r, msg);
        }
        if self.db.scan_prefix([keys::STAGE]).next().is_some() || self.db.scan_prefix([keys::MARKER]).next().is_some() {
            problem(&mut r, "an interrupted import is still staged".to_string());
        }
        Ok(r)
    }
}

fn describe(key: &[u8]) -> String {
    match key.first() {
        Some(&keys::DATE) => "date index".to_string(),
        Some(&keys::VALUE) => match keys::take_string(&key[2..]) {
            Some((v, _)) => format!("value index, \"{v}\""),
            None => "value index".to_string(),
        },
        _ => "unknown space".to_string(),
    }
}

/// A postings group: its key, its spelling, its rows merged in the default order.
type Group = (Vec<u8>, String, Vec<RowRef>);

/// What a sled iterator yields.
type KvResult = std::result::Result<(sled::IVec, sled::IVec), sled::Error>;

/// Consecutive chunks of one postings group, decoded and merged (see [`Store::groups`]).
struct GroupIter<'a> {
    inner: std::iter::Peekable<Box<dyn Iterator<Item = KvResult> + 'a>>,
    failed: bool,
}

impl Iterator for GroupIter<'_> {
    type Item = Result<Group>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let damaged = || Error::Storage("damaged index chunk".into());
        let (k, v) = match self.inner.next()? {
            Ok(kv) => kv,
            Err(e) => {
                self.failed = true;
                return Some(Err(storage(e)));
            }
        };
        let Some((group, _)) = keys::split_chunk(&k) else {
            self.failed = true;
            return Some(Err(damaged()));
        };
        let group = group.to_vec();
        let Some((spelling, mut rows)) = postings::decode(&v) else {
            self.failed = true;
            return Some(Err(damaged()));
        };
        let mut chunks = 1;
        while let Some(Ok((k2, _))) = self.inner.peek() {
            if keys::split_chunk(k2).map(|(g, _)| g) != Some(group.as_slice()) {
                break;
            }
            let Some(Ok((_, v2))) = self.inner.next() else { break };
            match postings::decode(&v2) {
                Some((_, more)) => {
                    // The chunks of a group share one spelling (see `change_group`).
                    rows.extend(more);
                    chunks += 1;
                }
                None => {
                    self.failed = true;
                    return Some(Err(damaged()));
                }
            }
        }
        if chunks > 1 {
            rows.sort_unstable();
        }
        Some(Ok((group, spelling, rows)))
    }
}

/// An import in progress: records go in with [`Import::add`]; nothing is visible until
/// [`Import::commit`]; dropping it uncommitted discards what was staged.
pub struct Import<'a> {
    store: &'a Store,
    /// Set once the import outgrew one batch and started staging.
    id: Option<u64>,
    seq: u64,
    pending: Vec<Meeting>,
    batch: sled::Batch,
    batched: usize,
}

impl Import<'_> {
    /// Adds a record.
    pub fn add(&mut self, m: Meeting) -> Result<()> {
        if self.id.is_none() {
            if self.pending.len() < DIRECT_LIMIT {
                self.pending.push(m);
                return Ok(());
            }
            self.id = Some(self.store.db.generate_id().map_err(storage)?);
            for p in std::mem::take(&mut self.pending) {
                self.stage(&p)?;
            }
        }
        self.stage(&m)
    }

    fn stage(&mut self, m: &Meeting) -> Result<()> {
        let id = self.id.expect("staging has an import id");
        self.batch.insert(keys::stage(id, self.seq), codec::encode(m).map_err(Error::Storage)?);
        self.seq += 1;
        self.batched += 1;
        if self.batched >= CHUNK {
            self.store.db.apply_batch(std::mem::take(&mut self.batch)).map_err(storage)?;
            self.batched = 0;
        }
        Ok(())
    }

    /// Makes the import visible, whole, and durable. The caller holds the engine's write lock
    /// for this call, so no query sees part of it.
    pub fn commit(mut self) -> Result<()> {
        match self.id.take() {
            None => self.store.write(std::mem::take(&mut self.pending)),
            Some(id) => {
                let db = &self.store.db;
                db.apply_batch(std::mem::take(&mut self.batch)).map_err(storage)?;
                db.flush().map_err(storage)?;
                db.insert(keys::marker(id), &[]).map_err(storage)?;
                db.flush().map_err(storage)?;
                self.store.apply_staged(id)
            }
        }
    }
}

impl Drop for Import<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            let _ = self.store.discard_staged(id);
        }
    }
}

/// The key of the record with this id. Ids compare as all strings do, ignoring case and
/// surrounding white space, so the key holds the folded id: `id = "M-1"` is one point read,
/// and a record whose id differs only in case replaces the older one.
fn record_key(id: &str) -> Vec<u8> {
    keys::record(&crate::fields::fold(id))
}

/// The index entries of a record: (the key of the postings chunk that holds it, the value's
/// spelling, the row) for its date and for each distinct folded value of each indexed field.
fn index_entries(m: &Meeting) -> Vec<(Vec<u8>, &str, RowRef)> {
    let row = RowRef::of(m);
    let month = postings::month_of(row.start);
    let mut out = vec![(keys::date_chunk(month), "", row.clone())];
    for f in IndexField::ALL {
        for (folded, spelling) in f.field().distinct_values(m) {
            out.push((keys::value_chunk(f, &folded, month), spelling, row.clone()));
        }
    }
    out
}

impl Store {
    /// Calls `f` with the stored bytes of every record (as [`codec`] encodes them), in storage
    /// order, until it returns `Ok(false)` or an error, which is returned. The raw form of
    /// [`Store::records`], for scans that decode each record in place (`codec::decode_view`).
    pub(crate) fn for_each_record_bytes(&self, f: &mut dyn FnMut(&[u8]) -> Result<bool>) -> Result<()> {
        for v in self.db.scan_prefix([keys::RECORD]).values() {
            if !f(&v.map_err(storage)?)? {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod record_bytes_tests {
    use super::*;

    #[test]
    fn record_bytes_are_every_record_until_told_to_stop() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let ms: Vec<Meeting> = crate::gen::generate_meetings(50, 2).collect();
        s.write(ms.clone()).unwrap();
        let mut seen = Vec::new();
        s.for_each_record_bytes(&mut |b| {
            seen.push(codec::decode(b).unwrap());
            Ok(true)
        })
        .unwrap();
        seen.sort_by(|a, b| a.id.cmp(&b.id));
        let mut expected = ms;
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(seen, expected);
        let mut n = 0;
        s.for_each_record_bytes(&mut |_| {
            n += 1;
            Ok(n < 3)
        })
        .unwrap();
        assert_eq!(n, 3);
        let e = s.for_each_record_bytes(&mut |_| Err(Error::Interrupted)).unwrap_err();
        assert!(matches!(e, Error::Interrupted));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, date: &str, orgs: &[&str]) -> Meeting {
        let mut m: Meeting = serde_json::from_str(&format!(r#"{{"id":"{id}","date":"{date}"}}"#)).unwrap();
        m.orgs = orgs.iter().map(|s| s.to_string()).collect();
        m
    }

    fn ids(it: Box<dyn Iterator<Item = Result<RowRef>> + '_>) -> Vec<String> {
        it.map(|r| r.unwrap().id).collect()
    }

    #[test]
    fn replacing_a_record_keeps_indexes_exact() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.write(vec![rec("a", "2024-01-17", &["UN"]), rec("b", "2023", &["OSCE", "un "])]).unwrap();
        assert_eq!(ids(s.index(IndexField::Org, &ValueSel::Point("un".into()), DateWindow::ALL)), ["b", "a"]);
        s.write(vec![rec("a", "2024-01-17", &["EU"])]).unwrap();
        assert_eq!(ids(s.index(IndexField::Org, &ValueSel::Point("un".into()), DateWindow::ALL)), ["b"]);
        assert_eq!(s.len().unwrap(), 2);
        let rows: Vec<String> = s.rows(DateWindow::ALL, true).map(|r| r.unwrap().id).collect();
        assert_eq!(rows, ["a", "b"]);
    }

    #[test]
    fn groups_append_chunks_then_merge_them() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        // One batch per record, all in one month: each adds a chunk until the group merges.
        for i in 0..(postings::MAX_CHUNKS + 3) {
            s.write(vec![rec(&format!("r{i:02}"), &format!("2024-03-{:02}", 20 - i), &["UN"])]).unwrap();
        }
        let group =
            keys::value_chunk(IndexField::Org, "un", postings::month_of(rec("x", "2024-03-01", &[]).date.start()));
        let n = s.db.scan_prefix(&group).count();
        assert!((1..=postings::MAX_CHUNKS).contains(&n), "{n} chunks");
        let got = ids(s.index(IndexField::Org, &ValueSel::Point("un".into()), DateWindow::ALL));
        let mut want: Vec<String> = (0..(postings::MAX_CHUNKS + 3)).map(|i| format!("r{i:02}")).collect();
        want.reverse();
        assert_eq!(got, want, "merged in date order across chunks");
        let back: Vec<String> = s.rows(DateWindow::ALL, true).map(|r| r.unwrap().id).collect();
        want.reverse();
        assert_eq!(back, want);
        assert!(s.check(5).unwrap().is_ok());
        // Replacing one record takes its old entry out of whichever chunk holds it.
        s.write(vec![rec("r03", "2024-03-17", &["EU"])]).unwrap();
        assert_eq!(ids(s.index(IndexField::Org, &ValueSel::Point("un".into()), DateWindow::ALL)).len(), want.len() - 1);
        assert!(s.check(5).unwrap().is_ok());
    }

    #[test]
    fn large_imports_stage_and_commit_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let n = DIRECT_LIMIT + 1500;
        {
            let mut imp = s.begin_import();
            for i in 0..n {
                imp.add(rec(&format!("x{i}"), "2022", &["UN"])).unwrap();
            }
            // dropped uncommitted
        }
        assert_eq!(s.len().unwrap(), 0);
        assert!(s.db.scan_prefix([keys::STAGE]).next().is_none(), "staging discarded");
        let mut imp = s.begin_import();
        for i in 0..n {
            imp.add(rec(&format!("x{i}"), "2022", &["UN"])).unwrap();
        }
        imp.commit().unwrap();
        assert_eq!(s.len().unwrap() as usize, n);
        assert_eq!(s.index_values(IndexField::Org, "u", 10).unwrap(), vec![("un".into(), "UN".into(), n as u64)]);
    }

    #[test]
    fn reopening_finishes_a_committed_import_and_drops_an_uncommitted_one() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            // A committed import whose apply never ran, and an uncommitted one.
            s.db.insert(keys::stage(7, 0), codec::encode(&rec("c1", "2021", &["SCO"])).unwrap()).unwrap();
            s.db.insert(keys::marker(7), &[]).unwrap();
            s.db.insert(keys::stage(8, 0), codec::encode(&rec("u1", "2021", &["SCO"])).unwrap()).unwrap();
            s.flush().unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert!(s.get("c1").unwrap().is_some());
        assert!(s.get("u1").unwrap().is_none());
        assert_eq!(s.len().unwrap(), 1);
        assert!(s.db.scan_prefix([keys::STAGE]).next().is_none());
    }

    #[test]
    fn check_finds_missing_and_stray_index_entries() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.write(vec![rec("a", "2024-01-17", &["UN", "OSCE"]), rec("b", "2023", &["EU"])]).unwrap();
        let ok = s.check(10).unwrap();
        assert!(ok.is_ok(), "{:?}", ok.problems);
        assert_eq!((ok.records, ok.index_entries), (2, 5));
        let jan = postings::month_of(rec("a", "2024-01-17", &[]).date.start());
        s.db.remove(keys::chunk(&keys::value_chunk(IndexField::Org, "osce", jan), 0)).unwrap();
        let stray = vec![RowRef { start: 0, end: 0, id: "zz".into() }];
        s.db.insert(keys::chunk(&keys::value_chunk(IndexField::Org, "nato", 0), 0), postings::encode("NATO", &stray))
            .unwrap();
        s.db.insert(keys::record("c"), b"garbage".to_vec()).unwrap();
        let bad = s.check(10).unwrap();
        let all = bad.problems.join("\n");
        assert!(all.contains("value index, \"osce\": chunk missing (1 entries, e.g. record a)"), "{all}");
        assert!(all.contains("value index, \"nato\": 0 entries missing, 1 pointing at nothing"), "{all}");
        assert!(all.contains("record c: damaged record"), "{all}");
        assert!(all.contains("record count says 2 but 3"), "{all}");
    }

    #[test]
    fn aliases_are_kept_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.add_aliases(&[("UNRCCA".into(), "UN Regional Centre for Preventive Diplomacy".into())]).unwrap();
        assert_eq!(s.aliases("unrcca").unwrap(), ["un regional centre for preventive diplomacy"]);
        assert_eq!(s.aliases("un regional centre for preventive diplomacy").unwrap(), ["unrcca"]);
        assert!(s.aliases("un").unwrap().is_empty());
    }

    #[test]
    fn newer_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.db.insert(keys::meta("schema"), &(SCHEMA_VERSION + 1).to_be_bytes()).unwrap();
            s.flush().unwrap();
        }
        let e = Store::open(dir.path()).err().unwrap();
        assert_eq!(e.exit_code(), 3);
        assert!(e.to_string().contains("newer"), "{e}");
    }

    #[test]
    fn date_windows_narrow_scans() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.write(vec![rec("a", "2024-01-17", &["UN"]), rec("b", "2024", &["UN"]), rec("c", "2023-12", &["UN"])])
            .unwrap();
        let jan: crate::model::PartialDate = "2024-01".parse().unwrap();
        let w = DateWindow { start_min: jan.start(), ..DateWindow::ALL };
        assert_eq!(ids(s.index(IndexField::Org, &ValueSel::Point("un".into()), w)), ["b", "a"]);
        let rows: Vec<String> = s.rows(w, false).map(|r| r.unwrap().id).collect();
        assert_eq!(rows, ["b", "a"]);
    }
}
