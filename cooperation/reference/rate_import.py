"""Reading exchange rates from a CSV file: a header row ``date,from,to,rate,source``, then one rate a line.

Every line is checked before anything is saved; the officer sees each bad line by its number (the header is line
1) and the file is saved whole or not at all. A rate for a day and pair of currencies already entered, or twice
in the file, is refused.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _

from cooperation.reference.models import Currency, ExchangeRate
from cooperation.reference.services import duplicate_message, rate_problems

COLUMNS = ("date", "from", "to", "rate", "source")
MAX_BYTES = 1024 * 1024
MAX_LINES = 10_000


@dataclass
class RateFile:
    """What a file holds: the rates it would save (``rows``, service arguments) or the problems of its lines
    (``errors``, each (line number, message)); only a file without problems is saved."""

    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _text(content: bytes | str) -> str | None:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _rate(value: str) -> Decimal | None:
    try:
        rate = Decimal(value)
    except InvalidOperation:
        return None
    return rate if rate.is_finite() else None


def _line_problems(values: dict, currencies: dict) -> tuple[dict | None, list[str]]:
    """The row a line gives, or what is wrong with it (every problem, in the order of the columns)."""
    problems = []
    on = _date(values["date"])
    if on is None:
        problems.append(_("the date “%(value)s” is not a date written YYYY-MM-DD") % {"value": values["date"]})
    chosen = {}
    for column, name in (("from", "from_currency"), ("to", "to_currency")):
        code = values[column].upper()
        chosen[name] = currencies.get(code)
        if chosen[name] is None:
            problems.append(_("there is no currency with the code “%(value)s”") % {"value": values[column]})
    rate = _rate(values["rate"])
    if rate is None:
        problems.append(
            _("the rate “%(value)s” is not a number (write it with a decimal point)") % {"value": values["rate"]}
        )
    row = {"on": on, **chosen, "rate": rate, "source": values["source"]}
    if problems:
        return None, problems
    found = rate_problems(**row, check_duplicate=False)
    for error in found.values():
        problems.extend(error.messages)
    return (None if problems else row), problems


def _lines(text: str):
    """(line number, values by column) for each line after the header, or an error naming the header."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(column.strip().lower() for column in header) != COLUMNS:
        yield 1, None
        return
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        yield reader.line_num, values


def read_rates(content: bytes | str, *, default_source: str = "") -> RateFile:
    """Check a CSV file of exchange rates: a bounded number of queries (the currencies, then the days already
    entered), however many lines."""
    result = RateFile()
    text = _text(content)
    if text is None:
        result.errors.append((0, _("The file is not UTF-8 text.")))
        return result
    currencies = {currency.code: currency for currency in Currency.objects.all()}
    try:
        for number, values in _lines(text):
            if len(result.rows) + len(result.errors) >= MAX_LINES:
                result.errors.append((number, _("A file holds at most %(count)d rates.") % {"count": MAX_LINES}))
                break
            if values is None:
                result.errors.append(
                    (number, _("The first line must be the header: %(columns)s.") % {"columns": ",".join(COLUMNS)})
                )
                break
            if len(values) not in (len(COLUMNS) - 1, len(COLUMNS)):
                message = _("%(count)d columns where date,from,to,rate,source were expected.")
                result.errors.append((number, message % {"count": len(values)}))
                continue
            named = dict(zip(COLUMNS, (value.strip() for value in [*values, ""][: len(COLUMNS)]), strict=True))
            named["source"] = named["source"] or default_source
            row, problems = _line_problems(named, currencies)
            if problems:
                result.errors.append((number, "; ".join(problems)))
            else:
                row["line"] = number
                result.rows.append(row)
    except csv.Error as error:
        result.errors.append((0, _("The file is not CSV: %(error)s") % {"error": error}))
    _check_duplicates(result)
    if not result.rows and not result.errors:
        result.errors.append((0, _("The file holds no rates.")))
    return result


def _check_duplicates(result: RateFile) -> None:
    """Refuse a line repeating an earlier line's day and currencies, or a rate already entered (one query)."""
    seen = {}
    for row in result.rows:
        key = (row["on"], row["from_currency"].code, row["to_currency"].code)
        if key in seen:
            result.errors.append(
                (row["line"], _("the same date and currencies as line %(line)d") % {"line": seen[key]})
            )
        else:
            seen[key] = row["line"]
    if seen:
        keys = list(seen)
        days = [on for on, _source, _target in keys]
        entered = set(
            ExchangeRate.objects.filter(
                Q(from_currency__in={key[1] for key in keys}) & Q(to_currency__in={key[2] for key in keys}),
                on__gte=min(days),
                on__lte=max(days),
            ).values_list("on", "from_currency_id", "to_currency_id")
        )
        for key in keys:
            if key in entered:
                result.errors.append((seen[key], duplicate_message(*key)))
    result.errors.sort(key=lambda error: error[0])
    if result.errors:
        result.rows = []
