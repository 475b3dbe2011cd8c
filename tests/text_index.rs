//! The text index, end to end: `contains` on `text`, `person` and `title` answered from the
//! index's grams gives exactly the rows a scan gives, on a generated corpus with records of
//! non-ASCII text, before and after an import that replaces records; `explain` says which it
//! does; `meetql check` finds the index sound.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_meetql"));
    c.env_remove("MEETQL_DB");
    c.args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The ids a query returns (JSON Lines), in its order.
fn ids(db: &Path, q: &str) -> Vec<String> {
    let o = run(&["query", "--db", db.to_str().unwrap(), "-f", "jsonl", &format!("{q} select id")]);
    assert!(o.status.success(), "{q}: {}", text(&o.stderr));
    text(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect()
}

fn explain(db: &Path, q: &str) -> String {
    let o = run(&["query", "--db", db.to_str().unwrap(), "-f", "table", &format!("explain {q}")]);
    assert!(o.status.success(), "{q}: {}", text(&o.stderr));
    text(&o.stdout)
}

fn import(db: &Path, file: &Path) {
    let o = run(&["import", "--db", db.to_str().unwrap(), file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// Records in the project's own words with letters whose lower case is not ASCII, or is ASCII
/// from a non-ASCII capital (İ, K), and a few that replace records of the generated corpus.
fn own_records(round: u32) -> String {
    let summaries = [
        "Görüşme İzmir'de yapıldı; su ve enerji konuşuldu.",
        "ŞEHİR MERKEZİNDE toplantı",
        "A water-sharing plan (WATER) was signed.",
        "Temperature in KELVIN: 300 \u{212A}.",
        "ΣΥΝΑΝΤΗΣΗ για το νερό",
        "Встреча по вопросам воды",
        "short",
    ];
    let names = ["Ayşe Şahin", "İlker Işık", "Zoë Water", "Σοφία Παππά", "Иван Водин"];
    let titles = ["Başkan Yardımcısı", "Deputy Minister of Water", "Υπουργός", "Посол"];
    let mut out = String::new();
    for i in 0..60u32 {
        let summary = summaries[((i + round) % summaries.len() as u32) as usize];
        let name = names[((i * 3 + round) % names.len() as u32) as usize];
        let title = titles[((i + 2 * round) % titles.len() as u32) as usize];
        let rec = serde_json::json!({
            "id": format!("t-{i}"),
            "date": format!("2024-0{}-1{}", 1 + i % 9, i % 10),
            "summary": summary,
            "text": if i % 4 == 0 { Some(format!("{summary} {summary}")) } else { None },
            "participants": [{"name": name, "title": title}],
        });
        out.push_str(&rec.to_string());
        out.push('\n');
    }
    out
}

/// Patterns, lower-cased and not: ASCII, non-ASCII, across words, and shorter than a gram.
const PATTERNS: [&str; 14] = [
    "water",
    "WATER",
    "the sides",
    "i̇zmir",
    "İzmir",
    "şahin",
    "ŞEHİR",
    "kelvin",
    "k.",
    "νερό",
    "вод",
    "er-sh",
    "ab",
    "ş",
];

fn same_as_scan(db: &Path) {
    for p in PATTERNS {
        for field in ["text", "person", "title"] {
            let q = format!("meetings where {field} contains \"{p}\"");
            // `not not`: a filter no index answers, so the scan's rows.
            let scan = format!("meetings where not not {field} contains \"{p}\"");
            assert!(explain(db, &scan).contains("access: full scan of every record"), "{scan}");
            let (got, want) = (ids(db, &q), ids(db, &scan));
            assert_eq!(got, want, "{q}");
            let both = format!("meetings where {field} contains \"{p}\" and date >= 2020 order by date desc limit 7");
            let both_scan =
                format!("meetings where not not {field} contains \"{p}\" and date >= 2020 order by date desc limit 7");
            assert_eq!(ids(db, &both), ids(db, &both_scan), "{both}");
        }
    }
    // Some patterns find something in each field, so the comparison is not of empty lists.
    assert!(ids(db, "meetings where text contains \"water\"").len() > 100);
    assert!(!ids(db, "meetings where person contains \"şahin\"").is_empty());
    assert!(!ids(db, "meetings where title contains \"başkan\"").is_empty());
    assert!(!ids(db, "meetings where text contains \"kelvin\"").is_empty());
    let o = run(&["check", "--db", db.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
}

#[test]
fn contains_from_the_text_index_equals_the_scan_and_explain_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let g = run(&["gen", "--count", "12000", "--seed", "5"]);
    assert!(g.status.success());
    let corpus = dir.path().join("corpus.jsonl");
    std::fs::write(&corpus, &g.stdout).unwrap();
    import(&db, &corpus);
    let own = dir.path().join("own.jsonl");
    std::fs::write(&own, own_records(0)).unwrap();
    import(&db, &own);
    same_as_scan(&db);

    // An import that replaces records: the own ones with other text, and generated ones with
    // text that no longer holds "water" (a large import, staged and applied in windows).
    let mut replacing = own_records(3);
    for line in text(&g.stdout).lines().take(6_000) {
        let mut m: serde_json::Value = serde_json::from_str(line).unwrap();
        if m["summary"].as_str().is_some_and(|s| s.to_lowercase().contains("water")) {
            m["summary"] = serde_json::json!("Talks were held.");
            m["text"] = serde_json::Value::Null;
        }
        replacing.push_str(&m.to_string());
        replacing.push('\n');
    }
    std::fs::write(&own, replacing).unwrap();
    let before = ids(&db, "meetings where text contains \"water\"").len();
    import(&db, &own);
    assert!(ids(&db, "meetings where text contains \"water\"").len() < before);
    same_as_scan(&db);

    let e = explain(&db, "meetings where text contains \"Water\" limit 5");
    assert!(e.contains("index text (text grams): \"wat\" and \"ate\" and \"ter\""), "{e}");
    assert!(e.contains("candidates for text contains \"water\", each re-checked"), "{e}");
    assert!(e.contains("filter: candidates re-checked against each record"), "{e}");
    assert!(e.contains("records read: every candidate, tested in place"), "{e}");
    let e = explain(&db, "meetings where person contains \"ab\"");
    assert!(e.contains("access: full scan of every record"), "{e}");
    assert!(
        e.contains("text index: not used for person contains \"ab\": shorter than its grams (3 characters)"),
        "{e}"
    );
    // With another index, the text index's rows narrow that index's candidates.
    let e = explain(&db, "meetings where participant { title contains \"deputy\" } and date >= 2024");
    assert!(e.contains("intersect") && e.contains("index text (title grams): \"dep\""), "{e}");
}
