//! `check`: verifying that records, the id map, the indexes and the counts agree.

use super::{blocks, codec, grams, index_entries, keys, pool, postings, Engine, RowRef, Store, Target};
use crate::error::Result;

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

impl<E: Engine> Store<E> {
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
        // What the records imply of the text index: each gram's number of rows and a sum of a
        // hash of each row (memory: one entry per distinct gram).
        let text = self.has_text_index();
        let mut expected_grams: GramSums = GramSums::default();
        let next_block = self.next_block()?;
        for kv in self.db.range(keys::block(0)..keys::block(next_block)) {
            let (k, v) = kv?;
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
                if text {
                    for key in grams::record_grams(&m) {
                        add_row(&mut expected_grams, key, row);
                    }
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
            let (k, v) = kv?;
            match pool::Bucket::decode(&v) {
                Some(b) => ids += b.len() as u64,
                None => {
                    let b = u16::from_be_bytes([k.get(1).copied().unwrap_or(0), k.get(2).copied().unwrap_or(0)]);
                    problem(&mut r, format!("id map bucket {b}: damaged"))
                }
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
            let (k, v) = kv?;
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
        self.check_grams(text, expected_grams, &mut |p| problem(&mut r, p))?;
        let counted = self.len()?;
        if counted != r.records {
            let msg = format!("the record count says {counted} but {} records are stored", r.records);
            problem(&mut r, msg);
        }
        let staged = self.db.range(keys::block(next_block)..).map(|kv| kv.map(|(k, _)| k)).next().transpose()?;
        if staged.is_some_and(|k| k.first() == Some(&keys::BLOCK))
            || self.db.scan_prefix([keys::MARKER]).next().is_some()
        {
            problem(&mut r, "an interrupted import is still staged".to_string());
        }
        Ok(r)
    }
}

/// Per (field tag, gram) of the text index: the number of rows and the wrapping sum of
/// [`row_hash`] over them.
type GramSums = std::collections::HashMap<grams::GramKey, Tally, foldhash::fast::FixedState>;

/// A number of rows and the wrapping sum of their hashes.
type Tally = (u64, u64);

/// A row's hash for [`GramSums`] (splitmix64's finaliser): two sets of rows with equal counts
/// and sums are, barring a 64-bit coincidence, the same set.
fn row_hash(row: u64) -> u64 {
    let mut z = row.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn add_row(sums: &mut GramSums, key: grams::GramKey, row: u64) {
    let e = sums.entry(key).or_default();
    e.0 += 1;
    e.1 = e.1.wrapping_add(row_hash(row));
}

impl<E: Engine> Store<E> {
    /// Checks the text index against what the records imply (`expected`): every gram holds
    /// exactly the rows of the records that hold it. A database without a text index must
    /// hold no entry of one.
    fn check_grams(&self, text: bool, expected: GramSums, problem: &mut dyn FnMut(String)) -> Result<()> {
        let name = |tag: u8, g: u64| {
            let field = keys::gram_field(tag).map_or("an unknown field", |f| f.name());
            format!("{field} gram \"{}\"", grams::text_of(g))
        };
        if !text {
            if self.db.scan_prefix([keys::GRAM]).next().is_some() {
                problem("text index entries in a database of format version 3, which keeps no text index".into());
            }
            return Ok(());
        }
        let mut found = GramSums::default();
        for kv in self.db.scan_prefix([keys::GRAM]) {
            let (k, v) = kv?;
            let Some((tag, g, range)) = keys::split_gram_group(&k) else {
                problem("text index: a damaged key".into());
                continue;
            };
            let Some(offsets) = grams::decode(&v) else {
                problem(format!("text index, {}: damaged", name(tag, g)));
                continue;
            };
            for o in offsets {
                add_row(&mut found, (tag, g), (range << grams::RANGE_BITS) | u64::from(o));
            }
        }
        // (gram, held, expected)
        let mut differ: Vec<(grams::GramKey, Tally, Tally)> = Vec::new();
        for (k, want) in &expected {
            let got = found.get(k).copied().unwrap_or_default();
            if got != *want {
                differ.push((*k, got, *want));
            }
        }
        for (k, got) in &found {
            if !expected.contains_key(k) {
                differ.push((*k, *got, (0, 0)));
            }
        }
        differ.sort_unstable();
        if let Some(((tag, g), got, want)) = differ.first() {
            problem(format!(
                "text index: {} grams disagree with the records (e.g. {}: {} rows held, {} expected)",
                differ.len(),
                name(*tag, *g),
                got.0,
                want.0
            ));
        }
        Ok(())
    }
}

pub(super) fn describe(key: &[u8]) -> String {
    match key.first() {
        Some(&keys::DATE) => "date index".to_string(),
        // A damaged key may be as short as one byte: nothing past it is read unchecked.
        Some(&keys::VALUE) => match key.get(2..).and_then(keys::take_string) {
            Some((v, _)) => format!("value index, \"{v}\""),
            None => "value index".to_string(),
        },
        _ => "unknown space".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::*;

    #[test]
    fn check_finds_missing_and_stray_index_entries() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        s.write(vec![rec("a", "2024-01-17", &["UN", "OSCE"]), rec("b", "2023", &["EU"])]).unwrap();
        let ok = s.check(10).unwrap();
        assert!(ok.is_ok(), "{:?}", ok.problems);
        assert_eq!((ok.records, ok.index_entries), (2, 5));
        let jan = postings::month_of(rec("a", "2024-01-17", &[]).date.start());
        s.delete(keys::chunk(&keys::value_chunk(IndexField::Org, "osce", jan), 0)).unwrap();
        let stray = vec![RowRef { start: 0, end: 0, id: "zz".into(), row: 99 }];
        s.put(keys::chunk(&keys::value_chunk(IndexField::Org, "nato", 0), 0), postings::encode("NATO", &stray))
            .unwrap();
        let b0 = s.db.get(keys::block(0)).unwrap().unwrap();
        let raw0 = blocks::open(&b0).unwrap();
        let mut slots = blocks::entries(&raw0).unwrap();
        slots.push((2, b"garbage"));
        s.put(keys::block(0), blocks::encode(slots)).unwrap();
        let bad = s.check(10).unwrap();
        let all = bad.problems.join("\n");
        assert!(all.contains("value index, \"osce\": chunk missing (1 entries, e.g. record a)"), "{all}");
        assert!(all.contains("value index, \"nato\": 0 entries missing, 1 pointing at nothing"), "{all}");
        assert!(all.contains("record at row 2: damaged record"), "{all}");
        assert!(all.contains("record count says 2 but 3"), "{all}");
        assert!(all.contains("id map holds 2 ids but 3 records"), "{all}");
    }

    #[test]
    fn check_finds_text_index_groups_that_disagree_with_the_records() {
        let s = in_memory();
        let mut a = rec("a", "2024-01-17", &[]);
        a.summary = Some("Water talks".into());
        let mut b = rec("b", "2023", &[]);
        b.participants = vec![serde_json::from_str(r#"{"name":"Ayşe Şahin"}"#).unwrap()];
        s.write(vec![a, b]).unwrap();
        let ok = s.check(10).unwrap();
        assert!(ok.is_ok(), "{:?}", ok.problems);
        // A group taken out, and one of a gram that no record holds.
        let code = |g: &str| grams::code_of(g).unwrap();
        let text = keys::gram_tag(crate::fields::MeetingField::Text).unwrap();
        let person = keys::gram_tag(crate::fields::MeetingField::Person).unwrap();
        assert!(s.db.get(keys::gram_group(text, code("wat"), 0)).unwrap().is_some());
        s.delete(keys::gram_group(text, code("wat"), 0)).unwrap();
        s.put(keys::gram_group(person, code("zzz"), 0), grams::encode(&[1])).unwrap();
        let c = s.check(10).unwrap();
        assert_eq!(
            c.problems,
            ["text index: 2 grams disagree with the records (e.g. text gram \"wat\": 0 rows held, 1 expected)"]
        );
        s.put(keys::gram_group(text, code("ter"), 0), vec![9]).unwrap();
        let c = s.check(10).unwrap();
        assert!(c.problems.contains(&"text index, text gram \"ter\": damaged".to_string()), "{:?}", c.problems);
    }

    /// Every reader of stored bytes, on a database with one key or value damaged: each of them
    /// answers or reports damage, and none panics (issue 16, item 7: `check` sliced a one-byte
    /// value-index key).
    fn read_everything<E: Engine>(s: &Store<E>) {
        let _ = s.check(10);
        let _ = s.len();
        let _ = s.get("a");
        let _ = s.get("b");
        let _ = s.records().count();
        let _ = s.records_with_rows().count();
        let _ = s.for_each_record_bytes(&mut |_| Ok(true));
        let _ = s.rows(DateWindow::ALL, false).count();
        let _ = s.rows(DateWindow::ALL, true).count();
        for f in [IndexField::Org, IndexField::Person, IndexField::City] {
            let _ = s.index(f, &ValueSel::Point("un".into()), DateWindow::ALL).count();
            let _ = s.index(f, &ValueSel::Prefix("".into()), DateWindow::ALL).count();
            let _ = s.index_values(f, "", 10);
            let _ = s.count_values(f, DateWindow::ALL);
            let jan = DateWindow { start_min: 19_000, ..DateWindow::ALL };
            let _ = s.count_values(f, jan);
            let _ = s.spelling(f, "un");
        }
        let _ = s.aliases("un");
        let _ = s.gram_rows(crate::fields::MeetingField::Text, &["wat".into(), "alk".into()]);
        let snap = s.snapshot();
        let _ = snap.find("a");
        let _ = snap.scan(|_| Ok(true), |_| Some(()), |_| Ok(true));
    }

    #[test]
    fn issue_16_7_damaged_keys_and_values_never_panic_a_reader() {
        let base = crate::storage::memory::Memory::default();
        let s = Store::on(base.clone(), std::path::Path::new("<memory>")).unwrap();
        let mut a = rec("a", "2024-01-17", &["UN", "OSCE"]);
        a.source.doc = Some("Doc/1.txt".into());
        a.summary = Some("Water talks".into());
        s.write(vec![a, rec("b", "2023", &["EU"])]).unwrap();
        s.add_aliases(&[("UN".into(), "United Nations".into())]).unwrap();
        assert!(s.check(10).unwrap().is_ok());
        let stored: Vec<(Vec<u8>, Vec<u8>)> =
            s.db.range::<&[u8]>(..).map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap()).collect();
        assert!(stored.len() > 10, "records, id map, indexes, aliases, meta: {}", stored.len());
        let mut tried = 0;
        for (k, v) in &stored {
            // Damaged keys: every prefix of the key (one byte, two bytes, ...) and the key with
            // a byte past it, each holding the key's value.
            let mut keys: Vec<Vec<u8>> = (1..k.len()).map(|n| k[..n].to_vec()).collect();
            keys.push([k.as_slice(), &[0]].concat());
            for bad in keys {
                let db = base.after_crash(usize::MAX);
                let d = Store::on(db.clone(), std::path::Path::new("<memory>")).unwrap();
                d.put(&bad, v.clone()).unwrap();
                read_everything(&d);
                if let Ok(again) = Store::on(db, std::path::Path::new("<memory>")) {
                    read_everything(&again);
                }
                tried += 1;
            }
            // Damaged values: empty, every few prefixes, and bytes flipped.
            let mut values: Vec<Vec<u8>> = vec![Vec::new(), vec![0xff; 3]];
            values.extend((1..v.len()).step_by(v.len().div_ceil(8).max(1)).map(|n| v[..n].to_vec()));
            for at in [0, v.len() / 2, v.len().saturating_sub(1)] {
                let mut flipped = v.clone();
                if let Some(b) = flipped.get_mut(at) {
                    *b ^= 0xff;
                }
                values.push(flipped);
            }
            for bad in values {
                let db = base.after_crash(usize::MAX);
                let d = Store::on(db.clone(), std::path::Path::new("<memory>")).unwrap();
                d.put(k, bad).unwrap();
                read_everything(&d);
                if let Ok(again) = Store::on(db, std::path::Path::new("<memory>")) {
                    read_everything(&again);
                }
                tried += 1;
            }
        }
        assert!(tried > 100, "{tried}");
    }
}
