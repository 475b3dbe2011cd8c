//! Meeting facts from plain-text news reports: a deterministic, rule-based extractor with the
//! lexicons it needs shipped in the source (no network, no model).
//!
//! # The genre
//!
//! ```text
//!  date 2024-01-17
//! Optional title line
//!
//! ASHGABAT, Turkmenistan, January 17. First paragraph…, Trend reports.
//!
//! More paragraphs.
//! ```
//!
//! # What is extracted
//!
//! * **Reader** ([`reader`]): the header date (` date YYYY-MM-DD`, a leading space allowed; the
//!   dateline may follow on the same line), an optional title line, the dateline — `CITY,
//!   Country, Month Day.`, `CITY, Mon. Day (Outlet) --`, `CITY (Outlet) -`, `CITY. OUTLET –`,
//!   `City, 12 March 2024 —` — the paragraphs and the publisher (the dateline's outlet or "…,
//!   Trend reports."). A BOM, CRLF or CR line ends, tabs and doubled spaces are accepted.
//! * **Dates**: the header date. Without one, the dateline's date when it gives a year, with a
//!   warning saying so. A dateline without a year and no header date gives **no record**: the
//!   report is skipped ("no year"), since a guessed year would be a record made of guesses. A
//!   meeting sentence saying "on March 3" dates that meeting (with the report's year, or the
//!   year before when the day would fall after the report).
//! * **Meetings**: a sentence reporting one — "met with", "met", "a meeting between/with",
//!   "held talks", "talks with", "received", "hosted", "on the sidelines of", "bilateral
//!   meeting", "courtesy call"; "phone call"/"telephone conversation" give kind `call`,
//!   "videoconference"/"video call"/"video link"/"online meeting" kind `video`. A future or
//!   planned meeting ("will meet", "is expected to", "plans to") is not one. A meeting needs two
//!   named people; a later sentence naming only people of an earlier meeting adds to it.
//!   A report with none is skipped, with the reason in [`Extraction::skipped`].
//! * **Participants** ([`people`]): names with their titles, organisations and countries from
//!   the genre's patterns; later mentions ("Imnadze", "Mr. Imnadze", "the minister") resolve
//!   to the person first named.
//! * **Organisations** ([`orgs`]): "Full Name (ACR)" gives an alias pair (acronym, full name);
//!   each organisation is recorded by acronym and full name, with its parent ("UN") when the
//!   list knows it.
//! * **Place**: "in CITY" in the meeting sentence (a gazetteer city), else the dateline's
//!   city; the country is the city's. Calls and videoconferences have no place.
//! * **Topics** ([`topics`]): the topic lexicon matched on the meeting's sentences (from its
//!   sentence to the next meeting's; the first meeting also takes the lead before it).
//! * **Provenance**: `source.doc` is the path as given, `source.publisher` the outlet,
//!   `summary` the meeting sentence, `text` the report. Ids are derived from the doc and the
//!   meeting's index, so the same report imported twice gives the same ids.
//!
//! # The lexicons ([`lexicons`])
//!
//! * Countries with adjectives, demonyms and other names ("Kazakh", "Turkmen",
//!   "Türkiye"/"Turkey"/"Turkish", "U.S."), and their cities.
//! * Organisations with acronyms: the UN and its agencies (UNRCCA, UNDP, UNODC, UNOCT, WHO…),
//!   OSCE, EU, EBRD, ADB, SCO, CIS, CSTO, EAEU, OTS, CICA, ECO, OIC, NATO, IFAS, CAREC…
//! * Title words (heads: President, Minister, Ambassador, Special Representative, Head,
//!   Chairman, Secretary-General, Director…; modifiers: Deputy, Foreign, First, Special…).
//! * Topics: security, counter-terrorism, preventive diplomacy, trade, investment, energy,
//!   water, climate, education, health, transport, agriculture, culture, digital,
//!   Afghanistan, migration, human rights, border, sustainable development, drugs, women.
//!
//! ```
//! let text = " date 2024-03-05 ASTANA, Kazakhstan, March 5. Kazakh Foreign Minister Murat Nurtleu \
//!             met with OSCE Secretary General Feridun Sinirlioğlu to discuss regional security.";
//! let x = meetql::ingest::report::extract("reports/a.txt", text);
//! let m = &x.meetings[0];
//! assert_eq!(m.date.to_string(), "2024-03-05");
//! assert_eq!(m.city.as_deref(), Some("Astana"));
//! assert_eq!(m.participants[1].org.as_deref(), Some("OSCE"));
//! assert_eq!(m.topics, ["security"]);
//! ```

pub mod eval;
pub mod gazetteer;
pub mod lexicons;
pub mod orgs;
pub mod people;
pub mod reader;
pub mod sentences;
pub mod topics;

use crate::model::{Kind, Meeting, PartialDate, Participant, Source};
use lexicons::Lexicon;
use orgs::{Ent, OrgRef, Span};
use people::{Mention, Role};
use sentences::Token;

/// What a report gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    /// The meetings, in the report's order.
    pub meetings: Vec<Meeting>,
    /// The report's "Full Name (ACR)" definitions: (acronym, full name).
    pub aliases: Vec<(String, String)>,
    /// Why the report gave no meeting, when it gave none.
    pub skipped: Option<String>,
    /// Things a reader should know ("no header date; the date is the dateline's").
    pub warnings: Vec<String>,
}

/// A person of the report.
#[derive(Debug, Clone, Default)]
struct Person {
    name: String,
    role: Role,
}

impl Person {
    fn last(&self) -> &str {
        self.name.rsplit(' ').next().unwrap_or(&self.name)
    }
}

/// One analysed sentence.
struct Sent<'a> {
    text: &'a str,
    toks: Vec<Token<'a>>,
    spans: Vec<Span>,
    /// Indexes into the person list, in order of mention.
    people: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    None,
    Future,
    Meeting(Kind),
}

const CALL: &[&str] = &[
    "phone call",
    "telephone call",
    "telephone conversation",
    "phone conversation",
    "telephone talks",
    "phone talks",
    "by phone",
    "by telephone",
    "over the phone",
];
const VIDEO: &[&str] = &[
    "videoconference",
    "video conference",
    "video-conference",
    "video call",
    "video link",
    "videolink",
    "online meeting",
    "virtual meeting",
    "online talks",
    "via video",
];
const MEETING: &[&str] = &[
    "met with",
    " met ",
    "meeting between",
    "meeting with",
    "held talks",
    "held a meeting",
    "talks with",
    "talks between",
    "bilateral meeting",
    "on the sidelines of",
    "courtesy call",
    "sat down with",
    "hosted",
    "received",
];
const FUTURE: &[&str] = &[
    "will meet",
    "will hold",
    "will receive",
    "will host",
    "is expected to",
    "are expected to",
    "is scheduled to",
    "are scheduled to",
    "plans to",
    "planned to",
    "is to meet",
    "are to meet",
    "to be held",
    "is due to",
    "will visit",
    "next week",
];

fn trigger(sentence: &str) -> Trigger {
    let lower = format!(" {} ", sentence.to_lowercase());
    let kind = if CALL.iter().any(|w| lower.contains(w)) {
        Some(Kind::Call)
    } else if VIDEO.iter().any(|w| lower.contains(w)) {
        Some(Kind::Video)
    } else if MEETING.iter().any(|w| match *w {
        "received" | "hosted" => received_someone(&lower, w),
        w => lower.contains(w),
    }) {
        Some(Kind::Meeting)
    } else {
        None
    };
    let future = FUTURE.iter().any(|w| lower.contains(w));
    match kind {
        None if future && ["meet", "talks", "visit"].iter().any(|w| lower.contains(w)) => Trigger::Future,
        None => Trigger::None,
        Some(_) if future => Trigger::Future,
        Some(k) => Trigger::Meeting(k),
    }
}

/// "received"/"hosted" report a meeting when a person or a delegation follows, not a letter.
fn received_someone(lower: &str, word: &str) -> bool {
    lower.match_indices(word).any(|(at, _)| {
        let after = lower[at + word.len()..].trim_start();
        let next: Vec<&str> = after.split(|c: char| !c.is_alphanumeric() && c != '-').take(4).collect();
        const NOT: &[&str] = &["letter", "message", "messages", "telegram", "award", "invitation", "support"];
        let article = (next.first() == Some(&"a") || next.first() == Some(&"an")) && next.get(1) != Some(&"delegation");
        !next.is_empty()
            && !NOT.contains(&next[0])
            && !article
            && !next.iter().take(3).any(|w| ["letter", "message", "congratulations", "award"].contains(w))
    })
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !s.is_empty() && !v.iter().any(|x| x.eq_ignore_ascii_case(s)) {
        v.push(s.to_string());
    }
}

fn push_org(v: &mut Vec<String>, o: &OrgRef) {
    if let Some(a) = &o.acronym {
        push_unique(v, a);
    }
    if let Some(f) = &o.full {
        push_unique(v, f);
    }
    if let Some(p) = &o.parent {
        push_unique(v, p);
    }
}

/// Extracts the meetings a report describes. `doc` names it in `source.doc` and seeds the ids.
pub fn extract(doc: &str, text: &str) -> Extraction {
    let lex = Lexicon::get();
    let report = reader::read(text);
    let mut x = Extraction::default();

    // The date.
    let date = match (&report.header_date, &report.dateline) {
        (Some(d), dl) => {
            if let Some(dl) = dl {
                if let (Some(m), Some(day)) = (dl.month, dl.day) {
                    if (Some(m), Some(day)) != (d.month, d.day) {
                        x.warnings.push(format!(
                            "the dateline says {}-{:02}-{:02} but the header says {d}; the header's date is used",
                            d.year, m, day
                        ));
                    }
                }
            }
            *d
        }
        (None, Some(dl)) => match (dl.year, dl.month, dl.day) {
            (Some(y), m, day) => match PartialDate::new(y, m, day) {
                Ok(d) => {
                    x.warnings.push(format!("no header date; the date {d} is taken from the dateline"));
                    d
                }
                Err(e) => {
                    x.skipped = Some(format!("no header date and the dateline's date is invalid: {e}"));
                    return x;
                }
            },
            (None, Some(_), _) => {
                x.skipped = Some("no header date and the dateline gives no year: the date is unknown".into());
                return x;
            }
            (None, None, _) => {
                x.skipped = Some("no header date and no date in the dateline: the date is unknown".into());
                return x;
            }
        },
        (None, None) => {
            x.skipped = Some("no header date and no dateline: the date is unknown".into());
            return x;
        }
    };

    // Sentences, aliases, entities.
    let mut raw: Vec<&str> = Vec::new();
    for p in &report.paragraphs {
        raw.extend(sentences::split(p));
    }
    let mut sents: Vec<Sent<'_>> = raw
        .iter()
        .map(|s| Sent { text: s, toks: sentences::tokens(s), spans: Vec::new(), people: Vec::new() })
        .collect();
    for s in &sents {
        for d in orgs::definitions(&s.toks) {
            if !x.aliases.contains(&d) {
                x.aliases.push(d);
            }
        }
    }
    for s in &mut sents {
        s.spans = orgs::entities(&s.toks, lex, &x.aliases);
    }

    // People: full names first, then one-word mentions resolved against them.
    let mut persons: Vec<Person> = Vec::new();
    let mut per_sentence: Vec<(Vec<Mention>, Vec<Mention>)> = Vec::new();
    for s in &sents {
        per_sentence.push(people::mentions(&s.toks, &s.spans, lex));
    }
    let find = |persons: &[Person], name: &str| -> Option<usize> {
        let words: Vec<&str> = name.split(' ').collect();
        let last = *words.last()?;
        persons.iter().position(|p| p.name.eq_ignore_ascii_case(name)).or_else(|| {
            persons.iter().position(|p| {
                p.last().eq_ignore_ascii_case(last)
                    && (words.len() == 1 || {
                        let pw: Vec<&str> = p.name.split(' ').collect();
                        words.iter().all(|w| pw.contains(w)) || pw.iter().all(|w| words.contains(w))
                    })
            })
        })
    };
    for (si, s) in sents.iter_mut().enumerate() {
        let (names, singles) = &per_sentence[si];
        let mut all: Vec<(Mention, usize)> = Vec::new();
        for m in names {
            let idx = match find(&persons, &m.name) {
                Some(i) => i,
                None => {
                    persons.push(Person { name: m.name.clone(), role: Role::default() });
                    persons.len() - 1
                }
            };
            all.push((m.clone(), idx));
        }
        for m in singles {
            if let Some(i) = find(&persons, &m.name) {
                all.push((m.clone(), i));
            }
        }
        all.sort_by_key(|(m, _)| m.start);
        let mentioned: Vec<Mention> = all.iter().map(|(m, _)| m.clone()).collect();
        for (m, idx) in &all {
            let before = people::phrase_before(&s.toks, m, &s.spans, &mentioned)
                .map(|(a, b)| people::role(&s.toks, a, b, &s.spans))
                .filter(|r| r.title.is_some());
            let role = before.or_else(|| {
                people::phrase_after(&s.toks, m, &s.spans, &mentioned)
                    .map(|(a, b)| people::role(&s.toks, a, b, &s.spans))
                    .filter(|r| r.title.is_some())
            });
            if let Some(r) = role {
                let p = &mut persons[*idx];
                if p.role.title.is_none() {
                    p.role.title = r.title;
                }
                if p.role.org.is_none() {
                    p.role.org = r.org;
                }
                if p.role.country.is_none() {
                    p.role.country = r.country;
                }
            }
            if !s.people.contains(idx) {
                s.people.push(*idx);
            }
        }
    }

    // Meetings.
    struct Draft {
        first: usize,
        kind: Kind,
        people: Vec<usize>,
        sentences: Vec<usize>,
    }
    let mut drafts: Vec<Draft> = Vec::new();
    let mut short: Option<String> = None;
    let mut future = false;
    for (si, s) in sents.iter().enumerate() {
        let kind = match trigger(s.text) {
            Trigger::Meeting(k) => k,
            Trigger::Future => {
                future = true;
                continue;
            }
            Trigger::None => continue,
        };
        let mut ps = s.people.clone();
        // "the minister", "the ambassador": someone already named with that title.
        if ps.len() < 2 {
            let lower = s.text.to_lowercase();
            for (i, p) in persons.iter().enumerate() {
                if ps.contains(&i) {
                    continue;
                }
                let Some(t) = &p.role.title else { continue };
                let head = t.split(' ').rev().find(|w| lexicons::is_title_head(&w.to_lowercase()));
                if let Some(h) = head {
                    let refers = format!("the {}", h.to_lowercase());
                    let unique = persons
                        .iter()
                        .filter(|q| {
                            q.role.title.as_deref().is_some_and(|qt| qt.to_lowercase().contains(&h.to_lowercase()))
                        })
                        .count()
                        == 1;
                    if unique && lower.contains(&refers) {
                        ps.push(i);
                    }
                }
            }
        }
        if ps.len() < 2 {
            if short.is_none() {
                short = Some(s.text.to_string());
            }
            continue;
        }
        if let Some(d) = drafts.iter_mut().find(|d| ps.iter().all(|p| d.people.contains(p))) {
            d.sentences.push(si);
            if d.kind == Kind::Meeting && kind != Kind::Meeting {
                d.kind = kind;
            }
            continue;
        }
        drafts.push(Draft { first: si, kind, people: ps, sentences: vec![si] });
    }
    if drafts.is_empty() {
        x.skipped = Some(match (short, future) {
            (Some(s), _) => format!("a meeting is mentioned but fewer than two participants are named: \"{s}\""),
            (None, true) => "only a future or planned meeting is reported".into(),
            (None, false) => {
                "no sentence reports a meeting (met with, held talks, received, phone call, videoconference…)".into()
            }
        });
        return x;
    }

    let dateline_city = report.dateline.as_ref().and_then(|d| d.city.clone());
    let dateline_country = report.dateline.as_ref().and_then(|d| d.country.clone());
    let n = drafts.len();
    for (mi, d) in drafts.iter().enumerate() {
        let s = &sents[d.first];
        let mut m = Meeting {
            id: format!("m-{:016x}", fnv(&format!("{doc}#{mi}"))),
            date: meeting_date(s, date).unwrap_or(date),
            kind: d.kind,
            city: None,
            country: None,
            participants: Vec::new(),
            orgs: Vec::new(),
            countries: Vec::new(),
            topics: Vec::new(),
            source: Source { publisher: report.publisher.clone(), doc: Some(doc.to_string()), url: None },
            summary: Some(s.text.to_string()),
            text: Some(report.text.clone()),
        };
        if d.kind == Kind::Meeting {
            let in_city = s.spans.iter().find_map(|sp| match sp.ent {
                Ent::City(c, k) if sp.start > 0 && s.toks[sp.start - 1].text.eq_ignore_ascii_case("in") => Some((c, k)),
                _ => None,
            });
            match in_city {
                Some((c, k)) => {
                    m.city = Some(c.to_string());
                    m.country = Some(k.to_string());
                }
                None => {
                    m.city = dateline_city.clone();
                    m.country = dateline_country.clone();
                }
            }
        }
        if let Some(c) = &m.country {
            push_unique(&mut m.countries, c);
        }
        for &pi in &d.people {
            let p = &persons[pi];
            m.participants.push(Participant {
                name: p.name.clone(),
                title: p.role.title.clone(),
                org: p.role.org.as_ref().map(|o| o.key().to_string()),
                country: p.role.country.clone(),
            });
            if let Some(c) = &p.role.country {
                push_unique(&mut m.countries, c);
            }
            if let Some(o) = &p.role.org {
                if o.acronym.is_some() {
                    push_org(&mut m.orgs, o);
                }
            }
        }
        for &si in &d.sentences {
            for sp in &sents[si].spans {
                match &sp.ent {
                    Ent::Org(o) => push_org(&mut m.orgs, o),
                    Ent::Country(c) => push_unique(&mut m.countries, c),
                    Ent::City(..) => {}
                }
            }
        }
        // Topics: from this meeting's sentence to the next meeting's.
        let from = if mi == 0 { 0 } else { d.first };
        let to = if mi + 1 < n { drafts[mi + 1].first } else { sents.len() };
        let span_text: Vec<&str> = sents[from..to].iter().map(|s| s.text).collect();
        let mut topic_text = span_text.join(" ");
        if mi == 0 {
            if let Some(t) = &report.title {
                topic_text.push(' ');
                topic_text.push_str(t);
            }
        }
        m.topics = topics::topics(&topic_text);
        x.meetings.push(m);
    }
    x
}

/// "on March 3" / "on 3 March" in the meeting sentence: that day, in the report's year (or the
/// year before, when the day would come after the report).
fn meeting_date(s: &Sent<'_>, report: PartialDate) -> Option<PartialDate> {
    let t = &s.toks;
    for i in 0..t.len().saturating_sub(2) {
        if !t[i].text.eq_ignore_ascii_case("on") {
            continue;
        }
        let (m, d) = match (lexicons::month_number(t[i + 1].text), lexicons::month_number(t[i + 2].text)) {
            (Some(m), _) => (m, t[i + 2].text.parse::<u8>().ok()?),
            (None, Some(m)) => (m, t[i + 1].text.parse::<u8>().ok()?),
            _ => continue,
        };
        let mut year = report.year;
        let candidate = PartialDate::new(year, Some(m), Some(d)).ok()?;
        if candidate > report && report.day.is_some() {
            year -= 1;
        }
        return PartialDate::new(year, Some(m), Some(d)).ok();
    }
    None
}

/// Reads a report from a file's bytes: an invalid-UTF-8 file is an error naming its origin.
pub fn read_report(origin: &str, bytes: &[u8]) -> Result<Extraction, crate::DataError> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(crate::DataError::new(origin, None, format!("NUL byte at byte {}", at + 1)));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        crate::DataError::new(origin, Some(line), format!("invalid UTF-8 at byte {}", e.valid_up_to() + 1))
    })?;
    Ok(extract(origin, text))
}

#[cfg(test)]
mod tests;
