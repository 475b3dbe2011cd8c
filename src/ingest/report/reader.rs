//! The report reader: normalises the text (BOM, CRLF, odd spacing), finds the header date
//! (` date YYYY-MM-DD`), an optional title line, the dateline (`CITY, Country, Month Day.`,
//! `CITY, Mon. Day (Outlet) --`, `CITY (Outlet) -`, `City, 12 March 2024 —`...), the publisher
//! when the report names it, and the paragraphs.

use super::lexicons::{month_number, Lexicon};
use crate::model::PartialDate;

/// A dateline: where and (part of) when the report was filed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dateline {
    /// The city, spelled as in the gazetteer or in title case.
    pub city: Option<String>,
    /// The country named in the dateline, or the city's country from the gazetteer.
    pub country: Option<String>,
    /// Month, day and year when the dateline gives them.
    pub month: Option<u8>,
    /// Day of the month.
    pub day: Option<u8>,
    /// Year, rarely given.
    pub year: Option<u16>,
    /// The outlet named in the dateline ("(Kazinform)", "/Trend/").
    pub outlet: Option<String>,
}

/// A report, read.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The normalised text: no BOM, `\n` line ends, paragraphs separated by a blank line.
    pub text: String,
    /// The header date.
    pub header_date: Option<PartialDate>,
    /// The title line, when present.
    pub title: Option<String>,
    /// The dateline, when present.
    pub dateline: Option<Dateline>,
    /// The body paragraphs, the dateline cut from the first.
    pub paragraphs: Vec<String>,
    /// The outlet, from the dateline or a "…, Trend reports." phrase.
    pub publisher: Option<String>,
}

/// Collapses runs of white space (tabs, no-break spaces, doubled spaces) into one space.
fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{feff}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Reads a header ` date YYYY-MM-DD` at the start of `line`; returns the date and the rest.
fn header(line: &str) -> Option<(PartialDate, &str)> {
    let t = line.trim_start();
    let lower = t.get(..5)?.to_ascii_lowercase();
    if lower != "date " && lower != "date:" {
        return None;
    }
    let rest = t[5..].trim_start_matches([' ', ':']);
    let date: PartialDate = rest.get(..10)?.parse().ok()?;
    Some((date, rest[10..].trim_start()))
}

fn ends_sentence(s: &str) -> bool {
    s.ends_with(['.', '!', '?', ':', '"', '”', ';'])
}

/// Reads a report.
pub fn read(raw: &str) -> Report {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let raw = raw.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = raw.lines().map(squeeze).collect();
    let mut report = Report::default();
    // The header: the first non-empty line.
    if let Some(first) = lines.iter_mut().find(|l| !l.is_empty()) {
        if let Some((d, rest)) = header(first) {
            report.header_date = Some(d);
            *first = rest.to_string();
        }
    }
    // Paragraphs: blocks of lines separated by blank lines; a block's lines are joined, except
    // that a first line without closing punctuation followed by more text is the title.
    let mut blocks: Vec<Vec<String>> = vec![Vec::new()];
    for l in lines {
        if l.is_empty() {
            if !blocks.last().unwrap().is_empty() {
                blocks.push(Vec::new());
            }
        } else {
            blocks.last_mut().unwrap().push(l);
        }
    }
    blocks.retain(|b| !b.is_empty());
    let lex = Lexicon::get();
    let mut paragraphs: Vec<String> = Vec::new();
    // Each paragraph's first line and the rest, when it has more than one line.
    let mut lined: Vec<Option<(String, String)>> = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let mut lines = b.as_slice();
        if i == 0 && report.title.is_none() && paragraphs.is_empty() {
            let first = &lines[0];
            let more = lines.len() > 1 || blocks.len() > 1;
            if more
                && !ends_sentence(first)
                && parse_dateline(first, lex).is_none()
                && own_line(first, lex).is_none()
                && first.len() < 200
            {
                report.title = Some(without_media_label(first).to_string());
                lines = &lines[1..];
            }
        }
        if !lines.is_empty() {
            paragraphs.push(lines.join(" "));
            lined.push((lines.len() > 1).then(|| (lines[0].clone(), lines[1..].join(" "))));
        }
    }
    // The dateline opens the body, or one of its first paragraphs (after a photo caption or
    // a byline), or stands alone on a line ("Ramallah", "Munich, Germany, 1 February 2014").
    for (p, lined) in paragraphs.iter_mut().zip(&lined).take(4) {
        // A dateline that fills its own line ("Manila, February 14"), the lead on the next.
        if let Some((first, next)) = lined {
            if let Some(d) = own_line(first, lex) {
                report.publisher = d.outlet.clone();
                report.dateline = Some(d);
                *p = next.clone();
                break;
            }
            // A standfirst line without closing punctuation, the dateline opening the next.
            if !ends_sentence(first) {
                if let Some((d, rest)) = parse_dateline(next, lex) {
                    report.publisher = d.outlet.clone();
                    report.dateline = Some(d);
                    *p = rest;
                    break;
                }
            }
        }
        // A syndication mark before it: "(MENAFN- Trend News Agency) TASHKENT, …".
        let body = match p.strip_prefix('(').and_then(|r| r.find(')').map(|e| (e, r))) {
            Some((e, r)) if e < 60 => r[e + 1..].trim_start().to_string(),
            _ => p.clone(),
        };
        let body = without_time(&body).to_string();
        if let Some((d, rest)) = parse_dateline(&body, lex) {
            report.publisher = d.outlet.clone();
            report.dateline = Some(d);
            *p = rest;
            break;
        }
        // A paragraph that is a dateline and nothing more ("Baku, May 9, AGENCY").
        if let Some(d) = own_line(&body, lex).or_else(|| standalone_place(&body)) {
            if report.publisher.is_none() {
                report.publisher = d.outlet.clone();
            }
            report.dateline = Some(d);
            *p = String::new();
            break;
        }
    }
    if report.publisher.is_none() {
        report.publisher = paragraphs.first().and_then(|p| publisher_phrase(p));
    }
    paragraphs.retain(|p| !p.is_empty());
    let mut text = String::new();
    if let Some(t) = &report.title {
        text.push_str(t);
        text.push_str("\n\n");
    }
    text.push_str(&blocks_text(&blocks, report.title.is_some()));
    report.text = text.trim().to_string();
    report.paragraphs = paragraphs;
    report
}

/// A headline without the media label an outlet ends it with ("… met the envoy VIDEO",
/// "… [PHOTOS]"): the label says what the page shows, not how the meeting was held.
fn without_media_label(title: &str) -> &str {
    let t = title.trim_end();
    let bare = t.trim_end_matches([']', ')']);
    for label in ["VIDEO", "VIDEOS", "PHOTO", "PHOTOS"] {
        if let Some(before) = bare.strip_suffix(label) {
            let rest = before.trim_end_matches([' ', '[', '(', '-', '|', '–', ':']);
            // (A whole word: "VIDEO" after a space or a bracket, not the end of "TELEVIDEO".)
            if rest.len() < before.len() {
                return rest;
            }
        }
    }
    t
}

/// The text after a time of filing that opens it ("18:15 | Lima, Feb. 8."), else all of it.
fn without_time(p: &str) -> &str {
    let digits = |s: &str| s.len() <= 2 && !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let Some((time, rest)) = p.split_once(' ') else { return p };
    match time.split_once(':') {
        Some((h, m)) if digits(h) && m.len() == 2 && digits(m) => {
            rest.trim_start().strip_prefix('|').unwrap_or(rest).trim_start()
        }
        _ => p,
    }
}

/// A line that is a dateline and nothing more ("Manila, February 14").
/// (A dateline is a few words: a longer line is a sentence whose date part reads on.)
fn own_line(line: &str, lex: &Lexicon) -> Option<Dateline> {
    if line.split_whitespace().count() > 10 {
        return None;
    }
    parse_dateline(&format!("{line}. X"), lex).filter(|(_, r)| r == "X").map(|(d, _)| d)
}

fn blocks_text(blocks: &[Vec<String>], titled: bool) -> String {
    let mut parts = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let lines = if i == 0 && titled { &b[1..] } else { &b[..] };
        if !lines.is_empty() {
            parts.push(lines.join(" "));
        }
    }
    parts.join("\n\n")
}

/// "…, Trend reports." / "…, AKIpress reported." in the lead paragraph.
fn publisher_phrase(p: &str) -> Option<String> {
    for marker in [" reports.", " reported.", " reports,", " reported,"] {
        if let Some(at) = p.find(marker) {
            let before = &p[..at];
            let start = before.rfind([',', '(', '.']).map_or(0, |i| i + 1);
            let name = before[start..].trim();
            let words: Vec<&str> = name.split(' ').collect();
            if !name.is_empty()
                && words.len() <= 3
                && words.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
            {
                return Some(name.to_string());
            }
        }
    }
    None
}

fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut upper = true;
    for c in word.chars() {
        if upper {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        upper = c == '-' || c == ' ' || c == '\'';
    }
    out
}

/// A short paragraph naming a city and perhaps its country and a date, as readouts put the
/// place on a line of its own ("Ramallah", "New York 01 October 2015", "Munich, Germany, 1
/// February 2014").
fn standalone_place(p: &str) -> Option<Dateline> {
    let words = p.split_whitespace().count();
    if words == 0 || words > 7 || ends_sentence(p) && !p.ends_with('.') {
        return None;
    }
    let g = super::gazetteer::gazetteer();
    // "United Nations, New York, 9 February 2010": the city after an institution.
    let (p, (len, city)) = match g.city_at(p) {
        Some(c) => (p, c),
        None => {
            let after = p.split_once(", ")?.1;
            (after, g.city_at(after)?)
        }
    };
    let rest = p[len..].trim_start_matches([',', ' ']);
    let mut d =
        Dateline { city: Some(city.name.to_string()), country: Some(city.country.to_string()), ..Default::default() };
    let (clen, country) = g.country_at(rest).unwrap_or((0, ""));
    let rest = if clen > 0 {
        if country != city.country {
            return None;
        }
        rest[clen..].trim_start_matches([',', ' '])
    } else {
        rest
    };
    let rest = rest.trim_end_matches('.');
    if !(rest.is_empty() || date_part(rest, &mut d)) {
        return None;
    }
    Some(d)
}

/// Parses a dateline at the start of `p`; returns it and the rest of the paragraph.
pub fn parse_dateline(p: &str, lex: &Lexicon) -> Option<(Dateline, String)> {
    // "AGENCY (CITY, 29 March 2022) – …": the outlet first, the dateline in its brackets.
    if let Some(found) = outlet_first(p, lex) {
        return Some(found);
    }
    // "Country, City, 12 February / Agency / …": the country before the city reads as after it.
    let swapped;
    let p = match country_first(p, lex) {
        Some(s) => {
            swapped = s;
            swapped.as_str()
        }
        None => p,
    };
    let mut d = Dateline::default();
    // "Manila [Philippines], March 26 (ANI):": the bracketed country reads as ", Philippines".
    let bracketed;
    let p = match (p.find(" ["), p.find("],")) {
        (Some(a), Some(b)) if a < b && b < 60 => {
            bracketed = format!("{}, {}{}", &p[..a], &p[a + 2..b], &p[b + 1..]);
            bracketed.as_str()
        }
        _ => p,
    };
    // The city: up to four capitalised words.
    let city_end = p.find([',', '(', '/', ':', '—', '–']).unwrap_or(p.len());
    let mut city_raw = &p[..city_end];
    // "ASTANA. KAZINFORM – ..." and "BISHKEK - ..." forms.
    let mut rest;
    // (And "LIMA.- …", as the Spanish-language press writes it.)
    if let Some(dot) = city_raw.find(". ").or_else(|| city_raw.find(" -")).or_else(|| city_raw.find(".- ")) {
        city_raw = &p[..dot];
        rest = &p[dot..];
    } else {
        rest = &p[city_end..];
    }
    let mut city_raw = city_raw.trim();
    if city_raw.is_empty() || city_raw.split(' ').count() > 5 {
        return None;
    }
    // "City February 6/2022 /Agency/": a known city and a date with no comma between them.
    if lex.city(city_raw).is_none() {
        if let Some((city, date)) = city_then_date(city_raw, lex) {
            if date_part(date, &mut d) {
                city_raw = city;
                // "6/2022": the year after a slash.
                if let Some(y) = rest.strip_prefix('/').and_then(|r| r.get(..4)).and_then(|y| y.parse::<u16>().ok()) {
                    if (1900..=2100).contains(&y) {
                        d.year = Some(y);
                        rest = &rest[5..];
                    }
                }
            }
        }
    }
    if city_raw.split(' ').count() > 4 {
        return None;
    }
    let all_caps = city_raw.chars().any(|c| c.is_alphabetic()) && !city_raw.chars().any(|c| c.is_lowercase());
    // "UNITED NATIONS, May 4": the headquarters in New York.
    let un = city_raw.eq_ignore_ascii_case("united nations").then(|| lex.city("New York")).flatten();
    let known = un.or_else(|| lex.city(city_raw)).or_else(|| lex.city(&title_case(city_raw)));
    // A country in capitals opens a headline ("UAE: …"), not a dateline.
    if !all_caps && known.is_none() || known.is_none() && lex.country(city_raw).is_some() {
        return None;
    }
    match known {
        Some((name, country)) => {
            d.city = Some(name.to_string());
            d.country = Some(country.to_string());
        }
        None => d.city = Some(title_case(city_raw)),
    }
    let mut found_separator = false;
    // Whether the part just read was an outlet in brackets or slashes.
    let mut outlet_last = false;
    loop {
        let t = rest.trim_start();
        if t.is_empty() {
            rest = t;
            break;
        }
        if let Some(after) = t.strip_prefix(',') {
            outlet_last = false;
            let after = after.trim_start();
            let end = after.find([',', '(', '/', '—', '–']).unwrap_or(after.len());
            // ("New York, Sep 22: The minister …": a colon ends the date part too.)
            let end = after[..end].find(": ").unwrap_or(end);
            let end = part_end(&after[..end]);
            let part = after[..end].trim().trim_end_matches('.');
            if let Some(c) = lex.country(part) {
                d.country = Some(c.to_string());
            } else if date_part(part, &mut d) {
            } else if outlet_in_capitals(part) {
                // "YEREVAN, NOVEMBER 16, AGENCY. …": the outlet in capitals after the date.
                d.outlet = Some(title_case(part));
                if after[end..].trim_start().starts_with(". ") {
                    rest = &after[end..];
                    rest = rest.trim_start().strip_prefix('.').unwrap_or(rest);
                    found_separator = true;
                    break;
                }
            } else {
                return None;
            }
            rest = &after[end..];
            continue;
        }
        if let Some(after) = t.strip_prefix('(') {
            let end = after.find(')')?;
            d.outlet = Some(after[..end].trim().to_string());
            rest = &after[end + 1..];
            outlet_last = true;
            continue;
        }
        if let Some(after) = t.strip_prefix('/') {
            let end = after.find('/')?;
            d.outlet = Some(after[..end].trim().to_string());
            rest = &after[end + 1..];
            outlet_last = true;
            continue;
        }
        // "ASTANA. KAZINFORM – ": an outlet in capitals after a full stop.
        if let Some(after) = t.strip_prefix(". ") {
            let word_end = after.find([' ', '.']).unwrap_or(after.len());
            let word = &after[..word_end];
            let next = after[word_end..].trim_start();
            if word.len() > 2
                && !word.chars().any(|c| c.is_lowercase())
                && (next.starts_with(['–', '—', '-']) || next.starts_with('.'))
            {
                d.outlet = Some(title_case(word));
                rest = &after[word_end..];
                continue;
            }
        }
        for sep in ["--", ".-", "—", "–", "-", ".", ":"] {
            if let Some(after) = t.strip_prefix(sep) {
                rest = after;
                found_separator = true;
                break;
            }
        }
        // "City, August 11, 2023 (Agency) The minister …": the outlet's bracket ends the
        // dateline when the sentence follows straight on.
        if !found_separator && outlet_last && t.chars().next().is_some_and(char::is_uppercase) {
            rest = t;
            found_separator = true;
        }
        break;
    }
    if !found_separator {
        return None;
    }
    Some((d, rest.trim().to_string()))
}

/// "AGENCY (CITY, 29 March 2022) – …": an outlet in capitals, then a dateline in brackets.
fn outlet_first(p: &str, lex: &Lexicon) -> Option<(Dateline, String)> {
    let open = p.find(" (")?;
    let outlet = &p[..open];
    if outlet.is_empty() || outlet.contains(' ') || !outlet_in_capitals(outlet) || outlet.len() > 12 {
        return None;
    }
    let inner_end = p[open + 2..].find(')')? + open + 2;
    let inner = &p[open + 2..inner_end];
    if inner.contains('(') || !inner.contains(',') {
        return None;
    }
    let (mut d, rest) = parse_dateline(&format!("{inner} –"), lex)?;
    if !rest.is_empty() || d.month.is_none() {
        return None;
    }
    d.outlet = Some(outlet.to_string());
    let after = p[inner_end + 1..].trim_start();
    let after = ["--", "—", "–", "-", ":"].iter().find_map(|s| after.strip_prefix(s)).unwrap_or(after);
    Some((d, after.trim().to_string()))
}

/// "Country, City, date …" read as "City, Country, date …", when the second part is a city
/// of that country.
fn country_first(p: &str, lex: &Lexicon) -> Option<String> {
    let comma = p.find(", ")?;
    let country = lex.country(&p[..comma])?;
    let after = &p[comma + 2..];
    let end = after.find([',', '(', '/', '—', '–']).unwrap_or(after.len());
    let (_, city_country) = lex.city(after[..end].trim())?;
    (city_country == country).then(|| format!("{}, {}{}", after[..end].trim(), &p[..comma], &after[end..]))
}

/// A known city followed by a date, without a comma ("Addis Ababa February 6"): the city's
/// and the date's words.
fn city_then_date<'a>(raw: &'a str, lex: &Lexicon) -> Option<(&'a str, &'a str)> {
    let cuts: Vec<usize> = raw.match_indices(' ').map(|(i, _)| i).collect();
    cuts.iter().rev().find_map(|&i| {
        let (city, date) = (&raw[..i], raw[i + 1..].trim());
        let first = date.split(' ').next().unwrap_or("");
        (month_number(first).is_some() && lex.city(city).is_some()).then_some((city, date))
    })
}

/// A dateline part that names an outlet in capitals ("ARMENPRESS", "AKI PRESS"): one to
/// three words of capital letters.
fn outlet_in_capitals(part: &str) -> bool {
    let words = part.split(' ').count();
    (1..=3).contains(&words)
        && part.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && part.chars().all(|c| c.is_uppercase() || c == ' ' || c == '-' || c == '.')
        && month_number(part).is_none()
}

/// Where a comma-separated dateline part ends: at ". " (not after a month abbreviation) or " -".
fn part_end(s: &str) -> usize {
    let mut from = 0;
    while let Some(i) = s[from..].find(". ") {
        let at = from + i;
        let word = s[..at].rsplit(' ').next().unwrap_or("");
        if month_number(word).is_none() || word.len() > 4 {
            return at.min(s.find(" -").unwrap_or(at));
        }
        from = at + 2;
    }
    s.find(" -").unwrap_or(s.len())
}

/// A day of the week, whole or cut short ("Friday", "Fri.", "Thurs.").
fn weekday_word(w: &str) -> bool {
    let w = w.trim_end_matches('.').to_lowercase();
    w.len() >= 3 && super::lexicons::WEEKDAYS.iter().any(|d| d.starts_with(w.as_str()))
}

/// A date part of a dateline: "January 17", "Jan. 17", "17 January 2024", "2024".
fn date_part(part: &str, d: &mut Dateline) -> bool {
    let mut words: Vec<&str> = part.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    // "Friday January 24, 2020", "Thurs. April 9": the day of the week before the date.
    if words.len() > 2 && weekday_word(words[0]) {
        words.remove(0);
    }
    let num = |w: &str| w.trim_end_matches('.').parse::<u32>().ok();
    match words.as_slice() {
        [y] if num(y).is_some_and(|y| (1900..=2100).contains(&y)) => {
            d.year = num(y).map(|y| y as u16);
            true
        }
        [m, day, rest @ ..] if month_number(m).is_some() && num(day).is_some_and(|x| (1..=31).contains(&x)) => {
            d.month = month_number(m);
            d.day = num(day).map(|x| x as u8);
            if let [y] = rest {
                d.year = num(y).filter(|y| (1900..=2100).contains(y)).map(|y| y as u16);
            }
            true
        }
        [day, m, rest @ ..] if month_number(m).is_some() && num(day).is_some_and(|x| (1..=31).contains(&x)) => {
            d.month = month_number(m);
            d.day = num(day).map(|x| x as u8);
            if let [y] = rest {
                d.year = num(y).filter(|y| (1900..=2100).contains(y)).map(|y| y as u16);
            }
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_of_filing_before_the_dateline() {
        let r = read(" date 2019-02-08 Ministers meet\n\n18:15 | Lima, Feb. 8.\n\nThe minister met the envoy.");
        let d = r.dateline.unwrap();
        assert_eq!((d.city.as_deref(), d.month, d.day), (Some("Lima"), Some(2), Some(8)));
    }

    #[test]
    fn a_dateline_on_a_line_of_its_own() {
        let r = read(" date 2024-03-04\nLisbon, March 4\nThe minister met the envoy. They spoke.\n\nMore.");
        assert_eq!(r.title, None);
        let d = r.dateline.unwrap();
        assert_eq!(d.city.as_deref(), Some("Lisbon"));
        assert_eq!((d.month, d.day), (Some(3), Some(4)));
        assert_eq!(r.paragraphs, ["The minister met the envoy. They spoke.", "More."]);
    }

    #[test]
    fn header_and_dateline_on_one_line() {
        let r =
            read(" date 2024-01-17 ASHGABAT, Turkmenistan, January 17. Turkmenistan spoke, Trend reports.\n\nMore.");
        assert_eq!(r.header_date.unwrap().to_string(), "2024-01-17");
        let d = r.dateline.unwrap();
        assert_eq!(d.city.as_deref(), Some("Ashgabat"));
        assert_eq!(d.country.as_deref(), Some("Turkmenistan"));
        assert_eq!((d.month, d.day), (Some(1), Some(17)));
        assert_eq!(r.publisher.as_deref(), Some("Trend"));
        assert_eq!(r.paragraphs, ["Turkmenistan spoke, Trend reports.", "More."]);
    }

    #[test]
    fn dateline_shapes() {
        let lex = Lexicon::get();
        let (d, rest) = parse_dateline("DUSHANBE, Feb. 5 (Xinhua) -- Talks were held.", lex).unwrap();
        assert_eq!(
            (d.city.as_deref(), d.country.as_deref(), d.month, d.day),
            (Some("Dushanbe"), Some("Tajikistan"), Some(2), Some(5))
        );
        assert_eq!(d.outlet.as_deref(), Some("Xinhua"));
        assert_eq!(rest, "Talks were held.");
        let (d, _) = parse_dateline("BISHKEK (AKIpress) - Talks.", lex).unwrap();
        assert_eq!(d.city.as_deref(), Some("Bishkek"));
        let (d, rest) = parse_dateline("LIMA.- The minister met his guest.", lex).unwrap();
        assert_eq!((d.city.as_deref(), rest.as_str()), (Some("Lima"), "The minister met his guest."));
        let (d, rest) = parse_dateline("ASTANA. KAZINFORM – Talks.", lex).unwrap();
        assert_eq!(
            (d.city.as_deref(), d.outlet.as_deref(), rest.as_str()),
            (Some("Astana"), Some("Kazinform"), "Talks.")
        );
        let (d, _) = parse_dateline("Tashkent, 12 March 2024 — Talks.", lex).unwrap();
        assert_eq!((d.day, d.month, d.year), (Some(12), Some(3), Some(2024)));
        let (d, _) = parse_dateline("ASTANA, Kazakhstan, March 4, 2024. Talks.", lex).unwrap();
        assert_eq!((d.day, d.month, d.year), (Some(4), Some(3), Some(2024)));
        assert!(parse_dateline("Turkmenistan has expressed interest, Trend reports.", lex).is_none());
    }

    #[test]
    fn dateline_shapes_of_more_outlets() {
        let lex = Lexicon::get();
        // The date straight after the city, the year after a slash, the outlet in slashes.
        let (d, rest) = parse_dateline("Addis Ababa March 3/2021 /AGENCY/ The two ministers met.", lex).unwrap();
        assert_eq!((d.city.as_deref(), d.month, d.day, d.year), (Some("Addis Ababa"), Some(3), Some(3), Some(2021)));
        assert_eq!(rest, "The two ministers met.");
        // The outlet's bracket ends the dateline.
        let (d, rest) = parse_dateline("Nairobi, June 4, 2022 (Agency) The envoy met the minister.", lex).unwrap();
        assert_eq!((d.city.as_deref(), d.year, d.outlet.as_deref()), (Some("Nairobi"), Some(2022), Some("Agency")));
        assert_eq!(rest, "The envoy met the minister.");
        // The outlet in capitals after the date.
        let (d, rest) = parse_dateline("YEREVAN, MAY 9, NEWSWIRE. The ministers met.", lex).unwrap();
        assert_eq!((d.city.as_deref(), d.month, d.outlet.as_deref()), (Some("Yerevan"), Some(5), Some("Newswire")));
        assert_eq!(rest, "The ministers met.");
        // The country before the city.
        let (d, rest) = parse_dateline("Azerbaijan, Baku, 12 May / Agency / The minister received him.", lex).unwrap();
        assert_eq!((d.city.as_deref(), d.country.as_deref(), d.day), (Some("Baku"), Some("Azerbaijan"), Some(12)));
        assert_eq!(rest, "The minister received him.");
        // The outlet first, the dateline in its brackets.
        let (d, rest) = parse_dateline("NWS (KATHMANDU, 2 May 2022) – The minister met his guest.", lex).unwrap();
        assert_eq!((d.city.as_deref(), d.day, d.outlet.as_deref()), (Some("Kathmandu"), Some(2), Some("NWS")));
        assert_eq!(rest, "The minister met his guest.");
        // Not datelines.
        assert!(parse_dateline("Regional News Agency (Addis Ababa)", lex).is_none());
        assert!(parse_dateline("Kenya, a country of farms, grew.", lex).is_none());
        assert!(parse_dateline("UN (the world body) said so.", lex).is_none());
    }

    #[test]
    fn crlf_bom_title_and_spacing() {
        let r =
            read("\u{feff}date 2023-05-02\r\nTalks in  Astana\r\n\r\nASTANA,\tKazakhstan, May 2.  Text   here.\r\n");
        assert_eq!(r.title.as_deref(), Some("Talks in Astana"));
        assert_eq!(r.paragraphs, ["Text here."]);
        assert_eq!(r.dateline.unwrap().city.as_deref(), Some("Astana"));
    }
}
