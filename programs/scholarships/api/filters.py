"""Filters of the scholarship API's reviews, stipend tranches, progress reports and activities; calls and
applications use ``programs.scholarships.filters``, shared with the pages.

Rows are already scoped to the user by the selectors; the filters only narrow them.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from cooperation.reference.models import Country
from programs.scholarships.models import (
    ActivityKind,
    ExchangeActivity,
    ExchangeStatus,
    ProgressReport,
    ReportStatus,
    Review,
    StipendTranche,
    TrancheStatus,
)


def _application_filter():
    return IdFilter(field_name="application_id", label=_("Application id"))


def _call_filter():
    return IdFilter(field_name="application__call_id", label=_("Call id"))


class ReviewFilter(django_filters.FilterSet):
    application = _application_filter()
    call = _call_filter()
    reviewer = IdFilter(field_name="reviewer_id", label=_("Reviewer's user id"))
    state = django_filters.ChoiceFilter(
        choices=[("pending", _("Pending")), ("recused", _("Recused")), ("completed", _("Scored"))],
        label=_("State"),
    )

    class Meta:
        model = Review
        fields = ["application", "call", "reviewer", "state"]


class TrancheFilter(django_filters.FilterSet):
    application = _application_filter()
    call = _call_filter()
    status = django_filters.MultipleChoiceFilter(choices=TrancheStatus.choices, label=_("Status"))
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label=_("Due on or before"))

    class Meta:
        model = StipendTranche
        fields = ["application", "call", "status", "due_before"]


class ProgressReportFilter(django_filters.FilterSet):
    application = _application_filter()
    call = _call_filter()
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("Status"))

    class Meta:
        model = ProgressReport
        fields = ["application", "call", "status"]


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=ActivityKind.choices, label=_("Kind"))
    programme = IdFilter(field_name="programme_id", label=_("Programme id"))
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), to_field_name="code", label=_("Country"))
    status = django_filters.MultipleChoiceFilter(choices=ExchangeStatus.choices, label=_("Status"))
    host = IdFilter(field_name="host_id", label=_("Host partner id"))

    class Meta:
        model = ExchangeActivity
        fields = ["kind", "programme", "country", "status", "host"]
