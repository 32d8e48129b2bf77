"""The Celery application: an embedded filesystem broker by default, Redis or RabbitMQ in production."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kerjasama")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _prepare_filesystem_broker() -> None:
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


_prepare_filesystem_broker()
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_periodic_tasks(sender, **kwargs) -> None:
    from django.conf import settings

    sweep_seconds = settings.OUTBOX_SWEEP_SECONDS
    sender.conf.beat_schedule = {
        "outbox-sweep": {
            "task": "cooperation.outbox.tasks.sweep_outbox",
            "schedule": sweep_seconds,
            # A sweep still queued when the next one is due is dropped: it would only repeat the next.
            "options": {"expires": sweep_seconds},
        },
        "exports-sweep": {
            "task": "cooperation.exports.tasks.sweep_exports",
            "schedule": 300,
            "options": {"expires": 300},
        },
        "scheduled-reports": {
            "task": "cooperation.exports.tasks.send_scheduled_reports",
            "schedule": crontab(minute=settings.SCHEDULED_REPORTS_MINUTE),
            "options": {"expires": 3600},
        },
        "programme-updates-digest": {
            "task": "programs.tasks.send_programme_updates_digest",
            "schedule": crontab(hour=settings.DIGEST_HOUR, minute=0),
        },
        "loan-reminders": {
            "task": "programs.finance.tasks.send_loan_reminders",
            "schedule": crontab(hour=settings.LOAN_REMINDER_HOUR, minute=settings.LOAN_REMINDER_MINUTE),
        },
        "shipment-delay-alerts": {
            "task": "programs.shipments.tasks.send_delay_alerts",
            "schedule": crontab(hour=getattr(settings, "SHIPMENT_ALERT_HOUR", 7), minute=0),
        },
        "shipment-expiry-alerts": {
            "task": "programs.shipments.tasks.send_expiry_alerts",
            "schedule": crontab(hour=getattr(settings, "SHIPMENT_ALERT_HOUR", 7), minute=5),
        },
        "scholarship-reminders": {
            "task": "programs.scholarships.tasks.send_scholarship_reminders",
            "schedule": crontab(
                hour=getattr(settings, "SCHOLARSHIP_REMINDER_HOUR", 6),
                minute=getattr(settings, "SCHOLARSHIP_REMINDER_MINUTE", 45),
            ),
        },
        "online-applications-expiry": {
            "task": "programs.scholarships.tasks.expire_online_submissions",
            "schedule": 3600,
            "options": {"expires": 3600},
        },
        "alumni-outcome-invitations": {
            "task": "programs.scholarships.tasks.send_alumni_invitations",
            "schedule": crontab(
                hour=getattr(settings, "ALUMNI_REMINDER_HOUR", 7),
                minute=getattr(settings, "ALUMNI_REMINDER_MINUTE", 15),
            ),
        },
        "budget-summaries": {
            "task": "programs.budgets.tasks.refresh_budget_summaries",
            "schedule": crontab(hour=0, minute=getattr(settings, "BUDGET_SUMMARIES_MINUTE", 5)),
            "options": {"expires": 3600},
        },
        "results-reminders": {
            "task": "programs.results.tasks.send_results_reminders",
            "schedule": crontab(
                hour=settings.RESULTS_REMINDER_HOUR,
                minute=settings.RESULTS_REMINDER_MINUTE,
            ),
        },
    }
