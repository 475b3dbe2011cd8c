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
//! assert_eq!(m.topics, ["security", "regional security"]);
//! ```

pub mod dates;
pub mod eval;
pub mod gazetteer;
pub mod lexicons;
pub mod orgs;
pub mod people;
mod places;
pub mod reader;
pub mod sentences;
pub mod topics;
mod trigger;
pub mod wording;

use crate::model::{Kind, Meeting, PartialDate, Participant, Source};
use lexicons::Lexicon;
use orgs::{Ent, OrgRef, Span};
use people::{Mention, Role};
use places::{place_in, posted_to};
use sentences::Token;
pub(crate) use trigger::normalised;
use trigger::{has, titled_party, trigger, Trigger};

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
    /// Whether the title is only the other side's, taken for a counterpart: a title the
    /// report states later replaces it.
    guessed: bool,
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
    /// Token ranges taken by names and their title phrases.
    covered: Vec<(usize, usize)>,
}

/// A meeting dated this many days or more before the report is recalled, not reported.
const RECALLED_DAYS: i32 = 60;

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

/// Records an organisation as the report writes it: the name written, its acronym or full
/// name too when the report writes that as well, and its parent ("UN") when the report names
/// the parent (as "United Nations" when it writes that).
fn push_written_org(v: &mut Vec<String>, o: &OrgRef, written: &str, words: &ReportWords) {
    push_unique(v, written);
    if let Some(a) = &o.acronym {
        if a != written && words.has(a) {
            push_unique(v, a);
        }
    }
    if let Some(f) = &o.full {
        if f != written && words.has_phrase(f) {
            push_unique(v, f);
        }
    }
    if let Some(p) = &o.parent {
        if p == "UN" && words.has_phrase("United Nations") {
            push_unique(v, "United Nations");
        } else if words.has(p) {
            push_unique(v, p);
        }
    }
}

/// The words of a report, to tell whether it writes a name.
struct ReportWords {
    words: std::collections::HashSet<String>,
    text: String,
}

impl ReportWords {
    fn new(text: &str) -> ReportWords {
        let words = sentences::tokens(text).iter().filter(|t| t.word).map(|t| t.text.to_string()).collect();
        ReportWords { words, text: normalised(text) }
    }

    fn has(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    fn has_phrase(&self, phrase: &str) -> bool {
        self.text.contains(&normalised(phrase))
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
                            "the dateline says {}-{:02}-{:02} but the header says {d}; the header's date is used when the text states none",
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

    // Relative dates ("yesterday", "on Tuesday") count from the day the report was filed: the
    // dateline's day when it gives one (in the header's year), else the header's.
    let reference = report
        .dateline
        .as_ref()
        .and_then(|dl| {
            let (m, day) = (dl.month?, dl.day?);
            let mut y = dl.year.unwrap_or(date.year);
            if dl.year.is_none() && date.month.is_some_and(|dm| dm < m) {
                y -= 1;
            }
            PartialDate::new(y, Some(m), Some(day)).ok()
        })
        .unwrap_or(date);

    // Obituaries and statements recall meetings without reporting one.
    let lead: String = report.title.iter().chain(report.paragraphs.iter().take(1)).map(|p| normalised(p)).collect();
    if let Some(w) = lexicons::NOT_A_MEETING_REPORT.iter().find(|w| lead.contains(*w)) {
        x.skipped = Some(format!("an obituary or a statement (\"{}\"), not a meeting report", w.trim()));
        return x;
    }

    // Sentences, aliases, entities.
    let mut raw: Vec<&str> = Vec::new();
    for p in &report.paragraphs {
        raw.extend(sentences::split(p));
    }
    let mut sents: Vec<Sent<'_>> = raw
        .iter()
        .map(|s| Sent {
            text: s,
            toks: sentences::tokens(s),
            spans: Vec::new(),
            people: Vec::new(),
            covered: Vec::new(),
        })
        .collect();
    for s in &sents {
        for d in orgs::definitions(&s.toks) {
            if !x.aliases.contains(&d) {
                x.aliases.push(d);
            }
        }
    }
    for s in &mut sents {
        s.spans = orgs::entities(s.text, &s.toks, lex, &x.aliases);
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
        persons
            .iter()
            .position(|p| p.name.eq_ignore_ascii_case(name))
            .or_else(|| {
                persons.iter().position(|p| {
                    p.last().eq_ignore_ascii_case(last)
                        && (words.len() == 1 || {
                            // "V. Makei" is "Vladimir Makei": an initial stands for its word.
                            let same = |a: &str, b: &str| {
                                a == b
                                    || a.strip_suffix('.').is_some_and(|i| i.chars().count() == 1 && b.starts_with(i))
                                    || b.strip_suffix('.').is_some_and(|i| i.chars().count() == 1 && a.starts_with(i))
                            };
                            let pw: Vec<&str> = p.name.split(' ').collect();
                            words.iter().all(|w| pw.iter().any(|x| same(w, x)))
                                || pw.iter().all(|x| words.iter().any(|w| same(w, x)))
                        })
                })
            })
            .or_else(|| {
                // Family name first ("Choi Jong-kun", "Wang Yi"): "Choi" is that person.
                (words.len() == 1)
                    .then(|| {
                        persons.iter().position(|p| {
                            let pw: Vec<&str> = p.name.split(' ').collect();
                            pw.len() == 2
                                && pw[0].eq_ignore_ascii_case(last)
                                && (pw[1].contains('-') || pw[1].chars().count() <= 4)
                        })
                    })
                    .flatten()
            })
            .or_else(|| {
                // A given name used alone for someone named in full ("Premier Abiy" for Abiy
                // Ahmed, "Bilawal" for Bilawal Bhutto-Zardari), when one person has it.
                if words.len() != 1 {
                    return None;
                }
                let mut by_first = persons.iter().enumerate().filter(|(_, p)| {
                    let mut pw = p.name.split(' ');
                    pw.next().is_some_and(|f| f.eq_ignore_ascii_case(last)) && pw.next().is_some()
                });
                match (by_first.next(), by_first.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            })
            .or_else(|| {
                // A name misspelt once ("Sahlweork" for Sahlework): one person with a word of
                // six letters or more one slip away.
                if words.len() != 1 || last.chars().count() < 6 {
                    return None;
                }
                let mut near =
                    persons.iter().enumerate().filter(|(_, p)| p.name.split(' ').any(|w| people::one_slip(w, last)));
                match (near.next(), near.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            })
    };
    for (si, s) in sents.iter_mut().enumerate() {
        let (names, singles) = &per_sentence[si];
        let mut all: Vec<(Mention, usize)> = Vec::new();
        for m in names {
            let idx = match find(&persons, &m.name) {
                Some(i) => i,
                None => {
                    persons.push(Person { name: m.name.clone(), role: Role::default(), guessed: false });
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
        let mut counterparts: Vec<usize> = Vec::new();
        // A plural title before a list of names ("their foreign ministers A and B"): the role
        // each listed name shares, with the end of the list so far.
        let mut shared: Option<(usize, people::Role)> = None;
        for (m, idx) in &all {
            s.covered.push((m.start, m.end));
            let before = people::phrase_before(&s.toks, m, &s.spans, &mentioned)
                .map(|(a, b)| (a, b, people::role(&s.toks, a, b, &s.spans)))
                .filter(|(_, _, r)| r.title.is_some());
            // "the ambassadors of A, X, B, Y and C, Z": each listed name after its country.
            let listed = shared.take().and_then(|(end, r)| people::listed(&s.toks, &s.spans, end, m.start, r));
            // ("the new ambassadors of Uruguay, X": the head need not end the phrase.)
            let plural = before
                .as_ref()
                .is_some_and(|&(a, b, _)| s.toks[a..b].iter().any(|t| people::plural_head(t.text).is_some()));
            if plural {
                shared = before.as_ref().map(|(_, _, r)| (m.end, r.clone()));
            } else if let Some((_, r)) = listed.clone() {
                shared = Some((m.end, r));
            }
            let role = before
                .or_else(|| {
                    people::phrase_after(&s.toks, m, &s.spans, &mentioned)
                        .map(|(a, b)| (a, b, people::role(&s.toks, a, b, &s.spans)))
                        .filter(|(_, _, r)| r.title.is_some())
                })
                .or_else(|| listed.map(|(_, r)| (m.start, m.start, r)));
            if let Some((a, b, r)) = role {
                s.covered.push((a, b));
                let p = &mut persons[*idx];
                if p.role.title.is_none() || p.guessed {
                    p.role.title = r.title;
                    p.guessed = false;
                }
                if p.role.org.is_none() {
                    p.role.org = r.org;
                }
                if p.role.country.is_none() {
                    p.role.country = r.country;
                }
            } else if let Some((a, country)) = people::counterpart_before(&s.toks, m, &s.spans) {
                // "his Japanese counterpart, Toshimitsu Motegi": the title of the other side.
                s.covered.push((a, m.start));
                let p = &mut persons[*idx];
                if p.role.country.is_none() {
                    p.role.country = country.map(str::to_string);
                }
                counterparts.push(*idx);
            }
            // "the greetings of President X", "Special Envoy of President X": X is someone's, not
            // a party of the meeting.
            let from = s.covered.last().map_or(m.start, |&(a, _)| a.min(m.start));
            let not_a_party = |k: usize| {
                s.toks.get(k).is_some_and(|t| lexicons::NOT_A_PARTY_BEFORE_OF.contains(&t.text.to_lowercase().as_str()))
            };
            let possessed = from >= 2
                && matches!(s.toks[from - 1].text.to_lowercase().as_str(), "of" | "from" | "on")
                && not_a_party(from - 2);
            // "X's visit", "X's official visit", "X's efforts": X is spoken of, not met.
            let possessed = possessed || (s.toks[m.end - 1].possessive && (m.end..m.end + 3).any(not_a_party));
            // "the new leadership under Prime Minister X": X is spoken of; so is the other
            // party of talks recalled ("he recalled his talks with X").
            // So are someone's predecessor and the late X.
            let before_from = |k: usize| from.checked_sub(k).map(|i| s.toks[i].text.to_lowercase());
            let gone = |w: Option<String>| {
                w.is_some_and(|w| matches!(w.as_str(), "under" | "predecessor" | "successor" | "late"))
            };
            let possessed =
                possessed || gone(before_from(1)) || (before_from(1).as_deref() == Some(",") && gone(before_from(2)));
            let recalled = from >= 2
                && s.toks[from - 1].text == "with"
                && s.toks[from.saturating_sub(6)..from - 1]
                    .iter()
                    .any(|t| matches!(t.text, "recalled" | "recalling" | "recalls" | "recall"));
            // A spokesperson reports the meeting ("UN spokesman X told reporters").
            let spokes =
                s.toks[from.saturating_sub(1)..m.start].iter().any(|t| t.text.to_lowercase().starts_with("spokes"));
            let possessed = possessed || recalled || spokes || people::elsewhere(&s.toks, from, m.end);
            if !s.people.contains(idx) && !possessed {
                s.people.push(*idx);
            }
        }
        for c in counterparts {
            if persons[c].role.title.is_some() {
                continue;
            }
            let other = s.people.iter().find(|&&o| o != c && persons[o].role.title.is_some());
            if let Some(&o) = other {
                persons[c].role.title = persons[o].role.title.clone().map(|t| people::counterpart_title(&t));
                persons[c].guessed = true;
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
    // A meeting sentence that named fewer than two parties: the heads of delegation named in
    // the sentence right after it complete it.
    let mut pending: Option<(usize, Kind, Vec<usize>)> = None;
    // The first meeting sentence that named one party ("X met with traditional rulers"): those
    // said to attend it later ("Present at the meeting was Y") complete it.
    let mut lone: Option<(usize, Kind, usize)> = None;
    for (si, s) in sents.iter().enumerate() {
        let lower = normalised(s.text);
        // (Up to two sentences on, when the one between names no one.)
        if let Some((first, kind, mut ps)) = pending.clone() {
            let between = sents[first + 1..si].iter().all(|t| t.people.is_empty());
            if si <= first + 2 && between && trigger::completes(s.text, ps.len(), s.people.len()) {
                for &p in &s.people {
                    if !ps.contains(&p) {
                        ps.push(p);
                    }
                }
                if ps.len() >= 2 && !drafts.iter().any(|d| ps.iter().any(|p| d.people.contains(p))) {
                    drafts.push(Draft { first, kind, people: ps, sentences: vec![first, si] });
                    continue;
                }
            }
        }
        // "accompanied by", "also attended": the officials join the meeting last reported.
        // (Not "he is accompanied by": the entourage of the trip.)
        let entourage = lower.contains(" is accompanied by ") || lower.contains(" are accompanied by ");
        let attend = has(&lower, lexicons::ATTEND_WORDS) || trigger::lists_parties(&lower) || trigger::attends(&lower);
        // (Not one that recalls an earlier meeting: "they last met in Lima along with X".)
        let attend = attend && !has(&lower, lexicons::RECALLED_WORDS);
        if attend && !entourage && !matches!(trigger(s.text), Trigger::Future) {
            if let (None, Some((first, kind, p))) = (drafts.last(), lone) {
                let mut people = vec![p];
                people.extend(s.people.iter().filter(|&&q| q != p));
                if people.len() >= 2 {
                    drafts.push(Draft { first, kind, people, sentences: vec![first, si] });
                    continue;
                }
            }
            if let Some(d) = drafts.last_mut() {
                for &p in &s.people {
                    if !d.people.contains(&p) {
                        d.people.push(p);
                    }
                }
                d.sentences.push(si);
                continue;
            }
        }
        // A meeting dated two months or more before the report is recalled, not reported
        // ("Referring to the meeting on 4 August …", a photo caption of an old meeting).
        let recalled = dates::stated_in(&s.toks, reference)
            .is_some_and(|x| !x.weak && dates::days_before(reference, x.date).is_some_and(|n| n > RECALLED_DAYS));
        let kind = match trigger(s.text) {
            Trigger::Meeting(_) if recalled || has(&lower, lexicons::GREETING_WORDS) => continue,
            Trigger::Meeting(k) => k,
            Trigger::Future => {
                future = true;
                continue;
            }
            Trigger::None => continue,
        };
        let mut ps = s.people.clone();
        // "the minister", "the ambassador": someone already named with that title; when two
        // people are named, only as the sentence's opening ("The Secretary-General met
        // jointly with X and Y").
        {
            for (i, p) in persons.iter().enumerate() {
                if ps.contains(&i) {
                    continue;
                }
                let Some(t) = &p.role.title else { continue };
                let head = t.split(' ').rev().find(|w| lexicons::is_title_head(&w.to_lowercase()));
                if let Some(h) = head {
                    let h = h.to_lowercase();
                    // "the minister", "the prime minister", and "the head of state" for a
                    // president, king or emir ("the Angolan statesman" too).
                    let whole = format!(" the {} ", normalised(t).trim());
                    let state = (matches!(h.as_str(), "president" | "king" | "emir") || t == "Head of State")
                        && !t.to_lowercase().contains(" of the ")
                        && (lower.contains(" the head of state ") || lower.contains(" statesman "));
                    let refers = lower.contains(&format!(" the {h} ")) || lower.contains(&whole) || state;
                    let unique = persons
                        .iter()
                        .filter(|q| q.role.title.as_deref().is_some_and(|qt| qt.to_lowercase().contains(&h)))
                        .count()
                        == 1;
                    let opening = lower.starts_with(&format!(" the {h} "))
                        || lower.starts_with(&whole)
                        || state && lower.split_whitespace().take(3).any(|w| w == "statesman");
                    if unique && refers && (ps.len() < 2 || opening) {
                        ps.push(i);
                    }
                }
            }
        }
        // A meeting sentence naming someone already in a meeting adds its new people to it,
        // unless it says this is another meeting.
        let another = has(&lower, lexicons::ANOTHER_MEETING_WORDS);
        let shared = drafts.iter().rposition(|d| ps.iter().any(|p| d.people.contains(p)));
        // So does a date of its own that no sentence of that meeting, or the two before it,
        // states ("arrived on 2 March. He met A. … On 3 March the minister met B.").
        let another = another
            || shared.is_some_and(|di| {
                let own = |k: usize| dates::stated_in(&sents[k].toks, reference).filter(|x| !x.weak).map(|x| x.date);
                let Some(date) = own(si) else { return false };
                let d = &drafts[di];
                let known: Vec<PartialDate> =
                    d.sentences.iter().copied().chain(d.first.saturating_sub(2)..d.first).filter_map(own).collect();
                !known.is_empty() && !known.contains(&date)
            });
        if let (Some(di), false) = (shared, another) {
            let d = &mut drafts[di];
            for &p in &ps {
                if !d.people.contains(&p) {
                    d.people.push(p);
                }
            }
            d.sentences.push(si);
            if d.kind == Kind::Meeting && kind != Kind::Meeting {
                d.kind = kind;
            }
            continue;
        }
        // Two parties: two named people, or one and a party named by title ("the Prime
        // Minister met …", "… with his Indian counterpart").
        let mut parties = ps.len() + usize::from(titled_party(s));
        // "the two men spoke by phone": the people named just before, when no meeting has them.
        if parties < 2 && has(&lower, lexicons::NAMED_BEFORE_WORDS) {
            // The two people of the sentence just before ("A attended B's ceremony. The two
            // leaders then held talks."), else people not yet in a meeting.
            if let Some(prev) = si.checked_sub(1).map(|k| &sents[k].people).filter(|p| p.len() == 2) {
                for &p in prev {
                    if !ps.contains(&p) {
                        ps.push(p);
                    }
                }
            }
            let before: Vec<usize> =
                sents[si.saturating_sub(3)..si].iter().rev().flat_map(|t| t.people.clone()).collect();
            for p in before {
                if ps.len() < 2 && !ps.contains(&p) && !drafts.iter().any(|d| d.people.contains(&p)) {
                    ps.push(p);
                }
            }
            parties = ps.len();
            // People of a meeting already drafted: more of that meeting.
            if let Some(d) = drafts.iter_mut().rev().find(|d| !ps.is_empty() && ps.iter().all(|p| d.people.contains(p)))
            {
                d.sentences.push(si);
                continue;
            }
        }
        // "He received a call from X", "He then met X": "he" is the one the sentence before
        // named first (whether or not "he" already counted as a party named by title: "He said
        // so when meeting with X").
        if let (1, true, Some(k), Some(&first)) =
            (ps.len(), trigger::pronoun_subject(&lower), si.checked_sub(1), ps.first())
        {
            if let Some(&p) = sents[k].people.iter().find(|p| !ps.contains(p)) {
                (ps, parties) = (vec![first, p], 2);
            }
        }
        // "At the meeting with X, …" after a meeting: the report's host met X too.
        if parties < 2 && ps.len() == 1 && has(&lower, lexicons::MEETING_WITH_WORDS) {
            if let Some(host) = drafts.last().map(|d| d.people[0]).filter(|h| !ps.contains(h)) {
                drafts.push(Draft { first: si, kind, people: vec![host, ps[0]], sentences: vec![si] });
                continue;
            }
        }
        if ps.is_empty() || parties < 2 {
            if short.is_none() {
                short = Some(s.text.to_string());
            }
            if let ([p], None) = (ps.as_slice(), lone) {
                lone = Some((si, kind, *p));
            }
            pending = Some((si, kind, ps));
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
    // The title says "phone call" or "video talks" for the lead meeting.
    if let Some(t) = &report.title {
        if let Trigger::Meeting(k @ (Kind::Call | Kind::Video)) = trigger(t) {
            if drafts[0].kind == Kind::Meeting {
                drafts[0].kind = k;
            }
        }
    }

    let words = ReportWords::new(&report.text);
    let dateline_city = report.dateline.as_ref().and_then(|d| d.city.clone());
    let dateline_country = report.dateline.as_ref().and_then(|d| d.country.clone());
    // The headline's city ("Ministers meet in Warsaw"): the lead meeting's when no sentence
    // of it states one (not a headline's plan: "… to meet in Oslo").
    let title_place = report.title.as_deref().filter(|t| !matches!(trigger(t), Trigger::Future)).and_then(|t| {
        let toks = sentences::tokens(t);
        let spans = orgs::entities(t, &toks, lex, &x.aliases);
        place_in(&Sent { text: t, toks, spans, people: Vec::new(), covered: Vec::new() }, lex)
            .filter(|(c, _)| !c.is_empty())
    });
    let n = drafts.len();
    let mut place_before: Option<(String, String)> = None;
    let mut date_before: Option<PartialDate> = None;
    for (mi, d) in drafts.iter().enumerate() {
        let s = &sents[d.first];
        let from = if mi == 0 { 0 } else { d.first };
        let to = if mi + 1 < n { drafts[mi + 1].first } else { sents.len() };
        // The date: stated in the meeting sentence, else in a later sentence of the meeting
        // that speaks of it ("The meeting was held on 24 July."), else the report's day.
        let speaks = |t: &&Sent<'_>| {
            let l = normalised(t.text);
            // (Not one that recalls an earlier meeting or plans a later one.)
            (has(&l, lexicons::MEETING_REFERENCE_WORDS) || has(&l, lexicons::ARRIVAL_WORDS))
                && !has(&l, lexicons::RECALLED_WORDS)
                && !matches!(trigger(t.text), Trigger::Future)
        };
        // "this evening" in the meeting sentence yields to an explicit date said of the meeting
        // later ("met this evening [Wednesday 26 February]").
        // Only a day of the week before the report's counts: a later sentence's date to come
        // ("the visit from Friday, April 1") is not the meeting's.
        let recent = |x: &dates::Stated| dates::days_before(reference, x.date).is_some_and(|n| (0..=7).contains(&n));
        let later = || {
            sents[d.first + 1..to]
                .iter()
                .filter(speaks)
                .filter_map(|t| dates::stated_in(&t.toks, reference))
                .find(|x| !x.weak && recent(x))
                .map(|x| x.date)
        };
        let stated = match dates::stated_in(&s.toks, reference) {
            Some(x) if x.weak => later().or(Some(x.date)),
            Some(x) => Some(x.date),
            None => None,
        };
        // (A date two months or more before the report is an earlier meeting's.)
        let of_this = |t: &Sent<'_>| {
            dates::date_in(&t.toks, reference)
                .filter(|x| dates::days_before(reference, *x).is_none_or(|n| n <= RECALLED_DAYS))
        };
        let stated = stated
            .or_else(|| sents[d.first + 1..to].iter().filter(speaks).find_map(of_this))
            .or_else(|| sents[from..d.first].iter().rev().filter(speaks).find_map(of_this))
            // The lead's day of the news, for the first meeting ("The leaders expressed their
            // condolences on Tuesday. … Obama spoke with X by telephone.").
            .or_else(|| {
                (mi == 0)
                    .then(|| {
                        sents[..d.first.min(2)]
                            .iter()
                            .filter_map(|t| dates::stated_in(&t.toks, reference))
                            .find(|x| !x.weak && recent(x) && x.date != reference)
                            .map(|x| x.date)
                    })
                    .flatten()
            })
            .or(date_before);
        date_before = stated;
        let mut m = Meeting {
            id: format!("m-{:016x}", fnv(&format!("{doc}#{mi}"))),
            date: stated.unwrap_or(date),
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
            // The stated place: in the meeting sentence, else in a sentence before it that
            // brings a party there ("arrived in Cairo"), else the dateline's.
            // A country only ("on a visit to India") yields to a city of that country stated in
            // another sentence of the meeting ("… at the palace in New Delhi").
            // "met … here": the dateline's city, whatever other sentences name.
            let here = dateline_city.is_some() && trigger::says_here(s.text);
            let mut places = std::iter::once(s)
                .chain(sents[d.first + 1..to].iter().filter(speaks).filter(|_| !here))
                .chain(sents[from..d.first].iter().rev().filter(speaks).filter(|_| !here))
                .filter_map(|t| place_in(t, lex));
            let stated = places.next().map(|first| match first {
                (c, k) if c.is_empty() => places.find(|(c2, k2)| !c2.is_empty() && *k2 == k).unwrap_or((c, k)),
                found => found,
            });
            let stated = stated.or_else(|| if mi > 0 { place_before.clone() } else { title_place.clone() });
            match stated {
                // A country only ("met in India"): the dateline's city when it lies there.
                Some((c, k)) if c.is_empty() => {
                    place_before = Some((c.clone(), k.clone()));
                    if dateline_country.as_deref() == Some(k.as_str()) {
                        m.city = dateline_city.clone();
                    }
                    m.country = Some(k);
                }
                Some((c, k)) => {
                    place_before = Some((c.clone(), k.clone()));
                    m.city = Some(c);
                    m.country = Some(k);
                }
                None => match posted_to(s) {
                    // "Kyrgyz Ambassador to Turkey X met with …" reported from Bishkek: the
                    // meeting is where the ambassador serves; the city is not said.
                    Some(k) if dateline_country.as_deref() != Some(k) => {
                        m.country = Some(k.to_string());
                    }
                    _ => {
                        m.city = dateline_city.clone();
                        let parties: Vec<(&str, Option<&str>)> = d
                            .people
                            .iter()
                            .map(|&i| (persons[i].name.as_str(), persons[i].role.country.as_deref()))
                            .collect();
                        // (Else a host of no stated country receiving guests from elsewhere: the
                        // one other country the meeting's sentences name.)
                        let named: Vec<&str> = d
                            .sentences
                            .iter()
                            .flat_map(|&i| &sents[i].spans)
                            .filter_map(|sp| match &sp.ent {
                                Ent::Country(c) => Some(*c),
                                _ => None,
                            })
                            .collect();
                        m.country =
                            dateline_country.clone().or_else(|| people::host_country(s.text, &parties)).or_else(|| {
                                // (Only where someone received or was called on: a host.)
                                let l = normalised(s.text);
                                let hosted = [" received ", " receives ", " called on ", " courtesy call "]
                                    .iter()
                                    .any(|w| l.contains(w));
                                hosted.then(|| people::only_other_country(&parties, &named)).flatten()
                            });
                    }
                },
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
        }
        for &si in &d.sentences {
            for sp in &sents[si].spans {
                if let Ent::Country(c) = &sp.ent {
                    push_unique(&mut m.countries, c);
                }
            }
        }
        // Organisations: the listed ones, the report's "Full Name (ACR)" and the institutions
        // named from this meeting's sentence to the next meeting's (the first from the start).
        for t in &sents[from..to] {
            for sp in &t.spans {
                if let Ent::Org(o) = &sp.ent {
                    let written: Vec<&str> =
                        t.toks[sp.start..sp.end].iter().take_while(|k| !k.is('(')).map(|k| k.text).collect();
                    push_written_org(&mut m.orgs, o, &written.join(" "), &words);
                }
            }
            for name in orgs::institutions(&t.toks, &t.spans) {
                if !m
                    .orgs
                    .iter()
                    .any(|o| name.eq_ignore_ascii_case(o) || lex.org(&name).is_some_and(|k| k.acronym == o))
                {
                    push_unique(&mut m.orgs, &name);
                }
            }
        }
        // Topics: in the sentences from this meeting's to the next meeting's.
        let span_text: Vec<&str> = sents[from..to].iter().map(|s| s.text).collect();
        let mut topic_text = span_text.join(" ");
        if mi == 0 {
            if let Some(t) = &report.title {
                topic_text.push(' ');
                topic_text.push_str(t);
            }
        }
        m.topics = topics::topics(&topic_text);
        for t in &sents[from..to] {
            for p in topics::discussed(t.text) {
                push_unique(&mut m.topics, &p);
            }
        }
        x.meetings.push(m);
    }
    x
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
mod genre_tests;
#[cfg(test)]
mod tests;
