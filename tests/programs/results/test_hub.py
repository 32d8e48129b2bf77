"""What results contribute to the pages that gather every module: the partner page's section, the partner's risk
flag for overdue reports, and "waiting for me" for officers (reports to review) and partner users (to send)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.inbox import waiting_for
from cooperation.risk import partner_risk_flags
from programs.results.hub import partner_flags
from programs.results.hub import waiting_for as results_waiting_for
from programs.results.models import Period, Report, ReportStatus
from programs.results.services.guards import report_move_refusal
from tests.factories import OrganisationFactory, ParticipationFactory
from tests.programs.results.factories import build_framework
from tests.programs.results.portal_factories import NOON_OF_TODAY


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOON_OF_TODAY, tick=False):
        yield


@pytest.fixture
def framework(own_programme, partner_org, officer):
    # 2026–2027 in quarters, reports due 30 days after each; on 15 July 2026 the first quarter's is overdue and
    # the second's and third's are due.
    return build_framework(own_programme, partner_org, officer)


def _submitted(period, organisation, by, *, on_behalf=False, days_ago=1):
    return Report.objects.create(
        period=period,
        organisation=organisation,
        status=ReportStatus.SUBMITTED,
        on_behalf=on_behalf,
        submitted_by=by,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_partner_page_shows_reports_due_overdue_and_awaiting_review(client, officer, partner_org, framework):
    _submitted(framework.periods[1], partner_org, officer)
    client.force_login(officer)
    page = client.get(reverse("partners:detail", args=[partner_org.pk])).text
    assert 'id="partner-results"' in page
    assert 'id="partner-results-due">2<' in page  # the first and third quarters; the second is sent
    assert 'id="partner-results-overdue">1<' in page
    assert 'id="partner-results-awaiting"><a' in page
    assert reverse("results:report_enter", args=[framework.periods[0].pk, partner_org.pk]) in page


def test_overdue_reports_flag_the_partner_with_the_periods_named(settings, partner_org, other_org, framework):
    flags = partner_risk_flags(partner_org)
    flag = next(flag for flag in flags if flag.code == "results.reports_overdue")
    assert flag.count == 1
    assert "1 progress report overdue: OWN-001 · 2026-01-01 – 2026-03-31" in flag.message
    assert partner_flags(other_org) == []
    settings.RESULTS_OVERDUE_GRACE_DAYS = 90  # due 30 April: still within 90 days on 15 July
    assert partner_flags(partner_org) == []


def test_a_sent_report_is_no_longer_overdue(partner_org, officer, framework):
    _submitted(framework.periods[0], partner_org, officer)
    assert partner_flags(partner_org) == []


def test_officer_is_waiting_for_reports_to_review_but_not_those_they_entered(
    officer, manager, partner_user, partner_org, framework
):
    other = OrganisationFactory(name="Second reporter")
    ParticipationFactory(programme=framework.programme, organisation=other)
    entered = _submitted(framework.periods[0], other, officer, on_behalf=True, days_ago=5)
    sent = _submitted(framework.periods[0], partner_org, partner_user, days_ago=3)
    for_officer = {group.key: group for group in results_waiting_for(officer)}["results.reports_to_review"]
    assert for_officer.total == 1
    assert [item.url for item in for_officer.items] == [reverse("results:report_detail", args=[sent.pk])]
    for_manager = {group.key: group for group in waiting_for(manager)}["results.reports_to_review"]
    assert for_manager.total == 2
    assert [item.url for item in for_manager.items] == [
        reverse("results:report_detail", args=[entered.pk]),
        reverse("results:report_detail", args=[sent.pk]),
    ]


def test_auditor_and_partner_user_review_nothing(auditor, partner_user, partner_org, framework):
    _submitted(framework.periods[0], partner_org, partner_user)
    assert "results.reports_to_review" not in {group.key for group in waiting_for(auditor)}
    assert "results.reports_to_review" not in {group.key for group in waiting_for(partner_user)}


def test_partner_user_is_waiting_for_the_reports_to_send(partner_user, other_partner_user, officer, framework):
    group = {group.key: group for group in waiting_for(partner_user)}["results.reports_to_send"]
    assert group.total == 3
    assert group.items[0].detail.startswith("Overdue")
    assert group.items[0].url.startswith(reverse("results_portal:report", args=[framework.periods[0].pk]))
    assert "results.reports_to_send" not in {group.key for group in waiting_for(other_partner_user)}
    assert "results.reports_to_send" not in {group.key for group in waiting_for(officer)}


def test_totals_agree_with_the_guard(officer, manager, partner_user, partner_org, framework):
    for period in framework.periods[:2]:
        _submitted(period, partner_org, officer, on_behalf=True)
    _submitted(framework.periods[2], partner_org, partner_user)
    for user, expected in ((officer, 1), (manager, 3)):
        group = {group.key: group for group in results_waiting_for(user)}["results.reports_to_review"]
        allowed = [
            report
            for report in Report.objects.filter(status=ReportStatus.SUBMITTED)
            if report_move_refusal(report, user, "approve") is None
        ]
        assert group.total == len(allowed) == len(group.items) == expected
        assert {item.url for item in group.items} == {
            reverse("results:report_detail", args=[report.pk]) for report in allowed
        }


def _partner_page_queries(client, organisation) -> int:
    url = reverse("partners:detail", args=[organisation.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _old_periods(programme, count: int, first_year: int):
    """``count`` monthly periods long past (each owed and overdue), written in bulk."""
    periods = []
    for n in range(count):
        starts_on = datetime.date(first_year + n // 12, n % 12 + 1, 1)
        ends_on = starts_on + datetime.timedelta(days=27)
        periods.append(Period(programme=programme, starts_on=starts_on, ends_on=ends_on, due_on=ends_on))
    Period.objects.bulk_create(periods)


def test_partner_page_section_queries_stay_flat_from_10_to_200_reports(client, officer, partner_org, framework):
    client.force_login(officer)
    _old_periods(framework.programme, 7, 1990)  # with the framework's three begun quarters: 10 reports owed
    few = _partner_page_queries(client, partner_org)
    _old_periods(framework.programme, 190, 2000)
    page = client.get(reverse("partners:detail", args=[partner_org.pk])).text
    assert 'id="partner-results-due">200<' in page and 'id="partner-results-overdue">198<' in page
    assert _partner_page_queries(client, partner_org) == few
