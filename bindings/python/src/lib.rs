//! The native half of the `meetql` Python package (`meetql._native`); the Python half
//! (`python/meetql/__init__.py`) re-exports it and defines the exception classes.
//!
//! Every call that touches the database runs with the GIL released, so Python threads query
//! in parallel. Rows become Python dicts one at a time, as they are iterated.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use meetql::lang::ast::Statement;
use meetql::{Literal, Params, PartialDate, QueryResult, Row, Shape};
use meetql_ffi_core::{Cursor as RowCursor, Db, Error, Item, Query, DEFAULT_BUSY_TIMEOUT};
use pyo3::exceptions::{PyIndexError, PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

/// Builds the package's exception for an error (the classes live in `meetql/__init__.py`).
/// `text` is the query the error is about, when there is one, for character offsets.
fn to_py(py: Python<'_>, e: Error, text: Option<&str>) -> PyErr {
    match build_error(py, &e, text) {
        Ok(err) => err,
        Err(_) => PyRuntimeError::new_err(e.to_string()),
    }
}

fn build_error(py: Python<'_>, e: &Error, text: Option<&str>) -> PyResult<PyErr> {
    let module = py.import("meetql")?;
    let message = e.to_string();
    let (class, args): (&str, Bound<'_, PyTuple>) = match e {
        _ if e.is_busy() => ("DatabaseBusy", (message, path_of(e)).into_pyobject(py)?),
        Error::Engine(meetql::Error::Query(q)) => {
            let (line, column) = q.location.as_ref().map_or((None, None), |l| (Some(l.line), Some(l.col)));
            // Character offsets into the query, so that `text[start:end]` is the part meant.
            let chars = |b: usize| text.map_or(b, |t| t.get(..b.min(t.len())).map_or(b, |s| s.chars().count()));
            let span = (chars(q.span.start), chars(q.span.end));
            let kind = format!("{:?}", q.kind);
            (
                "QueryError",
                (
                    message,
                    q.message.clone(),
                    line,
                    column,
                    span,
                    snake(&kind),
                    q.expected.clone(),
                    q.suggestion.clone(),
                )
                    .into_pyobject(py)?,
            )
        }
        Error::Engine(meetql::Error::Data(d)) => {
            ("DataError", (message, d.origin.clone(), d.line, d.message.clone()).into_pyobject(py)?)
        }
        Error::Engine(meetql::Error::Io { path, source }) => {
            ("DataError", (message, path.display().to_string(), None::<usize>, source.to_string()).into_pyobject(py)?)
        }
        Error::Engine(meetql::Error::Interrupted) => {
            return Ok(pyo3::exceptions::PyKeyboardInterrupt::new_err(message))
        }
        Error::Engine(_) | Error::Closed(_) => ("DatabaseError", (message, path_of(e)).into_pyobject(py)?),
    };
    let value = module.getattr(class)?.call1(args)?;
    Ok(PyErr::from_value(value))
}

fn path_of(e: &Error) -> Option<String> {
    match e {
        Error::Engine(meetql::Error::Open { path, .. }) | Error::Closed(path) => Some(path.display().to_string()),
        _ => None,
    }
}

/// `UnknownField` → `unknown_field`.
fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Reads keyword arguments as query parameters: `str`, `int` or `datetime.date`.
fn params_of(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>, into: &mut Params) -> PyResult<()> {
    let Some(kwargs) = kwargs else { return Ok(()) };
    let date_type = py.import("datetime")?.getattr("date")?;
    for (k, v) in kwargs.iter() {
        let name: String = k.extract()?;
        let lit = if v.is_instance_of::<pyo3::types::PyBool>() {
            return Err(PyTypeError::new_err(format!(
                "parameter '{name}': expected str, int or datetime.date, got bool"
            )));
        } else if v.is_instance_of::<PyString>() {
            Literal::Str(v.extract()?)
        } else if v.is_instance_of::<pyo3::types::PyInt>() {
            let n: i64 = v.extract().map_err(|_| {
                PyTypeError::new_err(format!("parameter '{name}': {v} does not fit in a 64-bit integer"))
            })?;
            Literal::Int(n)
        } else if v.is_instance(&date_type)? {
            let iso: String = v.call_method0("isoformat")?.extract()?;
            let day: PartialDate = iso
                .get(..10)
                .unwrap_or(&iso)
                .parse()
                .map_err(|e: meetql::model::DateError| PyTypeError::new_err(format!("parameter '{name}': {e}")))?;
            Literal::Date(day)
        } else {
            let ty = v.get_type().name()?;
            return Err(PyTypeError::new_err(format!(
                "parameter '{name}': expected str, int or datetime.date, got {ty}"
            )));
        };
        into.insert(name, lit);
    }
    Ok(())
}

fn shape_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::Meetings => "meetings",
        Shape::Selected(_) => "selected",
        Shape::Counts(_) => "counts",
        Shape::Total => "total",
        Shape::Plan => "plan",
    }
}

fn columns_of(shape: &Shape) -> Option<Vec<String>> {
    match shape {
        Shape::Selected(cols) => Some(cols.clone()),
        Shape::Counts(_) => Some(vec!["value".into(), "count".into()]),
        Shape::Total => Some(vec!["count".into()]),
        Shape::Meetings | Shape::Plan => None,
    }
}

fn to_dict<'py>(py: Python<'py>, item: &Item) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, item).map_err(|e| PyRuntimeError::new_err(format!("a row did not convert: {e}")))
}

/// An open MeetQL database. Use it as a context manager to close it on exit.
#[pyclass(module = "meetql", frozen)]
struct Database {
    db: Arc<Db>,
}

/// A list of `{"path": ..., KEY: value}` dicts, one per `(path, value)` of an import summary.
fn path_list<'py, T: pyo3::IntoPyObject<'py> + Clone>(
    py: Python<'py>,
    key: &str,
    items: &[(PathBuf, T)],
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for (p, v) in items {
        let f = PyDict::new(py);
        f.set_item("path", p.display().to_string())?;
        f.set_item(key, v.clone())?;
        list.append(f)?;
    }
    Ok(list)
}

#[pymethods]
impl Database {
    /// Inserts one meeting record (a dict of the record's JSON form), durably, replacing the
    /// record with its id. Raises DataError for a record the importer would reject.
    fn insert(&self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<()> {
        if !record.is_instance_of::<PyDict>() {
            return Err(PyTypeError::new_err("insert takes a dict (a meeting record)"));
        }
        let json: String = py.import("json")?.call_method1("dumps", (record,))?.extract()?;
        let db = self.db.clone();
        py.detach(move || db.insert_json("<insert>", &json)).map_err(|e| to_py(py, e, None))
    }

    /// Imports a file (.jsonl, .json, .csv, .txt report) or a directory of them, each file
    /// whole or not at all. Returns the summary: files (path and records each), records,
    /// skipped reports (path and reason) and the aliases the reports defined.
    fn import_path<'py>(&self, py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyDict>> {
        let db = self.db.clone();
        let s = py.detach(move || db.import_path(&path)).map_err(|e| to_py(py, e, None))?;
        let out = PyDict::new(py);
        out.set_item("files", path_list(py, "records", &s.files)?)?;
        out.set_item("records", s.records)?;
        out.set_item("skipped", path_list(py, "reason", &s.skipped)?)?;
        out.set_item("aliases", s.aliases.clone())?;
        Ok(out)
    }

    /// Runs a query with `$name` parameters given as keyword arguments; returns its Result.
    #[pyo3(signature = (text, **params))]
    fn query(&self, py: Python<'_>, text: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<QueryResultPy> {
        self.prepare(py, text)?.run(py, params)
    }

    /// Streams a query's rows: a Cursor that finds rows while they are read.
    #[pyo3(signature = (text, **params))]
    fn stream(&self, py: Python<'_>, text: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<CursorPy> {
        self.prepare(py, text)?.stream(py, params)
    }

    /// Parses a query once, to bind and run many times.
    fn prepare(&self, py: Python<'_>, text: &str) -> PyResult<Prepared> {
        let db = self.db.clone();
        let owned = text.to_string();
        let query = py.detach(move || db.prepare(&owned)).map_err(|e| to_py(py, e, Some(text)))?;
        Ok(Prepared { db: self.db.clone(), query, params: Params::new() })
    }

    /// The plan of a query, as `explain` prints it.
    #[pyo3(signature = (text, **params))]
    fn explain(&self, py: Python<'_>, text: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
        let mut p = Params::new();
        params_of(py, params, &mut p)?;
        let db = self.db.clone();
        let owned = text.to_string();
        py.detach(move || db.explain(&owned, &p)).map_err(|e| to_py(py, e, Some(text)))
    }

    /// Closes the database: later calls raise DatabaseError, open cursors end with one.
    fn close(&self, py: Python<'_>) {
        let db = self.db.clone();
        py.detach(move || {
            if let Ok(engine) = db.engine() {
                let _ = engine.flush();
            }
            db.close()
        });
    }

    /// Whether close() was called.
    #[getter]
    fn closed(&self) -> bool {
        self.db.is_closed()
    }

    /// The database directory.
    #[getter]
    fn path(&self) -> String {
        self.db.path().display().to_string()
    }

    /// The number of records.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        let db = self.db.clone();
        let n = py.detach(move || db.engine().and_then(|e| Ok(e.len()?))).map_err(|e| to_py(py, e, None))?;
        Ok(n as usize)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        let state = if self.db.is_closed() { " (closed)" } else { "" };
        format!("<meetql.Database {:?}{state}>", self.db.path().display().to_string())
    }
}

/// A parsed query with the parameters bound so far.
#[pyclass(module = "meetql", frozen)]
struct Prepared {
    db: Arc<Db>,
    query: Query,
    params: Params,
}

impl Prepared {
    fn with(&self, py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Params> {
        let mut p = self.params.clone();
        params_of(py, kwargs, &mut p)?;
        Ok(p)
    }
}

#[pymethods]
impl Prepared {
    /// A copy with more parameters bound (keyword arguments: str, int or datetime.date).
    #[pyo3(signature = (**params))]
    fn bind(&self, py: Python<'_>, params: Option<&Bound<'_, PyDict>>) -> PyResult<Prepared> {
        Ok(Prepared { db: self.db.clone(), query: self.query.clone(), params: self.with(py, params)? })
    }

    /// Runs the query (keyword arguments bind more parameters for this run only).
    #[pyo3(signature = (**params))]
    fn run(&self, py: Python<'_>, params: Option<&Bound<'_, PyDict>>) -> PyResult<QueryResultPy> {
        let p = self.with(py, params)?;
        let (db, q) = (self.db.clone(), self.query.clone());
        let result = py.detach(move || db.run(&q, &p)).map_err(|e| to_py(py, e, Some(self.query.text())))?;
        Ok(QueryResultPy { result: Arc::new(result) })
    }

    /// Streams the rows (keyword arguments as for run()).
    #[pyo3(signature = (**params))]
    fn stream(&self, py: Python<'_>, params: Option<&Bound<'_, PyDict>>) -> PyResult<CursorPy> {
        let p = self.with(py, params)?;
        let (db, q) = (self.db.clone(), self.query.clone());
        let cursor = py.detach(move || db.cursor(&q, &p)).map_err(|e| to_py(py, e, Some(self.query.text())))?;
        let shape = cursor.shape().clone();
        Ok(CursorPy {
            db: self.db.clone(),
            text: self.query.text().to_string(),
            shape,
            cursor: Mutex::new(Some(cursor)),
        })
    }

    /// The query's text.
    #[getter]
    fn text(&self) -> &str {
        self.query.text()
    }

    /// Whether this is an `explain`.
    #[getter]
    fn is_explain(&self) -> bool {
        matches!(self.query.statement(), Statement::Explain(_))
    }

    fn __repr__(&self) -> String {
        format!("<meetql.Prepared {:?}>", self.query.text())
    }
}

/// A query's rows, found in full; each becomes a dict as it is read.
#[pyclass(name = "Result", module = "meetql", frozen)]
struct QueryResultPy {
    result: Arc<QueryResult>,
}

/// The i-th item of a result: its rows, then an `explain`'s plan.
fn item_at(r: &QueryResult, i: usize) -> Option<Item> {
    match (r.rows.get(i), &r.plan) {
        (Some(row), _) => Some(Item::Row(row.clone())),
        (None, Some(plan)) if i == r.rows.len() => Some(Item::Plan { plan: plan.clone() }),
        _ => None,
    }
}

fn items(r: &QueryResult) -> usize {
    r.rows.len() + usize::from(r.plan.is_some())
}

#[pymethods]
impl QueryResultPy {
    fn __len__(&self) -> usize {
        items(&self.result)
    }

    fn __iter__(&self) -> ResultIter {
        ResultIter { result: self.result.clone(), next: Mutex::new(0) }
    }

    fn __getitem__<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyAny>> {
        let n = items(&self.result) as isize;
        let i = if index < 0 { index + n } else { index };
        match (i >= 0).then(|| item_at(&self.result, i as usize)).flatten() {
            Some(item) => to_dict(py, &item),
            None => Err(PyIndexError::new_err("result index out of range")),
        }
    }

    /// The meeting records of the result, as dicts (none for counts and facets).
    #[getter]
    fn meetings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for row in &self.result.rows {
            if let Row::Meeting(_) = row {
                list.append(to_dict(py, &Item::Row(row.clone()))?)?;
            }
        }
        Ok(list)
    }

    /// What the rows are: "meetings", "selected", "counts", "total" or "plan".
    #[getter]
    fn shape(&self) -> &'static str {
        shape_name(&self.result.shape)
    }

    /// The keys of each row, in order (None for whole meetings and plans).
    #[getter]
    fn columns(&self) -> Option<Vec<String>> {
        columns_of(&self.result.shape)
    }

    /// The number a bare `count` gave, else None.
    #[getter]
    fn total(&self) -> Option<u64> {
        self.result.total()
    }

    /// The plan of an `explain`, else None.
    #[getter]
    fn plan(&self) -> Option<String> {
        self.result.plan.clone()
    }

    /// How many records were read to answer.
    #[getter]
    fn records_read(&self) -> u64 {
        self.result.records_read
    }

    /// The rows as a pandas DataFrame (needs pandas: pip install pandas).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pandas = py
            .import("pandas")
            .map_err(|_| pyo3::exceptions::PyImportError::new_err("to_pandas needs pandas: pip install pandas"))?;
        let rows = PyList::empty(py);
        for i in 0..items(&self.result) {
            rows.append(to_dict(py, &item_at(&self.result, i).expect("in range"))?)?;
        }
        let kwargs = PyDict::new(py);
        if let Some(cols) = columns_of(&self.result.shape) {
            kwargs.set_item("columns", cols)?;
        }
        pandas.getattr("DataFrame")?.call((rows,), Some(&kwargs))
    }

    fn __repr__(&self) -> String {
        format!("<meetql.Result {} rows of {}>", items(&self.result), shape_name(&self.result.shape))
    }
}

/// Iterates a Result, making each row's dict when it is reached.
#[pyclass(module = "meetql", frozen)]
struct ResultIter {
    result: Arc<QueryResult>,
    next: Mutex<usize>,
}

#[pymethods]
impl ResultIter {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        match item_at(&self.result, *next) {
            Some(item) => {
                *next += 1;
                Ok(Some(to_dict(py, &item)?))
            }
            None => Ok(None),
        }
    }
}

/// A stream of a query's rows: the query runs while the rows are read, a few hundred rows
/// ahead at most, so that a result of any size needs little memory.
#[pyclass(name = "Cursor", module = "meetql", frozen)]
struct CursorPy {
    /// Keeps the database open while the cursor is.
    #[allow(dead_code)]
    db: Arc<Db>,
    text: String,
    shape: Shape,
    cursor: Mutex<Option<RowCursor>>,
}

#[pymethods]
impl CursorPy {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let next = py.detach(|| {
            let mut guard = self.cursor.lock().unwrap_or_else(|p| p.into_inner());
            let next = guard.as_mut().and_then(|c| c.next());
            if !matches!(next, Some(Ok(_))) {
                *guard = None;
            }
            next
        });
        match next {
            None => Ok(None),
            Some(Ok(item)) => Ok(Some(to_dict(py, &item)?)),
            Some(Err(e)) => Err(to_py(py, e, Some(&self.text))),
        }
    }

    /// Stops the query; iterating further gives nothing.
    fn close(&self, py: Python<'_>) {
        py.detach(|| drop(self.cursor.lock().unwrap_or_else(|p| p.into_inner()).take()));
    }

    /// What the rows are: "meetings", "selected", "counts", "total" or "plan".
    #[getter]
    fn shape(&self) -> &'static str {
        shape_name(&self.shape)
    }

    /// The keys of each row, in order (None for whole meetings and plans).
    #[getter]
    fn columns(&self) -> Option<Vec<String>> {
        columns_of(&self.shape)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, PyTuple>) -> bool {
        self.close(py);
        false
    }
}

/// Opens the database at `path`, creating it when absent; waits up to `busy_timeout` seconds
/// while another process holds it, then raises DatabaseBusy.
#[pyfunction]
#[pyo3(signature = (path, busy_timeout = None))]
fn open(py: Python<'_>, path: PathBuf, busy_timeout: Option<f64>) -> PyResult<Database> {
    let timeout = match busy_timeout {
        Some(s) if s.is_finite() && s >= 0.0 => std::time::Duration::from_secs_f64(s.min(1e6)),
        Some(s) => return Err(PyTypeError::new_err(format!("busy_timeout must be a number of seconds >= 0, got {s}"))),
        None => DEFAULT_BUSY_TIMEOUT,
    };
    let db = py.detach(move || Db::open(&path, timeout)).map_err(|e| to_py(py, e, None))?;
    Ok(Database { db: Arc::new(db) })
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(open, m)?)?;
    m.add_class::<Database>()?;
    m.add_class::<Prepared>()?;
    m.add_class::<QueryResultPy>()?;
    m.add_class::<ResultIter>()?;
    m.add_class::<CursorPy>()?;
    Ok(())
}
