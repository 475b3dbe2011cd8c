"""MeetQL from Python: an embedded query engine for meeting facts.

    >>> import meetql
    >>> with meetql.open("meetings.db") as db:
    ...     db.import_path("reports/")
    ...     for m in db.query('meetings where org = $org and date >= 2024-01', org="UNRCCA"):
    ...         print(m["date"], m["city"])

Queries and imports release the GIL, so threads query in parallel. ``db.query`` finds the
whole result and makes each row's dict as it is read; ``db.stream`` finds rows while they are
read, for results larger than memory. Errors are the exceptions below, by kind.
"""

from __future__ import annotations

from typing import Optional, Tuple

from ._native import Cursor, Database, Prepared, Result, open

__all__ = [
    "open",
    "Database",
    "Prepared",
    "Result",
    "Cursor",
    "Error",
    "QueryError",
    "DataError",
    "DatabaseError",
    "DatabaseBusy",
]

__version__ = "0.1.0"


class Error(Exception):
    """Anything MeetQL raises; ``str(e)`` is the message the command line prints."""


class QueryError(Error):
    """A query that does not parse or cannot be planned or run.

    ``str(e)`` shows the message, ``<query>:LINE:COLUMN``, the line and a caret under the
    column with what was expected there.
    """

    def __init__(
        self,
        message: str,
        reason: str,
        line: Optional[int],
        column: Optional[int],
        span: Tuple[int, int],
        kind: str,
        expected: Optional[str],
        suggestion: Optional[str],
    ) -> None:
        super().__init__(message)
        #: What is wrong, without the position: ``unexpected word 'wher'``.
        self.reason = reason
        #: 1-based line of the query where the error is.
        self.line = line
        #: 1-based column (in characters) where the error is.
        self.column = column
        #: (start, end) character offsets into the query text of the part meant.
        self.span = span
        #: What kind of mistake: ``syntax``, ``unknown_field``, ``unbound_parameter``...
        self.kind = kind
        #: What was expected at the position, when known.
        self.expected = expected
        #: A close match ("did you mean"), when there is one.
        self.suggestion = suggestion


class DataError(Error):
    """Bad input data: a record that is not a meeting, a bad line of a file, a file that
    cannot be read. ``file`` names the input (``<insert>`` for ``db.insert``), ``line`` the
    1-based line when known."""

    def __init__(self, message: str, file: str, line: Optional[int], reason: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.reason = reason


class DatabaseError(Error):
    """The database cannot be opened (damaged, another format), its storage failed, or it
    was closed. ``path`` is the database directory when known."""

    def __init__(self, message: str, path: Optional[str] = None) -> None:
        super().__init__(message)
        self.path = path


class DatabaseBusy(DatabaseError):
    """Another process holds the database past the busy timeout."""
