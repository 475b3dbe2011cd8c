//! The crate's one error type, [`Error`], and the positioned query error it carries.
//!
//! `Display` gives the message of CONTRACT §4, without the leading `error: ` that the command
//! line adds: for a query, the message, then `FILE:LINE:COL`, the source line, a caret under the
//! column with what was expected there, and a "did you mean" when one is close.

use std::fmt;
use std::path::PathBuf;

use crate::lang::ast::Span;

/// Anything that can go wrong in MeetQL.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A query or script that does not parse or cannot be planned or run (exit code 1).
    #[error("{0}")]
    Query(Box<QueryError>),
    /// Bad input data: a record, a line of a file (exit code 1).
    #[error("{0}")]
    Data(#[from] DataError),
    /// The database cannot be opened: locked, damaged, or of another format (exit code 3).
    #[error("cannot open database {}: {reason}", path.display())]
    Open {
        /// The database path.
        path: PathBuf,
        /// Why, for people.
        reason: String,
    },
    /// The storage layer failed while the database was open (exit code 1).
    #[error("storage error: {0}")]
    Storage(#[from] StorageError),
    /// Something the program relies on outside the database failed: the terminal, the SQLite
    /// export, a worker thread (exit code 1).
    #[error("{0}")]
    Failed(String),
    /// Reading or writing a file failed (exit code 1).
    #[error("{}: {}", path.display(), io_reason(source))]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A script's `expect` did not hold (exit code 1).
    #[error("{0}")]
    Expectation(String),
    /// A query was cancelled (Ctrl-C in the REPL).
    #[error("interrupted")]
    Interrupted,
}

/// What went wrong in the database while it was open, by kind.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The key-value engine (sled) failed.
    #[error("{0}")]
    Sled(String),
    /// Reading or writing the database's files failed.
    #[error("{}: {}", path.display(), io_reason(source))]
    Io {
        /// The database directory.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// Stored data does not read back as it was written: the database is damaged.
    #[error("damaged {what}")]
    Damaged {
        /// What is damaged, for people ("record block 12", "index chunk").
        what: String,
    },
    /// A record cannot be encoded, or its stored bytes decoded.
    #[error("{0}")]
    Codec(String),
    /// A staged import could not go on.
    #[error("{0}")]
    Import(String),
    /// A fault that a test injected.
    #[error("injected fault: {0}")]
    Injected(String),
}

impl StorageError {
    /// Stored data that is damaged: `what`, for people.
    pub fn damaged(what: impl Into<String>) -> StorageError {
        StorageError::Damaged { what: what.into() }
    }
}

impl From<QueryError> for Error {
    fn from(e: QueryError) -> Error {
        Error::Query(Box::new(e))
    }
}

impl Error {
    /// Whether this is the refusal to open a database that another process holds.
    ///
    /// ```
    /// let e = meetql::Error::Open { path: "db".into(), reason: "it is in use by process 7".into() };
    /// assert!(e.is_busy());
    /// ```
    pub fn is_busy(&self) -> bool {
        matches!(self, Error::Open { reason, .. } if reason.starts_with("it is in use"))
    }

    /// The process exit code of CONTRACT §4 for this error: 3 when the database cannot be
    /// opened, 1 otherwise (2, wrong usage, is the command line's own).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Open { .. } => 3,
            _ => 1,
        }
    }

    /// The span of a query error, if this is one.
    pub fn span(&self) -> Option<Span> {
        match self {
            Error::Query(q) => Some(q.span),
            _ => None,
        }
    }
}

/// Convenience alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of mistake a query error reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryErrorKind {
    /// A token that does not fit the grammar where it stands.
    Syntax,
    /// A string literal without its closing quote, a `(`, `[` or `{` without its closing one.
    Unclosed,
    /// A date literal that names no day (`2024-13`, `2023-02-29`).
    InvalidDate,
    /// A number too large.
    InvalidNumber,
    /// A field that does not exist (or not in this position).
    UnknownField,
    /// A value of the wrong type for its field or operator.
    Type,
    /// A `$name` with no binding.
    UnboundParameter,
    /// Nesting deeper than [`crate::lang::ast::MAX_DEPTH`].
    TooDeep,
    /// Input larger than the parser accepts.
    TooLong,
}

/// A query error: a kind, a message, the span it points at, what was expected there and a
/// suggestion. [`QueryError::locate`] attaches the source so that `Display` can show the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// What kind of mistake.
    pub kind: QueryErrorKind,
    /// What is wrong, for people: `unexpected 'and' after '='`.
    pub message: String,
    /// Where, in bytes of the source text.
    pub span: Span,
    /// What was expected at the span: `a value (a string, a date, a number or a $parameter)`.
    pub expected: Option<String>,
    /// A close match: `where`, `"UNRCCA"`.
    pub suggestion: Option<String>,
    /// Where the source came from and its text, once known.
    pub location: Option<Box<Location>>,
}

/// The place a query error points at, resolved against its source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// `<query>` for an inline query, else the script's path.
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// The text of that line, without its end of line.
    pub line_text: String,
    /// How many characters the caret run covers (at least 1).
    pub width: usize,
}

impl QueryError {
    /// A new error of `kind` at `span`.
    pub fn new(kind: QueryErrorKind, span: Span, message: impl Into<String>) -> QueryError {
        QueryError { kind, message: message.into(), span, expected: None, suggestion: None, location: None }
    }

    /// Adds what was expected at the span.
    pub fn expected(mut self, what: impl Into<String>) -> QueryError {
        self.expected = Some(what.into());
        self
    }

    /// Adds a "did you mean" suggestion.
    pub fn suggest(mut self, what: impl Into<String>) -> QueryError {
        self.suggestion = Some(what.into());
        self
    }

    /// Resolves the span against `text`, which came from `origin` (`<query>` or a path), so that
    /// `Display` shows `origin:line:col`, the line and a caret. `span` offsets are bytes of `text`.
    pub fn locate(mut self, origin: &str, text: &str) -> QueryError {
        let start = floor_char_boundary(text, self.span.start.min(text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let col = text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(text, self.span.end.clamp(start, line_end));
        let width = text[start..end].chars().count().max(1);
        let line_text = text[line_start..line_end].trim_end_matches('\r').replace('\t', " ");
        self.location = Some(Box::new(Location { origin: origin.to_string(), line, col, line_text, width }));
        self
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// How many characters of the offending line are shown at most around the caret.
const MAX_SHOWN: usize = 160;

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(loc) = &self.location {
            write!(f, "\n{}:{}:{}", loc.origin, loc.line, loc.col)?;
            // Show a window of the line when it is very long, keeping the caret in view.
            let chars: Vec<char> = loc.line_text.chars().collect();
            let skip = (loc.col - 1).saturating_sub(MAX_SHOWN / 2);
            let shown: String = chars.iter().skip(skip).take(MAX_SHOWN).collect();
            let lead = if skip > 0 { "…" } else { "" };
            write!(f, "\n{lead}{shown}")?;
            let pad = loc.col - 1 - skip + lead.chars().count();
            let width = loc.width.min(MAX_SHOWN.saturating_sub(pad)).max(1);
            write!(f, "\n{}{}", " ".repeat(pad), "^".repeat(width))?;
            if let Some(e) = &self.expected {
                write!(f, " expected {e}")?;
            }
        } else if let Some(e) = &self.expected {
            write!(f, " (expected {e})")?;
        }
        if let Some(s) = &self.suggestion {
            write!(f, "\nhelp: did you mean {s}?")?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

/// Bad input data, naming the file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    /// The file (or `<input>`).
    pub origin: String,
    /// 1-based line (or record number for a `.json` array), when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl DataError {
    /// A new data error.
    pub fn new(origin: impl Into<String>, line: Option<usize>, message: impl Into<String>) -> DataError {
        DataError { origin: origin.into(), line, message: message.into() }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.origin, l, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

impl std::error::Error for DataError {}

/// A message made safe to print on a terminal: each control character but newline and tab
/// becomes a visible one of the same width (`ESC` is shown as `␛`, other C0 controls as their
/// control pictures, C1 controls as `�`), so that a query or file holding `ESC ]0;…` cannot
/// retitle or otherwise drive the user's terminal, and carets under a quoted line still point
/// at the right column.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\t' => c,
                '\u{7f}' => '\u{2421}',
                c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

/// A value quoted in a message: control characters escaped (a stray `ESC` must not drive the
/// user's terminal) and at most 200 characters of it, the rest counted.
/// What an I/O failure means, for people: the OS's words without Rust's debug form (sled
/// passes some errors on as `Os { code: 28, kind: StorageFull, … }`) or the `(os error N)`
/// suffix, and for a full disk what to do.
///
/// ```
/// let full = std::io::Error::from_raw_os_error(28);
/// assert!(meetql::error::io_reason(&full).starts_with("the disk is full"));
/// let gone = std::io::Error::from_raw_os_error(2);
/// assert_eq!(meetql::error::io_reason(&gone), "No such file or directory");
/// ```
pub fn io_reason(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28) {
        return "the disk is full (no space left on device): free some space and run the command again; \
                what was committed before stays as it was"
            .into();
    }
    let text = e.to_string();
    // `Os { code: 13, kind: PermissionDenied, message: "Permission denied" }`, as sled clones it.
    let text = match text.find("message: \"") {
        Some(at) => text[at + 10..].split('"').next().unwrap_or_default().to_string(),
        None => text,
    };
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

pub(crate) fn shorten(s: &str) -> String {
    const SHOWN: usize = 200;
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == SHOWN {
            out.push_str(&format!("… ({} more characters)", s.chars().count() - SHOWN));
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Edit distance between two words, on characters, case-insensitive: insertions, deletions,
/// substitutions and swaps of two neighbouring characters each count one (optimal string
/// alignment), so the usual typos `ogr` and `yaer` are one edit from `org` and `year`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo
/// (at most a third of the word's length, and at least one edit allowed).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= limit && !c.eq_ignore_ascii_case(word))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_16_12_io_failures_read_as_words_not_rust_debug_text() {
        // sled hands some I/O errors on as the Debug form of the original.
        let full = std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "Os { code: 28, kind: StorageFull, message: \"No space left on device\" }",
        );
        let said = Error::Storage(StorageError::Io { path: "db".into(), source: full }).to_string();
        assert!(said.contains("the disk is full") && said.contains("free some space"), "{said}");
        assert!(!said.contains("Os {") && !said.contains("os error"), "{said}");
        let denied = std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "Os { code: 13, kind: PermissionDenied, message: \"Permission denied\" }",
        );
        assert_eq!(io_reason(&denied), "Permission denied");
        let said = Error::Io { path: "x.jsonl".into(), source: std::io::Error::from_raw_os_error(2) }.to_string();
        assert_eq!(said, "x.jsonl: No such file or directory");
    }

    #[test]
    fn renders_line_and_caret() {
        let e = QueryError::new(QueryErrorKind::Syntax, Span::new(9, 13), "unknown word 'wher'")
            .expected("'where', 'count', 'order', 'limit' or 'select'")
            .suggest("'where'")
            .locate("<query>", "meetings wher org = \"UN\"");
        let s = e.to_string();
        assert_eq!(
            s,
            "unknown word 'wher'\n<query>:1:10\nmeetings wher org = \"UN\"\n         ^^^^ expected 'where', 'count', 'order', 'limit' or 'select'\nhelp: did you mean 'where'?"
        );
    }

    #[test]
    fn locates_on_later_lines() {
        let text = "meetings count;\n\nmeetings where\n   date >= 2024-13;";
        let at = text.find("2024-13").unwrap();
        let e = QueryError::new(QueryErrorKind::InvalidDate, Span::new(at, at + 7), "bad").locate("x.mql", text);
        let loc = e.location.unwrap();
        assert_eq!((loc.line, loc.col, loc.width), (4, 12, 7));
    }

    #[test]
    fn suggestions_by_edit_distance() {
        assert_eq!(closest("wher", ["where", "order", "count"]), Some("where"));
        assert_eq!(closest("xyz", ["where", "order"]), None);
        assert_eq!(edit_distance("UNRCA", "unrcca"), 1);
        assert_eq!(edit_distance("ogr", "org"), 1);
        assert_eq!(edit_distance("yaer", "year"), 1);
        assert_eq!(edit_distance("abc", "ca"), 3);
        assert_eq!(closest("ogr", ["date", "org", "city"]), Some("org"));
    }
}
