"""Grants and their tranches as the user may see them, and the partner portal's messages."""

from django.db.models import (
    ExpressionWrapper,
    F,
    Prefetch,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.roles import Perm
from partners.models import Notification
from partners.selectors import user_organisation_ids
from programs.finance.models import (
    Grant,
    Tranche,
    TrancheStatus,
)
from programs.finance.selectors.common import (
    MONEY,
    ZERO,
)
from programs.selectors import per_row, visible_records

# --- grants -------------------------------------------------------------------------------------------------------


def _per_grant(*statuses: str) -> Coalesce:
    return per_row(
        Tranche.objects.filter(status__in=statuses), "grant", Sum("amount"), output_field=MONEY, otherwise=ZERO
    )


def visible_grants(user) -> QuerySet[Grant]:
    """The grants ``user`` may see, without the totals ``grant_list`` adds (for sums over many grants)."""
    return visible_records(user, Grant, Perm.VIEW_GRANT, "recipient")


def _on_visible_grants(user, rows: QuerySet) -> QuerySet:
    """``rows`` of the grants ``user`` may see (``visible_grants``), as plain conditions on the grant rather than a
    subquery of every grant."""
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_GRANT)):
        return rows.none()
    if sees_everything(user):
        return rows
    return rows.filter(grant__recipient_id__in=user_organisation_ids(user))


def grant_list(*, user) -> QuerySet[Grant]:
    """Grants ``user`` may see, annotated with ``paid_total`` (paid tranches), ``unpaid_total`` (approved, awaiting
    payment), ``scheduled_total`` (not yet approved), ``cancelled_total`` and ``remaining_total`` (still to pay:
    the amount less what was paid or cancelled)."""
    return (
        visible_grants(user)
        .select_related("programme", "recipient", "currency")
        .annotate(
            paid_total=_per_grant(TrancheStatus.PAID),
            unpaid_total=_per_grant(TrancheStatus.APPROVED),
            scheduled_total=_per_grant(TrancheStatus.SCHEDULED),
            cancelled_total=_per_grant(TrancheStatus.CANCELLED),
        )
        .annotate(
            remaining_total=ExpressionWrapper(F("amount") - F("paid_total") - F("cancelled_total"), output_field=MONEY)
        )
    )


def grant_get(*, user, pk) -> Grant:
    queryset = (
        grant_list(user=user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.select_related("approved_by").order_by("number"))
        )
    )
    return get_object_or_404(queryset, pk=pk)


def tranche_get(*, user, pk) -> Tranche:
    if not user.has_perm(Perm.VIEW_TRANCHE):
        return get_object_or_404(Tranche.objects.none(), pk=pk)
    queryset = _on_visible_grants(user, Tranche.objects.all()).select_related(
        "grant__currency", "grant__recipient", "approved_by"
    )
    return get_object_or_404(queryset, pk=pk)


def tranche_list(*, user, grant: Grant | None = None) -> QuerySet[Tranche]:
    if not user.has_perm(Perm.VIEW_TRANCHE):
        return Tranche.objects.none()
    queryset = _on_visible_grants(user, Tranche.objects.all()).select_related(
        "grant__currency", "grant__recipient", "approved_by"
    )
    return queryset.filter(grant=grant) if grant is not None else queryset


# --- the partner portal's messages --------------------------------------------------------------------------------


def notification_list(*, user) -> QuerySet[Notification]:
    """Messages for the organisations ``user`` works for, newest first."""
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_NOTIFICATION)):
        return Notification.objects.none()
    return Notification.objects.filter(organisation_id__in=user_organisation_ids(user)).select_related("organisation")
