//! Running scripts: statements separated by `;`, `let` bindings, `--param` values, `expect`
//! checks, each statement's rows written in the chosen format (`docs/scripts.md`).
//!
//! - The whole script is parsed before anything runs, so a syntax error on line 40 runs nothing.
//! - A parameter given from outside (`--param`, or the library's `params`) wins over the
//!   script's `let` of the same name: a script's `let` is its default.
//! - `expect count OP N` checks the statement before it: for a bare `count` the number it gave,
//!   for anything else its number of rows. A failed expectation is an [`Error::Expectation`]
//!   whose message is `FILE:LINE:COL: expected count >= 1, got 0`.
//! - Output, per query or `explain` statement, in the chosen format:
//!   `table`/`line`: a `-- first line of the statement` header, the result, statements
//!   separated by a blank line; `json`: one JSON array per statement, `[` and `]` on lines of
//!   their own; `jsonl`: one object a line, nothing between statements; `csv`: each statement's
//!   header row and rows, statements separated by a blank line. `let` and `expect` print nothing.

use crate::engine::{locate, Engine, QueryResult};
use crate::error::{Error, QueryError, QueryErrorKind, Result};
use crate::lang::ast::{Span, Statement, Value};
use crate::lang::{parse_script, ScriptItem};
use crate::plan::{Literal, Params};

#[cfg(feature = "cli")]
pub(crate) mod print;
#[cfg(feature = "cli")]
pub use print::{run_script, ScriptOptions};

impl From<u64> for Literal {
    fn from(i: u64) -> Literal {
        Literal::Int(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Literal {
    fn from(i: usize) -> Literal {
        Literal::Int(i64::try_from(i).unwrap_or(i64::MAX))
    }
}

impl From<&String> for Literal {
    fn from(s: &String) -> Literal {
        Literal::Str(s.clone())
    }
}

/// The value of a `let`, located in the script for errors.
fn resolve(v: &Value, params: &Params, origin: &str, text: &str) -> Result<Literal> {
    crate::plan::bind_value(v, params).map_err(|e| Error::from(e.locate(origin, text)))
}

/// `FILE:LINE:COL` of a span.
pub(crate) fn place(origin: &str, text: &str, span: Span) -> String {
    let e = QueryError::new(QueryErrorKind::Syntax, span, "").locate(origin, text);
    match e.location {
        Some(l) => format!("{}:{}:{}", l.origin, l.line, l.col),
        None => origin.to_string(),
    }
}

/// What `expect` compares: a bare `count`'s number, else the number of rows.
fn counted(r: &QueryResult) -> u64 {
    r.total().unwrap_or(r.rows.len() as u64)
}

/// The part of a script's line before a `--` comment (quotes respected).
fn strip_comment(line: &str) -> &str {
    let mut in_str = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
        } else if b == b'"' {
            in_str = true;
        } else if b == b'-' && bytes.get(i + 1) == Some(&b'-') {
            return &line[..i];
        }
    }
    line
}

/// The header shown before a statement's result in `table` mode: its first line, without a
/// trailing comment.
pub fn statement_header(text: &str, item: &ScriptItem) -> String {
    let src = &text[item.span.start.min(text.len())..item.span.end.min(text.len())];
    let first = src.lines().map(|l| strip_comment(l).trim()).find(|l| !l.is_empty()).unwrap_or("");
    format!("-- {first}")
}

/// The script's statements, parsed once before any runs; errors located in `origin`.
fn parse(text: &str, origin: &str) -> Result<Vec<ScriptItem>> {
    parse_script(text).map_err(|e| Error::from(e.locate(origin, text)))
}

/// The loop shared by `run_script` (feature `cli`) and [`Engine::run_script`]: binds `let`s (outside
/// parameters win), checks `expect`s, hands each query or `explain` to `run` (which returns the
/// number `expect` compares), and reports failures to `report` when `keep_going`.
fn drive(
    origin: &str,
    text: &str,
    items: &[ScriptItem],
    outside: &Params,
    keep_going: bool,
    run: &mut dyn FnMut(&ScriptItem, &Params) -> Result<Option<u64>>,
    report: &mut dyn FnMut(&Error),
) -> Result<()> {
    let mut params = outside.clone();
    // What the statement before an `expect` gave: Ok(Some(n)) a count, Ok(None) nothing to
    // count (no statement yet, or `explain`), Err(()) it failed (already reported).
    let mut last: std::result::Result<Option<u64>, ()> = Ok(None);
    let mut failed = 0usize;
    let mut runnable = 0usize;
    for item in items {
        let result: Result<()> = match &item.statement {
            Statement::Let { name, value, .. } => {
                if outside.contains_key(name) {
                    Ok(())
                } else {
                    resolve(value, &params, origin, text).map(|v| {
                        params.insert(name.clone(), v);
                    })
                }
            }
            Statement::Expect { op, count, span } => match last {
                Err(()) => Ok(()), // the statement it checks failed, and said so
                Ok(None) => Err(QueryError::new(QueryErrorKind::Syntax, *span, "'expect' needs a query before it")
                    .expected("a query statement before 'expect count ...'")
                    .locate(origin, text)
                    .into()),
                Ok(Some(got)) => {
                    if op.holds(&got, count) {
                        Ok(())
                    } else {
                        Err(Error::Expectation(format!(
                            "{}: expected count {} {count}, got {got}",
                            place(origin, text, *span),
                            op.symbol()
                        )))
                    }
                }
            },
            Statement::Query(_) | Statement::Explain(_) => {
                runnable += 1;
                let r = run(item, &params).map_err(|e| locate(e, origin, text));
                last = match &r {
                    Ok(n) => Ok(*n),
                    Err(_) => Err(()),
                };
                r.map(|_| ())
            }
        };
        if let Err(e) = result {
            // Output and broken pipes end the run even with --keep-going.
            if !keep_going || matches!(e, Error::Io { .. }) {
                return Err(e);
            }
            report(&e);
            failed += 1;
        }
    }
    match failed {
        0 => Ok(()),
        1 => Err(Error::Expectation(format!("{origin}: 1 failure (reported above) in {runnable} statements run"))),
        n => Err(Error::Expectation(format!("{origin}: {n} failures (reported above) in {runnable} statements run"))),
    }
}

impl Engine {
    /// Runs a script (statements separated by `;`, `let`, `expect`, comments) and returns the
    /// result of each query and `explain` statement, in order; `let` and `expect` give none.
    /// `params` win over the script's `let` of the same name. The whole script is parsed
    /// first; errors (and failed expectations) name `<script>:LINE:COL`.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let dir = tempfile::tempdir()?;
    /// let engine = meetql::Engine::open(dir.path())?;
    /// let script = "let $org = \"UNRCCA\";\nmeetings where org = $org count;\nexpect count = 0;\norgs;";
    /// let results = engine.run_script(script, &meetql::Params::new())?;
    /// assert_eq!(results.len(), 2);
    /// assert_eq!(results[0].total(), Some(0));
    /// # Ok(()) }
    /// ```
    pub fn run_script(&self, text: &str, params: &Params) -> Result<Vec<QueryResult>> {
        let mut results = Vec::new();
        let items = parse(text, "<script>")?;
        drive(
            "<script>",
            text,
            &items,
            params,
            false,
            &mut |item, params| {
                let r = self.execute(&item.statement, params)?;
                let n = match item.statement {
                    Statement::Explain(_) => None,
                    _ => Some(counted(&r)),
                };
                results.push(r);
                Ok(n)
            },
            &mut |_| {},
        )?;
        Ok(results)
    }
}
