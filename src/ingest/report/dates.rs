//! Dates in a sentence, resolved against the report's own date (the dateline's day, else the
//! header's): `on February 21, 2023`, `on 15 February 2024`, `on April 24`, `24 July`, `21-22 May`,
//! `16th October, 2020`; weekdays (`on Tuesday`, `Wang Yi Wednesday held talks`, `last Friday`,
//! `On Wednesday (1)` — the day of the month in brackets); `yesterday`, `today`, `this
//! morning`; `this week` / `earlier this week` (the month only). A date without a year takes
//! the reference's year, or the year before when it would fall after the reference.

use super::lexicons::{month_number, WEEKDAYS};
use super::sentences::Token;
use crate::model::{civil_from_days, days_from_civil, PartialDate};

/// A day of the month written as a number, an ordinal ("16th") or the first of a range ("21-22").
fn day_number(word: &str) -> Option<u8> {
    let w = word.split(['-', '–']).next().unwrap_or(word);
    let w = ["st", "nd", "rd", "th"].iter().find_map(|s| w.strip_suffix(s)).unwrap_or(w);
    if w.is_empty() || w.len() > 2 || !w.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    w.parse::<u8>().ok().filter(|d| (1..=31).contains(d))
}

fn year_number(word: &str) -> Option<u16> {
    let y = word.parse::<u16>().ok()?;
    (word.len() == 4 && (1900..=2100).contains(&y)).then_some(y)
}

fn days(d: &PartialDate) -> i32 {
    days_from_civil(d.year as i32, d.month.unwrap_or(1) as u32, d.day.unwrap_or(1) as u32)
}

fn from_days(n: i32) -> Option<PartialDate> {
    let (y, m, d) = civil_from_days(n);
    PartialDate::new(u16::try_from(y).ok()?, Some(m as u8), Some(d as u8)).ok()
}

/// The day of the week of a day count, 0 = Monday.
fn weekday_of(n: i32) -> i32 {
    // 1970-01-01 (day 0) was a Thursday.
    (n + 3).rem_euclid(7)
}

/// A month and day without a year: in the reference's year, or the year before when that
/// would come more than [`AHEAD`] days after the reference.
fn month_day(month: u8, day: u8, year: Option<u16>, reference: PartialDate) -> Option<PartialDate> {
    if let Some(y) = year {
        return PartialDate::new(y, Some(month), Some(day)).ok();
    }
    let d = PartialDate::new(reference.year, Some(month), Some(day)).ok()?;
    if reference.day.is_some() && days(&d) > days(&reference) + AHEAD {
        return PartialDate::new(reference.year - 1, Some(month), Some(day)).ok();
    }
    Some(d)
}

/// A day this close after the report's own is still of its year: a page dated the day
/// before the event it reports (a time zone, a release dated when written).
const AHEAD: i32 = 3;

/// Verbs of saying: a date right after one ("the ministry said Friday", "announced on
/// Monday") is when it was said, which a date of the meeting itself overrides.
const SAYING: &[&str] = &["said", "says", "announced", "reported", "stated", "tweeted", "told"];

/// How many days `date` lies before `reference` (negative when after); `None` unless both
/// give the day.
pub fn days_before(reference: PartialDate, date: PartialDate) -> Option<i32> {
    (reference.day.is_some() && date.day.is_some()).then(|| days(&reference) - days(&date))
}

/// A date a sentence states, how it was said, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stated {
    /// The date, resolved.
    pub date: PartialDate,
    /// Said only as "today", "this evening", "tonight": the publication's day, which a later
    /// explicit date of the same meeting overrides (a release published the morning after).
    pub weak: bool,
    /// The token where it begins.
    pub at: usize,
}

/// The first date a sentence states, resolved against `reference` (a full date, or the year
/// and month when that is all that is known; relative words need a full date).
pub fn date_in(toks: &[Token<'_>], reference: PartialDate) -> Option<PartialDate> {
    stated_in(toks, reference).map(|s| s.date)
}

/// The date a sentence states, as [`date_in`], and whether it was said only as "today". A
/// date in the sentence's first words that is the report's own day, followed by another date,
/// is the dateline's ("CITY, March 3 (Agency) The minister met … on Tuesday."): the later one
/// is the meeting's.
/// A date said right after a verb of saying ("said Wednesday that they met on Tuesday") gives
/// way to a later one, and counts as weak when it is the only one.
pub fn stated_in(toks: &[Token<'_>], reference: PartialDate) -> Option<Stated> {
    let mut first = first_in(toks, reference, 0)?;
    if first.at < 6 && !first.weak && first.date == reference {
        if let Some(next) = first_in(toks, reference, first.at + 3) {
            return Some(next);
        }
    }
    let said = |at: usize| {
        let word = |k: usize| at.checked_sub(k).and_then(|i| toks.get(i)).map(|t| t.text.to_lowercase());
        let verb = |k: usize| word(k).is_some_and(|w| SAYING.contains(&w.as_str()));
        verb(1) || (word(1).as_deref() == Some("on") && verb(2))
    };
    if said(first.at) {
        if let Some(next) = first_in(toks, reference, first.at + 1) {
            return Some(next);
        }
        first.weak = true;
    }
    Some(first)
}

fn first_in(toks: &[Token<'_>], reference: PartialDate, from: usize) -> Option<Stated> {
    let strong = |date: PartialDate, at: usize| Some(Stated { date, weak: false, at });
    // "this evening [Wednesday 26 February]": an explicit date right after a relative word.
    let weak = |at: usize, to: usize| {
        let end = toks.len().min(to + 7);
        match first_in(&toks[..end], reference, to) {
            Some(s) if !s.weak => Some(s),
            _ => Some(Stated { date: reference, weak: true, at }),
        }
    };
    let word = |i: usize| toks.get(i).filter(|t| t.word).map(|t| t.text);
    let full = reference.day.is_some();
    for i in from..toks.len() {
        // The year of "Month Day[,] Year" / "Day Month[,] Year", at token `at`.
        let year_after = |at: usize| {
            word(at)
                .and_then(year_number)
                .or_else(|| toks.get(at).filter(|t| t.is(',')).and(word(at + 1)).and_then(year_number))
        };
        let Some(w) = word(i) else { continue };
        let lower = w.to_lowercase();
        // "since his inauguration on the 29th of May": an earlier event's day.
        // So is a day an event is still to take place on ("ahead of the forum, to take place on
        // Monday May 22", "scheduled for").
        let since = toks[i.saturating_sub(8)..i].iter().any(|t| t.text.eq_ignore_ascii_case("since"))
            || toks[i.saturating_sub(5)..i].windows(2).any(|w| {
                matches!((w[0].text, w[1].text), ("to" | "will", "take") | ("scheduled" | "slated" | "due", _))
            });
        // Month Day[,] [Year]
        if let Some(m) = month_number(w).filter(|_| w.chars().next().is_some_and(char::is_uppercase)) {
            if let Some(d) = word(i + 1).and_then(day_number) {
                let y = year_after(i + 2);
                if let Some(date) = month_day(m, d, y, reference).filter(|_| !since) {
                    return strong(date, i);
                }
            }
            continue;
        }
        // Day Month [Year], "the 14th of October"
        if let Some(d) = day_number(w) {
            let of = usize::from(
                word(i + 1).is_some_and(|n| n == "of")
                    && i > 0
                    && word(i - 1).is_some_and(|t| t.eq_ignore_ascii_case("the")),
            );
            let next = word(i + 1 + of).filter(|n| n.chars().next().is_some_and(char::is_uppercase));
            if let Some(m) = next.and_then(month_number) {
                let y = year_after(i + 2 + of);
                if let Some(date) = month_day(m, d, y, reference).filter(|_| !since) {
                    return strong(date, i);
                }
            }
            continue;
        }
        if !full {
            continue;
        }
        let prev = i.checked_sub(1).and_then(word).map(str::to_lowercase);
        // "Wednesday (1)", "today (19)": the day of the month in brackets, in the report's
        // month or the one before.
        let bracket_day = |i: usize| {
            if !(toks.get(i + 1).is_some_and(|t| t.is('(')) && toks.get(i + 3).is_some_and(|t| t.is(')'))) {
                return None;
            }
            let d = word(i + 2).and_then(day_number)?;
            let m = reference.month?;
            let (y, m) = if Some(d) > reference.day {
                if m == 1 {
                    (reference.year - 1, 12)
                } else {
                    (reference.year, m - 1)
                }
            } else {
                (reference.year, m)
            };
            PartialDate::new(y, Some(m), Some(d)).ok()
        };
        // "a visit beginning yesterday": when something else began.
        if matches!(prev.as_deref(), Some("beginning" | "starting" | "since")) {
            continue;
        }
        if let Some(wd) = WEEKDAYS.iter().position(|x| *x == lower) {
            if prev.as_deref() == Some("next") || prev.as_deref() == Some("every") {
                continue;
            }
            // An explicit date right after the weekday wins ("Monday, 3 March"); another
            // weekday does not ("on Tuesday evening and Wednesday").
            let after = if toks.get(i + 1).is_some_and(|t| t.is(',')) { i + 2 } else { i + 1 };
            let end = toks.len().min(after + 4);
            let explicit = |s: &Stated| {
                let t = toks[s.at].text;
                !s.weak && (day_number(t).is_some() || month_number(t).is_some())
            };
            if let Some(d) = first_in(&toks[..end], reference, after.min(end)).filter(explicit) {
                return Some(d);
            }
            if since {
                continue;
            }
            if let Some(date) = bracket_day(i) {
                return strong(date, i);
            }
            let r = days(&reference);
            let back = (weekday_of(r) - wd as i32).rem_euclid(7);
            let back = if back == 0 && prev.as_deref() == Some("last") { 7 } else { back };
            return from_days(r - back).and_then(|d| strong(d, i));
        }
        match lower.as_str() {
            "today" | "tonight" | "yesterday" if bracket_day(i).is_some() => {
                return bracket_day(i).and_then(|d| strong(d, i))
            }
            "yesterday" => return from_days(days(&reference) - 1).and_then(|d| strong(d, i)),
            "today" | "tonight" => return weak(i, i + 1),
            "this" => match word(i + 1).map(str::to_lowercase).as_deref() {
                Some("morning" | "afternoon" | "evening") => return weak(i, i + 2),
                Some("week") => {
                    return PartialDate::new(reference.year, reference.month, None).ok().and_then(|d| strong(d, i))
                }
                _ => {}
            },
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::sentences::tokens;
    use super::*;

    fn on(s: &str, reference: &str) -> Option<String> {
        date_in(&tokens(s), reference.parse().unwrap()).map(|d| d.to_string())
    }

    #[test]
    fn stated_dates() {
        let r = "2024-03-10";
        assert_eq!(on("On February 21, 2023, the minister received the envoy.", r).as_deref(), Some("2023-02-21"));
        assert_eq!(on("The talks were held on 24 July.", r).as_deref(), Some("2023-07-24"));
        assert_eq!(on("They met on March 4 in the capital.", r).as_deref(), Some("2024-03-04"));
        assert_eq!(on("The envoy will be in town on 21-22 May 2023.", r).as_deref(), Some("2023-05-21"));
        assert_eq!(on("KYIV (Agency - 16th October, 2020) The sides met.", r).as_deref(), Some("2020-10-16"));
        assert_eq!(on("They may meet again.", r), None);
        assert_eq!(on("On the 12th of January, the envoy met the minister.", r).as_deref(), Some("2024-01-12"));
        assert_eq!(on("On the 2nd of March 2022, they met.", r).as_deref(), Some("2022-03-02"));
    }

    #[test]
    fn weekdays_and_relative_words() {
        // 2024-01-17 was a Wednesday.
        let r = "2024-01-17";
        assert_eq!(on("The ministers met on Tuesday.", r).as_deref(), Some("2024-01-16"));
        assert_eq!(on("The minister Wednesday held talks with his guest.", r).as_deref(), Some("2024-01-17"));
        assert_eq!(on("They spoke last Wednesday.", r).as_deref(), Some("2024-01-10"));
        assert_eq!(on("The envoy arrived on Monday, 3 March.", r).as_deref(), Some("2023-03-03"));
        assert_eq!(on("The talks run on Tuesday evening and Wednesday.", r).as_deref(), Some("2024-01-16"));
        assert_eq!(on("He met the delegation yesterday.", r).as_deref(), Some("2024-01-16"));
        assert_eq!(on("The talks were part of a visit beginning yesterday.", r), None);
        assert_eq!(on("He has been in town since Monday.", r), None);
        assert_eq!(on("It is their first meeting since his election as president on the 9th of January.", r), None);
        assert_eq!(on("The two met earlier this week.", r).as_deref(), Some("2024-01"));
        assert_eq!(on("On Friday (12), the two ministers met.", r).as_deref(), Some("2024-01-12"));
        assert_eq!(on("On Friday (29), the two ministers met.", r).as_deref(), Some("2023-12-29"));
        // Across a year boundary: a Saturday before a Tuesday 2 January.
        assert_eq!(on("The leaders met on Saturday.", "2024-01-02").as_deref(), Some("2023-12-30"));
        assert_eq!(on("They will meet next Monday.", r), None);
        // An explicit date right after a relative word wins.
        assert_eq!(
            on("The envoys met this evening [Tuesday 16 January] in the old town.", r).as_deref(),
            Some("2024-01-16")
        );
        // The dateline's own day at the start gives way to the meeting's weekday.
        assert_eq!(
            on("Riverton January 17/2024 (Agency) The minister met the envoy on Monday.", r).as_deref(),
            Some("2024-01-15")
        );
        assert_eq!(
            on("Riverton, January 17, 2024, The minister spoke with the envoy by phone yesterday.", r).as_deref(),
            Some("2024-01-16")
        );
        let weak = stated_in(&tokens("The ministers met this evening."), r.parse().unwrap()).unwrap();
        assert!(weak.weak);
        // The day something was said gives way to the day of the meeting.
        assert_eq!(on("The ministry said Wednesday that the envoys met on Monday.", r).as_deref(), Some("2024-01-15"));
        let said = stated_in(&tokens("The envoys met in the port, the ministry said Tuesday."), r.parse().unwrap());
        assert!(said.is_some_and(|s| s.weak && s.date.to_string() == "2024-01-16"));
        // A day just after the report's own is of its year, not the year before.
        assert_eq!(on("On January 18, the two presidents met.", r).as_deref(), Some("2024-01-18"));
        assert_eq!(on("On January 25, the two presidents met.", r).as_deref(), Some("2023-01-25"));
    }
}
