//! The interactive shell: reads statements with rustyline and runs them like a script, one
//! statement at a time, in the current output mode. Errors are printed and the shell goes on.

use std::io::Write;

use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

use crate::engine::Engine;
use crate::error::Result;
use crate::output::{OutputFormat, TableOptions};
use crate::script::{run_script, ScriptOptions};

/// Where the shell keeps its history.
pub fn history_path() -> Option<std::path::PathBuf> {
    directories::ProjectDirs::from("", "", "meetql").map(|d| d.data_dir().join("history.txt"))
}

/// Whether `buf` holds a statement that is ready to run.
fn complete(buf: &str) -> bool {
    let t = buf.trim_end();
    t.ends_with(';') || (!t.is_empty() && crate::lang::parse_statement(t).is_ok())
}

/// Runs the shell on `engine` until `.quit` or Ctrl-D.
pub fn run(engine: Engine) -> Result<()> {
    let mut rl = DefaultEditor::new().map_err(|e| crate::Error::Storage(format!("terminal: {e}")))?;
    let history = history_path();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    let mut opts = ScriptOptions {
        format: OutputFormat::Table,
        table: TableOptions { width: None, bars: true },
        ..Default::default()
    };
    let mut buf = String::new();
    let stdout = std::io::stdout();
    loop {
        let prompt = if buf.is_empty() { "meetql> " } else { "   ...> " };
        match rl.readline(prompt) {
            Ok(line) => {
                if buf.is_empty() && line.trim_start().starts_with('.') {
                    let _ = rl.add_history_entry(line.as_str());
                    let mut words = line.split_whitespace();
                    match words.next().unwrap_or("") {
                        ".quit" | ".exit" => break,
                        ".help" => println!(".help             this list\n.mode MODE        table, line, json, jsonl or csv\n.quit, .exit      leave"),
                        ".mode" => match words.next().and_then(OutputFormat::from_name) {
                            Some(f) => opts.format = f,
                            None => eprintln!("usage: .mode table|line|json|jsonl|csv"),
                        },
                        other => eprintln!("error: unknown command '{other}' (try .help)"),
                    }
                    continue;
                }
                if !buf.is_empty() {
                    buf.push('\n');
                }
                buf.push_str(&line);
                if buf.trim().is_empty() {
                    buf.clear();
                    continue;
                }
                if !complete(&buf) {
                    continue;
                }
                let _ = rl.add_history_entry(buf.as_str());
                let mut out = stdout.lock();
                if let Err(e) = run_script(&engine, "<query>", &buf, &opts, &mut out) {
                    let _ = out.flush();
                    eprintln!("error: {e}");
                }
                buf.clear();
            }
            Err(ReadlineError::Interrupted) => buf.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(crate::Error::Storage(format!("terminal: {e}"))),
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = rl.save_history(h);
    }
    Ok(())
}
