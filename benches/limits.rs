//! How the extreme inputs of `tests/limits.rs` scale: a `N`-term `and` chain, a `N`-term `or`
//! chain, `N` nested `(` and `N` `not `, parsed, planned, explained and run through the
//! library, for N = 25,000, 50,000 and 100,000; an `or` of N `contains` terms (one matcher);
//! a string literal of 256 KiB to 1 MiB, alone and in an `or` with a second one.
//!
//!     cargo bench --bench limits
//!
//! Prints the time of each size and the ratio to the size before it: about 2 when the work
//! is linear in the input, about 4 when it is quadratic (the tests hold the results; this
//! holds the speed).

use std::time::{Duration, Instant};

use meetql::Engine;

#[path = "../tests/support/limits_db.rs"]
mod limits_db;

fn engine(dir: &std::path::Path) -> Engine {
    limits_db::engine(dir, "<bench>")
}

/// Explains and runs `q` on a thread with a large stack (the depth is what the tests hold);
/// the time of both.
fn time(engine: &Engine, q: String) -> Duration {
    let e = engine.clone();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let t = Instant::now();
            let _ = e.query(&format!("explain {q}"));
            let _ = e.query(&q);
            t.elapsed()
        })
        .unwrap()
        .join()
        .unwrap()
}

fn chain(n: usize, op: &str) -> String {
    let terms: Vec<String> = (0..n).map(|i| format!("org = \"o{i}\"")).collect();
    format!("meetings where {} count", terms.join(op))
}

/// An input's name, how it is made from a size, and the sizes it is measured at.
type Case = (&'static str, fn(usize) -> String, [usize; 3]);

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let e = engine(dir.path());
    let cases: [Case; 7] = [
        ("and chain", |n| chain(n, " and "), [25_000, 50_000, 100_000]),
        ("or chain", |n| chain(n, " or "), [25_000, 50_000, 100_000]),
        (
            "nested (",
            |n| format!("meetings where {}org = \"UN\"{}", "(".repeat(n), ")".repeat(n)),
            [25_000, 50_000, 100_000],
        ),
        ("not not", |n| format!("meetings where {}org = \"UN\"", "not ".repeat(n)), [25_000, 50_000, 100_000]),
        (
            "contains",
            |n| {
                let terms: Vec<String> = (0..n).map(|i| format!("person contains \"p{i}q\"")).collect();
                format!("meetings where {} count", terms.join(" or "))
            },
            [25_000, 50_000, 100_000],
        ),
        (
            "string",
            |n| format!("meetings where text contains \"{}\" count", "x".repeat(n)),
            [1 << 18, 1 << 19, 1 << 20],
        ),
        (
            "strings",
            |n| format!("meetings where text contains \"{}\" or org = \"{}\" count", "x".repeat(n), "y".repeat(n)),
            [1 << 18, 1 << 19, 1 << 20],
        ),
    ];
    println!("{:<10} {:>9} {:>10} {:>6}", "input", "size", "time", "ratio");
    for (name, make, sizes) in cases {
        let mut before: Option<Duration> = None;
        for n in sizes {
            let t = time(&e, make(n));
            let ratio = before.map_or("-".to_string(), |b| format!("{:.1}", t.as_secs_f64() / b.as_secs_f64()));
            println!("{name:<10} {n:>9} {:>8.1}ms {ratio:>6}", t.as_secs_f64() * 1e3);
            before = Some(t);
        }
    }
}
