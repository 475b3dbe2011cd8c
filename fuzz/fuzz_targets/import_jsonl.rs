//! The jsonl reader: any bytes give records or an error naming a line, never a panic; every
//! record read serializes and reads back as JSON Lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meetql::ingest::{read_from, Format};

fuzz_target!(|data: &[u8]| {
    let mut records = Vec::new();
    let _ = read_from(data, "<fuzz>", Format::Jsonl, &mut |m| {
        records.push(m);
        Ok(())
    });
    for m in records {
        let line = serde_json::to_string(&m).expect("a record serializes");
        let back: meetql::Meeting = serde_json::from_str(&line).expect("a record reads back");
        assert_eq!(back, m);
    }
});
