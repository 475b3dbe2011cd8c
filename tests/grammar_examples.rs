//! Every example of `grammar/meetql.ebnf` run over the bundled corpus: it gives the shape its
//! form says, at most its limit, rows unless listed as empty, and its filter and the filter's
//! negation split the meetings between them. (The golden outputs of queries are the
//! goldenscripts of `tests/goldenscripts.rs`.)

use std::path::Path;

use meetql::ingest::Format;
use meetql::Engine;

/// Grammar examples whose result over the bundled corpus is empty (the rest must give rows).
const EMPTY_EXAMPLES: &[&str] = &[
    r#"meetings where not participant { title contains "Minister" }"#,
    r#"meetings where text contains "say \"hello\" to C:\\dir""#,
    r#"meetings where id = "m-3f9a0c1e""#,
    r#"meetings where source = 42"#,
];

#[test]
fn every_grammar_example_gives_the_result_its_form_says() {
    use meetql::lang::ast::{Count, Query, Statement};
    use meetql::Shape;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let grammar = std::fs::read_to_string(root.join("grammar/meetql.ebnf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path().join("db")).unwrap();
    e.import_reader("<bundled corpus>", meetql::default_db::BUNDLED_CORPUS.as_bytes(), Format::Jsonl).unwrap();
    let all = e.len().unwrap();
    let since: meetql::PartialDate = "2024-01".parse().unwrap();
    let run = |text: &str| {
        let q = e.prepare(text).unwrap_or_else(|err| panic!("{text}: {err}"));
        q.bind("org", "UNRCCA").bind("since", since).run().unwrap_or_else(|err| panic!("{text}: {err}"))
    };
    let mut ran = 0;
    let mut empty = Vec::new();
    for ex in grammar.lines().filter_map(|l| l.strip_prefix("-- example: ")) {
        // `let` and `expect` belong to scripts; tests/scripts.rs runs them.
        if ex.starts_with("let ") || ex.starts_with("expect ") {
            continue;
        }
        let r = run(ex);
        ran += 1;
        let (q, explain): (Query, bool) = match meetql::lang::parse_statement(ex).unwrap() {
            Statement::Query(q) => (q, false),
            Statement::Explain(q) => (q, true),
            other => panic!("{ex}: {other:?}"),
        };
        if explain {
            assert_eq!(r.shape, Shape::Plan, "{ex}");
            assert!(r.plan.as_deref().is_some_and(|p| p.starts_with("access:")), "{ex}: {:?}", r.plan);
            continue;
        }
        // The shape is the one the statement's form asks for.
        match (&q.count, q.select.is_empty(), q.collection.keyword()) {
            (Some(Count::By(_)), _, _) => assert!(matches!(r.shape, Shape::Counts(_)), "{ex}: {:?}", r.shape),
            (Some(Count::Total), _, _) => assert_eq!(r.shape, Shape::Total, "{ex}"),
            (None, false, _) => {
                let Shape::Selected(names) = &r.shape else { panic!("{ex}: {:?}", r.shape) };
                assert!(q.select.iter().all(|f| names.contains(&f.name)), "{ex}: {names:?}");
            }
            (None, true, "meetings") => assert_eq!(r.shape, Shape::Meetings, "{ex}"),
            (None, true, _) => assert!(matches!(r.shape, Shape::Counts(_)), "{ex}: {:?}", r.shape),
        }
        if let Some(l) = &q.limit {
            assert!(r.rows.len() as u64 <= l.limit, "{ex}: {} rows", r.rows.len());
        }
        if r.rows.is_empty() || r.total() == Some(0) {
            empty.push(ex);
        }
        // A filter and its negation split the meetings between them, whichever path each takes.
        if let (Some(f), "meetings") = (&q.filter, q.collection.keyword()) {
            let count = |text: String| run(&text).total().unwrap_or_else(|| panic!("{text} gave no count"));
            let (yes, no) =
                (count(format!("meetings where {f} count")), count(format!("meetings where not ({f}) count")));
            assert_eq!(yes + no, all, "{ex}: {yes} + {no} of {all}");
            if q.count.is_none() && q.limit.is_none() && q.select.is_empty() {
                assert_eq!(r.rows.len() as u64, yes, "{ex}: rows and count differ");
            }
        }
    }
    assert!(ran >= 40, "only {ran} examples ran");
    assert_eq!(empty, EMPTY_EXAMPLES, "examples with an empty result over the bundled corpus");
}
