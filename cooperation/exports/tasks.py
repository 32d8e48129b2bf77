"""Export tasks: any number may run at once or late, the claim decides who writes a file."""

from celery import shared_task

from cooperation.exports import jobs


@shared_task
def run_export(job_id: str) -> str:
    return jobs.run(job_id)


@shared_task
def sweep_exports() -> dict:
    """Celery beat, every few minutes: start what the broker did not take, delete expired files."""
    return jobs.sweep()


@shared_task
def send_scheduled_reports(today: str | None = None) -> int:
    """Celery beat, hourly: send each scheduled report due in its period and not sent yet (a missed run is caught
    up by the next); returns how many were sent."""
    from cooperation.exports.scheduled import ScheduledReports

    return ScheduledReports.task(today)
