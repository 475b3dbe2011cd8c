//! A session: the state the shell, piped input and `meetql run` scripts share — the output mode,
//! `let` bindings that last until the session ends, redirections, and the dot-commands that
//! change them (`.mode`, `.headers`, `.once`, `.output`, `.params`, `.maxrows`, ...).
//!
//! A text run in a session ([`Session::run_text`]) holds statements and dot-command lines. A
//! line whose first character (after blanks) is `.`, outside a string, is a dot-command; so are
//! the bare words `help`, `exit`, `quit` and `\q` on a line of their own. The statements around
//! them are parsed whole before anything runs (a syntax error on line 40 runs nothing), and
//! dot-commands run in their place between the statements.
//!
//! **Invariant:** a session reaches the database only through [`Engine`]; a session serving
//! another process ([`Session::restricted`]) touches no file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::engine::Engine;
use crate::error::{closest, Error, QueryError, QueryErrorKind, Result};
pub use crate::export::{export_file, export_format_of, export_records};
use crate::fields::MeetingField;
use crate::lang::ast::{Span, Statement};
use crate::output::{OutputFormat, TableOptions};
use crate::Row;
use crate::{Literal, Params};

/// The dot-commands, with their usage and one line of help (`.help` prints this table).
pub const META_COMMANDS: &[(&str, &str, &str)] = &[
    (".help", ".help", "this list (also: help)"),
    (".mode", ".mode [table|line|json|jsonl|csv]", "output mode (no argument: show the current one)"),
    (".headers", ".headers on|off", "column headers in table and csv output"),
    (".maxrows", ".maxrows N", "show at most N rows of a table, first and last halves (0: all)"),
    (".once", ".once FILE", "write the next statement's output into FILE"),
    (".output", ".output FILE|stdout", "write output into FILE from now on, or back to the terminal"),
    (".print", ".print TEXT", "print TEXT"),
    (".echo", ".echo on|off", "print each statement before its output"),
    (".bail", ".bail on|off", "stop a script (or a line of statements) at its first error"),
    (".timer", ".timer on|off", "show how long each statement took"),
    (".params", ".params [clear]", "the parameters bound with let (clear: forget them)"),
    (".schema", ".schema", "the fields: what they hold, their kind, which are indexed"),
    (".collections", ".collections", "what a query can list: meetings, people, orgs, countries, topics"),
    (".explain", ".explain QUERY", "show the plan of QUERY: indexes used and what is scanned"),
    (".fields", ".fields", "each field, how many meetings have it, and frequent values"),
    (".stats", ".stats", "records, distinct orgs/people/countries, size on disk, path"),
    (".check", ".check", "verify the database: records decode, indexes agree with records, counts agree"),
    (".import", ".import PATH", "import a .jsonl/.json/.csv/.txt file or a directory"),
    (".export", ".export PATH [QUERY]", "write records (all, or a meetings query); .jsonl, .json or .csv by the name"),
    (".read", ".read SCRIPT", "run the statements of a script file (it sees and sets let bindings)"),
    (".open", ".open PATH", "close this database and open (or create) the one at PATH"),
    (".quit", ".quit", "leave (also .exit, exit, quit, \\q or Ctrl-D)"),
    (".exit", ".exit", "leave"),
];

/// A dot-command line of a text: where it starts (byte offset) and the command, normalised
/// (`help` → `.help`, `\q` → `.quit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaLine {
    /// Byte offset of the command in the text.
    pub offset: usize,
    /// The byte length of the command as written.
    pub len: usize,
    /// The command and its argument.
    pub command: String,
}

/// What a dot-command asks of the one who runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Go,
    /// Leave: `.quit`, `.exit`.
    Quit,
}

/// The bare words understood as dot-commands on a line of their own.
pub(crate) fn bare_meta(line: &str) -> Option<&'static str> {
    match line.trim().trim_end_matches(';').trim() {
        "help" => Some(".help"),
        "exit" => Some(".exit"),
        "quit" => Some(".quit"),
        "\\q" => Some(".quit"),
        _ => None,
    }
}

/// Splits the dot-command lines out of `text`: the text with those lines blanked (same byte
/// length, so spans, lines and columns of the statements stay where they were), and the lines.
pub fn split_meta(text: &str) -> (String, Vec<MetaLine>) {
    let mut blanked = String::with_capacity(text.len());
    let mut metas = Vec::new();
    let mut in_string = false;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start().len();
        let command = if in_string {
            None
        } else if body.trim_start().starts_with('.') {
            Some(body.trim().to_string())
        } else {
            bare_meta(body).map(str::to_string)
        };
        match command {
            Some(command) => {
                metas.push(MetaLine { offset: at + lead, len: body.trim().len(), command });
                blanked.extend(line.bytes().map(|b| if b == b'\n' || b == b'\r' { b as char } else { ' ' }));
            }
            None => {
                in_string = string_open_after(line, in_string);
                blanked.push_str(line);
            }
        }
        at += line.len();
    }
    (blanked, metas)
}

/// Whether a string literal is open at the end of `line`, given whether one was at its start
/// (comments after `--` do not count).
fn string_open_after(line: &str, mut open: bool) -> bool {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match (open, bytes[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => open = false,
            (false, b'"') => open = true,
            (false, b'-') if bytes.get(i + 1) == Some(&b'-') => return false,
            _ => {}
        }
        i += 1;
    }
    open
}

/// A file output goes to.
struct Redirect {
    path: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
}

impl Redirect {
    fn create(path: &Path) -> Result<Redirect> {
        let file = std::fs::File::create(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
        Ok(Redirect { path: path.to_path_buf(), file: std::io::BufWriter::new(file) })
    }

    fn finish(mut self) -> Result<()> {
        self.file.flush().map_err(|e| Error::Io { path: self.path.clone(), source: e })
    }
}

/// The state statements and dot-commands run in.
pub struct Session {
    /// The database.
    pub engine: Engine,
    /// The output mode.
    pub format: OutputFormat,
    /// Header rows in table and csv output (`.headers`).
    pub headers: bool,
    /// Stop at the first error (`.bail`); `meetql run --keep-going` turns it off.
    pub bail: bool,
    /// Print each statement before its output (`.echo`).
    pub echo: bool,
    /// Print how long each statement took (`.timer`).
    pub timer: bool,
    /// Bindings made by `let`, for the whole session.
    pub params: Params,
    /// Bindings from outside (`--param`): they win over `let`.
    pub outside: Params,
    /// `.maxrows`: at most this many table rows shown.
    pub max_rows: Option<usize>,
    /// Terminal width and bar charts.
    pub table: TableOptions,
    /// Set from another thread to stop the running statement.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Serving another process: no dot-command that reads or writes files or switches database.
    pub restricted: bool,
    /// Print a "did you mean" note for a stored value no meeting has.
    pub notes: bool,
    output: Option<Redirect>,
    once: Option<Redirect>,
    printed: usize,
}

impl Session {
    /// A session on `engine` with the defaults of a script: `jsonl`, headers on, bail on.
    pub fn new(engine: Engine) -> Session {
        Session {
            engine,
            format: OutputFormat::Jsonl,
            headers: true,
            bail: true,
            echo: false,
            timer: false,
            params: Params::new(),
            outside: Params::new(),
            max_rows: None,
            table: TableOptions::default(),
            cancel: None,
            restricted: false,
            notes: false,
            output: None,
            once: None,
            printed: 0,
        }
    }

    /// The parameters a statement sees: `let` bindings, then `--param` ones over them.
    pub fn bound(&self) -> Params {
        let mut p = self.params.clone();
        p.extend(self.outside.iter().map(|(k, v)| (k.clone(), v.clone())));
        p
    }

    fn script_options(&self) -> crate::script::ScriptOptions {
        let mut table = self.table;
        table.hide_headers = !self.headers;
        table.max_rows = self.max_rows;
        crate::script::ScriptOptions {
            format: self.format,
            params: self.bound(),
            keep_going: !self.bail,
            table,
            cancel: self.cancel.clone(),
        }
    }

    /// Runs the statements and dot-commands of `text` (from `origin`: a path, `<stdin>`,
    /// `<query>`), writing results to `out` (or where `.output`/`.once` says) and notes to
    /// `err`. With `bail` off, a failing statement is reported on `err` and the rest runs; the
    /// run then fails at the end. Returns [`Flow::Quit`] after `.quit`.
    pub fn run_text(&mut self, origin: &str, text: &str, out: &mut dyn Write, err: &mut dyn Write) -> Result<Flow> {
        // Statements of one text are separated by blank lines; each text starts afresh.
        let outer = std::mem::replace(&mut self.printed, 0);
        let r = self.run_statements(origin, text, out, err);
        self.printed = outer;
        r
    }

    fn run_statements(&mut self, origin: &str, text: &str, out: &mut dyn Write, err: &mut dyn Write) -> Result<Flow> {
        let (statements, metas) = split_meta(text);
        let items = crate::lang::parse_script(&statements).map_err(|e| Error::from(e.locate(origin, &statements)))?;
        let single = origin == "<query>"
            && items.iter().filter(|i| matches!(i.statement, Statement::Query(_) | Statement::Explain(_))).count() <= 1;
        let mut metas = metas.into_iter().peekable();
        let mut flow = Flow::Go;
        let mut failed = 0usize;
        let mut runnable = 0usize;
        let mut last: std::result::Result<Option<u64>, ()> = Ok(None);
        let mut steps: Vec<Step> = Vec::new();
        for item in &items {
            while metas.peek().is_some_and(|m| m.offset < item.span.start) {
                steps.push(Step::Meta(metas.next().expect("peeked")));
            }
            steps.push(Step::Item(item));
        }
        steps.extend(metas.map(Step::Meta));
        for step in steps {
            let result: Result<()> = match step {
                Step::Meta(m) => match self.meta(&m.command, out, err) {
                    Ok(Flow::Quit) => {
                        flow = Flow::Quit;
                        break;
                    }
                    Ok(Flow::Go) => Ok(()),
                    Err(e) => Err(located_meta(e, origin, text, &m)),
                },
                Step::Item(item) => match &item.statement {
                    Statement::Let { name, value, .. } => {
                        if self.outside.contains_key(name) {
                            Ok(())
                        } else {
                            crate::bind_value(value, &self.bound())
                                .map_err(|e| Error::from(e.locate(origin, text)))
                                .map(|v| {
                                    self.params.insert(name.clone(), v);
                                })
                        }
                    }
                    Statement::Expect { op, count, span } => match last {
                        Err(()) => Ok(()),
                        Ok(None) => {
                            Err(QueryError::new(QueryErrorKind::Syntax, *span, "'expect' needs a query before it")
                                .expected("a query statement before 'expect count ...'")
                                .locate(origin, text)
                                .into())
                        }
                        Ok(Some(got)) if op.holds(&got, count) => Ok(()),
                        Ok(Some(got)) => Err(Error::Expectation(format!(
                            "{}: expected count {} {count}, got {got}",
                            crate::script::place(origin, text, *span),
                            op.symbol()
                        ))),
                    },
                    Statement::Query(_) | Statement::Explain(_) => {
                        runnable += 1;
                        let r = self.statement(origin, text, item, !single, out, err);
                        last = match &r {
                            Ok(n) => Ok(*n),
                            Err(_) => Err(()),
                        };
                        r.map(|_| ())
                    }
                },
            };
            if let Err(e) = result {
                // Output and broken pipes end the run whatever `.bail` says.
                if self.bail || matches!(e, Error::Io { .. }) || matches!(e, Error::Interrupted) {
                    return Err(e);
                }
                let _ = out.flush();
                let _ = writeln!(err, "error: {}", crate::error::printable(&e.to_string()));
                failed += 1;
            }
        }
        match failed {
            0 => Ok(flow),
            1 => Err(Error::Expectation(format!("{origin}: 1 failure (reported above) in {runnable} statements run"))),
            n => {
                Err(Error::Expectation(format!("{origin}: {n} failures (reported above) in {runnable} statements run")))
            }
        }
    }

    /// Runs one query or `explain` to the current output; the number `expect` compares.
    fn statement(
        &mut self,
        origin: &str,
        text: &str,
        item: &crate::lang::ScriptItem,
        headers: bool,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<Option<u64>> {
        let started = std::time::Instant::now();
        let opts = self.script_options();
        let params = opts.params.clone();
        if self.echo {
            let src = text.get(item.span.start..item.span.end).unwrap_or("").trim();
            writeln!(out, "{src}").map_err(crate::script::print::io_err)?;
        }
        let mut once = self.once.take();
        let printed = self.printed;
        let r = {
            let w: &mut dyn Write = match (&mut once, &mut self.output) {
                (Some(r), _) => &mut r.file,
                (None, Some(r)) => &mut r.file,
                (None, None) => out,
            };
            crate::script::print::write_statement(&self.engine, text, item, &params, &opts, headers, printed, w)
        };
        if let Some(r) = once {
            r.finish()?;
        }
        let (n, notes) = r.map_err(|e| crate::engine::locate(e, origin, text))?;
        self.printed += 1;
        if self.notes {
            for note in notes {
                let _ = writeln!(err, "note: {note}");
            }
        }
        if self.timer {
            let _ = writeln!(out, "time: {:.3} s", started.elapsed().as_secs_f64());
        }
        Ok(n)
    }

    /// Runs one dot-command line (`.mode csv`, `.params clear`, `help`). A wrong command or
    /// argument is an error whose message gives the usage.
    pub fn meta(&mut self, line: &str, out: &mut dyn Write, err: &mut dyn Write) -> Result<Flow> {
        let line = bare_meta(line).unwrap_or(line).trim();
        let (cmd, arg) = match line.find(char::is_whitespace) {
            Some(i) => (&line[..i], line[i..].trim()),
            None => (line, ""),
        };
        let io = |e: std::io::Error| crate::script::print::io_err(e);
        let on_off = |arg: &str| match arg {
            "on" => Ok(true),
            "off" => Ok(false),
            _ => Err(usage(cmd)),
        };
        if self.restricted && [".once", ".output", ".import", ".export", ".read", ".open"].contains(&cmd) {
            return Err(Error::Failed(format!(
                "{cmd} is not available to another process's statements (they only read the database)"
            )));
        }
        match cmd {
            ".quit" | ".exit" if arg.is_empty() => return Ok(Flow::Quit),
            ".help" if arg.is_empty() => {
                let w = META_COMMANDS.iter().map(|(_, u, _)| u.chars().count()).max().unwrap_or(0);
                for (_, u, what) in META_COMMANDS {
                    writeln!(out, "{u:<w$}  {what}").map_err(io)?;
                }
                writeln!(out, "Statements end with Enter when complete, or with ';'. Tab completes; Ctrl-C cancels.")
                    .map_err(io)?;
            }
            ".mode" => match arg {
                "" => writeln!(out, "{}", self.format.name()).map_err(io)?,
                a => match OutputFormat::from_name(a) {
                    Some(f) => self.format = f,
                    None => return Err(usage(cmd)),
                },
            },
            ".headers" => self.headers = on_off(arg)?,
            ".bail" => self.bail = on_off(arg)?,
            ".echo" => self.echo = on_off(arg)?,
            ".timer" => self.timer = on_off(arg)?,
            ".maxrows" => match arg.parse::<usize>() {
                Ok(0) => self.max_rows = None,
                Ok(n) => self.max_rows = Some(n),
                Err(_) if arg.is_empty() => match self.max_rows {
                    Some(n) => writeln!(out, "{n}").map_err(io)?,
                    None => writeln!(out, "0 (all rows)").map_err(io)?,
                },
                Err(_) => return Err(usage(cmd)),
            },
            ".print" => writeln!(out, "{}", unquote(arg)).map_err(io)?,
            ".params" => match arg {
                "" => {
                    let mut names: Vec<(&String, &Literal, bool)> =
                        self.params.iter().map(|(k, v)| (k, v, false)).collect();
                    names.extend(self.outside.iter().map(|(k, v)| (k, v, true)));
                    names.sort_by(|a, b| a.0.cmp(b.0).then(b.2.cmp(&a.2)));
                    names.dedup_by(|a, b| a.0 == b.0);
                    if names.is_empty() {
                        writeln!(out, "no parameters (bind one with: let $name = \"value\";)").map_err(io)?;
                    }
                    for (k, v, outside) in names {
                        let from = if outside { "  (--param)" } else { "" };
                        writeln!(out, "${k} = {}{from}", literal_text(v)).map_err(io)?;
                    }
                }
                "clear" => self.params.clear(),
                _ => return Err(usage(cmd)),
            },
            ".schema" if arg.is_empty() => schema(out).map_err(io)?,
            ".collections" if arg.is_empty() => {
                for (name, what) in COLLECTIONS {
                    writeln!(out, "{name:<10} {what}").map_err(io)?;
                }
            }
            ".once" if !arg.is_empty() => self.once = Some(Redirect::create(Path::new(&unquote(arg)))?),
            ".output" => {
                if let Some(r) = self.output.take() {
                    r.finish()?;
                }
                match arg {
                    "" | "stdout" => {}
                    path => self.output = Some(Redirect::create(Path::new(&unquote(path)))?),
                }
            }
            ".explain" if !arg.is_empty() => {
                let q = arg.trim_start();
                let text =
                    if q.to_lowercase().starts_with("explain ") { q.to_string() } else { format!("explain {q}") };
                self.run_text("<query>", &text, out, err)?;
            }
            ".fields" if arg.is_empty() => fields(&self.engine, self.table.width, out).map_err(io)?,
            ".stats" if arg.is_empty() => stats(&self.engine, out).map_err(io)?,
            ".check" if arg.is_empty() => {
                let r = self.engine.check()?;
                writeln!(out, "{}", crate::output::check_summary(&r)).map_err(io)?;
            }
            ".import" if !arg.is_empty() => {
                let path = PathBuf::from(unquote(arg));
                let s = self.engine.import_paths(std::slice::from_ref(&path), &mut |_, _| {})?;
                for line in s.skipped_lines() {
                    writeln!(err, "{line}").map_err(io)?;
                }
                writeln!(out, "{}", s.line(None)).map_err(io)?;
            }
            ".export" if !arg.is_empty() => {
                let (path, query) = match arg.split_once(char::is_whitespace) {
                    Some((p, q)) => (p, Some(q.trim())),
                    None => (arg, None),
                };
                let path = PathBuf::from(unquote(path));
                let format = export_format_of(&path)?;
                let n = export_file(&self.engine, query, format, &path)?;
                writeln!(out, "exported {n} record{} to {}", plural(n), path.display()).map_err(io)?;
            }
            ".read" if !arg.is_empty() => {
                let path = unquote(arg);
                let text =
                    std::fs::read_to_string(&path).map_err(|e| Error::Io { path: path.clone().into(), source: e })?;
                // The script's `let`s stay bound afterwards, as if typed.
                return self.run_text(&path, &text, out, err);
            }
            c if META_COMMANDS.iter().any(|(n, _, _)| *n == c) => return Err(usage(c)),
            other => {
                let names = META_COMMANDS.iter().map(|(n, _, _)| *n);
                return Err(Error::Failed(match closest(other, names) {
                    Some(s) => format!("unknown command '{other}'; did you mean {s}? (.help lists them)"),
                    None => format!("unknown command '{other}' (.help lists them)"),
                }));
            }
        }
        Ok(Flow::Go)
    }

    /// Ends redirections, writing what they hold.
    pub fn finish(&mut self) -> Result<()> {
        if let Some(r) = self.once.take() {
            r.finish()?;
        }
        if let Some(r) = self.output.take() {
            r.finish()?;
        }
        Ok(())
    }
}

enum Step<'a> {
    Meta(MetaLine),
    Item(&'a crate::lang::ScriptItem),
}

/// A dot-command's error, placed at its line when it has no place of its own.
fn located_meta(e: Error, origin: &str, text: &str, m: &MetaLine) -> Error {
    match e {
        Error::Failed(msg) if origin != "<query>" => Error::from(
            QueryError::new(QueryErrorKind::Syntax, Span::new(m.offset, m.offset + m.len), msg).locate(origin, text),
        ),
        other => other,
    }
}

fn usage(cmd: &str) -> Error {
    let u = META_COMMANDS.iter().find(|(n, _, _)| *n == cmd).map_or(cmd, |(_, u, _)| u);
    Error::Failed(format!("usage: {u}"))
}

fn unquote(s: &str) -> String {
    let t = s.trim();
    t.strip_prefix('"').and_then(|x| x.strip_suffix('"')).unwrap_or(t).to_string()
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn literal_text(v: &Literal) -> String {
    match v {
        Literal::Str(s) => crate::repl::helper::quote(s),
        Literal::Date(d) => d.to_string(),
        Literal::Int(i) => i.to_string(),
    }
}

/// The collections, as `.collections` lists them.
pub const COLLECTIONS: [(&str, &str); 5] = [
    ("meetings", "the meeting records"),
    ("people", "participants' names, with the number of meetings of each"),
    ("orgs", "organisations, with counts"),
    ("countries", "countries, with counts"),
    ("topics", "topics, with counts"),
];

/// `.schema`: each field, what it holds, its kind of value, whether an index answers it.
fn schema(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{:<8} {:<22} {:<8} holds", "field", "kind", "indexed")?;
    for f in MeetingField::ALL {
        let (kind, holds) = match f {
            MeetingField::Date => ("date (YYYY[-MM[-DD]])", "the day, month or year of the meeting"),
            MeetingField::Kind => ("meeting|call|video", "how they met"),
            MeetingField::City => ("string", "where it took place"),
            MeetingField::Country => ("strings", "host country and countries involved"),
            MeetingField::Org => ("strings", "organisations, and every participant's org"),
            MeetingField::Person => ("strings", "participants' names"),
            MeetingField::Title => ("strings", "participants' titles"),
            MeetingField::Topic => ("strings", "topics"),
            MeetingField::Source => ("strings", "publisher, document and url"),
            MeetingField::Text => ("text", "summary and text (contains)"),
            MeetingField::Id => ("string", "the record id"),
        };
        let indexed = f.index().is_some() || f == MeetingField::Date;
        writeln!(out, "{:<8} {kind:<22} {:<8} {holds}", f.name(), if indexed { "yes" } else { "no" })?;
    }
    writeln!(out, "participant {{ name, title, org, country }}: fields of one participant")?;
    Ok(())
}

fn total(engine: &Engine, q: &str) -> u64 {
    engine.query(q).ok().and_then(|r| r.total()).unwrap_or(0)
}

fn counts(engine: &Engine, q: &str) -> Vec<(String, u64)> {
    let Ok(r) = engine.query(q) else {
        return Vec::new();
    };
    r.rows
        .into_iter()
        .filter_map(|row| match row {
            Row::Count { value, count } => Some((value, count)),
            _ => None,
        })
        .collect()
}

/// `.fields`: each field, how many meetings have it, a few frequent values.
fn fields(engine: &Engine, width: Option<u16>, out: &mut dyn Write) -> std::io::Result<()> {
    let width = width.map_or(100, usize::from);
    writeln!(out, "{:<8} {:>9}  frequent values", "field", "meetings")?;
    for f in MeetingField::ALL {
        let name = f.name();
        let n = total(engine, &format!("meetings where {name} exists count"));
        let top: Vec<(String, u64)> = match f {
            MeetingField::Org => counts(engine, "orgs limit 3"),
            MeetingField::Person => counts(engine, "people limit 3"),
            MeetingField::Country => counts(engine, "countries limit 3"),
            MeetingField::Topic => counts(engine, "topics limit 3"),
            MeetingField::Text | MeetingField::Id => Vec::new(),
            MeetingField::Date => {
                let years = counts(engine, "meetings count by year");
                let (lo, hi) = (years.iter().map(|(y, _)| y.clone()).min(), years.iter().map(|(y, _)| y.clone()).max());
                match (lo, hi) {
                    (Some(lo), Some(hi)) => {
                        writeln!(out, "{name:<8} {n:>9}  {lo} … {hi}")?;
                        continue;
                    }
                    _ => Vec::new(),
                }
            }
            _ => {
                let mut c = counts(engine, &format!("meetings count by {name}"));
                c.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                c.truncate(3);
                c
            }
        };
        let values = top.iter().map(|(v, c)| format!("{v} ({c})")).collect::<Vec<_>>().join(", ");
        let line = format!("{name:<8} {n:>9}  {values}");
        let shown: String = if line.chars().count() > width {
            line.chars().take(width.saturating_sub(1)).chain(std::iter::once('…')).collect()
        } else {
            line
        };
        writeln!(out, "{}", shown.trim_end())?;
    }
    Ok(())
}

/// `.stats`: records, distinct orgs/people/countries, size on disk, path.
fn stats(e: &Engine, out: &mut dyn Write) -> std::io::Result<()> {
    let size = e.size_on_disk().unwrap_or(0);
    writeln!(out, "records    {}", e.len().unwrap_or(0))?;
    writeln!(out, "orgs       {}", total(e, "orgs count"))?;
    writeln!(out, "people     {}", total(e, "people count"))?;
    writeln!(out, "countries  {}", total(e, "countries count"))?;
    writeln!(out, "size       {}", human(size))?;
    writeln!(out, "path       {}", e.path().display())
}

fn human(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < units.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", units[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_command_lines_are_split_out_in_place() {
        let text = "let $o = \"OSCE\";\n.mode csv\nmeetings where org = $o\n  count;\nhelp\n";
        let (blanked, metas) = split_meta(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(blanked.lines().nth(1).unwrap().trim(), "");
        assert_eq!(metas.iter().map(|m| m.command.as_str()).collect::<Vec<_>>(), [".mode csv", ".help"]);
        assert_eq!(&text[metas[0].offset..metas[0].offset + metas[0].len], ".mode csv");
        // A line inside a string is the string's.
        let (_, metas) = split_meta("meetings where text contains \"a\n.b\" count;\n");
        assert!(metas.is_empty());
    }

    #[test]
    fn suggests_a_stored_value_for_a_typo() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path()).unwrap();
        let m: crate::Meeting = serde_json::from_str(r#"{"date": "2024-01-17", "orgs": ["UNRCCA"]}"#).unwrap();
        engine.insert(m).unwrap();
        let mut s = Session::new(engine);
        s.notes = true;
        let noted = |s: &mut Session, q: &str| {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            s.run_text("<query>", q, &mut out, &mut err).unwrap();
            String::from_utf8(err).unwrap()
        };
        assert_eq!(
            noted(&mut s, "meetings where org = \"UNRCA\" count"),
            "note: no meeting has org \"UNRCA\"; did you mean \"UNRCCA\"?\n"
        );
        assert_eq!(noted(&mut s, "meetings where org = \"unrcca\" count"), "");
        assert_eq!(noted(&mut s, "meetings where text = \"x\" count"), "");
        assert_eq!(noted(&mut s, "meetings where not org = \"B\" count"), "");
        s.notes = false;
        assert_eq!(noted(&mut s, "meetings where org = \"UNRCA\" count"), "");
    }

    #[test]
    fn let_bindings_last_for_the_session() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path()).unwrap();
        let m: crate::Meeting = serde_json::from_str(r#"{"date": "2024-01-17", "orgs": ["OSCE"]}"#).unwrap();
        engine.insert(m).unwrap();
        let mut s = Session::new(engine);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        s.run_text("<query>", "let $o = \"OSCE\";", &mut out, &mut err).unwrap();
        s.run_text("<query>", "meetings where org = $o count", &mut out, &mut err).unwrap();
        assert_eq!(String::from_utf8(out.clone()).unwrap(), "{\"count\":1}\n");
        s.meta(".params", &mut out, &mut err).unwrap();
        assert!(String::from_utf8(out.clone()).unwrap().ends_with("$o = \"OSCE\"\n"));
        s.meta(".params clear", &mut out, &mut err).unwrap();
        let e = s.run_text("<query>", "meetings where org = $o count", &mut out, &mut err).unwrap_err();
        assert!(e.to_string().contains("parameter $o is not bound"), "{e}");
    }
}
