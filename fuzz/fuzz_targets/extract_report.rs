//! The report extractor: any bytes, read as a report, give an extraction and never a panic; the
//! same text gives the same extraction; every meeting extracted round-trips through JSON Lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| meetql::fuzzing::extract_total(data));
