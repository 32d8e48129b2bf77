"""Reads of programmes, scoped to who asks: staff see all, a partner user only their organisation's."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.access import require_perm, sees_everything
from cooperation.history import HistoryEntry, HistorySource, history_entries
from cooperation.outbox.selectors import messages_about
from cooperation.roles import Perm
from partners.models import Organisation
from partners.selectors import user_organisation_ids
from programs.models import Participation, Programme, ProgrammeObjective, ProgrammeUpdate

PERCENT = Decimal("0.01")


@dataclass(frozen=True)
class CountRow:
    """One bar of a dashboard's count chart: what is counted (its key and label) and how many there are."""

    key: str
    label: str
    count: int


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


def programme_choices(*, user) -> QuerySet[Programme]:
    """The programmes ``user`` may pick in a filter: those their lists show, without what the list prefetches."""
    return _visible_programmes(user).order_by("code")


def programme_relations() -> tuple:
    """What a programme's page shows of its relations, for ``prefetch_related``."""
    return (
        "recipient_countries",
        "sectors",
        Prefetch("objectives", queryset=ProgrammeObjective.objects.all()),
        Prefetch("participations", queryset=Participation.objects.select_related("organisation__country")),
    )


def programme_get(*, user, pk, relations: bool = True) -> Programme:
    """The programme ``pk`` if ``user`` may see it (else 404), with its relations unless ``relations`` is False (a
    page that may read its body back from the cache reads them only when it renders it)."""
    queryset = _visible_programmes(user).select_related("budget_currency", "responsible_officer", "created_by")
    if relations:
        queryset = queryset.prefetch_related(*programme_relations())
    return get_object_or_404(queryset, pk=pk)


def programme_updates(*, user, programme: Programme | None = None) -> QuerySet[ProgrammeUpdate]:
    queryset = ProgrammeUpdate.objects.filter(programme__in=_visible_programmes(user)).select_related(
        "programme", "author", "organisation"
    )
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    return queryset


def programme_updates_with_emails(*, user, programme: Programme) -> list[ProgrammeUpdate]:
    """The programme's updates, each with ``emails``: the outbox rows about it, for those who may read the
    outbox (two queries in all)."""
    return with_emails(programme_updates(user=user, programme=programme), user=user)


def participation_list(*, user) -> QuerySet[Participation]:
    return Participation.objects.filter(programme__in=_visible_programmes(user)).select_related(
        "programme__budget_currency", "organisation"
    )


def organisation_participations(*, user, organisation: Organisation) -> QuerySet[Participation]:
    """The programmes ``organisation`` takes part in, with its role, for staff who see every programme."""
    participations = organisation.participations.select_related("programme__budget_currency")
    if not sees_everything(user):
        return participations.none()
    return participations.order_by("programme__code")


def participating_organisation_ids(*, user, programme: Programme) -> list[int]:
    """The organisations of ``user`` that take part in ``programme``."""
    own = user_organisation_ids(user)
    return [p.organisation_id for p in programme.participations.all() if p.organisation_id in own]


def programme_history(*, user, programme: Programme) -> list[HistoryEntry]:
    """The latest changes to a programme and to its participants (added, changed, removed), newest first."""
    require_perm(user, Perm.VIEW_HISTORY)
    names = dict(
        Organisation.objects.filter(
            pk__in=Participation.history.filter(programme_id=programme.pk).values("organisation_id")
        ).values_list("pk", "name")
    )
    return history_entries(
        [
            HistorySource(Programme.history.filter(id=programme.pk)),
            HistorySource(
                Participation.history.filter(programme_id=programme.pk),
                subject=lambda record: (
                    _("Partner: %(name)s — %(role)s")
                    % {"name": names.get(record.organisation_id, "—"), "role": record.get_role_display()}
                ),
            ),
        ]
    )


def responsible_officer_choices() -> QuerySet:
    """Active users who work in the officer workspace, whoever gave them the permission."""
    return (
        get_user_model()
        .objects.with_perm(Perm.ACCESS_WORKSPACE, backend="django.contrib.auth.backends.ModelBackend")
        .order_by("first_name", "last_name", "username")
    )


# --- what the modules' reads share --------------------------------------------------------------------------------


def today_or(today: datetime.date | None) -> datetime.date:
    """The day a read is about: ``today`` when a caller (a test, a report) names it, else the local date."""
    return today or timezone.localdate()


def visible_records(user, model, perm: Perm, organisation: str, *, draft=None) -> QuerySet:
    """The ``model`` rows ``user`` may see: none without ``perm``; all of them for staff who see everything; for a
    partner user, those of their organisations (``organisation`` names the link) but the ``draft`` ones (a draft is
    the officer's working copy)."""
    if not (user and user.is_authenticated and user.has_perm(perm)):
        return model.objects.none()
    if sees_everything(user):
        return model.objects.all()
    records = model.objects.filter(**{f"{organisation}_id__in": user_organisation_ids(user)})
    return records if draft is None else records.exclude(status=draft)


def per_row(rows: QuerySet, link: str, value, *, output_field, otherwise=None, outer: str = "pk"):
    """A correlated subquery: ``value`` (an aggregate such as ``Sum("amount")``) over the ``rows`` whose ``link``
    is the outer query's row (its ``outer`` field); where there are none, ``otherwise`` when given (else NULL)."""
    subquery = Subquery(
        rows.filter(**{link: OuterRef(outer)}).order_by().values(link).annotate(result=value).values("result"),
        output_field=output_field,
    )
    return subquery if otherwise is None else Coalesce(subquery, Value(otherwise), output_field=output_field)


def percent_of(part: int | Decimal, whole: int | Decimal) -> Decimal:
    """``part`` in percent of ``whole``, to a hundredth (0 of nothing is 0%): a dashboard's rates."""
    if not whole:
        return Decimal(0).quantize(PERCENT)
    return (100 * Decimal(part) / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_EVEN)


def with_emails(records: QuerySet, *, user) -> list:
    """The ``records``, each with ``emails``: the outbox rows about it, for those who may read the outbox (two
    queries in all)."""
    emails: dict[int, list] = {}
    for message in messages_about(user=user, records=[records]):
        emails.setdefault(message.object_id, []).append(message)
    listed = list(records)
    for record in listed:
        record.emails = emails.get(record.pk, [])
    return listed
