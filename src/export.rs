//! Export: the records a query matches (all without one) written back out in a format
//! `import` reads — JSON Lines, a JSON array, or CSV — to a writer or a new file. The command
//! line's `meetql export` and the shell's `.export` both call these.

use std::io::Write;
use std::path::Path;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::ingest::Format;

/// The export format a file name asks for: `.jsonl` (or `.ndjson`), `.json`, `.csv`.
pub fn export_format_of(path: &Path) -> Result<Format> {
    match crate::ingest::format_of(path) {
        Some(f @ (Format::Jsonl | Format::Json | Format::Csv)) => Ok(f),
        _ => Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other("the name must end in .jsonl, .json or .csv (it decides the format)"),
        }),
    }
}

/// Writes every record matching `query` (all when `None`) to `out` in `format`: JSON Lines, a
/// JSON array, or the CSV layout `import` reads back. Returns the number written.
pub fn export_records(engine: &Engine, query: Option<&str>, format: Format, out: &mut dyn Write) -> Result<u64> {
    let io = |e: std::io::Error| Error::Io { path: "<output>".into(), source: e };
    let n = match format {
        Format::Csv => {
            let mut w = crate::ingest::CsvWriter::new(&mut *out);
            let n = engine.export(query, &mut |m| w.write(m).map_err(io))?;
            w.finish().map_err(io)?;
            n
        }
        Format::Json => {
            let mut first = true;
            let mut json = Vec::new();
            let n = engine.export(query, &mut |m| {
                json.clear();
                json.extend_from_slice(if first { b"[\n" } else { b",\n" });
                first = false;
                crate::json::meeting(&mut json, m);
                out.write_all(&json).map_err(io)
            })?;
            out.write_all(if first { b"[]\n" } else { b"\n]\n" }).map_err(io)?;
            n
        }
        _ => {
            // One line's memory, reused from record to record.
            let mut line = Vec::new();
            engine.export(query, &mut |m| {
                line.clear();
                crate::json::meeting(&mut line, m);
                line.push(b'\n');
                out.write_all(&line).map_err(io)
            })?
        }
    };
    out.flush().map_err(io)?;
    Ok(n)
}

/// [`export_records`] into a new file at `path`.
pub fn export_file(engine: &Engine, query: Option<&str>, format: Format, path: &Path) -> Result<u64> {
    let file = std::fs::File::create(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e })?;
    let mut out = std::io::BufWriter::new(file);
    export_records(engine, query, format, &mut out).map_err(|e| match e {
        Error::Io { source, .. } => Error::Io { path: path.to_path_buf(), source },
        other => other,
    })
}
