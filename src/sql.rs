//! The language translated to SQL over a relational form of the export, for `meetql sql`,
//! `meetql export --format sqlite` and differential testing against SQLite.
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
//!   `text` is summary/text. A predicate holds when **any** value passes (`EXISTS`), and every
//!   atom is two-valued (NULL counts as false), so `not` over a missing value is true.
//! * Dates compare as intervals with the rules of §3 on `date_start`/`date_end`.
//! * `participant { e }` is `EXISTS (SELECT 1 FROM participants p WHERE ... e over p ...)`.
//! * `count by FIELD` and the facets count each meeting once under each distinct folded value,
//!   show the most frequent trimmed spelling (ties: the smallest), and order by count (most
//!   first) then folded value; `count by year|month|date` bucket `date_text` chronologically.
//! * `order by K` sorts by K's first value (folded), missing values last, ties in the default
//!   order (`date_start, date_end, id`).
//!
//! Strings are compared with SQLite's default BINARY collation, which orders UTF-8 by code
//! point as Rust does. The SQL needs no custom function: it runs in any SQLite shell over a
//! file written by `meetql export --format sqlite FILE.db`.

use std::fmt::Write as _;

use crate::error::{Error, QueryError, QueryErrorKind, Result};
use crate::lang::ast::{CmpOp, Collection, Count, Expr, Field, Query, Value, ValueKind};
use crate::model::PartialDate;
use crate::plan::{Literal, Params};

#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "sqlite")]
pub use sqlite::{create_schema, export_sqlite, insert, load};

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

/// The characters Rust's `str::trim` removes (Unicode `White_Space`), for SQLite's `trim(X, Y)`.
const WS: &str = "char(9,10,11,12,13,32,133,160,5760,8192,8193,8194,8195,8196,8197,8198,8199,8200,8201,8202,8232,8233,8239,8287,12288)";

/// Where a field's values live.
#[derive(Clone, Copy)]
enum Src {
    /// A column of `meetings`.
    Col(&'static str),
    /// The `value` column of a list table.
    List(&'static str),
    /// A column of `participants`.
    Part(&'static str),
}

/// The sources of a meeting field, in the order "the first value" takes them.
fn sources(field: &str) -> Option<&'static [Src]> {
    Some(match field {
        "kind" => &[Src::Col("kind")],
        "city" => &[Src::Col("city")],
        "country" => &[Src::Col("country"), Src::List("countries")],
        "org" => &[Src::List("orgs"), Src::Part("org")],
        "person" => &[Src::Part("name")],
        "title" => &[Src::Part("title")],
        "topic" => &[Src::List("topics")],
        "source" => &[Src::Col("publisher"), Src::Col("doc"), Src::Col("url")],
        "text" => &[Src::Col("summary"), Src::Col("text")],
        "id" => &[Src::Col("id")],
        _ => return None,
    })
}

/// A SQL string literal.
fn lit(s: &str) -> String {
    if s.contains('\0') {
        let hex: String = s.bytes().map(|b| format!("{b:02x}")).collect();
        return format!("CAST(x'{hex}' AS TEXT)");
    }
    format!("'{}'", s.replace('\'', "''"))
}

struct Tr<'a> {
    params: &'a Params,
}

/// A test on one value, given its folded and lowered column names.
enum Test {
    Cmp(&'static str, String),
    In(Vec<String>),
    Contains(String),
    Prefix(String),
    Exists,
}

impl Test {
    fn sql(&self, f: &str, l: &str) -> String {
        match self {
            Test::Cmp(op, s) => format!("{f} {op} {}", lit(s)),
            Test::In(v) => format!("{f} IN ({})", v.iter().map(|s| lit(s)).collect::<Vec<_>>().join(", ")),
            Test::Contains(p) => format!("instr({l}, {}) > 0", lit(p)),
            Test::Prefix(p) => format!("substr({f}, 1, {}) = {}", p.chars().count(), lit(p)),
            Test::Exists => format!("{f} IS NOT NULL"),
        }
    }
}

fn op_sql(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

fn internal(e: &Expr, what: &str) -> Error {
    QueryError::new(QueryErrorKind::Syntax, Default::default(), format!("cannot translate {what}: {e}")).into()
}

impl Tr<'_> {
    fn literal(&self, v: &Value) -> Result<Literal> {
        Ok(match &v.kind {
            ValueKind::Str(s) => Literal::Str(s.clone()),
            ValueKind::Date(d) => Literal::Date(*d),
            ValueKind::Int(i) => Literal::Int(*i),
            ValueKind::Param(n) => self.params.get(n).cloned().ok_or_else(|| {
                Error::from(QueryError::new(
                    QueryErrorKind::UnboundParameter,
                    v.span,
                    format!("parameter ${n} is not bound"),
                ))
            })?,
        })
    }

    fn text(&self, v: &Value) -> Result<String> {
        Ok(match self.literal(v)? {
            Literal::Str(s) => s,
            Literal::Date(d) => d.to_string(),
            Literal::Int(i) => i.to_string(),
        })
    }

    fn fold(&self, v: &Value) -> Result<String> {
        Ok(self.text(v)?.trim().to_lowercase())
    }

    fn date(&self, v: &Value) -> Result<PartialDate> {
        match self.literal(v)? {
            Literal::Date(d) => Ok(d),
            Literal::Str(s) => s
                .trim()
                .parse::<PartialDate>()
                .map_err(|e| QueryError::new(QueryErrorKind::InvalidDate, v.span, e.message).into()),
            Literal::Int(i) => Err(QueryError::new(QueryErrorKind::Type, v.span, format!("{i} is not a date")).into()),
        }
    }

    /// The test of a string predicate and whether it is negated (`!=`).
    fn test(&self, e: &Expr) -> Result<(Test, bool)> {
        Ok(match e {
            Expr::Compare { op: CmpOp::Ne, value, .. } => (Test::Cmp("=", self.fold(value)?), true),
            Expr::Compare { op, value, .. } => (Test::Cmp(op_sql(*op), self.fold(value)?), false),
            Expr::In { values, .. } => (Test::In(values.iter().map(|v| self.fold(v)).collect::<Result<_>>()?), false),
            Expr::Contains { pattern, .. } => (Test::Contains(self.text(pattern)?.to_lowercase()), false),
            Expr::StartsWith { prefix, .. } => (Test::Prefix(self.text(prefix)?.trim_start().to_lowercase()), false),
            Expr::Exists { .. } => (Test::Exists, false),
            _ => return Err(internal(e, "this predicate")),
        })
    }

    /// Some value of the field passes `t` (never NULL).
    fn any(&self, srcs: &[Src], t: &Test) -> String {
        let parts: Vec<String> = srcs
            .iter()
            .map(|s| match s {
                Src::Col(c) => format!("COALESCE({}, 0)", t.sql(&format!("m.{c}_f"), &format!("m.{c}_l"))),
                Src::List(tab) => format!(
                    "EXISTS (SELECT 1 FROM {tab} x WHERE x.meeting_id = m.id AND {})",
                    t.sql("x.value_f", "x.value_l")
                ),
                Src::Part(c) => format!(
                    "EXISTS (SELECT 1 FROM participants x WHERE x.meeting_id = m.id AND {})",
                    t.sql(&format!("x.{c}_f"), &format!("x.{c}_l"))
                ),
            })
            .collect();
        if parts.len() == 1 {
            parts.into_iter().next().unwrap_or_default()
        } else {
            format!("({})", parts.join(" OR "))
        }
    }

    fn date_pred(&self, op: CmpOp, d: PartialDate) -> String {
        let (s, e) = (d.start(), d.end());
        match op {
            CmpOp::Ge => format!("m.date_start >= {s}"),
            CmpOp::Le => format!("m.date_end <= {e}"),
            CmpOp::Eq => format!("(m.date_start >= {s} AND m.date_end <= {e})"),
            CmpOp::Gt => format!("m.date_start > {e}"),
            CmpOp::Lt => format!("m.date_end < {s}"),
            CmpOp::Ne => format!("NOT (m.date_start >= {s} AND m.date_end <= {e})"),
        }
    }

    fn junction(&self, v: &[Expr], sep: &str, f: &dyn Fn(&Expr) -> Result<String>) -> Result<String> {
        Ok(format!("({})", v.iter().map(f).collect::<Result<Vec<_>>>()?.join(sep)))
    }

    /// A meeting-level expression (0 or 1, never NULL).
    fn pred(&self, e: &Expr) -> Result<String> {
        let field_of = |e: &Expr| -> Option<Field> {
            match e {
                Expr::Compare { field, .. }
                | Expr::In { field, .. }
                | Expr::Between { field, .. }
                | Expr::Contains { field, .. }
                | Expr::StartsWith { field, .. }
                | Expr::Exists { field } => Some(field.clone()),
                _ => None,
            }
        };
        match e {
            Expr::Or(v) => self.junction(v, " OR ", &|x| self.pred(x)),
            Expr::And(v) => self.junction(v, " AND ", &|x| self.pred(x)),
            Expr::Not(x) => Ok(format!("NOT {}", self.pred(x)?)),
            Expr::Participant { inner, .. } => Ok(format!(
                "EXISTS (SELECT 1 FROM participants p WHERE p.meeting_id = m.id AND {})",
                self.ppred(inner)?
            )),
            _ => {
                let field = field_of(e).ok_or_else(|| internal(e, "this predicate"))?;
                if field.name == "date" {
                    return match e {
                        Expr::Compare { op, value, .. } => Ok(self.date_pred(*op, self.date(value)?)),
                        Expr::In { values, .. } => Ok(format!(
                            "({})",
                            values
                                .iter()
                                .map(|v| Ok(self.date_pred(CmpOp::Eq, self.date(v)?)))
                                .collect::<Result<Vec<_>>>()?
                                .join(" OR ")
                        )),
                        Expr::Between { low, high, .. } => Ok(format!(
                            "(m.date_start >= {} AND m.date_end <= {})",
                            self.date(low)?.start(),
                            self.date(high)?.end()
                        )),
                        Expr::Exists { .. } => Ok("1".into()),
                        _ => Err(internal(e, "this date predicate")),
                    };
                }
                let srcs = sources(&field.name).ok_or_else(|| internal(e, "an unknown field"))?;
                if let Expr::Between { low, high, .. } = e {
                    return Ok(format!(
                        "({} AND {})",
                        self.any(srcs, &Test::Cmp(">=", self.fold(low)?)),
                        self.any(srcs, &Test::Cmp("<=", self.fold(high)?))
                    ));
                }
                let (t, negate) = self.test(e)?;
                let s = self.any(srcs, &t);
                Ok(if negate { format!("NOT {s}") } else { s })
            }
        }
    }

    /// An expression over one participant `p` (0 or 1, never NULL).
    fn ppred(&self, e: &Expr) -> Result<String> {
        let col = |f: &Field| -> Result<&'static str> {
            Ok(match f.name.as_str() {
                "name" => "name",
                "title" => "title",
                "org" => "org",
                "country" => "country",
                _ => return Err(internal(e, "an unknown participant field")),
            })
        };
        match e {
            Expr::Or(v) => self.junction(v, " OR ", &|x| self.ppred(x)),
            Expr::And(v) => self.junction(v, " AND ", &|x| self.ppred(x)),
            Expr::Not(x) => Ok(format!("NOT {}", self.ppred(x)?)),
            Expr::Between { field, low, high } => {
                let c = col(field)?;
                Ok(format!(
                    "COALESCE(p.{c}_f >= {} AND p.{c}_f <= {}, 0)",
                    lit(&self.fold(low)?),
                    lit(&self.fold(high)?)
                ))
            }
            Expr::Compare { field, .. }
            | Expr::In { field, .. }
            | Expr::Contains { field, .. }
            | Expr::StartsWith { field, .. }
            | Expr::Exists { field } => {
                let c = col(field)?;
                let (t, negate) = self.test(e)?;
                let s = format!("COALESCE({}, 0)", t.sql(&format!("p.{c}_f"), &format!("p.{c}_l")));
                Ok(if negate { format!("NOT {s}") } else { s })
            }
            Expr::Participant { .. } => Err(internal(e, "a nested participant")),
        }
    }

    /// The first value of a key (folded), NULL when the meeting has none.
    fn first_value(&self, key: &str) -> Result<String> {
        Ok(match key {
            "year" => "substr(m.date_text, 1, 4)".into(),
            "month" => "substr(m.date_text, 1, 7)".into(),
            _ => {
                let srcs = sources(key).ok_or_else(|| {
                    Error::from(QueryError::new(QueryErrorKind::UnknownField, Default::default(), key.to_string()))
                })?;
                let parts: Vec<String> = srcs
                    .iter()
                    .map(|s| match s {
                        Src::Col(c) => format!("m.{c}_f"),
                        Src::List(t) => format!(
                            "(SELECT x.value_f FROM {t} x WHERE x.meeting_id = m.id AND x.value_f IS NOT NULL \
                             ORDER BY x.idx LIMIT 1)"
                        ),
                        Src::Part(c) => format!(
                            "(SELECT x.{c}_f FROM participants x WHERE x.meeting_id = m.id AND x.{c}_f IS NOT NULL \
                             ORDER BY x.idx LIMIT 1)"
                        ),
                    })
                    .collect();
                if parts.len() == 1 {
                    parts.into_iter().next().unwrap_or_default()
                } else {
                    format!("COALESCE({})", parts.join(", "))
                }
            }
        })
    }
}

fn limit_sql(q: &Query) -> String {
    match q.limit {
        None => String::new(),
        Some(l) => {
            let n = i64::try_from(l.limit).unwrap_or(-1);
            match l.offset {
                Some(o) if o > 0 => format!("\nLIMIT {n} OFFSET {}", i64::try_from(o).unwrap_or(i64::MAX)),
                _ => format!("\nLIMIT {n}"),
            }
        }
    }
}

/// `value, count` rows of the distinct folded values of `field` among the meetings in `hits`.
fn value_counts(field: &str, total: bool, q: &Query) -> Result<String> {
    let srcs = sources(field).ok_or_else(|| {
        Error::from(QueryError::new(QueryErrorKind::UnknownField, Default::default(), field.to_string()))
    })?;
    let vals: Vec<String> = srcs
        .iter()
        .map(|s| match s {
            Src::Col(c) => format!(
                "SELECT m.id, m.{c}_f, trim(m.{c}, {WS}) FROM meetings m JOIN hits h ON h.id = m.id \
                 WHERE m.{c}_f IS NOT NULL"
            ),
            Src::List(t) => format!(
                "SELECT x.meeting_id, x.value_f, trim(x.value, {WS}) FROM {t} x JOIN hits h ON h.id = x.meeting_id \
                 WHERE x.value_f IS NOT NULL"
            ),
            Src::Part(c) => format!(
                "SELECT x.meeting_id, x.{c}_f, trim(x.{c}, {WS}) FROM participants x JOIN hits h ON h.id = x.meeting_id \
                 WHERE x.{c}_f IS NOT NULL"
            ),
        })
        .collect();
    let mut out = format!(",\nvals(mid, f, s) AS (\n  {}\n),\n", vals.join("\n  UNION ALL "));
    out.push_str("counts AS (SELECT f, count(DISTINCT mid) AS n FROM vals GROUP BY f)");
    if total {
        out.push_str("\nSELECT count(*) AS count FROM counts");
        return Ok(out);
    }
    out.push_str(
        ",\nspellings AS (SELECT f, s, row_number() OVER (PARTITION BY f ORDER BY count(*) DESC, s ASC) AS rn \
         FROM vals GROUP BY f, s)\n\
         SELECT spellings.s AS value, counts.n AS count FROM counts JOIN spellings ON spellings.f = counts.f \
         AND spellings.rn = 1\nORDER BY counts.n DESC, counts.f ASC",
    );
    out.push_str(&limit_sql(q));
    Ok(out)
}

/// Translates a query to SQL over the schema of this module, with `params` bound. The query is
/// checked as [`crate::plan::plan`] checks it, so an invalid query gives the same error.
///
/// ```
/// let q = meetql::lang::parse_query(r#"meetings where org = "UN" count"#).unwrap();
/// let sql = meetql::sql::to_sql(&q, &meetql::Params::new()).unwrap();
/// assert!(sql.contains("FROM orgs x") && sql.contains("count(*)"));
/// ```
pub fn to_sql(q: &Query, params: &Params) -> Result<String> {
    crate::plan::plan(q, params)?;
    let tr = Tr { params };
    let pred = match &q.filter {
        Some(e) => tr.pred(e)?,
        None => "1".into(),
    };
    let facet = match q.collection {
        Collection::Meetings => None,
        Collection::People => Some("person"),
        Collection::Orgs => Some("org"),
        Collection::Countries => Some("country"),
        Collection::Topics => Some("topic"),
    };
    let mut out = String::new();
    match (facet, &q.count) {
        (None, None) => {
            let order = match &q.order {
                None => "m.date_start, m.date_end, m.id".to_string(),
                Some(o) if o.key.name == "date" => {
                    if o.descending {
                        "m.date_start DESC, m.date_end DESC, m.id".into()
                    } else {
                        "m.date_start, m.date_end, m.id".into()
                    }
                }
                Some(o) => {
                    let k = tr.first_value(&o.key.name)?;
                    let dir = if o.descending { " DESC" } else { "" };
                    format!("({k}) IS NULL, {k}{dir}, m.date_start, m.date_end, m.id")
                }
            };
            let _ = write!(
                out,
                "SELECT m.id, m.date_text AS date, m.kind, m.city, m.country, m.summary\nFROM meetings m\nWHERE {pred}\nORDER BY {order}{}",
                limit_sql(q)
            );
        }
        (None, Some(Count::Total)) => {
            let _ = write!(out, "SELECT count(*) AS count\nFROM meetings m\nWHERE {pred}");
        }
        (None, Some(Count::By(k))) => match k.name.as_str() {
            "year" | "month" | "date" => {
                let len = match k.name.as_str() {
                    "year" => 4,
                    "month" => 7,
                    _ => 10,
                };
                let _ = write!(
                    out,
                    "SELECT substr(m.date_text, 1, {len}) AS value, count(*) AS count\nFROM meetings m\nWHERE {pred}\n\
                     GROUP BY 1\nORDER BY 1{}",
                    limit_sql(q)
                );
            }
            name => {
                let _ = write!(out, "WITH hits AS (SELECT m.id FROM meetings m WHERE {pred})");
                out.push_str(&value_counts(name, false, q)?);
            }
        },
        (Some(f), count) => {
            let _ = write!(out, "WITH hits AS (SELECT m.id FROM meetings m WHERE {pred})");
            out.push_str(&value_counts(f, matches!(count, Some(Count::Total)), q)?);
        }
    }
    Ok(out)
}
