"""Fixtures: the meetql command line (to compare with), synthetic corpora it generates, and
databases in temporary directories."""

import os
import pathlib
import subprocess

import pytest

import meetql

ROOT = pathlib.Path(__file__).resolve().parents[3]


def meetql_bin() -> pathlib.Path:
    """The release build of the command line: $MEETQL_BIN, else under $CARGO_TARGET_DIR or
    target/."""
    if os.environ.get("MEETQL_BIN"):
        return pathlib.Path(os.environ["MEETQL_BIN"])
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "meetql"


@pytest.fixture(scope="session")
def cli():
    """Runs the command line; the tests compare the package's answers with its JSON."""
    exe = meetql_bin()
    if not exe.exists():
        pytest.fail(f"{exe} is missing: build it with `cargo build --release` at {ROOT} (or set MEETQL_BIN)")

    def run(*args: str) -> str:
        out = subprocess.run([str(exe), *args], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout

    return run


@pytest.fixture(scope="session")
def corpus(cli, tmp_path_factory):
    """2,000 synthetic meetings as JSON Lines."""
    path = tmp_path_factory.mktemp("corpus") / "meetings.jsonl"
    path.write_text(cli("gen", "--count", "2000", "--seed", "11"))
    return path


@pytest.fixture(scope="session")
def big_corpus(cli, tmp_path_factory):
    """100,000 synthetic meetings as JSON Lines."""
    path = tmp_path_factory.mktemp("big") / "meetings.jsonl"
    path.write_text(cli("gen", "--count", "100000", "--seed", "5"))
    return path


@pytest.fixture(scope="session")
def big_db(big_corpus, tmp_path_factory):
    """A database holding the 100,000 meetings, shared by the tests that only read it."""
    db = meetql.open(tmp_path_factory.mktemp("bigdb") / "db")
    db.import_path(big_corpus)
    yield db
    db.close()


@pytest.fixture()
def db(corpus, tmp_path):
    """A fresh database holding the 2,000 meetings."""
    with meetql.open(tmp_path / "db") as d:
        d.import_path(corpus)
        yield d
