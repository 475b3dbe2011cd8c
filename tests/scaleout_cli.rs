//! `meetql export --format parquet` and `meetql sql --dialect` from the command line: what they
//! write, and the errors for what they cannot do. (That the SQL returns MeetQL's rows is held by
//! the DuckDB and DataFusion differential tests in `tests/differential.rs`.)

use std::process::Command;

fn meetql(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_meetql")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn database() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c.jsonl");
    std::fs::write(
        &corpus,
        concat!(
            r#"{"id": "m-1", "date": "2024-01-17", "orgs": ["UN", "OSCE"], "city": "Ashgabat"}"#,
            "\n",
            r#"{"id": "m-2", "date": "2023", "participants": [{"name": "Ana Lee", "org": "EU"}]}"#,
            "\n"
        ),
    )
    .unwrap();
    let db = dir.path().join("db").display().to_string();
    let (ok, _, err) = meetql(&["import", "--db", &db, corpus.to_str().unwrap()]);
    assert!(ok, "{err}");
    (dir, db)
}

#[test]
fn export_writes_five_parquet_tables_and_never_overwrites_them() {
    let (dir, db) = database();
    let out = dir.path().join("pq");
    let (ok, _, err) = meetql(&["export", "--db", &db, "--format", "parquet", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(err.contains("exported 2 records"), "{err}");
    for t in ["meetings", "participants", "orgs", "countries", "topics"] {
        let bytes = std::fs::read(out.join(format!("{t}.parquet"))).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"), "{t} is not a Parquet file");
    }
    let (ok, _, err) = meetql(&["export", "--db", &db, "--format", "parquet", out.to_str().unwrap()]);
    assert!(!ok && err.contains("exists; not overwriting"), "{err}");
    let (ok, _, err) = meetql(&["export", "--db", &db, "--format", "parquet"]);
    assert!(!ok && err.contains("needs a directory"), "{err}");
}

#[test]
fn sql_names_the_export_per_dialect() {
    let q = r#"meetings where org = "UN" count"#;
    let (ok, sql, err) = meetql(&["sql", "--dialect", "duckdb", "--from", "out", q]);
    assert!(ok, "{err}");
    assert!(sql.starts_with("COPY (") && sql.contains("read_parquet('out/orgs.parquet')"), "{sql}");
    assert!(sql.trim_end().ends_with("TO '/dev/stdout' (FORMAT csv, HEADER false, QUOTE '');"), "{sql}");
    let (ok, sql, _) = meetql(&["sql", "--dialect", "spark", "--from", "out", q]);
    assert!(ok && sql.starts_with("CREATE OR REPLACE TEMPORARY VIEW meetings USING parquet"), "{sql}");
    let (ok, sql, _) = meetql(&["sql", "--dialect", "datafusion", "--from", "out", q]);
    assert!(ok && sql.contains("CREATE EXTERNAL TABLE orgs STORED AS PARQUET LOCATION 'out/orgs.parquet';"), "{sql}");
    let (ok, sql, _) = meetql(&["sql", q]);
    assert!(ok && sql.contains("FROM orgs x") && !sql.contains("parquet"), "{sql}");
}

#[test]
fn sql_refuses_what_a_dialect_cannot_say_exactly() {
    let cases: [(&[&str], &str); 4] = [
        (&["sql", "--dialect", "duckdb", "meetings select org"], "'select org' is not translated"),
        (&["sql", "--dialect", "sqlite", "--from", "out", "meetings count"], "SQLite does not read the Parquet"),
        (&["sql", "--dialect", "spark", "meetings limit 3000000000"], "above 2147483647"),
        (&["sql", "--dialect", "postgres", "meetings count"], "unknown dialect 'postgres'"),
    ];
    for (args, expected) in cases {
        let (ok, out, err) = meetql(args);
        assert!(!ok && out.is_empty() && err.contains(expected), "{args:?}: {err}");
    }
}
