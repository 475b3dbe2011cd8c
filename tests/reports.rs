//! Reports end to end: `meetql import` of `.txt` reports, the seed report, skips, duplicates,
//! and the extractor's evaluation figures, which must not fall.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use meetql::ingest::report::eval::evaluate;

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/report-2024-01-17-ashgabat.txt");

fn seed() -> PathBuf {
    let p = PathBuf::from(SEED);
    assert!(p.exists(), "the seed report {SEED} is missing: CI keeps a copy of shared/ beside the clone");
    p
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reports")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meetql")).env_remove("MEETQL_DB").args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn query(db: &str, q: &str) -> String {
    let o = run(&["query", "--db", db, "-f", "jsonl", q]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn the_seed_report_imports_into_one_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let seed = seed();
    let o = run(&["import", "--db", db, seed.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("imported 1 record from 1 file"), "{}", text(&o.stderr));
    assert_eq!(query(db, "meetings count"), "{\"count\":1}\n");
    let found = query(db, r#"meetings where org = "UNRCCA" and date >= 2024-01 select date, city, country, person"#);
    assert!(found.contains(r#""date":"2024-01-17","city":"Ashgabat","country":["Turkmenistan"]"#), "{found}");
    assert!(found.contains(r#""person":["Myakhri Byashimova","Kaha Imnadze"]"#), "{found}");
    let by_name =
        query(db, r#"meetings where org = "UN Regional Centre for Preventive Diplomacy for Central Asia" count"#);
    assert_eq!(by_name, "{\"count\":1}\n");
    let who = query(db, r#"meetings where participant { name = "Kaha Imnadze" and org = "UNRCCA" } count"#);
    assert_eq!(who, "{\"count\":1}\n");
    assert_eq!(
        query(db, r#"meetings where topic in ["security", "education", "counter-terrorism"] count"#),
        "{\"count\":1}\n"
    );
    // The same report again: the same id, no duplicate.
    let o = run(&["import", "--db", db, seed.to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(query(db, "meetings count"), "{\"count\":1}\n");
    // The report taught the alias table: a record that names only the acronym is found by the
    // full name too.
    let jsonl = dir.path().join("acronym-only.jsonl");
    std::fs::write(&jsonl, r#"{"id":"j1","date":"2025-02","orgs":["UNRCCA"]}"#).unwrap();
    assert!(run(&["import", "--db", db, jsonl.to_str().unwrap()]).status.success());
    assert_eq!(
        query(db, r#"meetings where org = "UN Regional Centre for Preventive Diplomacy for Central Asia" count"#),
        "{\"count\":2}\n"
    );
}

#[test]
fn a_directory_of_reports_imports_and_skips_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(examples()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, reports.join(p.file_name().unwrap())).unwrap();
            n += 1;
        }
    }
    assert!(n >= 30, "{n} example reports");
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let o = run(&["import", "--db", db, reports.to_str().unwrap()]);
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("skipped "), "{err}");
    assert!(err.contains("07-no-meeting-grain.txt: no sentence reports a meeting"), "{err}");
    assert!(err.contains("06-no-year-skip.txt: no header date and the dateline gives no year"), "{err}");
    assert!(err.contains("08-future-visit.txt: only a future or planned meeting"), "{err}");
    assert!(err.contains("6 reports skipped (no meeting)"), "{err}");
    assert_eq!(query(db, "meetings count"), "{\"count\":30}\n");
    assert_eq!(query(db, r#"meetings where kind = "call" count"#), "{\"count\":2}\n");
    assert_eq!(query(db, r#"meetings where person = "Jan van der Meulen" count"#), "{\"count\":1}\n");
    // Again: nothing new.
    let o = run(&["import", "--db", db, reports.to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(query(db, "meetings count"), "{\"count\":30}\n");
}

#[test]
fn the_library_reports_skips_and_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let engine = meetql::Engine::open(dir.path().join("db")).unwrap();
    let s = engine.import_path(seed()).unwrap();
    assert_eq!(s.records, 1);
    assert!(s.skipped.is_empty());
    assert_eq!(
        s.aliases,
        [("UNRCCA".to_string(), "UN Regional Centre for Preventive Diplomacy for Central Asia".to_string())]
    );
    let s = engine.import_path(examples().join("34-no-meeting-weather.txt")).unwrap();
    assert_eq!(s.records, 0);
    assert!(s.skipped[0].1.contains("no sentence reports a meeting"), "{:?}", s.skipped);
}

#[test]
fn a_report_without_meeting_is_skipped_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("quiet.txt");
    std::fs::write(
        &f,
        " date 2024-02-01\nASTANA, Kazakhstan, February 1. Snow closed the road to Almaty, police said.\n",
    )
    .unwrap();
    let db = dir.path().join("db");
    let o = run(&["import", "--db", db.to_str().unwrap(), f.to_str().unwrap()]);
    assert!(o.status.success());
    let err = text(&o.stderr);
    assert!(err.contains(&format!("skipped {}: no sentence reports a meeting", f.display())), "{err}");
    assert!(err.contains("imported 0 records from 1 file; 1 report skipped"), "{err}");
}

#[test]
fn eval_extract_prints_the_table() {
    let dir = examples();
    let o = run(&[
        "eval-extract",
        dir.to_str().unwrap(),
        std::path::PathBuf::from(format!("{}.gold.jsonl", dir.display())).to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("field      precision  recall"), "{out}");
    assert!(out.contains("meeting detection: "), "{out}");
}

/// The figures reached on the evaluation sets (docs/reports.md); a change to the rules or the
/// lexicons that lowers one fails here.
// The floors both project-written sets stay above. Names, titles, orgs and topics are below 1.0
// since the extractor reads real reports (issue 12): topics are open vocabulary (the hand gold
// lists only the lexicon's labels) and organisations are recorded as written, institutions too.
const MIN_FIGURES: &[(&str, f64, f64)] = &[
    ("date", 1.0, 1.0),
    ("city", 1.0, 1.0),
    ("country", 1.0, 1.0),
    ("kind", 1.0, 1.0),
    ("names", 0.98, 0.98),
    ("titles", 0.95, 0.96),
    ("orgs", 0.75, 0.84),
    ("topics", 0.63, 1.0),
];
const MIN_DETECTION: f64 = 1.0;

#[test]
fn evaluation_figures_do_not_fall() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [root.join("examples/reports"), root.join("examples/reports-heldout")] {
        let r = evaluate(&dir, &std::path::PathBuf::from(format!("{}.gold.jsonl", dir.display()))).unwrap();
        assert!(r.reports >= 12, "{}", dir.display());
        for (field, p, rc) in MIN_FIGURES {
            let s = r.score(field);
            assert!(
                s.precision() >= *p && s.recall() >= *rc,
                "{}: {field} fell to precision {:.3}, recall {:.3} (recorded {p}, {rc})\n{r:#}",
                dir.display(),
                s.precision(),
                s.recall()
            );
        }
        assert!(r.detection() >= MIN_DETECTION, "{}: detection fell\n{r:#}", dir.display());
    }
}
