//! The library's front door: [`Engine`] opens a database, imports, and runs queries.
//!
//! Life of a query: text → [`crate::lang::parse_statement`] → [`crate::lang::ast::Query`] →
//! [`crate::plan::plan`] (fields checked, parameters bound, indexes chosen) → [`crate::plan::Plan`]
//! → executor (rows streamed from indexes and records) → [`QueryResult`] or a row sink.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use crate::error::{Error, QueryError, QueryErrorKind, Result};
use crate::exec::{Executor, More, Row};
use crate::ingest::{self, Format};
use crate::lang::ast::{Collection, Count, Query, Statement};
use crate::lang::parse_statement;
use crate::model::Meeting;
use crate::plan::{self, Key, Literal, Output, Params, Plan};
pub use crate::storage::CheckReport;
pub use crate::storage::Hold;
use crate::storage::Store;

/// An open MeetQL database. Cheap to clone and share across threads (`Send + Sync`): queries
/// run concurrently with each other and with writes, and each sees a consistent state (no part
/// of an import is ever visible).
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let dir = tempfile::tempdir()?;
/// let engine = meetql::Engine::open(dir.path().join("db"))?;
/// let m: meetql::Meeting = serde_json::from_str(
///     r#"{"id": "m-1", "date": "2024-01-17", "orgs": ["UNRCCA"], "city": "Ashgabat"}"#)?;
/// engine.insert(m)?;
/// let result = engine.query(r#"meetings where org = "UNRCCA" and date >= 2024-01"#)?;
/// for m in result.meetings() { println!("{} {}", m.date, m.id); }
/// println!("{}", serde_json::to_string(&result)?);
/// let q = engine.prepare("meetings where org = $org")?;
/// assert_eq!(q.bind("org", "unrcca").run()?.meetings().count(), 1);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    /// Queries hold it shared; the step that makes an import visible holds it exclusively.
    lock: RwLock<()>,
}

/// How many consecutive report files [`Engine::import_paths`] commits together.
pub const REPORT_GROUP: usize = 512;

/// What [`Engine::import_path`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Files imported, each with its number of records.
    pub files: Vec<(PathBuf, usize)>,
    /// Total records imported.
    pub records: usize,
    /// Reports that gave no meeting, each with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// "Full Name (ACR)" definitions the imported reports made: (acronym, full name), each once.
    pub aliases: Vec<(String, String)>,
    /// Records that replaced one already stored with the same id (ids fold by case).
    pub replaced: usize,
    /// Records whose id (folded) an earlier record of the same file had: the last one is kept.
    pub repeated: usize,
}

impl ImportSummary {
    fn count(&mut self, c: crate::storage::Committed) {
        self.replaced += c.replaced as usize;
        self.repeated += c.repeated as usize;
    }

    /// What the summary line adds after the counts: "; 2 replaced stored records; 1 id
    /// repeated within a file (the last kept)", empty when neither happened.
    pub fn id_notes(&self) -> String {
        let mut s = String::new();
        match self.replaced {
            0 => {}
            1 => s.push_str("; 1 replaced a stored record with the same id"),
            n => s.push_str(&format!("; {n} replaced stored records with the same ids")),
        }
        match self.repeated {
            0 => {}
            1 => s.push_str("; 1 id repeated within a file (the last record kept)"),
            n => s.push_str(&format!("; {n} ids repeated within a file (the last record kept)")),
        }
        s
    }
}

impl ImportSummary {
    /// The line that ends an import, as `meetql import` and the shell's `.import` print it:
    /// `imported 3 records from 2 files`, then what was rejected (`rejected`, the lines that
    /// `--skip-bad` left out), the reports that gave no meeting, and the ids replaced or
    /// repeated.
    ///
    /// ```
    /// let s = meetql::ImportSummary { records: 1, files: vec![("a.jsonl".into(), 1)], ..Default::default() };
    /// assert_eq!(s.line(None), "imported 1 record from 1 file");
    /// assert_eq!(s.line(Some(2)), "imported 1 record from 1 file; rejected 2 lines (of 3 read)");
    /// ```
    pub fn line(&self, rejected: Option<usize>) -> String {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut s = format!(
            "imported {} record{} from {} file{}",
            self.records,
            plural(self.records),
            self.files.len(),
            plural(self.files.len())
        );
        if let Some(r) = rejected {
            s.push_str(&format!("; rejected {r} line{} (of {} read)", plural(r), self.records + r));
        }
        match self.skipped.len() {
            0 => {}
            1 => s.push_str("; 1 report skipped (no meeting)"),
            n => s.push_str(&format!("; {n} reports skipped (no meeting)")),
        }
        s + &self.id_notes()
    }

    /// One line for each report skipped, as `meetql import` and the shell's `.import` print
    /// them: `skipped PATH: why`.
    pub fn skipped_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.skipped.iter().map(|(file, why)| format!("skipped {}: {why}", file.display()))
    }
}

/// The shape of a result, which says what its rows hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// Whole meeting records.
    Meetings,
    /// `id` and the named fields.
    Selected(Vec<String>),
    /// Value/count rows; the key's name (`org`, `year`...) or the facet's.
    Counts(String),
    /// One number.
    Total,
    /// An `explain` plan.
    Plan,
}

/// The result of a query: its rows, in order. Serializes as a JSON array of rows (CONTRACT §4).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    /// What the rows are.
    pub shape: Shape,
    /// The rows.
    pub rows: Vec<Row>,
    /// The plan text, for `explain`.
    pub plan: Option<String>,
    /// How many records were decoded to answer (for tests and `.timer`).
    pub records_read: u64,
    /// Notes on the query (not part of its rows, nor of its JSON): a value it asks for by
    /// equality that no meeting has, with the closest stored one — `no meeting has org
    /// "UNRCA"; did you mean "UNRCCA"?`. The command line and the shell print them on stderr.
    pub notes: Vec<String>,
}

/// Where [`Engine::stream`] hands a query's output: its shape once the query is planned (so a
/// query that cannot run gives nothing), then its rows.
pub trait RowSink {
    /// The shape of the rows to come.
    fn start(&mut self, shape: &Shape) -> Result<()>;
    /// One row; `false` stops the query.
    fn row(&mut self, row: Row) -> Result<More>;
}

/// What [`Engine::stream`] did besides handing rows over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Streamed {
    /// Records decoded.
    pub records_read: u64,
    /// As [`QueryResult::notes`].
    pub notes: Vec<String>,
}

impl QueryResult {
    /// The meeting records of the result (none for counts and facets).
    pub fn meetings(&self) -> impl Iterator<Item = &Meeting> + '_ {
        self.rows.iter().filter_map(|r| match r {
            Row::Meeting(m) => Some(m.as_ref()),
            _ => None,
        })
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The number a bare `count` gave, if this is one.
    pub fn total(&self) -> Option<u64> {
        match self.rows.as_slice() {
            [Row::Total { count }] => Some(*count),
            _ => None,
        }
    }
}

impl Serialize for QueryResult {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if let Some(p) = &self.plan {
            let mut seq = s.serialize_seq(Some(1))?;
            seq.serialize_element(&serde_json::json!({ "plan": p }))?;
            return seq.end();
        }
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for r in &self.rows {
            seq.serialize_element(r)?;
        }
        seq.end()
    }
}

/// A parsed query that can be bound and run many times, from several threads.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let dir = tempfile::tempdir()?;
/// # let engine = meetql::Engine::open(dir.path())?;
/// let q = engine.prepare("meetings where org = $org and date >= $since count")?;
/// let n = q.bind("org", "OSCE").bind("since", "2024-01".parse::<meetql::PartialDate>()?).run()?;
/// assert_eq!(n.total(), Some(0));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Prepared {
    engine: Engine,
    text: Arc<str>,
    statement: Statement,
}

/// A prepared query with some parameters bound; [`Bound::run`] runs it.
#[derive(Clone)]
pub struct Bound<'a> {
    prepared: &'a Prepared,
    params: Params,
}

impl Prepared {
    /// Binds `$name` (without `$`) to a value: a `&str`, an integer or a [`crate::PartialDate`].
    pub fn bind(&self, name: &str, value: impl Into<Literal>) -> Bound<'_> {
        Bound { prepared: self, params: Params::new() }.bind(name, value)
    }

    /// Runs with the given parameters.
    pub fn run_with(&self, params: &Params) -> Result<QueryResult> {
        self.engine.execute(&self.statement, params).map_err(|e| locate(e, "<query>", &self.text))
    }

    /// Runs with no parameters bound.
    pub fn run(&self) -> Result<QueryResult> {
        self.run_with(&Params::new())
    }

    /// The parsed statement.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }
}

impl Bound<'_> {
    /// Binds one more parameter.
    pub fn bind(mut self, name: &str, value: impl Into<Literal>) -> Self {
        self.params.insert(name.trim_start_matches('$').to_string(), value.into());
        self
    }

    /// Runs the query.
    pub fn run(&self) -> Result<QueryResult> {
        self.prepared.run_with(&self.params)
    }
}

/// Attaches the source to a query error so that it shows `origin:line:col` and the caret.
pub fn locate(e: Error, origin: &str, text: &str) -> Error {
    match e {
        Error::Query(q) if q.location.is_none() => Error::Query(Box::new(q.locate(origin, text))),
        other => other,
    }
}

fn shape_of(plan: &Plan) -> Shape {
    match &plan.output {
        Output::Meetings if plan.select.is_empty() => Shape::Meetings,
        Output::Meetings => {
            let mut cols = vec!["id".to_string()];
            cols.extend(plan.select.iter().map(|s| s.name().to_string()).filter(|n| n != "id"));
            Shape::Selected(cols)
        }
        Output::Total | Output::FacetTotal(_) => Shape::Total,
        Output::CountBy(k) => Shape::Counts(k.name().to_string()),
        Output::Facet(f) => Shape::Counts(f.name().to_string()),
    }
}

impl Engine {
    /// Opens the database at `path`, creating it when absent. Fails with [`Error::Open`] when
    /// another process holds it, its files are damaged, or its format is not this version's.
    pub fn open(path: impl AsRef<Path>) -> Result<Engine> {
        Engine::open_held(path, Hold::Long)
    }

    /// [`Engine::open`] for a process that holds the database as `hold` says: a command that
    /// runs a few statements and exits opens with [`Hold::Brief`] (no background thread).
    pub fn open_held(path: impl AsRef<Path>, hold: Hold) -> Result<Engine> {
        let store = Store::open_held(path.as_ref(), hold)?;
        Ok(Engine { inner: Arc::new(Inner { store, lock: RwLock::new(()) }) })
    }

    /// The database directory.
    pub fn path(&self) -> &Path {
        self.inner.store.path()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, ()> {
        self.inner.lock.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, ()> {
        self.inner.lock.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Inserts one record (replacing the record with its id), durably: it is on disk when this
    /// returns. An empty id is derived from the content.
    pub fn insert(&self, mut m: Meeting) -> Result<()> {
        m.ensure_id();
        let _w = self.write();
        self.inner.store.write(vec![m])
    }

    /// Imports one file of a known format, all or nothing: on error nothing of it is visible.
    /// Returns the number of records. A big file is parsed on a second thread while this one
    /// stages the records (see [`crate::ingest`]).
    pub fn import_file(&self, path: &Path, format: Format) -> Result<usize> {
        Ok(self.import_file_counted(path, format)?.given as usize)
    }

    fn import_file_counted(&self, path: &Path, format: Format) -> Result<crate::storage::Committed> {
        self.import_with(&[], |import| ingest::read_file_for_import(path, format, &mut |m| import.add(m), None))
    }

    /// Stages records with `fill`, then makes them visible at once under the write lock,
    /// together with the org aliases they come with. Nothing is visible if `fill` fails.
    fn import_with(
        &self,
        aliases: &[(String, String)],
        fill: impl FnOnce(&mut crate::storage::Import<'_>) -> Result<usize>,
    ) -> Result<crate::storage::Committed> {
        let mut import = self.inner.store.begin_import();
        fill(&mut import)?;
        let _w = self.write();
        let done = import.commit()?;
        if !aliases.is_empty() {
            self.inner.store.add_aliases(aliases)?;
        }
        Ok(done)
    }

    /// Imports a report (`.txt`), all or nothing, and returns what the extractor gave: the
    /// meetings imported, the aliases the report defines, and why it was skipped when it gave no
    /// meeting (nothing is written then).
    pub fn import_report(&self, path: &Path) -> Result<ingest::report::Extraction> {
        let x = ingest::read_report_file(path)?;
        if !x.meetings.is_empty() {
            self.import_with(&x.aliases, |import| {
                x.meetings.iter().try_for_each(|m| import.add(m.clone()))?;
                Ok(x.meetings.len())
            })?;
        }
        Ok(x)
    }

    /// Imports records in `format` from a reader (standard input, an embedded corpus), all or
    /// nothing; `origin` names the input in errors.
    pub fn import_reader(&self, origin: &str, reader: impl std::io::BufRead, format: Format) -> Result<usize> {
        Ok(self.import_with(&[], |import| ingest::read_from(reader, origin, format, &mut |m| import.add(m)))?.given
            as usize)
    }

    /// Imports files and directories (recursively) as `meetql import` does: each file whole or
    /// not at all. Stops at the first failing file and returns its error; files before it stay
    /// imported.
    pub fn import_path(&self, path: impl AsRef<Path>) -> Result<ImportSummary> {
        self.import_paths(&[path.as_ref().to_path_buf()], &mut |_, _| {})
    }

    /// Imports several paths, calling `progress(file, records)` after each file.
    ///
    /// Reports (`.txt`) are extracted one by one and committed in groups of up to
    /// [`REPORT_GROUP`] consecutive files, each file's meetings whole in one group, so that
    /// thousands of small reports do not cost a durable commit each.
    pub fn import_paths(&self, paths: &[PathBuf], progress: &mut dyn FnMut(&Path, usize)) -> Result<ImportSummary> {
        let mut summary = ImportSummary::default();
        let mut group: Vec<(PathBuf, ingest::report::Extraction)> = Vec::new();
        let result = (|| {
            for (file, format) in ingest::collect_files(paths)? {
                if format == Format::Report {
                    let x = ingest::read_report_file(&file)?;
                    group.push((file, x));
                    if group.len() >= REPORT_GROUP {
                        self.commit_reports(&mut group, &mut summary, progress)?;
                    }
                    continue;
                }
                self.commit_reports(&mut group, &mut summary, progress)?;
                let c = self.import_file_counted(&file, format)?;
                summary.count(c);
                let n = c.given as usize;
                progress(&file, n);
                summary.records += n;
                summary.files.push((file, n));
            }
            Ok(())
        })();
        // Reports read before a failing file stay imported, as other files do.
        let flushed = self.commit_reports(&mut group, &mut summary, progress);
        result.and(flushed).map(|_| summary)
    }

    fn commit_reports(
        &self,
        group: &mut Vec<(PathBuf, ingest::report::Extraction)>,
        summary: &mut ImportSummary,
        progress: &mut dyn FnMut(&Path, usize),
    ) -> Result<()> {
        if group.is_empty() {
            return Ok(());
        }
        // The alias table: "Full Name (ACR)" in a report makes both names one org everywhere.
        let aliases: Vec<(String, String)> =
            group.iter().filter(|(_, x)| !x.meetings.is_empty()).flat_map(|(_, x)| x.aliases.clone()).collect();
        let c = self.import_with(&aliases, |import| {
            group.iter().flat_map(|(_, x)| &x.meetings).try_for_each(|m| import.add(m.clone()))?;
            Ok(0)
        })?;
        summary.count(c);
        for (file, x) in group.drain(..) {
            let n = x.meetings.len();
            for a in x.aliases {
                if !summary.aliases.contains(&a) {
                    summary.aliases.push(a);
                }
            }
            if let Some(why) = x.skipped {
                summary.skipped.push((file.clone(), why));
            }
            progress(&file, n);
            summary.records += n;
            summary.files.push((file, n));
        }
        Ok(())
    }

    /// Imports several paths as [`Engine::import_paths`] does, but skipping bad lines (as
    /// `meetql import --skip-bad`): each rejected line goes to `rejected` (its error names the
    /// file and line and says why) and the good lines of the file are imported, still all at
    /// once. Errors that leave no next line to go on from stop the file as before (see
    /// [`crate::ingest`]). For each file, records imported + lines rejected = lines read.
    pub fn import_paths_skipping_bad(
        &self,
        paths: &[PathBuf],
        progress: &mut dyn FnMut(&Path, usize),
        rejected: &mut dyn FnMut(crate::DataError),
    ) -> Result<ImportSummary> {
        let mut summary = ImportSummary::default();
        for (file, format) in ingest::collect_files(paths)? {
            if format == Format::Report {
                // A report has no lines to skip: it is extracted whole, as without --skip-bad.
                let x = self.import_report(&file)?;
                let n = x.meetings.len();
                if let Some(why) = x.skipped {
                    summary.skipped.push((file.clone(), why));
                }
                progress(&file, n);
                summary.records += n;
                summary.files.push((file, n));
                continue;
            }
            let c = self.import_with(&[], |import| {
                ingest::read_file_for_import(&file, format, &mut |m| import.add(m), Some(&mut *rejected))
            })?;
            summary.count(c);
            let n = c.given as usize;
            progress(&file, n);
            summary.records += n;
            summary.files.push((file, n));
        }
        Ok(summary)
    }

    /// Parses and runs one statement (a query or `explain`).
    pub fn query(&self, text: &str) -> Result<QueryResult> {
        let statement = parse_statement(text).map_err(|e| Error::from(e.locate("<query>", text)))?;
        self.execute(&statement, &Params::new()).map_err(|e| locate(e, "<query>", text))
    }

    /// Parses a statement once for [`Prepared::bind`] and [`Prepared::run`].
    pub fn prepare(&self, text: &str) -> Result<Prepared> {
        let statement = parse_statement(text).map_err(|e| Error::from(e.locate("<query>", text)))?;
        Ok(Prepared { engine: self.clone(), text: text.into(), statement })
    }

    /// Plans a parsed query with parameters bound (errors carry spans, not yet located).
    pub fn plan(&self, q: &Query, params: &Params) -> Result<Plan> {
        let _r = self.read();
        self.plan_held(q, params)
    }

    /// [`Engine::plan`] for a caller that holds the read lock (the aliases it reads are those
    /// of the state the query then runs on).
    fn plan_held(&self, q: &Query, params: &Params) -> Result<Plan> {
        let snap = self.inner.store.snapshot();
        let lookup = |name: &str| -> Vec<String> {
            // The alias graph is tiny per name; follow it transitively, a few steps at most.
            let mut seen = vec![name.to_string()];
            let mut i = 0;
            while i < seen.len() && seen.len() < 16 {
                for a in snap.aliases(&seen[i]).unwrap_or_default() {
                    if !seen.contains(&a) {
                        seen.push(a);
                    }
                }
                i += 1;
            }
            seen.split_off(1)
        };
        let indexes = plan::Indexes { text: snap.has_text_index() };
        Ok(plan::plan_with(q, params, &lookup, indexes)?)
    }

    /// Records that each pair names one organisation (an acronym and its full name, as a
    /// report's "Full Name (ACR)" says): from then on `org = ` either name finds both.
    pub fn add_aliases(&self, pairs: &[(String, String)]) -> Result<()> {
        let _w = self.write();
        self.inner.store.add_aliases(pairs)
    }

    /// Runs a parsed statement and collects its rows.
    pub fn execute(&self, statement: &Statement, params: &Params) -> Result<QueryResult> {
        self.execute_cancellable(statement, params, None)
    }

    /// [`Engine::execute`] that stops with [`Error::Interrupted`] soon after `cancel` is set.
    pub fn execute_cancellable(
        &self,
        statement: &Statement,
        params: &Params,
        cancel: Option<&std::sync::atomic::AtomicBool>,
    ) -> Result<QueryResult> {
        match statement {
            Statement::Query(q) => {
                struct Collect(Shape, Vec<Row>);
                impl RowSink for Collect {
                    fn start(&mut self, shape: &Shape) -> Result<()> {
                        self.0 = shape.clone();
                        Ok(())
                    }
                    fn row(&mut self, row: Row) -> Result<More> {
                        self.1.push(row);
                        Ok(true)
                    }
                }
                let mut sink = Collect(Shape::Total, Vec::new());
                let s = self.stream(q, params, &mut sink, cancel)?;
                Ok(QueryResult {
                    shape: sink.0,
                    rows: sink.1,
                    plan: None,
                    records_read: s.records_read,
                    notes: s.notes,
                })
            }
            Statement::Explain(q) => {
                let _r = self.read();
                let plan = self.plan_held(q, params)?;
                let notes = self.notes_held(&plan);
                Ok(QueryResult {
                    shape: Shape::Plan,
                    rows: Vec::new(),
                    plan: Some(plan.to_string()),
                    records_read: 0,
                    notes,
                })
            }
            Statement::Let { span, .. } | Statement::Expect { span, .. } => {
                Err(QueryError::new(QueryErrorKind::Syntax, *span, "'let' and 'expect' belong in scripts")
                    .expected("a query or 'explain'; run scripts with `meetql run`")
                    .into())
            }
        }
    }

    /// Plans and runs a query under one read lock (the plan is made for the state it runs on),
    /// handing `sink` the result's shape once planned, then each row as it is found (stop by
    /// returning `false`), so that large results need no memory. Returns the records decoded
    /// and the notes on values the query asks for that no meeting has.
    pub fn stream(
        &self,
        q: &Query,
        params: &Params,
        sink: &mut dyn RowSink,
        cancel: Option<&std::sync::atomic::AtomicBool>,
    ) -> Result<Streamed> {
        let _r = self.read();
        let plan = self.plan_held(q, params)?;
        sink.start(&shape_of(&plan))?;
        let exec = Executor::new(&self.inner.store, cancel);
        exec.run(&plan, &mut |r| sink.row(r))?;
        Ok(Streamed { records_read: exec.read.get(), notes: self.notes_held(&plan) })
    }

    /// Notes for the values the plan looks up by equality that no meeting has, each with the
    /// closest stored value when there is one: `org = "UNRCA"` → did you mean "UNRCCA"?
    fn notes_held(&self, plan: &Plan) -> Vec<String> {
        plan.looked_up.iter().filter_map(|(field, value)| self.value_note(*field, value)).collect()
    }

    fn value_note(&self, field: crate::fields::MeetingField, value: &str) -> Option<String> {
        let ix = field.index()?;
        let folded = crate::fields::fold(value);
        if folded.is_empty() {
            return None;
        }
        let snap = self.inner.store.snapshot();
        let values = |prefix: &str, limit| snap.values(ix, &crate::fields::fold_pattern(prefix), limit);
        if values(&folded, 8).ok()?.iter().any(|(f, _, _)| *f == folded) {
            return None;
        }
        // Candidates share the first character (a typo rarely hits it), served by the index.
        let first: String = folded.chars().take(1).collect();
        let pool = values(&first, 5000).ok()?;
        let best = crate::error::closest(value.trim(), pool.iter().map(|(_, v, _)| v.as_str()));
        let (name, value) = (field.name(), Literal::Str(value.trim().to_string()));
        Some(match best {
            Some(b) => format!("no meeting has {name} {value}; did you mean {}?", Literal::Str(b.to_string())),
            None => format!("no meeting has {name} {value}"),
        })
    }

    /// Runs a plan, handing each row to `sink` as it is found (stop by returning `false`), so
    /// that large results need no memory. Returns the number of records decoded.
    pub fn stream_plan(&self, plan: &Plan, sink: &mut dyn FnMut(Row) -> Result<More>) -> Result<u64> {
        self.stream_plan_cancellable(plan, sink, None)
    }

    /// [`Engine::stream_plan`] that stops with [`Error::Interrupted`] soon after `cancel` is set
    /// (from another thread: the REPL's Ctrl-C), releasing the database at once.
    pub fn stream_plan_cancellable(
        &self,
        plan: &Plan,
        sink: &mut dyn FnMut(Row) -> Result<More>,
        cancel: Option<&std::sync::atomic::AtomicBool>,
    ) -> Result<u64> {
        let _r = self.read();
        let exec = Executor::new(&self.inner.store, cancel);
        exec.run(plan, sink)?;
        Ok(exec.read.get())
    }

    /// The shape of the rows a plan yields.
    pub fn shape(&self, plan: &Plan) -> Shape {
        shape_of(plan)
    }

    /// Every record matching `query` (all when `None`), in the default order, to `sink`.
    pub fn export(&self, query: Option<&str>, sink: &mut dyn FnMut(&Meeting) -> Result<()>) -> Result<u64> {
        let q = match query {
            Some(text) => match parse_statement(text).map_err(|e| Error::from(e.locate("<query>", text)))? {
                Statement::Query(q)
                    if q.collection == Collection::Meetings && q.count.is_none() && q.select.is_empty() =>
                {
                    q
                }
                _ => {
                    return Err(QueryError::new(
                        QueryErrorKind::Syntax,
                        crate::lang::ast::Span::new(0, text.len()),
                        "export takes a 'meetings' query without count or select",
                    )
                    .locate("<query>", text)
                    .into())
                }
            },
            None => crate::lang::parse_query("meetings").expect("the empty query parses"),
        };
        let plan = self.plan(&q, &Params::new()).map_err(|e| match query {
            Some(t) => locate(e, "<query>", t),
            None => e,
        })?;
        let mut n = 0;
        self.stream_plan(&plan, &mut |r| {
            if let Row::Meeting(m) = r {
                sink(&m)?;
                n += 1;
            }
            Ok(true)
        })?;
        Ok(n)
    }

    /// The number of records.
    pub fn len(&self) -> Result<u64> {
        let _r = self.read();
        self.inner.store.len()
    }

    /// Whether the database holds no record.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Bytes on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        self.inner.store.size_on_disk()
    }

    /// Stored values of an indexed field that start with `prefix` (case-insensitive), each
    /// spelled as stored, with its number of meetings: for completion and "did you mean".
    pub fn values(&self, field: crate::fields::MeetingField, prefix: &str, limit: usize) -> Result<Vec<(String, u64)>> {
        let Some(ix) = field.index() else { return Ok(Vec::new()) };
        let _r = self.read();
        Ok(self
            .inner
            .store
            .snapshot()
            .values(ix, &crate::fields::fold_pattern(prefix), limit)?
            .into_iter()
            .map(|(_, spelling, n)| (spelling, n))
            .collect())
    }

    /// Verifies the database: records decode, indexes
    /// agree with records, counts agree. Reports at most 100 problems.
    pub fn check(&self) -> Result<CheckReport> {
        let _r = self.read();
        self.inner.store.check(100)
    }

    /// Closes the engine and opens its database once more, so that sled writes a snapshot of
    /// its log: after a bulk import this moves the cost of replaying the whole log from the
    /// next open (every later query process) to this call. Does nothing but close when other
    /// clones of the engine are still alive.
    pub fn close_and_checkpoint(self) -> Result<()> {
        let path = self.path().to_path_buf();
        match Arc::try_unwrap(self.inner) {
            Ok(inner) => {
                inner.store.flush()?;
                drop(inner);
                // Between the drop and this open another process may take the database (a
                // query waiting for it): its own open then does the recovery this one would,
                // so the import has still succeeded.
                match Store::open(&path) {
                    Ok(store) => drop(store),
                    Err(e) if e.is_busy() => {}
                    Err(e) => return Err(e),
                }
                Ok(())
            }
            Err(_) => Ok(()),
        }
    }

    /// Makes all writes durable.
    pub fn flush(&self) -> Result<()> {
        self.inner.store.flush()
    }
}

/// Whether a `count by` key of this plan is a date bucket (for bar charts).
pub fn is_timeline(plan: &Plan) -> bool {
    matches!(plan.output, Output::CountBy(Key::Year | Key::Month))
}

/// Whether a query is a bare `count`.
pub fn is_total(q: &Query) -> bool {
    matches!(q.count, Some(Count::Total))
}
