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
            // A bare four-digit number reads as a year, so a four-digit Int (written `08667`)
            // keeps a leading zero to read back as a number.
            ValueKind::Int(n) if (1000..=9999).contains(n) => write!(f, "0{n}"),
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

#[cfg(test)]
mod tests {
    use super::super::ast::*;
    use super::super::{parse_statement, tokenize, TokenKind};
    use crate::model::PartialDate;
    use proptest::prelude::*;

    /// `display(parse(s)) == s` for a canonical `s`, and `parse(display(ast)) == ast`.
    #[track_caller]
    fn verified(s: &str) -> Statement {
        let st = parse_statement(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(st.to_string(), s);
        assert_eq!(parse_statement(&st.to_string()).unwrap(), st);
        st
    }

    #[test]
    fn canonical_text_round_trips() {
        for s in [
            "meetings",
            "explain people where org = \"UN\" limit 3",
            "let $x = 2024",
            "let $org = \"UNRCCA\"",
            "let $a = $b",
            "expect count >= 1",
            "expect count != 0",
            "meetings where org = \"UNRCCA\" and date >= 2024-01",
            "meetings where a = 1 or b = 2 and c = 3",
            "meetings where (a = 1 or b = 2) and c = 3",
            "meetings where (a = 1 and b = 2) and c = 3",
            "meetings where (a = 1 or b = 2) or c = 3",
            "meetings where not (a = 1 and b = 2)",
            "meetings where not (a = 1 or b = 2)",
            "meetings where not not a exists",
            "meetings where not participant { name contains \"Imnadze\" and org = \"UNRCCA\" }",
            "meetings where country in [\"A\", \"B\", $c, 2024-01-17, 12]",
            "meetings where date between 2024-01 and 2024-03-31",
            "meetings where person starts with \"K\" select city, country",
            "meetings where t = \"say \\\"hi\\\" \\\\ ok\"",
            "meetings count",
            "meetings count by year order by month desc limit 10 offset 5 select a",
            "topics order by value limit 3",
        ] {
            verified(s);
        }
    }

    #[test]
    fn prints_canonical_form_of_sloppy_text() {
        let st = parse_statement("MEETINGS  WHERE  Org='UN' -- c\n ORDER BY date ASC;".replace('\'', "\"").as_str())
            .unwrap();
        assert_eq!(st.to_string(), "meetings where org = \"UN\" order by date");
        let st = parse_statement("meetings where ((a = 1)) and (b = 2)").unwrap();
        assert_eq!(st.to_string(), "meetings where a = 1 and b = 2");
    }

    #[test]
    fn parenthesizes_exactly_where_needed() {
        let c = |n: &str| Expr::Exists { field: Field { name: n.into(), span: Span::default() } };
        let and = Expr::And(vec![c("a"), Expr::And(vec![c("b"), c("c")]), Expr::Or(vec![c("d"), c("e")])]);
        assert_eq!(and.to_string(), "a exists and (b exists and c exists) and (d exists or e exists)");
        let or = Expr::Or(vec![Expr::And(vec![c("a"), c("b")]), Expr::Or(vec![c("c"), c("d")])]);
        assert_eq!(or.to_string(), "a exists and b exists or (c exists or d exists)");
        let not = Expr::Not(Box::new(Expr::Not(Box::new(Expr::Or(vec![c("a"), c("b")])))));
        assert_eq!(not.to_string(), "not not (a exists or b exists)");
    }

    // ---- Generated trees: parse(display(ast)) == ast ----

    fn span() -> Span {
        Span::default()
    }

    fn arb_name() -> impl Strategy<Value = String> {
        "[a-z_][a-z0-9_]{0,7}"
            .prop_filter("not a keyword", |n| tokenize(n).first().map(|t| t.kind) == Some(TokenKind::Field))
    }

    fn arb_field() -> impl Strategy<Value = Field> {
        arb_name().prop_map(|name| Field { name, span: span() })
    }

    fn arb_date() -> impl Strategy<Value = PartialDate> {
        (1u16..=9999, prop::option::of((1u8..=12, prop::option::of(1u8..=31)))).prop_map(|(y, md)| {
            let (m, d) = match md {
                Some((m, d)) => (Some(m), d.map(|d| d.min(crate::model::days_in_month(y, m)))),
                None => (None, None),
            };
            PartialDate::new(y, m, d).expect("a valid date")
        })
    }

    fn arb_text() -> impl Strategy<Value = String> {
        prop_oneof!["[a-z \"\\\\]{0,8}", "\\PC{0,8}", any::<String>()]
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            arb_text().prop_map(ValueKind::Str),
            arb_date().prop_map(ValueKind::Date),
            (0i64..=i64::MAX).prop_map(ValueKind::Int),
            (1000i64..=9999).prop_map(ValueKind::Int),
            "[A-Za-z_][A-Za-z0-9_]{0,6}".prop_map(ValueKind::Param),
        ]
        .prop_map(|kind| Value { kind, span: span() })
    }

    fn arb_text_value() -> impl Strategy<Value = Value> {
        prop_oneof![arb_text().prop_map(ValueKind::Str), "[a-z]{1,5}".prop_map(ValueKind::Param)]
            .prop_map(|kind| Value { kind, span: span() })
    }

    fn arb_op() -> impl Strategy<Value = CmpOp> {
        prop::sample::select(vec![CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge])
    }

    fn arb_leaf() -> impl Strategy<Value = Expr> {
        prop_oneof![
            (arb_field(), arb_op(), arb_value()).prop_map(|(field, op, value)| Expr::Compare { field, op, value }),
            (arb_field(), prop::collection::vec(arb_value(), 1..4))
                .prop_map(|(field, values)| Expr::In { field, values }),
            (arb_field(), arb_value(), arb_value()).prop_map(|(field, low, high)| Expr::Between { field, low, high }),
            (arb_field(), arb_text_value()).prop_map(|(field, pattern)| Expr::Contains { field, pattern }),
            (arb_field(), arb_text_value()).prop_map(|(field, prefix)| Expr::StartsWith { field, prefix }),
            arb_field().prop_map(|field| Expr::Exists { field }),
        ]
    }

    fn arb_expr() -> impl Strategy<Value = Expr> {
        arb_leaf().prop_recursive(6, 48, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..5).prop_map(Expr::And),
                prop::collection::vec(inner.clone(), 2..5).prop_map(Expr::Or),
                inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
                inner.prop_map(|e| Expr::Participant { inner: Box::new(e), span: span() }),
            ]
        })
    }

    fn arb_query() -> impl Strategy<Value = Query> {
        (
            prop::sample::select(Collection::ALL.to_vec()),
            prop::option::of(arb_expr()),
            prop::option::of(prop::option::of(arb_field())),
            prop::option::of((arb_field(), any::<bool>())),
            prop::option::of((any::<u64>(), prop::option::of(any::<u64>()))),
            prop::collection::vec(arb_field(), 0..3),
        )
            .prop_map(|(collection, filter, count, order, limit, select)| Query {
                collection,
                collection_span: span(),
                filter,
                count: count.map(|c| c.map_or(Count::Total, Count::By)),
                order: order.map(|(key, descending)| Order { key, descending }),
                limit: limit.map(|(limit, offset)| Limit { limit, offset }),
                select,
            })
    }

    fn arb_statement() -> impl Strategy<Value = Statement> {
        prop_oneof![
            4 => arb_query().prop_map(Statement::Query),
            1 => arb_query().prop_map(Statement::Explain),
            1 => ("[A-Za-z_][A-Za-z0-9_]{0,6}", arb_value()).prop_map(|(name, value)| Statement::Let { name, span: span(), value }),
            1 => (arb_op(), any::<u64>()).prop_map(|(op, count)| Statement::Expect { op, count, span: span() }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn printed_trees_parse_back(st in arb_statement()) {
            let text = st.to_string();
            let back = parse_statement(&text).map_err(|e| TestCaseError::fail(format!("{text}\n{}", e.locate("<p>", &text))))?;
            prop_assert_eq!(&back, &st, "{}", text);
            prop_assert_eq!(back.to_string(), text);
        }
    }
}
