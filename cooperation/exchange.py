"""One reporting currency for totals: each money event converted at the rate of its own date, fixed once.

Every money event keeps its own currency and amount. Its value in the reporting currency (the setting
``REPORTING_CURRENCY``) uses the latest exchange rate on or before the event's date, at most
``EXCHANGE_RATE_MAX_AGE_DAYS`` older; a rate entered either way round counts (USD→IDR converts IDR to USD by its
inverse). The first time a (currency, date) pair is converted its rate is stored as a ``FixedRate`` and used ever
after, so a total never moves because a closer rate was entered later. A date after today is converted but not
fixed: its own rate may not be known yet.

Where no rate applies the value is missing, named "no rate for USD on 4 March 2026", never counted as zero.
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cooperation.money import minor_unit_exponent
from cooperation.reference.models import (
    FIXED_RATE_DIGITS,
    RATE_SIGNIFICANT_DIGITS,
    Currency,
    ExchangeRate,
    FixedRate,
)

ONE = Decimal(1)
# The inverse of an entered rate, kept to the digits every database stores exactly.
_INVERSE = Context(prec=RATE_SIGNIFICANT_DIGITS, rounding=ROUND_HALF_EVEN)
_FIXED_PLACES = minor_unit_exponent(FIXED_RATE_DIGITS["decimal_places"])
# Products of amounts and rates are computed exactly before they are rounded once, to the minor unit.
_EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN)
# Up to this many days, fixed rates are read day by day rather than over the days' whole span.
NAMED_DAYS = 500


def reporting_currency() -> str:
    """The ISO 4217 code of the organisation's reporting currency."""
    return getattr(settings, "REPORTING_CURRENCY", "USD").upper()


def max_age_days() -> int:
    return int(getattr(settings, "EXCHANGE_RATE_MAX_AGE_DAYS", 31))


def missing_message(currency: str, on: datetime.date) -> str:
    """What a total shows instead of a value it cannot convert, in the user's language."""
    return _("no rate for %(currency)s on %(date)s") % {"currency": currency, "date": formats.date_format(on, "j F Y")}


@dataclass(frozen=True)
class Converted:
    """An amount in the reporting currency, or why it cannot be (``missing``, with ``amount`` None)."""

    amount: Decimal | None
    currency: str
    rate: Decimal | None
    rate_on: datetime.date | None
    missing: str | None = None


@dataclass(frozen=True)
class Figure:
    """An amount and the currency it is in (a ``Currency`` or a stand-in with ``code`` and ``minor_unit``), as the
    ``money`` template filter takes them."""

    amount: Decimal
    currency: object


@dataclass
class Total:
    """Amounts in several currencies, each currency's sum, and their sum in the reporting currency: ``reporting``
    adds what could be converted, ``missing`` names each currency and date without a rate, ``rate_dates`` the
    (currency, date of the rate) pairs used."""

    per_currency: dict[str, Decimal]
    reporting_currency: str
    reporting: Decimal
    missing: list[str] = field(default_factory=list)
    rate_dates: list[tuple[str, datetime.date]] = field(default_factory=list)
    currencies: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def figures(self) -> list[Figure]:
        """Each currency's sum, by code, ready for the ``money`` filter."""
        return [Figure(amount, self._currency(code)) for code, amount in self.per_currency.items()]

    @property
    def reporting_figure(self) -> Figure:
        return Figure(self.reporting, self._currency(self.reporting_currency))

    @property
    def rate_dates_text(self) -> str:
        """ "USD 4 March 2026, EUR 2 March 2026": the date of each rate the total used."""
        return ", ".join(f"{code} {formats.date_format(on, 'j F Y')}" for code, on in self.rate_dates)

    def _currency(self, code: str):
        return self.currencies.get(code) or SimpleNamespace(code=code, minor_unit=2)


@dataclass(frozen=True)
class _Rate:
    rate: Decimal
    rate_on: datetime.date


def _quantized(amount: Decimal, minor_unit: int) -> Decimal:
    return amount.quantize(minor_unit_exponent(minor_unit), context=_EXACT)


def _converted(amount: Decimal, rate: Decimal, minor_unit: int) -> Decimal:
    return _quantized(_EXACT.multiply(amount, rate), minor_unit)


def _code(currency) -> str:
    return (getattr(currency, "code", None) or getattr(currency, "pk", None) or str(currency)).upper()


def _entered_rates(codes: set[str], reporting: str, earliest: datetime.date, latest: datetime.date) -> dict:
    """Per currency, its rates into ``reporting`` between the two dates, sorted by date: ``(dates, rates)``. One
    query; a rate entered the other way round is inverted, and one entered this way wins on the same day."""
    rows = ExchangeRate.objects.filter(
        Q(from_currency__in=codes, to_currency=reporting) | Q(from_currency=reporting, to_currency__in=codes),
        on__gte=earliest,
        on__lte=latest,
    ).values_list("on", "from_currency_id", "to_currency_id", "rate")
    by_currency: dict[str, dict[datetime.date, Decimal]] = defaultdict(dict)
    for on, source, target, rate in rows:
        if target == reporting:
            by_currency[source][on] = rate
        else:
            by_currency[target].setdefault(on, _INVERSE.divide(ONE, rate))
    return {code: (sorted(days), [days[on] for on in sorted(days)]) for code, days in by_currency.items()}


def _applicable(entered: dict, code: str, on: datetime.date, oldest_allowed: int) -> _Rate | None:
    dates, rates = entered.get(code, ((), ()))
    index = bisect.bisect_right(dates, on) - 1
    if index < 0 or (on - dates[index]).days > oldest_allowed:
        return None
    return _Rate(rates[index].quantize(_FIXED_PLACES, context=_EXACT), dates[index])


def _stored_rows(pairs: set[tuple[str, datetime.date]], reporting: str):
    """The fixed rates of ``pairs``' currencies on their days, unsorted: one query. A few days (a programme's or a
    partner's page) are named, so the rows read are about those asked for; many days (a portfolio's totals) are read
    as their span, so the query's size does not grow with the number of pairs."""
    codes = {code for code, _on in pairs}
    days = {on for _code, on in pairs}
    rates = FixedRate.objects.filter(reporting_currency=reporting, currency__in=codes).order_by()
    if len(days) <= NAMED_DAYS:
        return rates.filter(on__in=sorted(days))
    return rates.filter(on__gte=min(days), on__lte=max(days))


def _stored(pairs: set[tuple[str, datetime.date]], reporting: str) -> dict[tuple[str, datetime.date], _Rate]:
    """The fixed rate of each of ``pairs`` that has one, read as plain values (a portfolio's totals need
    thousands)."""
    rows = _stored_rows(pairs, reporting).values_list("currency_id", "on", "rate", "rate_on")
    return {(code, on): _Rate(rate, rate_on) for code, on, rate, rate_on in rows if (code, on) in pairs}


def _earliest_needed(day: datetime.date, days: int) -> datetime.date:
    try:
        return day - datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.min


def _rates_for(pairs: set[tuple[str, datetime.date]], reporting: str) -> dict[tuple[str, datetime.date], _Rate]:
    """The rate for each (currency, date): the fixed one, else the applicable entered one, which is then fixed (dates
    up to today) in one bulk insert with its history. At most five queries whatever the number of pairs."""
    foreign = {pair for pair in pairs if pair[0] != reporting}
    found = {pair: _Rate(ONE, pair[1]) for pair in pairs if pair[0] == reporting}
    if not foreign:
        return found
    found |= _stored(foreign, reporting)
    unfixed = foreign - found.keys()
    if not unfixed:
        return found
    oldest_allowed = max_age_days()
    unfixed_days = [on for _code, on in unfixed]
    entered = _entered_rates(
        {code for code, _on in unfixed},
        reporting,
        _earliest_needed(min(unfixed_days), oldest_allowed),
        max(unfixed_days),
    )
    today = timezone.localdate()
    newly_fixed = []
    for code, on in unfixed:
        rate = _applicable(entered, code, on, oldest_allowed)
        if rate is None:
            continue
        found[(code, on)] = rate
        if on <= today:
            newly_fixed.append(
                FixedRate(
                    currency_id=code, on=on, reporting_currency_id=reporting, rate=rate.rate, rate_on=rate.rate_on
                )
            )
    if newly_fixed:
        FixedRate.objects.bulk_create(newly_fixed, ignore_conflicts=True)
        # Another request may have fixed some of these first: the stored rate is the one that counts.
        pairs = {(row.currency_id, row.on) for row in newly_fixed}
        stored = [row for row in _stored_rows(pairs, reporting) if (row.currency_id, row.on) in pairs]
        found |= {(row.currency_id, row.on): _Rate(row.rate, row.rate_on) for row in stored}
        # Fixed by the system, not by a person: their history names no user.
        FixedRate.history.bulk_history_create(stored)
    return found


def fixed_rates(pairs: set[tuple[str, datetime.date]]) -> dict[tuple[str, datetime.date], _Rate]:
    """The rate (``rate`` and ``rate_on``) of each (currency code, date) pair that has one, as ``total`` converts it:
    fixed now where it was not yet (dates up to today). Pairs without a rate are left out. At most five queries
    whatever the number of pairs."""
    return _rates_for(pairs, reporting_currency()) if pairs else {}


def _minor_units(codes: set[str]) -> dict[str, Currency]:
    return Currency.objects.in_bulk(codes)


def convert(amount: Decimal | None, currency, on: datetime.date) -> Converted:
    """``amount`` of ``currency`` (a ``Currency`` or its code) on the date ``on``, in the reporting currency,
    rounded to its minor unit with banker's rounding."""
    reporting = reporting_currency()
    code = _code(currency)
    if amount is None:
        return Converted(None, reporting, None, None)
    rate = _rates_for({(code, on)}, reporting).get((code, on))
    if rate is None:
        return Converted(None, reporting, None, None, missing_message(code, on))
    target = Currency.objects.filter(code=reporting).values_list("minor_unit", flat=True).first()
    return Converted(_converted(amount, rate.rate, 2 if target is None else target), reporting, rate.rate, rate.rate_on)


def total(rows: Iterable[tuple[Decimal, str, datetime.date]]) -> Total:
    """Sum ``rows`` of (amount, currency code, date) per currency and in the reporting currency. Each (currency,
    date) sum is converted and rounded once; a bounded number of queries, however many rows."""
    reporting = reporting_currency()
    by_day: dict[tuple[str, datetime.date], Decimal] = defaultdict(Decimal)
    for amount, currency, on in rows:
        if amount is not None:
            by_day[(_code(currency), on)] += amount
    per_currency: dict[str, Decimal] = defaultdict(Decimal)
    for (code, _on), amount in by_day.items():
        per_currency[code] += amount
    currencies = _minor_units({*per_currency, reporting})
    reporting_unit = getattr(currencies.get(reporting), "minor_unit", 2)
    rates = _rates_for(set(by_day), reporting) if by_day else {}
    converted = Decimal(0)
    missing, used = [], set()
    for code, on in sorted(by_day):
        rate = rates.get((code, on))
        if rate is None:
            missing.append(missing_message(code, on))
            continue
        converted += _converted(by_day[(code, on)], rate.rate, reporting_unit)
        if code != reporting:
            used.add((code, rate.rate_on))
    return Total(
        per_currency=dict(sorted(per_currency.items())),
        reporting_currency=reporting,
        reporting=_quantized(converted, reporting_unit),
        missing=missing,
        rate_dates=sorted(used),
        currencies=currencies,
    )
