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
