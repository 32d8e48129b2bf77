"""The exchange rates a budget page needs, all at once.

A programme's budget shows a total in the reporting currency for every line, every period and the whole
programme; the dashboard does the same for every programme. Calling ``exchange.total`` for each of them would cost
a few queries each; instead ``Rates`` calls it once over every row the page shows (which fixes the rate of each
(currency, date) pair, as ``exchange`` does) and reads the fixed rates back in one query, then sums any subset of
the rows the way ``exchange.total`` does: each (currency, date) sum converted at its own fixed rate and rounded once
to the reporting currency's minor unit, with banker's rounding. A date after today is not fixed by ``exchange``:
its rate is asked for separately (budget lines never need one; see ``actuals.budget_date``).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Context, Decimal

from django.utils import timezone

from cooperation import exchange
from cooperation.money import minor_unit_exponent
from cooperation.reference.models import FixedRate

ONE = Decimal(1)
_EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN)

Row = tuple[Decimal, str, datetime.date]


class Rates:
    def __init__(self, rows: Iterable[Row]):
        rows = [row for row in rows if row[0] is not None]
        self.reporting = exchange.reporting_currency()
        overall = exchange.total(rows)
        self.currencies = overall.currencies
        self.minor_unit = getattr(self.currencies.get(self.reporting), "minor_unit", 2)
        self._missing_messages: dict[tuple[str, datetime.date], str] = {}
        pairs = {(currency, on) for _amount, currency, on in rows}
        self.rates: dict[tuple[str, datetime.date], tuple[Decimal, datetime.date]] = {
            pair: (ONE, pair[1]) for pair in pairs if pair[0] == self.reporting
        }
        foreign = pairs - self.rates.keys()
        if foreign:
            days = [on for _code, on in foreign]
            fixed = FixedRate.objects.filter(
                reporting_currency=self.reporting,
                currency__in={code for code, _on in foreign},
                on__gte=min(days),
                on__lte=max(days),
            ).values_list("currency_id", "on", "rate", "rate_on")
            for code, on, rate, rate_on in fixed:
                if (code, on) in foreign:
                    self.rates[(code, on)] = (rate, rate_on)
        today = timezone.localdate()
        for code, on in sorted(foreign - self.rates.keys()):
            if on > today:
                converted = exchange.convert(ONE, code, on)
                if converted.rate is not None:
                    self.rates[(code, on)] = (converted.rate, converted.rate_on)

    def _missing_message(self, code: str, on: datetime.date) -> str:
        """Said once per currency and day, however many lines, periods and totals lack that rate."""
        if (code, on) not in self._missing_messages:
            self._missing_messages[(code, on)] = exchange.missing_message(code, on)
        return self._missing_messages[(code, on)]

    def _converted(self, amount: Decimal, rate: Decimal) -> Decimal:
        return _EXACT.multiply(amount, rate).quantize(minor_unit_exponent(self.minor_unit), context=_EXACT)

    def total(self, rows: Iterable[Row]) -> exchange.Total:
        by_day: dict[tuple[str, datetime.date], Decimal] = defaultdict(Decimal)
        for amount, currency, on in rows:
            if amount is not None:
                by_day[(currency, on)] += amount
        per_currency: dict[str, Decimal] = defaultdict(Decimal)
        for (code, _on), amount in by_day.items():
            per_currency[code] += amount
        converted, missing, used = Decimal(0), [], set()
        for code, on in sorted(by_day):
            rate = self.rates.get((code, on))
            if rate is None:
                missing.append(self._missing_message(code, on))
                continue
            converted += self._converted(by_day[(code, on)], rate[0])
            if code != self.reporting:
                used.add((code, rate[1]))
        return exchange.Total(
            per_currency=dict(sorted(per_currency.items())),
            reporting_currency=self.reporting,
            reporting=converted.quantize(minor_unit_exponent(self.minor_unit), context=_EXACT),
            missing=missing,
            rate_dates=sorted(used),
            currencies=self.currencies,
        )
