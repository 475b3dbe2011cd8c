//! Reading meeting records from files and writing them back: JSON Lines, JSON arrays and CSV.
//!
//! Readers stream: records are handed to a sink one by one, so a caller can stage them in
//! batches and memory stays bounded however big the file is (a `.jsonl` or `.csv` file is read
//! line by line, never whole). Every problem is a [`DataError`] that names the file and the
//! line: invalid JSON (with the column), an unknown key, a bad or missing date, invalid UTF-8,
//! a NUL byte, a CSV row of the wrong width. A UTF-8 byte order mark at the start of a file and
//! CRLF line ends are accepted; blank lines are skipped. A line longer than [`MAX_LINE_BYTES`]
//! (64 MiB) is an error that names it, found without holding more than that in memory.
//!
//! With `skip_bad` ([`read_records_skipping`], `meetql import --skip-bad`) a bad JSON Lines
//! line, or a CSV row of the wrong width or with a bad value, is handed to a callback and
//! reading goes on; errors that leave no next line to go on from (unterminated CSV quotes,
//! invalid UTF-8 or NUL bytes in CSV, a broken JSON array) still stop the file.
//!
//! An import of a file of [`PIPELINE_MIN_BYTES`] or more parses it on a second thread while
//! the importing thread stages the records, with at most a few thousand records in between;
//! the records, rejected lines, errors and counts are those of the serial read.
//!
//! # Formats
//!
//! * **JSON Lines** (`.jsonl`, `.ndjson`): one record of CONTRACT §2 a line.
//! * **JSON** (`.json`): one array of such records.
//! * **CSV** (`.csv`): the layout of [`CSV_COLUMNS`], described below.
//! * **Reports** (`.txt`): plain-text news reports, read whole and turned into meetings by the
//!   rule-based extractor of [`report`] (a report without a meeting gives no record).
//!
//! # The CSV layout
//!
//! A header row is required. It must name each of the columns of [`CSV_COLUMNS`] exactly once,
//! in any order; an unknown or a missing column is an error that names it:
//!
//! ```text
//! id,date,kind,city,country,participants,orgs,countries,topics,publisher,doc,url,summary,text
//! ```
//!
//! * Quoting is RFC 4180 (the `csv` crate): a field holding `,`, `"` or a line break is quoted,
//!   and a `"` inside it is doubled. A quoted field may span lines.
//! * `id`, `date`, `kind`, `city`, `country`, `publisher`, `doc`, `url`, `summary`, `text` hold
//!   their value as is. An empty field is null (so an empty string and null are one thing in
//!   CSV); an empty `id` is derived from the content, an empty `kind` is `meeting`, and `date`
//!   must not be empty.
//! * `orgs`, `countries` and `topics` are lists: items separated by `;`. An empty field is the
//!   empty list.
//! * `participants` is a list of entries separated by `;`, each entry `name|title|org|country`;
//!   an empty part is null (trailing parts may be left out: `Kaha Imnadze` alone is a name).
//! * Inside the list fields and `participants`, a backslash escapes the separators and itself:
//!   `\;` is a `;`, `\|` is a `|` and `\\` is a `\` that belong to the value. (A backslash
//!   before any other character is kept as it is.)
//!
//! ```text
//! id,date,kind,city,country,participants,orgs,countries,topics,publisher,doc,url,summary,text
//! m-1,2024-01-17,meeting,Ashgabat,Turkmenistan,Myakhri Byashimova|Deputy Minister|MFA|Turkmenistan;Kaha Imnadze|Head of UNRCCA|UNRCCA|,UNRCCA;UN,Turkmenistan,security;education,Trend,report.txt,,Talks.,
//! ```
//!
//! [`CsvWriter`] writes exactly this form, and [`write_jsonl`] the JSON Lines form, so that
//! export → import → export gives the same bytes.

mod csv_io;
mod jsonl;
mod pipeline;
pub mod report;

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::error::{DataError, Error};
use crate::model::Meeting;
use crate::model::MAX_RECORD_BYTES;

pub use self::csv_io::{CsvWriter, CSV_COLUMNS};

/// The kinds of files MeetQL imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON Lines (`.jsonl`, `.ndjson`): one record a line.
    Jsonl,
    /// A JSON array of records (`.json`).
    Json,
    /// CSV with the columns of [`CSV_COLUMNS`] (`.csv`).
    Csv,
    /// A plain-text news report of a meeting (`.txt`).
    Report,
}

impl Format {
    /// The format's usual name: `jsonl`, `json`, `csv` or `report`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Report => "report",
        }
    }
}

/// The format of a file, from its extension (case-insensitive): `.jsonl`/`.ndjson`, `.json`,
/// `.csv` or `.txt`; `None` for any other.
///
/// ```
/// use meetql::ingest::{format_of, Format};
/// assert_eq!(format_of("a/b.NDJSON".as_ref()), Some(Format::Jsonl));
/// assert_eq!(format_of("notes.md".as_ref()), None);
/// ```
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "json" => Some(Format::Json),
        "csv" => Some(Format::Csv),
        "txt" => Some(Format::Report),
        _ => None,
    }
}

/// Reads the records of the file at `path` in `format`, handing each to `sink` in file order
/// (with [`Meeting::ensure_id`] applied), and returns how many there were.
///
/// The file is streamed; a problem in it is an [`Error::Data`] naming the file and the line. An
/// error returned by `sink` stops the reading and is returned as is. Records handed to `sink`
/// before an error are not taken back: a caller that wants all-or-nothing stages them.
///
/// ```no_run
/// use meetql::ingest::{read_records, Format};
/// let mut n = 0;
/// read_records("corpus.jsonl".as_ref(), Format::Jsonl, &mut |m| {
///     n += m.participants.len();
///     Ok(())
/// })?;
/// # Ok::<(), meetql::Error>(())
/// ```
pub fn read_records(
    path: &Path,
    format: Format,
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
) -> Result<usize, Error> {
    read_file(path, format, sink, None)
}

/// Reads as [`read_records`] does, but a bad line (see the module doc) is handed to `rejected`
/// and skipped instead of stopping the file. Returns the number of records read; the lines
/// read are that plus the rejected ones (blank lines are neither).
pub fn read_records_skipping(
    path: &Path,
    format: Format,
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
    rejected: &mut dyn FnMut(DataError),
) -> Result<usize, Error> {
    read_file(path, format, sink, Some(rejected))
}

/// A callback for lines that `skip_bad` rejects.
pub(crate) type Reject<'a> = Option<&'a mut dyn FnMut(DataError)>;

/// What every reader does with one line's outcome: a record gets its id and goes to `sink`
/// (counted in `count`); a bad line goes to `rejected`, or without it ends the read.
pub(crate) fn deliver(
    outcome: Result<Meeting, DataError>,
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
    rejected: &mut Reject<'_>,
    count: &mut usize,
    (origin, line): (&str, usize),
) -> Result<(), Error> {
    match outcome.and_then(|m| within_size(m, origin, Some(line))) {
        Ok(mut m) => {
            m.ensure_id();
            sink(m)?;
            *count += 1;
            Ok(())
        }
        Err(e) => match rejected.as_mut() {
            Some(reject) => {
                reject(e);
                Ok(())
            }
            None => Err(e.into()),
        },
    }
}

/// Refuses a record larger than the database stores ([`MAX_RECORD_BYTES`]): it could never
/// be read back.
pub(crate) fn within_size(m: Meeting, origin: &str, line: Option<usize>) -> Result<Meeting, DataError> {
    let n = crate::model::stored_size_bound(&m);
    if n > MAX_RECORD_BYTES {
        return Err(DataError::new(
            origin,
            line,
            format!(
                "record of {n} bytes is larger than the limit of {MAX_RECORD_BYTES} ({} MiB)",
                MAX_RECORD_BYTES >> 20
            ),
        ));
    }
    Ok(m)
}

/// Reads a report whole, but never more than one record may hold (plus one byte, to tell).
fn read_report_bytes(reader: impl io::Read, origin: &str, path: &Path) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut io::Read::take(reader, MAX_RECORD_BYTES as u64 + 1), &mut bytes)
        .map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    report_within_size(origin, bytes.len() as u64)?;
    Ok(bytes)
}

/// Refuses a report file larger than one record may be, before reading it: its text goes into
/// the record.
fn report_within_size(origin: &str, len: u64) -> Result<(), DataError> {
    if len > MAX_RECORD_BYTES as u64 {
        return Err(DataError::new(
            origin,
            None,
            format!(
                "report of {len} bytes is larger than the limit of {MAX_RECORD_BYTES} ({} MiB) for one record",
                MAX_RECORD_BYTES >> 20
            ),
        ));
    }
    Ok(())
}

fn read_file(
    path: &Path,
    format: Format,
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
    rejected: Reject<'_>,
) -> Result<usize, Error> {
    let origin = path.display().to_string();
    if format == Format::Report {
        return report_to_sink(read_report_file(path)?, sink);
    }
    let file = File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let reader = BufReader::with_capacity(64 * 1024, file);
    let result = match format {
        Format::Jsonl => jsonl::read_jsonl(reader, &origin, sink, rejected),
        Format::Json => jsonl::read_json_array(reader, &origin, sink),
        Format::Csv => csv_io::read_csv(reader, &origin, sink, rejected),
        Format::Report => unreachable!("handled above"),
    };
    result.map_err(|e| match e {
        Error::Io { source, .. } => Error::Io { path: path.to_path_buf(), source },
        e => e,
    })
}

/// The size from which an import parses a `.jsonl`, `.json` or `.csv` file on a second thread
/// while the calling thread stages the records: 8 MiB (some 13,000 records of a typical
/// corpus). Below it the staging side has too little to do for the thread to pay: measured on
/// `meetql gen` data, pipelining loses up to 5,000 records and breaks even about 10,000.
pub const PIPELINE_MIN_BYTES: u64 = 8 << 20;

/// Reads the file as [`read_records`] (or, with `rejected`, [`read_records_skipping`]) does,
/// for an import: a file big enough for it to pay is parsed on a second thread while `sink`
/// runs on this one (see [`pipeline`]); the sink, the callbacks and the result are the same.
pub(crate) fn read_file_for_import(
    path: &Path,
    format: Format,
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
    rejected: Reject<'_>,
) -> Result<usize, Error> {
    let big = format != Format::Report && std::fs::metadata(path).is_ok_and(|m| m.len() >= PIPELINE_MIN_BYTES);
    if big {
        pipeline::pipelined(sink, rejected, |sink, rejected| read_file(path, format, sink, rejected))
    } else {
        read_file(path, format, sink, rejected)
    }
}

/// Reads records in `format` from any buffered reader, as [`read_records`] does from a file;
/// `origin` names the input in errors (a path, or `<stdin>`).
pub fn read_from(
    reader: impl io::BufRead,
    origin: &str,
    format: Format,
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
) -> Result<usize, Error> {
    match format {
        Format::Jsonl => jsonl::read_jsonl(reader, origin, sink, None),
        Format::Json => jsonl::read_json_array(reader, origin, sink),
        Format::Csv => csv_io::read_csv(reader, origin, sink, None),
        Format::Report => {
            let bytes = read_report_bytes(reader, origin, &PathBuf::from(origin))?;
            report_to_sink(report::read_report(origin, &bytes)?, sink)
        }
    }
}

/// Hands a report's meetings to `sink`; a report without a meeting gives none (its reason is in
/// the [`report::Extraction`], which [`read_report_file`] returns whole).
fn report_to_sink(x: report::Extraction, sink: &mut dyn FnMut(Meeting) -> Result<(), Error>) -> Result<usize, Error> {
    let n = x.meetings.len();
    for m in x.meetings {
        sink(m)?;
    }
    Ok(n)
}

/// Reads and extracts a report file whole (reports are small): its meetings, the aliases it
/// defines, and why it was skipped when it gave no meeting. `source.doc` is the path as given.
pub fn read_report_file(path: &Path) -> Result<report::Extraction, Error> {
    let origin = path.display().to_string();
    let file = File::open(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let bytes = read_report_bytes(file, &origin, path)?;
    Ok(report::read_report(&origin, &bytes)?)
}

/// Writes `m` as one line of JSON (the form of CONTRACT §2, keys in its order) and a `\n`.
///
/// ```
/// let m: meetql::Meeting = serde_json::from_str(r#"{"id":"m-1","date":"2024"}"#).unwrap();
/// let mut out = Vec::new();
/// meetql::ingest::write_jsonl(&mut out, &m).unwrap();
/// assert!(out.starts_with(br#"{"id":"m-1","date":"2024","kind":"meeting""#));
/// assert!(out.ends_with(b"}\n"));
/// ```
pub fn write_jsonl(w: &mut dyn Write, m: &Meeting) -> io::Result<()> {
    let mut line = Vec::with_capacity(1024);
    crate::json::meeting(&mut line, m);
    line.push(b'\n');
    w.write_all(&line)
}

/// The files to import for the paths given on a command line: a file as given (its format from
/// its extension, an unknown one is an error that names it), a directory walked recursively in
/// sorted order, taking only files of a known extension and skipping hidden entries (names
/// starting with `.`) and symbolic links to directories.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, Format)>, Error> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| Error::Io { path: path.clone(), source })?;
        if meta.is_dir() {
            walk(path, &mut out)?;
        } else {
            match format_of(path) {
                Some(f) => out.push((path.clone(), f)),
                None => {
                    let what = match path.extension() {
                        Some(e) => format!("extension `.{}`", e.to_string_lossy()),
                        None => "no extension".to_string(),
                    };
                    return Err(DataError::new(
                        path.display().to_string(),
                        None,
                        format!("cannot import a file with {what} (expected .jsonl, .ndjson, .json, .csv or .txt)"),
                    )
                    .into());
                }
            }
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, Format)>) -> Result<(), Error> {
    let io_err = |source| Error::Io { path: dir.to_path_buf(), source };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let ft = entry.file_type().map_err(io_err)?;
        entries.push((entry.file_name(), entry.path(), ft));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, path, ft) in entries {
        if ft.is_dir() {
            walk(&path, out)?;
        } else if let Some(f) = format_of(&path) {
            let is_file = if ft.is_symlink() {
                std::fs::metadata(&path).map(|m| m.is_file()).unwrap_or(false)
            } else {
                ft.is_file()
            };
            if is_file {
                out.push((path, f));
            }
        }
    }
    Ok(())
}

/// The longest line the line-based readers (JSON Lines, CSV) accept: 64 MiB.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LineRead {
    /// The end of the input: nothing read.
    Eof,
    /// A line (with its `\n`, if any) is in the buffer.
    Line,
    /// The line is longer than the cap: its first `cap` bytes are in the buffer and reading
    /// stopped there. The rest of the line is not read (it may never end: `/dev/zero`), so the
    /// input cannot go on past it.
    TooLong,
}

/// The reader's buffered bytes (refilled when empty; empty at the end of the input), reading
/// again when a signal interrupted the read.
fn fill(reader: &mut impl io::BufRead) -> io::Result<&[u8]> {
    loop {
        match reader.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
            // The end of the input: asking again would read again (and wait on a terminal).
            Ok([]) => return Ok(&[]),
            Ok(_) => break,
        }
    }
    // Bytes are buffered: `fill_buf` returns them without reading.
    reader.fill_buf()
}

/// How many bytes of `chunk` belong to the current line, and whether its `\n` is among them.
fn up_to_newline(chunk: &[u8]) -> (usize, bool) {
    match chunk.iter().position(|&b| b == b'\n') {
        Some(i) => (i + 1, true),
        None => (chunk.len(), false),
    }
}

/// Reads one line into `buf` (cleared first) as `read_until(b'\n')` does, but never reads more
/// than `cap` bytes of it: past the cap it stops with [`LineRead::TooLong`].
pub(crate) fn read_line(reader: &mut impl io::BufRead, buf: &mut Vec<u8>, cap: usize) -> io::Result<LineRead> {
    buf.clear();
    let mut any = false;
    loop {
        let chunk = fill(reader)?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = up_to_newline(chunk);
        let room = cap.saturating_sub(buf.len());
        if take > room {
            buf.extend_from_slice(&chunk[..room]);
            reader.consume(room);
            return Ok(LineRead::TooLong);
        }
        buf.extend_from_slice(&chunk[..take]);
        reader.consume(take);
        if done {
            break;
        }
    }
    Ok(if any { LineRead::Line } else { LineRead::Eof })
}

/// How much of an over-long line `--skip-bad` reads past [`MAX_LINE_BYTES`] to find its end
/// before it gives up on the file: 1 GiB.
pub const MAX_SKIPPED_LINE_BYTES: u64 = 1 << 30;

/// Reads and drops the rest of a line that [`read_line`] found too long, up to and including
/// its `\n`, reading at most `limit` bytes. True when the line ended (or the input did).
pub(crate) fn skip_rest_of_line(reader: &mut impl io::BufRead, limit: u64) -> io::Result<bool> {
    let mut left = limit;
    loop {
        let chunk = fill(reader)?;
        if chunk.is_empty() {
            return Ok(true);
        }
        let (take, done) = up_to_newline(chunk);
        let take = take.min(usize::try_from(left).unwrap_or(usize::MAX));
        reader.consume(take);
        left -= take as u64;
        if done && take > 0 {
            return Ok(true);
        }
        if left == 0 {
            return Ok(false);
        }
    }
}

/// The error for a line over [`MAX_LINE_BYTES`].
fn too_long(origin: &str, line: usize) -> DataError {
    DataError::new(origin, Some(line), format!("line {line} is longer than {} MiB", MAX_LINE_BYTES >> 20))
}

/// The error for a line so long that even `--skip-bad` stops reading the file there.
fn too_long_to_skip(origin: &str, line: usize) -> DataError {
    DataError::new(
        origin,
        Some(line),
        format!(
            "line {line} is longer than {} MiB and does not end within {} GiB; reading stopped there",
            MAX_LINE_BYTES >> 20,
            MAX_SKIPPED_LINE_BYTES >> 30
        ),
    )
}

/// Checks one physical line of input (without its line end) for NUL bytes and invalid UTF-8.
fn check_line<'a>(bytes: &'a [u8], origin: &str, line: usize) -> Result<&'a str, DataError> {
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(DataError::new(origin, Some(line), format!("NUL byte at byte {} of line {line}", at + 1)));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        DataError::new(origin, Some(line), format!("invalid UTF-8 at byte {} of line {line}", e.valid_up_to() + 1))
    })
}

/// Strips the line end (`\n` or `\r\n`) and, on the first line, a UTF-8 byte order mark.
fn trim_line(buf: &[u8], first: bool) -> &[u8] {
    let mut b = buf;
    if first {
        b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    }
    b = b.strip_suffix(b"\n").unwrap_or(b);
    b.strip_suffix(b"\r").unwrap_or(b)
}

#[cfg(test)]
mod tests;
