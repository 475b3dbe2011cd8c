//! The evaluation harness: runs [`extract`](super::extract) over a directory of reports and
//! compares with a gold file, giving precision and recall per field and the meeting-detection
//! accuracy (`meetql eval-extract DIR GOLD.jsonl`).
//!
//! The gold file holds one JSON object a line:
//!
//! ```text
//! {"doc": "01-ashgabat.txt", "meetings": [{"date": "2024-01-17", "city": "Ashgabat",
//!   "country": "Turkmenistan", "kind": "meeting",
//!   "participants": [{"name": "Kaha Imnadze", "title": "Head of UNRCCA"}],
//!   "orgs": ["UNRCCA"], "topics": ["security"]}]}
//! ```
//!
//! Extracted meetings are paired with gold ones by shared participant names. For a single-valued
//! field (date, city, country, kind) a pair scores when both values are equal ignoring case;
//! multi-valued fields (participant names, (name, title) pairs, orgs, topics) score per value.
//! Precision is right values over extracted values, recall right values over gold values;
//! values of unpaired meetings count as wrong or missed. Organisations compare by identity: an
//! acronym and its full name (from the list or the report's own "Full Name (ACR)") are one.
//! A report counts as detected correctly when it gives as many meetings as the gold says.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use super::lexicons::Lexicon;
use crate::error::{DataError, Error};
use crate::model::Meeting;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldDoc {
    doc: String,
    #[serde(default)]
    meetings: Vec<GoldMeeting>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldMeeting {
    date: String,
    #[serde(default)]
    city: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    participants: Vec<GoldParticipant>,
    #[serde(default)]
    orgs: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldParticipant {
    name: String,
    #[serde(default)]
    title: Option<String>,
}

/// Counts for one field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Extracted values that are right.
    pub right: usize,
    /// Values extracted.
    pub extracted: usize,
    /// Values in the gold file.
    pub gold: usize,
}

impl Score {
    /// Right over extracted (1 when nothing was extracted).
    pub fn precision(&self) -> f64 {
        if self.extracted == 0 {
            1.0
        } else {
            self.right as f64 / self.extracted as f64
        }
    }

    /// Right over gold (1 when the gold has nothing).
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.right as f64 / self.gold as f64
        }
    }

    fn add_sets(&mut self, got: &BTreeSet<String>, want: &BTreeSet<String>) {
        self.right += got.intersection(want).count();
        self.extracted += got.len();
        self.gold += want.len();
    }
}

/// The fields scored, in the order they print.
pub const FIELDS: [&str; 8] = ["date", "city", "country", "kind", "names", "titles", "orgs", "topics"];

/// What [`evaluate`] found.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// Reports read.
    pub reports: usize,
    /// Reports that gave as many meetings as the gold says.
    pub detected: usize,
    /// Meetings extracted, and in the gold.
    pub meetings: (usize, usize),
    /// The score of each field of [`FIELDS`].
    pub scores: Vec<(&'static str, Score)>,
    /// One line per difference, for people tuning the rules.
    pub differences: Vec<String>,
}

impl EvalReport {
    /// The score of a field.
    pub fn score(&self, field: &str) -> Score {
        self.scores.iter().find(|(f, _)| *f == field).map(|(_, s)| *s).unwrap_or_default()
    }

    /// Reports with the right number of meetings, over reports.
    pub fn detection(&self) -> f64 {
        if self.reports == 0 {
            1.0
        } else {
            self.detected as f64 / self.reports as f64
        }
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<10} {:>9} {:>7} {:>6} {:>9} {:>6}",
            "field", "precision", "recall", "right", "extracted", "gold"
        )?;
        for (name, s) in &self.scores {
            writeln!(
                f,
                "{:<10} {:>9.3} {:>7.3} {:>6} {:>9} {:>6}",
                name,
                s.precision(),
                s.recall(),
                s.right,
                s.extracted,
                s.gold
            )?;
        }
        writeln!(
            f,
            "meeting detection: {:.3} ({} of {} reports with the right number of meetings; {} meetings extracted, {} in the gold)",
            self.detection(),
            self.detected,
            self.reports,
            self.meetings.0,
            self.meetings.1
        )?;
        if f.alternate() {
            for d in &self.differences {
                writeln!(f, "  {d}")?;
            }
        }
        Ok(())
    }
}

fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// An organisation's identity: its acronym when the list or the report knows one.
fn org_key(s: &str, aliases: &[(String, String)]) -> String {
    if let Some((a, _)) = aliases.iter().find(|(a, f)| a.eq_ignore_ascii_case(s) || f.eq_ignore_ascii_case(s)) {
        return fold(a);
    }
    if let Some(o) = Lexicon::get().org(s).or_else(|| Lexicon::get().org(&s.to_uppercase())) {
        return fold(o.acronym);
    }
    fold(s)
}

/// Runs the extractor on each report of the gold file (paths relative to `dir`) and scores it.
pub fn evaluate(dir: &Path, gold: &Path) -> Result<EvalReport, Error> {
    let text = std::fs::read_to_string(gold).map_err(|source| Error::Io { path: gold.to_path_buf(), source })?;
    let origin = gold.display().to_string();
    let mut report = EvalReport::default();
    let mut scores: HashMap<&'static str, Score> = HashMap::new();
    for (ln, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: GoldDoc = serde_json::from_str(line)
            .map_err(|e| DataError::new(origin.clone(), Some(ln + 1), format!("bad gold line: {e}")))?;
        let _ = &g.note;
        let path = dir.join(&g.doc);
        let bytes = std::fs::read(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
        let x = super::read_report(&g.doc, &bytes)?;
        report.reports += 1;
        report.meetings.0 += x.meetings.len();
        report.meetings.1 += g.meetings.len();
        if x.meetings.len() == g.meetings.len() {
            report.detected += 1;
        } else {
            report.differences.push(format!(
                "{}: {} meetings extracted, {} in the gold{}",
                g.doc,
                x.meetings.len(),
                g.meetings.len(),
                x.skipped.as_deref().map(|s| format!(" (skipped: {s})")).unwrap_or_default()
            ));
        }
        score_doc(&g, &x.meetings, &x.aliases, &mut scores, &mut report.differences);
    }
    report.scores = FIELDS.iter().map(|f| (*f, scores.get(f).copied().unwrap_or_default())).collect();
    Ok(report)
}

/// What was extracted and what the gold says, for one field of one meeting pair.
type Compared = (BTreeSet<String>, BTreeSet<String>);

fn names(m: &Meeting) -> BTreeSet<String> {
    m.participants.iter().map(|p| fold(&p.name)).collect()
}

fn score_doc(
    g: &GoldDoc,
    got: &[Meeting],
    aliases: &[(String, String)],
    scores: &mut HashMap<&'static str, Score>,
    diffs: &mut Vec<String>,
) {
    // Pair gold meetings with extracted ones by shared names.
    let mut used = vec![false; got.len()];
    let mut pairs: Vec<(Option<&GoldMeeting>, Option<&Meeting>)> = Vec::new();
    for gm in &g.meetings {
        let want: BTreeSet<String> = gm.participants.iter().map(|p| fold(&p.name)).collect();
        let best = got
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, m)| (i, names(m).intersection(&want).count()))
            .filter(|(_, n)| *n > 0)
            .max_by_key(|(i, n)| (*n, usize::MAX - i));
        match best {
            Some((i, _)) => {
                used[i] = true;
                pairs.push((Some(gm), Some(&got[i])));
            }
            None => pairs.push((Some(gm), None)),
        }
    }
    for (i, m) in got.iter().enumerate() {
        if !used[i] {
            pairs.push((None, Some(m)));
        }
    }
    for (gm, m) in pairs {
        let single = |want: Option<String>, have: Option<String>| {
            let w: BTreeSet<String> = want.map(|s| fold(&s)).into_iter().collect();
            let h: BTreeSet<String> = have.map(|s| fold(&s)).into_iter().collect();
            (h, w)
        };
        let fields: [(&'static str, Compared); 8] = [
            ("date", single(gm.map(|g| g.date.clone()), m.map(|m| m.date.to_string()))),
            ("city", single(gm.and_then(|g| g.city.clone()), m.and_then(|m| m.city.clone()))),
            ("country", single(gm.and_then(|g| g.country.clone()), m.and_then(|m| m.country.clone()))),
            (
                "kind",
                single(
                    gm.map(|g| g.kind.clone().unwrap_or_else(|| "meeting".into())),
                    m.map(|m| m.kind.as_str().to_string()),
                ),
            ),
            (
                "names",
                (
                    m.map(names).unwrap_or_default(),
                    gm.map(|g| g.participants.iter().map(|p| fold(&p.name)).collect()).unwrap_or_default(),
                ),
            ),
            (
                "titles",
                (
                    m.map(|m| {
                        m.participants
                            .iter()
                            .filter_map(|p| p.title.as_ref().map(|t| format!("{} = {}", fold(&p.name), fold(t))))
                            .collect()
                    })
                    .unwrap_or_default(),
                    gm.map(|g| {
                        g.participants
                            .iter()
                            .filter_map(|p| p.title.as_ref().map(|t| format!("{} = {}", fold(&p.name), fold(t))))
                            .collect()
                    })
                    .unwrap_or_default(),
                ),
            ),
            (
                "orgs",
                (
                    m.map(|m| m.orgs.iter().map(|o| org_key(o, aliases)).collect()).unwrap_or_default(),
                    gm.map(|g| g.orgs.iter().map(|o| org_key(o, aliases)).collect()).unwrap_or_default(),
                ),
            ),
            (
                "topics",
                (
                    m.map(|m| m.topics.iter().map(|t| fold(t)).collect()).unwrap_or_default(),
                    gm.map(|g| g.topics.iter().map(|t| fold(t)).collect()).unwrap_or_default(),
                ),
            ),
        ];
        for (name, (have, want)) in fields {
            scores.entry(name).or_default().add_sets(&have, &want);
            let extra: Vec<&String> = have.difference(&want).collect();
            let missing: Vec<&String> = want.difference(&have).collect();
            if !extra.is_empty() || !missing.is_empty() {
                diffs.push(format!("{}: {name}: extra {extra:?}, missing {missing:?}", g.doc));
            }
        }
    }
}
