//! The two-record database that `tests/limits.rs` holds the extreme inputs against and
//! `benches/limits.rs` times them on (shared, so the bench measures what the tests check).

use meetql::Engine;

/// Opens a database in `dir` with two meetings: one with `UN` and `o7` and a summary of
/// `xxx`, one with `o1` and `o2`.
pub fn engine(dir: &std::path::Path, source: &str) -> Engine {
    let engine = Engine::open(dir.join("db")).unwrap();
    let text = concat!(
        r#"{"id":"m-1","date":"2024-01-17","orgs":["UN","o7"],"summary":"xxx"}"#,
        "\n",
        r#"{"id":"m-2","date":"2023","orgs":["o1","o2"]}"#,
        "\n"
    );
    engine.import_reader(source, text.as_bytes(), meetql::ingest::Format::Jsonl).unwrap();
    engine
}
