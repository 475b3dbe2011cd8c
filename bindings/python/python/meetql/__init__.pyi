"""Type stubs for the meetql package (the native module and the exception classes)."""

import datetime
import os
from types import TracebackType
from typing import Any, Dict, Iterator, List, Optional, Tuple, Type, Union

__version__: str

Param = Union[str, int, datetime.date]
Row = Dict[str, Any]

def open(path: Union[str, os.PathLike[str]], busy_timeout: Optional[float] = None) -> Database:
    """Opens (creating when absent) the database at ``path``; waits up to ``busy_timeout``
    seconds (default 5) while another process holds it, then raises DatabaseBusy."""

class Database:
    """An open database; a context manager that closes it on exit."""

    @property
    def path(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def insert(self, record: Dict[str, Any]) -> None:
        """Inserts one meeting record (its JSON form as a dict), durably."""
    def import_path(self, path: Union[str, os.PathLike[str]]) -> Dict[str, Any]:
        """Imports a file or directory; returns {"files": [{"path", "records"}], "records",
        "skipped": [{"path", "reason"}], "aliases": [(acronym, full name)]}."""
    def query(self, text: str, **params: Param) -> Result:
        """Runs a query with ``$name`` parameters bound from keyword arguments."""
    def stream(self, text: str, **params: Param) -> Cursor:
        """Streams a query's rows, for results larger than memory."""
    def prepare(self, text: str) -> Prepared:
        """Parses a query once, to bind and run many times."""
    def explain(self, text: str, **params: Param) -> str:
        """The plan of a query."""
    def close(self) -> None:
        """Closes the database; later calls raise DatabaseError."""
    def __len__(self) -> int:
        """The number of records."""
    def __enter__(self) -> Database: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> bool: ...

class Prepared:
    """A parsed query with the parameters bound so far."""

    @property
    def text(self) -> str: ...
    @property
    def is_explain(self) -> bool: ...
    def bind(self, **params: Param) -> Prepared:
        """A copy with more parameters bound."""
    def run(self, **params: Param) -> Result:
        """Runs the query; keyword arguments bind more parameters for this run."""
    def stream(self, **params: Param) -> Cursor:
        """Streams the rows; keyword arguments as for run()."""

class Result:
    """A query's rows, found in full; each row's dict is made as it is read.

    Meetings are the record of the contract; counts and facets are {"value", "count"}; a bare
    count is {"count"}; an explain is one {"plan"}."""

    @property
    def meetings(self) -> List[Row]: ...
    @property
    def shape(self) -> str:
        """"meetings", "selected", "counts", "total" or "plan"."""
    @property
    def columns(self) -> Optional[List[str]]: ...
    @property
    def total(self) -> Optional[int]: ...
    @property
    def plan(self) -> Optional[str]: ...
    @property
    def records_read(self) -> int: ...
    def to_pandas(self) -> Any:
        """The rows as a pandas.DataFrame (needs pandas)."""
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Row]: ...
    def __getitem__(self, index: int) -> Row: ...

class Cursor:
    """A stream of a query's rows, found while they are read."""

    @property
    def shape(self) -> str: ...
    @property
    def columns(self) -> Optional[List[str]]: ...
    def close(self) -> None:
        """Stops the query."""
    def __iter__(self) -> Cursor: ...
    def __next__(self) -> Row: ...
    def __enter__(self) -> Cursor: ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> bool: ...

class Error(Exception): ...

class QueryError(Error):
    reason: str
    line: Optional[int]
    column: Optional[int]
    span: Tuple[int, int]
    kind: str
    expected: Optional[str]
    suggestion: Optional[str]

class DataError(Error):
    file: str
    line: Optional[int]
    reason: str

class DatabaseError(Error):
    path: Optional[str]

class DatabaseBusy(DatabaseError): ...
