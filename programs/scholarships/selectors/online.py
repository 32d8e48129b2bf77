"""What the public pages read: calls published for online applications, and one application by its status link.

Nobody signs in there, so nothing depends on who asks: a call's public facts are public, and an application's
status is shown only to whoever holds its private link."""

from django.db.models import Q, QuerySet

from cooperation.accounts.models import key_digest
from programs.scholarships.models import Application, Call, OnlineSubmission


def online_submission_condition(user) -> Q:
    """Nobody reads a submission waiting for confirmation: only the services that confirm or expire it."""
    return Q(pk__in=[])


def published_calls() -> QuerySet[Call]:
    """Calls published for online applications (open or not: their page says which)."""
    return Call.objects.filter(online_applications=True).select_related("host", "stipend_currency")


def public_call(pk: int) -> Call | None:
    """The call behind a public page, or None when there is no such call or it is not published."""
    return published_calls().filter(pk=pk).first()


def online_status(key: str) -> Application | None:
    """The application a private status link stands for, or None for a link never issued."""
    if not key:
        return None
    submission = (
        OnlineSubmission.objects.select_related("application__call")
        .filter(status_digest=key_digest(key), application__isnull=False)
        .first()
    )
    return submission.application if submission else None
