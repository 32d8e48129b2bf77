"""The overdue reports on the review list at scale: counted and paged in the database, the same rows in the same
order as the reports still owed, and a page costs the same queries however many reports are owed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.results import selectors, services
from tests.factories import ParticipationFactory
from tests.programs.results.factories import TODAY, build_framework

pytestmark = pytest.mark.django_db
LATER = TODAY + datetime.timedelta(days=400)  # every 2026 quarter and the first two of 2027 are overdue then


def _owed(entries) -> list[tuple]:
    return [(entry.period.pk, entry.organisation.pk, entry.report and entry.report.pk) for entry in entries]


@pytest.fixture
def frameworks(own_programme, foreign_programme, partner_org, other_org, partner_user, officer):
    first = build_framework(own_programme, partner_org, officer)
    second = build_framework(foreign_programme, other_org, officer)
    ParticipationFactory(programme=foreign_programme, organisation=partner_org)
    services.indicator_create(result=second.output, created_by=officer, title="Wells dug", reporter=partner_org)
    draft = services.report_open(period=first.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY)
    return first, second, draft


def test_the_overdue_reports_are_those_still_owed_soonest_due_first(frameworks, officer, partner_user):
    first, second, draft = frameworks
    owed = [entry for entry in selectors.reports_due(user=officer, today=LATER) if entry.overdue]
    overdue = selectors.OverdueReports(user=officer, today=LATER)
    assert len(overdue) == len(owed) == 6 * 3  # six quarters past due, three partner–programme pairs
    assert _owed(overdue) == _owed(owed)
    assert (first.periods[0].pk, draft.organisation_id, draft.pk) in _owed(overdue)
    assert _owed(overdue[4:9]) == _owed(owed)[4:9]

    own = [entry for entry in selectors.reports_due(user=partner_user, today=LATER) if entry.overdue]
    assert _owed(selectors.OverdueReports(user=partner_user, today=LATER)) == _owed(own)
    assert {entry.organisation.pk for entry in own} == {draft.organisation_id}


def test_a_sent_report_is_no_longer_overdue(frameworks, officer, partner_user):
    first, _second, draft = frameworks
    services.report_save(
        report=draft,
        saved_by=partner_user,
        values={first.trained.pk: {"value": "90"}, first.rate.pk: {"value": "55"}},
    )
    services.report_submit(report=draft, submitted_by=partner_user)
    overdue = _owed(selectors.OverdueReports(user=officer))
    assert (first.periods[0].pk, draft.organisation_id, draft.pk) not in overdue
    assert _owed(selectors.OverdueReports(user=officer)) == _owed(
        entry for entry in selectors.reports_due(user=officer) if entry.overdue
    )


def test_the_review_list_pages_the_overdue_reports(client, frameworks, officer, monkeypatch):
    monkeypatch.setattr("cooperation.pages.PAGE_SIZE", 2)
    monkeypatch.setattr("programs.results.views.reports.PAGE_SIZE", 2)
    client.force_login(officer)
    owed = [entry for entry in selectors.reports_due(user=officer) if entry.overdue]
    shown = []
    for number in range(1, 5):
        response = client.get(reverse("results:review_list"), {"overdue_page": number})
        assert response.status_code == 200
        shown += [(entry.period.pk, entry.organisation.pk) for entry in response.context["overdue_page"]]
    assert shown == [(entry.period.pk, entry.organisation.pk) for entry in owed][: len(shown)]
    assert response.context["overdue_page"].paginator.count == len(owed)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_page_of_the_review_list_costs_the_same_queries_however_many_reports_are_owed(
    client, own_programme, foreign_programme, partner_org, other_org, officer, monkeypatch
):
    monkeypatch.setattr("programs.results.views.reports.PAGE_SIZE", 2)
    url = reverse("results:review_list") + "?overdue_page=2"
    build_framework(own_programme, partner_org, officer)
    client.force_login(officer)
    client.get(url)
    few = _queries(client, url)
    build_framework(foreign_programme, other_org, officer)
    assert _queries(client, url) == few
