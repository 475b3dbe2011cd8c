//! MeetQL against SQLite on the same generated corpus, side by side, in one run.
//!
//!     cargo bench --bench compare -- --count 100000
//!
//! Generates N meetings with `meetql::gen`, loads them into MeetQL and into SQLite (rusqlite,
//! bundled; a normalised schema with the indexes a competent engineer would add, WAL, raised
//! cache and mmap, one transaction, prepared statements), checks that both return the same rows
//! for every query, then prints a table of ratios MeetQL/SQLite: load throughput and peak RSS
//! (each load in its own child process), size on disk, in-process latency p50/p99 per query
//! shape, scan throughput, and a one-shot process (open + one indexed query + exit).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use meetql::fields::fold;
use meetql::{Engine, Meeting, Row};
use rusqlite::{params, Connection};

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn dir_size(p: &Path) -> u64 {
    if p.is_file() {
        return p.metadata().map(|m| m.len()).unwrap_or(0);
    }
    std::fs::read_dir(p).map(|rd| rd.filter_map(|e| e.ok()).map(|e| dir_size(&e.path())).sum()).unwrap_or(0)
}

const SCHEMA: &str = "
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-262144;
PRAGMA mmap_size=1073741824;
CREATE TABLE meetings(row INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, start INTEGER NOT NULL, end INTEGER NOT NULL,
  kind TEXT, city TEXT, summary TEXT, text TEXT, record TEXT NOT NULL);
CREATE TABLE orgs(value TEXT NOT NULL, start INTEGER NOT NULL, row INTEGER NOT NULL);
CREATE TABLE people(value TEXT NOT NULL, start INTEGER NOT NULL, row INTEGER NOT NULL);
CREATE TABLE countries(value TEXT NOT NULL, start INTEGER NOT NULL, row INTEGER NOT NULL);
CREATE TABLE topics(value TEXT NOT NULL, start INTEGER NOT NULL, row INTEGER NOT NULL);
";

const INDEXES: &str = "
CREATE INDEX meetings_date ON meetings(start, end, id);
CREATE INDEX orgs_v ON orgs(value, start, row);
CREATE INDEX people_v ON people(value, start, row);
CREATE INDEX countries_v ON countries(value, start, row);
CREATE INDEX topics_v ON topics(value, start, row);
";

fn sqlite_open(path: &Path) -> Connection {
    let c = Connection::open(path).unwrap();
    c.execute_batch("PRAGMA cache_size=-262144; PRAGMA mmap_size=1073741824;").unwrap();
    c
}

fn load_sqlite(db: &Path, jsonl: &Path) -> u64 {
    let mut c = Connection::open(db).unwrap();
    c.execute_batch(SCHEMA).unwrap();
    let tx = c.transaction().unwrap();
    let mut n = 0;
    {
        let mut m_ins = tx.prepare("INSERT INTO meetings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)").unwrap();
        let mut ins: Vec<_> = ["orgs", "people", "countries", "topics"]
            .iter()
            .map(|t| tx.prepare(&format!("INSERT INTO {t} VALUES (?1, ?2, ?3)")).unwrap())
            .collect();
        let file = std::io::BufReader::new(std::fs::File::open(jsonl).unwrap());
        for (row, line) in std::io::BufRead::lines(file).enumerate() {
            let line = line.unwrap();
            let line = line.as_str();
            let m: Meeting = serde_json::from_str(line).unwrap();
            let (s, e) = (m.date.start(), m.date.end());
            m_ins.execute(params![row as i64, m.id, s, e, m.kind.as_str(), m.city, m.summary, m.text, line]).unwrap();
            for (i, f) in [
                meetql::fields::MeetingField::Org,
                meetql::fields::MeetingField::Person,
                meetql::fields::MeetingField::Country,
                meetql::fields::MeetingField::Topic,
            ]
            .into_iter()
            .enumerate()
            {
                for (folded, _) in f.distinct_values(&m) {
                    ins[i].execute(params![folded, s, row as i64]).unwrap();
                }
            }
            n += 1;
        }
    }
    tx.commit().unwrap();
    c.execute_batch(INDEXES).unwrap();
    c.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    n
}

/// The bytes an FTS5 trigram index (contentless, `detail=none`) of the corpus's summaries and
/// texts takes, built in its own database at `db`.
fn fts5_size(db: &Path, jsonl: &Path) -> u64 {
    let mut c = Connection::open(db).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode=WAL; CREATE VIRTUAL TABLE ft USING fts5(summary, text, content='', detail=none, \
         tokenize='trigram');",
    )
    .unwrap();
    let tx = c.transaction().unwrap();
    {
        let mut ins = tx.prepare("INSERT INTO ft(rowid, summary, text) VALUES (?1, ?2, ?3)").unwrap();
        let file = std::io::BufReader::new(std::fs::File::open(jsonl).unwrap());
        for (row, line) in std::io::BufRead::lines(file).enumerate() {
            let m: Meeting = serde_json::from_str(&line.unwrap()).unwrap();
            ins.execute(params![row as i64, m.summary, m.text]).unwrap();
        }
    }
    tx.commit().unwrap();
    c.execute_batch("INSERT INTO ft(ft) VALUES('optimize'); PRAGMA wal_checkpoint(TRUNCATE); VACUUM;").unwrap();
    drop(c);
    let empty = {
        let e = db.with_extension("empty.db");
        let c = Connection::open(&e).unwrap();
        c.execute_batch(
            "CREATE VIRTUAL TABLE ft USING fts5(summary, text, content='', detail=none, tokenize='trigram');",
        )
        .unwrap();
        drop(c);
        dir_size(&e)
    };
    (dir_size(db) + dir_size(&db.with_extension("db-wal"))).saturating_sub(empty)
}

/// One query shape: the MeetQL text and the SQLite statement that answers it, with how to read
/// the SQLite rows into comparable strings.
struct Shape {
    name: &'static str,
    meetql: String,
    sql: String,
    args: Vec<rusqlite::types::Value>,
    counts: bool,
}

fn meetql_rows(e: &Engine, q: &str) -> Vec<String> {
    e.query(q)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| match r {
            Row::Meeting(m) => m.id.clone(),
            Row::Count { value, count } => format!("{}={count}", fold(&value)),
            Row::Total { count } => count.to_string(),
            Row::Selected(s) => serde_json::to_string(&s).unwrap(),
        })
        .collect()
}

fn sqlite_rows(c: &Connection, s: &Shape) -> Vec<String> {
    let mut st = c.prepare_cached(&s.sql).unwrap();
    let rows = st
        .query_map(rusqlite::params_from_iter(s.args.iter()), |r| {
            if s.counts {
                let v: String = r.get(0)?;
                let n: i64 = r.get(1)?;
                Ok(format!("{v}={n}"))
            } else {
                let rec: String = r.get(0)?;
                // Materialise the record as MeetQL does, then keep its id.
                let m: Meeting = serde_json::from_str(&rec).unwrap();
                Ok(m.id)
            }
        })
        .unwrap();
    rows.map(|r| r.unwrap()).collect()
}

/// The DuckDB CLI (`pip install duckdb-cli`), when it runs.
fn duckdb_cli() -> bool {
    Command::new("duckdb").arg("-version").output().map(|o| o.status.success()).unwrap_or(false)
}

/// The rows SQLite's load inserts, written as JSON Lines for DuckDB's `read_json`: the meetings
/// table, and one table of folded values (the table named in `t`).
fn write_duckdb_tables(jsonl: &Path, meetings: &Path, values: &Path) {
    let mut mo = std::io::BufWriter::new(std::fs::File::create(meetings).unwrap());
    let mut vo = std::io::BufWriter::new(std::fs::File::create(values).unwrap());
    let file = std::io::BufReader::new(std::fs::File::open(jsonl).unwrap());
    for (row, line) in std::io::BufRead::lines(file).enumerate() {
        let line = line.unwrap();
        let m: Meeting = serde_json::from_str(&line).unwrap();
        let (s, e) = (m.date.start(), m.date.end());
        let rec = serde_json::json!({"row": row, "id": m.id, "start": s, "end": e, "summary": m.summary,
            "text": m.text, "record": line});
        writeln!(mo, "{rec}").unwrap();
        for (t, f) in VALUE_TABLES {
            for (folded, _) in f.distinct_values(&m) {
                writeln!(vo, "{}", serde_json::json!({"t": t, "value": folded, "start": s, "row": row})).unwrap();
            }
        }
    }
    mo.flush().unwrap();
    vo.flush().unwrap();
}

/// The value tables of the normalised schema and the field each holds.
const VALUE_TABLES: [(&str, meetql::fields::MeetingField); 4] = [
    ("orgs", meetql::fields::MeetingField::Org),
    ("people", meetql::fields::MeetingField::Person),
    ("countries", meetql::fields::MeetingField::Country),
    ("topics", meetql::fields::MeetingField::Topic),
];

/// Loads the normalised tables into a DuckDB database with `read_json`, with SQLite's indexes;
/// the wall time of the load (the JSON Lines written beforehand are not counted).
fn load_duckdb(db: &Path, meetings: &Path, values: &Path) -> f64 {
    let opts = "format = 'newline_delimited', maximum_object_size = 100000000";
    let mut sql = format!(
        "CREATE TABLE meetings AS SELECT * FROM read_json('{}', {opts}, columns = {{'row': 'BIGINT', 'id': 'VARCHAR', \
         'start': 'INTEGER', 'end': 'INTEGER', 'summary': 'VARCHAR', 'text': 'VARCHAR', 'record': 'VARCHAR'}});\n\
         CREATE TABLE v AS SELECT * FROM read_json('{}', {opts}, columns = {{'t': 'VARCHAR', 'value': 'VARCHAR', \
         'start': 'INTEGER', 'row': 'BIGINT'}});\n",
        meetings.display(),
        values.display()
    );
    for (t, _) in VALUE_TABLES {
        sql += &format!("CREATE TABLE {t} AS SELECT value, start, row FROM v WHERE t = '{t}' ORDER BY row;\n");
    }
    sql += "DROP TABLE v;\n";
    sql += &INDEXES.replace("end, id", "\"end\", id");
    sql += "CHECKPOINT;\n";
    let t = Instant::now();
    let o = duckdb(db, false, &sql);
    assert!(o.status.success(), "duckdb load: {}", String::from_utf8_lossy(&o.stderr));
    t.elapsed().as_secs_f64()
}

/// Runs `sql` (statements on standard input) in the DuckDB CLI on `db`, rows as lists.
fn duckdb(db: &Path, readonly: bool, sql: &str) -> std::process::Output {
    let mut cmd = Command::new("duckdb");
    if readonly {
        cmd.arg("-readonly");
    }
    let mut child = cmd
        .args(["-noheader", "-list"])
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(sql.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// A shape's SQL with its arguments written in (DuckDB's CLI takes no bound parameters).
fn inline_args(s: &Shape) -> String {
    let mut sql = s.sql.clone();
    for (i, a) in s.args.iter().enumerate().rev() {
        let lit = match a {
            rusqlite::types::Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
            rusqlite::types::Value::Integer(n) => n.to_string(),
            other => panic!("no literal for {other:?}"),
        };
        sql = sql.replace(&format!("?{}", i + 1), &lit);
    }
    sql
}

/// A shape's rows from DuckDB, read as `sqlite_rows` reads SQLite's.
fn duckdb_rows(db: &Path, s: &Shape) -> Vec<String> {
    let o = duckdb(db, true, &format!("{};\n", inline_args(s)));
    assert!(o.status.success(), "duckdb {}: {}", s.name, String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            if s.counts {
                let (v, n) = l.rsplit_once('|').unwrap();
                format!("{v}={n}")
            } else {
                serde_json::from_str::<Meeting>(l).unwrap().id
            }
        })
        .collect()
}

/// p50 and p99 of a shape's query in one DuckDB process, by its `.timer` (the query alone,
/// rows written to /dev/null; the timer's resolution is 1 ms).
fn duckdb_time(db: &Path, s: &Shape, iters: usize) -> (Duration, Duration) {
    let q = format!("{};\n", inline_args(s));
    let o = duckdb(db, true, &format!(".timer on\n.output /dev/null\n{}", q.repeat(iters)));
    assert!(o.status.success(), "duckdb {}: {}", s.name, String::from_utf8_lossy(&o.stderr));
    let mut v: Vec<Duration> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("Run Time (s): real "))
        .filter_map(|l| l.split_whitespace().next().and_then(|x| x.parse::<f64>().ok()))
        .map(Duration::from_secs_f64)
        .collect();
    assert_eq!(v.len(), iters, "duckdb .timer lines for {}", s.name);
    (percentile(&mut v, 0.5), percentile(&mut v, 0.99))
}

/// Queries per second answering `q` `n` times, split over `threads` threads, each with its own
/// handle made by `handle`.
fn throughput<H: Send>(threads: usize, n: usize, handle: impl Fn() -> H, q: impl Fn(&H) + Sync) -> f64 {
    let handles: Vec<H> = (0..threads).map(|_| handle()).collect();
    let t = Instant::now();
    std::thread::scope(|sc| {
        for h in handles {
            let q = &q;
            sc.spawn(move || {
                for _ in 0..n / threads {
                    q(&h);
                }
            });
        }
    });
    (n / threads * threads) as f64 / t.elapsed().as_secs_f64()
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn time<F: FnMut()>(iters: usize, mut f: F) -> (Duration, Duration) {
    let mut v: Vec<Duration> = (0..iters)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    (percentile(&mut v, 0.5), percentile(&mut v, 0.99))
}

fn child(args: &[String]) {
    match args[0].as_str() {
        "load-meetql" => {
            let t = Instant::now();
            let e = Engine::open(&args[1]).unwrap();
            let s = e.import_path(&args[2]).unwrap();
            // As `meetql import` does: a snapshot, so the next open does not replay the log.
            e.close_and_checkpoint().unwrap();
            println!("{} {} {}", s.records, t.elapsed().as_secs_f64(), peak_rss_kb());
        }
        "load-sqlite" => {
            let t = Instant::now();
            let n = load_sqlite(Path::new(&args[1]), Path::new(&args[2]));
            println!("{n} {} {}", t.elapsed().as_secs_f64(), peak_rss_kb());
        }
        "oneshot-sqlite" => {
            let c = sqlite_open(Path::new(&args[1]));
            let mut st = c
                .prepare(
                    "SELECT m.record FROM orgs o JOIN meetings m ON m.row = o.row WHERE o.value = ?1 AND o.start >= ?2 \
                     ORDER BY m.start, m.end, m.id",
                )
                .unwrap();
            // Like `meetql query -f jsonl`, write every record out.
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            for rec in
                st.query_map(params![args[2], args[3].parse::<i64>().unwrap()], |r| r.get::<_, String>(0)).unwrap()
            {
                writeln!(out, "{}", rec.unwrap()).unwrap();
            }
        }
        other => panic!("unknown child {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        return child(&args[i + 1..]);
    }
    let get = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let count = get("--count", 100_000);
    let seed = get("--seed", 1);
    let iters = get("--iters", 25) as usize;
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("corpus.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&jsonl).unwrap());
        meetql::gen::generate(count, seed, &mut f).unwrap();
    }
    let me = std::env::current_exe().unwrap();
    let run_child = |what: &str, db: &Path| -> (u64, f64, u64) {
        let o =
            Command::new(&me).args(["--child", what, db.to_str().unwrap(), jsonl.to_str().unwrap()]).output().unwrap();
        assert!(o.status.success(), "{what}: {}", String::from_utf8_lossy(&o.stderr));
        let s = String::from_utf8_lossy(&o.stdout);
        let v: Vec<&str> = s.split_whitespace().collect();
        (v[0].parse().unwrap(), v[1].parse().unwrap(), v[2].parse().unwrap())
    };
    let mdb: PathBuf = dir.path().join("meetql.db");
    let sdb: PathBuf = dir.path().join("sqlite.db");
    let (mn, mt, mrss) = run_child("load-meetql", &mdb);
    let (sn, st, srss) = run_child("load-sqlite", &sdb);
    assert_eq!(mn, sn);
    let msize = dir_size(&mdb);
    let ssize = dir_size(&sdb) + dir_size(&dir.path().join("sqlite.db-wal"));
    // DuckDB on the same normalised rows, when its CLI is installed.
    let ddb: PathBuf = dir.path().join("duck.db");
    let duck = duckdb_cli().then(|| {
        let (dm, dv) = (dir.path().join("duck_meetings.jsonl"), dir.path().join("duck_values.jsonl"));
        write_duckdb_tables(&jsonl, &dm, &dv);
        let t = load_duckdb(&ddb, &dm, &dv);
        (t, dir_size(&ddb) + dir_size(&dir.path().join("duck.db.wal")))
    });

    let e = Engine::open(&mdb).unwrap();
    let c = sqlite_open(&sdb);
    let facet = |q: &str| -> Vec<String> {
        e.query(q)
            .unwrap()
            .rows
            .into_iter()
            .filter_map(|r| if let Row::Count { value, .. } = r { Some(value) } else { None })
            .collect()
    };
    let orgs = facet("orgs limit 30");
    let people = facet("people limit 200");
    let countries = facet("countries limit 5");
    let topics = facet("topics limit 5");
    let q = |s: &str| format!("\"{s}\"");
    let jan24 = "2024-01".parse::<meetql::PartialDate>().unwrap();
    let y23 = "2023".parse::<meetql::PartialDate>().unwrap();
    let (a, b) = ("2022-03".parse::<meetql::PartialDate>().unwrap(), "2022-04".parse::<meetql::PartialDate>().unwrap());
    use rusqlite::types::Value as V;
    let org_sql = "SELECT m.record FROM orgs o JOIN meetings m ON m.row = o.row WHERE o.value = ?1 AND o.start >= ?2 \
                   ORDER BY m.start, m.end, m.id";
    let shapes = vec![
        Shape {
            name: "org = frequent and date >= 2024-01",
            meetql: format!("meetings where org = {} and date >= 2024-01", q(&orgs[0])),
            sql: org_sql.into(),
            args: vec![V::Text(fold(&orgs[0])), V::Integer(jan24.start() as i64)],
            counts: false,
        },
        Shape {
            name: "org = mid-frequency and date >= 2024-01",
            meetql: format!("meetings where org = {} and date >= 2024-01", q(&orgs[20])),
            sql: org_sql.into(),
            args: vec![V::Text(fold(&orgs[20])), V::Integer(jan24.start() as i64)],
            counts: false,
        },
        Shape {
            name: "person = X",
            meetql: format!("meetings where person = {}", q(&people[150])),
            sql: "SELECT m.record FROM people p JOIN meetings m ON m.row = p.row WHERE p.value = ?1 \
                  ORDER BY m.start, m.end, m.id"
                .into(),
            args: vec![V::Text(fold(&people[150]))],
            counts: false,
        },
        Shape {
            name: "country in [a, b] and topic = Y",
            meetql: format!(
                "meetings where country in [{}, {}] and topic = {}",
                q(&countries[2]),
                q(&countries[3]),
                q(&topics[4])
            ),
            sql: "SELECT m.record FROM meetings m WHERE m.row IN (SELECT row FROM countries WHERE value IN (?1, ?2)) \
                  AND m.row IN (SELECT row FROM topics WHERE value = ?3) ORDER BY m.start, m.end, m.id"
                .into(),
            args: vec![V::Text(fold(&countries[2])), V::Text(fold(&countries[3])), V::Text(fold(&topics[4]))],
            counts: false,
        },
        Shape {
            name: "date between 2022-03 and 2022-04",
            meetql: "meetings where date between 2022-03 and 2022-04".into(),
            sql: "SELECT record FROM meetings WHERE start >= ?1 AND start <= ?2 AND \"end\" <= ?2 ORDER BY start, \"end\", id"
                .into(),
            args: vec![V::Integer(a.start() as i64), V::Integer(b.end() as i64)],
            counts: false,
        },
        Shape {
            name: "count by org over 2023",
            meetql: "meetings where date = 2023 count by org".into(),
            sql: "SELECT o.value, count(*) AS n FROM meetings m JOIN orgs o ON o.row = m.row \
                  WHERE m.start >= ?1 AND m.start <= ?2 AND m.end <= ?2 GROUP BY o.value ORDER BY n DESC, o.value"
                .into(),
            args: vec![V::Integer(y23.start() as i64), V::Integer(y23.end() as i64)],
            counts: true,
        },
        Shape {
            name: "order by date desc limit 20",
            meetql: "meetings order by date desc limit 20".into(),
            sql: "SELECT record FROM meetings ORDER BY start DESC, \"end\" DESC, id LIMIT 20".into(),
            args: vec![],
            counts: false,
        },
        Shape {
            name: "text contains \"water\" (text index)",
            meetql: "meetings where text contains \"water\"".into(),
            sql: "SELECT record FROM meetings WHERE instr(lower(summary), 'water') > 0 OR instr(lower(text), 'water') > 0 \
                  ORDER BY start, \"end\", id"
                .into(),
            args: vec![],
            counts: false,
        },
        Shape {
            name: "text contains \"wa\" (scan: shorter than a gram)",
            meetql: "meetings where text contains \"wa\"".into(),
            sql: "SELECT record FROM meetings WHERE instr(lower(summary), 'wa') > 0 OR instr(lower(text), 'wa') > 0 \
                  ORDER BY start, \"end\", id"
                .into(),
            args: vec![],
            counts: false,
        },
    ];
    println!("# MeetQL / SQLite, {count} meetings (seed {seed}), {iters} runs per query\n");
    println!("| measure | MeetQL | SQLite | ratio MeetQL/SQLite |");
    println!("|---|---|---|---|");
    println!(
        "| load throughput (meetings/s) | {:.0} | {:.0} | {:.2} (higher is better) |",
        mn as f64 / mt,
        sn as f64 / st,
        (mn as f64 / mt) / (sn as f64 / st)
    );
    println!("| peak RSS during load | {} MB | {} MB | {:.2} |", mrss / 1024, srss / 1024, mrss as f64 / srss as f64);
    println!(
        "| size on disk | {:.1} MB | {:.1} MB | {:.2} |",
        msize as f64 / 1e6,
        ssize as f64 / 1e6,
        msize as f64 / ssize as f64
    );
    // The reference point for a text index's size: SQLite's FTS5 with its trigram tokenizer over
    // the same summary and text, contentless and without positions (the rows of each trigram,
    // as MeetQL's text index keeps), beside SQLite's database.
    let fts = fts5_size(&dir.path().join("fts.db"), &jsonl);
    println!(
        "| size on disk, SQLite's with an FTS5 trigram index of summary and text ({:.1} MB of it) | {:.1} MB | {:.1} MB | {:.2} |",
        fts as f64 / 1e6,
        msize as f64 / 1e6,
        (ssize + fts) as f64 / 1e6,
        msize as f64 / (ssize + fts) as f64
    );
    let mut ratios = BTreeMap::new();
    let mut timed = Vec::new();
    for s in &shapes {
        let mine = meetql_rows(&e, &s.meetql);
        let mut theirs = sqlite_rows(&c, s);
        let mut mine_cmp = mine.clone();
        if s.counts {
            // Equal counts may list in different orders between engines' tie-breaks on spelling.
            mine_cmp.sort();
            theirs.sort();
        }
        assert_eq!(mine_cmp, theirs, "results differ for {}: {}", s.name, s.meetql);
        let (mp50, mp99) = time(iters, || {
            std::hint::black_box(e.query(&s.meetql).unwrap());
        });
        let (sp50, sp99) = time(iters, || {
            std::hint::black_box(sqlite_rows(&c, s));
        });
        let r = mp50.as_secs_f64() / sp50.as_secs_f64();
        ratios.insert(s.name, r);
        timed.push((mine_cmp, mp50));
        println!(
            "| {} ({} rows) p50 / p99 | {:.3} / {:.3} ms | {:.3} / {:.3} ms | {:.2} |",
            s.name,
            mine.len(),
            mp50.as_secs_f64() * 1e3,
            mp99.as_secs_f64() * 1e3,
            sp50.as_secs_f64() * 1e3,
            sp99.as_secs_f64() * 1e3,
            r
        );
        if s.name.contains("scan") {
            println!(
                "| scan throughput (rows/s) | {:.0} | {:.0} | {:.2} (higher is better) |",
                count as f64 / mp50.as_secs_f64(),
                count as f64 / sp50.as_secs_f64(),
                sp50.as_secs_f64() / mp50.as_secs_f64()
            );
        }
    }
    // Two threads querying one Engine (clones share it) against one thread, and SQLite with one
    // connection per thread; the indexed mid-frequency shape, answered 20 × iters times.
    let conc = &shapes[1];
    let n = 20 * iters;
    let m1t = throughput(1, n, || e.clone(), |e: &Engine| drop(std::hint::black_box(e.query(&conc.meetql).unwrap())));
    let m2t = throughput(2, n, || e.clone(), |e: &Engine| drop(std::hint::black_box(e.query(&conc.meetql).unwrap())));
    let s1t = throughput(1, n, || sqlite_open(&sdb), |c: &Connection| drop(std::hint::black_box(sqlite_rows(c, conc))));
    let s2t = throughput(2, n, || sqlite_open(&sdb), |c: &Connection| drop(std::hint::black_box(sqlite_rows(c, conc))));
    println!("| {} from 1 thread, queries/s | {m1t:.0} | {s1t:.0} | {:.2} (higher is better) |", conc.name, m1t / s1t);
    println!(
        "| the same from 2 threads (one Engine; two SQLite connections), queries/s | {m2t:.0} ({:.2}× 1 thread) | \
         {s2t:.0} ({:.2}× 1 thread) | {:.2} (higher is better) |",
        m2t / m1t,
        s2t / s1t,
        m2t / s2t
    );
    drop(e);
    drop(c);
    // One-shot processes: open + the frequent-org query + exit.
    let bin = env!("CARGO_BIN_EXE_meetql");
    let mq = &shapes[0].meetql;
    let oneshot = |cmd: &mut dyn FnMut() -> std::process::Output| -> Duration {
        let mut v: Vec<Duration> = (0..7)
            .map(|_| {
                let t = Instant::now();
                let o = cmd();
                assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
                t.elapsed()
            })
            .collect();
        percentile(&mut v, 0.5)
    };
    let m1 = oneshot(&mut || {
        Command::new(bin).args(["query", "--db", mdb.to_str().unwrap(), "-f", "jsonl", mq]).output().unwrap()
    });
    let s1 = oneshot(&mut || {
        Command::new(&me)
            .args(["--child", "oneshot-sqlite", sdb.to_str().unwrap(), &fold(&orgs[0]), &jan24.start().to_string()])
            .output()
            .unwrap()
    });
    println!(
        "| one-shot open + indexed query + exit (wall, median of 7) | {:.1} ms | {:.1} ms | {:.2} |",
        m1.as_secs_f64() * 1e3,
        s1.as_secs_f64() * 1e3,
        m1.as_secs_f64() / s1.as_secs_f64()
    );
    match duck {
        None => println!("\nDuckDB: not measured (no `duckdb` command; `pip install duckdb-cli`)"),
        Some((dt, dsize)) => {
            println!("\n# MeetQL / DuckDB (CLI {}), the same rows\n", duckdb_version());
            println!("| measure | MeetQL | DuckDB | ratio MeetQL/DuckDB |");
            println!("|---|---|---|---|");
            println!(
                "| load throughput (meetings/s; DuckDB: read_json of the normalised rows) | {:.0} | {:.0} | {:.2} (higher is better) |",
                mn as f64 / mt,
                mn as f64 / dt,
                dt / mt
            );
            println!(
                "| size on disk | {:.1} MB | {:.1} MB | {:.2} |",
                msize as f64 / 1e6,
                dsize as f64 / 1e6,
                msize as f64 / dsize as f64
            );
            for (s, (mine, mp50)) in shapes.iter().zip(&timed) {
                let mut theirs = duckdb_rows(&ddb, s);
                if s.counts {
                    theirs.sort();
                }
                assert_eq!(*mine, theirs, "DuckDB's results differ for {}: {}", s.name, s.meetql);
                let (dp50, dp99) = duckdb_time(&ddb, s, iters);
                println!(
                    "| {} ({} rows) p50, DuckDB p50 / p99 by .timer | {:.3} ms | {:.3} / {:.3} ms | {:.2} |",
                    s.name,
                    mine.len(),
                    mp50.as_secs_f64() * 1e3,
                    dp50.as_secs_f64() * 1e3,
                    dp99.as_secs_f64() * 1e3,
                    mp50.as_secs_f64() / dp50.as_secs_f64().max(1e-3)
                );
            }
            let sql = format!("{};\n", inline_args(&shapes[0]));
            let d1 = oneshot(&mut || duckdb(&ddb, true, &sql));
            println!(
                "| one-shot open + indexed query + exit (wall, median of 7) | {:.1} ms | {:.1} ms | {:.2} |",
                m1.as_secs_f64() * 1e3,
                d1.as_secs_f64() * 1e3,
                m1.as_secs_f64() / d1.as_secs_f64()
            );
        }
    }
    println!("\nmachine: {} cores; command: cargo bench --bench compare -- --count {count} --seed {seed}", num_cpus());
}

/// The DuckDB CLI's version line.
fn duckdb_version() -> String {
    Command::new("duckdb")
        .arg("-version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

// The same allocator as the `meetql` binary, for both engines in this process.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
