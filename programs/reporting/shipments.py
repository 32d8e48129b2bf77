"""The dashboard's shipments section: statuses, goods on their way, what was delivered where, and how well.

Every figure comes from ``shipment_dashboard`` and ``delayed_shipments``, which aggregate in SQL, so the section
costs the same few queries whatever the number of shipments. Values stay per currency: delivered goods, goods in
transit and discrepancy rates in different currencies are never added together.
"""

import datetime
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from cooperation.reference.models import Currency
from cooperation.roles import Perm
from programs.reporting.charts import ChartRow, horizontal_bar_chart
from programs.reporting.scope import DashboardScope
from programs.shipments.models import ShipmentStatus
from programs.shipments.selectors import CountryAmount, days_late, delayed_shipments, shipment_dashboard

DELAYED_SHOWN = 5


@dataclass(frozen=True)
class CurrencyCountries:
    """Delivered value by destination country within one currency, the largest first."""

    currency: Currency
    countries: list[CountryAmount]


def _by_currency(rows: list[CountryAmount]) -> list[CurrencyCountries]:
    groups: dict[str, CurrencyCountries] = {}
    for row in rows:
        groups.setdefault(row.currency.code, CurrencyCountries(row.currency, [])).countries.append(row)
    return list(groups.values())


def _status_chart(by_status: dict[str, int]):
    rows = [ChartRow(str(ShipmentStatus(value).label), count, intcomma(count)) for value, count in by_status.items()]
    return horizontal_bar_chart(rows, slug="shipment-status", title=_("Shipments by status"))


def shipments_dashboard(*, user, today: datetime.date, scope: DashboardScope | None = None) -> dict | None:
    """The shipments section's context, or None for a user who may not see shipments. The scope narrows the
    shipments to its programmes, to goods valued in its currency and to those dispatched within its period."""
    if not user.has_perm(Perm.VIEW_SHIPMENT):
        return None
    narrowing = scope.module_arguments() if scope else {}
    figures = shipment_dashboard(user=user, today=today, **narrowing)
    delayed = list(delayed_shipments(user=user, today=today, **narrowing)[:DELAYED_SHOWN])
    for shipment in delayed:
        shipment.days_late = days_late(shipment, today)
    return {
        "figures": figures,
        "total": sum(figures.by_status.values()),
        "status_chart": {
            "chart": _status_chart(figures.by_status),
            "category": _("Status"),
            "value_heading": _("Shipments"),
        },
        "delivered": _by_currency(figures.delivered_by_country),
        "delayed": delayed,
        "narrowed_to": scope.narrowed_to() if scope else "",
    }
