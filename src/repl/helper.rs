//! The rustyline [`Helper`](rustyline::Helper) of the shell: completion, highlighting, hints and
//! the "is this statement complete?" validator.
//!
//! **Invariant:** everything here reads the line with the engine's own tokenizer and parser
//! ([`crate::lang::tokenize`], [`crate::lang::parse_script`]). A keyword or field is offered by
//! completion only when the real parser accepts it at that point. The one piece of grammar kept
//! here is `CONTINUES`, the keywords after which Enter continues the statement instead of
//! running it (a judgement about typing, not about what parses): a statement it holds back
//! still parses, or fails, exactly as the parser says once it is complete.

use std::borrow::Cow;

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::Context;

use crate::engine::Engine;
use crate::fields::MeetingField;
use crate::lang::{parse_script, tokenize, Token, TokenKind, KEYWORDS};
use crate::output::OutputFormat;

pub use crate::session::META_COMMANDS;

/// Keywords that cannot end a statement: a line ending in one continues on the next.
const CONTINUES: &[&str] = &[
    "where",
    "and",
    "or",
    "not",
    "by",
    "order",
    "between",
    "in",
    "contains",
    "starts",
    "with",
    "select",
    "limit",
    "offset",
    "explain",
    "participant",
];

/// Names a completion may offer besides keywords: fields of meetings and of participants, and the
/// date buckets of `count by`.
fn word_candidates() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = KEYWORDS.to_vec();
    v.extend(MeetingField::ALL.iter().map(|f| f.name()));
    v.extend(["name", "year", "month"]);
    v.sort_unstable();
    v.dedup();
    v
}

/// The shell's line helper.
#[derive(rustyline::Helper)]
pub struct ReplHelper {
    engine: Option<Engine>,
    color: bool,
    hinter: HistoryHinter,
    files: FilenameCompleter,
}

impl ReplHelper {
    /// A helper that completes stored values from `engine` (none when `None`) and colours
    /// when `color`.
    pub fn new(engine: Option<Engine>, color: bool) -> ReplHelper {
        ReplHelper { engine, color, hinter: HistoryHinter::new(), files: FilenameCompleter::new() }
    }

    /// Replaces the engine (after `.open`).
    pub fn set_engine(&mut self, engine: Engine) {
        self.engine = Some(engine);
    }

    /// Completion candidates for `line` with the cursor at byte `pos`: where the replaced text
    /// starts, and the candidates (display, replacement).
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let before = &line[..pos];
        // Meta-commands: the command word, then its argument.
        if before.trim_start().starts_with('.') {
            return self.meta_candidates(before);
        }
        let tokens = tokenize(before);
        // Inside a string (closed at the cursor or still open): stored values of the field.
        if let Some(last) = tokens.last() {
            let text = &before[last.span.start..last.span.end];
            let in_string = text.starts_with('"')
                && last.span.end == pos
                && (last.kind == TokenKind::Error || text.len() == 1 || !text.ends_with('"'));
            if in_string || (last.kind == TokenKind::Error && text.starts_with('"')) {
                let prefix = &text[1..];
                return (last.span.start, self.value_candidates(&tokens[..tokens.len() - 1], before, prefix));
            }
        }
        // A word being typed, or nothing (after a space): keywords and fields that fit here.
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[start..];
        let head = &before[..start];
        let lower = word.to_lowercase();
        let matching: Vec<&str> = word_candidates().into_iter().filter(|c| c.starts_with(&lower)).collect();
        let fitting: Vec<&str> = matching.iter().copied().filter(|c| fits(head, c) && field_allowed(head, c)).collect();
        let chosen = if fitting.is_empty() && !word.is_empty() { matching } else { fitting };
        let pairs = chosen.into_iter().map(|c| Pair { display: c.to_string(), replacement: format!("{c} ") }).collect();
        (start, pairs)
    }

    fn meta_candidates(&self, before: &str) -> (usize, Vec<Pair>) {
        let lead = before.len() - before.trim_start().len();
        let rest = &before[lead..];
        let Some(space) = rest.find(char::is_whitespace) else {
            let pairs = META_COMMANDS
                .iter()
                .filter(|(name, _, _)| name.starts_with(rest))
                .map(|(name, _, _)| Pair { display: name.to_string(), replacement: format!("{name} ") })
                .collect();
            return (lead, pairs);
        };
        let cmd = &rest[..space];
        let arg_start = lead + space + (rest[space..].len() - rest[space..].trim_start().len());
        let arg = &before[arg_start..];
        let words: &[&str] = match cmd {
            ".mode" => &["table", "line", "json", "jsonl", "csv"],
            ".timer" => &["on", "off"],
            ".import" | ".read" | ".open" | ".export" if !arg.contains(' ') => {
                return self.files.complete_path(before, before.len()).unwrap_or((before.len(), Vec::new()));
            }
            ".explain" | ".export" => {
                // The query after the command completes like a statement.
                let query_start = if cmd == ".export" { arg.find(' ').map_or(0, |i| i + 1) } else { 0 };
                let q = &before[arg_start + query_start..];
                let (s, pairs) = self.candidates(q, q.len());
                return (arg_start + query_start + s, pairs);
            }
            _ => &[],
        };
        let pairs = words
            .iter()
            .filter(|w| w.starts_with(arg))
            .map(|w| Pair { display: w.to_string(), replacement: w.to_string() })
            .collect();
        (arg_start, pairs)
    }

    /// Stored values for the string being typed: the field is the nearest one before it
    /// (`org = "`, `person in ["A", "`, `participant { name = "`).
    fn value_candidates(&self, tokens: &[Token], line: &str, prefix: &str) -> Vec<Pair> {
        let Some(field) = field_before(tokens, line) else {
            return Vec::new();
        };
        let Some(engine) = &self.engine else {
            return if field == MeetingField::Kind { self.kind_candidates(prefix) } else { Vec::new() };
        };
        if field == MeetingField::Kind {
            return self.kind_candidates(prefix);
        }
        let mut values = engine.values(field, prefix, 50).unwrap_or_default();
        values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        values.into_iter().map(|(v, n)| Pair { display: format!("{v} ({n})"), replacement: quote(&v) }).collect()
    }

    /// The kinds starting with `prefix`: three values fixed by the language, offered without
    /// asking the database.
    fn kind_candidates(&self, prefix: &str) -> Vec<Pair> {
        let p = crate::fields::fold(prefix);
        crate::model::Kind::ALL
            .iter()
            .map(|k| k.as_str())
            .filter(|k| k.starts_with(&p))
            .map(|k| Pair { display: k.to_string(), replacement: quote(k) })
            .collect()
    }

    /// `line` with ANSI colours: keywords, fields, strings, dates, numbers; the part that does not
    /// parse underlined in red. Unchanged when colour is off.
    pub fn colorize<'l>(&self, line: &'l str) -> Cow<'l, str> {
        if !self.color || line.is_empty() {
            return Cow::Borrowed(line);
        }
        if line.trim_start().starts_with('.') {
            let lead = line.len() - line.trim_start().len();
            let end = line[lead..].find(char::is_whitespace).map_or(line.len(), |i| lead + i);
            let known = META_COMMANDS.iter().any(|(n, _, _)| *n == &line[lead..end]);
            let style = if known { "1;34" } else { "31" };
            if line[lead..].starts_with(".explain ") {
                let rest = self.colorize(&line[end..]).into_owned();
                return Cow::Owned(format!("{}\x1b[{style}m{}\x1b[0m{rest}", &line[..lead], &line[lead..end]));
            }
            return Cow::Owned(format!("{}\x1b[{style}m{}\x1b[0m{}", &line[..lead], &line[lead..end], &line[end..]));
        }
        let bad_from = first_error(line);
        let mut out = String::with_capacity(line.len() * 2);
        let mut at = 0;
        for t in tokenize(line) {
            if t.span.start >= bad_from {
                break;
            }
            out.push_str(&line[at..t.span.start]);
            let style = match t.kind {
                TokenKind::Keyword => "1;34",
                TokenKind::Field => "36",
                TokenKind::Str => "32",
                TokenKind::Date => "35",
                TokenKind::Int => "33",
                TokenKind::Param => "35",
                TokenKind::Comment => "2",
                TokenKind::Error => "4;31",
                TokenKind::Op | TokenKind::Punct => "",
            };
            let text = &line[t.span.start..t.span.end.min(bad_from)];
            if style.is_empty() {
                out.push_str(text);
            } else {
                out.push_str(&format!("\x1b[{style}m{text}\x1b[0m"));
            }
            at = t.span.end.min(bad_from);
        }
        if bad_from < line.len() {
            out.push_str(&line[at..bad_from]);
            out.push_str(&format!("\x1b[4;31m{}\x1b[0m", &line[bad_from..]));
        } else {
            out.push_str(&line[at..]);
        }
        Cow::Owned(out)
    }
}

/// Where the text stops parsing, when it is wrong (not merely unfinished): the byte offset of
/// the first error that is not at the end of the input; `line.len()` when there is none.
fn first_error(line: &str) -> usize {
    match parse_script(line) {
        Ok(_) => line.len(),
        Err(e) => {
            let end = line.trim_end().len();
            if e.span.start >= end {
                line.len()
            } else {
                e.span.start.min(line.len())
            }
        }
    }
}

/// Whether `candidate` is a word the parser accepts after `head`: the text `head candidate`
/// parses, or fails only at its very end (it needs more, not something else).
fn fits(head: &str, candidate: &str) -> bool {
    // Only the statement being typed matters: start after the last `;`.
    let stmt_start = tokenize(head)
        .iter()
        .rev()
        .find(|t| t.kind == TokenKind::Punct && &head[t.span.start..t.span.end] == ";")
        .map_or(0, |t| t.span.end);
    let text = format!("{}{candidate}", &head[stmt_start..]);
    match parse_script(&text) {
        Ok(_) => true,
        Err(e) => e.span.start >= text.trim_end().len(),
    }
}

/// Whether the planner takes `candidate` after `head` when it names a field: participant
/// fields only inside `participant { }`, meeting fields outside it, `year` and `month` only
/// after `count by` (the parser takes any word where a field goes; the planner does not).
fn field_allowed(head: &str, candidate: &str) -> bool {
    let participant = ["name", "title", "org", "country"].contains(&candidate);
    let meeting = MeetingField::from_name(candidate).is_some();
    let bucket = candidate == "year" || candidate == "month";
    if !participant && !meeting && !bucket {
        return true; // a keyword: the parser's word alone decides
    }
    let tokens = tokenize(head);
    let words: Vec<String> = tokens
        .iter()
        .filter(|t| t.kind != TokenKind::Comment)
        .map(|t| head[t.span.start..t.span.end].to_lowercase())
        .collect();
    // Inside `participant { ... }` when a `{` after `participant` is still open.
    let mut open: Vec<bool> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        match w.as_str() {
            "{" => open.push(i > 0 && words[i - 1] == "participant"),
            "}" => {
                open.pop();
            }
            _ => {}
        }
    }
    if open.last() == Some(&true) {
        return participant;
    }
    let n = words.len();
    let after_count_by = n >= 2 && words[n - 1] == "by" && words[n - 2] == "count";
    if after_count_by {
        return (meeting && candidate != "text") || bucket;
    }
    meeting
}

/// The meeting field whose value is being typed after `tokens`.
fn field_before(tokens: &[Token], line: &str) -> Option<MeetingField> {
    for t in tokens.iter().rev() {
        let text = line[t.span.start..t.span.end].to_lowercase();
        match t.kind {
            TokenKind::Field => {
                return match text.as_str() {
                    "name" => Some(MeetingField::Person),
                    other => MeetingField::from_name(other),
                }
            }
            TokenKind::Op | TokenKind::Str | TokenKind::Date | TokenKind::Int | TokenKind::Param => {}
            TokenKind::Punct if text == "[" || text == "," => {}
            TokenKind::Keyword if ["in", "contains", "starts", "with", "between", "and"].contains(&text.as_str()) => {}
            _ => return None,
        }
    }
    None
}

/// A value as a string literal of the language.
pub fn quote(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

/// When the last line of a multi-line `input` is a meta-command: the statement text before it
/// and the command.
pub fn meta_line(input: &str) -> Option<(&str, &str)> {
    let nl = input.trim_end().rfind('\n')?;
    let last = input[nl + 1..].trim();
    last.starts_with('.').then(|| (&input[..nl + 1], last))
}

/// Whether `input` is ready to run when Enter is pressed: a meta-command, a statement ending in
/// `;`, or text that parses whole. Open brackets or quotes, a trailing `and`/`or`/`where`, an
/// operator or a comma continue; anything else runs (and shows its error).
pub fn is_complete(input: &str) -> bool {
    let t = input.trim();
    // A meta-command runs at once, also on a continuation line (the pending statement is kept,
    // as psql does with its query buffer).
    if t.is_empty() || t.starts_with('.') || meta_line(input).is_some() {
        return true;
    }
    let tokens: Vec<Token> = tokenize(input).into_iter().filter(|t| t.kind != TokenKind::Comment).collect();
    let Some(last) = tokens.last() else {
        return true;
    };
    let last_text = &input[last.span.start..last.span.end];
    if last.kind == TokenKind::Punct && last_text == ";" {
        return true;
    }
    if parse_script(input).is_ok() {
        return true;
    }
    if last.kind == TokenKind::Error && last_text.starts_with('"') {
        return false;
    }
    let mut depth = 0i32;
    for tok in &tokens {
        match (tok.kind, &input[tok.span.start..tok.span.end]) {
            (TokenKind::Punct, "(" | "[" | "{") => depth += 1,
            (TokenKind::Punct, ")" | "]" | "}") => depth -= 1,
            _ => {}
        }
    }
    if depth > 0 {
        return false;
    }
    let lower = last_text.to_lowercase();
    let dangling = match last.kind {
        TokenKind::Op => true,
        TokenKind::Punct => last_text == ",",
        TokenKind::Keyword => CONTINUES.contains(&lower.as_str()),
        _ => false,
    };
    !dangling
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        Ok(self.candidates(line, pos))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        // Without colour a hint cannot look different from typed text: none then.
        if !self.color || line.is_empty() || pos < line.len() {
            return None;
        }
        if let Some(h) = self.hinter.hint(line, pos, ctx) {
            return Some(h);
        }
        // A single stored value that completes the string being typed.
        let (start, pairs) = self.candidates(line, pos);
        match pairs.as_slice() {
            [one] if line[start..].starts_with('"') && one.replacement.len() > pos - start => {
                one.replacement.get(pos - start..).map(str::to_string)
            }
            _ => None,
        }
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        self.colorize(line)
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(&'s self, prompt: &'p str, _default: bool) -> Cow<'b, str> {
        if self.color {
            Cow::Owned(format!("\x1b[1;32m{prompt}\x1b[0m"))
        } else {
            Cow::Borrowed(prompt)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[90m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if is_complete(ctx.input()) { ValidationResult::Valid(None) } else { ValidationResult::Incomplete })
    }
}

/// The names of the output modes, for messages.
pub fn mode_names() -> String {
    OutputFormat::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(h: &ReplHelper, line: &str) -> Vec<String> {
        h.candidates(line, line.len()).1.into_iter().map(|p| p.display).collect()
    }

    #[test]
    fn completes_collections_at_the_start() {
        let h = ReplHelper::new(None, false);
        let (start, pairs) = h.candidates("mee", 3);
        assert_eq!(start, 0);
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].replacement, "meetings ");
    }

    #[test]
    fn offers_only_what_the_parser_accepts() {
        let h = ReplHelper::new(None, false);
        let after_collection = words(&h, "meetings ");
        assert!(after_collection.contains(&"where".to_string()), "{after_collection:?}");
        assert!(after_collection.contains(&"count".to_string()));
        assert!(!after_collection.contains(&"org".to_string()), "a field cannot follow a collection");
        let after_where = words(&h, "meetings where ");
        assert!(after_where.contains(&"org".to_string()), "{after_where:?}");
        assert!(!after_where.contains(&"where".to_string()));
        let after_cond = words(&h, "meetings where org = \"UN\" ");
        assert!(after_cond.contains(&"and".to_string()), "{after_cond:?}");
        assert!(!after_cond.contains(&"org".to_string()));
        assert_eq!(words(&h, "meetings count by ye"), ["year"]);
        // The parser takes any word where a field goes; the planner does not.
        assert!(!after_where.contains(&"name".to_string()) && !after_where.contains(&"year".to_string()));
        let after_count_by = words(&h, "meetings count by ");
        assert!(after_count_by.contains(&"year".to_string()) && after_count_by.contains(&"org".to_string()));
        assert!(!after_count_by.contains(&"name".to_string()) && !after_count_by.contains(&"text".to_string()));
        let inside = words(&h, "meetings where participant { ");
        assert!(inside.contains(&"name".to_string()) && !inside.contains(&"person".to_string()), "{inside:?}");
        assert_eq!(words(&h, "meetings where kind = \""), ["meeting", "call", "video"]);
    }

    #[test]
    fn completes_meta_commands_and_arguments() {
        let h = ReplHelper::new(None, false);
        assert_eq!(words(&h, ".mo"), [".mode"]);
        assert_eq!(words(&h, ".mode js"), ["json", "jsonl"]);
        assert_eq!(words(&h, ".timer o"), ["on", "off"]);
    }

    #[test]
    fn completes_stored_values_with_the_closing_quote() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path()).unwrap();
        let m: crate::Meeting = serde_json::from_str(
            r#"{"date": "2024-01-17", "orgs": ["UNRCCA", "UN"], "participants": [{"name": "Kaha Imnadze"}]}"#,
        )
        .unwrap();
        engine.insert(m).unwrap();
        let h = ReplHelper::new(Some(engine), false);
        let line = "meetings where person = \"Kaha Im";
        let (start, pairs) = h.candidates(line, line.len());
        assert_eq!(start, line.find('"').unwrap());
        assert_eq!(pairs.iter().map(|p| p.replacement.as_str()).collect::<Vec<_>>(), ["\"Kaha Imnadze\""]);
        let line = "meetings where org = \"un";
        let reps: Vec<String> = h.candidates(line, line.len()).1.into_iter().map(|p| p.replacement).collect();
        assert!(reps.contains(&"\"UNRCCA\"".to_string()) && reps.contains(&"\"UN\"".to_string()), "{reps:?}");
        let line = "meetings where participant { name = \"ka";
        assert_eq!(h.candidates(line, line.len()).1.len(), 1);
        // Values of a field with no index are not offered.
        assert!(h.candidates("meetings where text = \"ka", 25).1.is_empty());
    }

    #[test]
    fn validates_complete_and_continued_input() {
        assert!(is_complete("meetings count"));
        assert!(is_complete("meetings wher org = \"UN\";"));
        assert!(is_complete("meetings count; orgs limit 3"));
        assert!(is_complete(".mode json"));
        assert!(!is_complete("meetings where (org = \"OSCE\""));
        assert!(!is_complete("meetings where org = \"OSC"));
        assert!(!is_complete("meetings where"));
        assert!(!is_complete("meetings where org = \"UN\" and"));
        assert!(!is_complete("meetings where org ="));
        assert!(!is_complete("meetings where org in [\"UN\","));
        assert!(is_complete("meetings where (org = \"OSCE\"\n  or org = \"EU\") count"));
        // A meta-command on a continuation line runs; the statement before it waits.
        assert!(is_complete("meetings where (org = \"OSCE\"\n.help"));
        assert_eq!(meta_line("meetings where (\n .help "), Some(("meetings where (\n", ".help")));
        // Wrong, not unfinished: it runs and shows the error.
        assert!(is_complete("meetings wher org = \"UN\""));
    }

    #[test]
    fn highlights_tokens_and_marks_what_does_not_parse() {
        let h = ReplHelper::new(None, true);
        let s = h.colorize("meetings where org = \"UN\" and date >= 2024-01 limit 5");
        assert!(s.contains("\x1b[1;34mmeetings\x1b[0m"));
        assert!(s.contains("\x1b[36morg\x1b[0m"));
        assert!(s.contains("\x1b[32m\"UN\"\x1b[0m"));
        assert!(s.contains("\x1b[35m2024-01\x1b[0m"));
        assert!(s.contains("\x1b[33m5\x1b[0m"));
        let bad = h.colorize("meetings wher org = \"UN\"");
        assert!(bad.contains("\x1b[4;31mwher org = \"UN\"\x1b[0m"), "{bad:?}");
        // Unfinished is not wrong.
        assert!(!h.colorize("meetings where org =").contains("4;31"));
        // Colour off: the line as typed.
        assert_eq!(ReplHelper::new(None, false).colorize("meetings count"), "meetings count");
    }
}
