"""An application moves submitted → eligible | ineligible → shortlisted → awarded → accepted | declined →
enrolled → completed, or is withdrawn or terminated before a final status; every other move is refused
with a message naming the current status, and nothing changes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.scholarships import services
from programs.scholarships.models import ApplicationStatus, StipendTranche, TrancheStatus
from programs.scholarships.services.applications import APPLICATION_MOVES
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    CallFactory,
    accepted,
    awarded,
    days_ago,
    eligible,
    enrolled,
    host_user,
    shortlisted,
    staff,
    submit,
    today,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def attempt(move: str, application):
    officer, manager = staff(), staff(Role.MANAGER)
    host = host_user(application.call.host)
    calls = {
        "mark_eligible": lambda: services.application_mark_eligible(application=application, decided_by=officer),
        "mark_ineligible": lambda: services.application_mark_ineligible(
            application=application, decided_by=officer, reason="Degree not recognised."
        ),
        "shortlist": lambda: services.application_shortlist(application=application, decided_by=officer),
        "propose_award": lambda: services.application_propose_award(application=application, proposed_by=officer),
        "decide_award": lambda: services.application_approve_award(application=application, approved_by=manager),
        "respond": lambda: services.application_accept_award(application=application, recorded_by=officer),
        "enrol": lambda: services.application_confirm_enrolment(
            application=application, confirmed_by=host, enrolled_on=today()
        ),
        "complete": lambda: services.application_complete(
            application=application, completed_by=officer, completed_on=today()
        ),
        "withdraw": lambda: services.application_withdraw(
            application=application, withdrawn_by=officer, reason="Took another offer."
        ),
        "terminate": lambda: services.application_terminate(
            application=application, terminated_by=officer, reason="Misconduct."
        ),
    }
    return calls[move]()


ILLEGAL = [
    (move, status)
    for move, (allowed, _message) in APPLICATION_MOVES.items()
    if move != "attach"
    for status in S
    if status not in allowed
]


@pytest.mark.parametrize(("move", "status"), ILLEGAL)
def test_every_move_out_of_order_is_refused_naming_the_current_status(move, status):
    application = ApplicationFactory(status=status)
    with pytest.raises(ValidationError) as refused:
        attempt(move, application)
    assert f"is {status.label}" in " ".join(refused.value.messages)
    application.refresh_from_db()
    assert application.status == status


def test_the_whole_road_from_submission_to_completion():
    call = CallFactory()
    application = submit(call)
    assert application.status == S.SUBMITTED
    eligible(application)
    assert application.status == S.ELIGIBLE
    shortlisted_application = services.application_shortlist(application=application, decided_by=staff())
    assert shortlisted_application.status == S.SHORTLISTED
    awarded(application)
    assert application.status == S.AWARDED and application.awarded_at is not None
    accepted(application)
    assert application.status == S.ACCEPTED
    enrolled(application, on=days_ago(40))
    assert application.status == S.ENROLLED and application.enrolled_on == days_ago(40)
    services.application_complete(application=application, completed_by=staff(), completed_on=today())
    application.refresh_from_db()
    assert application.status == S.COMPLETED
    assert [h.status for h in application.history.order_by("history_date")][-1] == S.COMPLETED


def test_ineligible_needs_a_reason_and_keeps_it():
    application = ApplicationFactory()
    with pytest.raises(ValidationError) as refused:
        services.application_mark_ineligible(application=application, decided_by=staff(), reason="  ")
    assert refused.value.message_dict == {"reason": ["Give a reason."]}
    services.application_mark_ineligible(application=application, decided_by=staff(), reason="No degree yet.")
    application.refresh_from_db()
    assert (application.status, application.status_note) == (S.INELIGIBLE, "No degree yet.")


def test_declining_an_award_is_recorded_with_its_reason():
    application = awarded(shortlisted(submit(CallFactory())))
    services.application_decline_award(application=application, recorded_by=staff(), reason="Family reasons.")
    application.refresh_from_db()
    assert (application.status, application.status_note) == (S.DECLINED, "Family reasons.")


@pytest.mark.parametrize("status", [S.SUBMITTED, S.ELIGIBLE, S.SHORTLISTED, S.AWARDED, S.ACCEPTED, S.ENROLLED])
@pytest.mark.parametrize("move", ["withdraw", "terminate"])
def test_withdraw_or_terminate_from_any_status_that_is_not_final(status, move):
    application = ApplicationFactory(status=status)
    attempt(move, application)
    application.refresh_from_db()
    assert application.status == (S.WITHDRAWN if move == "withdraw" else S.TERMINATED)
    assert application.status_note in ("Took another offer.", "Misconduct.")


def test_withdraw_and_terminate_need_a_reason():
    application = ApplicationFactory()
    with pytest.raises(ValidationError) as refused:
        services.application_withdraw(application=application, withdrawn_by=staff(), reason="")
    assert Refused.REASON_REQUIRED in refusal_codes(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.application_terminate(application=application, terminated_by=staff(), reason="")
    assert Refused.REASON_REQUIRED in refusal_codes(refused.value)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_terminating_an_enrolled_scholar_cancels_the_stipends_not_yet_approved():
    application = enrolled(submit(CallFactory()), on=days_ago(70))
    first = application.tranches.get(number=1)
    services.tranche_approve(tranche=first, approved_by=staff())
    services.application_terminate(application=application, terminated_by=staff(), reason="Left the course.")
    statuses = dict(StipendTranche.objects.filter(application=application).values_list("number", "status"))
    assert statuses[1] == TrancheStatus.APPROVED
    assert {statuses[n] for n in range(2, 13)} == {TrancheStatus.CANCELLED}


def test_completion_cannot_come_before_enrolment():
    application = enrolled(submit(CallFactory()), on=days_ago(5))
    with pytest.raises(ValidationError) as refused:
        services.application_complete(application=application, completed_by=staff(), completed_on=days_ago(6))
    assert "completed_on" in refused.value.message_dict


def test_only_the_host_institution_confirms_enrolment(other_partner_user):
    application = accepted(submit(CallFactory()))
    with pytest.raises(PermissionDenied):
        services.application_confirm_enrolment(
            application=application, confirmed_by=other_partner_user, enrolled_on=today()
        )
    with pytest.raises(PermissionDenied):  # officers record the answer, but enrolment is the host's word
        services.application_confirm_enrolment(application=application, confirmed_by=staff(), enrolled_on=today())
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_the_host_records_the_scholars_answer_but_another_partner_cannot(other_partner_user):
    application = awarded(shortlisted(submit(CallFactory())))
    with pytest.raises(PermissionDenied):
        services.application_accept_award(application=application, recorded_by=other_partner_user)
    services.application_accept_award(application=application, recorded_by=host_user(application.call.host))
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_enrolment_date_may_not_be_in_the_future():
    application = accepted(submit(CallFactory()))
    with pytest.raises(ValidationError) as refused:
        services.application_confirm_enrolment(
            application=application,
            confirmed_by=host_user(application.call.host),
            enrolled_on=today() + datetime.timedelta(days=3),
        )
    assert refused.value.message_dict == {"enrolled_on": ["This date is in the future."]}
