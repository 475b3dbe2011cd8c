//! The invariants of `docs/architecture.md` that a test can hold, read off the source tree:
//! which files may name sled and bincode, who may use storage, what the front ends may not
//! import, and that the parser's grammar lines are the grammar file's rules.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `src/`, with its path relative to the crate root (`src/...`) and text.
fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("src"), &mut files);
    files.sort();
    assert!(files.len() > 20, "found only {} source files", files.len());
    files
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Whether a line of code (not a comment) names `path` (`sled`, `crate::storage`, ...) as a
/// path or in a `use`.
fn names(line: &str, path: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    let trimmed = code.trim_start();
    code.contains(&format!("{path}::"))
        || trimmed.starts_with(&format!("use {path}"))
        || trimmed.starts_with(&format!("pub use {path}"))
        || trimmed.starts_with(&format!("pub(crate) use {path}"))
}

/// The files whose code names `path`.
fn files_naming(path: &str) -> Vec<String> {
    sources().into_iter().filter(|(_, text)| text.lines().any(|l| names(l, path))).map(|(f, _)| f).collect()
}

#[test]
fn bincode_is_named_in_one_file() {
    assert_eq!(files_naming("bincode"), ["src/storage/codec.rs"]);
}

#[test]
fn sled_is_named_in_one_file() {
    assert_eq!(files_naming("sled"), ["src/storage/disk.rs"]);
}

#[test]
fn storage_is_used_only_by_engine_and_exec() {
    let users: Vec<String> = files_naming("crate::storage")
        .into_iter()
        .filter(|f| !f.starts_with("src/storage/"))
        .filter(|f| f != "src/engine.rs" && f != "src/exec.rs")
        .collect();
    assert!(users.is_empty(), "storage used by {users:?}");
    assert!(files_naming("crate::storage").contains(&"src/engine.rs".to_string()), "the check reads the wrong tree");
}

#[test]
fn front_ends_import_neither_plan_exec_nor_storage() {
    let front_end = |f: &str| {
        ["src/main.rs", "src/output.rs", "src/script/print.rs", "src/session.rs", "src/serve.rs"].contains(&f)
            || f.starts_with("src/repl/")
    };
    let mut found = Vec::new();
    let mut seen = 0;
    for (file, text) in sources().into_iter().filter(|(f, _)| front_end(f)) {
        seen += 1;
        for (n, line) in text.lines().enumerate() {
            for layer in ["plan", "exec", "storage"] {
                if names(line, &format!("crate::{layer}")) || names(line, &format!("meetql::{layer}")) {
                    found.push(format!("{file}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(seen >= 7, "only {seen} front-end files found");
    assert!(found.is_empty(), "front ends reaching past the engine:\n{}", found.join("\n"));
}

/// `NAME := ...` rules quoted in the parser's doc comments.
fn parser_rules() -> Vec<String> {
    let parser = std::fs::read_to_string(root().join("src/lang/parser.rs")).unwrap();
    let mut rules = Vec::new();
    for line in parser.lines().map(str::trim_start).filter(|l| l.starts_with("///")) {
        let doc = line.trim_start_matches('/').trim_start();
        if let Some(rest) = doc.strip_prefix('`') {
            if let Some((name, _)) = rest.split_once(" := ") {
                if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    rules.push(name.to_string());
                }
            }
        }
    }
    rules
}

#[test]
fn every_rule_of_the_parser_is_a_rule_of_the_grammar_file() {
    let grammar = std::fs::read_to_string(root().join("grammar/meetql.ebnf")).unwrap();
    let defined: Vec<&str> = grammar
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.starts_with("--"))
        .filter_map(|l| l.split_once(":=").map(|(name, _)| name.trim()))
        .collect();
    let rules = parser_rules();
    assert!(rules.len() >= 15, "only {} rules found in the parser's doc lines: {rules:?}", rules.len());
    let missing: Vec<&String> = rules.iter().filter(|r| !defined.contains(&r.as_str())).collect();
    assert!(missing.is_empty(), "rules of src/lang/parser.rs not in grammar/meetql.ebnf: {missing:?}");
    for r in ["script", "statement", "let", "expect", "query", "expr", "atom", "predicate", "value"] {
        assert!(rules.iter().any(|x| x == r), "the parser documents no '{r}' rule");
    }
}
