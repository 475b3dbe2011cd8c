//! Storage: the sled database, its key layout and the import protocol.
//!
//! **Invariant:** this is the only module that imports sled, and [`codec`] the only one that
//! imports bincode. Nothing outside depends on key or value formats: callers see records,
//! [`RowRef`]s (a meeting's date interval and id) and index hits.
//!
//! Everything lives in sled's default tree under one-byte key spaces ([`keys`]), so that one
//! sled batch updates records and all their index entries atomically. Records are packed a few
//! at a time into *blocks* ([`blocks`]) and addressed by *row* numbers handed out in write
//! order, in date order within an import; a hashed map from folded id to row finds a record by
//! id ([`pool`]). Index entries carry the row and are packed a period at a time per value
//! ([`postings`]); documents and URLs, nearly unique, are hashed into buckets instead. So sled
//! holds far fewer keys than records, and a returned row costs one point read of its block.
//!
//! ## Imports are all-or-nothing, and write each record once
//! A small file becomes one batch. A large one is *staged*: its records are sorted by date
//! 65,536 at a time (*runs*) and written straight into new blocks at and above the committed
//! block count (`next_block` in the meta space), which nothing reads. Then one small batch
//! commits it: a *marker* naming its blocks and runs, and the new block count. Then the staged
//! records are *applied* — the id map, the index entries, and the removal of records they
//! replace — in *windows* of about a million index entries, taking the runs merged in date
//! order; each window is written in sled batches of about 1,000 writes (sled keeps every page
//! a batch replaces until it ends), recording in the marker first how it will end and last how
//! far the import got (see [`Store::apply_staged`] and `finish_window` for why doing a window
//! again after a crash is safe). On open, a marked import is finished from where it stopped,
//! and blocks at or above the block count (an import that never committed) are deleted, so a
//! crash at any moment leaves the import whole or absent. Every step that reports success first
//! calls `flush`. One import (or write) runs at a time.
mod blocks;
pub(crate) mod codec;
mod keys;
mod pack;
mod pool;
mod postings;

use std::collections::HashMap;
use std::ops::{Bound, RangeBounds};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fields::IndexField;
use crate::model::Meeting;

/// The layout version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 3;

/// sled's page cache. Measured on 1M meetings (`examples/profile_query`): 256 MB did not make
/// an indexed query of 9,607 rows measurably faster than 128 MB (27–30 against 27–33 ms) but
/// raised a 1M import's peak memory from about 550 to 680 MB. (sled does not bound its memory
/// by this during writes.)
const CACHE_BYTES: u64 = 128 << 20;

/// Files up to this many records are written as one batch; larger ones are staged.
pub const DIRECT_LIMIT: usize = 5_000;

/// Records per batch when staging a large import (also bounds removal batches).
const CHUNK: usize = 2_000;

/// Records a large import sorts by date before writing them (about 40 MB): a sorted run.
const SORT_RECORDS: usize = if cfg!(test) { 4_000 } else { 65_536 };

/// Index entries one apply batch of a staged import collects before it is written: each batch
/// appends a chunk to every postings group it touches, so fewer, larger batches write less;
/// this bounds the memory an import takes (about 100 bytes an entry) whatever its size.
const APPLY_ENTRIES: usize = 1_000_000;

/// Writes per sled batch when applying a window (see [`Store::finish_window`]).
const APPLY_OPS: usize = 1_000;

/// A meeting as the indexes know it: its date interval (days since 1970-01-01), id and row.
/// Orders as the default order of `meetings`: by start, then end, then id (ids are unique, so
/// the row never decides).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowRef {
    /// First day of the meeting's date interval.
    pub start: i32,
    /// Last day of the meeting's date interval.
    pub end: i32,
    /// The record id.
    pub id: String,
    /// Where the record is stored ([`RowRef::UNKNOWN`] when not known: found by id then).
    pub row: u64,
}

impl RowRef {
    /// The row number of a reference made from a record alone.
    pub const UNKNOWN: u64 = u64::MAX;

    /// A reference to a record whose row is not known.
    pub fn of(m: &Meeting) -> RowRef {
        RowRef::at(m, RowRef::UNKNOWN)
    }

    /// The reference to a record stored at `row`.
    pub fn at(m: &Meeting, row: u64) -> RowRef {
        RowRef { start: m.date.start(), end: m.date.end(), id: m.id.clone(), row }
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

/// Blocks a reader opened lately (see [`Store::get_row_cached`]).
#[derive(Default)]
pub struct BlockCache {
    blocks: Vec<(u64, Vec<u8>)>,
    next: usize,
}

impl BlockCache {
    /// Blocks kept: enough for one run per sort batch of a large import.
    const SIZE: usize = 64;
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
    /// Held by the one import or write in progress.
    writing: std::sync::Mutex<()>,
}

fn storage(e: sled::Error) -> Error {
    match e {
        // sled's own text names file offsets and backtraces: say what it means instead.
        sled::Error::Corruption { .. } => Error::Storage(DAMAGED.to_string()),
        other => Error::Storage(other.to_string()),
    }
}

/// What a damaged database's message says, without sled's internals.
const DAMAGED: &str = "the database files are damaged (a part of them cannot be read back); \
    `meetql check` tells what is affected when the database still opens; restore a backup or \
    re-import the records from an export (`meetql export`) into a new database";

fn open_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::Open { path: path.to_path_buf(), reason: reason.into() }
}

const PID_FILE: &str = "meetql.pid";

enum Opening {
    Locked,
    Failed(String),
}

fn open_sled(path: &Path) -> std::result::Result<sled::Db, Opening> {
    let config = sled::Config::new().path(path).cache_capacity(CACHE_BYTES).flush_every_ms(Some(1000));
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
        Ok(Err(_)) | Err(_) => Err(Opening::Failed(DAMAGED.into())),
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
        let store = Store { db, path: path.to_path_buf(), writing: std::sync::Mutex::new(()) };
        store.check_version()?;
        store.recover()?;
        Ok(store)
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn check_version(&self) -> Result<()> {
        let damaged = |_: sled::Error| open_error(&self.path, DAMAGED);
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
        // Blocks at or above the block count belong to an import that never committed.
        let changed = self.discard_uncommitted()?;
        // A clean open writes nothing (no fsync on the way to a read-only query).
        if changed {
            self.db.flush().map_err(storage)?;
        }
        Ok(())
    }

    /// A number kept in the meta space (big-endian, `N` bytes; zero when absent).
    fn meta_number<const N: usize>(&self, name: &str) -> Result<[u8; N]> {
        Ok(self.db.get(keys::meta(name)).map_err(storage)?.and_then(|v| v.as_ref().try_into().ok()).unwrap_or([0; N]))
    }

    /// The number of blocks committed: every row below `next_block * SLOTS` is visible.
    fn next_block(&self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.meta_number("next_block")?))
    }

    /// Deletes blocks no commit covers; whether there were any.
    fn discard_uncommitted(&self) -> Result<bool> {
        let from = keys::block(self.next_block()?);
        let mut removed = false;
        loop {
            let mut batch = sled::Batch::default();
            let mut n = 0;
            for k in self.db.range(from..).keys().take(CHUNK) {
                let k = k.map_err(storage)?;
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
            self.db.apply_batch(batch).map_err(storage)?;
        }
    }

    /// Makes everything written so far durable.
    pub fn flush(&self) -> Result<()> {
        self.db.flush().map_err(storage)?;
        Ok(())
    }

    /// The number of records.
    pub fn len(&self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.meta_number("count")?))
    }

    /// Whether the database holds no record.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Bytes the database takes on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        self.db.size_on_disk().map_err(storage)
    }

    /// The row of the record with this id.
    fn row_of(&self, id: &str) -> Result<Option<u64>> {
        let folded = crate::fields::fold(id);
        Ok(row_in(&self.id_bucket(pool::bucket_of(&folded))?, &folded))
    }

    /// A bucket of the id map (empty when absent).
    fn id_bucket(&self, b: u16) -> Result<pool::Bucket> {
        match self.db.get(keys::id_bucket(b)).map_err(storage)? {
            Some(v) => pool::Bucket::decode(&v).ok_or_else(|| Error::Storage(format!("damaged id map bucket {b}"))),
            None => Ok(pool::Bucket::default()),
        }
    }

    /// The record stored at `row`, if any.
    fn read_row(&self, row: u64) -> Result<Option<Meeting>> {
        self.read_row_cached(&mut BlockCache::default(), row)
    }

    /// The record with this id.
    pub fn get(&self, id: &str) -> Result<Option<Meeting>> {
        Ok(self.get_with_row(id)?.map(|(_, m)| m))
    }

    /// The record with this id and the reference to where it is stored.
    pub fn get_with_row(&self, id: &str) -> Result<Option<(RowRef, Meeting)>> {
        let Some(row) = self.row_of(id)? else {
            return Ok(None);
        };
        Ok(self.read_row(row)?.map(|m| (RowRef::at(&m, row), m)))
    }

    /// [`Store::get_row`] through a cache of recently opened blocks: rows read in date order
    /// come from a few runs of neighbouring blocks, so most reads find their block opened.
    pub fn get_row_cached(&self, cache: &mut BlockCache, r: &RowRef) -> Result<Option<Meeting>> {
        if r.row == RowRef::UNKNOWN {
            return self.get(&r.id);
        }
        self.read_row_cached(cache, r.row)
    }

    /// The record stored at `row`, if any, its block opened through `cache`.
    fn read_row_cached(&self, cache: &mut BlockCache, row: u64) -> Result<Option<Meeting>> {
        let (block, slot) = blocks::split(row);
        let raw = match cache.blocks.iter().position(|(b, _)| *b == block) {
            Some(i) => &cache.blocks[i].1,
            None => {
                let Some(v) = self.db.get(keys::block(block)).map_err(storage)? else {
                    return Ok(None);
                };
                let at = cache.next % BlockCache::SIZE;
                cache.next += 1;
                if at == cache.blocks.len() {
                    cache.blocks.push((block, Vec::new()));
                }
                // The slot's buffer is reused: no allocation per block opened.
                let (b, raw) = &mut cache.blocks[at];
                *b = u64::MAX;
                if !blocks::open_into(&v, raw) {
                    return Err(Error::Storage(format!("damaged record block {block}")));
                }
                *b = block;
                &cache.blocks[at].1
            }
        };
        match blocks::get(raw, slot) {
            Some(bytes) => codec::decode(bytes).map(Some).map_err(|e| Error::Storage(format!("row {row}: {e}"))),
            None => Ok(None),
        }
    }

    /// The record a reference points at: one read of its block (or, for a reference made from a
    /// record alone, a lookup by id first).
    pub fn get_row(&self, r: &RowRef) -> Result<Option<Meeting>> {
        if r.row == RowRef::UNKNOWN {
            return self.get(&r.id);
        }
        self.read_row(r.row)
    }

    /// Every record with its row, in storage order (not date order): the fastest way to read
    /// them all.
    pub fn records_with_rows(&self) -> impl Iterator<Item = Result<(u64, Meeting)>> + '_ {
        let end = self.next_block();
        let blocks: Box<dyn Iterator<Item = KvResult>> = match end {
            Ok(end) => Box::new(self.db.range(keys::block(0)..keys::block(end))),
            Err(_) => Box::new(std::iter::empty()),
        };
        let first_error = end.err().map(Err);
        first_error.into_iter().chain(blocks.flat_map(|kv| -> Vec<Result<(u64, Meeting)>> {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => return vec![Err(storage(e))],
            };
            let raw = blocks::open(&v).unwrap_or_default();
            let Some((n, entries)) = keys::block_number(&k).zip(blocks::entries(&raw)) else {
                return vec![Err(Error::Storage("damaged record block".into()))];
            };
            entries
                .into_iter()
                .map(|(slot, bytes)| {
                    let row = blocks::row(n, slot);
                    codec::decode(bytes).map(|m| (row, m)).map_err(|e| Error::Storage(format!("row {row}: {e}")))
                })
                .collect()
        }))
    }

    /// Every record, in storage order (not date order): the fastest way to read them all.
    pub fn records(&self) -> impl Iterator<Item = Result<Meeting>> + '_ {
        self.records_with_rows().map(|r| r.map(|(_, m)| m))
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
        let lo = if window.start_min == i32::MIN { vec![keys::DATE] } else { keys::date_chunk(window.start_min) };
        let hi = if window.last_start() == i32::MAX {
            vec![keys::DATE + 1]
        } else {
            keys::prefix_end(&keys::date_chunk(window.last_start())).expect("a key has an end")
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
        if field != IndexField::Source {
            return self.group_index(field, sel, window);
        }
        let refs = match self.refs(sel, window) {
            Ok(refs) => refs,
            Err(e) => return Box::new(std::iter::once(Err(e))),
        };
        if refs.is_empty() {
            return self.group_index(field, sel, window);
        }
        let mut rows: Vec<(String, RowRef)> = Vec::with_capacity(refs.len());
        for (folded, _, r) in refs {
            rows.push((folded, r));
        }
        let groups = match self.group_index_valued(field, sel, window) {
            Ok(g) => g,
            Err(e) => return Box::new(std::iter::once(Err(e))),
        };
        rows.extend(groups);
        rows.sort_unstable();
        rows.dedup();
        Box::new(rows.into_iter().map(|(_, r)| Ok(r)))
    }

    /// [`Store::index`] over the postings groups alone, with each row's folded value.
    fn group_index_valued(
        &self,
        field: IndexField,
        sel: &ValueSel,
        window: DateWindow,
    ) -> Result<Vec<(String, RowRef)>> {
        let (lo, hi) = match self.group_bounds(field, sel, window) {
            Some(b) => b,
            None => return Ok(Vec::new()),
        };
        let mut out = Vec::new();
        for g in self.groups(lo, hi, false) {
            let (k, _, rows) = g?;
            let (folded, _) = keys::take_string(k.get(2..).unwrap_or_default())
                .ok_or_else(|| Error::Storage("damaged index key".into()))?;
            out.extend(rows.into_iter().filter(|r| window.holds(r.start, r.end)).map(|r| (folded.clone(), r)));
        }
        Ok(out)
    }

    /// Source-reference entries whose folded value `sel` selects and whose interval lies in
    /// `window`: (folded value, spelling, row), by value then in the default order. A point
    /// reads one bucket; a prefix or range reads them all (they are not in value order).
    fn refs(&self, sel: &ValueSel, window: DateWindow) -> Result<Vec<(String, String, RowRef)>> {
        let damaged = || Error::Storage("damaged source-reference bucket".into());
        let mut out = Vec::new();
        let mut take = |bucket: &pool::Bucket, only: Option<&str>| -> Result<()> {
            for (v, p) in bucket.entries() {
                if only.is_some_and(|o| o != v) {
                    continue;
                }
                let selected = match sel {
                    ValueSel::Point(x) => x == v,
                    ValueSel::Prefix(x) => v.starts_with(x.as_str()),
                    ValueSel::Range(lo, hi) => (lo.as_ref(), hi.as_ref()).contains(v),
                };
                let (start, end) = postings::ref_interval(p).ok_or_else(damaged)?;
                if selected && window.holds(start, end) {
                    let (r, spelling) = postings::ref_entry(p).ok_or_else(damaged)?;
                    out.push((v.clone(), spelling.to_string(), r));
                }
            }
            Ok(())
        };
        match sel {
            ValueSel::Point(v) => take(&self.ref_bucket(pool::bucket_of(v))?, Some(v))?,
            _ => {
                for kv in self.db.scan_prefix([keys::REF]) {
                    let (_, b) = kv.map_err(storage)?;
                    take(&pool::Bucket::decode(&b).ok_or_else(damaged)?, None)?;
                }
            }
        }
        out.sort_unstable_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
        Ok(out)
    }

    /// A bucket of the source-reference index (empty when absent).
    fn ref_bucket(&self, b: u16) -> Result<pool::Bucket> {
        match self.db.get(keys::ref_bucket(b)).map_err(storage)? {
            Some(v) => {
                pool::Bucket::decode(&v).ok_or_else(|| Error::Storage(format!("damaged source-reference bucket {b}")))
            }
            None => Ok(pool::Bucket::default()),
        }
    }

    /// Source-reference values selected by `sel` in `window`: (folded, spelling, meetings), in
    /// value order; the spelling is the one [`Store::spelling`] gives.
    fn ref_values(&self, sel: &ValueSel, window: DateWindow) -> Result<Vec<(String, String, u64)>> {
        let mut out: Vec<(String, String, u64)> = Vec::new();
        for (v, spelling, _) in self.refs(sel, window)? {
            match out.last_mut() {
                Some(last) if last.0 == v => {
                    last.2 += 1;
                    if crate::fields::prefer_spelling(&spelling, &last.1) {
                        last.1 = spelling;
                    }
                }
                _ => out.push((v, spelling, 1)),
            }
        }
        Ok(out)
    }

    /// Adds source-reference values to value counts from the postings groups (both in value
    /// order), keeping the group's spelling where a value is in both.
    fn merge_values(
        mut groups: Vec<(String, String, u64)>,
        refs: Vec<(String, String, u64)>,
    ) -> Vec<(String, String, u64)> {
        if refs.is_empty() {
            return groups;
        }
        let mut by: std::collections::BTreeMap<String, (String, u64)> =
            groups.drain(..).map(|(v, s, n)| (v, (s, n))).collect();
        for (v, s, n) in refs {
            by.entry(v).and_modify(|e| e.1 += n).or_insert((s, n));
        }
        by.into_iter().map(|(v, (s, n))| (v, s, n)).collect()
    }

    /// The key range of the postings groups `sel` and `window` select, if any.
    fn group_bounds(&self, field: IndexField, sel: &ValueSel, window: DateWindow) -> Option<(Vec<u8>, Vec<u8>)> {
        let base = keys::value_field(field);
        let field_end = keys::prefix_end(&base).expect("field prefix has an end");
        let (lo, hi): (Vec<u8>, Vec<u8>) = match sel {
            ValueSel::Point(v) => {
                let p = keys::value_point(field, v);
                let lo = if window.start_min == i32::MIN {
                    p.clone()
                } else {
                    keys::value_chunk(field, v, postings::period_of(field, window.start_min))
                };
                let hi = if window.last_start() == i32::MAX {
                    keys::prefix_end(&p).unwrap()
                } else {
                    keys::prefix_end(&keys::value_chunk(field, v, postings::period_of(field, window.last_start())))
                        .unwrap()
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
        (lo < hi).then_some((lo, hi))
    }

    /// [`Store::index`] over the postings groups alone.
    fn group_index(
        &self,
        field: IndexField,
        sel: &ValueSel,
        window: DateWindow,
    ) -> Box<dyn Iterator<Item = Result<RowRef>> + '_> {
        let Some((lo, hi)) = self.group_bounds(field, sel, window) else {
            return Box::new(std::iter::empty());
        };
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
        if field == IndexField::Source {
            let groups = self.group_values(field, prefix, usize::MAX)?;
            let refs = self.ref_values(&ValueSel::Prefix(prefix.to_string()), DateWindow::ALL)?;
            let mut all = Self::merge_values(groups, refs);
            all.truncate(limit);
            return Ok(all);
        }
        self.group_values(field, prefix, limit)
    }

    /// [`Store::index_values`] over the postings groups alone.
    fn group_values(&self, field: IndexField, prefix: &str, limit: usize) -> Result<Vec<(String, String, u64)>> {
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
            None if field == IndexField::Source => Ok(self
                .ref_values(&ValueSel::Point(folded.to_string()), DateWindow::ALL)?
                .into_iter()
                .next()
                .map(|(_, s, _)| s)),
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
        let _writing = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        self.write_locked(records)
    }

    /// [`Store::write`], for a caller that holds `writing`: one atomic batch of new blocks (the
    /// last of equal ids wins), their index entries and id map, and the records they replace.
    fn write_locked(&self, records: Vec<Meeting>) -> Result<()> {
        let mut last: HashMap<String, usize> = HashMap::with_capacity(records.len());
        for (i, m) in records.iter().enumerate() {
            last.insert(crate::fields::fold(&m.id), i);
        }
        let mut batch = sled::Batch::default();
        let mut writer = blocks::Writer::new(self.next_block()?);
        let mut window = Window::default();
        // In date order, as large imports are (see `Import::write_sorted`).
        let mut keep: Vec<(RowRef, &Meeting)> = records
            .iter()
            .enumerate()
            .filter(|(i, m)| last[&crate::fields::fold(&m.id)] == *i)
            .map(|(_, m)| (RowRef::of(m), m))
            .collect();
        keep.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (_, m) in keep {
            let (row, closed) = writer.push(codec::encode(m).map_err(Error::Storage)?);
            if let Some((n, b)) = closed {
                batch.insert(&keys::block(n), b);
            }
            self.add_to_window(&mut window, row, m)?;
        }
        if let Some((n, b)) = writer.close() {
            batch.insert(&keys::block(n), b);
        }
        batch.insert(keys::meta("next_block"), &writer.next_block().to_be_bytes());
        let seq = self.next_seq()?;
        batch.insert(keys::meta("seq"), &(seq + 1).to_be_bytes());
        batch.insert(keys::meta("count"), &(self.len()? + window.added).to_be_bytes());
        // A write is small (at most DIRECT_LIMIT records): all of it in one batch.
        let batch = self.finish_window(window, &mut GroupCache::new(), seq, usize::MAX, batch)?;
        self.db.apply_batch(batch).map_err(storage)?;
        self.flush()
    }

    /// The chunk number the next write gives the postings chunks it writes.
    fn next_seq(&self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.meta_number("seq")?))
    }

    /// Adds a record stored at `row` to a batch in the making: its index entries and id, and the
    /// removal of the record it replaces (stored earlier, perhaps earlier in the same batch).
    fn add_to_window(&self, w: &mut Window, row: u64, m: &Meeting) -> Result<()> {
        let entries = index_entries(m, row).into_iter().map(|(t, s, r)| (t, s.to_string(), r)).collect();
        self.add_to_window_with(w, row, m, entries)
    }

    /// [`Store::add_to_window`] with the record's index entries already made (by the thread
    /// that reads a staged import, see [`Store::apply_staged`]).
    fn add_to_window_with(&self, w: &mut Window, row: u64, m: &Meeting, entries: Vec<OwnedEntry>) -> Result<()> {
        let folded = crate::fields::fold(&m.id);
        let old = match w.ids.get(&folded) {
            Some(&r) => Some(r),
            None => {
                let b = pool::bucket_of(&folded);
                let bucket = match w.id_buckets.entry(b) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(e) => e.insert(self.id_bucket(b)?),
                };
                row_in(bucket, &folded)
            }
        };
        match old {
            // Done before this window was cut short by a crash (see `finish_window`).
            Some(old) if old == row => {}
            // A later record with this id (a higher row) was applied first (imports apply in
            // date order): this one is replaced already.
            Some(old) if old > row && old != RowRef::UNKNOWN => {
                let (b, slot) = blocks::split(row);
                w.gone.entry(b).or_default().push(slot);
                return Ok(());
            }
            Some(old) => {
                if let Some(o) = self.read_row(old)? {
                    for (t, spelling, r) in index_entries(&o, old) {
                        match t {
                            Target::Group(k) => w.changes.entry(k).or_default().remove.push(r),
                            Target::Ref(v) => w
                                .refs
                                .entry(pool::bucket_of(&v))
                                .or_default()
                                .remove
                                .push((v, postings::ref_payload(spelling, &r))),
                        }
                    }
                }
                let (b, slot) = blocks::split(old);
                w.gone.entry(b).or_default().push(slot);
            }
            None => w.added += 1,
        }
        w.ids.insert(folded, row);
        for (t, spelling, r) in entries {
            w.entries += 1;
            let k = match t {
                Target::Group(k) => k,
                Target::Ref(v) => {
                    let p = postings::ref_payload(&spelling, &r);
                    w.refs.entry(pool::bucket_of(&v)).or_default().add.push((v, p));
                    continue;
                }
            };
            let c = w.changes.entry(k).or_default();
            if c.spelling != spelling
                && (c.spelling.is_empty() || crate::fields::prefer_spelling(&spelling, &c.spelling))
            {
                c.spelling = spelling;
            }
            c.add.push(r);
        }
        Ok(())
    }

    /// Writes what a window collected in batches of at most about `max_ops` writes each (the
    /// first one starting from `first`), applied in order as they fill: postings changes (every
    /// chunk written gets number `seq`), then replaced records taken out of their blocks, then
    /// the id map. Returns the last batch, unapplied: the caller adds the record count to it.
    ///
    /// Applying them one by one keeps sled's memory bounded (it keeps every page version a
    /// batch replaces until the batch ends, and long after) and stays safe across a crash, when
    /// the window is done again from the start (see [`Store::apply_staged`]): a group that
    /// already has chunk `seq` is done; an old record already gone from its block had its index
    /// entries removed before; an id that already leads to its new row had everything else done.
    fn finish_window(
        &self,
        w: Window,
        cache: &mut GroupCache,
        seq: u32,
        max_ops: usize,
        first: sled::Batch,
    ) -> Result<sled::Batch> {
        let mut batch = first;
        let mut ops = 0;
        let cut = |batch: &mut sled::Batch, ops: &mut usize| -> Result<()> {
            if *ops >= max_ops {
                self.db.apply_batch(std::mem::take(batch)).map_err(storage)?;
                *ops = 0;
            }
            Ok(())
        };
        for (group, mut c) in w.changes {
            if !c.remove.is_empty() && !c.add.is_empty() {
                // An entry added and taken out again within the window (an id given twice) cancels.
                let added: std::collections::HashSet<RowRef> = c.add.iter().cloned().collect();
                let removed: std::collections::HashSet<RowRef> = c.remove.iter().cloned().collect();
                c.add.retain(|r| !removed.contains(r));
                c.remove.retain(|r| !added.contains(r));
                if c.add.is_empty() && c.remove.is_empty() {
                    continue;
                }
            }
            ops += self.change_group(cache, &mut batch, &group, seq, c)?;
            cut(&mut batch, &mut ops)?;
        }
        for (b, mut c) in w.refs {
            // As for groups: an entry added and taken out again within the window cancels.
            let added: std::collections::HashSet<(String, Vec<u8>)> = c.add.iter().cloned().collect();
            let removed: std::collections::HashSet<(String, Vec<u8>)> = c.remove.iter().cloned().collect();
            c.add.retain(|e| !removed.contains(e));
            c.remove.retain(|e| !added.contains(e));
            let mut bucket = self.ref_bucket(b)?;
            for (v, p) in &c.remove {
                bucket.remove(v, p);
            }
            for (v, p) in c.add {
                bucket.insert(&v, p).map_err(Error::Storage)?;
            }
            if bucket.len() == 0 {
                batch.remove(&keys::ref_bucket(b));
            } else {
                batch.insert(&keys::ref_bucket(b), bucket.encode());
            }
            ops += 1;
            cut(&mut batch, &mut ops)?;
        }
        for (b, slots) in w.gone {
            let key = keys::block(b);
            let Some(v) = self.db.get(key).map_err(storage)? else { continue };
            let raw = blocks::open(&v).unwrap_or_default();
            let entries = blocks::entries(&raw).ok_or_else(|| Error::Storage(format!("damaged record block {b}")))?;
            let kept: Vec<(u8, &[u8])> = entries.into_iter().filter(|(s, _)| !slots.contains(s)).collect();
            if kept.is_empty() {
                batch.remove(&key);
            } else {
                batch.insert(&key, blocks::encode(kept));
            }
            ops += 1;
            cut(&mut batch, &mut ops)?;
        }
        let mut touched: std::collections::BTreeMap<u16, pool::Bucket> = std::collections::BTreeMap::new();
        for (folded, row) in w.ids {
            let b = pool::bucket_of(&folded);
            let bucket = match touched.entry(b) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(w.id_buckets.get(&b).cloned().map_or_else(|| self.id_bucket(b), Ok)?)
                }
            };
            bucket.set(&folded, row.to_be_bytes().to_vec()).map_err(Error::Storage)?;
        }
        for (b, bucket) in touched {
            batch.insert(&keys::id_bucket(b), bucket.encode());
            ops += 1;
            cut(&mut batch, &mut ops)?;
        }
        Ok(batch)
    }

    /// Adds `add` to a postings group and takes `remove` out of it, in `batch`; returns the
    /// number of writes. New rows go in a new chunk numbered `seq`; a group that would have more
    /// than [`postings::MAX_CHUNKS`] chunks, loses rows or gets a better spelling is rewritten
    /// as one chunk numbered `seq`. A group that already has chunk `seq` got this change before.
    fn change_group(
        &self,
        cache: &mut GroupCache,
        batch: &mut sled::Batch,
        group: &[u8],
        seq: u32,
        change: Change,
    ) -> Result<usize> {
        let Change { spelling, mut add, remove } = change;
        let damaged = || Error::Storage("damaged index chunk".into());
        let meta = match cache.entry(group.to_vec()) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let mut meta = GroupMeta::default();
                for kv in self.db.scan_prefix(group) {
                    let (k, v) = kv.map_err(storage)?;
                    if meta.seqs.is_empty() {
                        meta.spelling = postings::count(&v).ok_or_else(damaged)?.0;
                    }
                    meta.seqs.push(keys::split_chunk(&k).ok_or_else(damaged)?.1);
                }
                e.insert(meta)
            }
        };
        if meta.seqs.contains(&seq) {
            return Ok(0);
        }
        let first_spelling = meta.spelling.clone();
        let spelling = if first_spelling.is_empty() || crate::fields::prefer_spelling(&spelling, &first_spelling) {
            spelling
        } else {
            first_spelling.clone()
        };
        // Appending keeps one spelling for the whole group: a better spelling rewrites it.
        let same_spelling = meta.seqs.is_empty() || spelling == first_spelling;
        if remove.is_empty() && meta.seqs.len() < postings::MAX_CHUNKS && same_spelling {
            if !add.is_empty() {
                add.sort_unstable();
                add.dedup();
                batch.insert(keys::chunk(group, seq), postings::encode(&spelling, &add));
                if meta.seqs.is_empty() {
                    meta.spelling = spelling;
                }
                meta.seqs.push(seq);
                return Ok(1);
            }
            return Ok(0);
        }
        // Merge the whole group into one chunk: old rows, less the removed, plus the new.
        let mut rows = Vec::new();
        let mut old = 0;
        for kv in self.db.scan_prefix(group) {
            let (k, v) = kv.map_err(storage)?;
            rows.extend(postings::decode(&v).ok_or_else(damaged)?.1);
            batch.remove(k);
            old += 1;
        }
        if !remove.is_empty() {
            let gone: std::collections::HashSet<&RowRef> = remove.iter().collect();
            rows.retain(|r| !gone.contains(r));
        }
        rows.append(&mut add);
        rows.sort_unstable();
        rows.dedup();
        meta.seqs.clear();
        meta.spelling = String::new();
        if !rows.is_empty() {
            batch.insert(keys::chunk(group, seq), postings::encode(&spelling, &rows));
            meta.seqs.push(seq);
            meta.spelling = spelling;
        }
        Ok(old + 1)
    }

    /// Starts an all-or-nothing import; see the module docs. Waits for an import or write
    /// in progress to finish.
    pub fn begin_import(&self) -> Import<'_> {
        let writing = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        Import { store: self, _writing: writing, staging: None, pending: Vec::new() }
    }

    /// Applies a committed import from where its marker says it stopped, a window at a time,
    /// in the default order of `meetings` across the import's sorted runs (a merge), so that a
    /// window holds a stretch of dates and touches each postings group of those dates once:
    /// over a whole import, a group gets about one chunk instead of one per window.
    ///
    /// The first batch of a window records in the marker the chunk number, the record count it
    /// ends with and where it ends, so that doing it again after a crash writes the same; the
    /// last moves the marker's cursor on (or removes the marker) and sets the count.
    fn apply_staged(&self, import: u64) -> Result<()> {
        let damaged = || Error::Storage("damaged import marker".into());
        let m = self.db.get(keys::marker(import)).map_err(storage)?.ok_or_else(damaged)?;
        let mut mark = Marker::decode(&m).ok_or_else(damaged)?;
        // A second thread reads, decodes and merges the runs and makes each record's index
        // entries; this one keeps the books and writes. (Blocks the writes take records out of
        // hold only replaced records, which the books skip whether the reader saw them or not.)
        std::thread::scope(|scope| -> Result<()> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Staged>>>(8);
            let start = mark.clone();
            scope.spawn(move || {
                let mut runs = match Runs::new(self, &start) {
                    Ok(r) => r,
                    Err(e) => return drop(tx.send(Err(e))),
                };
                loop {
                    let mut batch = Vec::with_capacity(256);
                    while batch.len() < 256 && runs.peek().is_some() {
                        match runs.pop(self) {
                            Ok((row, m)) => {
                                let key = RowRef::at(&m, row);
                                let entries =
                                    index_entries(&m, row).into_iter().map(|(t, s, r)| (t, s.to_string(), r)).collect();
                                batch.push((key, m, entries));
                            }
                            Err(e) => return drop(tx.send(Err(e))),
                        }
                    }
                    let last = batch.is_empty();
                    if tx.send(Ok(batch)).is_err() || last {
                        return;
                    }
                }
            });
            let mut feed = Feed { rx, buf: Default::default(), done: false };
            self.apply_windows(import, &mut mark, &mut feed)
        })?;
        self.flush()
    }
}

impl Store {
    /// The windows of [`Store::apply_staged`], taking records from `feed` in merged order.
    fn apply_windows(&self, import: u64, mark: &mut Marker, feed: &mut Feed) -> Result<()> {
        let mut cache = GroupCache::new();
        loop {
            let mut w = Window::default();
            // A window being done again ends where it ended, whatever left its blocks since.
            let stop = mark.doing.as_ref().map(|d| d.2.clone());
            let next: Option<RowRef> = loop {
                let Some(key) = feed.peek()? else { break None };
                let full = match &stop {
                    Some(stop) => stop.as_ref().is_some_and(|s| key >= s),
                    None => w.entries >= APPLY_ENTRIES,
                };
                if full {
                    break Some(key.clone());
                }
                let (key, m, entries) = feed.pop();
                self.add_to_window_with(&mut w, key.row, &m, entries)?;
            };
            let (seq, count) = match &mark.doing {
                Some((seq, count, _)) => (*seq, *count),
                None => (self.next_seq()?, self.len()? + w.added),
            };
            let mut first = sled::Batch::default();
            first.insert(
                keys::marker(import),
                Marker { doing: Some((seq, count, next.clone())), ..mark.clone() }.encode(),
            );
            first.insert(keys::meta("seq"), &(seq + 1).to_be_bytes());
            let mut last = self.finish_window(w, &mut cache, seq, APPLY_OPS, first)?;
            last.insert(keys::meta("count"), &count.to_be_bytes());
            *mark = Marker { cursor: next.clone(), doing: None, ..mark.clone() };
            match &next {
                None => last.remove(keys::marker(import)),
                Some(_) => last.insert(keys::marker(import), mark.encode()),
            }
            self.db.apply_batch(last).map_err(storage)?;
            if next.is_none() {
                return Ok(());
            }
        }
    }
}

/// An index entry with its spelling owned: (where it is kept, spelling, row).
type OwnedEntry = (Target, String, RowRef);

/// A staged record as the reading thread hands it over: its position, the record, its entries.
type Staged = (RowRef, Meeting, Vec<OwnedEntry>);

/// The applying thread's end of the reading thread's channel, with one batch of lookahead.
struct Feed {
    rx: std::sync::mpsc::Receiver<Result<Vec<Staged>>>,
    buf: std::collections::VecDeque<Staged>,
    /// The reader said it has no more (an empty batch): only then are the runs exhausted.
    done: bool,
}

impl Feed {
    /// The position of the next record, `None` when the runs are exhausted.
    fn peek(&mut self) -> Result<Option<&RowRef>> {
        if self.buf.is_empty() && !self.done {
            match self.rx.recv() {
                Ok(Ok(batch)) if batch.is_empty() => self.done = true,
                Ok(Ok(batch)) => self.buf.extend(batch),
                Ok(Err(e)) => return Err(e),
                // A reader that stops without saying so must not look like the end of the import.
                Err(_) => return Err(Error::Storage("the staged import's reader stopped".into())),
            }
        }
        Ok(self.buf.front().map(|(k, _, _)| k))
    }

    /// Takes the record [`Feed::peek`] showed.
    fn pop(&mut self) -> Staged {
        self.buf.pop_front().expect("peeked first")
    }
}

/// A sorted run being read: its next block, its end block, and records read not yet taken.
type Run = (u64, u64, std::collections::VecDeque<(RowRef, Meeting)>);

/// The sorted runs of a staged import, read together in the default order of `meetings`.
struct Runs {
    /// Each run's next block and end block, and the records read from it not yet taken.
    runs: Vec<Run>,
    /// The first record of each run that has one, smallest first.
    heads: std::collections::BinaryHeap<std::cmp::Reverse<(RowRef, usize)>>,
}

impl Runs {
    /// The runs of `mark`'s import, each positioned at the marker's cursor.
    fn new(store: &Store, mark: &Marker) -> Result<Runs> {
        let mut runs = Runs { runs: Vec::new(), heads: Default::default() };
        for (i, &start) in mark.runs.iter().enumerate() {
            let end = mark.runs.get(i + 1).copied().unwrap_or(mark.end);
            runs.runs.push((start, end, Default::default()));
            loop {
                runs.fill(store, i)?;
                let (_, _, buf) = &mut runs.runs[i];
                match (buf.front(), &mark.cursor) {
                    (Some((key, _)), Some(cursor)) if key < cursor => {
                        buf.pop_front();
                    }
                    _ => break,
                }
            }
            if let Some((key, _)) = runs.runs[i].2.front() {
                runs.heads.push(std::cmp::Reverse((key.clone(), i)));
            }
        }
        Ok(runs)
    }

    /// Reads the next blocks of run `i` until it has a record or is exhausted.
    fn fill(&mut self, store: &Store, i: usize) -> Result<()> {
        let (next, end, buf) = &mut self.runs[i];
        while buf.is_empty() && *next < *end {
            let n = *next;
            *next += 1;
            // A block may be gone: every record in it was replaced while the import applied.
            let Some(v) = store.db.get(keys::block(n)).map_err(storage)? else { continue };
            let raw = blocks::open(&v).unwrap_or_default();
            let entries = blocks::entries(&raw).ok_or_else(|| Error::Storage(format!("damaged record block {n}")))?;
            for (slot, bytes) in entries {
                let m = codec::decode(bytes).map_err(|e| Error::Storage(format!("staged record: {e}")))?;
                let row = blocks::row(n, slot);
                buf.push_back((RowRef::at(&m, row), m));
            }
        }
        Ok(())
    }

    /// The smallest record not taken yet.
    fn peek(&self) -> Option<&RowRef> {
        self.heads.peek().map(|std::cmp::Reverse((key, _))| key)
    }

    /// Takes the smallest record: its row and the record.
    fn pop(&mut self, store: &Store) -> Result<(u64, Meeting)> {
        let std::cmp::Reverse((_, i)) = self.heads.pop().expect("a record is there");
        let (key, m) = self.runs[i].2.pop_front().expect("a run's head is buffered");
        self.fill(store, i)?;
        if let Some((k, _)) = self.runs[i].2.front() {
            self.heads.push(std::cmp::Reverse((k.clone(), i)));
        }
        Ok((key.row, m))
    }
}

/// A committed import's marker: its blocks (`first..end`), where each sorted run starts, the
/// first record not yet applied (`None`: from the start), and, while a window is being
/// applied, its chunk number, the record count it ends with, and the first record after it.
#[derive(Debug, Clone, PartialEq)]
struct Marker {
    first: u64,
    end: u64,
    runs: Vec<u64>,
    cursor: Option<RowRef>,
    doing: Option<(u32, u64, Option<RowRef>)>,
}

impl Marker {
    fn encode(&self) -> Vec<u8> {
        let mut v: Vec<u8> = Vec::new();
        v.extend_from_slice(&self.first.to_be_bytes());
        v.extend_from_slice(&self.end.to_be_bytes());
        v.extend_from_slice(&(self.runs.len() as u32).to_be_bytes());
        for r in &self.runs {
            v.extend_from_slice(&r.to_be_bytes());
        }
        push_key(&mut v, self.cursor.as_ref());
        if let Some((seq, count, next)) = &self.doing {
            v.extend_from_slice(&seq.to_be_bytes());
            v.extend_from_slice(&count.to_be_bytes());
            push_key(&mut v, next.as_ref());
        }
        v
    }

    fn decode(b: &[u8]) -> Option<Marker> {
        let mut r = b;
        let first = take_u64(&mut r)?;
        let end = take_u64(&mut r)?;
        let n = u32::from_be_bytes(take(&mut r, 4)?.try_into().ok()?) as usize;
        let runs = (0..n).map(|_| take_u64(&mut r)).collect::<Option<Vec<u64>>>()?;
        let cursor = take_key(&mut r)?;
        let doing = if r.is_empty() {
            None
        } else {
            let seq = u32::from_be_bytes(take(&mut r, 4)?.try_into().ok()?);
            let count = take_u64(&mut r)?;
            Some((seq, count, take_key(&mut r)?))
        };
        r.is_empty().then_some(Marker { first, end, runs, cursor, doing })
    }
}

fn take<'a>(r: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, rest) = (r.get(..n)?, r.get(n..)?);
    *r = rest;
    Some(head)
}

fn take_u64(r: &mut &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(take(r, 8)?.try_into().ok()?))
}

/// Appends an optional record position: a flag, then start, end, row and id.
fn push_key(v: &mut Vec<u8>, k: Option<&RowRef>) {
    match k {
        None => v.push(0),
        Some(k) => {
            v.push(1);
            v.extend_from_slice(&k.start.to_be_bytes());
            v.extend_from_slice(&k.end.to_be_bytes());
            v.extend_from_slice(&k.row.to_be_bytes());
            v.extend_from_slice(&(k.id.len() as u32).to_be_bytes());
            v.extend_from_slice(k.id.as_bytes());
        }
    }
}

fn take_key(r: &mut &[u8]) -> Option<Option<RowRef>> {
    match take(r, 1)?[0] {
        0 => Some(None),
        1 => {
            let start = i32::from_be_bytes(take(r, 4)?.try_into().ok()?);
            let end = i32::from_be_bytes(take(r, 4)?.try_into().ok()?);
            let row = take_u64(r)?;
            let n = u32::from_be_bytes(take(r, 4)?.try_into().ok()?) as usize;
            let id = std::str::from_utf8(take(r, n)?).ok()?.to_string();
            Some(Some(RowRef { start, end, id, row }))
        }
        _ => None,
    }
}

/// What one postings chunk gains and loses in a batch.
#[derive(Default)]
struct Change {
    spelling: String,
    add: Vec<RowRef>,
    remove: Vec<RowRef>,
}

/// What a postings group holds, as far as appending to it needs to know: its chunk numbers
/// and its spelling. Kept across the windows of one import, so that each group is read once.
#[derive(Default)]
struct GroupMeta {
    seqs: Vec<u32>,
    spelling: String,
}

/// [`GroupMeta`] by group key.
type GroupCache = HashMap<Vec<u8>, GroupMeta>;

/// What one source-reference bucket gains and loses in a batch: (folded value, payload).
#[derive(Default)]
struct RefChange {
    add: Vec<(String, Vec<u8>)>,
    remove: Vec<(String, Vec<u8>)>,
}

/// The changes one write batch makes, collected before it is written.
#[derive(Default)]
struct Window {
    changes: std::collections::BTreeMap<Vec<u8>, Change>,
    /// The row each id written in this batch gets.
    ids: HashMap<String, u64>,
    /// Id map buckets read so far, as they were before this batch.
    id_buckets: HashMap<u16, pool::Bucket>,
    /// Source-reference entries added and removed, by bucket.
    refs: std::collections::BTreeMap<u16, RefChange>,
    /// Slots of replaced records, by block.
    gone: std::collections::BTreeMap<u64, Vec<u8>>,
    /// Records with a new id.
    added: u64,
    /// Index entries added.
    entries: usize,
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
    /// Verifies the database: every record decodes and its id leads to it, every index
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
        let mut expected_refs: std::collections::BTreeSet<(u16, String, Vec<u8>)> = Default::default();
        let next_block = self.next_block()?;
        for kv in self.db.range(keys::block(0)..keys::block(next_block)) {
            let (k, v) = kv.map_err(storage)?;
            let n = keys::block_number(&k).unwrap_or(u64::MAX);
            let raw = blocks::open(&v).unwrap_or_default();
            let Some(entries) = blocks::entries(&raw) else {
                problem(&mut r, format!("record block {n}: damaged"));
                continue;
            };
            for (slot, bytes) in entries {
                let row = blocks::row(n, slot);
                r.records += 1;
                let m = match codec::decode(bytes) {
                    Ok(m) => m,
                    Err(e) => {
                        problem(&mut r, format!("record at row {row}: {e}"));
                        continue;
                    }
                };
                match self.row_of(&m.id)? {
                    Some(at) if at == row => {}
                    Some(at) => problem(&mut r, format!("record {} at row {row}, but its id leads to row {at}", m.id)),
                    None => problem(&mut r, format!("record {} at row {row} is missing from the id map", m.id)),
                }
                for (t, spelling, rr) in index_entries(&m, row) {
                    match t {
                        Target::Group(key) => expected.entry(key).or_default().push(rr),
                        Target::Ref(v) => {
                            expected_refs.insert((pool::bucket_of(&v), v, postings::ref_payload(spelling, &rr)));
                        }
                    }
                }
            }
        }
        let mut ids = 0;
        for kv in self.db.scan_prefix([keys::ID]) {
            let (k, v) = kv.map_err(storage)?;
            match pool::Bucket::decode(&v) {
                Some(b) => ids += b.len() as u64,
                None => problem(&mut r, format!("id map bucket {:?}: damaged", &k[1..])),
            }
        }
        if ids != r.records {
            let msg = format!("the id map holds {ids} ids but {} records are stored", r.records);
            problem(&mut r, msg);
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
        let (mut stray, mut found) = (0, 0);
        for kv in self.db.scan_prefix([keys::REF]) {
            let (k, v) = kv.map_err(storage)?;
            let b = u16::from_be_bytes([k.get(1).copied().unwrap_or(0), k.get(2).copied().unwrap_or(0)]);
            let Some(bucket) = pool::Bucket::decode(&v) else {
                problem(&mut r, format!("source-reference bucket {b}: damaged"));
                continue;
            };
            for (v, p) in bucket.entries() {
                found += 1;
                if !expected_refs.remove(&(b, v.clone(), p.clone())) {
                    stray += 1;
                }
            }
        }
        r.index_entries += found;
        if stray > 0 || !expected_refs.is_empty() {
            let first = expected_refs
                .iter()
                .next()
                .and_then(|(_, _, p)| postings::ref_entry(p))
                .map(|(rr, _)| format!(" (e.g. record {})", rr.id))
                .unwrap_or_default();
            problem(
                &mut r,
                format!(
                    "source-reference index: {} entries missing{first}, {stray} pointing at nothing",
                    expected_refs.len()
                ),
            );
        }
        let counted = self.len()?;
        if counted != r.records {
            let msg = format!("the record count says {counted} but {} records are stored", r.records);
            problem(&mut r, msg);
        }
        let staged = self.db.range(keys::block(next_block)..).keys().next().transpose().map_err(storage)?;
        if staged.is_some_and(|k| k.first() == Some(&keys::BLOCK))
            || self.db.scan_prefix([keys::MARKER]).next().is_some()
        {
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
    _writing: std::sync::MutexGuard<'a, ()>,
    /// Set once the import outgrew one batch and started staging.
    staging: Option<Staging>,
    pending: Vec<Meeting>,
}

/// A large import's blocks being written.
struct Staging {
    first: u64,
    writer: blocks::Writer,
    batch: sled::Batch,
    /// Blocks in `batch`.
    batched: usize,
    /// Records waiting to be written in date order (`None`: replaced by a later one).
    sorting: Vec<Option<(RowRef, Vec<u8>)>>,
    /// Where each folded id is in `sorting`.
    seen: HashMap<String, usize>,
    /// The first block of each sorted run written.
    runs: Vec<u64>,
}

impl Import<'_> {
    /// Adds a record.
    pub fn add(&mut self, m: Meeting) -> Result<()> {
        if self.staging.is_none() {
            if self.pending.len() < DIRECT_LIMIT {
                self.pending.push(m);
                return Ok(());
            }
            let first = self.store.next_block()?;
            self.staging = Some(Staging {
                first,
                writer: blocks::Writer::new(first),
                batch: sled::Batch::default(),
                batched: 0,
                sorting: Vec::new(),
                seen: HashMap::new(),
                runs: Vec::new(),
            });
            for p in std::mem::take(&mut self.pending) {
                self.stage(&p)?;
            }
        }
        self.stage(&m)
    }

    /// Adds a record to the sort buffer, which is written out in date order when full. Of two
    /// records with one id in the buffer the later wins at once (later buffers get higher rows,
    /// so they win when applied).
    fn stage(&mut self, m: &Meeting) -> Result<()> {
        let st = self.staging.as_mut().expect("staging has begun");
        let folded = crate::fields::fold(&m.id);
        if let Some(earlier) = st.seen.insert(folded, st.sorting.len()) {
            st.sorting[earlier] = None;
        }
        let bytes = codec::encode(m).map_err(Error::Storage)?;
        st.sorting.push(Some((RowRef::of(m), bytes)));
        if st.sorting.len() >= SORT_RECORDS {
            self.write_sorted()?;
        }
        Ok(())
    }

    /// Writes the sort buffer into blocks in the default order of `meetings`, so that rows near
    /// in date are near in storage: a date-bounded query then reads runs of neighbouring blocks
    /// (sled pages) instead of one page per row.
    fn write_sorted(&mut self) -> Result<()> {
        let st = self.staging.as_mut().expect("staging has begun");
        let mut items: Vec<(RowRef, Vec<u8>)> = std::mem::take(&mut st.sorting).into_iter().flatten().collect();
        st.seen.clear();
        if items.is_empty() {
            return Ok(());
        }
        items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // A run starts a block of its own, so that it is a range of blocks.
        st.runs.push(st.writer.next_block());
        let n_items = items.len();
        for (i, (_, bytes)) in items.into_iter().enumerate() {
            let (_, mut closed) = st.writer.push(bytes);
            if i + 1 == n_items && closed.is_none() {
                closed = st.writer.close();
            }
            if let Some((n, b)) = closed {
                st.batch.insert(&keys::block(n), b);
                st.batched += 1;
                if st.batched * blocks::SLOTS as usize >= CHUNK {
                    self.store.db.apply_batch(std::mem::take(&mut st.batch)).map_err(storage)?;
                    st.batched = 0;
                }
            }
        }
        Ok(())
    }

    /// Makes the import visible, whole, and durable. The caller holds the engine's write lock
    /// for this call, so no query sees part of it.
    pub fn commit(mut self) -> Result<()> {
        match &self.staging {
            None => self.store.write_locked(std::mem::take(&mut self.pending)),
            Some(_) => {
                let id = self.mark_committed()?;
                self.store.apply_staged(id)
            }
        }
    }

    /// Writes what is staged, then the marker that commits it (see the module docs); returns
    /// the import's id. What is left is applying it.
    fn mark_committed(&mut self) -> Result<u64> {
        self.write_sorted()?;
        let mut st = self.staging.take().expect("staging has begun");
        let db = &self.store.db;
        if let Some((n, b)) = st.writer.close() {
            st.batch.insert(&keys::block(n), b);
        }
        db.apply_batch(std::mem::take(&mut st.batch)).map_err(storage)?;
        db.flush().map_err(storage)?;
        let id = db.generate_id().map_err(storage)?;
        let end = st.writer.next_block();
        let mut commit = sled::Batch::default();
        let mark = Marker { first: st.first, end, runs: st.runs.clone(), cursor: None, doing: None };
        commit.insert(keys::marker(id), mark.encode());
        commit.insert(keys::meta("next_block"), &end.to_be_bytes());
        db.apply_batch(commit).map_err(storage)?;
        db.flush().map_err(storage)?;
        Ok(id)
    }
}

impl Drop for Import<'_> {
    fn drop(&mut self) {
        if self.staging.take().is_some() {
            let _ = self.store.discard_uncommitted();
        }
    }
}

/// The row an id-map bucket gives a folded id.
fn row_in(bucket: &pool::Bucket, folded: &str) -> Option<u64> {
    bucket.get(folded).and_then(|p| p.try_into().ok()).map(u64::from_be_bytes)
}

/// Where an index entry is kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// In the postings group with this key.
    Group(Vec<u8>),
    /// In the source-reference buckets, under this folded value.
    Ref(String),
}

/// The index entries of a record: (where the entry is kept, the value's spelling, the row) for
/// its date and for each distinct folded value of each indexed field. A source's document name
/// and URL, nearly unique to each meeting, go in the source-reference buckets (unless they
/// equal the publisher); everything else in postings groups.
fn index_entries(m: &Meeting, row: u64) -> Vec<(Target, &str, RowRef)> {
    let row = RowRef::at(m, row);
    let mut out = vec![(Target::Group(keys::date_chunk(row.start)), "", row.clone())];
    for f in IndexField::ALL {
        if f == IndexField::Source {
            let publisher = m.source.publisher.as_deref().map(crate::fields::fold);
            for (folded, spelling) in f.field().distinct_values(m) {
                if publisher.as_ref() == Some(&folded) {
                    let group = keys::value_chunk(f, &folded, postings::period_of(f, row.start));
                    out.push((Target::Group(group), spelling, row.clone()));
                } else {
                    out.push((Target::Ref(folded), spelling, row.clone()));
                }
            }
            continue;
        }
        for (folded, spelling) in f.field().distinct_values(m) {
            out.push((
                Target::Group(keys::value_chunk(f, &folded, postings::period_of(f, row.start))),
                spelling,
                row.clone(),
            ));
        }
    }
    out
}

/// Counting from the value indexes, without reading records.
impl Store {
    /// Each folded value of `field` that some meeting in `window` has, with its spelling (the one
    /// [`Store::spelling`] gives) and how many meetings in `window` have it, in value order.
    ///
    /// Every meeting has one index entry per distinct folded value of the field, so this is a
    /// count of entries; it reads, for each value, its first chunk (for the spelling) and the
    /// chunks of the months the window can hold, seeking past the others, so its cost grows
    /// with the number of values and of entries in the window, not with the whole index.
    pub fn count_values(&self, field: IndexField, window: DateWindow) -> Result<Vec<(String, String, u64)>> {
        let groups = self.group_counts(field, window)?;
        if field != IndexField::Source {
            return Ok(groups);
        }
        let refs = self.ref_values(&ValueSel::Range(Bound::Unbounded, Bound::Unbounded), window)?;
        Ok(Self::merge_values(groups, refs))
    }

    /// [`Store::count_values`] over the postings groups alone.
    fn group_counts(&self, field: IndexField, window: DateWindow) -> Result<Vec<(String, String, u64)>> {
        let damaged = || Error::Storage("damaged index chunk".into());
        let mut out: Vec<(String, String, u64)> = Vec::new();
        if window.start_min > window.last_start() || window.end_min > window.end_max {
            return Ok(out);
        }
        let first_month = (window.start_min != i32::MIN).then(|| postings::period_of(field, window.start_min));
        let last_month = (window.last_start() != i32::MAX).then(|| postings::period_of(field, window.last_start()));
        let field_end = keys::prefix_end(&keys::value_field(field)).expect("field prefix has an end");
        let mut iter = self.db.range(keys::value_field(field)..field_end.clone());
        // The value being counted: its key prefix and the bounds of its chunks in the window.
        let mut point = Vec::new();
        let (mut lo, mut hi): (Option<Vec<u8>>, Option<Vec<u8>>) = (None, None);
        while let Some(kv) = iter.next() {
            let (k, v) = kv.map_err(storage)?;
            if point.is_empty() || !k.starts_with(&point) {
                // The first key of a value is its earliest chunk, which holds its spelling.
                let (folded, _) = keys::take_string(k.get(2..).ok_or_else(damaged)?).ok_or_else(damaged)?;
                let (spelling, _) = postings::count(&v).ok_or_else(damaged)?;
                point = keys::value_point(field, &folded);
                lo = first_month.map(|m| keys::value_chunk(field, &folded, m));
                hi = last_month
                    .map(|m| keys::prefix_end(&keys::value_chunk(field, &folded, m)).expect("a key has an end"));
                out.push((folded, spelling, 0));
            }
            match (&lo, &hi) {
                (Some(lo), _) if k.as_ref() < lo.as_slice() => iter = self.db.range(lo.clone()..field_end.clone()),
                (_, Some(hi)) if k.as_ref() >= hi.as_slice() => {
                    let next = keys::prefix_end(&point).expect("a key has an end");
                    iter = self.db.range(next..field_end.clone());
                }
                _ => {
                    out.last_mut().expect("a value is being counted").2 +=
                        postings::count_in(&v, window).ok_or_else(damaged)?
                }
            }
        }
        out.retain(|(_, _, n)| *n > 0);
        Ok(out)
    }
}

impl Store {
    /// Calls `f` with the stored bytes of every record (as [`codec`] encodes them), in storage
    /// order, until it returns `Ok(false)` or an error, which is returned. The raw form of
    /// [`Store::records`], for scans that decode each record in place (`codec::decode_view`).
    pub(crate) fn for_each_record_bytes(&self, f: &mut dyn FnMut(&[u8]) -> Result<bool>) -> Result<()> {
        for kv in self.db.range(keys::block(0)..keys::block(self.next_block()?)) {
            let (_, v) = kv.map_err(storage)?;
            let raw = blocks::open(&v).unwrap_or_default();
            for (_, bytes) in blocks::entries(&raw).ok_or_else(|| Error::Storage("damaged record block".into()))? {
                if !f(bytes)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod count_values_tests {
    use super::*;

    fn rec(id: &str, date: &str, orgs: &[&str]) -> Meeting {
        let mut m: Meeting = serde_json::from_str(&format!(r#"{{"id":"{id}","date":"{date}"}}"#)).unwrap();
        m.orgs = orgs.iter().map(|s| s.to_string()).collect();
        m
    }

    fn day(date: &str) -> i32 {
        date.parse::<crate::model::PartialDate>().unwrap().start()
    }

    /// What counting the records themselves gives, in value order.
    fn by_records(s: &Store, window: DateWindow) -> Vec<(String, String, u64)> {
        let mut counts: std::collections::BTreeMap<String, u64> = Default::default();
        for m in s.records() {
            let m = m.unwrap();
            if window.holds(m.date.start(), m.date.end()) {
                for (folded, _) in IndexField::Org.field().distinct_values(&m) {
                    *counts.entry(folded).or_default() += 1;
                }
            }
        }
        counts.into_iter().map(|(f, n)| (f.clone(), s.spelling(IndexField::Org, &f).unwrap().unwrap(), n)).collect()
    }

    #[test]
    fn counts_match_the_records_in_every_window() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        // "un" and "osce" are first written lower case in 2022 ("osce" in January, before "OSCE"
        // in May); later batches spell "UN" with capitals, in chunks of later months.
        s.write(vec![rec("a", "2022-05-02", &["un", "OSCE"]), rec("b", "2022", &["osce", "EU"])]).unwrap();
        s.write(vec![rec("c", "2023-01", &["UN", "Un"]), rec("d", "2023-12-31", &["un"])]).unwrap();
        // One batch per record: the 2023-03 group of "eu" has several chunks.
        for i in 0..4 {
            s.write(vec![rec(&format!("e{i}"), &format!("2023-03-{:02}", 10 + i), &["EU", "SCO"])]).unwrap();
        }
        s.write(vec![rec("f", "2024-02", &["UN"]), rec("g", "2023", &["osce"])]).unwrap();
        let all = s.count_values(IndexField::Org, DateWindow::ALL).unwrap();
        assert_eq!(
            all,
            [("eu", "EU", 5), ("osce", "osce", 3), ("sco", "SCO", 4), ("un", "un", 4)].map(|(f, sp, n)| (
                f.to_string(),
                sp.to_string(),
                n
            ))
        );
        let y2023 = DateWindow { start_min: day("2023"), end_max: day("2024") - 1, ..DateWindow::ALL };
        let windows = [
            DateWindow::ALL,
            y2023,
            DateWindow { start_min: day("2023-03"), ..DateWindow::ALL },
            DateWindow { end_max: day("2023-03-11"), ..DateWindow::ALL },
            DateWindow { start_min: day("2022-05-02"), start_max: day("2023-01-01"), ..DateWindow::ALL },
            DateWindow { end_min: day("2023-06"), ..DateWindow::ALL },
            DateWindow { start_min: day("2030"), ..DateWindow::ALL },
            DateWindow { start_min: day("2023-02"), end_max: day("2023-01-31"), ..DateWindow::ALL },
        ];
        for w in windows {
            assert_eq!(s.count_values(IndexField::Org, w).unwrap(), by_records(&s, w), "{w:?}");
        }
        // Over 2023 values keep the spelling of their earliest chunk, from 2022, outside the window.
        assert_eq!(
            s.count_values(IndexField::Org, y2023).unwrap(),
            [("eu", "EU", 4), ("osce", "osce", 1), ("sco", "SCO", 4), ("un", "un", 2)].map(|(f, sp, n)| (
                f.to_string(),
                sp.to_string(),
                n
            ))
        );
        assert!(s.count_values(IndexField::Topic, DateWindow::ALL).unwrap().is_empty());
    }

    #[test]
    fn months_outside_the_window_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.write(vec![rec("a", "2020-01-05", &["UN"]), rec("b", "2023-06-01", &["UN"]), rec("c", "2023-07", &["EU"])])
            .unwrap();
        // Damaged chunks of "un" in a month before the window (not its first) and one after it.
        for month in ["2021-04", "2025-01"] {
            let group = keys::value_chunk(IndexField::Org, "un", postings::month_of(day(month)));
            s.db.insert(keys::chunk(&group, 0), b"damaged".to_vec()).unwrap();
        }
        let w = DateWindow { start_min: day("2023"), end_max: day("2024") - 1, ..DateWindow::ALL };
        let want = [("eu", "EU", 1), ("un", "UN", 1)].map(|(f, sp, n)| (f.to_string(), sp.to_string(), n));
        assert_eq!(s.count_values(IndexField::Org, w).unwrap(), want);
        assert!(s.count_values(IndexField::Org, DateWindow::ALL).is_err(), "the whole index holds damaged chunks");
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
        assert!(s.db.scan_prefix([keys::BLOCK]).next().is_none(), "staging discarded");
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
        let n = DIRECT_LIMIT + 700;
        {
            let s = Store::open(dir.path()).unwrap();
            s.write(vec![rec("old", "2020", &["SCO"]), rec("c7", "2019", &["EU"])]).unwrap();
            // A committed import of two sorted runs that replaces c7 and gives "d" twice (the
            // later one, in the second run but earlier in date, wins)...
            let mut imp = s.begin_import();
            for i in 0..n {
                let date = format!("20{:02}-{:02}", 10 + i % 12, 1 + i % 12);
                imp.add(rec(&format!("c{i}"), &date, &["SCO"])).unwrap();
                if i == 10 {
                    imp.add(rec("d", "2022", &["SCO"])).unwrap();
                }
                if i == SORT_RECORDS + 500 {
                    imp.add(rec("D", "2018", &["SCO", "EU"])).unwrap();
                }
            }
            let id = imp.mark_committed().unwrap();
            drop(imp);
            let mark = Marker::decode(&s.db.get(keys::marker(id)).unwrap().unwrap()).unwrap();
            assert_eq!(mark.runs.len(), 2);
            // ... whose first window was applied, and whose second was cut short: its batches
            // up to the last ran (postings, blocks, part of the id map); the last never did.
            let mut runs = Runs::new(&s, &mark).unwrap();
            let mut window = |len: usize, seq: u32, cursor: Option<RowRef>| {
                let mut w = Window::default();
                for _ in 0..len {
                    let (row, m) = runs.pop(&s).unwrap();
                    s.add_to_window(&mut w, row, &m).unwrap();
                }
                let next = runs.peek().cloned();
                let count = s.len().unwrap() + w.added;
                let mut first = sled::Batch::default();
                let doing = Marker { cursor, doing: Some((seq, count, next.clone())), ..mark.clone() };
                first.insert(keys::marker(id), doing.encode());
                first.insert(keys::meta("seq"), &(seq + 1).to_be_bytes());
                (s.finish_window(w, &mut GroupCache::new(), seq, 50, first).unwrap(), next, count)
            };
            let (mut last, next, count) = window(300, 10, None);
            last.insert(keys::meta("count"), &count.to_be_bytes());
            last.insert(keys::marker(id), Marker { cursor: next.clone(), doing: None, ..mark.clone() }.encode());
            s.db.apply_batch(last).unwrap();
            let _lost = window(2_000, 11, next);
            // ... and an uncommitted one.
            let mut w = blocks::Writer::new(s.next_block().unwrap());
            w.push(codec::encode(&rec("u1", "2021", &["SCO"])).unwrap());
            let (b, v) = w.close().unwrap();
            s.db.insert(keys::block(b), v).unwrap();
            s.flush().unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert!(s.get("c1").unwrap().is_some());
        assert_eq!(s.get("c7").unwrap().unwrap().date.year, 2017);
        assert_eq!(s.get("d").unwrap().unwrap().id, "D");
        assert!(s.get("u1").unwrap().is_none());
        assert_eq!(s.len().unwrap() as usize, n + 2);
        assert!(s.db.scan_prefix([keys::MARKER]).next().is_none());
        let c = s.check(5).unwrap();
        assert!(c.is_ok(), "{:?}", c.problems);
        assert_eq!(
            s.index_values(IndexField::Org, "sco", 1).unwrap(),
            vec![("sco".into(), "SCO".into(), n as u64 + 2)]
        );
        assert_eq!(s.index_values(IndexField::Org, "eu", 1).unwrap(), vec![("eu".into(), "EU".into(), 1)]);
        let sco: Vec<String> = ids(s.index(IndexField::Org, &ValueSel::Point("sco".into()), DateWindow::ALL));
        assert_eq!(sco.len(), n + 2);
        assert!(sco.windows(2).all(|w| w[0] != w[1]));
    }

    #[test]
    fn markers_round_trip() {
        let k = |id: &str| Some(RowRef { start: -3, end: 9, id: id.into(), row: 77 });
        for m in [
            Marker { first: 1, end: 9, runs: vec![1, 5], cursor: None, doing: None },
            Marker { first: 1, end: 9, runs: vec![1], cursor: k("a-ü"), doing: Some((3, 40, None)) },
            Marker { first: 0, end: 0, runs: vec![], cursor: None, doing: Some((3, 40, k(""))) },
        ] {
            assert_eq!(Marker::decode(&m.encode()), Some(m.clone()));
            assert_eq!(Marker::decode(&m.encode()[..m.encode().len() - 1]), None);
        }
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
        let stray = vec![RowRef { start: 0, end: 0, id: "zz".into(), row: 99 }];
        s.db.insert(keys::chunk(&keys::value_chunk(IndexField::Org, "nato", 0), 0), postings::encode("NATO", &stray))
            .unwrap();
        let b0 = s.db.get(keys::block(0)).unwrap().unwrap();
        let raw0 = blocks::open(&b0).unwrap();
        let mut slots = blocks::entries(&raw0).unwrap();
        slots.push((2, b"garbage"));
        s.db.insert(keys::block(0), blocks::encode(slots)).unwrap();
        let bad = s.check(10).unwrap();
        let all = bad.problems.join("\n");
        assert!(all.contains("value index, \"osce\": chunk missing (1 entries, e.g. record a)"), "{all}");
        assert!(all.contains("value index, \"nato\": 0 entries missing, 1 pointing at nothing"), "{all}");
        assert!(all.contains("record at row 2: damaged record"), "{all}");
        assert!(all.contains("record count says 2 but 3"), "{all}");
        assert!(all.contains("id map holds 2 ids but 3 records"), "{all}");
    }

    #[test]
    fn source_references_live_in_buckets_and_follow_replacements() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let with = |id: &str, date: &str, publisher: &str, doc: &str, url: Option<&str>| {
            let mut m = rec(id, date, &[]);
            m.source.publisher = Some(publisher.into()).filter(|p: &String| !p.is_empty());
            m.source.doc = Some(doc.into());
            m.source.url = url.map(String::from);
            m
        };
        s.write(vec![
            with("a", "2024-01-02", "Kabar", "Reports/A.txt", Some("https://x/a")),
            with("b", "2023", "kabar", "reports/b.txt", Some("https://x/a")),
            // A document named like the publisher is the publisher's value (one entry).
            with("c", "2022", "Trend", "trend", None),
        ])
        .unwrap();
        let point = |v: &str| ids(s.index(IndexField::Source, &ValueSel::Point(v.into()), DateWindow::ALL));
        assert_eq!(point("https://x/a"), ["b", "a"]);
        assert_eq!(point("reports/a.txt"), ["a"]);
        assert_eq!(point("kabar"), ["b", "a"]);
        assert_eq!(point("trend"), ["c"]);
        assert_eq!(s.spelling(IndexField::Source, "reports/a.txt").unwrap().as_deref(), Some("Reports/A.txt"));
        let vals = s.index_values(IndexField::Source, "", 10).unwrap();
        let names: Vec<&str> = vals.iter().map(|v| v.0.as_str()).collect();
        assert_eq!(names, ["https://x/a", "kabar", "reports/a.txt", "reports/b.txt", "trend"]);
        assert_eq!(vals[0].2, 2);
        let prefix = ids(s.index(IndexField::Source, &ValueSel::Prefix("reports/".into()), DateWindow::ALL));
        assert_eq!(prefix.len(), 2);
        let y2024 = DateWindow { start_min: rec("x", "2024", &[]).date.start(), ..DateWindow::ALL };
        assert_eq!(s.count_values(IndexField::Source, y2024).unwrap().len(), 3);
        // A staged import replaces a with a new document: the old entries go.
        let mut imp = s.begin_import();
        for i in 0..DIRECT_LIMIT + 10 {
            imp.add(with(&format!("n{i}"), "2021", "Trend", &format!("r/{i}"), None)).unwrap();
        }
        imp.add(with("a", "2024-01-02", "Kabar", "reports/a2.txt", None)).unwrap();
        imp.commit().unwrap();
        assert_eq!(point("reports/a.txt"), Vec::<String>::new());
        assert_eq!(point("https://x/a"), ["b"]);
        assert_eq!(point("reports/a2.txt"), ["a"]);
        assert_eq!(point("r/17"), ["n17"]);
        let c = s.check(5).unwrap();
        assert!(c.is_ok(), "{:?}", c.problems);
        // A stray entry is found.
        let b = pool::bucket_of("zz");
        let mut bucket = s.ref_bucket(b).unwrap();
        let stray = RowRef { start: 0, end: 0, id: "zz".into(), row: 1 };
        bucket.insert("zz", postings::ref_payload("ZZ", &stray)).unwrap();
        s.db.insert(keys::ref_bucket(b), bucket.encode()).unwrap();
        let c = s.check(5).unwrap();
        assert!(
            c.problems.iter().any(|p| p.contains("source-reference index: 0 entries missing, 1 pointing")),
            "{:?}",
            c.problems
        );
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
    fn an_older_layout_is_refused_with_a_reimport_message() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.db.insert(keys::meta("schema"), &2u32.to_be_bytes()).unwrap();
            s.flush().unwrap();
        }
        let e = Store::open(dir.path()).err().unwrap();
        assert_eq!(e.exit_code(), 3);
        let msg = e.to_string();
        assert!(msg.contains("format version 2 is older than this meetql's (3)"), "{msg}");
        assert!(msg.contains("export it with the older meetql and re-import"), "{msg}");
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
