//! Extraction speed: runs the report extractor over 10,000 reports (copies of
//! `examples/reports/*.txt`, each under its own doc name) and prints reports per second.
//!
//!     cargo run --release --example bench_extract [N]

use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reports");
    let mut texts = Vec::new();
    for e in std::fs::read_dir(&dir).expect("examples/reports") {
        let p = e.expect("a directory entry").path();
        if p.extension().is_some_and(|x| x == "txt") {
            texts.push(std::fs::read_to_string(&p).expect("a report"));
        }
    }
    texts.sort();
    let bytes: usize = (0..n).map(|i| texts[i % texts.len()].len()).sum();
    let start = Instant::now();
    let (mut meetings, mut skipped) = (0, 0);
    for i in 0..n {
        let x = meetql::ingest::report::extract(&format!("bench/{i}.txt"), &texts[i % texts.len()]);
        meetings += x.meetings.len();
        skipped += x.skipped.is_some() as usize;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{n} reports ({:.1} MB) in {secs:.3} s: {:.0} reports/s, {meetings} meetings, {skipped} skipped",
        bytes as f64 / 1e6,
        n as f64 / secs
    );
}
