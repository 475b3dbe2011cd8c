//! Counting from the value indexes without reading records: values with their spellings and
//! number of meetings, over all dates or a window.

use std::ops::Bound;

use super::{damaged, keys, postings, Engine, Store};
use crate::error::Result;
use crate::fields::IndexField;
use crate::plan::{DateWindow, ValueSel};

impl<E: Engine> Store<E> {
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
    pub(super) fn group_values(
        &self,
        field: IndexField,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<(String, String, u64)>> {
        let mut p = keys::value_field(field);
        keys::push_escaped(&mut p, prefix);
        let mut out: Vec<(String, String, u64)> = Vec::new();
        for kv in self.db.scan_prefix(&p) {
            let (k, v) = kv?;
            let ((folded, _), (spelling, n)) = k
                .get(2..)
                .and_then(keys::take_string)
                .zip(postings::count(&v))
                .ok_or_else(|| damaged("index chunk"))?;
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
        match self.db.scan_prefix(keys::value_point(field, folded)).map(|kv| kv.map(|(_, v)| v)).next() {
            Some(v) => Ok(postings::count(&v?).map(|(s, _)| s)),
            None if field == IndexField::Source => Ok(self
                .ref_values(&ValueSel::Point(folded.to_string()), DateWindow::ALL)?
                .into_iter()
                .next()
                .map(|(_, s, _)| s)),
            None => Ok(None),
        }
    }

    /// Source-reference values selected by `sel` in `window`: (folded, spelling, meetings), in
    /// value order; the spelling is the one [`Store::spelling`] gives.
    pub(super) fn ref_values(&self, sel: &ValueSel, window: DateWindow) -> Result<Vec<(String, String, u64)>> {
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
    pub(super) fn merge_values(
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
}

/// Counting from the value indexes, without reading records.
impl<E: Engine> Store<E> {
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
    pub(super) fn group_counts(&self, field: IndexField, window: DateWindow) -> Result<Vec<(String, String, u64)>> {
        let damaged = || damaged("index chunk");
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
            let (k, v) = kv?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::*;

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
            s.put(keys::chunk(&group, 0), b"damaged".to_vec()).unwrap();
        }
        let w = DateWindow { start_min: day("2023"), end_max: day("2024") - 1, ..DateWindow::ALL };
        let want = [("eu", "EU", 1), ("un", "UN", 1)].map(|(f, sp, n)| (f.to_string(), sp.to_string(), n));
        assert_eq!(s.count_values(IndexField::Org, w).unwrap(), want);
        assert!(s.count_values(IndexField::Org, DateWindow::ALL).is_err(), "the whole index holds damaged chunks");
    }
}
