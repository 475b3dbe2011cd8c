//! Bad input (tests/data/bad/): each bad file gives exit 1, an error naming FILE:LINE and
//! nothing imported; `--skip-bad` imports the good lines and lists the rejected one, with
//! imported + rejected = lines read; a 100 MB single line is an error found with bounded memory.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use meetql::ingest::{read_from, Format, MAX_LINE_BYTES};

/// (file, the bad line, whether --skip-bad can go on past it, good records in the file)
const BAD: &[(&str, usize, bool, usize)] = &[
    ("broken-json.jsonl", 2, true, 2),
    ("invalid-utf8.jsonl", 3, true, 3),
    ("nul-byte.jsonl", 2, true, 2),
    ("bom-mid-file.jsonl", 2, true, 1),
    ("unknown-key.jsonl", 4, true, 3),
    ("bad-date.jsonl", 2, true, 1),
    ("not-an-object.jsonl", 2, true, 2),
    ("wrong-columns.csv", 3, true, 2),
    ("bad-kind.csv", 3, true, 1),
    ("unterminated-quote.csv", 3, false, 0),
    ("broken-array.json", 4, false, 0),
];

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad").join(name)
}

fn meetql(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meetql")).env_remove("MEETQL_DB").arg("--db").arg(db).args(args).output().unwrap()
}

fn count(db: &Path) -> u64 {
    let o = meetql(db, &["query", "--format", "jsonl", "meetings count"]);
    let s = String::from_utf8_lossy(&o.stdout);
    s.trim().trim_start_matches("{\"count\":").trim_end_matches('}').parse().unwrap_or_else(|_| panic!("{s}"))
}

fn seeded_db(dir: &Path) -> PathBuf {
    let db = dir.join("db");
    let seed = dir.join("seed.jsonl");
    std::fs::write(&seed, "{\"id\":\"s-1\",\"date\":\"2020\"}\n").unwrap();
    assert!(meetql(&db, &["import", seed.to_str().unwrap()]).status.success());
    db
}

#[test]
fn each_bad_file_names_its_line_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    for (name, line, _, _) in BAD {
        let o = meetql(&db, &["import", data(name).to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(&format!("{name}:{line}")), "{name}: expected line {line} named: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(count(&db), 1, "{name}: nothing imported");
    }
}

#[test]
fn a_bom_and_crlf_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    for (name, n) in [("bom-crlf.jsonl", 3), ("bom-crlf.csv", 2)] {
        let o = meetql(&db, &["import", data(name).to_str().unwrap()]);
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("imported {n} records")));
    }
    let o = meetql(&db, &["export", "meetings where id = \"c-1\""]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(r#""text":"two\r\nlines""#),
        "a quoted line break is kept as is"
    );
}

#[test]
fn skip_bad_imports_the_good_lines_and_lists_the_rejected_ones() {
    for (name, line, skippable, good) in BAD {
        let dir = tempfile::tempdir().unwrap();
        let db = seeded_db(dir.path());
        let o = meetql(&db, &["import", "--skip-bad", data(name).to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        if !skippable {
            assert_eq!(o.status.code(), Some(1), "{name}: {err}");
            assert!(err.contains(&format!("{name}:{line}")), "{name}: {err}");
            assert_eq!(count(&db), 1, "{name}");
            continue;
        }
        assert!(o.status.success(), "{name}: {err}");
        let rejected: Vec<&str> = err.lines().filter(|l| l.starts_with("rejected: ")).collect();
        assert_eq!(rejected.len(), 1, "{name}: {err}");
        assert!(rejected[0].contains(&format!("{name}:{line}")), "{name}: {err}");
        assert!(
            err.contains(&format!(
                "imported {good} record{} from 1 file; rejected 1 line (of {} read)",
                if *good == 1 { "" } else { "s" },
                good + 1
            )),
            "{name}: {err}"
        );
        assert_eq!(count(&db), 1 + *good as u64, "{name}");
    }
}

/// A reader of `{"id":"big","date":"2024","summary":"aaaa…"}` with `len` bytes of `a`, then a
/// good line, made up as it is read; it counts the bytes handed out.
struct HugeLine {
    len: usize,
    pos: usize,
    buf: Vec<u8>,
    given: usize,
}

const HEAD: &[u8] = br#"{"id":"big","date":"2024","summary":""#;
const TAIL: &[u8] = b"\"}\n{\"id\":\"after\",\"date\":\"2024\"}\n";

impl HugeLine {
    fn new(len: usize) -> HugeLine {
        HugeLine { len, pos: 0, buf: vec![b'a'; 1 << 16], given: 0 }
    }
    fn total(&self) -> usize {
        HEAD.len() + self.len + TAIL.len()
    }
    fn byte_source(&self) -> &[u8] {
        let p = self.pos;
        if p < HEAD.len() {
            &HEAD[p..]
        } else if p < HEAD.len() + self.len {
            &self.buf[..(HEAD.len() + self.len - p).min(self.buf.len())]
        } else {
            &TAIL[p - HEAD.len() - self.len..]
        }
    }
}

impl Read for HugeLine {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let src = self.fill_buf()?;
            let n = src.len().min(out.len());
            out[..n].copy_from_slice(&src[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for HugeLine {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos >= self.total() {
            return Ok(&[]);
        }
        Ok(self.byte_source())
    }
    fn consume(&mut self, n: usize) {
        self.pos += n;
        self.given += n;
    }
}

#[test]
fn a_100_mb_line_is_an_error_with_bounded_memory() {
    // The line reader never holds more than MAX_LINE_BYTES of a line: fed 100 MB, it reports
    // line 1 as too long and (skipping) goes on to line 2.
    let mut reader = HugeLine::new(100 << 20);
    let mut ids = Vec::new();
    let mut rejected = Vec::new();
    let err = read_from(&mut reader, "huge.jsonl", Format::Jsonl, &mut |m| {
        ids.push(m.id);
        Ok(())
    })
    .unwrap_err();
    assert!(err.to_string().contains("huge.jsonl:1") && err.to_string().contains("longer than 64 MiB"), "{err}");
    assert!(ids.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.jsonl");
    {
        // The same 100 MB line in a file, for the command line.
        let mut r = HugeLine::new(100 << 20);
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        std::io::copy(&mut r, &mut f).unwrap();
    }
    meetql::ingest::read_records_skipping(
        &path,
        Format::Jsonl,
        &mut |m| {
            ids.push(m.id);
            Ok(())
        },
        &mut |e| rejected.push(e),
    )
    .unwrap();
    assert_eq!(ids, ["after"]);
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].line, Some(1));
    const { assert!(MAX_LINE_BYTES < 100 << 20) };
    let db = seeded_db(dir.path());
    let o = meetql(&db, &["import", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("huge.jsonl:1") && err.contains("longer than 64 MiB"), "{err}");
    assert_eq!(count(&db), 1);
    // CSV too.
    let csv = dir.path().join("huge.csv");
    let mut text = meetql::ingest::CSV_COLUMNS.join(",").into_bytes();
    text.extend_from_slice(b"\nc-1,2024,,");
    std::fs::write(&csv, &text).unwrap();
    let mut f = std::fs::OpenOptions::new().append(true).open(&csv).unwrap();
    std::io::copy(&mut std::io::repeat(b'a').take(100 << 20), &mut f).unwrap();
    drop(f);
    let o = meetql(&db, &["import", csv.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("huge.csv:2") && err.contains("longer than 64 MiB"), "{err}");
}

/// Runs the binary, killing it when it has not ended within `limit` (a reader that never stops
/// would otherwise hang the suite): `None` when it had to be killed.
fn meetql_within(db: &Path, args: &[&str], limit: std::time::Duration) -> Option<Output> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meetql"))
        .env_remove("MEETQL_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Some(child.wait_with_output().unwrap())
}

#[test]
#[cfg(unix)]
fn issue_16_10_an_endless_line_stops_at_the_cap() {
    // `zero.jsonl -> /dev/zero` is one line that never ends: reading stops at the 64 MiB cap
    // (it used to read on for ever), and --skip-bad gives up on the file after its bound.
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let zero = dir.path().join("zero.jsonl");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let limit = std::time::Duration::from_secs(120);
    let o = meetql_within(&db, &["import", zero.to_str().unwrap()], limit).expect("import of /dev/zero never stopped");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("zero.jsonl:1") && err.contains("longer than 64 MiB"), "{err}");
    let o = meetql_within(&db, &["import", "--skip-bad", zero.to_str().unwrap()], limit)
        .expect("import --skip-bad of /dev/zero never stopped");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("zero.jsonl:1") && err.contains("reading stopped"), "{err}");
    assert_eq!(count(&db), 1, "nothing imported");
}

#[test]
fn issue_16_3_a_record_over_the_storage_limit_is_refused_at_import() {
    // A 17 MiB record used to import (exit 0) and then never read back: export and check
    // stopped at it. Now the import names the file and line and stores nothing of the file.
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let big_text = "w".repeat(17 << 20);
    let path = dir.path().join("big.jsonl");
    let lines = format!(
        "{{\"id\":\"ok-1\",\"date\":\"2021\"}}\n{{\"id\":\"big-1\",\"date\":\"2021\",\"text\":\"{big_text}\"}}\n"
    );
    std::fs::write(&path, lines).unwrap();
    let o = meetql(&db, &["import", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("big.jsonl:2: record of") && err.contains("larger than the limit of 16777216"), "{err}");
    assert_eq!(count(&db), 1, "nothing of the file imported");
    // --skip-bad skips it and keeps the rest.
    let o = meetql(&db, &["import", "--skip-bad", path.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(count(&db), 2);
    // A .json array names the record's number.
    let arr = dir.path().join("big.json");
    std::fs::write(&arr, format!("[{{\"id\":\"a-1\",\"date\":\"2021\",\"summary\":\"{big_text}\"}}]")).unwrap();
    let o = meetql(&db, &["import", arr.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("big.json:1: record of"), "{err}");
    // A report larger than one record may be is refused before it is read.
    let txt = dir.path().join("big.txt");
    std::fs::write(&txt, format!(" date 2024-01-17 A headline\n\n{big_text}\n")).unwrap();
    let o = meetql(&db, &["import", txt.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("big.txt: report of") && err.contains("larger than the limit"), "{err}");
    // Everything stored reads back.
    let o = meetql(&db, &["export"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 2);
}

#[test]
#[cfg(unix)]
fn issue_16_4_a_linked_pid_file_is_never_written_through() {
    // `ln -s ../victim.txt db/meetql.pid` used to make any query overwrite victim.txt.
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "the user's words\n").unwrap();
    let pid = db.join("meetql.pid");
    std::fs::remove_file(&pid).unwrap();
    std::os::unix::fs::symlink("../victim.txt", &pid).unwrap();
    let o = meetql(&db, &["query", "meetings count"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("meetql.pid is not a plain file") && err.contains("remove it"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "the user's words\n");
    std::fs::remove_file(&pid).unwrap();
    assert_eq!(count(&db), 1, "opens again once the link is gone");
}

#[test]
fn issue_16_5_a_directory_of_other_files_is_refused_and_left_alone() {
    // A user's file named `db` used to be overwritten by sled (exit 0, count 0).
    let dir = tempfile::tempdir().unwrap();
    let theirs = dir.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    let bytes: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(theirs.join("db"), &bytes).unwrap();
    let o = meetql(&theirs, &["query", "meetings count"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("not a MeetQL database"), "{err}");
    assert_eq!(std::fs::read(theirs.join("db")).unwrap(), bytes, "the user's file is untouched");
    assert_eq!(std::fs::read_dir(&theirs).unwrap().count(), 1, "nothing added beside it");
    // MEETQL_DB set but empty does not create a database in the current directory.
    let cwd = dir.path().join("cwd");
    std::fs::create_dir(&cwd).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_meetql"))
        .env("MEETQL_DB", "")
        .current_dir(&cwd)
        .args(["query", "meetings count"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("database path is empty"), "{err}");
    assert_eq!(std::fs::read_dir(&cwd).unwrap().count(), 0, "nothing created in the current directory");
}

#[test]
fn issue_16_1_2_an_unfinished_snapshot_file_does_not_damage_the_database() {
    // A kill or a full disk while sled writes its snapshot leaves `snap.*.generating`, empty
    // or cut short; sled 0.34 read it as the newest snapshot and the database would not open.
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    std::fs::write(db.join("snap.FFFFFFFFFFFFFFFF.generating"), b"").unwrap();
    std::fs::write(db.join("snap.7FFFFFFFFFFFFFFF.generating"), [1u8; 40]).unwrap();
    assert_eq!(count(&db), 1, "every record back");
    let left: Vec<_> = std::fs::read_dir(&db)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".generating"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let o = meetql(&db, &["check"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn issue_16_12_a_file_given_as_the_database_is_named_plainly() {
    // `--db FILE` used to say `File exists (os error 17)`.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "mine\n").unwrap();
    let o = meetql(&file, &["query", "meetings count"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("notes.txt is a file, not a database directory"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine\n");
}

#[test]
fn issue_16_9_one_record_with_very_many_orgs_is_indexed_with_each_once() {
    // 40,000 org names of which 30,000 differ once folded: each is one value of the record, in
    // the value index once, and counted once.
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let orgs: Vec<String> =
        (0..30_000).map(|i| format!("\"Org {i}\"")).chain((0..10_000).map(|i| format!("\" ORG {i}\""))).collect();
    let f = dir.path().join("many.jsonl");
    std::fs::write(&f, format!("{{\"id\":\"big-1\",\"date\":\"2024\",\"orgs\":[{}]}}\n", orgs.join(","))).unwrap();
    let o = meetql(&db, &["import", f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(count(&db), 2);
    let q = |text: &str| {
        let o = meetql(&db, &["query", "--format", "jsonl", text]);
        assert!(o.status.success(), "{text}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    assert_eq!(q("orgs where id = \"big-1\" count"), "{\"count\":30000}");
    assert_eq!(q("orgs count"), "{\"count\":30000}");
    for org in ["org 0", "ORG 9999", "Org 29999"] {
        assert_eq!(q(&format!("meetings where org = \"{org}\" count")), "{\"count\":1}", "{org}");
    }
    assert_eq!(q("meetings where org = \"org 30000\" count"), "{\"count\":0}");
    let o = meetql(&db, &["check"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The record comes back as it was written, all 40,000 spellings in order.
    let o = meetql(&db, &["export", "meetings where id = \"big-1\""]);
    let back: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let want: Vec<String> = orgs.iter().map(|s| s.trim_matches('"').to_string()).collect();
    assert_eq!(back["orgs"], serde_json::json!(want));
}

#[test]
fn issue_16_6_ids_folded_by_case_are_counted_in_the_summary() {
    // `G-1-1` and `g-1-1` are one id (CONTRACT §2): the later replaces the earlier, and the
    // summary says so instead of counting both as new.
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let f = dir.path().join("cases.jsonl");
    std::fs::write(
        &f,
        "{\"id\":\"g-1-1\",\"date\":\"2021\"}\n{\"id\":\"G-1-1\",\"date\":\"2022\"}\n\
         {\"id\":\"\u{01C5}\",\"date\":\"2021\"}\n{\"id\":\"\u{01C6}\",\"date\":\"2021\"}\n\
         {\"id\":\"\u{01C4}\",\"date\":\"2021\"}\n{\"id\":\"S-1\",\"date\":\"2023\"}\n",
    )
    .unwrap();
    let o = meetql(&db, &["import", f.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "imported 6 records from 1 file; 1 replaced a stored record with the same id; \
             3 ids repeated within a file (the last record kept)"
        ),
        "{err}"
    );
    assert_eq!(count(&db), 3, "s-1, g-1-1 and one of the three \u{01C4}");
    // Again, now every id replaces a stored record; a large import (staged, several sort
    // batches) counts the same way.
    let o = meetql(&db, &["import", f.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("; 3 replaced stored records with the same ids; 3 ids repeated"), "{err}");
    let big = dir.path().join("big.jsonl");
    let mut text = String::new();
    for i in 0..30_000 {
        text += &format!("{{\"id\":\"b-{}\",\"date\":\"2020\"}}\n", i % 20_000);
    }
    std::fs::write(&big, text).unwrap();
    let o = meetql(&db, &["import", big.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("imported 30000 records from 1 file; 10000 ids repeated within a file"), "{err}");
    let o = meetql(&db, &["import", big.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("; 20000 replaced stored records with the same ids; 10000 ids repeated"), "{err}");
    assert_eq!(count(&db), 20_003);
}

#[test]
fn issue_16_12_errors_escape_control_characters_and_shorten_long_names() {
    // A query holding `ESC ]0;…BEL` (the sequence that retitles a terminal) is echoed in the
    // error with the escape made visible, and a 5,000-character field name is quoted short.
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let o = meetql(&db, &["query", "meetings where org = \"x\u{1b}]0;PWNED\u{7}\" and fo\u{1b}]0;HI\u{7}o = 1"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\u{241b}]0;"), "the escape is shown: {err}");
    let name = "q".repeat(5000);
    let o = meetql(&db, &["query", &format!("meetings where {name} = 1")]);
    let err = String::from_utf8_lossy(&o.stderr);
    let first = err.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: unknown field 'qqq"), "{first}");
    assert!(first.contains("(4800 more characters)") && first.len() < 300, "{first}");
}

#[test]
fn issue_16_12_a_failed_multi_file_import_names_the_files_it_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let (a, b, c) = (dir.path().join("a.jsonl"), dir.path().join("b.jsonl"), dir.path().join("c.jsonl"));
    std::fs::write(&a, "{\"id\":\"a-1\",\"date\":\"2021\"}\n{\"id\":\"a-2\",\"date\":\"2021\"}\n").unwrap();
    std::fs::write(&b, "{\"id\":\"b-1\",\"date\":\"2021\"}\n{\"id\":\"b-2\",\"date\":\"2021-02-30\"}\n").unwrap();
    std::fs::write(&c, "{\"id\":\"c-1\",\"date\":\"2021\"}\n").unwrap();
    let o = meetql(&db, &["import", a.to_str().unwrap(), b.to_str().unwrap(), c.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("b.jsonl:2"), "{err}");
    assert!(err.contains("imported before the error, and kept: 2 records from 1 file: "), "{err}");
    assert!(err.contains("a.jsonl") && !err.contains("c.jsonl"), "{err}");
    assert_eq!(count(&db), 3, "s-1 and a's two records");
    // A single failing file kept nothing: the error alone is said.
    let o = meetql(&db, &["import", b.to_str().unwrap()]);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("kept"));
}

#[test]
fn issue_16_12_a_damaged_conf_is_named_with_what_to_do() {
    // sled's own words were "created using a sled version earlier than 0.29".
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    std::fs::write(db.join("conf"), b"settings lost\x00\x01").unwrap();
    let o = meetql(&db, &["query", "meetings count"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{err}");
    assert!(err.contains("its `conf` file") && err.contains("copy `conf` from another"), "{err}");
    assert!(!err.contains("0.29") && !err.contains("os error"), "{err}");
    // What it says to do works: a new database's conf brings every record back.
    std::fs::create_dir(dir.path().join("other")).unwrap();
    let other = seeded_db(&dir.path().join("other"));
    std::fs::copy(other.join("conf"), db.join("conf")).unwrap();
    assert_eq!(count(&db), 1);
}
