//! JSON Lines and JSON array readers.

use std::fmt;
use std::io::BufRead;

use serde::de::{self, Deserializer as _, SeqAccess, Visitor};

use super::{
    check_line, read_line, skip_rest_of_line, too_long, too_long_to_skip, trim_line, LineRead, Reject, MAX_LINE_BYTES,
    MAX_SKIPPED_LINE_BYTES,
};
use crate::error::{DataError, Error};
use crate::model::Meeting;

/// The message of a serde_json error without its trailing ` at line L column C`.
fn bare_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match s.strip_suffix(&suffix) {
        Some(m) => m.to_string(),
        None => s,
    }
}

/// Words a serde_json error about one record, with the column it points at.
fn describe(e: &serde_json::Error) -> String {
    let msg = bare_message(e);
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!("invalid JSON at column {}: {msg}", e.column())
        }
        _ if msg.starts_with("missing field") => msg,
        _ => format!("{msg} (column {})", e.column()),
    }
}

/// Reads JSON Lines: one record a line, blank lines skipped. With `rejected`, a bad line is
/// handed to it and skipped.
pub(super) fn read_jsonl(
    mut reader: impl BufRead,
    origin: &str,
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
    mut rejected: Reject<'_>,
) -> Result<usize, Error> {
    let mut buf = Vec::with_capacity(4096);
    let mut line = 0usize;
    let mut count = 0usize;
    loop {
        let read = read_line(&mut reader, &mut buf, MAX_LINE_BYTES)
            .map_err(|source| Error::Io { path: origin.into(), source })?;
        if read == LineRead::Eof {
            return Ok(count);
        }
        line += 1;
        if read == LineRead::TooLong {
            // Reading stopped at the cap. Without --skip-bad the import fails here; with it,
            // the rest of the line is dropped, within a bound (the line may never end).
            let Some(reject) = rejected.as_mut() else {
                return Err(too_long(origin, line).into());
            };
            let ended = skip_rest_of_line(&mut reader, MAX_SKIPPED_LINE_BYTES)
                .map_err(|source| Error::Io { path: origin.into(), source })?;
            if !ended {
                return Err(too_long_to_skip(origin, line).into());
            }
            reject(too_long(origin, line));
            continue;
        }
        let parsed = {
            check_line(trim_line(&buf, line == 1), origin, line).and_then(|text| {
                if text.trim().is_empty() {
                    return Ok(None);
                }
                serde_json::from_str::<Meeting>(text)
                    .map(Some)
                    .map_err(|e| DataError::new(origin, Some(line), describe(&e)))
            })
        };
        if let Some(outcome) = parsed.transpose() {
            super::deliver(outcome, sink, &mut rejected, &mut count, (origin, line))?;
        }
    }
}

struct Records<'a> {
    origin: &'a str,
    sink: &'a mut dyn FnMut(Meeting) -> Result<(), Error>,
    sink_error: &'a mut Option<Error>,
}

impl<'de> Visitor<'de> for Records<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of meeting records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut count = 0;
        while let Some(m) = seq.next_element::<Meeting>()? {
            // A `.json` array's errors name the record's number.
            let mut m = match super::within_size(m, self.origin, Some(count + 1)) {
                Ok(m) => m,
                Err(e) => {
                    *self.sink_error = Some(e.into());
                    return Err(de::Error::custom("stopped by the sink"));
                }
            };
            m.ensure_id();
            if let Err(e) = (self.sink)(m) {
                *self.sink_error = Some(e);
                return Err(de::Error::custom("stopped by the sink"));
            }
            count += 1;
        }
        Ok(count)
    }
}

/// Reads one JSON array of records, streaming its elements to the sink.
pub(super) fn read_json_array(
    mut reader: impl BufRead,
    origin: &str,
    sink: &mut dyn FnMut(Meeting) -> Result<(), Error>,
) -> Result<usize, Error> {
    let io_err = |source| Error::Io { path: origin.into(), source };
    if reader.fill_buf().map_err(io_err)?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    let mut sink_error = None;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result =
        de.deserialize_seq(Records { origin, sink, sink_error: &mut sink_error }).and_then(|n| de.end().map(|_| n));
    if let Some(e) = sink_error {
        return Err(e);
    }
    result.map_err(|e| {
        if e.is_io() {
            let source = std::io::Error::from(e);
            return Error::Io { path: origin.into(), source };
        }
        let msg = describe(&e);
        DataError::new(origin, Some(e.line().max(1)), msg).into()
    })
}
