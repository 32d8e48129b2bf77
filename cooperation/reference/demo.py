"""Demonstration exchange rates for ``manage.py load_demo``: a weekly rate for each currency the demo records use
(into or out of US dollars), over the last three years, so dashboards can show totals in the reporting currency.
The Australian dollar's rates stop two months ago, so the demo also shows how a missing rate is named. A second run
finds the rates already there and adds nothing."""

import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from cooperation.reference.models import Currency, ExchangeRate
from cooperation.reference.services import exchange_rates_import

SOURCE = "Demo rates (weekly)"
WEEKS = 156
# (from, to, rate three years ago, change per week, decimals, weeks without a rate at the end)
PAIRS = (
    ("USD", "IDR", Decimal("15200"), Decimal("8"), 2, 0),
    ("EUR", "USD", Decimal("1.0500"), Decimal("0.0003"), 4, 0),
    ("USD", "JPY", Decimal("135.00"), Decimal("0.10"), 2, 0),
    ("AUD", "USD", Decimal("0.6700"), Decimal("-0.0002"), 4, 9),
)


def _rows(today: datetime.date) -> list[dict]:
    currencies = Currency.objects.in_bulk({code for pair in PAIRS for code in pair[:2]})
    rows = []
    for source, target, start, step, decimals, gap in PAIRS:
        for week in range(WEEKS - gap):
            on = today - datetime.timedelta(weeks=WEEKS - week)
            # A gentle trend with a small weekly wobble, so the charts do not draw straight lines.
            wobble = step * 3 * (1 if week % 4 < 2 else -1)
            rate = (start + step * week + wobble).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
            rows.append(
                {
                    "on": on,
                    "from_currency": currencies[source],
                    "to_currency": currencies[target],
                    "rate": rate,
                    "source": SOURCE,
                }
            )
    return rows


def load(*, run) -> str:
    if ExchangeRate.objects.filter(source=SOURCE).exists():
        return "exchange rates: already there"
    created = exchange_rates_import(created_by=run.users["officer"], rows=_rows(run.today))
    return f"exchange rates: {len(created)} weekly rates"
