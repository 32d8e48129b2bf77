"""Background jobs of the scholarships module. Tasks take ids and are safe to run twice or late."""

from celery import shared_task

from programs.scholarships.alumni import AlumniInvitations
from programs.scholarships.reminders import ScholarshipReminders


@shared_task
def send_scholarship_reminders(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every reminder owed and not sent yet; the outbox delivers the emails."""
    return ScholarshipReminders.task(today)


@shared_task
def expire_online_submissions() -> int:
    """Hourly (Celery beat): delete the online applications never confirmed, with their files."""
    from programs.scholarships.services.online import online_submissions_expire

    return online_submissions_expire()


@shared_task
def send_alumni_invitations(today: str | None = None) -> int:
    """The daily run (Celery beat): ask each alumnus once per milestone; the outbox delivers the emails."""
    return AlumniInvitations.task(today)
