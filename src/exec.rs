//! Execution: runs a [`Plan`] against the store and streams result rows to a sink.
//!
//! Candidate rows come from the plan's access path as sorted [`RowRef`]s (no record read), or
//! from the date index in order when the filter needs a scan. Records are decoded only when a
//! row is returned or must be re-checked; `limit` stops the stream early, so `meetings limit 10`
//! reads ten records whatever the corpus size.

use std::cell::Cell;
use std::cmp::Ordering;
use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::error::Result;
use crate::fields::{fold, MeetingField, MeetingParts, Needles, ParticipantField, ParticipantParts};
use crate::lang::ast::CmpOp;
use crate::model::{Meeting, PartialDate};
use crate::plan::{Access, DateWindow, Fetch, Key, Output, PPred, Plan, Pred, SelectField, Source, StrTest, ValueSel};
use crate::storage::{stores_verbatim, RowRef, Snapshot, Store};

/// One row of a result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Row {
    /// A meeting record (CONTRACT §2).
    Meeting(Box<Meeting>),
    /// `id` and the `select`ed fields, in order.
    Selected(Map<String, Json>),
    /// A value with the number of meetings that have it (facets and `count by`).
    Count {
        /// The value (a bucket such as "2024-01" for `by month`).
        value: String,
        /// How many meetings.
        count: u64,
    },
    /// The number of matching meetings (`count`), or of distinct values (`orgs count`).
    Total {
        /// The number.
        count: u64,
    },
}

/// Whether the sink wants more rows.
pub type More = bool;

/// Candidate rows as an access path yields them: references in the default order, or — when
/// the text index took part, which knows rows only — row numbers, ascending.
enum Cands {
    Refs(Vec<RowRef>),
    Rows(Vec<u64>),
}

/// The candidates of several accesses, by kind: references and text-index rows (see
/// [`Executor::eval_each`]).
type Split = (Vec<Vec<RowRef>>, Vec<Vec<u64>>);

/// A candidate as the executor hands it on: its reference; whether the filter was already
/// found to hold on its record (tested in place: text-index candidates); the record, if kept
/// (boxed: a large result's candidates are held at once, and most hold none).
struct Cand {
    r: RowRef,
    tested: bool,
    record: Option<Box<Meeting>>,
}

pub(crate) struct Executor<'a> {
    /// What the query reads.
    snap: Snapshot<'a>,
    /// Records decoded so far.
    pub read: Cell<u64>,
    /// The most candidate rows gathered at once by one access path (for tests: it must follow
    /// the rows found, not the query's length).
    pub held: Cell<usize>,
    /// Set from another thread to stop the query (Ctrl-C in the REPL).
    cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

/// A field read from a record of type `R`: a [`MeetingField`] from a meeting (an owned
/// [`Meeting`] or a record read in place), a [`ParticipantField`] from one of its participants.
/// The field resolver that lets [`holds`] be written once for both levels of a predicate.
pub trait FieldOf<R>: Copy {
    /// Whether some value of the field passes `test`.
    fn any_value(self, r: &R, test: impl FnMut(&str) -> bool) -> bool;
    /// Whether the field has a value.
    fn exists(self, r: &R) -> bool;
    /// Whether the record's date interval lies in the window (never, for a participant).
    fn date_in(r: &R, w: &DateWindow) -> bool;
    /// Whether one of the record's participants satisfies `p` (never, for a participant).
    fn any_participant(r: &R, p: &PPred) -> bool;
}

impl<M: MeetingParts> FieldOf<M> for MeetingField {
    fn any_value(self, m: &M, test: impl FnMut(&str) -> bool) -> bool {
        MeetingField::any_value(self, m, test)
    }

    fn exists(self, m: &M) -> bool {
        self == MeetingField::Date || MeetingField::any_value(self, m, |_| true)
    }

    fn date_in(m: &M, w: &DateWindow) -> bool {
        let d = m.date();
        w.holds(d.start(), d.end())
    }

    fn any_participant(m: &M, p: &PPred) -> bool {
        m.participants().iter().any(|x| holds(p, x))
    }
}

impl<P: ParticipantParts> FieldOf<P> for ParticipantField {
    fn any_value(self, p: &P, test: impl FnMut(&str) -> bool) -> bool {
        self.value(p).is_some_and(test)
    }

    fn exists(self, p: &P) -> bool {
        self.value(p).is_some()
    }

    fn date_in(_: &P, _: &DateWindow) -> bool {
        false
    }

    fn any_participant(_: &P, _: &PPred) -> bool {
        false
    }
}

/// Whether `p` holds for `r`: a meeting (an owned [`Meeting`] or a record read in place) or,
/// for a participant predicate, a participant.
pub fn holds<R, F: FieldOf<R>>(p: &Pred<F>, r: &R) -> bool {
    match p {
        Pred::And(v) => v.iter().all(|x| holds(x, r)),
        Pred::Or(v) => v.iter().any(|x| holds(x, r)),
        Pred::Not(x) => !holds(x, r),
        Pred::Date(w) => F::date_in(r, w),
        Pred::Str(f, t) => f.any_value(r, |v| t.holds(v)),
        Pred::Exists(f) => f.exists(r),
        Pred::Participant(pp) => F::any_participant(r, pp),
    }
}

/// Text that a record's stored bytes must hold (ASCII, compared without case: see
/// [`Needles`]) for `p` to hold: one of these needles. `None` when `p` needs no
/// such text (a date, a negation, a non-ASCII or empty operand, a field not stored as text).
fn needles<F: StoredText>(p: &Pred<F>) -> Option<Vec<&str>> {
    match p {
        Pred::Str(f, t) if f.verbatim() => test_needles(t),
        Pred::And(v) => best(v.iter().filter_map(needles)),
        Pred::Or(v) => v.iter().map(needles).collect::<Option<Vec<_>>>().map(|n| n.concat()),
        Pred::Participant(pp) => needles(pp),
        _ => None,
    }
}

/// Fields whose values a record's stored bytes hold as text, so that a scan may pass over a
/// record that lacks a needle: every participant field, and the meeting fields the codec
/// stores verbatim.
trait StoredText: Copy {
    fn verbatim(self) -> bool;
}

impl StoredText for MeetingField {
    fn verbatim(self) -> bool {
        stores_verbatim(self)
    }
}

impl StoredText for ParticipantField {
    fn verbatim(self) -> bool {
        true
    }
}

/// Of needle sets that must all be met, the one that rules out most: fewest needles, then the
/// longest shortest needle.
fn best<'p>(sets: impl Iterator<Item = Vec<&'p str>>) -> Option<Vec<&'p str>> {
    sets.min_by_key(|n| (n.len(), std::cmp::Reverse(n.iter().map(|s| s.len()).min().unwrap_or(usize::MAX))))
}

/// Each test below implies that the lower-cased value contains its operand: `contains`
/// directly, `starts with` and `=` (and each of `in`) because a folded value is the lower-cased
/// value trimmed.
fn test_needles(t: &StrTest) -> Option<Vec<&str>> {
    let text = |s: &String| !s.is_empty() && s.is_ascii();
    match t {
        StrTest::Contains(s) | StrTest::Prefix(s) | StrTest::Cmp(CmpOp::Eq, s) if text(s) => Some(vec![s.as_str()]),
        StrTest::In(list) if list.iter().all(text) => Some(list.iter().map(String::as_str).collect()),
        StrTest::ContainsAny(m) if m.patterns().iter().all(text) => {
            Some(m.patterns().iter().map(String::as_str).collect())
        }
        _ => None,
    }
}

/// The items in both sorted lists (references, or the text index's row numbers).
fn intersect<T: Ord + Clone>(a: Vec<T>, b: Vec<T>) -> Vec<T> {
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(a.len().min(b.len())));
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                out.push(a[i].clone());
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The rows of both sorted lists without repeats, sorted.
fn union(a: Vec<RowRef>, b: Vec<RowRef>) -> Vec<RowRef> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match x.cmp(y) {
                Ordering::Less => a.next(),
                Ordering::Greater => b.next(),
                Ordering::Equal => {
                    b.next();
                    a.next()
                }
            },
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(r) => out.push(r),
            None => return out,
        }
    }
}

/// Rows found by many index scans (each value of an `in` list or an `or`), in any order and
/// with repeats, kept as a sorted list without repeats plus a buffer of rows not yet merged
/// into it. The buffer is merged in whenever it grows as long as the list (or
/// [`GATHER_MIN`]), so that what is held stays within about twice the distinct rows found
/// (plus [`GATHER_MIN`]) however often each is found — 1,000 values that share their meetings
/// hold each meeting once, not 1,000 times — and each row costs a logarithmic share of a sort.
#[derive(Default)]
struct Gathered {
    done: Vec<RowRef>,
    buf: Vec<RowRef>,
}

/// Rows a [`Gathered`] buffers before it first merges.
const GATHER_MIN: usize = 4096;

impl Gathered {
    fn push(&mut self, r: RowRef) {
        self.buf.push(r);
        if self.buf.len() >= self.done.len().max(GATHER_MIN) {
            self.merge();
        }
    }

    /// The rows held: merged and buffered.
    fn held(&self) -> usize {
        self.done.len() + self.buf.len()
    }

    fn merge(&mut self) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.sort_unstable();
        buf.dedup();
        self.done = if self.done.is_empty() { buf } else { union(std::mem::take(&mut self.done), buf) };
    }

    /// The rows, sorted, each once.
    fn finish(mut self) -> Vec<RowRef> {
        self.merge();
        self.done
    }
}

fn minus(all: Vec<RowRef>, b: &[RowRef]) -> Vec<RowRef> {
    let mut j = 0;
    all.into_iter()
        .filter(|r| {
            while j < b.len() && b[j] < *r {
                j += 1;
            }
            !(j < b.len() && b[j] == *r)
        })
        .collect()
}

/// The date a row's interval stands for: a single day, a whole month, or a whole year.
fn row_date(r: &RowRef) -> PartialDate {
    let d = day_parts(r.start);
    if r.start == r.end {
        return PartialDate { year: d.0, month: Some(d.1), day: Some(d.2) };
    }
    let e = day_parts(r.end);
    if d.1 == e.1 && d.0 == e.0 {
        PartialDate { year: d.0, month: Some(d.1), day: None }
    } else {
        PartialDate { year: d.0, month: None, day: None }
    }
}

fn day_parts(days: i32) -> (u16, u8, u8) {
    let (y, m, d) = crate::model::civil_from_days(days);
    (y as u16, m as u8, d as u8)
}

/// Counts per folded value, remembering each value's spellings.
#[derive(Default)]
struct Tally {
    counts: HashMap<String, (u64, HashMap<String, u64>)>,
}

impl Tally {
    fn add(&mut self, folded: String, spelling: &str) {
        let e = self.counts.entry(folded).or_default();
        e.0 += 1;
        *e.1.entry(spelling.to_string()).or_default() += 1;
    }

    /// Counts a meeting once under each distinct value of `f`; every spelling it uses votes
    /// for how the value is shown.
    fn add_meeting(&mut self, f: MeetingField, m: &Meeting) {
        let values = f.values(m);
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::with_capacity(values.len());
        for v in values {
            let folded = fold(v);
            let e = self.counts.entry(folded.clone()).or_default();
            if seen.insert(folded) {
                e.0 += 1;
            }
            *e.1.entry(v.trim().to_string()).or_default() += 1;
        }
    }

    /// Rows: the most frequent spelling of each value with its count; by count (most first)
    /// then value, or by value when `chronological`.
    fn rows(self, chronological: bool) -> Vec<(String, String, u64)> {
        let mut v: Vec<(String, String, u64)> = self
            .counts
            .into_iter()
            .map(|(folded, (n, spellings))| {
                let best = spellings
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                    .map(|(s, _)| s)
                    .unwrap_or_default();
                (folded, best, n)
            })
            .collect();
        if chronological {
            v.sort_by(|a, b| a.0.cmp(&b.0));
        } else {
            v.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        }
        v
    }
}

/// The first value of a key for sorting: folded, `None` when the meeting has none.
fn sort_value(k: Key, m: &Meeting) -> Option<String> {
    match k {
        Key::Year | Key::Month | Key::Field(MeetingField::Date) => None,
        Key::Field(f) => f.values(m).first().map(|v| fold(v)),
    }
}

fn json_values(f: MeetingField, m: &Meeting) -> Json {
    let single = |v: Option<&str>| v.map_or(Json::Null, |s| Json::String(s.to_string()));
    match f {
        MeetingField::Date => Json::String(m.date.to_string()),
        MeetingField::Kind => Json::String(m.kind.as_str().into()),
        MeetingField::City => single(m.city.as_deref()),
        MeetingField::Id => Json::String(m.id.clone()),
        f => Json::Array(f.distinct_values(m).into_iter().map(|(_, s)| Json::String(s.to_string())).collect()),
    }
}

fn select_row(sel: &[SelectField], m: &Meeting) -> Map<String, Json> {
    let mut row = Map::new();
    row.insert("id".into(), Json::String(m.id.clone()));
    for s in sel {
        let v = match s {
            SelectField::Key(Key::Field(f)) => json_values(*f, m),
            SelectField::Key(Key::Year) => Json::String(format!("{:04}", m.date.year)),
            SelectField::Key(Key::Month) => Json::String(m.date.month_bucket()),
            SelectField::Record(name) => match *name {
                "summary" => m.summary.clone().map_or(Json::Null, Json::String),
                "orgs" => serde_json::to_value(&m.orgs).unwrap_or_default(),
                "countries" => serde_json::to_value(&m.countries).unwrap_or_default(),
                "topics" => serde_json::to_value(&m.topics).unwrap_or_default(),
                "participants" => serde_json::to_value(&m.participants).unwrap_or_default(),
                _ => Json::Null,
            },
        };
        row.insert(s.name().to_string(), v);
    }
    row
}

impl<'a> Executor<'a> {
    pub fn new(store: &'a Store, cancel: Option<&'a std::sync::atomic::AtomicBool>) -> Executor<'a> {
        Executor { snap: store.snapshot(), read: Cell::new(0), held: Cell::new(0), cancel }
    }

    /// Fails with [`crate::Error::Interrupted`] once the query has been cancelled. Called once
    /// per row in every loop that can run long.
    fn check(&self) -> Result<()> {
        match self.cancel {
            Some(c) if c.load(std::sync::atomic::Ordering::Relaxed) => Err(crate::Error::Interrupted),
            _ => Ok(()),
        }
    }

    fn get(&self, r: &RowRef) -> Result<Option<Meeting>> {
        self.read.set(self.read.get() + 1);
        self.snap.record(r)
    }

    /// The rows an access path yields, sorted in the default order, without duplicates. What
    /// it holds at once is bounded by the rows it finds, not by the length of the query: the
    /// rows of many values (an `in` list, an `or`) are gathered without repeats as they come
    /// ([`Gathered`]), and an intersection is narrowed one input at a time.
    pub fn eval(&self, a: &Access) -> Result<Vec<RowRef>> {
        Ok(match a {
            Access::Dates(w) => {
                self.check()?;
                self.snap.rows(*w, false).collect::<Result<_>>()?
            }
            // One value's rows come sorted, once each.
            Access::Index { field, sels, window } if matches!(sels.as_slice(), [ValueSel::Point(_)]) => {
                let mut rows = Vec::new();
                for row in self.snap.index(*field, &sels[0], *window) {
                    self.check()?;
                    rows.push(row?);
                }
                self.hold(rows.len());
                rows
            }
            Access::Index { field, sels, window } => {
                let mut rows = Gathered::default();
                for s in sels {
                    for row in self.snap.index(*field, s, *window) {
                        self.check()?;
                        rows.push(row?);
                        self.hold(rows.held());
                    }
                }
                rows.finish()
            }
            Access::Grams { field, grams, .. } => {
                self.check()?;
                let rows = self.snap.gram_rows(*field, grams)?;
                self.refs_of(&rows)?
            }
            Access::Ids(ids) => {
                let mut rows = Gathered::default();
                for id in ids {
                    self.check()?;
                    self.read.set(self.read.get() + 1);
                    if let Some(r) = self.snap.find(id)? {
                        rows.push(r);
                        self.hold(rows.held());
                    }
                }
                rows.finish()
            }
            Access::Intersect(v) => {
                // Single values first, the likeliest to be few: an empty one ends it unread.
                let mut order: Vec<&Access> = v.iter().collect();
                order.sort_by_key(|x| !matches!(x, Access::Index { sels, .. } if sels.len() == 1));
                let mut acc: Option<Vec<RowRef>> = None;
                for x in order {
                    let rows = self.eval(x)?;
                    let next = match acc.take() {
                        None => rows,
                        Some(a) => intersect(a, rows),
                    };
                    if next.is_empty() {
                        return Ok(next);
                    }
                    acc = Some(next);
                }
                acc.unwrap_or_default()
            }
            Access::Union(v) => {
                let mut rows = Gathered::default();
                for x in v {
                    for r in self.eval(x)? {
                        rows.push(r);
                        self.hold(rows.held());
                    }
                }
                rows.finish()
            }
            Access::Complement(x) => {
                let not = self.eval(x)?;
                let all = self.snap.rows(DateWindow::ALL, false).collect::<Result<Vec<_>>>()?;
                minus(all, &not)
            }
        })
    }

    /// Notes that `n` candidate rows are held at once (see [`Executor::held`]).
    fn hold(&self, n: usize) {
        if n > self.held.get() {
            self.held.set(n);
        }
    }

    /// Candidate rows as an access path yields them: references, or row numbers when the text
    /// index takes part (it knows rows only; see [`Cands`]). An intersection with another
    /// index's references keeps those whose row the text index holds, reading no record.
    fn eval_cands(&self, a: &Access) -> Result<Cands> {
        match a {
            Access::Grams { field, grams, .. } => {
                self.check()?;
                Ok(Cands::Rows(self.snap.gram_rows(*field, grams)?))
            }
            Access::Intersect(v) if a.reads_grams() => {
                let (mut refs, mut rows) = self.eval_each(v)?;
                rows.sort_by_key(|r| r.len());
                let rows = rows.into_iter().reduce(intersect);
                if refs.is_empty() {
                    return Ok(Cands::Rows(rows.unwrap_or_default()));
                }
                refs.sort_by_key(|s| s.len());
                let mut it = refs.into_iter();
                let first = it.next().unwrap_or_default();
                let mut refs = it.fold(first, intersect);
                if let Some(rows) = rows {
                    refs.retain(|r| rows.binary_search(&r.row).is_ok());
                }
                Ok(Cands::Refs(refs))
            }
            Access::Union(v) if a.reads_grams() => {
                let (refs, rows) = self.eval_each(v)?;
                let (mut refs, mut rows) = (refs.concat(), rows.concat());
                if refs.iter().any(|r| r.row == RowRef::UNKNOWN) {
                    // Not every reference knows its row: the text index's rows become references.
                    rows.sort_unstable();
                    rows.dedup();
                    refs.extend(self.refs_of(&rows)?);
                    refs.sort_unstable();
                    refs.dedup();
                    return Ok(Cands::Refs(refs));
                }
                rows.extend(refs.into_iter().map(|r| r.row));
                rows.sort_unstable();
                rows.dedup();
                Ok(Cands::Rows(rows))
            }
            other => Ok(Cands::Refs(self.eval(other)?)),
        }
    }

    /// The candidates of each of `accesses`, as references (from the other indexes) and as rows
    /// (from the text index).
    fn eval_each(&self, accesses: &[Access]) -> Result<Split> {
        let (mut refs, mut rows) = (Vec::new(), Vec::new());
        for x in accesses {
            match self.eval_cands(x)? {
                Cands::Refs(r) => refs.push(r),
                Cands::Rows(r) => rows.push(r),
            }
        }
        Ok((refs, rows))
    }

    /// The references of the records at `rows` (ascending), in the default order, each read in
    /// place.
    fn refs_of(&self, rows: &[u64]) -> Result<Vec<RowRef>> {
        let mut out = Vec::with_capacity(rows.len());
        self.snap.scan_rows(
            rows,
            |row, v| {
                self.read.set(self.read.get() + 1);
                Some(RowRef { start: v.date.start(), end: v.date.end(), id: v.id().to_string(), row })
            },
            |r| {
                self.check()?;
                out.push(r);
                Ok(true)
            },
        )?;
        out.sort_unstable();
        Ok(out)
    }

    /// The records at `rows` (ascending) that the plan's filter holds for, tested in place, in
    /// the default order: each with its reference and, when `keep`, the record.
    fn tested(&self, plan: &Plan, rows: &[u64], keep: bool) -> Result<Vec<Cand>> {
        let mut out = Vec::new();
        self.snap.scan_rows(
            rows,
            |row, v| {
                self.read.set(self.read.get() + 1);
                if !plan.pred.as_ref().is_none_or(|p| holds(p, v)) {
                    return None;
                }
                let r = RowRef { start: v.date.start(), end: v.date.end(), id: v.id().to_string(), row };
                Some(Cand { r, tested: true, record: keep.then(|| Box::new(v.to_meeting())) })
            },
            |c| {
                self.check()?;
                out.push(c);
                Ok(true)
            },
        )?;
        out.sort_unstable_by(|a, b| a.r.cmp(&b.r));
        Ok(out)
    }

    /// Candidate rows in default order (or reversed by date with ties kept in id order). Rows
    /// of the text index are tested in place first, and only those that match come out (with
    /// their records when `keep`).
    fn candidates(&self, plan: &Plan, desc: bool, keep: bool) -> Result<Box<dyn Iterator<Item = Result<Cand>> + 'a>> {
        let untested = |r: RowRef| -> Result<Cand> { Ok(Cand { r, tested: false, record: None }) };
        match &plan.source {
            Source::Candidates { access, .. } => {
                let newest_first =
                    |x: &RowRef, y: &RowRef| (y.start, y.end).cmp(&(x.start, x.end)).then_with(|| x.id.cmp(&y.id));
                match self.eval_cands(access)? {
                    // Handed on one by one: no second list of every candidate.
                    Cands::Refs(mut refs) => {
                        if desc {
                            refs.sort_by(newest_first);
                        }
                        Ok(Box::new(refs.into_iter().map(untested)))
                    }
                    Cands::Rows(rows) => {
                        let mut found = self.tested(plan, &rows, keep)?;
                        if desc {
                            found.sort_by(|x, y| newest_first(&x.r, &y.r));
                        }
                        Ok(Box::new(found.into_iter().map(Ok)))
                    }
                }
            }
            _ if !desc => Ok(Box::new(self.snap.rows(DateWindow::ALL, false).map(move |r| r.and_then(untested)))),
            _ => Ok(Box::new(DescTies::new(self.snap.rows(DateWindow::ALL, true)).map(move |r| r.and_then(untested)))),
        }
    }

    /// The record of a candidate if it matches (reading it), or `None`.
    fn matching(&self, plan: &Plan, r: &RowRef) -> Result<Option<Meeting>> {
        let Some(m) = self.get(r)? else {
            return Ok(None);
        };
        match &plan.pred {
            Some(p) if !plan.source.known_matches() && !holds(p, &m) => Ok(None),
            _ => Ok(Some(m)),
        }
    }

    /// Calls `f` with every matching row, in no particular order: a sequential pass over the
    /// records when the plan scans (much cheaper than reading them in date order), else the
    /// source's rows, reading a record only when `need_record` or to re-check it. The record
    /// is `Some` whenever `need_record`.
    fn for_each_match(
        &self,
        plan: &Plan,
        need_record: bool,
        f: &mut dyn FnMut(RowRef, Option<Meeting>) -> Result<()>,
    ) -> Result<()> {
        if let (Source::Scan, Some(pred)) = (&plan.source, &plan.pred) {
            // A record whose bytes lack all the text the filter needs is passed over; any other
            // is read in place to test the filter; only a match is copied into an owned record,
            // and only when the caller wants the record.
            let mut needles = needles(pred).map(|n| Needles::new(&n));
            return self.snap.scan(
                |bytes| {
                    self.check()?;
                    self.read.set(self.read.get() + 1);
                    Ok(needles.as_mut().is_none_or(|n| n.may_match(bytes)))
                },
                |v| {
                    holds(pred, v).then(|| {
                        let row = RowRef {
                            start: v.date.start(),
                            end: v.date.end(),
                            id: v.id().to_string(),
                            row: RowRef::UNKNOWN,
                        };
                        (row, need_record.then(|| v.to_meeting()))
                    })
                },
                |(row, m)| {
                    f(row, m)?;
                    Ok(true)
                },
            );
        }
        for c in self.candidates(plan, false, need_record)? {
            self.check()?;
            let Cand { r, tested, record } = c?;
            if need_record || !(tested || plan.source.known_matches()) {
                let m = match record {
                    Some(m) => Some(m),
                    None if tested => self.get(&r)?.map(Box::new),
                    None => self.matching(plan, &r)?.map(Box::new),
                };
                if let Some(m) = m {
                    f(r, Some(*m))?;
                }
            } else {
                f(r, None)?;
            }
        }
        Ok(())
    }

    /// Runs the plan, handing rows to `sink` until it returns false or rows run out.
    pub fn run(&self, plan: &Plan, sink: &mut dyn FnMut(Row) -> Result<More>) -> Result<()> {
        if let Source::IndexCounts { field, window } = plan.source {
            return self.index_counts(plan, field, window, sink);
        }
        match &plan.output {
            Output::Meetings => self.meetings(plan, sink),
            Output::Total => {
                let n = if plan.source == Source::All {
                    self.snap.len()?
                } else {
                    let mut n = 0;
                    self.for_each_match(plan, false, &mut |_, _| {
                        n += 1;
                        Ok(())
                    })?;
                    n
                };
                sink(Row::Total { count: n })?;
                Ok(())
            }
            Output::CountBy(k) => {
                let mut tally = Tally::default();
                self.for_each_match(plan, plan.output.needs_records(), &mut |r, m| {
                    match (k, m) {
                        (Key::Year | Key::Month, _) => {
                            let d = row_date(&r);
                            let b = if *k == Key::Year { format!("{:04}", d.year) } else { d.month_bucket() };
                            tally.add(b.clone(), &b);
                        }
                        (Key::Field(MeetingField::Date), _) => {
                            let b = row_date(&r).to_string();
                            tally.add(b.clone(), &b);
                        }
                        (Key::Field(f), Some(m)) => tally.add_meeting(*f, &m),
                        (Key::Field(_), None) => {}
                    }
                    Ok(())
                })?;
                let chrono = matches!(k, Key::Year | Key::Month | Key::Field(MeetingField::Date));
                let field = match k {
                    Key::Field(f) => f.index(),
                    _ => None,
                };
                self.emit_counts(plan, tally.rows(chrono), field, sink)
            }
            Output::Facet(f) | Output::FacetTotal(f) => {
                let mut tally = Tally::default();
                self.for_each_match(plan, plan.output.needs_records(), &mut |_, m| {
                    if let Some(m) = m {
                        tally.add_meeting(*f, &m);
                    }
                    Ok(())
                })?;
                let rows = tally.rows(false);
                if let Output::FacetTotal(_) = plan.output {
                    sink(Row::Total { count: rows.len() as u64 })?;
                    return Ok(());
                }
                self.emit_counts(plan, rows, f.index(), sink)
            }
        }
    }

    /// `count by` an indexed field, or a facet, counted from the field's index entries whose
    /// dates lie in `window` (see [`Source::IndexCounts`]): every meeting has one entry per
    /// distinct value, so no record is read. Rows come in the order of [`Tally::rows`].
    fn index_counts(
        &self,
        plan: &Plan,
        field: crate::fields::IndexField,
        window: DateWindow,
        sink: &mut dyn FnMut(Row) -> Result<More>,
    ) -> Result<()> {
        self.check()?;
        let mut tally = Tally::default();
        for (folded, spelling, n) in self.snap.count_values(field, window)? {
            tally.counts.insert(folded, (n, HashMap::from([(spelling, 1)])));
        }
        let rows = tally.rows(false);
        if let Output::FacetTotal(_) = plan.output {
            sink(Row::Total { count: rows.len() as u64 })?;
            return Ok(());
        }
        // The spellings are already the index's own (`Store::count_values`): no look-up.
        self.emit_counts(plan, rows, None, sink)
    }

    /// Emits value/count rows after `offset`, up to `limit`. Values of an indexed field are
    /// shown as the index spells them, whichever way the counts were found.
    fn emit_counts(
        &self,
        plan: &Plan,
        rows: Vec<(String, String, u64)>,
        field: Option<crate::fields::IndexField>,
        sink: &mut dyn FnMut(Row) -> Result<More>,
    ) -> Result<()> {
        let limit = plan.limit.unwrap_or(u64::MAX);
        for (folded, spelling, count) in rows.into_iter().skip(plan.offset as usize).take(limit as usize) {
            let value = match field {
                Some(ix) => self.snap.spelling(ix, &folded)?.unwrap_or(spelling),
                None => spelling,
            };
            if !sink(Row::Count { value, count })? {
                break;
            }
        }
        Ok(())
    }

    fn out(&self, plan: &Plan, m: Box<Meeting>) -> Row {
        if plan.select.is_empty() {
            Row::Meeting(m)
        } else {
            Row::Selected(select_row(&plan.select, &m))
        }
    }

    fn meetings(&self, plan: &Plan, sink: &mut dyn FnMut(Row) -> Result<More>) -> Result<()> {
        let limit = plan.limit.unwrap_or(u64::MAX);
        if limit == 0 {
            return Ok(());
        }
        if let Some(Fetch::Stream { desc }) = plan.fetch {
            let mut skip = plan.offset;
            let mut sent = 0;
            // A few rows are read again once found; many are kept as they are tested.
            let keep = limit.saturating_add(plan.offset) > crate::plan::EARLY_STOP_ROWS;
            for c in self.candidates(plan, desc, keep)? {
                self.check()?;
                let Cand { r, tested, record } = c?;
                if skip > 0 && (tested || plan.source.known_matches()) {
                    // The index (or a test in place) already knows this row matches: skip it unread.
                    skip -= 1;
                    continue;
                }
                let m = match record {
                    Some(m) => Some(m),
                    None if tested => self.get(&r)?.map(Box::new),
                    None => self.matching(plan, &r)?.map(Box::new),
                };
                let Some(m) = m else { continue };
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                sent += 1;
                if !sink(self.out(plan, m))? || sent >= limit {
                    break;
                }
            }
            return Ok(());
        }
        // Boxed, so that sorting moves pointers rather than whole records.
        let mut all: Vec<(Option<String>, RowRef, Box<Meeting>)> = Vec::new();
        let key = plan.order.map(|(k, _)| k);
        self.for_each_match(plan, true, &mut |r, m| {
            if let Some(m) = m {
                let v = match key {
                    Some(Key::Year) => Some(format!("{:04}", m.date.year)),
                    Some(Key::Month) => Some(m.date.month_bucket()),
                    Some(k) => sort_value(k, &m),
                    None => None,
                };
                all.push((v, r, Box::new(m)));
            }
            Ok(())
        })?;
        let desc = matches!(plan.order, Some((_, true)));
        if matches!(plan.order, None | Some((Key::Field(MeetingField::Date), _))) {
            all.sort_by(|a, b| {
                if desc {
                    (b.1.start, b.1.end).cmp(&(a.1.start, a.1.end)).then_with(|| a.1.id.cmp(&b.1.id))
                } else {
                    a.1.cmp(&b.1)
                }
            });
        } else {
            // Missing values last in both directions; ties keep the default order.
            all.sort_by(|a, b| {
                let by_value = match (&a.0, &b.0) {
                    (Some(x), Some(y)) => {
                        let o = x.cmp(y);
                        if desc {
                            o.reverse()
                        } else {
                            o
                        }
                    }
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                };
                by_value.then_with(|| a.1.cmp(&b.1))
            });
        }
        for (_, _, m) in all.into_iter().skip(plan.offset as usize).take(limit as usize) {
            if !sink(self.out(plan, m))? {
                break;
            }
        }
        Ok(())
    }
}

/// Rows in descending date order with rows of equal dates in ascending id order (the default
/// order's tie-break), from a reversed date-index scan.
struct DescTies<'a> {
    inner: Box<dyn Iterator<Item = Result<RowRef>> + 'a>,
    group: std::vec::IntoIter<RowRef>,
    next: Option<RowRef>,
}

impl<'a> DescTies<'a> {
    fn new(inner: Box<dyn Iterator<Item = Result<RowRef>> + 'a>) -> Self {
        DescTies { inner, group: Vec::new().into_iter(), next: None }
    }
}

impl Iterator for DescTies<'_> {
    type Item = Result<RowRef>;

    fn next(&mut self) -> Option<Result<RowRef>> {
        if let Some(r) = self.group.next() {
            return Some(Ok(r));
        }
        let first = match self.next.take() {
            Some(r) => r,
            None => match self.inner.next()? {
                Ok(r) => r,
                Err(e) => return Some(Err(e)),
            },
        };
        let mut group = vec![first];
        loop {
            match self.inner.next() {
                Some(Ok(r)) if (r.start, r.end) == (group[0].start, group[0].end) => group.push(r),
                Some(Ok(r)) => {
                    self.next = Some(r);
                    break;
                }
                Some(Err(e)) => return Some(Err(e)),
                None => break,
            }
        }
        group.reverse();
        self.group = group.into_iter();
        self.group.next().map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::ParticipantField;

    /// One evaluator, two record forms: every predicate holds on a record read in place exactly
    /// when it holds on the owned record.
    #[test]
    fn predicates_hold_alike_on_views_and_owned_records() {
        let s = |f, t| Pred::Str(f, t);
        let p = |f, t| Pred::Participant(Box::new(PPred::Str(f, t)));
        let y2020 = "2020".parse::<PartialDate>().unwrap();
        let preds = [
            s(MeetingField::Text, StrTest::Contains("water".into())),
            s(MeetingField::Text, StrTest::Contains("ş".into())),
            s(MeetingField::Person, StrTest::Prefix("ay".into())),
            s(MeetingField::Country, StrTest::In(vec!["türkiye".into(), "iran".into()])),
            s(MeetingField::City, StrTest::Cmp(CmpOp::Lt, "b".into())),
            s(MeetingField::Kind, StrTest::Cmp(CmpOp::Eq, "call".into())),
            s(MeetingField::Source, StrTest::Contains("example".into())),
            s(MeetingField::Id, StrTest::Prefix("g-5-1".into())),
            Pred::Exists(MeetingField::Title),
            Pred::Not(Box::new(Pred::Exists(MeetingField::City))),
            Pred::Date(DateWindow { start_min: y2020.start(), ..DateWindow::ALL }),
            p(ParticipantField::Org, StrTest::Prefix("ministry of foreign affairs of t".into())),
            Pred::Participant(Box::new(PPred::And(vec![
                PPred::Exists(ParticipantField::Title),
                PPred::Not(Box::new(PPred::Str(ParticipantField::Country, StrTest::Cmp(CmpOp::Eq, "iran".into())))),
            ]))),
            Pred::Or(vec![
                s(MeetingField::Topic, StrTest::Cmp(CmpOp::Eq, "trade".into())),
                s(MeetingField::Org, StrTest::Cmp(CmpOp::Ge, "un".into())),
            ]),
        ];
        let ms: Vec<Meeting> = crate::gen::generate_meetings(5_000, 5).collect();
        let store = crate::storage::testing::in_memory();
        store.write(ms.clone()).unwrap();
        let snap = store.snapshot();
        let mut ruled_out = 0;
        for pred in &preds {
            let mut n = 0;
            let mut needles = needles(pred).map(|n| Needles::new(&n));
            // Every record is offered and read in place; the needles' verdict on its bytes is
            // kept beside what the predicate says of the view.
            let may = Cell::new(true);
            let mut seen = 0;
            snap.scan(
                |b| {
                    may.set(needles.as_mut().is_none_or(|n| n.may_match(b)));
                    Ok(true)
                },
                |v| Some((holds(pred, v), v.to_meeting())),
                |(in_place, m)| {
                    let owned = holds(pred, &m);
                    assert_eq!(in_place, owned, "{pred:?} on {}", m.id);
                    n += owned as usize;
                    // A scan passes over a record only when the filter cannot hold for it.
                    assert!(may.get() || !owned, "{pred:?} ruled out {}", m.id);
                    ruled_out += !may.get() as usize;
                    seen += 1;
                    Ok(true)
                },
            )
            .unwrap();
            assert_eq!(seen, ms.len());
            // Each predicate picks some records and leaves others.
            assert!(0 < n && n < ms.len(), "{pred:?} holds for {n}");
        }
        assert!(ruled_out > ms.len(), "{ruled_out}");
    }

    #[test]
    fn needles_are_text_every_match_must_hold() {
        let s = |f, t| Pred::Str(f, t);
        let contains = |p: &str| StrTest::Contains(p.into());
        let water = s(MeetingField::Text, contains("water"));
        assert_eq!(needles(&water), Some(vec!["water"]));
        assert_eq!(needles(&s(MeetingField::Kind, StrTest::Cmp(CmpOp::Eq, "call".into()))), None);
        assert_eq!(needles(&s(MeetingField::City, StrTest::Cmp(CmpOp::Lt, "b".into()))), None);
        assert_eq!(needles(&s(MeetingField::City, contains("türk"))), None);
        assert_eq!(needles(&s(MeetingField::City, StrTest::Prefix("un ".into()))), Some(vec!["un "]));
        assert_eq!(needles(&Pred::Not(Box::new(water.clone()))), None);
        let in_list = s(MeetingField::Country, StrTest::In(vec!["iran".into(), "oman".into()]));
        assert_eq!(needles(&in_list), Some(vec!["iran", "oman"]));
        // All of: the most telling one; any of: all, or nothing when one branch needs none.
        assert_eq!(needles(&Pred::And(vec![in_list.clone(), water.clone()])), Some(vec!["water"]));
        assert_eq!(needles(&Pred::Or(vec![in_list.clone(), water.clone()])), Some(vec!["iran", "oman", "water"]));
        assert_eq!(needles(&Pred::Or(vec![water.clone(), Pred::Exists(MeetingField::City)])), None);
        let pp = PPred::Or(vec![
            PPred::Str(ParticipantField::Org, StrTest::Cmp(CmpOp::Eq, "osce".into())),
            PPred::And(vec![
                PPred::Exists(ParticipantField::Title),
                PPred::Str(ParticipantField::Name, StrTest::Prefix("ay".into())),
            ]),
        ]);
        assert_eq!(needles(&Pred::<MeetingField>::Participant(Box::new(pp))), Some(vec!["osce", "ay"]));
    }

    /// An `or` (or `in` list) of many values whose meetings overlap holds each meeting once,
    /// not once per value: 1,000 meetings that share 100 orgs are 100,000 index entries, and
    /// the candidates gathered stay within twice the meetings (plus [`GATHER_MIN`]).
    #[test]
    fn issue_16_8_the_rows_of_many_values_are_held_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::storage::Store::open(dir.path()).unwrap();
        let shared: Vec<String> = (0..100).map(|i| format!("Org {i}")).collect();
        let meetings: Vec<Meeting> = (0..1000)
            .map(|i| {
                let mut m = crate::storage::testing::rec(&format!("m-{i}"), &format!("2024-{:02}", 1 + i % 12), &[]);
                m.orgs = shared.iter().cloned().chain([format!("Own {i}")]).collect();
                m
            })
            .collect();
        store.write(meetings).unwrap();
        let list = shared.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ");
        for q in [
            format!("meetings where org in [{list}]"),
            format!(
                "meetings where {} or person = \"nobody\"",
                shared.iter().map(|o| format!("org = \"{o}\"")).collect::<Vec<_>>().join(" or ")
            ),
            format!("meetings where (org in [{list}] or org = \"Own 7\") and date >= 2024-06"),
        ] {
            let plan = crate::plan::plan(&crate::lang::parse_query(&q).unwrap(), &crate::plan::Params::new()).unwrap();
            assert!(matches!(plan.source, Source::Candidates { .. }), "{q}: {:?}", plan.source);
            let run = |plan: &Plan| {
                let exec = Executor::new(&store, None);
                let mut ids = Vec::new();
                exec.run(plan, &mut |r| {
                    if let Row::Meeting(m) = r {
                        ids.push(m.id);
                    }
                    Ok(true)
                })
                .unwrap();
                (ids, exec.held.get())
            };
            let (ids, held) = run(&plan);
            let (scanned, _) = run(&plan.scanning());
            assert_eq!(ids, scanned, "{q}: the index and a scan disagree");
            assert!(ids.len() >= 500, "{q}: {} rows prove little", ids.len());
            assert!(held <= 2 * ids.len() + GATHER_MIN, "{q}: {held} rows held for {} meetings", ids.len());
        }
    }

    #[test]
    fn row_dates_reconstruct_partial_dates() {
        for s in ["2024", "2024-02", "2024-02-29", "2023-12", "2023-12-31", "1999"] {
            let d: PartialDate = s.parse().unwrap();
            let r = RowRef { start: d.start(), end: d.end(), id: String::new(), row: 0 };
            assert_eq!(row_date(&r).to_string(), s);
        }
    }
}
