//! The write path: a record's index entries, the changes a batch of records makes (a window),
//! and how a window is written — postings groups appended or merged, replaced records taken
//! out, the id map updated.

use std::collections::HashMap;

use super::{blocks, codec, damaged, grams, keys, pool, postings, row_in, Batch, Engine, RowRef, Store};
use crate::error::{Error, Result, StorageError};
use crate::fields::IndexField;
use crate::model::Meeting;

impl<E: Engine> Store<E> {
    /// Writes records at once, atomically and durably; a record replaces the one with its id.
    pub fn write(&self, records: Vec<Meeting>) -> Result<()> {
        let _writing = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        self.write_locked(records)
    }

    /// [`Store::write`], for a caller that holds `writing`: one atomic batch of new blocks (the
    /// last of equal ids wins), their index entries and id map, and the records they replace.
    pub(super) fn write_locked(&self, records: Vec<Meeting>) -> Result<()> {
        let mut last: HashMap<String, usize> = HashMap::with_capacity(records.len());
        for (i, m) in records.iter().enumerate() {
            last.insert(crate::fields::fold(&m.id), i);
        }
        let mut batch = Batch::default();
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
            let (row, closed) = writer.push(codec::encode(m).map_err(|e| Error::from(StorageError::Codec(e)))?);
            if let Some((n, b)) = closed {
                batch.insert(keys::block(n), b);
            }
            self.add_to_window(&mut window, row, m)?;
        }
        if let Some((n, b)) = writer.close() {
            batch.insert(keys::block(n), b);
        }
        batch.insert(keys::meta("next_block"), writer.next_block().to_be_bytes());
        let seq = self.next_seq()?;
        batch.insert(keys::meta("seq"), (seq + 1).to_be_bytes());
        batch.insert(keys::meta("count"), (self.len()? + window.added).to_be_bytes());
        // A write is small (at most DIRECT_LIMIT records): all of it in one batch.
        let batch = self.finish_window(window, &mut GroupCache::new(), seq, usize::MAX, batch)?;
        self.db.apply(batch)?;
        self.flush()
    }

    /// The chunk number the next write gives the postings chunks it writes.
    pub(super) fn next_seq(&self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.meta_number("seq")?))
    }

    /// Adds a record stored at `row` to a batch in the making: its index entries and id, and the
    /// removal of the record it replaces (stored earlier, perhaps earlier in the same batch).
    pub(super) fn add_to_window(&self, w: &mut Window, row: u64, m: &Meeting) -> Result<()> {
        let entries = index_entries(m, row).into_iter().map(|(t, s, r)| (t, s.to_string(), r)).collect();
        let grams = if self.has_text_index() { grams::record_grams(m) } else { Vec::new() };
        self.add_to_window_with(w, row, m, entries, grams)
    }

    /// [`Store::add_to_window`] with the record's index entries and grams already made (the
    /// entries by the thread that reads a staged import, see [`Store::apply_staged`], whose
    /// grams are written after its windows; no grams in a database without a text index).
    pub(super) fn add_to_window_with(
        &self,
        w: &mut Window,
        row: u64,
        m: &Meeting,
        entries: Vec<OwnedEntry>,
        record_grams: Vec<grams::GramKey>,
    ) -> Result<()> {
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
                    if self.has_text_index() {
                        let (range, at) = grams::split_row(old);
                        for (tag, g) in grams::record_grams(&o) {
                            w.grams.entry((tag, g, range)).or_default().remove.push(at);
                        }
                    }
                }
                let (b, slot) = blocks::split(old);
                w.gone.entry(b).or_default().push(slot);
            }
            None => w.added += 1,
        }
        w.ids.insert(folded, row);
        let (range, at) = grams::split_row(row);
        for (tag, g) in record_grams {
            w.grams.entry((tag, g, range)).or_default().add.push(at);
        }
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
    /// chunk written gets number `seq`), source references, text-index groups, then replaced
    /// records taken out of their blocks, then the id map. Returns the last batch, unapplied:
    /// the caller adds the record count to it.
    ///
    /// Applying them one by one keeps sled's memory bounded (it keeps every page version a
    /// batch replaces until the batch ends, and long after) and stays safe across a crash, when
    /// the window is done again from the start (see [`Store::apply_staged`]): a group that
    /// already has chunk `seq` is done; a text-index group is a set, which adding and removing
    /// again leaves as it is; an old record already gone from its block had its index entries
    /// removed before; an id that already leads to its new row had everything else done.
    pub(super) fn finish_window(
        &self,
        w: Window,
        cache: &mut GroupCache,
        seq: u32,
        max_ops: usize,
        first: Batch,
    ) -> Result<Batch> {
        let mut batch = first;
        let mut ops = 0;
        let cut = |batch: &mut Batch, ops: &mut usize| -> Result<()> {
            if *ops >= max_ops {
                self.db.apply(std::mem::take(batch))?;
                *ops = 0;
            }
            Ok(())
        };
        // Last key first: in key order, groups new to the database land one after another at
        // the end of the value index, in the page that also holds the record blocks after it,
        // and sled rewrites that page whole each time (a record of 400,000 orgs in an 8 MB
        // block was rewritten 2,400 times, 4.3 GB). From the end down, each lands before the
        // last one written, and the pages that fill are left behind.
        let mut changes: Vec<(Vec<u8>, Change)> = w.changes.into_iter().collect();
        changes.sort_unstable_by(|a, b| b.0.cmp(&a.0));
        for (group, mut c) in changes {
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
                bucket.insert(&v, p).map_err(|e| Error::from(StorageError::Codec(e)))?;
            }
            if bucket.len() == 0 {
                batch.remove(keys::ref_bucket(b));
            } else {
                batch.insert(keys::ref_bucket(b), bucket.encode());
            }
            ops += 1;
            cut(&mut batch, &mut ops)?;
        }
        // Text-index groups, before the records they leave are taken out (see above): sets, so
        // doing them again writes the same.
        let mut gram_groups: Vec<((u8, u64, u64), GramChange)> = w.grams.into_iter().collect();
        gram_groups.sort_unstable_by_key(|(k, _)| *k);
        for ((tag, g, range), mut c) in gram_groups {
            let key = keys::gram_group(tag, g, range);
            let old = match self.db.get(key)? {
                Some(v) => grams::decode(&v).ok_or_else(|| damaged("text index group"))?,
                None => Vec::new(),
            };
            c.add.sort_unstable();
            c.add.dedup();
            c.remove.sort_unstable();
            c.remove.dedup();
            let new = grams::apply(old, &c.add, &c.remove);
            if new.is_empty() {
                batch.remove(key);
            } else {
                batch.insert(key, grams::encode(&new));
            }
            ops += 1;
            cut(&mut batch, &mut ops)?;
        }
        for (b, slots) in w.gone {
            let key = keys::block(b);
            let Some(v) = self.db.get(key)? else { continue };
            let raw = blocks::open(&v).unwrap_or_default();
            let entries = blocks::entries(&raw).ok_or_else(|| damaged(format!("record block {b}")))?;
            let kept: Vec<(u8, &[u8])> = entries.into_iter().filter(|(s, _)| !slots.contains(s)).collect();
            if kept.is_empty() {
                batch.remove(key);
            } else {
                batch.insert(key, blocks::encode(kept));
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
            bucket.set(&folded, row.to_be_bytes().to_vec()).map_err(|e| Error::from(StorageError::Codec(e)))?;
        }
        for (b, bucket) in touched {
            batch.insert(keys::id_bucket(b), bucket.encode());
            ops += 1;
            cut(&mut batch, &mut ops)?;
        }
        Ok(batch)
    }

    /// Adds `add` to a postings group and takes `remove` out of it, in `batch`; returns the
    /// number of writes. New rows go in a new chunk numbered `seq`; a group that would have more
    /// than [`postings::MAX_CHUNKS`] chunks, loses rows or gets a better spelling is rewritten
    /// as one chunk numbered `seq`. A group that already has chunk `seq` got this change before.
    pub(super) fn change_group(
        &self,
        cache: &mut GroupCache,
        batch: &mut Batch,
        group: &[u8],
        seq: u32,
        change: Change,
    ) -> Result<usize> {
        let Change { spelling, mut add, remove } = change;
        let damaged = || damaged("index chunk");
        let meta = match cache.entry(group.to_vec()) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let mut meta = GroupMeta::default();
                for kv in self.db.scan_prefix(group) {
                    let (k, v) = kv?;
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
            let (k, v) = kv?;
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
}

/// An index entry with its spelling owned: (where it is kept, spelling, row).
pub(super) type OwnedEntry = (Target, String, RowRef);

/// What one postings chunk gains and loses in a batch.
#[derive(Default)]
pub(super) struct Change {
    pub(super) spelling: String,
    pub(super) add: Vec<RowRef>,
    pub(super) remove: Vec<RowRef>,
}

/// What a postings group holds, as far as appending to it needs to know: its chunk numbers
/// and its spelling. Kept across the windows of one import, so that each group is read once.
#[derive(Default)]
pub(super) struct GroupMeta {
    pub(super) seqs: Vec<u32>,
    pub(super) spelling: String,
}

/// [`GroupMeta`] by group key.
pub(super) type GroupCache = HashMap<Vec<u8>, GroupMeta>;

/// What one source-reference bucket gains and loses in a batch: (folded value, payload).
#[derive(Default)]
pub(super) struct RefChange {
    pub(super) add: Vec<(String, Vec<u8>)>,
    pub(super) remove: Vec<(String, Vec<u8>)>,
}

/// What one text-index group gains and loses in a batch: offsets within its range.
#[derive(Default)]
pub(super) struct GramChange {
    pub(super) add: Vec<u16>,
    pub(super) remove: Vec<u16>,
}

/// Hash maps keyed by small numbers: foldhash is several times faster than SipHash for them.
pub(super) type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Hash maps keyed by what records hold (group keys, ids): foldhash, seeded per process, so
/// that no file can be made to collide; the window's lookups of a million index entries spent
/// more time comparing keys in a `BTreeMap` than anything else.
pub(super) type KeyMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The changes one write batch makes, collected before it is written.
#[derive(Default)]
pub(super) struct Window {
    /// Postings changes by group key (written in descending key order, see `finish_window`).
    pub(super) changes: KeyMap<Vec<u8>, Change>,
    /// The row each id written in this batch gets.
    pub(super) ids: KeyMap<String, u64>,
    /// Id map buckets read so far, as they were before this batch.
    pub(super) id_buckets: HashMap<u16, pool::Bucket>,
    /// Source-reference entries added and removed, by bucket.
    pub(super) refs: std::collections::BTreeMap<u16, RefChange>,
    /// Text-index changes, by (field tag, gram, range of rows).
    pub(super) grams: FastMap<(u8, u64, u64), GramChange>,
    /// Slots of replaced records, by block.
    pub(super) gone: std::collections::BTreeMap<u64, Vec<u8>>,
    /// Records with a new id.
    pub(super) added: u64,
    /// Index entries added.
    pub(super) entries: usize,
}

/// Where an index entry is kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Target {
    /// In the postings group with this key.
    Group(Vec<u8>),
    /// In the source-reference buckets, under this folded value.
    Ref(String),
}

/// At least as many as the index entries [`index_entries`] makes of `m`, counted without
/// making them: its date, and each value of each indexed field.
pub(super) fn entries_bound(m: &Meeting) -> usize {
    // The date, city, country, publisher, doc and url; a participant's name and org.
    6 + m.orgs.len() + m.countries.len() + m.topics.len() + 2 * m.participants.len()
}

/// The index entries of a record: (where the entry is kept, the value's spelling, the row) for
/// its date and for each distinct folded value of each indexed field. A source's document name
/// and URL, nearly unique to each meeting, go in the source-reference buckets (unless they
/// equal the publisher); everything else in postings groups.
pub(super) fn index_entries(m: &Meeting, row: u64) -> Vec<(Target, &str, RowRef)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::*;

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
}
