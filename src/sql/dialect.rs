//! What differs between the SQL engines `meetql sql` writes for: string literals, the few
//! functions that are spelled differently, ordered string aggregation, how the tables are named
//! (bare, or read from a Parquet export), and how the result comes out.
//!
//! Everything else — the shape of the query — is the same for every dialect (see
//! [`super::translate`]), so the differential tests over SQLite and DuckDB check it for all.

use crate::error::{Error, QueryError, QueryErrorKind, Result};

/// An SQL engine `meetql sql` translates to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.44 or later, over a file from `meetql export --format sqlite`.
    Sqlite,
    /// DuckDB (the `duckdb` CLI or any binding), over the Parquet export.
    Duckdb,
    /// Apache DataFusion (the Python package or `datafusion-cli`), over the Parquet export.
    Datafusion,
    /// Apache Spark SQL 3.4 or later (`spark-sql`, PySpark), over the Parquet export.
    Spark,
}

/// The tables of the relational form, in the order the export writes them.
pub const TABLES: [&str; 5] = ["meetings", "participants", "orgs", "countries", "topics"];

/// The characters Rust's `str::trim` removes (Unicode `White_Space`).
const WS: [u32; 25] = [
    9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232,
    8233, 8239, 8287, 12288,
];

impl Dialect {
    /// Every dialect with its name on the command line.
    pub const ALL: [(&'static str, Dialect); 4] = [
        ("sqlite", Dialect::Sqlite),
        ("duckdb", Dialect::Duckdb),
        ("datafusion", Dialect::Datafusion),
        ("spark", Dialect::Spark),
    ];

    /// The dialect named `name` (`sqlite`, `duckdb`, `datafusion` or `spark`).
    pub fn from_name(name: &str) -> Option<Dialect> {
        Self::ALL.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, d)| *d)
    }

    /// The dialect's name.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, d)| *d == self).map(|(n, _)| *n).unwrap_or("sqlite")
    }

    /// A string literal holding exactly `s`.
    pub(crate) fn lit(self, s: &str) -> Result<String> {
        match self {
            Dialect::Spark => {
                // Spark reads backslash escapes in literals; \uXXXX spells any character.
                let mut out = String::with_capacity(s.len() + 2);
                out.push('\'');
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\'' => out.push_str("\\'"),
                        c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
                        c => out.push(c),
                    }
                }
                out.push('\'');
                Ok(out)
            }
            Dialect::Sqlite if s.contains('\0') => {
                let hex: String = s.bytes().map(|b| format!("{b:02x}")).collect();
                Ok(format!("CAST(x'{hex}' AS TEXT)"))
            }
            Dialect::Duckdb | Dialect::Datafusion if s.contains('\0') => {
                Err(self.cannot("a NUL character in a string"))
            }
            _ => Ok(format!("'{}'", s.replace('\'', "''"))),
        }
    }

    /// The error for a construct this dialect cannot express exactly.
    pub(crate) fn cannot(self, what: &str) -> Error {
        QueryError::new(
            QueryErrorKind::Type,
            Default::default(),
            format!("{what} cannot be written exactly in {}'s SQL", self.name()),
        )
        .into()
    }

    /// `e` with Unicode white space removed at both ends, as Rust's `str::trim` does.
    pub(crate) fn trim(self, e: &str) -> String {
        let codes = WS.map(|c| c.to_string());
        match self {
            Dialect::Sqlite => format!("trim({e}, char({}))", codes.join(",")),
            Dialect::Duckdb => format!("trim({e}, {})", WS.map(|c| format!("chr({c})")).join(" || ")),
            Dialect::Datafusion => format!("btrim({e}, {})", WS.map(|c| format!("chr({c})")).join(" || ")),
            Dialect::Spark => {
                let chars: String = WS.iter().map(|c| format!("\\u{c:04X}")).collect();
                format!("trim(BOTH '{chars}' FROM {e})")
            }
        }
    }

    /// Whether `needle` (an SQL string) occurs in `hay`: true, false, or NULL when `hay` is.
    pub(crate) fn contains(self, hay: &str, needle: &str) -> String {
        match self {
            Dialect::Datafusion => format!("strpos({hay}, {needle}) > 0"),
            _ => format!("instr({hay}, {needle}) > 0"),
        }
    }

    /// The values of `e` over a group, in the order of `order`, joined with `sep` (an SQL string);
    /// NULL (SQLite, DuckDB, DataFusion) or empty (Spark) over no row.
    pub(crate) fn agg(self, e: &str, order: &str, sep: &str) -> String {
        match self {
            Dialect::Sqlite => format!("group_concat({e}, {sep} ORDER BY {order})"),
            Dialect::Duckdb => format!("string_agg({e}, {sep} ORDER BY {order})"),
            Dialect::Datafusion => format!("array_to_string(array_agg({e} ORDER BY {order}), {sep})"),
            Dialect::Spark => format!(
                "array_join(transform(array_sort(collect_list(named_struct('k', {order}, 'v', {e}))), s -> s.v), {sep})"
            ),
        }
    }

    /// How the SQL names table `t`: bare, or (DuckDB with an export directory) the file itself.
    pub(crate) fn table(self, t: &str, from: Option<&str>) -> Result<String> {
        match (self, from) {
            (Dialect::Duckdb, Some(dir)) => Ok(format!("read_parquet({})", self.lit(&format!("{dir}/{t}.parquet"))?)),
            _ => Ok(t.to_string()),
        }
    }

    /// Statements that name the export's files as tables, before the query (DataFusion, Spark).
    pub(crate) fn preamble(self, from: Option<&str>) -> Result<String> {
        let Some(dir) = from else { return Ok(String::new()) };
        let mut out = String::new();
        for t in TABLES {
            let path = self.lit(&format!("{dir}/{t}.parquet"))?;
            match self {
                Dialect::Datafusion => {
                    out.push_str(&format!("CREATE EXTERNAL TABLE {t} STORED AS PARQUET LOCATION {path};\n"))
                }
                Dialect::Spark => out
                    .push_str(&format!("CREATE OR REPLACE TEMPORARY VIEW {t} USING parquet OPTIONS (path {path});\n")),
                Dialect::Sqlite => {
                    return Err(QueryError::new(
                        QueryErrorKind::Type,
                        Default::default(),
                        "SQLite does not read the Parquet export that --from names: use `export --format sqlite \
                         FILE.db` and the SQL without --from"
                            .to_string(),
                    )
                    .into())
                }
                Dialect::Duckdb => {}
            }
        }
        Ok(out)
    }

    /// Whether the result columns are written as finished CSV cells (DuckDB: its CLI's CSV mode
    /// quotes every non-ASCII value and prints NULL as `NULL`, so the query writes the CSV itself).
    pub(crate) fn writes_csv(self) -> bool {
        self == Dialect::Duckdb
    }

    /// `e` (text or NULL) as the `csv` crate writes a cell: empty for NULL, quoted (quotes doubled)
    /// when it holds a comma, a quote or a line break.
    pub(crate) fn csv_cell(self, e: &str) -> String {
        format!(
            "CASE WHEN {e} IS NULL THEN '' WHEN strpos({e}, ',') > 0 OR strpos({e}, '\"') > 0 \
             OR strpos({e}, chr(10)) > 0 OR strpos({e}, chr(13)) > 0 \
             THEN '\"' || replace({e}, '\"', '\"\"') || '\"' ELSE {e} END"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (n, d) in Dialect::ALL {
            assert_eq!(Dialect::from_name(n), Some(d));
            assert_eq!(d.name(), n);
        }
        assert_eq!(Dialect::from_name("DuckDB"), Some(Dialect::Duckdb));
        assert_eq!(Dialect::from_name("postgres"), None);
    }

    #[test]
    fn literals_keep_every_character() {
        assert_eq!(Dialect::Duckdb.lit("O'Brien").unwrap(), "'O''Brien'");
        assert_eq!(Dialect::Spark.lit(r"a\b'c").unwrap(), r"'a\\b\'c'");
        assert_eq!(Dialect::Spark.lit("a\tb").unwrap(), r"'a\u0009b'");
        assert_eq!(Dialect::Sqlite.lit("a\0").unwrap(), "CAST(x'6100' AS TEXT)");
        assert!(Dialect::Duckdb.lit("a\0").unwrap_err().to_string().contains("duckdb"));
    }
}
