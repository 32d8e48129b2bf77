"""Awards: an officer proposes, a manager who did not propose approves (within the call's number of
awards), the scholar accepts or declines, the host institution confirms enrolment.

The quota is checked under a row lock on the call, taken before the application's: two managers approving
the last place at the same moment queue on the call, and the second one finds it taken.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cooperation.access import require_perm
from cooperation.roles import Perm
from programs.scholarships.models import HOLDS_AN_AWARD, Application, ApplicationStatus, Call
from programs.scholarships.services._common import (
    check_not_future,
    date_text,
    lock,
    refuse,
    require_member,
    require_member_or_staff,
    require_reason,
    save,
)
from programs.scholarships.services.applications import (
    APPLICATION_MOVES,
    _move,
    _require_reason_if_passing_over,
    passed_over,
    require_completed_review,
)

S = ApplicationStatus


def _awards_held(call: Call) -> int:
    return Application.objects.filter(call=call, status__in=HOLDS_AN_AWARD).count()


def quota_message(call: Call) -> str:
    return ngettext(
        "The only award of this call is taken: no further award can be made.",
        "All %(count)d awards of this call are taken: no further award can be made.",
        call.awards_available,
    ) % {"count": call.awards_available}


@transaction.atomic
def application_propose_award(*, application: Application, proposed_by, reason: str = "") -> Application:
    """Propose a reviewed, shortlisted application for an award; a manager approves or rejects the proposal.

    Passing over a better-ranked shortlisted application that has no award and no proposal needs a reason.
    """
    require_perm(proposed_by, Perm.CHANGE_APPLICATION)
    lock(application, APPLICATION_MOVES, "propose_award")
    if application.award_proposed_by_id is not None:
        raise refuse(_("An award is already proposed for this application; a manager decides on it."))
    require_completed_review(application)
    if _awards_held(application.call) >= application.call.awards_available:
        raise refuse(quota_message(application.call))
    better = [row for row in passed_over(application, statuses=[S.SHORTLISTED]) if row.award_proposed_by_id is None]
    reason = _require_reason_if_passing_over(
        better,
        reason,
        gettext_lazy(
            "Better-ranked shortlisted applications have no award or proposal (%(names)s): "
            "say why this one is proposed first."
        ),
    )
    application.award_proposed_by = proposed_by
    application.award_proposed_at = timezone.now()
    application.award_proposal_note = reason
    return save(application, proposed_by, ["award_proposed_by", "award_proposed_at", "award_proposal_note"])


def _lock_call_then(application: Application, move: str) -> Call:
    call = Call.objects.select_for_update().get(pk=application.call_id)
    lock(application, APPLICATION_MOVES, move)
    return call


@transaction.atomic
def application_approve_award(*, application: Application, approved_by) -> Application:
    """A manager approves a proposed award (maker–checker: not the one who proposed it), within the quota."""
    require_perm(approved_by, Perm.APPROVE_AWARD)
    call = _lock_call_then(application, "decide_award")
    if application.award_proposed_by_id is None:
        raise refuse(_("No award is proposed for this application yet."))
    if application.award_proposed_by_id == approved_by.pk:
        raise refuse(_("You proposed this award, so another manager must approve it."))
    if _awards_held(call) >= call.awards_available:
        raise refuse(quota_message(call))
    application.awarded_by = approved_by
    application.awarded_at = timezone.now()
    return _move(application, approved_by, S.AWARDED, ["awarded_by", "awarded_at"])


@transaction.atomic
def application_reject_award(*, application: Application, rejected_by, reason: str) -> Application:
    """A manager turns down a proposed award; the application stays shortlisted and may be proposed again."""
    require_perm(rejected_by, Perm.APPROVE_AWARD)
    reason = require_reason(reason)
    lock(application, APPLICATION_MOVES, "decide_award")
    if application.award_proposed_by_id is None:
        raise refuse(_("No award is proposed for this application."))
    application.award_proposed_by = None
    application.award_proposed_at = None
    application.award_proposal_note = ""
    application.status_note = reason
    return save(
        application,
        rejected_by,
        ["award_proposed_by", "award_proposed_at", "award_proposal_note", "status_note"],
    )


def _respond(application: Application, user, status: str, note: str) -> Application:
    require_perm(user, Perm.RECORD_AWARD_RESPONSE)
    require_member_or_staff(
        user, application.call.host_id, _("Only the host institution or an officer can record the scholar's answer.")
    )
    lock(application, APPLICATION_MOVES, "respond")
    return _move(application, user, status, note=note)


@transaction.atomic
def application_accept_award(*, application: Application, recorded_by) -> Application:
    """The scholar accepted the award (recorded by an officer or the host institution)."""
    return _respond(application, recorded_by, S.ACCEPTED, "")


@transaction.atomic
def application_decline_award(*, application: Application, recorded_by, reason: str = "") -> Application:
    """The scholar declined the award: the place goes back to the call."""
    return _respond(application, recorded_by, S.DECLINED, (reason or "").strip())


@transaction.atomic
def application_confirm_enrolment(*, application: Application, confirmed_by, enrolled_on: datetime.date):
    """The host institution confirms the scholar enrolled; the stipend tranches are scheduled from that date."""
    from programs.scholarships.services.stipends import schedule_tranches

    require_perm(confirmed_by, Perm.CONFIRM_ENROLMENT)
    require_member(
        confirmed_by, application.call.host_id, _("Only the host institution can confirm this scholar's enrolment.")
    )
    lock(application, APPLICATION_MOVES, "enrol")
    check_not_future(enrolled_on, "enrolled_on")
    awarded_on = timezone.localdate(application.awarded_at)
    if enrolled_on < awarded_on:
        raise refuse(
            _("The award was made on %(date)s: enrolment cannot come before.") % {"date": date_text(awarded_on)},
            "enrolled_on",
        )
    application.enrolled_on = enrolled_on
    application.enrolment_confirmed_by = confirmed_by
    _move(application, confirmed_by, S.ENROLLED, ["enrolled_on", "enrolment_confirmed_by"], note="")
    schedule_tranches(application, confirmed_by)
    return application
