"""Every write to exchange rates: one entered by an officer, one corrected, many imported from a CSV file.

A rate already used to convert a money event stays fixed for that event (``cooperation.exchange``): correcting
an entered rate changes the conversions still to come, never those already made.
"""

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cooperation import registry
from cooperation.access import require_perm
from cooperation.dates import date_error
from cooperation.money import significant_digits
from cooperation.reference.models import RATE_CEILING, RATE_DIGITS, RATE_SIGNIFICANT_DIGITS, Currency, ExchangeRate
from cooperation.roles import Perm
from cooperation.workflow import update_by

RATE_FIELDS = ("on", "from_currency", "to_currency", "rate", "source")
CORRECTABLE_FIELDS = ("rate", "source")
SOURCE_MAX_LENGTH = ExchangeRate._meta.get_field("source").max_length


class RateRefusal(StrEnum):
    NOT_POSITIVE = "rate_not_positive"
    TOO_MANY_DIGITS = "rate_too_many_digits"
    SAME_CURRENCY = "rate_same_currency"
    INACTIVE_CURRENCY = "rate_currency_not_in_use"
    DUPLICATE = "rate_duplicate"
    NO_SOURCE = "rate_no_source"


def rate_error(rate) -> ValidationError | None:
    """Why ``rate`` cannot be an exchange rate: zero or less, or more digits than every database keeps exactly."""
    if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
        return ValidationError(_("A rate is a number greater than zero."), code=RateRefusal.NOT_POSITIVE)
    exponent = rate.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    if (
        rate >= RATE_CEILING
        or decimals > RATE_DIGITS["decimal_places"]
        or significant_digits(rate) > RATE_SIGNIFICANT_DIGITS
    ):
        return ValidationError(
            _(
                "A rate has at most %(whole)d digits before the decimal point, %(decimals)d after it and "
                "%(digits)d in all."
            )
            % {
                "whole": RATE_DIGITS["max_digits"] - RATE_DIGITS["decimal_places"],
                "decimals": RATE_DIGITS["decimal_places"],
                "digits": RATE_SIGNIFICANT_DIGITS,
            },
            code=RateRefusal.TOO_MANY_DIGITS,
        )
    return None


def duplicate_message(on: datetime.date, from_code: str, to_code: str) -> str:
    return _("There is already a rate from %(source)s to %(target)s on %(date)s.") % {
        "source": from_code,
        "target": to_code,
        "date": formats.date_format(on, "j F Y"),
    }


def rate_problems(
    *, on, from_currency, to_currency, rate, source, exclude_pk=None, check_duplicate=True
) -> dict[str, ValidationError]:
    """Every reason the rate cannot be saved, by field (empty: it can). One query at most: whether the day's rate
    for these currencies is already entered (not asked with ``check_duplicate=False``)."""
    problems = {}
    error = date_error(on, past=True) if on is not None else None
    if error is not None:
        problems["on"] = error
    for field, currency in (("from_currency", from_currency), ("to_currency", to_currency)):
        if currency is not None and not currency.is_active:
            problems[field] = ValidationError(
                _("This currency is no longer in use."), code=RateRefusal.INACTIVE_CURRENCY
            )
    if from_currency is not None and from_currency == to_currency:
        problems["to_currency"] = ValidationError(
            _("A rate converts between two different currencies."), code=RateRefusal.SAME_CURRENCY
        )
    error = rate_error(rate)
    if error is not None:
        problems["rate"] = error
    if not (source or "").strip():
        problems["source"] = ValidationError(
            _("Say where the rate comes from (a bank, a file)."), code=RateRefusal.NO_SOURCE
        )
    elif len(source) > SOURCE_MAX_LENGTH:
        problems["source"] = ValidationError(
            _("A source has at most %(count)d characters.") % {"count": SOURCE_MAX_LENGTH}, code="max_length"
        )
    if check_duplicate and not problems and on is not None and from_currency is not None and to_currency is not None:
        existing = ExchangeRate.objects.filter(on=on, from_currency=from_currency, to_currency=to_currency)
        if exclude_pk is not None:
            existing = existing.exclude(pk=exclude_pk)
        if existing.exists():
            problems["on"] = ValidationError(
                duplicate_message(on, from_currency.code, to_currency.code), code=RateRefusal.DUPLICATE
            )
    return problems


# Announced in the transaction of every rate entered, corrected or imported: totals not yet fixed may move.
RATES_CHANGED = "exchange_rates.changed"


@transaction.atomic
def exchange_rate_create(*, created_by, on, from_currency: Currency, to_currency: Currency, rate, source):
    """Record that one ``from_currency`` is worth ``rate`` ``to_currency`` on the day ``on``."""
    require_perm(created_by, Perm.ADD_EXCHANGE_RATE)
    source = (source or "").strip()
    problems = rate_problems(on=on, from_currency=from_currency, to_currency=to_currency, rate=rate, source=source)
    if problems:
        raise ValidationError(problems)
    record = ExchangeRate(
        on=on, from_currency=from_currency, to_currency=to_currency, rate=rate, source=source, created_by=created_by
    )
    record._history_user = created_by
    with _refused_if_entered_meanwhile():
        record.save()
    registry.announce(RATES_CHANGED)
    return record


@transaction.atomic
def exchange_rate_update(*, exchange_rate: ExchangeRate, updated_by, **data) -> ExchangeRate:
    """Correct an entered rate or its source. Its date and currencies stay: a different day or pair is a new rate.
    Money events already converted with it keep the rate they were converted at."""
    require_perm(updated_by, Perm.CHANGE_EXCHANGE_RATE)
    data = {field: data[field] for field in CORRECTABLE_FIELDS if field in data}
    if "source" in data:
        data["source"] = (data["source"] or "").strip()
    values = {field: data.get(field, getattr(exchange_rate, field)) for field in RATE_FIELDS}
    problems = rate_problems(**values, exclude_pk=exchange_rate.pk)
    problems.pop("on", None)  # the date is not being changed: a date now too old to type again still stands
    if problems:
        raise ValidationError(problems)
    record = update_by(exchange_rate, updated_by, CORRECTABLE_FIELDS, data, validate=lambda record: None)
    registry.announce(RATES_CHANGED)
    return record


@transaction.atomic
def exchange_rates_import(*, created_by, rows: Iterable[dict], source_name: str = "") -> list[ExchangeRate]:
    """Save rates read and checked from a file (``rate_import.read_rates``), all or none, in one insert. Each row
    holds ``RATE_FIELDS``; a row without its own source is credited to ``source_name`` (the file)."""
    require_perm(created_by, Perm.ADD_EXCHANGE_RATE)
    records = [
        ExchangeRate(
            on=row["on"],
            from_currency=row["from_currency"],
            to_currency=row["to_currency"],
            rate=row["rate"],
            source=(row.get("source") or source_name)[:SOURCE_MAX_LENGTH],
            created_by=created_by,
        )
        for row in rows
    ]
    # One insert for the rates and one for their "created" history, each naming who imported them.
    with _refused_if_entered_meanwhile():
        created = bulk_create_with_history(records, ExchangeRate, default_user=created_by)
    registry.announce(RATES_CHANGED)
    return created


@contextmanager
def _refused_if_entered_meanwhile():
    """Someone saved the same day's rate for the same currencies between the check and the insert."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        raise ValidationError(
            {
                "on": ValidationError(
                    _("There is already a rate for these currencies on this date."), code=RateRefusal.DUPLICATE
                )
            }
        ) from error
