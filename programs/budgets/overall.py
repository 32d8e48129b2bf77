"""The dashboard's budget totals over many programmes, worked out once for each state of their summaries.

The totals add every (currency, date) sum of hundreds of summaries and convert each at its own rate: at national
scale thousands of pairs, most of the budgets section's time. They depend on nothing but the summaries read and the
day: a summary's figures change only with its ``version`` (every change that moves them marks it stale and counts
the version up, a new or corrected rate marks every summary so), a fixed rate never changes, and a summary is fresh
for one day and one reporting currency. So the converted totals of a set of fresh summaries are kept in the cache
under a key made of the day, the reporting currency and each summary's id, version and time of computing (which
tells two states apart even in a database restored from a copy whose versions then moved on differently), and any
change gives the next view a new key: the totals shown are never older than the summaries they add.

What is kept is what a ``Total`` shows: each currency's sum, the sum in the reporting currency, the (currency, date)
pairs without a rate and the rates' dates. The missing rates are named in the reader's language when shown.
"""

import datetime
import hashlib
import logging
from decimal import Decimal

from django.core.cache import cache
from django.utils.functional import lazy

from cooperation import exchange
from cooperation.reference.models import Currency
from programs.budgets.actuals import Amounts, Figures
from programs.budgets.rates import Rates, Sums

logger = logging.getLogger(__name__)

# Kept for a day at most: a key names the day, so an older entry is never read again.
TIMEOUT = 24 * 60 * 60
_KINDS = ("budget", "committed", "spent")
_missing_message = lazy(exchange.missing_message, str)


def cache_key(today: datetime.date, reporting: str, summaries: list[tuple], narrowed_to: str = "") -> str:
    """The key of what was worked out from ``summaries`` ((id, version, computed at) of each) on ``today`` in
    ``reporting`` (narrowed to a currency or a period, see ``narrowed``)."""
    state = ";".join(
        f"{pk}:{version}:{computed_at and computed_at.isoformat()}" for pk, version, computed_at in sorted(summaries)
    )
    digest = hashlib.sha256(f"{today.isoformat()}|{reporting}|{narrowed_to}|{state}".encode()).hexdigest()
    return f"budgets:overall:v1:{digest}"


def read_kept(key: str):
    """What was kept under ``key``, or None. A cache that is down costs speed only: the figures are computed."""
    try:
        return cache.get(key)
    except Exception as error:  # each cache backend raises its own errors for a server that is away
        logger.warning("Budget figures not read from the cache: %s", error)
        return None


def keep(key: str, value) -> None:
    try:
        cache.set(key, value, TIMEOUT)
    except Exception as error:
        logger.warning("Budget figures not kept in the cache: %s", error)


def _kept(total: exchange.Total, missing: list) -> tuple:
    return (list(total.per_currency.items()), total.reporting, missing, list(total.rate_dates))


def _converted(sums: Sums, rates: Rates) -> tuple:
    """What the cache keeps of the total of ``sums``."""
    return _kept(rates.total(sums), sorted(pair for pair in sums if pair not in rates.rates))


def kept_totals(amounts: Amounts, rates: Rates) -> dict:
    """What the cache keeps of the totals of ``amounts`` (``KnownFigures`` reads it back)."""
    return {kind: _converted(sums, rates) for kind, sums in zip(_KINDS, amounts.sums, strict=True)}


def figures_of_kept(kept: dict) -> "KnownFigures":
    reporting = exchange.reporting_currency()
    codes = {code for entry in kept.values() for code, _sum in entry[0]}
    return KnownFigures(kept, reporting, Currency.objects.in_bulk({*codes, reporting}))


class KnownFigures(Figures):
    """``Figures`` of several programmes together whose totals were worked out before (``kept``): they read the same,
    without the sums they were made of."""

    def __init__(self, kept: dict, reporting: str, currencies: dict):
        super().__init__(Amounts(), None, currencies)
        budget, committed, spent = (self._total(kept[kind], reporting, currencies) for kind in _KINDS)
        self.budget_total, self.committed_total, self.actual_total = budget, committed, spent

    @staticmethod
    def _total(entry: tuple, reporting: str, currencies: dict) -> exchange.Total:
        per_currency, converted, missing, rate_dates = entry
        return exchange.Total(
            per_currency=dict(per_currency),
            reporting_currency=reporting,
            reporting=converted,
            missing=[_missing_message(code, on) for code, on in missing],
            rate_dates=list(rate_dates),
            currencies=currencies,
        )

    @property
    def _code(self) -> str | None:
        codes = {code for total in self._totals() for code in total.per_currency}
        return codes.pop() if len(codes) == 1 else None

    def _totals(self) -> tuple[exchange.Total, exchange.Total, exchange.Total]:
        return self.budget_total, self.committed_total, self.actual_total

    def _of_its_currency(self, total: exchange.Total) -> Decimal | None:
        return None if self._code is None else total.per_currency.get(self._code, Decimal(0))

    @property
    def budget(self) -> Decimal | None:
        return self._of_its_currency(self.budget_total)

    @property
    def committed(self) -> Decimal | None:
        return self._of_its_currency(self.committed_total)

    @property
    def actual(self) -> Decimal | None:
        return self._of_its_currency(self.actual_total)


def known_figures(key: str, amounts) -> KnownFigures:
    """The totals kept under ``key``, else those of ``amounts()`` (an ``Amounts``, read only on a miss), kept."""
    kept = read_kept(key)
    if kept is None:
        everything = amounts()
        kept = kept_totals(everything, Rates({pair for sums in everything.sums for pair in sums}))
        keep(key, kept)
    return figures_of_kept(kept)
