//! The extractor on the seed report and on the genre's tricky cases.

use super::*;

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/report-2024-01-17-ashgabat.txt");

fn seed() -> String {
    std::fs::read_to_string(SEED).unwrap_or_else(|e| {
        panic!("the seed report {SEED} is missing ({e}); CI keeps a copy of shared/ beside the clone")
    })
}

#[test]
fn the_seed_report_gives_one_meeting() {
    let x = extract("seed/report-2024-01-17-ashgabat.txt", &seed());
    assert_eq!(x.skipped, None);
    assert_eq!(x.meetings.len(), 1, "{:#?}", x.meetings);
    let m = &x.meetings[0];
    assert_eq!(m.date.to_string(), "2024-01-17");
    assert_eq!(m.kind, Kind::Meeting);
    assert_eq!(m.city.as_deref(), Some("Ashgabat"));
    assert_eq!(m.country.as_deref(), Some("Turkmenistan"));
    assert_eq!(m.participants.len(), 2, "{:#?}", m.participants);
    let b = &m.participants[0];
    assert_eq!(b.name, "Myakhri Byashimova");
    assert_eq!(b.title.as_deref(), Some("Deputy Minister of Foreign Affairs"));
    assert_eq!(b.country.as_deref(), Some("Turkmenistan"));
    let k = &m.participants[1];
    assert_eq!(k.name, "Kaha Imnadze");
    assert_eq!(k.title.as_deref(), Some("Special Representative of the Secretary-General and Head of UNRCCA"));
    assert_eq!(k.org.as_deref(), Some("UNRCCA"));
    for o in ["UNRCCA", "UN Regional Centre for Preventive Diplomacy for Central Asia", "UN"] {
        assert!(m.orgs.iter().any(|x| x == o), "{o} not in {:?}", m.orgs);
    }
    for t in ["security", "education", "counter-terrorism"] {
        assert!(m.topics.iter().any(|x| x == t), "{t} not in {:?}", m.topics);
    }
    assert_eq!(
        x.aliases,
        [("UNRCCA".to_string(), "UN Regional Centre for Preventive Diplomacy for Central Asia".to_string())]
    );
    assert_eq!(m.source.publisher.as_deref(), Some("Trend"));
    assert_eq!(m.source.doc.as_deref(), Some("seed/report-2024-01-17-ashgabat.txt"));
    assert!(m.summary.as_deref().unwrap().starts_with("This statement was made during a meeting between"));
    assert!(m.text.as_deref().unwrap().contains("Working in accordance with the UN Mandate"));
    // Same report, same ids; another doc, other ids.
    let again = extract("seed/report-2024-01-17-ashgabat.txt", &seed());
    assert_eq!(again.meetings[0].id, m.id);
    assert_ne!(extract("other.txt", &seed()).meetings[0].id, m.id);
}

#[test]
fn no_meeting_is_skipped_with_a_reason() {
    let x = extract(
        "a.txt",
        " date 2024-02-01\nASTANA, Kazakhstan, February 1. Kazakhstan's exports of grain grew by a tenth last year, officials said.",
    );
    assert!(x.meetings.is_empty());
    assert!(x.skipped.as_deref().unwrap().contains("no sentence reports a meeting"), "{:?}", x.skipped);
    let x = extract(
        "b.txt",
        " date 2024-02-01\nASTANA, February 1. Foreign Minister Murat Nurtleu will meet Uzbek Foreign Minister Bakhtiyor Saidov next week.",
    );
    assert!(x.skipped.as_deref().unwrap().contains("future"), "{:?}", x.skipped);
    // "will be discussed" is the plan's participle, not a past meeting.
    let x = extract(
        "c.txt",
        " date 2024-02-01\nASTANA, February 1. Foreign Minister Murat Nurtleu will hold talks with Uzbek Foreign Minister \
         Bakhtiyor Saidov, and trade issues will be discussed during the visit.",
    );
    assert!(x.skipped.as_deref().unwrap().contains("future"), "{:?}", x.skipped);
    let x = extract(
        "d.txt",
        " date 2024-02-01\nASTANA, February 1. \"There will be a bilateral meeting between the two countries on March 3,\" \
         spokesman Aidos Serik told reporters with Deputy Minister Lena Brandt.",
    );
    assert!(x.meetings.is_empty(), "{:?}", x.meetings);
}

#[test]
fn dates_without_a_header() {
    let x = extract(
        "c.txt",
        "TASHKENT, Uzbekistan, March 4, 2024. Uzbek Foreign Minister Bakhtiyor Saidov met with Kaha Imnadze.",
    );
    assert_eq!(x.meetings[0].date.to_string(), "2024-03-04");
    assert!(x.warnings[0].contains("no header date"), "{:?}", x.warnings);
    let x = extract("d.txt", "TASHKENT, March 4. Uzbek Foreign Minister Bakhtiyor Saidov met with Kaha Imnadze.");
    assert!(x.meetings.is_empty());
    assert!(x.skipped.as_deref().unwrap().contains("no year"), "{:?}", x.skipped);
}

#[test]
fn calls_videos_and_later_mentions() {
    let x = extract(
        "e.txt",
        " date 2024-05-10\r\nBISHKEK (AKIpress) - Kyrgyz Foreign Minister Jeenbek Kulubaev held a phone call with Mr. Kaha Imnadze, Head of the UN Regional Centre for Preventive Diplomacy for Central Asia (UNRCCA).\r\n\r\nKulubaev and Imnadze discussed water and energy.",
    );
    let m = &x.meetings[0];
    assert_eq!(m.kind, Kind::Call);
    assert_eq!(m.city, None);
    assert_eq!(m.participants.len(), 2);
    assert_eq!(m.participants[1].title.as_deref(), Some("Head of UNRCCA"));
    assert_eq!(m.source.publisher.as_deref(), Some("AKIpress"));
    // "Preventive Diplomacy" in the Centre's name counts: the name says what it works on.
    assert_eq!(m.topics, ["preventive diplomacy", "energy", "water", "water and energy"]);
}

#[test]
fn titles_with_non_ascii_letters_do_not_break_ministry_names() {
    let x = extract(
        "f.txt",
        " date 2024-01-09\nANKARA, Türkiye, January 9. İstanbul-born Minister of Trade of Türkiye Ömer Bolat met with Uzbek Minister of Investment Laziz Kudratov.",
    );
    let m = &x.meetings[0];
    assert_eq!(m.participants[0].name, "Ömer Bolat");
    assert_eq!(m.participants[0].org.as_deref(), Some("Ministry of Trade of Türkiye"));
}

#[test]
fn the_genres_wording_of_real_readouts() {
    // Received in audience on a weekday, with officials who accompany; the venue's city.
    let x = extract(
        "g.txt",
        " date 2024-06-14\nPresident Amara Quist on Tuesday received in audience the visiting Foreign Minister of Ruritania, \
         Ms Lena Brandt, at the State House, Abuja.\n\nThe president was accompanied by the Minister of Trade, Hon Obi Kalu.",
    );
    let m = &x.meetings[0];
    assert_eq!(m.date.to_string(), "2024-06-11");
    assert_eq!(m.city.as_deref(), Some("Abuja"));
    let names: Vec<&str> = m.participants.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Amara Quist", "Lena Brandt", "Obi Kalu"]);
    // A syndication mark before the dateline, "yesterday" from the dateline's day, a counterpart.
    let x = extract(
        "h.txt",
        " date 2024-03-06\n(AGENCY- Some Wire) TASHKENT, Uzbekistan, March 5. Foreign Minister Temur Rasulov held talks \
         yesterday with his Japanese counterpart, Kenji Mori.",
    );
    let m = &x.meetings[0];
    assert_eq!((m.date.to_string().as_str(), m.city.as_deref()), ("2024-03-04", Some("Tashkent")));
    assert_eq!(m.participants[1].title.as_deref(), Some("Foreign Minister"));
    assert_eq!(m.participants[1].country.as_deref(), Some("Japan"));
    // "the two men": the parties are the people named just before.
    let x = extract(
        "two.txt",
        " date 2024-04-13\nNORTHPORT - Prime Minister Ada Vance has congratulated President Tomas Ruel on his election.\n\n\
         The two men spoke by phone on Saturday, her office said.",
    );
    let m = &x.meetings[0];
    assert_eq!((m.kind, m.date.to_string().as_str()), (Kind::Call, "2024-04-13"));
    let names: Vec<&str> = m.participants.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Ada Vance", "Tomas Ruel"]);
    // Consultations held without names, the heads of delegation in the next sentence.
    let x = extract(
        "heads.txt",
        " date 2024-04-13\nThe second round of political consultations between the two foreign ministries was held \
         on Tuesday via video conference.\n\nThe delegation was headed by Deputy Minister Lara Stone, while the other \
         side was led by Director General Omar Nadir.",
    );
    let m = &x.meetings[0];
    assert_eq!((m.kind, m.date.to_string().as_str()), (Kind::Video, "2024-04-09"));
    let names: Vec<&str> = m.participants.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Lara Stone", "Omar Nadir"]);
    // An ambassador reported from home meets where he serves; the city is not said.
    let x = extract(
        "amb.txt",
        " date 2024-05-02\nASTANA. AGENCY - Kazakh Ambassador to Japan Erlan Bekov met with Japanese State Minister \
         Taro Ishida.",
    );
    let m = &x.meetings[0];
    assert_eq!((m.city.as_deref(), m.country.as_deref()), (None, Some("Japan")));
    // "this evening" in a release of the next morning: the later explicit date is the meeting's.
    let x = extract(
        "eve.txt",
        " date 2025-02-27\nThe Minister for Trade, Ann Holt, met with the Minister for Energy, Karl Weber, this evening \
         in Vienna.\n\nThe two ministers met this evening [Wednesday 26 February] at the ministry.",
    );
    assert_eq!(x.meetings[0].date.to_string(), "2025-02-26");
    // A readout: the place on a line of its own, the other party named by title only.
    let x = extract(
        "i.txt",
        " date 2019-05-02\nReadout of a meeting\n\nGeneva\n\nThe Secretary-General met today with Mr. Pavel Orlov, \
         Prime Minister of Ruritania. They discussed climate finance, the situation in the Sahel and youth employment.",
    );
    let m = &x.meetings[0];
    assert_eq!(m.city.as_deref(), Some("Geneva"));
    assert_eq!(m.participants[0].name, "Pavel Orlov");
    for t in ["climate finance", "situation in the sahel", "youth employment"] {
        assert!(m.topics.iter().any(|x| x.contains(t)), "{t} not in {:?}", m.topics);
    }
    // Video talks with a pronoun subject; an initial before a surname.
    let x = extract(
        "j.txt",
        " date 2021-02-10\nSEOUL, Feb. 10 (Wire) -- Vice Minister Park Min-ho held virtual talks with his Indian \
         counterpart on Wednesday.\n\nIn the talks, Park and R.Sharma reviewed trade.",
    );
    let m = &x.meetings[0];
    assert_eq!(m.kind, Kind::Video);
    assert_eq!(m.city, None);
    assert!(m.participants.iter().any(|p| p.name == "R. Sharma"), "{:?}", m.participants);
    // Obituaries recall meetings without reporting one; a planned visit is none either.
    let x = extract(
        "k.txt",
        " date 2020-01-02\nFormer minister Ivo Stan passed away\n\nIvo Stan, who met Foreign Minister Lena Brandt in 1999, died on Monday.",
    );
    assert!(x.skipped.as_deref().unwrap().contains("obituary"), "{:?}", x.skipped);
    // Organisations: a listed one as written, the report's own institutions, ministries.
    let x = extract(
        "l.txt",
        " date 2023-09-01\nBAKU, Azerbaijan, September 1. Azerbaijani Foreign Minister Elchin Mammadli met with \
         OSCE Secretary General Anna Berg on the sidelines of the Baku Energy Forum. They discussed the work of the \
         Shanghai Cooperation Organisation and the Ruritanian Foreign Ministry.",
    );
    let m = &x.meetings[0];
    for o in ["OSCE", "Baku Energy Forum", "Shanghai Cooperation Organisation", "Ruritanian Foreign Ministry"] {
        assert!(m.orgs.iter().any(|x| x == o), "{o} not in {:?}", m.orgs);
    }
    assert!(!m.orgs.iter().any(|x| x == "SCO"), "{:?}", m.orgs);
}

pub(super) fn names(m: &Meeting) -> Vec<&str> {
    m.participants.iter().map(|p| p.name.as_str()).collect()
}

/// The one meeting a report of `text` under a header date gives (failing the test otherwise).
pub(super) fn one(text: &str) -> Meeting {
    let x = extract("t.txt", &format!(" date 2022-03-04\n{text}"));
    assert_eq!(x.meetings.len(), 1, "{text}: {:?} {:?}", x.skipped, x.meetings);
    x.meetings.into_iter().next().unwrap()
}

/// Fails the test unless a report of `text` under a header date gives no meeting.
pub(super) fn none(text: &str) {
    let x = extract("t.txt", &format!(" date 2022-03-04\n{text}"));
    assert!(x.meetings.is_empty(), "{text}: {:?}", x.meetings);
}

#[test]
fn wording_and_names_of_more_outlets() {
    // "held wide-ranging talks"; a given name alone is the person named in full; a venue after
    // "at the" and a spouse are no parties.
    let x = extract(
        "a.txt",
        " date 2024-03-05
NAIROBI, March 5 (Wire) - Prime Minister Abel Tesfa on Tuesday held wide-ranging talks with          Foreign Minister Lena Brandt at the Grand Mirador.

Premier Abel was joined by his wife Puan Sara Lim.",
    );
    let m = &x.meetings[0];
    assert_eq!(names(m), ["Abel Tesfa", "Lena Brandt"]);
    assert_eq!(m.date.to_string(), "2024-03-05");
    // "on a visit to CITY" is where the parties are; the dateline is the outlet's.
    let x = extract(
        "b.txt",
        " date 2024-01-05
Aizawl, January 5 (Wire): Governor Ama Lali, who is on a visit to New Delhi, called on Prime          Minister Ravi Sen on Thursday.",
    );
    let m = &x.meetings[0];
    assert_eq!((m.city.as_deref(), m.date.to_string().as_str()), (Some("New Delhi"), "2024-01-04"));
    // A country only yields to a city of it said in another sentence of the meeting.
    let x = extract(
        "c.txt",
        " date 2024-06-10
Prime Minister Omar Nadir, who is on an official visit to India, paid a courtesy call on          President Anu Devi on Monday. The two discussed trade at the palace in New Delhi.",
    );
    assert_eq!(x.meetings[0].city.as_deref(), Some("New Delhi"));
    // "the head of state", and a host who meets several guests in turn ("At the meeting with X").
    let x = extract(
        "d.txt",
        " date 2023-03-14
ASTANA. WIRE – President Karim Sadyk received the ambassadors of Ruritania and Molvania.

         During the meeting with Ruritanian ambassador Ivo Stan, the head of state noted Ivo Stan's visit plans. At the          meeting with Molvanian ambassador Pia Horn, the sides discussed trade.",
    );
    let all: Vec<&str> = x.meetings.iter().flat_map(|m| names(m)).collect();
    assert!(["Karim Sadyk", "Ivo Stan", "Pia Horn"].iter().all(|n| all.contains(n)), "{all:?}");
    assert!(x.meetings.iter().all(|m| m.participants.len() == 2), "{:?}", x.meetings);
    // Someone's visit, a letter from someone: spoken of, not met; a banquet hosted by someone
    // and "will also visit" are plans.
    let x = extract(
        "e.txt",
        " date 2012-02-14
WASHINGTON, Feb. 14 (Wire) -- Vice President Li Wen met here Tuesday with President Ada Vance          and delivered to her a letter from President Hu Ren.",
    );
    assert_eq!(names(&x.meetings[0]), ["Li Wen", "Ada Vance"]);
    let x = extract(
        "f.txt",
        " date 2009-11-17
President Hu Ren is to meet President Ada Vance on Tuesday. Vance will also visit the museum          and attend a state banquet in her honour hosted by President Hu Ren.",
    );
    assert!(x.meetings.is_empty(), "{:?}", x.meetings);
    // An ambassador received at home meets at home.
    let x = extract(
        "g.txt",
        " date 2023-07-05
ASTANA, July 5. /Wire/. President Karim Sadyk met with the ambassador to Ruritania, Ivo Stan.",
    );
    assert_eq!(x.meetings[0].city.as_deref(), Some("Astana"));
    // The two people of the sentence just before are "the two leaders".
    let x = extract(
        "h.txt",
        " date 2024-06-10
Prime Minister Omar Nadir met President Anu Devi on Monday.

On Sunday, Nadir attended          Prime Minister Ravi Sen's swearing-in. The two leaders then held talks.",
    );
    let all: Vec<&str> = x.meetings.iter().flat_map(|m| names(m)).collect();
    assert!(all.contains(&"Ravi Sen"), "{all:?}");
    // A meeting recalled as background, or dated months before the report, is not reported.
    let x = extract(
        "i.txt",
        " date 2022-10-20
Referring to his meeting with Secretary Ada Vance on 4 August, 2022, Foreign Minister Omar          Nadir welcomed the aid. It is to be recalled that Nadir met Ivo Stan last week.",
    );
    assert!(x.meetings.is_empty(), "{:?}", x.meetings);
    // A farewell call, "conferred with", officials who attended.
    let x = extract(
        "j.txt",
        " date 2021-02-19
Addis Ababa February 19/2021 (Wire) President Sara Tefera bade farewell to the outgoing          Ruritanian Ambassador, Ivo Stan, on Thursday. The meeting was attended by Adviser Lul Haile.",
    );
    let m = &x.meetings[0];
    assert_eq!((m.city.as_deref(), m.date.to_string().as_str()), (Some("Addis Ababa"), "2021-02-18"));
    assert_eq!(names(m), ["Sara Tefera", "Ivo Stan", "Lul Haile"]);
    let x = extract(
        "k.txt",
        " date 2019-02-11
Premier Abel Tesfa conferred with President Ivo Stan in Addis Ababa.",
    );
    assert_eq!(names(&x.meetings[0]), ["Abel Tesfa", "Ivo Stan"]);
}

#[test]
fn titles_of_more_outlets() {
    // A photo caption's "(R)"; a title's abbreviation in brackets; a compound title; two-word
    // styles; a counterpart's title yields to one the report states; a country of two words.
    let x = extract(
        "a.txt",
        " date 2022-03-29
Colombo [Sri Lanka], March 29 (Wire): External Affairs Minister (EAM) Ravi Sen (R) met          Governor-General Sir Bob Dalu, Prime Minister Tan Sri Amir Yusof and his Nepali counterpart Dr Ram Thapa.

         Later, Nepal's Minister for Foreign Affairs Ram Thapa met the Ambassador to Sri Lanka Ada Vance.",
    );
    let all: Vec<(&str, Option<&str>)> =
        x.meetings.iter().flat_map(|m| m.participants.iter().map(|p| (p.name.as_str(), p.title.as_deref()))).collect();
    for want in [
        ("Ravi Sen", Some("External Affairs Minister")),
        ("Bob Dalu", Some("Governor-General")),
        ("Amir Yusof", Some("Prime Minister")),
        ("Ram Thapa", Some("Minister for Foreign Affairs")),
        ("Ada Vance", Some("Ambassador to Sri Lanka")),
    ] {
        assert!(all.contains(&want), "{want:?} not in {all:?}");
    }
    // A run ending in an institution word is no person.
    let x = extract(
        "b.txt",
        " date 2017-03-08
WARSAW - Foreign Minister Jan Nowak met his counterpart Ada Vance. During the meeting, the          ministers spoke of the Weimar Triangle.",
    );
    assert_eq!(names(&x.meetings[0]), ["Jan Nowak", "Ada Vance"]);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Any text, however mangled, gives an extraction (no panic), and the same one twice.
    #[test]
    fn extraction_is_total_and_deterministic(
        parts in proptest::collection::vec(proptest::prop_oneof![
            proptest::prelude::Just(" date 2024-01-17".to_string()),
            proptest::prelude::Just("ASHGABAT, Turkmenistan, January 17. ".to_string()),
            proptest::prelude::Just("Deputy Minister of Foreign Affairs of Turkmenistan Myakhri Byashimova met with ".to_string()),
            proptest::prelude::Just("Kaha Imnadze, Head of the UN Regional Centre (UNRCCA), ".to_string()),
            proptest::prelude::Just("Mr. İmnadze ".to_string()),
            proptest::prelude::Just("held a phone call (". to_string()),
            proptest::prelude::Just("\r\n\r\n".to_string()),
            proptest::prelude::Just(". ".to_string()),
            // The genre's pieces that stand for a party without naming one, or name one late.
            proptest::prelude::Just("He held talks there. ".to_string()),
            proptest::prelude::Just("Foreign Minister Aigul Sultanova arrived. ".to_string()),
            proptest::prelude::Just("She held talks with ".to_string()),
            proptest::prelude::Just("the President ".to_string()),
            proptest::prelude::Just("his counterpart ".to_string()),
            proptest::prelude::Just("Foreign Minister Aigul Sultanova ".to_string()),
            proptest::prelude::Just("spoke by phone with ".to_string()),
            proptest::prelude::Just("the ambassadors of Chile, Ana Ruiz; Peru, ".to_string()),
            proptest::prelude::Just("on Tuesday ".to_string()),
            proptest::prelude::Just("(Xinhua) ".to_string()),
            "\\PC{0,12}",
        ], 0..24)
    ) {
        let text: String = parts.concat();
        let a = extract("p.txt", &text);
        let b = extract("p.txt", &text);
        proptest::prop_assert_eq!(&a, &b);
        proptest::prop_assert!(a.meetings.is_empty() == a.skipped.is_some());
    }
}

#[test]
fn patterns_of_the_third_and_fourth_real_sets() {
    // "H.M." ends no sentence, a regnal number ends a name, and a title opening the sentence
    // is the one person holding it.
    let x = extract(
        "a.txt",
        " date 2024-05-02
Readout of a meeting

Riverside

2 May 2024

Ada Vance, Secretary-General

The Secretary-General met today with H.M. King Otto IV of Ruritania and Prime Minister Ivo Stan.",
    );
    let m = &x.meetings[0];
    assert_eq!(names(m), ["Otto IV", "Ivo Stan", "Ada Vance"]);
    assert_eq!(m.participants[0].title.as_deref(), Some("King"));
    // "discussed … with"; the day a ministry said something yields to the meeting's day in the
    // next sentence; a city's possessive is its government, not the place; someone "under"
    // whom a government serves is spoken of.
    let x = extract(
        "b.txt",
        " date 2024-01-19
Foreign Minister Lena Brandt discussed the harbour project with her Molvanian counterpart,          Pia Horn, in Peru, Lisbon's foreign ministry said Friday.

The two ministers held a meeting in Lima on Thursday, the first since the new cabinet under          Prime Minister Hu Ren took office.",
    );
    let m = &x.meetings[0];
    assert_eq!(names(m), ["Lena Brandt", "Pia Horn"]);
    assert_eq!((m.date.to_string().as_str(), m.city.as_deref()), ("2024-01-18", Some("Lima")));
    // A day just after the report's own is of its year; the last summit's city is not the
    // meeting's; an earlier meeting recalled ("recent meeting with") is none.
    let x = extract(
        "c.txt",
        " date 2022-09-14
On September 15, President Karim Sadyk met with President Anu Devi. The two leaders praised          the last summit in Lisbon. During the president's recent meeting with Chancellor Ivo Stan in          Madrid, trade was discussed.",
    );
    assert_eq!(x.meetings.len(), 1, "{:?}", x.meetings);
    let m = &x.meetings[0];
    assert_eq!((m.date.to_string().as_str(), m.city.as_deref()), ("2022-09-15", None));
    // The lead's day dates a first meeting said without one; a high commissioner "to COUNTRY"
    // who called meets there; a dateline alone on its line opens the lead on the next.
    let x = extract(
        "d.txt",
        " date 2016-06-15
The leaders sent condolences to President Ada Vance on Tuesday.

President Ada Vance spoke with President Karim Sadyk by telephone.",
    );
    assert_eq!(x.meetings[0].date.to_string(), "2016-06-14");
    let x = extract(
        "e.txt",
        " date 2021-03-04
The new High Commissioner to Portugal Ivo Stan paid a courtesy visit to Prime Minister Anu Devi.",
    );
    assert_eq!((x.meetings[0].city.as_deref(), x.meetings[0].country.as_deref()), (None, Some("Portugal")));
    let x = extract(
        "f.txt",
        " date 2022-02-14 Minister holds talks

Manila, February 14
Foreign Minister Lena Brandt held talks with Foreign Secretary Ivo Stan in a seaside resort of          Lisbon. They discussed trade.",
    );
    let m = &x.meetings[0];
    assert_eq!((m.city.as_deref(), m.country.as_deref()), (Some("Lisbon"), Some("Portugal")));
}

#[test]
fn spoken_of_and_where_in_more_real_patterns() {
    // Talks recalled, a family member and the trip's entourage are no parties; a group is no
    // person; "on a state visit to the COUNTRY" places the meeting.
    let x = extract(
        "a.txt",
        " date 2024-06-10
Vice President Omar Nadir paid a courtesy call on Prime Minister Anu Devi this evening. The          Prime Minister is on a state visit to the Maldives.

Devi recalled her talks with President Ada Vance and condemned the Red Dawn militant group.

Nadir is accompanied by his daughter Lena Nadir and Foreign Secretary Ivo Stan.",
    );
    let m = &x.meetings[0];
    assert_eq!(names(m), ["Omar Nadir", "Anu Devi"]);
    assert_eq!(m.country.as_deref(), Some("Maldives"));
    // A surname that is a city; a spokesperson who reports; "(USA)" after a name; a plan's
    // sentence and a recalled meeting's date say nothing of this meeting's day or place.
    let x = extract(
        "b.txt",
        " date 2023-08-03
Defence Minister Omar Nadir received a telephone call Wednesday from his counterpart Lloyd          Austin and envoy Ivo Stan (USA).

The ministry's spokesman Ben Ross told reporters of the call.",
    );
    let m = &x.meetings[0];
    assert_eq!(names(m), ["Omar Nadir", "Lloyd Austin", "Ivo Stan"]);
    assert_eq!(m.date.to_string(), "2023-08-02");
    let x = extract(
        "c.txt",
        " date 2022-10-20
At the outset of his visit to Madrid, King Otto IV received Foreign Minister Lena Brandt.

Referring to the minister's talks with Ivo Stan on 4 August 2022, the king praised the aid. The          ministers are scheduled to hold talks on Sunday in Lisbon.",
    );
    let m = &x.meetings[0];
    assert_eq!((m.date.to_string().as_str(), m.city.as_deref()), ("2022-10-20", Some("Madrid")));
    // A name misspelt once is the person; "who is visiting COUNTRY" places the meeting.
    let x = extract(
        "d.txt",
        " date 2021-02-19
President Ada Marquant met with Foreign Minister Ivo Stan, who is visiting Portugal.

President Marqaunt also received Ambassador Pia Horn.",
    );
    assert_eq!(x.meetings[0].country.as_deref(), Some("Portugal"));
    let all: Vec<&str> = x.meetings.iter().flat_map(|m| names(m)).collect();
    assert!(all.contains(&"Pia Horn") && !all.contains(&"Marqaunt"), "{all:?}");
    // Those said to be present complete a meeting with a party named only as a group; a
    // predecessor is spoken of.
    let x = extract(
        "e.txt",
        " date 2023-06-09
On Friday, President Karim Sadyk met with the country's elders, since he took over from his          predecessor, Omar Nadir.

Present at the meeting was the Chief of Riverton, Ivo Stan.",
    );
    assert_eq!(names(&x.meetings[0]), ["Karim Sadyk", "Ivo Stan"]);
    assert_eq!(x.meetings.len(), 1);
    // "the visit will see talks": a plan.
    let x = extract(
        "f.txt",
        " date 2023-07-26
The visit will see formal talks between Foreign Minister Lena Brandt and President Anu Devi.",
    );
    assert!(x.meetings.is_empty(), "{:?}", x.meetings);
}

#[test]
fn patterns_of_the_fifth_real_set() {
    // Parties named only by title, then named in the next sentence; "he" is the one the
    // sentence before named.
    let x = extract(
        "a.txt",
        " date 2022-03-04
The foreign ministers of Norway and Chile discussed fisheries by telephone.

Norwegian Foreign Minister Ada Marquant thanked Ivo Stan for his country's support.",
    );
    assert_eq!(names(&x.meetings[0]), ["Ada Marquant", "Ivo Stan"]);
    assert_eq!(x.meetings[0].kind, Kind::Call);
    // … also with a sentence naming no one between them.
    let x = extract(
        "a2.txt",
        " date 2022-03-04
The foreign ministers of Norway and Chile discussed fisheries by telephone. The Chilean ministry reports it.

Norwegian Foreign Minister Ada Marquant thanked Ivo Stan for his country's support.",
    );
    assert_eq!(names(&x.meetings[0]), ["Ada Marquant", "Ivo Stan"]);
    let x = extract(
        "b.txt",
        " date 2022-03-04
OSLO, March 4 — Prime Minister Karim Sadyk has kept receiving greetings on his new post.

Today, he received a telephone call from Chilean President Pia Horn.",
    );
    let all = names(&x.meetings[0]);
    assert!(all.contains(&"Karim Sadyk") && all.contains(&"Pia Horn"), "{all:?}");
    // "A and his counterpart B discussed"; credentials; "was briefed by".
    for (file, text) in [
        ("c.txt", "Foreign Minister Ada Marquant and his Chilean counterpart Ivo Stan on Friday discussed trade."),
        ("d.txt", "Ambassador Omar Nadir presented his letter of credence to President Pia Horn in Oslo."),
        ("e.txt", "President Karim Sadyk was briefed by Commissioner Lena Brandt at the headquarters in Oslo."),
    ] {
        let x = extract(file, &format!(" date 2022-03-04\n{text}"));
        assert_eq!(x.meetings.len(), 1, "{:?}", x.skipped);
    }
    // Institution words after a city are no name ("Bergen Airports", "Oslo Civil Aviation").
    let x = extract(
        "h.txt",
        " date 2022-03-04
President Karim Sadyk received President Pia Horn, with the heads of Bergen Airports and Oslo Civil Aviation.",
    );
    assert_eq!(names(&x.meetings[0]), ["Karim Sadyk", "Pia Horn"]);
    // "here" is the dateline's city, not a city a later sentence names.
    let x = extract(
        "g.txt",
        " date 2022-03-04
BERGEN: Prime Minister Karim Sadyk today received President Pia Horn at a hotel here.

At the meeting, Horn spoke of the new hospital in Oslo.",
    );
    assert_eq!(x.meetings[0].city.as_deref(), Some("Bergen"), "{:?}", x.meetings[0]);
    // Plans: "is also scheduled to pay a courtesy call", "looking forward to meeting", "It will
    // be A's first meeting with B".
    for plan in [
        "He is also scheduled to pay a courtesy call on President Pia Horn, spokesperson Omar Nadir said.",
        "President Karim Sadyk said he is looking forward to meeting with Prime Minister Pia Horn.",
        "It will be Stan's first meeting with Foreign Minister Ada Marquant, said Omar Nadir.",
        "In his meeting with Ada Marquant, Stan will share his views on the talks held in May.",
    ] {
        let x = extract("f.txt", &format!(" date 2022-03-04\nForeign Minister Ivo Stan is in Oslo.\n\n{plan}"));
        assert!(x.meetings.is_empty(), "{plan}: {:?}", x.meetings);
    }
}

#[test]
fn patterns_of_the_train7_set() {
    // A list under a plural title, each name after its country; "accredited … ambassadors";
    // "the statesman" for the head of state.
    let m = one("OSLO - The Norwegian Head of State, Pia Horn, on Monday accredited three new ambassadors.\n\n\
         The Norwegian statesman received the credentials of the ambassadors of Peru, Ivo Stan; Kenya, Ada Marquant, \
         and Chile, Omar Nadir.");
    assert_eq!(names(&m), ["Pia Horn", "Ivo Stan", "Ada Marquant", "Omar Nadir"]);
    for (p, c) in m.participants[1..].iter().zip(["Peru", "Kenya", "Chile"]) {
        assert_eq!((p.title.as_deref(), p.country.as_deref()), (Some("Ambassador"), Some(c)), "{p:?}");
    }
    // Meetings called off, and plans said with "going to" or "will make a visit".
    none("President Ivo Stan said on Friday he had cancelled the meeting with Prime Minister Ada Marquant.");
    none("Ivo Stan Scraps Talks With Ada Marquant\n\nPresident Ivo Stan called off the planned talks with President Ada Marquant.");
    none("President Ivo Stan and President Ada Marquant were going to meet in Oslo on Sunday, officials said.");
    none("President Ivo Stan will make an official visit to Oslo next spring for talks with King Omar Nadir.");
    // A virtual session is a video meeting.
    let m = one("Prime Minister Ivo Stan and President Ada Marquant met in a virtual session on Thursday.");
    assert_eq!(m.kind, Kind::Video);
    // Not parties: places ("St Lucia", "the San Carlos district", "the Grand Lake Hotel"), a
    // spouse in apposition, the author of a quoted post, one who only reports the meeting.
    let m = one("President Ivo Stan received Prime Minister Ada Marquant of St Lucia at the Grand Lake Hotel in the \
         San Carlos district of Oslo.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    let m =
        one("President Ivo Stan met President Ada Marquant and her husband, Omar Nadir, in Oslo, Foreign Minister \
         Pia Horn wrote on her account.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    let m = one("President Ivo Stan met President Ada Marquant in Oslo.\n\nAt the talks they discussed trade — Pia Horn (@piahorn) March 4, 2022");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    // … but one who said it at the meeting is a party.
    let m = one("Trade is growing, President Ivo Stan said at his meeting with Ada Marquant.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    // A party's acronym after a titled name is the person's party, not an institution.
    let m = one("The president Ivo Stan (LP) receives his counterpart Ada Marquant in Oslo.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    // "last met" recalls an earlier meeting.
    let m = one("President Ivo Stan met President Ada Marquant in Oslo on Thursday.\n\n\
         The two presidents last met in Lima, with King Omar Nadir.");
    assert_eq!(m.city.as_deref(), Some("Oslo"));
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    // "today (3)": the day in brackets; a day an event is still to take place on is not the
    // meeting's.
    let x = extract("t.txt", " date 2022-03-04\nPresident Ivo Stan met President Ada Marquant in Oslo today (3).");
    assert_eq!(x.meetings[0].date.to_string(), "2022-03-03");
    let x = extract(
        "t.txt",
        " date 2022-03-04\nPresident Ivo Stan met President Ada Marquant in Oslo ahead of the forum to take place on \
         Monday March 7.",
    );
    assert_eq!(x.meetings[0].date.to_string(), "2022-03-04");
    // Two-letter initials glued to the name; hosting a summit is no meeting with someone.
    let m = one("On Wednesday President Ts.Batbold received Prime Minister Ada Marquant in Oslo.\n\n\
         He noted that Norway hosted the fifth regional summit.");
    assert_eq!(names(&m), ["Ts. Batbold", "Ada Marquant"]);
    // "They are: A, B": the parties a meeting sentence spoke of; "Madam" is an honorific;
    // countries joined by a hyphen name no one; a task "set in a" call recalls that call.
    let m = one("President Ivo Stan on Friday received the letters of credence of two envoys.\n\n\
         They are; Omar Nadir, Chilean Ambassador to Norway, and Madam Ada Marquant, the Peruvian Ambassador.");
    assert_eq!(names(&m), ["Ivo Stan", "Omar Nadir", "Ada Marquant"]);
    let m = one("President Ivo Stan met President Ada Marquant in Oslo to deepen the Norway-Chile partnership.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    let x = extract(
        "t.txt",
        " date 2022-03-04\nForeign Minister Ivo Stan and Foreign Minister Ada Marquant spoke by phone on Thursday.\n\n\
         They pursued the task set in a telephone conversation between President Omar Nadir and President Pia Horn.",
    );
    assert_eq!(x.meetings.len(), 1, "{:?}", x.meetings);
    // "The phone call comes a day after …": background, not another call.
    let x = extract(
        "t.txt",
        " date 2022-03-04\nKing Ivo Stan held a telephone conversation with President Ada Marquant.\n\n\
         The phone call also comes a day after a documentary said Prince Omar Nadir and Minister Pia Horn backed the plan.",
    );
    assert_eq!(x.meetings.len(), 1, "{:?}", x.meetings);
    assert_eq!(names(&x.meetings[0]), ["Ivo Stan", "Ada Marquant"]);
    // The host's country when no place is said: who received the guest from elsewhere, or
    // whom a visitor met.
    let m = one("Norway's Foreign Minister Ivo Stan received Ada Marquant, Speaker of the Nordic Council, today.");
    assert_eq!((m.city.as_deref(), m.country.as_deref()), (None, Some("Norway")));
    let m = one("Visiting President Ivo Stan met Chilean Foreign Minister Ada Marquant this morning.");
    assert_eq!((m.city.as_deref(), m.country.as_deref()), (None, Some("Chile")));
    let m = one("President Ivo Stan met Chilean Foreign Minister Ada Marquant this morning.");
    assert_eq!(m.country, None);
    // Someone "ahead of" whose talks the meeting was held is not at it.
    let m =
        one("Prime Minister Ivo Stan met President Ada Marquant in Oslo yesterday, ahead of talks with Secretary of \
         State Omar Nadir in Lima on Wednesday.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
}
