//! The import protocol (see the module docs of [`super`]): staging sorted runs, committing them
//! with a marker, and applying them a window at a time, after a crash too.

use std::collections::{HashMap, HashSet};

use super::{
    blocks, codec, damaged, grams, index_entries, keys, Batch, Engine, FastMap, GroupCache, Marker, OwnedEntry, RowRef,
    Sled, Store, Window, APPLY_ENTRIES, APPLY_OPS, CHUNK, DIRECT_ENTRIES, DIRECT_LIMIT, SORT_RECORDS,
};
use crate::error::{Error, Result, StorageError};
use crate::model::Meeting;

impl<E: Engine> Store<E> {
    /// Starts an all-or-nothing import; see the module docs. Waits for an import or write
    /// in progress to finish.
    pub fn begin_import(&self) -> Import<'_, E> {
        let writing = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        Import {
            store: self,
            _writing: writing,
            staging: None,
            pending: Vec::new(),
            pending_entries: 0,
            given: 0,
            ids: HashSet::new(),
        }
    }

    /// Applies a committed import from where its marker says it stopped, a window at a time,
    /// in the default order of `meetings` across the import's sorted runs (a merge), so that a
    /// window holds a stretch of dates and touches each postings group of those dates once:
    /// over a whole import, a group gets about one chunk instead of one per window.
    ///
    /// The first batch of a window records in the marker the chunk number, the record count it
    /// ends with and where it ends, so that doing it again after a crash writes the same; the
    /// last moves the marker's cursor on (or removes the marker) and sets the count.
    pub(super) fn apply_staged(&self, import: u64) -> Result<()> {
        let damaged = || damaged("import marker");
        let m = self.db.get(keys::marker(import))?.ok_or_else(damaged)?;
        let mut mark = Marker::decode(&m).ok_or_else(damaged)?;
        let text = self.has_text_pass(&mark);
        let from = mark.grams.unwrap_or(blocks::row(mark.first, 0));
        let end_row = blocks::row(mark.end, 0);
        let stop = std::sync::atomic::AtomicBool::new(false);
        let stop = &stop;
        std::thread::scope(|scope| -> Result<()> {
            // The text index's pieces are read beside the windows (see `apply_grams`).
            let pieces = text.then(|| scope.spawn(move || self.gram_pieces(from, end_row, stop)));
            let mut gone = Vec::new();
            let windows =
                if mark.grams.is_none() { self.apply_all_windows(import, &mut mark, &mut gone) } else { Ok(()) };
            if windows.is_err() {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            let pieces = match pieces {
                Some(p) => p.join().unwrap_or_else(|_| {
                    Err(Error::from(StorageError::Import("the text index's reader stopped".into())))
                }),
                None => Ok(Vec::new()),
            };
            windows?;
            self.apply_grams(import, &mut mark, pieces?, gone)
        })?;
        self.flush()
    }

    /// The windows of [`Store::apply_staged`], with a second thread reading the runs.
    /// Collects in `gone` the rows of the records the windows take out of their blocks.
    fn apply_all_windows(&self, import: u64, mark: &mut Marker, gone: &mut Vec<u64>) -> Result<()> {
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
            self.apply_windows(import, mark, &mut feed, gone)
        })
    }
}

impl<E: Engine> Store<E> {
    /// The windows of [`Store::apply_staged`], taking records from `feed` in merged order.
    /// Adds to `gone` the rows of the records it takes out of their blocks.
    pub(super) fn apply_windows(
        &self,
        import: u64,
        mark: &mut Marker,
        feed: &mut Feed,
        gone: &mut Vec<u64>,
    ) -> Result<()> {
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
                // The text index is written after the windows (`apply_grams`): no grams here.
                self.add_to_window_with(&mut w, key.row, &m, entries, Vec::new())?;
            };
            let (seq, count) = match &mark.doing {
                Some((seq, count, _)) => (*seq, *count),
                None => (self.next_seq()?, self.len()? + w.added),
            };
            gone.extend(w.gone.iter().flat_map(|(&b, slots)| slots.iter().map(move |&s| blocks::row(b, s))));
            let mut first = Batch::default();
            first.insert(
                keys::marker(import),
                Marker { doing: Some((seq, count, next.clone())), ..mark.clone() }.encode(),
            );
            first.insert(keys::meta("seq"), (seq + 1).to_be_bytes());
            let mut last = self.finish_window(w, &mut cache, seq, APPLY_OPS, first)?;
            last.insert(keys::meta("count"), count.to_be_bytes());
            *mark = Marker { cursor: next.clone(), doing: None, ..mark.clone() };
            // After the last window, the text index's pass (when the database has one).
            if next.is_none() && self.has_text_pass(mark) {
                mark.grams = Some(blocks::row(mark.first, 0));
            }
            match (&next, mark.grams) {
                (None, None) => last.remove(keys::marker(import)),
                _ => last.insert(keys::marker(import), mark.encode()),
            }
            self.db.apply(last)?;
            self.db.step("window applied")?;
            if next.is_none() {
                return Ok(());
            }
        }
    }
}

impl<E: Engine> Store<E> {
    /// Whether a staged import has a text-index pass: the database keeps a text index and the
    /// import stored rows.
    fn has_text_pass(&self, mark: &Marker) -> bool {
        self.has_text_index() && mark.first < mark.end
    }

    /// The text-index pass of a staged import, once its windows are applied: adds the rows of
    /// its blocks (`first..end`), from the marker's `grams` on, to the groups of the grams they
    /// hold, a piece of [`GRAM_PIECE`] rows (a range of the index) at a time, so that an import
    /// writes each group of its rows about once, instead of once per window as the other
    /// indexes are. The last batch of a piece moves the marker on, or removes it.
    ///
    /// The pieces were read (by [`Store::gram_pieces`]) while the windows ran, which only take
    /// records out of blocks: `gone` holds the rows they took out, so that what is written is
    /// what the blocks hold now. Safe to do again after a crash: a group is a set, adding rows
    /// it holds leaves it as it is, and the blocks no longer change. A record replaced later has
    /// its grams taken out by that write's window.
    fn apply_grams(&self, import: u64, mark: &mut Marker, pieces: Vec<Piece>, mut gone: Vec<u64>) -> Result<()> {
        let Some(from) = mark.grams else { return Ok(()) };
        let end_row = blocks::row(mark.end, 0);
        gone.sort_unstable();
        for piece in pieces.into_iter().filter(|p| p.stop > from) {
            self.write_piece(import, mark, piece, end_row, &gone)?;
        }
        if mark.grams.is_some() {
            return Err(Error::from(StorageError::Import("the text index's pass stopped short".into())));
        }
        Ok(())
    }

    /// The grams of the records stored at rows `from..end_row`, a piece at a time, for
    /// [`Store::apply_grams`]; stops early (with what it has) when `stop` is set.
    fn gram_pieces(&self, from: u64, end_row: u64, stop: &std::sync::atomic::AtomicBool) -> Result<Vec<Piece>> {
        let mut pieces = Vec::new();
        let mut at = from;
        while at < end_row && !stop.load(std::sync::atomic::Ordering::Relaxed) {
            let next = ((at / GRAM_PIECE + 1) * GRAM_PIECE).min(end_row);
            pieces.push(self.piece_grams(at, next)?);
            at = next;
        }
        Ok(pieces)
    }

    /// The grams of the records stored at rows `at..stop` (whole blocks within one range of
    /// the text index), each with its group of the rows that hold it, by gram.
    fn piece_grams(&self, at: u64, stop: u64) -> Result<Piece> {
        let mut by_gram: FastMap<grams::GramKey, Vec<u16>> = FastMap::default();
        let (first, end) = (at / blocks::SLOTS, stop / blocks::SLOTS);
        for kv in self.db.range(keys::block(first)..keys::block(end)) {
            let (k, v) = kv?;
            let n = keys::block_number(&k).ok_or_else(|| damaged("record block key"))?;
            let raw = blocks::open(&v).unwrap_or_default();
            let entries = blocks::entries(&raw).ok_or_else(|| damaged(format!("record block {n}")))?;
            for (slot, bytes) in entries {
                let m = codec::decode(bytes)
                    .map_err(|e| Error::from(StorageError::Codec(format!("staged record: {e}"))))?;
                let (_, offset) = grams::split_row(blocks::row(n, slot));
                // Rows come in ascending order, so a group's last offset is this row's when
                // the record gave the gram before.
                grams::each_gram(&m, |g| {
                    let rows = by_gram.entry(g).or_default();
                    if rows.last() != Some(&offset) {
                        rows.push(offset);
                    }
                });
            }
        }
        let mut groups: Vec<(grams::GramKey, Vec<u8>)> =
            by_gram.into_iter().map(|(g, rows)| (g, grams::encode(&rows))).collect();
        groups.sort_unstable_by_key(|(g, _)| *g);
        Ok(Piece { at, stop, groups })
    }

    /// Adds a piece's rows, but those in `gone` (sorted), to their text-index groups, in
    /// batches of about [`APPLY_OPS`] writes; the last one moves the marker to the piece's
    /// end, or removes it at `end_row`.
    fn write_piece(&self, import: u64, mark: &mut Marker, piece: Piece, end_row: u64, gone: &[u64]) -> Result<()> {
        let (range, _) = grams::split_row(piece.at);
        let lo = gone.partition_point(|&r| r < piece.at);
        let hi = gone.partition_point(|&r| r < piece.stop);
        let drop: Vec<u16> = gone[lo..hi].iter().map(|&r| grams::split_row(r).1).collect();
        let damaged = || damaged("text index group");
        let mut batch = Batch::default();
        let mut ops = 0;
        for ((tag, g), rows) in piece.groups {
            let key = keys::gram_group(tag, g, range);
            let old = self.db.get(key)?;
            if old.is_none() && drop.is_empty() {
                batch.insert(key, rows);
            } else {
                let old = match old {
                    Some(v) => grams::decode(&v).ok_or_else(damaged)?,
                    None => Vec::new(),
                };
                let new = grams::apply(old, &grams::decode(&rows).ok_or_else(damaged)?, &drop);
                if new.is_empty() {
                    batch.remove(key);
                } else {
                    batch.insert(key, grams::encode(&new));
                }
            }
            ops += 1;
            if ops >= APPLY_OPS {
                self.db.apply(std::mem::take(&mut batch))?;
                ops = 0;
            }
        }
        if piece.stop >= end_row {
            mark.grams = None;
            batch.remove(keys::marker(import));
        } else {
            mark.grams = Some(piece.stop);
            batch.insert(keys::marker(import), mark.encode());
        }
        self.db.apply(batch)?;
        Ok(self.db.step("text index piece written")?)
    }
}

/// Rows the text-index pass of an import reads and writes at a time: a range of the text index
/// (fewer in tests, so that a test's import crosses several pieces and merges into groups).
const GRAM_PIECE: u64 = if cfg!(test) { 1024 } else { 1 << grams::RANGE_BITS };

/// The grams of a piece of rows `at..stop` (see [`Store::apply_grams`]): for each (field,
/// gram) held there, by gram, its group of the piece's rows that hold it (`grams::encode`).
struct Piece {
    at: u64,
    stop: u64,
    groups: Vec<(grams::GramKey, Vec<u8>)>,
}

/// A staged record as the reading thread hands it over: its position, the record, its entries.
pub(super) type Staged = (RowRef, Meeting, Vec<OwnedEntry>);

/// The applying thread's end of the reading thread's channel, with one batch of lookahead.
pub(super) struct Feed {
    pub(super) rx: std::sync::mpsc::Receiver<Result<Vec<Staged>>>,
    pub(super) buf: std::collections::VecDeque<Staged>,
    /// The reader said it has no more (an empty batch): only then are the runs exhausted.
    pub(super) done: bool,
}

impl Feed {
    /// The position of the next record, `None` when the runs are exhausted.
    pub(super) fn peek(&mut self) -> Result<Option<&RowRef>> {
        if self.buf.is_empty() && !self.done {
            match self.rx.recv() {
                Ok(Ok(batch)) if batch.is_empty() => self.done = true,
                Ok(Ok(batch)) => self.buf.extend(batch),
                Ok(Err(e)) => return Err(e),
                // A reader that stops without saying so must not look like the end of the import.
                Err(_) => return Err(Error::from(StorageError::Import("the staged import's reader stopped".into()))),
            }
        }
        Ok(self.buf.front().map(|(k, _, _)| k))
    }

    /// Takes the record [`Feed::peek`] showed.
    pub(super) fn pop(&mut self) -> Staged {
        self.buf.pop_front().expect("peeked first")
    }
}

/// A sorted run being read: its next block, its end block, and records read not yet taken.
pub(super) type Run = (u64, u64, std::collections::VecDeque<(RowRef, Meeting)>);

/// The sorted runs of a staged import, read together in the default order of `meetings`.
pub(super) struct Runs {
    /// Each run's next block and end block, and the records read from it not yet taken.
    pub(super) runs: Vec<Run>,
    /// The first record of each run that has one, smallest first.
    pub(super) heads: std::collections::BinaryHeap<std::cmp::Reverse<(RowRef, usize)>>,
}

impl Runs {
    /// The runs of `mark`'s import, each positioned at the marker's cursor.
    pub(super) fn new<E: Engine>(store: &Store<E>, mark: &Marker) -> Result<Runs> {
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
    pub(super) fn fill<E: Engine>(&mut self, store: &Store<E>, i: usize) -> Result<()> {
        let (next, end, buf) = &mut self.runs[i];
        while buf.is_empty() && *next < *end {
            let n = *next;
            *next += 1;
            // A block may be gone: every record in it was replaced while the import applied.
            let Some(v) = store.db.get(keys::block(n))? else { continue };
            let raw = blocks::open(&v).unwrap_or_default();
            let entries = blocks::entries(&raw).ok_or_else(|| damaged(format!("record block {n}")))?;
            for (slot, bytes) in entries {
                let m = codec::decode(bytes)
                    .map_err(|e| Error::from(StorageError::Codec(format!("staged record: {e}"))))?;
                let row = blocks::row(n, slot);
                buf.push_back((RowRef::at(&m, row), m));
            }
        }
        Ok(())
    }

    /// The smallest record not taken yet.
    pub(super) fn peek(&self) -> Option<&RowRef> {
        self.heads.peek().map(|std::cmp::Reverse((key, _))| key)
    }

    /// Takes the smallest record: its row and the record.
    pub(super) fn pop<E: Engine>(&mut self, store: &Store<E>) -> Result<(u64, Meeting)> {
        let std::cmp::Reverse((_, i)) = self.heads.pop().expect("a record is there");
        let (key, m) = self.runs[i].2.pop_front().expect("a run's head is buffered");
        self.fill(store, i)?;
        if let Some((k, _)) = self.runs[i].2.front() {
            self.heads.push(std::cmp::Reverse((k.clone(), i)));
        }
        Ok((key.row, m))
    }
}

/// An import in progress: records go in with [`Import::add`]; nothing is visible until
/// [`Import::commit`]; dropping it uncommitted discards what was staged.
pub struct Import<'a, E: Engine = Sled> {
    pub(super) store: &'a Store<E>,
    pub(super) _writing: std::sync::MutexGuard<'a, ()>,
    /// Set once the import outgrew one batch and started staging.
    pub(super) staging: Option<Staging>,
    pub(super) pending: Vec<Meeting>,
    /// At least as many as the index entries of `pending` ([`super::write::entries_bound`]).
    pub(super) pending_entries: usize,
    /// Records given to [`Import::add`].
    pub(super) given: u64,
    /// The folded ids given (ids fold by case, CONTRACT §2: `G-1` and `g-1` are one record).
    pub(super) ids: HashSet<String>,
}

/// What a committed import did, for the summary a user reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Committed {
    /// Records given, every repeat of an id counted.
    pub given: u64,
    /// Of the distinct ids given, those that replaced a record already stored.
    pub replaced: u64,
    /// Records whose id (folded) an earlier record of the same import had: the last one is kept.
    pub repeated: u64,
}

/// A large import's blocks being written.
pub(super) struct Staging {
    pub(super) first: u64,
    pub(super) writer: blocks::Writer,
    pub(super) batch: Batch,
    /// Blocks in `batch`.
    pub(super) batched: usize,
    /// Records waiting to be written in date order (`None`: replaced by a later one).
    pub(super) sorting: Vec<Option<(RowRef, Vec<u8>)>>,
    /// Where each folded id is in `sorting`.
    pub(super) seen: HashMap<String, usize>,
    /// The first block of each sorted run written.
    pub(super) runs: Vec<u64>,
}

impl<E: Engine> Import<'_, E> {
    /// Adds a record.
    pub fn add(&mut self, m: Meeting) -> Result<()> {
        self.given += 1;
        self.ids.insert(crate::fields::fold(&m.id));
        if self.staging.is_none() {
            // A few records with very many values (one of 400,000 orgs) are staged too: written
            // as one batch, every postings group they make would be one write of that batch.
            self.pending_entries += super::write::entries_bound(&m);
            if self.pending.len() < DIRECT_LIMIT && self.pending_entries <= DIRECT_ENTRIES {
                self.pending.push(m);
                return Ok(());
            }
            let first = self.store.next_block()?;
            self.staging = Some(Staging {
                first,
                writer: blocks::Writer::new(first),
                batch: Batch::default(),
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
    pub(super) fn stage(&mut self, m: &Meeting) -> Result<()> {
        let st = self.staging.as_mut().expect("staging has begun");
        let folded = crate::fields::fold(&m.id);
        if let Some(earlier) = st.seen.insert(folded, st.sorting.len()) {
            st.sorting[earlier] = None;
        }
        let bytes = codec::encode(m).map_err(|e| Error::from(StorageError::Codec(e)))?;
        st.sorting.push(Some((RowRef::of(m), bytes)));
        if st.sorting.len() >= SORT_RECORDS {
            self.write_sorted()?;
        }
        Ok(())
    }

    /// Writes the sort buffer into blocks in the default order of `meetings`, so that rows near
    /// in date are near in storage: a date-bounded query then reads runs of neighbouring blocks
    /// (sled pages) instead of one page per row.
    pub(super) fn write_sorted(&mut self) -> Result<()> {
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
                st.batch.insert(keys::block(n), b);
                st.batched += 1;
                if st.batched * blocks::SLOTS as usize >= CHUNK {
                    self.store.db.apply(std::mem::take(&mut st.batch))?;
                    st.batched = 0;
                }
            }
        }
        Ok(())
    }

    /// Makes the import visible, whole, and durable. The caller holds the engine's write lock
    /// for this call, so no query sees part of it. Says how many records replaced stored ones
    /// and how many ids the import gave more than once.
    pub fn commit(mut self) -> Result<Committed> {
        let before = self.store.len()?;
        match &self.staging {
            None => self.store.write_locked(std::mem::take(&mut self.pending))?,
            Some(_) => {
                let id = self.mark_committed()?;
                self.store.apply_staged(id)?
            }
        }
        let added = self.store.len()?.saturating_sub(before);
        let distinct = self.ids.len() as u64;
        Ok(Committed {
            given: self.given,
            replaced: distinct.saturating_sub(added),
            repeated: self.given.saturating_sub(distinct),
        })
    }

    /// Writes what is staged, then the marker that commits it (see the module docs); returns
    /// the import's id. What is left is applying it.
    pub(super) fn mark_committed(&mut self) -> Result<u64> {
        self.write_sorted()?;
        let mut st = self.staging.take().expect("staging has begun");
        let db = &self.store.db;
        if let Some((n, b)) = st.writer.close() {
            st.batch.insert(keys::block(n), b);
        }
        db.apply(std::mem::take(&mut st.batch))?;
        db.flush()?;
        db.step("import staged")?;
        let id = db.generate_id()?;
        let end = st.writer.next_block();
        let mut commit = Batch::default();
        let mark = Marker { first: st.first, end, runs: st.runs.clone(), cursor: None, doing: None, grams: None };
        commit.insert(keys::marker(id), mark.encode());
        commit.insert(keys::meta("next_block"), end.to_be_bytes());
        db.apply(commit)?;
        db.flush()?;
        db.step("import committed")?;
        Ok(id)
    }
}

impl<E: Engine> Drop for Import<'_, E> {
    fn drop(&mut self) {
        if self.staging.take().is_some() {
            let _ = self.store.discard_uncommitted();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    use crate::storage::faulty::{Faults, Faulty};
    use crate::storage::memory::Memory;
    use crate::storage::testing::*;
    use crate::storage::SORT_RECORDS;

    /// A record with very many values is staged like a large file, so that no batch holds a
    /// write per value (sled keeps every page a batch replaces until it ends: one batch of
    /// 400,000 groups took 1.9 GB); small files stay one batch.
    #[test]
    fn issue_16_9_a_record_with_very_many_values_is_written_in_bounded_batches() {
        let mem = Memory::default();
        let s = Store::on(mem.clone(), Path::new("<memory>")).unwrap();
        let mut imp = s.begin_import();
        imp.add(rec("small", "2023", &["UN", "OSCE"])).unwrap();
        imp.commit().unwrap();
        assert!(mem.largest_batch() < 50, "{}", mem.largest_batch());
        let orgs: Vec<String> = (0..3 * DIRECT_ENTRIES / 2).map(|i| format!("Org {i}")).collect();
        let mut big = rec("big", "2024-03-04", &[]);
        big.orgs = orgs.clone();
        let mut imp = s.begin_import();
        imp.add(big).unwrap();
        imp.commit().unwrap();
        assert!(mem.largest_batch() <= 2 * APPLY_OPS, "a batch of {} writes", mem.largest_batch());
        assert_eq!(s.len().unwrap(), 2);
        for org in ["org 0", "ORG 7777", &format!("org {}", orgs.len() - 1)] {
            let rows = ids(s.index(IndexField::Org, &ValueSel::Point(crate::fields::fold(org)), DateWindow::ALL));
            assert_eq!(rows, ["big"], "{org}");
        }
        assert_eq!(s.index_values(IndexField::Org, "org 1234", 5).unwrap().len(), 5);
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

    /// The database the crash tests start from: two records, one of which the import replaces.
    fn before() -> Memory {
        let m = Memory::default();
        let s = Store::on(m.clone(), Path::new("<memory>")).unwrap();
        let mut c7 = rec("c7", "2019", &["EU"]);
        c7.summary = Some("Energy and water".into());
        s.write(vec![rec("old", "2020", &["SCO"]), c7]).unwrap();
        m
    }

    const N: usize = DIRECT_LIMIT + 700;

    /// A large import of two sorted runs, applied in several windows, that replaces c7 and
    /// gives "d" twice (the later one, in the second run but earlier in date, wins).
    fn import<E: Engine>(s: &Store<E>) -> Result<()> {
        let mut imp = s.begin_import();
        // Text too, so that the text index's groups are written, and rewritten for c7.
        let with_text = |mut m: Meeting, i: usize| {
            m.summary = Some(format!("Talks {} on {}", i % 97, ["water", "trade", "Şu"][i % 3]));
            m
        };
        for i in 0..N {
            let date = format!("20{:02}-{:02}", 10 + i % 12, 1 + i % 12);
            imp.add(with_text(rec(&format!("c{i}"), &date, &["SCO"]), i))?;
            if i == 10 {
                imp.add(with_text(rec("d", "2022", &["SCO"]), 1))?;
            }
            if i == SORT_RECORDS + 500 {
                imp.add(with_text(rec("D", "2018", &["SCO", "EU"]), 2))?;
            }
        }
        imp.commit().map(|_| ())
    }

    /// Whether the import is whole (`true`) or absent (`false`) in `s`, which must be sound.
    fn whole<E: Engine>(s: &Store<E>) -> bool {
        let c = s.check(5).unwrap();
        assert!(c.is_ok(), "{:?}", c.problems);
        assert!(s.db.scan_prefix([keys::MARKER]).next().is_none(), "no import is left marked");
        if s.len().unwrap() == 2 {
            assert!(s.get("c1").unwrap().is_none());
            let energy = s.gram_rows(crate::fields::MeetingField::Text, &["ene".into(), "rgy".into()]).unwrap();
            assert_eq!(energy.len(), 1);
            assert_eq!(s.get("c7").unwrap().unwrap().date.year, 2019);
            return false;
        }
        assert_eq!(s.len().unwrap() as usize, N + 2);
        assert!(s.get("c1").unwrap().is_some());
        assert_eq!(s.get("c7").unwrap().unwrap().date.year, 2017);
        assert_eq!(s.get("d").unwrap().unwrap().id, "D");
        let sco = |n| vec![("sco".to_string(), "SCO".to_string(), n as u64)];
        assert_eq!(s.index_values(IndexField::Org, "sco", 1).unwrap(), sco(N + 2));
        assert_eq!(s.index_values(IndexField::Org, "eu", 1).unwrap(), vec![("eu".into(), "EU".into(), 1)]);
        let rows: Vec<String> = ids(s.index(IndexField::Org, &ValueSel::Point("sco".into()), DateWindow::ALL));
        assert_eq!(rows.len(), N + 2);
        assert!(rows.windows(2).all(|w| w[0] != w[1]));
        // c7's old text left the text index, its new one is in it ("energy" no longer is).
        let energy = s.gram_rows(crate::fields::MeetingField::Text, &["ene".into(), "rgy".into()]).unwrap();
        assert!(energy.is_empty(), "{energy:?}");
        let talks = s.gram_rows(crate::fields::MeetingField::Text, &["tal".into(), "lks".into()]).unwrap();
        assert_eq!(talks.len(), N + 1);
        true
    }

    /// The import run without faults: its batches and its steps.
    fn counted() -> (usize, usize, Vec<(&'static str, usize)>) {
        let s = Store::on(Faulty::new(before().after_crash(usize::MAX), Faults::default()), Path::new("")).unwrap();
        import(&s).unwrap();
        assert!(whole(&s));
        (s.db.inner().batches(), s.db.inner().bytes(), s.db.inner().steps())
    }

    /// Runs the import on a copy of [`before`] until `faults` stop it, then reopens the
    /// database as a crash could have left it: with none, and with all, of the batches applied
    /// since the last flush. Returns whether the import was whole each time.
    fn crash(faults: Faults) -> Vec<bool> {
        let mem = before().after_crash(usize::MAX);
        let s = Store::on(Faulty::new(mem.clone(), faults.clone()), Path::new("")).unwrap();
        let e = import(&s).expect_err("the fault stops the import");
        assert!(e.to_string().contains("injected fault"), "{faults:?}: {e}");
        drop(s);
        [0, mem.unflushed()]
            .into_iter()
            .map(|kept| {
                let s = Store::on(mem.after_crash(kept), Path::new("")).unwrap();
                whole(&s)
            })
            .collect()
    }

    #[test]
    fn a_crash_at_any_batch_or_step_of_an_import_leaves_it_whole_or_absent() {
        let (batches, bytes, steps) = counted();
        let windows = steps.iter().filter(|(s, _)| *s == "window applied").count();
        assert!(windows >= 3, "the import is applied in several windows ({windows})");
        // An import that crashed before its marker was durable is absent; after, it is whole.
        let commit = steps.iter().find(|(s, _)| *s == "import committed").unwrap().1;
        for k in 0..batches {
            let whole = crash(Faults { after_batches: Some(k), ..Faults::default() });
            assert_eq!(whole[0], k >= commit, "crash after {k} batches, unflushed ones lost");
        }
        for (name, at) in &steps {
            let whole = crash(Faults { at_step: Some(name), ..Faults::default() });
            assert_eq!(whole[0], *at >= commit, "crash at {name} after {at} batches");
        }
        // A crash after so many bytes is one at some batch: before the commit or after it.
        for part in [bytes / 3, bytes * 2 / 3] {
            crash(Faults { after_bytes: Some(part), ..Faults::default() });
        }
    }

    #[test]
    fn reopening_sled_finishes_a_committed_import_and_drops_an_uncommitted_one() {
        let (_, _, steps) = counted();
        // Stopped in its second window, after the batch that says how that window ends.
        let first_window = steps.iter().find(|(s, _)| *s == "window applied").unwrap().1;
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path()).unwrap();
            s.write(vec![rec("old", "2020", &["SCO"]), rec("c7", "2019", &["EU"])]).unwrap();
        }
        {
            let faults = Faults { after_batches: Some(first_window + 1), ..Faults::default() };
            let s = Store::on(Faulty::new(sled_at(dir.path()), faults), dir.path()).unwrap();
            assert!(import(&s).is_err());
            let mark = s.db.scan_prefix([keys::MARKER]).next().unwrap().unwrap().1;
            assert!(Marker::decode(&mark).unwrap().doing.is_some(), "stopped inside a window");
        }
        {
            // ... and the staged block of an import that never committed, above the block count.
            let e = sled_at(dir.path());
            let next = e.get(keys::meta("next_block")).unwrap().unwrap();
            let mut w = blocks::Writer::new(u64::from_be_bytes(next.as_ref().try_into().unwrap()));
            w.push(codec::encode(&rec("u1", "2021", &["SCO"])).unwrap());
            let (b, v) = w.close().unwrap();
            let mut batch = Batch::default();
            batch.insert(keys::block(b), v);
            e.apply(batch).unwrap();
            e.flush().unwrap();
        }
        let s = Store::open(dir.path()).unwrap();
        assert!(whole(&s));
        assert!(s.get("u1").unwrap().is_none());
    }

    /// The sled database at `path`, once this process's last handle on it has let go.
    fn sled_at(path: &Path) -> Sled {
        for _ in 0..200 {
            if let Ok(e) = Sled::open(path, crate::storage::Hold::Long) {
                return e;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("{} stays locked", path.display());
    }
}
