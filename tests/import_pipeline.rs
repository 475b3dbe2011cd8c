//! Issue #6: a big file is parsed on a second thread while the importing thread stages the
//! records (see `meetql::ingest::PIPELINE_MIN_BYTES`). The database it gives, its errors and
//! its `--skip-bad` report must be those of the serial read, and a late bad line must still
//! leave nothing imported.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use meetql::ingest::{read_from, read_records_skipping, Format, PIPELINE_MIN_BYTES};
use meetql::{Engine, Meeting};

/// Records in the big file: about 12.8 MB of `meetql gen` data.
const RECORDS: usize = 20_000;

/// `RECORDS` generated records as JSON Lines with `bad` put in as the lines (1-based) given,
/// written to `name` in `dir`; checked to be big enough to go through the pipeline.
fn big_file(dir: &Path, name: &str, bad: &[(usize, &str)]) -> PathBuf {
    let mut good = Vec::new();
    meetql::gen::generate(RECORDS as u64, 11, &mut good).unwrap();
    let mut lines: Vec<&[u8]> = good.split_inclusive(|&b| b == b'\n').collect();
    for &(at, text) in bad {
        lines.insert(at - 1, text.as_bytes());
    }
    let path = dir.join(name);
    std::fs::write(&path, lines.concat()).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() >= PIPELINE_MIN_BYTES, "the file must take the pipeline");
    path
}

/// Every record, in the default order of `meetings`.
fn all(engine: &Engine) -> Vec<Meeting> {
    engine.query("meetings").unwrap().meetings().cloned().collect()
}

fn meetql(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meetql")).env_remove("MEETQL_DB").arg("--db").arg(db).args(args).output().unwrap()
}

#[test]
fn a_big_import_gives_the_database_a_serial_import_gives() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_file(dir.path(), "big.jsonl", &[]);
    let piped = Engine::open(dir.path().join("piped")).unwrap();
    let summary = piped.import_path(&path).unwrap();
    assert_eq!(summary.records, RECORDS);
    assert_eq!(summary.files, vec![(path.clone(), RECORDS)]);
    // `import_reader` reads on the calling thread.
    let serial = Engine::open(dir.path().join("serial")).unwrap();
    let file = BufReader::new(std::fs::File::open(&path).unwrap());
    assert_eq!(serial.import_reader("big.jsonl", file, Format::Jsonl).unwrap(), RECORDS);
    for engine in [&piped, &serial] {
        assert_eq!(engine.len().unwrap(), RECORDS as u64);
        let report = engine.check().unwrap();
        assert!(report.is_ok(), "{}", meetql::output::check_summary(&report));
    }
    let records = all(&piped);
    assert_eq!(records.len(), RECORDS);
    assert!(records == all(&serial), "the pipelined import stored other records");
}

#[test]
fn a_late_bad_line_imports_nothing_and_is_named_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let late = RECORDS - 3;
    let path = big_file(dir.path(), "late.jsonl", &[(late, "{\"date\": \"2021\", \"oops\": 1}\n")]);
    // What the serial reader says about the file, word for word.
    let bytes = std::fs::read(&path).unwrap();
    let origin = path.display().to_string();
    let expected = read_from(bytes.as_slice(), &origin, Format::Jsonl, &mut |_| Ok(())).unwrap_err().to_string();
    assert!(expected.starts_with(&format!("{origin}:{late}: unknown field `oops`")), "{expected}");

    let engine = Engine::open(dir.path().join("db")).unwrap();
    assert_eq!(engine.import_path(&path).unwrap_err().to_string(), expected);
    assert_eq!(engine.len().unwrap(), 0);
    assert!(engine.check().unwrap().is_ok());
    drop(engine);

    // The command line: the same message, nothing imported, a database that checks out.
    let db = dir.path().join("cli");
    let o = meetql(&db, &["import", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&o.stderr), format!("error: {expected}\n"));
    let o = meetql(&db, &["query", "--format", "jsonl", "meetings count"]);
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), r#"{"count":0}"#);
    let o = meetql(&db, &["check"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn skip_bad_reports_the_lines_a_serial_read_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let bad = [(2, "{nope\n"), (5_000, "[]\n"), (RECORDS + 3, "{\"date\": \"soon\"}\n")];
    let path = big_file(dir.path(), "some-bad.jsonl", &bad);
    let mut expected = Vec::new();
    let n =
        read_records_skipping(&path, Format::Jsonl, &mut |_| Ok(()), &mut |e| expected.push(e.to_string())).unwrap();
    assert_eq!((n, expected.len()), (RECORDS, bad.len()));

    let engine = Engine::open(dir.path().join("db")).unwrap();
    let mut rejected = Vec::new();
    let mut progress = Vec::new();
    let summary = engine
        .import_paths_skipping_bad(
            std::slice::from_ref(&path),
            &mut |f, n| progress.push((f.to_path_buf(), n)),
            &mut |e| rejected.push(e.to_string()),
        )
        .unwrap();
    assert_eq!(rejected, expected);
    assert_eq!(progress, vec![(path.clone(), RECORDS)]);
    assert_eq!(summary.records, RECORDS);
    assert_eq!(engine.len().unwrap(), RECORDS as u64);
    drop(engine);

    let o = meetql(&dir.path().join("cli"), &["import", "--skip-bad", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut want: String = expected.iter().map(|e| format!("rejected: {e}\n")).collect();
    want += &format!("imported {RECORDS} records from 1 file; rejected 3 lines (of {} read)\n", RECORDS + 3);
    assert_eq!(String::from_utf8_lossy(&o.stderr), want);
}
