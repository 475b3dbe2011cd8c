//! Running scripts: statements separated by `;`, `let` bindings, `--param` values, `expect`
//! checks, each statement's rows written in the chosen format.
//!
//! The whole script is parsed before anything runs, so a syntax error on line 40 runs nothing.
//! A parameter given from outside (`--param`, or the library's `params`) wins over the
//! script's `let` of the same name: a script's `let` is its default.

use std::io::Write;

use crate::engine::{locate, Engine};
use crate::error::{Error, QueryError, QueryErrorKind, Result};
use crate::exec::Row;
use crate::lang::ast::{CmpOp, Statement, Value, ValueKind};
use crate::lang::parse_script;
use crate::output::{OutputFormat, RowWriter, TableOptions};
use crate::plan::{Literal, Params};

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
}

impl Default for ScriptOptions {
    fn default() -> Self {
        ScriptOptions { format: OutputFormat::Jsonl, params: Params::new(), keep_going: false, table: TableOptions::default() }
    }
}

fn resolve(v: &Value, params: &Params) -> std::result::Result<Literal, QueryError> {
    Ok(match &v.kind {
        ValueKind::Str(s) => Literal::Str(s.clone()),
        ValueKind::Date(d) => Literal::Date(*d),
        ValueKind::Int(i) => Literal::Int(*i),
        ValueKind::Param(name) => params.get(name).cloned().ok_or_else(|| {
            QueryError::new(QueryErrorKind::UnboundParameter, v.span, format!("parameter ${name} is not bound"))
                .expected(format!("a value for ${name}: bind it with `let ${name} = ...;` or `--param {name}=...`"))
        })?,
    })
}

/// Runs `text` (from `origin`, a path or `<stdin>`) against `engine`, writing each statement's
/// rows to `out`. Returns an error for the first failure (or, with `keep_going`, after the last
/// statement when any failed); earlier output is complete and flushed.
pub fn run_script(engine: &Engine, origin: &str, text: &str, opts: &ScriptOptions, out: &mut dyn Write) -> Result<()> {
    let items = parse_script(text).map_err(|e| Error::from(e.locate(origin, text)))?;
    let outside = opts.params.clone();
    let mut params = opts.params.clone();
    let mut last_count: Option<u64> = None;
    let mut failures: Vec<Error> = Vec::new();
    for item in &items {
        let result: Result<()> = (|| {
            match &item.statement {
                Statement::Let { name, value, .. } => {
                    if !outside.contains_key(name) {
                        let v = resolve(value, &params).map_err(|e| Error::from(e.locate(origin, text)))?;
                        params.insert(name.clone(), v);
                    }
                }
                Statement::Expect { op, count, span } => {
                    let got = last_count.ok_or_else(|| {
                        Error::from(
                            QueryError::new(QueryErrorKind::Syntax, *span, "'expect' needs a query before it")
                                .expected("a query statement before 'expect'")
                                .locate(origin, text),
                        )
                    })?;
                    let ok = match op {
                        CmpOp::Eq => got == *count,
                        CmpOp::Ne => got != *count,
                        CmpOp::Lt => got < *count,
                        CmpOp::Le => got <= *count,
                        CmpOp::Gt => got > *count,
                        CmpOp::Ge => got >= *count,
                    };
                    if !ok {
                        let loc = QueryError::new(QueryErrorKind::Syntax, *span, "").locate(origin, text).location.unwrap();
                        return Err(Error::Expectation(format!(
                            "{}:{}:{}: expected count {} {count}, got {got}",
                            loc.origin,
                            loc.line,
                            loc.col,
                            op.symbol()
                        )));
                    }
                }
                Statement::Explain(q) => {
                    let plan = engine.plan(q, &params).map_err(|e| locate(e, origin, text))?;
                    let explained = plan.explain();
                    match opts.format {
                        OutputFormat::Json | OutputFormat::Jsonl => {
                            writeln!(out, "{}", serde_json::json!({ "plan": explained })).map_err(io_err)?
                        }
                        _ => writeln!(out, "{explained}").map_err(io_err)?,
                    }
                    last_count = None;
                }
                Statement::Query(q) => {
                    let plan = engine.plan(q, &params).map_err(|e| locate(e, origin, text))?;
                    if opts.format == OutputFormat::Table && items.len() > 1 {
                        let first = text[item.span.start..item.span.end].lines().next().unwrap_or("").trim();
                        writeln!(out, "-- {first}").map_err(io_err)?;
                    }
                    let mut w = RowWriter::new(opts.format, engine.shape(&plan), out, opts.table);
                    let mut rows = 0u64;
                    let mut total = None;
                    let mut io_failure = None;
                    engine.stream_plan(&plan, &mut |r| {
                        rows += 1;
                        if let Row::Total { count } = r {
                            total = Some(count);
                        }
                        if let Err(e) = w.row(r) {
                            io_failure = Some(e);
                            return Ok(false);
                        }
                        Ok(true)
                    })?;
                    if let Some(e) = io_failure {
                        return Err(io_err(e));
                    }
                    w.finish().map_err(io_err)?;
                    last_count = Some(total.unwrap_or(rows));
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            out.flush().ok();
            if opts.keep_going {
                eprintln!("error: {e}");
                failures.push(e);
            } else {
                return Err(e);
            }
        }
    }
    out.flush().map_err(io_err)?;
    match failures.len() {
        0 => Ok(()),
        n => Err(Error::Expectation(format!("{n} of {} statements failed", items.len()))),
    }
}

fn io_err(e: std::io::Error) -> Error {
    Error::Io { path: "<output>".into(), source: e }
}
