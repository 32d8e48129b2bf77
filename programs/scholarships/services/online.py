"""Applying online from a call's public page: sent, confirmed by email, then registered like any application.

1. ``online_application_send``: the applicant's form is checked like an officer's (``applications.application_check``),
   and against spam without any outside service: a field hidden from people that only robots fill in (the
   honeypot), a form sent sooner after it was opened than a person could fill it in (a signed timestamp, so it
   cannot be forged), and too many applications from one address or for one email within a while (counted in
   the cache, shared by every web server in production). Nothing is registered yet: the submission is kept
   aside with its files, and the outbox emails a confirmation link in the language the applicant used.
2. ``online_application_confirm``: opening the link registers the application through the same services as a
   paper one (``application_record``), marked as received online, exactly once; it answers with a private status
   link. The submission's personal data is erased from the waiting row as it moves into the application.
3. ``online_submissions_expire``: submissions left unconfirmed past ``ONLINE_APPLICATION_CONFIRM_HOURS`` are
   deleted with their files (the beat schedule runs it; an expired link is refused even before that).

Both links carry 256 random bits; only their SHA-256 is stored, as for API tokens. Nothing here logs an email
address or a name, and neither appears in any link or cache key.
"""

import datetime
import hashlib
import logging
import secrets
import uuid
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.accounts.models import key_digest
from cooperation.files import private_storage
from cooperation.outbox.services import compose, dedupe_key, enqueue
from cooperation.reference.models import Country
from cooperation.refusals import refuse
from programs.scholarships.models import (
    Application,
    ApplicationSource,
    Call,
    CallStatus,
    OnlineSubmission,
)
from programs.scholarships.services.applications import (
    APPLICANT_FIELDS,
    application_build,
    application_check,
    application_record,
    attach_stored,
    email_key,
)
from programs.scholarships.services.refusals import ScholarshipRefusal

logger = logging.getLogger(__name__)

CONFIRM_KIND = "scholarships.online_confirm"
STATUS_LINK_KIND = "scholarships.online_status_link"
FILL_SALT = "scholarships.online.started"
# The form's fields for the applicant's facts, and the one only robots see.
HONEYPOT_FIELD = "website"
DEFAULTS = {
    "ONLINE_APPLICATION_CONFIRM_HOURS": 48,
    "ONLINE_APPLICATION_MIN_SECONDS": 5,
    "ONLINE_APPLICATION_MAX_FORM_HOURS": 24,
    "ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR": 10,
    "ONLINE_APPLICATIONS_PER_EMAIL_PER_DAY": 3,
}


def setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


# --- the call's public page -----------------------------------------------------------------------------------


def accepts_online(call: Call, today: datetime.date | None = None) -> bool:
    """Whether ``call`` takes online applications now: published for them, and open on ``today``."""
    return call.online_applications and call.status_on(today or timezone.localdate()) == CallStatus.OPEN


def _require_open(call: Call, today: datetime.date) -> None:
    if not accepts_online(call, today):
        raise refuse(ScholarshipRefusal.CALL_NOT_OPEN, _("This call is closed: it does not accept applications."))


# --- spam, without outside services ---------------------------------------------------------------------------


def form_started(now: datetime.datetime | None = None) -> str:
    """The signed moment a form was shown, carried in the form and read back when it comes back."""
    return signing.dumps(int((now or timezone.now()).timestamp()), salt=FILL_SALT)


def _check_fill_time(started: str, now: datetime.datetime) -> None:
    try:
        shown_at = int(signing.loads(started or "", salt=FILL_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        shown_at = None
    seconds = now.timestamp() - shown_at if shown_at is not None else None
    if seconds is None or seconds > setting("ONLINE_APPLICATION_MAX_FORM_HOURS") * 3600:
        raise refuse(
            ScholarshipRefusal.FORM_EXPIRED,
            _("This form is out of date: open the call's page again and send the form from there."),
        )
    if seconds < setting("ONLINE_APPLICATION_MIN_SECONDS"):
        raise refuse(
            ScholarshipRefusal.SENT_TOO_FAST,
            _(
                "The form was sent too quickly after it was opened to have been filled in by a person: check your "
                "answers and send it again."
            ),
        )


def _spam_refused():
    return refuse(
        ScholarshipRefusal.SPAM_SUSPECTED,
        _(
            "The form was filled in in a way only automated programs do, so it was not accepted. If you are a person, "
            "open the call's page again and fill in only the visible fields."
        ),
    )


def _counter_key(kind: str, value: str) -> str:
    # Hashed: an address or an email never stands in clear in the cache.
    return f"scholarships:online:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _rate_counters(client_ip: str | None, email: str) -> list[tuple[str, int, int]]:
    """(cache key, limit, window in seconds) of each counter this submission counts against."""
    counters = [
        (_counter_key("email", email_key(email)), setting("ONLINE_APPLICATIONS_PER_EMAIL_PER_DAY"), 24 * 3600),
    ]
    if client_ip:
        counters.append((_counter_key("ip", client_ip), setting("ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR"), 3600))
    return counters


def _check_rate(counters) -> None:
    for key, limit, _window in counters:
        if (cache.get(key) or 0) >= limit:
            raise refuse(
                ScholarshipRefusal.TOO_MANY_SUBMISSIONS,
                _(
                    "Too many applications were sent from here or for this email address recently: please try again "
                    "later. If you already applied, look for the confirmation email."
                ),
            )


def _count(counters) -> None:
    for key, _limit, window in counters:
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, window)


# --- sending ---------------------------------------------------------------------------------------------------


def _answers(call: Call, answers) -> tuple[list[dict], dict]:
    """The call's questions with the applicant's yes or no (``answers``: one per question, True, False or None)."""
    answers = list(answers or ())
    kept, missing = [], False
    for position, question in enumerate(call.eligibility_questions or ()):
        answer = answers[position] if position < len(answers) else None
        if not isinstance(answer, bool):
            missing = True
        kept.append({"question": question, "answer": answer})
    errors = {"eligibility_answers": _("Answer every eligibility question with yes or no.")} if missing else {}
    return kept, errors


def _details(application: Application) -> dict:
    """What the waiting row keeps of the applicant's facts, as JSON."""
    return {
        "applicant_name": application.applicant_name,
        "email": application.email,
        "nationality": application.nationality_id,
        "gender": application.gender,
        "date_of_birth": application.date_of_birth.isoformat(),
        "current_institution": application.current_institution,
        "degree": application.degree,
        "field_of_study": application.field_of_study,
        "motivation": application.motivation,
    }


def _store(upload) -> dict:
    stored = private_storage().save(f"scholarships/applications/{uuid.uuid4().hex}.pdf", upload)
    return {"stored": stored, "name": upload.name.replace("\\", "/").rsplit("/", 1)[-1][:200], "size": upload.size}


def _link(name: str, key: str) -> str:
    return settings.SITE_URL + reverse(f"scholarships_public:{name}", args=[key])


@transaction.atomic
def online_application_send(
    *,
    call: Call,
    language: str,
    answers=(),
    attachments=(),
    honeypot: str = "",
    started: str = "",
    client_ip: str | None = None,
    now: datetime.datetime | None = None,
    **values,
) -> tuple[OnlineSubmission, str]:
    """Keep an application sent from ``call``'s public page and email its confirmation link; returns the waiting
    submission and the link's key (only its digest is stored).

    ``values`` are the applicant's facts (``APPLICANT_FIELDS``), ``answers`` a yes or no for each of the call's
    eligibility questions, ``attachments`` PDF files. Refused, with nothing kept nor sent: a call not open to
    online applications, the honeypot filled in, a form sent too fast or out of date, too many submissions
    lately from ``client_ip`` or for the email, and whatever a paper application is refused for.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    _require_open(call, today)
    if (honeypot or "").strip():
        raise _spam_refused()
    _check_fill_time(started, now)
    if set(values) - set(APPLICANT_FIELDS):
        raise TypeError(f"Unknown fields: {sorted(set(values) - set(APPLICANT_FIELDS))}")
    counters = _rate_counters(client_ip, values.get("email") or "")
    _check_rate(counters)
    files = list(attachments or ())
    application = application_build(call=call, submitted_on=today, **values)
    application.source = ApplicationSource.ONLINE
    kept_answers, errors = _answers(call, answers)
    application_check(application, files=files, today=today, errors=errors)
    key = secrets.token_urlsafe(32)
    submission = OnlineSubmission.objects.create(
        call=call,
        language=language,
        details=_details(application),
        eligibility_answers=kept_answers,
        files=[_store(upload) for upload in files],
        confirm_digest=key_digest(key),
        created_at=now,
        expires_at=now + datetime.timedelta(hours=setting("ONLINE_APPLICATION_CONFIRM_HOURS")),
    )
    enqueue(
        [
            compose(
                kind=CONFIRM_KIND,
                key=dedupe_key(CONFIRM_KIND, submission.pk),
                to=application.email,
                template="scholarships/email/online_confirm",
                context={
                    "call": call,
                    "name": application.applicant_name,
                    "link": _link("confirm", key),
                    "expires_at": submission.expires_at,
                },
                language=language,
                about=submission,
                sensitive=True,  # the link registers the application: shown to nobody, erased once sent
            )
        ]
    )
    _count(counters)
    logger.info("Online application %s waiting for confirmation (call %s).", submission.pk, call.pk)
    return submission, key


# --- confirming -----------------------------------------------------------------------------------------------


def _waiting(key: str) -> OnlineSubmission:
    submission = (
        OnlineSubmission.objects.select_for_update().filter(confirm_digest=key_digest(key or "")).first()
        if key
        else None
    )
    if submission is None:
        raise refuse(
            ScholarshipRefusal.LINK_UNKNOWN,
            _(
                "This confirmation link is not valid, or the application it confirmed expired and was deleted: "
                "apply again from the call's page."
            ),
        )
    return submission


@transaction.atomic
def online_application_confirm(*, key: str, now: datetime.datetime | None = None) -> tuple[Application, str]:
    """Register the application a confirmation link stands for, once; returns it and its private status link's
    key (only its digest is kept). The call's dates are those of the day it was sent: an application sent before
    the deadline and confirmed after it is in time."""
    now = now or timezone.now()
    submission = _waiting(key)
    if submission.is_confirmed:
        raise refuse(
            ScholarshipRefusal.ALREADY_CONFIRMED,
            _("This application is already registered. Its status link was emailed to you when it was confirmed."),
        )
    if submission.expires_at <= now:
        raise refuse(
            ScholarshipRefusal.LINK_EXPIRED,
            _(
                "This confirmation link has expired, so the application was not registered: apply again from the "
                "call's page."
            ),
        )
    details = dict(submission.details)
    sent_on = timezone.localdate(submission.created_at)
    details["date_of_birth"] = datetime.date.fromisoformat(details["date_of_birth"])
    details["nationality"] = Country.objects.filter(pk=details["nationality"]).first()
    application = application_build(call=submission.call, submitted_on=sent_on, **details)
    application.source = ApplicationSource.ONLINE
    application.eligibility_answers = submission.eligibility_answers
    application_check(application, today=sent_on)
    application_record(application, recorded_by=None)
    for file in submission.files:
        attach_stored(application, stored_name=file["stored"], original_name=file["name"], size=file["size"])
    status_key = secrets.token_urlsafe(32)
    submission.application = application
    submission.status_digest = key_digest(status_key)
    submission.confirmed_at = now
    submission.details, submission.files, submission.eligibility_answers = {}, [], []
    submission.save(
        update_fields=["application", "status_digest", "confirmed_at", "details", "files", "eligibility_answers"]
    )
    enqueue(
        [
            compose(
                kind=STATUS_LINK_KIND,
                key=dedupe_key(STATUS_LINK_KIND, submission.pk),
                to=application.email,
                template="scholarships/email/online_status_link",
                context={
                    "call": submission.call,
                    "name": application.applicant_name,
                    "link": _link("status", status_key),
                },
                language=submission.language,
                about=submission,
                sensitive=True,
            )
        ]
    )
    logger.info("Online application %s confirmed as application %s.", submission.pk, application.pk)
    return application, status_key


def confirmation_still_wanted(message) -> bool:
    """A confirmation link is sent only while its submission waits, unexpired."""
    return OnlineSubmission.objects.filter(
        pk=message.object_id, confirmed_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


# --- expiring -------------------------------------------------------------------------------------------------


def _delete_files(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        storage.delete(name)


@transaction.atomic
def online_submissions_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the submissions never confirmed whose link has expired, and their files once that is committed;
    returns how many. Safe to run twice or late."""
    now = now or timezone.now()
    expired = list(OnlineSubmission.objects.select_for_update().filter(confirmed_at__isnull=True, expires_at__lte=now))
    names = [file["stored"] for submission in expired for file in submission.files]
    OnlineSubmission.objects.filter(pk__in=[submission.pk for submission in expired]).delete()
    if names:
        transaction.on_commit(partial(_delete_files, names))
    return len(expired)
