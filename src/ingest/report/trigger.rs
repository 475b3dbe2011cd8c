//! Whether a sentence reports a meeting, a call, a video meeting or a plan: the wording lists
//! of [`super::lexicons`] searched with one Aho–Corasick automaton each.

use std::collections::HashMap;

use super::{lexicons, people};
use crate::model::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trigger {
    None,
    Future,
    Meeting(Kind),
}

/// A sentence lower-cased, its punctuation turned to spaces and padded with one space each
/// side, so that wording lexicon phrases (" met with ") match on word boundaries.
pub(crate) fn normalised(sentence: &str) -> String {
    let mut out = String::with_capacity(sentence.len() + 2);
    out.push(' ');
    let mut space = true;
    for c in sentence.chars() {
        let keep = c.is_alphanumeric() || c == '-' || c == '\'' || c == '’';
        if keep {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if !space {
        out.push(' ');
    }
    out
}

thread_local! {
    /// One automaton a wording list, built the first time the list is searched.
    static FINDERS: std::cell::RefCell<HashMap<(usize, usize), aho_corasick::AhoCorasick>> =
        std::cell::RefCell::new(HashMap::new());
}

/// Runs `f` with the automaton that finds any phrase of `words` (a static wording list).
pub(super) fn with_finder<R>(words: &'static [&'static str], f: impl FnOnce(&aho_corasick::AhoCorasick) -> R) -> R {
    FINDERS.with(|finders| {
        let mut finders = finders.borrow_mut();
        let finder = finders.entry((words.as_ptr() as usize, words.len())).or_insert_with(|| {
            aho_corasick::AhoCorasick::new(words).expect("a wording list is a small set of literal phrases")
        });
        f(finder)
    })
}

/// Whether the normalised text holds a phrase of the list: one pass over the text, whatever
/// the list's length.
pub(super) fn has(lower: &str, words: &'static [&'static str]) -> bool {
    with_finder(words, |finder| finder.is_match(lower))
}

/// The phrases of the list the normalised text holds, each once, overlapping ones included.
pub(super) fn found(lower: &str, words: &'static [&'static str]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = with_finder(words, |finder| {
        finder.find_overlapping_iter(lower).map(|m| words[m.pattern().as_usize()]).collect()
    });
    out.sort_unstable();
    out.dedup();
    out
}

pub(super) fn trigger(sentence: &str) -> Trigger {
    use lexicons::{CALL_WORDS, FUTURE_WORDS, MEETING_WORDS, PAST_WORDS, VIDEO_MEETINGS, VIDEO_WORDS};
    let lower = normalised(sentence);
    if has(&lower, lexicons::RECALLED_WORDS) || called_off(&lower) || comes_after(&lower) || an_earlier_meeting(&lower)
    {
        return Trigger::None;
    }
    let meeting = found(&lower, MEETING_WORDS).into_iter().any(|w| match w {
        " received " | " hosted " | " receives " | " hosts " => received_someone(&lower, w),
        _ => true,
    }) || held_a_meeting(&lower)
        || discussed_with(&lower)
        || went_to_meet(&lower)
        || accredited_envoys(&lower);
    let rang = reached_by_voice(&lower);
    let meeting = meeting || rang;
    let kind = if has(&lower, CALL_WORDS) || rang {
        Some(Kind::Call)
    } else if has(&lower, &VIDEO_WORDS[..VIDEO_MEETINGS])
        || has(&lower, VIDEO_WORDS) && (meeting || lower.contains(" talks ") || lower.contains(" meeting "))
    {
        Some(Kind::Video)
    } else if meeting {
        Some(Kind::Meeting)
    } else {
        None
    };
    // Future wording makes the sentence a plan, unless a past-tense meeting verb reports one too.
    // A participle after "will be"/"to be" is the plan's ("issues will be discussed").
    // A past word after a plain "X will share" is of something else ("In his meeting with A, B
    // will share his views on the talks held in March").
    let will_at = will_do(&lower);
    let past = PAST_WORDS.iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            let before = &lower[..at + 1];
            ![" will be ", " to be ", " would be ", " will also be "].iter().any(|p| before.ends_with(p))
                && (*w != " hosted " || received_someone(&lower, w))
                // ("had to visit", "had been scheduled": a plan, not a meeting held.)
                && !(*w == " had " && (lower[at + 5..].starts_with("to ") || lower[at + 5..].starts_with("been ")))
                && will_at.is_none_or(|v| at < v)
        })
    });
    let past = past || went_to_meet(&lower);
    let future = (has(&lower, FUTURE_WORDS) || will_at.is_some()) && !past;
    match kind {
        None if future && [" meet", "talks", "visit"].iter().any(|w| lower.contains(w)) => Trigger::Future,
        None => Trigger::None,
        Some(_) if future => Trigger::Future,
        Some(k) => Trigger::Meeting(k),
    }
}

/// "held wide-ranging talks", "had a bilateral discussion": a holding verb, then within three
/// words a meeting noun.
pub(super) fn held_a_meeting(lower: &str) -> bool {
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        lexicons::HOLD_VERBS.contains(w)
            && words[i + 1..].iter().take(4).any(|n| lexicons::HELD_NOUNS.contains(n))
            && !words[i + 1..].iter().take(4).any(|n| matches!(*n, "no" | "not"))
    })
}

/// "discussed the conflict with the envoy": "discussed", then within eight words "with";
/// or "A and his counterpart B discussed …": a counterpart before "discussed".
pub(super) fn discussed_with(lower: &str) -> bool {
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "discussed" | "discusses" | "talked")
            && (words[i + 1..].iter().take(8).any(|n| *n == "with")
                || words[..i].iter().any(|n| matches!(*n, "counterpart" | "counterparts")))
    })
}

/// "cancelled the meeting with", "called off the talks", "scraps summit": a verb of
/// [`lexicons::CANCEL_VERBS`] ("off" after "called"/"calls") and within four words a meeting noun;
/// or in the passive, a meeting noun and within sixteen words "has been cancelled", "was
/// postponed", "had to be called off".
pub(super) fn called_off(lower: &str) -> bool {
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    let noun = |n: &&str| lexicons::HELD_NOUNS.contains(n) || matches!(*n, "visit" | "summit" | "trip");
    words.iter().enumerate().any(|(i, w)| {
        let off = *w != "off" || i > 0 && matches!(words[i - 1], "called" | "calls" | "call" | "calling");
        let verb = lexicons::CANCEL_VERBS.contains(w) && off;
        let passive = i > 0 && matches!(words[i - 1], "been" | "was" | "were" | "be" | "is" | "are")
            || *w == "off" && i > 1 && matches!(words[i - 2], "been" | "was" | "were" | "be");
        verb && (words[i + 1..].iter().take(4).any(noun) || passive && words[i.saturating_sub(16)..i].iter().any(noun))
    })
}

/// "They are: A, B and C", "They were A and B": a sentence naming those the meeting sentence
/// before spoke of ("received two envoys").
pub(super) fn lists_parties(lower: &str) -> bool {
    [" they are ", " they were ", " they include ", " these are ", " these were "].iter().any(|w| lower.starts_with(w))
        && lower.split(' ').filter(|w| !w.is_empty()).nth(2).is_some_and(|w| !lexicons::WILL_VERBS.contains(&w))
}

/// "The phone call also comes hours after …", "The meeting came amid …": a sentence of
/// background about the meeting already reported, whose people are not its parties.
pub(super) fn comes_after(lower: &str) -> bool {
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    words.first() == Some(&"the")
        && words.iter().take(6).enumerate().any(|(i, w)| {
            matches!(*w, "call" | "meeting" | "talks" | "conversation" | "visit")
                && words[i + 1..].iter().take(2).any(|n| matches!(*n, "comes" | "came"))
        })
}

/// "accredited four new ambassadors": a head of state's credentials ceremony ("accredited" then,
/// within four words, envoys), not an envoy "accredited to" a country.
pub(super) fn accredited_envoys(lower: &str) -> bool {
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        *w == "accredited"
            && words[i + 1..]
                .iter()
                .take(4)
                .any(|n| matches!(*n, "ambassador" | "ambassadors" | "envoys" | "diplomats"))
    })
}

/// "flew to Oslo to meet the king": a past journey made to meet
/// someone reports the meeting (a verb of [`lexicons::CAME_TO`] in the past, then within twelve
/// words "to meet").
pub(super) fn went_to_meet(lower: &str) -> bool {
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "travelled" | "traveled" | "flew" | "went" | "came")
            && words[i + 1..].windows(2).take(12).any(|p| p[0] == "to" && p[1] == "meet")
    })
}

/// "will also visit", "will then meet", "would travel to": a plan; the byte offset of its
/// "will" or "would".
pub(super) fn will_do(lower: &str) -> Option<usize> {
    let will = lower.match_indices(" will ").map(|(at, _)| (at, at + 6));
    let would = lower.match_indices(" would ").map(|(at, _)| (at, at + 7));
    will.chain(would)
        .filter(|&(_, from)| {
            lower[from..]
                .split(' ')
                .take(2)
                .skip_while(|n| matches!(*n, "also" | "then" | "later" | "first" | "next"))
                .take(1)
                .any(|n| lexicons::WILL_VERBS.contains(&n))
        })
        .map(|(at, _)| at)
        .min()
}

/// "received"/"hosted" report a meeting when a person or a delegation follows, not a letter;
/// an event "hosted by" someone is no meeting.
pub(super) fn received_someone(lower: &str, word: &str) -> bool {
    lower.match_indices(word).any(|(at, _)| {
        let event =
            lower[..at].rsplit(' ').filter(|w| !w.is_empty()).take(5).any(|w| lexicons::HOSTED_EVENTS.contains(&w));
        if event && word.starts_with(" host") {
            return false;
        }
        let after = lower[at + word.len()..].trim_start();
        let next: Vec<&str> = after.split(' ').filter(|w| !w.is_empty()).take(4).collect();
        // "hosted the 11th summit": an event, not someone.
        if word.starts_with(" host") && next.iter().any(|w| lexicons::HOSTED_EVENTS.contains(w)) {
            return false;
        }
        const NOT: &[&str] = &[
            "letter",
            "message",
            "messages",
            "telegram",
            "award",
            "invitation",
            "support",
            "congratulations",
            "calls",
            "votes",
            "reports",
            "funding",
            "approval",
            "applications",
            "information",
            "documents",
        ];
        let article = (next.first() == Some(&"a") || next.first() == Some(&"an"))
            && !next.iter().take(3).any(|w| ["delegation", "visiting", "group", "courtesy"].contains(w));
        !next.is_empty() && !NOT.contains(&next[0]) && !article && !next.iter().take(3).any(|w| NOT.contains(w))
    })
}

/// Whether a meeting sentence names a party by title only, outside the named people and their
/// titles: "The Prime Minister met …", "… held video talks with his Indian counterpart".
pub(super) fn titled_party(s: &super::Sent<'_>) -> bool {
    // A pronoun subject stands for someone the report has named ("He made the remarks when
    // meeting with …").
    // So does a sentence opening on the verb, as a quoted post does ("Met FM …").
    let first = s.toks.iter().find(|t| t.word).map(|t| t.text.to_lowercase());
    if matches!(first.as_deref(), Some("he" | "she" | "met" | "held" | "received" | "hosted" | "called" | "spoke")) {
        return true;
    }
    s.toks.iter().enumerate().any(|(i, t)| {
        let f = t.text.to_lowercase();
        t.word
            && (lexicons::is_title_head(&f)
                || people::plural_head(t.text).is_some()
                || lexicons::PARTY_NOUNS.contains(&f.as_str())
                || f.starts_with("counterpart")
                || lexicons::TITLE_ABBREVIATIONS.iter().any(|(a, _)| *a == t.text))
            && !s.covered.iter().any(|&(a, b)| a <= i && i < b)
    })
}

/// Whether a sentence completes the meeting sentence just before it, which named
/// `named_before` people: one naming the heads of delegation ("The delegation was headed by
/// A"), or, when that sentence named no one ("The foreign ministers of A and B spoke by
/// phone"), one naming exactly two people that is no plan.
pub(super) fn completes(sentence: &str, named_before: usize, named_here: usize) -> bool {
    let lower = normalised(sentence);
    has(&lower, lexicons::DELEGATION_HEAD_WORDS)
        || named_before == 0 && named_here == 2 && !matches!(trigger(sentence), Trigger::Future)
        || named_before == 0 && named_here >= 2 && attends(&lower)
}

/// "A called the prime minister", "A spoke with the crown prince", "A phoned his counterpart":
/// a verb of reaching someone by voice, then within three words a title or "counterpart" (not
/// "called for", "called the meeting", "spoke with reporters"; "calls" is the noun of "courtesy
/// calls"). The genre's readouts word a
/// telephone call so.
pub(super) fn reached_by_voice(lower: &str) -> bool {
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        let verb = matches!(*w, "called" | "rang" | "phoned")
            || matches!(*w, "spoke" | "speaks") && words.get(i + 1).is_some_and(|n| matches!(*n, "with" | "to"));
        let from = if matches!(*w, "spoke" | "speaks") { i + 2 } else { i + 1 };
        verb && words.get(from..).is_some_and(|rest| {
            rest.iter()
                .take(3)
                .take_while(|n| {
                    !matches!(**n, "for" | "on" | "upon" | "off" | "out" | "it" | "reporters" | "journalists")
                })
                .any(|n| lexicons::is_title_head(n) || matches!(*n, "counterpart" | "counterparts"))
        })
    })
}

/// "his recent meetings with A", "their earlier talks": someone's ("his", "their", "the", "X's")
/// word of time gone by, then within two words a meeting noun; the sentence recalls a meeting,
/// it does not report one (not "recommendations of previous meetings").
pub(super) fn an_earlier_meeting(lower: &str) -> bool {
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        let whose = i > 0
            && (matches!(words[i - 1], "his" | "her" | "their" | "its" | "the")
                || words[i - 1].ends_with("'s")
                || words[i - 1].ends_with("’s"));
        whose
            && matches!(*w, "recent" | "earlier" | "previous" | "prior" | "past")
            && words[i + 1..].iter().take(2).any(|n| lexicons::HELD_NOUNS.contains(n) && *n != "negotiations")
    })
}

/// "Also taking part were A and B", "Accompanying the guest were A and B", "A, B and C attended
/// the summit": a verb of attending or being present that opens the sentence, follows "also",
/// or takes within three words a meeting noun or "by" (not "to attend", "will attend", nor a
/// source "who attended the talks").
pub(super) fn attends(lower: &str) -> bool {
    let words: Vec<&str> = lower.split(' ').filter(|w| !w.is_empty()).collect();
    let stem = |w: &str| {
        w.starts_with("attend")
            || w.starts_with("participat")
            || w.starts_with("accompan")
            || matches!(w, "present" | "joined" | "joining")
    };
    words.iter().enumerate().any(|(i, w)| {
        let part = matches!(*w, "took" | "taking") && words.get(i + 1) == Some(&"part");
        if !(stem(w) || part) {
            return false;
        }
        let before = i.checked_sub(1).map(|k| words[k]);
        if before.is_some_and(|b| matches!(b, "to" | "will" | "would" | "may" | "not" | "at" | "shall" | "who")) {
            return false;
        }
        let noun = |n: &&str| {
            lexicons::HELD_NOUNS.contains(n)
                || matches!(*n, "by" | "conference" | "summit" | "session" | "ceremony" | "event" | "call" | "forum")
        };
        i < 2 || before == Some("also") || words[i + 1..].iter().take(if part { 4 } else { 3 }).any(noun)
    })
}

/// Whether "he" or "she" is the subject near the opening of a normalised sentence ("Today,
/// he received …", "She also met …").
pub(super) fn pronoun_subject(lower: &str) -> bool {
    lower.split(' ').filter(|w| !w.is_empty()).take(3).any(|w| matches!(w, "he" | "she"))
}

/// Whether a sentence places what it reports "here", the dateline's city ("received the
/// envoy at a hotel here").
pub(super) fn says_here(sentence: &str) -> bool {
    normalised(sentence).contains(" here ")
}
