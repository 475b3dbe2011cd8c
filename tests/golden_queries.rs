//! Golden tests over the bundled corpus: every `tests/golden/queries/NAME.q` holds queries, one
//! a line (`--` lines are comments); `NAME.out` holds, for each, `> QUERY`, its result in a
//! compact text form (or the error exactly as the command line prints it) and a blank line.
//! Regenerate with `UPDATE_GOLDEN=1 cargo test --test golden_queries` and review the diff.

use std::fmt::Write as _;
use std::path::Path;

use meetql::ingest::Format;
use meetql::{Engine, Row};

fn render(e: &Engine, q: &str) -> String {
    let mut out = String::new();
    match e.query(q) {
        Err(err) => {
            let _ = writeln!(out, "error: {err}");
        }
        Ok(r) => {
            if let Some(p) = &r.plan {
                let _ = writeln!(out, "{p}");
            }
            for row in &r.rows {
                let _ = match row {
                    Row::Meeting(m) => writeln!(out, "{} {}", m.date, m.id),
                    Row::Selected(map) => writeln!(out, "{}", serde_json::to_string(map).unwrap()),
                    Row::Count { value, count } => writeln!(out, "{value} | {count}"),
                    Row::Total { count } => writeln!(out, "count = {count}"),
                };
            }
            if r.plan.is_none() {
                let _ = writeln!(out, "({} rows)", r.rows.len());
            }
        }
    }
    out
}

#[test]
fn golden_queries_over_the_bundled_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path().join("db")).unwrap();
    e.import_reader("<bundled corpus>", meetql::default_db::BUNDLED_CORPUS.as_bytes(), Format::Jsonl).unwrap();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let golden = root.join("tests/golden/queries");
    let mut files: Vec<_> = std::fs::read_dir(&golden)
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "q"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in files {
        let mut actual = String::new();
        for q in std::fs::read_to_string(&f).unwrap().lines() {
            if q.trim().is_empty() || q.trim_start().starts_with("--") {
                continue;
            }
            let _ = writeln!(actual, "> {q}\n{}", render(&e, q));
        }
        let out = f.with_extension("out");
        if update {
            std::fs::write(&out, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&out).unwrap_or_default();
        if expected != actual {
            failures.push(format!("{} differs; rerun with UPDATE_GOLDEN=1 and review the diff", out.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_grammar_example_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let grammar = std::fs::read_to_string(root.join("grammar/meetql.ebnf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path().join("db")).unwrap();
    e.import_reader("<bundled corpus>", meetql::default_db::BUNDLED_CORPUS.as_bytes(), Format::Jsonl).unwrap();
    let since: meetql::PartialDate = "2024-01".parse().unwrap();
    let mut ran = 0;
    for ex in grammar.lines().filter_map(|l| l.strip_prefix("-- example: ")) {
        // `let` and `expect` belong to scripts; tests/scripts.rs runs them.
        if ex.starts_with("let ") || ex.starts_with("expect ") {
            continue;
        }
        let q = e.prepare(ex).unwrap_or_else(|err| panic!("{ex}: {err}"));
        q.bind("org", "UNRCCA").bind("since", since).run().unwrap_or_else(|err| panic!("{ex}: {err}"));
        ran += 1;
    }
    assert!(ran >= 40, "only {ran} examples ran");
}
