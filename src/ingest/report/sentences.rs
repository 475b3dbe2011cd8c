//! Sentences and tokens. A sentence ends at `.`, `!` or `?` followed by a space and a capital
//! letter, a digit or a quote, unless the word before is an abbreviation ("Mr.", "Feb.",
//! "U.S.") or an initial ("J.", "G.L."). Paragraph ends always end a sentence.

/// Abbreviations after which a full stop does not end a sentence (lower case, without the dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "ms", "mrs", "dr", "prof", "st", "gen", "col", "lt", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "e.u", "u.n", "vs", "etc", "inc", "ltd", "co", "jr", "sr", "h.e",
    "h.m", "h.r.h", "h.h", "approx", "est", "hon", "amb", "sen", "rep", "gov", "pres", "sec", "rt", "maj", "capt",
    "adm", "gen", "brig", "sgt", "mt", "ft", "jnr", "snr", "messrs", "mme", "mlle", "nos", "art", "para", "fig", "vol",
];

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    // An initial ("J."), or initials run together ("G.L.", "A.B.C."), as names write them.
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let single = w.chars().count() == 1 && w.chars().all(char::is_alphabetic);
    let dotted =
        word.contains('.') && word.split('.').all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase));
    ABBREVIATIONS.contains(&w.as_str()) || single || dotted
}

/// Splits a paragraph into sentences (trimmed, non-empty).
pub fn split(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = paragraph.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'.' || b == b'!' || b == b'?' {
            // Closing quotes and brackets stay with the sentence.
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')') {
                end += 1;
            }
            let rest = &paragraph[end..];
            let next = rest.trim_start();
            let spaced = rest.len() > next.len();
            let starts =
                next.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“«".contains(c));
            let word_start = paragraph[..i].rfind(' ').map_or(0, |s| s + 1);
            let word = &paragraph[word_start..i];
            // "…concerns.It was…": a sentence glued to the next, a lower-case word before the
            // stop and a capitalised word after it.
            let glued = !spaced
                && word.chars().count() >= 3
                && word.chars().all(|c| c.is_lowercase())
                && next.chars().next().is_some_and(char::is_uppercase)
                && next.chars().nth(1).is_some_and(char::is_lowercase);
            // "at 9:30 p.m. Tuesday": a time before a day goes on.
            let clock = matches!(word, "a.m" | "p.m")
                && next.split(|c: char| !c.is_alphabetic()).next().is_some_and(|w| {
                    super::lexicons::WEEKDAYS.contains(&w.to_lowercase().as_str())
                        || super::lexicons::month_number(w).is_some()
                });
            if (spaced || glued) && starts && !clock && !(b == b'.' && is_abbreviation(word)) {
                let s = paragraph[start..end].trim();
                if !s.is_empty() {
                    out.push(s);
                }
                start = end;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    let s = paragraph[start..].trim();
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// One token of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The text, without a possessive `'s`.
    pub text: &'a str,
    /// Byte offsets in the sentence.
    pub start: usize,
    /// End offset.
    pub end: usize,
    /// Whether a possessive `'s` followed.
    pub possessive: bool,
    /// Whether this is a word (letters or digits), not punctuation.
    pub word: bool,
}

impl Token<'_> {
    /// Whether the word starts with an upper-case letter.
    pub fn capitalised(&self) -> bool {
        self.word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether the word is an acronym: two or more letters, all upper case ("UNRCCA", "IsDB" is not).
    pub fn acronym(&self) -> bool {
        self.word
            && self.text.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !self.text.chars().any(char::is_lowercase)
    }

    /// Whether this is the punctuation `c`.
    pub fn is(&self, c: char) -> bool {
        !self.word && self.text.starts_with(c)
    }
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\u{301}' || c == '\u{308}'
}

/// Splits a sentence into words and punctuation. A word holds letters and digits joined by
/// `-`, `'`, `’` or `.` ("Kassym-Jomart", "O'Brien", "U.S."); an abbreviation keeps its
/// final dot ("Mr.", "Feb."); a possessive `'s` is cut off and noted.
pub fn tokens(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if word_char(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if word_char(d) {
                    end = j + d.len_utf8();
                    it.next();
                } else if matches!(d, '-' | '\'' | '’' | '.') {
                    // A joiner only when a word character follows; a dot only inside numbers
                    // ("1.5") and abbreviations of single letters ("U.S."), so that an initial
                    // ("R.Meredov") and a glued sentence ("ties.It") come apart.
                    let rest = &s[j + d.len_utf8()..];
                    let after = rest.chars().next();
                    let joins = if d == '.' {
                        let segment = rest.chars().take_while(|c| c.is_alphanumeric()).count();
                        let before = s[i..j].chars().next_back();
                        (after.is_some_and(|c| c.is_ascii_digit()) && before.is_some_and(|c| c.is_ascii_digit()))
                            || (segment == 1 && s[i..j].chars().count() <= 3)
                    } else {
                        after.is_some_and(word_char)
                    };
                    if joins {
                        end = j + d.len_utf8();
                        it.next();
                    } else {
                        break;
                    }
                } else {
                    break;
                }
            }
            let mut text = &s[i..end];
            // An abbreviation or an initial keeps its dot.
            // (A two-letter initial glued to the name, as Mongolian names are written:
            // "Ts.Elbegdorj".)
            let glued_initial = {
                let mut c = text.chars();
                let two = matches!((c.next(), c.next(), c.next()), (Some(a), Some(b), None) if a.is_ascii_uppercase() && b.is_ascii_lowercase());
                two && s[end..].strip_prefix('.').and_then(|r| r.chars().next()).is_some_and(char::is_uppercase)
            };
            if s[end..].starts_with('.') && (is_abbreviation(text) || glued_initial) {
                end += 1;
                it.next();
                text = &s[i..end];
            }
            let mut possessive = false;
            for suffix in ["'s", "’s"] {
                if let Some(t) = text.strip_suffix(suffix) {
                    if !t.is_empty() {
                        text = t;
                        possessive = true;
                    }
                }
            }
            if let Some(t) = text.strip_suffix("s'") {
                if t.chars().next().is_some_and(char::is_uppercase) {
                    text = &text[..text.len() - 1];
                    possessive = true;
                }
            }
            out.push(Token { text, start: i, end, possessive, word: true });
        } else {
            let end = i + c.len_utf8();
            out.push(Token { text: &s[i..end], start: i, end, possessive: false, word: false });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_before_a_day_ends_no_sentence() {
        assert_eq!(
            split("The call began at 8:15 p.m. Friday and lasted an hour. It was the first one."),
            ["The call began at 8:15 p.m. Friday and lasted an hour.", "It was the first one."]
        );
        assert_eq!(split("They met at 10 a.m. The talks went on."), ["They met at 10 a.m.", "The talks went on."]);
    }

    #[test]
    fn sentences_respect_abbreviations() {
        let p = "Mr. Saidov met the U.S. envoy on Feb. 5 in Tashkent. They spoke. J. Smith came too! \"Yes.\" Done";
        assert_eq!(
            split(p),
            [
                "Mr. Saidov met the U.S. envoy on Feb. 5 in Tashkent.",
                "They spoke.",
                "J. Smith came too!",
                "\"Yes.\"",
                "Done"
            ]
        );
        // Initials run together end no sentence.
        assert_eq!(
            split("Stan met Minister A.B. Marquant. They spoke."),
            ["Stan met Minister A.B. Marquant.", "They spoke."]
        );
    }

    #[test]
    fn tokens_keep_names_whole() {
        let t: Vec<&str> = tokens("Kassym-Jomart Tokayev's talks with Mr. O'Brien (UNRCCA), Türkiye.")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            ["Kassym-Jomart", "Tokayev", "talks", "with", "Mr.", "O'Brien", "(", "UNRCCA", ")", ",", "Türkiye", "."]
        );
    }
}
