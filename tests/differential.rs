//! Differential testing against SQLite: random corpora with tiny vocabularies (so that
//! predicates hit, with case and white-space variants, blanks, nulls and partial dates) and
//! random well-typed queries, each run through MeetQL and, translated by `meetql::sql::to_sql`,
//! through SQLite over the schema of `meetql::sql`; the results must be identical, row for row.
//! Plus a metamorphic check that needs no second engine: |Q| = |Q and p| + |Q and not p|.
//!
//! The same random queries also run through DuckDB over `export --format parquet`, translated
//! by `meetql::sql::translate` for DuckDB: there the CSV DuckDB writes must equal, byte for
//! byte, what `meetql query -f csv` prints (header aside). That test needs the `duckdb` CLI
//! (`pip install duckdb-cli`; `.ci/run` installs it) and fails, saying so, without it.
//!
//! Bounded for CI. Longer runs (see docs/reliability.md):
//! `MEETQL_DIFF_CORPORA=200 MEETQL_DIFF_QUERIES=1000 MEETQL_DIFF_SEED=$RANDOM cargo test --release --test differential`

use meetql::model::{Kind, Meeting, PartialDate, Participant, Source};
use meetql::{Engine, Row};
use rusqlite::Connection;

/// splitmix64: small, fast, good enough to pick things.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

const ORGS: &[&str] = &["UN", "UNRCCA", "OSCE", "EU", "Ünal Group", "ΣΑΣ", "Aral; Fund|Trust\\"];
const CITIES: &[&str] = &["Ashgabat", "Astana", "Tashkent", "İzmir"];
const COUNTRIES: &[&str] = &["Turkmenistan", "Kazakhstan", "Türkiye", "Uzbekistan"];
const NAMES: &[&str] = &["Kaha Imnadze", "Ana Lee", "Bo", "O\"Brien", "Ödön"];
const TITLES: &[&str] = &["Minister", "Deputy Minister", "Head", "Envoy"];
const TOPICS: &[&str] = &["security", "water", "trade", "education"];
const PUBLISHERS: &[&str] = &["Trend", "UN News", "Kabar"];
const WORDS: &[&str] = &["talks", "water", "security", "Ministers", "met", "in", "Ashgabat", "ΣΟΦΙΑ"];

/// A variant of `s` that folds to the same thing, or (rarely) a blank.
fn variant(r: &mut Rng, s: &str) -> String {
    match r.below(10) {
        0 => s.to_uppercase(),
        1 => s.to_lowercase(),
        2 => format!(" {s}"),
        3 => format!("{s}\t"),
        4 if r.chance(30) => "  ".to_string(),
        _ => s.to_string(),
    }
}

fn opt(r: &mut Rng, pool: &[&'static str], percent: u64) -> Option<String> {
    if r.chance(percent) {
        Some(word(r, pool))
    } else {
        None
    }
}

/// A vocabulary word in some spelling.
fn word(r: &mut Rng, pool: &[&'static str]) -> String {
    let w = *r.pick(pool);
    variant(r, w)
}

fn list(r: &mut Rng, pool: &[&'static str], max: usize) -> Vec<String> {
    let n = r.below(max + 1);
    (0..n).map(|_| word(r, pool)).collect()
}

fn date(r: &mut Rng) -> PartialDate {
    let year = 2022 + r.below(4) as u16;
    match r.below(6) {
        0 => PartialDate::new(year, None, None).unwrap(),
        1 => PartialDate::new(year, Some(1 + r.below(12) as u8), None).unwrap(),
        _ => PartialDate::new(year, Some(1 + r.below(12) as u8), Some(1 + r.below(28) as u8)).unwrap(),
    }
}

fn sentence(r: &mut Rng) -> String {
    let n = 1 + r.below(5);
    (0..n).map(|_| *r.pick(WORDS)).collect::<Vec<_>>().join(" ")
}

fn meeting(r: &mut Rng, i: usize) -> Meeting {
    let participants = (0..r.below(4))
        .map(|_| Participant {
            name: if r.chance(5) { " ".into() } else { word(r, NAMES) },
            title: opt(r, TITLES, 60),
            org: opt(r, ORGS, 50),
            country: opt(r, COUNTRIES, 40),
        })
        .collect();
    Meeting {
        // Lower-case ids only: `id = "M-1"` misses a record stored as "M-1" (the planner looks
        // ids up folded; see `ids_compare_ignoring_case`, ignored until the planner is fixed).
        id: format!("m-{i:03}"),
        date: date(r),
        kind: *r.pick(&[Kind::Meeting, Kind::Meeting, Kind::Call, Kind::Video]),
        city: opt(r, CITIES, 70),
        country: opt(r, COUNTRIES, 60),
        participants,
        orgs: list(r, ORGS, 3),
        countries: list(r, COUNTRIES, 2),
        topics: list(r, TOPICS, 3),
        source: Source {
            publisher: opt(r, PUBLISHERS, 70),
            doc: if r.chance(50) { Some(format!("reports/{i}.txt")) } else { None },
            url: None,
        },
        summary: if r.chance(70) { Some(sentence(r)) } else { None },
        text: if r.chance(30) { Some(sentence(r)) } else { None },
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn pool(field: &str) -> &'static [&'static str] {
    match field {
        "kind" => &["meeting", "call", "video", "Call"],
        "city" => CITIES,
        "country" => COUNTRIES,
        "org" => ORGS,
        "person" | "name" => NAMES,
        "title" => TITLES,
        "topic" => TOPICS,
        "source" => PUBLISHERS,
        "text" => WORDS,
        _ => &["m-001", "m-002", "M-003", "m-010", "m-1"],
    }
}

/// A string value for `field`: a vocabulary word in some spelling, a prefix of one, or a stranger.
fn str_value(r: &mut Rng, field: &str) -> String {
    let w = r.pick(pool(field)).to_string();
    match r.below(12) {
        0 => "zzz".into(),
        1 => "".into(),
        2 => w.chars().take(1 + r.below(3)).collect(),
        _ => variant(r, &w).replace("  ", ""),
    }
}

fn date_text(r: &mut Rng) -> String {
    let y = 2021 + r.below(6);
    match r.below(3) {
        0 => format!("{y}"),
        1 => format!("{y}-{:02}", 1 + r.below(12)),
        _ => format!("{y}-{:02}-{:02}", 1 + r.below(12), 1 + r.below(28)),
    }
}

const OPS: &[&str] = &["=", "!=", "<", "<=", ">", ">="];
const MFIELDS: &[&str] =
    &["date", "kind", "city", "country", "org", "person", "title", "topic", "source", "text", "id"];
const PFIELDS: &[&str] = &["name", "title", "org", "country"];

fn atom(r: &mut Rng, fields: &[&str], depth: usize, participant_ok: bool) -> String {
    if participant_ok && r.chance(12) {
        return format!("participant {{ {} }}", expr(r, PFIELDS, depth + 1, false));
    }
    let f = *r.pick(fields);
    if f == "date" {
        return match r.below(5) {
            0 => format!("date between {} and {}", date_text(r), date_text(r)),
            1 => format!("date in [{}, {}]", date_text(r), date_text(r)),
            2 => "date exists".into(),
            _ => format!("date {} {}", r.pick(OPS), date_text(r)),
        };
    }
    let v = |r: &mut Rng| quote(&str_value(r, f));
    match r.below(10) {
        0 => format!("{f} in [{}]", (0..1 + r.below(3)).map(|_| v(r)).collect::<Vec<_>>().join(", ")),
        1 => format!("{f} between {} and {}", v(r), v(r)),
        2 => format!("{f} contains {}", v(r)),
        3 => format!("{f} starts with {}", v(r)),
        4 => format!("{f} exists"),
        _ => format!("{f} {} {}", r.pick(OPS), v(r)),
    }
}

fn expr(r: &mut Rng, fields: &[&str], depth: usize, participant_ok: bool) -> String {
    if depth > 3 {
        return atom(r, fields, depth, participant_ok);
    }
    match r.below(10) {
        0 | 1 => {
            format!("{} and {}", expr(r, fields, depth + 1, participant_ok), expr(r, fields, depth + 1, participant_ok))
        }
        2 => {
            format!("{} or {}", expr(r, fields, depth + 1, participant_ok), expr(r, fields, depth + 1, participant_ok))
        }
        3 => format!("not {}", expr(r, fields, depth + 1, participant_ok)),
        4 => format!("({})", expr(r, fields, depth + 1, participant_ok)),
        _ => atom(r, fields, depth, participant_ok),
    }
}

fn filter(r: &mut Rng) -> String {
    expr(r, MFIELDS, 0, true)
}

fn limit(r: &mut Rng) -> String {
    match r.below(4) {
        0 => format!(" limit {}", r.below(6)),
        1 => format!(" limit {} offset {}", r.below(6), r.below(6)),
        _ => String::new(),
    }
}

fn query(r: &mut Rng) -> String {
    let mut q = String::new();
    let facet = r.chance(25);
    const FACETS: [&str; 4] = ["people", "orgs", "countries", "topics"];
    let collection = if facet { FACETS[r.below(4)] } else { "meetings" };
    q.push_str(collection);
    if r.chance(85) {
        q.push_str(" where ");
        q.push_str(&filter(r));
    }
    if facet {
        if r.chance(25) {
            q.push_str(" count");
        } else {
            q.push_str(&limit(r));
        }
        return q;
    }
    match r.below(6) {
        0 => q.push_str(" count"),
        1 => {
            let k = r.pick(&[
                "year", "month", "date", "kind", "city", "country", "org", "person", "title", "topic", "source", "id",
            ]);
            q.push_str(&format!(" count by {k}{}", limit(r)));
        }
        _ => {
            if r.chance(50) {
                let k = r.pick(&[
                    "date", "year", "month", "kind", "city", "country", "org", "person", "title", "topic", "source",
                    "text", "id",
                ]);
                q.push_str(&format!(" order by {k}{}", r.pick(&["", " asc", " desc"])));
            }
            q.push_str(&limit(r));
        }
    }
    q
}

/// A result as comparable rows: ids, (value, count) pairs, or one total.
#[derive(Debug, PartialEq)]
enum Rows {
    Ids(Vec<String>),
    Counts(Vec<(String, i64)>),
    Total(i64),
}

fn meetql_rows(engine: &Engine, q: &str) -> Rows {
    let res = engine.query(q).unwrap_or_else(|e| panic!("MeetQL failed on {q}: {e}"));
    if let Some(n) = res.total() {
        return Rows::Total(n as i64);
    }
    match res.shape {
        meetql::Shape::Meetings => Rows::Ids(res.meetings().map(|m| m.id.clone()).collect()),
        _ => Rows::Counts(
            res.rows
                .iter()
                .map(|r| match r {
                    Row::Count { value, count } => (value.clone(), *count as i64),
                    other => panic!("unexpected row {other:?}"),
                })
                .collect(),
        ),
    }
}

fn sqlite_rows(conn: &Connection, q: &str) -> (String, Rows) {
    let parsed = meetql::lang::parse_query(q).unwrap();
    let sql = meetql::sql::to_sql(&parsed, &meetql::Params::new()).unwrap_or_else(|e| panic!("to_sql({q}): {e}"));
    let mut st = conn.prepare(&sql).unwrap_or_else(|e| panic!("SQLite rejects the SQL of {q}: {e}\n{sql}"));
    let cols = st.column_names().into_iter().map(String::from).collect::<Vec<_>>();
    let rows = if cols == ["count"] {
        Rows::Total(st.query_row([], |row| row.get(0)).unwrap())
    } else if cols == ["value", "count"] {
        Rows::Counts(st.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap())
    } else {
        Rows::Ids(st.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap())
    };
    (sql, rows)
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn corpus(seed: u64) -> (tempfile::TempDir, Engine, Connection, Vec<Meeting>) {
    let mut r = Rng(seed);
    let n = 20 + r.below(40);
    let meetings: Vec<Meeting> = (0..n).map(|i| meeting(&mut r, i)).collect();
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path().join("db")).unwrap();
    let text: String = meetings.iter().map(|m| serde_json::to_string(m).unwrap() + "\n").collect();
    engine.import_reader("<corpus>", text.as_bytes(), meetql::ingest::Format::Jsonl).unwrap();
    let mut conn = Connection::open_in_memory().unwrap();
    meetql::sql::create_schema(&conn).unwrap();
    meetql::sql::load(&mut conn, &mut meetings.clone().into_iter()).unwrap();
    (dir, engine, conn, meetings)
}

#[test]
fn meetql_and_sqlite_agree_on_random_queries() {
    let corpora = env("MEETQL_DIFF_CORPORA", 20);
    let per = env("MEETQL_DIFF_QUERIES", 400);
    let base = env("MEETQL_DIFF_SEED", 20240117);
    let started = std::time::Instant::now();
    let (mut run, mut nonempty) = (0, 0);
    let mut failures = Vec::new();
    for c in 0..corpora {
        let seed = base.wrapping_mul(1_000_003).wrapping_add(c);
        let (_dir, engine, conn, _) = corpus(seed);
        let mut r = Rng(seed ^ 0xABCD);
        for _ in 0..per {
            let q = query(&mut r);
            let mut mine = meetql_rows(&engine, &q);
            let (sql, mut theirs) = sqlite_rows(&conn, &q);
            // MeetQL shows an indexed value as its index spells it (the spelling stored with the
            // value's earliest entries, whichever way the query ran: see
            // `facet_spelling_does_not_depend_on_the_plan`); the SQL picks the most frequent
            // spelling. Values are the same folded, so compare them folded.
            for rows in [&mut mine, &mut theirs] {
                if let Rows::Counts(v) = rows {
                    v.iter_mut().for_each(|(s, _)| *s = s.to_lowercase());
                }
            }
            run += 1;
            if !matches!(&mine, Rows::Ids(v) if v.is_empty()) && !matches!(&mine, Rows::Counts(v) if v.is_empty()) {
                nonempty += 1;
            }
            if mine != theirs && failures.len() < 5 {
                failures
                    .push(format!("corpus seed {seed}: {q}\n  MeetQL: {mine:?}\n  SQLite: {theirs:?}\n  SQL: {sql}"));
            }
        }
    }
    eprintln!("differential: {run} queries over {corpora} corpora, {nonempty} with rows, in {:.1?}", started.elapsed());
    assert!(failures.is_empty(), "{} disagreements, first ones:\n{}", failures.len(), failures.join("\n\n"));
    assert!(nonempty * 2 > run, "too few queries return rows ({nonempty}/{run}): the vocabularies miss");
}

#[test]
fn a_predicate_splits_any_result_in_two() {
    let rounds = env("MEETQL_META_ROUNDS", 400);
    let base = env("MEETQL_DIFF_SEED", 20240117);
    let mut r = Rng(base ^ 0x5EED);
    let (_dir, engine, _, _) = corpus(base.wrapping_add(77));
    let count = |q: &str| engine.query(q).unwrap_or_else(|e| panic!("{q}: {e}")).total().unwrap();
    for _ in 0..rounds {
        let (q, p) = (filter(&mut r), filter(&mut r));
        let all = count(&format!("meetings where {q} count"));
        let yes = count(&format!("meetings where ({q}) and ({p}) count"));
        let no = count(&format!("meetings where ({q}) and not ({p}) count"));
        assert_eq!(all, yes + no, "Q = {q}\np = {p}");
    }
}

#[test]
fn export_sqlite_writes_the_schema_and_the_cli_prints_sql() {
    let (dir, engine, conn, meetings) = corpus(99);
    let file = dir.path().join("out.db");
    let n = meetql::sql::export_sqlite(&engine, None, &file).unwrap();
    assert_eq!(n as usize, meetings.len());
    let exported = Connection::open(&file).unwrap();
    for q in ["meetings where org = \"UN\" order by city desc", "orgs where date >= 2023", "meetings count by month"] {
        assert_eq!(sqlite_rows(&exported, q).1, sqlite_rows(&conn, q).1, "{q}");
    }
    assert!(meetql::sql::export_sqlite(&engine, None, &file).is_err(), "an existing file is not overwritten");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_meetql"))
        .args(["sql", "meetings where org = $o count", "--param", "o=UN"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sql = String::from_utf8(out.stdout).unwrap();
    assert!(sql.contains("x.value_f = 'un'") && sql.trim_end().ends_with(';'), "{sql}");
    let n: i64 = exported.query_row(sql.trim_end().trim_end_matches(';'), [], |row| row.get(0)).unwrap();
    assert_eq!(Rows::Total(n), meetql_rows(&engine, "meetings where org = \"UN\" count"));
}

/// Found by this test (regression): `id` compares folded everywhere else, but `id = X` was a
/// point read of the folded X, so a record whose id has capitals was never found by `id =`,
/// and `id !=` kept it. Records are now keyed by the folded id.
#[test]
fn ids_compare_ignoring_case() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path().join("db")).unwrap();
    engine.insert(serde_json::from_str(r#"{"id": "M-1", "date": "2024"}"#).unwrap()).unwrap();
    let count = |q: &str| engine.query(q).unwrap().total().unwrap();
    assert_eq!(count(r#"meetings where id starts with "M-1" count"#), 1);
    assert_eq!(count(r#"meetings where id = "M-1" count"#), 1);
    assert_eq!(count(r#"meetings where id != "M-1" count"#), 0);
}

/// Found by this test (regression): a facet without `where` was answered from the index and
/// spelled each value as stored there, while with a `where` every occurrence voted; so `orgs`
/// and `orgs where date exists` could spell a value differently. Now both show the index's
/// spelling.
#[test]
fn facet_spelling_does_not_depend_on_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path().join("db")).unwrap();
    engine
        .insert(serde_json::from_str(r#"{"id": "a", "date": "2024", "orgs": ["osce", "OSCE", "OSCE"]}"#).unwrap())
        .unwrap();
    assert_eq!(meetql_rows(&engine, "orgs"), meetql_rows(&engine, "orgs where date exists"));
}

/// The duckdb CLI: `$MEETQL_DUCKDB`, else `duckdb` on the PATH. Panics, saying how to get it,
/// when there is none: the DuckDB differential never passes without DuckDB.
fn duckdb() -> String {
    let cli = std::env::var("MEETQL_DUCKDB").unwrap_or_else(|_| "duckdb".into());
    let found = std::process::Command::new(&cli).arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(
        found,
        "the DuckDB differential test needs the duckdb CLI, and '{cli}' does not run: install it with \
         `pip install duckdb-cli` (or run .ci/run, which does), or point MEETQL_DUCKDB at it"
    );
    cli
}

/// A random query, and sometimes (for meeting rows) a `select` of fields the translation writes.
fn query_with_select(r: &mut Rng) -> String {
    let mut q = query(r);
    if q.starts_with("meetings") && !q.contains(" count") && r.chance(30) {
        const FIELDS: [&str; 7] = ["id", "date", "kind", "city", "year", "month", "summary"];
        let n = 1 + r.below(3);
        let fields: Vec<&str> = (0..n).map(|_| *r.pick(&FIELDS)).collect();
        q.push_str(&format!(" select {}", fields.join(", ")));
    }
    q
}

/// What `meetql query -f csv` prints for `q`, header aside.
fn meetql_csv(engine: &Engine, q: &str) -> String {
    let opts = meetql::script::ScriptOptions { format: meetql::output::OutputFormat::Csv, ..Default::default() };
    let mut out = Vec::new();
    meetql::script::run_script(engine, "<query>", q, &opts, &mut out)
        .unwrap_or_else(|e| panic!("MeetQL failed on {q}: {e}"));
    let text = String::from_utf8(out).unwrap();
    text.split_once('\n').map(|(_, rows)| rows.to_string()).unwrap_or_default()
}

/// A query's SQL and the file its rows go to.
type Case = (String, std::path::PathBuf);

/// Runs random queries through MeetQL and, translated for `dialect` over the Parquet export of
/// each corpus, through another engine: `run(export_dir, cases)` runs every case's SQL and writes
/// its rows to the case's file as CSV. The CSV must equal what `meetql query -f csv` prints.
fn parquet_differential(
    dialect: meetql::sql::Dialect,
    corpora: u64,
    per: u64,
    run: &dyn Fn(&std::path::Path, &[Case]) -> String,
) {
    let base = env("MEETQL_DIFF_SEED", 20240117);
    let started = std::time::Instant::now();
    let (mut total, mut nonempty) = (0u64, 0u64);
    let mut failures = Vec::new();
    for c in 0..corpora {
        let seed = base.wrapping_mul(1_000_033).wrapping_add(c);
        let (dir, engine, _, _) = corpus(seed);
        let pq = dir.path().join("parquet");
        meetql::sql::export_parquet(&engine, None, &pq).unwrap();
        let mut r = Rng(seed ^ 0xD0C);
        let mut queries = Vec::new();
        let mut cases = Vec::new();
        for i in 0..per {
            let q = query_with_select(&mut r);
            let parsed = meetql::lang::parse_query(&q).unwrap();
            let sql = meetql::sql::translate(&parsed, &meetql::Params::new(), dialect, pq.to_str())
                .unwrap_or_else(|e| panic!("translate({q}) for {}: {e}", dialect.name()));
            queries.push(q);
            cases.push((sql, dir.path().join(format!("q{i}.csv"))));
        }
        let errors = run(&pq, &cases);
        for (q, (sql, file)) in queries.iter().zip(&cases) {
            total += 1;
            let mine = meetql_csv(&engine, q);
            let Ok(theirs) = std::fs::read_to_string(file) else {
                if failures.len() < 5 {
                    failures.push(format!("corpus seed {seed}: {q}\n  it wrote nothing: {errors}\n  SQL: {sql}"));
                }
                continue;
            };
            if !mine.is_empty() {
                nonempty += 1;
            }
            // Of a value spelled several ways, MeetQL shows its index's spelling and the SQL the
            // most frequent one (see `facet_spelling_does_not_depend_on_the_plan`): counted rows
            // compare folded; everything else byte for byte.
            let counted = !q.starts_with("meetings") || q.contains(" count by ");
            let same = if counted { mine.to_lowercase() == theirs.to_lowercase() } else { mine == theirs };
            if !same && failures.len() < 5 {
                failures.push(format!("corpus seed {seed}: {q}\n  MeetQL:\n{mine}\n  theirs:\n{theirs}\n  SQL: {sql}"));
            }
        }
    }
    eprintln!(
        "differential ({}): {total} queries over {corpora} corpora, {nonempty} with rows, in {:.1?}",
        dialect.name(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{} disagrees; first cases:\n{}", dialect.name(), failures.join("\n\n"));
    assert!(nonempty * 2 > total, "too few queries return rows ({nonempty}/{total}): the vocabularies miss");
}

#[test]
fn meetql_and_duckdb_agree_on_random_queries_over_parquet() {
    let cli = duckdb();
    let (corpora, per) = (env("MEETQL_DUCK_CORPORA", 10), env("MEETQL_DUCK_QUERIES", 250));
    assert!(corpora * per >= 2000 || std::env::var("MEETQL_DUCK_QUERIES").is_ok(), "CI runs at least 2,000");
    parquet_differential(meetql::sql::Dialect::Duckdb, corpora, per, &|_, cases| {
        // One duckdb process a corpus: each query's COPY writes its own file.
        let mut script = String::new();
        for (sql, file) in cases {
            let (body, tail) = sql.rsplit_once("TO '/dev/stdout'").expect("a DuckDB query is a COPY to stdout");
            script.push_str(&format!("{body}TO '{}'{tail};\n", file.display()));
        }
        let mut child = std::process::Command::new(&cli)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), script.as_bytes()).unwrap();
        String::from_utf8_lossy(&child.wait_with_output().unwrap().stderr).to_string()
    });
}

/// Python with the `datafusion` package: `$MEETQL_PYTHON`, else `python3`. Panics, saying how to
/// get it, when the package does not import.
fn datafusion_python() -> String {
    let py = std::env::var("MEETQL_PYTHON").unwrap_or_else(|_| "python3".into());
    let found =
        std::process::Command::new(&py).args(["-c", "import datafusion"]).output().is_ok_and(|o| o.status.success());
    assert!(
        found,
        "the DataFusion differential test needs Python with the datafusion package, and '{py}' has none: \
         `pip install datafusion` (or run .ci/run, which does), or point MEETQL_PYTHON at such a Python"
    );
    py
}

#[test]
fn meetql_and_datafusion_agree_on_random_queries_over_parquet() {
    let py = datafusion_python();
    let (corpora, per) = (env("MEETQL_FUSION_CORPORA", 4), env("MEETQL_FUSION_QUERIES", 150));
    parquet_differential(meetql::sql::Dialect::Datafusion, corpora, per, &|pq, cases| {
        // The statements that name the tables come first in every case: run them once.
        let split = |sql: &str| -> (String, String) {
            let (pre, q) = sql.rsplit_once(";\n").expect("DataFusion SQL over an export has its tables first");
            (pre.to_string(), q.to_string())
        };
        let preamble = cases.first().map(|(sql, _)| split(sql).0).unwrap_or_default();
        let spec = serde_json::json!({
            "preamble": preamble.split(";\n").collect::<Vec<_>>(),
            "cases": cases.iter().map(|(sql, file)| serde_json::json!({"sql": split(sql).1, "out": file})).collect::<Vec<_>>(),
        });
        let spec_file = pq.join("cases.json");
        std::fs::write(&spec_file, spec.to_string()).unwrap();
        let out = std::process::Command::new(&py)
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/engines/datafusion_run.py"))
            .arg(&spec_file)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).to_string()
    });
}
