//! Reading records: by row through a cache of opened blocks, by id through the id map, and all
//! of them in storage order (decoded, or as their stored bytes for scans that read in place).

use super::{blocks, codec, damaged, keys, pool, Engine, RowRef, Store};
use crate::error::{Error, Result, StorageError};
use crate::model::Meeting;

use std::sync::Arc;

/// Blocks a reader opened lately (see [`Store::get_row_cached`]), before it asks the blocks
/// shared by every query ([`super::shared`]).
#[derive(Default)]
pub(crate) struct BlockCache {
    pub(super) blocks: Vec<(u64, Arc<[u8]>)>,
    pub(super) next: usize,
}

impl BlockCache {
    /// Blocks kept: enough for one run per sort batch of a large import.
    const SIZE: usize = 64;
}

impl<E: Engine> Store<E> {
    /// The row of the record with this id.
    pub(super) fn row_of(&self, id: &str) -> Result<Option<u64>> {
        let folded = crate::fields::fold(id);
        Ok(row_in(&self.id_bucket(pool::bucket_of(&folded))?, &folded))
    }

    /// A bucket of the id map (empty when absent).
    pub(super) fn id_bucket(&self, b: u16) -> Result<pool::Bucket> {
        match self.db.get(keys::id_bucket(b))? {
            Some(v) => pool::Bucket::decode(&v).ok_or_else(|| damaged(format!("id map bucket {b}"))),
            None => Ok(pool::Bucket::default()),
        }
    }

    /// The record stored at `row`, if any.
    pub(super) fn read_row(&self, row: u64) -> Result<Option<Meeting>> {
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
    pub(super) fn read_row_cached(&self, cache: &mut BlockCache, row: u64) -> Result<Option<Meeting>> {
        self.with_row_bytes(cache, row, |bytes| {
            codec::decode(bytes).map_err(|e| Error::from(StorageError::Codec(format!("row {row}: {e}"))))
        })
    }

    /// What `f` makes of the stored bytes of the record at `row`, if there is one, its block
    /// opened through `cache`.
    pub(super) fn with_row_bytes<R>(
        &self,
        cache: &mut BlockCache,
        row: u64,
        f: impl FnOnce(&[u8]) -> Result<R>,
    ) -> Result<Option<R>> {
        let (block, slot) = blocks::split(row);
        let raw = match cache.blocks.iter().position(|(b, _)| *b == block) {
            Some(i) => &cache.blocks[i].1,
            None => {
                let applied = self.db.applied();
                let raw = match self.blocks.get(applied, block) {
                    Some(raw) => raw,
                    None => {
                        let Some(v) = self.db.get(keys::block(block))? else {
                            return Ok(None);
                        };
                        let Some(raw) = blocks::open_shared(&v) else {
                            return Err(damaged(format!("record block {block}")));
                        };
                        self.blocks.insert(applied, block, raw.clone());
                        raw
                    }
                };
                let at = cache.next % BlockCache::SIZE;
                cache.next += 1;
                if at == cache.blocks.len() {
                    cache.blocks.push((block, raw));
                } else {
                    cache.blocks[at] = (block, raw);
                }
                &cache.blocks[at].1
            }
        };
        blocks::get(raw, slot).map(f).transpose()
    }

    /// Every record with its row, in storage order (not date order): the fastest way to read
    /// them all (for tests: queries scan with [`super::Snapshot::scan`]).
    #[cfg(test)]
    pub fn records_with_rows(&self) -> impl Iterator<Item = Result<(u64, Meeting)>> + '_ {
        let end = self.next_block();
        let blocks: Box<dyn Iterator<Item = super::KvResult<E::Bytes>> + '_> = match end {
            Ok(end) => Box::new(self.db.range(keys::block(0)..keys::block(end))),
            Err(_) => Box::new(std::iter::empty()),
        };
        let first_error = end.err().map(Err);
        first_error.into_iter().chain(blocks.flat_map(|kv| -> Vec<Result<(u64, Meeting)>> {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => return vec![Err(e.into())],
            };
            let raw = blocks::open(&v).unwrap_or_default();
            let Some((n, entries)) = keys::block_number(&k).zip(blocks::entries(&raw)) else {
                return vec![Err(damaged("record block"))];
            };
            entries
                .into_iter()
                .map(|(slot, bytes)| {
                    let row = blocks::row(n, slot);
                    codec::decode(bytes)
                        .map(|m| (row, m))
                        .map_err(|e| Error::from(StorageError::Codec(format!("row {row}: {e}"))))
                })
                .collect()
        }))
    }

    /// Every record, in storage order (not date order): the fastest way to read them all.
    #[cfg(test)]
    pub fn records(&self) -> impl Iterator<Item = Result<Meeting>> + '_ {
        self.records_with_rows().map(|r| r.map(|(_, m)| m))
    }

    /// Calls `f` with the stored bytes of every record (as [`codec`] encodes them), in storage
    /// order, until it returns `Ok(false)` or an error, which is returned. The raw form of
    /// [`Store::records`], for scans that decode each record in place (`codec::decode_view`).
    pub(crate) fn for_each_record_bytes(&self, f: &mut dyn FnMut(&[u8]) -> Result<bool>) -> Result<()> {
        for kv in self.db.range(keys::block(0)..keys::block(self.next_block()?)) {
            let (_, v) = kv?;
            let raw = blocks::open(&v).unwrap_or_default();
            for (_, bytes) in blocks::entries(&raw).ok_or_else(|| damaged("record block"))? {
                if !f(bytes)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

/// The row an id-map bucket gives a folded id.
pub(super) fn row_in(bucket: &pool::Bucket, folded: &str) -> Option<u64> {
    bucket.get(folded).and_then(|p| p.try_into().ok()).map(u64::from_be_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::in_memory;

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

    #[test]
    fn damage_is_reported_for_people_by_kind() {
        let s = in_memory();
        s.write(crate::gen::generate_meetings(3, 1).collect()).unwrap();
        let first = s.records_with_rows().next().unwrap().unwrap();
        // Read twice, so that the block is kept in the shared blocks: the damage done after
        // must still be seen.
        let at = RowRef::at(&first.1, first.0);
        for _ in 0..2 {
            assert_eq!(s.snapshot().record(&at).unwrap().as_ref(), Some(&first.1));
        }
        assert!(s.blocks.get(s.db.applied(), 0).is_some());
        s.put(keys::block(0), b"not a block".to_vec()).unwrap();
        let e = s.snapshot().record(&RowRef::at(&first.1, first.0)).unwrap_err();
        assert!(matches!(&e, Error::Storage(StorageError::Damaged { what }) if what == "record block 0"), "{e:?}");
        assert_eq!(e.to_string(), "storage error: damaged record block 0");
    }
}
