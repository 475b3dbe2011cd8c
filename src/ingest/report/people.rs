//! People: names in a sentence, and the title, organisation and country that the genre's
//! patterns attach to them —
//!
//! * a title before the name: "Deputy Minister of Foreign Affairs of Turkmenistan Myakhri
//!   Byashimova", "Kazakh Foreign Minister Murat Nurtleu", "the head of the Kazakh Foreign
//!   Ministry, Murat Nurtleu";
//! * a title after it, between commas: "Kaha Imnadze, Head of the UN Regional Centre … (UNRCCA),".
//!
//! A name is a run of capitalised words that are not titles, places, organisations or function
//! words, with particles inside ("Ursula von der Leyen"); a single word counts after "Mr."/"Ms."
//! or a title ("President Tokayev"), or when it is the surname of someone already named.

use super::lexicons::{
    is_title_head, is_title_word, Lexicon, HONORIFICS, INSTITUTION_HEADS, PARTICLES, STYLES, WEEKDAYS,
};
use super::orgs::{Ent, OrgRef, Span};
use super::sentences::Token;

/// A name found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// First token of the name.
    pub start: usize,
    /// One past its last token.
    pub end: usize,
    /// The name as written, without honorific.
    pub name: String,
    /// Whether "Mr."/"Ms."/a title introduced a one-word name.
    pub introduced: bool,
}

/// What a title phrase says about a person.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Role {
    /// The title, in the report's words.
    pub title: Option<String>,
    /// The organisation the person acts for.
    pub org: Option<OrgRef>,
    /// The country the person acts for.
    pub country: Option<String>,
}

/// Words that stop a title phrase: function words and time words, capitalised or not.
const BREAKERS: &[&str] = &[
    "during",
    "after",
    "before",
    "meanwhile",
    "later",
    "earlier",
    "in",
    "at",
    "by",
    "with",
    "from",
    "between",
    "among",
    "said",
    "says",
    "noted",
    "met",
    "received",
    "hosted",
    "held",
    "while",
    "as",
    "who",
    "which",
    "that",
    "this",
    "also",
    "today",
    "yesterday",
    "speaking",
    "according",
    "following",
    "welcomed",
    "visited",
    "discussed",
];

/// Lower-case words allowed inside a title phrase besides title words.
const PHRASE_LOWER: &[&str] = &["of", "the", "for", "and", "on", "to", "ministry", "foreign", "affairs"];

/// Capitalised words that, following a run of names, show the run names an institution.
const INSTITUTION_NEXT: &[&str] = &[
    "diplomatic",
    "guesthouse",
    "memorial",
    "convention",
    "house",
    "building",
    "buildings",
    "villa",
    "hotel",
    "complex",
    "residence",
    "mausoleum",
    "monument",
    "theatre",
    "theater",
    "bridge",
    "dam",
    "university",
    "center",
    "centre",
    "foundation",
    "fund",
    "institute",
    "prize",
    "airport",
    "street",
    "avenue",
    "palace",
    "hall",
    "museum",
    "school",
    "square",
    "award",
    "order",
    "library",
    "stadium",
    "mosque",
    "park",
];

/// Capitalised words that open a venue's or a place's name ("Hotel Taj", "Palace of Nations",
/// "St Lucia"), never a
/// person's (unlike "Park" or "Hall", which are surnames too).
const VENUE_FIRST: &[&str] =
    &["st", "st.", "saint", "hotel", "palace", "villa", "residence", "museum", "stadium", "mausoleum", "guesthouse"];

/// Words that end a venue's name, never a person's ("the Country Club Hotel").
const VENUE_LAST: &[&str] = &[
    "hotel",
    "palace",
    "museum",
    "stadium",
    "airport",
    "university",
    "institute",
    "mosque",
    "guesthouse",
    "mausoleum",
    "square",
    "empire",
    "dynasty",
    "festival",
];

/// Lower-case place nouns that, right after a run of capitalised words, show it names a place
/// ("the San Isidro district", "the Oromia region").
/// (And the lower-case nouns of a residence, a festival or a programme named after someone:
/// "the Nord Havn residence", "the Spring Lights festival", "the Clean Seas agenda".)
const PLACE_NEXT: &[&str] = &[
    "district",
    "province",
    "region",
    "county",
    "municipality",
    "governorate",
    "prefecture",
    "state",
    "island",
    "residence",
    "square",
    "festival",
    "agenda",
    "doctrine",
];

/// Whether two different words differ by one slip of the pen: two neighbouring letters
/// swapped, or one letter changed.
pub fn one_slip(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    if a.len() != b.len() || a == b {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match diff.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

/// Lower-case nouns after which a capitalised run names a group, not a person.
const GROUP_NOUNS: &[&str] = &["group", "groups", "militants", "rebels", "insurgents", "movement"];

/// Lower-case words between such a run and its noun ("Abu Sayyaf militant group").
const GROUP_ADJECTIVES: &[&str] = &["militant", "armed", "terrorist", "extremist", "separatist", "rebel", "jihadist"];

/// Regnal numbers, the last word of a monarch's name ("Felipe VI", "Charles III").
const REGNAL: &[&str] = &["II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV", "XV", "XVI"];

fn fold(s: &str) -> String {
    s.to_lowercase()
}

fn entity_at(spans: &[Span], i: usize) -> Option<&Span> {
    spans.iter().find(|s| s.start <= i && i < s.end)
}

fn name_capable(t: &Token<'_>, lex: &Lexicon) -> bool {
    // Acronyms are organisations, not names (a name in capitals is rare in the genre).
    if !t.word || t.acronym() {
        return false;
    }
    let first = t.text.chars().next().unwrap_or(' ');
    if !first.is_uppercase() {
        return false;
    }
    let f = fold(t.text);
    !lex.is_not_name(&f)
        && !t.text.chars().all(|c| c.is_ascii_digit())
        && !is_title_head(&f)
        && plural_head(t.text).is_none()
}

/// The names of a sentence, given its entities. One-word runs are kept only when introduced
/// (honorific or title before them); the caller resolves other one-word runs against known people.
pub fn mentions(toks: &[Token<'_>], spans: &[Span], lex: &Lexicon) -> (Vec<Mention>, Vec<Mention>) {
    let mut names = Vec::new();
    let mut singles = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let capable = |k: usize| entity_at(spans, k).is_none() && name_capable(&toks[k], lex);
        if !capable(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < toks.len() && !toks[end - 1].possessive {
            if capable(end) {
                end += 1;
                continue;
            }
            // A surname that is also a city ("counterpart Lloyd Austin"): after a name that a
            // title or "counterpart" introduces, one word in mixed case, no capitalised word
            // after it.
            let city = entity_at(spans, end).filter(|sp| matches!(sp.ent, Ent::City(..)) && sp.end == end + 1);
            let introduced = start.checked_sub(1).is_some_and(|p| {
                let f = fold(toks[p].text);
                is_title_word(&f) || HONORIFICS.contains(&f.as_str()) || f.starts_with("counterpart")
            });
            if city.is_some()
                && introduced
                && toks[end].text.chars().any(char::is_lowercase)
                && !toks.get(end + 1).is_some_and(|t| t.capitalised())
            {
                end += 1;
                break;
            }
            // Particles inside a name ("von der"), and "al-" forms.
            let mut k = end;
            while k < toks.len() && toks[k].word && PARTICLES.contains(&toks[k].text) {
                k += 1;
            }
            if k > end && k < toks.len() && capable(k) {
                end = k + 1;
                continue;
            }
            // A regnal number ends a name ("King Felipe VI").
            if entity_at(spans, end).is_none() && toks[end].word && REGNAL.contains(&toks[end].text) {
                end += 1;
                continue;
            }
            let t = &toks[end];
            if t.word && (t.text.starts_with("al-") || t.text.starts_with("el-")) {
                end += 1;
                continue;
            }
            // A nickname in quotes inside a name: Ferdinand "Bongbong" Marcos.
            let quote = |k: usize| toks.get(k).is_some_and(|t| t.is('"') || t.is('“') || t.is('”'));
            if quote(end) && end + 3 < toks.len() && toks[end + 1].capitalised() && quote(end + 2) && capable(end + 3) {
                end += 4;
                continue;
            }
            break;
        }
        i = end;
        // Credits and bylines: "(Agency/Photographer)", "News / Agency", "Photo: Name".
        let slash = |k: Option<usize>| k.and_then(|k| toks.get(k)).is_some_and(|t| t.is('/'));
        if slash(start.checked_sub(1)) || slash(Some(end)) {
            continue;
        }
        if (1..=3)
            .any(|k| start >= k && ["photo", "photos", "photograph"].contains(&fold(toks[start - k].text).as_str()))
        {
            continue;
        }
        // One word right before an honorific opens a two-word style ("Tan Sri", "Toh Puan").
        if end - start == 1
            && toks.get(end).is_some_and(|t| t.capitalised() && HONORIFICS.contains(&fold(t.text).as_str()))
        {
            continue;
        }
        // A run followed by "(ACR)" or an institution word names an institution.
        // (A photo caption's "(R)" or "(L)" marks a person, not an acronym.)
        // (A country's "(USA)" after a name says where the person is from.)
        // (A party's "(PT)" after a name a title introduces is the person's party.)
        let titled = start.checked_sub(1).is_some_and(|p| toks[p].word && is_title_head(&fold(toks[p].text)));
        if toks.get(end).is_some_and(|t| t.is('('))
            && toks.get(end + 1).is_some_and(|t| t.acronym() && lex.country(t.text).is_none())
            && toks.get(end + 2).is_some_and(|t| t.is(')'))
            && !titled
        {
            continue;
        }
        // Countries joined by hyphens ("the India-Sri Lanka partnership") name no one.
        let joined: String = toks[start..end].iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
        if joined.contains('-') && joined.split('-').all(|part| lex.country(part.trim()).is_some()) {
            continue;
        }
        // "Name (@handle)": the author of a quoted post, not a party.
        if toks.get(end).is_some_and(|t| t.is('(')) && toks.get(end + 1).is_some_and(|t| t.is('@')) {
            continue;
        }
        // A run before a place noun names the place ("the San Isidro district").
        if toks.get(end).is_some_and(|t| t.word && PLACE_NEXT.contains(&t.text)) {
            continue;
        }
        if toks.get(end).is_some_and(|t| {
            let f = fold(t.text);
            t.capitalised() && (INSTITUTION_NEXT.contains(&f.as_str()) || INSTITUTION_HEADS.contains(&f.as_str()))
        }) {
            continue;
        }
        // A run right after "in" or "at the" is a place or a venue ("in Demak Jaya", "at the
        // Rashtrapati Bhavan"), and one after "wife"/"spouse" someone's family, not a party.
        let before = |k: usize| start.checked_sub(k).map(|p| fold(toks[p].text)).unwrap_or_default();
        if matches!(before(1).as_str(), "in" | "at") || (before(1) == "the" && before(2) == "at") {
            continue;
        }
        // A run that ends in an institution word, or opens with a venue's, names the
        // institution or the venue ("Weimar Triangle", "Hotel Taj").
        let last = fold(toks[end - 1].text);
        if end - start >= 2
            && (INSTITUTION_HEADS.contains(&last.as_str())
                || VENUE_LAST.contains(&last.as_str())
                || VENUE_FIRST.contains(&fold(toks[start].text).as_str()))
        {
            continue;
        }
        let mut k = 1;
        while HONORIFICS.contains(&before(k).as_str()) {
            k += 1;
        }
        // ("her husband, X": the appositive's comma.)
        if before(k) == "," {
            k += 1;
        }
        if matches!(before(k).as_str(), "wife" | "spouse" | "husband" | "daughter" | "son" | "mother" | "father") {
            continue;
        }
        // "the Abu Sayyaf militant group": a run before a group's noun names the group.
        let group = toks[end..toks.len().min(end + 3)].iter().position(|t| GROUP_NOUNS.contains(&t.text));
        let describes = |t: &Token<'_>| t.capitalised() || GROUP_ADJECTIVES.contains(&t.text);
        if group.is_some_and(|g| toks[end..end + g].iter().all(describes)) {
            continue;
        }
        // The name as written; a nickname keeps its quotes (Ferdinand "Bongbong" Marcos).
        let mut name = String::new();
        let mut open = false;
        let mut after_open = false;
        for t in &toks[start..end] {
            if !t.word {
                if open {
                    name.push('"');
                } else {
                    name.push_str(" \"");
                    after_open = true;
                }
                open = !open;
                continue;
            }
            if !name.is_empty() && !after_open {
                name.push(' ');
            }
            after_open = false;
            name.push_str(t.text);
        }
        let name = name.trim().to_string();
        let prev = start.checked_sub(1).map(|p| &toks[p]);
        let introduced = prev
            .is_some_and(|p| p.word && (HONORIFICS.contains(&fold(p.text).as_str()) || is_title_head(&fold(p.text))));
        let m = Mention { start, end, name, introduced };
        if end - start >= 2 || introduced {
            names.push(m);
        } else {
            singles.push(m);
        }
    }
    (names, singles)
}

fn phrase_token_ok(toks: &[Token<'_>], i: usize, spans: &[Span], names: &[Mention]) -> bool {
    let t = &toks[i];
    let named = |k: usize| names.iter().any(|m| m.start <= k && k < m.end);
    if named(i) {
        return false;
    }
    // A comma inside a title, between capitalised words ("for Foreign, Commonwealth and
    // Development Affairs").
    if t.is(',') {
        let cap = |k: usize| toks.get(k).is_some_and(|x| x.capitalised() && !x.acronym()) && !named(k);
        // … and a list's "and" follows soon: not ", Trend reports".
        let list = (i + 2..i + 5).any(|k| toks.get(k).is_some_and(|x| x.text == "and"));
        return i > 0 && cap(i - 1) && cap(i + 1) && list;
    }
    if !t.word {
        return t.is('(') || t.is(')') || t.is('-');
    }
    if entity_at(spans, i).is_some() {
        return true;
    }
    let f = fold(t.text);
    if BREAKERS.contains(&f.as_str()) || WEEKDAYS.contains(&f.as_str()) || HONORIFICS.contains(&f.as_str()) {
        return false;
    }
    if super::lexicons::month_number(&f).is_some() {
        return false;
    }
    t.capitalised()
        || t.acronym()
        || PHRASE_LOWER.contains(&f.as_str())
        || is_title_word(&f)
        || plural_head(t.text).is_some()
}

/// The title phrase before a name (tokens `a..b`), if any: an optional comma just before the name.
pub fn phrase_before(toks: &[Token<'_>], m: &Mention, spans: &[Span], names: &[Mention]) -> Option<(usize, usize)> {
    let mut b = m.start;
    // Skip honorifics ("H.E. Mr."), and the first word of a two-word style ("Tan Sri").
    let name_start = b;
    while b > 0 && toks[b - 1].word && HONORIFICS.contains(&fold(toks[b - 1].text).as_str()) {
        b -= 1;
    }
    if b < name_start && b > 0 && toks[b - 1].capitalised() && !is_title_word(&fold(toks[b - 1].text)) {
        b -= 1;
    }
    if b > 0 && toks[b - 1].is(',') {
        b -= 1;
    }
    // "External Affairs Minister (EAM) S Jaishankar": the title's abbreviation in brackets.
    if b >= 3 && toks[b - 1].is(')') && toks[b - 3].is('(') && toks[b - 2].acronym() {
        b -= 3;
    }
    let mut a = b;
    while a > 0 && phrase_token_ok(toks, a - 1, spans, names) {
        a -= 1;
    }
    trim(toks, a, b)
}

/// The title phrase after a name, between commas ("Kaha Imnadze, Head of …,"), if any.
pub fn phrase_after(toks: &[Token<'_>], m: &Mention, spans: &[Span], names: &[Mention]) -> Option<(usize, usize)> {
    if !toks.get(m.end).is_some_and(|t| t.is(',')) {
        return None;
    }
    let a = m.end + 1;
    let mut b = a;
    while b < toks.len() && phrase_token_ok(toks, b, spans, names) {
        b += 1;
    }
    // The phrase must close: a comma, the sentence end, or a clause word.
    trim(toks, a, b)
}

/// Whether the person named at tokens `from..end` (title included) is not at the meeting:
/// [`reports_it`] or [`ahead_of`].
pub fn elsewhere(toks: &[Token<'_>], from: usize, end: usize) -> bool {
    reports_it(toks, from, end) || ahead_of(toks, from) || sent_by(toks, from)
}

/// What a messenger carries from someone not at the meeting ("a letter from", "the greetings of").
pub const CARRIED: &[&str] =
    &["letter", "message", "greetings", "regards", "wishes", "invitation", "congratulations", "condolences"];

/// Whether the person whose mention starts at token `from` sends what another carries ("a
/// letter from Grand Vizier King X", "the greetings of Grand Master Y"):
/// "from" or "of" after a word of [`CARRIED`], then up to eight words of a title (capitalised,
/// "the", "and"; the first "of" or "from" decides) before the mention.
pub fn sent_by(toks: &[Token<'_>], from: usize) -> bool {
    let mut k = from;
    for _ in 0..8 {
        let Some(prev) = k.checked_sub(1) else { return false };
        let t = &toks[prev];
        let w = t.text.to_lowercase();
        if k < from && matches!(w.as_str(), "from" | "of") {
            // The first "from" or "of" decides: a sender's ("letter from"), or none.
            return prev > 0 && CARRIED.contains(&toks[prev - 1].text.to_lowercase().as_str());
        }
        if !(t.capitalised() || matches!(w.as_str(), "the" | "and")) {
            return false;
        }
        k = prev;
    }
    false
}

/// The role of a name listed at token `start` under a plural title whose list reached token
/// `end` with role `r` ([`list_gap`]), and that end: the singular title, and the country the
/// name is listed after.
pub fn listed(toks: &[Token<'_>], spans: &[Span], end: usize, start: usize, mut r: Role) -> Option<(usize, Role)> {
    if let Some(c) = list_gap(toks, spans, end.min(start), start)? {
        r.country = Some(c.to_string());
        r.title = r.title.map(|t| t.split(" of ").next().unwrap_or_default().to_string());
    }
    Some((end, r))
}

/// Whether the person named at tokens `from..end` (title included) only reports the sentence,
/// in a closing clause after a comma: ", Foreign Minister X wrote on his account", ", spokesman
/// X said in a readout" (a reporting verb straight after the name, a few words to the end).
pub fn reports_it(toks: &[Token<'_>], from: usize, end: usize) -> bool {
    const VERBS: &[&str] = &["said", "says", "wrote", "writes", "tweeted", "posted", "told", "stated", "added"];
    from >= 1
        && toks[from - 1].is(',')
        && toks.get(end).is_some_and(|t| VERBS.contains(&t.text))
        && toks.len() - end <= 9
        // (Not one who said it at the meeting: "…, President X said at his meeting with Y".)
        && !toks[end..].iter().any(|t| {
            ["meeting", "talks", "with", "after", "during", "following", "call", "conversation"].contains(&t.text)
        })
}

/// The host's country of an in-person meeting whose place is not said: the one who received
/// or hosted the other ("Oman's Foreign Minister X received Y"), or the one a visitor met
/// ("Visiting President X met Indian Prime Minister Y"), when the guest is from elsewhere.
/// `parties` are the meeting's (name, country).
pub fn host_country(sentence: &str, parties: &[(&str, Option<&str>)]) -> Option<String> {
    let at = |name: &str| sentence.find(name).or_else(|| sentence.find(name.rsplit(' ').next()?));
    let verb =
        [" received ", " receives ", " hosted ", " hosts ", " welcomed "].iter().filter_map(|v| sentence.find(v)).min();
    let visiting = |name: &str| {
        at(name)
            .is_some_and(|a| sentence[..a].split_whitespace().rev().take(4).any(|w| w.eq_ignore_ascii_case("visiting")))
    };
    let host = parties.iter().find(|(name, country)| {
        country.is_some()
            && (verb.is_some_and(|v| at(name).is_some_and(|a| a < v)) && !visiting(name)
                || parties.iter().any(|(other, _)| other != name && visiting(other)))
    })?;
    let guest_elsewhere = parties.iter().any(|(name, c)| name != &host.0 && c.is_none_or(|c| Some(c) != host.1));
    guest_elsewhere.then(|| host.1.map(str::to_string)).flatten()
}

/// The host's country when the host's own is not said: some parties have a country and some
/// not, and the sentences name exactly one country none of the parties is from ("British High
/// Commissioner X called on Prime Minister Y … ties between Britain and Pakistan").
pub fn only_other_country(parties: &[(&str, Option<&str>)], named: &[&str]) -> Option<String> {
    let from: Vec<&str> = parties.iter().filter_map(|(_, c)| *c).collect();
    if from.is_empty() || parties.iter().all(|(_, c)| c.is_some()) {
        return None;
    }
    let mut others = named.iter().filter(|c| !from.contains(c));
    let first = others.next()?;
    others.all(|c| c == first).then(|| first.to_string())
}

/// Whether the person named from token `from` belongs to an event still to come, "ahead of"
/// it ("met in a virtual session, ahead of talks with Secretary of State X"): "ahead of" within
/// ten tokens before, no comma or "and" between.
pub fn ahead_of(toks: &[Token<'_>], from: usize) -> bool {
    let window = &toks[from.saturating_sub(10)..from];
    window.windows(2).enumerate().any(|(i, w)| {
        w[0].text.eq_ignore_ascii_case("ahead")
            && w[1].text == "of"
            && !window[i + 2..].iter().any(|t| t.is(',') || t.text == "and")
    })
}

/// Whether tokens `a..b` join two names of a list under one plural title: commas, "and",
/// semicolons, "as well as", and at most one country each name is listed after ("the
/// ambassadors of A, X, B, Y and C, Z"). `Some(country)` when so, the country if one is said.
pub fn list_gap(toks: &[Token<'_>], spans: &[Span], a: usize, b: usize) -> Option<Option<&'static str>> {
    if a >= b {
        return None;
    }
    let mut country = None;
    let mut k = a;
    while k < b {
        let t = &toks[k];
        if let Some(sp) = spans.iter().find(|sp| sp.start == k && sp.end <= b) {
            match sp.ent {
                super::orgs::Ent::Country(c) if country.is_none() => country = Some(c),
                _ => return None,
            }
            k = sp.end;
            continue;
        }
        if !(t.is(',') || t.is(';') || ["and", "as", "well", "the"].contains(&t.text)) {
            return None;
        }
        k += 1;
    }
    // The country is said after the comma that ends the name before it.
    Some(country)
}

/// The singular of a plural title head ("ministers" → "minister"), if the word is one.
pub fn plural_head(word: &str) -> Option<&str> {
    let one = word.strip_suffix('s')?;
    (!is_title_head(&fold(word)) && is_title_head(&fold(one))).then_some(one)
}

/// Trims connectors and brackets off both ends of a phrase.
fn trim(toks: &[Token<'_>], mut a: usize, mut b: usize) -> Option<(usize, usize)> {
    let edge = |t: &Token<'_>| !t.word || ["of", "the", "for", "and", "on", "to"].contains(&fold(t.text).as_str());
    while a < b && edge(&toks[a]) && !toks[a].is('(') {
        a += 1;
    }
    while a < b && edge(&toks[b - 1]) && !toks[b - 1].is(')') {
        b -= 1;
    }
    (a < b).then_some((a, b))
}

/// Ministry names from titles: "Foreign Minister" → "Ministry of Foreign Affairs".
fn ministry(title: &str) -> Option<String> {
    let lower = title.to_ascii_lowercase(); // byte offsets into `title` stay valid
    if lower.contains("prime minister") {
        return None;
    }
    if let Some(at) = lower.find("minister of ") {
        let what = &title[at + "minister of ".len()..];
        let what = what.split(" and ").next().unwrap_or(what);
        return Some(format!("Ministry of {what}"));
    }
    if let Some(at) = lower.find("ministry") {
        let before = title[..at].trim_end();
        let adj = before.rsplit(' ').next().unwrap_or("");
        return field_of(adj).map(|f| format!("Ministry of {f}"));
    }
    if let Some(at) = lower.find("minister") {
        let before = title[..at].trim_end();
        let adj = before.rsplit(' ').next().unwrap_or("");
        return field_of(adj).map(|f| format!("Ministry of {f}"));
    }
    None
}

fn field_of(adj: &str) -> Option<&'static str> {
    Some(match adj.to_lowercase().as_str() {
        "foreign" => "Foreign Affairs",
        "defence" | "defense" => "Defence",
        "energy" => "Energy",
        "economy" => "Economy",
        "finance" => "Finance",
        "interior" => "Internal Affairs",
        "justice" => "Justice",
        "health" => "Health",
        "education" => "Education",
        "culture" => "Culture",
        "agriculture" => "Agriculture",
        "transport" => "Transport",
        "trade" => "Trade",
        _ => return None,
    })
}

/// The words of tokens, joined by spaces.
fn text_of(toks: &[Token<'_>]) -> String {
    toks.iter().map(|t| t.text).collect::<Vec<_>>().join(" ")
}

/// Reads a title phrase (tokens `a..b`): its title, organisation and country.
///
/// Countries and organisations before the first title word ("Kazakh Foreign Minister", "OSCE
/// Secretary General") are the person's and leave the title; so does a first "of [the]
/// COUNTRY" ("Minister of Foreign Affairs of Turkmenistan"). An organisation written
/// "Full Name (ACR)" is shortened to its acronym in the title ("Head of UNRCCA").
pub fn role(toks: &[Token<'_>], a: usize, b: usize, spans: &[Span]) -> Role {
    // Items: words, or whole entities.
    enum Item<'a> {
        Word(&'a str),
        Country(&'static str, String),
        Org(OrgRef, bool, String),
        Place(&'a str),
    }
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut i = a;
    while i < b {
        if let Some(s) = spans.iter().find(|s| s.start == i) {
            match &s.ent {
                // The country as written, all its words ("Sri Lanka").
                Ent::Country(c) => items.push(Item::Country(c, text_of(&toks[s.start..s.end]))),
                Ent::Org(o) => {
                    // Written "Full Name (ACR)", it is shortened to the acronym; else as written.
                    let defined = toks[s.end - 1].is(')');
                    let written: Vec<&str> =
                        toks[s.start..s.end].iter().take_while(|t| !t.is('(')).map(|t| t.text).collect();
                    items.push(Item::Org(o.clone(), defined, written.join(" ")))
                }
                Ent::City(..) => items.push(Item::Place(toks[i].text)),
            }
            i = s.end.max(i + 1);
            continue;
        }
        let t = &toks[i];
        if !(t.is('(') || t.is(')')) {
            // A plural head names each of the people listed after it ("their foreign ministers
            // A and B"): the title of one of them is the singular.
            // After "of" it names a body ("Chairman of the Cabinet of Ministers") and stays.
            let of_body = toks[a..i].iter().rev().find(|k| k.word && !k.text.eq_ignore_ascii_case("the"));
            let of_body = of_body.is_some_and(|k| k.text.eq_ignore_ascii_case("of"));
            let word = if of_body { t.text } else { plural_head(t.text).unwrap_or(t.text) };
            items.push(Item::Word(word));
        }
        i += 1;
    }
    let is_title = |it: &Item<'_>| matches!(it, Item::Word(w) if is_title_word(&fold(w)));
    let first_title = items.iter().position(is_title);
    let mut role = Role::default();
    let Some(ft) = first_title else { return role };
    if !items.iter().any(|it| matches!(it, Item::Word(w) if is_title_head(&fold(w)))) {
        return role;
    }
    // Before the first title word: the person's country or organisation.
    for it in &items[..ft] {
        match it {
            Item::Country(c, _) => role.country = Some(c.to_string()),
            Item::Org(o, ..) => role.org = Some(o.clone()),
            _ => {}
        }
    }
    // Capitalised portfolio words right before the first title word belong to the title
    // ("External Affairs Minister", "Social Development Minister").
    let mut ft = ft;
    while ft > 0 {
        match &items[ft - 1] {
            Item::Word(w)
                if (w.chars().next().is_some_and(char::is_uppercase) || *w == "and")
                    && !HONORIFICS.contains(&fold(w).as_str())
                    && !matches!(fold(w).as_str(), "the" | "a" | "an") =>
            {
                ft -= 1
            }
            _ => break,
        }
    }
    while ft < items.len() && matches!(&items[ft], Item::Word(w) if *w == "and") {
        ft += 1;
    }
    let mut rest: Vec<&Item<'_>> = items[ft..].iter().collect();
    // Honorifics and styles at the end of a title are the name's ("Foreign Minister Sheikh").
    while rest.len() > 1
        && matches!(rest.last(), Some(Item::Word(w)) if HONORIFICS.contains(&fold(w).as_str()) || STYLES.contains(&fold(w).as_str()))
    {
        rest.pop();
    }
    // A style alone is no title ("His Highness Sheikh"): a title said elsewhere may be.
    if rest.iter().all(|it| matches!(it, Item::Word(w) if STYLES.contains(&fold(w).as_str()) || HONORIFICS.contains(&fold(w).as_str()))) {
        return role;
    }
    // A first "of [the] COUNTRY": the person's country, out of the title.
    let mut k = 0;
    while k < rest.len() {
        if let Item::Country(c, _) = rest[k] {
            let of_at = match (k.checked_sub(1).map(|j| rest[j]), k.checked_sub(2).map(|j| rest[j])) {
                (Some(Item::Word(w)), _) if w.eq_ignore_ascii_case("of") => Some(k - 1),
                (Some(Item::Word(t)), Some(Item::Word(w)))
                    if t.eq_ignore_ascii_case("the") && w.eq_ignore_ascii_case("of") =>
                {
                    Some(k - 2)
                }
                _ => None,
            };
            // "of the Kazakh Foreign Ministry": an adjective, not the person's country.
            let adjective =
                matches!(rest.get(k + 1), Some(Item::Word(w)) if w.chars().next().is_some_and(char::is_uppercase));
            if let (Some(of_at), false) = (of_at, adjective) {
                if role.country.is_none() {
                    role.country = Some(c.to_string());
                }
                rest.drain(of_at..=k);
                break;
            }
        }
        k += 1;
    }
    // Countries elsewhere in the title ("the Kazakh Foreign Ministry"), except "to COUNTRY".
    if role.country.is_none() {
        for (j, it) in rest.iter().enumerate() {
            if let Item::Country(c, _) = it {
                let after_to = j > 0 && matches!(rest[j - 1], Item::Word(w) if w.eq_ignore_ascii_case("to"));
                if !after_to {
                    role.country = Some(c.to_string());
                    break;
                }
            }
        }
    }
    let mut words: Vec<String> = Vec::new();
    for (j, it) in rest.iter().enumerate() {
        match it {
            Item::Word(w) => {
                // "the" before an organisation named by its acronym goes.
                let next_org = matches!(rest.get(j + 1), Some(Item::Org(o, true, _)) if o.acronym.is_some());
                if w.eq_ignore_ascii_case("the") && next_org {
                    continue;
                }
                words.push(w.to_string());
            }
            Item::Country(_, written) => words.push(written.to_string()),
            Item::Place(p) => words.push(p.to_string()),
            Item::Org(o, defined, written) => {
                words.push(if *defined { o.key().to_string() } else { written.clone() });
                role.org = Some(o.clone());
            }
        }
    }
    while words.last().is_some_and(|w| ["of", "the", "for", "and", "on", "to"].contains(&w.to_lowercase().as_str())) {
        words.pop();
    }
    // An abbreviated title is written out ("FM" → "Foreign Minister").
    for w in &mut words {
        if let Some((_, full)) = super::lexicons::TITLE_ABBREVIATIONS.iter().find(|(a, _)| a == w) {
            *w = full.to_string();
        }
    }
    let mut title = words.join(" ").replace(" - ", "-").replace(" ,", ",");
    if let Some(c) = title.chars().next() {
        if c.is_lowercase() {
            title = c.to_uppercase().collect::<String>() + &title[c.len_utf8()..];
        }
    }
    if role.org.is_none() {
        if let Some(m) = ministry(&title) {
            let name = match &role.country {
                Some(c) => format!("{m} of {c}"),
                None => m,
            };
            role.org = Some(OrgRef { acronym: None, full: Some(name), parent: None });
        }
    }
    role.title = Some(title);
    role
}

/// "his Japanese counterpart, NAME" / "her counterpart NAME": where the phrase starts and the
/// country its adjective names.
pub fn counterpart_before(toks: &[Token<'_>], m: &Mention, spans: &[Span]) -> Option<(usize, Option<&'static str>)> {
    let mut b = m.start;
    // "his counterpart Dr Jane Roe": honorifics before the name.
    while b > 0 && toks[b - 1].word && HONORIFICS.contains(&fold(toks[b - 1].text).as_str()) {
        b -= 1;
    }
    if b > 0 && toks[b - 1].is(',') {
        b -= 1;
    }
    let w = toks.get(b.checked_sub(1)?)?;
    if !w.word || !fold(w.text).starts_with("counterpart") {
        return None;
    }
    let mut a = b - 1;
    let mut country = None;
    if let Some(sp) = spans.iter().find(|sp| sp.end == a) {
        if let Ent::Country(c) = sp.ent {
            country = Some(c);
            a = sp.start;
        }
    }
    Some((a, country))
}

/// The title a counterpart shares with the other side: its head phrase without what tied it
/// to the other side's ministry ("Minister of Foreign Affairs" stays, "Foreign Minister" too).
pub fn counterpart_title(title: &str) -> String {
    let lower = title.to_lowercase();
    let minister = lower.contains("minister") && !lower.contains("prime");
    if minister && (lower.contains("foreign") || lower.contains("external") || lower.contains("affairs")) {
        return "Foreign Minister".to_string();
    }
    if minister && lower.contains("defen") {
        return "Defence Minister".to_string();
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::super::orgs::{definitions, entities};
    use super::super::sentences::tokens;
    use super::*;

    fn roles(s: &str) -> Vec<(String, Role)> {
        let lex = Lexicon::get();
        let toks = tokens(s);
        let defs = definitions(&toks);
        let spans = entities(s, &toks, lex, &defs);
        let (names, _) = mentions(&toks, &spans, lex);
        names
            .iter()
            .map(|m| {
                let r = phrase_before(&toks, m, &spans, &names)
                    .map(|(a, b)| role(&toks, a, b, &spans))
                    .filter(|r| r.title.is_some())
                    .or_else(|| phrase_after(&toks, m, &spans, &names).map(|(a, b)| role(&toks, a, b, &spans)))
                    .unwrap_or_default();
                (m.name.clone(), r)
            })
            .collect()
    }

    #[test]
    fn styles_and_church_diplomats() {
        let r = roles("The minister received Jordan's Foreign Minister Prince Karim bin Omar at the palace.");
        assert_eq!(r[0].1.title.as_deref(), Some("Foreign Minister"));
        let r = roles("Sheikh Omar bin Karim, Minister of Foreign Affairs, received the envoy.");
        assert_eq!(r[0].0, "Omar bin Karim");
        assert_eq!(r[0].1.title.as_deref(), Some("Minister of Foreign Affairs"));
        let r = roles("The minister met the Apostolic Nuncio, Monsignor Paolo Ferri, in the capital.");
        assert_eq!(r[0].0, "Paolo Ferri");
        assert_eq!(r[0].1.title.as_deref(), Some("Apostolic Nuncio"));
    }

    #[test]
    fn plural_and_abbreviated_titles() {
        let r = roles("The talks were attended by their foreign ministers Anna Kowal and Piotr Lis.");
        assert_eq!(r[0].1.title.as_deref(), Some("Foreign minister"));
        let r = roles("Ivan Petrov, Chairman of the Cabinet of Ministers, received the envoy.");
        assert_eq!(r[0].1.title.as_deref(), Some("Chairman of the Cabinet of Ministers"));
        let r = roles("He said he had met FM Ivan Petrov of Molvania at the forum.");
        assert_eq!(r[0].1.title.as_deref(), Some("Foreign Minister"));
    }

    #[test]
    fn the_seed_sentence() {
        let r = roles("This statement was made during a meeting between Deputy Minister of Foreign Affairs of Turkmenistan Myakhri Byashimova, and the Special Representative of the Secretary-General and Head of the UN Regional Centre for Preventive Diplomacy for Central Asia (UNRCCA), Kaha Imnadze.");
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].0, "Myakhri Byashimova");
        assert_eq!(r[0].1.title.as_deref(), Some("Deputy Minister of Foreign Affairs"));
        assert_eq!(r[0].1.country.as_deref(), Some("Turkmenistan"));
        assert_eq!(r[0].1.org.as_ref().unwrap().key(), "Ministry of Foreign Affairs of Turkmenistan");
        assert_eq!(r[1].0, "Kaha Imnadze");
        assert_eq!(r[1].1.title.as_deref(), Some("Special Representative of the Secretary-General and Head of UNRCCA"));
        assert_eq!(r[1].1.org.as_ref().unwrap().key(), "UNRCCA");
    }

    #[test]
    fn other_patterns() {
        let r = roles("Kazakh Foreign Minister Murat Nurtleu met Ursula von der Leyen, President of the European Commission, and Mr. Saidov.");
        let names: Vec<&str> = r.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(names, ["Murat Nurtleu", "Ursula von der Leyen", "Saidov"]);
        assert_eq!(r[0].1.title.as_deref(), Some("Foreign Minister"));
        assert_eq!(r[0].1.country.as_deref(), Some("Kazakhstan"));
        assert_eq!(r[1].1.title.as_deref(), Some("President of the European Commission"));
        let r = roles("It was discussed by the head of the Kazakh Foreign Ministry, Murat Nurtleu, and OSCE Secretary General Feridun Sinirlioğlu.");
        assert_eq!(r[0].1.title.as_deref(), Some("Head of the Kazakh Foreign Ministry"));
        assert_eq!(r[0].1.country.as_deref(), Some("Kazakhstan"));
        assert_eq!(r[1].0, "Feridun Sinirlioğlu");
        assert_eq!(r[1].1.title.as_deref(), Some("Secretary General"));
        assert_eq!(r[1].1.org.as_ref().unwrap().key(), "OSCE");
    }
}
