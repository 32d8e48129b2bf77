"""Scheduled reports: a saved view sent as XLSX weekly or monthly, once per period, as each recipient sees the list."""

import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cooperation.exports import scheduled, services
from cooperation.exports.models import (
    ExportJob,
    ExportStatus,
    Frequency,
    ReportSchedule,
    SavedView,
    ScheduledDelivery,
    Weekday,
)
from cooperation.exports.scheduled import SCHEDULED_REPORT, ScheduledReports
from cooperation.outbox.models import OutboxMessage
from cooperation.roles import Role
from tests.concurrency import run_together
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

SOURCE = "programs.programmes"
LIST = reverse("programs:list")
MONDAY = datetime.date(2027, 1, 4)  # ISO week 2027-W01
WEDNESDAY = MONDAY + datetime.timedelta(days=2)


@pytest.fixture
def programmes(own_programme, foreign_programme):
    return own_programme, foreign_programme


@pytest.fixture
def view(manager):
    return services.saved_view_create(
        user=manager,
        name="All programmes",
        source=SOURCE,
        list_path=LIST,
        params="ordering=code",
        shared_with_role=Role.MANAGER,
    )


def _weekly(view, *recipients, weekday=Weekday.WEDNESDAY, starts_on=MONDAY):
    return services.schedule_create(
        view=view,
        user=view.owner,
        frequency=Frequency.WEEKLY,
        weekday=weekday,
        day_of_month=None,
        recipients=list(recipients),
        active=True,
        today=starts_on,
    )


def _run(day) -> list:
    return ScheduledReports(day).send()


def _rows(job: ExportJob) -> list[tuple]:
    with job.file.open("rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).active
    return list(sheet.iter_rows(values_only=True))


# --- once per period ------------------------------------------------------------------------------------------------


def test_a_weekly_report_goes_once_to_each_recipient(view, manager, programmes):
    second = UserFactory(role=Role.MANAGER)
    _weekly(view, manager, second)

    assert _run(MONDAY + datetime.timedelta(days=1)) == []  # Tuesday: not due yet
    sent = _run(WEDNESDAY)
    again = _run(WEDNESDAY + datetime.timedelta(days=1))

    assert sorted(item.delivery.recipient.pk for item in sent) == sorted([manager.pk, second.pk])
    assert again == []
    assert set(ScheduledDelivery.objects.values_list("period_key", flat=True)) == {"2027-W01"}
    assert sorted(OutboxMessage.objects.filter(kind=SCHEDULED_REPORT).values_list("recipient", flat=True)) == sorted(
        [manager.email, second.email]
    )


def test_a_missed_week_is_caught_up_once_by_the_next_run(view, manager, programmes):
    _weekly(view, manager)
    _run(WEDNESDAY)

    # The worker was away from Wednesday of week 2 to Monday of week 4: one report, for the latest week.
    sent = _run(MONDAY + datetime.timedelta(weeks=3))
    later = _run(MONDAY + datetime.timedelta(weeks=3, days=1))

    assert [item.delivery.period_key for item in sent] == ["2027-W03"]
    assert later == []
    assert ScheduledDelivery.objects.count() == 2


def test_a_new_schedule_does_not_send_for_days_before_it(view, manager, programmes):
    _weekly(view, manager, weekday=Weekday.MONDAY, starts_on=WEDNESDAY)

    assert _run(WEDNESDAY + datetime.timedelta(days=1)) == []
    assert [item.delivery.period_key for item in _run(MONDAY + datetime.timedelta(weeks=1))] == ["2027-W02"]


def test_a_monthly_report_is_due_from_its_day_of_the_month(view, manager, programmes):
    services.schedule_create(
        view=view,
        user=manager,
        frequency=Frequency.MONTHLY,
        weekday=None,
        day_of_month=28,
        recipients=[manager],
        active=True,
        today=datetime.date(2027, 1, 10),
    )

    assert _run(datetime.date(2027, 1, 27)) == []
    assert [item.delivery.period_key for item in _run(datetime.date(2027, 1, 28))] == ["2027-01"]
    assert _run(datetime.date(2027, 2, 27)) == []
    assert [item.delivery.period_key for item in _run(datetime.date(2027, 3, 2))] == ["2027-02"]


def test_a_schedule_turned_off_sends_nothing(view, manager, programmes):
    schedule = _weekly(view, manager)
    services.schedule_update(
        schedule=schedule,
        user=manager,
        frequency=Frequency.WEEKLY,
        weekday=Weekday.WEDNESDAY,
        day_of_month=None,
        recipients=[manager],
        active=False,
    )

    assert _run(WEDNESDAY) == []


def test_a_report_another_run_claimed_is_not_sent_again(view, manager, programmes, monkeypatch):
    second = UserFactory(role=Role.MANAGER)
    schedule = _weekly(view, manager, second)
    # Another run claimed the manager's report between this run's look and its claim.
    ScheduledDelivery.objects.create(schedule=schedule, recipient=manager, period_key="2027-W01")
    monkeypatch.setattr(ScheduledReports, "already_sent", staticmethod(lambda schedule, key: set()))

    sent = _run(WEDNESDAY)

    assert [item.delivery.recipient for item in sent] == [second]
    assert list(OutboxMessage.objects.filter(kind=SCHEDULED_REPORT).values_list("recipient", flat=True)) == [
        second.email
    ]
    assert ExportJob.objects.filter(requested_by=manager).count() == 0


def test_two_runs_at_the_same_time_send_each_report_once(reference_data_db):
    owner = UserFactory(role=Role.MANAGER)
    second = UserFactory(role=Role.MANAGER)
    ProgrammeFactory(code="RUN-1")
    view = services.saved_view_create(
        user=owner, name="Together", source=SOURCE, list_path=LIST, shared_with_role=Role.MANAGER
    )
    _weekly(view, owner, second)

    results = run_together(*(lambda: len(_run(WEDNESDAY)) for _ in range(2)))

    assert sum(results) == 2
    assert ScheduledDelivery.objects.count() == 2
    assert OutboxMessage.objects.filter(kind=SCHEDULED_REPORT).count() == 2
    assert ExportJob.objects.count() == 2


# --- who receives what ----------------------------------------------------------------------------------------------


def test_each_recipient_receives_the_list_as_they_see_it(manager, partner_org, programmes):
    # A member of a partner organisation who works in the workspace: sees only their organisation's programmes.
    member = MembershipFactory(user__username="field", user__role=None, organisation=partner_org).user
    member.user_permissions.add(
        Permission.objects.get(codename="access_workspace", content_type__app_label="cooperation")
    )
    view = services.saved_view_create(
        user=member,
        name="Our programmes",
        source=SOURCE,
        list_path=LIST,
        params="ordering=code",
        shared_with_role=Role.MANAGER,
    )
    _weekly(view, member, manager)

    _run(WEDNESDAY)

    member_job = ExportJob.objects.get(requested_by=member)
    manager_job = ExportJob.objects.get(requested_by=manager)
    assert member_job.status == ExportStatus.DONE and member_job.expires_at is not None
    assert [row[0] for row in _rows(member_job)[1:]] == ["OWN-001"]
    assert [row[0] for row in _rows(manager_job)[1:]] == ["FOREIGN-001", "OWN-001"]


def test_the_email_links_to_the_file_kept_for_the_recipient(client, view, manager, auditor, programmes):
    _weekly(view, manager)
    _run(WEDNESDAY)
    job = ExportJob.objects.get()
    message = OutboxMessage.objects.get(kind=SCHEDULED_REPORT)

    assert message.recipient == manager.email
    assert "All programmes" in message.subject
    assert reverse("exports:job", args=[job.pk]) in message.body
    client.force_login(manager)
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.cell(row=1, column=1).value == "Code"
    client.force_login(auditor)
    assert client.get(reverse("exports:job_download", args=[job.pk])).status_code == 404


def test_a_recipient_without_the_list_is_refused_at_scheduling(view, manager, partner_user, officer):
    partner_view = services.saved_view_create(
        user=manager, name="For partners", source=SOURCE, list_path=LIST, shared_with_role=Role.PARTNER
    )

    with pytest.raises(ValidationError) as refused:
        _weekly(partner_view, partner_user)
    with pytest.raises(ValidationError) as not_shared:
        _weekly(view, officer)

    assert refused.value.message_dict["recipients"] == [f"{partner_user.get_full_name()} may not see this list."]
    assert not_shared.value.message_dict["recipients"] == [f"This view is not shared with {officer.get_full_name()}."]
    assert not ReportSchedule.objects.exists()


def test_the_schedule_form_names_the_refused_recipient_next_to_the_field(client, manager, partner_user):
    partner_view = services.saved_view_create(
        user=manager, name="For partners", source=SOURCE, list_path=LIST, shared_with_role=Role.PARTNER
    )
    client.force_login(manager)
    prefix = f"schedule-{partner_view.pk}"

    response = client.post(
        reverse("exports:schedule", args=[partner_view.pk]),
        {
            f"{prefix}-frequency": "weekly",
            f"{prefix}-weekday": "2",
            f"{prefix}-recipients": [partner_user.pk],
            f"{prefix}-active": "on",
        },
    )

    assert response.status_code == 200
    assert f"{partner_user.get_full_name()} may not see this list." in response.content.decode()
    assert not ReportSchedule.objects.exists()


def test_the_owner_schedules_from_the_page_and_others_cannot(client, view, manager, programmes):
    second = UserFactory(role=Role.MANAGER)
    prefix = f"schedule-{view.pk}"
    data = {
        f"{prefix}-frequency": "monthly",
        f"{prefix}-day_of_month": "3",
        f"{prefix}-recipients": [second.pk],
        f"{prefix}-active": "on",
    }
    client.force_login(second)
    assert client.post(reverse("exports:schedule", args=[view.pk]), data).status_code == 404

    client.force_login(manager)
    page = client.get(reverse("exports:saved_views")).content.decode()
    response = client.post(reverse("exports:schedule", args=[view.pk]), data)

    assert f'value="{second.pk}"' in page  # offered as a recipient
    assert response.status_code == 302
    schedule = ReportSchedule.objects.get()
    assert (schedule.frequency, schedule.day_of_month, list(schedule.recipients.all())) == ("monthly", 3, [second])


def test_a_recipient_who_lost_the_view_gets_nothing(view, manager, programmes):
    second = UserFactory(role=Role.MANAGER)
    _weekly(view, manager, second)
    second.groups.clear()

    sent = _run(WEDNESDAY)

    assert [item.delivery.recipient for item in sent] == [manager]
    assert not ScheduledDelivery.objects.filter(recipient=second).exists()


# --- unsubscribing --------------------------------------------------------------------------------------------------


def _unsubscribe_path(message) -> str:
    return re.search(r"/exports/unsubscribe/[^/\s]+/", message.body).group(0)


def test_the_link_in_the_email_unsubscribes_the_recipient(client, view, manager, programmes):
    second = UserFactory(role=Role.MANAGER)
    schedule = _weekly(view, manager, second)
    _run(WEDNESDAY)
    path = _unsubscribe_path(OutboxMessage.objects.get(recipient=second.email))
    client.force_login(second)

    confirm = client.get(path)
    done = client.post(path)

    assert confirm.status_code == 200 and "All programmes" in confirm.content.decode()
    assert done.status_code == 302
    assert list(schedule.recipients.all()) == [manager]
    assert [item.delivery.recipient for item in _run(WEDNESDAY + datetime.timedelta(weeks=1))] == [manager]


def test_a_forged_or_someone_elses_unsubscribe_link_is_refused(client, view, manager, programmes):
    second = UserFactory(role=Role.MANAGER)
    schedule = _weekly(view, manager, second)
    genuine = scheduled.unsubscribe_token(schedule, second)
    forged = genuine[:-4] + ("AAAA" if not genuine.endswith("AAAA") else "BBBB")

    client.force_login(second)
    assert client.post(reverse("exports:unsubscribe", args=[forged])).status_code == 404
    client.force_login(manager)
    assert client.post(reverse("exports:unsubscribe", args=[genuine])).status_code == 404

    assert set(schedule.recipients.all()) == {manager, second}


# --- the command ----------------------------------------------------------------------------------------------------


def test_the_command_sends_what_is_due_and_says_so(view, manager, programmes):
    _weekly(view, manager)
    out = io.StringIO()

    call_command("send_scheduled_reports", "--date", WEDNESDAY.isoformat(), stdout=out)

    assert "All programmes (programs.programmes) 2027-W01" in out.getvalue()
    assert "1 scheduled report(s) sent." in out.getvalue()
    assert SavedView.objects.get().schedule.deliveries.count() == 1
