"""The exchange rates a budget page needs, all at once.

A programme's budget shows a total in the reporting currency for every line, every period and the whole
programme; the dashboard does the same for every programme. Calling ``exchange.total`` for each of them would cost
a few queries each; instead ``Rates`` asks ``exchange`` once for the rate of every (currency, date) pair the page
shows (which fixes each, as ``exchange.total`` does; a date after today is converted but not fixed), then totals any
set of amounts already summed per (currency, date) the way ``exchange.total`` does: each (currency, date) sum
converted at its own rate and rounded once to the reporting currency's minor unit, with banker's rounding.

A portfolio lacks rates for thousands of days and a page names a handful of them: a missing rate's name ("no rate
for USD on 4 March 2026") is put in the user's language only when it is shown.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Context, Decimal

from django.utils.functional import lazy

from cooperation import exchange
from cooperation.money import minor_unit_exponent
from cooperation.reference.models import Currency

_EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN)

Pair = tuple[str, datetime.date]
# Amounts summed per (currency code, date): what a total converts, one rate and one rounding per pair.
Sums = dict[Pair, Decimal]

_missing_message = lazy(exchange.missing_message, str)


class Rates:
    def __init__(self, pairs: Iterable[Pair]):
        pairs = set(pairs)
        self.reporting = exchange.reporting_currency()
        self.currencies = Currency.objects.in_bulk({*(code for code, _on in pairs), self.reporting})
        self.minor_unit = getattr(self.currencies.get(self.reporting), "minor_unit", 2)
        self._exponent = minor_unit_exponent(self.minor_unit)
        self.rates: dict[Pair, tuple[Decimal, datetime.date]] = {
            pair: (found.rate, found.rate_on) for pair, found in exchange.fixed_rates(pairs).items()
        }
        self._missing: dict[Pair, str] = {}

    def _missing_message(self, pair: Pair) -> str:
        message = self._missing.get(pair)
        if message is None:
            message = self._missing[pair] = _missing_message(*pair)
        return message

    def _converted(self, amount: Decimal, rate: Decimal) -> Decimal:
        return _EXACT.multiply(amount, rate).quantize(self._exponent, context=_EXACT)

    def reporting_of(self, sums: Sums) -> Decimal:
        """``total(sums).reporting``, without the rest of the total."""
        converted = Decimal(0)
        for pair, amount in sums.items():
            rate = self.rates.get(pair)
            if rate is not None:
                converted += self._converted(amount, rate[0])
        return converted.quantize(self._exponent, context=_EXACT)

    def complete(self, sums: Sums) -> bool:
        """``total(sums).complete``: every amount has a rate."""
        return all(pair in self.rates for pair in sums)

    def total(self, sums: Sums) -> exchange.Total:
        per_currency: dict[str, Decimal] = defaultdict(Decimal)
        converted, missing, used = Decimal(0), [], set()
        for pair in sorted(sums):
            code, _on = pair
            amount = sums[pair]
            per_currency[code] += amount
            rate = self.rates.get(pair)
            if rate is None:
                missing.append(self._missing_message(pair))
                continue
            converted += self._converted(amount, rate[0])
            if code != self.reporting:
                used.add((code, rate[1]))
        return exchange.Total(
            per_currency=dict(per_currency),  # by code, as the pairs are sorted
            reporting_currency=self.reporting,
            reporting=converted.quantize(self._exponent, context=_EXACT),
            missing=missing,
            rate_dates=sorted(used),
            currencies=self.currencies,
        )


class LazyTotal:
    """A ``Total`` of ``sums`` worked out by ``rates`` when first read: the dashboard reads a line's totals only to tell
    whether a line in several currencies is over budget, and most programmes' totals only to rank them, and a
    portfolio has thousands of lines. What those read, ``reporting`` and ``complete``, is worked out on its own."""

    __slots__ = ("_rates", "_sums", "_total", "_reporting", "_complete")

    def __init__(self, rates: Rates, sums: Sums):
        self._rates, self._sums = rates, sums
        self._total = self._reporting = self._complete = None

    @property
    def sums(self) -> Sums:
        """The amounts it totals, per (currency, date)."""
        return self._sums

    @property
    def reporting(self) -> Decimal:
        if self._reporting is None:
            self._reporting = self._rates.reporting_of(self._sums)
        return self._reporting

    @property
    def complete(self) -> bool:
        if self._complete is None:
            self._complete = self._rates.complete(self._sums)
        return self._complete

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if self._total is None:
            self._total = self._rates.total(self._sums)
        return getattr(self._total, name)
