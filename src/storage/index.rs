//! Index scans: the date index and the value indexes (postings groups merged chunk by chunk,
//! and the source-reference buckets), as sorted row references.

use std::ops::{Bound, RangeBounds};

use super::{damaged, keys, pool, postings, Engine, KvResult, RowRef, Store};
use crate::error::Result;
use crate::fields::IndexField;
use crate::plan::{DateWindow, ValueSel};

impl<E: Engine> Store<E> {
    /// The postings groups whose chunk keys lie in `lo..hi`, in key order (or reversed): each
    /// group's key, the spelling of its first chunk, and its rows merged in the default order.
    pub(super) fn groups(
        &self,
        lo: Vec<u8>,
        hi: Vec<u8>,
        reverse: bool,
    ) -> Box<dyn Iterator<Item = Result<Group>> + '_> {
        let iter: Box<dyn Iterator<Item = KvResult<E::Bytes>> + '_> =
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
    pub(super) fn group_index_valued(
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
            let (folded, _) = keys::take_string(k.get(2..).unwrap_or_default()).ok_or_else(|| damaged("index key"))?;
            out.extend(rows.into_iter().filter(|r| window.holds(r.start, r.end)).map(|r| (folded.clone(), r)));
        }
        Ok(out)
    }

    /// Source-reference entries whose folded value `sel` selects and whose interval lies in
    /// `window`: (folded value, spelling, row), by value then in the default order. A point
    /// reads one bucket; a prefix or range reads them all (they are not in value order).
    pub(super) fn refs(&self, sel: &ValueSel, window: DateWindow) -> Result<Vec<(String, String, RowRef)>> {
        let damaged = || damaged("source-reference bucket");
        let mut out = Vec::new();
        let mut take = |bucket: &pool::Bucket, only: Option<&str>| -> Result<()> {
            for (v, p) in bucket.entries() {
                if only.is_some_and(|o| o != v) {
                    continue;
                }
                let selected = match sel {
                    ValueSel::Point(x) => x == v,
                    ValueSel::Prefix(x) => v.starts_with(x.as_str()),
                    ValueSel::Range(lo, hi) => RangeBounds::<String>::contains(&(lo.as_ref(), hi.as_ref()), v),
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
                    let (_, b) = kv?;
                    take(&pool::Bucket::decode(&b).ok_or_else(damaged)?, None)?;
                }
            }
        }
        out.sort_unstable_by(|a, b| (&a.0, &a.2).cmp(&(&b.0, &b.2)));
        Ok(out)
    }

    /// A bucket of the source-reference index (empty when absent).
    pub(super) fn ref_bucket(&self, b: u16) -> Result<pool::Bucket> {
        match self.db.get(keys::ref_bucket(b))? {
            Some(v) => pool::Bucket::decode(&v).ok_or_else(|| damaged(format!("source-reference bucket {b}"))),
            None => Ok(pool::Bucket::default()),
        }
    }

    /// The key range of the postings groups `sel` and `window` select, if any.
    pub(super) fn group_bounds(
        &self,
        field: IndexField,
        sel: &ValueSel,
        window: DateWindow,
    ) -> Option<(Vec<u8>, Vec<u8>)> {
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
    pub(super) fn group_index(
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
}

/// A postings group: its key, its spelling, its rows merged in the default order.
pub(super) type Group = (Vec<u8>, String, Vec<RowRef>);

/// Consecutive chunks of one postings group, decoded and merged (see [`Store::groups`]).
pub(super) struct GroupIter<'a, B> {
    pub(super) inner: std::iter::Peekable<Box<dyn Iterator<Item = KvResult<B>> + 'a>>,
    pub(super) failed: bool,
}

impl<B: std::ops::Deref<Target = [u8]>> Iterator for GroupIter<'_, B> {
    type Item = Result<Group>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let damaged = || damaged("index chunk");
        let (k, v) = match self.inner.next()? {
            Ok(kv) => kv,
            Err(e) => {
                self.failed = true;
                return Some(Err(e.into()));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::*;

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
        s.put(keys::ref_bucket(b), bucket.encode()).unwrap();
        let c = s.check(5).unwrap();
        assert!(
            c.problems.iter().any(|p| p.contains("source-reference index: 0 entries missing, 1 pointing")),
            "{:?}",
            c.problems
        );
    }
}
