"""Alumni outcomes: recorded once per scholar and milestone, by the alumnus through their private link or by the
host institution's staff in the portal; the host may correct it until a manager locks it or the editing window
(``ALUMNI_OUTCOME_EDIT_DAYS`` after it was recorded) ends. The private link records exactly once: it ends when
used (by the alumnus, or by the host recording first) and at its expiry."""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.accounts.models import key_digest
from cooperation.outbox import services as outbox
from cooperation.refusals import Refusal, Refused, enforce, raise_refusal, refuse
from cooperation.roles import Perm
from cooperation.workflow import lock_row, permission_refusal
from programs.scholarships.alumni import alumnus_email, link_days, milestone_due, new_key
from programs.scholarships.models import (
    AlumniInvitation,
    AlumniOutcome,
    Application,
    ApplicationStatus,
    EmploymentStatus,
    Milestone,
)
from programs.scholarships.services._common import date_text, member_refusal
from programs.scholarships.services.refusals import ScholarshipRefusal

logger = logging.getLogger(__name__)

# The outbox key of a renewed link's email: each renewal is a new message.
ALUMNI_LINK_RENEWED = "scholarships.alumni_link_renewed"

ANSWERS = ("returned_home", "employment_status", "sector", "employer", "works_with_partners")


def edit_window() -> datetime.timedelta:
    return datetime.timedelta(days=int(settings.ALUMNI_OUTCOME_EDIT_DAYS))


def editable_until(outcome: AlumniOutcome) -> datetime.datetime:
    return outcome.recorded_at + edit_window()


def _due_refusal(application: Application, milestone: int, today: datetime.date) -> Refusal | None:
    if application.status != ApplicationStatus.COMPLETED or application.completed_on is None:
        message = _("Outcomes are recorded for scholars who completed; this one is %s.")
        return Refusal(
            ScholarshipRefusal.SCHOLAR_NOT_COMPLETED, message % application.get_status_display(), offered=False
        )
    if milestone not in Milestone.values:
        return Refusal(ScholarshipRefusal.OUTCOME_NOT_DUE, _("Choose one, three or five years."), "milestone", False)
    due = milestone_due(application.completed_on, milestone)
    if due > today:
        message = _("This outcome can be recorded from %(date)s, %(years)s years after completion.")
        return Refusal(
            ScholarshipRefusal.OUTCOME_NOT_DUE,
            message % {"date": date_text(due), "years": milestone},
            "milestone",
            offered=False,
        )
    return None


def outcome_record_refusal(application: Application, user, milestone: int, today=None) -> Refusal | None:
    """The host institution's staff record an alumnus's outcome once the milestone has come, once."""
    refusal = permission_refusal(user, Perm.ADD_ALUMNI_OUTCOME) or member_refusal(
        user, application.call.host_id, _("Only the host institution can record this alumnus's outcome.")
    )
    refusal = refusal or _due_refusal(application, milestone, today or timezone.localdate())
    if refusal is None and AlumniOutcome.objects.filter(application=application, milestone=milestone).exists():
        return Refusal(
            Refused.DUPLICATE, _("An outcome is already recorded for this scholar at this milestone."), offered=False
        )
    return refusal


def outcome_edit_refusal(outcome: AlumniOutcome, user, now=None) -> Refusal | None:
    """The host corrects an outcome until a manager locks it or the editing window ends."""
    refusal = permission_refusal(user, Perm.ADD_ALUMNI_OUTCOME) or member_refusal(
        user, outcome.application.call.host_id, _("Only the host institution can correct this outcome.")
    )
    if refusal is None and outcome.is_locked:
        return Refusal(ScholarshipRefusal.OUTCOME_LOCKED, _("This outcome is locked: it can no longer be changed."))
    if refusal is None and (now or timezone.now()) > editable_until(outcome):
        return Refusal(
            ScholarshipRefusal.OUTCOME_LOCKED,
            _("This outcome could be corrected until %(date)s.")
            % {"date": date_text(timezone.localtime(editable_until(outcome)).date())},
        )
    return refusal


def outcome_lock_refusal(outcome: AlumniOutcome, user) -> Refusal | None:
    refusal = permission_refusal(user, Perm.LOCK_ALUMNI_OUTCOME)
    if refusal is None and outcome.is_locked:
        return Refusal(ScholarshipRefusal.OUTCOME_LOCKED, _("This outcome is already locked."), offered=False)
    return refusal


def _answers(values: dict) -> dict:
    """The answers, checked: every error at once, next to its field."""
    errors = {}
    answers = {name: values.get(name) for name in ANSWERS}
    for name in ("returned_home", "works_with_partners"):
        if answers[name] not in (True, False):
            errors[name] = _("Answer yes or no.")
    if answers["employment_status"] not in EmploymentStatus.values:
        errors["employment_status"] = _("Choose the employment status.")
    sector = answers["sector"]
    if sector is not None and not sector.is_active:
        errors["sector"] = _("This sector is no longer in use; choose another.")
    answers["employer"] = (answers["employer"] or "").strip()
    if len(answers["employer"]) > 200:
        errors["employer"] = _("Keep the employer's name to 200 characters.")
    if errors:
        raise ValidationError({name: ValidationError(message, code="invalid") for name, message in errors.items()})
    return answers


def _create(application: Application, milestone: int, answers: dict, recorded_by) -> AlumniOutcome:
    outcome = AlumniOutcome(
        application=application, milestone=milestone, recorded_by=recorded_by, recorded_at=timezone.now(), **answers
    )
    outcome._history_user = recorded_by
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError:
        raise refuse(
            Refused.DUPLICATE, _("An outcome is already recorded for this scholar at this milestone.")
        ) from None
    # The private link of that milestone ends: the outcome is in.
    AlumniInvitation.objects.filter(application=application, milestone=milestone, used_at__isnull=True).update(
        used_at=outcome.recorded_at
    )
    return outcome


@transaction.atomic
def alumni_outcome_record(*, application: Application, milestone: int, recorded_by, **values) -> AlumniOutcome:
    """The host institution records an alumnus's outcome at a milestone that has come."""
    enforce(outcome_record_refusal(application, recorded_by, milestone))
    lock_row(application)
    enforce(outcome_record_refusal(application, recorded_by, milestone))
    return _create(application, milestone, _answers(values), recorded_by)


@transaction.atomic
def alumni_outcome_update(*, outcome: AlumniOutcome, changed_by, **values) -> AlumniOutcome:
    """The host corrects the answers (the history keeps what they were)."""
    enforce(outcome_edit_refusal(outcome, changed_by))
    lock_row(outcome)
    enforce(outcome_edit_refusal(outcome, changed_by))
    answers = _answers(values)
    changed = [name for name, value in answers.items() if getattr(outcome, name) != value]
    if changed:
        for name in changed:
            setattr(outcome, name, answers[name])
        outcome._history_user = changed_by
        outcome.save(update_fields=[*changed, "updated_at"])
    return outcome


@transaction.atomic
def alumni_outcome_lock(*, outcome: AlumniOutcome, locked_by) -> AlumniOutcome:
    """A manager closes an outcome to changes (for a report, or once it was checked)."""
    enforce(outcome_lock_refusal(outcome, locked_by))
    lock_row(outcome)
    raise_refusal(outcome_lock_refusal(outcome, locked_by))
    outcome.locked_at, outcome.locked_by = timezone.now(), locked_by
    outcome._history_user = locked_by
    outcome.save(update_fields=["locked_at", "locked_by", "updated_at"])
    return outcome


# --- the alumnus's private link -----------------------------------------------------------------------------------


def invitation_for_key(key: str) -> AlumniInvitation | None:
    """The invitation a link's key belongs to, used or not; None for a key never issued."""
    if not key:
        return None
    return (
        AlumniInvitation.objects.select_related("application__call", "application__nationality")
        .filter(key_digest=key_digest(key))
        .first()
    )


def link_refusal(invitation: AlumniInvitation | None, now=None) -> Refusal | None:
    """Whether the link may still record: issued, not used, not expired."""
    if invitation is None:
        return Refusal(ScholarshipRefusal.LINK_INVALID, _("This link is not valid."))
    if invitation.used_at is not None:
        return Refusal(
            ScholarshipRefusal.LINK_USED, _("This link was already used: the outcome is recorded. Thank you.")
        )
    if (now or timezone.now()) >= invitation.expires_at:
        return Refusal(ScholarshipRefusal.LINK_EXPIRED, _("This link has expired."))
    return None


@transaction.atomic
def alumni_outcome_record_by_link(*, key: str, **values) -> AlumniOutcome:
    """The alumnus records their own outcome through the private link, exactly once: the link is locked, checked
    and ended in the same transaction as the outcome is saved."""
    invitation = invitation_for_key(key)
    raise_refusal(link_refusal(invitation))
    lock_row(invitation)
    raise_refusal(link_refusal(invitation))
    answers = _answers(values)
    outcome = _create(invitation.application, invitation.milestone, answers, None)
    invitation.refresh_from_db(fields=["used_at"])
    return outcome


def link_renew_refusal(invitation: AlumniInvitation, user) -> Refusal | None:
    """An officer sends the alumnus a new link (the first expired or was lost) while the outcome is not recorded."""
    refusal = permission_refusal(user, Perm.CHANGE_APPLICATION)
    recorded = AlumniOutcome.objects.filter(application_id=invitation.application_id, milestone=invitation.milestone)
    if refusal is None and recorded.exists():
        return Refusal(
            Refused.DUPLICATE, _("The outcome is recorded: there is nothing left to ask the alumnus."), offered=False
        )
    return refusal


@transaction.atomic
def alumni_link_renew(*, invitation: AlumniInvitation, renewed_by, now=None) -> AlumniInvitation:
    """A new private link for the milestone, valid ``ALUMNI_LINK_DAYS`` from now, emailed to the alumnus; the link
    sent before stops working, so only the newest email records."""
    enforce(link_renew_refusal(invitation, renewed_by))
    lock_row(invitation)
    raise_refusal(link_renew_refusal(invitation, renewed_by))
    now = now or timezone.now()
    key = new_key()
    invitation.key_digest = key_digest(key)
    invitation.expires_at = now + datetime.timedelta(days=link_days())
    invitation.used_at = None
    invitation.save(update_fields=["key_digest", "expires_at", "used_at"])
    email = alumnus_email(invitation, key)
    outbox.attach(email, key=f"{ALUMNI_LINK_RENEWED}:{invitation.pk}:{uuid.uuid4().hex}", about=invitation)
    outbox.enqueue([email])
    logger.info("New alumni link for invitation %s sent by user %s.", invitation.pk, renewed_by.pk)
    return invitation
