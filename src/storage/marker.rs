//! A committed import's marker and its encoding.

use super::RowRef;

/// A committed import's marker: its blocks (`first..end`), where each sorted run starts, the
/// first record not yet applied (`None`: from the start), and, while a window is being
/// applied, its chunk number, the record count it ends with, and the first record after it.
/// Once every window is applied, `grams` is the first row whose text-index entries are not yet
/// written (see `Store::apply_grams`).
///
/// Encoded as `first | end | run count (u32) | runs | cursor`, then either the window being
/// applied (`seq (u32) | count (u64) | next`) or, in the text-index pass, `FE | row (u64)`: nine
/// bytes, which no window's part is (thirteen at least), and which a meetql that predates the
/// pass reads as a damaged marker, refusing to open rather than leave the text index short.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Marker {
    pub(super) first: u64,
    pub(super) end: u64,
    pub(super) runs: Vec<u64>,
    pub(super) cursor: Option<RowRef>,
    pub(super) doing: Option<(u32, u64, Option<RowRef>)>,
    pub(super) grams: Option<u64>,
}

/// The byte that starts a marker's text-index part.
const GRAMS_TAG: u8 = 0xfe;

impl Marker {
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut v: Vec<u8> = Vec::new();
        v.extend_from_slice(&self.first.to_be_bytes());
        v.extend_from_slice(&self.end.to_be_bytes());
        v.extend_from_slice(&(self.runs.len() as u32).to_be_bytes());
        for r in &self.runs {
            v.extend_from_slice(&r.to_be_bytes());
        }
        push_key(&mut v, self.cursor.as_ref());
        if let Some((seq, count, next)) = &self.doing {
            v.extend_from_slice(&seq.to_be_bytes());
            v.extend_from_slice(&count.to_be_bytes());
            push_key(&mut v, next.as_ref());
        } else if let Some(row) = self.grams {
            v.push(GRAMS_TAG);
            v.extend_from_slice(&row.to_be_bytes());
        }
        v
    }

    pub(super) fn decode(b: &[u8]) -> Option<Marker> {
        let mut r = b;
        let first = take_u64(&mut r)?;
        let end = take_u64(&mut r)?;
        let n = u32::from_be_bytes(take(&mut r, 4)?.try_into().ok()?) as usize;
        let runs = (0..n).map(|_| take_u64(&mut r)).collect::<Option<Vec<u64>>>()?;
        let cursor = take_key(&mut r)?;
        let (mut doing, mut grams) = (None, None);
        if r.len() == 9 && r[0] == GRAMS_TAG {
            r = &r[1..];
            grams = Some(take_u64(&mut r)?);
        } else if !r.is_empty() {
            let seq = u32::from_be_bytes(take(&mut r, 4)?.try_into().ok()?);
            let count = take_u64(&mut r)?;
            doing = Some((seq, count, take_key(&mut r)?));
        }
        r.is_empty().then_some(Marker { first, end, runs, cursor, doing, grams })
    }
}

pub(super) fn take<'a>(r: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, rest) = (r.get(..n)?, r.get(n..)?);
    *r = rest;
    Some(head)
}

pub(super) fn take_u64(r: &mut &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(take(r, 8)?.try_into().ok()?))
}

/// Appends an optional record position: a flag, then start, end, row and id.
pub(super) fn push_key(v: &mut Vec<u8>, k: Option<&RowRef>) {
    match k {
        None => v.push(0),
        Some(k) => {
            v.push(1);
            v.extend_from_slice(&k.start.to_be_bytes());
            v.extend_from_slice(&k.end.to_be_bytes());
            v.extend_from_slice(&k.row.to_be_bytes());
            v.extend_from_slice(&(k.id.len() as u32).to_be_bytes());
            v.extend_from_slice(k.id.as_bytes());
        }
    }
}

pub(super) fn take_key(r: &mut &[u8]) -> Option<Option<RowRef>> {
    match take(r, 1)?[0] {
        0 => Some(None),
        1 => {
            let start = i32::from_be_bytes(take(r, 4)?.try_into().ok()?);
            let end = i32::from_be_bytes(take(r, 4)?.try_into().ok()?);
            let row = take_u64(r)?;
            let n = u32::from_be_bytes(take(r, 4)?.try_into().ok()?) as usize;
            let id = std::str::from_utf8(take(r, n)?).ok()?.to_string();
            Some(Some(RowRef { start, end, id, row }))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip() {
        let k = |id: &str| Some(RowRef { start: -3, end: 9, id: id.into(), row: 77 });
        for m in [
            Marker { first: 1, end: 9, runs: vec![1, 5], cursor: None, doing: None, grams: None },
            Marker { first: 1, end: 9, runs: vec![1], cursor: k("a-ü"), doing: Some((3, 40, None)), grams: None },
            Marker { first: 0, end: 0, runs: vec![], cursor: None, doing: Some((3, 40, k(""))), grams: None },
            Marker { first: 1, end: 9, runs: vec![1, 5], cursor: None, doing: None, grams: Some(0xfe) },
            Marker { first: 1, end: 9, runs: vec![1], cursor: k("x"), doing: None, grams: Some(1 << 40) },
        ] {
            assert_eq!(Marker::decode(&m.encode()), Some(m.clone()));
            assert_eq!(Marker::decode(&m.encode()[..m.encode().len() - 1]), None);
        }
    }
}
