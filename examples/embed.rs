//! Using MeetQL as a library: a fresh database in a temporary directory, the bundled corpus
//! imported into it, one record inserted by hand, a query, a prepared query run with several
//! values (and from several threads), and a script whose `let` default is overridden.
//!
//! ```text
//! cargo run --example embed
//! ```

use meetql::ingest::Format;
use meetql::{Engine, Literal, Meeting, Params, PartialDate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A fresh database: `open` creates it when absent.
    let dir = std::env::temp_dir().join(format!("meetql-embed-{}", std::process::id()));
    let engine = Engine::open(&dir)?;

    // Import the corpus that ships with the crate (all or nothing), then add one record.
    let n = engine.import_reader("<bundled corpus>", meetql::default_db::BUNDLED_CORPUS.as_bytes(), Format::Jsonl)?;
    println!("imported {n} meetings into {}", dir.display());
    let m: Meeting = serde_json::from_str(
        r#"{"id": "m-embed-1", "date": "2025-12-01", "city": "Ashgabat", "country": "Turkmenistan",
            "participants": [{"name": "Kaha Imnadze", "org": "UNRCCA"}],
            "orgs": ["UNRCCA"], "topics": ["preventive diplomacy"]}"#,
    )?;
    engine.insert(m)?;

    // One query; the result holds the records.
    let result = engine.query(r#"meetings where org = "UNRCCA" and date >= 2025-09 order by date desc limit 3"#)?;
    println!("\nUNRCCA's latest meetings:");
    for m in result.meetings() {
        println!("  {} {:<10} {}", m.date, m.city.as_deref().unwrap_or("-"), m.id);
    }

    // Parse once, run many times with different values: strings, integers, dates.
    let q = engine.prepare("meetings where org = $org and date >= $since count")?;
    let since: PartialDate = "2024".parse()?;
    println!("\nmeetings since {since}:");
    for org in ["UNRCCA", "EU", "OSCE", "SCO"] {
        let r = q.bind("org", org).bind("since", since).run()?;
        println!("  {org:<8} {}", r.total().unwrap_or(0));
    }

    // A prepared query is shared by threads; the engine is Send + Sync.
    let countries = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"];
    let by_country = engine.prepare("meetings where country = $c count")?;
    let totals: Vec<(&str, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = countries
            .iter()
            .map(|c| {
                let q = &by_country;
                s.spawn(move || (*c, q.bind("c", *c).run().map(|r| r.total().unwrap_or(0)).unwrap_or(0)))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a query thread panicked")).collect()
    });
    println!("\nmeetings per country (five threads):");
    for (c, n) in totals {
        println!("  {c:<13} {n}");
    }

    // A script: its `let` is a default, and params given here win over it.
    let script = r#"
        -- topics discussed with an organisation
        let $org = "EU";
        topics where org = $org limit 3;
        expect count >= 1;
        meetings where org = $org count;
    "#;
    let mut params = Params::new();
    params.insert("org".into(), Literal::from("OSCE"));
    let results = engine.run_script(script, &params)?;
    println!("\nOSCE (the script's default is the EU): {} meetings; top topics:", results[1].total().unwrap_or(0));
    println!("  {}", serde_json::to_string(&results[0])?);

    drop(engine);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
