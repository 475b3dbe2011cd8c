//! Crash safety: the real binary imports a large generated file and is killed with SIGKILL at
//! random moments. After each kill the database opens, the big file is there whole or not at
//! all, every import that reported success before is there, and the indexes agree with the
//! records (index answers = forced full scans; the record counter = a scan; `meetql check`).
//!
//! Bounded for CI (8 kills). Longer: `MEETQL_CRASH_KILLS=100 MEETQL_CRASH_RECORDS=60000
//! cargo test --release --test crash -- --nocapture`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn meetql(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_meetql"));
    c.env_remove("MEETQL_DB").arg("--db").arg(db);
    c
}

fn gen(path: &Path, count: u64, seed: u64) {
    let out = Command::new(env!("CARGO_BIN_EXE_meetql"))
        .args(["gen", "--count", &count.to_string(), "--seed", &seed.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(path, out.stdout).unwrap();
}

/// The single number of a `count` query, or the error.
fn total(db: &Path, q: &str) -> u64 {
    let o = meetql(db).args(["query", "--format", "jsonl", q]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "after a kill, `{q}` fails: {err}");
    let s = String::from_utf8_lossy(&o.stdout);
    s.trim().trim_start_matches("{\"count\":").trim_end_matches('}').parse().unwrap_or_else(|_| panic!("{q}: {s}"))
}

fn top_orgs(db: &Path) -> Vec<String> {
    let o = meetql(db).args(["query", "--format", "jsonl", "orgs limit 3"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["value"].as_str().unwrap().to_string())
        .collect()
}

/// Indexes agree with records: each answer from an index equals the forced full scan.
fn check_indexes(db: &Path, n: u64) {
    assert_eq!(total(db, r#"meetings where date exists or text contains "zzzz-never" count"#), n, "record counter");
    for org in top_orgs(db) {
        let q = format!("{:?}", org);
        let by_index = total(db, &format!("meetings where org = {q} count"));
        let by_scan = total(db, &format!(r#"meetings where (org = {q} or text contains "zzzz-never") count"#));
        assert_eq!(by_index, by_scan, "org index vs scan for {org}");
    }
    let by_dates = total(db, "meetings where date >= 2020 count");
    let by_scan = total(db, r#"meetings where date >= 2020 or text contains "zzzz-never" and date >= 2020 count"#);
    assert_eq!(by_dates, by_scan, "date index vs scan");
    // `check` compares every index with what the records imply, the text index too (which a
    // large import writes last, a range of rows at a time, so a kill can land in the middle).
    let o = meetql(db).arg("check").output().unwrap();
    assert!(
        o.status.success(),
        "`meetql check` after a kill: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn sigkill_during_imports_leaves_all_or_nothing() {
    let kills = env("MEETQL_CRASH_KILLS", 8);
    let records = env("MEETQL_CRASH_RECORDS", 10_000);
    let mut rng = env("MEETQL_CRASH_SEED", 0x5eed_cafe);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let mut committed = 0u64; // records that imports reported as imported
    let (mut survived, mut whole, mut none) = (0, 0, 0);
    for k in 0..kills {
        // A small import that reports success: it must survive every later kill.
        let small = dir.path().join(format!("small-{k}.jsonl"));
        gen(&small, 25, 1000 + k);
        let o = meetql(&db).arg("import").arg(&small).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        committed += 25;

        // A big one with ids of its own, killed after a random delay (up to about the time an
        // import of this size takes, so that kills land while reading, staging and committing).
        let big = dir.path().join(format!("big-{k}.jsonl"));
        gen(&big, records, 5 + k);
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let delay = Duration::from_millis(50 + rng % env("MEETQL_CRASH_MAX_MS", 700));
        let mut child =
            meetql(&db).arg("import").arg(&big).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some_and(|s| s.success());
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        std::fs::remove_file(&big).unwrap();

        let n = total(&db, "meetings count");
        if finished {
            assert_eq!(n, committed + records, "kill {k}: an import that reported success is not all there");
        }
        assert!(
            n == committed || n == committed + records,
            "kill {k} after {delay:?}: {n} records, not all or nothing (expected {committed} or {})",
            committed + records
        );
        let big_in = n == committed + records;
        if big_in {
            committed += records;
            whole += 1;
        } else {
            none += 1;
        }
        for j in 0..=k {
            let id = format!("g-{}-0", 1000 + j);
            assert_eq!(total(&db, &format!("meetings where id = {id:?} count")), 1, "an import reported done is lost");
        }
        check_indexes(&db, n);
        survived += 1;
        eprintln!("kill {k} after {delay:?}: {n} records, big file {}", if big_in { "in" } else { "not in" });
    }
    eprintln!("survived {survived} kills: the big import whole {whole} times, absent {none} times");
}
