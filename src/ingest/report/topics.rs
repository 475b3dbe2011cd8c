//! Topics: the [`TOPICS`](super::lexicons::TOPICS) lexicon matched on word boundaries,
//! case-insensitively, and the open vocabulary of what the text says was discussed
//! ([`discussed`]): the phrases after "discussed", "exchanged views on", "cooperation in",
//! "the situation in"… ([`TOPIC_CUES`](super::lexicons::TOPIC_CUES)), split at commas and
//! "as well as", trimmed of their framing words ("issues of", "ways to strengthen").

use super::lexicons::{TOPICS, TOPIC_CUES, TOPIC_DROP, TOPIC_FRAMES, TOPIC_PHRASES, TOPIC_STOPS};

fn boundary(s: &str, at: usize, before: bool) -> bool {
    let c = if before { s[..at].chars().next_back() } else { s[at..].chars().next() };
    !c.is_some_and(char::is_alphanumeric)
}

/// The topics `text` mentions, in lexicon order.
pub fn topics(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    let found = |w: &str| {
        let mut from = 0;
        while let Some(i) = lower[from..].find(w) {
            let at = from + i;
            let end = at + w.len();
            if boundary(&lower, at, true) && boundary(&lower, end, false) {
                return true;
            }
            from = at + 1;
            while !lower.is_char_boundary(from) {
                from += 1;
            }
        }
        false
    };
    for (topic, words) in TOPICS {
        if words.iter().any(|w| found(w)) {
            out.push(topic.to_string());
        }
    }
    // Set phrases of the genre, recorded as the text writes them.
    for w in TOPIC_PHRASES {
        if found(w) && !out.iter().any(|x| x == w) {
            out.push(w.to_string());
        }
    }
    out
}

/// The subjects a sentence says were discussed, in its words.
pub fn discussed(sentence: &str) -> Vec<String> {
    let lower = super::normalised(sentence);
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let cue = TOPIC_CUES.iter().find(|c| {
            let cw: Vec<&str> = c.split(' ').collect();
            words.len() >= i + cw.len() && words[i..i + cw.len()] == cw[..]
        });
        let Some(cue) = cue else {
            i += 1;
            continue;
        };
        let mut k = i + cue.split(' ').count();
        let mut item: Vec<&str> = Vec::new();
        let mut items: Vec<Vec<&str>> = Vec::new();
        // The phrase runs to the clause's end; commas do not survive normalising, so the
        // items are cut at "and"-less list joints by the original text below.
        while k < words.len() && item.len() < 14 && !TOPIC_STOPS.contains(&words[k]) {
            item.push(words[k]);
            k += 1;
        }
        if !item.is_empty() {
            items.push(item);
        }
        for item in items {
            let phrase = item.join(" ");
            for part in split_list(sentence, &phrase) {
                if let Some(t) = clean(&part) {
                    if !out.iter().any(|x| x.eq_ignore_ascii_case(&t)) {
                        out.push(t);
                    }
                }
            }
        }
        i = k.max(i + 1);
    }
    out
}

/// Splits a normalised phrase at the commas, semicolons, "as well as" and "including" that the
/// original sentence has between its words.
fn split_list(sentence: &str, phrase: &str) -> Vec<String> {
    // Find the phrase's words in the original text, keeping the punctuation between them.
    let lower = sentence.to_lowercase();
    let first = phrase.split(' ').next().unwrap_or("");
    let mut parts: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let words = phrase.split(' ');
    let mut at = lower.find(first).unwrap_or(0);
    for w in words {
        let Some(pos) = lower[at..].find(w) else {
            current.push(w);
            continue;
        };
        let gap = &lower[at..at + pos];
        if !current.is_empty() && (gap.contains(',') || gap.contains(';')) {
            parts.push(current.join(" "));
            current.clear();
        }
        at += pos + w.len();
        current.push(w);
    }
    if !current.is_empty() {
        parts.push(current.join(" "));
    }
    parts
        .iter()
        .flat_map(|p| p.split(" as well as ").map(str::to_string).collect::<Vec<_>>())
        .flat_map(|p| p.split(" including ").map(str::to_string).collect::<Vec<_>>())
        .flat_map(|p| p.split(" such as ").map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// Trims a topic phrase of framing words at its start and connectors at its end; none when
/// nothing is left or it says nothing ("issues of mutual interest").
fn clean(part: &str) -> Option<String> {
    let mut p = part.trim().to_string();
    loop {
        let before = p.clone();
        for f in TOPIC_FRAMES {
            if let Some(rest) = p.strip_prefix(f) {
                if rest.starts_with(' ') || rest.is_empty() {
                    p = rest.trim_start().to_string();
                }
            }
        }
        for end in [" and", " of", " the", " in", " on", " for", " with", " to", " a", " an", " its", " their"] {
            if let Some(rest) = p.strip_suffix(end) {
                p = rest.to_string();
            }
        }
        if p == before {
            break;
        }
    }
    let mut p = p.trim().to_string();
    // "regional security and other issues of mutual interest": what follows "and other" is
    // the rest of the agenda, unnamed.
    if let Some(at) = p.find(" and other ") {
        p.truncate(at);
    }
    // "… between the two countries" says whose, not what.
    for tail in
        [" between the two countries", " of the two countries", " between the two nations", " of the two nations"]
    {
        if let Some(rest) = p.strip_suffix(tail) {
            p = rest.to_string();
        }
    }
    let first = p.split(' ').next().unwrap_or("");
    let dated = p.split(' ').any(|w| super::lexicons::month_number(w).is_some() && w.len() > 3)
        && p.chars().any(|c| c.is_ascii_digit());
    if p.chars().count() < 3
        || !p.chars().any(char::is_alphabetic)
        || dated
        || TOPIC_DROP.iter().any(|d| p == *d)
        || ["with", "by", "what", "you", "through", "our", "my", "your", "this", "these", "them"].contains(&first)
        || ["mutual interest", "shared interest", "common interest", "joint interest"].iter().any(|d| p.contains(d))
    {
        return None;
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_on_boundaries() {
        assert_eq!(
            topics("Joint programmes on security, education and counter-terrorism."),
            ["security", "counter-terrorism", "education"]
        );
        assert!(topics("Oilseed and the watery tradesman.").is_empty());
    }

    #[test]
    fn discussed_subjects_in_the_texts_words() {
        assert_eq!(
            discussed("The sides discussed cooperation in trade, energy and transport, as well as the situation in the Sahel."),
            ["cooperation in trade", "energy and transport", "situation in the sahel"]
        );
        assert_eq!(
            discussed("They exchanged views on regional security and other issues of mutual interest."),
            ["regional security"]
        );
        assert_eq!(discussed("The ministers noted the weather."), Vec::<String>::new());
    }
}
