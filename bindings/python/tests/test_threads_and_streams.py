"""Threads query in parallel (the GIL is released), 100,000 records import, and long results
stream."""

import itertools
import threading
import tracemalloc

import pytest

import meetql


def test_a_hundred_thousand_records_import(big_db):
    assert len(big_db) == 100_000
    assert big_db.query("meetings count").total == 100_000


def test_threads_share_one_database_and_agree_with_one_thread(big_db):
    queries = [f"meetings where date >= {y} and date < {y + 1} count" for y in range(2015, 2026)]
    expected = {q: big_db.query(q).total for q in queries}
    prepared = big_db.prepare("meetings where org = $org count")
    got, errors = {}, []

    def work(i):
        try:
            for q in queries[i::4]:
                got[q] = big_db.query(q).total
            got[f"prepared {i}"] = prepared.run(org="OSCE").total
        except Exception as e:  # reported below, in the main thread
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert {q: got[q] for q in queries} == expected
    assert len({got[f"prepared {i}"] for i in range(4)}) == 1


def test_the_gil_is_released_while_a_query_runs(big_db):
    ticks = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        before = ticks[0]
        # A full scan with a substring test: long enough for the other thread to run a lot.
        big_db.query('meetings where text contains "zzz-no-such-text" or title contains "zzz" count')
        during = ticks[0] - before
    finally:
        stop.set()
        t.join()
    assert during > 1000, f"the other thread ran {during} times during the query"


def test_iterating_a_result_makes_one_dict_at_a_time(big_db):
    result = big_db.query("meetings")
    assert sum(1 for _ in result) == len(result) == 100_000
    # Traced, 20,000 rows: kept as dicts, they would take tens of megabytes.
    tracemalloc.start()
    n = sum(1 for _ in itertools.islice(result, 20_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert n == 20_000
    assert peak < 2_000_000, f"{peak} bytes of Python objects at once"


def test_a_cursor_streams_all_rows_in_order(big_db):
    text = "meetings order by date desc"
    stream, result = big_db.stream(text), big_db.query(text)
    n = 0
    for streamed, found in zip(stream, result):
        assert streamed == found
        n += 1
    assert n == 100_000
    with pytest.raises(StopIteration):
        next(stream)
    # Traced, 20,000 rows of a fresh stream: one dict at a time.
    tracemalloc.start()
    n = sum(1 for _ in itertools.islice(big_db.stream("meetings"), 20_000))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert n == 20_000 and peak < 2_000_000, f"{peak} bytes of Python objects at once"


def test_a_cursor_closed_early_stops_and_a_write_meanwhile_does_not_wait(db):
    with db.stream("meetings") as c:
        first = next(c)
        db.insert({"id": "m-during", "date": "2030-01-01"})
        rest = list(c)
    assert 1 + len(rest) == 2000, "the cursor shows the database as it was when it opened"
    assert first not in rest
    c2 = db.stream("meetings")
    next(c2)
    c2.close()
    assert list(c2) == []
    assert len(db.query('meetings where id = "m-during"')) == 1


def test_closing_the_database_ends_its_cursors_with_an_error(corpus, tmp_path):
    db = meetql.open(tmp_path / "db")
    db.import_path(corpus)
    c = db.stream("meetings")
    next(c)
    db.close()
    with pytest.raises(meetql.DatabaseError, match="closed"):
        for _ in c:
            pass


def test_a_cursor_keeps_its_database_open(corpus, tmp_path):
    db = meetql.open(tmp_path / "db")
    db.import_path(corpus)
    db.close()
    assert sum(1 for _ in meetql.open(tmp_path / "db").stream("meetings")) == 2000
