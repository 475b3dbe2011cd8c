//! The `meetql` command: parses arguments and calls the library. All work lives in the crate.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use meetql::output::{OutputFormat, TableOptions};
use meetql::script::{run_script, ScriptOptions};
use meetql::{Engine, Error, Literal, Params};

#[derive(Parser)]
#[command(name = "meetql", version, about = "An embedded query engine for meeting facts", propagate_version = true)]
struct Cli {
    /// Database directory (default: $MEETQL_DB, else the bundled corpus in the data directory).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
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
    /// Write records (all, or those of a meetings query) as JSON Lines or CSV on stdout, into a
    /// new SQLite database file (`--format sqlite FILE.db [QUERY]`), or as Parquet tables in a
    /// directory (`--format parquet DIR [QUERY]`, see docs/scale-out.md).
    Export {
        /// jsonl (default), csv, sqlite or parquet.
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
    eprintln!("error: {msg}");
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
    eprintln!("error: {e}");
    e.exit_code() as u8
}

fn parse_params(raw: &[String]) -> Result<Params, String> {
    let mut p = Params::new();
    for kv in raw {
        let (k, v) = kv.split_once('=').ok_or_else(|| format!("--param expects NAME=VALUE, got '{kv}'"))?;
        let k = k.trim().trim_start_matches('$');
        if k.is_empty() || !k.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(format!("--param name '{k}' is not a parameter name (letters, digits, _)"));
        }
        p.insert(k.to_string(), Literal::infer(v));
    }
    Ok(p)
}

fn format_of(raw: Option<&str>) -> Result<OutputFormat, String> {
    match raw {
        Some(f) => OutputFormat::from_name(f)
            .ok_or_else(|| format!("unknown format '{f}' (expected table, line, json, jsonl or csv)")),
        None if std::io::stdout().is_terminal() => Ok(OutputFormat::Table),
        None => Ok(OutputFormat::Jsonl),
    }
}

fn table_options() -> TableOptions {
    TableOptions { width: None, bars: std::io::stdout().is_terminal() }
}

fn open(db: Option<PathBuf>) -> Result<Engine, Error> {
    match db.or_else(|| std::env::var_os("MEETQL_DB").map(PathBuf::from)) {
        Some(path) => Engine::open(path),
        None => meetql::default_db::open_default(&mut std::io::stderr()),
    }
}

/// Ends a command that used `engine`: makes its writes durable (a failure to do so is the
/// command's failure), flushes standard output and leaves the process at once. Dropping the
/// engine would flush and fsync the sled file once more, wait for sled's flusher thread and free
/// every cached page one by one, and the allocator would then purge its arenas; a one-shot
/// process needs none of that once the flush here has returned, and the system takes back its
/// memory, threads and file lock.
fn finish(engine: Engine, result: Result<(), Error>) -> ExitCode {
    // Flushed after a failing statement too: what the statements before it wrote stays.
    let code = match (result, engine.flush()) {
        (Ok(()), Ok(())) => 0,
        (Ok(()), Err(e)) => report(e),
        (Err(e), flushed) => {
            if let Err(f) = flushed {
                report(f);
            }
            report(e)
        }
    };
    std::mem::forget(engine);
    let _ = std::io::stdout().flush();
    leave(code)
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
    meetql::allocator::configure();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Some(Command::Gen { count, seed }) => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
            match meetql::gen::generate(count, seed, &mut out).and_then(|_| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => usage(format!("writing the corpus failed: {e}")),
            }
        }
        Some(Command::EvalExtract { dir, gold, verbose }) => {
            match meetql::ingest::report::eval::evaluate(&dir, &gold) {
                Ok(r) if verbose => {
                    print!("{r:#}");
                    ExitCode::SUCCESS
                }
                Ok(r) => {
                    print!("{r}");
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
            let engine = match open(cli.db) {
                Ok(e) => e,
                Err(e) => return fail(e),
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
            let opts = ScriptOptions { format, params, keep_going: false, table: table_options(), cancel: None };
            let result = run_one(&engine, &query, &opts);
            finish(engine, result)
        }
        Some(Command::Run { format, params, keep_going, script }) => {
            let (format, params) = match (format_of(format.as_deref()), parse_params(&params)) {
                (Ok(f), Ok(p)) => (f, p),
                (Err(e), _) | (_, Err(e)) => return usage(e),
            };
            let (origin, text) = if script == "-" {
                let mut s = String::new();
                if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                    return fail(Error::Io { path: "<stdin>".into(), source: e });
                }
                ("<stdin>".to_string(), s)
            } else {
                match std::fs::read_to_string(&script) {
                    Ok(s) => (script.clone(), s),
                    Err(e) => return fail(Error::Io { path: script.into(), source: e }),
                }
            };
            let engine = match open(cli.db) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            let opts = ScriptOptions { format, params, keep_going, table: table_options(), cancel: None };
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let result = run_script(&engine, &origin, &text, &opts, &mut out);
            let _ = out.flush();
            drop(out);
            finish(engine, result)
        }
        Some(Command::Check) => {
            let engine = match open(cli.db) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            match engine.check() {
                Ok(r) if r.is_ok() => {
                    println!("{}", meetql::output::check_summary(&r));
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
            let engine = match open(cli.db) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
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
            let mut progress = |_: &std::path::Path, n: usize| {
                records += n;
                bar.set_message(format!("{records} records"));
                bar.inc(1);
            };
            let mut rejected = 0usize;
            let result = if skip_bad {
                engine.import_paths_skipping_bad(&paths, &mut progress, &mut |e| {
                    rejected += 1;
                    bar.suspend(|| eprintln!("rejected: {e}"));
                })
            } else {
                engine.import_paths(&paths, &mut progress)
            };
            bar.finish_and_clear();
            // A snapshot now, so that the next query does not replay this import's log.
            let result = result.and_then(|s| engine.close_and_checkpoint().map(|_| s));
            match result {
                Ok(s) => {
                    for (file, why) in &s.skipped {
                        eprintln!("skipped {}: {why}", file.display());
                    }
                    let skipped = match s.skipped.len() {
                        0 => String::new(),
                        1 => "; 1 report skipped (no meeting)".to_string(),
                        n => format!("; {n} reports skipped (no meeting)"),
                    };
                    let files = format!("{} file{}", s.files.len(), if s.files.len() == 1 { "" } else { "s" });
                    if skip_bad {
                        eprintln!(
                            "imported {} records from {files}; rejected {rejected} line{} (of {} read){skipped}",
                            s.records,
                            if rejected == 1 { "" } else { "s" },
                            s.records + rejected
                        );
                    } else {
                        eprintln!("imported {} records from {files}{skipped}", s.records);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Some(Command::Sql { params, dialect, from, query }) => {
            let params = match parse_params(&params) {
                Ok(p) => p,
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
                    println!("{sql};");
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
            let engine = match open(cli.db) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let result = match format.as_str() {
                "jsonl" => engine.export(query.as_deref(), &mut |m| {
                    meetql::ingest::write_jsonl(&mut out, m)
                        .map_err(|e| Error::Io { path: "<stdout>".into(), source: e })
                }),
                "csv" => {
                    let mut w = meetql::ingest::CsvWriter::new(&mut out);
                    let r = engine.export(query.as_deref(), &mut |m| {
                        w.write(m).map_err(|e| Error::Io { path: "<stdout>".into(), source: e })
                    });
                    r.and_then(|n| w.finish().map(|_| n).map_err(|e| Error::Io { path: "<stdout>".into(), source: e }))
                }
                #[cfg(feature = "sqlite")]
                "sqlite" => {
                    let file = file.expect("set above for sqlite");
                    match meetql::sql::export_sqlite(&engine, query.as_deref(), &file) {
                        Ok(n) => {
                            eprintln!("exported {n} records to {}", file.display());
                            Ok(n)
                        }
                        Err(e) => Err(e),
                    }
                }
                #[cfg(not(feature = "sqlite"))]
                "sqlite" => {
                    let _ = file;
                    return usage("this meetql was built without the SQLite export (cargo feature 'sqlite')".into());
                }
                #[cfg(feature = "parquet")]
                "parquet" => {
                    let dir = file.expect("set above for parquet");
                    meetql::sql::export_parquet(&engine, query.as_deref(), &dir).inspect(|n| {
                        eprintln!("exported {n} records to {}", dir.display());
                    })
                }
                #[cfg(not(feature = "parquet"))]
                "parquet" => {
                    let _ = file;
                    return usage("this meetql was built without the Parquet export (cargo feature 'parquet')".into());
                }
                other => {
                    return usage(format!("unknown export format '{other}' (expected jsonl, csv, sqlite or parquet)"))
                }
            };
            match result.and_then(|_| out.flush().map_err(|e| Error::Io { path: "<stdout>".into(), source: e })) {
                Ok(()) => ExitCode::SUCCESS,
                Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }
        None => {
            let engine = match open(cli.db) {
                Ok(e) => e,
                Err(e) => return fail(e),
            };
            if std::io::stdin().is_terminal() {
                match meetql::repl::run(engine) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(e),
                }
            } else {
                let mut text = String::new();
                if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                    return fail(Error::Io { path: "<stdin>".into(), source: e });
                }
                let opts =
                    ScriptOptions { format: format_of(None).unwrap_or(OutputFormat::Jsonl), ..Default::default() };
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                let result = run_script(&engine, "<stdin>", &text, &opts, &mut out);
                let _ = out.flush();
                drop(out);
                finish(engine, result)
            }
        }
    }
}

fn run_one(engine: &Engine, query: &str, opts: &ScriptOptions) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let r = run_script(engine, "<query>", query, opts, &mut out);
    let _ = out.flush();
    r
}

// mimalloc: the engine allocates many small strings per row; glibc's malloc spent a third of an
// indexed query's time consolidating and unlinking chunks (perf, 100k meetings).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
