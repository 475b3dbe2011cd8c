//! Replays every input in `tests/regressions/<target>/` through the checks of the fuzz target
//! of the same name (`fuzz/fuzz_targets/<target>.rs`): an input that once crashed a target is
//! kept there and must pass for ever. Add a file to add a case (see docs/reliability.md).

use std::path::Path;

use meetql::ingest::{read_from, Format};
use meetql::lang::{parse_script, parse_statement};

/// The `parse` target: what parses prints canonically and parses back to the same tree.
fn parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(st) = parse_statement(text) {
        let printed = st.to_string();
        let again = parse_statement(&printed).unwrap_or_else(|e| panic!("{printed:?} does not parse back: {e}"));
        assert_eq!(st, again, "{printed:?}");
    }
    if let Ok(items) = parse_script(text) {
        for item in items {
            let printed = item.statement.to_string();
            let again = parse_statement(&printed).unwrap_or_else(|e| panic!("{printed:?} does not parse back: {e}"));
            assert_eq!(item.statement, again, "{printed:?}");
        }
    }
}

/// The `import_*` targets: records or an error, and every record read round-trips as JSON.
fn import(data: &[u8], format: Format) {
    let mut records = Vec::new();
    let _ = read_from(data, "<fuzz>", format, &mut |m| {
        records.push(m);
        Ok(())
    });
    for m in records {
        let line = serde_json::to_string(&m).unwrap();
        let back: meetql::Meeting = serde_json::from_str(&line).unwrap();
        assert_eq!(back, m);
    }
}

#[test]
fn every_saved_fuzz_case_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut n = 0;
    for (dir, check) in [
        ("parse", &parse as &dyn Fn(&[u8])),
        ("import_jsonl", &|d: &[u8]| import(d, Format::Jsonl)),
        ("import_csv", &|d: &[u8]| import(d, Format::Csv)),
        ("import_json", &|d: &[u8]| import(d, Format::Json)),
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
