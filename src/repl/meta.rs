//! The shell's own meta-commands: `.open` and `.quit`; every other dot-command is the
//! session's ([`crate::session::Session::meta`]), as in scripts. A wrong command or argument
//! gets one line with the usage, and the shell goes on.

use std::path::PathBuf;

use super::{Next, Shell};
use crate::engine::Engine;
use crate::session::Flow;

/// Runs one meta-command line.
pub(crate) fn run(shell: &mut Shell, line: &str) -> Next {
    let line = crate::session::bare_meta(line).unwrap_or(line).trim();
    let (cmd, arg) = match line.find(char::is_whitespace) {
        Some(i) => (&line[..i], line[i..].trim()),
        None => (line, ""),
    };
    match cmd {
        ".open" if !arg.is_empty() => {
            let path = PathBuf::from(arg.trim().trim_matches('"'));
            let current = shell.session.engine.path().canonicalize().ok();
            if path.canonicalize().ok().as_deref() == current.as_deref() {
                println!("{} is already open", path.display());
            } else {
                match Engine::open(&path) {
                    Ok(e) => {
                        println!("opened {} ({} meetings)", e.path().display(), e.len().unwrap_or(0));
                        // The old database is let go: its server ends with the engine it holds.
                        shell.server = None;
                        shell.server = crate::serve::Server::start(&e, "the shell").ok();
                        shell.session.engine = e;
                    }
                    Err(e) => shell.error(&e),
                }
            }
            Next::Continue
        }
        // Statements run on the worker thread (Ctrl-C cancels them); so do `.read` and `.explain`.
        ".read" | ".explain" if !arg.is_empty() => shell.statements("<query>", line),
        _ => {
            let mut out = std::io::stdout();
            match shell.session.meta(line, &mut out, &mut std::io::stderr()) {
                Ok(Flow::Quit) => Next::Quit,
                Ok(Flow::Go) => Next::Continue,
                Err(e) => {
                    shell.error(&e);
                    Next::Continue
                }
            }
        }
    }
}
