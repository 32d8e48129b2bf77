"""Building the dashboard's tables from rows already computed for the page: a header per column, a row per tuple."""

from collections.abc import Iterable, Sequence
from operator import itemgetter

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table


def table(name: str, title, headers: Sequence, rows: Iterable[tuple]) -> Table:
    """A table whose rows are tuples, one value per header, in order."""
    columns = [Column(header, itemgetter(index)) for index, header in enumerate(headers)]
    return Table(name, columns, list(rows), title)


def chart_table(name: str, item: dict, *, value_heading=None) -> Table:
    """A bar chart's table alternative: each bar's label and the count it stands for."""
    chart = item["chart"]
    heading = item.get("value_heading") or value_heading or _("Programmes")
    return table(name, chart.title, (item["category"], heading), [(bar.label, bar.value) for bar in chart.bars])


def code(currency) -> str | None:
    return getattr(currency, "code", None) or (str(currency) if currency else None)
