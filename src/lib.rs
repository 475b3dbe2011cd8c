//! MeetQL: an embedded query engine for meeting facts.
//!
//! See `README.md` for the tour and `../shared/CONTRACT.md` for the contract.

#![warn(missing_docs)]

pub mod error;
pub mod gen;
pub mod ingest;
pub mod lang;
pub mod model;

pub use error::{DataError, Error, QueryError, QueryErrorKind, Result};
pub use model::{Kind, Meeting, PartialDate, Participant, Source};
pub mod default_db;
pub mod engine;
pub mod exec;
pub mod fields;
pub mod output;
pub mod plan;
pub mod repl;
pub mod script;
pub mod storage;
pub use engine::{Engine, ImportSummary, Prepared, QueryResult, Shape};
pub use exec::Row;
pub use plan::{Literal, Params};
