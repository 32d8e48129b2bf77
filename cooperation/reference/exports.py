"""The exchange-rate list as a file (see cooperation.exports): the page's filters, latest day first."""

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import require_workspace
from cooperation.reference import selectors
from cooperation.reference.filters import ExchangeRateFilter
from cooperation.roles import Perm


def _entered_by(rate) -> str:
    return rate.created_by.get_full_name() or rate.created_by.username


RATE_COLUMNS = (
    Column(_("Date"), attribute("on")),
    Column(_("From"), attribute("from_currency_id")),
    Column(_("To"), attribute("to_currency_id")),
    Column(_("Rate"), attribute("rate")),
    Column(_("Source"), attribute("source")),
    Column(_("Entered by"), _entered_by),
    Column(_("Entered"), attribute("created_at")),
)


def rate_rows(request):
    """The rates of the list page for ``request``: those the user may see, narrowed by the page's filters."""
    return ExchangeRateFilter(request.GET or None, queryset=selectors.exchange_rate_list(user=request.user)).qs


def exchange_rates(request) -> Table:
    require_workspace(request.user, Perm.VIEW_EXCHANGE_RATE)
    return Table("exchange-rates", RATE_COLUMNS, rate_rows(request), _("Exchange rates"))
