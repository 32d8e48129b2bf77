"""Awards follow the ranking, need a manager who did not propose them, and never exceed the call's number
of awards — not even when two managers approve the last place at the same moment."""

import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.scholarships import services
from programs.scholarships.models import HOLDS_AN_AWARD, Application, ApplicationStatus
from programs.scholarships.services import ScholarshipRefusal as Code
from programs.scholarships.services import guards as award_guards
from tests.concurrency import run_together
from tests.programs.scholarships.factories import CallFactory, awarded, eligible, shortlisted, staff, submit

pytestmark = pytest.mark.django_db
D = Decimal
S = ApplicationStatus


def propose(application, officer=None, reason="In ranking order."):
    return services.application_propose_award(application=application, proposed_by=officer or staff(), reason=reason)


def test_a_manager_who_did_not_propose_approves():
    application = shortlisted(submit(CallFactory()))
    manager = staff(Role.MANAGER)
    propose(application, officer=manager)
    with pytest.raises(ValidationError) as refused:
        services.application_approve_award(application=application, approved_by=manager)
    assert Refused.OWN_RECORD in refusal_codes(refused.value)
    services.application_approve_award(application=application, approved_by=staff(Role.MANAGER))
    application.refresh_from_db()
    assert application.status == S.AWARDED and application.awarded_by != manager


def test_officers_cannot_approve_awards():
    application = shortlisted(submit(CallFactory()))
    propose(application)
    with pytest.raises(PermissionDenied):
        services.application_approve_award(application=application, approved_by=staff())


def test_approval_needs_a_proposal():
    application = shortlisted(submit(CallFactory()))
    with pytest.raises(ValidationError) as refused:
        services.application_approve_award(application=application, approved_by=staff(Role.MANAGER))
    assert Code.NO_AWARD_PROPOSED in refusal_codes(refused.value)


def test_a_rejected_proposal_leaves_the_application_shortlisted_with_the_reason():
    application = shortlisted(submit(CallFactory()))
    propose(application)
    services.application_reject_award(application=application, rejected_by=staff(Role.MANAGER), reason="Budget.")
    application.refresh_from_db()
    assert (application.status, application.award_proposed_by, application.status_note) == (
        S.SHORTLISTED,
        None,
        "Budget.",
    )


def test_no_proposal_without_a_completed_review():
    application = submit(CallFactory())
    services.application_mark_eligible(application=application, decided_by=staff())
    with pytest.raises(ValidationError) as refused:
        services.application_shortlist(application=application, decided_by=staff())
    assert Code.NOT_REVIEWED in refusal_codes(refused.value)


def test_the_quota_is_never_exceeded_one_after_the_other():
    call = CallFactory(awards_available=2)
    first, second, third = (shortlisted(submit(call), D(9 - n), D(9 - n)) for n in range(3))
    awarded(first)
    propose(second)
    propose(third, reason="Gender balance.")
    services.application_approve_award(application=second, approved_by=staff(Role.MANAGER))
    with pytest.raises(ValidationError) as refused:
        services.application_approve_award(application=third, approved_by=staff(Role.MANAGER))
    assert refused.value.messages == ["All 2 awards of this call are taken: no further award can be made."]
    assert Application.objects.filter(call=call, status__in=HOLDS_AN_AWARD).count() == 2


def test_a_declined_award_gives_the_place_back():
    call = CallFactory(awards_available=1)
    first, second = shortlisted(submit(call), D(9), D(9)), shortlisted(submit(call), D(8), D(8))
    awarded(first)
    with pytest.raises(ValidationError) as refused:
        propose(second)
    assert Code.AWARD_QUOTA_REACHED in refusal_codes(refused.value)
    services.application_decline_award(application=first, recorded_by=staff())
    awarded(second)
    assert Application.objects.get(pk=second.pk).status == S.AWARDED


def test_passing_over_a_better_ranked_shortlisted_application_needs_a_reason():
    call = CallFactory(awards_available=3)
    best = shortlisted(submit(call, applicant_name="Best"), D(9), D(9))
    lower = shortlisted(submit(call, applicant_name="Lower"), D(6), D(6))
    with pytest.raises(ValidationError) as refused:
        propose(lower, reason="")
    assert refused.value.message_dict["reason"][0].startswith("Better-ranked shortlisted applications")
    assert "Best (9.00)" in refused.value.message_dict["reason"][0]
    propose(lower, reason="Only candidate from Papua.")
    assert Application.objects.get(pk=lower.pk).award_proposal_note == "Only candidate from Papua."
    propose(best, reason="")  # in ranking order: no reason needed


def test_shortlisting_out_of_ranking_order_needs_a_reason():
    call = CallFactory()
    eligible(submit(call), D(9), D(9))
    lower = eligible(submit(call), D(5), D(5))
    with pytest.raises(ValidationError) as refused:
        services.application_shortlist(application=lower, decided_by=staff())
    assert "reason" in refused.value.message_dict
    services.application_shortlist(application=lower, decided_by=staff(), reason="Rare field.")
    assert Application.objects.get(pk=lower.pk).status == S.SHORTLISTED


# --- two managers at once -----------------------------------------------------------------------------------------

PAUSE = 0.3


@pytest.fixture
def slow_quota(monkeypatch):
    """Pause after counting the awards held, before the award is written: a lost update would happen here."""
    original = award_guards.awards_held

    def counted_then_paused(call):
        held = original(call)
        time.sleep(PAUSE)
        return held

    monkeypatch.setattr(award_guards, "awards_held", counted_then_paused)


def test_two_managers_approving_the_last_place_at_once_award_it_once(reference_data_db, slow_quota):
    call = CallFactory(awards_available=1)
    candidates = []
    for n in range(3):
        application = shortlisted(submit(call), D(9 - n), D(9 - n))
        propose(application, reason="Strong candidate.")
        candidates.append(application.pk)
    managers = [staff(Role.MANAGER) for _ in candidates]

    def approve(pk, manager):
        return lambda: services.application_approve_award(
            application=Application.objects.get(pk=pk), approved_by=manager
        )

    results = run_together(*(approve(pk, manager) for pk, manager in zip(candidates, managers, strict=True)))
    approved = [r for r in results if isinstance(r, Application)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(approved), len(refused)) == (1, 2), results
    assert all("The only award of this call is taken" in str(r) for r in refused)
    assert Application.objects.filter(call=call, status__in=HOLDS_AN_AWARD).count() == 1
