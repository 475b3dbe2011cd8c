//! The meeting record of CONTRACT §2 and its parts, as serde types.
//!
//! **Invariant:** this module knows nothing of storage or of the query language; it is the
//! shape users write in `.jsonl` files and read back from `meetql export`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest record the database stores: 16 MiB, a report's full text included. An import
/// refuses a larger record (naming its file and line) and stores nothing of that file.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// An upper bound of the bytes a record takes when stored: each text's bytes plus 10 (its
/// length and presence marks), plus 64 for the fixed fields. Imports compare it with
/// [`MAX_RECORD_BYTES`], so that every record they accept can be read back.
pub(crate) fn stored_size_bound(m: &Meeting) -> usize {
    fn s(t: &str) -> usize {
        t.len() + 10
    }
    fn o(t: &Option<String>) -> usize {
        t.as_deref().map_or(1, s)
    }
    let mut n = 64 + s(&m.id) + o(&m.city) + o(&m.country) + o(&m.summary) + o(&m.text);
    n += o(&m.source.publisher) + o(&m.source.doc) + o(&m.source.url);
    for p in &m.participants {
        n += 4 + s(&p.name) + o(&p.title) + o(&p.org) + o(&p.country);
    }
    for list in [&m.orgs, &m.countries, &m.topics] {
        n += 10 + list.iter().map(|t| s(t)).sum::<usize>();
    }
    n
}

/// One meeting fact: who met whom, when, where, about what, according to which source.
///
/// ```
/// let m: meetql::Meeting = serde_json::from_str(
///     r#"{"id": "m-1", "date": "2024-01", "orgs": ["UNRCCA"]}"#).unwrap();
/// assert_eq!(m.date.to_string(), "2024-01");
/// assert_eq!(m.kind, meetql::Kind::Meeting);
/// ```
///
/// The storage codec's `MeetingView` mirrors these fields and their serde attributes, in this
/// order, to read stored records in place: a change here is a change there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Stable identifier; derived from the content when absent (see [`Meeting::derive_id`]).
    #[serde(default, deserialize_with = "null_default", serialize_with = "as_some")]
    pub id: String,
    /// The meeting's date, possibly partial.
    pub date: PartialDate,
    /// "meeting" (default), "call" or "video".
    #[serde(default, deserialize_with = "null_default", serialize_with = "as_some")]
    pub kind: Kind,
    /// City where it took place.
    #[serde(default)]
    pub city: Option<String>,
    /// Host country.
    #[serde(default)]
    pub country: Option<String>,
    /// The people who met.
    #[serde(default, deserialize_with = "null_default", serialize_with = "as_some")]
    pub participants: Vec<Participant>,
    /// Organisations involved (acronym or full name).
    #[serde(default, deserialize_with = "null_default", serialize_with = "as_some")]
    pub orgs: Vec<String>,
    /// Countries involved (host included).
    #[serde(default, deserialize_with = "null_default", serialize_with = "as_some")]
    pub countries: Vec<String>,
    /// What was discussed.
    #[serde(default, deserialize_with = "null_default", serialize_with = "as_some")]
    pub topics: Vec<String>,
    /// Where the fact comes from.
    #[serde(default, deserialize_with = "null_default", serialize_with = "as_some")]
    pub source: Source,
    /// One or two sentences.
    #[serde(default)]
    pub summary: Option<String>,
    /// Full text of the report, when imported from one.
    #[serde(default)]
    pub text: Option<String>,
}

/// One participant of a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Full name as reported.
    pub name: String,
    /// Title or position.
    #[serde(default)]
    pub title: Option<String>,
    /// Organisation the participant acted for.
    #[serde(default)]
    pub org: Option<String>,
    /// Country the participant acted for.
    #[serde(default)]
    pub country: Option<String>,
}

/// Provenance of a meeting fact.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The outlet ("Trend").
    #[serde(default)]
    pub publisher: Option<String>,
    /// The document it was imported from.
    #[serde(default)]
    pub doc: Option<String>,
    /// Where it can be read.
    #[serde(default)]
    pub url: Option<String>,
}

/// The kind of a meeting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// In person (the default).
    #[default]
    Meeting,
    /// A phone call.
    Call,
    /// A videoconference.
    Video,
}

impl Kind {
    /// The contract's spelling: "meeting", "call" or "video".
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Meeting => "meeting",
            Kind::Call => "call",
            Kind::Video => "video",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Writes a value as `Some(value)`, the mirror of `null_default`: JSON output is unchanged and
/// non-self-describing formats (the storage codec) read back what they wrote.
fn as_some<S: Serializer, T: Serialize>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_some(v)
}

/// Reads a value written by `as_some`, or JSON's `null`, as the type's default.
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A date known to the year, the month or the day: `2024`, `2024-01` or `2024-01-17`.
///
/// A partial date stands for an interval of days (`2024-01` is January 2024); it orders by the
/// start of that interval, then by its end.
///
/// ```
/// use meetql::PartialDate;
/// let d: PartialDate = "2024-02".parse().unwrap();
/// assert_eq!(d.end(), "2024-02-29".parse::<PartialDate>().unwrap().start());
/// assert!("2023-02-29".parse::<PartialDate>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The year, 1..=9999.
    pub year: u16,
    /// The month, 1..=12, when known.
    pub month: Option<u8>,
    /// The day of the month, when known (then `month` is known too).
    pub day: Option<u8>,
}

/// Why a date failed to parse; the message says what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// Byte offset, in the date text, of the part that is wrong.
    pub offset: usize,
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

/// Days in `month` of `year` in the proleptic Gregorian calendar.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_leap(y: u16) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe as i32 - 719468
}

/// The civil date (year, month, day) of a day number since 1970-01-01: the inverse of
/// [`days_from_civil`] (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days as i64 + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    ((if m <= 2 { y + 1 } else { y }) as i32, m as u32, day as u32)
}

impl PartialDate {
    /// A date from its parts, checked: month 1..=12, a day that exists in that month.
    pub fn new(year: u16, month: Option<u8>, day: Option<u8>) -> Result<Self, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError { offset: 0, message: format!("year {year} is out of range 0001..9999") });
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateError { offset: 5, message: format!("month {m:02} does not exist (expected 01..12)") });
            }
            if let Some(d) = day {
                let max = days_in_month(year, m);
                if d == 0 || d > max {
                    return Err(DateError {
                        offset: 8,
                        message: format!("day {d:02} does not exist in {year:04}-{m:02} (expected 01..{max:02})"),
                    });
                }
            }
        } else if day.is_some() {
            return Err(DateError { offset: 0, message: "a day needs a month".into() });
        }
        Ok(PartialDate { year, month, day })
    }

    /// First day of the interval, as days since 1970-01-01.
    pub fn start(&self) -> i32 {
        days_from_civil(self.year as i32, self.month.unwrap_or(1) as u32, self.day.unwrap_or(1) as u32)
    }

    /// Last day of the interval, as days since 1970-01-01.
    pub fn end(&self) -> i32 {
        match (self.month, self.day) {
            (Some(m), Some(d)) => days_from_civil(self.year as i32, m as u32, d as u32),
            (Some(m), None) => days_from_civil(self.year as i32, m as u32, days_in_month(self.year, m) as u32),
            _ => days_from_civil(self.year as i32, 12, 31),
        }
    }

    /// `"2024"` or `"2024-01"`: the `by month` bucket of this date.
    pub fn month_bucket(&self) -> String {
        match self.month {
            Some(m) => format!("{:04}-{:02}", self.year, m),
            None => format!("{:04}", self.year),
        }
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.start(), self.end()).cmp(&(other.start(), other.end()))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    /// Parses exactly `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Self, DateError> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b.get(r.clone())
                .filter(|x| x.iter().all(u8::is_ascii_digit))
                .map(|x| x.iter().fold(0u32, |a, d| a * 10 + (d - b'0') as u32))
        };
        let shape =
            || DateError { offset: 0, message: format!("'{s}' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)") };
        let year = digits(0..4).ok_or_else(shape)? as u16;
        let (month, day) = match b.len() {
            4 => (None, None),
            7 if b[4] == b'-' => (Some(digits(5..7).ok_or_else(shape)? as u8), None),
            10 if b[4] == b'-' && b[7] == b'-' => {
                (Some(digits(5..7).ok_or_else(shape)? as u8), Some(digits(8..10).ok_or_else(shape)? as u8))
            }
            _ => return Err(shape()),
        };
        PartialDate::new(year, month, day)
            .map_err(|e| DateError { message: format!("invalid date {s}: {}", e.message), ..e })
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Meeting {
    /// A stable id derived from the record's content (all fields but `id`): `m-` and 16 hex
    /// digits of a 64-bit FNV-1a hash of its canonical JSON. The same content always gives the
    /// same id, across runs and versions.
    pub fn derive_id(&self) -> String {
        let mut copy = self.clone();
        copy.id = String::new();
        let json = serde_json::to_string(&copy).expect("a meeting always serializes");
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in json.as_bytes() {
            h ^= *b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("m-{h:016x}")
    }

    /// Fills in a derived id when the record has none.
    pub fn ensure_id(&mut self) {
        if self.id.trim().is_empty() {
            self.id = self.derive_id();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_are_intervals() {
        let y: PartialDate = "2024".parse().unwrap();
        assert_eq!(y.start(), days_from_civil(2024, 1, 1));
        assert_eq!(y.end(), days_from_civil(2024, 12, 31));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        let d: PartialDate = "2024-02-29".parse().unwrap();
        assert_eq!(d.start(), d.end());
    }

    #[test]
    fn invalid_dates_are_rejected() {
        for bad in ["2024-13", "2023-02-29", "2024-00", "2024-04-31", "24-01", "2024-1", "0000", "2024-01-1"] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = serde_json::from_str::<Meeting>(r#"{"date":"2024","sumary":"x"}"#).unwrap_err();
        assert!(e.to_string().contains("sumary"), "{e}");
    }

    #[test]
    fn nulls_mean_empty() {
        let m: Meeting = serde_json::from_str(r#"{"date":"2024","orgs":null,"source":null,"kind":null}"#).unwrap();
        assert!(m.orgs.is_empty());
        assert_eq!(m.kind, Kind::Meeting);
    }

    #[test]
    fn derived_ids_are_stable() {
        let m: Meeting = serde_json::from_str(r#"{"date":"2024","orgs":["UN"]}"#).unwrap();
        assert_eq!(m.derive_id(), m.clone().derive_id());
        assert!(m.derive_id().starts_with("m-"));
    }
}
