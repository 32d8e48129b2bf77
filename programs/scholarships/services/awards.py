"""Awards: an officer proposes, a manager who did not propose approves (within the call's number of
awards), the scholar accepts or declines, the host institution confirms enrolment.

The quota is checked under a row lock on the call, taken before the application's: two managers approving
the last place at the same moment queue on the call, and the second one finds it taken.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.refusals import enforce, refuse
from cooperation.risk import acknowledge
from cooperation.workflow import lock_for, require_reason, save_by
from programs.scholarships.models import Application, ApplicationStatus, Call
from programs.scholarships.services._common import check_not_future, date_text
from programs.scholarships.services.applications import (
    _move,
    _require_reason_if_passing_over,
    passed_over,
    require_completed_review,
)
from programs.scholarships.services.guards import (
    APPLICATION_MOVES,
    application_move_refusal,
    quota_message,
)
from programs.scholarships.services.refusals import ScholarshipRefusal

__all__ = ["quota_message"]  # where pages read the quota's message from

S = ApplicationStatus


@transaction.atomic
def application_propose_award(
    *, application: Application, proposed_by, reason: str = "", risk_acknowledged: bool = False
) -> Application:
    """Propose a reviewed, shortlisted application for an award; a manager approves or rejects the proposal.

    Passing over a better-ranked shortlisted application that has no award and no proposal needs a reason. When
    the call's host institution has risk flags, the officer acknowledges them and the history says which.
    """
    enforce(application_move_refusal(application, proposed_by, "propose_award"))
    lock_for(application, APPLICATION_MOVES, "propose_award")
    enforce(application_move_refusal(application, proposed_by, "propose_award"))  # as it stands under the lock
    require_completed_review(application)
    better = [row for row in passed_over(application, statuses=[S.SHORTLISTED]) if row.award_proposed_by_id is None]
    reason = _require_reason_if_passing_over(
        better,
        reason,
        gettext_lazy(
            "Better-ranked shortlisted applications have no award or proposal (%(names)s): "
            "say why this one is proposed first."
        ),
    )
    acknowledge(application.call.host, risk_acknowledged, record=application)
    application.award_proposed_by = proposed_by
    application.award_proposed_at = timezone.now()
    application.award_proposal_note = reason
    return save_by(application, proposed_by, ["award_proposed_by", "award_proposed_at", "award_proposal_note"])


def _lock_call_then(application: Application, move: str) -> Call:
    call = Call.objects.select_for_update().get(pk=application.call_id)
    lock_for(application, APPLICATION_MOVES, move)
    return call


@transaction.atomic
def application_approve_award(*, application: Application, approved_by) -> Application:
    """A manager approves a proposed award (maker–checker: not the one who proposed it), within the quota."""
    enforce(application_move_refusal(application, approved_by, "approve_award"))
    _lock_call_then(application, "decide_award")
    # Again under the locks: two managers approving the last place at once queue on the call.
    enforce(application_move_refusal(application, approved_by, "approve_award"))
    application.awarded_by = approved_by
    application.awarded_at = timezone.now()
    return _move(application, approved_by, S.AWARDED, ["awarded_by", "awarded_at"])


@transaction.atomic
def application_reject_award(*, application: Application, rejected_by, reason: str) -> Application:
    """A manager turns down a proposed award; the application stays shortlisted and may be proposed again."""
    enforce(application_move_refusal(application, rejected_by, "reject_award"))
    reason = require_reason(reason)
    lock_for(application, APPLICATION_MOVES, "decide_award")
    enforce(application_move_refusal(application, rejected_by, "reject_award"))
    application.award_proposed_by = None
    application.award_proposed_at = None
    application.award_proposal_note = ""
    application.status_note = reason
    return save_by(
        application,
        rejected_by,
        ["award_proposed_by", "award_proposed_at", "award_proposal_note", "status_note"],
    )


def _respond(application: Application, user, move: str, status: str, note: str) -> Application:
    enforce(application_move_refusal(application, user, move))
    lock_for(application, APPLICATION_MOVES, "respond")
    return _move(application, user, status, note=note)


@transaction.atomic
def application_accept_award(*, application: Application, recorded_by) -> Application:
    """The scholar accepted the award (recorded by an officer or the host institution)."""
    return _respond(application, recorded_by, "accept_award", S.ACCEPTED, "")


@transaction.atomic
def application_decline_award(*, application: Application, recorded_by, reason: str = "") -> Application:
    """The scholar declined the award: the place goes back to the call."""
    return _respond(application, recorded_by, "decline_award", S.DECLINED, (reason or "").strip())


@transaction.atomic
def application_confirm_enrolment(*, application: Application, confirmed_by, enrolled_on: datetime.date):
    """The host institution confirms the scholar enrolled; the stipend tranches are scheduled from that date."""
    from programs.scholarships.services.stipends import schedule_tranches

    enforce(application_move_refusal(application, confirmed_by, "confirm_enrolment"))
    lock_for(application, APPLICATION_MOVES, "enrol")
    check_not_future(enrolled_on, "enrolled_on")
    awarded_on = timezone.localdate(application.awarded_at)
    if enrolled_on < awarded_on:
        raise refuse(
            ScholarshipRefusal.DATE_BEFORE_PREVIOUS_STEP,
            _("The award was made on %(date)s: enrolment cannot come before.") % {"date": date_text(awarded_on)},
            "enrolled_on",
        )
    application.enrolled_on = enrolled_on
    application.enrolment_confirmed_by = confirmed_by
    _move(application, confirmed_by, S.ENROLLED, ["enrolled_on", "enrolment_confirmed_by"], note="")
    schedule_tranches(application, confirmed_by)
    return application
