"""Queries, parameters and results: the package answers what the command line answers."""

import datetime
import json

import pytest

import meetql

QUERIES = [
    "meetings",
    'meetings where org = "OSCE" and date >= 2022-03 order by date desc',
    "meetings where participant { title contains \"minister\" } limit 7 offset 3",
    "meetings where topic exists select date, city, org",
    "meetings count by year",
    "meetings where date between 2020 and 2021-06 count by org",
    "orgs",
    "countries where org = \"EU\"",
    "meetings count",
]


@pytest.mark.parametrize("text", QUERIES)
def test_results_equal_the_command_lines(db, corpus, cli, tmp_path, text):
    cli_db = tmp_path / "cli-db"
    cli("--db", str(cli_db), "import", str(corpus))
    expected = json.loads(cli("--db", str(cli_db), "query", "-f", "json", text))
    result = db.query(text)
    assert list(result) == expected
    assert len(result) == len(expected)
    assert list(db.stream(text)) == expected


def test_a_meeting_row_is_the_record_of_the_contract(db):
    db.insert({"id": "m-py-1", "date": "2024-01-17", "city": "Ashgabat", "orgs": ["UNRCCA"],
               "participants": [{"name": "Kaha Imnadze", "org": "UNRCCA"}]})
    [m] = db.query('meetings where id = "m-py-1"')
    assert m["date"] == "2024-01-17" and m["city"] == "Ashgabat" and m["kind"] == "meeting"
    assert m["participants"][0]["name"] == "Kaha Imnadze"
    assert m["country"] is None


def test_parameters_of_each_type(db):
    expected = len(db.query('meetings where org = "OSCE" and date >= 2022-01'))
    assert expected > 0
    assert len(db.query("meetings where org = $org and date >= $since", org="OSCE", since="2022-01")) == expected
    assert len(db.query("meetings where org = $org and date >= $since", org="osce",
                        since=datetime.date(2022, 1, 1))) == expected
    db.insert({"id": "42", "date": "2024", "city": "1999"})
    assert [m["id"] for m in db.query("meetings where id = $n and city = $c", n=42, c=1999)] == ["42"]


def test_prepared_queries_bind_and_run_many_times(db):
    q = db.prepare("meetings where org = $org count")
    counts = {org: q.bind(org=org).run().total for org in ["OSCE", "EU", "UN"]}
    for org, n in counts.items():
        assert n == db.query(f'meetings where org = "{org}" count').total
    bound = q.bind(org="OSCE")
    assert bound.run().total == counts["OSCE"]
    assert q.run(org="EU").total == counts["EU"], "run() binds for that run"
    assert list(bound.stream()) == [{"count": counts["OSCE"]}]
    assert q.text == "meetings where org = $org count" and not q.is_explain


def test_result_shapes_columns_and_indexing(db):
    r = db.query("meetings where topic exists limit 5 select date, city")
    assert r.shape == "selected" and r.columns == ["id", "date", "city"]
    assert list(r[0]) == ["id", "date", "city"] and r[-1] == list(r)[-1]
    with pytest.raises(IndexError):
        r[5]
    c = db.query("meetings count by year")
    assert c.shape == "counts" and c.columns == ["value", "count"] and c.meetings == []
    assert sum(row["count"] for row in c) == len(db)
    m = db.query("meetings limit 4")
    assert m.shape == "meetings" and len(m.meetings) == 4 and m.meetings == list(m)
    assert db.query("meetings count").total == len(db) == 2000


def test_explain_gives_the_plan(db):
    plan = db.explain('meetings where org = "OSCE"')
    assert "index org" in plan
    r = db.query('explain meetings where org = "OSCE"')
    assert r.shape == "plan" and r.plan == plan and list(r) == [{"plan": plan}]
    assert db.explain("meetings where org = $o", o="EU") == db.explain('meetings where org = "EU"')


def test_to_pandas(db):
    df = db.query("meetings count by year").to_pandas()
    assert list(df.columns) == ["value", "count"]
    assert int(df["count"].sum()) == 2000
    meetings = db.query('meetings where org = "OSCE" limit 10').to_pandas()
    assert len(meetings) == 10 and "date" in meetings.columns


def test_import_summary(db, tmp_path):
    f = tmp_path / "two.jsonl"
    f.write_text('{"id": "s-1", "date": "2024-05-01"}\n{"id": "s-2", "date": "2024-05-02"}\n')
    s = db.import_path(f)
    assert s["records"] == 2 and s["files"] == [{"path": str(f), "records": 2}]
    assert s["skipped"] == [] and s["aliases"] == []
    assert len(db) == 2002


def test_the_database_closes_on_leaving_with_and_reopens_at_once(corpus, tmp_path):
    with meetql.open(tmp_path / "db") as db:
        db.import_path(corpus)
    assert db.closed
    with pytest.raises(meetql.DatabaseError, match="closed"):
        db.query("meetings")
    with meetql.open(tmp_path / "db", busy_timeout=0) as again:
        assert len(again) == 2000
