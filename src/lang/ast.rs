//! The abstract syntax tree of the query language (`grammar/meetql.ebnf`).
//!
//! Plain data: spans are kept on the nodes that errors point at, but [`Span`] compares equal to
//! every other span, so two trees that differ only in positions are equal. `Display` prints the
//! canonical query text, and parsing what it prints gives the same tree.
//!
//! **Invariant:** the AST knows nothing of which fields exist or which indexes answer them;
//! that is the planner's job (`crate::plan`).

use crate::model::PartialDate;

/// A byte range in the source text. All spans compare equal, so that equality of trees ignores
/// positions.
#[derive(Debug, Clone, Copy, Default, Eq)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

/// Consistent with `PartialEq`: all spans hash alike, so a [`Field`] hashes by its name only.
impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// `statement := query | "explain" query | "let" $name "=" value | "expect" "count" op int`
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// A query to run.
    Query(Query),
    /// `explain query`: show the plan instead of running it.
    Explain(Query),
    /// `let $name = value`: bind a parameter for the rest of the script.
    Let {
        /// The parameter's name, without `$`.
        name: String,
        /// Where `$name` is written.
        span: Span,
        /// The bound value (`let $a = $b` copies the value bound to `$b`).
        value: Value,
    },
    /// `expect count op int`: in a script, checks the row count of the statement before it.
    Expect {
        /// The comparison.
        op: CmpOp,
        /// The number compared with.
        count: u64,
        /// Where `expect` starts, to the end of the number.
        span: Span,
    },
}

/// `query := collection ["where" expr] ["count" ["by" key]] ["order" "by" key ["asc"|"desc"]]
///           ["limit" int ["offset" int]] ["select" field {"," field}]`
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// What the query lists.
    pub collection: Collection,
    /// Where `collection` is written.
    pub collection_span: Span,
    /// `where expr`.
    pub filter: Option<Expr>,
    /// `count` or `count by key`.
    pub count: Option<Count>,
    /// `order by key [asc|desc]`.
    pub order: Option<Order>,
    /// `limit n [offset m]`.
    pub limit: Option<Limit>,
    /// `select f, g`: empty when absent.
    pub select: Vec<Field>,
}

/// `collection := "meetings" | "people" | "orgs" | "countries" | "topics"`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    /// `meetings`: the records themselves.
    Meetings,
    /// `people`: distinct participant names with counts.
    People,
    /// `orgs`: distinct organisations with counts.
    Orgs,
    /// `countries`: distinct countries with counts.
    Countries,
    /// `topics`: distinct topics with counts.
    Topics,
}

impl Collection {
    /// The keyword that names this collection.
    pub fn keyword(self) -> &'static str {
        match self {
            Collection::Meetings => "meetings",
            Collection::People => "people",
            Collection::Orgs => "orgs",
            Collection::Countries => "countries",
            Collection::Topics => "topics",
        }
    }

    /// Every collection, in the grammar's order.
    pub const ALL: [Collection; 5] =
        [Collection::Meetings, Collection::People, Collection::Orgs, Collection::Countries, Collection::Topics];
}

/// `"count" ["by" key]`
#[derive(Debug, Clone, PartialEq)]
pub enum Count {
    /// `count`: one number.
    Total,
    /// `count by key`: one row per value of the key.
    By(Field),
}

/// `"order" "by" key ["asc" | "desc"]`
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// The sort key (a field, `year` or `month`).
    pub key: Field,
    /// `desc` given.
    pub descending: bool,
}

/// `"limit" int ["offset" int]`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// At most this many rows.
    pub limit: u64,
    /// Skip this many rows first.
    pub offset: Option<u64>,
}

/// A field name as written (lower-cased), with its position. Whether it exists is checked by
/// the planner.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// Lower-cased name: `org`, `date`, `name` (inside `participant { }`), `year`...
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// `op := "=" | "!=" | "<" | "<=" | ">" | ">="`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=`: `not (f = v)`.
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// Whether `a op b` holds.
    pub fn holds<T: Ord + ?Sized>(self, a: &T, b: &T) -> bool {
        match self {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// `expr := and {"or" and}`; `and := not {"and" not}`; `not := "not" not | atom`
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `a or b or c`: at least two alternatives.
    Or(Vec<Expr>),
    /// `a and b and c`: at least two conjuncts.
    And(Vec<Expr>),
    /// `not a`
    Not(Box<Expr>),
    /// `field op value`
    Compare {
        /// Left-hand field.
        field: Field,
        /// Operator.
        op: CmpOp,
        /// Right-hand value.
        value: Value,
    },
    /// `field in [v, w]`
    In {
        /// The field.
        field: Field,
        /// At least one value.
        values: Vec<Value>,
    },
    /// `field between a and b`
    Between {
        /// The field.
        field: Field,
        /// Lower bound (inclusive, as `>=`).
        low: Value,
        /// Upper bound (inclusive, as `<=`).
        high: Value,
    },
    /// `field contains "s"`: case-insensitive substring.
    Contains {
        /// The field.
        field: Field,
        /// The substring.
        pattern: Value,
    },
    /// `field starts with "s"`: case-insensitive prefix.
    StartsWith {
        /// The field.
        field: Field,
        /// The prefix.
        prefix: Value,
    },
    /// `field exists`: the field has at least one value.
    Exists {
        /// The field.
        field: Field,
    },
    /// `participant { expr }`: one participant satisfies the whole inner expression.
    Participant {
        /// The inner expression, over `name`, `title`, `org`, `country`.
        inner: Box<Expr>,
        /// Where `participant` is written.
        span: Span,
    },
}

/// A literal or parameter, with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// What was written.
    pub kind: ValueKind,
    /// Where.
    pub span: Span,
}

/// `value := string | date | int | $name`
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// `"text"` (unescaped).
    Str(String),
    /// `2024`, `2024-01`, `2024-01-17`. A bare four-digit number is a date (a year).
    Date(PartialDate),
    /// Any other unsigned integer.
    Int(i64),
    /// `$name` (name without `$`).
    Param(String),
}

/// Nesting deeper than this (parentheses, `not`, `participant`) is a parse error.
pub const MAX_DEPTH: usize = 128;
