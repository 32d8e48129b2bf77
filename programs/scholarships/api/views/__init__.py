"""Scholarship calls, applications, reviews, stipend tranches, progress reports and exchange activities over the API.

Querysets come from the scholarship selectors, so a partner user reaches only their institution's calls,
scholars, reports, stipends and activities, and a reviewer their own assignments (anything else is 404, even for
a write they could never make); applicants' personal data follows the selectors' ``personal_data_visible`` flag.
Every write and every move is one service call, whose refusals answer 400 with the message next to the field.
"""

from programs.scholarships.api.views.activities import ActivityViewSet
from programs.scholarships.api.views.alumni import AlumniOutcomeViewSet
from programs.scholarships.api.views.applications import ApplicationViewSet
from programs.scholarships.api.views.calls import CallViewSet
from programs.scholarships.api.views.reviews import ReviewViewSet
from programs.scholarships.api.views.stipends import ProgressReportViewSet, StipendTrancheViewSet

__all__ = [
    "AlumniOutcomeViewSet",
    "ActivityViewSet",
    "ApplicationViewSet",
    "CallViewSet",
    "ProgressReportViewSet",
    "ReviewViewSet",
    "StipendTrancheViewSet",
]
