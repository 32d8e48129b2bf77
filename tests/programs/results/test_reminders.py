"""Reminders of the results reports partners owe: to the partner's reminder contacts in their own language "due in
N days", "due today" and "overdue", escalated to the managers (the responsible officer copied) after 30 days; once
per (period, partner, kind), caught up after a missed day, never twice, not even by two runs at once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.roles import Role
from partners.models import Language
from programs.results import reminders, services, tasks
from programs.results.models import Dimension
from tests.concurrency import daily_job, run_together
from tests.factories import ContactFactory, OrganisationFactory, ParticipationFactory, ProgrammeFactory, UserFactory
from tests.programs.results.factories import TODAY, build_framework

# The first quarter of 2026 ends on 31 March; its report is due 30 days later.
DUE = datetime.date(2026, 4, 30)


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture
def contacts(partner_org):
    ContactFactory(organisation=partner_org, name="Ana", email="ana@yab.example", receives_reminders=True)
    ContactFactory(
        organisation=partner_org,
        name="Budi",
        email="budi@yab.example",
        receives_reminders=True,
        preferred_language=Language.INDONESIAN,
    )
    ContactFactory(organisation=partner_org, name="Citra", email="citra@yab.example", receives_reminders=False)


@pytest.fixture
def head(db):
    return UserFactory(username="head", role=Role.MANAGER, email="head@kerjasama.example", first_name="Dewi")


@pytest.fixture
def framework(own_programme, partner_org, officer, contacts, head):
    own_programme.responsible_officer = officer
    own_programme.save(update_fields=["responsible_officer"])
    return build_framework(own_programme, partner_org, officer)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    return daily_job(django_capture_on_commit_callbacks, tasks.send_results_reminders)


def to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def subjects(address: str) -> list[str]:
    return [message.subject for message in to(address)]


def test_each_reminder_on_its_day(framework, run, officer, head):
    assert run(day(-8)) == 0
    assert run(day(-7)) == 1
    assert subjects("ana@yab.example") == ["Results report due in 7 days: OWN-001"]
    assert run(day(-6)) == 0
    assert run(day(0)) == 1
    assert subjects("ana@yab.example")[-1] == "Results report due today: OWN-001"
    assert run(day(1)) == 1
    assert subjects("ana@yab.example")[-1] == "Results report overdue: OWN-001"
    assert [run(day(offset)) for offset in range(2, 30)] == [0] * 28
    assert run(day(30)) == 1
    assert subjects("head@kerjasama.example") == ["Results report 30 days overdue: Yayasan Air Bersih, OWN-001"]
    assert subjects(officer.email) == ["Results report 30 days overdue: Yayasan Air Bersih, OWN-001"]
    assert "You receive a copy as the programme's responsible officer" in to(officer.email)[0].body
    assert "Dear Dewi" in to("head@kerjasama.example")[0].body
    assert len(subjects("ana@yab.example")) == 3 and subjects("citra@yab.example") == []
    assert run(day(31)) == 0


def test_the_partners_contacts_hear_in_their_own_language(framework, run, officer):
    assert run(day(1)) == 1
    assert sorted(message.to[0] for message in mail.outbox) == ["ana@yab.example", "budi@yab.example"]
    (english,) = to("ana@yab.example")
    (indonesian,) = to("budi@yab.example")
    assert "Dear Ana" in english.body and english.reply_to == [officer.email]
    assert "was due on April 30, 2026" in english.body
    assert english.extra_headers["Content-Language"] == Language.ENGLISH
    assert indonesian.extra_headers["Content-Language"] == Language.INDONESIAN
    assert "30 April 2026" in indonesian.body


def test_the_notice_follows_the_setting(framework, run, settings):
    settings.RESULTS_REMINDER_DAYS_BEFORE = 3
    assert (run(day(-7)), run(day(-4)), run(day(-3))) == (0, 0, 1)
    assert subjects("ana@yab.example") == ["Results report due in 3 days: OWN-001"]


def test_running_twice_the_same_day_sends_nothing_twice(framework, run):
    assert (run(day(0)), run(day(0))) == (1, 0)
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(kind=reminders.DUE_TODAY).count() == 2


def test_a_missed_day_sends_the_kind_that_is_right_the_next_day(framework, run):
    assert run(day(1)) == 1  # the due day was missed: "overdue", not "due today"
    assert subjects("ana@yab.example") == ["Results report overdue: OWN-001"]
    assert run(day(0)) == 0  # an earlier kind is never sent after a later one
    assert run(day(2)) == 0
    assert len(mail.outbox) == 2


def test_a_report_long_overdue_is_escalated_with_its_overdue_reminder(framework, run, officer, head):
    assert run(day(35)) == 2
    assert subjects("ana@yab.example") == ["Results report overdue: OWN-001"]
    assert subjects("head@kerjasama.example") == ["Results report 35 days overdue: Yayasan Air Bersih, OWN-001"]
    assert "The partner has not begun it. The partner's contacts were reminded." in to("head@kerjasama.example")[0].body
    assert len(to(officer.email)) == 1
    assert run(day(36)) == 0


def test_without_a_responsible_officer_only_the_managers_are_told(framework, run, head, officer):
    framework.programme.responsible_officer = None
    framework.programme.save(update_fields=["responsible_officer"])
    assert run(day(30)) == 2
    assert to(officer.email) == []
    assert to("ana@yab.example")[0].reply_to == []
    assert "The programme has no responsible officer." in to("head@kerjasama.example")[0].body


def test_the_managers_hear_of_a_partner_without_reminder_contacts(framework, run, partner_org):
    partner_org.contacts.update(receives_reminders=False)
    assert run(day(30)) == 1
    assert "The partner has no contact who receives reminders." in to("head@kerjasama.example")[0].body


def _submitted(framework, partner_org, partner_user):
    report = services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )
    services.report_save(
        report=report,
        saved_by=partner_user,
        values={framework.trained.pk: {"value": "90"}, framework.rate.pk: {"value": "50"}},
    )
    return services.report_submit(report=report, submitted_by=partner_user)


def test_a_submitted_report_is_not_reminded(framework, run, partner_org, partner_user):
    _submitted(framework, partner_org, partner_user)
    assert [run(day(offset)) for offset in (-7, 0, 1, 30)] == [0, 0, 0, 0]
    assert mail.outbox == []


def test_a_draft_report_is_still_reminded(framework, run, partner_org, partner_user):
    services.report_open(period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY)
    assert run(day(30)) == 2
    assert "The partner has begun it; it stands as “Draft”." in to("head@kerjasama.example")[0].body


def test_a_report_submitted_after_the_reminder_was_written_cancels_it(
    framework, partner_org, partner_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks.send_results_reminders(day(1).isoformat()) == 1
    _submitted(framework, partner_org, partner_user)
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.CANCELLED}


def test_each_partner_and_period_is_a_reminder_of_its_own(framework, run, other_org, officer):
    ParticipationFactory(programme=framework.programme, organisation=other_org)
    ContactFactory(organisation=other_org, email="eka@prn.example", receives_reminders=True)
    services.indicator_update(indicator=framework.rate, updated_by=officer, reporter=other_org)
    assert run(day(1)) == 2
    assert subjects("eka@prn.example") == ["Results report overdue: OWN-001"]
    mail.outbox.clear()
    assert run(day(92)) == 4  # the second quarter overdue for both partners; the first escalated for both
    assert subjects("eka@prn.example") == ["Results report overdue: OWN-001"]
    assert sorted(subjects("head@kerjasama.example")) == [
        "Results report 92 days overdue: Pacific Relief Network, OWN-001",
        "Results report 92 days overdue: Yayasan Air Bersih, OWN-001",
    ]


def test_finding_what_is_owed_costs_the_same_queries_for_few_and_many(framework, officer, django_assert_num_queries):
    reminders.already_sent({framework.periods[0].pk})  # the content type of periods, read once per process
    with django_assert_num_queries(5) as few:
        assert len(reminders.reminders_owed(day(1))) == 1
    for _ in range(4):
        partner = OrganisationFactory()
        programme = ProgrammeFactory()
        ParticipationFactory(programme=programme, organisation=partner)
        build_framework(programme, partner, officer)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(reminders.reminders_owed(day(1))) == 5


def test_the_command_prints_each_reminder(framework, capsys):
    call_command("send_results_reminders", "--today", day(1).isoformat())
    out = capsys.readouterr().out
    assert "results.report_overdue  OWN-001  2026-01-01 – 2026-03-31  Yayasan Air Bersih" in out
    assert "ana@yab.example" in out and "1 reminder(s) sent." in out


def test_the_daily_job_is_scheduled():
    from config.celery import app

    app.finalize()
    entry = app.conf.beat_schedule["results-reminders"]
    assert entry["task"] == "programs.results.tasks.send_results_reminders"


# --- two runs at once ---------------------------------------------------------------------------------------------


def test_two_runs_at_the_same_time_send_each_reminder_once(reference_data_db):
    Dimension.objects.get_or_create(code="sex", defaults={"name": "Sex"})
    officer = UserFactory(role=Role.OFFICER, email="sari@kerjasama.example")
    UserFactory(role=Role.MANAGER, email="head@kerjasama.example")
    for number in range(3):
        partner = OrganisationFactory()
        ContactFactory(organisation=partner, email=f"contact{number}@partner.example", receives_reminders=True)
        programme = ProgrammeFactory(responsible_officer=officer)
        ParticipationFactory(programme=programme, organisation=partner)
        with transaction.atomic():
            build_framework(programme, partner, officer)
    mail.outbox.clear()
    results = run_together(*(lambda: tasks.send_results_reminders(day(30).isoformat()) for _ in range(2)))
    assert sum(results) == 6, results  # for each partner: overdue, and escalated
    assert OutboxMessage.objects.filter(kind=reminders.OVERDUE).count() == 3
    assert OutboxMessage.objects.filter(kind=reminders.ESCALATED).count() == 6  # the manager and the officer
    assert tasks.send_results_reminders(day(30).isoformat()) == 0
