//! `explain`: a [`Plan`] as text, through its [`Display`](fmt::Display), so that what
//! `explain` prints is the plan the executor runs.

use std::fmt::{self, Write as _};
use std::ops::Bound;

use super::{Access, DateWindow, Fetch, IndexField, Output, Plan, Pred, Source, StrTest, Unindexed, ValueSel};

pub(super) fn day_text(d: i32) -> String {
    let (y, m, day) = crate::model::civil_from_days(d);
    format!("{y:04}-{m:02}-{day:02}")
}

fn window_text(w: &DateWindow) -> String {
    let mut parts = Vec::new();
    if w.start_min != i32::MIN {
        parts.push(format!("start >= {}", day_text(w.start_min)));
    }
    if w.start_max != i32::MAX {
        parts.push(format!("start <= {}", day_text(w.start_max)));
    }
    if w.end_min != i32::MIN {
        parts.push(format!("end >= {}", day_text(w.end_min)));
    }
    if w.end_max != i32::MAX {
        parts.push(format!("end <= {}", day_text(w.end_max)));
    }
    if parts.is_empty() {
        "all dates".into()
    } else {
        parts.join(" and ")
    }
}

/// A string as the language writes it, shortened when long.
fn quoted(s: &str) -> String {
    crate::error::shorten(&format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
}

fn unindexed_text(u: &Unindexed) -> String {
    match u {
        Unindexed::Short { field, pattern } => format!(
            "text index: not used for {} contains {}: shorter than its grams ({} characters), so it is tested on the records themselves",
            field.name(),
            quoted(pattern),
            crate::fields::GRAM_CHARS
        ),
        Unindexed::Absent { field, pattern } => format!(
            "text index: none in this database (made by a meetql without one, format version 3): {} contains {} is \
             tested on the records themselves; to build the index, export the records and import them into a new database",
            field.name(),
            quoted(pattern)
        ),
    }
}

fn sel_text(s: &ValueSel) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    match s {
        ValueSel::Point(v) => format!("= {}", q(v)),
        ValueSel::Prefix(v) if v.is_empty() => "any value".into(),
        ValueSel::Prefix(v) => format!("starts with {}", q(v)),
        ValueSel::Range(lo, hi) => {
            let mut p = Vec::new();
            match lo {
                Bound::Included(v) => p.push(format!(">= {}", q(v))),
                Bound::Excluded(v) => p.push(format!("> {}", q(v))),
                Bound::Unbounded => {}
            }
            match hi {
                Bound::Included(v) => p.push(format!("<= {}", q(v))),
                Bound::Excluded(v) => p.push(format!("< {}", q(v))),
                Bound::Unbounded => {}
            }
            p.join(" and ")
        }
    }
}

fn field_index_name(f: IndexField) -> &'static str {
    f.field().name()
}

fn write_access(out: &mut String, a: &Access, depth: usize) {
    let pad = "  ".repeat(depth);
    match a {
        Access::Dates(w) => {
            let _ = writeln!(out, "{pad}index date: {} (range scan)", window_text(w));
        }
        Access::Index { field, sels, window } => {
            let vals: Vec<String> = sels.iter().map(sel_text).collect();
            let kind = if sels.iter().all(|s| matches!(s, ValueSel::Point(_))) { "point scan" } else { "range scan" };
            let _ = write!(out, "{pad}index {}: {} ({kind})", field_index_name(*field), vals.join(" or "));
            if !window.is_all() {
                let _ = write!(out, ", narrowed to {}", window_text(window));
            }
            out.push('\n');
        }
        Access::Grams { field, pattern, grams } => {
            let grams: Vec<String> = grams.iter().map(|g| quoted(g)).collect();
            let _ = writeln!(
                out,
                "{pad}index text ({} grams): {} (candidates for {} contains {}, each re-checked)",
                field.name(),
                grams.join(" and "),
                field.name(),
                quoted(pattern)
            );
        }
        Access::Ids(ids) => {
            let _ = writeln!(out, "{pad}record lookup by id: {}", ids.join(", "));
        }
        Access::Intersect(v) => {
            let _ = writeln!(out, "{pad}intersect");
            v.iter().for_each(|x| write_access(out, x, depth + 1));
        }
        Access::Union(v) => {
            let _ = writeln!(out, "{pad}union");
            v.iter().for_each(|x| write_access(out, x, depth + 1));
        }
        Access::Complement(x) => {
            let _ = writeln!(out, "{pad}all rows (date index) except");
            write_access(out, x, depth + 1);
        }
    }
}

/// The `contains` matchers of a predicate (see [`StrTest::ContainsAny`]): the field each
/// tests, as `explain` names it, and how many patterns it holds.
fn matchers<F: Copy>(p: &Pred<F>, name: &dyn Fn(F) -> String, out: &mut Vec<(String, usize)>) {
    match p {
        Pred::And(v) | Pred::Or(v) => v.iter().for_each(|x| matchers(x, name, out)),
        Pred::Not(x) => matchers(x, name, out),
        Pred::Str(f, StrTest::ContainsAny(m)) => out.push((name(*f), m.patterns().len())),
        Pred::Participant(pp) => {
            matchers(pp, &|f: crate::fields::ParticipantField| format!("participant {}", f.name()), out)
        }
        Pred::Str(..) | Pred::Date(_) | Pred::Exists(_) => {}
    }
}

impl Plan {
    /// What `explain` prints (the plan's [`Display`](fmt::Display)): which index answers which
    /// predicate, what is scanned, what is read per row, and whether the rows stop early.
    pub fn explain(&self) -> String {
        self.to_string()
    }

    /// What the plan reads of the records, as `explain` says it.
    fn records_read(&self) -> &'static str {
        let returned_only = self.fetch.is_some();
        match (&self.source, self.output.needs_records()) {
            (Source::Candidates { access, .. }, _) if access.yields_rows() => "every candidate, tested in place",
            (Source::Scan | Source::Candidates { recheck: true, .. }, _) => match self.fetch {
                Some(Fetch::Stream { .. }) if self.limit.is_some() => "every candidate, until the limit is reached",
                _ => "every candidate",
            },
            (Source::IndexCounts { .. }, _) | (_, false) => "none (index entries only)",
            (_, true) if returned_only => "only the rows returned",
            (_, true) => "every matching meeting (to count its values)",
        }
    }
}

/// `explain`: the plan as the executor runs it.
impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        match &self.source {
            Source::IndexCounts { field, window } => {
                out.push_str("access:\n");
                let sels = vec![ValueSel::Prefix(String::new())];
                write_access(&mut out, &Access::Index { field: *field, sels, window: *window }, 1);
            }
            Source::All => out.push_str("access: every meeting, in date order (date index)\n"),
            Source::Scan => out.push_str("access: full scan of every record (no index answers this filter)\n"),
            Source::Candidates { access, .. } => {
                out.push_str("access:\n");
                write_access(&mut out, access, 1);
            }
        }
        for u in &self.unindexed {
            let _ = writeln!(out, "{}", unindexed_text(u));
        }
        if self.pred.is_some() {
            out.push_str(match &self.source {
                Source::Candidates { recheck: true, .. } => "filter: candidates re-checked against each record\n",
                Source::Scan => "filter: tested on each record\n",
                _ => "filter: answered by the indexes (no re-check)\n",
            });
        }
        let mut found = Vec::new();
        if let Some(p) = &self.pred {
            matchers(p, &|f: crate::fields::MeetingField| f.name().to_string(), &mut found);
        }
        for (field, n) in found {
            let _ =
                writeln!(out, "matcher: {field} contains any of {n} patterns, one pass over each value (Aho-Corasick)");
        }
        let _ = writeln!(out, "records read: {}", self.records_read());
        if let Source::IndexCounts { .. } = self.source {
            out.push_str("counts: index entries, one per meeting and value\n");
        }
        let what = match &self.output {
            Output::Meetings => "meetings".to_string(),
            Output::Total => "count".to_string(),
            Output::CountBy(k) => format!("count by {}", k.name()),
            Output::Facet(f) => format!("distinct {} values with counts", f.name()),
            Output::FacetTotal(f) => format!("number of distinct {} values", f.name()),
        };
        let _ = writeln!(out, "output: {what}");
        if let Some((k, desc)) = self.order {
            let _ = writeln!(out, "order: by {} {}", k.name(), if desc { "desc" } else { "asc" });
        } else if self.output == Output::Meetings {
            out.push_str("order: date, then id (index order)\n");
        }
        match (self.fetch, self.limit) {
            (Some(Fetch::Stream { .. }), Some(l)) => {
                let _ = writeln!(out, "rows: in date order, stopping after {}", l.saturating_add(self.offset));
            }
            (Some(Fetch::Stream { .. }), None) => out.push_str("rows: in date order\n"),
            (Some(Fetch::Sort), _) => out.push_str("rows: every match collected, then sorted\n"),
            (None, _) => {}
        }
        if let Some(l) = self.limit {
            let _ = writeln!(
                out,
                "limit: {l}{}",
                if self.offset > 0 { format!(" offset {}", self.offset) } else { String::new() }
            );
        }
        f.write_str(out.trim_end())
    }
}
