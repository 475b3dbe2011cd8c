//! The language translated to SQL over a relational form of the export, for `meetql sql`,
//! `meetql export --format sqlite|parquet` and differential testing against SQLite, DuckDB and
//! DataFusion. The same tables are written to a SQLite file (here) or as Parquet files
//! ([`export_parquet`], feature `parquet`); [`translate`] writes the SQL for each [`Dialect`].
//!
//! # The schema
//!
//! ```sql
//! CREATE TABLE meetings (id, date_start, date_end, date_text, kind, city, country, summary,
//!                        text, publisher, doc, url, + <col>_f and <col>_l for each string column);
//! CREATE TABLE participants (meeting_id, idx, name, title, org, country, + _f and _l columns);
//! CREATE TABLE orgs      (meeting_id, idx, value, value_f, value_l);
//! CREATE TABLE countries (meeting_id, idx, value, value_f, value_l);
//! CREATE TABLE topics    (meeting_id, idx, value, value_f, value_l);
//! ```
//!
//! * `date_start` and `date_end` are the meeting's date interval as days since 1970-01-01
//!   (`2024-01` is January 1 to January 31); `date_text` is the date as written (`2024-01`).
//! * Every string column `c` comes with `c_f`, the value **folded** as the language compares
//!   strings (surrounding white space removed, lower-cased with Rust's Unicode `to_lowercase`),
//!   and `c_l`, the value lower-cased but not trimmed (what `contains` searches). Both are NULL
//!   when the value is absent *or blank*: a blank value is no value (CONTRACT §3). `c` keeps the
//!   value exactly as imported.
//! * `idx` is the position in the record's list (0-based), so "the first value" is defined.
//!
//! # The translation
//!
//! The query is first planned (so that it is checked exactly as MeetQL checks it), then the
//! AST is translated on its own, from CONTRACT §3 — not from the plan — so that SQLite checks
//! the planner and the executor rather than repeating them:
//!
//! * A field is the union of its sources: `org` is `orgs.value` and `participants.org`,
//!   `country` is `meetings.country` and `countries.value`, `source` is publisher/doc/url,
//!   `text` is summary/text. A predicate holds when **any** value passes (a `LEFT JOIN` of the
//!   distinct meetings with a passing value), and every atom is two-valued (NULL counts as
//!   false), so `not` over a missing value is true.
//! * Dates compare as intervals with the rules of §3 on `date_start`/`date_end`.
//! * `participant { e }` joins the distinct meetings of the participants `p` that pass `e`.
//! * `count by FIELD` and the facets count each meeting once under each distinct folded value,
//!   show the most frequent trimmed spelling (ties: the smallest), and order by count (most
//!   first) then folded value; `count by year|month|date` bucket `date_text` chronologically.
//! * `order by K` sorts by K's first value (folded), missing values last, ties in the default
//!   order (`date_start, date_end, id`).
//!
//! * Meeting rows have the columns of `meetql query -f csv`: the CSV layout's 14 (lists joined
//!   with `;`, participants as `name|title|org|country`, `\`, `;`, `|` escaped), or `id` and the
//!   `select`ed fields.
//!
//! Strings are compared byte-wise (SQLite's BINARY collation, DuckDB's, DataFusion's and
//! Spark's defaults), which orders UTF-8 by code point as Rust does. The SQL needs no custom
//! function: it runs in any SQLite 3.44+ shell over a file written by
//! `meetql export --format sqlite FILE.db`.

use crate::error::Result;
use crate::lang::ast::Query;
use crate::plan::Params;

mod dialect;
#[cfg(feature = "parquet")]
mod parquet;
#[cfg(feature = "sqlite")]
mod sqlite;
mod translate;

pub use dialect::{Dialect, TABLES};
#[cfg(feature = "parquet")]
pub use parquet::export_parquet;
#[cfg(feature = "sqlite")]
pub use sqlite::{create_schema, export_sqlite, insert, load};
pub use translate::translate;

/// The statements that create the schema (see the module doc).
pub const SCHEMA: &str = "
CREATE TABLE meetings (
  id TEXT PRIMARY KEY, id_f TEXT, id_l TEXT,
  date_start INTEGER NOT NULL, date_end INTEGER NOT NULL, date_text TEXT NOT NULL,
  kind TEXT NOT NULL, kind_f TEXT, kind_l TEXT,
  city TEXT, city_f TEXT, city_l TEXT,
  country TEXT, country_f TEXT, country_l TEXT,
  summary TEXT, summary_f TEXT, summary_l TEXT,
  text TEXT, text_f TEXT, text_l TEXT,
  publisher TEXT, publisher_f TEXT, publisher_l TEXT,
  doc TEXT, doc_f TEXT, doc_l TEXT,
  url TEXT, url_f TEXT, url_l TEXT
);
CREATE TABLE participants (
  meeting_id TEXT NOT NULL REFERENCES meetings(id), idx INTEGER NOT NULL,
  name TEXT, name_f TEXT, name_l TEXT,
  title TEXT, title_f TEXT, title_l TEXT,
  org TEXT, org_f TEXT, org_l TEXT,
  country TEXT, country_f TEXT, country_l TEXT,
  PRIMARY KEY (meeting_id, idx)
);
CREATE TABLE orgs (meeting_id TEXT NOT NULL REFERENCES meetings(id), idx INTEGER NOT NULL,
  value TEXT NOT NULL, value_f TEXT, value_l TEXT, PRIMARY KEY (meeting_id, idx));
CREATE TABLE countries (meeting_id TEXT NOT NULL REFERENCES meetings(id), idx INTEGER NOT NULL,
  value TEXT NOT NULL, value_f TEXT, value_l TEXT, PRIMARY KEY (meeting_id, idx));
CREATE TABLE topics (meeting_id TEXT NOT NULL REFERENCES meetings(id), idx INTEGER NOT NULL,
  value TEXT NOT NULL, value_f TEXT, value_l TEXT, PRIMARY KEY (meeting_id, idx));
CREATE INDEX meetings_date ON meetings (date_start, date_end, id);
CREATE INDEX orgs_f ON orgs (value_f);
CREATE INDEX countries_f ON countries (value_f);
CREATE INDEX topics_f ON topics (value_f);
CREATE INDEX participants_name_f ON participants (name_f);
";

/// A value as the `_f` columns hold it: trimmed and lower-cased; NULL when absent or blank.
#[cfg(any(feature = "sqlite", feature = "parquet"))]
fn folded(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty()).map(|s| s.trim().to_lowercase())
}

/// A value as the `_l` columns hold it: lower-cased; NULL when absent or blank.
#[cfg(any(feature = "sqlite", feature = "parquet"))]
fn lowered(s: Option<&str>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty()).map(|s| s.to_lowercase())
}

/// Translates a query to SQLite's SQL over the schema of this module, with `params` bound:
/// [`translate`] for [`Dialect::Sqlite`]. The query is checked as [`crate::plan::plan`] checks
/// it, so an invalid query gives the same error.
///
/// ```
/// let q = meetql::lang::parse_query(r#"meetings where org = "UN" count"#).unwrap();
/// let sql = meetql::sql::to_sql(&q, &meetql::Params::new()).unwrap();
/// assert!(sql.contains("FROM orgs x") && sql.contains("count(*)"));
/// ```
pub fn to_sql(q: &Query, params: &Params) -> Result<String> {
    translate(q, params, Dialect::Sqlite, None)
}
