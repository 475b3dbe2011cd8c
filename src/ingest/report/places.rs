//! Where a meeting took place, as a sentence states it: a city after "in" or "at", the city
//! of an event it was held at, a country the parties met or arrived in, or the country an
//! ambassador of the meeting serves in.

use super::lexicons::{self, Lexicon};
use super::orgs::Ent;
use super::Sent;

/// The country an ambassador of the meeting sentence serves in ("Ambassador to Turkey",
/// "Ambassador of Kyrgyzstan to Turkey"), if the sentence names one.
pub(super) fn posted_to(s: &Sent<'_>) -> Option<&'static str> {
    let w = |i: usize| s.toks.get(i).map(|t| t.text.to_lowercase()).unwrap_or_default();
    s.spans.iter().find_map(|sp| {
        let Ent::Country(k) = sp.ent else { return None };
        let i = sp.start;
        let to = if i >= 1 && w(i - 1) == "to" {
            i - 1
        } else if i >= 2 && w(i - 1) == "the" && w(i - 2) == "to" {
            i - 2
        } else {
            return None;
        };
        // The posting follows the title directly or after "of COUNTRY".
        let mut j = to;
        if j >= 1 {
            if let Some(own) = s.spans.iter().find(|o| o.end == j && matches!(o.ent, Ent::Country(_))) {
                j = own.start;
                j = j.saturating_sub(usize::from(j >= 1 && w(j - 1) == "the"));
                j = j.saturating_sub(usize::from(j >= 1 && w(j - 1) == "of"));
            }
        }
        // … and it is the ambassador who met: the title comes before the meeting's verb, not
        // after ("the President received the ambassador to Turkey" is at home).
        let verb = (0..s.toks.len())
            .find(|&v| {
                matches!(w(v).as_str(), "met" | "meets" | "received" | "receives" | "meeting" | "talks" | "hosted")
            })
            .unwrap_or(s.toks.len());
        (j >= 1 && j - 1 < verb && matches!(w(j - 1).as_str(), "ambassador" | "envoy" | "commissioner")).then_some(k)
    })
}

/// The place a sentence states: a city after "in" or "at" ("in Moscow", "at the State House,
/// Abuja", "in Kyrgyzstan's capital Bishkek", "in capital Bishkek"), or the city that names
/// the event the meeting was held at ("on the sidelines of the Tashkent Energy Forum").
/// Else a country named as where the parties met or came, with no city.
pub(super) fn place_in(s: &Sent<'_>, _lex: &Lexicon) -> Option<(String, String)> {
    let word = |i: usize| s.toks.get(i).map(|t| t.text.to_lowercase()).unwrap_or_default();
    // "to" at `to` ends "on/during [an official] visit to": a party is there ("the minister,
    // who is on a visit to Delhi, met …"), not only going.
    let on_a_visit = |to: usize| {
        to >= 2
            && matches!(word(to - 1).as_str(), "visit" | "trip" | "tour")
            && (2..=6).any(|k| {
                to > k && matches!(word(to - k).as_str(), "on" | "during" | "while" | "outset" | "start" | "end")
            })
    };
    for sp in &s.spans {
        let Ent::City(c, k) = sp.ent else { continue };
        let i = sp.start;
        let prev = if i > 0 { word(i - 1) } else { String::new() };
        // "Seoul's foreign ministry said": the city stands for its government.
        if s.toks[sp.end - 1].possessive {
            continue;
        }
        // "the last summit in Baku": the place of another event, before or after this one.
        if prev == "in"
            && (2..=4).any(|k| i > k && matches!(word(i - k).as_str(), "last" | "previous" | "next" | "upcoming"))
        {
            continue;
        }
        // "the ambassador, who is based in Seoul": where someone serves from, not the meeting.
        if prev == "in" && i >= 2 && matches!(word(i - 2).as_str(), "based" | "resident" | "residing" | "stationed") {
            continue;
        }
        // "in a beach resort of Goa", "on the outskirts of Moscow".
        let part_of = prev == "of"
            && i >= 2
            && matches!(
                word(i - 2).as_str(),
                "resort" | "outskirts" | "suburb" | "suburbs" | "city" | "town" | "heart"
            )
            && (3..=6).any(|k| i > k && matches!(word(i - k).as_str(), "in" | "at" | "on"));
        let stated = part_of
            || matches!(prev.as_str(), "in" | "capital" | "city")
            || (prev == "to" && on_a_visit(i - 1))
            // "who came to Oslo for the jubilee", "travelled to Lima".
            || (prev == "to" && i >= 2 && lexicons::CAME_TO.contains(&word(i - 2).as_str()))
            // "at the State House, CITY", "visited State House, CITY".
            || (prev == ","
                && (1..=7).any(|k| i > k && matches!(word(i - k).as_str(), "at" | "in" | "visited" | "visiting")))
            || (prev == "the"
                && s.toks.get(sp.end).is_some_and(|t| t.capitalised())
                && (2..=5).any(|k| i > k && matches!(word(i - k).as_str(), "sidelines" | "at" | "during" | "in")));
        if stated {
            // The city as the report writes it ("Tshwane", "New York"), unless that is only
            // the gazetteer's name in other case ("ASTANA").
            let written: Vec<&str> = s.toks[sp.start..sp.end].iter().map(|t| t.text).collect();
            let written = written.join(" ");
            let name = if written.eq_ignore_ascii_case(c) || written.chars().all(|ch| !ch.is_lowercase()) {
                c.to_string()
            } else {
                written
            };
            return Some((name, k.to_string()));
        }
    }
    // A country named as where the parties met or came ("met in India", "arrived in
    // Uzbekistan", "during a meeting in Turkmenistan"): the country, no city.
    s.spans.iter().find_map(|sp| {
        let Ent::Country(k) = sp.ent else { return None };
        let i = sp.start;
        let before = if i >= 2 { word(i - 2) } else { String::new() };
        let verb = |w: &str| {
            matches!(
                w,
                "met"
                    | "meeting"
                    | "meetings"
                    | "talks"
                    | "arrived"
                    | "arrives"
                    | "held"
                    | "is"
                    | "visit"
                    | "are"
                    | "was"
                    | "were"
            )
        };
        // "is presently in Sri Lanka".
        let adverb = matches!(before.as_str(), "presently" | "currently" | "now" | "already");
        let verb = verb(&before) || adverb && i >= 3 && verb(&word(i - 3));
        // "who is visiting Japan".
        let visiting =
            i >= 2 && word(i - 1) == "visiting" && matches!(word(i - 2).as_str(), "is" | "was" | "are" | "were");
        let visit = visiting
            || i >= 2 && word(i - 1) == "to" && on_a_visit(i - 1)
            || i >= 3 && word(i - 1) == "the" && word(i - 2) == "to" && on_a_visit(i - 2);
        ((i >= 2 && word(i - 1) == "in" && verb || visit) && !s.toks[i].possessive)
            .then(|| (String::new(), k.to_string()))
    })
}
