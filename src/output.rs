//! Writing result rows in the output formats of CONTRACT §4: `table`, `line`, `json`, `jsonl`
//! and `csv`. Shared by the command line, scripts and the REPL.
//!
//! `jsonl` and `csv` stream: each row is written as it comes, so exporting a million meetings
//! needs no memory. `table` waits for all rows to size its columns; `json` writes one array
//! per statement.

use std::io::{self, Write};

use comfy_table::{presets, Cell, ContentArrangement, Table};
use serde_json::Value as Json;

use crate::engine::Shape;
use crate::ingest::CsvWriter;
use crate::model::Meeting;
use crate::Row;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// Aligned columns with borders (the terminal default).
    Table,
    /// One `field = value` per line, rows separated by blank lines.
    Line,
    /// One JSON array per statement.
    Json,
    /// One JSON object a line (the default when stdout is not a terminal).
    Jsonl,
    /// CSV with a header row.
    Csv,
}

impl OutputFormat {
    /// Every format, by name.
    pub const ALL: [(&'static str, OutputFormat); 5] = [
        ("table", OutputFormat::Table),
        ("line", OutputFormat::Line),
        ("json", OutputFormat::Json),
        ("jsonl", OutputFormat::Jsonl),
        ("csv", OutputFormat::Csv),
    ];

    /// The format named `name`.
    pub fn from_name(name: &str) -> Option<OutputFormat> {
        Self::ALL.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, f)| *f)
    }

    /// The format's name.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, f)| *f == self).map(|(n, _)| *n).unwrap_or("table")
    }
}

/// Options of the table format.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// Terminal width to fit, if known.
    pub width: Option<u16>,
    /// Draw a bar chart beside `count by year`/`month` counts.
    pub bars: bool,
    /// Show at most this many rows: the first half and the last half, with a `…` row between
    /// and the footer `309 rows (40 shown)` (the shell's `.maxrows`). `None`: every row.
    pub max_rows: Option<usize>,
    /// Leave out the header row (the shell's `.headers off`; also in `csv`).
    pub hide_headers: bool,
}

/// A byte buffer that the CSV writer fills and the row writer drains after each row.
#[derive(Clone, Default)]
struct SharedBuf(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Longest cell shown in a table before it is cut with `…`.
const MAX_CELL: usize = 60;

/// Writes the rows of one statement in a format.
pub struct RowWriter<'w> {
    format: OutputFormat,
    shape: Shape,
    out: &'w mut dyn Write,
    opts: TableOptions,
    rows: Vec<Row>,
    /// Past `max_rows`: the last rows, the first half being in `rows`.
    tail: std::collections::VecDeque<Row>,
    count: usize,
    csv: Option<(CsvWriter<SharedBuf>, SharedBuf)>,
    csv_plain: Option<(csv::Writer<SharedBuf>, SharedBuf)>,
    /// The JSON of the row being written, its memory reused from row to row (a fresh string
    /// grows by doubling, about ten allocations for a record's ~650 bytes).
    json: Vec<u8>,
}

fn cut(s: &str, max: usize) -> String {
    let one_line = s.replace(['\n', '\r', '\t'], " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut t: String = one_line.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The table columns of a meeting record.
pub const MEETING_COLUMNS: [&str; 8] = ["date", "kind", "city", "country", "participants", "orgs", "topics", "id"];

fn meeting_cells(m: &Meeting) -> Vec<String> {
    let people: Vec<String> = m
        .participants
        .iter()
        .map(|p| match (&p.title, &p.org) {
            (_, Some(o)) => format!("{} ({o})", p.name),
            _ => p.name.clone(),
        })
        .collect();
    vec![
        m.date.to_string(),
        m.kind.as_str().to_string(),
        m.city.clone().unwrap_or_default(),
        m.country.clone().unwrap_or_default(),
        people.join("; "),
        m.orgs.iter().map(|s| s.trim()).collect::<Vec<_>>().join(", "),
        m.topics.join(", "),
        m.id.clone(),
    ]
}

fn json_text(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Array(a) => a.iter().map(json_text).collect::<Vec<_>>().join("; "),
        Json::Object(_) => v.to_string(),
        other => other.to_string(),
    }
}

/// Column names and cell texts of a row.
fn cells(shape: &Shape, r: &Row) -> Vec<String> {
    match r {
        Row::Meeting(m) => meeting_cells(m),
        Row::Selected(map) => match shape {
            Shape::Selected(cols) => cols.iter().map(|c| map.get(c).map(json_text).unwrap_or_default()).collect(),
            _ => map.values().map(json_text).collect(),
        },
        Row::Count { value, count } => vec![value.clone(), count.to_string()],
        Row::Total { count } => vec![count.to_string()],
    }
}

/// The header of a shape.
pub fn columns(shape: &Shape) -> Vec<String> {
    match shape {
        Shape::Meetings => MEETING_COLUMNS.iter().map(|s| s.to_string()).collect(),
        Shape::Selected(c) => c.clone(),
        Shape::Counts(k) => vec![k.clone(), "count".into()],
        Shape::Total => vec!["count".into()],
        Shape::Plan => vec!["plan".into()],
    }
}

/// `r` as JSON in `buf`, replacing what it held.
fn json_into<'b>(buf: &'b mut Vec<u8>, r: &Row) -> &'b [u8] {
    buf.clear();
    match r {
        Row::Meeting(m) => crate::json::meeting(buf, m),
        // Writing to memory fails only for a map with non-string keys, which no row has.
        _ => {
            if serde_json::to_writer(&mut *buf, r).is_err() {
                buf.clear();
            }
        }
    }
    buf
}

impl<'w> RowWriter<'w> {
    /// A writer of `shape` rows in `format` to `out`.
    pub fn new(format: OutputFormat, shape: Shape, out: &'w mut dyn Write, opts: TableOptions) -> RowWriter<'w> {
        RowWriter {
            format,
            shape,
            out,
            opts,
            rows: Vec::new(),
            tail: Default::default(),
            count: 0,
            csv: None,
            csv_plain: None,
            json: Vec::new(),
        }
    }

    /// Writes (or, for tables, keeps) one row.
    pub fn row(&mut self, r: Row) -> io::Result<()> {
        self.count += 1;
        match self.format {
            OutputFormat::Table => match self.opts.max_rows {
                // The first half is kept, then a window of the last half slides.
                Some(max) if self.rows.len() >= max.div_ceil(2) => {
                    self.tail.push_back(r);
                    if self.tail.len() > max / 2 {
                        self.tail.pop_front();
                    }
                }
                _ => self.rows.push(r),
            },
            OutputFormat::Jsonl => {
                let json = json_into(&mut self.json, &r);
                self.out.write_all(json)?;
                self.out.write_all(b"\n")?;
            }
            OutputFormat::Json => {
                let sep = if self.count == 1 { "[\n" } else { ",\n" };
                self.out.write_all(sep.as_bytes())?;
                self.out.write_all(json_into(&mut self.json, &r))?;
            }
            OutputFormat::Line => {
                if self.count > 1 {
                    writeln!(self.out)?;
                }
                self.out.write_all(line_block(&self.shape, &r).as_bytes())?;
            }
            OutputFormat::Csv => match (&r, &self.shape) {
                (Row::Meeting(m), _) => {
                    let (w, buf) = self.csv.get_or_insert_with(|| {
                        let buf = SharedBuf::default();
                        (CsvWriter::new(buf.clone()), buf)
                    });
                    w.write(m)?;
                    w.flush()?;
                    let bytes = std::mem::take(&mut *buf.0.borrow_mut());
                    self.out.write_all(&bytes)?;
                }
                _ => {
                    let first = self.csv_plain.is_none();
                    let (w, buf) = self.csv_plain.get_or_insert_with(|| {
                        let buf = SharedBuf::default();
                        (csv::Writer::from_writer(buf.clone()), buf)
                    });
                    if first && !self.opts.hide_headers {
                        w.write_record(columns(&self.shape)).map_err(io::Error::other)?;
                    }
                    w.write_record(cells(&self.shape, &r)).map_err(io::Error::other)?;
                    w.flush()?;
                    let bytes = std::mem::take(&mut *buf.0.borrow_mut());
                    self.out.write_all(&bytes)?;
                }
            },
        }
        Ok(())
    }

    /// Ends the statement's output: draws the table, closes the JSON array.
    pub fn finish(mut self) -> io::Result<()> {
        match self.format {
            OutputFormat::Table => {
                let mut rows = std::mem::take(&mut self.rows);
                let shown = rows.len() + self.tail.len();
                let cut_at = (self.count > shown).then_some(rows.len());
                rows.extend(self.tail.drain(..));
                let text = render_rows(&self.shape, &rows, cut_at, self.count, self.opts);
                self.out.write_all(text.as_bytes())?;
            }
            OutputFormat::Json => {
                if self.count == 0 {
                    writeln!(self.out, "[]")?;
                } else {
                    writeln!(self.out, "\n]")?;
                }
            }
            OutputFormat::Csv if self.count == 0 => {
                // An empty result still says what its columns are.
                if self.shape == Shape::Meetings {
                    let bytes = CsvWriter::new(Vec::new()).finish()?;
                    self.out.write_all(&bytes)?;
                } else {
                    let mut w = csv::Writer::from_writer(&mut *self.out);
                    w.write_record(columns(&self.shape)).map_err(io::Error::other)?;
                    w.flush()?;
                }
            }
            _ => {}
        }
        self.out.flush()
    }
}

/// One row in the line layout: `field = value` a line, names right-aligned.
fn line_block(shape: &Shape, r: &Row) -> String {
    let names = columns(shape);
    let values = cells(shape, r);
    let w = names.iter().map(|n| n.chars().count()).max().unwrap_or(0).max(if let Row::Meeting(_) = r { 7 } else { 0 });
    let mut s = String::new();
    for (n, v) in names.iter().zip(values) {
        s.push_str(&format!("{n:>w$} = {v}\n"));
    }
    if let Row::Meeting(m) = r {
        if let Some(sum) = &m.summary {
            s.push_str(&format!("{:>w$} = {sum}\n", "summary"));
        }
    }
    s
}

/// Writes an `explain` plan in a format: `{"plan": TEXT}` as JSON (an array of one for
/// `json`), a `plan` column for `csv`, the text itself for `table` and `line`.
pub fn write_plan(format: OutputFormat, plan: &str, out: &mut dyn Write) -> io::Result<()> {
    let j = serde_json::json!({ "plan": plan });
    match format {
        OutputFormat::Json => writeln!(out, "[\n{j}\n]"),
        OutputFormat::Jsonl => writeln!(out, "{j}"),
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["plan"]).map_err(io::Error::other)?;
            w.write_record([plan.trim_end()]).map_err(io::Error::other)?;
            out.write_all(&w.into_inner().map_err(|e| io::Error::other(e.to_string()))?)
        }
        OutputFormat::Table | OutputFormat::Line => writeln!(out, "{}", plan.trim_end()),
    }
}

/// Renders rows as a table with a row count.
pub fn render_table(shape: &Shape, rows: &[Row], opts: TableOptions) -> String {
    render_rows(shape, rows, None, rows.len(), opts)
}

/// The footer: `5 rows`, or `309 rows (40 shown)` when rows were left out.
fn footer(total: usize, shown: usize) -> String {
    let s = if total == 1 { "" } else { "s" };
    if shown < total {
        format!("{total} row{s} ({shown} shown)\n")
    } else {
        format!("{total} row{s}\n")
    }
}

/// The column that holds the id (never cut), by shape.
fn id_column(shape: &Shape) -> Option<usize> {
    match shape {
        Shape::Meetings => MEETING_COLUMNS.iter().position(|c| *c == "id"),
        Shape::Selected(cols) => cols.iter().position(|c| c == "id"),
        _ => None,
    }
}

/// Renders `rows` (`total` in all; when `gap` is set, rows were left out before that index) as a
/// table that fits `opts.width`: long cells give way with `…`, ids never do, and a table that
/// cannot fit without cutting an id or folding its header becomes the line layout (one field a
/// line), as `psql`'s `\x auto` does.
fn render_rows(shape: &Shape, rows: &[Row], gap: Option<usize>, total: usize, opts: TableOptions) -> String {
    if let [Row::Total { count }] = rows {
        return format!("{count}\n");
    }
    let table = build_table(shape, rows, gap, opts);
    let text = table.to_string();
    let fits = match opts.width {
        None => true,
        Some(w) => {
            let lines: Vec<&str> = text.lines().collect();
            let expected = rows.len() + usize::from(gap.is_some()) + if opts.hide_headers { 2 } else { 4 };
            let narrow_enough = lines.iter().all(|l| l.chars().count() <= usize::from(w));
            let ids_whole = id_column(shape).is_none_or(|c| {
                rows.iter().all(|r| cells(shape, r).get(c).is_none_or(|id| text.contains(id.as_str())))
            });
            narrow_enough && lines.len() == expected && ids_whole && !header_cut(&text, shape, opts)
        }
    };
    if fits {
        return format!("{text}\n{}", footer(total, rows.len()));
    }
    // The line layout.
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        if gap == Some(i) {
            out.push_str(&format!("…\n({} rows not shown)\n\n", total - rows.len()));
        } else if i > 0 {
            out.push('\n');
        }
        out.push_str(&line_block(shape, r));
    }
    out.push_str(&footer(total, rows.len()));
    out
}

/// Whether a column's header came out cut (`coun…`) in the rendered table.
fn header_cut(text: &str, shape: &Shape, opts: TableOptions) -> bool {
    if opts.hide_headers {
        return false;
    }
    let Some(header_line) = text.lines().nth(1) else { return false };
    columns(shape).iter().any(|c| !c.is_empty() && !header_line.contains(c.as_str()))
}

fn build_table(shape: &Shape, rows: &[Row], gap: Option<usize>, opts: TableOptions) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_truncation_indicator("…");
    if let Some(w) = opts.width {
        t.set_width(w);
    }
    let mut header = columns(shape);
    let max = rows
        .iter()
        .filter_map(|r| match r {
            Row::Count { count, .. } => Some(*count),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let bars = opts.bars && matches!(shape, Shape::Counts(_)) && max > 0;
    if bars {
        header.push(String::new());
    }
    let ncols = header.len();
    if !opts.hide_headers {
        t.set_header(header);
    }
    let id_col = id_column(shape);
    for (i, r) in rows.iter().enumerate() {
        if gap == Some(i) {
            let mut row = comfy_table::Row::from(vec![Cell::new("…"); ncols]);
            row.max_height(1);
            t.add_row(row);
        }
        let mut cs: Vec<Cell> = cells(shape, r)
            .iter()
            .enumerate()
            .map(|(c, text)| Cell::new(if Some(c) == id_col { cut(text, usize::MAX) } else { cut(text, MAX_CELL) }))
            .collect();
        if let (true, Row::Count { count, .. }) = (bars, r) {
            let width = 40usize;
            let n = ((*count as f64 / max as f64) * width as f64).round() as usize;
            cs.push(Cell::new("█".repeat(n.max(1))));
        }
        // One line a row: a cell too wide for the terminal is cut with `…`, never wrapped.
        let mut row = comfy_table::Row::from(cs);
        row.max_height(1);
        t.add_row(row);
    }
    // Dates, kinds and ids are short and must stay whole; the long columns give way.
    let whole: Vec<usize> = match shape {
        Shape::Meetings => vec![0, 1],
        _ => Vec::new(),
    };
    // Headers never fold (`part/icip/ants`): a table that cannot give each its width is too
    // wide, and becomes the line layout.
    if !opts.hide_headers {
        for (i, name) in columns(shape).iter().enumerate() {
            // The boundary counts the cell's padding, one space each side.
            let w = name.chars().count().max(1) as u16 + 2;
            if let Some(c) = t.column_mut(i) {
                c.set_constraint(comfy_table::ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(w)));
            }
        }
    }
    for i in whole.into_iter().chain(id_col) {
        if let Some(c) = t.column_mut(i) {
            c.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        }
    }
    if let Shape::Counts(_) = shape {
        if let Some(c) = t.column_mut(1) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    t
}

/// The text `meetql check` and `.check` print: `ok: ...` or each problem on its own line.
pub fn check_summary(r: &crate::engine::CheckReport) -> String {
    if r.is_ok() {
        format!("ok: {} records, {} index entries; indexes agree with records", r.records, r.index_entries)
    } else {
        let mut s =
            format!("{} problem(s) in {} records, {} index entries:", r.problems.len(), r.records, r.index_entries);
        for p in &r.problems {
            s.push_str("\n  ");
            s.push_str(p);
        }
        s
    }
}
#[cfg(test)]
mod fit_tests {
    use super::*;

    fn rows(n: usize) -> Vec<Row> {
        let text = include_str!("../examples/corpus/meetings.jsonl");
        text.lines().take(n).map(|l| Row::Meeting(Box::new(serde_json::from_str(l).unwrap()))).collect()
    }

    #[test]
    fn a_table_fits_its_terminal_or_becomes_lines_and_never_cuts_an_id() {
        let rows = rows(4);
        let wide = render_table(&Shape::Meetings, &rows, TableOptions { width: Some(120), ..Default::default() });
        assert!(wide.lines().all(|l| l.chars().count() <= 120), "{wide}");
        assert!(wide.contains("participants") && wide.contains("m-2019-01-18-minsk-cis │"), "{wide}");
        let narrow = render_table(&Shape::Meetings, &rows, TableOptions { width: Some(60), ..Default::default() });
        assert!(!narrow.contains('┌'), "{narrow}");
        assert!(narrow.contains("          id = m-2019-01-18-minsk-cis\n"), "{narrow}");
        assert!(narrow.ends_with("4 rows\n"));
    }

    #[test]
    fn max_rows_keeps_the_first_and_last_halves() {
        let mut out = Vec::new();
        let opts = TableOptions { max_rows: Some(2), ..Default::default() };
        let mut w = RowWriter::new(OutputFormat::Table, Shape::Meetings, &mut out, opts);
        for r in rows(5) {
            w.row(r).unwrap();
        }
        w.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        let ids: Vec<&str> = ["m-2019-call-pompeo", "m-2019-tehran-zarif", "m-2019-01-18-minsk-cis"]
            .into_iter()
            .filter(|id| text.contains(id))
            .collect();
        assert_eq!(ids, ["m-2019-call-pompeo"], "{text}");
        assert!(text.contains("│ …"), "{text}");
        assert!(text.ends_with("5 rows (2 shown)\n"), "{text}");
    }
}
