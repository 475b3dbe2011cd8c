use super::*;

/// A database in a temporary directory holding `n` synthetic meetings.
fn db_with(n: u64) -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path().join("db"), DEFAULT_BUSY_TIMEOUT).unwrap();
    let mut text = Vec::new();
    meetql::gen::generate(n, 7, &mut text).unwrap();
    let file = dir.path().join("corpus.jsonl");
    std::fs::write(&file, text).unwrap();
    assert_eq!(db.import_path(&file).unwrap().records, n as usize);
    (dir, db)
}

fn rows(c: Cursor) -> Vec<Item> {
    c.collect::<Result<Vec<_>>>().unwrap()
}

#[test]
fn a_cursor_gives_the_rows_a_full_run_gives_in_order() {
    let (_dir, db) = db_with(2000);
    for text in ["meetings", "meetings where date >= 2020 order by date desc", "orgs", "meetings count by year"] {
        let q = db.prepare(text).unwrap();
        let all = db.run(&q, &Params::new()).unwrap();
        let streamed = rows(db.cursor(&q, &Params::new()).unwrap());
        assert_eq!(streamed, all.rows.into_iter().map(Item::Row).collect::<Vec<_>>(), "{text}");
    }
}

#[test]
fn the_producer_stays_within_its_buffer_while_the_reader_waits() {
    let (_dir, db) = db_with(3000);
    let mut c = db.cursor(&db.prepare("meetings").unwrap(), &Params::new()).unwrap();
    assert!(c.next().is_some());
    std::thread::sleep(Duration::from_millis(300));
    let ch = c.channel.as_ref().unwrap();
    let st = ch.state();
    assert!(st.rows.len() <= CURSOR_BUFFER, "{} rows buffered", st.rows.len());
    assert!(st.end.is_none(), "the producer ran to the end without a reader");
}

#[test]
fn a_write_from_the_reading_thread_does_not_wait_for_the_open_cursor() {
    let (_dir, db) = db_with(3000);
    let mut c = db.cursor(&db.prepare("meetings").unwrap(), &Params::new()).unwrap();
    let first = c.next().unwrap().unwrap();
    // The producer is paused on a full buffer, holding the read lock; this insert needs the
    // write lock, on the same thread that should read the cursor.
    db.insert_json("<test>", r#"{"id": "m-late", "date": "2030-01-01", "orgs": ["Late Org"]}"#).unwrap();
    let rest = rows(c);
    assert_eq!(1 + rest.len(), 3000, "the cursor reads the state from before the insert");
    assert!(!rest.contains(&first));
    let n = db.query(r#"meetings where org = "Late Org" count"#, &Params::new()).unwrap().total();
    assert_eq!(n, Some(1));
}

#[test]
fn a_dropped_cursor_stops_its_query_and_lets_writes_go_on() {
    let (_dir, db) = db_with(3000);
    let mut c = db.cursor(&db.prepare("meetings").unwrap(), &Params::new()).unwrap();
    c.next().unwrap().unwrap();
    drop(c);
    db.insert_json("<test>", r#"{"id": "m-after", "date": "2030-01-01"}"#).unwrap();
    assert_eq!(db.engine().unwrap().len().unwrap(), 3001);
}

#[test]
fn closing_the_database_ends_its_cursors_with_an_error_and_releases_it() {
    let (dir, db) = db_with(3000);
    let mut c = db.cursor(&db.prepare("meetings").unwrap(), &Params::new()).unwrap();
    c.next().unwrap().unwrap();
    // Let the producer fill its buffer and wait: closing must still end it with an error,
    // not as if the rows had run out.
    std::thread::sleep(Duration::from_millis(300));
    db.close();
    let err = c.find_map(|r| r.err()).expect("an error after close");
    assert!(matches!(err, Error::Closed(_)), "{err}");
    assert!(err.to_string().ends_with("is closed"), "{err}");
    assert!(matches!(db.query("meetings", &Params::new()), Err(Error::Closed(_))));
    // Released: opening it again in this process works.
    let again = Db::open(dir.path().join("db"), DEFAULT_BUSY_TIMEOUT).unwrap();
    assert_eq!(again.engine().unwrap().len().unwrap(), 3000);
}

#[test]
fn query_errors_carry_their_position_from_every_path() {
    let (_dir, db) = db_with(10);
    let located = |e: Error| match e {
        Error::Engine(meetql::Error::Query(q)) => q.location.map(|l| (l.line, l.col)),
        other => panic!("not a query error: {other}"),
    };
    assert_eq!(located(db.query(r#"meetings wher org = "UN""#, &Params::new()).unwrap_err()), Some((1, 10)));
    assert_eq!(located(db.query("meetings where nope = 1", &Params::new()).unwrap_err()), Some((1, 16)));
    let q = db.prepare("meetings where org = $org").unwrap();
    assert!(located(db.cursor(&q, &Params::new()).err().unwrap()).is_some());
}

#[test]
fn explain_gives_the_plan_as_one_item() {
    let (_dir, db) = db_with(10);
    let plan = db.explain(r#"meetings where org = "OSCE""#, &Params::new()).unwrap();
    assert!(!plan.is_empty());
    let items =
        rows(db.cursor(&db.prepare(r#"explain meetings where org = "OSCE""#).unwrap(), &Params::new()).unwrap());
    assert_eq!(items, vec![Item::Plan { plan: plan.clone() }]);
    assert_eq!(serde_json::to_value(&items[0]).unwrap(), serde_json::json!({ "plan": plan }));
}

#[test]
fn a_record_given_as_json_is_checked_as_an_import_line_is() {
    let (_dir, db) = db_with(1);
    let e = db.insert_json("<insert>", r#"{"id": "x", "date": "2024-01-01", "colour": "red"}"#).unwrap_err();
    match e {
        Error::Engine(meetql::Error::Data(d)) => {
            assert_eq!(d.origin, "<insert>");
            assert!(d.message.contains("colour"), "{}", d.message);
        }
        other => panic!("{other}"),
    }
    assert!(db.insert_json("<insert>", "").is_err(), "an empty record");
    assert!(db.insert_json("<insert>", "{\"date\": \"2024\"}\n{\"date\": \"2025\"}").is_err(), "two records");
}
