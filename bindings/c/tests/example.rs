//! The C example (`examples/c/meetings.c`) compiles with the system `cc` against
//! `include/meetql.h`, links `libmeetql_c.so`, and prints what a C program should see.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Builds the shared library (this test's own build makes only the Rust library) and returns
/// the folder that holds it.
fn shared_library() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "-p", "meetql-c", "--lib"])
        .current_dir(root())
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build --release -p meetql-c failed");
    // The test binary lives in <target>/release/deps.
    let dir = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().to_path_buf();
    assert!(dir.join("libmeetql_c.so").exists(), "no libmeetql_c.so in {}", dir.display());
    dir
}

fn compile(source: &Path, out: &Path, lib: &Path) {
    let cc = Command::new("cc")
        .arg(format!("-I{}", root().join("include").display()))
        .args(["-Wall", "-Wextra", "-Werror"])
        .arg(source)
        .arg(format!("-L{}", lib.display()))
        .arg("-lmeetql_c")
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-o")
        .arg(out)
        .output()
        .expect("the system C compiler `cc` runs (apt-get install gcc)");
    assert!(cc.status.success(), "cc failed:\n{}", String::from_utf8_lossy(&cc.stderr));
}

const CORPUS: &str = r#"{"id": "c-1", "date": "2024-03-05", "city": "Vienna", "orgs": ["OSCE"], "topics": ["border security"]}
{"id": "c-2", "date": "2024-01-20", "city": "Bishkek", "orgs": ["OSCE", "EU"]}
{"id": "c-3", "date": "2023-11-02", "city": "Geneva", "orgs": ["UN"]}
"#;

#[test]
fn the_c_example_opens_imports_streams_counts_and_reports_an_error() {
    let lib = shared_library();
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("meetings");
    compile(&root().join("examples/c/meetings.c"), &exe, &lib);
    let corpus = dir.path().join("corpus.jsonl");
    std::fs::write(&corpus, CORPUS).unwrap();

    let out = Command::new(&exe).arg(dir.path().join("db")).arg(&corpus).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "exit {:?}\n{stdout}{}", out.status, String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], r#"row 1: {"id":"c-2","date":"2024-01-20","city":"Bishkek"}"#);
    assert_eq!(lines[1], r#"row 2: {"id":"c-1","date":"2024-03-05","city":"Vienna"}"#);
    assert_eq!(lines[2], r#"all: {"count":3}"#);
    assert_eq!(lines[3], "error: unexpected word 'wher'");
    assert_eq!(lines[4], "<query>:1:10");
    assert_eq!(lines.len(), 8, "{stdout}");

    // A file that is not there: the import's error names it, and the program says so.
    let out = Command::new(&exe).arg(dir.path().join("db")).arg(dir.path().join("missing.jsonl")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("import: ") && stderr.contains("missing.jsonl"), "{stderr}");
}

/// Every function of the header, called as a C program would, including the error paths and
/// a cursor over a result far larger than its buffer.
#[test]
fn the_abi_keeps_its_ownership_rules_and_reports_errors_by_kind() {
    let lib = shared_library();
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("abi.c");
    std::fs::write(&source, ABI_PROGRAM).unwrap();
    let exe = dir.path().join("abi");
    compile(&source, &exe, &lib);
    let out = Command::new(&exe).arg(dir.path().join("db")).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "exit {:?}\n{stdout}{}", out.status, String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout.trim_end().lines().last(), Some("abi ok"), "{stdout}");
}

const ABI_PROGRAM: &str = r#"
#include <stdio.h>
#include <string.h>
#include "meetql.h"
#define CHECK(c) do { if (!(c)) { printf("failed at line %d: %s\n", __LINE__, #c); return 1; } } while (0)
int main(int argc, char **argv) {
  (void)argc;
  char *err = (char *)1;
  CHECK(meetql_open(NULL, &err) == NULL && err && strstr(err, "NULL"));
  meetql_free(err);
  meetql_db *db = meetql_open(argv[1], &err);
  CHECK(db && err == NULL);
  char rec[200];
  for (int i = 0; i < 1500; i++) {
    snprintf(rec, sizeof rec, "{\"id\": \"r-%04d\", \"date\": \"2024-02-%02d\", \"orgs\": [\"OSCE\"]}", i, 1 + i % 28);
    CHECK(meetql_insert_json(db, rec, &err) == MEETQL_OK && err == NULL);
  }
  CHECK(meetql_insert_json(db, "{\"date\": \"2024\", \"hue\": 1}", &err) == MEETQL_DATA_ERROR);
  CHECK(strstr(err, "<insert>") && strstr(err, "hue"));
  meetql_free(err);
  CHECK(meetql_import(db, "/nonexistent/file.jsonl", &err) == MEETQL_DATA_ERROR && err);
  meetql_free(err);
  CHECK(meetql_import(db, "/nonexistent/file.jsonl", NULL) == MEETQL_DATA_ERROR);

  /* A cursor over 1500 rows, read to the end, with a write from this thread in the middle. */
  meetql_cursor *c = meetql_cursor_open(db, "meetings where org = $org", "{\"org\": \"osce\"}", &err);
  CHECK(c && err == NULL);
  int n = 0;
  char *row;
  while ((row = meetql_cursor_next(c, &err)) != NULL) {
    CHECK(strstr(row, "\"OSCE\""));
    meetql_free(row);
    if (++n == 10) CHECK(meetql_insert_json(db, "{\"id\": \"late\", \"date\": \"2025\", \"orgs\": [\"OSCE\"]}", &err) == 0);
  }
  CHECK(err == NULL && n == 1500);
  CHECK(meetql_cursor_next(c, &err) == NULL && err == NULL);
  meetql_cursor_close(c);

  /* A cursor closed early, and one whose query is wrong. */
  c = meetql_cursor_open(db, "meetings", NULL, &err);
  row = meetql_cursor_next(c, &err);
  CHECK(row);
  meetql_free(row);
  meetql_cursor_close(c);
  CHECK(meetql_cursor_open(db, "meetings where colour = 1", NULL, &err) == NULL && strstr(err, "<query>:1:16"));
  meetql_free(err);
  CHECK(meetql_cursor_open(db, "meetings where org = $org", NULL, &err) == NULL && err);
  meetql_free(err);
  CHECK(meetql_query_jsonl_params(db, "meetings", "[1]", &err) == NULL && strstr(err, "params_json"));
  meetql_free(err);

  char *out = meetql_query_jsonl_params(db, "meetings where org = $o count", "{\"o\": \"OSCE\"}", &err);
  CHECK(out && strcmp(out, "{\"count\":1501}\n") == 0);
  meetql_free(out);
  out = meetql_query_jsonl(db, "meetings where org = \"nobody\"", &err);
  CHECK(out && strcmp(out, "") == 0);
  meetql_free(out);
  out = meetql_explain(db, "meetings where org = \"OSCE\"", &err);
  CHECK(out && strlen(out) > 0);
  meetql_free(out);

  /* Closing with a cursor open: the cursor ends with an error, and is still the caller's. */
  c = meetql_cursor_open(db, "meetings", NULL, &err);
  CHECK(c);
  meetql_close(db);
  while ((row = meetql_cursor_next(c, &err)) != NULL) meetql_free(row);
  CHECK(err && strstr(err, "closed"));
  meetql_free(err);
  meetql_cursor_close(c);
  meetql_free(NULL);
  meetql_close(NULL);
  meetql_cursor_close(NULL);

  /* Closed means released: it opens again at once. */
  db = meetql_open(argv[1], &err);
  CHECK(db);
  meetql_close(db);
  puts("abi ok");
  return 0;
}
"#;
