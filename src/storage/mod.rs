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
mod aliases;
mod blocks;
mod check;
pub(crate) mod codec;
mod counts;
mod import;
mod index;
mod keys;
mod marker;
mod open;
mod pack;
mod pool;
mod postings;
mod records;
#[cfg(test)]
mod testing;
mod write;

pub use check::CheckReport;
pub use import::Import;
use index::KvResult;
use marker::Marker;
use open::storage;
use records::row_in;
pub use records::BlockCache;
use write::{index_entries, GroupCache, OwnedEntry, Target, Window};

use std::path::PathBuf;

use crate::model::Meeting;
pub use crate::plan::{DateWindow, ValueSel};

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

/// The sled database of one MeetQL corpus.
pub struct Store {
    db: sled::Db,
    path: PathBuf,
    /// Held by the one import or write in progress.
    writing: std::sync::Mutex<()>,
}
