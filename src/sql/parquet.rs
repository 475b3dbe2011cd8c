//! `meetql export --format parquet DIR [QUERY]`: the relational form of [`super::SCHEMA`] as one
//! Parquet file a table (`DIR/meetings.parquet`, `DIR/participants.parquet`, `DIR/orgs.parquet`,
//! `DIR/countries.parquet`, `DIR/topics.parquet`), the columns and their meaning exactly those of
//! the SQLite export, so that one translation ([`super::translate`]) reads either.
//!
//! Written with the `parquet` crate's column writer (no Arrow): strings are `BYTE_ARRAY` (UTF8),
//! `date_start`, `date_end` and `idx` are `INT32`, pages are Snappy-compressed and dictionary
//! encoded where it pays. Meetings stream through: the tables keep their rows in compact column
//! buffers (the bytes of the strings, one offset a value) and all write a row group whenever
//! the buffers together pass [`ROW_GROUP_BYTES`], so memory stays bounded whatever the corpus
//! size, and row group *i* of every table holds the rows of the same meetings.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use super::{folded, lowered, TABLES};
use crate::error::{Error, Result};
use crate::model::Meeting;

/// Raw bytes the tables buffer together before each writes a row group (some 50,000 generated
/// meetings; the written groups are several times smaller once encoded and compressed).
pub const ROW_GROUP_BYTES: usize = 64 << 20;

/// Values handed to the column writer at once.
const BATCH: usize = 4096;

/// The string columns of `meetings` after `id` (each with `_f` and `_l`), in schema order.
const MEETING_STRINGS: [&str; 8] = ["kind", "city", "country", "summary", "text", "publisher", "doc", "url"];

/// A column of one table, buffered for the next row group.
enum Column {
    /// Strings: their bytes back to back, where each present value ends, and one definition
    /// level a row (1 present, 0 NULL) when the column is optional.
    Text { bytes: Vec<u8>, ends: Vec<usize>, defs: Vec<i16>, required: bool },
    /// 32-bit integers (never NULL).
    Int(Vec<i32>),
}

/// One cell of a row.
enum Cell<'a> {
    Text(Option<&'a str>),
    Int(i32),
}

struct Table {
    path: PathBuf,
    writer: SerializedFileWriter<BufWriter<File>>,
    columns: Vec<Column>,
    rows: usize,
    bytes: usize,
}

fn pq_err(path: &Path, e: parquet::errors::ParquetError) -> Error {
    match e {
        parquet::errors::ParquetError::External(inner) => {
            Error::Io { path: path.to_path_buf(), source: std::io::Error::other(inner.to_string()) }
        }
        e => Error::Io { path: path.to_path_buf(), source: std::io::Error::other(format!("writing Parquet: {e}")) },
    }
}

/// The Parquet schema of `table`: (message type, whether each column is an integer, whether it is
/// required).
fn schema(table: &str) -> (String, Vec<(bool, bool)>) {
    let mut fields: Vec<(String, bool, bool)> = Vec::new();
    let s3 = |fields: &mut Vec<(String, bool, bool)>, c: &str, required: bool| {
        fields.push((c.to_string(), false, required));
        fields.push((format!("{c}_f"), false, false));
        fields.push((format!("{c}_l"), false, false));
    };
    match table {
        "meetings" => {
            s3(&mut fields, "id", true);
            fields.push(("date_start".into(), true, true));
            fields.push(("date_end".into(), true, true));
            fields.push(("date_text".into(), false, true));
            for c in MEETING_STRINGS {
                s3(&mut fields, c, c == "kind");
            }
        }
        "participants" => {
            fields.push(("meeting_id".into(), false, true));
            fields.push(("idx".into(), true, true));
            for c in ["name", "title", "org", "country"] {
                s3(&mut fields, c, c == "name");
            }
        }
        _ => {
            fields.push(("meeting_id".into(), false, true));
            fields.push(("idx".into(), true, true));
            s3(&mut fields, "value", true);
        }
    }
    let mut msg = format!("message {table} {{\n");
    for (name, int, required) in &fields {
        let rep = if *required { "REQUIRED" } else { "OPTIONAL" };
        if *int {
            msg.push_str(&format!("  {rep} INT32 {name};\n"));
        } else {
            msg.push_str(&format!("  {rep} BYTE_ARRAY {name} (UTF8);\n"));
        }
    }
    msg.push('}');
    (msg, fields.into_iter().map(|(_, i, r)| (i, r)).collect())
}

impl Table {
    fn create(dir: &Path, name: &str) -> Result<Table> {
        let path = dir.join(format!("{name}.parquet"));
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|source| Error::Io { path: path.clone(), source })?;
        let (msg, cols) = schema(name);
        let schema = Arc::new(parse_message_type(&msg).map_err(|e| pq_err(&path, e))?);
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("meetql {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = SerializedFileWriter::new(BufWriter::with_capacity(1 << 20, file), schema, Arc::new(props))
            .map_err(|e| pq_err(&path, e))?;
        let columns = cols
            .into_iter()
            .map(|(int, required)| {
                if int {
                    Column::Int(Vec::new())
                } else {
                    Column::Text { bytes: Vec::new(), ends: Vec::new(), defs: Vec::new(), required }
                }
            })
            .collect();
        Ok(Table { path, writer, columns, rows: 0, bytes: 0 })
    }

    fn push(&mut self, row: &[Cell<'_>]) -> Result<()> {
        debug_assert_eq!(row.len(), self.columns.len());
        for (col, cell) in self.columns.iter_mut().zip(row) {
            match (col, cell) {
                (Column::Int(v), Cell::Int(i)) => {
                    v.push(*i);
                    self.bytes += 4;
                }
                (Column::Text { bytes, ends, defs, required }, Cell::Text(s)) => {
                    match (s, *required) {
                        (Some(s), _) => {
                            bytes.extend_from_slice(s.as_bytes());
                            ends.push(bytes.len());
                            self.bytes += s.len() + 8;
                        }
                        // A required text column is never handed NULL (see `write_meeting`).
                        (None, true) => ends.push(bytes.len()),
                        (None, false) => {}
                    }
                    if !*required {
                        defs.push(i16::from(s.is_some()));
                        self.bytes += 2;
                    }
                }
                _ => unreachable!("cells follow the schema"),
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let path = self.path.clone();
        let e = |e| pq_err(&path, e);
        let mut group = self.writer.next_row_group().map_err(e)?;
        for col in &mut self.columns {
            let mut w = group.next_column().map_err(e)?.ok_or_else(|| {
                e(parquet::errors::ParquetError::General("the schema has fewer columns than the rows".into()))
            })?;
            match col {
                Column::Int(v) => {
                    for chunk in v.chunks(BATCH) {
                        w.typed::<Int32Type>().write_batch(chunk, None, None).map_err(e)?;
                    }
                    v.clear();
                }
                Column::Text { bytes, ends, defs, required } => {
                    let mut start = 0;
                    let mut value = 0;
                    let mut batch: Vec<ByteArray> = Vec::with_capacity(BATCH);
                    let rows = if *required { ends.len() } else { defs.len() };
                    let mut row = 0;
                    while row < rows {
                        let n = BATCH.min(rows - row);
                        let present =
                            if *required { n } else { defs[row..row + n].iter().filter(|d| **d == 1).count() };
                        batch.clear();
                        for _ in 0..present {
                            batch.push(ByteArray::from(bytes[start..ends[value]].to_vec()));
                            start = ends[value];
                            value += 1;
                        }
                        let d = if *required { None } else { Some(&defs[row..row + n]) };
                        w.typed::<ByteArrayType>().write_batch(&batch, d, None).map_err(e)?;
                        row += n;
                    }
                    bytes.clear();
                    ends.clear();
                    defs.clear();
                }
            }
            w.close().map_err(e)?;
        }
        group.close().map_err(e)?;
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        self.flush()?;
        let path = self.path.clone();
        self.writer.close().map_err(|e| pq_err(&path, e))?;
        Ok(())
    }
}

/// A day number as the `INT32` column holds it (days since 1970-01-01 fit in 32 bits for
/// every year the model accepts).
fn day(d: i64) -> i32 {
    i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX })
}

fn write_meeting(t: &mut [Table], m: &Meeting) -> Result<()> {
    let s3 = |s: Option<&str>| [folded(s), lowered(s)];
    // meetings
    let id3 = s3(Some(&m.id));
    let date_text = m.date.to_string();
    let mut cells: Vec<Cell<'_>> = vec![
        Cell::Text(Some(&m.id)),
        Cell::Text(id3[0].as_deref()),
        Cell::Text(id3[1].as_deref()),
        Cell::Int(day(m.date.start() as i64)),
        Cell::Int(day(m.date.end() as i64)),
        Cell::Text(Some(&date_text)),
    ];
    let strings = [
        Some(m.kind.as_str()),
        m.city.as_deref(),
        m.country.as_deref(),
        m.summary.as_deref(),
        m.text.as_deref(),
        m.source.publisher.as_deref(),
        m.source.doc.as_deref(),
        m.source.url.as_deref(),
    ];
    let derived: Vec<[Option<String>; 2]> = strings.iter().map(|s| s3(*s)).collect();
    for (s, d) in strings.iter().zip(&derived) {
        cells.extend([Cell::Text(*s), Cell::Text(d[0].as_deref()), Cell::Text(d[1].as_deref())]);
    }
    t[0].push(&cells)?;
    // participants
    for (i, p) in m.participants.iter().enumerate() {
        let parts = [Some(p.name.as_str()), p.title.as_deref(), p.org.as_deref(), p.country.as_deref()];
        let derived: Vec<[Option<String>; 2]> = parts.iter().map(|s| s3(*s)).collect();
        let mut cells = vec![Cell::Text(Some(&m.id)), Cell::Int(i as i32)];
        for (s, d) in parts.iter().zip(&derived) {
            cells.extend([Cell::Text(*s), Cell::Text(d[0].as_deref()), Cell::Text(d[1].as_deref())]);
        }
        t[1].push(&cells)?;
    }
    // orgs, countries, topics
    for (k, list) in [(2, &m.orgs), (3, &m.countries), (4, &m.topics)] {
        for (i, v) in list.iter().enumerate() {
            let d = s3(Some(v));
            t[k].push(&[
                Cell::Text(Some(&m.id)),
                Cell::Int(i as i32),
                Cell::Text(Some(v)),
                Cell::Text(d[0].as_deref()),
                Cell::Text(d[1].as_deref()),
            ])?;
        }
    }
    if t.iter().map(|t| t.bytes).sum::<usize>() >= ROW_GROUP_BYTES {
        for t in t.iter_mut() {
            t.flush()?;
        }
    }
    Ok(())
}

/// Writes the records of `engine` (all, or those of the `meetings` query `query`) as the Parquet
/// tables of this module into directory `dir` (created when absent; none of the five files may
/// exist yet). Returns the number of meetings written. On an error the files written so far
/// are left for the caller to remove.
pub fn export_parquet(engine: &crate::Engine, query: Option<&str>, dir: &Path) -> Result<u64> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    for t in TABLES {
        let path = dir.join(format!("{t}.parquet"));
        if path.exists() {
            return Err(Error::Io {
                path,
                source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the file exists; not overwriting it"),
            });
        }
    }
    let mut tables = TABLES.iter().map(|t| Table::create(dir, t)).collect::<Result<Vec<_>>>()?;
    let n = engine.export(query, &mut |m| write_meeting(&mut tables, m))?;
    for t in tables {
        t.finish()?;
    }
    Ok(n)
}
