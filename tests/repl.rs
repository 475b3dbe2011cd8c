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
    p.send("mee\t").unwrap();
    p.flush().unwrap();
    p.exp_string("meetings ").unwrap();
    p.send("count\r").unwrap();
    p.flush().unwrap();
    p.exp_regex(r"\n4\r?\n").unwrap();
    p.send("meetings where person = \"Kaha Im\t").unwrap();
    p.flush().unwrap();
    p.exp_string("\"Kaha Imnadze\"").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
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
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string(".quit").unwrap();
    p.send("\x1b[A").unwrap();
    p.flush().unwrap();
    p.exp_string("or org = \"EU\") count").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
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
    let corpus = big_corpus(fx.dir.path(), 60_000);
    let st = fx.command().arg("import").arg(&corpus).output().unwrap();
    assert!(st.status.success());
    let mut p = fx.shell();
    // At the prompt, Ctrl-C drops what was typed.
    p.send("meetings where").unwrap();
    p.flush().unwrap();
    p.send_control('c').unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_line("meetings count").unwrap();
    p.exp_regex(r"\n60004\r?\n").unwrap();
    // A query that reads every record; Ctrl-C stops it and the shell stays.
    p.send_line(".timer on").unwrap();
    p.send_line(r#"meetings where text contains "no such words anywhere" or kind != "meeting" order by city"#).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    p.exp_string("interrupted").unwrap();
    p.send_line("meetings where org = \"OSCE\" count").unwrap();
    p.exp_string("time:").unwrap();
    quit(p);
}

#[test]
fn a_second_shell_on_a_locked_database_exits_3() {
    let fx = Fixture::new();
    let p = fx.shell();
    let out = fx.command().args(["query", "meetings count"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&fx.db().display().to_string()), "{err}");
    quit(p);
}
