//! The record codec: the one place that knows records are bincode.
//!
//! bincode is unmaintained upstream; swapping it means changing this file only. Decoding has a
//! size limit so that a damaged value cannot make us allocate without bound.
//!
//! Scans read records in place ([`with_view`]): a [`MeetingView`] borrows its strings from the
//! stored bytes, so testing a filter allocates nothing, and only matches become [`Meeting`]s.
//!
//! **Guarantee** (scans rely on it, see [`stores_verbatim`]): every string of a record appears
//! in its encoded bytes as its UTF-8 bytes, unchanged and contiguous.

use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::fields::{MeetingField, MeetingParts, ParticipantParts};
use crate::model::{null_default, Kind, Meeting, PartialDate, Participant, Source};

pub use crate::model::MAX_RECORD_BYTES;

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_RECORD_BYTES>()
}

/// Whether every value of `field` (as [`MeetingField::values`] lists them) is a string of the
/// record stored verbatim in its encoded bytes, so that a scan may rule a record out by
/// searching its bytes for text its filter needs. Not `kind`, stored as a number, nor `date`.
pub(crate) fn stores_verbatim(field: MeetingField) -> bool {
    !matches!(field, MeetingField::Kind | MeetingField::Date)
}

/// Encodes a record for storage.
/// A record over [`MAX_RECORD_BYTES`] is refused: it could never be read back. (Imports refuse
/// it earlier, by [`crate::model::stored_size_bound`], naming its file and line.)
pub fn encode(m: &Meeting) -> Result<Vec<u8>, String> {
    let bytes =
        bincode::serde::encode_to_vec(m, config()).map_err(|e| format!("cannot encode record {}: {e}", m.id))?;
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(format!(
            "record {} of {} bytes is larger than the limit of {MAX_RECORD_BYTES}",
            crate::error::shorten(&m.id),
            bytes.len()
        ));
    }
    Ok(bytes)
}

/// Decodes a stored record, refusing trailing bytes and oversized values: read in place, then
/// copied ([`MeetingView::to_meeting`]), which gives what [`decode_owned`] gives with its errors.
/// bincode's own `String` decode allocates each string zeroed, then copies into it; on a
/// one-shot query returning 87,809 records of 1M, that was 1.8M zeroed allocations, about 6% of
/// the process's instructions.
pub fn decode(bytes: &[u8]) -> Result<Meeting, String> {
    with_view(bytes, |v| v.to_meeting())
}

/// Decodes a stored record with serde's owned path, refusing trailing bytes and oversized
/// values: the reference [`decode`] and the views are tested against, and the source of what a
/// damaged record's error says.
fn decode_owned(bytes: &[u8]) -> Result<Meeting, String> {
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(format!("stored record of {} bytes exceeds the limit", bytes.len()));
    }
    let (m, used): (Meeting, usize) =
        bincode::serde::decode_from_slice(bytes, config()).map_err(|e| format!("damaged record: {e}"))?;
    if used != bytes.len() {
        return Err(format!("damaged record: {} trailing bytes", bytes.len() - used));
    }
    Ok(m)
}

/// A [`Meeting`] read in place from its stored (bincode) bytes, strings borrowed: the same
/// fields in the same order with the same serde attributes, so it decodes the very bytes a
/// `Meeting` encodes to. A scan tests its filter on the view and builds the owned record only
/// for rows that match. Not for self-describing formats such as JSON, whose escaped strings
/// cannot be borrowed.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MeetingView<'a> {
    /// See [`Meeting::id`].
    #[serde(borrow, default, deserialize_with = "null_default")]
    pub id: StoredStr<'a>,
    /// See [`Meeting::date`].
    #[serde(deserialize_with = "borrowed_date")]
    pub date: PartialDate,
    /// See [`Meeting::kind`].
    #[serde(default, deserialize_with = "null_default")]
    pub kind: Kind,
    /// See [`Meeting::city`].
    #[serde(borrow, default)]
    pub city: Option<StoredStr<'a>>,
    /// See [`Meeting::country`].
    #[serde(borrow, default)]
    pub country: Option<StoredStr<'a>>,
    /// See [`Meeting::participants`].
    #[serde(borrow, default, deserialize_with = "null_default")]
    pub participants: Vec<ParticipantView<'a>>,
    /// See [`Meeting::orgs`].
    #[serde(borrow, default, deserialize_with = "null_default")]
    pub orgs: Vec<StoredStr<'a>>,
    /// See [`Meeting::countries`].
    #[serde(borrow, default, deserialize_with = "null_default")]
    pub countries: Vec<StoredStr<'a>>,
    /// See [`Meeting::topics`].
    #[serde(borrow, default, deserialize_with = "null_default")]
    pub topics: Vec<StoredStr<'a>>,
    /// See [`Meeting::source`].
    #[serde(borrow, default, deserialize_with = "null_default")]
    pub source: SourceView<'a>,
    /// See [`Meeting::summary`].
    #[serde(borrow, default)]
    pub summary: Option<StoredStr<'a>>,
    /// See [`Meeting::text`].
    #[serde(borrow, default)]
    pub text: Option<StoredStr<'a>>,
}

impl MeetingView<'_> {
    /// The owned record: what decoding the same bytes as a [`Meeting`] gives (every string is
    /// read, so one that is not UTF-8 is noticed; see [`StoredStr::as_str`]).
    pub fn to_meeting(&self) -> Meeting {
        let s = |x: &Option<StoredStr<'_>>| x.map(|s| s.as_str().to_string());
        let all = |x: &[StoredStr<'_>]| x.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>();
        // No `..`: a field added to `Meeting` fails to compile here until the view has it too.
        Meeting {
            id: self.id.as_str().into(),
            date: self.date,
            kind: self.kind,
            city: s(&self.city),
            country: s(&self.country),
            participants: self
                .participants
                .iter()
                .map(|p| Participant {
                    name: p.name.as_str().into(),
                    title: s(&p.title),
                    org: s(&p.org),
                    country: s(&p.country),
                })
                .collect(),
            orgs: all(&self.orgs),
            countries: all(&self.countries),
            topics: all(&self.topics),
            source: Source { publisher: s(&self.source.publisher), doc: s(&self.source.doc), url: s(&self.source.url) },
            summary: s(&self.summary),
            text: s(&self.text),
        }
    }
}

/// A [`Participant`] borrowed from stored bytes (see [`MeetingView`]).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ParticipantView<'a> {
    /// See [`Participant::name`].
    #[serde(borrow)]
    pub name: StoredStr<'a>,
    /// See [`Participant::title`].
    #[serde(borrow, default)]
    pub title: Option<StoredStr<'a>>,
    /// See [`Participant::org`].
    #[serde(borrow, default)]
    pub org: Option<StoredStr<'a>>,
    /// See [`Participant::country`].
    #[serde(borrow, default)]
    pub country: Option<StoredStr<'a>>,
}

/// A [`Source`] borrowed from stored bytes (see [`MeetingView`]).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SourceView<'a> {
    /// See [`Source::publisher`].
    #[serde(borrow, default)]
    pub publisher: Option<StoredStr<'a>>,
    /// See [`Source::doc`].
    #[serde(borrow, default)]
    pub doc: Option<StoredStr<'a>>,
    /// See [`Source::url`].
    #[serde(borrow, default)]
    pub url: Option<StoredStr<'a>>,
}

/// A string of a [`MeetingView`]: the bytes of a stored string, borrowed, checked to be UTF-8
/// only when read ([`StoredStr::as_str`]). A scan reads a few fields of every record; checking
/// every string of every record cost it a sixth of its time. It decodes from the bytes a
/// `String` encodes to: bincode writes strings and byte strings alike.
#[derive(Clone, Copy, Default)]
pub(crate) struct StoredStr<'a>(&'a [u8]);

thread_local! {
    /// Whether [`StoredStr::as_str`] has met bytes that are not UTF-8 since
    /// [`take_not_utf8`] last looked.
    static NOT_UTF8: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a [`StoredStr`] read on this thread since the last call was not UTF-8 (a damaged
/// record); clears the mark.
pub(crate) fn take_not_utf8() -> bool {
    NOT_UTF8.replace(false)
}

impl<'a> StoredStr<'a> {
    /// The string; `""` for bytes that are not UTF-8, which only damage makes and which marks
    /// the damage for [`take_not_utf8`] ([`with_view`] then fails).
    pub fn as_str(self) -> &'a str {
        std::str::from_utf8(self.0).unwrap_or_else(|_| {
            NOT_UTF8.set(true);
            ""
        })
    }
}

impl AsRef<str> for StoredStr<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for StoredStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&String::from_utf8_lossy(self.0), f)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for StoredStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Bytes;
        impl<'de> serde::de::Visitor<'de> for Bytes {
            type Value = &'de [u8];
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a borrowed string")
            }
            fn visit_borrowed_bytes<E: serde::de::Error>(self, v: &'de [u8]) -> Result<&'de [u8], E> {
                Ok(v)
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<&'de [u8], E> {
                Ok(v.as_bytes())
            }
        }
        d.deserialize_bytes(Bytes).map(StoredStr)
    }
}

/// A date read from a borrowed string: as [`PartialDate`]'s own `Deserialize`, without copying
/// the text.
fn borrowed_date<'de, D: Deserializer<'de>>(d: D) -> Result<PartialDate, D::Error> {
    let s = <&'de str>::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

impl<'a> MeetingParts for MeetingView<'a> {
    type Str = StoredStr<'a>;
    type Part = ParticipantView<'a>;
    fn id(&self) -> &str {
        StoredStr::as_str(self.id)
    }
    fn date(&self) -> PartialDate {
        self.date
    }
    fn kind(&self) -> Kind {
        self.kind
    }
    fn city(&self) -> Option<&str> {
        self.city.map(StoredStr::as_str)
    }
    fn country(&self) -> Option<&str> {
        self.country.map(StoredStr::as_str)
    }
    fn participants(&self) -> &[ParticipantView<'a>] {
        &self.participants
    }
    fn orgs(&self) -> &[StoredStr<'a>] {
        &self.orgs
    }
    fn countries(&self) -> &[StoredStr<'a>] {
        &self.countries
    }
    fn topics(&self) -> &[StoredStr<'a>] {
        &self.topics
    }
    fn source(&self) -> [Option<&str>; 3] {
        [self.source.publisher, self.source.doc, self.source.url].map(|s| s.map(StoredStr::as_str))
    }
    fn summary(&self) -> Option<&str> {
        self.summary.map(StoredStr::as_str)
    }
    fn text(&self) -> Option<&str> {
        self.text.map(StoredStr::as_str)
    }
}

impl ParticipantParts for ParticipantView<'_> {
    fn name(&self) -> &str {
        StoredStr::as_str(self.name)
    }
    fn title(&self) -> Option<&str> {
        self.title.map(StoredStr::as_str)
    }
    fn org(&self) -> Option<&str> {
        self.org.map(StoredStr::as_str)
    }
    fn country(&self) -> Option<&str> {
        self.country.map(StoredStr::as_str)
    }
}

/// Decodes a stored record in place, its strings borrowed from `bytes` and not yet checked
/// to be UTF-8 (see [`with_view`]): the same bytes and the same checks of their structure as
/// [`decode`], with its errors, without allocating a string.
fn decode_view(bytes: &[u8]) -> Result<MeetingView<'_>, String> {
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(format!("stored record of {} bytes exceeds the limit", bytes.len()));
    }
    match bincode::serde::borrow_decode_from_slice::<MeetingView<'_>, _>(bytes, config()) {
        Ok((m, used)) if used == bytes.len() => Ok(m),
        // Damage is rare: say what the owned decode says about it.
        _ => Err(damage(bytes)),
    }
}

/// What [`decode_owned`] says about a damaged record.
fn damage(bytes: &[u8]) -> String {
    decode_owned(bytes).err().unwrap_or_else(|| "damaged record".into())
}

/// Reads a stored record in place and hands it to `f`: a filter tested without allocating a
/// string. Fails as [`decode`] does on a record whose structure is damaged, or whose strings
/// that `f` read are not UTF-8; strings `f` does not read are not checked (a record to return
/// is copied by [`MeetingView::to_meeting`] inside `f`, which reads them all).
pub(crate) fn with_view<R>(bytes: &[u8], f: impl FnOnce(&MeetingView<'_>) -> R) -> Result<R, String> {
    let view = decode_view(bytes)?;
    take_not_utf8();
    let r = f(&view);
    if take_not_utf8() {
        return Err(damage(bytes));
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_size_bound_is_never_below_the_stored_size() {
        // Imports refuse records by the bound; it must cover what the codec writes.
        let mut m: crate::Meeting = serde_json::from_str(r#"{"id":"m-1","date":"2024-01-17"}"#).unwrap();
        for i in 0..50 {
            m.orgs.push(String::new());
            m.topics.push("t".repeat(i));
            m.participants.push(crate::Participant {
                name: "n".repeat(i * 3),
                title: None,
                org: Some(String::new()),
                country: None,
            });
        }
        m.text = Some("é".repeat(1000));
        let stored = encode(&m).unwrap().len();
        assert!(crate::model::stored_size_bound(&m) >= stored, "{} < {stored}", crate::model::stored_size_bound(&m));
    }

    use super::*;

    #[test]
    fn round_trips_and_rejects_garbage() {
        let m: Meeting = serde_json::from_str(
            r#"{"id":"x","date":"2024-01","participants":[{"name":"Wang Yi"}],"orgs":["SCO"],"text":"t"}"#,
        )
        .unwrap();
        let b = encode(&m).unwrap();
        assert_eq!(decode(&b).unwrap(), m);
        assert!(decode(&b[..b.len() - 1]).is_err());
        assert!(decode(&[0xff; 40]).is_err());
        let mut longer = b.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
    }

    fn owned(v: &MeetingView<'_>) -> Meeting {
        v.to_meeting()
    }

    #[test]
    fn views_read_every_generated_record_as_the_owned_decode_does() {
        let mut n = 0;
        for m in crate::gen::generate_meetings(20_000, 11) {
            let b = encode(&m).unwrap();
            let from_owned = decode_owned(&b).unwrap();
            assert_eq!(from_owned, m);
            assert_eq!(decode(&b).as_ref(), Ok(&m));
            assert_eq!(with_view(&b, owned), Ok(m));
            n += 1;
        }
        assert_eq!(n, 20_000);
    }

    /// The guarantee scans rely on: every value of a verbatim field, and every participant's
    /// value, lies in the encoded bytes as it is.
    #[test]
    fn strings_are_stored_verbatim() {
        use crate::fields::ParticipantField;
        let odd: Meeting =
            serde_json::from_str(r#"{"date":"2024","kind":"call","city":"İ\u212A","text":"é\n\"x\"","orgs":["日本"]}"#)
                .unwrap();
        for m in crate::gen::generate_meetings(2_000, 3).chain([odd]) {
            let b = encode(&m).unwrap();
            let within = |v: &str| b.windows(v.len().max(1)).any(|w| w == v.as_bytes());
            for f in MeetingField::ALL.into_iter().filter(|f| stores_verbatim(*f)) {
                for v in f.values(&m) {
                    assert!(within(v), "{f:?} {v:?} in {}", m.id);
                }
            }
            for p in &m.participants {
                for f in ParticipantField::ALL {
                    assert!(f.value(p).is_none_or(within), "{f:?} of {}", m.id);
                }
            }
        }
        // What is not stored as text: the kind.
        let call: Meeting = serde_json::from_str(r#"{"date":"2024","kind":"call"}"#).unwrap();
        assert!(!stores_verbatim(MeetingField::Kind) && !encode(&call).unwrap().windows(4).any(|w| w == b"call"));
    }

    #[test]
    fn views_read_every_field_kind_and_default() {
        let full: Meeting = serde_json::from_str(
            r#"{"id":"m-Σ","date":"2024-02-29","kind":"video","city":"İstanbul","country":"Türkiye",
                "participants":[{"name":"Ayşe","title":"","org":"\u212Aelvin Org","country":null},{"name":"B"}],
                "orgs":["OSCE",""],"countries":["日本"],"topics":[" trade "],
                "source":{"publisher":"P","doc":null,"url":"https://x"},"summary":"s","text":"long text"}"#,
        )
        .unwrap();
        let bare: Meeting = serde_json::from_str(r#"{"date":"1999","kind":null,"orgs":null,"source":null}"#).unwrap();
        let long = Meeting { text: Some("wörd ".repeat(10_000)), ..bare.clone() };
        for m in [full, bare, long] {
            assert_eq!(with_view(&encode(&m).unwrap(), owned), Ok(m));
        }
    }

    /// A damaged record is refused by a view read whole exactly when the owned decode refuses
    /// it, with the same message.
    #[test]
    fn views_refuse_damage_as_the_owned_decode_does() {
        let m: Meeting = serde_json::from_str(
            r#"{"id":"x","date":"2024-01","city":"Aşgabat","participants":[{"name":"Wang Yi","org":"ß"}],"orgs":["SCO"],"text":"t"}"#,
        )
        .unwrap();
        let b = encode(&m).unwrap();
        let mut cases: Vec<Vec<u8>> = (0..b.len()).map(|n| b[..n].to_vec()).collect();
        for i in 0..b.len() {
            for x in [0x00, 0x01, 0x41, 0x7f, 0x80, 0xc3, 0xff] {
                let mut c = b.clone();
                c[i] = x;
                cases.push(c);
            }
        }
        let mut refused = 0;
        for c in &cases {
            assert_eq!(decode(c), decode_owned(c));
            match (decode_owned(c), with_view(c, owned)) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(a), Err(b)) => {
                    assert_eq!(a, b);
                    refused += 1;
                }
                (a, b) => panic!("owned {a:?}, view {b:?} for {c:?}"),
            }
        }
        // Some of them must be damage the decoders see, and some of it bad UTF-8.
        assert!(refused > b.len(), "{refused}");
        assert!(cases.iter().any(|c| decode_owned(c).is_err_and(|e| e.contains("Utf8"))));
    }

    /// Strings the reader does not read are not checked: a filter on `text` passes over a
    /// record whose city is damaged; one on `city` fails as the owned decode does.
    #[test]
    fn views_check_only_the_strings_read() {
        let m: Meeting = serde_json::from_str(r#"{"id":"x","date":"2024-01","city":"Aşgabat","text":"t"}"#).unwrap();
        let mut b = encode(&m).unwrap();
        let at = b.windows(2).position(|w| w == "ş".as_bytes()).unwrap();
        b[at + 1] = b'A';
        let err = decode_owned(&b).unwrap_err();
        assert_eq!(decode(&b), Err(err.clone()));
        assert_eq!(with_view(&b, |v| v.text.map(|s| s.as_str().len())), Ok(Some(1)));
        assert_eq!(with_view(&b, |v| v.city.map(|s| s.as_str().len())), Err(err));
        // The mark of damage does not outlive the read that found it.
        assert_eq!(with_view(&b, |v| v.id.as_str().len()), Ok(1));
    }
}
