//! The fields of a meeting as the language sees them (CONTRACT §3): which values a field has
//! for a record, how strings fold for comparison, and which fields have an index.
//!
//! **Invariant:** this is the one place that says what `org` or `country` means for a record;
//! the storage layer indexes exactly these values and the executor compares exactly these.

use std::cmp::Ordering;

use crate::model::{Kind, Meeting, PartialDate, Participant};

/// A field of a meeting usable in `where`, `order by`, `count by` and `select`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MeetingField {
    /// The meeting's (partial) date.
    Date,
    /// "meeting", "call" or "video".
    Kind,
    /// Where it took place.
    City,
    /// Host country and countries involved.
    Country,
    /// `orgs` and every participant's `org`.
    Org,
    /// Participants' names.
    Person,
    /// Participants' titles.
    Title,
    /// Topics.
    Topic,
    /// Publisher, doc and url.
    Source,
    /// Summary and text.
    Text,
    /// The record id.
    Id,
}

impl MeetingField {
    /// Every field, in the order `.fields` lists them.
    pub const ALL: [MeetingField; 11] = [
        MeetingField::Date,
        MeetingField::Kind,
        MeetingField::City,
        MeetingField::Country,
        MeetingField::Org,
        MeetingField::Person,
        MeetingField::Title,
        MeetingField::Topic,
        MeetingField::Source,
        MeetingField::Text,
        MeetingField::Id,
    ];

    /// The field's name in the language.
    pub fn name(self) -> &'static str {
        match self {
            MeetingField::Date => "date",
            MeetingField::Kind => "kind",
            MeetingField::City => "city",
            MeetingField::Country => "country",
            MeetingField::Org => "org",
            MeetingField::Person => "person",
            MeetingField::Title => "title",
            MeetingField::Topic => "topic",
            MeetingField::Source => "source",
            MeetingField::Text => "text",
            MeetingField::Id => "id",
        }
    }

    /// The field named `name` (lower case), if any.
    pub fn from_name(name: &str) -> Option<MeetingField> {
        MeetingField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the text index holds this field's values: `contains` on it then reads the
    /// index's grams for candidates ([`pattern_grams`]) instead of testing every record.
    pub fn has_text_index(self) -> bool {
        matches!(self, MeetingField::Text | MeetingField::Person | MeetingField::Title)
    }

    /// The secondary index that answers predicates on this field, if it has one.
    pub fn index(self) -> Option<IndexField> {
        match self {
            MeetingField::Org => Some(IndexField::Org),
            MeetingField::Person => Some(IndexField::Person),
            MeetingField::Country => Some(IndexField::Country),
            MeetingField::City => Some(IndexField::City),
            MeetingField::Topic => Some(IndexField::Topic),
            MeetingField::Source => Some(IndexField::Source),
            _ => None,
        }
    }

    /// The string values of this field for `m`, as stored (not folded). Empty for `date`.
    pub fn values<M: MeetingParts>(self, m: &M) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        self.any_value(m, |s| {
            v.push(s);
            false
        });
        v
    }

    /// Whether `test` holds for some value of this field for `m`: the values of
    /// [`MeetingField::values`], in the same order, without collecting them; stops at the first
    /// value that passes.
    pub fn any_value<'m, M: MeetingParts>(self, m: &'m M, mut test: impl FnMut(&'m str) -> bool) -> bool {
        let mut one = |s: &'m str| !s.trim().is_empty() && test(s);
        let one = &mut one;
        match self {
            MeetingField::Date => false,
            MeetingField::Kind => one(m.kind().as_str()),
            MeetingField::City => m.city().is_some_and(&mut *one),
            MeetingField::Country => {
                m.country().is_some_and(&mut *one) || m.countries().iter().any(|s| one(s.as_ref()))
            }
            MeetingField::Org => {
                m.orgs().iter().any(|s| one(s.as_ref()))
                    || m.participants().iter().filter_map(|p| p.org()).any(&mut *one)
            }
            MeetingField::Person => m.participants().iter().any(|p| one(p.name())),
            MeetingField::Title => m.participants().iter().filter_map(|p| p.title()).any(&mut *one),
            MeetingField::Topic => m.topics().iter().any(|s| one(s.as_ref())),
            MeetingField::Source => m.source().into_iter().flatten().any(&mut *one),
            MeetingField::Text => m.summary().is_some_and(&mut *one) || m.text().is_some_and(&mut *one),
            MeetingField::Id => one(m.id()),
        }
    }

    /// Distinct values of this field for `m` by folded form, each with its first spelling
    /// (trimmed), in the order they appear.
    /// Linear in the number of values: a record of 400,000 orgs is one pass, not a search of
    /// the values seen so far for each.
    pub fn distinct_values(self, m: &Meeting) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        // Where in `out` each folded value is.
        let mut at: foldhash::HashMap<String, usize> = Default::default();
        for v in self.values(m) {
            let f = fold(v);
            match at.get(&f) {
                // Of several spellings, a capitalised one ("OSCE") reads better than "osce".
                Some(&i) if prefer_spelling(v.trim(), out[i].1) => out[i].1 = v.trim(),
                Some(_) => {}
                None => {
                    at.insert(f.clone(), out.len());
                    out.push((f, v.trim()));
                }
            }
        }
        out
    }
}

/// A field inside `participant { ... }`: one participant's own value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParticipantField {
    /// The participant's name.
    Name,
    /// The participant's title.
    Title,
    /// The participant's organisation.
    Org,
    /// The participant's country.
    Country,
}

impl ParticipantField {
    /// Every participant field.
    pub const ALL: [ParticipantField; 4] =
        [ParticipantField::Name, ParticipantField::Title, ParticipantField::Org, ParticipantField::Country];

    /// The field's name inside `participant { }`.
    pub fn name(self) -> &'static str {
        match self {
            ParticipantField::Name => "name",
            ParticipantField::Title => "title",
            ParticipantField::Org => "org",
            ParticipantField::Country => "country",
        }
    }

    /// The field named `name`, if any.
    pub fn from_name(name: &str) -> Option<ParticipantField> {
        ParticipantField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// This participant's value of the field.
    pub fn value<P: ParticipantParts>(self, p: &P) -> Option<&str> {
        match self {
            ParticipantField::Name => Some(p.name()),
            ParticipantField::Title => p.title(),
            ParticipantField::Org => p.org(),
            ParticipantField::Country => p.country(),
        }
        .filter(|s| !s.trim().is_empty())
    }

    /// The meeting-level field whose index holds a superset of this field's values, used to
    /// narrow candidates for `participant { }` before checking each participant.
    pub fn meeting_field(self) -> MeetingField {
        match self {
            ParticipantField::Name => MeetingField::Person,
            ParticipantField::Title => MeetingField::Title,
            ParticipantField::Org => MeetingField::Org,
            ParticipantField::Country => MeetingField::Country,
        }
    }
}

/// A field with a secondary index: its values, folded, map to the meetings that have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndexField {
    /// `org`
    Org,
    /// `person`
    Person,
    /// `country`
    Country,
    /// `city`
    City,
    /// `topic`
    Topic,
    /// `source`
    Source,
}

impl IndexField {
    /// Every indexed field.
    pub const ALL: [IndexField; 6] = [
        IndexField::Org,
        IndexField::Person,
        IndexField::Country,
        IndexField::City,
        IndexField::Topic,
        IndexField::Source,
    ];

    /// The meeting field this index answers.
    pub fn field(self) -> MeetingField {
        match self {
            IndexField::Org => MeetingField::Org,
            IndexField::Person => MeetingField::Person,
            IndexField::Country => MeetingField::Country,
            IndexField::City => MeetingField::City,
            IndexField::Topic => MeetingField::Topic,
            IndexField::Source => MeetingField::Source,
        }
    }
}

/// Whether `new` is a better way to show a value than `old` (they fold alike): one with
/// capitals beats an all-lower-case one.
pub fn prefer_spelling(new: &str, old: &str) -> bool {
    old.chars().all(|c| !c.is_uppercase()) && new.chars().any(char::is_uppercase)
}

/// The form strings compare in: surrounding white space removed, lower-cased (Unicode), so
/// `" Türkiye "` and `"türkiye"` are equal.
pub fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// `fold` for a prefix or substring pattern: leading white space is removed but trailing white
/// space is kept, since `starts with "UN "` must not match "UNRCCA".
pub fn fold_pattern(s: &str) -> String {
    s.trim_start().to_lowercase()
}

/// Characters in one gram of the text index: it holds every run of this many characters of
/// each lower-cased value of the fields that have one ([`MeetingField::has_text_index`]).
pub const GRAM_CHARS: usize = 3;

/// Grams looked up for a more selective answer before the lists get long: a pattern with
/// more distinct grams is covered by grams that do not overlap instead (see [`pattern_grams`]).
const ALL_GRAMS_UP_TO: usize = 4;

/// Grams looked up for one pattern at most.
const MAX_GRAMS: usize = 8;

/// The grams the text index is asked for to find the values that may contain `pattern` (a
/// `contains` pattern, lower-cased): every distinct gram of a short pattern, else grams at
/// every [`GRAM_CHARS`]-th character and the last one, so that every character of the pattern
/// is in one (at most [`MAX_GRAMS`] of them). A value whose lower-cased form contains the
/// pattern contains each of its grams, so the records holding them all are a superset of the
/// matches. `None` when the pattern is shorter than a gram: the index cannot narrow it.
pub fn pattern_grams(pattern: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = pattern.chars().collect();
    if chars.len() < GRAM_CHARS {
        return None;
    }
    let gram = |i: usize| String::from_iter(&chars[i..i + GRAM_CHARS]);
    let last = chars.len() - GRAM_CHARS;
    // The distinct grams, as long as there are few (a pattern may be megabytes long).
    let mut distinct: Vec<&[char]> = Vec::new();
    for w in chars.windows(GRAM_CHARS) {
        if !distinct.contains(&w) {
            distinct.push(w);
            if distinct.len() > ALL_GRAMS_UP_TO {
                break;
            }
        }
    }
    if distinct.len() <= ALL_GRAMS_UP_TO {
        return Some(distinct.into_iter().map(String::from_iter).collect());
    }
    let covering = last / GRAM_CHARS + 1 + usize::from(!last.is_multiple_of(GRAM_CHARS));
    let at: Vec<usize> = if covering > MAX_GRAMS {
        // Spread evenly over the pattern, the first and the last kept.
        (0..MAX_GRAMS).map(|i| i * last / (MAX_GRAMS - 1)).collect()
    } else {
        (0..=last).step_by(GRAM_CHARS).chain((!last.is_multiple_of(GRAM_CHARS)).then_some(last)).collect()
    };
    let mut picked: Vec<String> = Vec::new();
    for i in at {
        let g = gram(i);
        if !picked.contains(&g) {
            picked.push(g);
        }
    }
    Some(picked)
}

/// Read access to the parts of a meeting record that fields and predicates look at, so that
/// what a field means ([`MeetingField::any_value`]) and how a filter is tested
/// ([`crate::exec::holds`]) are written once for an owned [`Meeting`] and for a record read in
/// place from its stored bytes (the storage codec's view, for scans).
pub trait MeetingParts {
    /// How the record holds the strings of its lists (`String`, or a borrowed stored string).
    type Str: AsRef<str>;
    /// How the record holds a participant.
    type Part: ParticipantParts;
    /// The record id.
    fn id(&self) -> &str;
    /// The meeting's date.
    fn date(&self) -> PartialDate;
    /// The meeting's kind.
    fn kind(&self) -> Kind;
    /// The city it took place in.
    fn city(&self) -> Option<&str>;
    /// The host country.
    fn country(&self) -> Option<&str>;
    /// The people who met.
    fn participants(&self) -> &[Self::Part];
    /// Organisations involved.
    fn orgs(&self) -> &[Self::Str];
    /// Countries involved.
    fn countries(&self) -> &[Self::Str];
    /// What was discussed.
    fn topics(&self) -> &[Self::Str];
    /// The source's publisher, doc and url, in that order.
    fn source(&self) -> [Option<&str>; 3];
    /// The summary.
    fn summary(&self) -> Option<&str>;
    /// The full text.
    fn text(&self) -> Option<&str>;
}

/// Read access to one participant's parts (see [`MeetingParts`]).
pub trait ParticipantParts {
    /// Full name.
    fn name(&self) -> &str;
    /// Title or position.
    fn title(&self) -> Option<&str>;
    /// Organisation.
    fn org(&self) -> Option<&str>;
    /// Country.
    fn country(&self) -> Option<&str>;
}

impl MeetingParts for Meeting {
    type Str = String;
    type Part = Participant;
    fn id(&self) -> &str {
        &self.id
    }
    fn date(&self) -> PartialDate {
        self.date
    }
    fn kind(&self) -> Kind {
        self.kind
    }
    fn city(&self) -> Option<&str> {
        self.city.as_deref()
    }
    fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }
    fn participants(&self) -> &[Participant] {
        &self.participants
    }
    fn orgs(&self) -> &[String] {
        &self.orgs
    }
    fn countries(&self) -> &[String] {
        &self.countries
    }
    fn topics(&self) -> &[String] {
        &self.topics
    }
    fn source(&self) -> [Option<&str>; 3] {
        [self.source.publisher.as_deref(), self.source.doc.as_deref(), self.source.url.as_deref()]
    }
    fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }
    fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
}

impl ParticipantParts for Participant {
    fn name(&self) -> &str {
        &self.name
    }
    fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
    fn org(&self) -> Option<&str> {
        self.org.as_deref()
    }
    fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }
}

/// Whether `value.to_lowercase()` contains `pattern`, a pattern already lower-cased (the test
/// of `contains`), without lower-casing `value` when the answer can be read off its bytes.
///
/// For an ASCII pattern, a case-insensitive byte search finds every match whose characters
/// were ASCII in `value`. Every other character lower-cases to non-ASCII text except KELVIN
/// SIGN (to `k`) and LATIN CAPITAL LETTER I WITH DOT ABOVE (to `i` and a combining dot), so
/// when the search fails only a value holding one of those two needs the exact test. A
/// non-ASCII pattern can never match an ASCII value.
pub fn contains_folded(value: &str, pattern: &str) -> bool {
    if pattern.is_ascii() {
        find_ascii_ci(value.as_bytes(), pattern.as_bytes())
            || (!value.is_ascii() && has_ascii_lowering(value.as_bytes()) && value.to_lowercase().contains(pattern))
    } else {
        !value.is_ascii() && value.to_lowercase().contains(pattern)
    }
}

/// Patterns up to this many bytes in all are matched by a DFA, longer ones by an NFA.
const DFA_PATTERN_BYTES: usize = 1024;

/// One automaton that finds any of `patterns` (`None` when it would be too large to build),
/// built in time about linear in their total length. Two of the crate's build steps are not,
/// for some inputs, and are kept away from:
///
/// * The DFA it picks by itself for up to 100 patterns fills each missing transition by
///   following the NFA's failure links: for two 1 MiB patterns (`text contains "xxx…" or org
///   = "yyy…"`) that is up to a million steps a state, minutes where the NFA takes
///   milliseconds. A DFA (a little faster to run) is built only for short pattern sets.
/// * Moving the matching states of the trie before the others (`shuffle`) follows cycles of
///   the permutation it made, each as often as it is long: when a few non-matching states are
///   followed by many matching ones — patterns that extend each other, such as "o1", "o10",
///   "o100", … — that is the square of the pattern count (100,000 such patterns: 97 s). A
///   pattern that extends another is left out (a text holding it holds the shorter one, so the
///   same texts match); then every matching state is a leaf of the trie, below a
///   non-matching state with at most 256 of them, and the cycles stay short.
fn automaton<P: AsRef<[u8]>>(patterns: &[P], ascii_case_insensitive: bool) -> Option<aho_corasick::AhoCorasick> {
    use aho_corasick::AhoCorasickKind::{ContiguousNFA, NoncontiguousNFA, DFA};
    let patterns = without_extensions(patterns);
    let bytes: usize = patterns.iter().map(|p| p.len()).sum();
    let kinds: &[_] =
        if bytes <= DFA_PATTERN_BYTES { &[DFA, ContiguousNFA] } else { &[ContiguousNFA, NoncontiguousNFA] };
    let build = |kind| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(ascii_case_insensitive)
            .kind(Some(kind))
            .build(&patterns)
            .ok()
    };
    kinds.iter().find_map(|&k| build(k))
}

/// The patterns that do not start with another one, sorted, each once: a text holds one of
/// them exactly when it holds one of `patterns`.
fn without_extensions<P: AsRef<[u8]>>(patterns: &[P]) -> Vec<&[u8]> {
    let mut sorted: Vec<&[u8]> = patterns.iter().map(AsRef::as_ref).collect();
    sorted.sort_unstable();
    // Sorted, a pattern's extensions follow it, and every pattern between them extends it too.
    let mut out: Vec<&[u8]> = Vec::with_capacity(sorted.len());
    for p in sorted {
        if !out.last().is_some_and(|kept| p.starts_with(kept)) {
            out.push(p);
        }
    }
    out
}

/// The test of an `or` of `contains` terms on one field: whether `value.to_lowercase()`
/// contains one of the patterns (each already lower-cased), in one pass over the value with an
/// Aho–Corasick automaton built once a query, instead of one pass per pattern. It holds of
/// exactly the values of which one of [`contains_folded`] with each pattern holds.
#[derive(Clone)]
pub struct ContainsAny {
    patterns: Vec<String>,
    /// The patterns, their ASCII letters matched in either case.
    automaton: std::sync::Arc<aho_corasick::AhoCorasick>,
    /// Whether every pattern is ASCII.
    ascii: bool,
}

impl ContainsAny {
    /// The matcher of `patterns` (lower-cased, as `contains` patterns are), or `None` when the
    /// automaton would be too large to build.
    pub fn new(patterns: Vec<String>) -> Option<ContainsAny> {
        let automaton = automaton(&patterns, true)?;
        let ascii = patterns.iter().all(|p| p.is_ascii());
        Some(ContainsAny { patterns, automaton: std::sync::Arc::new(automaton), ascii })
    }

    /// The patterns, in the order given.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether `value.to_lowercase()` contains one of the patterns, without lower-casing
    /// `value` when its bytes decide (the reasoning of [`contains_folded`]).
    pub fn holds(&self, value: &str) -> bool {
        // ASCII text lower-cases letter by letter, which the automaton does as it matches; an
        // ASCII pattern found in the raw bytes of any value is found in its lower-cased form.
        if value.is_ascii() {
            return self.automaton.is_match(value);
        }
        if self.ascii {
            // Only the two characters that lower-case to ASCII can make a match the raw bytes
            // lack.
            if self.automaton.is_match(value) {
                return true;
            }
            if !has_ascii_lowering(value.as_bytes()) {
                return false;
            }
        }
        // The lower-cased text has no upper-case ASCII letter left for the automaton to fold.
        self.automaton.is_match(&value.to_lowercase())
    }
}

impl std::fmt::Debug for ContainsAny {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ContainsAny").field(&self.patterns).finish()
    }
}

impl PartialEq for ContainsAny {
    fn eq(&self, other: &ContainsAny) -> bool {
        self.patterns == other.patterns
    }
}

/// Whether `fold(value)` starts with `prefix`, a prefix folded by [`fold_pattern`] (the test
/// of `starts with`), without folding `value` when its first bytes decide.
pub fn starts_with_folded(value: &str, prefix: &str) -> bool {
    let v = value.trim();
    let head = v.as_bytes().get(..prefix.len());
    match head {
        Some(head) if prefix.is_ascii() && head.is_ascii() => head.eq_ignore_ascii_case(prefix.as_bytes()),
        // A shorter ASCII value lower-cases to a shorter string; a non-ASCII prefix never
        // starts an ASCII value.
        _ if v.is_ascii() => false,
        _ => fold(v).starts_with(prefix),
    }
}

/// `fold(value).cmp(folded)`, for a `folded` string, without folding an ASCII `value`.
pub fn cmp_folded(value: &str, folded: &str) -> Ordering {
    let v = value.trim();
    if v.is_ascii() {
        v.bytes().map(|b| b.to_ascii_lowercase()).cmp(folded.bytes())
    } else {
        fold(v).as_str().cmp(folded)
    }
}

/// Text at least one of which a stored record must hold for a scan's filter to hold: ASCII
/// patterns that imply [`contains_folded`], searched for in whole records, so that a record
/// holding none of them is passed over undecoded. Built once a scan.
///
/// [`Needles::may_match`] is `false` only when no string whose UTF-8 bytes lie within the
/// record can pass [`contains_folded`] with any of the patterns: such a value's match is ASCII
/// text of the record (found without case) unless the value holds one of the two characters
/// that lower-case to ASCII (see [`contains_folded`]).
pub struct Needles {
    search: Search,
    /// The record being searched, its ASCII letters lower-cased.
    lowered: Vec<u8>,
}

/// How the needles are looked for: one searcher, or for several one automaton that finds any
/// of them in one pass over the record (not one pass per needle).
enum Search {
    One(Box<memchr::memmem::Finder<'static>>),
    Any(aho_corasick::AhoCorasick),
    /// Every record may match (an automaton too large to build).
    All,
}

impl Needles {
    /// Searchers for `patterns`, lower-case ASCII (as `contains` patterns and folded values are).
    pub fn new(patterns: &[&str]) -> Needles {
        debug_assert!(patterns.iter().all(|p| p.is_ascii() && !p.bytes().any(|b| b.is_ascii_uppercase())));
        let search = match patterns {
            [one] => Search::One(Box::new(memchr::memmem::Finder::new(one.as_bytes()).into_owned())),
            _ => automaton(patterns, false).map_or(Search::All, Search::Any),
        };
        Needles { search, lowered: Vec::new() }
    }

    /// Whether a value stored verbatim in `record` may pass one of the patterns.
    pub fn may_match(&mut self, record: &[u8]) -> bool {
        self.lowered.clear();
        self.lowered.extend(record.iter().map(u8::to_ascii_lowercase));
        let found = match &self.search {
            Search::One(f) => f.find(&self.lowered).is_some(),
            Search::Any(a) => a.is_match(&self.lowered),
            Search::All => true,
        };
        found || has_ascii_lowering(record)
    }
}

/// Whether `value` holds one of the two non-ASCII characters that lower-case to ASCII text:
/// U+212A KELVIN SIGN (`E2 84 AA`) and U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE (`C4 B0`).
fn has_ascii_lowering(b: &[u8]) -> bool {
    memchr::memchr2_iter(0xC4, 0xE2, b).any(|i| b[i..].starts_with(b"\xC4\xB0") || b[i..].starts_with(b"\xE2\x84\xAA"))
}

/// Whether `needle`, ASCII, occurs in `hay` with ASCII letters compared without
/// case. Non-ASCII bytes of `hay` never match, as `needle` has none.
fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if hay.len() < needle.len() {
        return false;
    }
    let last_start = hay.len() - needle.len();
    let matches_at = |i: usize| hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest);
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    if lower == upper {
        memchr::memchr_iter(first, &hay[..=last_start]).any(matches_at)
    } else {
        memchr::memchr2_iter(lower, upper, &hay[..=last_start]).any(matches_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_grams_cover_the_pattern_and_short_patterns_have_none() {
        let g = |p: &str| pattern_grams(p);
        assert_eq!(g("ab"), None);
        assert_eq!(g("ş"), None);
        assert_eq!(g(""), None);
        assert_eq!(g("abc").unwrap(), ["abc"]);
        assert_eq!(g("water").unwrap(), ["wat", "ate", "ter"]);
        assert_eq!(g("aaaaaa").unwrap(), ["aaa"]);
        assert_eq!(g("şu ş").unwrap(), ["şu ", "u ş"]);
        // More distinct grams than a few: every third, and the last, so each character is in one.
        assert_eq!(g("the sides noted").unwrap(), ["the", " si", "des", " no", "ted"]);
        let long: String = (0..100).map(|i| char::from(b'a' + (i * 7 % 26) as u8)).collect();
        let picked = g(&long).unwrap();
        assert!(picked.len() <= MAX_GRAMS, "{picked:?}");
        assert_eq!(picked.first().map(String::as_str), Some(&long[..3]));
        assert_eq!(picked.last().map(String::as_str), Some(&long[97..]));
        assert!(picked.iter().all(|p| long.contains(p.as_str()) && p.chars().count() == GRAM_CHARS));
    }

    #[test]
    fn org_includes_participants_orgs_and_folds() {
        let m: Meeting = serde_json::from_str(
            r#"{"date":"2024","orgs":[" UNRCCA ","UN"],"participants":[{"name":"A","org":"unrcca"},{"name":"B","org":"OSCE"}]}"#,
        )
        .unwrap();
        let d: Vec<String> = MeetingField::Org.distinct_values(&m).into_iter().map(|(f, _)| f).collect();
        assert_eq!(d, ["unrcca", "un", "osce"]);
        assert_eq!(fold(" Türkiye "), "türkiye");
    }

    /// `values` lists a field's non-blank values in the order `any_value` visits them, and
    /// `any_value` stops at the first that passes.
    #[test]
    fn any_value_visits_the_values_in_order() {
        let m: Meeting = serde_json::from_str(
            r#"{"date":"2024","country":"Türkiye","countries":["  ","Iran"],"summary":"S","text":"T",
                "source":{"publisher":"P","url":"U"}}"#,
        )
        .unwrap();
        assert_eq!(MeetingField::Country.values(&m), ["Türkiye", "Iran"]);
        assert_eq!(MeetingField::Source.values(&m), ["P", "U"]);
        assert_eq!(MeetingField::Text.values(&m), ["S", "T"]);
        assert!(MeetingField::Date.values(&m).is_empty());
        let mut seen = Vec::new();
        assert!(MeetingField::Country.any_value(&m, |v| {
            seen.push(v);
            v == "Türkiye"
        }));
        assert_eq!(seen, ["Türkiye"]);
        assert!(!MeetingField::Person.any_value(&m, |_| true));
    }

    /// What `contains_folded` relies on: apart from ASCII, only KELVIN SIGN and CAPITAL I WITH
    /// DOT ABOVE lower-case to text holding ASCII, and an ASCII character lower-cases to one
    /// ASCII character.
    #[test]
    fn only_two_non_ascii_characters_lower_case_to_ascii() {
        let mut found: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        found.sort_unstable();
        assert_eq!(found, ['\u{130}', '\u{212A}']);
        let has = |s: &str| has_ascii_lowering(s.as_bytes());
        assert!(has("x\u{212A}") && has("\u{130}") && !has("ÄĐı€"));
        for b in 0..128u8 {
            let c = b as char;
            assert_eq!(c.to_string().to_lowercase(), c.to_ascii_lowercase().to_string());
        }
    }

    /// Long patterns are matched by an NFA, built in time linear in them (the DFA the crate
    /// picks by itself for up to 100 patterns takes minutes for two 1 MiB ones), and patterns
    /// that extend others are left out (100,000 of them took 97 s to build). Either way, both
    /// matchers find what the patterns one by one find.
    #[test]
    fn issue_16_11_automata_of_long_or_nested_patterns_build_in_linear_time() {
        let kind = |p: &[String]| automaton(p, true).map(|a| a.kind());
        let long = vec!["x".repeat(1 << 20), "y".repeat(1 << 20)];
        assert_eq!(kind(&long), Some(aho_corasick::AhoCorasickKind::ContiguousNFA));
        let short = vec!["water".to_string(), "osce".to_string()];
        assert_eq!(kind(&short), Some(aho_corasick::AhoCorasickKind::DFA));
        // Patterns that extend each other: the shortest of each family is all that is matched.
        let chain: Vec<String> = (0..100_000).map(|i| format!("o{i}")).collect();
        assert_eq!(without_extensions(&chain).len(), 10);
        assert_eq!(without_extensions(&["ab", "a", "b", "ba", "a", ""]), [b"" as &[u8]]);
        assert_eq!(without_extensions(&["ab", "abc", "b", "ac"]), [b"ab" as &[u8], b"ac", b"b"]);
        let huge = format!("a{}b", "Y".repeat(1 << 20));
        for (patterns, also) in [(long, huge.as_str()), (short, "WATERS"), (chain, "no 0 here")] {
            let m = ContainsAny::new(patterns.clone()).expect("built");
            let mut needles = Needles::new(&patterns.iter().map(String::as_str).collect::<Vec<_>>());
            for value in ["Talks on WATER", "at the OSCE", "none", "O9 and o17", also] {
                let want = patterns.iter().any(|p| contains_folded(value, p));
                assert_eq!(m.holds(value), want, "{}", &value[..value.len().min(20)]);
                assert_eq!(needles.may_match(value.as_bytes()), want, "{}", &value[..value.len().min(20)]);
            }
        }
    }

    #[test]
    fn folded_tests_answer_as_folding_would() {
        assert!(contains_folded("Talks on WATER sharing", "water"));
        assert!(contains_folded("a\u{212A}elvin", "kelvin"));
        assert!(contains_folded("İstanbul", "i̇stanbul"));
        assert!(!contains_folded("Istanbul", "i̇stanbul"));
        assert!(contains_folded("ΟΔΟΣ", "οδος"));
        assert!(!contains_folded("ΟΔΟΣ", "οδοσ"));
        assert!(contains_folded(" x ", " x "));
        assert!(starts_with_folded("  UNRCCA ", "unr"));
        assert!(!starts_with_folded("UNRCCA", "un "));
        assert!(starts_with_folded("UN Office", "un "));
        assert!(starts_with_folded("\u{212A}azakh", "kaz"));
        assert!(!starts_with_folded("Ka", "kaz"));
        assert_eq!(cmp_folded(" OSCE ", "osce"), Ordering::Equal);
        assert_eq!(cmp_folded("Türkiye", "türkiye"), Ordering::Equal);
        assert_eq!(cmp_folded("Abc", "abd"), Ordering::Less);
        assert_eq!(cmp_folded("b", "a"), Ordering::Greater);
    }

    mod equivalence {
        use super::*;
        use proptest::prelude::*;

        /// Characters where folding is delicate: ASCII of both cases and white space, letters
        /// that lower-case to ASCII or to several characters, final sigma, and others whose
        /// lower case has another length in UTF-8.
        const CHARS: &[char] = &[
            'a', 'A', 'k', 'K', 'i', 'I', 'w', 'W', 's', 'S', 'z', ' ', '\t', '-', '1', '\u{212A}', '\u{130}',
            '\u{307}', 'ı', 'Σ', 'σ', 'ς', 'ß', 'ẞ', 'Ä', 'ä', 'Ⱥ', 'ⱥ', 'Ω', '\u{2126}', '\u{A0}', '\u{3000}', 'Ǆ',
            'ǅ', 'ǆ', '日',
        ];

        fn text(max: usize) -> impl Strategy<Value = String> {
            prop::collection::vec(prop::sample::select(CHARS), 0..max).prop_map(String::from_iter)
        }

        /// A value and a pattern that often occurs in it: a piece of the value, its case
        /// changed at random, or unrelated text.
        fn value_and_pattern() -> impl Strategy<Value = (String, String)> {
            (text(24), 0..24usize, 0..8usize, any::<u8>(), text(6)).prop_map(|(v, from, len, case, other)| {
                let chars: Vec<char> = v.chars().collect();
                let from = from.min(chars.len());
                let piece: String = chars[from..(from + len).min(chars.len())].iter().collect();
                let p = match case % 4 {
                    0 => piece,
                    1 => piece.to_uppercase(),
                    2 => piece.to_lowercase(),
                    _ => other,
                };
                (v, p)
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4000))]

            #[test]
            fn contains_folded_is_lower_case_then_contains((v, p) in value_and_pattern()) {
                let p = p.to_lowercase();
                prop_assert_eq!(contains_folded(&v, &p), v.to_lowercase().contains(p.as_str()), "{:?} {:?}", v, p);
            }

            #[test]
            fn records_that_may_not_contain_a_pattern_hold_no_value_containing_it(
                (v, p) in value_and_pattern(),
                before in text(6),
                after in text(6),
            ) {
                let p = p.to_lowercase();
                let record = format!("{before}{v}{after}");
                if !p.is_ascii() {
                    return Ok(());
                }
                let mut needles = Needles::new(&["zz", &p]);
                let may = needles.may_match(record.as_bytes());
                if contains_folded(&v, &p) {
                    prop_assert!(may, "{:?} {:?}", record, p);
                }
                // And it tells: absent text is ruled out unless a letter lower-cases to ASCII.
                if !has_ascii_lowering(record.as_bytes()) {
                    let lowered = record.to_ascii_lowercase();
                    prop_assert_eq!(may, lowered.contains(&p) || lowered.contains("zz"));
                }
            }

            #[test]
            fn starts_with_folded_is_fold_then_starts_with((v, p) in value_and_pattern()) {
                let p = fold_pattern(&p);
                prop_assert_eq!(starts_with_folded(&v, &p), fold(&v).starts_with(p.as_str()), "{:?} {:?}", v, p);
            }

            #[test]
            fn cmp_folded_is_fold_then_cmp((v, p) in value_and_pattern()) {
                let p = fold(&p);
                prop_assert_eq!(cmp_folded(&v, &p), fold(&v).cmp(&p), "{:?} {:?}", v, p);
                prop_assert_eq!(cmp_folded(&v, &fold(&v)), Ordering::Equal);
            }
        }
    }
}
