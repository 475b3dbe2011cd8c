//! Depth and size limits: 100,000 `(`, 100,000 `not `, 100,000-term `and`, `or` and `or` of
//! `contains` chains and 1 MB string literals (one `contains` pattern, two in one matcher)
//! each give a clean error or a result — through the library on a 2 MiB thread
//! stack (parser, printer, planner, `explain` and executor) and through `meetql run` with a
//! script file — in whichever profile the tests are built (`cargo test` and
//! `cargo test --release` both run this file). How their time grows with the input (linear,
//! not quadratic) is measured by `cargo bench --bench limits`.

use std::path::Path;

use meetql::lang::parse_statement;
use meetql::Engine;

const N: usize = 100_000;

fn deep_parens() -> String {
    format!("meetings where {}org = \"UN\"{}", "(".repeat(N), ")".repeat(N))
}

fn deep_nots() -> String {
    format!("meetings where {}org = \"UN\"", "not ".repeat(N))
}

fn long_and() -> String {
    let terms: Vec<String> = (0..N).map(|i| format!("org = \"o{i}\"")).collect();
    format!("meetings where {} count", terms.join(" and "))
}

fn long_or() -> String {
    let terms: Vec<String> = (0..N).map(|i| format!("org = \"o{i}\"")).collect();
    format!("meetings where {} count", terms.join(" or "))
}

fn long_contains() -> String {
    let terms: Vec<String> = (0..N).map(|i| format!("org contains \"o{i}\"")).collect();
    format!("meetings where {} count", terms.join(" or "))
}

fn big_string() -> String {
    format!("meetings where text contains \"{}\" or org = \"{}\" count", "x".repeat(1 << 20), "y".repeat(1 << 20))
}

/// Two 1 MiB `contains` patterns of one field: one matcher of both.
fn big_patterns() -> String {
    format!(
        "meetings where text contains \"{}\" or text contains \"{}\" count",
        "x".repeat(1 << 20),
        "y".repeat(1 << 20)
    )
}

/// Runs `f` on a thread with a 2 MiB stack (the default for spawned threads, and less than the
/// main thread's), failing on a panic — a stack overflow aborts the whole test binary instead.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 << 20).spawn(f).unwrap().join().expect("no panic")
}

#[path = "support/limits_db.rs"]
mod limits_db;

fn engine(dir: &Path) -> Engine {
    limits_db::engine(dir, "<test>")
}

/// The library path: parse, print and re-parse, plan and `explain`, run.
fn library(engine: Engine, text: String) -> Result<Option<u64>, String> {
    on_small_stack(move || {
        let st = parse_statement(&text).map_err(|e| e.to_string())?;
        let printed = st.to_string();
        assert_eq!(parse_statement(&printed).map_err(|e| e.to_string())?, st, "the printed text reads back");
        let explained = engine.query(&format!("explain {text}")).map_err(|e| e.to_string())?;
        assert!(explained.plan.is_some());
        let r = engine.query(&text).map_err(|e| e.to_string())?;
        Ok(r.total())
    })
}

#[test]
fn deep_nesting_is_a_clean_error_in_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path());
    for (name, q) in [("100,000 (", deep_parens()), ("100,000 not", deep_nots())] {
        let err = library(e.clone(), q).unwrap_err();
        assert!(err.contains("nested too deeply"), "{name}: {err}");
    }
}

#[test]
fn nesting_just_under_the_limit_runs_on_a_small_stack() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path());
    let d = meetql::lang::ast::MAX_DEPTH - 1;
    // Alternate the recursive forms so that every layer (parser, printer, planner, access
    // paths, executor) recurses as deep as the parser allows.
    let mut q = "org = \"UN\"".to_string();
    let (mut level, mut i) = (0, 0);
    while level + 2 <= d {
        q = if i % 2 == 0 { format!("not ({q} or date >= 2020)") } else { format!("({q} and org exists)") };
        level += if i % 2 == 0 { 2 } else { 1 };
        i += 1;
    }
    let total = library(e.clone(), format!("meetings where {q} count")).unwrap();
    assert!(total.is_some());
    let p = format!("meetings where participant {{ {}name exists{} }} count", "(".repeat(d - 2), ")".repeat(d - 2));
    assert_eq!(library(e, p).unwrap(), Some(0));
}

#[test]
fn long_chains_and_big_strings_give_results_in_the_library() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path());
    assert_eq!(library(e.clone(), long_and()).unwrap(), Some(0));
    assert_eq!(library(e.clone(), long_or()).unwrap(), Some(2));
    assert_eq!(library(e.clone(), long_contains()).unwrap(), Some(2));
    assert_eq!(library(e.clone(), big_string()).unwrap(), Some(0));
    assert_eq!(library(e.clone(), big_patterns()).unwrap(), Some(0));
}

#[test]
fn the_binary_gives_a_clean_error_or_a_result_for_script_files() {
    let dir = tempfile::tempdir().unwrap();
    drop(engine(dir.path()));
    let db = dir.path().join("db");
    for (name, q, ok) in [
        ("parens", deep_parens(), false),
        ("nots", deep_nots(), false),
        ("and", long_and(), true),
        ("or", long_or(), true),
        ("contains", long_contains(), true),
        ("string", big_string(), true),
        ("patterns", big_patterns(), true),
    ] {
        let script = dir.path().join(format!("{name}.mql"));
        std::fs::write(&script, format!("{q};\n")).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_meetql"))
            .args(["run", "--format", "jsonl", "--db"])
            .arg(&db)
            .arg(&script)
            .env_remove("MEETQL_DB")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked") && !err.contains("overflow"), "{name}: {err}");
        if ok {
            assert!(out.status.success(), "{name}: {err}");
            assert!(String::from_utf8_lossy(&out.stdout).contains("count"), "{name}");
        } else {
            assert_eq!(out.status.code(), Some(1), "{name}: {err}");
            assert!(err.contains("nested too deeply") && err.contains(&format!("{name}.mql:1:")), "{name}: {err}");
            assert!(err.len() < 4000, "{name}: the error quotes a bounded part of the line ({} bytes)", err.len());
        }
    }
}
