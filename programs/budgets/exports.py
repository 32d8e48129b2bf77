"""The budget lists as files (see cooperation.exports): budget lines against their actuals, and expenditures.

Both take ``programme`` (an id) from the query, as a programme's budget page names it in its path; without it they
cover every programme the viewer may read. Amounts stay in their own currency, each followed by its code; the
reporting-currency figures are the page's, converted at the rate of each amount's own date."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import require_workspace
from cooperation.roles import Perm
from programs.budgets import selectors
from programs.budgets.actuals import programme_budgets
from programs.budgets.views import is_id, listed_expenditures


def _programme_id(request) -> int | None:
    value = request.GET.get("programme", "")
    return int(value) if is_id(value) else None


def _in_its_currency(name: str):
    """A line's figure in the line's currency; empty when its amounts are in several currencies (as on the page)."""
    return lambda figures: getattr(figures, name) if figures.currency is not None else None


def _its_currency(figures):
    return figures.currency.code if figures.currency is not None else None


def _reporting(name: str):
    """A figure in the reporting currency; empty when a rate is missing, rather than a sum short of an amount."""

    def value(figures):
        total = getattr(figures, name)
        return total.reporting if total.complete else None

    return value


LINE_COLUMNS = (
    Column(_("Programme"), attribute("line.programme.code")),
    Column(_("Period start"), attribute("line.period_start")),
    Column(_("Period end"), attribute("line.period_end")),
    Column(_("Category"), lambda figures: str(figures.line.get_category_display())),
    Column(_("Description"), attribute("line.description")),
    Column(_("Budget type"), lambda figures: str(figures.line.get_budget_type_display())),
    Column(_("Status"), lambda figures: str(figures.line.get_status_display())),
    Column(_("Budget"), _in_its_currency("budget")),
    Column(_("Currency"), _its_currency),
    Column(_("Committed"), _in_its_currency("committed")),
    Column(_("Currency"), _its_currency),
    Column(_("Spent"), _in_its_currency("actual")),
    Column(_("Currency"), _its_currency),
    Column(_("Remaining"), attribute("remaining")),
    Column(_("Currency"), _its_currency),
    Column(_("Burn rate (%)"), lambda figures: figures.burn_rate if figures.currency else figures.burn_rate_reporting),
    Column(_("Budget in the reporting currency"), _reporting("budget_total")),
    Column(_("Spent in the reporting currency"), _reporting("actual_total")),
    Column(_("Reporting currency"), attribute("budget_total.reporting_currency")),
    Column(_("Over budget"), attribute("over_budget")),
    Column(_("Missing exchange rates"), lambda figures: "; ".join(_missing(figures))),
)


def _missing(figures) -> list[str]:
    named = [*figures.budget_total.missing, *figures.committed_total.missing, *figures.actual_total.missing]
    return [str(message) for message in dict.fromkeys(named)]


def lines(request) -> Table:
    """Each budget line with its budget, committed, spent and remaining, period by period as the budget page shows
    them (one programme's with ``programme``)."""
    require_workspace(request.user, Perm.VIEW_BUDGET_LINE)
    programmes = selectors.budget_programmes(user=request.user)
    budget_lines = selectors.line_list(user=request.user).order_by("programme_id", "period_start", "category", "pk")
    programme_id = _programme_id(request)
    if programme_id is not None:
        programmes = programmes.filter(pk=programme_id)
        budget_lines = budget_lines.filter(programme_id=programme_id)
    budget_lines = list(budget_lines)
    with_lines = programmes.filter(pk__in={line.programme_id for line in budget_lines}).order_by("code")
    overview = programme_budgets(list(with_lines), budget_lines, timezone.localdate())
    rows = [figures for budget in overview.budgets for period in budget.periods for figures in period.lines]
    return Table("budget-lines", LINE_COLUMNS, rows, _("Budget lines"))


EXPENDITURE_COLUMNS = (
    Column(_("Spent on"), attribute("spent_on")),
    Column(_("Programme"), attribute("programme.code")),
    Column(_("Payee"), attribute("payee")),
    Column(_("Payee partner"), attribute("payee_organisation.name")),
    Column(_("Category"), lambda expenditure: str(expenditure.get_category_display())),
    Column(_("Budget line"), lambda expenditure: _line_name(expenditure.budget_line)),
    Column(_("Reference"), attribute("reference")),
    Column(_("Amount"), attribute("amount")),
    Column(_("Currency"), attribute("currency_id")),
    Column(_("Receipt"), lambda expenditure: bool(expenditure.receipt)),
    Column(_("Receipt file name"), attribute("receipt_name")),
    Column(_("Recorded by"), attribute("recorded_by.get_full_name"), personal=True),
)


def _line_name(line) -> str:
    if line is None:
        return ""
    return f"{line.get_category_display()} {line.period_start.isoformat()} – {line.period_end.isoformat()}"


def expenditures(request) -> Table:
    """The expenditures of the list (``payee``, ``receipt=missing``) or of one programme's budget page."""
    require_workspace(request.user, Perm.VIEW_EXPENDITURE)
    rows = listed_expenditures(request.user, request.GET, programme_id=_programme_id(request))
    return Table("expenditures", EXPENDITURE_COLUMNS, rows, _("Expenditures"))
