//! MeetQL: an embedded query engine for meeting facts.
//!
//! See `README.md` for the tour and `grammar/meetql.ebnf` for the language. The library is
//! the product's spine: the command line and the REPL use nothing an embedding program could
//! not use too.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let line = r#"{"id": "m-1", "date": "2024-01-17", "orgs": ["UNRCCA"], "city": "Ashgabat"}"#;
//! # let reports = dir.path().join("reports");
//! # std::fs::create_dir_all(&reports)?;
//! # std::fs::write(reports.join("more.jsonl"), r#"{"id": "m-2", "date": "2023", "orgs": ["OSCE"]}"#)?;
//! let engine = meetql::Engine::open(dir.path().join("db"))?;     // creates it when absent
//! let m: meetql::Meeting = serde_json::from_str(line)?;           // the record, serde types
//! engine.insert(m)?;                                              // one record, durable on return
//! engine.import_path(&reports)?;                                  // all-or-nothing per file
//! let result = engine.query(r#"meetings where org = "UNRCCA""#)?;
//! for m in result.meetings() { println!("{} {}", m.date, m.id); }
//! println!("{}", serde_json::to_string(&result)?);                // results are serde::Serialize
//! let q = engine.prepare("meetings where org = $org")?;           // parse once, run many times
//! let result = q.bind("org", "UNRCCA").run()?;
//! assert_eq!(result.meetings().count(), 1);
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! - `cli` (default): the `meetql` command, its shell ([`repl`]), the output formats
//!   ([`output`]), script printing ([`script::run_script`]) and the default database
//!   ([`default_db`]), with the crates they need (clap, rustyline, comfy-table, indicatif,
//!   ctrlc, mimalloc, directories).
//! - `sqlite` (default): the SQLite export ([`sql::export_sqlite`]), which builds SQLite.
//!
//! Without them (`default-features = false`) the crate is the engine, storage, ingestion, the
//! language and scripts ([`Engine::run_script`]).

#![warn(missing_docs)]

pub mod error;
pub mod gen;
pub mod ingest;
pub mod lang;
pub mod model;

pub use error::{DataError, Error, QueryError, QueryErrorKind, Result, StorageError};
pub use model::{Kind, Meeting, PartialDate, Participant, Source};
#[cfg(feature = "cli")]
pub mod default_db;
pub mod engine;
pub mod exec;
pub mod export;
pub mod fields;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod json;
#[cfg(feature = "cli")]
pub mod output;
pub mod plan;
#[cfg(feature = "cli")]
pub mod repl;
pub mod script;
#[cfg(feature = "cli")]
pub mod serve;
#[cfg(feature = "cli")]
pub mod session;
pub mod sql;
pub(crate) mod storage;
pub use engine::{Engine, Hold, ImportSummary, Prepared, QueryResult, RowSink, Shape, Streamed};
pub use exec::{More, Row};
pub use plan::{bind_value, Literal, Params};
