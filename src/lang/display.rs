//! Canonical text of the AST: lower-case keywords, single spaces, strings re-escaped, and
//! parentheses exactly where the tree needs them, so that parsing what is printed gives the same
//! tree (`parse(display(ast)) == ast`).

use std::fmt::{self, Display, Formatter, Write};

use super::ast::{CmpOp, Collection, Count, Expr, Field, Query, Statement, Value, ValueKind};

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Query(q) => q.fmt(f),
            Statement::Explain(q) => write!(f, "explain {q}"),
            Statement::Let { name, value, .. } => write!(f, "let ${name} = {value}"),
            Statement::Expect { op, count, .. } => write!(f, "expect count {op} {count}"),
        }
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.collection.fmt(f)?;
        if let Some(e) = &self.filter {
            write!(f, " where {e}")?;
        }
        match &self.count {
            Some(Count::Total) => f.write_str(" count")?,
            Some(Count::By(key)) => write!(f, " count by {key}")?,
            None => {}
        }
        if let Some(o) = &self.order {
            write!(f, " order by {}{}", o.key, if o.descending { " desc" } else { "" })?;
        }
        if let Some(l) = &self.limit {
            write!(f, " limit {}", l.limit)?;
            if let Some(o) = l.offset {
                write!(f, " offset {o}")?;
            }
        }
        for (n, field) in self.select.iter().enumerate() {
            f.write_str(if n == 0 { " select " } else { ", " })?;
            field.fmt(f)?;
        }
        Ok(())
    }
}

impl Display for Collection {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

impl Display for Field {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl Display for CmpOp {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

impl Display for Value {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ValueKind::Str(s) => {
                f.write_char('"')?;
                for c in s.chars() {
                    if c == '"' || c == '\\' {
                        f.write_char('\\')?;
                    }
                    f.write_char(c)?;
                }
                f.write_char('"')
            }
            ValueKind::Date(d) => d.fmt(f),
            ValueKind::Int(n) => n.fmt(f),
            ValueKind::Param(p) => write!(f, "${p}"),
        }
    }
}

/// Writes `e`, in parentheses when `paren`.
fn child(f: &mut Formatter<'_>, e: &Expr, paren: bool) -> fmt::Result {
    if paren {
        write!(f, "({e})")
    } else {
        e.fmt(f)
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Or(items) => {
                for (n, e) in items.iter().enumerate() {
                    if n > 0 {
                        f.write_str(" or ")?;
                    }
                    child(f, e, matches!(e, Expr::Or(_)))?;
                }
                Ok(())
            }
            Expr::And(items) => {
                for (n, e) in items.iter().enumerate() {
                    if n > 0 {
                        f.write_str(" and ")?;
                    }
                    child(f, e, matches!(e, Expr::And(_) | Expr::Or(_)))?;
                }
                Ok(())
            }
            Expr::Not(e) => {
                f.write_str("not ")?;
                child(f, e, matches!(**e, Expr::And(_) | Expr::Or(_)))
            }
            Expr::Compare { field, op, value } => write!(f, "{field} {op} {value}"),
            Expr::In { field, values } => {
                write!(f, "{field} in [")?;
                for (n, v) in values.iter().enumerate() {
                    if n > 0 {
                        f.write_str(", ")?;
                    }
                    v.fmt(f)?;
                }
                f.write_str("]")
            }
            Expr::Between { field, low, high } => write!(f, "{field} between {low} and {high}"),
            Expr::Contains { field, pattern } => write!(f, "{field} contains {pattern}"),
            Expr::StartsWith { field, prefix } => write!(f, "{field} starts with {prefix}"),
            Expr::Exists { field } => write!(f, "{field} exists"),
            Expr::Participant { inner, .. } => write!(f, "participant {{ {inner} }}"),
        }
    }
}
