use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::*;
use crate::model::{Kind, PartialDate, Participant, Source};

fn file_with(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

fn read_all(path: &Path) -> Result<Vec<Meeting>, Error> {
    let mut out = Vec::new();
    let n = read_records(path, format_of(path).unwrap(), &mut |m| {
        out.push(m);
        Ok(())
    })?;
    assert_eq!(n, out.len());
    Ok(out)
}

fn read_bytes(name: &str, bytes: &[u8]) -> Result<Vec<Meeting>, Error> {
    let dir = tempfile::tempdir().unwrap();
    read_all(&file_with(&dir, name, bytes))
}

/// The data error of reading `bytes` as file `name`: (line, message).
fn data_err(name: &str, bytes: &[u8]) -> (Option<usize>, String) {
    match read_bytes(name, bytes) {
        Err(Error::Data(e)) => {
            assert!(e.origin.ends_with(name), "{e}");
            (e.line, e.message)
        }
        other => panic!("expected a data error, got {other:?}"),
    }
}

/// Meetings whose values hold every character the formats must carry.
fn tricky() -> Vec<Meeting> {
    vec![
        Meeting {
            id: "m-1".into(),
            date: "2024-01-17".parse().unwrap(),
            kind: Kind::Meeting,
            city: Some("Ashgabat".into()),
            country: Some("Turkmenistan".into()),
            participants: vec![
                Participant {
                    name: "Myakhri Byashimova".into(),
                    title: Some("Deputy Minister; of \"Foreign\" Affairs".into()),
                    org: Some("MFA|TM".into()),
                    country: Some("Turkmenistan".into()),
                },
                Participant { name: "Kaha Imnadze".into(), title: None, org: Some("UNRCCA".into()), country: None },
                Participant { name: "Back\\slash\\".into(), title: Some("a\\;b\\|c".into()), org: None, country: None },
            ],
            orgs: vec!["UNRCCA".into(), "UN; Office|x".into(), " padded ".into(), "C:\\dir\\n".into()],
            countries: vec!["Türkiye".into(), "中国".into()],
            topics: vec![],
            source: Source { publisher: Some("Trend".into()), doc: Some("a,b.txt".into()), url: None },
            summary: Some("Line one,\nline two \"quoted\"\r\nand a tab\t.".into()),
            text: Some("Ünïcödé — ✓ 😀".into()),
        },
        Meeting {
            id: "m-2".into(),
            date: "2019".parse().unwrap(),
            kind: Kind::Call,
            city: None,
            country: None,
            participants: vec![],
            orgs: vec![],
            countries: vec![],
            topics: vec!["security".into()],
            source: Source::default(),
            summary: None,
            text: None,
        },
        Meeting {
            id: "m-3".into(),
            date: "2025-12".parse().unwrap(),
            kind: Kind::Video,
            city: Some("New York".into()),
            country: None,
            participants: vec![Participant { name: "A, B".into(), title: None, org: None, country: None }],
            orgs: vec!["a".into(), "".into()],
            countries: vec![],
            topics: vec!["x;y".into(), "\\".into()],
            source: Source { publisher: None, doc: None, url: Some("https://e.org/?a=1;b=2|3".into()) },
            summary: Some("\"".into()),
            text: Some("".into()),
        },
    ]
}

fn to_jsonl(ms: &[Meeting]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in ms {
        write_jsonl(&mut out, m).unwrap();
    }
    out
}

fn to_csv(ms: &[Meeting]) -> Vec<u8> {
    let mut w = CsvWriter::new(Vec::new());
    for m in ms {
        w.write(m).unwrap();
    }
    w.finish().unwrap()
}

#[test]
fn formats_by_extension() {
    assert_eq!(format_of(Path::new("a.jsonl")), Some(Format::Jsonl));
    assert_eq!(format_of(Path::new("a.ndjson")), Some(Format::Jsonl));
    assert_eq!(format_of(Path::new("a.JSON")), Some(Format::Json));
    assert_eq!(format_of(Path::new("d/a.csv")), Some(Format::Csv));
    assert_eq!(format_of(Path::new("r.txt")), Some(Format::Report));
    assert_eq!(format_of(Path::new("r.md")), None);
    assert_eq!(format_of(Path::new("jsonl")), None);
}

#[test]
fn jsonl_round_trip_is_byte_identical() {
    let first = to_jsonl(&tricky());
    let back = read_bytes("x.jsonl", &first).unwrap();
    assert_eq!(back, tricky());
    assert_eq!(to_jsonl(&back), first);
}

#[test]
fn csv_round_trip_is_byte_identical() {
    let first = to_csv(&tricky());
    let back = read_bytes("x.csv", &first).unwrap();
    let second = to_csv(&back);
    assert_eq!(String::from_utf8(second).unwrap(), String::from_utf8(first).unwrap());
    // CSV keeps everything but the difference between an empty string and null.
    let mut expected = tricky();
    expected[2].text = None;
    assert_eq!(back, expected);
}

#[test]
fn csv_writer_writes_a_header_even_without_rows() {
    let out = to_csv(&[]);
    assert_eq!(String::from_utf8(out.clone()).unwrap(), format!("{}\n", CSV_COLUMNS.join(",")));
    assert!(read_bytes("e.csv", &out).unwrap().is_empty());
}

#[test]
fn jsonl_accepts_bom_crlf_and_blank_lines_and_derives_ids() {
    let text = "\u{feff}{\"date\":\"2024\"}\r\n\r\n   \n{\"id\":\"m-x\",\"date\":\"2024-01-17\",\"orgs\":[\"UN\"]}\r\n";
    let ms = read_bytes("a.jsonl", text.as_bytes()).unwrap();
    assert_eq!(ms.len(), 2);
    assert!(ms[0].id.starts_with("m-") && ms[0].id.len() == 18, "{}", ms[0].id);
    assert_eq!(ms[1].id, "m-x");
    // No final newline is fine too.
    assert_eq!(read_bytes("b.jsonl", b"{\"date\":\"2024\"}").unwrap().len(), 1);
    assert!(read_bytes("c.jsonl", b"").unwrap().is_empty());
}

#[test]
fn jsonl_errors_name_file_and_line() {
    let ok = "{\"date\":\"2024\"}\n";
    let (line, msg) = data_err("a.jsonl", format!("{ok}{ok}{{\"date\":\"2024\",}}\n").as_bytes());
    assert_eq!(line, Some(3));
    assert!(msg.starts_with("invalid JSON at column 16"), "{msg}");

    let (line, msg) = data_err("a.jsonl", format!("{ok}{{\"date\":\"2024\",\"sumary\":\"x\"}}\n").as_bytes());
    assert_eq!(line, Some(2));
    assert!(msg.contains("unknown field `sumary`"), "{msg}");

    let (line, msg) = data_err("a.jsonl", b"{\"date\":\"2024-02-30\"}\n");
    assert_eq!(line, Some(1));
    assert!(msg.contains("2024-02-30") && msg.contains("day 30"), "{msg}");

    let (line, msg) = data_err("a.jsonl", format!("{ok}\n{{\"orgs\":[]}}").as_bytes());
    assert_eq!(line, Some(3));
    assert!(msg.contains("missing field `date`"), "{msg}");

    let (line, msg) = data_err("a.jsonl", b"{\"date\":\"2024\"}\n{\"date\":\"2024\",\"city\":\"A\xffB\"}\n");
    assert_eq!(line, Some(2));
    assert_eq!(msg, "invalid UTF-8 at byte 25 of line 2");

    let (line, msg) = data_err("a.jsonl", b"{\"date\":\"2024\",\"city\":\"A\0B\"}\n");
    assert_eq!(line, Some(1));
    assert_eq!(msg, "NUL byte at byte 25 of line 1");

    let (_, msg) = data_err("a.jsonl", b"[1,2]\n");
    assert!(msg.contains("invalid type"), "{msg}");

    let (line, msg) = data_err("a.jsonl", b"{\"date\":\"2024\"} x\n");
    assert_eq!(line, Some(1));
    assert!(msg.contains("trailing characters"), "{msg}");

    let e = read_bytes("a.jsonl", b"{\"date\":\"2024\"}\n{\"date\":\"2024-13\"}\n").unwrap_err();
    assert!(
        e.to_string()
            .ends_with("a.jsonl:2: invalid date 2024-13: month 13 does not exist (expected 01..12) (column 18)"),
        "{e}"
    );
}

#[test]
fn sink_errors_stop_reading() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("a.jsonl", "{\"date\":\"2024\"}\n{\"date\":\"2025\"}\n"),
        ("a.json", "[{\"date\":\"2024\"},{\"date\":\"2025\"}]"),
    ] {
        let p = file_with(&dir, name, text.as_bytes());
        let mut seen = 0;
        let e = read_records(&p, format_of(&p).unwrap(), &mut |_| {
            seen += 1;
            Err(Error::Storage(crate::StorageError::Sled("full".into())))
        })
        .unwrap_err();
        assert!(matches!(e, Error::Storage(_)), "{e}");
        assert_eq!(seen, 1);
    }
}

#[test]
fn json_arrays() {
    let text = "\u{feff}[\n  {\"id\":\"a\",\"date\":\"2024\"},\n  {\"date\":\"2024-01\"}\n]\n";
    let ms = read_bytes("a.json", text.as_bytes()).unwrap();
    assert_eq!(ms.len(), 2);
    assert_eq!(ms[0].id, "a");
    assert!(ms[1].id.starts_with("m-"));
    assert!(read_bytes("e.json", b"[]").unwrap().is_empty());

    let (line, msg) = data_err("a.json", b"[\n{\"date\":\"2024\"},\n{\"date\":\"2024\", \"x\":1}\n]");
    assert_eq!(line, Some(3));
    assert!(msg.contains("unknown field `x`"), "{msg}");
    let (line, msg) = data_err("a.json", b"[\n{\"date\":\"2024\"}\n{\"date\":\"2024\"}]");
    assert_eq!(line, Some(3));
    assert!(msg.starts_with("invalid JSON"), "{msg}");
    let (_, msg) = data_err("a.json", b"{\"date\":\"2024\"}");
    assert!(msg.contains("an array of meeting records"), "{msg}");
    let (line, msg) = data_err("a.json", b"[{\"date\":\"2024\"}] []");
    assert_eq!(line, Some(1));
    assert!(msg.contains("trailing characters"), "{msg}");
    let (_, msg) = data_err("a.json", b"");
    assert!(msg.starts_with("invalid JSON"), "{msg}");
}

const HEADER: &str = "id,date,kind,city,country,participants,orgs,countries,topics,publisher,doc,url,summary,text";

#[test]
fn csv_reads_the_documented_layout() {
    let text = format!(
        "\u{feff}{HEADER}\r\n\
         m-1,2024-01-17,meeting,Ashgabat,Turkmenistan,Myakhri Byashimova|Deputy Minister|MFA|Turkmenistan;Kaha Imnadze||UNRCCA,UNRCCA;UN,Turkmenistan,security;a\\;b,Trend,r.txt,,\"Talks, \"\"good\"\"\nones.\",\r\n\
         \r\n\
         ,2024,,,,Solo,,,,,,,,\n"
    );
    let ms = read_bytes("a.csv", text.as_bytes()).unwrap();
    assert_eq!(ms.len(), 2);
    let m = &ms[0];
    assert_eq!(m.participants[0].country.as_deref(), Some("Turkmenistan"));
    assert_eq!(
        m.participants[1],
        Participant { name: "Kaha Imnadze".into(), title: None, org: Some("UNRCCA".into()), country: None }
    );
    assert_eq!(m.topics, ["security", "a;b"]);
    assert_eq!(m.summary.as_deref(), Some("Talks, \"good\"\nones."));
    assert_eq!(m.source.url, None);
    assert_eq!(m.text, None);
    assert_eq!(ms[1].participants[0].name, "Solo");
    assert_eq!(ms[1].kind, Kind::Meeting);
    assert!(ms[1].id.starts_with("m-"));

    // Columns in another order.
    let cols: Vec<&str> = CSV_COLUMNS.iter().rev().copied().collect();
    let text = format!("{}\n,,,,,,,,,,,,2024-05,x\n", cols.join(","));
    let ms = read_bytes("b.csv", text.as_bytes()).unwrap();
    assert_eq!((ms[0].date.to_string(), ms[0].id.as_str()), ("2024-05".to_string(), "x"));
}

#[test]
fn csv_errors_name_file_and_line() {
    let row = ",2024,,,,,,,,,,,,";
    let (line, msg) = data_err("a.csv", format!("{HEADER},extra\n").as_bytes());
    assert_eq!(line, Some(1));
    assert!(msg.contains("unknown column `extra`"), "{msg}");
    let (_, msg) = data_err("a.csv", b"id,date,kind\n");
    assert!(msg.contains("missing columns `city`, `country`"), "{msg}");
    let (_, msg) = data_err("a.csv", format!("{HEADER},id\n").as_bytes());
    assert!(msg.contains("column `id` appears twice"), "{msg}");
    let (line, msg) = data_err("a.csv", b"");
    assert_eq!(line, Some(1));
    assert!(msg.contains("header row is required"), "{msg}");

    let (line, msg) = data_err("a.csv", format!("{HEADER}\n{row}\n,2024,,\n").as_bytes());
    assert_eq!(line, Some(3));
    assert_eq!(msg, "expected 14 fields (as in the header), found 4");
    let (line, msg) = data_err("a.csv", format!("{HEADER}\n{row}\n{row}\n,2024,,,,,,,,,,,\"open,\nmore\n").as_bytes());
    assert_eq!(line, Some(4));
    assert!(msg.contains("unterminated quoted field"), "{msg}");
    let (line, msg) = data_err("a.csv", format!("{HEADER}\n{row}\n,2024-02-30,,,,,,,,,,,,\n").as_bytes());
    assert_eq!(line, Some(3));
    assert!(msg.contains("day 30"), "{msg}");
    let (line, msg) = data_err("a.csv", format!("{HEADER}\n,,,,,,,,,,,,,\n").as_bytes());
    assert_eq!((line, msg.as_str()), (Some(2), "missing date"));
    let (line, msg) = data_err("a.csv", format!("{HEADER}\n{row}\n,2024,lunch,,,,,,,,,,,\n").as_bytes());
    assert_eq!(line, Some(3));
    assert!(msg.contains("unknown kind `lunch`"), "{msg}");
    let (line, msg) = data_err("a.csv", format!("{HEADER}\n,2024,,,,a|b|c|d|e,,,,,,,,\n").as_bytes());
    assert_eq!(line, Some(2));
    assert!(msg.contains("participant 1 has 5 parts"), "{msg}");
    let mut bad = format!("{HEADER}\n{row}\n").into_bytes();
    bad.extend_from_slice(b",2024,,Ash\xc3gabat,,,,,,,,,,\n");
    let (line, msg) = data_err("a.csv", &bad);
    assert_eq!((line, msg.as_str()), (Some(3), "invalid UTF-8 at byte 11 of line 3"));
    let (line, msg) = data_err("a.csv", format!("{HEADER}\n,2024,,A\0,,,,,,,,,,\n").as_bytes());
    assert_eq!((line, msg.as_str()), (Some(2), "NUL byte at byte 9 of line 2"));
    // A record spanning lines is reported at its first line.
    let (line, _) =
        data_err("a.csv", format!("{HEADER}\n,2024,,,,,,,,,,,\"a\nb\",\n,2024-13,,,,,,,,,,,,\n").as_bytes());
    assert_eq!(line, Some(4));
}

#[test]
fn reports_are_extracted_and_invalid_utf8_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = file_with(
        &dir,
        "r.txt",
        b" date 2024-01-17\nASHGABAT, Turkmenistan, January 17. Turkmen Foreign Minister Rashid Meredov met with Kaha Imnadze.",
    );
    let mut got = Vec::new();
    let n = read_records(&path, Format::Report, &mut |m| {
        got.push(m);
        Ok(())
    })
    .unwrap();
    assert_eq!(n, 1);
    assert_eq!(got[0].participants.len(), 2);
    assert_eq!(got[0].source.doc.as_deref(), Some(path.to_str().unwrap()));
    let (line, msg) = data_err("bad.txt", b" date 2024-01-17\nASHGABAT \xff");
    assert_eq!(line, Some(2));
    assert!(msg.contains("invalid UTF-8"), "{msg}");
}

#[test]
fn missing_files_are_io_errors() {
    let e = read_records(Path::new("/nonexistent/x.jsonl"), Format::Jsonl, &mut |_| Ok(())).unwrap_err();
    assert!(matches!(e, Error::Io { .. }));
    assert!(e.to_string().starts_with("/nonexistent/x.jsonl: "), "{e}");
}

#[test]
fn collects_files_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("b/sub")).unwrap();
    std::fs::create_dir_all(d.join(".hidden")).unwrap();
    for f in ["z.jsonl", "a.csv", "notes.md", "b/sub/r.txt", "b/x.JSON", "b/y.ndjson", ".hidden/h.jsonl", ".h.csv"] {
        file_with(&dir, f, b"");
    }
    let got = collect_files(&[d.to_path_buf()]).unwrap();
    let rel: Vec<(String, Format)> =
        got.iter().map(|(p, f)| (p.strip_prefix(d).unwrap().to_string_lossy().into_owned(), *f)).collect();
    assert_eq!(
        rel,
        [
            ("a.csv".to_string(), Format::Csv),
            ("b/sub/r.txt".to_string(), Format::Report),
            ("b/x.JSON".to_string(), Format::Json),
            ("b/y.ndjson".to_string(), Format::Jsonl),
            ("z.jsonl".to_string(), Format::Jsonl),
        ]
    );
    // Files as given, in the order given.
    let got = collect_files(&[d.join("z.jsonl"), d.join("a.csv")]).unwrap();
    assert_eq!(got, [(d.join("z.jsonl"), Format::Jsonl), (d.join("a.csv"), Format::Csv)]);
    let e = collect_files(&[d.join("notes.md")]).unwrap_err();
    assert!(e.to_string().contains("notes.md") && e.to_string().contains("`.md`"), "{e}");
    assert!(matches!(collect_files(&[d.join("nope")]).unwrap_err(), Error::Io { .. }));
}

#[test]
fn the_bundled_corpus_reads_and_round_trips() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/corpus/meetings.jsonl");
    let ms = read_all(&path).unwrap();
    assert!((300..=400).contains(&ms.len()), "{}", ms.len());
    let ids: std::collections::HashSet<&str> = ms.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), ms.len(), "ids are unique");
    let seed = ms.iter().find(|m| m.id == "m-2024-01-17-ashgabat-unrcca").expect("the seed meeting");
    assert_eq!(seed.date.to_string(), "2024-01-17");
    assert_eq!((seed.city.as_deref(), seed.country.as_deref()), (Some("Ashgabat"), Some("Turkmenistan")));
    assert_eq!(seed.participants[0].name, "Myakhri Byashimova");
    assert_eq!(seed.participants[1].name, "Kaha Imnadze");
    assert_eq!(seed.participants[1].country, None);
    assert_eq!(seed.orgs, ["UNRCCA", "UN Regional Centre for Preventive Diplomacy for Central Asia", "UN"]);
    assert_eq!(seed.topics, ["preventive diplomacy", "security", "education", "counter-terrorism"]);
    assert_eq!(seed.source.doc.as_deref(), Some("report-2024-01-17-ashgabat.txt"));
    let unrcca = ms.iter().filter(|m| m.orgs.iter().any(|o| o == "UNRCCA")).count();
    assert!((20..=40).contains(&unrcca), "{unrcca}");
    // The file is exactly what the JSON Lines writer writes.
    assert_eq!(to_jsonl(&ms), std::fs::read(&path).unwrap());
}

mod prop {
    use proptest::prelude::*;

    use super::*;

    /// Any text but NUL, with the characters the formats escape made frequent.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just(';'),
                Just('|'),
                Just('\\'),
                Just('"'),
                Just(','),
                Just('\n'),
                Just('\r'),
                Just(' '),
                Just('ü'),
                Just('😀'),
                any::<char>().prop_filter("no NUL", |c| *c != '\0'),
            ],
            0..12,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    fn meeting() -> impl Strategy<Value = Meeting> {
        let participant = (text(), opt_text(), opt_text(), opt_text())
            .prop_map(|(name, title, org, country)| Participant { name, title, org, country });
        (
            (text(), 1u16..=9999, proptest::option::of((1u8..=12, proptest::option::of(1u8..=28))), 0..3u8),
            (opt_text(), opt_text(), proptest::collection::vec(participant, 0..3)),
            proptest::collection::vec(proptest::collection::vec(text(), 0..3), 3),
            (opt_text(), opt_text(), opt_text(), opt_text(), opt_text()),
        )
            .prop_map(
                |((id, year, md, kind), (city, country, participants), lists, (p, d, u, summary, text))| {
                    let (month, day) = match md {
                        Some((m, d)) => (Some(m), d),
                        None => (None, None),
                    };
                    Meeting {
                        id: format!("m-{id}"),
                        date: PartialDate::new(year, month, day).unwrap(),
                        kind: [Kind::Meeting, Kind::Call, Kind::Video][kind as usize],
                        city,
                        country,
                        participants,
                        orgs: lists[0].clone(),
                        countries: lists[1].clone(),
                        topics: lists[2].clone(),
                        source: Source { publisher: p, doc: d, url: u },
                        summary,
                        text,
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn export_import_export_is_byte_identical(ms in proptest::collection::vec(meeting(), 0..5)) {
            let dir = tempfile::tempdir().unwrap();
            let j1 = to_jsonl(&ms);
            let back = read_all(&file_with(&dir, "a.jsonl", &j1)).unwrap();
            prop_assert_eq!(&back, &ms);
            prop_assert_eq!(to_jsonl(&back), j1);
            let c1 = to_csv(&ms);
            let back = read_all(&file_with(&dir, "a.csv", &c1)).unwrap();
            prop_assert_eq!(back.len(), ms.len());
            prop_assert_eq!(to_csv(&back), c1);
        }
    }
}

/// What a read hands over, in order: records and rejected lines, then how it ended.
#[derive(Debug, PartialEq)]
enum Event {
    Record(Box<Meeting>),
    Rejected(String),
    Ended(Result<usize, String>),
}

/// Reads `path` serially or through [`pipeline::pipelined`], with or without skipping bad
/// lines, and logs what the sink and the reject callback get; the sink fails at record
/// `fail_at` (1-based) when given.
fn read_logged(path: &Path, piped: bool, skip: bool, fail_at: Option<usize>) -> Vec<Event> {
    let format = format_of(path).unwrap();
    let log = std::cell::RefCell::new(Vec::new());
    let mut sink = |m: Meeting| {
        let mut log = log.borrow_mut();
        log.push(Event::Record(Box::new(m)));
        let records = log.iter().filter(|e| matches!(e, Event::Record(_))).count();
        if Some(records) == fail_at {
            return Err(Error::Storage(crate::StorageError::Sled("disk full".into())));
        }
        Ok(())
    };
    let mut reject = |e: DataError| log.borrow_mut().push(Event::Rejected(e.to_string()));
    let rejected: Reject<'_> = if skip { Some(&mut reject) } else { None };
    let result = if piped {
        pipeline::pipelined(&mut sink, rejected, |sink, rejected| read_file(path, format, sink, rejected))
    } else {
        read_file(path, format, &mut sink, rejected)
    };
    let mut log = log.into_inner();
    log.push(Event::Ended(result.map_err(|e| e.to_string())));
    log
}

/// `count` generated records as JSON Lines, with `bad` put in as the lines (1-based) given.
fn generated_with(count: u64, bad: &[(usize, &str)]) -> Vec<u8> {
    let mut good = Vec::new();
    crate::gen::generate(count, 7, &mut good).unwrap();
    let mut lines: Vec<&[u8]> = good.split_inclusive(|&b| b == b'\n').collect();
    for &(at, text) in bad {
        lines.insert(at - 1, text.as_bytes());
    }
    lines.concat()
}

#[test]
fn pipelined_reads_hand_over_what_serial_reads_do() {
    let dir = tempfile::tempdir().unwrap();
    // Enough records for the channel to fill up (many batches); bad lines early, at a batch
    // boundary and on the last line, or one late bad line.
    let n = pipeline::BATCH * (pipeline::DEPTH + 3);
    let oops = "{\"date\": \"2021\", \"oops\": 1}\n";
    let ms: Vec<Meeting> = crate::gen::generate_meetings(n as u64, 7).collect();
    let mut csv = to_csv(&ms);
    csv.extend_from_slice(b"x,2024,meeting\n");
    let late = n - 5;
    // (file, records, rejected lines, error line without skipping)
    let cases = [
        (
            "bad.jsonl",
            generated_with(n as u64, &[(3, oops), (pipeline::BATCH + 1, "{nope\n"), (n + 3, "[]\n")]),
            n,
            3,
            Some(3),
        ),
        ("late.jsonl", generated_with(n as u64, &[(late, oops)]), n, 1, Some(late)),
        ("good.jsonl", generated_with(n as u64, &[]), n, 0, None),
        ("bad.csv", csv, n, 1, Some(n + 2)),
        ("good.json", serde_json::to_vec(&ms).unwrap(), n, 0, None),
    ];
    for (name, bytes, records, rejects, error_line) in cases {
        let path = file_with(&dir, name, &bytes);
        for skip in [false, true] {
            let serial = read_logged(&path, false, skip, None);
            let piped = read_logged(&path, true, skip, None);
            let expected = match (skip, error_line) {
                (false, Some(line)) => line - 1 - usize::from(name.ends_with(".csv")) + 1,
                _ => records + rejects + 1,
            };
            assert_eq!(serial.len(), expected, "{name} skip={skip}: {:?}", serial.last());
            assert!(serial == piped, "{name} skip={skip}: {:?} vs {:?}", serial.last(), piped.last());
            let failed = matches!(serial.last(), Some(Event::Ended(Err(_))));
            assert_eq!(failed, !skip && error_line.is_some(), "{name} skip={skip}: {:?}", serial.last());
        }
    }
    // The late bad line: every record before it, then its error, naming its line.
    let piped = read_logged(&dir.path().join("late.jsonl"), true, false, None);
    let want = format!("late.jsonl:{late}: unknown field `oops`");
    assert!(matches!(piped.last(), Some(Event::Ended(Err(e))) if e.contains(&want)), "{:?}", piped.last());
}

#[test]
fn a_failing_sink_stops_the_parser() {
    let dir = tempfile::tempdir().unwrap();
    let n = 20_000;
    let path = file_with(&dir, "big.jsonl", &generated_with(n as u64, &[(n - 10, "{nope\n")]));
    for fail_at in [1, pipeline::BATCH, pipeline::BATCH + 1, 3_000] {
        // The sink sees the same records and its own error is returned, not the parse error.
        let serial = read_logged(&path, false, false, Some(fail_at));
        let piped = read_logged(&path, true, false, Some(fail_at));
        assert_eq!(serial.len(), fail_at + 1);
        assert!(serial == piped, "{fail_at}: {:?} vs {:?}", serial.last(), piped.last());
        assert_eq!(piped.last(), Some(&Event::Ended(Err("storage error: disk full".into()))));
        // And the parser stopped within what the channel holds, far from the end of the file.
        let parsed = std::sync::atomic::AtomicUsize::new(0);
        let mut staged = 0;
        let e = pipeline::pipelined(
            &mut |_| {
                staged += 1;
                if staged == fail_at {
                    return Err(Error::Storage(crate::StorageError::Sled("disk full".into())));
                }
                Ok(())
            },
            None,
            |sink, rejected| {
                let mut counting = |m| {
                    parsed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    sink(m)
                };
                read_file(&path, Format::Jsonl, &mut counting, rejected)
            },
        )
        .unwrap_err();
        assert!(matches!(e, Error::Storage(_)), "{e}");
        let parsed = parsed.into_inner();
        assert!(parsed <= fail_at + (pipeline::DEPTH + 2) * pipeline::BATCH, "{fail_at}: parsed {parsed}");
    }
}

#[test]
fn read_line_stops_at_the_cap_of_an_endless_line() {
    use std::io::Read as _;
    let mut endless = std::io::BufReader::new(std::io::repeat(b'x'));
    let mut buf = Vec::new();
    assert_eq!(read_line(&mut endless, &mut buf, 1000).unwrap(), LineRead::TooLong);
    assert_eq!(buf.len(), 1000);
    assert!(!skip_rest_of_line(&mut endless, 10_000).unwrap(), "an endless line does not end");
    let mut finite = std::io::BufReader::new(std::io::repeat(b'y').take(5000).chain(&b"\nnext\n"[..]));
    assert_eq!(read_line(&mut finite, &mut buf, 1000).unwrap(), LineRead::TooLong);
    assert!(skip_rest_of_line(&mut finite, 10_000).unwrap());
    assert_eq!(read_line(&mut finite, &mut buf, 1000).unwrap(), LineRead::Line);
    assert_eq!(buf, b"next\n");
    assert_eq!(read_line(&mut finite, &mut buf, 1000).unwrap(), LineRead::Eof);
}
