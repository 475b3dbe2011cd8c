//! The default database: used when neither `--db` nor `MEETQL_DB` names one. It lives in the
//! platform data directory (`~/.local/share/meetql/db` on Linux, honouring `XDG_DATA_HOME`),
//! is created on first use and filled from the bundled corpus, which is embedded in the binary.

use std::io::Write;
use std::path::PathBuf;

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::ingest::Format;

/// The bundled example corpus (`examples/corpus/meetings.jsonl`).
pub const BUNDLED_CORPUS: &str = include_str!("../examples/corpus/meetings.jsonl");

/// Where the default database lives on this platform.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "meetql").map(|d| d.data_dir().join("db"))
}

/// Opens the default database, creating it and importing the bundled corpus when it is empty;
/// says so on `note` when it does.
pub fn open_default(note: &mut dyn Write) -> Result<Engine> {
    let path = default_path().ok_or_else(|| Error::Open {
        path: PathBuf::from("<data directory>"),
        reason: "no home directory to keep the default database in; pass --db PATH".into(),
    })?;
    let engine = Engine::open(&path)?;
    fill_if_empty(&engine, note)?;
    Ok(engine)
}

/// Fills the default database with the bundled corpus when it holds nothing; says so on `note`.
pub fn fill_if_empty(engine: &Engine, note: &mut dyn Write) -> Result<()> {
    let path = engine.path();
    if engine.is_empty()? {
        let n = engine.import_reader("<bundled corpus>", BUNDLED_CORPUS.as_bytes(), Format::Jsonl)?;
        let _ = writeln!(
            note,
            "meetql: created the default database at {} with the bundled corpus ({n} meetings); use --db PATH or MEETQL_DB for another",
            path.display()
        );
    }
    Ok(())
}
