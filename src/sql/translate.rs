//! The language translated to SQL over the relational form of [`super::SCHEMA`], in any
//! [`Dialect`]. See the module doc of [`crate::sql`] for the rules.
//!
//! The query has one shape in every dialect, built only of what SQLite, DuckDB, DataFusion and
//! Spark all run the same way: a predicate over a list table or over participants is a
//! `LEFT JOIN` of the distinct meetings that pass it (never a correlated subquery, which the
//! engines restrict differently), the first value of a sort key is a `row_number()` join, and
//! list cells are an ordered string aggregation joined to the hits.

use std::cell::RefCell;
use std::fmt::Write as _;

use super::dialect::Dialect;
use crate::error::{Error, QueryError, QueryErrorKind, Result};
use crate::lang::ast::{CmpOp, Collection, Count, Expr, Field, Query, Value, ValueKind};
use crate::model::PartialDate;
use crate::plan::{Literal, Params, SelectField};

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

fn unknown_field(name: &str) -> Error {
    QueryError::new(QueryErrorKind::UnknownField, Default::default(), name.to_string()).into()
}

fn internal(e: &Expr, what: &str) -> Error {
    QueryError::new(QueryErrorKind::Syntax, Default::default(), format!("cannot translate {what}: {e}")).into()
}

/// A test on one value, given its folded and lowered column names.
enum Test {
    Cmp(&'static str, String),
    In(Vec<String>),
    Contains(String),
    Prefix(String),
    Exists,
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

struct Tr<'a> {
    params: &'a Params,
    d: Dialect,
    from: Option<&'a str>,
    /// `LEFT JOIN`s the predicate and the sort key need, in order.
    joins: RefCell<Vec<String>>,
}

impl Tr<'_> {
    fn t(&self, name: &str) -> Result<String> {
        self.d.table(name, self.from)
    }

    fn lit(&self, s: &str) -> Result<String> {
        self.d.lit(s)
    }

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

    /// `t` on the value whose folded column is `f` and lowered column is `l`: true, false or NULL.
    fn test_sql(&self, t: &Test, f: &str, l: &str) -> Result<String> {
        Ok(match t {
            Test::Cmp(op, s) => format!("{f} {op} {}", self.lit(s)?),
            Test::In(v) => {
                format!("{f} IN ({})", v.iter().map(|s| self.lit(s)).collect::<Result<Vec<_>>>()?.join(", "))
            }
            Test::Contains(p) if p.is_empty() => format!("{l} IS NOT NULL"),
            Test::Contains(p) => self.d.contains(l, &self.lit(p)?),
            Test::Prefix(p) => format!("substr({f}, 1, {}) = {}", p.chars().count(), self.lit(p)?),
            Test::Exists => format!("{f} IS NOT NULL"),
        })
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

    /// Joins the distinct `meeting_id`s `sub` selects; true when the meeting is among them.
    fn semi_join(&self, sub: String) -> String {
        let mut joins = self.joins.borrow_mut();
        let n = joins.len() + 1;
        joins.push(format!("LEFT JOIN ({sub}) a{n} ON a{n}.meeting_id = m.id"));
        format!("a{n}.meeting_id IS NOT NULL")
    }

    /// Some value of the field passes `t` (never NULL).
    fn any(&self, srcs: &[Src], t: &Test) -> Result<String> {
        let mut parts = Vec::new();
        for s in srcs {
            parts.push(match s {
                Src::Col(c) => {
                    format!("COALESCE({}, FALSE)", self.test_sql(t, &format!("m.{c}_f"), &format!("m.{c}_l"))?)
                }
                Src::List(tab) => self.semi_join(format!(
                    "SELECT DISTINCT x.meeting_id FROM {} x WHERE {}",
                    self.t(tab)?,
                    self.test_sql(t, "x.value_f", "x.value_l")?
                )),
                Src::Part(c) => self.semi_join(format!(
                    "SELECT DISTINCT x.meeting_id FROM {} x WHERE {}",
                    self.t("participants")?,
                    self.test_sql(t, &format!("x.{c}_f"), &format!("x.{c}_l"))?
                )),
            });
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { format!("({})", parts.join(" OR ")) })
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

    /// A meeting-level expression (true or false, never NULL).
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
            Expr::Participant { inner, .. } => {
                let inner = self.ppred(inner)?;
                Ok(self.semi_join(format!(
                    "SELECT DISTINCT p.meeting_id FROM {} p WHERE {inner}",
                    self.t("participants")?
                )))
            }
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
                        Expr::Exists { .. } => Ok("TRUE".into()),
                        _ => Err(internal(e, "this date predicate")),
                    };
                }
                let srcs = sources(&field.name).ok_or_else(|| internal(e, "an unknown field"))?;
                if let Expr::Between { low, high, .. } = e {
                    return Ok(format!(
                        "({} AND {})",
                        self.any(srcs, &Test::Cmp(">=", self.fold(low)?))?,
                        self.any(srcs, &Test::Cmp("<=", self.fold(high)?))?
                    ));
                }
                let (t, negate) = self.test(e)?;
                let s = self.any(srcs, &t)?;
                Ok(if negate { format!("NOT {s}") } else { s })
            }
        }
    }

    /// An expression over one participant `p` (true or false, never NULL).
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
                    "COALESCE(p.{c}_f >= {} AND p.{c}_f <= {}, FALSE)",
                    self.lit(&self.fold(low)?)?,
                    self.lit(&self.fold(high)?)?
                ))
            }
            Expr::Compare { field, .. }
            | Expr::In { field, .. }
            | Expr::Contains { field, .. }
            | Expr::StartsWith { field, .. }
            | Expr::Exists { field } => {
                let c = col(field)?;
                let (t, negate) = self.test(e)?;
                let s = format!("COALESCE({}, FALSE)", self.test_sql(&t, &format!("p.{c}_f"), &format!("p.{c}_l"))?);
                Ok(if negate { format!("NOT {s}") } else { s })
            }
            Expr::Participant { .. } => Err(internal(e, "a nested participant")),
        }
    }

    /// The first value of a key (folded), NULL when the meeting has none; joins what it reads.
    fn first_value(&self, key: &str) -> Result<String> {
        Ok(match key {
            "year" => "substr(m.date_text, 1, 4)".into(),
            "month" => "substr(m.date_text, 1, 7)".into(),
            _ => {
                let srcs = sources(key).ok_or_else(|| unknown_field(key))?;
                let mut parts = Vec::new();
                for s in srcs {
                    let (table, col) = match s {
                        Src::Col(c) => {
                            parts.push(format!("m.{c}_f"));
                            continue;
                        }
                        Src::List(t) => (*t, "value_f".to_string()),
                        Src::Part(c) => ("participants", format!("{c}_f")),
                    };
                    let mut joins = self.joins.borrow_mut();
                    let n = joins.len() + 1;
                    joins.push(format!(
                        "LEFT JOIN (SELECT y.meeting_id, y.v FROM (SELECT x.meeting_id, x.{col} AS v, \
                         row_number() OVER (PARTITION BY x.meeting_id ORDER BY x.idx) AS rn FROM {} x \
                         WHERE x.{col} IS NOT NULL) y WHERE y.rn = 1) s{n} ON s{n}.meeting_id = m.id",
                        self.t(table)?
                    ));
                    parts.push(format!("s{n}.v"));
                }
                if parts.len() == 1 {
                    parts.remove(0)
                } else {
                    format!("COALESCE({})", parts.join(", "))
                }
            }
        })
    }

    /// `FROM meetings m` with the joins collected so far.
    fn meetings_from(&self) -> Result<String> {
        let mut s = format!("FROM {} m", self.t("meetings")?);
        for j in self.joins.borrow().iter() {
            s.push('\n');
            s.push_str(j);
        }
        Ok(s)
    }

    /// A text result column as the dialect gives it back: a finished CSV cell, or the text
    /// (empty for NULL).
    fn cell(&self, e: &str) -> String {
        if self.d.writes_csv() {
            self.d.csv_cell(e)
        } else {
            format!("COALESCE({e}, '')")
        }
    }

    fn limit_sql(&self, q: &Query) -> Result<String> {
        let Some(l) = q.limit else { return Ok(String::new()) };
        let max = if self.d == Dialect::Spark { i32::MAX as u64 } else { i64::MAX as u64 };
        if l.limit > max || l.offset.unwrap_or(0) > max {
            return Err(self.d.cannot(&format!("a limit or offset above {max}")));
        }
        Ok(match l.offset {
            Some(o) if o > 0 => format!("\nLIMIT {} OFFSET {o}", l.limit),
            _ => format!("\nLIMIT {}", l.limit),
        })
    }

    /// `value, count` rows of the distinct folded values of `field` among the meetings in `hits`.
    fn value_counts(&self, field: &str, total: bool, q: &Query) -> Result<String> {
        let srcs = sources(field).ok_or_else(|| unknown_field(field))?;
        let mut vals = Vec::new();
        for s in srcs {
            vals.push(match s {
                Src::Col(c) => format!(
                    "SELECT m.id AS mid, m.{c}_f AS f, {} AS s FROM {} m JOIN hits h ON h.id = m.id \
                     WHERE m.{c}_f IS NOT NULL",
                    self.d.trim(&format!("m.{c}")),
                    self.t("meetings")?
                ),
                Src::List(t) => format!(
                    "SELECT x.meeting_id AS mid, x.value_f AS f, {} AS s FROM {} x JOIN hits h ON h.id = x.meeting_id \
                     WHERE x.value_f IS NOT NULL",
                    self.d.trim("x.value"),
                    self.t(t)?
                ),
                Src::Part(c) => format!(
                    "SELECT x.meeting_id AS mid, x.{c}_f AS f, {} AS s FROM {} x JOIN hits h ON h.id = x.meeting_id \
                     WHERE x.{c}_f IS NOT NULL",
                    self.d.trim(&format!("x.{c}")),
                    self.t("participants")?
                ),
            });
        }
        let mut out = format!(",\nvals AS (\n  {}\n),\n", vals.join("\n  UNION ALL "));
        out.push_str("counts AS (SELECT f, count(DISTINCT mid) AS n FROM vals GROUP BY f)");
        if total {
            out.push_str("\nSELECT count(*) AS count FROM counts");
            return Ok(out);
        }
        let _ = write!(
            out,
            ",\nspellings AS (SELECT f, s, row_number() OVER (PARTITION BY f ORDER BY count(*) DESC, s ASC) AS rn \
             FROM vals GROUP BY f, s)\n\
             SELECT {} AS value, counts.n AS count FROM counts JOIN spellings ON spellings.f = counts.f \
             AND spellings.rn = 1\nORDER BY counts.n DESC, counts.f ASC{}",
            self.cell("spellings.s"),
            self.limit_sql(q)?
        );
        Ok(out)
    }

    /// An ordered, joined list cell of `hits` rows: `(join clause, column)`.
    fn list_cell(&self, table: &str, entry: &str, sep: &str, alias: &str) -> Result<(String, String)> {
        let agg = self.d.agg(entry, "x.idx", &self.lit(sep)?);
        Ok((
            format!(
                "LEFT JOIN (SELECT x.meeting_id, {agg} AS v FROM {} x JOIN hits h ON h.id = x.meeting_id \
                 GROUP BY x.meeting_id) {alias} ON {alias}.meeting_id = m.id",
                self.t(table)?
            ),
            format!("{alias}.v"),
        ))
    }

    /// `e` with `\`, `;` and `|` escaped as the CSV layout's list cells escape them.
    fn escaped(&self, e: &str) -> Result<String> {
        let mut s = format!("COALESCE({e}, '')");
        for c in ["\\", ";", "|"] {
            s = format!("replace({s}, {}, {})", self.lit(c)?, self.lit(&format!("\\{c}"))?);
        }
        Ok(s)
    }

    /// The rows of a meetings query: whole records in the CSV layout, or `id` and the selected
    /// fields.
    fn meeting_rows(&self, q: &Query, select: &[SelectField], pred: &str) -> Result<String> {
        // The sort: the key's first value (missing last), ties in the default order.
        let (key, desc) = match &q.order {
            Some(o) if o.key.name != "date" => (Some(self.first_value(&o.key.name)?), o.descending),
            Some(o) => (None, o.descending),
            None => (None, false),
        };
        let dir = if desc { " DESC" } else { "" };
        let order = |k: Option<&str>| match k {
            Some(k) => format!("({k}) IS NULL, {k}{dir}, m.date_start, m.date_end, m.id"),
            None => format!("m.date_start{dir}, m.date_end{dir}, m.id"),
        };
        // Columns: (expression over `m` and the list joins, is a list cell).
        let full = select.is_empty();
        let mut cols: Vec<String> = Vec::new();
        let mut list_joins: Vec<String> = Vec::new();
        if full {
            let part = format!(
                "{} || '|' || {} || '|' || {} || '|' || {}",
                self.escaped("x.name")?,
                self.escaped("x.title")?,
                self.escaped("x.org")?,
                self.escaped("x.country")?
            );
            let mut cells =
                vec!["m.id".into(), "m.date_text".into(), "m.kind".into(), "m.city".into(), "m.country".into()];
            for (table, entry, alias) in [
                ("participants", part, "lp"),
                ("orgs", self.escaped("x.value")?, "lo"),
                ("countries", self.escaped("x.value")?, "lc"),
                ("topics", self.escaped("x.value")?, "lt"),
            ] {
                let (j, c) = self.list_cell(table, &entry, ";", alias)?;
                list_joins.push(j);
                cells.push(c);
            }
            cells.extend(["m.publisher", "m.doc", "m.url", "m.summary", "m.text"].map(String::from));
            cols = cells;
        } else {
            cols.push("m.id".into());
            for s in select {
                let c = match s.name() {
                    "id" => continue,
                    "date" => "m.date_text".to_string(),
                    "kind" => "m.kind".into(),
                    "city" => "m.city".into(),
                    "summary" => "m.summary".into(),
                    "year" => "substr(m.date_text, 1, 4)".into(),
                    "month" => "substr(m.date_text, 1, 7)".into(),
                    list @ ("orgs" | "countries" | "topics") => {
                        let alias = format!("l{}", list_joins.len() + 1);
                        let (j, c) = self.list_cell(list, "x.value", "; ", &alias)?;
                        list_joins.push(j);
                        c
                    }
                    other => {
                        return Err(QueryError::new(
                            QueryErrorKind::Type,
                            Default::default(),
                            format!(
                                "'select {other}' is not translated to SQL (its distinct values in first-seen order \
                                 with the preferred spelling); select id, date, kind, city, year, month or summary"
                            ),
                        )
                        .into())
                    }
                };
                cols.push(c);
            }
        }
        let cells: Vec<String> = cols.iter().map(|c| self.cell(c)).collect();
        if list_joins.is_empty() {
            return Ok(format!(
                "SELECT {}\n{}\nWHERE {pred}\nORDER BY {}{}",
                cells.join(", "),
                self.meetings_from()?,
                order(key.as_deref()),
                self.limit_sql(q)?
            ));
        }
        // The hits first (with their sort key), then their list cells, in the same order.
        let sort_k = key.as_ref().map(|k| format!(", {k} AS sort_k")).unwrap_or_default();
        let mut out = format!(
            "WITH hits AS (SELECT m.*{sort_k}\n{}\nWHERE {pred}\nORDER BY {}{})\nSELECT {}\nFROM hits m",
            self.meetings_from()?,
            order(key.as_deref()),
            self.limit_sql(q)?,
            cells.join(", ")
        );
        for j in &list_joins {
            out.push('\n');
            out.push_str(j);
        }
        let _ = write!(out, "\nORDER BY {}", order(key.as_ref().map(|_| "m.sort_k")));
        Ok(out)
    }
}

/// Translates a query to SQL in `dialect`, with `params` bound, over the tables of the relational
/// form: named bare, or read from the Parquet export in directory `from` (DuckDB, DataFusion,
/// Spark). The query is checked as [`crate::plan::plan`] checks it, so an invalid query gives the
/// same error; a construct the dialect cannot express exactly is an error too.
///
/// The result has the rows and columns `meetql query -f csv` prints, in its order. For DuckDB the
/// statement is a `COPY ... TO '/dev/stdout'` that writes them as that CSV (header aside).
///
/// ```
/// use meetql::sql::{translate, Dialect};
/// let q = meetql::lang::parse_query(r#"meetings where org = "UN" count"#).unwrap();
/// let sql = translate(&q, &meetql::Params::new(), Dialect::Duckdb, Some("out")).unwrap();
/// assert!(sql.contains("read_parquet('out/orgs.parquet')") && sql.contains("count(*)"));
/// ```
pub fn translate(q: &Query, params: &Params, dialect: Dialect, from: Option<&str>) -> Result<String> {
    let plan = crate::plan::plan(q, params)?;
    let tr = Tr { params, d: dialect, from, joins: RefCell::new(Vec::new()) };
    let pred = match &q.filter {
        Some(e) => tr.pred(e)?,
        None => "TRUE".into(),
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
        (None, None) => out = tr.meeting_rows(q, &plan.select, &pred)?,
        (None, Some(Count::Total)) => {
            let _ = write!(out, "SELECT count(*) AS count\n{}\nWHERE {pred}", tr.meetings_from()?);
        }
        (None, Some(Count::By(k))) => match k.name.as_str() {
            "year" | "month" | "date" => {
                let len = match k.name.as_str() {
                    "year" => 4,
                    "month" => 7,
                    _ => 10,
                };
                let v = format!("substr(m.date_text, 1, {len})");
                let _ = write!(
                    out,
                    "SELECT {} AS value, count(*) AS count\n{}\nWHERE {pred}\nGROUP BY {v}\nORDER BY {v}{}",
                    tr.cell(&v),
                    tr.meetings_from()?,
                    tr.limit_sql(q)?
                );
            }
            name => {
                let _ = write!(out, "WITH hits AS (SELECT m.id {} WHERE {pred})", tr.meetings_from()?);
                out.push_str(&tr.value_counts(name, false, q)?);
            }
        },
        (Some(f), count) => {
            let _ = write!(out, "WITH hits AS (SELECT m.id {} WHERE {pred})", tr.meetings_from()?);
            out.push_str(&tr.value_counts(f, matches!(count, Some(Count::Total)), q)?);
        }
    }
    let pre = dialect.preamble(from)?;
    if dialect.writes_csv() {
        out = format!("COPY (\n{out}\n) TO '/dev/stdout' (FORMAT csv, HEADER false, QUOTE '')");
    }
    Ok(format!("{pre}{out}"))
}
