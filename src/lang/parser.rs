//! The parser: query text to [`Statement`], or a [`QueryError`] that points at the mistake.
//!
//! The grammar is written once, in `grammar/meetql.ebnf`; every parser function below opens with
//! the rule it implements. nom 8 is the engine: a function returns `Err(Error)` when its input
//! does not start with what it parses (so an alternative may be tried), and `Err(Failure)` once
//! it has committed (after a keyword), carrying a [`QueryError`] built here from the position.
//!
//! **Invariants:**
//! - the parser checks syntax only; whether a field exists is the planner's job;
//! - every span is a byte range of the original text, on character boundaries;
//! - `and`/`or` chains and runs of `not` are parsed with loops; only parentheses and
//!   `participant { }` recurse, and nesting is capped at [`MAX_DEPTH`], so no input can
//!   overflow the stack;
//! - no input panics, however malformed.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_while};
use nom::character::complete::{char, digit1, multispace1, satisfy};
use nom::combinator::{cut, opt, recognize, value as to, verify};
use nom::error::{ErrorKind, ParseError};
use nom::multi::many0_count;
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::ast::{
    CmpOp, Collection, Count, Expr, Field, Limit, Order, Query, Span, Statement, Value, ValueKind, MAX_DEPTH,
};
use crate::error::{closest, QueryError, QueryErrorKind};
use crate::model::PartialDate;

/// Every keyword of the language, lower-case. Keywords are matched case-insensitively and cannot
/// be used as field names.
pub const KEYWORDS: &[&str] = &[
    "meetings",
    "people",
    "orgs",
    "countries",
    "topics",
    "where",
    "count",
    "by",
    "order",
    "asc",
    "desc",
    "limit",
    "offset",
    "select",
    "and",
    "or",
    "not",
    "in",
    "between",
    "contains",
    "starts",
    "with",
    "exists",
    "participant",
    "explain",
    "let",
    "expect",
];

/// Inputs longer than this (in bytes) are refused with [`QueryErrorKind::TooLong`].
pub const MAX_INPUT: usize = 16 << 20;

const VALUE: &str = "a value: a string, a date, a number or a $parameter";
const STRING: &str = "a string or a $parameter";
const CONDITION: &str = "a condition: a field and an operator, 'not', '(' or 'participant {'";
const OPERATOR: &str = "an operator: =, !=, <, <=, >, >=, in, between, contains, starts with or exists";
const NUMBER: &str = "a whole number";
const COLLECTION: &str = "a collection: meetings, people, orgs, countries or topics";
const STATEMENT: &str = "a statement: a query (meetings, people, orgs, countries, topics), explain, let or expect";
const KEY: &str = "a field, year or month";

/// One statement of a script, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptItem {
    /// The statement.
    pub statement: Statement,
    /// Its text in the script, without the `;` that ends it (byte offsets of the script).
    pub span: Span,
}

/// What a [`Token`] of [`tokenize`] is, for highlighting and completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word of [`KEYWORDS`], in any case.
    Keyword,
    /// Any other identifier (a field name).
    Field,
    /// A double-quoted string, closed.
    Str,
    /// `2024`, `2024-01`, `2024-01-17` (a valid date).
    Date,
    /// Any other run of digits.
    Int,
    /// `$name`.
    Param,
    /// `=`, `!=`, `<`, `<=`, `>`, `>=`.
    Op,
    /// `(`, `)`, `[`, `]`, `{`, `}`, `,`, `;`.
    Punct,
    /// `-- ...` to the end of the line.
    Comment,
    /// Anything that cannot be lexed: an unclosed string, an invalid date, a stray character.
    Error,
}

/// A token of [`tokenize`]: its kind and where it is (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Where it is.
    pub span: Span,
}

/// Splits `input` into tokens for the REPL's highlighter and completer. It never fails: what it
/// cannot lex becomes a [`TokenKind::Error`] token. White space is not a token.
///
/// ```
/// use meetql::lang::{tokenize, TokenKind};
/// let kinds: Vec<TokenKind> = tokenize("meetings where org = \"UN\"").iter().map(|t| t.kind).collect();
/// assert_eq!(kinds, [TokenKind::Keyword, TokenKind::Keyword, TokenKind::Field, TokenKind::Op, TokenKind::Str]);
/// ```
pub fn tokenize(input: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < input.len() {
        let rest = &input[pos..];
        let trimmed = rest.trim_start_matches(is_space);
        pos += rest.len() - trimmed.len();
        if trimmed.is_empty() {
            break;
        }
        let (kind, len) = lex_one(trimmed);
        tokens.push(Token { kind, span: Span::new(pos, pos + len) });
        pos += len;
    }
    tokens
}

/// Parses one statement: a query, `explain query`, `let $name = value` or
/// `expect count op int`, with an optional `;` after it.
///
/// ```
/// use meetql::lang::{parse_statement, ast::Statement};
/// let s = parse_statement("let $org = \"UNRCCA\";").unwrap();
/// assert!(matches!(s, Statement::Let { ref name, .. } if name == "org"));
/// let e = parse_statement("meetings wher org = \"UN\"").unwrap_err();
/// assert_eq!(e.suggestion.as_deref(), Some("'where'"));
/// ```
pub fn parse_statement(input: &str) -> Result<Statement, QueryError> {
    Ctx::new(input)?.single(input, |c, i| c.statement(i))
}

/// Parses one query, with an optional `;` after it.
///
/// ```
/// use meetql::lang::parse_query;
/// let q = parse_query("meetings where org = \"UNRCCA\" and date >= 2024-01 limit 5").unwrap();
/// assert_eq!(q.to_string(), "meetings where org = \"UNRCCA\" and date >= 2024-01 limit 5");
/// ```
pub fn parse_query(input: &str) -> Result<Query, QueryError> {
    Ctx::new(input)?.single(input, |c, i| c.query(i, ""))
}

/// Parses a whole script: statements separated by `;` (optional after the last; empty
/// statements are skipped). Nothing is returned unless the whole script parses; the first error
/// is returned with its span in the script's byte offsets.
///
/// ```
/// use meetql::lang::parse_script;
/// let src = "let $y = 2024;\nmeetings where date = $y count;\nexpect count >= 1";
/// let items = parse_script(src).unwrap();
/// assert_eq!(items.len(), 3);
/// assert_eq!(&src[items[2].span.start..items[2].span.end], "expect count >= 1");
/// ```
pub fn parse_script(input: &str) -> Result<Vec<ScriptItem>, QueryError> {
    let ctx = Ctx::new(input)?;
    ctx.script(input).map_err(|e| ctx.finish(e))
}

// ---------------------------------------------------------------------------------------------
// The error type nom carries.

/// nom's error: where (as the length of the rest of the input) and, once committed, the
/// [`QueryError`] built for people.
#[derive(Debug)]
struct PErr {
    rest_len: usize,
    err: Option<Box<QueryError>>,
}

impl<'a> ParseError<&'a str> for PErr {
    fn from_error_kind(input: &'a str, _: ErrorKind) -> Self {
        PErr { rest_len: input.len(), err: None }
    }

    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }
}

type Res<'a, T> = IResult<&'a str, T, PErr>;

fn failure<T>(e: QueryError) -> Res<'static, T> {
    Err(nom::Err::Failure(PErr { rest_len: 0, err: Some(Box::new(e)) }))
}

// ---------------------------------------------------------------------------------------------
// Lexical rules: free functions on the rest of the input.

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// White space and `comment`s between tokens: `{ " " | tab | end of line | comment }`.
fn sp(i: &str) -> Res<'_, ()> {
    let comment = recognize((tag("--"), take_till(|c| c == '\n')));
    let (i, _) = many0_count(alt((multispace1, comment))).parse(i)?;
    Ok((i, ()))
}

/// The input after white space and comments.
fn skip(i: &str) -> &str {
    sp(i).map_or(i, |(r, _)| r)
}

/// `identifier := (letter | "_") { letter | digit | "_" }` (ASCII)
fn ident(i: &str) -> Res<'_, &str> {
    let first = satisfy(|c| c.is_ascii_alphabetic() || c == '_');
    recognize((first, take_while(|c: char| c.is_ascii_alphanumeric() || c == '_'))).parse(i)
}

/// `keyword := identifier` equal to `k` ignoring case, after white space.
fn kw<'a>(k: &'static str) -> impl Fn(&'a str) -> Res<'a, &'a str> {
    move |i| preceded(sp, verify(ident, |w: &str| w.eq_ignore_ascii_case(k))).parse(i)
}

/// The symbol `c`, after white space.
fn punct<'a>(c: char) -> impl Fn(&'a str) -> Res<'a, char> {
    move |i| preceded(sp, char(c)).parse(i)
}

fn is_keyword(w: &str) -> bool {
    KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(w))
}

/// A run of digits and dashes, `digit { digit } { "-" digit { digit } }`: a `date` when it has a
/// `-` or four digits, else an `int`.
fn number(i: &str) -> Res<'_, &str> {
    recognize((digit1, many0_count((char('-'), digit1)))).parse(i)
}

/// `op := "=" | "!=" | "<" | "<=" | ">" | ">="`
fn op(i: &str) -> Res<'_, CmpOp> {
    alt((
        to(CmpOp::Ne, tag("!=")),
        to(CmpOp::Le, tag("<=")),
        to(CmpOp::Ge, tag(">=")),
        to(CmpOp::Eq, tag("=")),
        to(CmpOp::Lt, tag("<")),
        to(CmpOp::Gt, tag(">")),
    ))
    .parse(i)
}

/// Where the string starting at `i` (with its `"`) ends, if it is closed.
fn string_end(i: &str) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in i.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(at + 1),
            _ => {}
        }
    }
    None
}

/// Lexes one token at the start of `i`, which is not empty and starts with no white space.
/// Returns its kind and its length in bytes (at least one character).
fn lex_one(i: &str) -> (TokenKind, usize) {
    let Some(c) = i.chars().next() else {
        return (TokenKind::Error, 0);
    };
    if i.starts_with("--") {
        return (TokenKind::Comment, i.find('\n').unwrap_or(i.len()));
    }
    match c {
        '"' => match string_end(i) {
            Some(len) => (TokenKind::Str, len),
            None => (TokenKind::Error, i.len()),
        },
        '0'..='9' => {
            let text = number(i).map_or(&i[..1], |(_, t)| t);
            let kind = if text.contains('-') || text.len() == 4 {
                match text.parse::<PartialDate>() {
                    Ok(_) => TokenKind::Date,
                    Err(_) if text.contains('-') => TokenKind::Error,
                    Err(_) => TokenKind::Int,
                }
            } else {
                TokenKind::Int
            };
            (kind, text.len())
        }
        '$' => match ident(&i[1..]) {
            Ok((_, name)) => (TokenKind::Param, 1 + name.len()),
            Err(_) => (TokenKind::Error, 1),
        },
        _ if c.is_ascii_alphabetic() || c == '_' => {
            let w = ident(i).map_or(&i[..1], |(_, w)| w);
            (if is_keyword(w) { TokenKind::Keyword } else { TokenKind::Field }, w.len())
        }
        '=' | '!' | '<' | '>' => match op(i) {
            Ok((rest, _)) => (TokenKind::Op, i.len() - rest.len()),
            Err(_) => (TokenKind::Error, 1),
        },
        '(' | ')' | '[' | ']' | '{' | '}' | ',' | ';' => (TokenKind::Punct, 1),
        _ => (TokenKind::Error, c.len_utf8()),
    }
}

/// `'where', 'count' or the end of the statement`
fn one_of(words: &[&str], end: bool) -> String {
    let mut items: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    if end {
        items.push("the end of the statement".into());
    }
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// At most 30 characters of `text`, with `…` when cut.
fn clip(text: &str) -> String {
    match text.char_indices().nth(30) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The grammar: methods of a context that knows the whole text, to turn positions into spans.

struct Ctx<'s> {
    src: &'s str,
}

impl<'s> Ctx<'s> {
    fn new(src: &'s str) -> Result<Ctx<'s>, QueryError> {
        if src.len() > MAX_INPUT {
            let msg =
                format!("the input is too long: {} bytes, at most {} MiB are accepted", src.len(), MAX_INPUT >> 20);
            return Err(QueryError::new(QueryErrorKind::TooLong, Span::new(0, 0), msg));
        }
        Ok(Ctx { src })
    }

    /// Byte offset of `rest` in the source.
    fn off(&self, rest: &str) -> usize {
        self.src.len() - rest.len()
    }

    /// The span from `from` to `to`, two rests of the source.
    fn span(&self, from: &str, to: &str) -> Span {
        Span::new(self.off(from), self.off(to))
    }

    /// Turns nom's error into the error for people.
    fn finish(&self, e: nom::Err<PErr>) -> QueryError {
        match e {
            nom::Err::Error(p) | nom::Err::Failure(p) => match p.err {
                Some(e) => *e,
                None => {
                    let rest = &self.src[self.src.len() - p.rest_len.min(self.src.len())..];
                    let (found, span) = self.found(rest);
                    QueryError::new(QueryErrorKind::Syntax, span, format!("unexpected {found}"))
                }
            },
            nom::Err::Incomplete(_) => QueryError::new(QueryErrorKind::Syntax, Span::new(0, 0), "incomplete input"),
        }
    }

    /// The token at `i` (after white space), described for a message, and its span.
    fn found(&self, i: &str) -> (String, Span) {
        let i = skip(i);
        let at = self.off(i);
        if i.is_empty() {
            return ("end of input".into(), Span::new(at, at));
        }
        let (kind, len) = lex_one(i);
        let text = &i[..len];
        let desc = match kind {
            TokenKind::Str => clip(text),
            TokenKind::Error if text.starts_with('"') => clip(text),
            _ => format!("'{}'", clip(text)),
        };
        (desc, Span::new(at, at + len))
    }

    /// A committed syntax error at the token at `i`: `{what}, found {token}`, expecting `expected`.
    fn fail<T>(&self, i: &str, what: &str, expected: &str) -> Res<'s, T> {
        let (found, span) = self.found(i);
        failure(QueryError::new(QueryErrorKind::Syntax, span, format!("{what}, found {found}")).expected(expected))
    }

    /// A committed error for an unexpected word (or token) at `i` where one of `words` (or the
    /// end of the statement, when `end`) belongs, suggesting the closest word.
    fn unexpected<T>(&self, i: &str, words: &[&str], end: bool, what: &str) -> Res<'s, T> {
        let i = skip(i);
        let (found, span) = self.found(i);
        let expected = format!("{what}{}", one_of(words, end));
        match ident(i) {
            Ok((_, w)) => {
                let mut e = QueryError::new(QueryErrorKind::Syntax, span, format!("unexpected word '{}'", clip(w)))
                    .expected(expected);
                if let Some(s) = closest(w, words.iter().copied()) {
                    e = e.suggest(format!("'{s}'"));
                }
                failure(e)
            }
            Err(_) => {
                failure(QueryError::new(QueryErrorKind::Syntax, span, format!("unexpected {found}")).expected(expected))
            }
        }
    }

    /// The error for nesting deeper than [`MAX_DEPTH`], at the token at `i`.
    fn too_deep<T>(&self, i: &str) -> Res<'s, T> {
        let (_, span) = self.found(i);
        let msg = format!("the expression is nested too deeply: at most {MAX_DEPTH} levels of parentheses, 'not' and 'participant' are allowed");
        failure(QueryError::new(QueryErrorKind::TooDeep, span, msg))
    }

    /// The closing symbol `c`, or an error: [`QueryErrorKind::Unclosed`] pointing at `opener` when the
    /// statement ends first, else a syntax error at what stands there.
    fn close(&self, i: &'s str, c: char, opener: &'s str, what: &str, expected: &str) -> Res<'s, ()> {
        if let Ok((i, _)) = punct(c)(i) {
            return Ok((i, ()));
        }
        let rest = skip(i);
        if rest.is_empty() || rest.starts_with(';') {
            let open = opener.chars().next().unwrap_or('(');
            let (found, _) = self.found(rest);
            let at = self.off(opener);
            let msg = format!("unclosed '{open}': no '{c}' before {found}");
            return failure(
                QueryError::new(QueryErrorKind::Unclosed, Span::new(at, at + open.len_utf8()), msg)
                    .expected(format!("'{c}' to close it")),
            );
        }
        self.fail(i, what, expected)
    }

    /// Runs `p` on the whole of `input`, allowing one `;` after it.
    fn single<T>(&self, input: &'s str, p: impl Fn(&Self, &'s str) -> Res<'s, T>) -> Result<T, QueryError> {
        let run = || -> Res<'s, T> {
            let (i, t) = p(self, input)?;
            let (i, _) = opt(punct(';')).parse(i)?;
            let i = skip(i);
            if !i.is_empty() {
                return self.fail(i, "only one statement is expected here", "the end of input");
            }
            Ok((i, t))
        };
        run().map(|(_, t)| t).map_err(|e| self.finish(e))
    }

    /// `script := [ statement ] { ";" [ statement ] }`
    fn script(&self, input: &'s str) -> Result<Vec<ScriptItem>, nom::Err<PErr>> {
        let mut items = Vec::new();
        let mut i = skip(input);
        while !i.is_empty() {
            if let Some(rest) = i.strip_prefix(';') {
                i = skip(rest);
                continue;
            }
            let (rest, statement) = self.statement(i)?;
            items.push(ScriptItem { statement, span: self.span(i, rest) });
            i = skip(rest);
        }
        Ok(items)
    }

    /// The end of a statement (`";"` or the end of input), or an error naming what else may
    /// follow here.
    fn end(&self, i: &'s str, words: &[&str]) -> Res<'s, ()> {
        let rest = skip(i);
        if rest.is_empty() || rest.starts_with(';') {
            Ok((i, ()))
        } else {
            self.unexpected(rest, words, true, "")
        }
    }

    /// `statement := query | "explain" query | "let" $name "=" value | "expect" "count" op int`
    fn statement(&self, i: &'s str) -> Res<'s, Statement> {
        let i = skip(i);
        if let Ok((r, _)) = kw("explain")(i) {
            let (r, q) = self.query(r, " after 'explain'")?;
            return Ok((r, Statement::Explain(q)));
        }
        if let Ok((r, _)) = kw("let")(i) {
            return self.let_(r);
        }
        if let Ok((r, _)) = kw("expect")(i) {
            return self.expect(i, r);
        }
        let Ok((_, w)) = ident(i) else {
            return self.fail(i, "expected a statement", STATEMENT);
        };
        if !Collection::ALL.iter().any(|c| c.keyword().eq_ignore_ascii_case(w)) {
            let words = ["meetings", "people", "orgs", "countries", "topics", "explain", "let", "expect"];
            return self.unexpected(i, &words, false, "a statement: ");
        }
        let (r, q) = self.query(i, "")?;
        Ok((r, Statement::Query(q)))
    }

    /// `let := "let" $name "=" value`
    fn let_(&self, i: &'s str) -> Res<'s, Statement> {
        let i = skip(i);
        let (r, name) = match self.param(i) {
            Err(nom::Err::Error(_)) => {
                return self.fail(i, "expected a parameter such as $name after 'let'", "a parameter: $ and a name")
            }
            r => r?,
        };
        let span = self.span(i, r);
        let Ok((r, _)) = punct('=')(r) else {
            return self.fail(r, &format!("expected '=' after '${name}'"), "'='");
        };
        let (r, value) = self.value_after(r, "'='", VALUE)?;
        let (r, _) = self.end(r, &[])?;
        Ok((r, Statement::Let { name, span, value }))
    }

    /// `expect := "expect" "count" op int`
    fn expect(&self, start: &'s str, i: &'s str) -> Res<'s, Statement> {
        let Ok((r, _)) = kw("count")(i) else {
            return self.fail(i, "expected 'count' after 'expect'", "'count'");
        };
        let Ok((r, op)) = preceded(sp, op).parse(r) else {
            return self.fail(r, "expected a comparison after 'expect count'", "=, !=, <, <=, > or >=");
        };
        let (r, count) = self.uint(r, &format!("'{}'", op.symbol()))?;
        let span = self.span(start, r);
        let (r, _) = self.end(r, &[])?;
        Ok((r, Statement::Expect { op, count, span }))
    }

    /// `query := collection ["where" expr] ["count" ["by" key]] ["order" "by" key ["asc"|"desc"]]
    ///           ["limit" int ["offset" int]] ["select" field {"," field}]`
    fn query(&self, i: &'s str, after: &str) -> Res<'s, Query> {
        let i = skip(i);
        let (r, collection) = self.collection(i, after)?;
        let collection_span = self.span(i, r);
        // What may follow the clauses parsed so far, for the error at an unexpected word.
        let mut next: &[&str] = &["where", "count", "order", "limit", "select"];

        let (r, filter) = opt(preceded(kw("where"), cut(|i| self.expr(i, 0, "'where'")))).parse(r)?;
        if filter.is_some() {
            next = &["and", "or", "count", "order", "limit", "select"];
        }

        let (r, count) = match kw("count")(r) {
            Ok((r, _)) => match kw("by")(r) {
                Ok((r, _)) => {
                    next = &["order", "limit", "select"];
                    let (r, key) = self.key(r, "'by'")?;
                    (r, Some(Count::By(key)))
                }
                Err(_) => {
                    next = &["by", "order", "limit", "select"];
                    (r, Some(Count::Total))
                }
            },
            Err(_) => (r, None),
        };

        let (r, order) = match kw("order")(r) {
            Ok((r, _)) => {
                let Ok((r, _)) = kw("by")(r) else {
                    return self.fail(r, "expected 'by' after 'order'", "'by'");
                };
                let (r, key) = self.key(r, "'order by'")?;
                let (r, dir) = opt(alt((kw("asc"), kw("desc")))).parse(r)?;
                next = if dir.is_some() { &["limit", "select"] } else { &["asc", "desc", "limit", "select"] };
                let descending = dir.is_some_and(|d| d.eq_ignore_ascii_case("desc"));
                (r, Some(Order { key, descending }))
            }
            Err(_) => (r, None),
        };

        let (r, limit) = match kw("limit")(r) {
            Ok((r, _)) => {
                let (r, limit) = self.uint(r, "'limit'")?;
                let (r, offset) = match kw("offset")(r) {
                    Ok((r, _)) => {
                        let (r, n) = self.uint(r, "'offset'")?;
                        (r, Some(n))
                    }
                    Err(_) => (r, None),
                };
                next = if offset.is_some() { &["select"] } else { &["offset", "select"] };
                (r, Some(Limit { limit, offset }))
            }
            Err(_) => (r, None),
        };

        let (r, select) = match kw("select")(r) {
            Ok((mut r, _)) => {
                let mut fields = Vec::new();
                let mut after = "'select'";
                loop {
                    let (rest, f) = self.field_after(r, after, "a field")?;
                    fields.push(f);
                    r = rest;
                    match punct(',')(r) {
                        Ok((rest, _)) => {
                            r = rest;
                            after = "','";
                        }
                        Err(_) => break,
                    }
                }
                next = &[];
                (r, fields)
            }
            Err(_) => (r, Vec::new()),
        };

        if next.is_empty() {
            // After `select a, b` only `,` or the end may follow.
            let rest = skip(r);
            if !(rest.is_empty() || rest.starts_with(';')) {
                return self.fail(
                    rest,
                    "expected ',' or the end of the statement after the selected fields",
                    "',' or the end of the statement",
                );
            }
        }
        let (r, _) = self.end(r, next)?;
        Ok((r, Query { collection, collection_span, filter, count, order, limit, select }))
    }

    /// `collection := "meetings" | "people" | "orgs" | "countries" | "topics"`
    fn collection(&self, i: &'s str, after: &str) -> Res<'s, Collection> {
        let words = Collection::ALL.map(Collection::keyword);
        match ident(i) {
            Ok((r, w)) => match Collection::ALL.into_iter().find(|c| c.keyword().eq_ignore_ascii_case(w)) {
                Some(c) => Ok((r, c)),
                None => self.unexpected(i, &words, false, "a collection: "),
            },
            Err(_) => self.fail(i, &format!("expected a collection{after}"), COLLECTION),
        }
    }

    /// `key := field` (`year` and `month` are fields here)
    fn key(&self, i: &'s str, after: &str) -> Res<'s, Field> {
        self.field_after(i, after, KEY)
    }

    /// `field := identifier` that is not a keyword, lower-cased; committed: an error when absent.
    fn field_after(&self, i: &'s str, after: &str, expected: &str) -> Res<'s, Field> {
        let i = skip(i);
        match ident(i) {
            Ok((r, w)) if !is_keyword(w) => Ok((r, Field { name: w.to_ascii_lowercase(), span: self.span(i, r) })),
            Ok((_, w)) => {
                let (found, span) = self.found(i);
                let msg = format!("expected a field after {after}, found keyword {found}");
                failure(
                    QueryError::new(QueryErrorKind::Syntax, span, msg)
                        .expected(format!("{expected} ('{}' is a keyword)", w.to_ascii_lowercase())),
                )
            }
            Err(_) => self.fail(i, &format!("expected a field after {after}"), expected),
        }
    }

    /// `int := digit { digit }` (unsigned; four digits are just a number here)
    fn uint(&self, i: &'s str, after: &str) -> Res<'s, u64> {
        let i = skip(i);
        match number(i) {
            Ok((r, text)) if !text.contains('-') => match text.parse::<u64>() {
                Ok(n) => Ok((r, n)),
                Err(_) => failure(
                    QueryError::new(
                        QueryErrorKind::InvalidNumber,
                        self.span(i, r),
                        format!("the number {} is too large", clip(text)),
                    )
                    .expected(format!("a whole number up to {}", u64::MAX)),
                ),
            },
            _ => self.fail(i, &format!("expected a whole number after {after}"), NUMBER),
        }
    }

    /// `param := "$" identifier`; `Err(Error)` when `i` does not start with `$`.
    fn param(&self, i: &'s str) -> Res<'s, String> {
        let (r, _) = char('$')(i)?;
        match ident(r) {
            Ok((r, name)) => Ok((r, name.to_string())),
            Err(_) => {
                let at = self.off(i);
                failure(
                    QueryError::new(
                        QueryErrorKind::Syntax,
                        Span::new(at, at + 1),
                        "expected a parameter name after '$'",
                    )
                    .expected("a name: a letter or '_', then letters, digits or '_'"),
                )
            }
        }
    }

    /// `string := '"' { character but '"' or '\' | '\"' | '\\' } '"'`
    fn string(&self, i: &'s str) -> Res<'s, String> {
        let (mut r, _) = char('"')(i)?;
        let mut out = String::new();
        loop {
            let (rest, chunk) = take_till(|c| c == '"' || c == '\\')(r)?;
            out.push_str(chunk);
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some('"'), _) => return Ok((&rest[1..], out)),
                (Some('\\'), Some(c @ ('"' | '\\'))) => {
                    out.push(c);
                    r = &rest[2..];
                }
                (Some('\\'), Some(c)) => {
                    let at = self.off(rest);
                    let msg = format!("invalid escape '\\{c}' in a string: only \\\" and \\\\ are allowed");
                    return failure(
                        QueryError::new(QueryErrorKind::Syntax, Span::new(at, at + 1 + c.len_utf8()), msg)
                            .expected("\\\" or \\\\"),
                    );
                }
                _ => {
                    let at = self.off(i);
                    return failure(
                        QueryError::new(
                            QueryErrorKind::Unclosed,
                            Span::new(at, at + 1),
                            "unclosed string: no closing '\"' before end of input",
                        )
                        .expected("'\"' to close the string"),
                    );
                }
            }
        }
    }

    /// `value := string | date | int | $name`; `Err(Error)` when `i` starts with none of them.
    fn value(&self, i: &'s str) -> Res<'s, Value> {
        let i = skip(i);
        match self.string(i) {
            Ok((r, s)) => return Ok((r, Value { kind: ValueKind::Str(s), span: self.span(i, r) })),
            Err(nom::Err::Error(_)) => {}
            Err(e) => return Err(e),
        }
        match self.param(i) {
            Ok((r, name)) => return Ok((r, Value { kind: ValueKind::Param(name), span: self.span(i, r) })),
            Err(nom::Err::Error(_)) => {}
            Err(e) => return Err(e),
        }
        if let Some(rest) = i.strip_prefix('\'') {
            // A habit from SQL: say how strings are written here.
            let end = rest.find(['\'', '\n']).map_or(rest.len(), |e| e + 1);
            let at = self.off(i);
            let inner = rest[..end].trim_end_matches('\'');
            return failure(
                QueryError::new(
                    QueryErrorKind::Syntax,
                    Span::new(at, at + 1 + end),
                    "strings use double quotes, not single quotes",
                )
                .expected(format!("a string in double quotes: \"{}\"", clip(inner))),
            );
        }
        let (r, text) = number(i)?;
        let span = self.span(i, r);
        let kind = if text.contains('-') || text.len() == 4 {
            match text.parse::<PartialDate>() {
                Ok(d) => ValueKind::Date(d),
                Err(e) => {
                    return failure(
                        QueryError::new(QueryErrorKind::InvalidDate, span, e.message)
                            .expected("a date: YYYY, YYYY-MM or YYYY-MM-DD"),
                    )
                }
            }
        } else {
            match text.parse::<i64>() {
                Ok(n) => ValueKind::Int(n),
                Err(_) => {
                    return failure(
                        QueryError::new(
                            QueryErrorKind::InvalidNumber,
                            span,
                            format!("the number {} is too large", clip(text)),
                        )
                        .expected(format!("a number up to {}", i64::MAX)),
                    )
                }
            }
        };
        Ok((r, Value { kind, span }))
    }

    /// A committed [`Ctx::value`]: an error naming what it follows when there is none.
    fn value_after(&self, i: &'s str, after: &str, expected: &str) -> Res<'s, Value> {
        match self.value(i) {
            Err(nom::Err::Error(_)) => self.fail(i, &format!("expected a value after {after}"), expected),
            r => r,
        }
    }

    /// A committed string or parameter (for `contains` and `starts with`).
    fn text_after(&self, i: &'s str, after: &str) -> Res<'s, Value> {
        let (r, v) = self.value_after(i, after, STRING)?;
        match v.kind {
            ValueKind::Str(_) | ValueKind::Param(_) => Ok((r, v)),
            _ => self.fail(i, &format!("expected a string after {after}"), STRING),
        }
    }

    /// `expr := and { "or" and }`
    fn expr(&self, i: &'s str, depth: usize, after: &str) -> Res<'s, Expr> {
        let (mut i, first) = self.and(i, depth, after)?;
        let mut items = vec![first];
        while let Ok((r, _)) = kw("or")(i) {
            let (r, e) = self.and(r, depth, "'or'")?;
            items.push(e);
            i = r;
        }
        Ok((i, if items.len() == 1 { items.pop().expect("one item") } else { Expr::Or(items) }))
    }

    /// `and := not { "and" not }`
    fn and(&self, i: &'s str, depth: usize, after: &str) -> Res<'s, Expr> {
        let (mut i, first) = self.not(i, depth, after)?;
        let mut items = vec![first];
        while let Ok((r, _)) = kw("and")(i) {
            let (r, e) = self.not(r, depth, "'and'")?;
            items.push(e);
            i = r;
        }
        Ok((i, if items.len() == 1 { items.pop().expect("one item") } else { Expr::And(items) }))
    }

    /// `not := "not" not | atom` (a run of `not` is read with a loop)
    fn not(&self, i: &'s str, depth: usize, after: &str) -> Res<'s, Expr> {
        let mut i = i;
        let mut nots = 0;
        let mut after = after;
        while let Ok((r, _)) = kw("not")(i) {
            if depth + nots >= MAX_DEPTH {
                return self.too_deep(i);
            }
            nots += 1;
            after = "'not'";
            i = r;
        }
        let (i, mut e) = self.atom(i, depth + nots, after)?;
        for _ in 0..nots {
            e = Expr::Not(Box::new(e));
        }
        Ok((i, e))
    }

    /// `atom := "(" expr ")" | "participant" "{" expr "}" | field predicate`
    fn atom(&self, i: &'s str, depth: usize, after: &str) -> Res<'s, Expr> {
        let i = skip(i);
        if let Ok((r, _)) = punct('(')(i) {
            if depth >= MAX_DEPTH {
                return self.too_deep(i);
            }
            let (r, e) = self.expr(r, depth + 1, "'('")?;
            let (r, _) = self.close(r, ')', i, "expected 'and', 'or' or ')'", "'and', 'or' or ')'")?;
            return Ok((r, e));
        }
        if let Ok((r, _)) = kw("participant")(i) {
            if depth >= MAX_DEPTH {
                return self.too_deep(i);
            }
            let open = skip(r);
            let Ok((r, _)) = punct('{')(open) else {
                return self.fail(open, "expected '{' after 'participant'", "'{' and a condition on one participant");
            };
            let (r, inner) = self.expr(r, depth + 1, "'{'")?;
            let (r, _) = self.close(r, '}', open, "expected 'and', 'or' or '}'", "'and', 'or' or '}'")?;
            return Ok((r, Expr::Participant { inner: Box::new(inner), span: self.span(i, &i[11..]) }));
        }
        match ident(i) {
            Ok((_, w)) if !is_keyword(w) => {}
            _ => return self.fail(i, &format!("expected a condition after {after}"), CONDITION),
        }
        let (r, field) = self.field_after(i, after, CONDITION)?;
        self.predicate(r, field)
    }

    /// `predicate := op value | "in" "[" value { "," value } "]" | "between" value "and" value
    ///             | "contains" text | "starts" "with" text | "exists"`
    fn predicate(&self, i: &'s str, field: Field) -> Res<'s, Expr> {
        let i = skip(i);
        if let Ok((r, op)) = op(i) {
            let (r, value) = self.value_after(r, &format!("'{}'", op.symbol()), VALUE)?;
            return Ok((r, Expr::Compare { field, op, value }));
        }
        if let Ok((r, _)) = kw("in")(i) {
            let r = skip(r);
            let open = r;
            let Ok((mut r, _)) = punct('[')(r) else {
                return self.fail(r, "expected '[' after 'in'", "'[' and a list of values");
            };
            let mut values = Vec::new();
            let mut after = "'['";
            loop {
                let (rest, v) = self.value_after(r, after, VALUE)?;
                values.push(v);
                match punct(',')(rest) {
                    Ok((rest, _)) => {
                        r = rest;
                        after = "','";
                    }
                    Err(_) => {
                        r = rest;
                        break;
                    }
                }
            }
            let (r, _) = self.close(r, ']', open, "expected ',' or ']' in the list", "',' or ']'")?;
            return Ok((r, Expr::In { field, values }));
        }
        if let Ok((r, _)) = kw("between")(i) {
            let (r, low) = self.value_after(r, "'between'", VALUE)?;
            let Ok((r, _)) = kw("and")(r) else {
                return self.fail(r, "expected 'and' after the lower bound of 'between'", "'and' and the upper bound");
            };
            let (r, high) = self.value_after(r, "'between ... and'", VALUE)?;
            return Ok((r, Expr::Between { field, low, high }));
        }
        if let Ok((r, _)) = kw("contains")(i) {
            let (r, pattern) = self.text_after(r, "'contains'")?;
            return Ok((r, Expr::Contains { field, pattern }));
        }
        if let Ok((r, _)) = kw("starts")(i) {
            let Ok((r, _)) = kw("with")(r) else {
                return self.fail(r, "expected 'with' after 'starts'", "'with'");
            };
            let (r, prefix) = self.text_after(r, "'starts with'")?;
            return Ok((r, Expr::StartsWith { field, prefix }));
        }
        if let Ok((r, _)) = kw("exists")(i) {
            return Ok((r, Expr::Exists { field }));
        }
        let words = ["in", "between", "contains", "starts", "exists"];
        if let Ok((_, w)) = ident(i) {
            if let Some(s) = closest(w, words) {
                let (found, span) = self.found(i);
                let msg = format!("expected an operator after '{}', found {found}", field.name);
                let s = if s == "starts" { "starts with" } else { s };
                return failure(
                    QueryError::new(QueryErrorKind::Syntax, span, msg).expected(OPERATOR).suggest(format!("'{s}'")),
                );
            }
        }
        self.fail(i, &format!("expected an operator after '{}'", field.name), OPERATOR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        parse_query(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn filter(s: &str) -> Expr {
        q(&format!("meetings where {s}")).filter.expect("a filter")
    }

    fn field(name: &str) -> Field {
        Field { name: name.into(), span: Span::default() }
    }

    fn v(kind: ValueKind) -> Value {
        Value { kind, span: Span::default() }
    }

    fn s(text: &str) -> Value {
        v(ValueKind::Str(text.into()))
    }

    fn date(text: &str) -> Value {
        v(ValueKind::Date(text.parse().unwrap()))
    }

    fn cmp(f: &str, op: CmpOp, value: Value) -> Expr {
        Expr::Compare { field: field(f), op, value }
    }

    /// The error for `input`, checked to be of `kind`, at `at` (the text the span covers) and
    /// with `message`.
    #[track_caller]
    fn check_err(input: &str, kind: QueryErrorKind, at: &str, message: &str) -> QueryError {
        let e = parse_statement(input).expect_err(input);
        assert_eq!(e.kind, kind, "{input}: {e}");
        assert_eq!(&input[e.span.start..e.span.end], at, "{input}: {e}");
        assert_eq!(e.message, message, "{input}");
        e
    }

    #[test]
    fn parses_a_full_query() {
        let query = q("meetings where org = \"UNRCCA\" and date >= 2024-01 count by year order by date desc limit 5 offset 10 select city, country");
        assert_eq!(query.collection, Collection::Meetings);
        assert_eq!(
            query.filter,
            Some(Expr::And(vec![cmp("org", CmpOp::Eq, s("UNRCCA")), cmp("date", CmpOp::Ge, date("2024-01"))]))
        );
        assert_eq!(query.count, Some(Count::By(field("year"))));
        assert_eq!(query.order, Some(Order { key: field("date"), descending: true }));
        assert_eq!(query.limit, Some(Limit { limit: 5, offset: Some(10) }));
        assert_eq!(query.select, vec![field("city"), field("country")]);
    }

    #[test]
    fn keywords_are_case_insensitive_and_fields_lower_cased() {
        let query = q("MEETINGS Where ORG = \"UN\" Count");
        assert_eq!(query.filter, Some(cmp("org", CmpOp::Eq, s("UN"))));
        assert_eq!(query.count, Some(Count::Total));
    }

    #[test]
    fn values_dates_ints_params() {
        assert_eq!(filter("date = 2024"), cmp("date", CmpOp::Eq, date("2024")));
        assert_eq!(filter("date = 2024-02-29"), cmp("date", CmpOp::Eq, date("2024-02-29")));
        assert_eq!(filter("n = 42"), cmp("n", CmpOp::Eq, v(ValueKind::Int(42))));
        assert_eq!(filter("n = 12345"), cmp("n", CmpOp::Eq, v(ValueKind::Int(12345))));
        assert_eq!(filter("org = $Org"), cmp("org", CmpOp::Eq, v(ValueKind::Param("Org".into()))));
        assert_eq!(filter(r#"t = "a \"b\" \\ c""#), cmp("t", CmpOp::Eq, s(r#"a "b" \ c"#)));
        assert_eq!(q("meetings limit 2024").limit, Some(Limit { limit: 2024, offset: None }));
    }

    #[test]
    fn every_predicate() {
        assert_eq!(
            filter("country in [\"A\", \"B\"]"),
            Expr::In { field: field("country"), values: vec![s("A"), s("B")] }
        );
        assert_eq!(
            filter("date between 2024-01 and 2024-03"),
            Expr::Between { field: field("date"), low: date("2024-01"), high: date("2024-03") }
        );
        assert_eq!(filter("text contains \"x\""), Expr::Contains { field: field("text"), pattern: s("x") });
        assert_eq!(filter("person starts with \"K\""), Expr::StartsWith { field: field("person"), prefix: s("K") });
        assert_eq!(filter("summary exists"), Expr::Exists { field: field("summary") });
        assert_eq!(
            filter("participant { name = \"A\" }"),
            Expr::Participant { inner: Box::new(cmp("name", CmpOp::Eq, s("A"))), span: Span::default() }
        );
        for (text, op) in [
            ("=", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<", CmpOp::Lt),
            ("<=", CmpOp::Le),
            (">", CmpOp::Gt),
            (">=", CmpOp::Ge),
        ] {
            assert_eq!(filter(&format!("n {text} 1")), cmp("n", op, v(ValueKind::Int(1))));
        }
    }

    #[test]
    fn precedence_and_grouping() {
        let (a, b, c) = (cmp("a", CmpOp::Eq, s("1")), cmp("b", CmpOp::Eq, s("2")), cmp("c", CmpOp::Eq, s("3")));
        assert_eq!(
            filter("a = \"1\" or b = \"2\" and c = \"3\""),
            Expr::Or(vec![a.clone(), Expr::And(vec![b.clone(), c.clone()])])
        );
        assert_eq!(
            filter("(a = \"1\" or b = \"2\") and c = \"3\""),
            Expr::And(vec![Expr::Or(vec![a.clone(), b.clone()]), c.clone()])
        );
        assert_eq!(filter("((a = \"1\"))"), a.clone());
        assert_eq!(filter("not not a = \"1\""), Expr::Not(Box::new(Expr::Not(Box::new(a.clone())))));
        assert_eq!(filter("not a = \"1\" and b = \"2\""), Expr::And(vec![Expr::Not(Box::new(a)), b]));
    }

    #[test]
    fn spans_point_into_the_source() {
        let src = "meetings where  org = \"UN\"";
        let Some(Expr::Compare { field, value, .. }) = q(src).filter else { panic!() };
        assert_eq!(&src[field.span.start..field.span.end], "org");
        assert_eq!(&src[value.span.start..value.span.end], "\"UN\"");
    }

    #[test]
    fn statements() {
        assert!(matches!(parse_statement("explain meetings;").unwrap(), Statement::Explain(_)));
        let Statement::Let { name, value, .. } = parse_statement("let $y = 2024").unwrap() else { panic!() };
        assert_eq!((name.as_str(), value), ("y", date("2024")));
        let src = "expect count >= 1 -- at least one";
        let Statement::Expect { op, count, span } = parse_statement(src).unwrap() else { panic!() };
        assert_eq!((op, count, &src[span.start..span.end]), (CmpOp::Ge, 1, "expect count >= 1"));
    }

    #[test]
    fn scripts() {
        let src = "-- a script\nlet $org = \"UN\";;\nmeetings where org = $org; -- done\n\nexpect count > 0;\n";
        let items = parse_script(src).unwrap();
        assert_eq!(items.len(), 3);
        let texts: Vec<&str> = items.iter().map(|it| &src[it.span.start..it.span.end]).collect();
        assert_eq!(texts, ["let $org = \"UN\"", "meetings where org = $org", "expect count > 0"]);
        assert_eq!(parse_script("").unwrap(), vec![]);
        assert_eq!(parse_script(" ;; -- nothing\n").unwrap(), vec![]);
        // A string may hold `;` and `--`.
        assert_eq!(parse_script("meetings where t = \"a; -- b\"").unwrap().len(), 1);
    }

    #[test]
    fn script_errors_use_script_offsets() {
        let src = "meetings;\nmeetings where date = 2024-13;\npeople";
        let e = parse_script(src).unwrap_err();
        assert_eq!(e.kind, QueryErrorKind::InvalidDate);
        assert_eq!(&src[e.span.start..e.span.end], "2024-13");
        let loc = e.locate("s.mql", src).location.unwrap();
        assert_eq!((loc.line, loc.col), (2, 23));
        // The whole script is parsed first: a later error fails it all.
        assert!(parse_script("meetings; meetings where").is_err());
    }

    #[test]
    fn error_value_expected() {
        let e = check_err(
            "meetings where org = and",
            QueryErrorKind::Syntax,
            "and",
            "expected a value after '=', found 'and'",
        );
        assert_eq!(e.expected.as_deref(), Some(VALUE));
        check_err("meetings where org =", QueryErrorKind::Syntax, "", "expected a value after '=', found end of input");
        check_err("meetings where org = ;", QueryErrorKind::Syntax, ";", "expected a value after '=', found ';'");
        check_err(
            "meetings where org = 'UN' count",
            QueryErrorKind::Syntax,
            "'UN'",
            "strings use double quotes, not single quotes",
        );
    }

    #[test]
    fn error_unknown_keyword_suggests() {
        let e = check_err("meetings wher org = \"UN\"", QueryErrorKind::Syntax, "wher", "unexpected word 'wher'");
        assert_eq!(
            e.expected.as_deref(),
            Some("'where', 'count', 'order', 'limit', 'select' or the end of the statement")
        );
        assert_eq!(e.suggestion.as_deref(), Some("'where'"));
        let e =
            check_err("meetings where a = 1 ordr by date", QueryErrorKind::Syntax, "ordr", "unexpected word 'ordr'");
        assert_eq!(e.suggestion.as_deref(), Some("'order'"));
        let e = check_err("meetngs", QueryErrorKind::Syntax, "meetngs", "unexpected word 'meetngs'");
        assert_eq!(e.suggestion.as_deref(), Some("'meetings'"));
        let e = check_err(
            "meetings where org contain \"x\"",
            QueryErrorKind::Syntax,
            "contain",
            "expected an operator after 'org', found 'contain'",
        );
        assert_eq!(e.suggestion.as_deref(), Some("'contains'"));
        check_err("meetings limit 5 sleect a", QueryErrorKind::Syntax, "sleect", "unexpected word 'sleect'");
    }

    #[test]
    fn error_messages() {
        check_err("", QueryErrorKind::Syntax, "", "expected a statement, found end of input");
        check_err(
            "meetings where",
            QueryErrorKind::Syntax,
            "",
            "expected a condition after 'where', found end of input",
        );
        check_err(
            "meetings where and",
            QueryErrorKind::Syntax,
            "and",
            "expected a condition after 'where', found 'and'",
        );
        check_err(
            "meetings where a = 1 and",
            QueryErrorKind::Syntax,
            "",
            "expected a condition after 'and', found end of input",
        );
        check_err(
            "meetings where a = 1 or )",
            QueryErrorKind::Syntax,
            ")",
            "expected a condition after 'or', found ')'",
        );
        check_err(
            "meetings where not",
            QueryErrorKind::Syntax,
            "",
            "expected a condition after 'not', found end of input",
        );
        check_err("meetings where a", QueryErrorKind::Syntax, "", "expected an operator after 'a', found end of input");
        check_err(
            "meetings where count = 1",
            QueryErrorKind::Syntax,
            "count",
            "expected a condition after 'where', found 'count'",
        );
        check_err("meetings where (a = 1 b", QueryErrorKind::Syntax, "b", "expected 'and', 'or' or ')', found 'b'");
        check_err("meetings where a in \"x\"", QueryErrorKind::Syntax, "\"x\"", "expected '[' after 'in', found \"x\"");
        check_err(
            "meetings where a in [1 2]",
            QueryErrorKind::Syntax,
            "2",
            "expected ',' or ']' in the list, found '2'",
        );
        check_err("meetings where a in []", QueryErrorKind::Syntax, "]", "expected a value after '[', found ']'");
        check_err(
            "meetings where a between 1 or 2",
            QueryErrorKind::Syntax,
            "or",
            "expected 'and' after the lower bound of 'between', found 'or'",
        );
        check_err(
            "meetings where a contains 2024",
            QueryErrorKind::Syntax,
            "2024",
            "expected a string after 'contains', found '2024'",
        );
        check_err(
            "meetings where a starts \"x\"",
            QueryErrorKind::Syntax,
            "\"x\"",
            "expected 'with' after 'starts', found \"x\"",
        );
        check_err(
            "meetings where participant name = 1",
            QueryErrorKind::Syntax,
            "name",
            "expected '{' after 'participant', found 'name'",
        );
        check_err("meetings order date", QueryErrorKind::Syntax, "date", "expected 'by' after 'order', found 'date'");
        check_err(
            "meetings count by where",
            QueryErrorKind::Syntax,
            "where",
            "expected a field after 'by', found keyword 'where'",
        );
        check_err("meetings limit x", QueryErrorKind::Syntax, "x", "expected a whole number after 'limit', found 'x'");
        check_err(
            "meetings limit 10 offset",
            QueryErrorKind::Syntax,
            "",
            "expected a whole number after 'offset', found end of input",
        );
        check_err(
            "meetings select a b",
            QueryErrorKind::Syntax,
            "b",
            "expected ',' or the end of the statement after the selected fields, found 'b'",
        );
        check_err(
            "meetings; people",
            QueryErrorKind::Syntax,
            "people",
            "only one statement is expected here, found 'people'",
        );
        check_err(
            "let x = 1",
            QueryErrorKind::Syntax,
            "x",
            "expected a parameter such as $name after 'let', found 'x'",
        );
        check_err("let $x 1", QueryErrorKind::Syntax, "1", "expected '=' after '$x', found '1'");
        check_err("let $ = 1", QueryErrorKind::Syntax, "$", "expected a parameter name after '$'");
        check_err("expect rows > 1", QueryErrorKind::Syntax, "rows", "expected 'count' after 'expect', found 'rows'");
        check_err(
            "expect count 1",
            QueryErrorKind::Syntax,
            "1",
            "expected a comparison after 'expect count', found '1'",
        );
        check_err("meetings where a = 1 € 2", QueryErrorKind::Syntax, "€", "unexpected '€'");
        check_err("(meetings)", QueryErrorKind::Syntax, "(", "expected a statement, found '('");
    }

    #[test]
    fn error_unclosed() {
        check_err(
            "meetings where t = \"abc",
            QueryErrorKind::Unclosed,
            "\"",
            "unclosed string: no closing '\"' before end of input",
        );
        check_err("meetings where (a = 1", QueryErrorKind::Unclosed, "(", "unclosed '(': no ')' before end of input");
        check_err(
            "meetings where a in [1, 2",
            QueryErrorKind::Unclosed,
            "[",
            "unclosed '[': no ']' before end of input",
        );
        check_err(
            "meetings where participant { a = 1",
            QueryErrorKind::Unclosed,
            "{",
            "unclosed '{': no '}' before end of input",
        );
        let e = parse_script("meetings where (a = 1; people").unwrap_err();
        assert_eq!((e.kind, e.span), (QueryErrorKind::Unclosed, Span::new(15, 16)));
        assert_eq!(e.span.start, 15);
    }

    #[test]
    fn error_escapes() {
        let e = check_err(
            r#"meetings where t = "a\nb""#,
            QueryErrorKind::Syntax,
            r"\n",
            r#"invalid escape '\n' in a string: only \" and \\ are allowed"#,
        );
        assert_eq!(e.expected.as_deref(), Some(r#"\" or \\"#));
        check_err(
            "meetings where t = \"\\é\"",
            QueryErrorKind::Syntax,
            "\\é",
            "invalid escape '\\é' in a string: only \\\" and \\\\ are allowed",
        );
        check_err(
            "meetings where t = \"a\\",
            QueryErrorKind::Unclosed,
            "\"",
            "unclosed string: no closing '\"' before end of input",
        );
    }

    #[test]
    fn error_dates_and_numbers() {
        check_err(
            "meetings where date >= 2024-13",
            QueryErrorKind::InvalidDate,
            "2024-13",
            "invalid date 2024-13: month 13 does not exist (expected 01..12)",
        );
        check_err(
            "meetings where date = 2023-02-29 and a = 1",
            QueryErrorKind::InvalidDate,
            "2023-02-29",
            "invalid date 2023-02-29: day 29 does not exist in 2023-02 (expected 01..28)",
        );
        check_err(
            "meetings where date = 2024-1",
            QueryErrorKind::InvalidDate,
            "2024-1",
            "'2024-1' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
        );
        check_err(
            "meetings where date = 0000",
            QueryErrorKind::InvalidDate,
            "0000",
            "invalid date 0000: year 0 is out of range 0001..9999",
        );
        check_err(
            "let $d = 2024-00",
            QueryErrorKind::InvalidDate,
            "2024-00",
            "invalid date 2024-00: month 00 does not exist (expected 01..12)",
        );
        check_err(
            "meetings where n = 99999999999999999999",
            QueryErrorKind::InvalidNumber,
            "99999999999999999999",
            "the number 99999999999999999999 is too large",
        );
        check_err(
            "meetings limit 99999999999999999999",
            QueryErrorKind::InvalidNumber,
            "99999999999999999999",
            "the number 99999999999999999999 is too large",
        );
        check_err(
            "meetings limit 2024-01",
            QueryErrorKind::Syntax,
            "2024-01",
            "expected a whole number after 'limit', found '2024-01'",
        );
    }

    #[test]
    fn error_too_long() {
        let big = format!("meetings where t = \"{}\"", "x".repeat(MAX_INPUT));
        let e = parse_statement(&big).unwrap_err();
        assert_eq!(e.kind, QueryErrorKind::TooLong);
        assert_eq!(parse_script(&big).unwrap_err().kind, QueryErrorKind::TooLong);
    }

    /// Runs `f` on a thread with a 2 MiB stack, as the REPL's and tests' threads may have.
    fn on_small_stack(f: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new().stack_size(2 << 20).spawn(f).unwrap().join().unwrap();
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        on_small_stack(|| {
            for open in ["(", "not ", "participant { ", "not (", "participant { not ("] {
                let src = format!("meetings where {}", open.repeat(100_000));
                let e = parse_statement(&src).unwrap_err();
                assert_eq!(e.kind, QueryErrorKind::TooDeep, "{open}");
                assert!(e.message.contains("nested too deeply"));
                assert!(parse_script(&src).is_err());
            }
            // The 129th `(` is the one pointed at.
            let src = format!("meetings where {}a = 1{}", "(".repeat(200), ")".repeat(200));
            let e = parse_statement(&src).unwrap_err();
            assert_eq!(e.span.start, "meetings where ".len() + MAX_DEPTH);
        });
    }

    #[test]
    fn nesting_up_to_the_limit_parses() {
        on_small_stack(|| {
            let src = format!("meetings where {}a = 1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
            assert_eq!(parse_query(&src).unwrap().filter, Some(cmp("a", CmpOp::Eq, v(ValueKind::Int(1)))));
            let src = format!("meetings where {}a = 1", "not ".repeat(MAX_DEPTH));
            assert!(parse_query(&src).is_ok());
            let mixed = format!(
                "meetings where {}a = 1{}",
                "not (participant { ".repeat(MAX_DEPTH / 3),
                " })".repeat(MAX_DEPTH / 3)
            );
            let query = parse_query(&mixed).unwrap();
            assert_eq!(parse_query(&query.to_string()).unwrap(), query);
        });
    }

    #[test]
    fn long_chains_are_flat() {
        on_small_stack(|| {
            let src = format!("meetings where {}", vec!["a = 1"; 100_000].join(" and "));
            let Some(Expr::And(items)) = parse_query(&src).unwrap().filter else { panic!() };
            assert_eq!(items.len(), 100_000);
            let src = format!("meetings where {}", vec!["a = 1 and b = 2"; 50_000].join(" or "));
            let Some(Expr::Or(items)) = parse_query(&src).unwrap().filter else { panic!() };
            assert_eq!(items.len(), 50_000);
        });
    }

    #[test]
    fn unicode_never_splits_characters() {
        for src in [
            "meetings where ü",
            "meetings where a = é",
            "méetings",
            "meetings where t = \"日本\" and ö",
            "meetings where t = \"\\日\"",
            "👍",
            "meetings limit 💥",
        ] {
            let e = parse_statement(src).unwrap_err();
            assert!(src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end), "{src}: {e:?}");
            let _ = e.locate("<query>", src).to_string();
        }
        assert_eq!(filter("t = \"日本語 ü\""), cmp("t", CmpOp::Eq, s("日本語 ü")));
    }

    #[test]
    fn tokenizer() {
        use TokenKind::*;
        let src = "meetings WHERE org = \"U\\\"N\" and date >= 2024-01 -- c\n or n in [1, $p] ; 2024-13 \"open";
        let toks = tokenize(src);
        let got: Vec<(TokenKind, &str)> = toks.iter().map(|t| (t.kind, &src[t.span.start..t.span.end])).collect();
        assert_eq!(
            got,
            [
                (Keyword, "meetings"),
                (Keyword, "WHERE"),
                (Field, "org"),
                (Op, "="),
                (Str, "\"U\\\"N\""),
                (Keyword, "and"),
                (Field, "date"),
                (Op, ">="),
                (Date, "2024-01"),
                (Comment, "-- c"),
                (Keyword, "or"),
                (Field, "n"),
                (Keyword, "in"),
                (Punct, "["),
                (Int, "1"),
                (Punct, ","),
                (Param, "$p"),
                (Punct, "]"),
                (Punct, ";"),
                (Error, "2024-13"),
                (Error, "\"open"),
            ]
        );
        let got: Vec<TokenKind> = tokenize("! $ € 2024 12345 { }").iter().map(|t| t.kind).collect();
        assert_eq!(got, [Error, Error, Error, Date, Int, Punct, Punct]);
        assert!(tokenize("  \n ").is_empty());
    }

    #[test]
    fn keywords_list_is_complete() {
        for k in KEYWORDS {
            assert_eq!(tokenize(k)[0].kind, TokenKind::Keyword);
            assert!(parse_query(&format!("meetings where {k} = 1")).is_err(), "{k} is usable as a field");
        }
        // The reserved words are exactly those of the grammar file's `keyword` rule.
        let rule: String = GRAMMAR
            .lines()
            .skip_while(|l| !l.starts_with("keyword "))
            .take_while(|l| l.starts_with("keyword ") || l.starts_with(' '))
            .collect::<Vec<_>>()
            .join(" ");
        let mut in_grammar: Vec<&str> = rule.split('"').skip(1).step_by(2).collect();
        let mut listed = KEYWORDS.to_vec();
        in_grammar.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, in_grammar, "KEYWORDS and grammar/meetql.ebnf's keyword rule differ");
    }

    const GRAMMAR: &str = include_str!("../../grammar/meetql.ebnf");

    #[test]
    fn every_grammar_example_parses_and_round_trips() {
        let examples: Vec<&str> = GRAMMAR.lines().filter_map(|l| l.strip_prefix("-- example: ")).collect();
        assert!(examples.len() >= 40, "only {} examples", examples.len());
        for ex in examples {
            let st = parse_statement(ex).unwrap_or_else(|e| panic!("{ex}\n{}", e.locate("<example>", ex)));
            let printed = st.to_string();
            let again = parse_statement(&printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
            assert_eq!(again, st, "{ex} printed as {printed}");
            assert_eq!(again.to_string(), printed);
        }
    }

    /// Each rejected example of the grammar file, with what its error must say (the file's
    /// "because" is prose for readers; this is the parser's wording of it).
    const REJECTIONS: &[(&str, &str)] = &[
        ("meetings where org = and", "expected a value after '=', found 'and'"),
        ("meetings wher org = \"UN\"", "unexpected word 'wher'"),
        ("meetings where date >= 2024-13", "month 13 does not exist"),
        ("meetings where date = 2023-02-29", "day 29 does not exist in 2023-02"),
        ("meetings where (org = \"UN\"", "unclosed '('"),
        ("meetings where t = \"abc", "unclosed string"),
        ("meetings where t = \"a\\nb\"", "invalid escape '\\n'"),
        ("meetings where count = 1", "expected a condition after 'where', found 'count'"),
        ("meetings where a in []", "expected a value after '[', found ']'"),
        ("meetings limit 10 where a = 1", "unexpected word 'where'"),
        ("meetings limit 2024-01", "expected a whole number after 'limit'"),
        ("meetings where a contains 12", "expected a string after 'contains'"),
        ("let x = 1", "expected a parameter such as $name after 'let'"),
    ];

    #[test]
    fn every_grammar_rejection_fails_for_its_reason() {
        let rejected: Vec<&str> = GRAMMAR
            .lines()
            .filter_map(|l| l.strip_prefix("-- rejected: "))
            .map(|l| l.split(" -- because: ").next().unwrap_or(l))
            .collect();
        let listed: Vec<&str> = REJECTIONS.iter().map(|(q, _)| *q).collect();
        assert_eq!(rejected, listed, "the grammar file's rejections and this test's list differ");
        for (bad, why) in REJECTIONS {
            let e = parse_script(bad).expect_err(bad);
            let shown = e.clone().locate("<example>", bad).to_string();
            assert!(shown.contains(why), "{bad}: the error does not say {why:?}:\n{shown}");
            if !bad.starts_with("let ") {
                assert_eq!(parse_statement(bad).expect_err(bad), e, "{bad}: statement and script disagree");
            }
        }
        // The misspelt keyword gets its suggestion.
        let e = parse_statement("meetings wher org = \"UN\"").unwrap_err();
        assert!(e.locate("<q>", "meetings wher org = \"UN\"").to_string().contains("did you mean 'where'?"));
    }

    #[test]
    fn grammar_names_every_keyword() {
        for k in KEYWORDS {
            assert!(GRAMMAR.contains(&format!("\"{k}\"")), "{k} missing from the grammar");
        }
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

            #[test]
            fn arbitrary_text_never_panics(src in "\\PC{0,80}") {
                let _ = parse_statement(&src);
                let _ = parse_script(&src);
                let toks = tokenize(&src);
                for t in toks {
                    prop_assert!(t.span.start < t.span.end);
                    prop_assert!(src.is_char_boundary(t.span.start) && src.is_char_boundary(t.span.end));
                }
                if let Err(e) = parse_script(&src) {
                    prop_assert!(src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end));
                    let _ = e.locate("<p>", &src).to_string();
                }
            }

            #[test]
            fn query_like_text_never_panics(parts in prop::collection::vec(prop::sample::select(vec![
                "meetings", "where", "org", "=", "\"UN\"", "and", "or", "not", "(", ")", "[", "]", "{", "}",
                "participant", "in", ",", "2024-01", "2024-13", "$p", "limit", "5", ";", "--", "\n", "\"",
                "\\", "between", "starts", "with", "é", "let", "expect", "count", ">=", "by", "select",
            ]), 0..30)) {
                let src = parts.join(" ");
                let _ = parse_statement(&src);
                if let Err(e) = parse_script(&src) {
                    prop_assert!(e.span.start <= e.span.end && e.span.end <= src.len());
                }
                let _ = tokenize(&src);
            }
        }
    }
}
