"""The guards beside the scholarship moves: who may make each move, who may not, and the refusal's code and
message; the application page and the API refuse approving an award with the same code and words."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.scholarships import services
from programs.scholarships.models import ApplicationStatus, TrancheStatus
from programs.scholarships.services import ScholarshipRefusal as Code
from tests.api_errors import error_codes
from tests.programs.scholarships.factories import (
    CallFactory,
    awarded,
    enrolled,
    host_user,
    shortlisted,
    staff,
    submit,
    today,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
OWN = "You proposed this award, so another manager must approve it."
QUOTA = "The only award of this call is taken: no further award can be made."


def guard(application, user, move):
    return services.application_move_refusal(application, user, move)


def proposed(call=None, proposer=None):
    application = shortlisted(submit(call or CallFactory()))
    services.application_propose_award(application=application, proposed_by=proposer or staff(), reason="Ranked.")
    application.refresh_from_db()
    return application


# --- which moves each status offers, to whom ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("move", "role"),
    [
        ("mark_eligible", Role.OFFICER),
        ("mark_ineligible", Role.OFFICER),
        ("withdraw", Role.OFFICER),
        ("terminate", Role.MANAGER),
        ("attachment_add", Role.OFFICER),
    ],
)
def test_staff_with_the_permission_may_move_a_submitted_application(move, role):
    assert guard(submit(CallFactory()), staff(role), move) is None


@pytest.mark.parametrize("move", ["mark_eligible", "mark_ineligible", "withdraw", "terminate", "propose_award"])
def test_auditors_are_not_even_offered_the_moves(move):
    refusal = guard(submit(CallFactory()), staff(Role.AUDITOR), move)
    assert (refusal.code, refusal.offered) == (Refused.NOT_PERMITTED, False)


@pytest.mark.parametrize(
    ("move", "message"),
    [
        ("shortlist", "Only an eligible application can be shortlisted; this one is Submitted."),
        ("propose_award", "An award can be proposed only for a shortlisted application; this one is Submitted."),
        ("complete", "Only an enrolled scholar can complete; this application is Submitted."),
        ("accept_award", "Only an awarded scholar can accept or decline the award; this application is Submitted."),
    ],
)
def test_a_move_the_status_does_not_allow_is_not_offered_and_says_why(move, message):
    refusal = guard(submit(CallFactory()), staff(Role.MANAGER), move)
    assert (refusal.code, refusal.offered, refusal.message) == (Refused.WRONG_STATUS, False, message)


def test_the_service_refuses_with_the_guards_code():
    application = submit(CallFactory())
    with pytest.raises(ValidationError) as refused:
        services.application_shortlist(application=application, decided_by=staff())
    assert refusal_codes(refused.value) == {Refused.WRONG_STATUS}


def test_withdrawing_a_final_application_is_refused():
    application = submit(CallFactory())
    services.application_mark_ineligible(application=application, decided_by=staff(), reason="Too late.")
    refusal = guard(application, staff(), "withdraw")
    assert refusal.code == Refused.WRONG_STATUS
    assert refusal.message == "This application is Ineligible: it can no longer be withdrawn."


def test_a_reason_is_required_to_mark_ineligible():
    with pytest.raises(ValidationError) as refused:
        services.application_mark_ineligible(application=submit(CallFactory()), decided_by=staff(), reason=" ")
    assert refusal_codes(refused.value) == {Refused.REASON_REQUIRED}


# --- awards: propose, approve, reject -------------------------------------------------------------------------


def test_an_officer_proposes_once_then_the_move_is_not_offered():
    application = shortlisted(submit(CallFactory()))
    officer = staff()
    assert guard(application, officer, "propose_award") is None
    assert guard(application, officer, "approve_award").code == Refused.NOT_PERMITTED
    services.application_propose_award(application=application, proposed_by=officer)
    application.refresh_from_db()
    refusal = guard(application, officer, "propose_award")
    assert (refusal.code, refusal.offered) == (Code.AWARD_ALREADY_PROPOSED, False)


def test_approving_and_rejecting_need_a_proposal():
    application = shortlisted(submit(CallFactory()))
    manager = staff(Role.MANAGER)
    for move in ("approve_award", "reject_award"):
        refusal = guard(application, manager, move)
        assert (refusal.code, refusal.offered) == (Code.NO_AWARD_PROPOSED, False)


def test_another_manager_may_approve_or_reject_the_proposal():
    application = proposed()
    manager = staff(Role.MANAGER)
    assert guard(application, manager, "approve_award") is None
    assert guard(application, manager, "reject_award") is None


def test_the_proposer_sees_approval_disabled_with_the_maker_checker_reason_and_may_still_reject():
    manager = staff(Role.MANAGER)
    application = proposed(proposer=manager)
    refusal = guard(application, manager, "approve_award")
    assert (refusal.code, refusal.offered, refusal.message) == (Refused.OWN_RECORD, True, OWN)
    assert guard(application, manager, "reject_award") is None
    with pytest.raises(ValidationError) as refused:
        services.application_approve_award(application=application, approved_by=manager)
    assert refusal_codes(refused.value) == {Refused.OWN_RECORD}


def test_officers_may_not_approve_awards():
    application = proposed()
    assert guard(application, staff(), "approve_award").code == Refused.NOT_PERMITTED
    with pytest.raises(PermissionDenied):
        services.application_approve_award(application=application, approved_by=staff())


def test_a_full_quota_disables_proposing_and_approving_with_its_message():
    call = CallFactory(awards_available=1)
    waiting = proposed(call)
    awarded(shortlisted(submit(call)))
    refusal = guard(waiting, staff(Role.MANAGER), "approve_award")
    assert (refusal.code, refusal.offered, refusal.message) == (Code.AWARD_QUOTA_REACHED, True, QUOTA)
    other = shortlisted(submit(call))
    refusal = guard(other, staff(), "propose_award")
    assert (refusal.code, refusal.message) == (Code.AWARD_QUOTA_REACHED, QUOTA)
    with pytest.raises(ValidationError) as refused:
        services.application_approve_award(application=waiting, approved_by=staff(Role.MANAGER))
    assert refusal_codes(refused.value) == {Code.AWARD_QUOTA_REACHED}


def test_a_counted_quota_gives_the_same_answers_as_the_guard_counting_itself():
    from programs.scholarships import selectors

    call = CallFactory(awards_available=2)
    waiting = proposed(call)
    manager = staff(Role.MANAGER)
    listed = selectors.award_proposals(user=manager).get(pk=waiting.pk)
    assert listed.call_awards_held == 0
    assert services.application_move_refusal(listed, manager, "approve_award", call_awards_held=0) is None
    awarded(shortlisted(submit(call)))
    awarded(shortlisted(submit(call)))
    listed = selectors.award_proposals(user=manager).get(pk=waiting.pk)
    assert listed.call_awards_held == 2
    counted = services.application_move_refusal(listed, manager, "approve_award", call_awards_held=2)
    assert counted == guard(waiting, manager, "approve_award")
    assert counted.code == Code.AWARD_QUOTA_REACHED


# --- the scholar's answer and enrolment -----------------------------------------------------------------------


def test_the_host_or_an_officer_records_the_answer_another_organisation_may_not():
    application = awarded(shortlisted(submit(CallFactory())))
    assert guard(application, staff(), "accept_award") is None
    assert guard(application, host_user(application.call.host), "decline_award") is None
    stranger = host_user(CallFactory().host)
    assert guard(application, stranger, "accept_award").code == Refused.NOT_PERMITTED
    with pytest.raises(PermissionDenied):
        services.application_accept_award(application=application, recorded_by=stranger)


def test_only_the_host_confirms_enrolment_of_a_scholar_who_accepted():
    application = awarded(shortlisted(submit(CallFactory())))
    host = host_user(application.call.host)
    assert guard(application, host, "confirm_enrolment").code == Refused.WRONG_STATUS
    services.application_accept_award(application=application, recorded_by=staff())
    application.refresh_from_db()
    assert guard(application, host, "confirm_enrolment") is None
    assert guard(application, staff(), "confirm_enrolment").code == Refused.NOT_PERMITTED


# --- stipend tranches -----------------------------------------------------------------------------------------


@pytest.fixture
def first_tranche():
    scholar = enrolled(submit(CallFactory()))
    return scholar.tranches.order_by("number").first()


def test_staff_with_the_permission_approve_a_scheduled_tranche_an_auditor_may_not(first_tranche):
    assert services.tranche_move_refusal(first_tranche, staff(Role.MANAGER), "approve") is None
    refusal = services.tranche_move_refusal(first_tranche, staff(Role.AUDITOR), "approve")
    assert (refusal.code, refusal.offered) == (Refused.NOT_PERMITTED, False)
    assert services.tranche_move_refusal(first_tranche, staff(), "pay").code == Refused.WRONG_STATUS


def test_a_tranche_is_paid_once_approved(first_tranche):
    services.tranche_approve(tranche=first_tranche, approved_by=staff(Role.MANAGER))
    first_tranche.refresh_from_db()
    assert services.tranche_move_refusal(first_tranche, staff(), "pay") is None
    assert services.tranche_move_refusal(first_tranche, staff(Role.AUDITOR), "pay").code == Refused.NOT_PERMITTED
    refusal = services.tranche_move_refusal(first_tranche, staff(Role.MANAGER), "approve")
    assert (refusal.code, refusal.message) == (
        Refused.WRONG_STATUS,
        "Only a scheduled tranche can be approved; this one is Approved.",
    )
    services.tranche_pay(tranche=first_tranche, paid_by=staff(), paid_on=today())
    first_tranche.refresh_from_db()
    assert first_tranche.status == TrancheStatus.PAID
    assert services.tranche_move_refusal(first_tranche, staff(), "pay").code == Refused.WRONG_STATUS


def test_stipends_are_approved_only_for_an_enrolled_scholar(first_tranche):
    application = first_tranche.application
    services.application_complete(application=application, completed_by=staff(), completed_on=today())
    first_tranche.refresh_from_db()
    first_tranche.status = TrancheStatus.SCHEDULED  # as if it had been left scheduled
    refusal = services.tranche_move_refusal(first_tranche, staff(Role.MANAGER), "approve")
    assert refusal.code == Code.SCHOLAR_NOT_ENROLLED
    assert refusal.message == "Stipends are approved only for an enrolled scholar; this one is Completed."


# --- the same refusal on the page and through the API ---------------------------------------------------------


def _page_approve(client, user, application):
    client.force_login(user)
    return client.post(reverse("scholarships:application_approve_award", args=[application.pk]), follow=True)


def _api_approve(user, application):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(f"/api/v1/scholarship-applications/{application.pk}/approve-award/")


def test_the_proposer_is_refused_on_the_page_and_through_the_api(client):
    manager = staff(Role.MANAGER)
    application = proposed(proposer=manager)
    page = _page_approve(client, manager, application)
    assert OWN in page.content.decode()
    response = _api_approve(manager, application)
    assert response.status_code == 400 and error_codes(response) == {"non_field_errors": [Refused.OWN_RECORD]}
    assert response.json()["errors"][0]["detail"] == OWN
    application.refresh_from_db()
    assert application.status == S.SHORTLISTED


def test_a_full_quota_is_refused_on_the_page_and_through_the_api(client):
    call = CallFactory(awards_available=1)
    waiting = proposed(call)
    awarded(shortlisted(submit(call)))
    page = _page_approve(client, staff(Role.MANAGER), waiting)
    assert QUOTA in page.content.decode()
    response = _api_approve(staff(Role.MANAGER), waiting)
    assert response.status_code == 400 and error_codes(response) == {"non_field_errors": [Code.AWARD_QUOTA_REACHED]}
    assert response.json()["errors"][0]["detail"] == QUOTA
