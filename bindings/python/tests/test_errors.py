"""Errors are exceptions by kind, with positions; nothing crashes the interpreter."""

import subprocess
import sys

import pytest

import meetql


def test_a_query_error_has_its_line_column_span_and_caret(db):
    text = 'meetings wher org = "UN"'
    with pytest.raises(meetql.QueryError) as e:
        db.query(text)
    err = e.value
    assert (err.line, err.column) == (1, 10)
    assert text[err.span[0]:err.span[1]] == "wher"
    assert err.kind == "syntax" and err.reason == "unexpected word 'wher'"
    assert err.suggestion == "'where'" and "where" in err.expected
    assert str(err).splitlines()[1:4] == ["<query>:1:10", text, "         ^^^^" + str(err).splitlines()[3][13:]]
    assert isinstance(err, meetql.Error)


def test_positions_count_lines_and_characters(db):
    text = 'meetings where city = "Zürich"\n  and colour = "red"'
    with pytest.raises(meetql.QueryError) as e:
        db.query(text)
    assert (e.value.line, e.value.column, e.value.kind) == (2, 7, "unknown_field")
    assert text[e.value.span[0]:e.value.span[1]] == "colour"


def test_errors_of_planning_and_binding(db):
    with pytest.raises(meetql.QueryError) as e:
        db.query("meetings where org = $org")
    assert e.value.kind == "unbound_parameter" and e.value.column == 22
    with pytest.raises(meetql.QueryError) as e:
        db.stream("meetings where date >= 2024-13")
    assert e.value.kind == "invalid_date"
    with pytest.raises(meetql.QueryError):
        db.prepare("meetings where (org = \"UN\"")


def test_bad_parameter_values_are_type_errors(db):
    for bad in [1.5, True, None, ["OSCE"], 1 << 70]:
        with pytest.raises(TypeError, match="parameter 'org'"):
            db.query("meetings where org = $org", org=bad)


def test_a_bad_record_is_a_data_error_naming_its_field(db):
    with pytest.raises(meetql.DataError) as e:
        db.insert({"date": "2024-01-01", "colour": "red"})
    assert e.value.file == "<insert>" and "colour" in e.value.reason
    with pytest.raises(meetql.DataError, match="date"):
        db.insert({"id": "no-date"})
    with pytest.raises(TypeError):
        db.insert("not a dict")


def test_a_bad_line_of_a_file_is_a_data_error_with_file_and_line(db, tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"id": "ok-1", "date": "2024-01-01"}\n{"id": "bad", "date": "2024-02-30"}\n')
    with pytest.raises(meetql.DataError) as e:
        db.import_path(f)
    assert (e.value.file, e.value.line) == (str(f), 2)
    assert db.query('meetings where id = "ok-1"').meetings == [], "the file imports whole or not at all"
    with pytest.raises(meetql.DataError) as e:
        db.import_path(tmp_path / "missing.jsonl")
    assert "missing.jsonl" in e.value.file


def test_a_database_held_by_another_process_is_busy(db):
    code = ("import meetql, sys\n"
            "try:\n    meetql.open(sys.argv[1], busy_timeout=0.2)\n"
            "except meetql.DatabaseBusy as e:\n    print('busy', isinstance(e, meetql.DatabaseError), e.path)\n")
    out = subprocess.run([sys.executable, "-c", code, db.path], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["busy", "True", db.path], out.stderr


def test_a_path_that_cannot_be_a_database_is_a_database_error(tmp_path):
    f = tmp_path / "plain-file"
    f.write_text("not a database")
    with pytest.raises(meetql.DatabaseError) as e:
        meetql.open(f)
    assert not isinstance(e.value, meetql.DatabaseBusy) and e.value.path == str(f)
    with pytest.raises(TypeError):
        meetql.open(tmp_path / "db", busy_timeout=-1)
