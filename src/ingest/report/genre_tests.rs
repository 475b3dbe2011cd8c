//! The extractor on the genre's patterns the sixth and eighth real sets showed (sentences the
//! project wrote; the sets stay outside the repository). The seed and the earlier sets' patterns
//! are in `tests.rs`.

use super::tests::{names, none, one};
use super::*;

/// A meeting sentence whose only party is its pronoun subject ("He held talks …"), after a
/// sentence that names someone: no panic, and no meeting of one.
#[test]
fn a_pronoun_alone_in_a_meeting_sentence_is_read_without_a_panic() {
    let text = "BISHKEK, 3 March 2025 - Foreign Minister Aigul Sultanova arrived in Bishkek on Monday.\n\
                He held talks there on Tuesday.\n";
    let x = extract("pronoun.txt", text);
    assert!(x.meetings.iter().all(|m| m.participants.len() >= 2), "{:#?}", x.meetings);
}

#[test]
fn patterns_of_the_sixth_real_set() {
    // A meeting called off in the passive; a plan told with "would", "was slated to", "had to";
    // a visit "had been scheduled".
    none("Talks between President Ivo Stan and Prime Minister Ada Marquant have been postponed.");
    none("The talks of Minister Ivo Stan with Minister Ada Marquant had to be called off, officials said.");
    none("Minister Ivo Stan would travel to Oslo for talks with King Omar Nadir, officials said.");
    none("Minister Ivo Stan was slated to meet Chancellor Ada Marquant in Oslo on Tuesday.");
    none("Minister Ivo Stan had to fly to Oslo in May to hold a meeting with King Omar Nadir.");
    // … while "had" of a meeting held still reports one.
    let m = one("Minister Ivo Stan had talks with King Omar Nadir in Oslo.");
    assert_eq!(names(&m), ["Ivo Stan", "Omar Nadir"]);
    // "talked with" reports a meeting; a list of participants joins the meeting before it.
    let m = one("King Omar Nadir talked with Ivo Stan, the Peruvian envoy, in Oslo on Friday.");
    assert_eq!(names(&m), ["Omar Nadir", "Ivo Stan"]);
    let m = one("Minister Pia Horn held a meeting with Nordic ministers in Oslo.\n\n\
         Participants were Minister Ivo Stan of Norway, Minister Ada Marquant of Chile and Minister Omar Nadir \
         of Peru.");
    assert_eq!(names(&m), ["Pia Horn", "Ivo Stan", "Ada Marquant", "Omar Nadir"]);
    let m = one("President Ivo Stan met President Ada Marquant in Oslo.\n\nAlso present was Minister Omar Nadir.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant", "Omar Nadir"]);
}

#[test]
fn datelines_of_the_sixth_real_set() {
    let at = |text: &str| {
        let x = extract("t.txt", &format!(" date 2022-03-04\nTalks in the capital\n\n{text}"));
        assert_eq!(x.meetings.len(), 1, "{text}: {:?} {:?}", x.skipped, x.meetings);
        let m = &x.meetings[0];
        (m.kind, m.city.clone(), m.country.clone())
    };
    let oslo = (Kind::Meeting, Some("Oslo".to_string()), Some("Norway".to_string()));
    // A dateline that is a paragraph of its own, its agency after the date.
    assert_eq!(at("Oslo, March 4, NORPRESS\n\nPresident Ivo Stan received Minister Ada Marquant."), oslo);
    // A standfirst line without a full stop, the dateline opening the next line.
    assert_eq!(
        at("The leaders shook hands before the talks\nOSLO, March 4. /Norpress/. President Ivo Stan received \
            Minister Ada Marquant."),
        oslo
    );
    // "UNITED NATIONS" datelines the headquarters in New York.
    let (_, city, country) = at("UNITED NATIONS, March 4 (Wire) - Minister Ivo Stan met Minister Ada Marquant.");
    assert_eq!((city.as_deref(), country.as_deref()), (Some("New York"), Some("United States")));
    // A media label ending the headline says nothing of how they met.
    let x = extract(
        "t.txt",
        " date 2022-03-04 President received the minister VIDEO\n\nOSLO, March 4 - President Ivo Stan received \
         Minister Ada Marquant.",
    );
    assert_eq!(x.meetings[0].kind, Kind::Meeting);
    assert_eq!(x.meetings[0].city.as_deref(), Some("Oslo"));
}

#[test]
fn wording_and_names_of_the_sixth_real_set() {
    // "held talk with", "talked about … with", a summit held with someone, envoys who
    // "presented their letters of credence".
    let m = one("Secretary-General Ivo Stan held talk with Ada Marquant, the head of the Nordic Council.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    let m = one("King Ivo Stan talked about fisheries with Ada Marquant on Monday.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    let m = one("Prime Minister Ivo Stan held a virtual summit with President Ada Marquant.");
    assert_eq!((m.kind, names(&m)), (Kind::Video, vec!["Ivo Stan", "Ada Marquant"]));
    let m = one("Two envoys, Ivo Stan of Peru and Ada Marquant of Chile, presented their letters of credence on \
         Friday.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    // "X, along with A and B, went to …": they join the meeting before; not when the
    // sentence recalls an earlier one.
    let m = one("Minister Ivo Stan held talks with Ambassador Ada Marquant on Thursday.\n\n\
         Stan came along with his deputy Omar Nadir.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant", "Omar Nadir"]);
    let m = one("President Ivo Stan met President Ada Marquant in Oslo.\n\n\
         The two presidents last met in Lima along with President Omar Nadir.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    // A meeting a sentence says another will follow or precede, or one someone suggested,
    // is still to come.
    let m = one("President Ivo Stan met President Ada Marquant in Oslo.\n\n\
         Talks between Minister Omar Nadir and Minister Pia Horn will follow the meeting.\n\n\
         Stan suggested that King Rolf Dahl hold talks with President Luis Vega in May.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    // Not people: a square, an empire, a festival, a residence or an agenda named with
    // capitals; a service's field.
    let m = one("President Ivo Stan met Minister Ada Marquant at the central Freedom Square, on the occasion of \
         Pia Solberg, the spring festival.\n\n\
         They spoke of the Great Nordic Empire at the Nord Havn residence and of the Clean Seas agenda.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    let m = one("President Ivo Stan received Omar Nadir, head of the Service for Consumer Rights and Human Wellbeing.");
    assert_eq!(names(&m), ["Ivo Stan", "Omar Nadir"]);
    // "Talking with X late on Sunday": the day of the meeting, in a later sentence.
    let m = one("The two ministers held talks on ties, the ministry said on Friday.\n\n\
         Talking with Minister Ada Marquant on Wednesday evening, Minister Ivo Stan praised the ties.");
    assert_eq!(m.date.to_string(), "2022-03-02");
}

#[test]
fn places_of_the_sixth_real_set() {
    let city = |text: &str| {
        let x = extract("t.txt", &format!(" date 2022-03-04 {text}"));
        assert!(!x.meetings.is_empty(), "{text}: {:?}", x.skipped);
        x.meetings[0].city.clone()
    };
    // A colon after the dateline's date.
    assert_eq!(
        city("Talks\n\nOslo, Mar 4: Minister Ivo Stan on Friday held talks with Minister Ada Marquant.").as_deref(),
        Some("Oslo")
    );
    // The headline's city, when the body states none.
    assert_eq!(
        city("Ministers meet in Lima\n\nMinister Ivo Stan met his counterpart Ada Marquant on Friday.").as_deref(),
        Some("Lima")
    );
    // … but not a headline's plan.
    assert_eq!(
        city("Ministers to meet in Lima next week\n\nMinister Ivo Stan met his counterpart Ada Marquant on Friday.")
            .as_deref(),
        None
    );
    // "who came to Oslo for …" before the meeting; "visited State House, Oslo".
    assert_eq!(
        city(
            "Talks\n\nThe king received envoys who came to Oslo for the jubilee.\n\n\
              King Omar Nadir met President Ivo Stan in the afternoon."
        )
        .as_deref(),
        Some("Oslo")
    );
    assert_eq!(
        city("Talks\n\nOn Monday King Omar Nadir met President Ivo Stan, who had visited State House, Oslo.")
            .as_deref(),
        Some("Oslo")
    );
}

#[test]
fn more_wording_of_the_sixth_real_set() {
    // A journey made to meet someone; discussions with someone; those in whose presence the
    // audience took place.
    let m = one("Secretary-General Ivo Stan flew to Oslo on Monday to meet King Omar Nadir.");
    assert_eq!((names(&m), m.city.as_deref()), (vec!["Ivo Stan", "Omar Nadir"], Some("Oslo")));
    let m = one("After discussions with Ivo Stan on Tuesday, Prime Minister Ada Marquant stressed ties were strong.");
    assert_eq!(names(&m), ["Ivo Stan", "Ada Marquant"]);
    let m = one("President Ivo Stan received Speaker Omar bin Ali Al-Sheikh on Tuesday.\n\n\
         They met in the presence of Prime Minister Ada Marquant.");
    assert_eq!(names(&m), ["Ivo Stan", "Omar bin Ali Al-Sheikh", "Ada Marquant"]);
    // The day of the week in a dateline's date.
    let x = extract(
        "t.txt",
        " date 2022-03-04\nOSLO, Norway, Thursday March 3, 2022 – Minister Ivo Stan held talks with Minister Ada Marquant.",
    );
    assert_eq!(x.meetings[0].city.as_deref(), Some("Oslo"));
    assert_eq!(x.meetings[0].date.to_string(), "2022-03-04");
}

#[test]
fn where_an_envoy_is_based_is_not_where_they_met() {
    let x = extract(
        "t.txt",
        " date 2022-03-04\nKing Omar Nadir received Ambassador Ivo Stan of Peru, who is based in Lima, on Friday.",
    );
    assert_eq!(x.meetings.len(), 1, "{:?}", x.skipped);
    assert_eq!(x.meetings[0].city, None);
}

#[test]
fn a_host_of_no_stated_country_is_in_the_one_other_country_named() {
    let country = |text: &str| {
        let x = extract("t.txt", &format!(" date 2022-03-04\n{text}"));
        assert_eq!(x.meetings.len(), 1, "{text}: {:?}", x.skipped);
        x.meetings[0].country.clone()
    };
    assert_eq!(
        country("President Omar Nadir received the Peruvian Ambassador Ivo Stan, who is posted to Norway.").as_deref(),
        Some("Norway")
    );
    // Not when nobody received anyone, nor when two other countries are named.
    assert_eq!(country("President Omar Nadir met the Peruvian Ambassador Ivo Stan, who is posted to Norway."), None);
    assert_eq!(
        country("President Omar Nadir received the Peruvian Ambassador Ivo Stan, posted to Norway and Sweden."),
        None
    );
}

#[test]
fn a_pronoun_or_an_abbreviated_title_opening_a_second_meeting() {
    let x = extract(
        "t.txt",
        " date 2022-03-04\nMinister Ivo Stan met Minister Omar Nadir of Peru.\n\n\
         He then met Chilean Foreign Minister Ada Marquant, who took office last week.",
    );
    assert_eq!(x.meetings.len(), 2, "{:?}", x.meetings);
    assert!(x.meetings.iter().any(|m| names(m) == ["Ada Marquant", "Ivo Stan"]), "{:?}", x.meetings);
    let x =
        extract("t.txt", " date 2022-03-04\nEAM met his Chilean counterpart Ada Marquant on the margins of the forum.");
    assert_eq!(x.meetings.len(), 1, "{:?}", x.skipped);
    assert_eq!(names(&x.meetings[0]), ["Ada Marquant"]);
}

#[test]
fn a_meeting_on_a_date_of_its_own_is_another_meeting() {
    let x = extract(
        "t.txt",
        " date 2022-03-05\nSecretary-General Ivo Stan arrived in Oslo on Wednesday, 2 March.\n\n\
         He first held a meeting with Ada Marquant, President of the Nordic Council.\n\n\
         On Thursday, 3 March, the Secretary-General met with King Omar Nadir.",
    );
    let dated: Vec<(String, Vec<&str>)> = x.meetings.iter().map(|m| (m.date.to_string(), names(m))).collect();
    assert_eq!(
        dated,
        [
            ("2022-03-02".to_string(), vec!["Ada Marquant", "Ivo Stan"]),
            ("2022-03-03".to_string(), vec!["Omar Nadir", "Ivo Stan"])
        ]
    );
}

#[test]
fn voice_calls_attendance_and_teleconferences_in_the_genres_grammar() {
    // A verb of reaching someone by voice, then a title: a telephone call.
    let x =
        extract("t.txt", " date 2022-03-04\nPresident Ivo Stan called the Prime Minister of Peru, Omar Nadir, today.");
    assert_eq!(x.meetings.len(), 1, "{:?}", x.skipped);
    assert_eq!(x.meetings[0].kind, Kind::Call);
    let x = extract("t.txt", " date 2022-03-04\nPresident Ivo Stan spoke with the Crown Prince of Lorn, Omar Nadir.");
    assert_eq!(x.meetings.len(), 1, "{:?}", x.skipped);
    assert_eq!(x.meetings[0].kind, Kind::Call);
    for not_a_call in [
        "President Ivo Stan called for calm after Omar Nadir resigned.",
        "President Ivo Stan spoke with reporters about Omar Nadir.",
    ] {
        let x = extract("t.txt", &format!(" date 2022-03-04\n{not_a_call}"));
        assert!(x.meetings.is_empty(), "{not_a_call}: {:?}", x.meetings);
    }
    // Those said to take part, whatever the attending verb, join the meeting reported.
    for attended in [
        "Also taking part on the Peruvian side were Minister Lia Vos and Minister Ben Holm.",
        "Accompanying the guest were Minister Lia Vos and Minister Ben Holm.",
        "Minister Lia Vos and Minister Ben Holm attended the session as well.",
    ] {
        let x = extract(
            "t.txt",
            &format!(" date 2022-03-04\nPresident Ivo Stan received President Omar Nadir in Lima.\n\n{attended}"),
        );
        assert_eq!(x.meetings.len(), 1, "{attended}: {:?}", x.skipped);
        assert_eq!(names(&x.meetings[0]).len(), 4, "{attended}: {:?}", names(&x.meetings[0]));
    }
    // Leaders named only after a summit no one was named at attend it.
    let x = extract(
        "t.txt",
        " date 2022-03-04\nThe leaders of the bloc held a virtual summit on Thursday.\n\n\
         President Ivo Stan, President Omar Nadir and Chancellor Lia Vos attended the summit.",
    );
    assert_eq!(x.meetings.len(), 1, "{:?}", x.skipped);
    assert_eq!(names(&x.meetings[0]).len(), 3);
    // A source who attended is no party; a plan to attend is no meeting.
    let x = extract(
        "t.txt",
        " date 2022-03-04\nPresident Ivo Stan met President Omar Nadir.\n\n\
         Ties grew after a visit by King Ben Holm, a delegate who attended the session told us.",
    );
    assert_eq!(names(&x.meetings[0]), ["Ivo Stan", "Omar Nadir"]);
    // "Teleconference" reports a meeting by itself, as "videoconference" does.
    let x = extract(
        "t.txt",
        " date 2022-03-04\nMinister Ivo Stan met Minister Omar Nadir.\n\n\
         On the same day, Minister Stan also had a teleconference with Minister Lia Vos of Chile and \
         Minister Ben Holm of Peru.",
    );
    assert!(
        x.meetings.iter().any(|m| names(m).contains(&"Lia Vos") && names(m).contains(&"Ben Holm")),
        "{:?}",
        x.meetings
    );
}

#[test]
fn earlier_meetings_senders_and_parts_of_institutions_are_no_parties() {
    // Someone's earlier meetings are recalled, not reported.
    let x = extract(
        "t.txt",
        " date 2022-03-04\nPresident Ivo Stan met President Omar Nadir in Lima on Thursday.\n\n\
         The trip comes after his recent meetings with Chancellor Lia Vos and King Ben Holm.",
    );
    assert_eq!(x.meetings.len(), 1, "{:?}", x.meetings);
    assert_eq!(names(&x.meetings[0]), ["Ivo Stan", "Omar Nadir"]);
    // (Not the recommendations of previous meetings: the meeting stays reported and dated.)
    let x = extract(
        "t.txt",
        " date 2022-03-04\nOn 2 March Minister Ivo Stan held talks with Minister Omar Nadir to follow up \
         recommendations of previous meetings.",
    );
    assert_eq!(x.meetings.len(), 1, "{:?}", x.skipped);
    assert_eq!(x.meetings[0].date.to_string(), "2022-03-02");
    // The sender of a letter someone carries, behind a title, is not at the meeting.
    let x = extract(
        "t.txt",
        " date 2022-03-04\nKing Omar Nadir received Minister Ivo Stan, who handed him a letter from \
         Grand Vizier and Keeper Sultan Ben Holm.",
    );
    assert_eq!(names(&x.meetings[0]), ["Omar Nadir", "Ivo Stan"]);
    // A country after "of" ends the title of a party (not a sender).
    let x = extract(
        "t.txt",
        " date 2022-03-04\nAmbassador Ivo Stan met with Minister of Culture and policy of Peru Omar Nadir.",
    );
    assert_eq!(names(&x.meetings[0]), ["Ivo Stan", "Omar Nadir"]);
    // "Joint" is a word of an institution's name, not a surname.
    let x = extract(
        "t.txt",
        " date 2022-03-04\nMinister Ivo Stan met Minister Omar Nadir to prepare the Peru-Chile Joint \
         Economic Commission.",
    );
    assert_eq!(names(&x.meetings[0]), ["Ivo Stan", "Omar Nadir"]);
}
