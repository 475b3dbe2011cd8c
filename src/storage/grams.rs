//! The text index (layout 4): for `text`, `person` and `title`, every gram — a run of
//! [`GRAM_CHARS`] characters — of each lower-cased value (lower-cased as `contains` compares:
//! `str::to_lowercase`), with the rows of the records that hold it. `contains "water"` reads the
//! rows of its grams ("wat", "ate", "ter"), keeps those that hold all of them, and re-checks
//! each of those records: a record whose value contains the pattern holds every gram of it, so
//! the candidates are a superset of the matches and the answer stays exactly the scan's.
//!
//! A gram is kept as a number: its three characters' code points, 21 bits each ([`code`]).
//! Its rows are grouped by *range* (`row >> RANGE_BITS`, 65,536 rows: about 24,000 records),
//! one key per field, gram and range (`keys::gram_group`), so that a group is rewritten
//! whole when it changes and stays small. A group's value is the rows' offsets within the
//! range, either delta-coded as LEB128 varints (`00 | first | gap - 1 ...`, about one byte an
//! entry) or, when that is longer, a bitmap of the range (`01 | 8,192 bytes`).
//!
//! Writes are sets: adding a row a group holds, or taking out one it lacks, changes nothing,
//! so a window done again after a crash writes the same groups (see `Store::finish_window`).

use super::{damaged, keys, Engine, Store};
use crate::error::Result;
use crate::fields::{MeetingField, GRAM_CHARS};
use crate::model::Meeting;

/// A group holds the rows `range << RANGE_BITS .. (range + 1) << RANGE_BITS` of one gram.
pub const RANGE_BITS: u32 = 16;

/// Bytes of a bitmap group's bitmap.
const BITMAP_BYTES: usize = (1 << RANGE_BITS) / 8;

/// The first layout with a text index: databases of earlier layouts are read without one.
pub const TEXT_INDEX_LAYOUT: u32 = 4;

/// The fields the text index holds.
pub const FIELDS: [MeetingField; 3] = [MeetingField::Text, MeetingField::Person, MeetingField::Title];

/// A (field tag, gram) a record holds.
pub type GramKey = (u8, u64);

/// The number that stands for a gram of three characters.
pub fn code(a: char, b: char, c: char) -> u64 {
    (u64::from(a as u32) << 42) | (u64::from(b as u32) << 21) | u64::from(c as u32)
}

/// The number of a gram given as text (exactly [`GRAM_CHARS`] characters), if it is one.
pub fn code_of(gram: &str) -> Option<u64> {
    let mut it = gram.chars();
    let (a, b, c) = (it.next()?, it.next()?, it.next()?);
    it.next().is_none().then(|| code(a, b, c))
}

/// The gram a number stands for, as text (for messages).
pub fn text_of(code: u64) -> String {
    [code >> 42, (code >> 21) & 0x1f_ffff, code & 0x1f_ffff]
        .into_iter()
        .map(|c| char::from_u32(c as u32).unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Gives each gram of one value, lower-cased as `contains` lower-cases it.
fn value_grams(tag: u8, value: &str, each: &mut impl FnMut(GramKey)) {
    const _: () = assert!(GRAM_CHARS == 3);
    if value.is_ascii() {
        // ASCII lower-cases byte by byte, as `to_lowercase` does it.
        for w in value.as_bytes().windows(3) {
            let [a, b, c] = [w[0], w[1], w[2]].map(|x| char::from(x.to_ascii_lowercase()));
            each((tag, code(a, b, c)));
        }
        return;
    }
    let lowered: Vec<char> = value.to_lowercase().chars().collect();
    for w in lowered.windows(3) {
        each((tag, code(w[0], w[1], w[2])));
    }
}

/// Gives each (field tag, gram) of a record, as [`record_grams`] finds them but in the order
/// of its values and with repeats (a caller that drops repeats itself saves the sort).
pub fn each_gram(m: &Meeting, mut each: impl FnMut(GramKey)) {
    for f in FIELDS {
        let tag = keys::gram_tag(f).expect("a text-index field has a tag");
        f.any_value(m, |v| {
            value_grams(tag, v, &mut each);
            false
        });
    }
}

/// The grams a record holds: (field tag, gram) for each field of the text index and each of
/// its values that `contains` tests (blank ones never match), sorted, without repeats.
pub fn record_grams(m: &Meeting) -> Vec<GramKey> {
    let mut out = Vec::new();
    each_gram(m, |g| out.push(g));
    out.sort_unstable();
    out.dedup();
    out
}

/// The range a row is in, and its offset within it.
pub fn split_row(row: u64) -> (u64, u16) {
    (row >> RANGE_BITS, (row & ((1 << RANGE_BITS) - 1)) as u16)
}

/// Encodes a group from its offsets (sorted, without repeats): varints, or a bitmap when
/// shorter.
pub fn encode(offsets: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + offsets.len() + offsets.len() / 4);
    out.push(0);
    let mut prev: Option<u16> = None;
    for &o in offsets {
        let gap = match prev {
            None => u32::from(o),
            Some(p) => u32::from(o - p - 1),
        };
        push_varint(&mut out, gap);
        prev = Some(o);
        if out.len() > 1 + BITMAP_BYTES {
            break;
        }
    }
    if out.len() <= 1 + BITMAP_BYTES {
        return out;
    }
    let mut bits = vec![0u8; 1 + BITMAP_BYTES];
    bits[0] = 1;
    for &o in offsets {
        bits[1 + usize::from(o / 8)] |= 1 << (o % 8);
    }
    bits
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A group read for a query: its offsets, or its bitmap as stored.
pub enum Offsets<'a> {
    /// Sorted offsets.
    List(Vec<u16>),
    /// One bit an offset of the range.
    Bits(&'a [u8]),
}

impl<'a> Offsets<'a> {
    /// Reads a stored group; `None` when it is damaged.
    pub fn read(b: &'a [u8]) -> Option<Offsets<'a>> {
        match b.split_first()? {
            (0, rest) => {
                let mut out = Vec::with_capacity(rest.len());
                let (mut v, mut shift, mut prev): (u32, u32, Option<u32>) = (0, 0, None);
                for &x in rest {
                    if shift > 14 {
                        return None;
                    }
                    v |= u32::from(x & 0x7f) << shift;
                    if x & 0x80 != 0 {
                        shift += 7;
                        continue;
                    }
                    let o = match prev {
                        None => v,
                        Some(p) => p + v + 1,
                    };
                    if o >= 1 << RANGE_BITS {
                        return None;
                    }
                    out.push(o as u16);
                    prev = Some(o);
                    (v, shift) = (0, 0);
                }
                (shift == 0 && !out.is_empty()).then_some(Offsets::List(out))
            }
            (1, bits) if bits.len() == BITMAP_BYTES => Some(Offsets::Bits(bits)),
            _ => None,
        }
    }

    /// Whether the group holds `o`.
    pub fn contains(&self, o: u16) -> bool {
        match self {
            Offsets::List(v) => v.binary_search(&o).is_ok(),
            Offsets::Bits(b) => b[usize::from(o / 8)] & (1 << (o % 8)) != 0,
        }
    }

    /// The offsets, sorted.
    pub fn to_vec(&self) -> Vec<u16> {
        match self {
            Offsets::List(v) => v.clone(),
            Offsets::Bits(b) => (0..=u16::MAX).filter(|&o| b[usize::from(o / 8)] & (1 << (o % 8)) != 0).collect(),
        }
    }
}

/// Decodes a stored group into its offsets; `None` when it is damaged.
pub fn decode(b: &[u8]) -> Option<Vec<u16>> {
    Offsets::read(b).map(|o| o.to_vec())
}

/// `old` with `add` put in and `remove` taken out (all sorted, without repeats).
pub fn apply(old: Vec<u16>, add: &[u16], remove: &[u16]) -> Vec<u16> {
    let mut out = Vec::with_capacity(old.len() + add.len());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < add.len() {
        let next = match (old.get(i), add.get(j)) {
            (Some(&a), Some(&b)) if a == b => {
                i += 1;
                j += 1;
                a
            }
            (Some(&a), Some(&b)) if a < b => {
                i += 1;
                a
            }
            (Some(&a), None) => {
                i += 1;
                a
            }
            (_, Some(&b)) => {
                j += 1;
                b
            }
            (None, None) => unreachable!("the loop runs while one has more"),
        };
        if remove.binary_search(&next).is_err() {
            out.push(next);
        }
    }
    out
}

/// One gram's stored groups: (range, bytes), by range.
type Groups<B> = Vec<(u64, B)>;

impl<E: Engine> Store<E> {
    /// Whether this database keeps a text index (databases of layout 3 were made without one;
    /// they are read and written without it, and `contains` scans them).
    pub(crate) fn has_text_index(&self) -> bool {
        self.layout >= TEXT_INDEX_LAYOUT
    }

    /// The rows of the records whose values of `field` hold every one of `grams` (each of
    /// [`GRAM_CHARS`] characters), ascending: the candidates of a `contains` whose pattern has
    /// these grams. Empty for a field without a text index.
    pub(crate) fn gram_rows(&self, field: MeetingField, grams: &[String]) -> Result<Vec<u64>> {
        let Some(tag) = keys::gram_tag(field) else { return Ok(Vec::new()) };
        let damaged = || damaged("text index group");
        // Each gram's groups: (range, stored bytes), by range.
        let mut lists: Vec<(usize, Groups<E::Bytes>)> = Vec::with_capacity(grams.len());
        for g in grams {
            let Some(code) = code_of(g) else { return Ok(Vec::new()) };
            let mut groups = Vec::new();
            let mut bytes = 0;
            for kv in self.db.scan_prefix(keys::gram_prefix(tag, code)) {
                let (k, v) = kv?;
                let (_, _, range) = keys::split_gram_group(&k).ok_or_else(damaged)?;
                bytes += v.len();
                groups.push((range, v));
            }
            if groups.is_empty() {
                return Ok(Vec::new());
            }
            lists.push((bytes, groups));
        }
        // The rarest gram first: its groups are the fewest rows to test against the others.
        lists.sort_by_key(|(bytes, _)| *bytes);
        let Some(((_, first), rest)) = lists.split_first() else { return Ok(Vec::new()) };
        let mut cursors = vec![0usize; rest.len()];
        let mut out = Vec::new();
        'ranges: for (range, v) in first {
            let range = *range;
            let mut others = Vec::with_capacity(rest.len());
            for ((_, groups), at) in rest.iter().zip(cursors.iter_mut()) {
                while groups.get(*at).is_some_and(|(r, _)| *r < range) {
                    *at += 1;
                }
                match groups.get(*at) {
                    Some((r, v)) if *r == range => others.push(Offsets::read(v).ok_or_else(damaged)?),
                    _ => continue 'ranges,
                }
            }
            let mut offs = Offsets::read(v).ok_or_else(damaged)?.to_vec();
            for o in &others {
                offs.retain(|&x| o.contains(x));
                if offs.is_empty() {
                    continue 'ranges;
                }
            }
            out.extend(offs.into_iter().map(|o| (range << RANGE_BITS) | u64::from(o)));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{contains_folded, pattern_grams};
    use crate::storage::testing::*;

    fn texts(m: &Meeting) -> Vec<(u8, String)> {
        record_grams(m).into_iter().map(|(t, g)| (t, text_of(g))).collect()
    }

    #[test]
    fn grams_are_taken_from_each_value_lower_cased_as_contains_does() {
        let mut m = rec("g", "2024", &[]);
        m.summary = Some("Su Ş".into());
        m.text = Some("İx".into());
        let g = texts(&m);
        // "Su Ş" lowers to "su ş"; "İx" to "i̇x" (an i and a combining dot); no gram crosses
        // from one value to the next.
        let mut want: Vec<(u8, String)> = vec![(1, "su ".into()), (1, "u ş".into()), (1, "i\u{307}x".into())];
        want.sort_by_key(|(t, s)| (*t, code_of(s).unwrap()));
        assert_eq!(g, want);
        // Blank values are never tested by `contains`, so they hold no grams.
        m.summary = Some("   ".into());
        m.text = None;
        assert!(record_grams(&m).is_empty());
        assert_eq!(code_of("ab"), None);
        assert_eq!(code_of("abcd"), None);
        assert_eq!(text_of(code_of("ğüş").unwrap()), "ğüş");
    }

    #[test]
    fn groups_round_trip_as_lists_and_bitmaps_and_reject_damage() {
        for offs in [vec![0u16], vec![3, 4, 200, 65_535], (0..30_000).map(|i| i * 2).collect::<Vec<u16>>()] {
            let b = encode(&offs);
            assert_eq!(decode(&b).as_deref(), Some(&offs[..]));
            let o = Offsets::read(&b).unwrap();
            assert!(offs.iter().all(|&x| o.contains(x)));
            assert!(!o.contains(1));
        }
        assert_eq!(encode(&(0..30_000).collect::<Vec<u16>>()).len(), 1 + BITMAP_BYTES);
        assert!(encode(&[1, 2, 3]).len() <= 4);
        assert_eq!(decode(&[]), None);
        assert_eq!(decode(&[0]), None);
        assert_eq!(decode(&[0, 0x80]), None);
        assert_eq!(decode(&[0, 0xff, 0xff, 0x7f]), None);
        assert_eq!(decode(&[1, 0]), None);
        assert_eq!(decode(&[7, 1]), None);
        assert_eq!(apply(vec![1, 5, 9], &[2, 5, 10], &[9, 10]), vec![1, 2, 5]);
    }

    /// Records of generated text with non-ASCII letters: the candidates of every pattern hold
    /// every match, and only records that hold all the pattern's grams.
    #[test]
    fn candidates_hold_every_match() {
        let s = in_memory();
        let words = ["Su", "ŞU", "water", "Wasser", "İzmir", "ıIiİ", "KELVIN\u{212A}", "ΣΑΣ", "ς", "Ankara's", "  "];
        let mut ms = Vec::new();
        let mut x: u64 = 7;
        for i in 0..400 {
            let mut m = rec(&format!("r{i}"), "2024", &[]);
            let mut text = String::new();
            for _ in 0..(i % 7) {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(words[(x >> 33) as usize % words.len()]);
                text.push(if x & 1 == 0 { ' ' } else { '-' });
            }
            m.summary = Some(text);
            m.participants = vec![serde_json::from_str(r#"{"name":"Ayşe Şahin","title":"Deputy Minister"}"#).unwrap()];
            ms.push(m);
        }
        s.write(ms.clone()).unwrap();
        let rows: Vec<(u64, Meeting)> = s.records_with_rows().map(|r| r.unwrap()).collect();
        for p in [
            "wat", "water ", "şu ", "şu ş", "izm", "i̇zm", "ıii", "kelvink", "σας", "σασ", "'s ", "a's-su", "xyz",
            "deputy", "şah",
        ] {
            for field in [MeetingField::Text, MeetingField::Person, MeetingField::Title] {
                let grams = pattern_grams(p).unwrap();
                let got = s.gram_rows(field, &grams).unwrap();
                let matches: Vec<u64> = rows
                    .iter()
                    .filter(|(_, m)| field.any_value(m, |v| contains_folded(v, p)))
                    .map(|(r, _)| *r)
                    .collect();
                assert!(
                    matches.iter().all(|r| got.binary_search(r).is_ok()),
                    "{p:?} in {field:?}: {matches:?} ⊄ {got:?}"
                );
                // Every candidate holds every gram of the pattern.
                for r in &got {
                    let m = &rows.iter().find(|(x, _)| x == r).unwrap().1;
                    let held = record_grams(m);
                    let tag = keys::gram_tag(field).unwrap();
                    assert!(grams.iter().all(|g| held.contains(&(tag, code_of(g).unwrap()))), "{p:?}: row {r}");
                }
            }
        }
        assert!(!s.gram_rows(MeetingField::Text, &pattern_grams("wat").unwrap()).unwrap().is_empty());
        assert!(s.gram_rows(MeetingField::Org, &pattern_grams("wat").unwrap()).unwrap().is_empty());
    }
}
