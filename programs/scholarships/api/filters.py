"""Filters of the scholarship API's reviews and progress reports; calls, applications, stipend tranches and
activities use ``programs.scholarships.filters``, shared with the pages.

Rows are already scoped to the user by the selectors; the filters only narrow them.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from programs.scholarships.filters import ActivityFilter, TrancheFilter, application_filter, call_filter
from programs.scholarships.models import (
    ProgressReport,
    ReportStatus,
    Review,
)


class ReviewFilter(django_filters.FilterSet):
    application = application_filter()
    call = call_filter()
    reviewer = IdFilter(field_name="reviewer_id", label=_("Reviewer's user id"))
    state = django_filters.ChoiceFilter(
        choices=[("pending", _("Pending")), ("recused", _("Recused")), ("completed", _("Scored"))],
        label=_("State"),
    )

    class Meta:
        model = Review
        fields = ["application", "call", "reviewer", "state"]


class ProgressReportFilter(django_filters.FilterSet):
    application = application_filter()
    call = call_filter()
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("Status"))

    class Meta:
        model = ProgressReport
        fields = ["application", "call", "status"]


__all__ = ["ActivityFilter", "ProgressReportFilter", "ReviewFilter", "TrancheFilter"]
