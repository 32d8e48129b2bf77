"""Guards: whether THIS user may make THIS move on THIS application now, and if not, why.

The moves an application may make from each status are declared once, in ``APPLICATION_MOVES``. For each move
of the application's page and API, ``application_move_refusal`` answers with ``None`` or a ``Refusal``: not
offered at all (``offered=False``: the user's role, the status, a proposal there is or is not), or shown disabled
with the reason (maker–checker, the call's award quota). The services ask it first; pages and the API ask it too.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cooperation.refusals import Refusal
from cooperation.roles import Perm
from cooperation.workflow import Move, maker_checker_refusal, move_refusal, permission_refusal
from programs.scholarships.models import HOLDS_AN_AWARD, UNDER_REVIEW, Application, ApplicationStatus, Call
from programs.scholarships.services._common import member_or_staff_refusal, member_refusal
from programs.scholarships.services.refusals import ScholarshipRefusal

S = ApplicationStatus
NOT_FINAL = {S.SUBMITTED, S.ELIGIBLE, S.SHORTLISTED, S.AWARDED, S.ACCEPTED, S.ENROLLED}
APPLICATION_MOVES = {
    "mark_eligible": Move(
        {S.SUBMITTED}, gettext_lazy("Only a submitted application can be found eligible; this one is %s.")
    ),
    "mark_ineligible": Move(
        {S.SUBMITTED}, gettext_lazy("Only a submitted application can be found ineligible; this one is %s.")
    ),
    "shortlist": Move({S.ELIGIBLE}, gettext_lazy("Only an eligible application can be shortlisted; this one is %s.")),
    "propose_award": Move(
        {S.SHORTLISTED}, gettext_lazy("An award can be proposed only for a shortlisted application; this one is %s.")
    ),
    "decide_award": Move(
        {S.SHORTLISTED},
        gettext_lazy("Only a proposed award on a shortlisted application can be decided; this one is %s."),
    ),
    "respond": Move(
        {S.AWARDED}, gettext_lazy("Only an awarded scholar can accept or decline the award; this application is %s.")
    ),
    "enrol": Move(
        {S.ACCEPTED}, gettext_lazy("Only a scholar who accepted the award can enrol; this application is %s.")
    ),
    "complete": Move({S.ENROLLED}, gettext_lazy("Only an enrolled scholar can complete; this application is %s.")),
    "withdraw": Move(NOT_FINAL, gettext_lazy("This application is %s: it can no longer be withdrawn.")),
    "terminate": Move(NOT_FINAL, gettext_lazy("This application is %s: it can no longer be terminated.")),
    "attach": Move(UNDER_REVIEW, gettext_lazy("Files can be added only while the application is reviewed; it is %s.")),
}
# Each move of the pages and the API → the permission it needs.
APPLICATION_MOVE_PERMS = {
    **dict.fromkeys(
        ("mark_eligible", "mark_ineligible", "shortlist", "propose_award", "complete", "withdraw", "terminate"),
        Perm.CHANGE_APPLICATION,
    ),
    **dict.fromkeys(("approve_award", "reject_award"), Perm.APPROVE_AWARD),
    **dict.fromkeys(("accept_award", "decline_award"), Perm.RECORD_AWARD_RESPONSE),
    "confirm_enrolment": Perm.CONFIRM_ENROLMENT,
    "attachment_add": Perm.ADD_APPLICATION,
}
# A move of the pages and the API → its line in ``APPLICATION_MOVES``, where the two names differ.
STATUS_MOVE_OF = {
    "approve_award": "decide_award",
    "reject_award": "decide_award",
    "accept_award": "respond",
    "decline_award": "respond",
    "confirm_enrolment": "enrol",
    "attachment_add": "attach",
}


QUOTA_MOVES = ("propose_award", "approve_award")


def awards_held(call: Call) -> int:
    return Application.objects.filter(call=call, status__in=HOLDS_AN_AWARD).count()


def quota_message(call: Call) -> str:
    return ngettext(
        "The only award of this call is taken: no further award can be made.",
        "All %(count)d awards of this call are taken: no further award can be made.",
        call.awards_available,
    ) % {"count": call.awards_available}


def quota_refusal(call: Call, *, held: int | None = None) -> Refusal | None:
    """Every award of the call is made (pending proposals do not count). ``held``, when given, is the call's
    awards already counted (a page asking about many proposals counts them in one query)."""
    if (awards_held(call) if held is None else held) >= call.awards_available:
        return Refusal(ScholarshipRefusal.AWARD_QUOTA_REACHED, quota_message(call))
    return None


def _organisation_refusal(application: Application, user, move: str) -> Refusal | None:
    if move in ("accept_award", "decline_award"):
        return member_or_staff_refusal(
            user,
            application.call.host_id,
            _("Only the host institution or an officer can record the scholar's answer."),
        )
    if move == "confirm_enrolment":
        return member_refusal(
            user, application.call.host_id, _("Only the host institution can confirm this scholar's enrolment.")
        )
    return None


def _proposal_refusal(application: Application, user, move: str) -> Refusal | None:
    proposed = application.award_proposed_by_id is not None
    if move == "propose_award" and proposed:
        return Refusal(
            ScholarshipRefusal.AWARD_ALREADY_PROPOSED,
            _("An award is already proposed for this application; a manager decides on it."),
            offered=False,
        )
    if move == "approve_award" and not proposed:
        return Refusal(
            ScholarshipRefusal.NO_AWARD_PROPOSED, _("No award is proposed for this application yet."), offered=False
        )
    if move == "reject_award" and not proposed:
        return Refusal(
            ScholarshipRefusal.NO_AWARD_PROPOSED, _("No award is proposed for this application."), offered=False
        )
    if move == "approve_award":
        message = _("You proposed this award, so another manager must approve it.")
        return maker_checker_refusal(application.award_proposed_by_id, user, message)
    return None


def application_move_refusal(
    application: Application, user, move: str, *, call_awards_held: int | None = None
) -> Refusal | None:
    """Why ``user`` may not make ``move`` (a key of ``APPLICATION_MOVE_PERMS``) on ``application`` now, or None.

    In order: the role's permission, the host organisation (answering for a scholar, confirming enrolment), the
    status, whether an award is proposed, maker–checker, and the call's award quota when proposing or approving
    (``call_awards_held``: the awards the call already holds, when the caller has counted them).
    """
    return (
        permission_refusal(user, APPLICATION_MOVE_PERMS[move])
        or _organisation_refusal(application, user, move)
        or move_refusal(application, APPLICATION_MOVES, STATUS_MOVE_OF.get(move, move))
        or _proposal_refusal(application, user, move)
        or (quota_refusal(application.call, held=call_awards_held) if move in QUOTA_MOVES else None)
    )
