"""Calls and applications in the one search box, as the user sees them.

Calls are found by title. Applications are found by reference number ("SCH-00042") by anyone who may see them;
by the applicant's name only by those who may see applicants' personal data, and then only among the
applications whose personal data they may see (never one they are recused from). A hit names the applicant only
for those; everyone else sees the reference, the call and the status, never a name or an email.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperation.roles import Perm
from cooperation.search import SearchGroup, SearchHit, cleaned, group, matching
from programs.scholarships.references import application_reference, reference_expression
from programs.scholarships.selectors import application_list, call_list, personal_data_condition
from programs.scholarships.selectors._common import may


def _call_hit(call) -> SearchHit:
    detail = f"{call.programme.code} · {call.host} · {call.get_level_display()}"
    return SearchHit(call.title, reverse("scholarships:call_detail", args=[call.pk]), detail)


def _application_hit(application, names_shown: bool) -> SearchHit:
    reference = application_reference(application.pk)
    named = names_shown and application.personal_data_visible
    title = f"{reference} · {application.applicant_name}" if named else reference
    detail = f"{application.call.title} · {application.get_status_display()}"
    return SearchHit(title, reverse("scholarships:application_detail", args=[application.pk]), detail)


def _applications(user, query: str):
    applications = application_list(user=user).annotate(reference=reference_expression())
    by_reference = applications.filter(reference__icontains=cleaned(query))
    found = by_reference
    if may(user, Perm.SEE_PERSONAL_DATA):
        by_name = matching(applications.filter(personal_data_condition(user)), query, text=("applicant_name",))
        found = applications.filter(pk__in=by_reference.values("pk")) | applications.filter(pk__in=by_name.values("pk"))
    return found.order_by("-submitted_on", "-pk")


def search(user, query: str) -> list[SearchGroup]:
    if not may(user, Perm.ACCESS_WORKSPACE):
        return []
    names_shown = may(user, Perm.SEE_PERSONAL_DATA)
    calls = matching(call_list(user=user), query, text=("title",)).order_by("-opens_on", "title")
    return [
        group("scholarships.calls", _("Scholarship calls"), calls, _call_hit),
        group(
            "scholarships.applications",
            _("Scholarship applications"),
            _applications(user, query),
            lambda application: _application_hit(application, names_shown),
        ),
    ]
