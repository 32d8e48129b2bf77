"""Exchange activities and their participants."""

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.scholarships.models import (
    ExchangeActivity,
    Participant,
)
from programs.scholarships.selectors._common import count_of, may

# --- exchange activities ------------------------------------------------------------------------------------------


def visible_activities(*, user) -> QuerySet[ExchangeActivity]:
    """Activities ``user`` may see (a partner: those their organisation hosts or takes part in), as plain rows: what
    the hubs count."""
    if not may(user, Perm.VIEW_EXCHANGE_ACTIVITY):
        return ExchangeActivity.objects.none()
    queryset = ExchangeActivity.objects.all()
    if not sees_everything(user):
        organisations = user_organisation_ids(user)
        involved = ExchangeActivity.partners.through.objects.filter(
            exchangeactivity_id=OuterRef("pk"), organisation_id__in=organisations
        )
        queryset = queryset.filter(Q(host_id__in=organisations) | Q(Exists(involved)))
    return queryset


def activity_list(*, user) -> QuerySet[ExchangeActivity]:
    """Activities ``user`` may see (``visible_activities``), with ``participants_count`` (women + men + other) and
    ``listed_participants`` in SQL."""
    return (
        visible_activities(user=user)
        .select_related("programme", "host", "country")
        .annotate(
            participants_count=F("women") + F("men") + F("other_gender"),
            listed_participants=count_of(Participant, "activity"),
        )
    )


def activity_get(*, user, pk) -> ExchangeActivity:
    return get_object_or_404(activity_list(user=user).prefetch_related("partners"), pk=pk)


def activity_participants(*, user, activity: ExchangeActivity) -> QuerySet[Participant]:
    if not may(user, Perm.VIEW_PARTICIPANT) or not activity_list(user=user).filter(pk=activity.pk).exists():
        return Participant.objects.none()
    return activity.participants.select_related("country")
