//! The CSV layout of [`CSV_COLUMNS`]: reader and [`CsvWriter`]. See the module doc of
//! [`crate::ingest`] for the layout.

use std::io::{self, BufRead, Read, Write};

use super::{check_line, read_line, too_long, trim_line, LineRead, Reject, MAX_LINE_BYTES};
use crate::error::{DataError, Error};
use crate::model::{Kind, Meeting, PartialDate, Participant};

/// The columns of the CSV layout, in the order [`CsvWriter`] writes them. List fields (`orgs`,
/// `countries`, `topics`) separate items with `;`; `participants` holds `name|title|org|country`
/// entries separated by `;`; in both, `\;`, `\|` and `\\` escape a separator or a backslash that
/// belongs to a value. An empty field is null or the empty list.
pub const CSV_COLUMNS: [&str; 14] = [
    "id",
    "date",
    "kind",
    "city",
    "country",
    "participants",
    "orgs",
    "countries",
    "topics",
    "publisher",
    "doc",
    "url",
    "summary",
    "text",
];

const ID: usize = 0;
const DATE: usize = 1;
const KIND: usize = 2;
const CITY: usize = 3;
const COUNTRY: usize = 4;
const PARTICIPANTS: usize = 5;
const ORGS: usize = 6;
const COUNTRIES: usize = 7;
const TOPICS: usize = 8;
const PUBLISHER: usize = 9;
const DOC: usize = 10;
const URL: usize = 11;
const SUMMARY: usize = 12;
const TEXT: usize = 13;

/// A reader that hands the csv crate the input line by line after checking each line for NUL
/// bytes and invalid UTF-8 (naming the line), dropping a leading byte order mark, and noticing a
/// quoted field still open at the end of the input.
struct CheckedLines<R> {
    inner: R,
    origin: String,
    buf: Vec<u8>,
    pos: usize,
    line: usize,
    in_quote: bool,
    quote_line: usize,
}

fn data_io(e: DataError) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

impl<R: BufRead> Read for CheckedLines<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.buf.len() {
            self.buf.clear();
            self.pos = 0;
            let read = read_line(&mut self.inner, &mut self.buf, MAX_LINE_BYTES)?;
            if read == LineRead::TooLong {
                return Err(data_io(too_long(&self.origin, self.line + 1)));
            }
            if read == LineRead::Eof {
                if self.in_quote {
                    return Err(data_io(DataError::new(
                        &self.origin,
                        Some(self.quote_line),
                        "unterminated quoted field: the quote opened on this line is never closed",
                    )));
                }
                return Ok(0);
            }
            self.line += 1;
            if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") {
                self.pos = 3;
            }
            let content = trim_line(&self.buf[self.pos..], false);
            check_line(content, &self.origin, self.line).map_err(data_io)?;
            if content.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
                if !self.in_quote {
                    self.quote_line = self.line;
                }
                self.in_quote = !self.in_quote;
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn map_csv_error(e: ::csv::Error, origin: &str, line: usize) -> Error {
    if !matches!(e.kind(), ::csv::ErrorKind::Io(_)) {
        return DataError::new(origin, Some(line), format!("invalid CSV: {e}")).into();
    }
    let ::csv::ErrorKind::Io(io) = e.into_kind() else { unreachable!("checked above") };
    if io.get_ref().is_some_and(|inner| inner.is::<DataError>()) {
        let inner = io.into_inner().expect("checked above");
        return Error::Data(*inner.downcast::<DataError>().expect("checked above"));
    }
    Error::Io { path: origin.into(), source: io }
}

/// Reads CSV of the [`CSV_COLUMNS`] layout.
pub(super) fn read_csv(
    reader: impl BufRead,
    origin: &str,
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
    mut rejected: Reject<'_>,
) -> Result<usize, Error> {
    let checked = CheckedLines {
        inner: reader,
        origin: origin.to_string(),
        buf: Vec::with_capacity(4096),
        pos: 0,
        line: 0,
        in_quote: false,
        quote_line: 0,
    };
    let mut rdr = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(checked);
    let mut rec = ::csv::ByteRecord::new();
    let line_of = |rec: &::csv::ByteRecord| rec.position().map_or(0, |p| p.line() as usize);

    // The header.
    if !rdr.read_byte_record(&mut rec).map_err(|e| map_csv_error(e, origin, 1))? {
        return Err(DataError::new(
            origin,
            Some(1),
            format!("empty CSV file: a header row is required ({})", CSV_COLUMNS.join(",")),
        )
        .into());
    }
    let header_line = line_of(&rec);
    let mut index = [usize::MAX; 14];
    for (i, name) in rec.iter().enumerate() {
        let name = std::str::from_utf8(name).unwrap_or("").trim();
        match CSV_COLUMNS.iter().position(|c| *c == name) {
            Some(k) if index[k] != usize::MAX => {
                return Err(DataError::new(
                    origin,
                    Some(header_line),
                    format!("column `{name}` appears twice in the header"),
                )
                .into());
            }
            Some(k) => index[k] = i,
            None => {
                return Err(DataError::new(
                    origin,
                    Some(header_line),
                    format!("unknown column `{name}` in the header (expected {})", CSV_COLUMNS.join(",")),
                )
                .into());
            }
        }
    }
    let missing: Vec<String> =
        CSV_COLUMNS.iter().zip(index).filter(|(_, i)| *i == usize::MAX).map(|(c, _)| format!("`{c}`")).collect();
    if !missing.is_empty() {
        let s = if missing.len() > 1 { "s" } else { "" };
        return Err(DataError::new(
            origin,
            Some(header_line),
            format!("missing column{s} {} in the header (expected {})", missing.join(", "), CSV_COLUMNS.join(",")),
        )
        .into());
    }
    let width = rec.len();

    let mut count = 0;
    loop {
        let more = rdr.read_byte_record(&mut rec).map_err(|e| map_csv_error(e, origin, line_of(&rec) + 1))?;
        if !more {
            return Ok(count);
        }
        let line = line_of(&rec);
        super::deliver(row(&rec, width, &index, origin, line), sink, &mut rejected, &mut count, (origin, line))?;
    }
}

/// One data row of the layout, or what is wrong with it.
fn row(
    rec: &::csv::ByteRecord,
    width: usize,
    index: &[usize; 14],
    origin: &str,
    line: usize,
) -> Result<Meeting, DataError> {
    if rec.len() != width {
        return Err(DataError::new(
            origin,
            Some(line),
            format!("expected {width} fields (as in the header), found {}", rec.len()),
        ));
    }
    let mut fields = [""; 14];
    for (k, i) in index.iter().enumerate() {
        // Every line was checked to be UTF-8, and fields split at ASCII bytes.
        fields[k] = std::str::from_utf8(&rec[*i]).map_err(|_| DataError::new(origin, Some(line), "invalid UTF-8"))?;
    }
    parse_row(&fields).map_err(|msg| DataError::new(origin, Some(line), msg))
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Splits `s` at each `sep` not escaped by a backslash; the parts keep their escapes.
fn split_escaped(s: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(&s[start..i]);
            start = i + 1;
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Resolves `\;`, `\|` and `\\`; any other backslash stays as it is.
fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if matches!(n, '\\' | ';' | '|') {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        if matches!(c, '\\' | ';' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
}

fn parse_list(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    split_escaped(s, ';').into_iter().map(unescape).collect()
}

fn parse_participants(s: &str) -> Result<Vec<Participant>, String> {
    if s.is_empty() {
        return Ok(Vec::new());
    }
    split_escaped(s, ';')
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let parts = split_escaped(entry, '|');
            if parts.len() > 4 {
                return Err(format!(
                    "participant {} has {} parts; expected name|title|org|country (escape a `|` in a value as `\\|`)",
                    i + 1,
                    parts.len()
                ));
            }
            let part = |k: usize| parts.get(k).map(|p| unescape(p)).filter(|p| !p.is_empty());
            Ok(Participant { name: unescape(parts[0]), title: part(1), org: part(2), country: part(3) })
        })
        .collect()
}

fn parse_row(f: &[&str; 14]) -> Result<Meeting, String> {
    let date = f[DATE].trim();
    if date.is_empty() {
        return Err("missing date".into());
    }
    let date: PartialDate = date.parse().map_err(|e: crate::model::DateError| e.message)?;
    let kind = match f[KIND].trim() {
        "" | "meeting" => Kind::Meeting,
        "call" => Kind::Call,
        "video" => Kind::Video,
        other => return Err(format!("unknown kind `{other}` (expected meeting, call or video)")),
    };
    Ok(Meeting {
        id: f[ID].to_string(),
        date,
        kind,
        city: opt(f[CITY]),
        country: opt(f[COUNTRY]),
        participants: parse_participants(f[PARTICIPANTS])?,
        orgs: parse_list(f[ORGS]),
        countries: parse_list(f[COUNTRIES]),
        topics: parse_list(f[TOPICS]),
        source: crate::model::Source { publisher: opt(f[PUBLISHER]), doc: opt(f[DOC]), url: opt(f[URL]) },
        summary: opt(f[SUMMARY]),
        text: opt(f[TEXT]),
    })
}

/// Writes meetings as CSV in the layout of [`CSV_COLUMNS`]: the header once, before the first
/// row (or at [`CsvWriter::finish`] when there was none), then one row a meeting.
///
/// ```
/// use meetql::ingest::CsvWriter;
/// let m: meetql::Meeting = serde_json::from_str(
///     r#"{"id":"m-1","date":"2024-01","orgs":["UN","OSCE"]}"#).unwrap();
/// let mut w = CsvWriter::new(Vec::new());
/// w.write(&m).unwrap();
/// let out = String::from_utf8(w.finish().unwrap()).unwrap();
/// assert_eq!(out.lines().nth(1), Some("m-1,2024-01,meeting,,,,UN;OSCE,,,,,,,"));
/// ```
pub struct CsvWriter<W: Write> {
    inner: ::csv::Writer<W>,
    header_written: bool,
    fields: [String; 14],
}

impl<W: Write> CsvWriter<W> {
    /// A writer onto `w`.
    pub fn new(w: W) -> CsvWriter<W> {
        CsvWriter {
            inner: ::csv::WriterBuilder::new().has_headers(false).from_writer(w),
            header_written: false,
            fields: Default::default(),
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.inner.write_record(CSV_COLUMNS).map_err(io::Error::from)?;
            self.header_written = true;
        }
        Ok(())
    }

    /// Writes one meeting as a row (after the header, the first time).
    pub fn write(&mut self, m: &Meeting) -> io::Result<()> {
        self.header()?;
        let f = &mut self.fields;
        for s in f.iter_mut() {
            s.clear();
        }
        f[ID].push_str(&m.id);
        f[DATE].push_str(&m.date.to_string());
        f[KIND].push_str(m.kind.as_str());
        let put = |s: &mut String, v: &Option<String>| s.push_str(v.as_deref().unwrap_or(""));
        put(&mut f[CITY], &m.city);
        put(&mut f[COUNTRY], &m.country);
        for (i, p) in m.participants.iter().enumerate() {
            let s = &mut f[PARTICIPANTS];
            if i > 0 {
                s.push(';');
            }
            escape_into(s, &p.name);
            for part in [&p.title, &p.org, &p.country] {
                s.push('|');
                escape_into(s, part.as_deref().unwrap_or(""));
            }
        }
        for (k, list) in [(ORGS, &m.orgs), (COUNTRIES, &m.countries), (TOPICS, &m.topics)] {
            for (i, v) in list.iter().enumerate() {
                if i > 0 {
                    f[k].push(';');
                }
                escape_into(&mut f[k], v);
            }
        }
        put(&mut f[PUBLISHER], &m.source.publisher);
        put(&mut f[DOC], &m.source.doc);
        put(&mut f[URL], &m.source.url);
        put(&mut f[SUMMARY], &m.summary);
        put(&mut f[TEXT], &m.text);
        self.inner.write_record(f.iter()).map_err(io::Error::from)
    }

    /// Flushes what was written to the underlying writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }

    /// Writes the header if no row was written, flushes, and gives back the underlying writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.header()?;
        self.inner.into_inner().map_err(|e| io::Error::new(e.error().kind(), e.error().to_string()))
    }
}
