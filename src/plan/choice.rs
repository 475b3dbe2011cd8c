//! Index choice: which index reads give a predicate's candidates ([`Access`]), whether they
//! are exact, and which `contains` terms the text index cannot answer ([`Unindexed`]).

use super::{Access, CmpOp, DateWindow, PPred, Pred, PredField, StrTest, ValueSel};
use crate::fields::{MeetingField, ParticipantField};

/// What the planner needs to know of the database it plans for: which indexes it keeps
/// beyond those every database has (a database of layout 3 has no text index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indexes {
    /// Whether the text index is kept ([`Access::Grams`]).
    pub text: bool,
}

impl Indexes {
    /// Every index: what a database this meetql makes keeps.
    pub const ALL: Indexes = Indexes { text: true };
}

/// A `contains` on a field with a text index that the index does not answer, and why: what
/// `explain` says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unindexed {
    /// The pattern is shorter than a gram ([`crate::fields::GRAM_CHARS`] characters).
    Short {
        /// The field.
        field: MeetingField,
        /// The pattern, lower-cased.
        pattern: String,
    },
    /// The database keeps no text index (it was made by a meetql without one).
    Absent {
        /// The field.
        field: MeetingField,
        /// The pattern, lower-cased.
        pattern: String,
    },
}

impl Access {
    /// Whether these index reads read the text index.
    pub fn reads_grams(&self) -> bool {
        match self {
            Access::Grams { .. } => true,
            Access::Intersect(v) | Access::Union(v) => v.iter().any(Access::reads_grams),
            Access::Complement(x) => x.reads_grams(),
            Access::Dates(_) | Access::Index { .. } | Access::Ids(_) => false,
        }
    }

    /// Whether these index reads give rows of the text index, which know neither dates nor
    /// ids, rather than references: the text index alone, an intersection of its reads, or a
    /// union with one. Such candidates are tested in place, every one, before any record is
    /// decoded; in an intersection with other indexes, the text index only narrows their
    /// references.
    pub fn yields_rows(&self) -> bool {
        match self {
            Access::Grams { .. } => true,
            Access::Intersect(v) => !v.is_empty() && v.iter().all(Access::yields_rows),
            Access::Union(v) => v.iter().any(Access::reads_grams),
            Access::Dates(_) | Access::Index { .. } | Access::Ids(_) | Access::Complement(_) => false,
        }
    }
}

/// At most this many [`Unindexed`] notes are kept in a plan.
const UNINDEXED_MAX: usize = 4;

/// Candidate access for a predicate, and whether it is exact.
pub(super) fn access(p: &Pred, ix: Indexes) -> Option<(Access, bool)> {
    let access = |p: &Pred| access(p, ix);
    match p {
        Pred::Date(w) => Some((Access::Dates(*w), true)),
        Pred::Str(f, StrTest::Contains(pattern)) if f.has_text_index() && ix.text => {
            let grams = crate::fields::pattern_grams(pattern)?;
            Some((Access::Grams { field: *f, pattern: pattern.clone(), grams }, false))
        }
        Pred::Str(MeetingField::Id, StrTest::Cmp(CmpOp::Eq, s)) => Some((Access::Ids(vec![s.clone()]), true)),
        Pred::Str(MeetingField::Id, StrTest::In(list)) => Some((Access::Ids(list.clone()), true)),
        Pred::Str(f, t) => {
            let field = f.index()?;
            Some((Access::Index { field, sels: t.sels()?, window: DateWindow::ALL }, true))
        }
        Pred::Exists(MeetingField::Date) => Some((Access::Dates(DateWindow::ALL), true)),
        Pred::Exists(f) => {
            let field = f.index()?;
            Some((Access::Index { field, sels: vec![ValueSel::Prefix(String::new())], window: DateWindow::ALL }, true))
        }
        Pred::Not(x) => match access(x)? {
            (a, true) => Some((Access::Complement(Box::new(a)), true)),
            _ => None,
        },
        Pred::Or(v) => {
            let mut parts = Vec::new();
            let mut exact = true;
            for x in v {
                let (a, e) = access(x)?;
                exact &= e;
                parts.push(a);
            }
            Some((Access::Union(parts), exact))
        }
        Pred::And(v) => {
            let mut parts = Vec::new();
            let mut exact = true;
            for x in v {
                match access(x) {
                    Some((a, e)) => {
                        exact &= e;
                        parts.push(a);
                    }
                    None => exact = false,
                }
            }
            if parts.is_empty() {
                return None;
            }
            Some((push_dates(parts), exact))
        }
        Pred::Participant(inner) => participant_access(inner, ix).map(|a| (a, false)),
    }
}

/// Narrows value-index scans of an intersection by its date windows, so that
/// `org = X and date >= D` reads only the entries of X from D on.
fn push_dates(parts: Vec<Access>) -> Access {
    let mut window = DateWindow::ALL;
    let mut rest = Vec::new();
    for a in parts {
        match a {
            Access::Dates(w) => window = window.intersect(&w),
            other => rest.push(other),
        }
    }
    let narrowed = rest.iter().any(|a| matches!(a, Access::Index { .. }));
    let mut out: Vec<Access> = rest
        .into_iter()
        .map(|a| match a {
            Access::Index { field, sels, window: w } => Access::Index { field, sels, window: w.intersect(&window) },
            other => other,
        })
        .collect();
    if !narrowed && !window.is_all() {
        out.push(Access::Dates(window));
    }
    if out.is_empty() {
        out.push(Access::Dates(window));
    }
    if out.len() == 1 {
        out.pop().unwrap()
    } else {
        Access::Intersect(out)
    }
}

/// Candidates for `participant { }`: a meeting-level index that holds a superset of the
/// participant's values (names in `person`, orgs in `org`), for the conjuncts that have one.
fn participant_access(p: &PPred, ix: Indexes) -> Option<Access> {
    let participant_access = |p: &PPred| participant_access(p, ix);
    match p {
        Pred::Str(f @ (ParticipantField::Name | ParticipantField::Title), StrTest::Contains(pattern)) if ix.text => {
            let field = f.meeting_field();
            let grams = crate::fields::pattern_grams(pattern)?;
            Some(Access::Grams { field, pattern: pattern.clone(), grams })
        }
        Pred::Str(f @ (ParticipantField::Name | ParticipantField::Org), t) => {
            let field = f.meeting_field().index()?;
            Some(Access::Index { field, sels: t.sels()?, window: DateWindow::ALL })
        }
        Pred::And(v) => {
            let parts: Vec<Access> = v.iter().filter_map(participant_access).collect();
            match parts.len() {
                0 => None,
                1 => parts.into_iter().next(),
                _ => Some(Access::Intersect(parts)),
            }
        }
        Pred::Or(v) => v.iter().map(participant_access).collect::<Option<Vec<_>>>().map(Access::Union),
        _ => None,
    }
}

/// The `contains` terms of `p` on fields with a text index that the index does not answer.
pub(super) fn find_unindexed<F: PredField>(p: &Pred<F>, indexes: Indexes, out: &mut Vec<Unindexed>) {
    match p {
        Pred::And(v) | Pred::Or(v) => v.iter().for_each(|x| find_unindexed(x, indexes, out)),
        Pred::Not(x) => find_unindexed(x, indexes, out),
        Pred::Participant(pp) => find_unindexed(pp, indexes, out),
        Pred::Str(f, StrTest::Contains(pattern)) if out.len() < UNINDEXED_MAX => {
            let Some(field) = f.text_indexed_as() else { return };
            let pattern = pattern.clone();
            let note = if !indexes.text {
                Unindexed::Absent { field, pattern }
            } else if crate::fields::pattern_grams(&pattern).is_none() {
                Unindexed::Short { field, pattern }
            } else {
                return;
            };
            if !out.contains(&note) {
                out.push(note);
            }
        }
        _ => {}
    }
}
