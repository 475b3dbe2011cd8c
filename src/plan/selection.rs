//! The vocabulary a plan speaks to storage in: which dates ([`DateWindow`]) and which values of
//! an indexed field ([`ValueSel`]) to read. Plans own it; storage reads it.

use std::ops::Bound;

/// Which days a meeting's interval may start and end on (inclusive bounds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    /// Earliest start.
    pub start_min: i32,
    /// Latest start.
    pub start_max: i32,
    /// Earliest end.
    pub end_min: i32,
    /// Latest end.
    pub end_max: i32,
}

impl DateWindow {
    /// No restriction.
    pub const ALL: DateWindow =
        DateWindow { start_min: i32::MIN, start_max: i32::MAX, end_min: i32::MIN, end_max: i32::MAX };

    /// Whether a row with this interval lies in the window.
    pub fn holds(&self, start: i32, end: i32) -> bool {
        (self.start_min..=self.start_max).contains(&start) && (self.end_min..=self.end_max).contains(&end)
    }

    /// The latest start a row in the window can have: a meeting starts no later than it ends.
    pub fn last_start(&self) -> i32 {
        self.start_max.min(self.end_max)
    }

    /// Both windows at once.
    pub fn intersect(&self, o: &DateWindow) -> DateWindow {
        DateWindow {
            start_min: self.start_min.max(o.start_min),
            start_max: self.start_max.min(o.start_max),
            end_min: self.end_min.max(o.end_min),
            end_max: self.end_max.min(o.end_max),
        }
    }

    /// Whether this window restricts nothing.
    pub fn is_all(&self) -> bool {
        *self == DateWindow::ALL
    }
}

/// Which folded values of an indexed field to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueSel {
    /// Exactly this folded value.
    Point(String),
    /// Folded values within the bounds.
    Range(Bound<String>, Bound<String>),
    /// Folded values that start with this.
    Prefix(String),
}

/// Rewrites a predicate so that its cost follows what it selects, not how it is written:
/// every `in [...]` list without repeats, and in each `or` the equalities and lists of one
/// field merged into one list, repeated date windows dropped and windows inside another
/// dropped; the `contains` terms of one field merged into one matcher that tests a value for
/// all their patterns in one pass. `org in ["UN", "un", "UN"]` reads the index of "un" once; a
/// list of 100,000 dates with repeats reads each day once; 25,000 `person contains` terms read
/// each name once, not 25,000 times. The rewritten predicate holds of exactly the same meetings.
pub(super) fn normalise<F: super::PredField>(p: &mut super::Pred<F>) {
    use super::Pred;
    match p {
        Pred::And(v) => v.iter_mut().for_each(normalise),
        Pred::Not(x) => normalise(x),
        Pred::Str(_, t) => dedup_test(t),
        Pred::Participant(pp) => normalise(pp),
        Pred::Or(v) => {
            let mut flat = Vec::with_capacity(v.len());
            flatten_or(std::mem::take(v), &mut flat);
            flat.iter_mut().for_each(normalise);
            let mut out: Vec<Pred<F>> = Vec::with_capacity(flat.len());
            // Where in `out` each field's merged list is.
            let mut lists: Vec<(F, usize)> = Vec::new();
            let mut windows: Vec<DateWindow> = Vec::new();
            // Each field's `contains` patterns.
            let mut patterns: Vec<(F, Vec<String>)> = Vec::new();
            for x in flat {
                match x {
                    Pred::Str(f, t) if as_values(&t).is_some() => {
                        let values = as_values(&t).unwrap_or_default();
                        match lists.iter().find(|(g, _)| *g == f) {
                            Some(&(_, at)) => {
                                if let Pred::Str(_, super::StrTest::In(list)) = &mut out[at] {
                                    list.extend(values);
                                }
                            }
                            None => {
                                lists.push((f, out.len()));
                                out.push(Pred::Str(f, super::StrTest::In(values)));
                            }
                        }
                    }
                    Pred::Date(w) => windows.push(w),
                    Pred::Str(f, super::StrTest::Contains(p)) => match patterns.iter_mut().find(|(g, _)| *g == f) {
                        Some((_, list)) => list.push(p),
                        None => patterns.push((f, vec![p])),
                    },
                    other => out.push(other),
                }
            }
            for (_, at) in &lists {
                if let Pred::Str(_, t) = &mut out[*at] {
                    dedup_test(t);
                    if let super::StrTest::In(list) = t {
                        if list.len() == 1 {
                            *t = super::StrTest::Cmp(super::CmpOp::Eq, list.pop().unwrap_or_default());
                        }
                    }
                }
            }
            out.extend(patterns.into_iter().flat_map(|(f, list)| contains_any(f, list)));
            out.extend(union_windows(windows).into_iter().map(Pred::Date));
            *p = if out.len() == 1 { out.pop().unwrap_or(Pred::Or(Vec::new())) } else { Pred::Or(out) };
        }
        Pred::Date(_) | Pred::Exists(_) => {}
    }
}

/// The `contains` terms of one field in an `or`: one term, or one matcher for several
/// patterns (the terms as they were if the matcher cannot be built).
fn contains_any<F: Copy>(f: F, mut list: Vec<String>) -> Vec<super::Pred<F>> {
    use super::{Pred, StrTest};
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    list.retain(|p| seen.insert(p.clone()));
    if list.len() == 1 {
        return list.into_iter().map(|p| Pred::Str(f, StrTest::Contains(p))).collect();
    }
    match crate::fields::ContainsAny::new(list.clone()) {
        Some(m) => vec![Pred::Str(f, StrTest::ContainsAny(m))],
        None => list.into_iter().map(|p| Pred::Str(f, StrTest::Contains(p))).collect(),
    }
}

fn flatten_or<F>(v: Vec<super::Pred<F>>, out: &mut Vec<super::Pred<F>>) {
    for x in v {
        match x {
            super::Pred::Or(inner) => flatten_or(inner, out),
            other => out.push(other),
        }
    }
}

/// The folded values an equality or a list accepts.
fn as_values(t: &super::StrTest) -> Option<Vec<String>> {
    match t {
        super::StrTest::Cmp(super::CmpOp::Eq, s) => Some(vec![s.clone()]),
        super::StrTest::In(list) => Some(list.clone()),
        _ => None,
    }
}

/// Drops repeats from a list, keeping the first of each.
fn dedup_test(t: &mut super::StrTest) {
    if let super::StrTest::In(list) = t {
        let mut seen = std::collections::HashSet::with_capacity(list.len());
        list.retain(|s| seen.insert(s.clone()));
    }
}

/// The windows of an `or` without repeats and without windows that another one contains
/// (a meeting in the inner one is in the outer one), in their first order.
fn union_windows(windows: Vec<DateWindow>) -> Vec<DateWindow> {
    let mut seen = std::collections::HashSet::with_capacity(windows.len());
    let distinct: Vec<DateWindow> =
        windows.into_iter().filter(|w| seen.insert((w.start_min, w.start_max, w.end_min, w.end_max))).collect();
    // Windows that bound only the start from below and the end from above (`date = D`,
    // `between`) nest as intervals do: sorted by start, then by end descending, a window is
    // inside an earlier one exactly when an earlier one ends at or after it ends.
    let interval = |w: &DateWindow| w.start_max == i32::MAX && w.end_min == i32::MIN;
    let mut order: Vec<usize> = (0..distinct.len()).filter(|&i| interval(&distinct[i])).collect();
    order.sort_unstable_by_key(|&i| (distinct[i].start_min, std::cmp::Reverse(distinct[i].end_max)));
    let mut inner = vec![false; distinct.len()];
    let mut furthest: Option<i32> = None;
    for i in order {
        match furthest {
            Some(e) if e >= distinct[i].end_max => inner[i] = true,
            _ => furthest = Some(distinct[i].end_max),
        }
    }
    distinct.into_iter().zip(inner).filter(|(_, inner)| !inner).map(|(w, _)| w).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Params, Plan};

    fn access(p: &Plan) -> Option<&crate::plan::Access> {
        match &p.source {
            crate::plan::Source::Candidates { access, .. } => Some(access),
            _ => None,
        }
    }

    fn plan(q: &str) -> Plan {
        crate::plan::plan(&crate::lang::parse_query(q).unwrap(), &Params::new()).unwrap()
    }

    #[test]
    fn issue_16_8_repeated_values_and_dates_are_looked_up_once() {
        let list = vec!["\"UN\""; 1000].join(", ");
        let p = plan(&format!("meetings where org in [{list}, \"un\", \"EU\"]"));
        let Some(crate::plan::Access::Index { sels, .. }) = access(&p) else { panic!("{:?}", p.source) };
        assert_eq!(sels, &[ValueSel::Point("un".into()), ValueSel::Point("eu".into())]);
        let ors = vec!["org = \"UN\""; 1000].join(" or ");
        let p = plan(&format!("meetings where {ors} or org = \"EU\" or (org = \"un\" or city = \"Ashgabat\")"));
        let text = format!("{:?}", p.source);
        assert_eq!(text.matches("Point(\"un\")").count(), 1, "{text}");
        // 100,000 dates of which 365 differ, and a year that holds them all: the year is read once.
        let dates: Vec<String> = (0..100_000)
            .map(|i| {
                let d = crate::model::civil_from_days(18_628 + (i % 365));
                format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
            })
            .collect();
        let p = plan(&format!("meetings where date in [{}]", dates.join(", ")));
        let Some(crate::plan::Pred::Or(v)) = &p.pred else { panic!("{:?}", p.pred) };
        assert_eq!(v.len(), 365);
        let p = plan(&format!("meetings where date in [{}] or date = 2021", dates.join(", ")));
        assert!(matches!(p.pred, Some(crate::plan::Pred::Date(_))), "{:?}", p.pred);
        assert!(matches!(access(&p), Some(crate::plan::Access::Dates(_))), "{:?}", p.source);
        // Windows that only overlap stay: a meeting over two days is in neither day.
        let p = plan("meetings where date = 2021-01-01 or date = 2021-01-02 or date = 2021-01-01");
        let Some(crate::plan::Pred::Or(v)) = &p.pred else { panic!("{:?}", p.pred) };
        assert_eq!(v.len(), 2);
        let p = plan("meetings where participant { name = \"A\" or name = \"a\" or org = \"X\" }");
        let text = format!("{:?}", p.pred);
        assert!(text.contains("Cmp(Eq, \"a\")") && !text.contains("In("), "{text}");
    }
}
