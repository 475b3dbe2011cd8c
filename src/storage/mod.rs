//! Storage: the key layout of a MeetQL database on a key-value [`Engine`], and the import
//! protocol.
//!
//! **Invariant:** only the engine and the executor use storage, through a [`Store`] (opening,
//! writing, imports, `check`) and a [`Snapshot`] (what a query reads). [`disk`] is the only file
//! that names sled, and [`codec`] the only one that names bincode. Nothing outside depends on key
//! or value formats: callers see records, [`RowRef`]s (a meeting's date interval, id and row),
//! index hits and counts.
//!
//! Everything lives in one ordered keyspace under one-byte key spaces ([`keys`]), so that one
//! batch updates records and all their index entries atomically. Records are packed a few
//! at a time into *blocks* ([`blocks`]) and addressed by *row* numbers handed out in write
//! order, in date order within an import; a hashed map from folded id to row finds a record by
//! id ([`pool`]). Index entries carry the row and are packed a period at a time per value
//! ([`postings`]); documents and URLs, nearly unique, are hashed into buckets instead. So the
//! engine holds far fewer keys than records, and a returned row costs one point read of its
//! block. The text index ([`grams`], layout 4) keeps, per three-character gram of the
//! lower-cased `text`, `person` and `title` values, the rows that hold it, a range of 65,536
//! rows under one key; it is written in the same windows as the other indexes, so it is as
//! all-or-nothing as they are, and `check` compares it with what the records imply.
//!
//! ## Where things are
//! - [`engine`]: the key-value trait and its guarantees; [`disk`] (sled), and for tests
//!   `memory` (keeps what a crash leaves) and `faulty` (fails on purpose).
//! - [`open`]: opening, the format version, recovery; the numbers of the meta space.
//! - [`records`]: reading records by row and by id; [`snapshot`]: what a query reads;
//!   [`shared`]: opened blocks kept for every query of the store, never older than the data.
//! - [`index`]: date and value index scans; [`counts`]: counts and values from the indexes;
//!   [`grams`]: the text index.
//! - [`write`]: index entries and the write path; [`import`]: staging, commit, applying;
//!   [`marker`]: a committed import's marker; [`aliases`]; [`check`].
//!
//! ## Imports are all-or-nothing, and write each record once
//! A small file becomes one batch. A large one is *staged*: its records are sorted by date
//! 65,536 at a time (*runs*) and written straight into new blocks at and above the committed
//! block count (`next_block` in the meta space), which nothing reads. Then one small batch
//! commits it: a *marker* naming its blocks and runs, and the new block count. Then the staged
//! records are *applied* — the id map, the index entries, and the removal of records they
//! replace — in *windows* of about two million index entries, taking the runs merged in date
//! order; each window is written in batches of about 1,000 writes (sled keeps every page a
//! batch replaces until it ends), recording in the marker first how it will end and last how
//! far the import got (see [`Store::apply_staged`] and `finish_window` for why doing a window
//! again after a crash is safe). The text index is written after the last window, a range of
//! rows at a time, from the grams a second thread read while the windows ran (see
//! `Store::apply_grams`): each of its groups is written about once per import, where the
//! windows rewrite the postings groups, id-map and reference buckets they touch. On open, a marked import is finished from where it stopped,
//! and blocks at or above the block count (an import that never committed) are deleted, so a
//! crash at any moment leaves the import whole or absent. Every step that reports success first
//! calls `flush`. One import (or write) runs at a time. The tests of [`import`] crash an import
//! at every batch and at every named step ([`Engine::step`]) and reopen what the crash left.
mod aliases;
mod blocks;
mod check;
mod codec;
mod counts;
mod disk;
mod engine;
#[cfg(test)]
mod faulty;
mod grams;
mod import;
mod index;
mod keys;
mod marker;
#[cfg(test)]
mod memory;
mod open;
mod pack;
mod pool;
mod postings;
mod records;
mod shared;
mod snapshot;
#[cfg(test)]
pub(crate) mod testing;
mod write;

pub use check::CheckReport;
use disk::Sled;
use engine::{Batch, Engine, KvResult};
pub use import::{Committed, Import};
use marker::Marker;
pub use open::Hold;

use crate::error::{Error, StorageError};

/// Damaged stored data, as the crate's error: `what` is damaged.
fn damaged(what: impl Into<String>) -> Error {
    StorageError::damaged(what).into()
}
use records::row_in;
pub(crate) use snapshot::{stores_verbatim, Snapshot};
use write::{index_entries, FastMap, GroupCache, OwnedEntry, Target, Window};

use std::path::PathBuf;

use crate::model::Meeting;

/// The layout version this build writes: 4, which added the text index ([`grams`]).
pub const SCHEMA_VERSION: u32 = 4;

/// The oldest layout this build reads and writes: a database of layout 3 is used as it is,
/// without a text index (its `contains` scans, and `explain` says why), and stays layout 3, so
/// that the meetql that made it still opens it.
pub const OLDEST_SCHEMA_VERSION: u32 = 3;

/// Files up to this many records are written as one batch; larger ones are staged.
pub const DIRECT_LIMIT: usize = 5_000;

/// Index entries (bounded by [`write::entries_bound`]) up to which a file's records are still
/// written as one batch; with more (a record of 400,000 orgs) they are staged like a large
/// file, so that no sled batch holds more than about [`APPLY_OPS`] writes: sled keeps every
/// page version a batch replaces until the batch ends.
const DIRECT_ENTRIES: usize = 20_000;

/// Records per batch when staging a large import (also bounds removal batches).
const CHUNK: usize = 2_000;

/// Records a large import sorts by date before writing them (about 40 MB): a sorted run.
const SORT_RECORDS: usize = if cfg!(test) { 4_000 } else { 65_536 };

/// Index entries one apply batch of a staged import collects before it is written: each batch
/// appends a chunk to every postings group it touches and rewrites every id-map and reference
/// bucket (32,768 in all) it touches, so fewer, larger batches write less; this bounds the
/// memory an import takes (about 100 bytes an entry) whatever its size. Two million rather
/// than one: on 300,000 generated meetings (two windows instead of four) the import took 5–8%
/// less CPU and its database 8–10% less disk, for about 65 MB more peak memory.
const APPLY_ENTRIES: usize = if cfg!(test) { 3_000 } else { 2_000_000 };

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

/// The database of one MeetQL corpus, on an [`Engine`]: sled's on disk unless a test says
/// otherwise.
pub struct Store<E: Engine = Sled> {
    /// The engine, its applied batches counted so that `blocks` never serves a block older
    /// than the database.
    db: shared::Counted<E>,
    /// Opened record blocks shared by every query (see [`shared`]).
    blocks: shared::SharedBlocks,
    path: PathBuf,
    /// The database's layout version (see [`OLDEST_SCHEMA_VERSION`]).
    layout: u32,
    /// Held by the one import or write in progress.
    writing: std::sync::Mutex<()>,
}
