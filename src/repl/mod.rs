//! The interactive shell: reads statements with rustyline and runs them like a script, in the
//! current output mode. Errors are printed and the shell goes on.
//!
//! Life of an input: rustyline reads until [`helper::is_complete`] says Enter completes a
//! statement (or a meta-command) → a meta-command runs in [`meta`] → statements run through
//! [`crate::script::run_script`] on a worker thread, so that Ctrl-C can cancel them → the
//! whole input becomes one history entry.
//!
//! **Invariant:** the shell uses only the public [`Engine`] API and the `output`, `script` and
//! `lang` modules; it knows nothing of sled.

pub mod helper;
mod meta;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rustyline::config::{CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::Editor;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::output::OutputFormat;
use crate::session::Session;
pub use helper::ReplHelper;

/// Set by the SIGINT handler while a statement runs (outside line editing, Ctrl-C is a signal).
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Where the shell keeps its history: `history.txt` in the platform data directory
/// (`$XDG_DATA_HOME/meetql` or `~/.local/share/meetql` on Linux).
pub fn history_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "meetql").map(|d| d.data_dir().join("history.txt"))
}

/// Whether to colour: standard output is a terminal and `NO_COLOR` is unset or empty.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// The shell's state besides the line editor: the session, and what the terminal is like.
pub(crate) struct Shell {
    pub(crate) session: Session,
    /// Answers other processes' reads of the open database.
    pub(crate) server: Option<crate::serve::Server>,
    pub(crate) width: Option<u16>,
    pub(crate) color: bool,
}

/// What the loop does after an input.
pub(crate) enum Next {
    Continue,
    Quit,
}

/// How many rows of a table the shell shows on a terminal unless `.maxrows` says otherwise.
pub const DEFAULT_MAX_ROWS: usize = 40;

/// Runs the shell on `engine` until `.quit` or Ctrl-D.
pub fn run(engine: Engine) -> Result<()> {
    let terminal = |e: ReadlineError| Error::Failed(format!("terminal: {e}"));
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .max_history_size(10_000)
        .map_err(terminal)?
        .history_ignore_dups(true)
        .map_err(terminal)?
        .auto_add_history(false)
        // Asking the terminal where the cursor is eats keys typed or pasted ahead; every output
        // of the shell ends with a newline anyway.
        .check_cursor_position(false)
        .build();
    let color = use_color();
    let mut rl: Editor<ReplHelper, DefaultHistory> = Editor::with_config(config).map_err(terminal)?;
    rl.set_helper(Some(ReplHelper::new(Some(engine.clone()), color)));
    let history = history_path();
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = rl.load_history(h);
    }
    // Outside line editing, Ctrl-C is SIGINT: it cancels the running statement, not the shell.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));

    let records = engine.len().unwrap_or(0);
    println!(
        "MeetQL {} — {records} meetings in {}\nType a query (e.g. meetings where org = \"UN\" limit 5), .help for commands, Ctrl-D to quit.",
        env!("CARGO_PKG_VERSION"),
        engine.path().display()
    );
    let mut session = Session::new(engine);
    session.format = OutputFormat::Table;
    session.bail = false;
    session.notes = true;
    session.table.bars = true;
    if std::io::stdout().is_terminal() {
        session.max_rows = Some(DEFAULT_MAX_ROWS);
    }
    let server = crate::serve::Server::start(&session.engine, "the shell").ok();
    let mut shell = Shell { session, server, width: None, color };
    // A statement left unfinished when a meta-command ran on its continuation line.
    let mut pending = String::new();
    loop {
        let read = if pending.is_empty() {
            rl.readline("meetql> ")
        } else {
            rl.readline_with_initial("meetql> ", (pending.as_str(), ""))
        };
        match read {
            Ok(input) => {
                pending.clear();
                if input.trim().is_empty() {
                    continue;
                }
                let (statement, meta) = match helper::meta_line(&input) {
                    Some((before, cmd)) if !before.trim().is_empty() => (before.to_string(), Some(cmd.to_string())),
                    _ if input.trim_start().starts_with('.') => (String::new(), Some(input.trim().to_string())),
                    _ if crate::session::bare_meta(&input).is_some() => (String::new(), Some(input.trim().to_string())),
                    _ => (input.clone(), None),
                };
                shell.width = rl.dimensions().map(|(w, _)| w);
                shell.session.table.width = shell.width;
                let next = match meta {
                    Some(cmd) => {
                        remember(&mut rl, history.as_deref(), &cmd);
                        pending = statement;
                        meta::run(&mut shell, &cmd)
                    }
                    None => {
                        remember(&mut rl, history.as_deref(), &statement);
                        shell.statements("<query>", &statement)
                    }
                };
                if let Some(h) = rl.helper_mut() {
                    h.set_engine(shell.session.engine.clone());
                }
                if let Next::Quit = next {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => pending.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(terminal(e)),
        }
    }
    // An unfinished statement is not lost: Up brings it back next time.
    if !pending.trim().is_empty() {
        remember(&mut rl, history.as_deref(), &pending);
    }
    if let Err(e) = shell.session.finish() {
        shell.error(&e);
    }
    Ok(())
}

/// Adds one history entry (a whole statement, however many lines) and writes it at once, so
/// that a crash or a closed terminal keeps it.
fn remember(rl: &mut Editor<ReplHelper, DefaultHistory>, path: Option<&std::path::Path>, entry: &str) {
    let entry = entry.trim();
    if entry.is_empty() || !rl.add_history_entry(entry).unwrap_or(false) {
        return;
    }
    if let Some(h) = path {
        if rl.append_history(h).is_err() {
            let _ = rl.save_history(h);
        }
    }
}

/// A writer to standard output that fails once the statement is cancelled, so that the row
/// sink stops and nothing more is printed.
struct CancelWriter {
    cancel: Arc<AtomicBool>,
}

impl Write for CancelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.cancel.load(Ordering::SeqCst) {
            return Err(std::io::Error::other("cancelled"));
        }
        std::io::stdout().lock().write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stdout().flush()
    }
}

impl Shell {
    pub(crate) fn error(&self, e: &dyn std::fmt::Display) {
        let _ = std::io::stdout().flush();
        if self.color {
            eprintln!("\x1b[1;31merror:\x1b[0m {}", crate::error::printable(&e.to_string()));
        } else {
            eprintln!("error: {}", crate::error::printable(&e.to_string()));
        }
    }

    /// Runs the statements (and dot-commands) of `text` (from `origin`) in the session on a
    /// worker thread; Ctrl-C cancels it: its output stops at once and the engine stops the
    /// query at its next row. Prints errors, the time with `.timer on`, and a "did you mean"
    /// for stored values that match nothing.
    pub(crate) fn statements(&mut self, origin: &str, text: &str) -> Next {
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let placeholder = Session::new(self.session.engine.clone());
        let mut session = std::mem::replace(&mut self.session, placeholder);
        // The statement stops inside the engine too, releasing the database at once.
        session.cancel = Some(cancel.clone());
        let (origin_owned, text_owned) = (origin.to_string(), text.to_string());
        let writer_cancel = cancel.clone();
        INTERRUPTED.store(false, Ordering::SeqCst);
        let worker = std::thread::spawn(move || {
            let mut out = CancelWriter { cancel: writer_cancel };
            let r = session.run_text(&origin_owned, &text_owned, &mut out, &mut std::io::stderr());
            let _ = out.flush();
            let _ = tx.send(());
            (session, r)
        });
        let mut interrupted = false;
        loop {
            match rx.recv_timeout(Duration::from_millis(20)) {
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if INTERRUPTED.swap(false, Ordering::SeqCst) {
                        cancel.store(true, Ordering::SeqCst);
                        interrupted = true;
                    }
                }
            }
        }
        let result = match worker.join() {
            Ok((mut session, r)) => {
                session.cancel = None;
                self.session = session;
                r
            }
            Err(_) => Err(Error::Failed("the statement stopped unexpectedly".into())),
        };
        if interrupted {
            let _ = std::io::stdout().flush();
            eprintln!("\ninterrupted");
            return Next::Continue;
        }
        match result {
            Ok(crate::session::Flow::Quit) => Next::Quit,
            Ok(crate::session::Flow::Go) => Next::Continue,
            Err(e) => {
                self.error(&e);
                Next::Continue
            }
        }
    }
}
