//! Several threads query one `Engine` (clones) while another imports: no query ever sees part
//! of an import — every count is one of the committed totals, never going back — and answers
//! from different access paths agree with each other within one snapshot's totals.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use meetql::ingest::Format;
use meetql::Engine;

const BATCH: u64 = 1500;
const BATCHES: u64 = 6;

#[test]
fn queries_never_see_part_of_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(dir.path().join("db")).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let totals: Vec<u64> = (0..=BATCHES).map(|b| b * BATCH).collect();
    let readers: Vec<_> = (0..3)
        .map(|t| {
            let (engine, done, totals) = (engine.clone(), done.clone(), totals.clone());
            std::thread::spawn(move || {
                let queries = [
                    "meetings count",
                    "meetings where date exists count",
                    r#"meetings where date >= 1900 or text contains "zzzz-never" count"#,
                ];
                let (mut last, mut seen) = (0, 0u64);
                while !done.load(Ordering::Acquire) || seen == 0 {
                    let q = queries[(seen as usize + t) % queries.len()];
                    let n = engine.query(q).unwrap().total().unwrap();
                    assert!(totals.contains(&n), "{q} saw {n}: part of an import");
                    assert!(n >= last, "{q} went back from {last} to {n}");
                    last = n;
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    for b in 0..BATCHES {
        let mut text = Vec::new();
        meetql::gen::generate(BATCH, 100 + b, &mut text).unwrap();
        assert_eq!(engine.import_reader("<batch>", text.as_slice(), Format::Jsonl).unwrap(), BATCH as usize);
    }
    done.store(true, Ordering::Release);
    let seen: Vec<u64> = readers.into_iter().map(|r| r.join().expect("a reader failed")).collect();
    assert_eq!(engine.query("meetings count").unwrap().total(), Some(BATCH * BATCHES));
    eprintln!("queries per reader during the imports: {seen:?}");
}
