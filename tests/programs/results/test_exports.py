"""The results reports' lists as files: awaiting review and overdue for the officers; due and sent on the partner
portal, where a partner gets only its own organisation's reports."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from programs.results import services
from tests.programs.export_sheets import export_queries, export_url, exported
from tests.programs.results.factories import build_framework

pytestmark = pytest.mark.django_db

# Two months after the framework's day: the first quarter of 2026 is sent, the second overdue, the third due.
EXPORT_DAY = datetime.datetime(2026, 9, 15, 12, tzinfo=ZoneInfo("Asia/Jakarta"))
# Every quarter of 2026 and 2027 is over and past its due date.
LONG_AFTER = datetime.datetime(2028, 3, 1, 12, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def framework(own_programme, partner_org, officer):
    return build_framework(own_programme, partner_org, officer)


@pytest.fixture
def foreign_framework(foreign_programme, other_org, officer):
    return build_framework(foreign_programme, other_org, officer)


def submit(framework, period, organisation, user):
    report = services.report_open(period=period, organisation=organisation, opened_by=user)
    services.report_save(
        report=report,
        saved_by=user,
        values={framework.trained.pk: {"value": "90"}, framework.rate.pk: {"value": "55"}},
    )
    return services.report_submit(report=report, submitted_by=user)


@pytest.fixture
def sent(framework, partner_org, partner_user):
    with time_machine.travel(EXPORT_DAY, tick=False):
        return submit(framework, framework.periods[0], partner_org, partner_user)


def test_reports_awaiting_review_export(client, officer, sent):
    client.force_login(officer)

    with time_machine.travel(EXPORT_DAY, tick=False):
        header, rows = exported(client, "results.awaiting_review")

    assert header[:3] == ("Programme", "Programme title", "Partner")
    (row,) = rows
    assert (row["Programme"], row["Partner"], row["Status"]) == ("OWN-001", "Yayasan Air Bersih", "Submitted")
    assert row["Period start"] == datetime.datetime(2026, 1, 1)
    assert row["Submitted"] == datetime.datetime(2026, 9, 15)
    assert row["Entered on the partner's behalf"] == "No"


def test_overdue_reports_export(client, officer, sent):
    client.force_login(officer)

    with time_machine.travel(EXPORT_DAY, tick=False):
        _, rows = exported(client, "results.overdue")

    (row,) = rows  # the second quarter: the first was sent, the third is not due yet
    assert row["Period start"] == datetime.datetime(2026, 4, 1)
    assert row["Report"] == "Not begun"
    assert row["Days overdue"] == (EXPORT_DAY.date() - row["Due"].date()).days > 0


def test_the_review_list_offers_both_exports(client, officer, sent):
    client.force_login(officer)

    html = client.get(reverse("results:review_list")).content.decode()

    assert f'href="{export_url("results.awaiting_review")}"' in html
    assert f'href="{export_url("results.overdue", "csv")}"' in html


@pytest.mark.parametrize("source", ["results.awaiting_review", "results.overdue"])
def test_partner_users_cannot_export_the_review_lists(client, partner_user, source):
    client.force_login(partner_user)

    assert client.get(export_url(source)).status_code == 403


@pytest.mark.parametrize("role", ["manager", "auditor", "admin_user"])
def test_staff_export_the_review_list(client, request, sent, role):
    client.force_login(request.getfixturevalue(role))

    assert len(exported(client, "results.awaiting_review")[1]) == 1


def test_review_exports_cost_the_same_for_2_and_8_reports(client, officer, framework, partner_org, partner_user):
    with time_machine.travel(LONG_AFTER, tick=False):
        client.force_login(officer)  # a session begun today would have expired by then
        eight_overdue = export_queries(client, "results.overdue")
        for period in framework.periods[:2]:
            submit(framework, period, partner_org, partner_user)
        two_awaiting = export_queries(client, "results.awaiting_review")
        for period in framework.periods[2:6]:
            submit(framework, period, partner_org, partner_user)
        two_overdue = export_queries(client, "results.overdue")
        for period in framework.periods[6:]:
            submit(framework, period, partner_org, partner_user)
        eight_awaiting = export_queries(client, "results.awaiting_review")
        assert len(exported(client, "results.awaiting_review")[1]) == 8

    assert two_awaiting == eight_awaiting
    assert two_overdue == eight_overdue


# --- the portal ---------------------------------------------------------------------------------------------------


def test_portal_due_export_has_only_the_partners_own_reports(
    client, partner_user, other_partner_user, sent, foreign_framework
):
    client.force_login(partner_user)

    with time_machine.travel(EXPORT_DAY, tick=False):
        header, rows = exported(client, "results_portal.due")
        client.force_login(other_partner_user)
        _, theirs = exported(client, "results_portal.due")

    assert header[:3] == ("Programme", "Programme title", "Partner")
    assert {row["Programme"] for row in rows} == {"OWN-001"}
    assert [(row["Period start"], row["Overdue"]) for row in rows] == [
        (datetime.datetime(2026, 4, 1), "Yes"),
        (datetime.datetime(2026, 7, 1), "No"),
    ]
    assert {row["Programme"] for row in theirs} == {"FOREIGN-001"}


def test_portal_sent_export(client, partner_user, other_partner_user, sent, foreign_framework):
    client.force_login(partner_user)

    header, rows = exported(client, "results_portal.sent")

    assert [(row["Programme"], row["Status"]) for row in rows] == [("OWN-001", "Submitted")]
    assert isinstance(rows[0]["Due"], datetime.datetime)
    client.force_login(other_partner_user)
    assert exported(client, "results_portal.sent")[1] == []


def test_the_portal_page_offers_the_exports(client, partner_user, sent):
    client.force_login(partner_user)

    with time_machine.travel(EXPORT_DAY, tick=False):
        html = client.get(reverse("results_portal:due")).content.decode()

    assert f'href="{export_url("results_portal.due")}"' in html
    assert f'href="{export_url("results_portal.sent")}"' in html


@pytest.mark.parametrize("source", ["results_portal.due", "results_portal.sent"])
def test_staff_without_an_organisation_cannot_export_the_portal_lists(client, officer, admin_user, source):
    for user in (officer, admin_user):
        client.force_login(user)
        assert client.get(export_url(source)).status_code == 403


def test_portal_exports_cost_the_same_for_2_and_8_reports(client, framework, partner_org, partner_user):
    with time_machine.travel(LONG_AFTER, tick=False):
        client.force_login(partner_user)
        eight_due = export_queries(client, "results_portal.due")
        for period in framework.periods[:6]:
            submit(framework, period, partner_org, partner_user)
        two_due = export_queries(client, "results_portal.due")
        sent_six = export_queries(client, "results_portal.sent")
        for period in framework.periods[6:]:
            submit(framework, period, partner_org, partner_user)
        sent_eight = export_queries(client, "results_portal.sent")

    assert eight_due == two_due
    assert sent_six == sent_eight
