//! The jsonl reader: any bytes give records or an error naming a line, never a panic; every
//! record read serializes and reads back as JSON Lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| meetql::fuzzing::import_round_trip(data, meetql::ingest::Format::Jsonl));
