"""Programme export rows for CSV, safe to open in a spreadsheet."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cooperation.money import quantize
from programs.models import Programme

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

PROGRAMME_COLUMNS = (
    _("Code"),
    _("Title"),
    _("Forms of cooperation"),
    _("Status"),
    _("Planned start"),
    _("Planned end"),
    _("Recipient countries"),
    _("Budget"),
    _("Currency"),
    _("Partners and roles"),
)


def neutralise_formula(value: str) -> str:
    """Quote a text cell a spreadsheet would otherwise evaluate."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _programme_row(programme: Programme) -> list[str]:
    return [
        programme.code,
        programme.title,
        "; ".join(str(label) for label in programme.get_forms_display()),
        str(programme.get_status_display()),
        programme.planned_start.isoformat() if programme.planned_start else "",
        programme.planned_end.isoformat() if programme.planned_end else "",
        "; ".join(country.name for country in programme.recipient_countries.all()),
        str(quantize(programme.budget_amount, programme.budget_currency)),
        programme.budget_currency_id,
        "; ".join(f"{p.organisation} ({p.get_role_display()})" for p in programme.participations.all()),
    ]


def programme_csv_rows(programmes: QuerySet[Programme], *, chunk_size: int = 500) -> Iterator[list[str]]:
    """The header, then one row per programme, read in chunks so a large export stays small in memory."""
    yield [str(column) for column in PROGRAMME_COLUMNS]
    for programme in programmes.iterator(chunk_size=chunk_size):
        yield [neutralise_formula(cell) for cell in _programme_row(programme)]
