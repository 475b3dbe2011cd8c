//! MeetQL's C ABI. The header, `include/meetql.h` at the repository's root, is generated from
//! this file by cbindgen (the `header` test checks that it is current; `MEETQL_BLESS=1 cargo
//! test -p meetql-c --release` rewrites it).
//!
//! Ownership, for every function:
//! - `meetql_db` and `meetql_cursor` are opaque handles. A handle returned by `meetql_open` is
//!   the caller's until it passes it to `meetql_close`; one returned by `meetql_cursor_open`
//!   until `meetql_cursor_close`. A `meetql_db` may be used from several threads at once; a
//!   `meetql_cursor` from one thread at a time. Close a database only when no call on it is
//!   running; its open cursors then end with an error.
//! - Every `char *` a function returns, and every message it stores in `*err`, is a new
//!   NUL-terminated UTF-8 string that belongs to the caller, who frees it with `meetql_free`
//!   (never with `free`).
//! - `err` may be NULL (no message is made). Otherwise `*err` is set to NULL on success and to
//!   a message on failure.
//! - Strings passed in (`path`, `query`, `params_json`, `json`) are borrowed for the call only
//!   and must be NUL-terminated UTF-8.
//!
//! No function unwinds into C: a panic inside becomes an error with a message.

#![allow(non_camel_case_types)]
#![warn(missing_docs)]

use std::ffi::{c_char, c_int, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use meetql::{Literal, Params};
use meetql_ffi_core::{Cursor, Db, Error, Item, DEFAULT_BUSY_TIMEOUT};

/// An open database (opaque).
pub struct meetql_db {
    db: Db,
}

/// A stream of a query's rows (opaque).
pub struct meetql_cursor {
    cursor: Cursor,
}

/// Success.
pub const MEETQL_OK: c_int = 0;
/// A query that does not parse or cannot be planned or run.
pub const MEETQL_QUERY_ERROR: c_int = 1;
/// Bad input data (a record, a line of a file) or a file that cannot be read.
pub const MEETQL_DATA_ERROR: c_int = 2;
/// Another process holds the database.
pub const MEETQL_BUSY: c_int = 3;
/// The database cannot be opened or its storage failed, or the handle was closed.
pub const MEETQL_DATABASE_ERROR: c_int = 4;
/// A call the ABI does not allow: a NULL handle, a string that is not UTF-8.
pub const MEETQL_MISUSE: c_int = 5;

/// A failure on its way to C: its kind and its message.
struct Failure {
    code: c_int,
    message: String,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let code = match &e {
            _ if e.is_busy() => MEETQL_BUSY,
            Error::Engine(meetql::Error::Query(_)) => MEETQL_QUERY_ERROR,
            Error::Engine(meetql::Error::Data(_) | meetql::Error::Io { .. }) => MEETQL_DATA_ERROR,
            Error::Engine(_) | Error::Closed(_) => MEETQL_DATABASE_ERROR,
        };
        Failure { code, message: e.to_string() }
    }
}

impl From<meetql::Error> for Failure {
    fn from(e: meetql::Error) -> Failure {
        Error::from(e).into()
    }
}

fn misuse(message: impl Into<String>) -> Failure {
    Failure { code: MEETQL_MISUSE, message: message.into() }
}

/// A new C string owned by the caller; a NUL inside (from data) is written `\0`.
fn to_c(s: String) -> *mut c_char {
    let s = if s.contains('\0') { s.replace('\0', "\\0") } else { s };
    CString::new(s).expect("no NUL left").into_raw()
}

/// Runs `f`, storing its error in `*err`, catching panics.
fn guard<T>(err: *mut *mut c_char, failed: T, f: impl FnOnce() -> Result<T, Failure>) -> (T, c_int) {
    let outcome = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let why = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        Err(Failure { code: MEETQL_DATABASE_ERROR, message: format!("internal error in meetql: {why}") })
    });
    let (value, code, message) = match outcome {
        Ok(v) => (v, MEETQL_OK, None),
        Err(f) => (failed, f.code, Some(f.message)),
    };
    if !err.is_null() {
        // SAFETY: the caller passes NULL or a pointer to a writable `char *`.
        unsafe { *err = message.map_or(ptr::null_mut(), to_c) };
    }
    (value, code)
}

/// Borrows a C string argument as UTF-8.
fn text<'a>(p: *const c_char, what: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(misuse(format!("{what} is NULL")));
    }
    // SAFETY: the caller passes a NUL-terminated string that lives for the call.
    unsafe { CStr::from_ptr(p) }.to_str().map_err(|_| misuse(format!("{what} is not UTF-8")))
}

fn db_ref<'a>(db: *const meetql_db) -> Result<&'a Db, Failure> {
    // SAFETY: the caller passes NULL or a handle from `meetql_open` not yet closed.
    unsafe { db.as_ref() }.map(|d| &d.db).ok_or_else(|| misuse("the database handle is NULL"))
}

/// Reads `{"name": value, ...}`: strings and integers (a string that reads as a date compares
/// as one against dates, as on the command line).
fn params(p: *const c_char) -> Result<Params, Failure> {
    let mut out = Params::new();
    if p.is_null() {
        return Ok(out);
    }
    let json = text(p, "params_json")?;
    let bad = |why: String| misuse(format!("params_json: {why}"));
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
    let serde_json::Value::Object(map) = value else {
        return Err(bad("expected a JSON object of parameters".into()));
    };
    for (name, v) in map {
        let lit = match v {
            serde_json::Value::String(s) => Literal::Str(s),
            serde_json::Value::Number(n) => {
                Literal::Int(n.as_i64().ok_or_else(|| bad(format!("parameter '{name}': {n} is not a 64-bit integer")))?)
            }
            other => return Err(bad(format!("parameter '{name}': expected a string or an integer, got {other}"))),
        };
        out.insert(name.trim_start_matches('$').to_string(), lit);
    }
    Ok(out)
}

/// Opens the database at `path`, creating it when absent, waiting up to 5 seconds while
/// another process holds it. Returns NULL and sets `*err` on failure. Close it with
/// `meetql_close`.
///
/// # Safety
/// `path` is a NUL-terminated string; `err` is NULL or points to a writable `char *`.
#[no_mangle]
pub unsafe extern "C" fn meetql_open(path: *const c_char, err: *mut *mut c_char) -> *mut meetql_db {
    guard(err, ptr::null_mut(), || {
        let db = Db::open(text(path, "path")?, DEFAULT_BUSY_TIMEOUT)?;
        Ok(Box::into_raw(Box::new(meetql_db { db })))
    })
    .0
}

/// Imports a `.jsonl`, `.json`, `.csv` or `.txt` file, or a directory of them, as `meetql
/// import` does (each file whole or not at all). Returns `MEETQL_OK` (0) or the kind of the
/// error, with `*err` set.
///
/// # Safety
/// `db` is a handle from `meetql_open`; `path` a NUL-terminated string; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn meetql_import(db: *mut meetql_db, path: *const c_char, err: *mut *mut c_char) -> c_int {
    guard(err, (), || {
        db_ref(db)?.import_path(text(path, "path")?)?;
        Ok(())
    })
    .1
}

/// Inserts one meeting record given as a JSON object (CONTRACT §2), durably, replacing the
/// record with its id. Returns `MEETQL_OK` (0) or the kind of the error, with `*err` set.
///
/// # Safety
/// `db` is a handle from `meetql_open`; `json` a NUL-terminated string; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn meetql_insert_json(db: *mut meetql_db, json: *const c_char, err: *mut *mut c_char) -> c_int {
    guard(err, (), || {
        db_ref(db)?.insert_json("<insert>", text(json, "json")?)?;
        Ok(())
    })
    .1
}

/// Runs a query and returns all its rows as JSON Lines (one JSON object and `\n` per row, as
/// `meetql query -f jsonl` prints them; `""` for no rows). Returns NULL and sets `*err` on
/// failure. Free the result with `meetql_free`. For large results use a cursor.
///
/// # Safety
/// `db` is a handle from `meetql_open`; `query` a NUL-terminated string; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn meetql_query_jsonl(
    db: *mut meetql_db,
    query: *const c_char,
    err: *mut *mut c_char,
) -> *mut c_char {
    meetql_query_jsonl_params(db, query, ptr::null(), err)
}

/// `meetql_query_jsonl` with parameters: `params_json` is NULL or a JSON object binding each
/// `$name` of the query to a string or an integer, such as `{"org": "OSCE", "n": 5}`.
///
/// # Safety
/// As `meetql_query_jsonl`; `params_json` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn meetql_query_jsonl_params(
    db: *mut meetql_db,
    query: *const c_char,
    params_json: *const c_char,
    err: *mut *mut c_char,
) -> *mut c_char {
    guard(err, ptr::null_mut(), || {
        let db = db_ref(db)?;
        let q = db.prepare(text(query, "query")?)?;
        let mut out = String::new();
        for item in db.cursor(&q, &params(params_json)?)? {
            out.push_str(&json_line(&item?));
        }
        Ok(to_c(out))
    })
    .0
}

fn json_line(item: &Item) -> String {
    let mut s = serde_json::to_string(item).expect("rows serialize");
    s.push('\n');
    s
}

/// The plan of a query, as `explain` prints it. Returns NULL and sets `*err` on failure. Free
/// the result with `meetql_free`.
///
/// # Safety
/// `db` is a handle from `meetql_open`; `query` a NUL-terminated string; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn meetql_explain(
    db: *mut meetql_db,
    query: *const c_char,
    err: *mut *mut c_char,
) -> *mut c_char {
    guard(err, ptr::null_mut(), || {
        let plan = db_ref(db)?.explain(text(query, "query")?, &Params::new())?;
        Ok(to_c(plan))
    })
    .0
}

/// Starts streaming the rows of a query (`params_json` as for `meetql_query_jsonl_params`, or
/// NULL): the rows are found while they are read, so that a result of any size needs little
/// memory. Returns NULL and sets `*err` when the query does not parse or plan. Read the rows
/// with `meetql_cursor_next`; end with `meetql_cursor_close` (before its end, too: that stops
/// the query). While a cursor is open, a write to its database (`meetql_import`,
/// `meetql_insert_json`) makes it read the rest of its rows into memory first: the cursor
/// shows the database as it was when the cursor opened.
///
/// # Safety
/// `db` is a handle from `meetql_open`; `query` a NUL-terminated string; `params_json` NULL or
/// a NUL-terminated string; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn meetql_cursor_open(
    db: *mut meetql_db,
    query: *const c_char,
    params_json: *const c_char,
    err: *mut *mut c_char,
) -> *mut meetql_cursor {
    guard(err, ptr::null_mut(), || {
        let db = db_ref(db)?;
        let q = db.prepare(text(query, "query")?)?;
        let cursor = db.cursor(&q, &params(params_json)?)?;
        Ok(Box::into_raw(Box::new(meetql_cursor { cursor })))
    })
    .0
}

/// The next row as one JSON object (without a newline), to free with `meetql_free`. Returns
/// NULL at the end of the rows, with `*err` NULL, or on an error, with `*err` set; after
/// either, it returns NULL again.
///
/// # Safety
/// `cursor` is a handle from `meetql_cursor_open`; `err` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn meetql_cursor_next(cursor: *mut meetql_cursor, err: *mut *mut c_char) -> *mut c_char {
    guard(err, ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a handle from `meetql_cursor_open` not yet closed.
        let c = unsafe { cursor.as_mut() }.ok_or_else(|| misuse("the cursor handle is NULL"))?;
        match c.cursor.next() {
            None => Ok(ptr::null_mut()),
            Some(item) => Ok(to_c(serde_json::to_string(&item?).expect("rows serialize"))),
        }
    })
    .0
}

/// Ends a cursor (stopping its query if rows are left) and frees it. NULL does nothing.
///
/// # Safety
/// `cursor` is NULL or a handle from `meetql_cursor_open`, not used again after this.
#[no_mangle]
pub unsafe extern "C" fn meetql_cursor_close(cursor: *mut meetql_cursor) {
    if !cursor.is_null() {
        // SAFETY: the handle came from `Box::into_raw` in `meetql_cursor_open`.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(cursor) })));
    }
}

/// Frees a string returned by a `meetql_*` function or stored in `*err`. NULL does nothing.
///
/// # Safety
/// `s` is NULL or a string from this library, not freed before and not used after.
#[no_mangle]
pub unsafe extern "C" fn meetql_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the string came from `CString::into_raw` in this library.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// Closes the database (making every write durable) and frees the handle; its open cursors
/// end with an error. NULL does nothing.
///
/// # Safety
/// `db` is NULL or a handle from `meetql_open`, with no call on it running, not used after.
#[no_mangle]
pub unsafe extern "C" fn meetql_close(db: *mut meetql_db) {
    if !db.is_null() {
        // SAFETY: the handle came from `Box::into_raw` in `meetql_open`.
        let _ = catch_unwind(AssertUnwindSafe(|| {
            let d = unsafe { Box::from_raw(db) };
            if let Ok(engine) = d.db.engine() {
                let _ = engine.flush();
            }
            drop(d);
        }));
    }
}
