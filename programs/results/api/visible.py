"""The framework's rows a user may read, as querysets for the API's lists and the relations a client may name.

They follow the results selectors' one rule (``programs.results.selectors.frameworks``): a programme's results,
indicators and periods are visible to whoever may see that programme's framework.
"""

from django.db.models import Prefetch, QuerySet

from programs.results.models import Indicator, Period, PeriodTarget, Result
from programs.results.selectors.frameworks import _programmes


def framework_programmes(*, user):
    """The programmes whose framework ``user`` may read."""
    return _programmes(user).select_related(None).prefetch_related(None)


def result_list(*, user) -> QuerySet[Result]:
    return Result.objects.filter(programme__in=framework_programmes(user=user)).select_related("programme")


def indicator_list(*, user) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(result__programme__in=framework_programmes(user=user))
        .select_related("result__programme", "currency", "reporter")
        .prefetch_related("dimensions", Prefetch("targets", queryset=PeriodTarget.objects.select_related("period")))
    )


def period_list(*, user) -> QuerySet[Period]:
    return Period.objects.filter(programme__in=framework_programmes(user=user)).select_related("programme")
