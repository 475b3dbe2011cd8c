//! The SQLite side of [`crate::sql`] (feature `sqlite`): the schema created in a SQLite
//! database, meetings written into it, and `meetql export --format sqlite`.

use rusqlite::{params, Connection};

use super::{folded, lowered, SCHEMA};
use crate::error::{Error, Result};
use crate::model::Meeting;

fn sqlite_err(e: rusqlite::Error) -> Error {
    Error::Failed(format!("sqlite: {e}"))
}

/// Creates the schema in an empty SQLite database.
pub fn create_schema(conn: &Connection) -> Result<()> {
    conn.execute_batch(SCHEMA).map_err(sqlite_err)
}

/// Writes meetings into a database holding the schema, in one transaction. Returns how many.
pub fn load(conn: &mut Connection, meetings: &mut dyn Iterator<Item = Meeting>) -> Result<u64> {
    let tx = conn.transaction().map_err(sqlite_err)?;
    let mut n = 0;
    for m in meetings {
        insert(&tx, &m)?;
        n += 1;
    }
    tx.commit().map_err(sqlite_err)?;
    Ok(n)
}

/// Writes one meeting (replacing the rows of a meeting with its id).
pub fn insert(conn: &Connection, m: &Meeting) -> Result<()> {
    use rusqlite::types::Value as V;
    let s3 = |s: Option<&str>| -> [V; 3] {
        [
            s.map_or(V::Null, |s| V::Text(s.into())),
            folded(s).map_or(V::Null, V::Text),
            lowered(s).map_or(V::Null, V::Text),
        ]
    };
    for t in ["participants", "orgs", "countries", "topics"] {
        conn.prepare_cached(&format!("DELETE FROM {t} WHERE meeting_id = ?1"))
            .and_then(|mut st| st.execute([&m.id]))
            .map_err(sqlite_err)?;
    }
    let mut row: Vec<V> = Vec::with_capacity(30);
    row.extend(s3(Some(&m.id)));
    row.extend([V::Integer(m.date.start() as i64), V::Integer(m.date.end() as i64), V::Text(m.date.to_string())]);
    row.extend(s3(Some(m.kind.as_str())));
    for s in [&m.city, &m.country, &m.summary, &m.text, &m.source.publisher, &m.source.doc, &m.source.url] {
        row.extend(s3(s.as_deref()));
    }
    let marks: Vec<String> = (1..=row.len()).map(|i| format!("?{i}")).collect();
    conn.prepare_cached(&format!("INSERT OR REPLACE INTO meetings VALUES ({})", marks.join(", ")))
        .and_then(|mut st| st.execute(rusqlite::params_from_iter(row)))
        .map_err(sqlite_err)?;
    for (i, p) in m.participants.iter().enumerate() {
        let mut row = vec![V::Text(m.id.clone()), V::Integer(i as i64)];
        for s in [Some(p.name.as_str()), p.title.as_deref(), p.org.as_deref(), p.country.as_deref()] {
            row.extend(s3(s));
        }
        conn.prepare_cached(
            "INSERT INTO participants VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )
        .and_then(|mut st| st.execute(rusqlite::params_from_iter(row)))
        .map_err(sqlite_err)?;
    }
    for (t, list) in [("orgs", &m.orgs), ("countries", &m.countries), ("topics", &m.topics)] {
        for (i, v) in list.iter().enumerate() {
            conn.prepare_cached(&format!("INSERT INTO {t} VALUES (?1, ?2, ?3, ?4, ?5)"))
                .and_then(|mut st| st.execute(params![m.id, i as i64, v, folded(Some(v)), lowered(Some(v))]))
                .map_err(sqlite_err)?;
        }
    }
    Ok(())
}

/// Writes every record of `engine` into a new SQLite database file at `path` (which must not
/// exist), in the schema of this module. Returns the number of meetings written.
pub fn export_sqlite(engine: &crate::Engine, query: Option<&str>, path: &std::path::Path) -> Result<u64> {
    if path.exists() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the file exists; not overwriting it"),
        });
    }
    let mut conn = Connection::open(path).map_err(sqlite_err)?;
    create_schema(&conn)?;
    let tx = conn.transaction().map_err(sqlite_err)?;
    let n = engine.export(query, &mut |m| insert(&tx, m))?;
    tx.commit().map_err(sqlite_err)?;
    Ok(n)
}
