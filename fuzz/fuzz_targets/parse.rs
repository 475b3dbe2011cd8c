//! Parser round trip: any UTF-8 text either fails to parse with an error, or parses to a tree
//! whose canonical text parses back to the same tree (statements and whole scripts).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| meetql::fuzzing::parse_round_trip(data));
