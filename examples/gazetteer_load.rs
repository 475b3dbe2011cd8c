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

fn main() {
    let before = LIVE.load(Ordering::Relaxed);
    let t = Instant::now();
    let (f, _, _) = meetql::ingest::report::gazetteer::figures("Astana");
    let load = t.elapsed();
    let held = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "loaded {} cities ({} names), {} countries ({} forms) in {:.1} ms; heap held {:.1} MB, peak {:.1} MB",
        f.cities,
        f.city_names,
        f.countries,
        f.country_forms,
        load.as_secs_f64() * 1e3,
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
    let t = Instant::now();
    let mut hits = 0;
    for _ in 0..runs {
        for &s in &starts {
            let (_, c, k) = meetql::ingest::report::gazetteer::figures(&text[s..]);
            hits += c.is_some() as usize + k.is_some() as usize;
        }
    }
    let per = t.elapsed().as_secs_f64() * 1e9 / (runs * starts.len()) as f64;
    println!("city_at + country_at at one word start: {per:.0} ns ({} hits a paragraph)", hits / runs);
}
