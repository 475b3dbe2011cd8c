//! Runs one query many times against an existing database, for profiling:
//! `cargo run --release --example profile_query -- DB 'QUERY' [RUNS]`.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (db, q) = (&args[1], &args[2]);
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let e = meetql::Engine::open(db)?;
    let t = std::time::Instant::now();
    let mut rows = 0;
    for _ in 0..runs {
        rows = e.query(q)?.len();
    }
    println!("{rows} rows, {:.2} ms a run", t.elapsed().as_secs_f64() * 1e3 / runs as f64);
    Ok(())
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
