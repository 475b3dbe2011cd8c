//! The shell as a person uses it: the real binary in a pseudo-terminal, on a small database
//! imported by the test, with HOME and XDG_DATA_HOME in a temporary directory.

use std::path::{Path, PathBuf};
use std::process::Command;

use rexpect::reader::Options;
use rexpect::session::{spawn_with_options, PtySession};

const BIN: &str = env!("CARGO_BIN_EXE_meetql");

const CORPUS: &str = r#"{"id": "m-seed", "date": "2024-01-17", "city": "Ashgabat", "country": "Turkmenistan", "participants": [{"name": "Myakhri Byashimova", "org": "Ministry of Foreign Affairs of Turkmenistan"}, {"name": "Kaha Imnadze", "org": "UNRCCA"}], "orgs": ["UNRCCA", "UN"], "countries": ["Turkmenistan"], "topics": ["preventive diplomacy"], "summary": "Talks."}
{"id": "m-2", "date": "2023-05", "city": "Vienna", "country": "Austria", "participants": [{"name": "Helga Schmid", "org": "OSCE"}], "orgs": ["OSCE"], "topics": ["security"]}
{"id": "m-3", "date": "2023-06-02", "city": "Brussels", "country": "Belgium", "participants": [{"name": "Kaja Kallas", "org": "EU"}], "orgs": ["EU"], "topics": ["energy"]}
{"id": "m-4", "date": "2022", "city": "Astana", "country": "Kazakhstan", "orgs": ["UN", "EU"], "topics": ["water resources"]}
"#;

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("c.jsonl");
        std::fs::write(&corpus, CORPUS).unwrap();
        let fx = Fixture { dir };
        let st = fx.command().args(["import"]).arg(&corpus).output().unwrap();
        assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
        fx
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("db")
    }

    fn command(&self) -> Command {
        let mut c = Command::new(BIN);
        c.arg("--db").arg(self.db());
        self.home(c)
    }

    /// The shell in a terminal `cols` columns wide (`stty` sets the pseudo-terminal's size).
    fn sized(&self, cols: u16) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c").arg(format!("stty cols {cols} rows 40 && exec \"$0\" \"$@\"")).arg(BIN).arg("--db").arg(self.db());
        self.home(c)
    }

    /// A home, data, config and state directory of the test's own, and an xterm with colour.
    fn home(&self, mut c: Command) -> Command {
        c.env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("cfg"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("TERM", "xterm")
            .env_remove("NO_COLOR");
        c
    }

    fn shell(&self) -> PtySession {
        shell(self.command())
    }
}

fn shell(cmd: Command) -> PtySession {
    let mut p = spawn_with_options(cmd, Options::new().timeout_ms(Some(8000)).strip_ansi_escape_codes(true)).unwrap();
    p.exp_string("meetql> ").unwrap();
    p
}

/// Types `text` (keys, not a line: a `\t` is Tab, `\r` is Enter) and sends it at once.
fn keys(p: &mut PtySession, text: &str) {
    p.send(text).unwrap();
    p.flush().unwrap();
}

fn quit(mut p: PtySession) {
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_query_shows_a_table() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    p.send_line(r#"meetings where org = "UNRCCA" and date >= 2024-01"#).unwrap();
    p.exp_string("m-seed").unwrap();
    p.exp_string("1 row").unwrap();
    p.send_line("meetings count by year").unwrap();
    p.exp_string("2023").unwrap();
    p.exp_string("3 rows").unwrap();
    quit(p);
}

#[test]
fn tab_completes_a_collection_and_a_stored_person() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    keys(&mut p, "mee\t");
    p.exp_string("meetings ").unwrap();
    keys(&mut p, "count\r");
    p.exp_regex(r"\n4\r?\n").unwrap();
    keys(&mut p, "meetings where person = \"Kaha Im\t");
    p.exp_string("\"Kaha Imnadze\"").unwrap();
    keys(&mut p, "\r");
    p.exp_string("1 row").unwrap();
    quit(p);
}

#[test]
fn a_multi_line_statement_runs_whole() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    p.send_line(r#"meetings where (org = "OSCE""#).unwrap();
    p.send_line(r#"  or org = "EU") count"#).unwrap();
    p.exp_regex(r"\n3\r?\n").unwrap();
    p.send_line("meetings count; orgs limit 1").unwrap();
    p.exp_string("-- orgs limit 1").unwrap();
    p.exp_string("1 row").unwrap();
    quit(p);
}

#[test]
fn a_bad_query_shows_a_caret_and_the_shell_goes_on() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    p.send_line(r#"meetings wher org = "UN";"#).unwrap();
    p.exp_string("^^^^").unwrap();
    p.exp_string("did you mean 'where'").unwrap();
    p.send_line(r#"meetings where org = "UNRCA" count"#).unwrap();
    p.exp_string(r#"did you mean "UNRCCA"?"#).unwrap();
    p.send_line(".mod json").unwrap();
    p.exp_string("did you mean .mode").unwrap();
    p.send_line(".timer maybe").unwrap();
    p.exp_string("usage: .timer on|off").unwrap();
    p.send_line("meetings count").unwrap();
    p.exp_regex(r"\n4\r?\n").unwrap();
    quit(p);
}

#[test]
fn mode_json_changes_the_output() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    p.send_line(".mode json").unwrap();
    p.send_line("orgs limit 1").unwrap();
    p.exp_string(r#"{"value":"#).unwrap();
    p.send_line(".mode csv").unwrap();
    p.send_line("orgs limit 1").unwrap();
    p.exp_string("org,count").unwrap();
    p.send_line(".mode").unwrap();
    p.exp_string("csv").unwrap();
    quit(p);
}

#[test]
fn meta_commands_work() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    p.send_line(".help").unwrap();
    p.exp_string(".export PATH [QUERY]").unwrap();
    p.send_line(".stats").unwrap();
    p.exp_string("records    4").unwrap();
    p.send_line(".fields").unwrap();
    p.exp_regex(r"org +4 +(UN|EU) \(").unwrap();
    let out = fx.dir.path().join("out.jsonl");
    p.send_line(&format!(".export {} meetings where org = \"EU\"", out.display())).unwrap();
    p.exp_string("exported 2 records").unwrap();
    p.send_line(".explain meetings where org = \"EU\"").unwrap();
    p.exp_string("org").unwrap();
    quit(p);
    assert_eq!(std::fs::read_to_string(out).unwrap().lines().count(), 2);
}

#[test]
fn history_survives_a_restart() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    p.send_line(r#"meetings where (org = "OSCE""#).unwrap();
    p.send_line(r#"  or org = "EU") count"#).unwrap();
    p.exp_regex(r"\n3\r?\n").unwrap();
    quit(p);
    let history = std::fs::read_to_string(fx.dir.path().join("data/meetql/history.txt")).unwrap();
    assert!(history.contains("OSCE"), "{history}");
    let mut p = fx.shell();
    // Up, Up (past `.quit`): the whole multi-line statement comes back.
    keys(&mut p, "\x1b[A");
    p.exp_string(".quit").unwrap();
    keys(&mut p, "\x1b[A");
    p.exp_string("or org = \"EU\") count").unwrap();
    keys(&mut p, "\r");
    p.exp_regex(r"\n3\r?\n").unwrap();
    quit(p);
}

fn big_corpus(dir: &Path, n: u32) -> PathBuf {
    let corpus = dir.join("big.jsonl");
    let out = Command::new(BIN).args(["gen", "--count", &n.to_string()]).output().unwrap();
    std::fs::write(&corpus, out.stdout).unwrap();
    corpus
}

#[test]
fn ctrl_c_clears_the_line_and_cancels_a_query() {
    let fx = Fixture::new();
    // Large enough that the scan below outlasts the pause before Ctrl-C, now that the shell
    // prints only 40 rows of a long result.
    let corpus = big_corpus(fx.dir.path(), 300_000);
    let st = fx.command().arg("import").arg(&corpus).output().unwrap();
    assert!(st.status.success());
    let mut p = fx.shell();
    // At the prompt, Ctrl-C drops what was typed.
    keys(&mut p, "meetings where");
    p.send_control('c').unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_line("meetings count").unwrap();
    p.exp_regex(r"\n300004\r?\n").unwrap();
    // A query that reads every record; Ctrl-C stops it and the shell stays.
    p.send_line(".timer on").unwrap();
    p.send_line(r#"meetings where text contains "no such words anywhere" or kind != "meeting" order by city"#).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    p.send_line("meetings where org = \"OSCE\" count").unwrap();
    p.exp_string("time:").unwrap();
    quit(p);
}

#[test]
fn while_the_shell_is_open_others_query_and_a_writer_waits_then_exits_3_naming_it() {
    let fx = Fixture::new();
    let p = fx.shell();
    // A read from a second process is answered by the shell's process.
    let out = fx.command().args(["query", "-f", "jsonl", "meetings count"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "{\"count\":4}\n");
    // A writer waits for --busy-timeout, then says who holds the database and what it does.
    let started = std::time::Instant::now();
    let corpus = fx.dir.path().join("c.jsonl");
    let out = fx.command().args(["import", "--busy-timeout", "300"]).arg(&corpus).output().unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&fx.db().display().to_string()) && err.contains("the shell"), "{err}");
    assert!(err.contains("busy") && err.contains("--busy-timeout"), "{err}");
    quit(p);
}

#[test]
fn let_bindings_last_for_the_session_and_params_lists_them() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    p.send_line(r#"let $o = "OSCE";"#).unwrap();
    p.send_line("meetings where org = $o count").unwrap();
    p.exp_regex(r"\n1\r?\n").unwrap();
    let script = fx.dir.path().join("s.mql");
    std::fs::write(&script, "let $e = \"EU\";\nmeetings where org = $o or org = $e count;\n").unwrap();
    p.send_line(&format!(".read {}", script.display())).unwrap();
    p.exp_regex(r"\n3\r?\n").unwrap();
    p.send_line(".params").unwrap();
    p.exp_string("$e = \"EU\"").unwrap();
    p.exp_string("$o = \"OSCE\"").unwrap();
    p.send_line(".params clear").unwrap();
    p.send_line("meetings where org = $o count").unwrap();
    p.exp_string("parameter $o is not bound").unwrap();
    quit(p);
}

#[test]
fn long_results_show_first_and_last_rows_and_narrow_terminals_get_lines() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    p.send_line(".maxrows 2").unwrap();
    p.send_line("meetings").unwrap();
    p.exp_string("m-4").unwrap(); // the first row (2022)
    p.exp_string("m-seed").unwrap(); // the last row (2024)
    p.exp_string("4 rows (2 shown)").unwrap();
    quit(p);
    // 60 columns: the meetings table cannot fit, so one field a line, the id whole.
    let mut p = shell(fx.sized(60));
    p.send_line("meetings where id = \"m-seed\"").unwrap();
    p.exp_regex(r"\n\s*id = m-seed\r?\n").unwrap();
    p.exp_string("1 row").unwrap();
    quit(p);
}

#[test]
fn sqlite_habits_once_output_headers_schema_collections_bail_echo_print() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    let once = fx.dir.path().join("once.csv");
    p.send_line(".mode csv").unwrap();
    p.send_line(&format!(".once {}", once.display())).unwrap();
    p.send_line("orgs").unwrap();
    p.send_line(".headers off").unwrap();
    p.send_line("meetings count by year").unwrap();
    p.exp_regex(r"\n2022,1\r?\n").unwrap();
    let all = fx.dir.path().join("all.txt");
    p.send_line(&format!(".output {}", all.display())).unwrap();
    p.send_line("meetings where org = \"EU\" count").unwrap();
    p.send_line(".output stdout").unwrap();
    p.send_line(".print done writing").unwrap();
    p.exp_string("done writing").unwrap();
    p.send_line(".schema").unwrap();
    p.exp_regex(r"org\s+strings\s+yes").unwrap();
    p.send_line(".collections").unwrap();
    p.exp_string("topics").unwrap();
    p.send_line(".echo on").unwrap();
    p.send_line("meetings where org = \"OSCE\" count").unwrap();
    p.exp_regex(r#"\nmeetings where org = "OSCE" count\r?\n(\r?\n)?1\r?\n"#).unwrap();
    p.send_line(".echo off").unwrap();
    p.send_line(".bail off").unwrap();
    p.send_line("meetings where ogr = \"x\" count; meetings where org = \"UN\" count;").unwrap();
    p.exp_string("unknown field 'ogr'").unwrap();
    p.exp_regex(r"\n2\r?\n").unwrap();
    p.send_line("help").unwrap();
    p.exp_string(".maxrows N").unwrap();
    p.send_line("\\q").unwrap();
    p.exp_eof().unwrap();
    assert!(std::fs::read_to_string(&once).unwrap().starts_with("org,count\n"));
    assert_eq!(std::fs::read_to_string(&all).unwrap(), "2\n");
    for word in ["exit", "quit"] {
        let mut p = fx.shell();
        p.send_line(word).unwrap();
        p.exp_eof().unwrap();
    }
}

#[test]
fn import_says_its_count_once_and_export_names_decide_the_format() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    for name in ["x.json", "x.jsonl", "x.csv"] {
        let path = fx.dir.path().join(name);
        p.send_line(&format!(".export {}", path.display())).unwrap();
        p.exp_string("exported 4 records").unwrap();
    }
    let json = std::fs::read_to_string(fx.dir.path().join("x.json")).unwrap();
    assert!(json.starts_with("[\n{") && json.ends_with("}\n]\n"), "{json}");
    p.send_line(&format!(".import {}", fx.dir.path().join("x.json").display())).unwrap();
    p.exp_string("imported 4 records from 1 file").unwrap();
    p.send_line(".print after").unwrap();
    let before = p.exp_string("after").unwrap();
    assert!(!before.contains("imported 4 records"), "the count came twice: {before}");
    quit(p);
}

#[test]
fn completion_offers_what_the_planner_takes_and_the_three_kinds() {
    let fx = Fixture::new();
    let mut p = fx.shell();
    p.send("meetings where kind = \"vi").unwrap();
    keys(&mut p, "\t");
    p.exp_string("\"video\"").unwrap();
    p.send_line("").unwrap();
    p.send_line("meetings where kind = \"phone\"").unwrap();
    p.exp_string("unknown kind \"phone\"").unwrap();
    p.exp_string("\"meeting\", \"call\" or \"video\"").unwrap();
    quit(p);
}

#[test]
fn without_colour_no_history_hint_is_drawn() {
    let fx = Fixture::new();
    let mut cmd = fx.command();
    cmd.env("NO_COLOR", "1");
    let mut p = shell(cmd);
    p.send_line("meetings where org = \"OSCE\" count").unwrap();
    p.exp_regex(r"\n1\r?\n").unwrap();
    keys(&mut p, "meetings w");
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_line("").unwrap();
    // Enter ran what was typed, and the screen never showed more than that.
    let shown = p.exp_string("unexpected").unwrap();
    assert!(!shown.contains("meetings where org"), "a hint looked like typed text: {shown}");
    quit(p);
}
