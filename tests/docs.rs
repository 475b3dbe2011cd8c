//! The README's and the docs' examples are the product's: every `$ meetql ...` line in a fenced
//! block of `README.md` or `docs/*.md` runs (through `sh`, so `| head -6` works) against a
//! database of the bundled corpus, and must print (stdout, then stderr) exactly the lines that
//! follow it, up to the next `$ ` line or the end of the block.

use std::path::Path;
use std::process::Command;

struct Example {
    file: String,
    line: usize,
    command: String,
    expected: String,
}

fn examples(file: &Path) -> Vec<Example> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut out: Vec<Example> = Vec::new();
    let mut in_block = false;
    let mut current: Option<Example> = None;
    let finish = |c: Option<Example>, out: &mut Vec<Example>| {
        if let Some(mut e) = c {
            e.expected = e.expected.trim_end().to_string();
            out.push(e);
        }
    };
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_block = !in_block;
            finish(current.take(), &mut out);
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            finish(current.take(), &mut out);
            current = Some(Example {
                file: file.display().to_string(),
                line: i + 1,
                command: cmd.to_string(),
                expected: String::new(),
            });
        } else if let Some(e) = current.as_mut() {
            e.expected.push_str(line);
            e.expected.push('\n');
        }
    }
    out
}

#[test]
fn the_documented_examples_print_what_they_show() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for e in std::fs::read_dir(root.join("docs")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            files.push(p);
        }
    }
    files.sort();
    let all: Vec<Example> = files.iter().flat_map(|f| examples(f)).collect();
    assert!(all.len() >= 5, "the README's examples were not found");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let bin = Path::new(env!("CARGO_BIN_EXE_meetql"));
    let st = Command::new(bin)
        .arg("import")
        .arg("--db")
        .arg(&db)
        .arg(root.join("examples/corpus/meetings.jsonl"))
        .output()
        .unwrap();
    assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let mut wrong = Vec::new();
    for e in &all {
        assert!(e.command.starts_with("meetql "), "{}:{}: not a meetql command", e.file, e.line);
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!("{} 2>&1", e.command))
            .env("PATH", &path)
            .env("MEETQL_DB", &db)
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        let got = String::from_utf8_lossy(&o.stdout).trim_end().to_string();
        if got != e.expected {
            wrong.push(format!(
                "{}:{}: $ {}\n--- shown:\n{}\n--- printed:\n{}",
                e.file, e.line, e.command, e.expected, got
            ));
        }
    }
    assert!(wrong.is_empty(), "{} example(s) print something else:\n\n{}", wrong.len(), wrong.join("\n\n"));
}
