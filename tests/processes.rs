//! Several processes on one database, through the real binary: the process holding it answers
//! the others' reads over its socket (during a long import too, before or after it, never
//! half), writers wait for `--busy-timeout` and then exit 3 naming the holder, and a holder
//! killed with `kill -9` leaves nothing that stops the next process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_meetql"));
    c.env_remove("MEETQL_DB");
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn count(db: &Path, timeout: &str) -> Output {
    bin()
        .args(["query", "--busy-timeout", timeout, "-f", "jsonl", "--db"])
        .arg(db)
        .arg("meetings count")
        .output()
        .unwrap()
}

fn corpus(dir: &Path, name: &str, n: u32, seed: u32) -> PathBuf {
    let out = bin().args(["gen", "--count", &n.to_string(), "--seed", &seed.to_string()]).output().unwrap();
    let path = dir.join(name);
    std::fs::write(&path, out.stdout).unwrap();
    path
}

fn import(db: &Path, file: &Path) -> Output {
    bin().arg("import").arg("--db").arg(db).arg(file).output().unwrap()
}

/// Waits until the holder answers on its socket.
fn wait_for_socket(db: &Path, child: &mut Child) {
    let started = Instant::now();
    while !db.join("meetql.sock").exists() {
        assert!(child.try_wait().unwrap().is_none(), "the holder ended before answering");
        assert!(started.elapsed() < Duration::from_secs(20), "no socket after 20 s");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A holder: an import of a named pipe nobody writes to yet, so the process keeps the
/// database (and answers for it) until [`release`] feeds it.
fn holder(db: &Path) -> (Child, PathBuf) {
    let fifo = db.parent().unwrap().join("slow.jsonl");
    let st = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo (coreutils) is needed");
    assert!(st.success());
    let mut child =
        bin().args(["import", "--db"]).arg(db).arg(&fifo).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    wait_for_socket(db, &mut child);
    (child, fifo)
}

/// Writes `records` into the holder's pipe and waits for its import to end.
fn release(mut child: Child, fifo: &Path, records: &[u8]) -> Output {
    let mut w = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
    w.write_all(records).unwrap();
    drop(w);
    let _ = child.stdin.take();
    child.wait_with_output().unwrap()
}

#[test]
fn a_query_during_a_long_import_sees_before_or_after_never_half() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(import(&db, &corpus(dir.path(), "small.jsonl", 500, 1)).status.success());
    let big = corpus(dir.path(), "big.jsonl", 60_000, 2);
    let mut child = bin().arg("import").arg("--db").arg(&db).arg(&big).stderr(Stdio::piped()).spawn().unwrap();
    wait_for_socket(&db, &mut child);
    let mut answers = Vec::new();
    while child.try_wait().unwrap().is_none() && answers.len() < 50 {
        let o = count(&db, "0");
        if o.status.success() {
            answers.push(text(&o.stdout));
        } else {
            // Between the import's end and its checkpoint nobody answers: busy, said plainly.
            assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the import failed: {}", text(&out.stderr));
    assert!(!answers.is_empty(), "no query was answered during the import");
    for a in &answers {
        assert!(a == "{\"count\":500}\n" || a == "{\"count\":60500}\n", "half an import: {a}");
    }
    assert_eq!(text(&count(&db, "5000").stdout), "{\"count\":60500}\n");
}

#[test]
fn two_writers_one_waits_and_the_timeout_names_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let small = corpus(dir.path(), "small.jsonl", 50, 3);
    assert!(import(&db, &small).status.success());
    let (first, fifo) = holder(&db);
    // A reader is answered at once by the holder.
    let o = count(&db, "0");
    assert_eq!(text(&o.stdout), "{\"count\":50}\n", "{}", text(&o.stderr));
    // The second writer gives up after its timeout, exit 3, naming the holder and its work.
    let started = Instant::now();
    let o = bin().args(["import", "--busy-timeout", "400", "--db"]).arg(&db).arg(&small).output().unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(o.status.code(), Some(3));
    let err = text(&o.stderr);
    let pid = first.id().to_string();
    assert!(err.contains(&pid) && err.contains("importing") && err.contains("--busy-timeout"), "{err}");
    // With time enough, it waits for the first to finish and then writes.
    let mut second = bin()
        .args(["import", "--busy-timeout", "20000", "--db"])
        .arg(&db)
        .arg(corpus(dir.path(), "more.jsonl", 30, 4))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(second.try_wait().unwrap().is_none(), "the second writer did not wait");
    let o = release(first, &fifo, &std::fs::read(&small).unwrap());
    assert!(o.status.success(), "{}", text(&o.stderr));
    let done = second.wait_with_output().unwrap();
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert_eq!(text(&count(&db, "5000").stdout), "{\"count\":80}\n");
}

#[test]
fn a_holder_killed_with_kill_9_is_taken_over_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(import(&db, &corpus(dir.path(), "small.jsonl", 20, 5)).status.success());
    let (mut child, _fifo) = holder(&db);
    child.kill().unwrap(); // SIGKILL: no cleanup runs
    child.wait().unwrap();
    assert!(db.join("meetql.sock").exists(), "the test needs the stale socket to be left");
    let o = count(&db, "2000");
    assert_eq!(text(&o.stdout), "{\"count\":20}\n", "{}", text(&o.stderr));
    let o = import(&db, &corpus(dir.path(), "more.jsonl", 5, 6));
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&count(&db, "0").stdout), "{\"count\":25}\n");
}

#[cfg(unix)]
#[test]
fn the_socket_is_owner_only_and_refuses_bad_frames() {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::net::UnixStream;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    assert!(import(&db, &corpus(dir.path(), "small.jsonl", 10, 7)).status.success());
    let (child, fifo) = holder(&db);
    let socket = db.join("meetql.sock");
    assert_eq!(std::fs::metadata(&socket).unwrap().permissions().mode() & 0o077, 0);
    for bad in [&u32::MAX.to_be_bytes()[..], b"\0\0\0\x05hello", b"\0\0\0\x10{\"op\":\"import\"}"] {
        let mut s = UnixStream::connect(&socket).unwrap();
        s.write_all(bad).unwrap();
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).unwrap();
        assert_eq!(answer.first(), Some(&b'x'), "{answer:?}");
        assert!(text(&answer[5..]).contains("\"code\":2"), "{}", text(&answer));
    }
    // Still answering after them.
    assert_eq!(text(&count(&db, "0").stdout), "{\"count\":10}\n");
    assert!(release(child, &fifo, b"").status.success());
}

/// `meetql run` and piped scripts open the database without sled's background flusher (they
/// run, flush and exit): what their `.import` wrote is on disk for the next process, and a
/// process that held the database for one query leaves it free at once.
#[test]
fn a_script_that_imports_leaves_its_records_to_the_next_process() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let file = corpus(dir.path(), "a.jsonl", 40, 3);
    let script = dir.path().join("load.mql");
    std::fs::write(&script, format!(".import {}\nmeetings count\n", file.display())).unwrap();
    let run = bin().args(["run", "-f", "jsonl", "--db"]).arg(&db).arg(&script).output().unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains(r#"{"count":40}"#), "{}", text(&run.stdout));
    let again = count(&db, "0");
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(text(&again.stdout).trim(), r#"{"count":40}"#);

    let more = corpus(dir.path(), "b.jsonl", 25, 4);
    let mut piped = bin().args(["--db"]).arg(&db).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    writeln!(piped.stdin.take().unwrap(), ".import {}", more.display()).unwrap();
    let piped = piped.wait_with_output().unwrap();
    assert!(piped.status.success(), "{}", text(&piped.stdout));
    // Busy timeout 0: the piped process let go of the database when it exited.
    let last = count(&db, "0");
    assert!(last.status.success(), "{}", text(&last.stderr));
    assert_eq!(text(&last.stdout).trim(), r#"{"count":65}"#);
}
