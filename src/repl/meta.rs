//! Meta-commands: `.help`, `.mode`, `.timer`, `.explain`, `.fields`, `.stats`, `.check`, `.import`,
//! `.export`, `.read`, `.open`, `.quit`. A wrong command or argument gets one line with the usage.

use std::io::Write;
use std::path::PathBuf;

use super::helper::{mode_names, META_COMMANDS};
use super::{Next, Shell};
use crate::engine::Engine;
use crate::error::Error;
use crate::fields::MeetingField;
use crate::output::OutputFormat;
use crate::Row;

fn usage(cmd: &str) -> String {
    let u = META_COMMANDS.iter().find(|(n, _, _)| *n == cmd).map_or(cmd, |(_, u, _)| u);
    format!("usage: {u}")
}

/// Runs one meta-command line.
pub(crate) fn run(shell: &mut Shell, line: &str) -> Next {
    let (cmd, arg) = match line.find(char::is_whitespace) {
        Some(i) => (&line[..i], line[i..].trim()),
        None => (line, ""),
    };
    match cmd {
        ".quit" | ".exit" if arg.is_empty() => return Next::Quit,
        ".help" if arg.is_empty() => {
            let w = META_COMMANDS.iter().map(|(_, u, _)| u.chars().count()).max().unwrap_or(0);
            for (_, u, what) in META_COMMANDS {
                println!("{u:<w$}  {what}");
            }
            println!("Statements end with Enter when complete, or with ';'. Tab completes; Ctrl-C cancels.");
        }
        ".mode" => match arg {
            "" => println!("{}", shell.format.name()),
            a => match OutputFormat::from_name(a) {
                Some(f) => shell.format = f,
                None => eprintln!("usage: .mode {}", mode_names()),
            },
        },
        ".timer" => match arg {
            "on" => shell.timer = true,
            "off" => shell.timer = false,
            _ => eprintln!("{}", usage(cmd)),
        },
        ".explain" if !arg.is_empty() => {
            let q = arg.trim_start();
            let text = if q.to_lowercase().starts_with("explain ") { q.to_string() } else { format!("explain {q}") };
            shell.statements("<query>", &text);
        }
        ".fields" if arg.is_empty() => fields(shell),
        ".stats" if arg.is_empty() => stats(shell),
        ".check" if arg.is_empty() => match shell.engine.check() {
            Ok(r) => println!("{}", crate::output::check_summary(&r)),
            Err(e) => shell.error(&e),
        },
        ".import" if !arg.is_empty() => {
            let path = PathBuf::from(unquote(arg));
            let r = shell.engine.import_paths(std::slice::from_ref(&path), &mut |f, n| {
                println!("imported {n} records from {}", f.display());
            });
            match r {
                Ok(s) => println!(
                    "imported {} records from {} file{}",
                    s.records,
                    s.files.len(),
                    plural(s.files.len() as u64)
                ),
                Err(e) => shell.error(&e),
            }
        }
        ".export" if !arg.is_empty() => {
            let (path, query) = match arg.split_once(char::is_whitespace) {
                Some((p, q)) => (p, Some(q.trim())),
                None => (arg, None),
            };
            match export(&shell.engine, &PathBuf::from(unquote(path)), query) {
                Ok(n) => println!("exported {n} record{} to {path}", plural(n)),
                Err(e) => shell.error(&e),
            }
        }
        ".read" if !arg.is_empty() => {
            let path = unquote(arg);
            match std::fs::read_to_string(&path) {
                Ok(text) => shell.statements(&path, &text),
                Err(e) => shell.error(&Error::Io { path: path.into(), source: e }),
            }
        }
        ".open" if !arg.is_empty() => {
            let path = PathBuf::from(unquote(arg));
            if path.canonicalize().ok().as_deref() == shell.engine.path().canonicalize().ok().as_deref() {
                println!("{} is already open", path.display());
            } else {
                match Engine::open(&path) {
                    Ok(e) => {
                        println!("opened {} ({} meetings)", e.path().display(), e.len().unwrap_or(0));
                        shell.engine = e;
                    }
                    Err(e) => shell.error(&e),
                }
            }
        }
        c if META_COMMANDS.iter().any(|(n, _, _)| *n == c) => eprintln!("{}", usage(c)),
        other => {
            let names = META_COMMANDS.iter().map(|(n, _, _)| *n);
            match crate::error::closest(other, names) {
                Some(s) => {
                    eprintln!("unknown command '{other}'; did you mean {s}? (.help lists them)")
                }
                None => eprintln!("unknown command '{other}' (.help lists them)"),
            }
        }
    }
    Next::Continue
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches('"').to_string()
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn export(engine: &Engine, path: &std::path::Path, query: Option<&str>) -> crate::Result<u64> {
    let io = |e: std::io::Error| Error::Io { path: path.to_path_buf(), source: e };
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    let n = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
        let mut w = crate::ingest::CsvWriter::new(&mut out);
        let n = engine.export(query, &mut |m| w.write(m).map_err(io))?;
        w.finish().map_err(io)?;
        n
    } else {
        engine.export(query, &mut |m| crate::ingest::write_jsonl(&mut out, m).map_err(io))?
    };
    out.flush().map_err(io)?;
    Ok(n)
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
fn fields(shell: &Shell) {
    let engine = &shell.engine;
    let width = shell.width.map_or(100, usize::from);
    println!("{:<8} {:>9}  frequent values", "field", "meetings");
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
                        println!("{name:<8} {n:>9}  {lo} … {hi}");
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
        println!("{}", shown.trim_end());
    }
}

/// `.stats`: records, distinct orgs/people/countries, size on disk, path.
fn stats(shell: &Shell) {
    let e = &shell.engine;
    let size = e.size_on_disk().unwrap_or(0);
    println!("records    {}", e.len().unwrap_or(0));
    println!("orgs       {}", total(e, "orgs count"));
    println!("people     {}", total(e, "people count"));
    println!("countries  {}", total(e, "countries count"));
    println!("size       {}", human(size));
    println!("path       {}", e.path().display());
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
