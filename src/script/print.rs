//! Scripts printed in an output format (feature `cli`): what `meetql run`, `meetql query` and
//! the shell do with a script's results.

use std::io::Write;

use super::statement_header;
use crate::error::{Error, Result};
use crate::lang::ast::Statement;
use crate::lang::ScriptItem;
use crate::output::{write_plan, OutputFormat, RowWriter, TableOptions};
use crate::{Engine, More, Params, Row, RowSink, Shape};

/// How to run a script.
#[derive(Debug, Clone)]
pub struct ScriptOptions {
    /// Output format.
    pub format: OutputFormat,
    /// Parameters from outside; they win over the script's `let`.
    pub params: Params,
    /// Go on after a failing statement (and fail at the end).
    pub keep_going: bool,
    /// Table options.
    pub table: TableOptions,
    /// Set from another thread to stop the running statement (and the script).
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl Default for ScriptOptions {
    fn default() -> Self {
        ScriptOptions {
            format: OutputFormat::Jsonl,
            params: Params::new(),
            keep_going: false,
            table: TableOptions::default(),
            cancel: None,
        }
    }
}

/// Runs `text` (from `origin`, a path, `<stdin>` or `<query>`) against `engine`, writing each
/// statement's result to `out` in `opts.format` (the module documentation says how statements
/// are separated). Dot-command lines (`.mode csv`, `.headers off`, ...) run in their place, as
/// in the shell (see [`crate::session`]). Returns the first failure; with `keep_going`, prints
/// each failure to stderr as `error: ...`, goes on, and returns an error after the last
/// statement when any failed. Output of the statements before a failure is complete and
/// flushed.
///
/// In `table` and `line` modes each result is preceded by its statement's first line as a
/// `-- ` comment, except for a single inline query (`origin` `<query>` holding one statement).
pub fn run_script(engine: &Engine, origin: &str, text: &str, opts: &ScriptOptions, out: &mut dyn Write) -> Result<()> {
    let mut session = crate::session::Session::new(engine.clone());
    session.format = opts.format;
    session.outside = opts.params.clone();
    session.bail = !opts.keep_going;
    session.table = opts.table;
    session.max_rows = opts.table.max_rows;
    session.headers = !opts.table.hide_headers;
    session.cancel = opts.cancel.clone();
    let r = session.run_text(origin, text, out, &mut std::io::stderr());
    let finished = session.finish();
    let flushed = out.flush().map_err(io_err);
    r.map(|_| ()).and(finished).and(flushed)
}

/// Writes one statement's result: the blank line between statements and the header once the
/// query is planned (a statement that cannot run prints nothing), then its rows as they come.
struct StatementOut<'a> {
    opts: &'a ScriptOptions,
    header: Option<String>,
    first: bool,
    out: Option<&'a mut dyn Write>,
    writer: Option<RowWriter<'a>>,
    rows: u64,
    total: Option<u64>,
    io_failure: Option<std::io::Error>,
}

/// The separator and header before a statement's result.
fn lead(out: &mut dyn Write, opts: &ScriptOptions, header: Option<&str>, first: bool) -> std::io::Result<()> {
    let human = matches!(opts.format, OutputFormat::Table | OutputFormat::Line);
    if !first && (human || opts.format == OutputFormat::Csv) {
        writeln!(out)?;
    }
    match header {
        Some(h) if human => writeln!(out, "{h}"),
        _ => Ok(()),
    }
}

impl RowSink for StatementOut<'_> {
    fn start(&mut self, shape: &Shape) -> Result<()> {
        if let Some(out) = self.out.take() {
            lead(out, self.opts, self.header.as_deref(), self.first).map_err(io_err)?;
            self.writer = Some(RowWriter::new(self.opts.format, shape.clone(), out, self.opts.table));
        }
        Ok(())
    }

    fn row(&mut self, r: Row) -> Result<More> {
        self.rows += 1;
        if let Row::Total { count } = r {
            self.total = Some(count);
        }
        match self.writer.as_mut().map(|w| w.row(r)) {
            Some(Err(e)) => {
                self.io_failure = Some(e);
                Ok(false)
            }
            _ => Ok(true),
        }
    }
}

/// Writes one query's or `explain`'s result to `out`; returns the number `expect` compares
/// (none for `explain`) and the statement's notes ([`crate::QueryResult::notes`]) for the
/// caller to print where it prints notes.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_statement(
    engine: &Engine,
    text: &str,
    item: &ScriptItem,
    params: &Params,
    opts: &ScriptOptions,
    headers: bool,
    printed: usize,
    out: &mut dyn Write,
) -> Result<(Option<u64>, Vec<String>)> {
    let header = headers.then(|| statement_header(text, item));
    let cancel = opts.cancel.as_deref();
    let query = match &item.statement {
        Statement::Query(q) => q,
        Statement::Explain(_) => {
            // Planned first: a statement that cannot run prints nothing, not even its header.
            let r = engine.execute_cancellable(&item.statement, params, cancel)?;
            lead(out, opts, header.as_deref(), printed == 0).map_err(io_err)?;
            write_plan(opts.format, r.plan.as_deref().unwrap_or(""), out).and_then(|_| out.flush()).map_err(io_err)?;
            return Ok((None, r.notes));
        }
        _ => return Ok((None, Vec::new())),
    };
    let mut sink = StatementOut {
        opts,
        header,
        first: printed == 0,
        out: Some(out),
        writer: None,
        rows: 0,
        total: None,
        io_failure: None,
    };
    let streamed = engine.stream(query, params, &mut sink, cancel)?;
    if let Some(e) = sink.io_failure {
        return Err(io_err(e));
    }
    if let Some(w) = sink.writer {
        w.finish().map_err(io_err)?;
    }
    Ok((Some(sink.total.unwrap_or(sink.rows)), streamed.notes))
}

pub(crate) fn io_err(e: std::io::Error) -> Error {
    Error::Io { path: "<output>".into(), source: e }
}
