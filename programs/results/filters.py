"""Filters of the results lists, shared by the officers' pages and the API so both answer the same question.

Rows come from the results selectors (already scoped to the user); the filters only narrow them. Choices offered
(programmes, partners) are those the user may see.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from cooperation.list_filters import search_filter
from partners.selectors import organisation_list
from programs.results.models import (
    Direction,
    Indicator,
    Period,
    Report,
    ReportStatus,
    Result,
    ResultLevel,
    Unit,
)
from programs.selectors import programme_list


def _user(request):
    return request.user if request else None


def _visible_programmes(request):
    return programme_list(user=_user(request)).order_by("code")


def _visible_partners(request):
    return organisation_list(user=_user(request))


def programme_filter(field_name: str = "programme") -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(queryset=_visible_programmes, field_name=field_name, label=_("Programme"))


class ResultFilter(django_filters.FilterSet):
    q = search_filter("title", "description")
    programme = programme_filter()
    level = django_filters.MultipleChoiceFilter(choices=ResultLevel.choices, label=_("Level"))
    parent = IdFilter(field_name="parent_id", label=_("Serves the result (id)"))

    class Meta:
        model = Result
        fields = ["q", "programme", "level", "parent"]


class IndicatorFilter(django_filters.FilterSet):
    q = search_filter("title", "definition")
    programme = programme_filter("result__programme")
    result = IdFilter(field_name="result_id", label=_("Result id"))
    level = django_filters.MultipleChoiceFilter(
        choices=ResultLevel.choices, field_name="result__level", label=_("Level of its result")
    )
    unit = django_filters.MultipleChoiceFilter(choices=Unit.choices, label=_("Unit"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Direction"), empty_label=_("Any"))
    reporter = django_filters.ModelChoiceFilter(queryset=_visible_partners, label=_("Reported by"))
    computed = django_filters.BooleanFilter(method="filter_computed", label=_("Computed from the records"))

    class Meta:
        model = Indicator
        fields = ["q", "programme", "result", "level", "unit", "direction", "reporter", "computed"]

    def filter_computed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(measure="") if value else queryset.filter(measure="")


class PeriodFilter(django_filters.FilterSet):
    programme = programme_filter()
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte", label=_("Starts on or after"))
    ends_before = django_filters.DateFilter(field_name="ends_on", lookup_expr="lte", label=_("Ends on or before"))

    class Meta:
        model = Period
        fields = ["programme", "starts_after", "ends_before"]


class ReportFilter(django_filters.FilterSet):
    programme = programme_filter("period__programme")
    period = IdFilter(field_name="period_id", label=_("Reporting period id"))
    organisation = django_filters.ModelChoiceFilter(queryset=_visible_partners, label=_("Reporting partner"))
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    on_behalf = django_filters.BooleanFilter(label=_("Entered on the partner's behalf"))

    class Meta:
        model = Report
        fields = ["programme", "period", "organisation", "status", "on_behalf"]
