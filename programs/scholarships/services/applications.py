"""Applications: recording them, their attachments, and every move of their lifecycle.

The moves an application may make from each status are declared once, in ``guards.APPLICATION_MOVES``; each
move is one service that asks its guard (``guards.application_move_refusal``) first, then reloads the
application under a row lock and refuses any other move with a message naming the current status.
django-simple-history keeps every change with the user who made it.

Shortlisting and awarding follow the ranking (``selectors.ranking``): an application needs at least one
completed review to be shortlisted or proposed, and passing over a better-ranked one needs a reason —
shortlisting while a better-ranked *eligible* application is not shortlisted, or proposing an award while a
better-ranked *shortlisted* application has neither an award nor a proposal. The reason is kept with the move.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import require_perm
from cooperation.refusals import Refusal, Refused, enforce, refuse
from cooperation.roles import Perm
from cooperation.workflow import create_unique, lock_for, require_reason, save_by
from programs.scholarships.models import (
    Application,
    ApplicationStatus,
    Attachment,
    Call,
    Review,
    StipendTranche,
    TrancheStatus,
)
from programs.scholarships.services._common import (
    check_not_future,
    date_text,
    errors_or_clean,
    refuse_each,
)
from programs.scholarships.services.guards import APPLICATION_MOVES, application_move_refusal
from programs.scholarships.services.refusals import ScholarshipRefusal
from programs.scholarships.validators import MAX_ATTACHMENTS, validate_pdf

S = ApplicationStatus
APPLICANT_FIELDS = (
    "applicant_name",
    "email",
    "nationality",
    "gender",
    "date_of_birth",
    "current_institution",
    "degree",
    "field_of_study",
    "motivation",
)


def email_key(email: str) -> str:
    return (email or "").strip().lower()


def _move(application: Application, user, status: str, fields=(), note: str | None = None) -> Application:
    application.status = status
    if note is not None:
        application.status_note = note
        fields = [*fields, "status_note"]
    return save_by(application, user, ["status", *fields])


# --- submission ---------------------------------------------------------------------------------------------------


def _submission_errors(call: Call, application: Application, today: datetime.date) -> dict:
    errors: dict = {}
    if today < call.opens_on:
        errors["call"] = _("This call opens on %(date)s: applications are not accepted yet.") % {
            "date": date_text(call.opens_on)
        }
    elif today > call.closes_on:
        errors["call"] = _("This call closed on %(date)s: applications are no longer accepted.") % {
            "date": date_text(call.closes_on)
        }
    if application.nationality_id and not call.eligible_countries.filter(pk=application.nationality_id).exists():
        errors["nationality"] = _("Nationals of %(country)s are not eligible for this call.") % {
            "country": application.nationality
        }
    if application.email_key and Application.objects.filter(call=call, email_key=application.email_key).exists():
        errors["email"] = _("Someone with this email has already applied to this call.")
    if call.fields_of_study and application.field_of_study:
        offered = {field.lower() for field in call.fields_of_study}
        if application.field_of_study.lower() not in offered:
            errors["field_of_study"] = _("Choose one of the call's fields of study: %(fields)s.") % {
                "fields": ", ".join(call.fields_of_study)
            }
    if application.date_of_birth and application.date_of_birth >= today:
        errors["date_of_birth"] = _("The date of birth must be in the past.")
    return errors


def _too_many_files() -> str:
    return _("An application carries at most %(count)d files.") % {"count": MAX_ATTACHMENTS}


def _attachment_errors(files, *, already: int = 0) -> list[str]:
    """What is wrong with ``files`` added to an application that has ``already`` files: too many, or a file that
    is not an acceptable PDF (``validators.validate_pdf``)."""
    if already + len(files) > MAX_ATTACHMENTS:
        return [_too_many_files()]
    problems = []
    for upload in files:
        try:
            validate_pdf(upload)
        except ValidationError as error:
            problems.extend(error.messages)
    return problems


@transaction.atomic
def application_submit(
    *,
    call: Call,
    submitted_by,
    applicant_name,
    email,
    nationality,
    gender,
    date_of_birth,
    current_institution,
    degree,
    field_of_study,
    motivation,
    attachments=(),
    today: datetime.date | None = None,
) -> Application:
    """Record an application received on paper for ``call`` (an officer keys it in).

    Refused, with the reason next to the field: before the call opens or after it closes, for a nationality
    the call does not accept, a second application with the same email (letter case and spaces do not
    matter; the database refuses it too), more than ``MAX_ATTACHMENTS`` files, and files that are not PDF
    documents that only show pages, or are too large.
    """
    require_perm(submitted_by, Perm.ADD_APPLICATION)
    today = today or timezone.localdate()
    files = list(attachments or ())
    application = application_build(
        call=call,
        applicant_name=applicant_name,
        email=email,
        nationality=nationality,
        gender=gender,
        date_of_birth=date_of_birth,
        current_institution=current_institution,
        degree=degree,
        field_of_study=field_of_study,
        motivation=motivation,
        submitted_by=submitted_by,
        submitted_on=today,
    )
    application_check(application, files=files, today=today)
    application_record(application, recorded_by=submitted_by)
    for upload in files:
        _attach(application, upload, submitted_by)
    return application


def application_build(*, call: Call, submitted_on: datetime.date, submitted_by=None, **values) -> Application:
    """An unsaved application with the applicant's facts tidied (spaces trimmed, the email's comparison key)."""
    email = values.get("email")
    return Application(
        call=call,
        applicant_name=" ".join((values.get("applicant_name") or "").split()),
        email=(email or "").strip(),
        email_key=email_key(email),
        nationality=values.get("nationality"),
        gender=values.get("gender") or "",
        date_of_birth=values.get("date_of_birth"),
        current_institution=(values.get("current_institution") or "").strip(),
        degree=(values.get("degree") or "").strip(),
        field_of_study=" ".join((values.get("field_of_study") or "").split()),
        motivation=(values.get("motivation") or "").strip(),
        status=S.SUBMITTED,
        submitted_by=submitted_by,
        submitted_on=submitted_on,
    )


def application_check(application: Application, *, files=(), today: datetime.date, errors=None) -> None:
    """Every reason to refuse ``application`` with ``files`` as of ``today``, raised at once next to the fields
    (the call's dates and nationalities, a second application with the same email, the files)."""
    errors = {**(errors or {}), **_submission_errors(application.call, application, today)}
    problems = _attachment_errors(list(files))
    if problems:
        errors["attachments"] = problems
    errors_or_clean(application, errors, exclude=["email_key", "call"])


def application_record(application: Application, *, recorded_by) -> Application:
    """Save a checked application (``application_check``), the call locked first; a second application with the
    same email saved a moment before is refused as a duplicate. ``recorded_by`` is None when the applicant
    applied online."""
    Call.objects.select_for_update().filter(pk=application.call_id).first()
    already_applied = _("Someone with this email has already applied to this call.")
    return create_unique(application, recorded_by, Refusal(Refused.DUPLICATE, already_applied, "email"))


def attach_stored(application: Application, *, stored_name: str, original_name: str, size: int) -> Attachment:
    """Make a file already checked and kept in the private storage (an online application's) one of the
    application's attachments, without copying it."""
    attachment = Attachment(application=application, original_name=original_name[:200], size=size)
    attachment.file.name = stored_name
    attachment.save()
    return attachment


def _attach(application: Application, upload, user) -> Attachment:
    """Store one checked file. Files are written last, after every check passed and the rows are saved, so a
    refusal leaves nothing on disk; the stored name is random and reachable only through its row."""
    attachment = Attachment(
        application=application,
        original_name=upload.name.replace("\\", "/").rsplit("/", 1)[-1][:200],
        size=upload.size,
        uploaded_by=user,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_add(*, application: Application, uploaded_by, file) -> Attachment:
    """Add one PDF to an application under review, never beyond ``MAX_ATTACHMENTS`` files: the application
    row is locked first, so two uploads at once cannot both take the last place."""
    enforce(application_move_refusal(application, uploaded_by, "attachment_add"))
    lock_for(application, APPLICATION_MOVES, "attach")
    problems = _attachment_errors([file], already=application.attachments.count())
    if problems:
        raise refuse_each(ScholarshipRefusal.INVALID_FILE, problems, "file")
    return _attach(application, file, uploaded_by)


# --- eligibility and shortlist ------------------------------------------------------------------------------------


@transaction.atomic
def application_mark_eligible(*, application: Application, decided_by) -> Application:
    enforce(application_move_refusal(application, decided_by, "mark_eligible"))
    lock_for(application, APPLICATION_MOVES, "mark_eligible")
    return _move(application, decided_by, S.ELIGIBLE, note="")


@transaction.atomic
def application_mark_ineligible(*, application: Application, decided_by, reason: str) -> Application:
    enforce(application_move_refusal(application, decided_by, "mark_ineligible"))
    reason = require_reason(reason)
    lock_for(application, APPLICATION_MOVES, "mark_ineligible")
    return _move(application, decided_by, S.INELIGIBLE, note=reason)


def require_completed_review(application: Application) -> None:
    if not Review.objects.filter(application=application, completed_at__isnull=False).exists():
        raise refuse(
            ScholarshipRefusal.NOT_REVIEWED,
            _("No reviewer has scored this application yet: it cannot be ranked, so it cannot move on."),
        )


def passed_over(application: Application, *, statuses) -> list[Application]:
    """Applications of the same call in ``statuses`` ranked above ``application`` (see the module docstring)."""
    from programs.scholarships.selectors import ranking_of_call

    ranked = list(ranking_of_call(application.call_id))
    own = next((row for row in ranked if row.pk == application.pk), None)
    if own is None or own.weighted_score is None:
        return []
    return [
        row
        for row in ranked
        if row.pk != application.pk
        and row.status in statuses
        and row.weighted_score is not None
        and row.weighted_score > own.weighted_score
    ]


def _require_reason_if_passing_over(better: list[Application], reason: str, message) -> str:
    reason = (reason or "").strip()
    if better and not reason:
        names = ", ".join(
            f"{row.applicant_name} ({formats.number_format(row.weighted_score, decimal_pos=2)})" for row in better[:5]
        )
        raise refuse(ScholarshipRefusal.PASSES_OVER_BETTER_RANKED, str(message) % {"names": names}, "reason")
    return reason


@transaction.atomic
def application_shortlist(*, application: Application, decided_by, reason: str = "") -> Application:
    """Shortlist an eligible, reviewed application; passing over a better-ranked eligible one needs a reason."""
    enforce(application_move_refusal(application, decided_by, "shortlist"))
    lock_for(application, APPLICATION_MOVES, "shortlist")
    require_completed_review(application)
    better = passed_over(application, statuses=[S.ELIGIBLE])
    reason = _require_reason_if_passing_over(
        better,
        reason,
        gettext_lazy("Better-ranked applications are not shortlisted yet (%(names)s): say why this one goes first."),
    )
    return _move(application, decided_by, S.SHORTLISTED, note=reason)


# --- leaving the process ------------------------------------------------------------------------------------------


def cancel_open_tranches(application: Application, user, reason: str) -> int:
    """Stipends not yet approved stop with the scholarship; approved ones are left for an officer to pay or
    cancel, since the payment may already be on its way."""
    tranches = list(
        StipendTranche.objects.select_for_update().filter(application=application, status=TrancheStatus.SCHEDULED)
    )
    for tranche in tranches:
        tranche.status = TrancheStatus.CANCELLED
        tranche.status_note = reason
        save_by(tranche, user, ["status", "status_note"])
    return len(tranches)


def _end_early(application: Application, user, reason: str, move: str, status) -> Application:
    """Withdrawing and terminating: a reason is required, and stipends still scheduled are cancelled with it."""
    enforce(application_move_refusal(application, user, move))
    reason = require_reason(reason)
    lock_for(application, APPLICATION_MOVES, move)
    cancel_open_tranches(application, user, reason)
    return _move(application, user, status, note=reason)


@transaction.atomic
def application_withdraw(*, application: Application, withdrawn_by, reason: str) -> Application:
    """The applicant or scholar steps back, at any point before a final status."""
    return _end_early(application, withdrawn_by, reason, "withdraw", S.WITHDRAWN)


@transaction.atomic
def application_terminate(*, application: Application, terminated_by, reason: str) -> Application:
    """The agency ends the application or scholarship, at any point before a final status."""
    return _end_early(application, terminated_by, reason, "terminate", S.TERMINATED)


@transaction.atomic
def application_complete(*, application: Application, completed_by, completed_on: datetime.date) -> Application:
    """The scholar finished the programme of study; stipends still scheduled are no longer owed."""
    enforce(application_move_refusal(application, completed_by, "complete"))
    lock_for(application, APPLICATION_MOVES, "complete")
    check_not_future(completed_on, "completed_on")
    if application.enrolled_on and completed_on < application.enrolled_on:
        raise refuse(
            ScholarshipRefusal.DATE_BEFORE_PREVIOUS_STEP,
            _("The scholar enrolled on %(date)s: completion cannot come before.")
            % {"date": date_text(application.enrolled_on)},
            "completed_on",
        )
    cancel_open_tranches(application, completed_by, _("The scholarship is completed."))
    application.completed_on = completed_on
    return _move(application, completed_by, S.COMPLETED, ["completed_on"], note="")
