"""Reads for the partner portal: always narrowed to the organisations the user works for."""

from django.db.models import OuterRef, QuerySet, Subquery

from partners.models import Organisation
from partners.selectors import user_organisation_ids
from programs.models import Programme, ProgrammeUpdate
from programs.selectors import programme_list


def portal_organisations(*, user) -> QuerySet[Organisation]:
    """The organisations the user works for (not every organisation, even for an administrator)."""
    return Organisation.objects.filter(pk__in=user_organisation_ids(user)).order_by("name")


def portal_programme_list(*, user) -> QuerySet[Programme]:
    """The user's programmes, each annotated with the date of its latest update in the same query."""
    latest_update = ProgrammeUpdate.objects.filter(programme=OuterRef("pk")).order_by("-reported_on", "-created_at")
    return programme_list(user=user).annotate(latest_update_on=Subquery(latest_update.values("reported_on")[:1]))


def attach_own_participations(programmes, *, user) -> list[Programme]:
    """Give each programme ``own_participations``: the rows of the user's organisations, from prefetched data."""
    own = set(user_organisation_ids(user))
    programmes = list(programmes)
    for programme in programmes:
        programme.own_participations = [p for p in programme.participations.all() if p.organisation_id in own]
    return programmes
