"""Background jobs of the programmes module. Tasks take ids and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cooperation.roles import Perm, Role
from programs.models import ProgrammeUpdate


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_programme_update(self, update_id: int) -> bool:
    """Tell the responsible officer that a partner posted an update on their programme."""
    update = (
        ProgrammeUpdate.objects.select_related("programme__responsible_officer", "organisation", "author")
        .filter(pk=update_id)
        .first()
    )
    officer = update.programme.responsible_officer if update else None
    if officer is None or not officer.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {"update": update, "officer": officer}
        send_mail(
            subject=render_to_string("programs/email/update_posted_subject.txt", context).strip(),
            message=render_to_string("programs/email/update_posted.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[officer.email],
        )
    return True


def _manager_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.MANAGER.value).exclude(email="")
    return sorted({u.email for u in users if u.has_perm(Perm.VIEW_DASHBOARD)})


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_programme_updates_digest(self) -> int:
    """Email managers every update not yet sent in a digest.

    State-based: a day the job did not run is caught up on the next run, and a
    second run finds nothing left to send. Rows are claimed and mailed in one
    transaction, so a mail failure leaves them for the retry.
    """
    recipients = _manager_emails()
    if not recipients:
        return 0
    with transaction.atomic():
        claimed_at = timezone.now()
        count = ProgrammeUpdate.objects.filter(digested_at__isnull=True).update(digested_at=claimed_at)
        if not count:
            return 0
        updates = list(
            ProgrammeUpdate.objects.filter(digested_at=claimed_at)
            .select_related("programme", "organisation", "author")
            .order_by("programme__code", "-reported_on")
        )
        with translation.override(settings.LANGUAGE_CODE):
            context = {"updates": updates}
            send_mail(
                subject=render_to_string("programs/email/digest_subject.txt", context).strip(),
                message=render_to_string("programs/email/digest.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
    return len(updates)
