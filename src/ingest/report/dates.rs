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
/// would come after the reference.
fn month_day(month: u8, day: u8, year: Option<u16>, reference: PartialDate) -> Option<PartialDate> {
    if let Some(y) = year {
        return PartialDate::new(y, Some(month), Some(day)).ok();
    }
    let d = PartialDate::new(reference.year, Some(month), Some(day)).ok()?;
    if reference.day.is_some() && days(&d) > days(&reference) {
        return PartialDate::new(reference.year - 1, Some(month), Some(day)).ok();
    }
    Some(d)
}

/// The first date a sentence states, resolved against `reference` (a full date, or the year
/// and month when that is all that is known; relative words need a full date).
pub fn date_in(toks: &[Token<'_>], reference: PartialDate) -> Option<PartialDate> {
    let word = |i: usize| toks.get(i).filter(|t| t.word).map(|t| t.text);
    let full = reference.day.is_some();
    for i in 0..toks.len() {
        let Some(w) = word(i) else { continue };
        let lower = w.to_lowercase();
        // Month Day[,] [Year]
        if let Some(m) = month_number(w).filter(|_| w.chars().next().is_some_and(char::is_uppercase)) {
            if let Some(d) = word(i + 1).and_then(day_number) {
                let y = word(i + 2)
                    .and_then(year_number)
                    .or_else(|| toks.get(i + 2).filter(|t| t.is(',')).and(word(i + 3)).and_then(year_number));
                if let Some(date) = month_day(m, d, y, reference) {
                    return Some(date);
                }
            }
            continue;
        }
        // Day Month [Year]
        if let Some(d) = day_number(w) {
            let next = word(i + 1).filter(|n| n.chars().next().is_some_and(char::is_uppercase));
            if let Some(m) = next.and_then(month_number) {
                let y = word(i + 2)
                    .and_then(year_number)
                    .or_else(|| toks.get(i + 2).filter(|t| t.is(',')).and(word(i + 3)).and_then(year_number));
                if let Some(date) = month_day(m, d, y, reference) {
                    return Some(date);
                }
            }
            continue;
        }
        if !full {
            continue;
        }
        let prev = i.checked_sub(1).and_then(word).map(str::to_lowercase);
        if let Some(wd) = WEEKDAYS.iter().position(|x| *x == lower) {
            if prev.as_deref() == Some("next") || prev.as_deref() == Some("every") {
                continue;
            }
            // An explicit date right after the weekday wins ("Monday, 3 March").
            let after = if toks.get(i + 1).is_some_and(|t| t.is(',')) { i + 2 } else { i + 1 };
            if let Some(d) = date_in(&toks[after.min(toks.len())..toks.len().min(after + 4)], reference) {
                return Some(d);
            }
            // "Wednesday (1)": the day of the month in brackets.
            if toks.get(i + 1).is_some_and(|t| t.is('(')) && toks.get(i + 3).is_some_and(|t| t.is(')')) {
                if let Some(d) = word(i + 2).and_then(day_number) {
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
                    if let Ok(date) = PartialDate::new(y, Some(m), Some(d)) {
                        return Some(date);
                    }
                }
            }
            let r = days(&reference);
            let back = (weekday_of(r) - wd as i32).rem_euclid(7);
            let back = if back == 0 && prev.as_deref() == Some("last") { 7 } else { back };
            return from_days(r - back);
        }
        match lower.as_str() {
            "yesterday" => return from_days(days(&reference) - 1),
            "today" | "tonight" => return Some(reference),
            "this" => match word(i + 1).map(str::to_lowercase).as_deref() {
                Some("morning" | "afternoon" | "evening") => return Some(reference),
                Some("week") => return PartialDate::new(reference.year, reference.month, None).ok(),
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
    }

    #[test]
    fn weekdays_and_relative_words() {
        // 2024-01-17 was a Wednesday.
        let r = "2024-01-17";
        assert_eq!(on("The ministers met on Tuesday.", r).as_deref(), Some("2024-01-16"));
        assert_eq!(on("The minister Wednesday held talks with his guest.", r).as_deref(), Some("2024-01-17"));
        assert_eq!(on("They spoke last Wednesday.", r).as_deref(), Some("2024-01-10"));
        assert_eq!(on("The envoy arrived on Monday, 3 March.", r).as_deref(), Some("2023-03-03"));
        assert_eq!(on("He met the delegation yesterday.", r).as_deref(), Some("2024-01-16"));
        assert_eq!(on("The two met earlier this week.", r).as_deref(), Some("2024-01"));
        assert_eq!(on("On Friday (12), the two ministers met.", r).as_deref(), Some("2024-01-12"));
        assert_eq!(on("On Friday (29), the two ministers met.", r).as_deref(), Some("2023-12-29"));
        // Across a year boundary: a Saturday before a Tuesday 2 January.
        assert_eq!(on("The leaders met on Saturday.", "2024-01-02").as_deref(), Some("2023-12-30"));
        assert_eq!(on("They will meet next Monday.", r), None);
    }
}
