//! How long the report gazetteer takes to load, how much heap it holds, and how fast its
//! `city_at`/`country_at` lookups are: `cargo run --release --example gazetteer_load`.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting the bytes live.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// CPU time this process has run, in seconds, where Linux tells it (`/proc/self/schedstat`):
/// on a busy machine wall time overstates the cost.
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

/// "12.3 ms wall, 4.5 ms CPU" for a span measured both ways.
fn span(wall: std::time::Duration, cpu0: Option<f64>, scale: f64, unit: &str) -> String {
    let cpu = cpu0.zip(cpu_seconds()).map(|(a, b)| format!(", {:.1} {unit} CPU", (b - a) * scale)).unwrap_or_default();
    format!("{:.1} {unit} wall{cpu}", wall.as_secs_f64() * scale)
}

fn main() {
    let before = LIVE.load(Ordering::Relaxed);
    let cpu = cpu_seconds();
    let t = Instant::now();
    let (f, _, _) = meetql::ingest::report::gazetteer::figures("Astana");
    let load = span(t.elapsed(), cpu, 1e3, "ms");
    let held = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "loaded {} cities ({} names), {} countries ({} forms) in {load}; heap held {:.1} MB, peak {:.1} MB",
        f.cities,
        f.city_names,
        f.countries,
        f.country_forms,
        held as f64 / 1e6,
        PEAK.load(Ordering::Relaxed) as f64 / 1e6
    );
    // Lookups at every word start of a paragraph the project wrote.
    let text = "Kyrgyz Foreign Minister met his Japanese counterpart in Bishkek on Tuesday. The two \
                sides discussed trade with the United States, transit through Kazakhstan and a \
                forum planned in Kuala Lumpur, New Delhi and Nur-Sultan next year.";
    let starts: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| c.is_alphabetic() && (i == 0 || text.as_bytes()[i - 1] == b' '))
        .map(|(i, _)| i)
        .collect();
    let runs = 20_000;
    let cpu = cpu_seconds();
    let t = Instant::now();
    let mut hits = 0;
    for _ in 0..runs {
        for &s in &starts {
            let (_, c, k) = meetql::ingest::report::gazetteer::figures(&text[s..]);
            hits += c.is_some() as usize + k.is_some() as usize;
        }
    }
    let per = span(t.elapsed(), cpu, 1e9 / (runs * starts.len()) as f64, "ns");
    println!("city_at + country_at at one word start: {per} ({} hits a paragraph)", hits / runs);
}
