"""Reads of programmes, scoped to who asks: staff see all, a partner user only their organisation's."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from partners.selectors import user_organisation_ids
from programs.models import Participation, Programme, ProgrammeObjective, ProgrammeUpdate


def _visible_programmes(user) -> QuerySet[Programme]:
    if sees_everything(user):
        return Programme.objects.all()
    organisation_ids = user_organisation_ids(user)
    if not organisation_ids:
        return Programme.objects.none()
    return Programme.objects.filter(
        pk__in=Participation.objects.filter(organisation_id__in=organisation_ids).values("programme_id")
    )


def programme_list(*, user) -> QuerySet[Programme]:
    """Programmes for list pages and the API: one query for the page plus one per prefetched relation."""
    return (
        _visible_programmes(user)
        .select_related("budget_currency", "responsible_officer")
        .prefetch_related(
            "recipient_countries",
            Prefetch("participations", queryset=Participation.objects.select_related("organisation")),
        )
    )


def programme_get(*, user, pk) -> Programme:
    queryset = _visible_programmes(user).select_related("budget_currency", "responsible_officer", "created_by")
    queryset = queryset.prefetch_related(
        "recipient_countries",
        "sectors",
        Prefetch("objectives", queryset=ProgrammeObjective.objects.all()),
        Prefetch("participations", queryset=Participation.objects.select_related("organisation__country")),
    )
    return get_object_or_404(queryset, pk=pk)


def programme_updates(*, user, programme: Programme | None = None) -> QuerySet[ProgrammeUpdate]:
    queryset = ProgrammeUpdate.objects.filter(programme__in=_visible_programmes(user)).select_related(
        "programme", "author", "organisation"
    )
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    return queryset


def participation_list(*, user) -> QuerySet[Participation]:
    return Participation.objects.filter(programme__in=_visible_programmes(user)).select_related(
        "programme__budget_currency", "organisation"
    )


def participating_organisation_ids(*, user, programme: Programme) -> list[int]:
    """The organisations of ``user`` that take part in ``programme``."""
    own = user_organisation_ids(user)
    return [p.organisation_id for p in programme.participations.all() if p.organisation_id in own]
