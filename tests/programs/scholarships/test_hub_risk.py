"""A host institution owing scholar progress reports past their due date is flagged; proposing an award on one of
its calls shows the flag and needs it acknowledged, and the history keeps which flags were. And the host
institution records its scholar's answer to an award from the portal."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.risk import partner_risk_flags
from programs.scholarships import services
from programs.scholarships.models import Application, ApplicationStatus, ReportStatus
from programs.scholarships.references import application_reference
from programs.scholarships.risk import partner_flags
from tests.programs.scholarships.factories import (
    CallFactory,
    ProgressReportFactory,
    awarded,
    days_ago,
    enrolled,
    shortlisted,
    submit,
)

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture
def call(partner_org):
    return CallFactory(host=partner_org, awards_available=5, title="Water engineering masters")


@pytest.fixture
def late_scholar(call):
    """Enrolled 200 days ago on a 12-month scholarship: the report due at month 6 is overdue."""
    return enrolled(submit(call, applicant_name="Ana Soares"), on=days_ago(200))


def reload(application) -> Application:
    return Application.objects.get(pk=application.pk)


# --- the flag -----------------------------------------------------------------------------------------------------


def test_a_host_owing_a_report_past_its_due_date_is_flagged_with_the_reference(partner_org, late_scholar):
    [flag] = partner_flags(partner_org)
    assert flag.code == "scholarships.reports_overdue" and flag.count == 1
    assert flag.message == f"1 scholar progress report overdue: {application_reference(late_scholar.pk)}"
    assert "Ana Soares" not in flag.message
    assert flag in partner_risk_flags(partner_org)


def test_a_report_in_hand_clears_the_flag(partner_org, late_scholar):
    ProgressReportFactory(application=late_scholar, period_end=days_ago(15), status=ReportStatus.SUBMITTED)
    assert partner_flags(partner_org) == []


def test_the_grace_days_setting_postpones_the_flag(settings, partner_org, late_scholar):
    settings.SCHOLARSHIPS_REPORT_GRACE_DAYS = 60
    assert partner_flags(partner_org) == []


def test_another_partner_is_not_flagged_for_this_hosts_scholars(other_org, late_scholar):
    assert partner_flags(other_org) == []


# --- the acknowledgement on the award proposal --------------------------------------------------------------------


def _propose(client, application, **data):
    url = reverse("scholarships:application_propose_award", args=[application.pk])
    return client.post(url, {f"propose_award-{key}": value for key, value in data.items()})


def test_the_application_page_shows_the_hosts_flags_above_the_proposal(client, officer, call, late_scholar):
    application = shortlisted(submit(call))
    client.force_login(officer)
    html = client.get(reverse("scholarships:application_detail", args=[application.pk])).content.decode()
    assert 'data-code="scholarships.reports_overdue"' in html
    assert application_reference(late_scholar.pk) in html
    assert "I have seen this partner" in html


def test_proposing_for_a_flagged_host_without_acknowledging_saves_nothing(client, officer, call, late_scholar):
    application = shortlisted(submit(call))
    client.force_login(officer)
    response = _propose(client, application, reason="")
    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "has risk flags; confirm that you have seen them." in html
    assert reload(application).award_proposed_by is None


def test_proposing_with_the_acknowledgement_records_the_flags_in_the_history(client, officer, call, late_scholar):
    application = shortlisted(submit(call))
    client.force_login(officer)
    assert _propose(client, application, reason="", risk_acknowledged="on").status_code == 302
    assert reload(application).award_proposed_by == officer
    latest = Application.history.filter(id=application.pk).latest("history_date")
    assert latest.history_change_reason == "Risk acknowledged: scholarships.reports_overdue"


def test_an_unflagged_host_needs_no_acknowledgement(client, officer, call):
    application = shortlisted(submit(call))
    client.force_login(officer)
    assert _propose(client, application, reason="").status_code == 302
    assert reload(application).award_proposed_by == officer


def test_the_api_takes_the_acknowledgement_too(officer, call, late_scholar):
    application = shortlisted(submit(call))
    api = APIClient()
    api.force_authenticate(officer)
    url = f"/api/v1/scholarship-applications/{application.pk}/propose-award/"
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 400 and "risk_acknowledged" in str(refused.json())
    assert reload(application).award_proposed_by is None
    assert api.post(url, {"risk_acknowledged": True}, format="json").status_code == 200
    assert reload(application).award_proposed_by == officer


# --- the scholar's answer from the portal -------------------------------------------------------------------------


def _respond(client, scholar, **data):
    return client.post(reverse("scholarships_portal:scholar_respond", args=[scholar.pk]), data)


def test_the_host_records_that_its_scholar_accepts(client, partner_user, call):
    scholar = awarded(submit(call, applicant_name="Budi Santoso"))
    client.force_login(partner_user)
    listing = client.get(reverse("scholarships_portal:scholar_list")).content.decode()
    assert "Award to accept or decline" in listing
    page = client.get(reverse("scholarships_portal:scholar_detail", args=[scholar.pk])).content.decode()
    assert reverse("scholarships_portal:scholar_respond", args=[scholar.pk]) in page
    assert (
        "The scholar accepts"
        in client.get(reverse("scholarships_portal:scholar_respond", args=[scholar.pk])).content.decode()
    )
    assert _respond(client, scholar, answer="accept").status_code == 302
    assert reload(scholar).status == S.ACCEPTED


def test_the_host_records_that_its_scholar_declines_with_the_reason(client, partner_user, call):
    scholar = awarded(submit(call))
    client.force_login(partner_user)
    assert _respond(client, scholar, answer="decline", reason="Took another offer.").status_code == 302
    scholar = reload(scholar)
    assert scholar.status == S.DECLINED and scholar.status_note == "Took another offer."


def test_another_partner_cannot_answer_for_this_hosts_scholar(client, other_partner_user, call):
    scholar = awarded(submit(call))
    client.force_login(other_partner_user)
    assert _respond(client, scholar, answer="accept").status_code == 404
    assert reload(scholar).status == S.AWARDED
    refusal = services.application_move_refusal(scholar, other_partner_user, "accept_award")
    assert refusal is not None and not refusal.offered


def test_an_answer_already_given_cannot_be_given_again(client, partner_user, call, late_scholar):
    client.force_login(partner_user)
    response = _respond(client, late_scholar, answer="decline")
    assert response.status_code == 200
    assert "Only an awarded scholar can accept or decline the award" in response.content.decode()
    assert reload(late_scholar).status == S.ENROLLED


def test_an_answer_that_is_neither_is_refused(client, partner_user, call):
    scholar = awarded(submit(call))
    client.force_login(partner_user)
    response = _respond(client, scholar, answer="maybe")
    assert response.status_code == 200
    assert reload(scholar).status == S.AWARDED
