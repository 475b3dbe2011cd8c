//! Scripts end to end: the real `meetql` binary on a temporary database holding a small corpus
//! written here, plus the library's `Engine::run_script` and prepared queries. The example
//! scripts (`examples/scripts/*.mql`) and their outputs are goldenscripts
//! (`tests/goldenscripts/example-scripts.gs`).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use meetql::{Engine, Error, Literal, Params, PartialDate};

const BIN: &str = env!("CARGO_BIN_EXE_meetql");

const CORPUS: &str = r#"{"id": "m-1", "date": "2023-05-10", "city": "Ashgabat", "country": "Turkmenistan", "participants": [{"name": "Rashid Meredov", "org": "Ministry of Foreign Affairs of Turkmenistan", "country": "Turkmenistan"}, {"name": "Kaha Imnadze", "org": "UNRCCA"}], "orgs": ["UNRCCA"], "countries": ["Turkmenistan"], "topics": ["security"]}
{"id": "m-2", "date": "2024-01-17", "city": "Astana", "country": "Kazakhstan", "participants": [{"name": "Murat Nurtleu", "org": "Ministry of Foreign Affairs of Kazakhstan"}, {"name": "Kaha Imnadze", "org": "UNRCCA"}], "orgs": ["UNRCCA"], "countries": ["Kazakhstan"], "topics": ["water resources", "security"]}
{"id": "m-3", "date": "2024-03", "city": "Vienna", "country": "Austria", "participants": [{"name": "Rashid Meredov", "org": "Ministry of Foreign Affairs of Turkmenistan"}], "orgs": ["OSCE"], "countries": ["Austria", "Turkmenistan"], "topics": ["border management"]}
{"id": "m-4", "date": "2024-06-02", "city": "Astana", "country": "Kazakhstan", "participants": [{"name": "Murat Nurtleu"}], "orgs": ["SCO"], "countries": ["Kazakhstan"], "topics": ["security"]}
{"id": "m-5", "date": "2025-02-11", "kind": "call", "participants": [{"name": "Kaha Imnadze", "org": "UNRCCA"}, {"name": "Josep Borrell", "org": "EU"}], "orgs": ["UNRCCA", "EU"], "topics": ["Afghanistan"]}
"#;

/// A temporary database with [`CORPUS`] imported by the binary.
struct Db {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

impl Db {
    fn new() -> Db {
        Db::with_corpus(CORPUS)
    }

    fn with_corpus(corpus: &str) -> Db {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("corpus.jsonl");
        std::fs::write(&file, corpus).unwrap();
        let db = Db { dir };
        let st = Command::new(BIN).arg("import").arg("--db").arg(db.db()).arg(&file).output().unwrap();
        assert!(st.status.success(), "import failed: {}", String::from_utf8_lossy(&st.stderr));
        db
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    /// Writes a script file into the temporary directory and returns its path.
    fn script(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// `meetql run --db DB ARGS...`, with `stdin` piped in.
    fn run(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = Command::new(BIN)
            .arg("run")
            .arg("--db")
            .arg(self.db())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let o = child.wait_with_output().unwrap();
        Run {
            code: o.status.code().unwrap_or(-1),
            out: String::from_utf8(o.stdout).unwrap(),
            err: String::from_utf8(o.stderr).unwrap(),
        }
    }

    fn run_file(&self, args: &[&str], name: &str, text: &str) -> Run {
        let p = self.script(name, text);
        let mut all: Vec<&str> = args.to_vec();
        let p = p.to_str().unwrap().to_string();
        all.push(&p);
        self.run(&all, "")
    }
}

const SCRIPT: &str = "-- UNRCCA since a month, then a count by year
let $org = \"UNRCCA\";   -- the default organisation
let $since = 2024-01;

meetings where org = $org   -- a statement may span lines
  and date >= $since
  select id, city;
expect count = 2;

-- a bare count
meetings where org = $org count;
expect count >= 1;
";

#[test]
fn comments_let_and_several_statements_in_jsonl() {
    let db = Db::new();
    let r = db.run_file(&["--format", "jsonl"], "a.mql", SCRIPT);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(
        r.out, "{\"id\":\"m-2\",\"city\":\"Astana\"}\n{\"id\":\"m-5\",\"city\":null}\n{\"count\":3}\n",
        "one object a line, statements one after the other"
    );
    assert_eq!(r.err, "");
}

#[test]
fn json_is_one_array_per_statement() {
    let db = Db::new();
    let r = db.run_file(&["--format", "json"], "a.mql", SCRIPT);
    assert_eq!(r.code, 0, "{}", r.err);
    let arrays: Vec<serde_json::Value> =
        serde_json::Deserializer::from_str(&r.out).into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(arrays.len(), 2, "{}", r.out);
    assert_eq!(arrays[0].as_array().unwrap().len(), 2);
    assert_eq!(arrays[1], serde_json::json!([{"count": 3}]));
    // Each array opens and closes on a line of its own.
    assert!(r.out.starts_with("[\n"));
    assert_eq!(r.out.lines().filter(|l| *l == "[").count(), 2);
    assert_eq!(r.out.lines().filter(|l| *l == "]").count(), 2);
}

#[test]
fn json_of_an_empty_result_is_an_empty_array() {
    let db = Db::new();
    let r =
        db.run(&["--format", "json", "-"], "meetings where org = \"nobody\";\nmeetings where id = \"m-1\" select id;");
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.out, "[]\n[\n{\"id\":\"m-1\"}\n]\n");
}

#[test]
fn csv_statements_are_separated_by_a_blank_line() {
    let db = Db::new();
    let r = db.run_file(&["--format", "csv"], "a.mql", SCRIPT);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.out, "id,city\nm-2,Astana\nm-5,\n\ncount\n3\n");
}

#[test]
fn table_results_have_the_statement_first_line_as_header() {
    let db = Db::new();
    let r = db.run_file(&["--format", "table"], "a.mql", SCRIPT);
    assert_eq!(r.code, 0, "{}", r.err);
    let headers: Vec<&str> = r.out.lines().filter(|l| l.starts_with("-- ")).collect();
    // The first line of each statement, without its trailing comment.
    assert_eq!(headers, ["-- meetings where org = $org", "-- meetings where org = $org count"]);
    assert!(r.out.contains("m-2") && r.out.contains("2 rows"), "{}", r.out);
    assert!(r.out.ends_with("\n\n-- meetings where org = $org count\n3\n"), "{}", r.out);
}

#[test]
fn line_format_has_headers_too() {
    let db = Db::new();
    let r = db.run_file(&["--format", "line"], "a.mql", SCRIPT);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.starts_with("-- meetings where org = $org\n"), "{}", r.out);
    assert!(r.out.ends_with("\n\n-- meetings where org = $org count\ncount = 3\n"), "{}", r.out);
}

#[test]
fn inline_query_has_no_header() {
    let out = Command::new(BIN)
        .args(["query", "--format", "table", "--db"])
        .arg(Db::new().db())
        .arg("meetings count")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "5\n");
}

#[test]
fn param_overrides_let() {
    let db = Db::new();
    let r = db.run_file(
        &["--format", "jsonl", "--param", "org=OSCE", "--param", "since=2020"],
        "a.mql",
        "let $org = \"UNRCCA\";\nmeetings where org = $org and date >= $since select id;\n",
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.out, "{\"id\":\"m-3\"}\n");
    // Without --param, the let is the default.
    let r = db.run_file(
        &["--format", "jsonl", "--param", "since=2025"],
        "a.mql",
        "let $org = \"UNRCCA\";\nmeetings where org = $org and date >= $since select id;\n",
    );
    assert_eq!(r.out, "{\"id\":\"m-5\"}\n");
}

#[test]
fn param_overriding_let_keeps_the_expectations_honest() {
    // The script's own expectation holds for its default and fails for the outside value.
    let db = Db::new();
    let text = "let $org = \"UNRCCA\";\nmeetings where org = $org;\nexpect count >= 3;\n";
    assert_eq!(db.run_file(&["--format", "jsonl"], "e.mql", text).code, 0);
    let r = db.run_file(&["--format", "jsonl", "--param", "org=EU"], "e.mql", text);
    assert_eq!(r.code, 1);
    assert!(r.err.contains("e.mql:3:1: expected count >= 3, got 1"), "{}", r.err);
}

#[test]
fn param_values_are_dates_integers_or_strings() {
    let db = Db::new();
    // A date: 2024-03 is the month, so the March meeting counts and January's does not.
    let r = db.run(&["--format", "jsonl", "--param", "m=2024-03", "-"], "meetings where date = $m select id;");
    assert_eq!(r.out, "{\"id\":\"m-3\"}\n", "{}", r.err);
    // An integer, where one is wanted.
    let r = db.run(
        &["--format", "jsonl", "--param", "n=2", "-"],
        "meetings limit 1 select id; meetings where org = \"UNRCCA\" count;",
    );
    assert_eq!(r.code, 0, "{}", r.err);
    // A string with spaces.
    let r = db.run(&["--format", "jsonl", "--param", "who=Kaha Imnadze", "-"], "meetings where person = $who count;");
    assert_eq!(r.out, "{\"count\":3}\n", "{}", r.err);
}

#[test]
fn expect_passes_silently() {
    let db = Db::new();
    let r = db.run_file(&["--format", "jsonl"], "ok.mql",
        "meetings where org = \"UNRCCA\";\nexpect count = 3;\nexpect count != 4;\nexpect count < 4;\nexpect count <= 3;\nexpect count > 2;\n");
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.err, "");
    assert_eq!(r.out.lines().count(), 3);
}

#[test]
fn expect_failure_exits_1_with_place_and_numbers_after_complete_output() {
    let db = Db::new();
    let r = db.run_file(&["--format", "json"], "check.mql",
        "meetings where org = \"UNRCCA\" select id;\n\nmeetings where org = \"nobody\";\n  expect count >= 1;\nmeetings count;\n");
    assert_eq!(r.code, 1);
    let path = db.dir.path().join("check.mql");
    // The value no meeting has gets its note (as on the command line), then the failure.
    assert_eq!(
        r.err,
        format!("note: no meeting has org \"nobody\"\nerror: {}:4:3: expected count >= 1, got 0\n", path.display())
    );
    // The statements before it printed everything; the one after did not run.
    assert_eq!(r.out, "[\n{\"id\":\"m-1\"},\n{\"id\":\"m-2\"},\n{\"id\":\"m-5\"}\n]\n[]\n");
}

#[test]
fn expect_checks_the_number_of_a_bare_count_and_the_rows_of_count_by() {
    let db = Db::new();
    // `count` gives one row, the number 3: expect compares the number.
    let r = db.run(&["--format", "jsonl", "-"], "meetings where org = \"UNRCCA\" count;\nexpect count = 3;");
    assert_eq!(r.code, 0, "{}", r.err);
    // `count by` gives one row per value: expect compares the rows (3 years).
    let r = db.run(&["--format", "jsonl", "-"], "meetings where org = \"UNRCCA\" count by year;\nexpect count = 3;");
    assert_eq!(r.code, 0, "{}", r.err);
    let r = db.run(&["--format", "jsonl", "-"], "meetings count by year;\nexpect count = 5;");
    assert_eq!(r.code, 1);
    assert!(r.err.contains("<stdin>:2:1: expected count = 5, got 3"), "{}", r.err);
}

#[test]
fn expect_without_a_query_before_it_is_an_error() {
    let db = Db::new();
    let r = db.run(&["--format", "jsonl", "-"], "expect count = 0;");
    assert_eq!(r.code, 1);
    assert!(r.err.contains("'expect' needs a query before it") && r.err.contains("<stdin>:1:1"), "{}", r.err);
}

#[test]
fn stdin_with_dash() {
    let db = Db::new();
    let r = db.run(&["--format", "csv", "-"], "-- from a pipe\nmeetings where id = \"m-4\" select city;");
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.out, "id,city\nm-4,Astana\n");
    let r = db.run(&["--format", "csv", "-"], "meetings where org = $x;");
    assert!(r.err.contains("<stdin>:1:22"), "{}", r.err);
}

#[test]
fn syntax_error_on_line_40_runs_nothing() {
    let db = Db::new();
    let mut text = String::from("-- a long script\n");
    for i in 2..40 {
        text.push_str(&format!("meetings where id = \"m-{}\" count; -- line {i}\n", i % 5 + 1));
    }
    text.push_str("meetings where date >= 2024-13;\nmeetings count;\n");
    assert_eq!(text.lines().nth(39), Some("meetings where date >= 2024-13;"));
    let r = db.run_file(&["--format", "jsonl"], "long.mql", &text);
    assert_eq!(r.code, 1);
    assert_eq!(r.out, "", "nothing ran");
    let path = db.dir.path().join("long.mql");
    let lines: Vec<&str> = r.err.lines().collect();
    assert!(lines[0].starts_with("error: "), "{}", r.err);
    let at = format!("{}:40:24", path.display());
    assert_eq!(lines[1], at, "{}", r.err);
    assert_eq!(lines[2], "meetings where date >= 2024-13;");
    assert!(lines[3].starts_with(&format!("{}^", " ".repeat(23))), "{}", r.err);
}

#[test]
fn unbound_parameter_is_named_and_pointed_at() {
    let db = Db::new();
    let r = db.run_file(
        &["--format", "jsonl"],
        "u.mql",
        "let $org = \"UN\";\nmeetings where org = $org;\nmeetings where org = $nobody and date >= $since;\n",
    );
    assert_eq!(r.code, 1);
    let path = db.dir.path().join("u.mql");
    let lines: Vec<&str> = r.err.lines().collect();
    assert_eq!(lines[0], "error: parameter $nobody is not bound", "{}", r.err);
    assert_eq!(lines[1], format!("{}:3:22", path.display()));
    assert_eq!(lines[2], "meetings where org = $nobody and date >= $since;");
    assert!(lines[3].starts_with(&format!("{}^^^^^^^", " ".repeat(21))), "{}", r.err);
    assert!(lines[3].contains("--param nobody="), "{}", r.err);
}

#[test]
fn run_time_error_stops_the_script_after_flushing_earlier_output() {
    let db = Db::new();
    let r = db.run(
        &["--format", "jsonl", "-"],
        "meetings count;\nmeetings where org = $x;\nmeetings where id = \"m-1\" select id;\n",
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.out, "{\"count\":5}\n");
    assert!(r.err.contains("parameter $x is not bound"), "{}", r.err);
}

#[test]
fn keep_going_reports_each_error_and_exits_1_at_the_end() {
    let db = Db::new();
    let text = "meetings count;\nmeetings where org = $x;\nexpect count = 1;  -- skipped: its statement failed\nmeetings where org = \"EU\" count;\nexpect count = 7;\nmeetings where org = \"SCO\" select id;\n";
    let r = db.run_file(&["--format", "jsonl", "--keep-going"], "k.mql", text);
    assert_eq!(r.code, 1);
    assert_eq!(r.out, "{\"count\":5}\n{\"count\":1}\n{\"id\":\"m-4\"}\n", "every statement that could run ran");
    let path = db.dir.path().join("k.mql");
    assert!(r.err.contains("error: parameter $x is not bound"), "{}", r.err);
    assert!(r.err.contains(&format!("error: {}:5:1: expected count = 7, got 1", path.display())), "{}", r.err);
    assert!(r.err.trim_end().ends_with("2 failures (reported above) in 4 statements run"), "{}", r.err);
    assert_eq!(r.err.matches("error: ").count(), 3, "{}", r.err);
    // Without failures, --keep-going changes nothing.
    let r = db.run(&["--format", "jsonl", "--keep-going", "-"], "meetings count;");
    assert_eq!((r.code, r.out.as_str()), (0, "{\"count\":5}\n"));
}

#[test]
fn explain_in_a_script() {
    let db = Db::new();
    let r = db.run(&["--format", "json", "-"], "explain meetings where org = \"UNRCCA\";");
    assert_eq!(r.code, 0, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    assert!(v[0]["plan"].as_str().unwrap().contains("index org"), "{}", r.out);
}

#[test]
fn missing_script_file_is_an_error() {
    let db = Db::new();
    let r = db.run(&["/nonexistent/x.mql"], "");
    assert_eq!(r.code, 1);
    assert!(r.err.contains("/nonexistent/x.mql"), "{}", r.err);
}

// ---------------------------------------------------------------------------------------------
// The library.

fn engine() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path().join("db")).unwrap();
    engine.import_reader("<test>", CORPUS.as_bytes(), meetql::ingest::Format::Jsonl).unwrap();
    (dir, engine)
}

#[test]
fn engine_run_script_returns_each_statement_result() {
    let (_d, e) = engine();
    let rs = e.run_script(SCRIPT, &Params::new()).unwrap();
    assert_eq!(rs.len(), 2, "let and expect give no result");
    assert_eq!(rs[0].rows.len(), 2);
    assert_eq!(rs[1].total(), Some(3));
    // Outside params win over let.
    let mut p = Params::new();
    p.insert("org".into(), Literal::from("EU"));
    let err = e.run_script(SCRIPT, &p).unwrap_err();
    assert!(matches!(err, Error::Expectation(_)));
    assert_eq!(err.to_string(), "<script>:8:1: expected count = 2, got 1");
    // Syntax errors name the line, before anything runs.
    let err = e.run_script("meetings;\n\nmeetings where", &Params::new()).unwrap_err();
    assert!(err.to_string().contains("<script>:3:"), "{err}");
    // Unbound parameters are named.
    let err = e.run_script("meetings where org = $who;", &Params::new()).unwrap_err();
    assert!(err.to_string().contains("$who"), "{err}");
}

#[test]
fn bind_accepts_str_integers_and_dates() {
    let (_d, e) = engine();
    let q = e.prepare("meetings where org = $org and date >= $since").unwrap();
    let since: PartialDate = "2024".parse().unwrap();
    let name = String::from("UNRCCA");
    assert_eq!(q.bind("org", "UNRCCA").bind("since", since).run().unwrap().len(), 2);
    assert_eq!(q.bind("org", &name).bind("since", since).run().unwrap().len(), 2);
    assert_eq!(q.bind("org", name.clone()).bind("$since", since).run().unwrap().len(), 2);
    // Integers of any width bind; where a date is wanted one is a type error, not a panic.
    let q3 = e.prepare("meetings where city = $n count").unwrap();
    for n in [Literal::from(5i32), Literal::from(5i64), Literal::from(5u32), Literal::from(5u64), Literal::from(5usize)]
    {
        assert_eq!(n, Literal::Int(5));
        assert_eq!(q3.bind("n", n).run().unwrap().total(), Some(0));
    }
    let q2 = e.prepare("meetings where date >= $d count").unwrap();
    assert_eq!(q2.bind("d", since).run().unwrap().total(), Some(4));
    assert!(q2.bind("d", 5i32).run().is_err());
    // An unbound parameter names itself.
    let err = q2.run().unwrap_err();
    assert!(err.to_string().contains("$d"), "{err}");
}

#[test]
fn prepared_runs_many_times_from_several_threads() {
    let (_d, e) = engine();
    let q = e.prepare("meetings where org = $org count").unwrap();
    let expected = [("UNRCCA", 3), ("OSCE", 1), ("SCO", 1), ("EU", 1), ("nobody", 0)];
    std::thread::scope(|s| {
        for t in 0..4 {
            let q = &q;
            s.spawn(move || {
                for round in 0..25 {
                    let (org, n) = expected[(t + round) % expected.len()];
                    assert_eq!(q.bind("org", org).run().unwrap().total(), Some(n), "{org}");
                }
            });
        }
    });
    // The prepared query itself can move to another thread too.
    let q2 = q.clone();
    let n = std::thread::spawn(move || q2.bind("org", "UNRCCA").run().unwrap().total()).join().unwrap();
    assert_eq!(n, Some(3));
}
