"""Progress report reminders to the host's contacts (in their language) and stipend reminders to the
responsible officer: once per due date, caught up after a missed day, never twice, not even concurrently."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.roles import Role
from partners.models import Language
from programs.scholarships import reminders, services, tasks
from programs.scholarships.models import ReminderKind, ReminderLog, StipendFrequency
from programs.scholarships.terms import add_months
from tests.concurrency import daily_job, run_together
from tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tests.programs.scholarships.factories import CallFactory, days_ago, enrolled, host_user, staff, submit, today


@pytest.fixture
def officer_sari(db):
    return UserFactory(username="sari", role=Role.OFFICER, email="sari@kerjasama.example", first_name="Sari")


@pytest.fixture
def host(db):
    organisation = OrganisationFactory(name="Institut Teknologi Kupang")
    ContactFactory(organisation=organisation, name="Ana", email="ana@itk.example", receives_reminders=True)
    ContactFactory(
        organisation=organisation,
        name="Budi",
        email="budi@itk.example",
        receives_reminders=True,
        preferred_language=Language.INDONESIAN,
    )
    ContactFactory(organisation=organisation, name="Citra", email="citra@itk.example", receives_reminders=False)
    return organisation


@pytest.fixture
def scholar(host, officer_sari):
    """Enrolled 200 days ago on a 12-month call paying once (that tranche already approved)."""
    call = CallFactory(host=host, responsible_officer=officer_sari, stipend_frequency=StipendFrequency.ONCE)
    application = enrolled(submit(call, applicant_name="Maria da Costa"), on=days_ago(200))
    services.tranche_approve(tranche=application.tranches.get(), approved_by=staff())
    mail.outbox.clear()
    return application


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    return daily_job(django_capture_on_commit_callbacks, tasks.send_scholarship_reminders)


def to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def report_due(scholar) -> datetime.date:
    return add_months(scholar.enrolled_on, 6)


def test_the_hosts_reminder_contacts_hear_once_in_their_language(scholar, run):
    due = report_due(scholar)
    assert run(due - datetime.timedelta(days=1)) == 0
    assert run(due) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@itk.example", "budi@itk.example"]
    (message,) = to("ana@itk.example")
    assert message.subject == "Progress report due for Maria da Costa"
    assert "Dear Ana" in message.body and message.reply_to == ["sari@kerjasama.example"]
    assert to("budi@itk.example")[0].extra_headers["Content-Language"] == Language.INDONESIAN


def test_running_twice_the_same_day_sends_nothing_twice(scholar, run):
    due = report_due(scholar)
    assert (run(due), run(due)) == (1, 0)
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(kind=ReminderKind.PROGRESS_REPORT_DUE).count() == 1


def test_a_missed_day_is_caught_up_and_later_days_send_nothing_more(scholar, run):
    due = report_due(scholar)
    assert run(due + datetime.timedelta(days=9)) == 1
    for offset in range(10, 15):
        assert run(due + datetime.timedelta(days=offset)) == 0
    assert len(mail.outbox) == 2


def test_a_report_in_stops_the_reminder(scholar, run):
    services.progress_report_submit(
        application=scholar,
        submitted_by=host_user(scholar.call.host),
        term_label="Semester 1",
        period_end=report_due(scholar),
        result="Pass",
    )
    assert run(today()) == 0 and mail.outbox == []


def test_a_report_that_comes_in_after_the_claim_cancels_the_reminder(scholar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks.send_scholarship_reminders(report_due(scholar).isoformat()) == 1
    services.progress_report_submit(
        application=scholar,
        submitted_by=host_user(scholar.call.host),
        term_label="Semester 1",
        period_end=report_due(scholar),
        result="Pass",
    )
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.CANCELLED}


def test_the_next_term_is_a_new_reminder(scholar, run):
    assert run(report_due(scholar)) == 1
    assert run(add_months(scholar.enrolled_on, 12)) == 1
    assert list(ReminderLog.objects.order_by("due_on").values_list("due_on", flat=True)) == [
        report_due(scholar),
        add_months(scholar.enrolled_on, 12),
    ]


# --- stipends -----------------------------------------------------------------------------------------------------


@pytest.fixture
def monthly_scholar(host, officer_sari):
    """Enrolled today on a 3-month call paying monthly: tranches due today, in a month and in two."""
    call = CallFactory(host=host, responsible_officer=officer_sari, duration_months=3)
    application = enrolled(submit(call, applicant_name="Joana"), on=today())
    mail.outbox.clear()
    return application


def test_the_responsible_officer_hears_of_each_tranche_a_week_before(monthly_scholar, run, settings):
    settings.STIPEND_REMINDER_DAYS_BEFORE = 7
    second = monthly_scholar.tranches.get(number=2)
    assert run(today()) == 1  # the first tranche, due today
    assert run(second.due_on - datetime.timedelta(days=8)) == 0
    assert run(second.due_on - datetime.timedelta(days=7)) == 1
    subjects = [m.subject for m in to("sari@kerjasama.example")]
    assert subjects[-1].startswith("Stipend 2 of Joana is due on")
    assert "USD 1,000.00" in to("sari@kerjasama.example")[-1].body
    assert "No progress report is needed" in to("sari@kerjasama.example")[-1].body


def test_a_tranche_approved_after_the_claim_is_not_reminded(monthly_scholar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks.send_scholarship_reminders(today().isoformat()) == 1
    services.tranche_approve(tranche=monthly_scholar.tranches.get(number=1), approved_by=staff())
    mail.outbox.clear()
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert OutboxMessage.objects.get(kind="scholarships.stipend_due").status == MessageStatus.CANCELLED


def test_an_approved_tranche_is_not_reminded(monthly_scholar, run):
    services.tranche_approve(tranche=monthly_scholar.tranches.get(number=1), approved_by=staff())
    assert run(today()) == 0


def test_without_a_responsible_officer_the_managers_are_told(host, run):
    manager = UserFactory(role=Role.MANAGER, email="head@kerjasama.example")
    enrolled(submit(CallFactory(host=host, duration_months=1)), on=today())
    mail.outbox.clear()
    assert run(today()) == 1
    managers = set(
        UserFactory._meta.model.objects.filter(groups__name=Role.MANAGER.value).values_list("email", flat=True)
    )
    assert manager.email in managers
    assert sorted(m.to[0] for m in mail.outbox) == sorted(managers)


def test_finding_what_is_owed_costs_the_same_queries_for_few_and_many(scholar, django_assert_num_queries):
    due = report_due(scholar)
    with django_assert_num_queries(2):
        assert len(reminders.reports_owed(due)) == 1
    for _ in range(4):
        enrolled(submit(CallFactory(host=scholar.call.host)), on=days_ago(200))
    with django_assert_num_queries(2):
        assert len(reminders.reports_owed(due)) == 5
    with django_assert_num_queries(1):
        # Four monthly scholars, seven tranches each due by then (months 0 to 6).
        assert len([t.application.call.host.name for t in reminders.tranches_owed(due)]) == 28


def test_the_command_prints_each_reminder(scholar, capsys):
    call_command("send_scholarship_reminders", "--today", report_due(scholar).isoformat())
    out = capsys.readouterr().out
    assert "progress_report  Maria da Costa" in out and "1 reminder(s) sent." in out


def test_the_daily_job_is_scheduled():
    from config.celery import app

    app.finalize()
    entry = app.conf.beat_schedule["scholarship-reminders"]
    assert entry["task"] == "programs.scholarships.tasks.send_scholarship_reminders"


# --- two runs at once ---------------------------------------------------------------------------------------------


def test_two_runs_at_the_same_time_send_each_reminder_once(reference_data_db):
    host = OrganisationFactory()
    ContactFactory(organisation=host, email="ana@itk.example", receives_reminders=True)
    officer = UserFactory(role=Role.OFFICER, email="sari@kerjasama.example")
    for _ in range(3):
        call = CallFactory(host=host, responsible_officer=officer, stipend_frequency=StipendFrequency.ONCE)
        scholar = enrolled(submit(call), on=days_ago(200))
        services.tranche_approve(tranche=scholar.tranches.get(), approved_by=staff())
    mail.outbox.clear()
    results = run_together(*(lambda: tasks.send_scholarship_reminders(today().isoformat()) for _ in range(2)))
    assert sum(results) == 3, results
    assert ReminderLog.objects.count() == 3
    assert len(to("ana@itk.example")) == 3
