//! The `meetql` command: parses arguments and calls the library. All work lives in the crate.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, Parser, Subcommand};
use meetql::export::export_records;
use meetql::ingest::Format;
use meetql::output::OutputFormat;
use meetql::serve::{self, Access, Request, Server};
use meetql::session::Session;
use meetql::{Engine, Error, Literal, Params};

#[derive(Parser)]
#[command(name = "meetql", version, about = "An embedded query engine for meeting facts", propagate_version = true)]
struct Cli {
    /// Database directory (default: $MEETQL_DB, else the bundled corpus in the data directory).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// How long to wait for a database another process holds, in milliseconds, before exiting
    /// with 3 (reads are answered by that process at once).
    #[arg(long, global = true, value_name = "MS", default_value_t = 5000)]
    busy_timeout: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run one query.
    Query {
        /// Output format: table, line, json, jsonl or csv.
        #[arg(long, short)]
        format: Option<String>,
        /// Bind $NAME: --param name=value (repeatable).
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// The query.
        query: std::ffi::OsString,
    },
    /// Run a script of statements ("-" reads standard input).
    Run {
        /// Output format: table, line, json, jsonl or csv.
        #[arg(long, short)]
        format: Option<String>,
        /// Bind $NAME: --param name=value (repeatable); wins over the script's `let`.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// Go on after a failing statement, and exit 1 at the end.
        #[arg(long)]
        keep_going: bool,
        /// The script file, or "-".
        script: String,
    },
    /// Import .jsonl, .json, .csv files, .txt reports and directories (each file all or nothing).
    Import {
        /// Import the good lines of each file and list the rejected ones (line and reason)
        /// instead of rejecting the whole file.
        #[arg(long)]
        skip_bad: bool,
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write records (all, or those of a meetings query) as JSON Lines, a JSON array or CSV on
    /// stdout, into a new SQLite database file (`--format sqlite FILE.db [QUERY]`), or as Parquet
    /// tables in a directory (`--format parquet DIR [QUERY]`, see docs/scale-out.md).
    Export {
        /// jsonl (default), json, csv, sqlite or parquet.
        #[arg(long, short, default_value = "jsonl")]
        format: String,
        /// [FILE.db | DIR] [QUERY]: the SQLite file or the Parquet directory (sqlite and parquet
        /// only), then a `meetings` query selecting what to export.
        #[arg(value_name = "ARGS", num_args = 0..=2)]
        args: Vec<String>,
    },
    /// Print the SQL equivalent of a query over the tables `export --format sqlite|parquet`
    /// writes, for SQLite, DuckDB, DataFusion or Spark (see docs/scale-out.md).
    Sql {
        /// Bind $NAME: --param name=value (repeatable).
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
        /// sqlite (default), duckdb, datafusion or spark.
        #[arg(long, default_value = "sqlite")]
        dialect: String,
        /// The directory of `export --format parquet` the SQL reads (duckdb, datafusion, spark).
        #[arg(long, value_name = "DIR")]
        from: Option<String>,
        /// The query.
        query: String,
    },
    /// Verify the database: records decode, indexes agree with records, counts agree.
    Check,
    /// Score the report extractor on a directory of reports against a gold file.
    #[command(name = "eval-extract")]
    EvalExtract {
        /// The directory holding the reports the gold file names.
        dir: PathBuf,
        /// The gold file: one JSON object a line (see `meetql::ingest::report::eval`).
        gold: PathBuf,
        /// Also list every difference from the gold.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Write shell completions for bash, zsh or fish on stdout.
    Completions {
        /// bash, zsh or fish.
        shell: clap_complete::Shell,
    },
    /// Write the man page (roff) on stdout: `meetql man > meetql.1`.
    Man,
    /// Write a synthetic corpus as JSON Lines on stdout.
    Gen {
        /// Number of meetings.
        #[arg(long)]
        count: u64,
        /// Random seed (same seed, same corpus).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn usage(msg: String) -> ExitCode {
    eprintln!("error: {}", meetql::error::printable(&msg));
    ExitCode::from(2)
}

fn fail(e: Error) -> ExitCode {
    ExitCode::from(report(e))
}

/// Says what went wrong on standard error; the exit status for it.
fn report(e: Error) -> u8 {
    // A reader that stops early (`| head`) is not an error.
    if let Error::Io { source, .. } = &e {
        if source.kind() == std::io::ErrorKind::BrokenPipe {
            return 0;
        }
    }
    eprintln!("error: {}", meetql::error::printable(&e.to_string()));
    e.exit_code() as u8
}

/// Standard output for the commands: a reader that went away (`| head -1`) ends the process
/// quietly with 0, whatever was being written and however deep, as `head` expects.
struct Stdout {
    inner: std::io::BufWriter<std::io::Stdout>,
}

impl Stdout {
    fn new() -> Stdout {
        Stdout { inner: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()) }
    }

    fn check<T>(r: std::io::Result<T>) -> std::io::Result<T> {
        match r {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
            other => other,
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        Self::check(self.inner.write(b))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Self::check(self.inner.flush())
    }
}

fn parse_params(raw: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut p = Vec::new();
    for kv in raw {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("--param expects NAME=VALUE, got '{kv}'"))?;
        let k = k.trim().trim_start_matches('$');
        if k.is_empty() || !k.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(format!("--param name '{k}' is not a parameter name (letters, digits, _)"));
        }
        p.push((k.to_string(), v.to_string()));
    }
    Ok(p)
}

fn bound(raw: &[(String, String)]) -> Params {
    raw.iter().map(|(k, v)| (k.clone(), Literal::infer(v))).collect()
}

fn format_of(raw: Option<&str>) -> Result<OutputFormat, String> {
    match raw {
        Some(f) => OutputFormat::from_name(f)
            .ok_or_else(|| format!("unknown format '{f}' (expected table, line, json, jsonl or csv)")),
        None if std::io::stdout().is_terminal() => Ok(OutputFormat::Table),
        None => Ok(OutputFormat::Jsonl),
    }
}

/// The database directory the command names: `--db`, else `$MEETQL_DB`, else the default one.
fn db_path(db: Option<PathBuf>) -> Result<(PathBuf, bool), Error> {
    match db.or_else(|| std::env::var_os("MEETQL_DB").map(PathBuf::from)) {
        Some(path) => Ok((path, false)),
        None => meetql::default_db::default_path().map(|p| (p, true)).ok_or_else(|| Error::Open {
            path: PathBuf::from("<data directory>"),
            reason: "no home directory to keep the default database in; pass --db PATH".into(),
        }),
    }
}

/// Opens the database for a command that may write, waiting for another holder up to the
/// timeout; the default database is filled with the bundled corpus on first use.
fn open_writer(db: Option<PathBuf>, timeout: Duration) -> Result<Engine, Error> {
    let (path, default) = db_path(db)?;
    let engine = serve::open_writer(&path, timeout)?;
    if default {
        meetql::default_db::fill_if_empty(&engine, &mut std::io::stderr())?;
    }
    Ok(engine)
}

/// Opens the database for a command that reads: here, or through the process that holds it.
fn open_reader(db: Option<PathBuf>, timeout: Duration) -> Result<Access, Error> {
    let (path, default) = db_path(db)?;
    let access = serve::open_reader(&path, timeout)?;
    if let (Access::Local(engine), true) = (&access, default) {
        meetql::default_db::fill_if_empty(engine, &mut std::io::stderr())?;
    }
    Ok(access)
}

/// Answers other processes while this one holds the database (none when the socket cannot be
/// made: the process then works alone, as before).
fn serve_while(engine: &Engine, doing: &str) -> Option<Server> {
    Server::start(engine, doing).ok()
}

/// `export --format sqlite|parquet`: opens the database as the writer (the export reads one
/// snapshot while other processes wait), runs `export` and says how many records went to `dest`.
#[cfg(any(feature = "sqlite", feature = "parquet"))]
fn export_to_file(
    db: Option<PathBuf>,
    timeout: Duration,
    what: &str,
    dest: &std::path::Path,
    export: impl FnOnce(&Engine) -> Result<u64, Error>,
) -> ExitCode {
    let engine = match open_writer(db, timeout) {
        Ok(e) => e,
        Err(e) => return fail(e),
    };
    let _server = serve_while(&engine, &format!("exporting to {what}"));
    match export(&engine) {
        Ok(n) => {
            eprintln!("exported {n} records to {}", dest.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

/// How statements run: here, or by the process that holds the database.
struct Statements {
    origin: String,
    text: String,
    format: OutputFormat,
    params: Vec<(String, String)>,
    keep_going: bool,
}

fn run_statements(access: Access, st: Statements) -> ExitCode {
    let mut out = Stdout::new();
    match access {
        Access::Local(engine) => {
            let _server = serve_while(&engine, &format!("running {}", st.origin));
            let mut session = Session::new(engine);
            session.format = st.format;
            session.outside = bound(&st.params);
            session.bail = !st.keep_going;
            session.notes = true;
            session.table.bars = std::io::stdout().is_terminal();
            let r = session.run_text(&st.origin, &st.text, &mut out, &mut std::io::stderr());
            let finished = session.finish();
            let _ = out.flush();
            // Flushed after a failing statement too: what the statements before it wrote stays.
            let flushed = session.engine.flush();
            drop(_server);
            let code = match r.and(finished).and(flushed) {
                Ok(()) => 0,
                Err(e) => report(e),
            };
            // The engine's writes and stdout are flushed: leave without sled's drop (a second
            // fsync, its flusher thread, freeing every page) and the allocator's purge.
            std::mem::forget(session);
            leave(code)
        }
        Access::Remote(path) => {
            let request = Request::Run {
                origin: st.origin,
                text: st.text,
                params: st.params.into_iter().collect(),
                format: st.format.name().to_string(),
                keep_going: st.keep_going,
                width: None,
            };
            remote(&path, &request, &mut out)
        }
    }
}

/// Sends a request to the holder and exits as its answer says.
fn remote(path: &std::path::Path, request: &Request, out: &mut Stdout) -> ExitCode {
    let r = serve::ask(path, request, out, &mut std::io::stderr());
    let _ = out.flush();
    match r {
        Ok(Some(end)) => {
            if let Some(e) = &end.error {
                eprintln!("error: {}", meetql::error::printable(&e.to_string()));
            }
            ExitCode::from(end.code.clamp(0, 255) as u8)
        }
        Ok(None) => fail(Error::Open {
            path: path.to_path_buf(),
            reason: "the process holding it stopped answering; run the command again".into(),
        }),
        Err(e) => fail(e),
    }
}

fn read_stdin() -> Result<String, Error> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).map_err(|e| Error::Io { path: "<stdin>".into(), source: e })?;
    Ok(s)
}

/// Ends the process with `code` now, running no destructor and no exit handler.
#[cfg(unix)]
fn leave(code: u8) -> ExitCode {
    // SAFETY: `_exit` ends the process; nothing of it is used afterwards. Its callers flushed the
    // engine's writes and standard output, and standard error is unbuffered.
    unsafe { libc::_exit(code.into()) }
}

/// Ends the process with `code` (by returning from `main`).
#[cfg(not(unix))]
fn leave(code: u8) -> ExitCode {
    ExitCode::from(code)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let timeout = Duration::from_millis(cli.busy_timeout);
    match cli.command {
        Some(Command::Gen { count, seed }) => {
            let mut out = Stdout::new();
            match meetql::gen::generate(count, seed, &mut out).and_then(|_| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => usage(format!("writing the corpus failed: {e}")),
            }
        }
        Some(Command::Completions { shell }) => {
            let mut out = Stdout::new();
            clap_complete::generate(shell, &mut Cli::command(), "meetql", &mut out);
            let _ = out.flush();
            ExitCode::SUCCESS
        }
        Some(Command::Man) => {
            let mut out = Stdout::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut out).and_then(|_| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(Error::Io { path: "<stdout>".into(), source: e }),
            }
        }
        Some(Command::EvalExtract { dir, gold, verbose }) => {
            let mut out = Stdout::new();
            match meetql::ingest::report::eval::evaluate(&dir, &gold) {
                Ok(r) => {
                    let _ = if verbose { write!(out, "{r:#}") } else { write!(out, "{r}") };
                    let _ = out.flush();
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Some(Command::Query { format, params, query }) => {
            let (format, params) = match (format_of(format.as_deref()), parse_params(&params)) {
                (Ok(f), Ok(p)) => (f, p),
                (Err(e), _) | (_, Err(e)) => return usage(e),
            };
            let query = match query.into_string() {
                Ok(q) => q,
                Err(raw) => {
                    let bytes = raw.as_encoded_bytes();
                    let at = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
                    eprintln!("error: the query is not valid UTF-8 (at byte {})", at + 1);
                    return ExitCode::from(1);
                }
            };
            let access = match open_reader(cli.db, timeout) {
                Ok(a) => a,
                Err(e) => return fail(e),
            };
            run_statements(
                access,
                Statements { origin: "<query>".into(), text: query, format, params, keep_going: false },
            )
        }
        Some(Command::Run { format, params, keep_going, script }) => {
            let (format, params) = match (format_of(format.as_deref()), parse_params(&params)) {
                (Ok(f), Ok(p)) => (f, p),
                (Err(e), _) | (_, Err(e)) => return usage(e),
            };
            let (origin, text) = if script == "-" {
                match read_stdin() {
                    Ok(s) => ("<stdin>".to_string(), s),
                    Err(e) => return fail(e),
                }
            } else {
                match std::fs::read_to_string(&script) {
                    Ok(s) => (script.clone(), s),
                    Err(e) => return fail(Error::Io { path: script.into(), source: e }),
                }
            };
            let access = match open_reader(cli.db, timeout) {
                Ok(a) => a,
                Err(e) => return fail(e),
            };
            run_statements(access, Statements { origin, text, format, params, keep_going })
        }
        Some(Command::Check) => {
            let engine = match open_writer(cli.db, timeout) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            let _server = serve_while(&engine, "checking the database");
            match engine.check() {
                Ok(r) if r.is_ok() => {
                    let mut out = Stdout::new();
                    let _ = writeln!(out, "{}", meetql::output::check_summary(&r)).and_then(|_| out.flush());
                    ExitCode::SUCCESS
                }
                Ok(r) => {
                    eprintln!("error: {}", meetql::output::check_summary(&r));
                    ExitCode::from(1)
                }
                Err(e) => fail(e),
            }
        }
        Some(Command::Import { skip_bad, paths }) => {
            let engine = match open_writer(cli.db, timeout) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            let server = serve_while(&engine, &format!("importing {}", names.join(" ")));
            // On a terminal, a progress bar over the files (reports come by the thousand).
            let bar = if std::io::stderr().is_terminal() {
                let total = meetql::ingest::collect_files(&paths).map(|f| f.len() as u64).unwrap_or(0);
                let bar = indicatif::ProgressBar::new(total);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files, {msg} ({elapsed})")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar
            } else {
                indicatif::ProgressBar::hidden()
            };
            let mut records = 0;
            // Files imported so far: a failure later names them (each is whole in the database).
            let mut done: Vec<(std::path::PathBuf, usize)> = Vec::new();
            let mut progress = |file: &std::path::Path, n: usize| {
                done.push((file.to_path_buf(), n));
                records += n;
                bar.set_message(format!("{records} records"));
                bar.inc(1);
            };
            let mut rejected = 0usize;
            let result = if skip_bad {
                engine.import_paths_skipping_bad(&paths, &mut progress, &mut |e| {
                    rejected += 1;
                    bar.suspend(|| eprintln!("rejected: {}", meetql::error::printable(&e.to_string())));
                })
            } else {
                engine.import_paths(&paths, &mut progress)
            };
            bar.finish_and_clear();
            // Others' queries are answered up to here; then a snapshot, so that the next query
            // does not replay this import's log (other processes wait for it).
            drop(server);
            let result = result.and_then(|s| engine.close_and_checkpoint().map(|_| s));
            match result {
                Ok(s) => {
                    for line in s.skipped_lines() {
                        eprintln!("{line}");
                    }
                    eprintln!("{}", s.line(skip_bad.then_some(rejected)));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    let code = fail(e);
                    if !done.is_empty() {
                        let n: usize = done.iter().map(|(_, n)| n).sum();
                        let shown: Vec<String> = done
                            .iter()
                            .take(20)
                            .map(|(f, _)| meetql::error::printable(&f.display().to_string()).into_owned())
                            .collect();
                        let more =
                            if done.len() > 20 { format!(" and {} more", done.len() - 20) } else { String::new() };
                        eprintln!(
                            "imported before the error, and kept: {n} records from {} file{}: {}{more}",
                            done.len(),
                            if done.len() == 1 { "" } else { "s" },
                            shown.join(", ")
                        );
                    }
                    code
                }
            }
        }
        Some(Command::Sql { params, dialect, from, query }) => {
            let params = match parse_params(&params) {
                Ok(p) => bound(&p),
                Err(e) => return usage(e),
            };
            let Some(dialect) = meetql::sql::Dialect::from_name(&dialect) else {
                return usage(format!("unknown dialect '{dialect}' (expected sqlite, duckdb, datafusion or spark)"));
            };
            let q = match meetql::lang::parse_query(&query) {
                Ok(q) => q,
                Err(e) => return fail(e.locate("<query>", &query).into()),
            };
            match meetql::sql::translate(&q, &params, dialect, from.as_deref()) {
                Ok(sql) => {
                    let mut out = Stdout::new();
                    let _ = writeln!(out, "{sql};").and_then(|_| out.flush());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(meetql::engine::locate(e, "<query>", &query)),
            }
        }
        Some(Command::Export { format, mut args }) => {
            let file = if format == "sqlite" || format == "parquet" {
                if args.is_empty() {
                    let what = if format == "sqlite" { "the database file: FILE.db" } else { "a directory: DIR" };
                    return usage(format!("export --format {format} needs {what} [QUERY]"));
                }
                Some(PathBuf::from(args.remove(0)))
            } else if args.len() > 1 {
                return usage("export takes one query (--format sqlite|parquet takes FILE.db|DIR [QUERY])".into());
            } else {
                None
            };
            let query = args.pop();
            let records = match format.as_str() {
                "jsonl" => Some(Format::Jsonl),
                "json" => Some(Format::Json),
                "csv" => Some(Format::Csv),
                "sqlite" | "parquet" => None,
                other => {
                    return usage(format!(
                        "unknown export format '{other}' (expected jsonl, json, csv, sqlite or parquet)"
                    ))
                }
            };
            let mut out = Stdout::new();
            match (records, file) {
                (Some(records), _) => match open_reader(cli.db, timeout) {
                    Ok(Access::Local(engine)) => {
                        let _server = serve_while(&engine, "exporting");
                        match export_records(&engine, query.as_deref(), records, &mut out) {
                            Ok(_) => ExitCode::SUCCESS,
                            Err(e) => fail(e),
                        }
                    }
                    Ok(Access::Remote(path)) => remote(&path, &Request::Export { format, query }, &mut out),
                    Err(e) => fail(e),
                },
                #[cfg(feature = "parquet")]
                (None, Some(dir)) if format == "parquet" => export_to_file(cli.db, timeout, "Parquet", &dir, |e| {
                    meetql::sql::export_parquet(e, query.as_deref(), &dir)
                }),
                #[cfg(not(feature = "parquet"))]
                (None, Some(_)) if format == "parquet" => {
                    usage("this meetql was built without the Parquet export (cargo feature 'parquet')".into())
                }
                #[cfg(feature = "sqlite")]
                (None, Some(file)) => export_to_file(cli.db, timeout, "SQLite", &file, |e| {
                    meetql::sql::export_sqlite(e, query.as_deref(), &file)
                }),
                #[cfg(not(feature = "sqlite"))]
                (None, Some(_)) => {
                    usage("this meetql was built without the SQLite export (cargo feature 'sqlite')".into())
                }
                (None, None) => usage("export --format sqlite needs the database file: FILE.db [QUERY]".into()),
            }
        }
        None => {
            if std::io::stdin().is_terminal() {
                let engine = match open_writer(cli.db, timeout) {
                    Ok(e) => e,
                    Err(e) => return fail(e),
                };
                // The shell answers other processes itself (it may open another database).
                match meetql::repl::run(engine) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(e),
                }
            } else {
                // Piped input runs as a script, dot-commands and all.
                let text = match read_stdin() {
                    Ok(t) => t,
                    Err(e) => return fail(e),
                };
                let access = match open_reader(cli.db, timeout) {
                    Ok(a) => a,
                    Err(e) => return fail(e),
                };
                let format = format_of(None).unwrap_or(OutputFormat::Jsonl);
                run_statements(
                    access,
                    Statements { origin: "<stdin>".into(), text, format, params: Vec::new(), keep_going: false },
                )
            }
        }
    }
}

// mimalloc: the engine allocates many small strings per row; glibc's malloc spent a third of an
// indexed query's time consolidating and unlinking chunks (perf, 100k meetings).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
