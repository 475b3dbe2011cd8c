//! The checks the fuzz targets (`fuzz/fuzz_targets/`) run on each input, shared with
//! `tests/fuzz_regressions.rs`, which replays the inputs that once failed them. Each panics when
//! the property does not hold.
//!
//! ```
//! meetql::fuzzing::parse_round_trip(b"meetings where org = \"UN\" limit 3");
//! meetql::fuzzing::import_round_trip(b"{\"id\":\"a\",\"date\":\"2024\"}\n", meetql::ingest::Format::Jsonl);
//! meetql::fuzzing::extract_total(b"ASTANA, May 2. The minister met Ann Lee. He held talks there.");
//! ```

use crate::ingest::{read_from, Format};
use crate::lang::{parse_script, parse_statement};

/// Any UTF-8 text either fails to parse, or parses to a tree whose canonical text parses back to
/// the same tree (as one statement and as a whole script).
pub fn parse_round_trip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let check = |st: &crate::lang::ast::Statement| {
        let printed = st.to_string();
        let again = parse_statement(&printed).unwrap_or_else(|e| panic!("{printed:?} does not parse back: {e}"));
        assert_eq!(*st, again, "{printed:?}");
    };
    if let Ok(st) = parse_statement(text) {
        check(&st);
    }
    if let Ok(items) = parse_script(text) {
        items.iter().for_each(|item| check(&item.statement));
    }
}

/// Any bytes give records or an error naming a line, never a panic; every record read
/// serializes and reads back as JSON Lines.
pub fn import_round_trip(data: &[u8], format: Format) {
    let mut records = Vec::new();
    let _ = read_from(data, "<fuzz>", format, &mut |m| {
        records.push(m);
        Ok(())
    });
    for m in records {
        let line = serde_json::to_string(&m).expect("a record serializes");
        let back: crate::Meeting = serde_json::from_str(&line).expect("a record reads back");
        assert_eq!(back, m);
    }
}

/// Any bytes, read as a news report (invalid UTF-8 replaced, as `meetql import` reads a `.txt`
/// report), give an extraction, never a panic; the same text gives the same extraction; and
/// every meeting extracted serializes and reads back as JSON Lines.
pub fn extract_total(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let x = crate::ingest::report::extract("fuzz/report.txt", &text);
    assert_eq!(x, crate::ingest::report::extract("fuzz/report.txt", &text), "extraction is not deterministic");
    for m in &x.meetings {
        let line = serde_json::to_string(m).expect("a record serializes");
        let back: crate::Meeting = serde_json::from_str(&line).expect("a record reads back");
        assert_eq!(&back, m);
    }
}
