//! The real binary, end to end, on real sled databases in temporary directories.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_meetql"));
    c.env_remove("MEETQL_DB");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn count(db: &Path) -> String {
    let o = run(&["query", "--db", db.to_str().unwrap(), "--format", "jsonl", "meetings count"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    text(&o.stdout).trim().to_string()
}

const GOOD: &str = r#"{"id":"m-1","date":"2024-01-17","city":"Ashgabat","country":"Turkmenistan","participants":[{"name":"Kaha Imnadze","title":"Head","org":"UNRCCA","country":null}],"orgs":["UNRCCA"],"countries":["Turkmenistan"],"topics":["security"],"source":{"publisher":"Trend","doc":"a.txt","url":null},"summary":"s; with | and \\ \"quotes\"","text":"line one\nline two"}
{"id":"m-2","date":"2023-05","participants":[],"orgs":["OSCE"],"topics":[]}
{"date":"2022","kind":"call","orgs":["EU"],"participants":[{"name":"Łukasz Nowak"}]}
"#;

#[test]
fn import_query_and_export_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    std::fs::write(dir.path().join("a.jsonl"), GOOD).unwrap();
    let o = run(&["import", "--db", db, dir.path().join("a.jsonl").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(count(Path::new(db)), r#"{"count":3}"#);
    let o =
        run(&["query", "--db", db, "-f", "jsonl", r#"meetings where org = "unrcca" and date >= 2024-01 select id"#]);
    assert_eq!(text(&o.stdout), "{\"id\":\"m-1\"}\n");
    for format in ["jsonl", "csv"] {
        let first = run(&["export", "--db", db, "--format", format]);
        assert!(first.status.success());
        let file = dir.path().join(format!("out.{format}"));
        std::fs::write(&file, &first.stdout).unwrap();
        let db2 = dir.path().join(format!("db-{format}"));
        let o = run(&["import", "--db", db2.to_str().unwrap(), file.to_str().unwrap()]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let second = run(&["export", "--db", db2.to_str().unwrap(), "--format", format]);
        assert_eq!(text(&first.stdout), text(&second.stdout), "{format} export → import → export changed");
    }
    let o = run(&["check", "--db", db]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("ok: 3 records"), "{}", text(&o.stdout));
    // A derived id is stable: importing the same file again replaces, never duplicates.
    let o = run(&["import", "--db", db, dir.path().join("a.jsonl").to_str().unwrap()]);
    assert!(o.status.success());
    assert_eq!(count(Path::new(db)), r#"{"count":3}"#);
}

#[test]
fn a_bad_line_imports_nothing_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let mut lines: Vec<String> = (0..50).map(|i| format!(r#"{{"id":"x{i}","date":"2021-03-04"}}"#)).collect();
    lines[36] = r#"{"id":"bad","date":"2024-02-30"}"#.to_string();
    std::fs::write(dir.path().join("b.jsonl"), lines.join("\n")).unwrap();
    let o = run(&["import", "--db", db, dir.path().join("b.jsonl").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("b.jsonl:37:"), "{err}");
    assert_eq!(count(Path::new(db)), r#"{"count":0}"#);
    std::fs::write(dir.path().join("k.jsonl"), r#"{"id":"k","date":"2021","sumary":"x"}"#).unwrap();
    let o = run(&["import", "--db", db, dir.path().join("k.jsonl").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("sumary"), "{}", text(&o.stderr));
}

#[test]
fn a_large_import_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let g = run(&["gen", "--count", "12000", "--seed", "3"]);
    assert!(g.status.success());
    let mut data = g.stdout.clone();
    data.extend_from_slice(b"{\"date\": \"2021\", \"oops\": 1}\n");
    std::fs::write(dir.path().join("big.jsonl"), &data).unwrap();
    let o = run(&["import", "--db", db, dir.path().join("big.jsonl").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("big.jsonl:12001:"), "{}", text(&o.stderr));
    assert_eq!(count(Path::new(db)), r#"{"count":0}"#);
    std::fs::write(dir.path().join("big.jsonl"), &g.stdout).unwrap();
    let o = run(&["import", "--db", db, dir.path().join("big.jsonl").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(count(Path::new(db)), r#"{"count":12000}"#);
}

#[test]
fn query_errors_show_position_caret_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let o = run(&["query", "--db", db.to_str().unwrap(), r#"meetings where org = and"#]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "error: expected a value after '=', found 'and'\n<query>:1:22\nmeetings where org = and\n                     ^^^ expected a value: a string, a date, a number or a $parameter\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["query", "--format", "xml", "meetings"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["query", "--param", "novalue", "meetings"]).status.code(), Some(2));
}

#[test]
fn piped_input_holds_the_database_only_once_it_has_been_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    std::fs::write(dir.path().join("a.jsonl"), GOOD).unwrap();
    assert!(run(&["import", "--db", db.to_str().unwrap(), dir.path().join("a.jsonl").to_str().unwrap()])
        .status
        .success());
    // `meetql --db` with a pipe on stdin reads its statements first; meanwhile others write.
    let mut piped = bin()
        .args(["--db", db.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let o = run(&[
        "import",
        "--busy-timeout",
        "0",
        "--db",
        db.to_str().unwrap(),
        dir.path().join("a.jsonl").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    piped.stdin.take().unwrap().write_all(b"meetings count;\n").unwrap();
    let o = piped.wait_with_output().unwrap();
    assert_eq!(text(&o.stdout), "{\"count\":3}\n", "{}", text(&o.stderr));
}

#[test]
fn gen_is_deterministic() {
    let a = run(&["gen", "--count", "500", "--seed", "9"]).stdout;
    let b = run(&["gen", "--count", "500", "--seed", "9"]).stdout;
    let c = run(&["gen", "--count", "500", "--seed", "10"]).stdout;
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(text(&a).lines().count(), 500);
}

#[test]
fn the_default_database_is_filled_from_the_bundled_corpus_once() {
    let dir = tempfile::tempdir().unwrap();
    let q = r#"meetings where org = "UNRCCA" and date >= 2024-01 select id"#;
    let first = bin().env("XDG_DATA_HOME", dir.path()).env("HOME", dir.path()).args(["query", q]).output().unwrap();
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("m-2024-01-17-ashgabat-unrcca"));
    assert!(text(&first.stderr).contains("created the default database"), "{}", text(&first.stderr));
    let second = bin().env("XDG_DATA_HOME", dir.path()).env("HOME", dir.path()).args(["query", q]).output().unwrap();
    assert_eq!(text(&second.stderr), "");
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn a_newer_database_format_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let e = meetql::Engine::open(&db).unwrap();
        drop(e);
    }
    // Damage: a database directory that sled cannot read at all.
    let junk = dir.path().join("junk");
    std::fs::create_dir_all(&junk).unwrap();
    std::fs::write(junk.join("conf"), b"\xff\xfe not a sled config").unwrap();
    std::fs::write(junk.join("db"), vec![0xa5u8; 4096]).unwrap();
    let o = run(&["query", "--db", junk.to_str().unwrap(), "meetings count"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("panicked"), "{}", text(&o.stderr));
}

#[test]
fn a_value_no_meeting_has_gets_a_note_with_the_closest_stored_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    std::fs::write(dir.path().join("a.jsonl"), GOOD).unwrap();
    assert!(run(&["import", "--db", db, dir.path().join("a.jsonl").to_str().unwrap()]).status.success());
    let o = run(&["query", "--db", db, "--format", "jsonl", r#"meetings where org = "UNRCA" or org = "osce" count"#]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).trim(), r#"{"count":1}"#, "the note is not part of the result");
    assert_eq!(text(&o.stderr), "note: no meeting has org \"UNRCA\"; did you mean \"UNRCCA\"?\n");
    // Under `not`, or for a stored value, nothing is said.
    let o = run(&["query", "--db", db, r#"meetings where not org = "UNRCA" and org = "eu" count"#]);
    assert!(o.status.success() && o.stderr.is_empty(), "{}", text(&o.stderr));
}

#[test]
fn a_one_shot_query_writes_all_its_rows_and_leaves_the_database_free() {
    // `query` and `run` leave the process at once after flushing (no destructors): every row
    // must still reach the pipe, and the next process must find the database unlocked and whole.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let corpus = bin().args(["gen", "--count", "3000", "--seed", "5"]).output().unwrap();
    assert!(corpus.status.success());
    std::fs::write(dir.path().join("c.jsonl"), &corpus.stdout).unwrap();
    let o = run(&["import", "--db", db.to_str().unwrap(), dir.path().join("c.jsonl").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for _ in 0..3 {
        let o = run(&["query", "--db", db.to_str().unwrap(), "-f", "jsonl", "meetings"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert_eq!(text(&o.stdout).lines().count(), 3000);
        assert!(text(&o.stdout).ends_with("}\n"));
    }
    let script = dir.path().join("s.mql");
    std::fs::write(&script, "meetings count;\nmeetings where org = $x;\n").unwrap();
    let o = run(&["run", "--db", db.to_str().unwrap(), "-f", "jsonl", script.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "a failing statement is the script's failure");
    assert_eq!(text(&o.stdout), "{\"count\":3000}\n", "output before the failure is flushed");
    let o = run(&["check", "--db", db.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// A database of the three GOOD records, in a temporary directory.
fn good_db() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db").to_str().unwrap().to_string();
    std::fs::write(dir.path().join("a.jsonl"), GOOD).unwrap();
    let o = run(&["import", "--db", &db, dir.path().join("a.jsonl").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    (dir, db)
}

/// Runs `args` with stdout into a pipe whose reader reads one line and goes away.
fn closed_pipe(args: &[&str]) -> Output {
    let mut child = bin().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    use std::io::Read;
    let _ = out.read(&mut first);
    drop(out);
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_with_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let db = db.to_str().unwrap();
    let corpus = dir.path().join("g.jsonl");
    std::fs::write(&corpus, run(&["gen", "--count", "3000"]).stdout).unwrap();
    assert!(run(&["import", "--db", db, corpus.to_str().unwrap()]).status.success());
    let mut cases: Vec<Vec<&str>> =
        ["jsonl", "json", "csv"].iter().map(|f| vec!["export", "--db", db, "-f", f]).collect();
    for f in ["table", "line", "json", "jsonl", "csv"] {
        cases.push(vec!["query", "--db", db, "-f", f, "meetings"]);
    }
    cases.push(vec!["gen", "--count", "100000"]);
    cases.push(vec!["completions", "bash"]);
    for args in cases {
        let o = closed_pipe(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
        assert!(o.stderr.is_empty(), "{args:?}: {}", text(&o.stderr));
    }
}

#[test]
fn did_you_mean_reaches_the_command_line() {
    let (_dir, db) = good_db();
    let o = run(&["query", "--db", &db, "meetings where org = \"UNRCA\" count"]);
    assert!(o.status.success());
    assert!(text(&o.stderr).contains("did you mean \"UNRCCA\"?"), "{}", text(&o.stderr));
    for (typo, field) in [("ogr", "org"), ("yaer", "date"), ("cuntry", "country")] {
        let o = run(&["query", "--db", &db, &format!("meetings where {typo} = \"x\" count")]);
        assert_eq!(o.status.code(), Some(1));
        assert!(text(&o.stderr).contains(&format!("did you mean '{field}'")), "{typo}: {}", text(&o.stderr));
    }
    let o = run(&["query", "--db", &db, "meetings count by yaer"]);
    assert!(text(&o.stderr).contains("did you mean 'year'"), "{}", text(&o.stderr));
    let o = run(&["query", "--db", &db, "meetings where org = 'UN' count"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("strings use double quotes") && err.contains("\"UN\""), "{err}");
}

#[test]
fn dot_commands_work_in_piped_input_and_in_scripts() {
    let (dir, db) = good_db();
    let mut child = bin().args(["--db", &db]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b".mode csv\nmeetings where org = \"UNRCCA\" count;\n.headers off\norgs;\n.print end\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    assert_eq!(text(&o.stdout), "count\n1\n\nEU,1\nOSCE,1\nUNRCCA,1\nend\n");
    let script = dir.path().join("s.mql");
    std::fs::write(&script, "let $o = \"OSCE\";\n.mode csv\nmeetings where org = $o count;\n.mode jsonl\nmeetings where org = $o count;\n.bogus\n").unwrap();
    let o = run(&["run", "--db", &db, script.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stdout), "count\n1\n{\"count\":1}\n");
    let err = text(&o.stderr);
    assert!(err.contains("unknown command '.bogus'") && err.contains("s.mql:6:1"), "{err}");
}

#[test]
fn exports_take_the_format_their_name_says_and_import_reads_them_back() {
    let (dir, db) = good_db();
    let o = run(&["export", "--db", &db, "-f", "json"]);
    assert!(o.status.success());
    let json = dir.path().join("all.json");
    std::fs::write(&json, &o.stdout).unwrap();
    assert!(text(&o.stdout).starts_with("[\n{"));
    let db2 = dir.path().join("db2");
    let o = run(&["import", "--db", db2.to_str().unwrap(), json.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(count(&db2), r#"{"count":3}"#);
}

#[test]
fn a_damaged_database_says_what_to_do_without_internals() {
    let (dir, db) = good_db();
    // Overwrite the middle of every database file: sled's log cannot be read back.
    for entry in walk(Path::new(&db)) {
        let len = std::fs::metadata(&entry).unwrap().len();
        if len > 1024 {
            let mut f = std::fs::OpenOptions::new().write(true).open(&entry).unwrap();
            use std::io::{Seek, SeekFrom};
            f.seek(SeekFrom::Start(64)).unwrap();
            f.write_all(&[0xA5; 512]).unwrap();
        }
    }
    let o = run(&["query", "--db", &db, "meetings count"]);
    let err = text(&o.stderr);
    assert!(o.status.success() || o.status.code() == Some(3), "{err}");
    assert!(!err.contains("Inline(") && !err.contains("backtrace") && !err.contains("Some("), "{err}");
    if !o.status.success() {
        assert!(err.contains("damaged") && err.contains("meetql check") && err.contains("export"), "{err}");
    }
    drop(dir);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn completions_and_a_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}");
        let script = text(&o.stdout);
        assert!(script.contains("meetql") && script.contains("busy-timeout"), "{shell}");
    }
    let o = run(&["completions", "tcsh-like"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["man"]);
    assert!(o.status.success());
    let page = text(&o.stdout);
    assert!(page.starts_with(".ie") || page.contains(".TH"), "{}", &page[..200.min(page.len())]);
    assert!(page.contains("busy\\-timeout") || page.contains("busy-timeout"));
}
