//! Index postings: the entries of one index value for one period of meeting starts (a calendar
//! month; a year for people, see [`period_of`]), or of the date index for one day — a *group* —
//! packed into a few sled values (*chunks*), each sorted in the
//! default order of `meetings`. A write appends a chunk to the group instead of rewriting it
//! (a group of a frequent value is large, and rewriting it on every import batch made sled's
//! log grow to many times the data); a group of more than [`MAX_CHUNKS`] chunks is merged
//! into one. Readers merge a group's chunks.
//!
//! Layout of a chunk: `spelling length (u16 BE) | spelling | entry count (u32 BE) | entries`
//! (the entries compressed, `pack`; the header is not, so counting reads no entry), each entry `start (i32 BE) | end (i32 BE) | row (u64 BE) | id length (u16 BE) | id`. The spelling is the
//! value as first written (empty for the date index).
//!
//! Packing a period of entries under one key instead of one key per entry keeps sled's key
//! count far below one per record, which is what its load speed, memory, disk use and open
//! time scale with.

use crate::fields::IndexField;
use crate::model::{civil_from_days, days_from_civil};

use super::RowRef;
use crate::plan::DateWindow;

/// Bytes of an entry besides its id.
const ENTRY_FIXED: usize = 18;

/// Chunks a group may have before a write merges them into one.
pub const MAX_CHUNKS: usize = 16;

/// The first day of the month that `day` falls in: the bucket a row's start belongs to.
pub fn month_of(day: i32) -> i32 {
    let (y, m, _) = civil_from_days(day);
    days_from_civil(y, m, 1)
}

/// The first day of the period that `day` falls in for `field`'s groups: a month, or a year
/// for people, whose thousands of values would otherwise make mostly one-entry groups (sled's
/// cost grows with its keys).
pub fn period_of(field: IndexField, day: i32) -> i32 {
    match field {
        IndexField::Person => days_from_civil(civil_from_days(day).0, 1, 1),
        _ => month_of(day),
    }
}

/// Encodes a chunk; `rows` must be sorted and free of duplicates.
pub fn encode(spelling: &str, rows: &[RowRef]) -> Vec<u8> {
    let sp = &spelling.as_bytes()[..spelling.len().min(u16::MAX as usize)];
    let mut out = Vec::with_capacity(6 + sp.len() + rows.iter().map(|r| ENTRY_FIXED + r.id.len()).sum::<usize>());
    out.extend_from_slice(&(sp.len() as u16).to_be_bytes());
    out.extend_from_slice(sp);
    out.extend_from_slice(&(rows.len() as u32).to_be_bytes());
    let mut entries = Vec::with_capacity(rows.iter().map(|r| ENTRY_FIXED + r.id.len()).sum::<usize>());
    for r in rows {
        let id = &r.id.as_bytes()[..r.id.len().min(u16::MAX as usize)];
        entries.extend_from_slice(&r.start.to_be_bytes());
        entries.extend_from_slice(&r.end.to_be_bytes());
        entries.extend_from_slice(&r.row.to_be_bytes());
        entries.extend_from_slice(&(id.len() as u16).to_be_bytes());
        entries.extend_from_slice(id);
    }
    out.extend_from_slice(&super::pack::pack(&entries));
    out
}

fn header(b: &[u8]) -> Option<(&str, u32, &[u8])> {
    let sl = u16::from_be_bytes(b.get(0..2)?.try_into().ok()?) as usize;
    let spelling = std::str::from_utf8(b.get(2..2 + sl)?).ok()?;
    let n = u32::from_be_bytes(b.get(2 + sl..6 + sl)?.try_into().ok()?);
    Some((spelling, n, &b[6 + sl..]))
}

/// The spelling and the number of entries of a chunk, without decoding the entries.
pub fn count(b: &[u8]) -> Option<(String, u32)> {
    header(b).map(|(s, n, _)| (s.to_string(), n))
}

/// How many entries of a chunk have an interval that lies in `window`, reading only their
/// dates (no allocation); `None` when the chunk is damaged.
pub fn count_in(b: &[u8], window: DateWindow) -> Option<u64> {
    let (_, n, packed) = header(b)?;
    let entries = super::pack::unpack(packed)?;
    let mut rest = entries.as_slice();
    let mut hits = 0;
    for _ in 0..n {
        let start = i32::from_be_bytes(rest.get(0..4)?.try_into().ok()?);
        let end = i32::from_be_bytes(rest.get(4..8)?.try_into().ok()?);
        let il = u16::from_be_bytes(rest.get(16..18)?.try_into().ok()?) as usize;
        rest = rest.get(ENTRY_FIXED + il..)?;
        hits += u64::from(window.holds(start, end));
    }
    rest.is_empty().then_some(hits)
}

/// A source-reference index entry's payload: `start | end | row | id length | id | spelling`.
pub fn ref_payload(spelling: &str, r: &RowRef) -> Vec<u8> {
    let id = &r.id.as_bytes()[..r.id.len().min(u16::MAX as usize)];
    let mut out = Vec::with_capacity(ENTRY_FIXED + id.len() + spelling.len());
    out.extend_from_slice(&r.start.to_be_bytes());
    out.extend_from_slice(&r.end.to_be_bytes());
    out.extend_from_slice(&r.row.to_be_bytes());
    out.extend_from_slice(&(id.len() as u16).to_be_bytes());
    out.extend_from_slice(id);
    out.extend_from_slice(spelling.as_bytes());
    out
}

/// The date interval of a source-reference payload, without decoding the rest.
pub fn ref_interval(p: &[u8]) -> Option<(i32, i32)> {
    Some((i32::from_be_bytes(p.get(0..4)?.try_into().ok()?), i32::from_be_bytes(p.get(4..8)?.try_into().ok()?)))
}

/// Decodes a source-reference payload: the row and the spelling.
pub fn ref_entry(p: &[u8]) -> Option<(RowRef, &str)> {
    let (start, end) = ref_interval(p)?;
    let row = u64::from_be_bytes(p.get(8..16)?.try_into().ok()?);
    let il = u16::from_be_bytes(p.get(16..18)?.try_into().ok()?) as usize;
    let id = std::str::from_utf8(p.get(18..18 + il)?).ok()?;
    let spelling = std::str::from_utf8(p.get(18 + il..)?).ok()?;
    Some((RowRef { start, end, id: id.to_string(), row }, spelling))
}

/// Decodes a chunk; `None` when it is damaged.
pub fn decode(b: &[u8]) -> Option<(String, Vec<RowRef>)> {
    let (spelling, n, packed) = header(b)?;
    let entries = super::pack::unpack(packed)?;
    let mut rest = entries.as_slice();
    let mut rows = Vec::with_capacity((n as usize).min(rest.len() / ENTRY_FIXED + 1));
    for _ in 0..n {
        let start = i32::from_be_bytes(rest.get(0..4)?.try_into().ok()?);
        let end = i32::from_be_bytes(rest.get(4..8)?.try_into().ok()?);
        let row = u64::from_be_bytes(rest.get(8..16)?.try_into().ok()?);
        let il = u16::from_be_bytes(rest.get(16..18)?.try_into().ok()?) as usize;
        let id = std::str::from_utf8(rest.get(18..18 + il)?).ok()?;
        rows.push(RowRef { start, end, id: id.to_string(), row });
        rest = &rest[18 + il..];
    }
    if !rest.is_empty() {
        return None;
    }
    Some((spelling.to_string(), rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_round_trip_and_reject_damage() {
        let rows = vec![
            RowRef { start: -5, end: 3, id: "a".into(), row: 9 },
            RowRef { start: 19_000, end: 19_030, id: "m-ü".into(), row: 1 << 40 },
        ];
        let b = encode("Türkiye", &rows);
        assert_eq!(decode(&b), Some(("Türkiye".to_string(), rows.clone())));
        assert_eq!(count(&b), Some(("Türkiye".to_string(), 2)));
        assert_eq!(decode(&b[..b.len() - 1]), None);
        assert_eq!(decode(&[0xff, 0xff]), None);
        let p = ref_payload("Doc/1.TXT", &rows[1]);
        assert_eq!(ref_entry(&p), Some((rows[1].clone(), "Doc/1.TXT")));
        assert_eq!(ref_interval(&p), Some((19_000, 19_030)));
        assert_eq!(ref_entry(&p[..10]), None);
        assert_eq!(month_of(days_from_civil(2024, 2, 29)), days_from_civil(2024, 2, 1));
    }

    #[test]
    fn count_in_counts_entries_whose_interval_lies_in_the_window() {
        let row = |start, end, id: &str| RowRef { start, end, id: id.into(), row: 3 };
        // A day, a month (10..=39), a longer span, with ids of different lengths.
        let rows = vec![row(10, 10, "a"), row(10, 39, "bb-ü"), row(12, 12, ""), row(20, 400, "c"), row(39, 39, "d")];
        let b = encode("UN", &rows);
        let w = |start_min, start_max, end_min, end_max| DateWindow { start_min, start_max, end_min, end_max };
        let by_hand = |win: DateWindow| rows.iter().filter(|r| win.holds(r.start, r.end)).count() as u64;
        for win in [
            DateWindow::ALL,
            w(10, i32::MAX, i32::MIN, 39),
            w(11, i32::MAX, i32::MIN, i32::MAX),
            w(i32::MIN, i32::MAX, i32::MIN, 12),
            w(12, 20, 12, 400),
            w(40, i32::MAX, i32::MIN, i32::MAX),
        ] {
            assert_eq!(count_in(&b, win), Some(by_hand(win)), "{win:?}");
        }
        assert_eq!(count_in(&b, DateWindow::ALL), Some(5));
        assert_eq!(count_in(&b, w(10, i32::MAX, i32::MIN, 39)), Some(4));
        assert_eq!(count_in(&b, w(40, i32::MAX, i32::MIN, i32::MAX)), Some(0));
        assert_eq!(count_in(&encode("", &[]), DateWindow::ALL), Some(0));
        // A truncated chunk, a chunk with bytes after its last entry, and one whose count
        // promises more entries than it has, are damaged.
        assert_eq!(count_in(&b[..b.len() - 1], DateWindow::ALL), None);
        let mut longer = b.clone();
        longer.push(0);
        assert_eq!(count_in(&longer, DateWindow::ALL), None);
        let mut more = b.clone();
        more[2 + 2..2 + 2 + 4].copy_from_slice(&6u32.to_be_bytes());
        assert_eq!(count_in(&more, DateWindow::ALL), None);
    }
}
