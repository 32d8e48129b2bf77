"""Writing a table as CSV or XLSX, row by row, so memory stays flat however many rows.

CSV: UTF-8 with a byte order mark (spreadsheets then read it as UTF-8), numbers as plain decimals, dates as
ISO 8601, and any text a spreadsheet would run as a formula quoted. XLSX: numbers are numbers (with the
decimals they carry), dates are dates, text is always text, the header row frozen and bold.
"""

import csv
import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.exports.tables import Cell, Table, Workbook, tables_of

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PROGRESS_EVERY = 500  # rows between two progress reports
CHUNK_CHARACTERS = 64 * 1024  # lines sent together in a streamed CSV: one write per chunk, not per row

# A spreadsheet runs a text cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Quote a text cell a spreadsheet would otherwise evaluate."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def csv_text(value: Cell) -> str:
    """A cell as CSV text: numbers and dates as they are, text neutralised."""
    kind = type(value)
    if kind is str:  # the commonest cells first: a file has millions of them
        return neutralise_formula(value)
    if kind is int or kind is Decimal:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (datetime.date, int, float, Decimal)):
        return str(value) if not isinstance(value, datetime.date) else value.isoformat()
    return neutralise_formula(str(value))


# Cells the csv module writes as ``csv_text`` would: whole numbers and decimals as they are, nothing as an empty cell.
_WRITTEN_AS_THEY_ARE = frozenset({int, Decimal, type(None)})


def csv_row(values: list[Cell]) -> list:
    """A row's cells for the csv module: ``csv_text`` of each, without a call for the commonest cells (text no
    spreadsheet would run, numbers, nothing), of which a large file has millions."""
    return [
        value
        if type(value) in _WRITTEN_AS_THEY_ARE or (type(value) is str and not value.startswith(FORMULA_PREFIXES))
        else csv_text(value)
        for value in values
    ]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_table_lines(writer, table: Table, title: str | None) -> Iterator[tuple[str, bool]]:
    """(line, whether it is a row of data) for one table: its title when given, its header, its rows."""
    if title is not None:
        yield writer.writerow([neutralise_formula(title)]), False
    yield writer.writerow([neutralise_formula(header) for header in table.headers()]), False
    for values in table.values():
        yield writer.writerow(csv_row(values)), True


def _csv_lines(export: Table | Workbook) -> Iterator[tuple[str, bool]]:
    writer = csv.writer(_Echo())
    tables = tables_of(export)
    yield "\ufeff", False  # byte order mark: spreadsheets then read the file as UTF-8
    for number, table in enumerate(tables):
        if number:
            yield "\r\n", False
        yield from _csv_table_lines(writer, table, str(table.title or table.name) if len(tables) > 1 else None)


def csv_lines(export: Table | Workbook) -> Iterator[str]:
    """The file's lines: the byte order mark, then each table's header and rows (in a workbook, each table under
    its title, a blank line between two), joined into chunks of about ``CHUNK_CHARACTERS``."""
    chunk, size = [], 0
    for line, _is_row in _csv_lines(export):
        chunk.append(line)
        size += len(line)
        if size >= CHUNK_CHARACTERS:
            yield "".join(chunk)
            chunk, size = [], 0
    if chunk:
        yield "".join(chunk)


def write_csv(export: Table | Workbook, file, *, progress: Callable[[int], None] | None = None) -> int:
    """Write the export to ``file`` (binary); returns the number of rows."""
    rows = 0
    for line, is_row in _csv_lines(export):
        file.write(line.encode())
        if is_row:
            rows += 1
            if progress and rows % PROGRESS_EVERY == 0:
                progress(rows)
    return rows


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31].rstrip() or "Sheet1"


class _Formats:
    """The workbook's cell formats, made once each."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.header = workbook.add_format({"bold": True, "bottom": 1})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self._numbers = {}

    def number(self, decimals: int):
        if decimals not in self._numbers:
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            self._numbers[decimals] = self.workbook.add_format({"num_format": pattern})
        return self._numbers[decimals]


def _write_cell(sheet, row: int, column: int, value: Cell, formats: _Formats) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_string(row, column, _("Yes") if value else _("No"))
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, column, _local(value), formats.moment)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, value, formats.date)
    elif isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        sheet.write_number(row, column, float(value), formats.number(min(decimals, 6)))
    elif isinstance(value, (int, float)):
        sheet.write_number(row, column, value)
    else:
        sheet.write_string(row, column, str(value))


def _write_sheet(workbook, formats: _Formats, table: Table, titles: set, done: int, progress) -> int:
    title = _sheet_title(str(table.title or table.name))
    while title.lower() in titles:  # sheet names are unique, whatever their case
        title = _sheet_title(f"{title[:28]} {len(titles) + 1}")
    titles.add(title.lower())
    sheet = workbook.add_worksheet(title)
    headers = table.headers()
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, formats.header)
        sheet.set_column(column, column, max(10, min(len(header) + 2, 40)))
    sheet.freeze_panes(1, 0)
    rows = 0
    for rows, values in enumerate(table.values(), start=1):
        for column, value in enumerate(values):
            _write_cell(sheet, rows, column, value, formats)
        if progress and (done + rows) % PROGRESS_EVERY == 0:
            progress(done + rows)
    if rows:
        sheet.autofilter(0, 0, rows, max(len(headers) - 1, 0))
    return rows


def write_xlsx(export: Table | Workbook, file, *, progress: Callable[[int], None] | None = None) -> int:
    """Write the export to ``file`` (a path or a binary file), a sheet per table; returns the number of rows."""
    workbook = xlsxwriter.Workbook(
        file,
        {
            "constant_memory": True,  # each row is flushed once written
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    formats = _Formats(workbook)
    rows, titles = 0, set()
    for table in tables_of(export):
        rows += _write_sheet(workbook, formats, table, titles, rows, progress)
    workbook.close()
    return rows


WRITERS = {CSV: write_csv, XLSX: write_xlsx}


def filename(export: Table | Workbook, file_format: str) -> str:
    return f"{export.name.replace('.', '-')}-{timezone.localdate():%Y-%m-%d}.{file_format}"
