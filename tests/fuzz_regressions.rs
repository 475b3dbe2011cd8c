//! Replays every input in `tests/regressions/<target>/` through the checks of the fuzz target
//! of the same name (`fuzz/fuzz_targets/<target>.rs`): an input that once crashed a target is
//! kept there and must pass for ever. Add a file to add a case (see docs/reliability.md).

use std::path::Path;

use meetql::fuzzing::{extract_total, import_round_trip, parse_round_trip};
use meetql::ingest::Format;

#[test]
fn every_saved_fuzz_case_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut n = 0;
    for (dir, check) in [
        ("parse", &parse_round_trip as &dyn Fn(&[u8])),
        ("import_jsonl", &|d: &[u8]| import_round_trip(d, Format::Jsonl)),
        ("import_csv", &|d: &[u8]| import_round_trip(d, Format::Csv)),
        ("import_json", &|d: &[u8]| import_round_trip(d, Format::Json)),
        ("extract_report", &extract_total),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for e in entries {
            let path = e.unwrap().path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&data)));
            assert!(r.is_ok(), "{} fails its fuzz check", path.display());
            n += 1;
        }
    }
    assert!(n >= 1, "no regression inputs found under {}", root.display());
}
