//! What a query reads of the database: a [`Snapshot`]. It hands out row references from the
//! indexes, records by reference (their blocks kept open for the query), references by id,
//! a scan that tests records in place, and the counts, values, spellings and aliases the
//! indexes hold. How records are encoded and blocks cached stays here.
//!
//! A snapshot sees the database as it is while the engine's read lock is held (writes take the
//! write lock), so what it reads does not change under it.

use std::cell::RefCell;

use super::records::BlockCache;
use super::{codec, Engine, RowRef, Sled, Store};
use crate::error::{Error, Result, StorageError};
use crate::fields::{IndexField, MeetingField, MeetingParts as _};
use crate::model::Meeting;
use crate::plan::{DateWindow, ValueSel};

pub(crate) use super::codec::MeetingView as RecordView;

/// A record read for one query (see the module docs).
pub(crate) struct Snapshot<'a, E: Engine = Sled> {
    store: &'a Store<E>,
    /// Record blocks opened lately.
    blocks: RefCell<BlockCache>,
}

/// Whether every value of `field` is stored verbatim in a record's bytes, so that a scan may
/// rule a record out by searching its bytes for text its filter needs (see
/// [`Snapshot::scan`]).
pub(crate) fn stores_verbatim(field: crate::fields::MeetingField) -> bool {
    codec::stores_verbatim(field)
}

fn view_error(e: String) -> Error {
    StorageError::Codec(format!("stored record: {e}")).into()
}

impl<E: Engine> Store<E> {
    /// A snapshot to read for one query.
    pub(crate) fn snapshot(&self) -> Snapshot<'_, E> {
        Snapshot { store: self, blocks: RefCell::default() }
    }
}

impl<'a, E: Engine> Snapshot<'a, E> {
    /// Every meeting whose interval lies in `window`, in the default order (or its reverse).
    pub(crate) fn rows(&self, window: DateWindow, reverse: bool) -> Box<dyn Iterator<Item = Result<RowRef>> + 'a> {
        self.store.rows(window, reverse)
    }

    /// Entries of `field`'s index whose folded value `sel` selects and whose interval lies in
    /// `window`: by value, then in the default order within a value.
    pub(crate) fn index(
        &self,
        field: IndexField,
        sel: &ValueSel,
        window: DateWindow,
    ) -> Box<dyn Iterator<Item = Result<RowRef>> + 'a> {
        self.store.index(field, sel, window)
    }

    /// The reference to the record with this id, read in place (the record is not decoded).
    pub(crate) fn find(&self, id: &str) -> Result<Option<RowRef>> {
        let Some(row) = self.store.row_of(id)? else {
            return Ok(None);
        };
        let found = self.store.with_row_bytes(&mut self.blocks.borrow_mut(), row, |bytes| {
            codec::with_view(bytes, |v| RowRef {
                start: v.date.start(),
                end: v.date.end(),
                id: v.id().to_string(),
                row,
            })
            .map_err(view_error)
        })?;
        Ok(found)
    }

    /// The record a reference points at: one read of its block, which stays open for the
    /// query's next reads (rows read in date order come from a few runs of neighbouring blocks).
    pub(crate) fn record(&self, r: &RowRef) -> Result<Option<Meeting>> {
        self.store.get_row_cached(&mut self.blocks.borrow_mut(), r)
    }

    /// Tests every record in place, in storage order (not date order), and hands on what the
    /// test makes of those it selects: `may_match` first sees a record's stored bytes, in which
    /// every string of the record appears verbatim (see [`stores_verbatim`]), and may rule it
    /// out unread (`Ok(false)`); `test` then sees the record read in place, its strings
    /// borrowed, and returns what to hand on, if anything; `take` gets that and says whether to
    /// go on. Stops at the first error, which is returned.
    pub(crate) fn scan<T>(
        &self,
        mut may_match: impl FnMut(&[u8]) -> Result<bool>,
        mut test: impl FnMut(&RecordView<'_>) -> Option<T>,
        mut take: impl FnMut(T) -> Result<bool>,
    ) -> Result<()> {
        self.store.for_each_record_bytes(&mut |bytes| {
            if !may_match(bytes)? {
                return Ok(true);
            }
            match codec::with_view(bytes, &mut test).map_err(view_error)? {
                Some(t) => take(t),
                None => Ok(true),
            }
        })
    }

    /// Whether the database keeps a text index (one of layout 3 does not).
    pub(crate) fn has_text_index(&self) -> bool {
        self.store.has_text_index()
    }

    /// The rows of the records whose values of `field` hold every one of `grams`, ascending:
    /// candidates for a `contains`, a superset of its matches (see `grams`).
    pub(crate) fn gram_rows(&self, field: MeetingField, grams: &[String]) -> Result<Vec<u64>> {
        self.store.gram_rows(field, grams)
    }

    /// Tests the records at `rows` (ascending) in place, as [`Snapshot::scan`] tests every
    /// record: `test` sees each record read in place with its row and returns what to hand on,
    /// if anything; `take` gets that and says whether to go on. A row with no record is passed
    /// over.
    pub(crate) fn scan_rows<T>(
        &self,
        rows: &[u64],
        mut test: impl FnMut(u64, &RecordView<'_>) -> Option<T>,
        mut take: impl FnMut(T) -> Result<bool>,
    ) -> Result<()> {
        for &row in rows {
            let found = self.store.with_row_bytes(&mut self.blocks.borrow_mut(), row, |bytes| {
                codec::with_view(bytes, |v| test(row, v)).map_err(view_error)
            })?;
            if let Some(Some(t)) = found {
                if !take(t)? {
                    break;
                }
            }
        }
        Ok(())
    }

    /// The number of records.
    pub(crate) fn len(&self) -> Result<u64> {
        self.store.len()
    }

    /// Each folded value of `field` that some meeting in `window` has, with its spelling and
    /// the number of those meetings, in value order, from the index alone.
    pub(crate) fn count_values(&self, field: IndexField, window: DateWindow) -> Result<Vec<(String, String, u64)>> {
        self.store.count_values(field, window)
    }

    /// Distinct folded values of `field` that start with `prefix` (folded), with spelling and
    /// number of meetings, at most `limit`, in value order.
    pub(crate) fn values(&self, field: IndexField, prefix: &str, limit: usize) -> Result<Vec<(String, String, u64)>> {
        self.store.index_values(field, prefix, limit)
    }

    /// How a folded value of `field` is shown.
    pub(crate) fn spelling(&self, field: IndexField, folded: &str) -> Result<Option<String>> {
        self.store.spelling(field, folded)
    }

    /// The folded names recorded as aliases of `folded` (one step).
    pub(crate) fn aliases(&self, folded: &str) -> Result<Vec<String>> {
        self.store.aliases(folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::*;

    #[test]
    fn a_snapshot_finds_reads_and_scans_records() {
        let s = in_memory();
        let ms: Vec<Meeting> = crate::gen::generate_meetings(300, 7).collect();
        s.write(ms.clone()).unwrap();
        let snap = s.snapshot();
        assert_eq!(snap.len().unwrap(), 300);
        let r = snap.find(&ms[10].id).unwrap().unwrap();
        assert_eq!((r.start, r.end, r.id.as_str()), (ms[10].date.start(), ms[10].date.end(), ms[10].id.as_str()));
        assert_eq!(snap.record(&r).unwrap().as_ref(), Some(&ms[10]));
        assert!(snap.find("no such id").unwrap().is_none());
        // The scan offers every record's bytes, reads in place only those not ruled out, and stops
        // when told.
        let (mut offered, mut read) = (0, Vec::new());
        snap.scan(
            |bytes| {
                offered += 1;
                Ok(bytes.windows(ms[3].id.len()).any(|w| w == ms[3].id.as_bytes()))
            },
            |v| Some(v.to_meeting()),
            |m| {
                read.push(m);
                Ok(true)
            },
        )
        .unwrap();
        assert_eq!(offered, 300);
        assert!(read.contains(&ms[3]) && read.len() < 300, "{}", read.len());
        let mut n = 0;
        snap.scan(
            |_| Ok(true),
            |v| (v.id().len() > 1).then_some(()),
            |()| {
                n += 1;
                Ok(n < 5)
            },
        )
        .unwrap();
        assert_eq!(n, 5);
        let e = snap.scan(|_| Err(Error::Interrupted), |_| Some(()), |()| Ok(true)).unwrap_err();
        assert!(matches!(e, Error::Interrupted));
    }
}
