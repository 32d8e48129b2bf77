"""What an export is made of: its columns, its rows, and the stand-in request a source reads."""

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.module_loading import import_string

from cooperation import registry
from cooperation.roles import Perm

CHUNK_ROWS = 2000  # rows read from the database at a time: memory stays flat however long the list

# A cell is text, a number, a date or a moment, True/False, or empty.
Cell = str | int | Decimal | float | datetime.date | datetime.datetime | bool | None


@dataclass(frozen=True)
class Column:
    """One column: its header (translated when the file is written) and its value for a row.

    Money is two columns, the amount (a ``Decimal``) and its currency code, so a spreadsheet can sum one
    currency. ``personal`` columns (names, emails, birth dates of people) are left out for anyone without
    ``SEE_PERSONAL_DATA``."""

    label: Any
    value: Callable[[Any], Cell]
    personal: bool = False


def attribute(path: str) -> Callable[[Any], Cell]:
    """A column value read along ``path`` ("borrower.name"); empty where a step is missing."""
    steps = path.split(".")

    def read(row):
        value = row
        for step in steps:
            value = getattr(value, step, None)
            if value is None:
                return None
        return value() if callable(value) else value

    return read


@dataclass
class Table:
    """A named list of rows under columns; ``name`` becomes the file name and the sheet's title."""

    name: str
    columns: Sequence[Column]
    rows: Iterable  # a QuerySet, counted in SQL and read in chunks, or any sequence
    title: Any = ""

    def count(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def headers(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    def values(self) -> Iterator[list[Cell]]:
        rows = self.rows.iterator(chunk_size=CHUNK_ROWS) if isinstance(self.rows, QuerySet) else self.rows
        getters = [column.value for column in self.columns]
        for row in rows:
            yield [value(row) for value in getters]


@dataclass
class Workbook:
    """Several tables in one file (a dashboard's): a sheet each in XLSX, one after another under their titles in
    CSV."""

    name: str
    tables: Sequence[Table]
    title: Any = ""

    def count(self) -> int:
        return sum(table.count() for table in self.tables)


def tables_of(export: "Table | Workbook") -> list[Table]:
    return list(export.tables) if isinstance(export, Workbook) else [export]


@dataclass
class ExportRequest:
    """What a source may read of a request: who asks and the list's query string."""

    user: Any
    GET: QueryDict = field(default_factory=lambda: QueryDict(mutable=False))
    method: str = "GET"


# Query parameters of a list page that are not its filters or sort.
NOT_FILTERS = ("page",)


def list_params(query) -> str:
    """The list page's filters and sort as a query string (a ``QueryDict`` or text), without its page number."""
    params = QueryDict(query, mutable=True) if isinstance(query, str) else query.copy()
    for name in NOT_FILTERS:
        params.pop(name, None)
    return params.urlencode()


def source_names() -> list[str]:
    return sorted(registry.export_sources())


def table_for(name: str, request) -> Table | Workbook:
    """The table (or workbook) source ``name`` makes for ``request``, without the personal columns the user may
    not see.

    An unknown source is a 404; a source the user may not read raises ``PermissionDenied``."""
    dotted = registry.export_sources().get(name)
    if dotted is None:
        raise Http404
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    export = import_string(dotted)(request)
    if not user.has_perm(Perm.SEE_PERSONAL_DATA):
        for table in tables_of(export):
            table.columns = [column for column in table.columns if not column.personal]
    return export
