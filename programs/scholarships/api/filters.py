"""Filters of the scholarship API's reviews, stipend tranches and progress reports; calls, applications and
activities use ``programs.scholarships.filters``, shared with the pages.

Rows are already scoped to the user by the selectors; the filters only narrow them.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from programs.scholarships.filters import ActivityFilter
from programs.scholarships.models import (
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


__all__ = ["ActivityFilter", "ProgressReportFilter", "ReviewFilter", "TrancheFilter"]
