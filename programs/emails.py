"""The programmes module's emails, written to the outbox (see cooperation.outbox) with the change that causes them:
the responsible officer told of a partner's progress update, and the managers' daily digest of updates."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cooperation.outbox.services import compose, dedupe_key, enqueue
from cooperation.reminders import managers, writable
from cooperation.roles import Perm
from programs.models import ProgrammeUpdate

# The kinds of email this module writes to the outbox (registered in apps.py).
UPDATE_POSTED = "programs.update_posted"
UPDATES_DIGEST = "programs.updates_digest"


def write_update_posted(update: ProgrammeUpdate) -> None:
    """Tell the responsible officer that a partner posted an update on their programme (in the posting's
    transaction: no update, no email)."""
    officer = writable(update.programme.responsible_officer)
    if officer is None:
        return
    enqueue(
        [
            compose(
                kind=UPDATE_POSTED,
                key=dedupe_key(UPDATE_POSTED, update.pk, officer.email),
                to=officer.email,
                template="programs/email/update_posted",
                context={"update": update, "officer": officer},
                language=settings.LANGUAGE_CODE,
                about=update,
            )
        ]
    )


def manager_emails() -> list[str]:
    return sorted({user.email for user in managers(Perm.VIEW_DASHBOARD)})


def send_programme_updates_digest() -> int:
    """Claim every update not yet in a digest and write the managers' digest of them, in one transaction.

    State-based: a day the job did not run is caught up on the next run, and a second (or concurrent) run
    finds nothing left to claim. Returns the number of updates in the digest.
    """
    recipients = manager_emails()
    if not recipients:
        return 0  # the updates wait for a digest someone can read
    with transaction.atomic():
        claimed_at = timezone.now()
        if not ProgrammeUpdate.objects.filter(digested_at__isnull=True).update(digested_at=claimed_at):
            return 0
        updates = list(
            ProgrammeUpdate.objects.filter(digested_at=claimed_at)
            .select_related("programme", "organisation", "author")
            .order_by("programme__code", "-reported_on")
        )
        # The claim gives each update to one digest only, so its first update names a digest for good.
        first = min(update.pk for update in updates)
        enqueue(
            compose(
                kind=UPDATES_DIGEST,
                key=dedupe_key(UPDATES_DIGEST, first, address),
                to=address,
                template="programs/email/digest",
                context={"updates": updates},
                language=settings.LANGUAGE_CODE,
            )
            for address in recipients
        )
    return len(updates)
