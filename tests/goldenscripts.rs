//! Goldenscripts: every `tests/goldenscripts/NAME.gs` is one feature's queries, each with the
//! output it must give, written as
//!
//! ```text
//! # a comment
//! meetings where org = "UNRCCA" count
//! ---
//! count = 21
//!
//! [plan] meetings where text contains "water" limit 2
//! ---
//! access: full scan of every record (no index answers this filter)
//! ...
//! 2024-03-04 m-…
//! (2 rows)
//!
//! [error] meetings wher org = "UN"
//! ---
//! error: unexpected word 'wher'
//! ...
//! ```
//!
//! A case is a query line, `---`, and its output up to the next blank line: meetings as `DATE
//! ID`, selected fields as a JSON object, counts as `VALUE | COUNT`, totals as `count = N`, then
//! `(N rows)`. `[plan]` prints the query's plan (what `explain` says) before its rows. A query
//! marked `[error]` must fail, and its output is the error as the command line prints it; an
//! unmarked query must succeed. A file runs over the bundled corpus unless it opens with its
//! own: `[corpus]`, JSON Lines records one a line, `---`.
//!
//! `[script] examples/scripts/NAME.mql` runs a whole script file as `meetql run --format table`
//! does; its output (blank lines between statements included) runs to the next `[script]` line
//! or the end of the file, so a file holding script cases holds nothing else.
//!
//! Regenerate the outputs with `UPDATE_GOLDEN=1 cargo test --test goldenscripts` and review the
//! diff.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use meetql::ingest::Format;
use meetql::{Engine, Row};

/// One case of a goldenscript.
struct Case {
    query: String,
    plan: bool,
    error: bool,
    /// `query` is the path of a script file, relative to the project's root.
    script: bool,
    expected: String,
}

/// A goldenscript: its corpus (JSON Lines; the bundled one when `None`) and cases.
struct Script {
    corpus: Option<String>,
    cases: Vec<Case>,
}

fn parse(path: &Path, text: &str) -> Script {
    let lines: Vec<&str> = text.lines().collect();
    let at = |n: usize| format!("{}:{}", path.display(), n + 1);
    let (mut corpus, mut cases) = (None, Vec::new());
    let mut i = 0;
    while i < lines.len() {
        let (n, line) = (i, lines[i]);
        i += 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "[corpus]" {
            assert!(corpus.is_none() && cases.is_empty(), "{}: [corpus] opens the file, once", at(n));
            let end = lines[i..].iter().position(|l| *l == "---").unwrap_or_else(|| panic!("{}: no `---`", at(n)));
            corpus = Some(lines[i..i + end].iter().map(|l| format!("{l}\n")).collect());
            i += end + 1;
            continue;
        }
        if let Some(file) = line.strip_prefix("[script] ") {
            assert!(cases.iter().all(|c: &Case| c.script), "{}: a file holding [script] cases holds only those", at(n));
            assert_eq!(lines.get(i).copied(), Some("---"), "{}: a [script] line is followed by `---`", at(n));
            i += 1;
            let end = lines[i..].iter().position(|l| l.starts_with("[script] ")).unwrap_or(lines.len() - i);
            let body = lines[i..i + end].join("\n");
            i += end;
            let expected = format!("{}\n", body.trim_end());
            cases.push(Case { query: file.to_string(), plan: false, error: false, script: true, expected });
            continue;
        }
        assert!(cases.iter().all(|c| !c.script), "{}: a file holding [script] cases holds only those", at(n));
        assert_eq!(lines.get(i).copied(), Some("---"), "{}: a query line is followed by `---`", at(n));
        i += 1;
        let end = lines[i..].iter().position(|l| l.is_empty()).unwrap_or(lines.len() - i);
        let expected: String = lines[i..i + end].iter().map(|l| format!("{l}\n")).collect();
        i += end;
        let (mut query, mut plan, mut error) = (line, false, false);
        loop {
            if let Some(rest) = query.strip_prefix("[plan] ") {
                (query, plan) = (rest, true);
            } else if let Some(rest) = query.strip_prefix("[error] ") {
                (query, error) = (rest, true);
            } else {
                break;
            }
        }
        assert!(!query.starts_with('['), "{}: unknown tag in {query}", at(n));
        cases.push(Case { query: query.to_string(), plan, error, script: false, expected });
    }
    Script { corpus, cases }
}

/// The case's output, or why the case itself is wrong (an error not marked, or a mark on a
/// query that runs).
fn render(e: &Engine, case: &Case) -> Result<String, String> {
    if case.script {
        return run_script_file(e, &case.query);
    }
    let mut out = String::new();
    if case.plan {
        match e.query(&format!("explain {}", case.query)) {
            Ok(r) => {
                let _ = writeln!(out, "{}", r.plan.as_deref().unwrap_or("").trim_end());
            }
            // The query's own error follows.
            Err(_) if case.error => {}
            Err(err) => return Err(format!("explain failed: {err}")),
        }
    }
    match e.query(&case.query) {
        Err(err) if case.error => {
            let _ = writeln!(out, "error: {err}");
        }
        Err(err) => return Err(format!("failed but is not marked [error]:\n{err}")),
        Ok(_) if case.error => return Err("is marked [error] but runs".into()),
        Ok(r) => {
            if let Some(p) = &r.plan {
                let _ = writeln!(out, "{}", p.trim_end());
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
    assert!(!out.contains("\n\n"), "{}: the output holds a blank line, which ends a case", case.query);
    Ok(out)
}

/// A script file's output in table format, as `meetql run --format table FILE` prints it.
fn run_script_file(e: &Engine, file: &str) -> Result<String, String> {
    use meetql::output::OutputFormat;
    use meetql::script::{run_script, ScriptOptions};
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let opts = ScriptOptions { format: OutputFormat::Table, ..ScriptOptions::default() };
    let mut out = Vec::new();
    run_script(e, file, &text, &opts, &mut out).map_err(|err| format!("failed:\n{err}"))?;
    let out = String::from_utf8(out).map_err(|_| "printed bytes that are not UTF-8".to_string())?;
    Ok(format!("{}\n", out.trim_end()))
}

fn write(script: &Script, outputs: &[String]) -> String {
    let mut s = String::new();
    if let Some(c) = &script.corpus {
        let _ = write!(s, "[corpus]\n{c}---\n\n");
    }
    for (case, out) in script.cases.iter().zip(outputs) {
        if case.script {
            let _ = write!(s, "[script] {}\n---\n{out}\n", case.query);
            continue;
        }
        let tags = format!("{}{}", if case.plan { "[plan] " } else { "" }, if case.error { "[error] " } else { "" });
        let _ = write!(s, "{tags}{}\n---\n{out}\n", case.query);
    }
    s
}

fn files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/goldenscripts");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "gs"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "only {} goldenscripts in {}", files.len(), dir.display());
    files
}

#[test]
fn goldenscripts() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let bundled = tempfile::tempdir().unwrap();
    let bundled = {
        let e = Engine::open(bundled.path().join("db")).unwrap();
        e.import_reader("<bundled corpus>", meetql::default_db::BUNDLED_CORPUS.as_bytes(), Format::Jsonl).unwrap();
        (bundled, e)
    };
    let mut failures = Vec::new();
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let script = parse(&path, &text);
        assert!(!script.cases.is_empty(), "{}: no cases", path.display());
        let own = tempfile::tempdir().unwrap();
        let engine = match &script.corpus {
            Some(c) => {
                let e = Engine::open(own.path().join("db")).unwrap();
                e.import_reader(&path.display().to_string(), c.as_bytes(), Format::Jsonl).unwrap();
                e
            }
            None => bundled.1.clone(),
        };
        let mut outputs = Vec::new();
        for case in &script.cases {
            match render(&engine, case) {
                Ok(out) => {
                    if !update && out != case.expected {
                        failures.push(format!(
                            "{}: {}\n--- expected\n{}--- got\n{out}",
                            path.display(),
                            case.query,
                            case.expected
                        ));
                    }
                    outputs.push(out);
                }
                Err(why) => failures.push(format!("{}: {} {why}", path.display(), case.query)),
            }
        }
        if update && outputs.len() == script.cases.len() {
            // An update keeps the file's opening comment lines and rewrites the rest.
            let header: String = text.lines().take_while(|l| l.starts_with('#')).map(|l| format!("{l}\n")).collect();
            let sep = if header.is_empty() { "" } else { "\n" };
            std::fs::write(&path, format!("{header}{sep}{}", write(&script, &outputs))).unwrap();
        }
    }
    assert!(failures.is_empty(), "{}\n(rerun with UPDATE_GOLDEN=1 and review the diff)", failures.join("\n"));
}

#[test]
fn a_case_that_fails_unmarked_or_runs_marked_is_itself_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = Engine::open(dir.path().join("db")).unwrap();
    let text = "meetings wher x\n---\nerror: ...\n\n[error] meetings count\n---\ncount = 0\n";
    let script = parse(Path::new("t.gs"), text);
    assert_eq!(script.cases.len(), 2);
    assert!(render(&e, &script.cases[0]).unwrap_err().contains("not marked [error]"));
    assert!(render(&e, &script.cases[1]).unwrap_err().contains("marked [error] but runs"));
    let script = parse(Path::new("t.gs"), "[corpus]\n{\"date\": \"2024\"}\n---\n\n[plan] meetings count\n---\nx\n");
    assert_eq!(script.corpus.as_deref(), Some("{\"date\": \"2024\"}\n"));
    assert!(script.cases[0].plan && !script.cases[0].error);
}

#[test]
fn every_example_script_has_its_goldenscript() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut covered = Vec::new();
    for path in files() {
        let text = std::fs::read_to_string(&path).unwrap();
        covered.extend(parse(&path, &text).cases.into_iter().filter(|c| c.script).map(|c| c.query));
    }
    let mut scripts: Vec<String> = std::fs::read_dir(root.join("examples/scripts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "mql"))
        .map(|p| format!("examples/scripts/{}", p.file_name().unwrap().to_str().unwrap()))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 5, "at least five example scripts, found {}", scripts.len());
    let missing: Vec<_> = scripts.iter().filter(|s| !covered.contains(s)).collect();
    assert!(missing.is_empty(), "example scripts without a [script] case in tests/goldenscripts: {missing:?}");
}
