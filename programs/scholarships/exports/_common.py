"""What every scholarship export shares: the portal's check, and cells (a choice's label, a moment's date, a
person's name, an amount)."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from cooperation.access import require_perm
from cooperation.exports.tables import attribute
from cooperation.money import quantize
from programs.portal.access import require_portal_user


def require_portal(user, perm: str) -> None:
    """What a partner portal list requires, for its export: a portal user with an organisation, then ``perm``."""
    require_portal_user(user)
    require_perm(user, perm)


def label(path: str) -> Callable[[Any], str]:
    """The display label of the choice field at the end of ``path`` ("application.status")."""
    *steps, field = path.split(".")

    def read(row):
        for step in steps:
            row = getattr(row, step)
        return str(getattr(row, f"get_{field}_display")())

    return read


def day_of(path: str) -> Callable[[Any], Any]:
    """The local date of the moment at ``path`` ("awarded_at"); empty when it has not happened."""
    steps = path.split(".")

    def read(row):
        for step in steps:
            row = getattr(row, step, None)
            if row is None:
                return None
        return timezone.localdate(row)

    return read


def person(path: str) -> Callable[[Any], str]:
    """The full name (or username) of the user at ``path`` ("approved_by"); empty when there is none."""
    steps = path.split(".")

    def read(row):
        for step in steps:
            row = getattr(row, step, None)
            if row is None:
                return ""
        return row.get_full_name() or row.get_username()

    return read


def amount(amount_path: str, currency_path: str) -> Callable[[Any], Any]:
    """The amount at ``amount_path`` rounded to the minor unit of the currency at ``currency_path`` (its code goes
    in the next column)."""
    read_amount, read_currency = attribute(amount_path), attribute(currency_path)

    def read(row):
        value = read_amount(row)
        return None if value is None else quantize(value, read_currency(row))

    return read
