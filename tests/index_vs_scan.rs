//! The index path and a forced full scan agree on random queries over a generated corpus, and
//! a query the indexes answer exactly reads no record it does not return.

use meetql::engine::Shape;
use meetql::ingest::Format;
use meetql::lang::parse_query;
use meetql::plan::Source;
use meetql::{Engine, Params, Row};

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, v: &'a [String]) -> &'a str {
        &v[(self.next() % v.len() as u64) as usize]
    }
    fn word(&mut self, v: &[&'static str]) -> &'static str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

struct Vocab {
    orgs: Vec<String>,
    people: Vec<String>,
    countries: Vec<String>,
    topics: Vec<String>,
    cities: Vec<String>,
}

fn values(e: &Engine, facet: &str) -> Vec<String> {
    counted(e, &format!("{facet} limit 12"))
}

/// The values of a query's value/count rows.
fn counted(e: &Engine, q: &str) -> Vec<String> {
    e.query(q)
        .unwrap()
        .rows
        .into_iter()
        .filter_map(|r| match r {
            Row::Count { value, .. } => Some(value),
            _ => None,
        })
        .collect()
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn date(r: &mut Rng) -> String {
    let y = 2015 + r.next() % 11;
    match r.next() % 3 {
        0 => format!("{y}"),
        1 => format!("{y}-{:02}", 1 + r.next() % 12),
        _ => format!("{y}-{:02}-{:02}", 1 + r.next() % 12, 1 + r.next() % 28),
    }
}

fn leaf(r: &mut Rng, v: &Vocab) -> String {
    const OPS: [&str; 6] = ["=", "!=", "<", "<=", ">", ">="];
    match r.next() % 12 {
        0 => format!("org {} {}", r.word(&OPS), quote(r.pick(&v.orgs))),
        1 => format!("person = {}", quote(r.pick(&v.people))),
        2 => format!("country in [{}, {}]", quote(r.pick(&v.countries)), quote(r.pick(&v.countries))),
        3 => format!("topic = {}", quote(r.pick(&v.topics))),
        4 => format!("date {} {}", r.word(&OPS), date(r)),
        5 => format!("date between {} and {}", date(r), date(r)),
        6 => {
            let o = r.pick(&v.orgs).to_string();
            let n = 1 + (r.next() as usize % o.len().min(3));
            format!("org starts with {}", quote(&o.chars().take(n).collect::<String>()))
        }
        7 => format!("city = {}", quote(r.pick(&v.cities))),
        8 => format!("{} exists", r.word(&["city", "topic", "org", "text", "title"])),
        9 => {
            // Text-index candidates, and (under three characters) scans.
            let n = 2 + (r.next() % 5) as usize;
            match r.next() % 4 {
                0 => {
                    format!("person contains {}", quote(&r.pick(&v.people).chars().skip(2).take(n).collect::<String>()))
                }
                1 => format!(
                    "title contains {}",
                    quote(&r.word(&["Minister", "Deputy", "Ambassador"])[1..].chars().take(n).collect::<String>())
                ),
                2 => format!(
                    "participant {{ name contains {} }}",
                    quote(&r.pick(&v.people).chars().take(n).collect::<String>())
                ),
                _ => format!("text contains {}", quote(&r.pick(&v.topics).chars().take(n).collect::<String>())),
            }
        }
        10 => format!("participant {{ name = {} or org = {} }}", quote(r.pick(&v.people)), quote(r.pick(&v.orgs))),
        _ => format!("kind = {}", quote(r.word(&["meeting", "call", "video"]))),
    }
}

fn expr(r: &mut Rng, v: &Vocab, depth: u32) -> String {
    if depth == 0 || r.next().is_multiple_of(3) {
        return leaf(r, v);
    }
    match r.next() % 3 {
        0 => format!("{} and {}", expr(r, v, depth - 1), expr(r, v, depth - 1)),
        1 => format!("({} or {})", expr(r, v, depth - 1), expr(r, v, depth - 1)),
        _ => format!("not ({})", expr(r, v, depth - 1)),
    }
}

fn run(e: &Engine, q: &str, force_scan: bool) -> (Vec<String>, u64) {
    let query = parse_query(q).unwrap_or_else(|err| panic!("{q}: {err}"));
    let plan = e.plan(&query, &Params::new()).unwrap_or_else(|err| panic!("{q}: {err}"));
    run_plan(e, &if force_scan { plan.scanning() } else { plan })
}

/// The rows of a plan as JSON, and the records it read.
fn run_plan(e: &Engine, plan: &meetql::plan::Plan) -> (Vec<String>, u64) {
    let mut rows = Vec::new();
    let read = e
        .stream_plan(plan, &mut |r| {
            rows.push(serde_json::to_string(&r).unwrap());
            Ok(true)
        })
        .unwrap();
    (rows, read)
}

fn corpus() -> (tempfile::TempDir, Engine, Vocab) {
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path().join("db")).unwrap();
    let mut jsonl = Vec::new();
    meetql::gen::generate(3000, 42, &mut jsonl).unwrap();
    e.import_reader("<gen>", jsonl.as_slice(), Format::Jsonl).unwrap();
    let v = Vocab {
        orgs: values(&e, "orgs"),
        people: values(&e, "people"),
        countries: values(&e, "countries"),
        topics: values(&e, "topics"),
        cities: counted(&e, "meetings count by city limit 8"),
    };
    (dir, e, v)
}

#[test]
fn index_plans_agree_with_full_scans() {
    let (_d, e, v) = corpus();
    let mut r = Rng(7);
    let tails = ["", " count", " count by year", " count by org", " limit 5 offset 2", " order by date desc limit 7"];
    let mut nonempty = 0;
    for i in 0..400 {
        let q = format!("meetings where {}{}", expr(&mut r, &v, 3), r.word(&tails));
        let (indexed, _) = run(&e, &q, false);
        let (scanned, _) = run(&e, &q, true);
        assert_eq!(indexed, scanned, "query {i}: {q}");
        if !indexed.is_empty() && !indexed[0].contains("\"count\":0") {
            nonempty += 1;
        }
    }
    assert!(nonempty > 150, "too few queries matched anything ({nonempty}); the test would prove little");
    for facet in ["people", "orgs", "countries", "topics"] {
        let q = format!("{facet} where {}", expr(&mut r, &v, 2));
        assert_eq!(run(&e, &q, false).0, run(&e, &q, true).0, "{q}");
    }
}

#[test]
fn exact_index_plans_read_only_returned_records() {
    let (_d, e, v) = corpus();
    let queries = [
        format!("meetings where org = {} and date >= 2020-01", quote(&v.orgs[0])),
        format!("meetings where person = {}", quote(&v.people[3])),
        format!(
            "meetings where country in [{}, {}] and topic = {}",
            quote(&v.countries[0]),
            quote(&v.countries[1]),
            quote(&v.topics[0])
        ),
        "meetings where date between 2019-03 and 2019-05".to_string(),
        format!("meetings where not org = {} and date = 2021-06", quote(&v.orgs[1])),
        format!("meetings where org starts with {}", quote(&v.orgs[2][..2])),
    ];
    for q in &queries {
        let query = parse_query(q).unwrap();
        let plan = e.plan(&query, &Params::new()).unwrap();
        assert!(
            matches!(plan.source, Source::Candidates { recheck: false, .. }),
            "{q} should be answered by indexes:\n{plan}"
        );
        let result = e.query(q).unwrap();
        assert_eq!(result.shape, Shape::Meetings);
        assert!(!result.is_empty(), "{q} matched nothing");
        assert_eq!(result.records_read, result.len() as u64, "{q} read records it did not return");
    }
    // Counting through an index reads no record at all.
    let r = e.query(&format!("meetings where org = {} count", quote(&v.orgs[0]))).unwrap();
    assert_eq!(r.records_read, 0);
    // And `limit` stops a scan early.
    let r = e.query("meetings where text contains \"a\" limit 3").unwrap();
    assert!(r.records_read < 100, "limit did not stop the scan: {} records read", r.records_read);
}

/// Runs `q` three ways: as planned, re-checking each candidate against its record (the date
/// index's rows, records read), and as a full scan of the records.
fn three_ways(e: &Engine, q: &str) -> [(Vec<String>, u64); 3] {
    let query = parse_query(q).unwrap_or_else(|err| panic!("{q}: {err}"));
    let planned = e.plan(&query, &Params::new()).unwrap_or_else(|err| panic!("{q}: {err}"));
    let (recheck, scan) = (planned.rechecking(), planned.scanning());
    [planned, recheck, scan].map(|plan| run_plan(e, &plan))
}

#[test]
fn counts_from_the_index_agree_with_counts_from_records() {
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path().join("db")).unwrap();
    let mut jsonl = Vec::new();
    meetql::gen::generate(3000, 11, &mut jsonl).unwrap();
    let lines: Vec<&[u8]> = jsonl.split_inclusive(|b| *b == b'\n').collect();
    // Several imports, so that postings groups have several chunks, and one that replaces
    // records already there, so that some groups are merged again.
    for part in lines.chunks(700).chain([&lines[100..400]]) {
        e.import_reader("<gen>", part.concat().as_slice(), Format::Jsonl).unwrap();
    }
    // (filter, the same filter for the record paths: one every meeting passes for none).
    let windows = [
        ("", " where date exists"),
        (" where date = 2023", ""),
        (" where date >= 2021-06", ""),
        (" where date < 2019-03-15", ""),
        (" where date between 2020-02 and 2020-11-20", ""),
        (" where date = 2022-07", ""),
        (" where date > 2017 and date <= 2018-05-31", ""),
        (" where date > 2031", ""),
    ];
    let mut counted = 0;
    for (w, w_records) in windows {
        let w_records = if w_records.is_empty() { w } else { w_records };
        let mut queries: Vec<(String, String)> = Vec::new();
        for f in ["org", "person", "country", "city", "topic", "source"] {
            queries.push((format!("meetings{w} count by {f}"), format!("meetings{w_records} count by {f}")));
        }
        queries.push((
            format!("meetings{w} count by org limit 5 offset 3"),
            format!("meetings{w_records} count by org limit 5 offset 3"),
        ));
        for facet in ["people", "orgs", "countries", "topics"] {
            queries.push((format!("{facet}{w}"), format!("{facet}{w_records}")));
            queries.push((format!("{facet}{w} count"), format!("{facet}{w_records} count")));
        }
        for (q, q_records) in &queries {
            let plan = e.plan(&parse_query(q).unwrap(), &Params::new()).unwrap();
            assert!(matches!(plan.source, Source::IndexCounts { .. }), "{q} should be counted from an index:\n{plan}");
            let [(indexed, read), _, _] = three_ways(&e, q);
            assert_eq!(read, 0, "{q} read records");
            let [_, (rechecked, rread), (scanned, sread)] = three_ways(&e, q_records);
            if !w.ends_with("2031") {
                assert!(rread > 0 && sread > 0, "{q_records}: the record paths read no record");
            }
            assert_eq!(indexed, rechecked, "{q}: index vs date index and records");
            assert_eq!(indexed, scanned, "{q}: index vs full scan");
            counted += indexed.iter().filter(|r| !r.contains("\"count\":0")).count();
        }
    }
    assert!(counted > 1000, "too few counts ({counted}); the test would prove little");
}

/// The ids of the meetings a query returns, sorted.
fn ids(e: &Engine, q: &str) -> Vec<String> {
    let mut ids: Vec<String> = e
        .query(q)
        .unwrap_or_else(|err| panic!("{q}: {err}"))
        .rows
        .into_iter()
        .filter_map(|r| match r {
            Row::Meeting(m) => Some(m.id),
            _ => None,
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn issue_16_11_an_or_of_contains_terms_is_one_matcher_with_the_term_by_term_answer() {
    let (_d, e, _) = corpus();
    // Pieces of the corpus's names in mixed case, repeats, and text no name holds or that only
    // a lower-cased name can hold (KELVIN SIGN, I WITH DOT ABOVE, non-ASCII letters).
    let names = counted(&e, "people limit 300");
    let mut r = Rng(11);
    let mut patterns: Vec<String> =
        ["zqxj", "\u{212A}zq", "i\u{307}", "\u{130}", "ö", "ş", "ov q"].iter().map(|s| s.to_string()).collect();
    for _ in 0..60 {
        let chars: Vec<char> = r.pick(&names).chars().collect();
        let at = r.next() as usize % chars.len();
        let len = 4 + r.next() as usize % 3;
        let piece: String = chars[at..(at + len).min(chars.len())]
            .iter()
            .enumerate()
            .map(|(i, c)| if i % 2 == 0 { c.to_uppercase().to_string() } else { c.to_string() })
            .collect();
        patterns.push(piece);
    }
    let distinct = patterns.iter().map(|p| p.to_lowercase()).collect::<std::collections::BTreeSet<_>>().len();
    for (field, wrap) in [("person", "{}"), ("name", "participant { {} }"), ("org", "{}")] {
        let term = |p: &str| format!("{field} contains {}", quote(p));
        let mut by_term: Vec<String> = patterns
            .iter()
            .flat_map(|p| ids(&e, &format!("meetings where {}", wrap.replace("{}", &term(p)))))
            .collect();
        by_term.sort();
        by_term.dedup();
        let filter = wrap.replace("{}", &patterns.iter().map(|p| term(p)).collect::<Vec<_>>().join(" or "));
        let q = format!("meetings where {filter}");
        let at_once = ids(&e, &q);
        assert_eq!(at_once, by_term, "{field}: the matcher and the terms one by one disagree");
        assert!(!at_once.is_empty() && at_once.len() < 3000, "{field}: {} matches prove little", at_once.len());
        let plan = e.plan(&parse_query(&q).unwrap(), &Params::new()).unwrap().explain();
        let shown = if field == "name" { "participant name" } else { field };
        let line = format!("matcher: {shown} contains any of {distinct} patterns, one pass over each value");
        assert!(plan.contains(&line), "{field}: no '{line}' in\n{plan}");
        assert_eq!(plan.matches("matcher:").count(), 1, "{plan}");
    }
}

/// Records read by an earlier query are kept for later ones (the store's shared blocks): a
/// query after a replacing import, in the same process and through a clone of the engine,
/// must see the new records, never the kept ones.
#[test]
fn a_query_after_a_replacing_import_reads_the_new_records() {
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path().join("db")).unwrap();
    let record = |id: &str, city: &str, person: &str| {
        format!(
            r#"{{"id": "{id}", "date": "2024-02-0{}", "city": "{city}", "orgs": ["OSCE"], "participants": [{{"name": "{person}"}}]}}"#,
            id.len() % 9 + 1
        )
    };
    let first: Vec<String> = (0..40).map(|i| record(&format!("r-{i}"), "Vienna", &format!("Person {i}"))).collect();
    e.import_reader("first.jsonl", first.join("\n").as_bytes(), Format::Jsonl).unwrap();
    let city = |e: &Engine, q: &str| -> Vec<String> {
        e.query(q).unwrap().meetings().map(|m| format!("{} {}", m.id, m.city.clone().unwrap_or_default())).collect()
    };
    // Read every record through the index, twice, so that their blocks are kept.
    for _ in 0..2 {
        assert_eq!(city(&e, r#"meetings where person = "Person 7""#), ["r-7 Vienna"]);
        assert_eq!(city(&e, r#"meetings where org = "OSCE""#).len(), 40);
    }
    let other = e.clone();
    let second: Vec<String> =
        (0..40).step_by(2).map(|i| record(&format!("r-{i}"), "Tirana", &format!("Person {}", i + 1000))).collect();
    other.import_reader("second.jsonl", second.join("\n").as_bytes(), Format::Jsonl).unwrap();
    assert_eq!(city(&e, r#"meetings where person = "Person 8""#), Vec::<String>::new());
    assert_eq!(city(&e, r#"meetings where person = "Person 1008""#), ["r-8 Tirana"]);
    assert_eq!(city(&e, r#"meetings where person = "Person 7""#), ["r-7 Vienna"]);
    let all = city(&other, r#"meetings where org = "OSCE""#);
    assert_eq!(all.len(), 40);
    assert_eq!(all.iter().filter(|m| m.ends_with("Tirana")).count(), 20, "{all:?}");
}
