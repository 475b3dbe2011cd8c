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
    assert_eq!(m.topics, ["preventive diplomacy", "energy", "water"]);
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
