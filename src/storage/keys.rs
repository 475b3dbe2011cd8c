//! Order-preserving byte encodings of storage keys, written by hand.
//!
//! Every key starts with a one-byte space tag. Day numbers are big-endian with the sign bit
//! flipped, so byte order is numeric order; strings are escaped (`00` → `00 FF`) and ended with
//! `00 01`, so byte order is code-point order and a shorter string sorts before its extensions.
//!
//! | space | key | value |
//! |---|---|---|
//! | `00` meta | name | bytes |
//! | `01` id map | bucket (u16) | folded ids with their rows (see `pool`) |
//! | `02` date index | day of start, chunk number (u32) | a postings chunk (see `postings`) |
//! | `03` value index | field tag, folded value, month of start, chunk number | a postings chunk |
//! | `05` import marker | import id (u64) | first block, end block, next block to apply (u64 each) |
//! | `06` org alias | folded name, folded other name | the other name as spelled |
//! | `07` record block | block number (u64) | up to eight encoded records (see `blocks`) |
//! | `08` source references | bucket (u16) | folded document names and URLs with their index entries (see `pool`) |
//! | `09` text index (layout 4) | field tag, gram (u64), row range (u64) | the rows of the range that hold the gram (see `grams`) |

use crate::fields::IndexField;

pub const META: u8 = 0x00;
pub const ID: u8 = 0x01;
pub const DATE: u8 = 0x02;
pub const VALUE: u8 = 0x03;
pub const MARKER: u8 = 0x05;
pub const ALIAS: u8 = 0x06;
pub const BLOCK: u8 = 0x07;
pub const REF: u8 = 0x08;
pub const GRAM: u8 = 0x09;

/// The tag of an indexed field inside the value-index space.
pub fn field_tag(f: IndexField) -> u8 {
    match f {
        IndexField::Org => 1,
        IndexField::Person => 2,
        IndexField::Country => 3,
        IndexField::City => 4,
        IndexField::Topic => 5,
        IndexField::Source => 6,
    }
}

/// The tag of a field the text index holds, inside the text-index space.
pub fn gram_tag(f: crate::fields::MeetingField) -> Option<u8> {
    use crate::fields::MeetingField;
    match f {
        MeetingField::Text => Some(1),
        MeetingField::Person => Some(2),
        MeetingField::Title => Some(3),
        _ => None,
    }
}

/// The field a text-index tag stands for.
pub fn gram_field(tag: u8) -> Option<crate::fields::MeetingField> {
    use crate::fields::MeetingField;
    [MeetingField::Text, MeetingField::Person, MeetingField::Title].into_iter().find(|f| gram_tag(*f) == Some(tag))
}

/// The prefix of every group of one gram of one field (each a range of rows).
pub fn gram_prefix(tag: u8, gram: u64) -> [u8; 10] {
    let mut k = [GRAM; 10];
    k[1] = tag;
    k[2..].copy_from_slice(&gram.to_be_bytes());
    k
}

/// The key of the group of rows `range << grams::RANGE_BITS ..` that hold `gram` in a field.
pub fn gram_group(tag: u8, gram: u64, range: u64) -> [u8; 18] {
    let mut k = [0; 18];
    k[..10].copy_from_slice(&gram_prefix(tag, gram));
    k[10..].copy_from_slice(&range.to_be_bytes());
    k
}

/// The field tag, gram and row range of a text-index key.
pub fn split_gram_group(k: &[u8]) -> Option<(u8, u64, u64)> {
    if k.len() != 18 || k[0] != GRAM {
        return None;
    }
    Some((k[1], u64::from_be_bytes(k[2..10].try_into().ok()?), u64::from_be_bytes(k[10..].try_into().ok()?)))
}

pub fn meta(name: &str) -> Vec<u8> {
    let mut k = vec![META];
    k.extend_from_slice(name.as_bytes());
    k
}

/// The key of a bucket of the id map (see `pool`).
pub fn id_bucket(b: u16) -> [u8; 3] {
    let [hi, lo] = b.to_be_bytes();
    [ID, hi, lo]
}

/// The key of a record block.
pub fn block(n: u64) -> [u8; 9] {
    let mut k = [BLOCK; 9];
    k[1..].copy_from_slice(&n.to_be_bytes());
    k
}

/// The key of a bucket of the source-reference index (see `pool`).
pub fn ref_bucket(b: u16) -> [u8; 3] {
    let [hi, lo] = b.to_be_bytes();
    [REF, hi, lo]
}

/// The number of a record block's key.
pub fn block_number(k: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(k.strip_prefix(&[BLOCK])?.try_into().ok()?))
}

pub fn day(d: i32) -> [u8; 4] {
    ((d as u32) ^ 0x8000_0000).to_be_bytes()
}

#[cfg(test)]
pub fn undo_day(b: &[u8]) -> i32 {
    (u32::from_be_bytes([b[0], b[1], b[2], b[3]]) ^ 0x8000_0000) as i32
}

/// Appends `s` escaped, without the terminator.
pub fn push_escaped(k: &mut Vec<u8>, s: &str) {
    for &b in s.as_bytes() {
        k.push(b);
        if b == 0 {
            k.push(0xff);
        }
    }
}

/// Appends `s` escaped and terminated.
pub fn push_string(k: &mut Vec<u8>, s: &str) {
    push_escaped(k, s);
    k.extend_from_slice(&[0x00, 0x01]);
}

/// Reads an escaped, terminated string at the start of `b`; returns it and the rest.
pub fn take_string(b: &[u8]) -> Option<(String, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == 0 {
            match b.get(i + 1) {
                Some(0xff) => out.push(0),
                Some(0x01) => return String::from_utf8(out).ok().map(|s| (s, &b[i + 2..])),
                _ => return None,
            }
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    None
}

/// The (start, end, id) suffix of the layout-1 index keys (kept for key-order tests).
#[cfg(test)]
pub fn push_row(k: &mut Vec<u8>, start: i32, end: i32, id: &str) {
    k.extend_from_slice(&day(start));
    k.extend_from_slice(&day(end));
    k.extend_from_slice(id.as_bytes());
}

/// Splits a (start, end, id) suffix.
#[cfg(test)]
pub fn take_row(b: &[u8]) -> Option<(i32, i32, &str)> {
    if b.len() < 8 {
        return None;
    }
    let id = std::str::from_utf8(&b[8..]).ok()?;
    Some((undo_day(&b[0..4]), undo_day(&b[4..8]), id))
}

/// The date-index group of the meetings that start on `start`: one per day, so that reading
/// the latest (or earliest) few meetings decodes a day's entries, not a month's.
pub fn date_chunk(start: i32) -> Vec<u8> {
    let mut k = vec![DATE];
    k.extend_from_slice(&day(start));
    k
}

/// The value-index chunk of `folded` in `field` for the month starting on `month`.
pub fn value_chunk(field: IndexField, folded: &str, month: i32) -> Vec<u8> {
    let mut k = value_point(field, folded);
    k.extend_from_slice(&day(month));
    k
}

/// The key of chunk `seq` of a postings group.
pub fn chunk(group: &[u8], seq: u32) -> Vec<u8> {
    let mut k = Vec::with_capacity(group.len() + 4);
    k.extend_from_slice(group);
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// The group of a chunk key, and the chunk's number.
pub fn split_chunk(key: &[u8]) -> Option<(&[u8], u32)> {
    let at = key.len().checked_sub(4)?;
    Some((&key[..at], u32::from_be_bytes(key[at..].try_into().ok()?)))
}

/// The prefix of all value-index keys of `field`.
pub fn value_field(field: IndexField) -> Vec<u8> {
    vec![VALUE, field_tag(field)]
}

/// The prefix of the entries for exactly `folded` in `field`.
pub fn value_point(field: IndexField, folded: &str) -> Vec<u8> {
    let mut k = value_field(field);
    push_string(&mut k, folded);
    k
}

#[cfg(test)]
pub fn value_entry(field: IndexField, folded: &str, start: i32, end: i32, id: &str) -> Vec<u8> {
    let mut k = value_point(field, folded);
    push_row(&mut k, start, end, id);
    k
}

/// The prefix of the aliases of `folded`.
pub fn alias_prefix(folded: &str) -> Vec<u8> {
    let mut k = vec![ALIAS];
    push_string(&mut k, folded);
    k
}

pub fn alias(folded: &str, other: &str) -> Vec<u8> {
    let mut k = alias_prefix(folded);
    push_string(&mut k, other);
    k
}

pub fn marker(import: u64) -> Vec<u8> {
    let mut k = vec![MARKER];
    k.extend_from_slice(&import.to_be_bytes());
    k
}

/// The smallest key greater than every key that starts with `prefix`, if any.
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut p = prefix.to_vec();
    while let Some(last) = p.pop() {
        if last < 0xff {
            p.push(last + 1);
            return Some(p);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_order_as_numbers() {
        let mut v = vec![-800_000, -1, 0, 1, 19_000, 2_900_000];
        let mut enc: Vec<[u8; 4]> = v.iter().map(|&d| day(d)).collect();
        enc.sort();
        v.sort();
        assert_eq!(enc.iter().map(|b| undo_day(b)).collect::<Vec<_>>(), v);
    }

    #[test]
    fn strings_order_by_code_point_and_prefix_first() {
        let words = ["", "a", "a\0", "a\0b", "ab", "b", "é", "ü"];
        let mut enc: Vec<Vec<u8>> = words
            .iter()
            .map(|w| {
                let mut k = Vec::new();
                push_string(&mut k, w);
                k
            })
            .collect();
        enc.sort();
        let back: Vec<String> = enc.iter().map(|k| take_string(k).unwrap().0).collect();
        assert_eq!(back, words);
    }

    #[test]
    fn value_entries_round_trip() {
        let k = value_entry(IndexField::Org, "un\0x", -3, 7, "m-1");
        let (s, rest) = take_string(&k[2..]).unwrap();
        assert_eq!(s, "un\0x");
        assert_eq!(take_row(rest), Some((-3, 7, "m-1")));
        assert_eq!(prefix_end(&[1, 0xff]), Some(vec![2]));
    }
}
