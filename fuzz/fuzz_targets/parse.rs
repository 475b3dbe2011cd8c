//! Parser round trip: any UTF-8 text either fails to parse with an error, or parses to a tree
//! whose canonical text parses back to the same tree (statements and whole scripts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use meetql::lang::{parse_script, parse_statement};

fuzz_target!(|data: &[u8]| {
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
});
