//! Organisations: "Full Name (ACR)" definitions in a report (aliases), and the entities of a
//! sentence — countries, cities and organisations from the gazetteer and the report's own
//! definitions, longest match first.

use super::gazetteer::gazetteer;
use super::lexicons::{is_title_word, month_number, orgs, Entry, Lexicon, WEEKDAYS};
use super::sentences::Token;

/// An organisation as a report names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgRef {
    /// The acronym, when known.
    pub acronym: Option<String>,
    /// The full name, as the report spells it or from the list.
    pub full: Option<String>,
    /// The parent organisation's acronym ("UN").
    pub parent: Option<String>,
}

impl OrgRef {
    /// The name to record first: the acronym, else the full name.
    pub fn key(&self) -> &str {
        self.acronym.as_deref().or(self.full.as_deref()).unwrap_or("")
    }
}

/// What a span of a sentence names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ent {
    /// A country (its recorded name).
    Country(&'static str),
    /// A city and its country.
    City(&'static str, &'static str),
    /// An organisation.
    Org(OrgRef),
}

/// An entity over tokens `start..end` of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// What it names.
    pub ent: Ent,
}

const NAME_JOINERS: &[&str] = &["of", "for", "the", "and", "on", "in", "to", "&"];

/// Whether `acr` reads as an acronym: 2 to 10 characters, starting upper case, at least two
/// upper-case letters, no spaces.
fn acronym_like(acr: &str) -> bool {
    let upper = acr.chars().filter(|c| c.is_uppercase()).count();
    (2..=10).contains(&acr.chars().count())
        && upper >= 2
        && acr.chars().next().is_some_and(char::is_uppercase)
        && acr.chars().all(|c| c.is_alphanumeric() || c == '-')
}

/// Whether the acronym's letters appear, in order, among the initials and capitals of `words`,
/// the first letter matching the first word's.
fn spells(acr: &str, words: &[&str]) -> bool {
    let caps: Vec<char> = words
        .iter()
        .flat_map(|w| {
            w.char_indices()
                .filter(|(i, c)| *i == 0 || c.is_uppercase())
                .map(|(_, c)| c.to_ascii_uppercase())
                .collect::<Vec<_>>()
        })
        .collect();
    let letters: Vec<char> = acr.chars().filter(|c| c.is_alphabetic()).map(|c| c.to_ascii_uppercase()).collect();
    if letters.first() != caps.first() {
        return false;
    }
    let mut it = caps.iter();
    letters.iter().all(|l| it.any(|c| c == l))
}

/// The "Full Name (ACR)" definitions of a sentence: (acronym, full name).
pub fn definitions(toks: &[Token<'_>]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for i in 1..toks.len().saturating_sub(2) {
        if !(toks[i].is('(') && toks[i + 2].is(')') && toks[i + 1].word && acronym_like(toks[i + 1].text)) {
            continue;
        }
        let acr = toks[i + 1].text;
        // Walk back over capitalised words and joiners.
        let mut j = i;
        while j > 0 {
            let t = &toks[j - 1];
            let ok = t.word && (t.capitalised() || NAME_JOINERS.contains(&t.text) || t.text.contains('-'));
            if !ok {
                break;
            }
            j -= 1;
        }
        // The shortest suffix that spells the acronym and starts with a capital.
        for k in (j..i).rev() {
            if !toks[k].capitalised() {
                continue;
            }
            let words: Vec<&str> = toks[k..i].iter().map(|t| t.text).collect();
            let significant: Vec<&str> = words.iter().copied().filter(|w| !NAME_JOINERS.contains(w)).collect();
            // A title's abbreviation ("External Affairs Minister (EAM)") names no organisation.
            let title = significant.last().is_some_and(|w| super::lexicons::is_title_head(&w.to_lowercase()))
                || gazetteer().country(&words.join(" ")).is_some();
            if spells(acr, &significant) {
                if !title {
                    out.push((acr.to_string(), words.join(" ")));
                }
                break;
            }
        }
    }
    out
}

/// The entities of a sentence, longest match first, given the report's own definitions.
pub fn entities(text: &str, toks: &[Token<'_>], lex: &Lexicon, defs: &[(String, String)]) -> Vec<Span> {
    let gaz = gazetteer();
    let mut out: Vec<Span> = Vec::new();
    let mut i = 0;
    let org_of = |acr: &str, full: Option<&str>| -> OrgRef {
        let known = lex.org(acr);
        OrgRef {
            acronym: Some(acr.to_string()),
            full: full.map(str::to_string).or_else(|| known.and_then(|o| o.names.first()).map(|n| n.to_string())),
            parent: known.and_then(|o| o.parent).map(str::to_string),
        }
    };
    while i < toks.len() {
        let t = &toks[i];
        if !t.word || !(t.capitalised() || t.acronym()) {
            i += 1;
            continue;
        }
        let mut found: Option<(usize, Ent)> = None;
        // The report's own full names and acronyms.
        for (acr, full) in defs {
            let n = full.split(' ').count();
            if i + n <= toks.len() && toks[i..i + n].iter().map(|t| t.text).eq(full.split(' ')) {
                if found.as_ref().is_none_or(|(m, _)| n > *m) {
                    found = Some((n, Ent::Org(org_of(acr, Some(full)))));
                }
            } else if t.text == acr && found.is_none() {
                found = Some((1, Ent::Org(org_of(acr, Some(full)))));
            }
        }
        // Places from the gazetteer: a match must end where a token ends.
        let end_token = |len: usize| -> Option<usize> {
            let at = t.start + len;
            let k = toks[i..].iter().position(|x| x.start < at && at <= x.end)? + i;
            (at >= toks[k].start + toks[k].text.len()).then_some(k + 1)
        };
        if let Some((len, c)) = gaz.country_at(&text[t.start..]) {
            if let Some(k) = end_token(len) {
                if found.as_ref().is_none_or(|(m, _)| k - i > *m) {
                    found = Some((k - i, Ent::Country(c)));
                }
            }
        }
        if let Some((len, c)) = gaz.city_at(&text[t.start..]) {
            let prev = i.checked_sub(1).map(|p| toks[p].text.to_lowercase()).unwrap_or_default();
            // A small city's name is a place only where a place is expected: "Mary" may be a
            // person, "in Mary" is the city.
            // A city's name followed by a capitalised word that is no place or organisation may
            // be a first name ("Vladimir Putin"), unless "in"/"at" puts a place there.
            let introduced = matches!(prev.as_str(), "in" | "at" | "capital" | "city" | "from" | "to" | "near");
            let placed = c.capital || c.population >= 500_000 || t.acronym() || introduced;
            let named = |k: usize| {
                toks.get(k).is_some_and(|n| {
                    n.capitalised()
                        && gaz.country_at(&text[n.start..]).is_none()
                        && lex.lookup(n.text).is_none()
                        && !lex.is_not_name(&n.text.to_lowercase())
                })
            };
            if let Some(k) = end_token(len).filter(|&k| placed && (introduced || !named(k))) {
                if found.as_ref().is_none_or(|(m, _)| k - i > *m) {
                    found = Some((k - i, Ent::City(c.name, c.country)));
                }
            }
        }
        // The organisation list, longest first.
        let max = lex.max_words.min(toks.len() - i);
        for n in (1..=max).rev() {
            if found.as_ref().is_some_and(|(m, _)| *m >= n) {
                break;
            }
            if !toks[i..i + n].iter().all(|t| t.word) {
                continue;
            }
            // Multi-word phrases are looked up with their words joined by spaces.
            let phrase: String = if n == 1 {
                t.text.to_string()
            } else {
                toks[i..i + n].iter().map(|t| t.text).collect::<Vec<_>>().join(" ")
            };
            let Some(e) = lex.lookup(&phrase) else { continue };
            let ent = match e {
                Entry::Org(o) => {
                    let o = &orgs()[o];
                    if n == 1 && phrase != o.acronym && !o.names.iter().any(|x| x.eq_ignore_ascii_case(&phrase)) {
                        continue;
                    }
                    if n == 1 && phrase.eq_ignore_ascii_case(o.acronym) && phrase != o.acronym {
                        continue;
                    }
                    let full = if phrase == o.acronym {
                        o.names.first().map_or(phrase.clone(), |n| n.to_string())
                    } else {
                        phrase.clone()
                    };
                    Ent::Org(OrgRef {
                        acronym: Some(o.acronym.to_string()),
                        full: Some(full),
                        parent: o.parent.map(str::to_string),
                    })
                }
            };
            found = Some((n, ent));
            break;
        }
        match found {
            Some((n, ent)) => {
                let mut end = i + n;
                // "Full Name (ACR)": the parenthesis belongs to the name.
                if let Ent::Org(o) = &ent {
                    if end + 2 < toks.len()
                        && toks[end].is('(')
                        && toks.get(end + 2).is_some_and(|t| t.is(')'))
                        && o.acronym.as_deref() == Some(toks[end + 1].text)
                    {
                        end += 3;
                    }
                }
                out.push(Span { start: i, end, ent });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The names of institutions a sentence mentions beyond the list: a run of capitalised words
/// ending in an institution word ("Antalya Diplomacy Forum", "Kyrgyz Foreign Ministry", "OSCE
/// Ministerial Council"), or starting with one and going on with "of"/"for"/"on" ("Ministry of
/// Foreign Affairs of Azerbaijan", "Council of Foreign Ministers"). Two words at least; a
/// leading country adjective or acronym belongs to the name, a following person does not.
pub fn institutions(toks: &[Token<'_>], spans: &[Span]) -> Vec<String> {
    use super::lexicons::INSTITUTION_HEADS;
    let head = |t: &Token<'_>| t.capitalised() && INSTITUTION_HEADS.contains(&t.text.to_lowercase().as_str());
    let span_at = |i: usize| spans.iter().find(|s| s.start <= i && i < s.end);
    let part = |i: usize| {
        let t = &toks[i];
        let f = t.text.to_lowercase();
        t.word
            && (t.capitalised() || t.acronym())
            && !matches!(t.text, "The" | "A" | "An" | "In" | "On" | "At" | "During" | "After" | "Press" | "News")
            && !WEEKDAYS.contains(&f.as_str())
            && month_number(&f).is_none()
    };
    // A listed organisation's own words are its name ("Forum on China-Africa Cooperation").
    let listed = |i: usize| spans.iter().any(|s| s.start <= i && i < s.end && matches!(s.ent, Ent::Org(_)));
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !head(&toks[i]) || listed(i) {
            // "the Kyrgyz presidency", "the Cuban foreign ministry": a country and a lower-case
            // institution word.
            let lower = toks[i].text.to_lowercase();
            if i > 0 && matches!(lower.as_str(), "presidency" | "embassy" | "ministry" | "government") {
                let mut a = i;
                if a > 0 && toks[a - 1].text == "foreign" {
                    a -= 1;
                }
                if let Some(sp) = spans.iter().find(|s| s.end == a && matches!(s.ent, Ent::Country(_))) {
                    let mut b = i + 1;
                    if lower == "embassy" && toks.get(b).is_some_and(|t| t.text == "in") {
                        if let Some(c) = spans.iter().find(|s| s.start == b + 1 && matches!(s.ent, Ent::Country(_))) {
                            b = c.end;
                        }
                    }
                    let name = toks[sp.start..b].iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
                    if !out.iter().any(|x| x.eq_ignore_ascii_case(&name)) {
                        out.push(name);
                    }
                }
            }
            i += 1;
            continue;
        }
        // Left: capitalised words, acronyms and countries up to the head; a possessive
        // country may open the name ("India's Ministry of External Affairs").
        let walk = |mut a: usize| {
            while a > 0 && part(a - 1) && !toks[a - 1].possessive {
                a -= 1;
            }
            a
        };
        let mut a = walk(i);
        // "the National Emergency Crisis and Disasters Management Authority", "the Foreign,
        // Commonwealth and Development Office": capitalised words joined by "and" or by the
        // comma of a list an "and" ends, when "the" or "of" opens the whole (not "met Ann Lee
        // and the UN Security Council").
        let mut b_join = a;
        loop {
            let joined = b_join >= 2
                && b_join < i
                && part(b_join - 2)
                && !toks[b_join - 2].possessive
                && (toks[b_join - 1].text == "and"
                    || toks[b_join - 1].is(',') && toks[b_join..i].iter().any(|t| t.text == "and"));
            if !joined {
                break;
            }
            b_join = walk(b_join - 2);
            if b_join > 0 && matches!(toks[b_join - 1].text, "the" | "of") {
                a = b_join;
            }
        }
        if a == i && a > 0 && toks[a - 1].possessive {
            if let Some(sp) = spans.iter().find(|s| s.end == a && matches!(s.ent, Ent::Country(_))) {
                a = sp.start;
            }
        }
        // Right: "of/for/on [the] Capitalised…", through "and" between capitalised words,
        // ending after a country or an organisation.
        let mut b = i + 1;
        loop {
            let mut k = b;
            if !toks.get(k).is_some_and(|t| t.word && matches!(t.text, "of" | "for" | "on")) {
                break;
            }
            k += 1;
            if toks.get(k).is_some_and(|t| t.text == "the") {
                k += 1;
            }
            if k >= toks.len() || !part(k) {
                break;
            }
            let mut end = k;
            // "the Andean Court of Justice Head Hugo Gomez": a title ends the name.
            let titled = |i: usize| super::lexicons::is_title_head(&toks[i].text.to_lowercase());
            while end < toks.len() && part(end) && !titled(end) {
                if let Some(sp) = span_at(end) {
                    end = sp.end;
                    if !matches!(sp.ent, Ent::Org(_)) {
                        // A country ends the name: "of Türkiye Mehmet Samsar".
                        break;
                    }
                    continue;
                }
                end += 1;
                let title_next = toks.get(end + 1).is_some_and(|t| is_title_word(&t.text.to_lowercase()));
                if toks.get(end).is_some_and(|t| t.text == "and")
                    && end + 1 < toks.len()
                    && part(end + 1)
                    && !title_next
                {
                    end += 1;
                }
            }
            b = end;
        }
        if b - a >= 2 {
            let mut name = String::new();
            for (k, t) in toks[a..b].iter().enumerate() {
                if !name.is_empty() && !t.is(',') {
                    name.push(' ');
                }
                name.push_str(t.text);
                // "India's Ministry …" keeps its "'s"; "the Lima Group's statement" drops it.
                if t.possessive && a + k + 1 < b {
                    name.push_str("'s");
                }
            }
            if !out.iter().any(|x| x.eq_ignore_ascii_case(&name)) {
                out.push(name);
            }
        }
        i = b.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::sentences::tokens;
    use super::*;

    #[test]
    fn definitions_find_the_full_name() {
        let s = "the Special Representative of the Secretary-General and Head of the UN Regional Centre for Preventive Diplomacy for Central Asia (UNRCCA), Kaha Imnadze";
        assert_eq!(
            definitions(&tokens(s)),
            [("UNRCCA".to_string(), "UN Regional Centre for Preventive Diplomacy for Central Asia".to_string())]
        );
        let s = "the Organization for Security and Co-operation in Europe (OSCE) said";
        assert_eq!(definitions(&tokens(s))[0].1, "Organization for Security and Co-operation in Europe");
        assert!(definitions(&tokens("talks (in English) and (AB) things")).is_empty());
    }

    #[test]
    fn entities_longest_first() {
        let lex = Lexicon::get();
        let toks = tokens("Kazakh officials met the European Union envoy in New Delhi, not the WHO or who.");
        let e = entities(
            "Kazakh officials met the European Union envoy in New Delhi, not the WHO or who.",
            &toks,
            lex,
            &[],
        );
        let kinds: Vec<String> = e.iter().map(|s| format!("{:?}", s.ent)).collect();
        assert_eq!(e.len(), 4, "{kinds:?}");
        assert_eq!(e[0].ent, Ent::Country("Kazakhstan"));
        assert!(matches!(&e[1].ent, Ent::Org(o) if o.acronym.as_deref() == Some("EU")));
        assert_eq!(e[2].ent, Ent::City("New Delhi", "India"));
    }

    #[test]
    fn institution_names_and_their_edges() {
        let lex = Lexicon::get();
        let names = |s: &str| {
            let toks = tokens(s);
            let spans = entities(s, &toks, lex, &definitions(&toks));
            institutions(&toks, &spans)
        };
        // Capitalised words joined by "and" or a list's comma, when "the" opens the name.
        assert!(names("He chairs the National Flood and Drought Relief Authority.")
            .contains(&"National Flood and Drought Relief Authority".to_string()));
        assert!(names("An envoy of the Trade, Energy and Transport Office came.")
            .contains(&"Trade, Energy and Transport Office".to_string()));
        assert!(!names("He met Ann Lee and Budget Office staff.").iter().any(|n| n.contains("Ann")));
        // A title after the name ends it; a last possessive is not the name's.
        assert_eq!(names("the Andean Court of Justice Head Ana Ruiz said"), ["Andean Court of Justice"]);
        assert_eq!(names("the Lima Group's statement"), ["Lima Group"]);
        // A title's abbreviation and a country's are no organisation.
        assert!(definitions(&tokens("External Affairs Minister (EAM) Ravi Sen")).is_empty());
        assert!(definitions(&tokens("the Governor-General of Papua New Guinea (PNG) said")).is_empty());
    }
}
