"""A programme's framework as its readers see it."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.roles import Perm
from programs.models import Programme
from programs.results.models import Indicator, Period, PeriodTarget, Result
from programs.selectors import programme_list


def _programmes(user) -> QuerySet[Programme]:
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_RESULT)):
        return Programme.objects.none()
    return programme_list(user=user)


def framework_programmes(*, user) -> QuerySet[Programme]:
    """The programmes whose framework ``user`` may read."""
    return _programmes(user).select_related(None).prefetch_related(None)


def _in_frameworks(records: QuerySet, user, programme: str = "programme") -> QuerySet:
    """``records`` of the programmes whose framework ``user`` may read (``programme`` leads to theirs): every one for
    staff who see everything, so a list counts and pages its own table, not a subquery of every programme."""
    if user and user.is_authenticated and user.has_perm(Perm.VIEW_RESULT) and sees_everything(user):
        return records
    return records.filter(**{f"{programme}__in": framework_programmes(user=user)})


def result_list(*, user) -> QuerySet[Result]:
    return _in_frameworks(Result.objects.all(), user).select_related("programme")


def indicator_list(*, user) -> QuerySet[Indicator]:
    return (
        _in_frameworks(Indicator.objects.all(), user, "result__programme")
        .select_related("result__programme", "currency", "reporter")
        .prefetch_related("dimensions", Prefetch("targets", queryset=_targets()))
    )


def _targets() -> QuerySet[PeriodTarget]:
    """Targets by period, in their model's order within each indicator, without ordering by the indicators (which
    would join them and their results)."""
    return PeriodTarget.objects.select_related("period").order_by("period__starts_on", "pk")


def period_list(*, user) -> QuerySet[Period]:
    return _in_frameworks(Period.objects.all(), user).select_related("programme")


def programme_for_framework(*, user, pk) -> Programme:
    """The programme whose framework ``user`` asks for; 404 unless they may see it."""
    return get_object_or_404(_programmes(user).select_related(None).prefetch_related(None), pk=pk)


def framework(*, user, programme: Programme) -> list[Result]:
    """The programme's results, highest level first, each with its indicators (their dimensions, currency,
    reporter and targets by period): four queries however large the framework."""
    if not _programmes(user).filter(pk=programme.pk).exists():
        raise Http404
    # Each result's indicators and each indicator's targets in their models' order, sorted within the result or the
    # indicator they are read for rather than through every model that order names.
    indicators = (
        Indicator.objects.select_related("currency", "reporter")
        .prefetch_related("dimensions", Prefetch("targets", queryset=_targets()))
        .order_by("position", "pk")
    )
    return list(
        Result.objects.filter(programme=programme)
        .select_related("parent")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("-level", "position", "pk")
    )


def framework_indicators(*, user, programme: Programme) -> tuple[int, list[Indicator]]:
    """How many results the programme's framework has, and their indicators in the framework's order (``framework``:
    highest-level result first), each with its targets: what a summary of its progress reads, without the results
    themselves, the indicators' dimensions, currency or reporter. Four queries however large the framework."""
    if not _programmes(user).filter(pk=programme.pk).exists():
        raise Http404
    result_ids = list(
        Result.objects.filter(programme=programme).order_by("-level", "position", "pk").values_list("pk", flat=True)
    )
    place = {pk: index for index, pk in enumerate(result_ids)}
    indicators = (
        Indicator.objects.filter(result_id__in=result_ids)
        .prefetch_related(Prefetch("targets", queryset=PeriodTarget.objects.order_by()))
        .order_by("position", "pk")
    )
    return len(result_ids), sorted(indicators, key=lambda indicator: place[indicator.result_id])


def result_get(*, user, pk) -> Result:
    return get_object_or_404(Result.objects.filter(programme__in=_programmes(user)).select_related("programme"), pk=pk)


def indicator_get(*, user, pk) -> Indicator:
    indicators = Indicator.objects.filter(result__programme__in=_programmes(user))
    return get_object_or_404(indicators.select_related("result__programme", "currency", "reporter"), pk=pk)


def period_get(*, user, pk) -> Period:
    return get_object_or_404(Period.objects.filter(programme__in=_programmes(user)).select_related("programme"), pk=pk)
