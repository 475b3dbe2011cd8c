//! What MeetQL's C ABI (`bindings/c`) and Python package (`bindings/python`) share, over the
//! public API of [`meetql::Engine`] alone:
//!
//! - [`Db`], a database handle that can be closed explicitly (a C `meetql_close`, a Python
//!   `with` block) while other threads still hold it: it then answers [`Error::Closed`];
//! - [`Cursor`], a pull-style stream of a query's rows for results larger than memory: a
//!   producer thread runs the query and hands rows over through a small buffer
//!   ([`CURSOR_BUFFER`] rows), so that reading the millionth row needs no memory for the others.
//!
//! A cursor reads one consistent state of the database: the engine's read lock is held while
//! its producer runs. So that a write from the very thread that reads a cursor cannot wait for
//! that cursor forever, every write through [`Db`] first tells the open cursors to stop
//! pausing: they read the rest of their rows into memory, let the lock go, and the write goes
//! on. A cursor dropped before its end stops its query at once.

#![warn(missing_docs)]

use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use meetql::ingest::Format;
use meetql::lang::ast::Statement;
use meetql::{Engine, ImportSummary, Meeting, Params, QueryResult, Row, Shape};
use serde::Serialize;

/// How many rows a cursor's producer may run ahead of its reader.
pub const CURSOR_BUFFER: usize = 256;

/// How long [`Db::open`] waits, by default, for a database another process holds.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_millis(5000);

/// What can go wrong through a [`Db`]: the engine's errors, or the handle was closed.
#[derive(Debug)]
pub enum Error {
    /// An error of the engine (a query, data, opening, storage or file error).
    Engine(meetql::Error),
    /// The handle was closed ([`Db::close`]) before or while this ran.
    Closed(PathBuf),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Engine(e) => e.fmt(f),
            Error::Closed(p) => write!(f, "the database {} is closed", p.display()),
        }
    }
}

impl std::error::Error for Error {}

impl From<meetql::Error> for Error {
    fn from(e: meetql::Error) -> Error {
        Error::Engine(e)
    }
}

impl Error {
    /// Whether this says that another process holds the database (retrying later may work).
    pub fn is_busy(&self) -> bool {
        matches!(self, Error::Engine(meetql::Error::Open { reason, .. }) if reason.starts_with("it is in use"))
    }
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One row of a [`Cursor`]: a row of the result, or the plan of an `explain`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Item {
    /// A row (a meeting, selected fields, a value with its count, or a total).
    Row(Row),
    /// The text of an `explain` plan; serializes as `{"plan": "..."}` like the command line's.
    Plan {
        /// The plan.
        plan: String,
    },
}

/// A parsed query, ready to run many times with different parameters.
#[derive(Clone)]
pub struct Query {
    text: Arc<str>,
    statement: Statement,
}

impl Query {
    /// The query's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed statement.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }
}

/// An open database that can be closed while shared. `Send + Sync`.
pub struct Db {
    path: PathBuf,
    engine: RwLock<Option<Engine>>,
    cursors: Mutex<Registry>,
}

#[derive(Default)]
struct Registry {
    /// Writes in progress: cursors started meanwhile do not pause either.
    writes: usize,
    open: Vec<Running>,
}

struct Running {
    channel: Arc<Channel>,
    thread: JoinHandle<()>,
}

/// The buffer between a cursor's producer thread and its reader.
struct Channel {
    state: Mutex<State>,
    changed: Condvar,
    cancel: AtomicBool,
}

#[derive(Default)]
struct State {
    rows: VecDeque<Row>,
    /// Set by the producer when it stops: how the query ended.
    end: Option<Result<()>>,
    /// The producer no longer pauses when the buffer is full (a write is waiting).
    unbounded: bool,
    /// The reader is gone: stop.
    dropped: bool,
    /// The database was closed under the cursor.
    closed: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Channel {
    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn stop_pausing(&self) {
        self.state().unbounded = true;
        self.changed.notify_all();
    }
}

impl Db {
    /// Opens (creating when absent) the database at `path`, waiting up to `busy_timeout` while
    /// another process holds it.
    pub fn open(path: impl AsRef<Path>, busy_timeout: Duration) -> Result<Db> {
        let path = path.as_ref();
        let deadline = Instant::now() + busy_timeout;
        let engine = loop {
            match Engine::open(path).map_err(Error::from) {
                Err(e) if e.is_busy() && Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                other => break other?,
            }
        };
        Ok(Db { path: path.to_path_buf(), engine: RwLock::new(Some(engine)), cursors: Mutex::default() })
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The engine, while the handle is open.
    pub fn engine(&self) -> Result<Engine> {
        self.engine.read().unwrap_or_else(|p| p.into_inner()).clone().ok_or_else(|| Error::Closed(self.path.clone()))
    }

    /// Whether [`Db::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.engine.read().unwrap_or_else(|p| p.into_inner()).is_none()
    }

    /// Runs a write with the open cursors told not to pause (see the crate's documentation).
    fn write<T>(&self, f: impl FnOnce(&Engine) -> meetql::Result<T>) -> Result<T> {
        let engine = self.engine()?;
        {
            let mut reg = lock(&self.cursors);
            reg.writes += 1;
            for c in &reg.open {
                c.channel.stop_pausing();
            }
        }
        let out = f(&engine);
        lock(&self.cursors).writes -= 1;
        Ok(out?)
    }

    /// Inserts one record, durably (replacing the record with its id).
    pub fn insert(&self, m: Meeting) -> Result<()> {
        self.write(|e| e.insert(m))
    }

    /// Inserts one record given as JSON (the record of CONTRACT §2), checked exactly as a line
    /// of a `.jsonl` import is; `origin` names it in errors.
    pub fn insert_json(&self, origin: &str, json: &str) -> Result<()> {
        let mut records = Vec::new();
        let line = json.replace(['\n', '\r'], " ");
        meetql::ingest::read_from(line.as_bytes(), origin, Format::Jsonl, &mut |m| {
            records.push(m);
            Ok(())
        })?;
        match records.len() {
            1 => self.insert(records.pop().expect("one record")),
            _ => Err(meetql::Error::from(meetql::DataError::new(
                origin,
                None,
                "expected one JSON object (a meeting record)",
            ))
            .into()),
        }
    }

    /// Imports files and directories as `meetql import` does (each file whole or not at all).
    pub fn import_path(&self, path: impl AsRef<Path>) -> Result<ImportSummary> {
        self.write(|e| e.import_path(path))
    }

    /// Parses a statement once.
    pub fn prepare(&self, text: &str) -> Result<Query> {
        // Parsing needs no database, but a closed handle answers closed to everything.
        self.engine()?;
        let statement =
            meetql::lang::parse_statement(text).map_err(|e| meetql::Error::from(e.locate("<query>", text)))?;
        Ok(Query { text: text.into(), statement })
    }

    /// Runs a query to its end and returns all its rows.
    pub fn run(&self, q: &Query, params: &Params) -> Result<QueryResult> {
        let engine = self.engine()?;
        Ok(engine.execute(&q.statement, params).map_err(|e| meetql::engine::locate(e, "<query>", &q.text))?)
    }

    /// Parses and runs `text` with `params`.
    pub fn query(&self, text: &str, params: &Params) -> Result<QueryResult> {
        self.run(&self.prepare(text)?, params)
    }

    /// The plan of a query, as `explain` shows it (`text` may start with `explain` or not).
    pub fn explain(&self, text: &str, params: &Params) -> Result<String> {
        let q = self.prepare(text)?;
        let q = match q.statement {
            Statement::Query(inner) => Query { text: q.text, statement: Statement::Explain(inner) },
            _ => q,
        };
        Ok(self.run(&q, params)?.plan.unwrap_or_default())
    }

    /// Starts streaming the rows of a query. Planning errors (unknown fields, unbound
    /// parameters) come at once; errors met while running come from [`Cursor::next`].
    pub fn cursor(&self, q: &Query, params: &Params) -> Result<Cursor> {
        let engine = self.engine()?;
        let query = match &q.statement {
            Statement::Query(query) => query,
            // `explain` (one row) and statements that are errors here run directly.
            _ => {
                let result = self.run(q, params)?;
                let shape = result.shape.clone();
                let mut items: VecDeque<Item> = result.rows.into_iter().map(Item::Row).collect();
                if let Some(plan) = result.plan {
                    items.push_back(Item::Plan { plan });
                }
                return Ok(Cursor {
                    shape,
                    ready: items,
                    channel: None,
                    text: q.text.clone(),
                    path: self.path.clone(),
                });
            }
        };
        let plan = engine.plan(query, params).map_err(|e| meetql::engine::locate(e, "<query>", &q.text))?;
        let shape = engine.shape(&plan);
        let channel =
            Arc::new(Channel { state: Mutex::default(), changed: Condvar::new(), cancel: AtomicBool::new(false) });
        let mut reg = lock(&self.cursors);
        reg.open.retain(|c| !c.thread.is_finished());
        channel.state().unbounded = reg.writes > 0;
        let ch = channel.clone();
        let path = self.path.clone();
        let thread = std::thread::Builder::new()
            .name("meetql-cursor".into())
            .spawn(move || produce(&engine, &plan, &ch, &path))
            .map_err(|source| {
                meetql::Error::from(meetql::error::StorageError::Io { path: self.path.clone(), source })
            })?;
        reg.open.push(Running { channel: channel.clone(), thread });
        Ok(Cursor {
            shape,
            ready: VecDeque::new(),
            channel: Some(channel),
            text: q.text.clone(),
            path: self.path.clone(),
        })
    }

    /// Closes the handle: open cursors stop (their next row is [`Error::Closed`]), and the
    /// database is released once operations already running on other threads end. Later calls
    /// answer [`Error::Closed`]. Closing twice does nothing.
    pub fn close(&self) {
        let engine = self.engine.write().unwrap_or_else(|p| p.into_inner()).take();
        let running = std::mem::take(&mut lock(&self.cursors).open);
        for c in &running {
            c.channel.state().closed = true;
            c.channel.cancel.store(true, Ordering::SeqCst);
            c.channel.changed.notify_all();
        }
        for c in running {
            let _ = c.thread.join();
        }
        drop(engine);
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        self.close();
    }
}

/// The producer: runs the plan, pausing while the buffer is full. A query stopped because the
/// database was closed ends with [`Error::Closed`], whichever way the engine saw the stop.
fn produce(engine: &Engine, plan: &meetql::plan::Plan, ch: &Channel, path: &Path) {
    let mut refused = false;
    let result = engine.stream_plan_cancellable(
        plan,
        &mut |row| {
            let mut st = ch.state();
            while st.rows.len() >= CURSOR_BUFFER && !st.unbounded && !st.dropped && !st.closed {
                st = ch.changed.wait(st).unwrap_or_else(|p| p.into_inner());
            }
            if st.dropped || st.closed {
                refused = st.closed;
                return Ok(false);
            }
            st.rows.push_back(row);
            ch.changed.notify_all();
            Ok(true)
        },
        Some(&ch.cancel),
    );
    let mut st = ch.state();
    st.end = Some(match result {
        _ if refused => Err(Error::Closed(path.to_path_buf())),
        Err(_) if st.closed => Err(Error::Closed(path.to_path_buf())),
        other => other.map(|_| ()).map_err(Error::from),
    });
    ch.changed.notify_all();
}

/// A stream of a query's rows (see the crate's documentation). Dropping it stops the query.
pub struct Cursor {
    shape: Shape,
    /// Rows known already (an `explain`'s plan).
    ready: VecDeque<Item>,
    /// The producer's buffer, until the stream ended.
    channel: Option<Arc<Channel>>,
    text: Arc<str>,
    path: PathBuf,
}

impl Cursor {
    /// What the rows are.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// Stops the query; later calls to `next` give nothing.
    pub fn close(&mut self) {
        if let Some(ch) = self.channel.take() {
            ch.state().dropped = true;
            ch.cancel.store(true, Ordering::SeqCst);
            ch.changed.notify_all();
        }
        self.ready.clear();
    }
}

impl Iterator for Cursor {
    type Item = Result<Item>;

    /// The next row, waiting for the producer; `None` at the end. After an error, `None`.
    fn next(&mut self) -> Option<Result<Item>> {
        if let Some(item) = self.ready.pop_front() {
            return Some(Ok(item));
        }
        let ch = self.channel.as_ref()?;
        let mut st = ch.state();
        let end = loop {
            if let Some(row) = st.rows.pop_front() {
                ch.changed.notify_all();
                return Some(Ok(Item::Row(row)));
            }
            if let Some(end) = st.end.take() {
                break (end, st.closed);
            }
            st = ch.changed.wait(st).unwrap_or_else(|p| p.into_inner());
        };
        drop(st);
        self.channel = None;
        match end {
            (Ok(()), _) => None,
            (Err(_), true) => Some(Err(Error::Closed(self.path.clone()))),
            (Err(Error::Engine(e)), _) => Some(Err(meetql::engine::locate(e, "<query>", &self.text).into())),
            (Err(e), _) => Some(Err(e)),
        }
    }
}

impl Drop for Cursor {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests;
