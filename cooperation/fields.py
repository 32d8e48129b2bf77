"""The field and constraint shapes every module's models repeat, written once.

Each factory returns a plain Django field or constraint, so a migration sees exactly what the hand-written
field gave: the same type, options and verbose name.
"""

import operator
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateField
from cooperation.money import amount_fits


def _link(to, verbose_name, *, on_delete, related_name, optional, **options) -> models.ForeignKey:
    if optional:
        options |= {"null": True, "blank": True}
    return models.ForeignKey(to, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name, **options)


def user_link(verbose_name, *, optional=False, related_name="+", on_delete=models.PROTECT) -> models.ForeignKey:
    """The user who did something to a record (created, approved, recorded it); ``optional`` until it is done."""
    return _link(
        settings.AUTH_USER_MODEL, verbose_name, on_delete=on_delete, related_name=related_name, optional=optional
    )


def protected_link(to, verbose_name, *, optional=False, related_name="+", **options) -> models.ForeignKey:
    """A link to a record (a programme, a partner, a country) that cannot be deleted while this one points to it."""
    return _link(to, verbose_name, on_delete=models.PROTECT, related_name=related_name, optional=optional, **options)


def currency_link(verbose_name=None) -> models.ForeignKey:
    """The currency of a record's amount (``AmountField``)."""
    return protected_link("reference.Currency", verbose_name or _("currency"))


def status_field(choices, default=None, *, max_length=20) -> models.CharField:
    """A record's status, one of ``choices``; it changes only through the module's services."""
    options = {} if default is None else {"default": default}
    return models.CharField(_("status"), max_length=max_length, choices=choices.choices, **options)


def reason_field(verbose_name=None) -> models.TextField:
    """Why a record was moved (returned, reversed, cancelled): free text, empty when no reason was asked."""
    return models.TextField(verbose_name or _("reason"), max_length=2000, blank=True)


def happened_on(verbose_name) -> BoundedDateField:
    """The day something happened to a record (paid, dispatched, enrolled): empty until then, never after today."""
    return BoundedDateField(verbose_name, null=True, blank=True, past=True)


def happened_at(verbose_name) -> models.DateTimeField:
    """The moment something was done to a record (approved, reversed, sent): empty until then."""
    return models.DateTimeField(verbose_name, null=True, blank=True)


def ends_after(end: str, start: str, *, name: str, message, optional=False) -> models.CheckConstraint:
    """The database refuses an ``end`` date before its ``start``; ``optional`` dates are checked once both are set."""
    condition = Q(**{f"{end}__gte": F(start)})
    if optional:
        condition = Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def known_choice(field: str, choices, *, name: str) -> models.CheckConstraint:
    """The database refuses a value of ``field`` that is not one of ``choices``."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


def unique(fields: tuple[str, ...], *, name: str, message=None, condition=None) -> models.UniqueConstraint:
    """The database refuses a second record with the same ``fields`` (among the records ``condition`` selects)."""
    return models.UniqueConstraint(fields=fields, condition=condition, name=name, violation_error_message=message)


def not_negative(*fields: str, name: str) -> models.CheckConstraint:
    """The database refuses a value below zero in any of ``fields`` (amounts, quantities, weights)."""
    condition = reduce(operator.and_, (Q(**{f"{field}__gte": 0}) for field in fields))
    return models.CheckConstraint(condition=condition, name=name)


def not_negative_amount(field: str, *, prefix: str, nullable=False) -> list[models.CheckConstraint]:
    """The database refuses a negative or oversized amount: constraints ``<prefix>_not_negative`` and ``_fits``."""
    condition = Q(**{f"{field}__gte": 0})
    if nullable:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return [
        models.CheckConstraint(condition=condition, name=f"{prefix}_not_negative"),
        amount_fits(field, name=f"{prefix}_fits", nullable=nullable),
    ]


def positive_amount(field: str, *, prefix: str) -> list[models.CheckConstraint]:
    """The database refuses a zero, negative or oversized amount: constraints ``<prefix>_positive`` and ``_fits``."""
    return [
        models.CheckConstraint(condition=Q(**{f"{field}__gt": 0}), name=f"{prefix}_positive"),
        amount_fits(field, name=f"{prefix}_fits"),
    ]


def part_of(parent, verbose_name, *, related_name: str, optional=False) -> models.ForeignKey:
    """The record this one is a part of (a loan's installment, a shipment's item), deleted with it."""
    return _link(parent, verbose_name, on_delete=models.CASCADE, related_name=related_name, optional=optional)
