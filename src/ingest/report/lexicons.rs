//! The gazetteer and lexicons the extractor ships with: countries (with their adjectives,
//! demonyms and other names) and their cities, well-known organisations and their acronyms,
//! the words titles are made of, the topic lexicon, and the capitalised words that are never
//! part of a person's name.
//!
//! Everything here is plain data, compiled into the binary; lookups go through [`Lexicon`],
//! built once per process. The wording lists (of meetings, arrivals, topics, ...) live in
//! [`wording`](super::wording) and are re-exported here.

use std::collections::HashMap;
use std::sync::OnceLock;

pub use super::wording::*;

/// A well-known organisation: its acronym (the name recorded first), its full names, and the
/// organisation it belongs to ("UN" for UN agencies), recorded too.
pub struct Org {
    /// The acronym.
    pub acronym: &'static str,
    /// Full names, the usual one first.
    pub names: Vec<&'static str>,
    /// The parent organisation's acronym, if any.
    pub parent: Option<&'static str>,
}

const ORGS_TSV: &str = include_str!("../../../data/orgs/orgs.tsv");

/// The organisation list (`data/orgs/orgs.tsv`: acronym, parent, names), read once.
pub fn orgs() -> &'static [Org] {
    static ORGS: OnceLock<Vec<Org>> = OnceLock::new();
    ORGS.get_or_init(|| {
        ORGS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let mut cols = l.split('\t');
                let acronym = cols.next().unwrap_or_default();
                let parent = cols.next().filter(|p| !p.is_empty());
                let names = cols.next().unwrap_or_default().split('|').filter(|n| !n.is_empty()).collect();
                Org { acronym, names, parent }
            })
            .collect()
    })
}

/// Words that make a title by themselves: a participant's title holds at least one
/// (lower case; multi-word titles like "Prime Minister" are sequences of these and
/// [`TITLE_MODIFIERS`]).
pub const TITLE_HEADS: &[&str] = &[
    "president",
    "vice-president",
    "minister",
    "vice-minister",
    "ambassador",
    "ambassador-at-large",
    "representative",
    "envoy",
    "head",
    "chairman",
    "chairwoman",
    "chairperson",
    "chair",
    "vice-chairman",
    "secretary-general",
    "under-secretary-general",
    "secretary",
    "director",
    "director-general",
    "commissioner",
    "speaker",
    "governor",
    "mayor",
    "akim",
    "hokim",
    "chancellor",
    "king",
    "emir",
    "prince",
    "sheikh",
    "coordinator",
    "nuncio",
    "adviser",
    "advisor",
    "spokesperson",
    "chief",
    "commander",
    "counsellor",
    "rector",
    "senator",
    "ceo",
    "ombudsman",
    "chargé",
    "officer",
    "mufti",
    "administrator",
    "premier",
    "consul",
    "consul-general",
    "attaché",
    "president-elect",
    "dean",
    "leader",
    "fm",
    "pm",
];

/// Styles that stand before a name like a title ("Foreign Minister Prince Faisal", "Sheikh
/// Abdullah"): they introduce a name, but they are not the person's title.
pub const STYLES: &[&str] = &["sheikh", "sheikha", "prince", "princess"];

/// Titles the genre abbreviates, and what they stand for ("FM Lavrov" → Foreign Minister).
pub const TITLE_ABBREVIATIONS: &[(&str, &str)] =
    &[("FM", "Foreign Minister"), ("PM", "Prime Minister"), ("EAM", "External Affairs Minister")];

/// Words that modify a title head ("Deputy", "Foreign", "Special"), lower case.
pub const TITLE_MODIFIERS: &[&str] = &[
    "apostolic",
    "deputy",
    "first",
    "vice",
    "prime",
    "foreign",
    "special",
    "high",
    "executive",
    "managing",
    "permanent",
    "resident",
    "general",
    "state",
    "assistant",
    "acting",
    "former",
    "newly",
    "appointed",
    "regional",
    "country",
    "senior",
    "chief",
    "extraordinary",
    "plenipotentiary",
];

/// The topic lexicon: each topic and the words or phrases (lower case, matched on word
/// boundaries) that show it was discussed.
pub const TOPICS: &[(&str, &[&str])] = &[
    ("security", &["security", "stability", "border security"]),
    ("counter-terrorism", &["counter-terrorism", "counterterrorism", "terrorism", "terrorist", "violent extremism"]),
    ("preventive diplomacy", &["preventive diplomacy", "conflict prevention"]),
    ("trade", &["trade", "trade turnover", "commerce", "exports", "imports", "free trade"]),
    ("investment", &["investment", "investments", "investors"]),
    ("energy", &["energy", "electricity", "hydropower", "natural gas", "gas pipeline", "oil", "renewable", "fuel"]),
    ("water", &["water", "water resources", "irrigation", "aral sea", "transboundary rivers"]),
    (
        "climate",
        &["climate", "climate change", "emissions", "glaciers", "glacier", "decarbonisation", "decarbonization"],
    ),
    ("education", &["education", "universities", "university", "students", "scholarships", "training of", "schools"]),
    (
        "health",
        &[
            "health",
            "healthcare",
            "health care",
            "medicine",
            "pandemic",
            "vaccines",
            "pharmaceuticals",
            "pharmaceutical",
        ],
    ),
    ("transport", &["transport", "transit", "logistics", "railway", "railways", "corridor", "middle corridor"]),
    ("agriculture", &["agriculture", "agricultural", "food security", "farming"]),
    ("culture", &["culture", "cultural", "humanitarian ties", "tourism"]),
    (
        "digital",
        &[
            "digital",
            "digitalisation",
            "digitalization",
            "artificial intelligence",
            "it sector",
            "information technology",
            "information technologies",
        ],
    ),
    ("Afghanistan", &["afghanistan", "afghan"]),
    ("migration", &["migration", "migrants", "labour migrants", "labor migrants"]),
    ("human rights", &["human rights"]),
    ("border", &["border delimitation", "delimitation", "demarcation"]),
    ("sustainable development", &["sustainable development", "sdgs", "sustainable development goals"]),
    ("drugs", &["drug trafficking", "narcotics", "drugs"]),
    ("women", &["women's empowerment", "gender equality", "women and peace"]),
];

/// Capitalised words that are never part of a person's name (beyond titles, countries,
/// cities and organisations): institutions, events, regions, sentence openers.
pub const NOT_NAMES: &[&str] = &[
    // institutions and their parts ("Joint Commission", "Politburo Member")
    "joint",
    "politburo",
    "ministry",
    "ministries",
    "affairs",
    // a service's field ("Consumer Rights", "Human Wellbeing")
    "rights",
    "wellbeing",
    "well-being",
    "foreign",
    "centre",
    "center",
    // an Indian state's and a house's words ("Pradesh", "Sabha"), a ministry's field
    "pradesh",
    "sabha",
    "husbandry",
    "office",
    "council",
    "assembly",
    "committee",
    "organization",
    "organisation",
    "union",
    "bank",
    "fund",
    "forum",
    "summit",
    "session",
    "conference",
    "dialogue",
    "agency",
    "programme",
    "program",
    "commission",
    "group",
    "initiative",
    "partnership",
    "cooperation",
    "co-operation",
    "development",
    "nations",
    "united",
    "regional",
    "international",
    "national",
    "republic",
    "federation",
    "kingdom",
    "states",
    "department",
    "parliament",
    "senate",
    "majilis",
    "mazhilis",
    "mejlis",
    "oliy",
    "majlis",
    "government",
    "cabinet",
    "administration",
    "embassy",
    "consulate",
    "mission",
    "delegation",
    "secretariat",
    "university",
    "institute",
    "academy",
    "association",
    "chamber",
    "company",
    "corporation",
    "authority",
    "service",
    "security",
    "defence",
    "defense",
    "economy",
    "economic",
    "energy",
    "trade",
    "investment",
    "investments",
    "transport",
    "water",
    "health",
    "education",
    "culture",
    "justice",
    "interior",
    "finance",
    "agriculture",
    "industry",
    "labour",
    "labor",
    "social",
    "digital",
    "preventive",
    "diplomacy",
    "counter-terrorism",
    "terrorism",
    "crime",
    "drugs",
    "refugees",
    "environment",
    "climate",
    "emergency",
    "situations",
    "sciences",
    "science",
    "statistics",
    "railways",
    "railway",
    "airways",
    "airlines",
    "people's",
    "peoples",
    "council's",
    "house",
    "palace",
    "hall",
    "congress",
    "general",
    "board",
    "court",
    "supreme",
    "constitutional",
    "military",
    "armed",
    "forces",
    "police",
    "customs",
    "border",
    "guard",
    "presidential",
    "state",
    "public",
    "cultural",
    "women",
    "youth",
    "children's",
    "sustainable",
    "goals",
    "agenda",
    "declaration",
    "treaty",
    "agreement",
    "memorandum",
    "roadmap",
    "strategy",
    "plan",
    "framework",
    "platform",
    "format",
    "mechanism",
    "meeting",
    "talks",
    "consultations",
    "round",
    "visit",
    "week",
    "expo",
    "games",
    "olympic",
    "award",
    "prize",
    "order",
    "medal",
    "day",
    "year",
    "new",
    "silk",
    "road",
    "way",
    "belt",
    "gateway",
    "global",
    "corridor",
    "middle",
    "trans-caspian",
    "trans-afghan",
    "pipeline",
    "gas",
    "oil",
    "power",
    "plant",
    "station",
    "port",
    "airport",
    "airports",
    "civil",
    "crown",
    "bureau",
    "scheme",
    "zone",
    "city",
    "region",
    "province",
    "district",
    "oblast",
    "valley",
    "archipelago",
    "island",
    "islands",
    "peninsula",
    "building",
    "river",
    "sea",
    "lake",
    "mountains",
    "central",
    "asia",
    "asian",
    "europe",
    "european",
    "eurasia",
    "eurasian",
    "caspian",
    "aral",
    "fergana",
    "ferghana",
    "caucasus",
    "pacific",
    "atlantic",
    "arctic",
    "africa",
    "african",
    "america",
    "latin",
    "east",
    "west",
    "north",
    "south",
    "eastern",
    "western",
    "northern",
    "southern",
    "gulf",
    "arab",
    "islamic",
    "islamist",
    "nuclear",
    "turkic",
    "nordic",
    "baltic",
    "world",
    "one",
    "plus",
    "c5",
    // ministries' portfolios and the last words of long titles
    "policy",
    "policies",
    "industries",
    "change",
    "sports",
    "sport",
    "tourism",
    "planning",
    "monitoring",
    "evaluation",
    "infrastructure",
    "communications",
    "communication",
    "information",
    "technology",
    "technologies",
    "housing",
    "urbanisation",
    "urbanization",
    "urban",
    "resources",
    "mines",
    "mining",
    "petroleum",
    "fisheries",
    "forestry",
    "works",
    "commerce",
    "employment",
    "welfare",
    "family",
    "gender",
    "relations",
    "integration",
    "budget",
    "treasury",
    "revenue",
    "presidency",
    "orientation",
    "coordination",
    "worship",
    "heritage",
    "innovation",
    "protection",
    "reform",
    "reforms",
    "minerals",
    "aviation",
    "maritime",
    "commonwealth",
    "party",
    "courtesy",
    "guesthouse",
    "diplomatic",
    "villa",
    "residence",
    "news",
    "press",
    "media",
    "television",
    "radio",
    "newspaper",
    "tempore",
    "pro",
    "photo:",
    "reuters",
    "xinhua",
    "sputnik",
    "tass",
    // sentence openers and other capitalised function words
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "his",
    "her",
    "their",
    "we",
    "our",
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "while",
    "meanwhile",
    "also",
    "moreover",
    "furthermore",
    "besides",
    "however",
    "therefore",
    "thus",
    "then",
    "later",
    "earlier",
    "today",
    "yesterday",
    "tomorrow",
    "according",
    "as",
    "at",
    "by",
    "for",
    "from",
    "with",
    "within",
    "under",
    "over",
    "of",
    "to",
    "and",
    "or",
    "but",
    "both",
    "each",
    "all",
    "some",
    "other",
    "another",
    "such",
    "there",
    "here",
    "when",
    "where",
    "which",
    "who",
    "whom",
    "what",
    "why",
    "how",
    "following",
    "speaking",
    "addressing",
    "noting",
    "recalling",
    "welcoming",
    "stressing",
    "opening",
    "closing",
    "since",
    "until",
    "last",
    "next",
    "first",
    "second",
    "third",
    "parties",
    "sides",
    "participants",
    "mr",
    "mr.",
    "ms",
    "ms.",
    "mrs",
    "mrs.",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "h.e.",
    "excellency",
    "his",
    "her",
    "majesty",
    "highness",
    "photo",
    "source",
    "read",
    "more",
    "note",
    "update",
    "updated",
];

/// Days of the week: never a name, and they end a name ("Kaya Monday" is Kaya on Monday).
pub const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Month names and abbreviations (lower case) and their numbers.
pub const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// The month number of a month name or abbreviation (any case, a trailing `.` allowed).
pub fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

/// Name particles allowed inside a person's name ("Ursula von der Leyen").
pub const PARTICLES: &[&str] =
    &["van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "le", "la", "bin", "ibn", "al", "el", "ter"];

/// Honorifics that announce a person and are not part of the name.
pub const HONORIFICS: &[&str] = &[
    "madam",
    "madame",
    "mr",
    "mr.",
    "ms",
    "ms.",
    "mrs",
    "mrs.",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "h.e.",
    "h.e",
    "h.m.",
    "h.r.h.",
    "h.h.",
    "hon",
    "hon.",
    "sir",
    "dame",
    "lord",
    "lady",
    "shri",
    "smt",
    "smt.",
    "datuk",
    "dato",
    "dato'",
    "ratu",
    "seri",
    "sri",
    "puan",
    "toh",
    "patinggi",
    "monsignor",
    "msgr.",
    "excellency",
    "mme",
    "mme.",
    "rt",
    "rt.",
    "honourable",
    "honorable",
    "messrs",
    "messrs.",
    "sen.",
    "rep.",
    "gov.",
    "amb.",
    "gen.",
    "col.",
    "capt.",
];

/// What a capitalised word or phrase is, for the extractor (places come from the
/// [`gazetteer`](super::gazetteer)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// An organisation, by index in [`orgs`].
    Org(usize),
}

/// The lexicons indexed for lookup, built once.
pub struct Lexicon {
    /// Folded phrase → entry; phrases of one to eight words.
    pub phrases: HashMap<String, Entry>,
    /// The longest phrase, in words.
    pub max_words: usize,
    /// Folded words that are never part of a name.
    pub not_names: std::collections::HashSet<String>,
}

impl Lexicon {
    /// The process-wide lexicon.
    pub fn get() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::build)
    }

    fn build() -> Lexicon {
        let mut phrases = HashMap::new();
        let add = |p: &str, e: Entry, phrases: &mut HashMap<String, Entry>| {
            phrases.entry(p.to_lowercase()).or_insert(e);
        };
        for (i, o) in orgs().iter().enumerate() {
            add(o.acronym, Entry::Org(i), &mut phrases);
            for n in &o.names {
                add(n, Entry::Org(i), &mut phrases);
            }
        }
        let max_words = phrases.keys().map(|k| k.split(' ').count()).max().unwrap_or(1);
        let mut not_names: std::collections::HashSet<String> = NOT_NAMES.iter().map(|s| s.to_string()).collect();
        not_names.extend(TITLE_HEADS.iter().map(|s| s.to_string()));
        not_names.extend(TITLE_MODIFIERS.iter().map(|s| s.to_string()));
        not_names.extend(WEEKDAYS.iter().map(|s| s.to_string()));
        not_names.extend(HONORIFICS.iter().map(|s| s.to_string()));
        // Full month names only: "Jan" is a name too.
        not_names.extend(MONTHS.iter().filter(|(m, _)| m.len() > 4 || *m == "may").map(|(m, _)| m.to_string()));
        Lexicon { phrases, max_words, not_names }
    }

    /// The entry of a phrase (any case).
    pub fn lookup(&self, phrase: &str) -> Option<Entry> {
        self.phrases.get(&phrase.to_lowercase()).copied()
    }

    /// The country a word or phrase names (name, official form, adjective, demonym), if any.
    pub fn country(&self, phrase: &str) -> Option<&'static str> {
        super::gazetteer::gazetteer().country(phrase)
    }

    /// The city a phrase names and its country, spelled as in the gazetteer.
    pub fn city(&self, phrase: &str) -> Option<(&'static str, &'static str)> {
        super::gazetteer::gazetteer().city(phrase).map(|c| (c.name, c.country))
    }

    /// The organisation a phrase names (acronym, case-sensitive, or full name, any case).
    pub fn org(&self, phrase: &str) -> Option<&'static Org> {
        match self.lookup(phrase) {
            Some(Entry::Org(i)) => {
                let o = &orgs()[i];
                // Acronyms count only as written ("who" is not WHO).
                if phrase.eq_ignore_ascii_case(o.acronym) && phrase != o.acronym {
                    return None;
                }
                Some(o)
            }
            _ => None,
        }
    }

    /// Whether a (folded) word is never part of a person's name.
    pub fn is_not_name(&self, folded: &str) -> bool {
        self.not_names.contains(folded)
    }
}

/// Whether a folded word is a title head; a compound with a head before its hyphen is one
/// too ("governor-general", "vice-chancellor"), not a family name made of the Arabic article
/// and a title's word ("Al-Sheikh", "El-Amir").
pub fn is_title_head(folded: &str) -> bool {
    TITLE_HEADS.contains(&folded)
        || folded.split_once('-').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && !ARTICLES.contains(&a)
                && (TITLE_HEADS.contains(&a) || TITLE_HEADS.contains(&b))
        })
}

/// The Arabic article as family names write it before a hyphen ("Al-", "El-", "Ash-").
const ARTICLES: &[&str] = &["al", "el", "al'", "ash", "as", "ad", "ar", "an", "at", "az", "ul"];

/// Whether a folded word is a title word (a head or a modifier).
pub fn is_title_word(folded: &str) -> bool {
    is_title_head(folded) || TITLE_MODIFIERS.contains(&folded)
}
