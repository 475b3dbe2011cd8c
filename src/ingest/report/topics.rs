//! Topics: the [`TOPICS`](super::lexicons::TOPICS) lexicon matched on word boundaries, case-insensitively.

use super::lexicons::TOPICS;

fn boundary(s: &str, at: usize, before: bool) -> bool {
    let c = if before { s[..at].chars().next_back() } else { s[at..].chars().next() };
    !c.is_some_and(char::is_alphanumeric)
}

/// The topics `text` mentions, in lexicon order.
pub fn topics(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for (topic, words) in TOPICS {
        let hit = words.iter().any(|w| {
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
        });
        if hit {
            out.push(topic.to_string());
        }
    }
    out
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
}
