//! Scripts printed in an output format (feature `cli`): what `meetql run`, `meetql query` and
//! the shell do with a script's results.

use std::io::Write;

use super::{drive, statement_header};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::exec::Row;
use crate::lang::ast::Statement;
use crate::lang::{parse_script, ScriptItem};
use crate::output::{OutputFormat, RowWriter, TableOptions};
use crate::plan::Params;

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
/// are separated). Returns the first failure; with `keep_going`, prints each failure to stderr
/// as `error: ...`, goes on, and returns an error after the last statement when any failed.
/// Output of the statements before a failure is complete and flushed.
///
/// In `table` and `line` modes each result is preceded by its statement's first line as a
/// `-- ` comment, except for a single inline query (`origin` `<query>` holding one statement).
pub fn run_script(engine: &Engine, origin: &str, text: &str, opts: &ScriptOptions, out: &mut dyn Write) -> Result<()> {
    let mut printed = 0usize;
    let headers = origin != "<query>" || {
        let n = parse_script(text)
            .map(|items| {
                items.iter().filter(|i| matches!(i.statement, Statement::Query(_) | Statement::Explain(_))).count()
            })
            .unwrap_or(0);
        n > 1
    };
    let r = drive(
        origin,
        text,
        &opts.params,
        opts.keep_going,
        &mut |item, params| {
            let r = write_statement(engine, text, item, params, opts, headers, printed, out);
            printed += 1;
            r
        },
        // Each statement's output is flushed when it ends, so this comes after it.
        &mut |e| eprintln!("error: {e}"),
    );
    let flushed = out.flush().map_err(io_err);
    r.and(flushed)
}

#[allow(clippy::too_many_arguments)]
fn write_statement(
    engine: &Engine,
    text: &str,
    item: &ScriptItem,
    params: &Params,
    opts: &ScriptOptions,
    headers: bool,
    printed: usize,
    out: &mut dyn Write,
) -> Result<Option<u64>> {
    let human = matches!(opts.format, OutputFormat::Table | OutputFormat::Line);
    // Plan first: a statement that cannot run prints nothing, not even its header.
    let (query, explain) = match &item.statement {
        Statement::Query(q) => (q, false),
        Statement::Explain(q) => (q, true),
        _ => return Ok(None),
    };
    let plan = engine.plan(query, params)?;
    if printed > 0 && (human || opts.format == OutputFormat::Csv) {
        writeln!(out).map_err(io_err)?;
    }
    if human && headers {
        writeln!(out, "{}", statement_header(text, item)).map_err(io_err)?;
    }
    if explain {
        let explained = plan.explain();
        let j = serde_json::json!({ "plan": explained });
        match opts.format {
            OutputFormat::Json => writeln!(out, "[\n{j}\n]"),
            OutputFormat::Jsonl => writeln!(out, "{j}"),
            OutputFormat::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                let _ = w.write_record(["plan"]);
                let _ = w.write_record([explained.trim_end()]);
                let bytes = w.into_inner().unwrap_or_default();
                out.write_all(&bytes)
            }
            OutputFormat::Table | OutputFormat::Line => writeln!(out, "{}", explained.trim_end()),
        }
        .and_then(|_| out.flush())
        .map_err(io_err)?;
        return Ok(None);
    }
    let mut w = RowWriter::new(opts.format, engine.shape(&plan), out, opts.table);
    let mut rows = 0u64;
    let mut total = None;
    let mut io_failure = None;
    engine.stream_plan_cancellable(
        &plan,
        &mut |r| {
            rows += 1;
            if let Row::Total { count } = r {
                total = Some(count);
            }
            if let Err(e) = w.row(r) {
                io_failure = Some(e);
                return Ok(false);
            }
            Ok(true)
        },
        opts.cancel.as_deref(),
    )?;
    if let Some(e) = io_failure {
        return Err(io_err(e));
    }
    w.finish().map_err(io_err)?;
    Ok(Some(total.unwrap_or(rows)))
}

fn io_err(e: std::io::Error) -> Error {
    Error::Io { path: "<output>".into(), source: e }
}
