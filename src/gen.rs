//! Synthetic corpora for tests and benchmarks (`meetql gen`).
//!
//! [`generate`] writes `count` records of CONTRACT §2 as JSON Lines; the same `seed` always gives
//! the same bytes. The corpus is skewed like real news: a few organisations and countries
//! appear in most meetings (Zipf-like), people form a long tail (thousands of distinct names
//! for large counts), about 8% of dates are known only to the year and 12% only to the month
//! (2015–2025), about 10% of meetings have no city, and about 30% carry a `text`.
//!
//! The JSON is written by hand, without serde, for speed; [`generate_meetings`] yields the same
//! records as [`Meeting`]s, and the tests check that the two agree.
//!
//! ```
//! let mut out = Vec::new();
//! meetql::gen::generate(3, 42, &mut out).unwrap();
//! let text = String::from_utf8(out).unwrap();
//! let first: meetql::Meeting = serde_json::from_str(text.lines().next().unwrap()).unwrap();
//! assert_eq!(first.id, "g-42-0");
//! assert_eq!(meetql::gen::generate_meetings(3, 42).next(), Some(first));
//! ```

use std::io::{self, Write};

use crate::model::{Kind, Meeting, PartialDate, Participant, Source};

/// splitmix64: small, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A Zipf-like distribution over `0..n`: weight of rank k is 1/(k+1)^s, sampled by binary
/// search in the cumulative table.
struct Zipf {
    cumulative: Vec<u64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut acc = 0.0;
        let weights: Vec<f64> = (0..n)
            .map(|k| {
                acc += 1.0 / ((k + 1) as f64).powf(s);
                acc
            })
            .collect();
        let scale = u32::MAX as f64 / acc;
        Zipf { cumulative: weights.iter().map(|w| (w * scale) as u64).collect() }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let x = rng.next() >> 32;
        self.cumulative.partition_point(|&c| c <= x).min(self.cumulative.len() - 1)
    }
}

const ORGS: &[&str] = &[
    "UN",
    "OSCE",
    "EU",
    "SCO",
    "UNRCCA",
    "CIS",
    "CICA",
    "EAEU",
    "ADB",
    "World Bank",
    "UNDP",
    "UNICEF",
    "WHO",
    "IMF",
    "OIC",
    "ECO",
    "NATO",
    "ASEAN",
    "UNODC",
    "UNHCR",
    "IAEA",
    "FAO",
    "IOM",
    "UNESCO",
    "EBRD",
    "AIIB",
    "Islamic Development Bank",
    "Turkic States Organization",
    "CAREC",
    "IFAS",
    "UN Office of Counter-Terrorism",
    "UNECE",
    "UNESCAP",
    "WTO",
    "ICRC",
    "OPEC",
];

/// Countries, each with its capital and a second city.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("Kazakhstan", "Astana", "Almaty"),
    ("Uzbekistan", "Tashkent", "Samarkand"),
    ("Turkmenistan", "Ashgabat", "Turkmenbashi"),
    ("Kyrgyzstan", "Bishkek", "Osh"),
    ("Tajikistan", "Dushanbe", "Khujand"),
    ("Russia", "Moscow", "Saint Petersburg"),
    ("China", "Beijing", "Xi'an"),
    ("Türkiye", "Ankara", "Istanbul"),
    ("United States", "Washington", "New York"),
    ("Azerbaijan", "Baku", "Ganja"),
    ("Iran", "Tehran", "Mashhad"),
    ("Afghanistan", "Kabul", "Mazar-i-Sharif"),
    ("Germany", "Berlin", "Munich"),
    ("Japan", "Tokyo", "Osaka"),
    ("India", "New Delhi", "Mumbai"),
    ("Pakistan", "Islamabad", "Karachi"),
    ("South Korea", "Seoul", "Busan"),
    ("France", "Paris", "Lyon"),
    ("United Kingdom", "London", "Edinburgh"),
    ("Italy", "Rome", "Milan"),
    ("Belarus", "Minsk", "Brest"),
    ("Georgia", "Tbilisi", "Batumi"),
    ("Armenia", "Yerevan", "Gyumri"),
    ("Mongolia", "Ulaanbaatar", "Darkhan"),
    ("Saudi Arabia", "Riyadh", "Jeddah"),
    ("United Arab Emirates", "Abu Dhabi", "Dubai"),
    ("Qatar", "Doha", "Al Wakrah"),
    ("Switzerland", "Bern", "Geneva"),
    ("Austria", "Vienna", "Salzburg"),
    ("Belgium", "Brussels", "Antwerp"),
    ("Poland", "Warsaw", "Kraków"),
    ("Hungary", "Budapest", "Debrecen"),
    ("Egypt", "Cairo", "Alexandria"),
    ("Indonesia", "Jakarta", "Surabaya"),
    ("Malaysia", "Kuala Lumpur", "Penang"),
    ("Norway", "Oslo", "Bergen"),
    ("Finland", "Helsinki", "Turku"),
    ("Latvia", "Riga", "Daugavpils"),
    ("Oman", "Muscat", "Salalah"),
    ("Kuwait", "Kuwait City", "Jahra"),
];

const FIRST: &[&str] = &[
    "Aibek",
    "Nurlan",
    "Rashid",
    "Myakhri",
    "Bakhtiyor",
    "Sirojiddin",
    "Jeenbek",
    "Murat",
    "Dilshod",
    "Gulnara",
    "Aigerim",
    "Farrukh",
    "Shavkat",
    "Timur",
    "Saule",
    "Azamat",
    "Maral",
    "Serdar",
    "Bahodir",
    "Zarina",
    "Nodira",
    "Kanat",
    "Yerlan",
    "Askar",
    "Gulshat",
    "Rustam",
    "Ilhom",
    "Parviz",
    "Malika",
    "Dinara",
    "Wei",
    "Li",
    "Ming",
    "Sergey",
    "Anna",
    "Elena",
    "Dmitry",
    "Olga",
    "Mehmet",
    "Ayşe",
    "Emre",
    "Zeynep",
    "Jeyhun",
    "Leyla",
    "Reza",
    "Maryam",
    "Ahmad",
    "Fatima",
    "Hans",
    "Katrin",
    "Yuki",
    "Haruto",
    "John",
    "Emily",
    "Michael",
    "Sarah",
    "Pierre",
    "Claire",
    "Marco",
    "Giulia",
    "Natalia",
    "Kaha",
    "Helga",
    "Josep",
];

const LAST: &[&str] = &[
    "Nurtleu",
    "Meredov",
    "Saidov",
    "Muhriddin",
    "Kulubaev",
    "Byashimova",
    "Tokayev",
    "Rakhimov",
    "Karimova",
    "Abdullayev",
    "Ismailov",
    "Yusupov",
    "Sadykov",
    "Alimov",
    "Bekmuratov",
    "Ormonov",
    "Japarov",
    "Rahmonov",
    "Ergashev",
    "Tursunov",
    "Akhmedov",
    "Zhaksylykov",
    "Suleimenov",
    "Dzhumabaev",
    "Khodjaev",
    "Nazarov",
    "Orazov",
    "Atayev",
    "Gurbanov",
    "Hojamuradov",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Ivanov",
    "Petrova",
    "Smirnov",
    "Kuznetsova",
    "Yılmaz",
    "Kaya",
    "Demir",
    "Çelik",
    "Aliyev",
    "Mammadova",
    "Hosseini",
    "Rahimi",
    "Karimi",
    "Ahmadi",
    "Müller",
    "Schmidt",
    "Weber",
    "Tanaka",
    "Suzuki",
    "Sato",
    "Smith",
    "Johnson",
    "Brown",
    "Miller",
    "Dubois",
    "Martin",
    "Rossi",
    "Bianchi",
    "Gherman",
    "Imnadze",
    "Schmid",
    "Borrell",
    "Novak",
    "Kowalski",
    "Nagy",
    "Horvath",
    "Hakala",
    "Lindqvist",
    "Okafor",
    "Haddad",
    "Farouk",
    "Singh",
    "Sharma",
    "Khan",
    "Kim",
    "Park",
    "Lee",
    "Bakirov",
    "Toktogulov",
    "Usmonov",
    "Qodirov",
    "Sharipov",
];

const TITLES: &[&str] = &[
    "Minister of Foreign Affairs",
    "Deputy Minister of Foreign Affairs",
    "Ambassador",
    "Special Representative",
    "Secretary General",
    "Deputy Prime Minister",
    "Head of Delegation",
    "Director",
    "Chairman",
    "Special Envoy",
    "Minister of Economy",
    "Minister of Energy",
    "Head of Department",
    "Chargé d'Affaires",
];

const TOPICS: &[&str] = &[
    "security",
    "trade",
    "energy",
    "transport",
    "water resources",
    "education",
    "counter-terrorism",
    "preventive diplomacy",
    "climate",
    "health",
    "digitalization",
    "investment",
    "Afghanistan",
    "border",
    "culture",
    "agriculture",
    "humanitarian aid",
    "migration",
    "connectivity",
    "drug trafficking",
];

const PUBLISHERS: &[&str] = &[
    "Trend",
    "Kazinform",
    "AKIpress",
    "UzA",
    "Xinhua",
    "TASS",
    "Turkmenistan Today",
    "Khovar",
    "Kabar",
    "Anadolu",
    "Daryo",
    "Interfax",
];

const VERBS: &[&str] = &["discussed", "reviewed", "exchanged views on", "agreed to expand cooperation on"];

/// How many distinct people the generator draws from.
const PEOPLE: usize = FIRST.len() * LAST.len();

/// One generated record, borrowing static strings; `summary` and `text` live in the generator.
struct Rec {
    i: u64,
    date: PartialDate,
    kind: Kind,
    city: Option<&'static str>,
    country: Option<usize>,
    people: [usize; 4],
    n_people: usize,
    orgs: [usize; 3],
    n_orgs: usize,
    countries: [usize; 4],
    n_countries: usize,
    topics: [usize; 3],
    n_topics: usize,
    publisher: &'static str,
    url: bool,
    has_text: bool,
}

/// A person's fixed attributes, derived from their number so that a person is consistent.
struct Person {
    first: &'static str,
    last: &'static str,
    title: Option<&'static str>,
    org: Option<PersonOrg>,
    country: Option<usize>,
}

enum PersonOrg {
    Ministry(usize),
    Org(usize),
}

struct Generator {
    rng: Rng,
    seed: u64,
    next: u64,
    count: u64,
    orgs: Zipf,
    countries: Zipf,
    famous: Zipf,
    topics: Zipf,
    publishers: Zipf,
    summary: String,
    text: String,
}

impl Generator {
    fn new(count: u64, seed: u64) -> Generator {
        Generator {
            rng: Rng(mix(seed ^ 0x6D65_6574_716C)),
            seed,
            next: 0,
            count,
            orgs: Zipf::new(ORGS.len(), 1.1),
            countries: Zipf::new(COUNTRIES.len(), 1.0),
            famous: Zipf::new(300, 1.0),
            topics: Zipf::new(TOPICS.len(), 0.8),
            publishers: Zipf::new(PUBLISHERS.len(), 0.9),
            summary: String::with_capacity(256),
            text: String::with_capacity(512),
        }
    }

    fn person(&self, p: usize) -> Person {
        let h = mix(p as u64 ^ 0xA5A5_5A5A);
        // Spread person numbers over the name grid so that the famous few have varied names.
        let slot = (p.wrapping_mul(7919)) % PEOPLE;
        let country = self.countries.cumulative.partition_point(|&c| c <= (h >> 32)).min(COUNTRIES.len() - 1);
        Person {
            first: FIRST[slot % FIRST.len()],
            last: LAST[slot / FIRST.len()],
            title: (!h.is_multiple_of(10)).then(|| TITLES[(h >> 8) as usize % TITLES.len()]),
            org: match (h >> 16) % 10 {
                0..=4 => Some(PersonOrg::Ministry(country)),
                5..=7 => {
                    let o = self.orgs.cumulative.partition_point(|&c| c <= (h >> 20) & 0xFFFF_FFFF);
                    Some(PersonOrg::Org(o.min(ORGS.len() - 1)))
                }
                _ => None,
            },
            country: ((h >> 24) % 10 < 8).then_some(country),
        }
    }

    fn next_rec(&mut self) -> Option<Rec> {
        if self.next >= self.count {
            return None;
        }
        let i = self.next;
        self.next += 1;
        let r = &mut self.rng;
        let year = 2015 + r.below(11) as u16;
        let month = 1 + r.below(12) as u8;
        let day = 1 + r.below(crate::model::days_in_month(year, month) as usize) as u8;
        let shape = r.below(100);
        let date = match shape {
            0..=7 => PartialDate { year, month: None, day: None },
            8..=19 => PartialDate { year, month: Some(month), day: None },
            _ => PartialDate { year, month: Some(month), day: Some(day) },
        };
        let kind = match r.below(100) {
            0..=79 => Kind::Meeting,
            80..=91 => Kind::Call,
            _ => Kind::Video,
        };
        let host = self.countries.sample(r);
        let (_, capital, second) = COUNTRIES[host];
        let city = match r.below(100) {
            0..=9 => None,
            10..=24 => Some(second),
            _ => Some(capital),
        };
        let country = (!r.chance(3)).then_some(host);

        let mut rec = Rec {
            i,
            date,
            kind,
            city,
            country,
            people: [0; 4],
            n_people: 0,
            orgs: [0; 3],
            n_orgs: 0,
            countries: [0; 4],
            n_countries: 0,
            topics: [0; 3],
            n_topics: 0,
            publisher: PUBLISHERS[self.publishers.sample(r)],
            url: r.chance(50),
            has_text: r.chance(30),
        };
        let n_people = 1 + r.below(100).min(95) / 30; // 1..=4, mostly 2–3
        for _ in 0..n_people {
            let p = if r.chance(35) { self.famous.sample(r) } else { r.below(PEOPLE) };
            if !rec.people[..rec.n_people].contains(&p) {
                rec.people[rec.n_people] = p;
                rec.n_people += 1;
            }
        }
        let n_orgs = [0, 1, 1, 1, 2, 2, 2, 3][r.below(8)];
        for _ in 0..n_orgs {
            let o = self.orgs.sample(r);
            if !rec.orgs[..rec.n_orgs].contains(&o) {
                rec.orgs[rec.n_orgs] = o;
                rec.n_orgs += 1;
            }
        }
        rec.countries[0] = host;
        rec.n_countries = 1;
        for _ in 0..r.below(4) {
            let c = self.countries.sample(r);
            if !rec.countries[..rec.n_countries].contains(&c) {
                rec.countries[rec.n_countries] = c;
                rec.n_countries += 1;
            }
        }
        for _ in 0..r.below(4) {
            let t = self.topics.sample(r);
            if !rec.topics[..rec.n_topics].contains(&t) {
                rec.topics[rec.n_topics] = t;
                rec.n_topics += 1;
            }
        }

        // Summary and text.
        let verb = VERBS[self.rng.below(VERBS.len())];
        let a = self.person(rec.people[0]);
        self.summary.clear();
        self.summary.push_str(a.first);
        self.summary.push(' ');
        self.summary.push_str(a.last);
        if rec.n_people > 1 {
            let b = self.person(rec.people[1]);
            self.summary.push_str(" and ");
            self.summary.push_str(b.first);
            self.summary.push(' ');
            self.summary.push_str(b.last);
        }
        self.summary.push(' ');
        self.summary.push_str(verb);
        self.summary.push(' ');
        push_topics(&mut self.summary, &rec.topics[..rec.n_topics]);
        match rec.kind {
            Kind::Call => self.summary.push_str(" by phone"),
            Kind::Video => self.summary.push_str(" by videoconference"),
            Kind::Meeting => {
                if let Some(c) = city {
                    self.summary.push_str(" in ");
                    self.summary.push_str(c);
                }
            }
        }
        self.summary.push('.');
        self.text.clear();
        if rec.has_text {
            self.text.push_str("The sides noted the importance of ");
            push_topics(&mut self.text, &rec.topics[..rec.n_topics]);
            self.text.push_str(" for the region.");
            if self.rng.chance(50) {
                self.text.push_str(" They agreed to keep in regular contact");
                if rec.n_orgs > 0 {
                    self.text.push_str(" within the ");
                    self.text.push_str(ORGS[rec.orgs[0]]);
                }
                self.text.push('.');
            }
        }
        Some(rec)
    }

    fn meeting(&self, rec: &Rec) -> Meeting {
        Meeting {
            id: format!("g-{}-{}", self.seed, rec.i),
            date: rec.date,
            kind: rec.kind,
            city: rec.city.map(str::to_string),
            country: rec.country.map(|c| COUNTRIES[c].0.to_string()),
            participants: rec.people[..rec.n_people]
                .iter()
                .map(|&p| {
                    let p = self.person(p);
                    Participant {
                        name: format!("{} {}", p.first, p.last),
                        title: p.title.map(str::to_string),
                        org: p.org.map(|o| match o {
                            PersonOrg::Ministry(c) => {
                                format!("Ministry of Foreign Affairs of {}", COUNTRIES[c].0)
                            }
                            PersonOrg::Org(o) => ORGS[o].to_string(),
                        }),
                        country: p.country.map(|c| COUNTRIES[c].0.to_string()),
                    }
                })
                .collect(),
            orgs: rec.orgs[..rec.n_orgs].iter().map(|&o| ORGS[o].to_string()).collect(),
            countries: rec.countries[..rec.n_countries].iter().map(|&c| COUNTRIES[c].0.to_string()).collect(),
            topics: rec.topics[..rec.n_topics].iter().map(|&t| TOPICS[t].to_string()).collect(),
            source: Source {
                publisher: Some(rec.publisher.to_string()),
                doc: Some(format!("gen/{}/{}.txt", self.seed, rec.i)),
                url: rec.url.then(|| url(self.seed, rec.i)),
            },
            summary: Some(self.summary.clone()),
            text: rec.has_text.then(|| self.text.clone()),
        }
    }

    fn write_json(&self, rec: &Rec, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"id\":\"g-");
        push_num(out, self.seed);
        out.push(b'-');
        push_num(out, rec.i);
        out.extend_from_slice(b"\",\"date\":\"");
        push_date(out, rec.date);
        out.extend_from_slice(b"\",\"kind\":\"");
        out.extend_from_slice(rec.kind.as_str().as_bytes());
        out.extend_from_slice(b"\",\"city\":");
        push_opt(out, rec.city);
        out.extend_from_slice(b",\"country\":");
        push_opt(out, rec.country.map(|c| COUNTRIES[c].0));
        out.extend_from_slice(b",\"participants\":[");
        for (k, &p) in rec.people[..rec.n_people].iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            let p = self.person(p);
            out.extend_from_slice(b"{\"name\":\"");
            push_escaped(out, p.first);
            out.push(b' ');
            push_escaped(out, p.last);
            out.extend_from_slice(b"\",\"title\":");
            push_opt(out, p.title);
            out.extend_from_slice(b",\"org\":");
            match p.org {
                None => out.extend_from_slice(b"null"),
                Some(PersonOrg::Ministry(c)) => {
                    out.extend_from_slice(b"\"Ministry of Foreign Affairs of ");
                    push_escaped(out, COUNTRIES[c].0);
                    out.push(b'"');
                }
                Some(PersonOrg::Org(o)) => push_str(out, ORGS[o]),
            }
            out.extend_from_slice(b",\"country\":");
            push_opt(out, p.country.map(|c| COUNTRIES[c].0));
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"orgs\":");
        push_list(out, rec.orgs[..rec.n_orgs].iter().map(|&o| ORGS[o]));
        out.extend_from_slice(b",\"countries\":");
        push_list(out, rec.countries[..rec.n_countries].iter().map(|&c| COUNTRIES[c].0));
        out.extend_from_slice(b",\"topics\":");
        push_list(out, rec.topics[..rec.n_topics].iter().map(|&t| TOPICS[t]));
        out.extend_from_slice(b",\"source\":{\"publisher\":");
        push_str(out, rec.publisher);
        out.extend_from_slice(b",\"doc\":\"gen/");
        push_num(out, self.seed);
        out.push(b'/');
        push_num(out, rec.i);
        out.extend_from_slice(b".txt\",\"url\":");
        if rec.url {
            push_str(out, &url(self.seed, rec.i));
        } else {
            out.extend_from_slice(b"null");
        }
        out.extend_from_slice(b"},\"summary\":");
        push_str(out, &self.summary);
        out.extend_from_slice(b",\"text\":");
        if rec.has_text {
            push_str(out, &self.text);
        } else {
            out.extend_from_slice(b"null");
        }
        out.extend_from_slice(b"}\n");
    }
}

fn url(seed: u64, i: u64) -> String {
    format!("https://news.example.org/{seed}/{i}")
}

fn push_topics(s: &mut String, topics: &[usize]) {
    match topics {
        [] => s.push_str("bilateral relations"),
        [a] => s.push_str(TOPICS[*a]),
        [a, b] => {
            s.push_str(TOPICS[*a]);
            s.push_str(" and ");
            s.push_str(TOPICS[*b]);
        }
        [a, b, c, ..] => {
            s.push_str(TOPICS[*a]);
            s.push_str(", ");
            s.push_str(TOPICS[*b]);
            s.push_str(" and ");
            s.push_str(TOPICS[*c]);
        }
    }
}

fn push_num(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[k..]);
}

fn push_2(out: &mut Vec<u8>, n: u8) {
    out.push(b'0' + n / 10);
    out.push(b'0' + n % 10);
}

fn push_date(out: &mut Vec<u8>, d: PartialDate) {
    push_2(out, (d.year / 100) as u8);
    push_2(out, (d.year % 100) as u8);
    if let Some(m) = d.month {
        out.push(b'-');
        push_2(out, m);
    }
    if let Some(day) = d.day {
        out.push(b'-');
        push_2(out, day);
    }
}

/// Appends `s` with JSON string escapes (as serde_json writes them), without the quotes.
fn push_escaped(out: &mut Vec<u8>, s: &str) {
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1F => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(b >> 4) as usize]);
                out.push(HEX[(b & 15) as usize]);
            }
            _ => out.push(b),
        }
    }
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    push_escaped(out, s);
    out.push(b'"');
}

fn push_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => push_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn push_list<'a>(out: &mut Vec<u8>, items: impl Iterator<Item = &'a str>) {
    out.push(b'[');
    for (k, s) in items.enumerate() {
        if k > 0 {
            out.push(b',');
        }
        push_str(out, s);
    }
    out.push(b']');
}

/// Writes `count` synthetic meeting records as JSON Lines (CONTRACT §2) to `out`; the same
/// `seed` always gives the same bytes. Ids are `g-{seed}-{i}` for `i` in `0..count`.
pub fn generate(count: u64, seed: u64, out: &mut dyn Write) -> io::Result<()> {
    let mut g = Generator::new(count, seed);
    let mut buf = Vec::with_capacity(1 << 17);
    while let Some(rec) = g.next_rec() {
        g.write_json(&rec, &mut buf);
        if buf.len() >= 1 << 16 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()
}

/// The records [`generate`] writes for `count` and `seed`, as [`Meeting`]s, in the same order.
pub fn generate_meetings(count: u64, seed: u64) -> impl Iterator<Item = Meeting> {
    let mut g = Generator::new(count, seed);
    std::iter::from_fn(move || g.next_rec().map(|rec| g.meeting(&rec)))
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    fn lines(count: u64, seed: u64) -> String {
        let mut out = Vec::new();
        generate(count, seed, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn output_parses_back_as_the_same_meetings() {
        let text = lines(5000, 7);
        let mut n = 0;
        for (line, expected) in text.lines().zip(generate_meetings(5000, 7)) {
            let m: Meeting = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            assert_eq!(m, expected);
            // Hand-written JSON is byte for byte what serde would write.
            assert_eq!(serde_json::to_string(&m).unwrap(), line);
            n += 1;
        }
        assert_eq!(n, 5000);
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        assert_eq!(lines(500, 1), lines(500, 1));
        assert_ne!(lines(500, 1), lines(500, 2));
        assert_eq!(lines(0, 1), "");
    }

    #[test]
    fn the_corpus_is_skewed_like_news() {
        let ms: Vec<Meeting> = generate_meetings(20_000, 3).collect();
        let ids: HashSet<&str> = ms.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids.len(), ms.len());
        let pct = |f: &dyn Fn(&Meeting) -> bool| ms.iter().filter(|m| f(m)).count() * 100 / ms.len();
        let year_only = pct(&|m| m.date.month.is_none());
        let month_only = pct(&|m| m.date.month.is_some() && m.date.day.is_none());
        assert!((6..=10).contains(&year_only), "{year_only}");
        assert!((10..=14).contains(&month_only), "{month_only}");
        assert!((8..=12).contains(&pct(&|m| m.city.is_none())));
        assert!((27..=33).contains(&pct(&|m| m.text.is_some())));
        assert!(ms.iter().all(|m| (2015..=2025).contains(&m.date.year) && m.topics.len() <= 3));
        // The top org is in a large share of meetings; people form a long tail.
        let mut orgs: HashMap<&str, usize> = HashMap::new();
        for m in &ms {
            for o in &m.orgs {
                *orgs.entry(o).or_default() += 1;
            }
        }
        let top = orgs.values().max().unwrap();
        assert!(*top > ms.len() / 5, "{top}");
        let people: HashSet<&str> = ms.iter().flat_map(|m| m.participants.iter().map(|p| p.name.as_str())).collect();
        assert!(people.len() > 3000, "{}", people.len());
    }
}
