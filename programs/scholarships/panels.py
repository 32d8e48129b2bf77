"""What this module shows on other pages, registered in ``apps.py``: the programme's and the partner's hub
sections and the partner portal's home block, each a fixed number of queries however many records there are."""

from django.urls import reverse

from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.scholarships.selectors import alumni, hub


def _sees_module(user) -> bool:
    return any(user.has_perm(perm) for perm in (Perm.VIEW_CALL, Perm.VIEW_APPLICATION, Perm.VIEW_EXCHANGE_ACTIVITY))


def _list_urls(user, query: str) -> dict:
    """The module's lists, filtered to the page's programme or partner, for who may open them."""
    return {
        "calls_url": reverse("scholarships:call_list") + query if user.has_perm(Perm.VIEW_CALL) else "",
        "activities_url": reverse("scholarships:activity_list") + query
        if user.has_perm(Perm.VIEW_EXCHANGE_ACTIVITY)
        else "",
    }


def programme_hub(request, programme) -> dict | None:
    """The programme page's section: its calls and awards, scholars, stipends paid and exchange activities. None
    for a programme without technical or cultural cooperation that has neither calls nor activities."""
    user = request.user
    if not _sees_module(user):
        return None
    figures = hub.programme_figures(user=user, programme=programme)
    if not (programme.is_technical or programme.is_cultural) and not (figures.call_total or figures.activity_total):
        return None
    query = f"?programme={programme.pk}"
    return {
        "figures": figures,
        **_list_urls(user, query),
        "awards_url": reverse("scholarships:award_list") if user.has_perm(Perm.VIEW_APPLICATION) else "",
        "stipends_url": reverse("scholarships:tranche_list") if user.has_perm(Perm.VIEW_STIPEND) else "",
        "new_call_url": reverse("scholarships:call_create") if user.has_perm(Perm.ADD_CALL) else "",
        "new_activity_url": reverse("scholarships:activity_create")
        if user.has_perm(Perm.ADD_EXCHANGE_ACTIVITY)
        else "",
    }


def partner_hub(request, organisation) -> dict | None:
    """The partner page's section: scholars it hosts by status, progress reports due and overdue, stipends paid
    to its scholars and the exchange activities it hosts or takes part in."""
    user = request.user
    if not _sees_module(user):
        return None
    query = f"?host={organisation.pk}"
    return {
        "figures": hub.partner_figures(user=user, organisation_ids=[organisation.pk]),
        **_list_urls(user, query),
        "reports_url": reverse("scholarships:report_list") if user.has_perm(Perm.VIEW_PROGRESS_REPORT) else "",
    }


def portal_home(request, record=None) -> dict | None:
    """The partner portal's home: the same figures for the user's own organisations, with the portal's links and
    what waits for them (enrolments to confirm, reports due, awards to answer)."""
    user = request.user
    if not _sees_module(user):
        return None
    figures = hub.partner_figures(user=user, organisation_ids=list(user_organisation_ids(user)))
    by_status = {row.status: row.count for row in figures.scholars}
    return {
        "figures": figures,
        "enrolments_to_confirm": by_status.get(hub.S.ACCEPTED, 0),
        "awards_to_answer": by_status.get(hub.S.AWARDED, 0) if user.has_perm(Perm.RECORD_AWARD_RESPONSE) else 0,
        "scholars_url": reverse("scholarships_portal:scholar_list"),
        "activities_url": reverse("scholarships_portal:activity_list"),
    }


def dashboard_alumni(request, scope=None) -> dict | None:
    """The manager dashboard's alumni section: return and employment rates at each milestone, by call, nationality
    and gender, narrowed to the dashboard's programmes (``scope``, its ``DashboardScope``); aggregated in SQL."""
    user = request.user
    if not user.has_perm(Perm.VIEW_ALUMNI_OUTCOME):
        return None
    programmes = scope.module_arguments()["programmes"] if scope is not None else None
    return {
        "rates": alumni.alumni_rates(user=user, programmes=programmes),
        "narrowed_to": scope.narrowed_to(currency=False, period=False) if scope is not None else "",
        "outcomes_url": reverse("scholarships:outcome_list"),
    }
