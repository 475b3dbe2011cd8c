//! The language's semantics (CONTRACT §3) on a small corpus built for its corner cases:
//! partial dates on both sides, `not` over missing values, case and white-space folding,
//! multi-valued fields, `participant { }` within one participant, counts and facets.

use meetql::{Engine, Meeting, Row};

const CORPUS: &str = r#"
{"id":"a","date":"2024-01-17","city":"Ashgabat","country":"Turkmenistan","participants":[{"name":"Myakhri Byashimova","title":"Deputy Minister of Foreign Affairs","org":"Ministry of Foreign Affairs of Turkmenistan","country":"Turkmenistan"},{"name":"Kaha Imnadze","title":"Special Representative","org":"UNRCCA","country":null}],"orgs":["UNRCCA","UN"],"countries":["Turkmenistan"],"topics":["security","education"],"source":{"publisher":"Trend","doc":"r1.txt","url":null},"summary":"Talks in Ashgabat."}
{"id":"b","date":"2024-01","city":"Astana","country":"Kazakhstan","participants":[{"name":"Murat Nurtleu","title":"Minister of Foreign Affairs","org":"OSCE","country":"Kazakhstan"}],"orgs":["osce "],"countries":["Kazakhstan","Türkiye"],"topics":["trade"],"source":{"publisher":"Kazinform","doc":"r2.txt","url":null}}
{"id":"c","date":"2024","city":null,"country":null,"participants":[{"name":"Kaha Imnadze","title":null,"org":null,"country":null},{"name":"Rashid Meredov","title":"Minister","org":"UNRCCA","country":"Turkmenistan"}],"orgs":[],"countries":[],"topics":[]}
{"id":"d","date":"2023-12-31","kind":"call","city":"Brussels","country":"Belgium","participants":[{"name":"Kaja Kallas","org":"EU"}],"orgs":["EU"],"topics":[],"text":"A phone call on WATER resources."}
{"id":"e","date":"2025-03-02","city":"Ankara","country":"Türkiye","participants":[{"name":"Hakan Fidan"}],"orgs":["UN"],"countries":["türkiye"],"topics":["energy"]}
"#;

fn engine() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path().join("db")).unwrap();
    for line in CORPUS.lines().filter(|l| !l.trim().is_empty()) {
        let m: Meeting = serde_json::from_str(line).unwrap();
        e.insert(m).unwrap();
    }
    (dir, e)
}

fn ids(e: &Engine, q: &str) -> Vec<String> {
    e.query(q).unwrap_or_else(|err| panic!("{q}: {err}")).meetings().map(|m| m.id.clone()).collect()
}

fn counts(e: &Engine, q: &str) -> Vec<(String, u64)> {
    e.query(q)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| match r {
            Row::Count { value, count } => (value, count),
            other => panic!("{q}: not a count row: {other:?}"),
        })
        .collect()
}

#[test]
fn default_order_is_start_then_end_then_id() {
    let (_d, e) = engine();
    assert_eq!(ids(&e, "meetings"), ["d", "b", "c", "a", "e"]);
    assert_eq!(ids(&e, "meetings order by date desc"), ["e", "a", "c", "b", "d"]);
    assert_eq!(ids(&e, "meetings limit 2 offset 1"), ["b", "c"]);
}

#[test]
fn partial_dates_on_both_sides() {
    let (_d, e) = engine();
    assert_eq!(ids(&e, "meetings where date >= 2024-01"), ["b", "c", "a", "e"]);
    assert_eq!(ids(&e, "meetings where date <= 2024-01"), ["d", "b", "a"]);
    assert_eq!(ids(&e, "meetings where date = 2024"), ["b", "c", "a"]);
    assert_eq!(ids(&e, "meetings where date = 2024-01"), ["b", "a"]);
    assert_eq!(ids(&e, "meetings where date > 2024-01"), ["e"]);
    assert_eq!(ids(&e, "meetings where date < 2024"), ["d"]);
    assert_eq!(ids(&e, "meetings where date between 2024-01 and 2024-06"), ["b", "a"]);
    assert_eq!(ids(&e, "meetings where date != 2024"), ["d", "e"]);
    assert_eq!(ids(&e, "meetings where date in [2023, 2025-03-02]"), ["d", "e"]);
}

#[test]
fn strings_fold_case_and_surrounding_space() {
    let (_d, e) = engine();
    assert_eq!(ids(&e, r#"meetings where org = "OSCE""#), ["b"]);
    assert_eq!(ids(&e, r#"meetings where country = "TÜRKIYE""#), ["b", "e"]);
    assert_eq!(ids(&e, r#"meetings where country = "  türkiye ""#), ["b", "e"]);
    assert_eq!(ids(&e, r#"meetings where text contains "water""#), ["d"]);
    assert_eq!(ids(&e, r#"meetings where org starts with "un""#), ["c", "a", "e"]);
    assert_eq!(ids(&e, r#"meetings where city < "b""#), ["b", "a", "e"]);
}

#[test]
fn multi_valued_fields_match_any_value_and_not_negates_the_whole() {
    let (_d, e) = engine();
    // org covers `orgs` and participants' orgs.
    assert_eq!(ids(&e, r#"meetings where org = "UNRCCA""#), ["c", "a"]);
    assert_eq!(ids(&e, r#"meetings where org != "UN""#), ["d", "b", "c"]);
    assert_eq!(ids(&e, r#"meetings where not org = "UN""#), ["d", "b", "c"]);
    assert_eq!(ids(&e, r#"meetings where org in ["eu", "OSCE"]"#), ["d", "b"]);
    // A meeting with no value never satisfies a predicate on it; `not` makes it true.
    assert_eq!(ids(&e, r#"meetings where city = "Ashgabat" or not city exists"#), ["c", "a"]);
    assert_eq!(ids(&e, "meetings where not topic exists"), ["d", "c"]);
    assert_eq!(ids(&e, r#"meetings where not (topic = "trade")"#), ["d", "c", "a", "e"]);
}

#[test]
fn participant_predicates_hold_for_one_participant() {
    let (_d, e) = engine();
    assert_eq!(ids(&e, r#"meetings where participant { name contains "Imnadze" and org = "UNRCCA" }"#), ["a"]);
    assert_eq!(ids(&e, r#"meetings where person contains "Imnadze" and org = "UNRCCA""#), ["c", "a"]);
    assert_eq!(
        ids(&e, r#"meetings where participant { country = "Turkmenistan" and title starts with "minister" }"#),
        ["c"]
    );
    assert_eq!(ids(&e, r#"meetings where participant { not org exists }"#), ["c", "e"]);
}

#[test]
fn kinds_default_to_meeting() {
    let (_d, e) = engine();
    assert_eq!(ids(&e, r#"meetings where kind = "call""#), ["d"]);
    assert_eq!(ids(&e, r#"meetings where kind = "meeting""#), ["b", "c", "a", "e"]);
}

#[test]
fn counts_and_buckets() {
    let (_d, e) = engine();
    assert_eq!(e.query("meetings count").unwrap().total(), Some(5));
    assert_eq!(e.query(r#"meetings where org = "UN" count"#).unwrap().total(), Some(2));
    assert_eq!(counts(&e, "meetings count by year"), [("2023".into(), 1), ("2024".into(), 3), ("2025".into(), 1)]);
    assert_eq!(
        counts(&e, "meetings count by month"),
        [("2023-12".into(), 1), ("2024".into(), 1), ("2024-01".into(), 2), ("2025-03".into(), 1)]
    );
    // Multi-valued keys count a meeting once under each value; spellings fold together.
    assert_eq!(
        counts(&e, "meetings count by org"),
        [
            ("UN".into(), 2),
            ("UNRCCA".into(), 2),
            ("EU".into(), 1),
            ("Ministry of Foreign Affairs of Turkmenistan".into(), 1),
            ("OSCE".into(), 1)
        ]
    );
}

#[test]
fn facets_list_values_most_frequent_first() {
    let (_d, e) = engine();
    assert_eq!(counts(&e, "people limit 2"), [("Kaha Imnadze".into(), 2), ("Hakan Fidan".into(), 1)]);
    assert_eq!(counts(&e, r#"countries where date = 2024"#)[0], ("Kazakhstan".into(), 1));
    assert_eq!(counts(&e, r#"topics where org = "UNRCCA""#), [("education".into(), 1), ("security".into(), 1)]);
    assert_eq!(e.query("orgs count").unwrap().total(), Some(5));
}

#[test]
fn select_gives_id_and_fields() {
    let (_d, e) = engine();
    let r = e.query(r#"meetings where id = "a" select date, org, city"#).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(
        json,
        r#"[{"id":"a","date":"2024-01-17","org":["UNRCCA","UN","Ministry of Foreign Affairs of Turkmenistan"],"city":"Ashgabat"}]"#
    );
}

#[test]
fn order_by_a_field_puts_missing_values_last() {
    let (_d, e) = engine();
    assert_eq!(ids(&e, "meetings order by city"), ["e", "a", "b", "d", "c"]);
    assert_eq!(ids(&e, "meetings order by city desc"), ["d", "b", "a", "e", "c"]);
}

#[test]
fn parameters_bind_and_unbound_ones_are_named() {
    let (_d, e) = engine();
    let q = e.prepare("meetings where org = $org and date >= $since").unwrap();
    let r = q.bind("org", "un").bind("since", "2024-01".parse::<meetql::PartialDate>().unwrap()).run().unwrap();
    assert_eq!(r.meetings().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["a", "e"]);
    let err = q.bind("org", "un").run().unwrap_err().to_string();
    assert!(err.contains("$since"), "{err}");
    assert!(err.contains("<query>:1:"), "{err}");
}

#[test]
fn errors_point_at_what_is_wrong() {
    let (_d, e) = engine();
    let err = e.query("meetings where date >= 2023-02-29").unwrap_err();
    let text = err.to_string();
    assert!(text.contains("<query>:1:24"), "{text}");
    assert!(text.lines().any(|l| l.trim_start().starts_with('^')), "{text}");
    let err = e.query(r#"meetings where orgg = "UN""#).unwrap_err().to_string();
    assert!(err.contains("did you mean 'org'"), "{err}");
    let err = e.query(r#"meetings where name = "x""#).unwrap_err().to_string();
    assert!(err.contains("person"), "{err}");
}

#[test]
fn org_aliases_name_one_organisation() {
    let (_d, e) = engine();
    assert_eq!(
        ids(&e, r#"meetings where org = "UN Regional Centre for Preventive Diplomacy for Central Asia""#),
        Vec::<String>::new()
    );
    e.add_aliases(&[("UNRCCA".into(), "UN Regional Centre for Preventive Diplomacy for Central Asia".into())]).unwrap();
    assert_eq!(
        ids(&e, r#"meetings where org = "un regional centre for preventive diplomacy for central asia""#),
        ["c", "a"]
    );
    assert_eq!(
        ids(&e, r#"meetings where org != "UN Regional Centre for Preventive Diplomacy for Central Asia""#),
        ["d", "b", "e"]
    );
    assert_eq!(
        ids(
            &e,
            r#"meetings where participant { org = "UN Regional Centre for Preventive Diplomacy for Central Asia" and name contains "Imnadze" }"#
        ),
        ["a"]
    );
}

#[test]
fn a_cancelled_query_stops_with_interrupted() {
    let (_d, e) = engine();
    let q = meetql::lang::parse_query(r#"meetings where text contains "water""#).unwrap();
    let plan = e.plan(&q, &meetql::Params::new()).unwrap();
    let flag = std::sync::atomic::AtomicBool::new(true);
    let r = e.stream_plan_cancellable(&plan, &mut |_| Ok(true), Some(&flag));
    assert!(matches!(r, Err(meetql::Error::Interrupted)), "{r:?}");
    flag.store(false, std::sync::atomic::Ordering::Relaxed);
    let mut n = 0;
    e.stream_plan_cancellable(
        &plan,
        &mut |_| {
            n += 1;
            Ok(true)
        },
        Some(&flag),
    )
    .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn notes_name_values_no_meeting_has_for_every_library_user() {
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path()).unwrap();
    let m: meetql::Meeting = serde_json::from_str(
        r#"{"id": "m-1", "date": "2024-01-17", "orgs": ["UNRCCA"], "participants": [{"name": "Kaha Imnadze"}]}"#,
    )
    .unwrap();
    e.insert(m).unwrap();
    let r = e.query(r#"meetings where participant { name = "Kaha Imnadz" } or org in ["unrcca", "OCSE"]"#).unwrap();
    assert_eq!(
        r.notes,
        ["no meeting has person \"Kaha Imnadz\"; did you mean \"Kaha Imnadze\"?", "no meeting has org \"OCSE\"",]
    );
    assert_eq!(serde_json::to_value(&r).unwrap().as_array().unwrap().len(), 1, "notes are not rows");
    // Explain says it too; a value bound to a parameter is the caller's, not a typo in the query.
    assert_eq!(e.query(r#"explain meetings where org = "UNRCA""#).unwrap().notes.len(), 1);
    let q = e.prepare("meetings where org = $org").unwrap();
    assert!(q.bind("org", "UNRCA").run().unwrap().notes.is_empty());
}
