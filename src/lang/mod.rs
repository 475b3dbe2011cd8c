//! The query language: AST, parser (nom 8), canonical printer, and a forgiving tokenizer for
//! the REPL's highlighting and completion.
//!
//! **Invariant:** this module knows nothing of sled, indexes or records; it turns text into an
//! [`ast::Statement`] or a positioned [`crate::QueryError`].

pub mod ast;
mod display;
mod parser;

pub use parser::{parse_query, parse_script, parse_statement, tokenize, ScriptItem, Token, TokenKind, KEYWORDS};
