"""Reads of exchange rates, for those whose role may see them (officers, managers, auditors)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cooperation.reference.models import ExchangeRate
from cooperation.roles import Perm


def exchange_rate_list(*, user) -> QuerySet[ExchangeRate]:
    """Every entered rate, latest day first, for a user who may see them; none for anyone else."""
    if not (user and user.is_authenticated and user.is_active and user.has_perm(Perm.VIEW_EXCHANGE_RATE)):
        return ExchangeRate.objects.none()
    return ExchangeRate.objects.select_related("from_currency", "to_currency", "created_by").order_by(
        "-on", "from_currency_id", "to_currency_id", "pk"
    )


def exchange_rate_get(*, user, pk) -> ExchangeRate:
    return get_object_or_404(exchange_rate_list(user=user), pk=pk)
