//! `include/meetql.h` is what cbindgen makes of `src/lib.rs`: a header that drifted from the
//! code would link C programs against functions that do not exist or take other arguments.

use std::path::Path;

#[test]
fn the_committed_header_is_the_generated_one() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml reads");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");
    let header = crate_dir.join("../../include/meetql.h");
    if std::env::var_os("MEETQL_BLESS").is_some() {
        std::fs::write(&header, &generated).expect("include/meetql.h writes");
    }
    let committed = std::fs::read_to_string(&header).unwrap_or_default();
    assert!(
        committed == generated,
        "include/meetql.h is not what cbindgen makes of bindings/c/src/lib.rs; regenerate it with \
         `MEETQL_BLESS=1 cargo test --release -p meetql-c --test header` and commit it"
    );
}
