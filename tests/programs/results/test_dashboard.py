"""The manager dashboard's results section: hand-counted indicators by progress and goal, reports overdue and
waiting, narrowed by the dashboard's filter, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from cooperation.reference.codes import ActivityStatus
from programs.models import Objective
from programs.results import selectors, services
from programs.results.selectors import Status
from tests.factories import ParticipationFactory, ProgrammeFactory, ProgrammeObjectiveFactory
from tests.programs.results.factories import TODAY, build_framework

pytestmark = pytest.mark.django_db


def _approved(framework, organisation, partner_user, manager, *, trained, rate):
    report = services.report_open(
        period=framework.periods[0], organisation=organisation, opened_by=partner_user, today=TODAY
    )
    services.report_save(
        report=report,
        saved_by=partner_user,
        values={framework.trained.pk: {"value": trained}, framework.rate.pk: {"value": rate}},
    )
    services.report_submit(report=report, submitted_by=partner_user)
    services.report_approve(report=report, approved_by=manager)


@pytest.fixture
def scenario(own_programme, partner_org, partner_user, officer, manager):
    """The own programme (peace): 'people trained' on track (95 of 100), the rate off track (44 of 40→80, 10%).
    A second programme (humanitarian aid, in the pipeline) with nothing approved and its first report submitted."""
    ProgrammeObjectiveFactory(programme=own_programme, objective=Objective.PEACE)
    framework = build_framework(own_programme, partner_org, officer)
    _approved(framework, partner_org, partner_user, manager, trained="95", rate="44")
    second = ProgrammeFactory(status=ActivityStatus.PIPELINE)
    ParticipationFactory(programme=second, organisation=partner_org)
    ProgrammeObjectiveFactory(programme=second, objective=Objective.HUMANITARIAN_AID)
    waiting = build_framework(second, partner_org, officer)
    report = services.report_open(
        period=waiting.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )
    services.report_save(
        report=report,
        saved_by=partner_user,
        values={waiting.trained.pk: {"value": "10"}, waiting.rate.pk: {"value": "41"}},
    )
    services.report_submit(report=report, submitted_by=partner_user)
    return framework, waiting


def test_the_figures_are_the_hand_counted_ones(scenario, manager):
    figures = selectors.results_dashboard(user=manager, today=datetime.date(2026, 8, 15))
    assert figures.counts == {Status.ON_TRACK: 1, Status.AT_RISK: 0, Status.OFF_TRACK: 1, Status.NOT_MEASURED: 2}
    assert [
        (row.objective, row.counts[Status.ON_TRACK], row.counts[Status.NOT_MEASURED]) for row in figures.by_goal
    ] == [
        (Objective.HUMANITARIAN_AID, 0, 2),
        (Objective.PEACE, 1, 0),
    ]
    # On 15 August, the April–June reports of both programmes are overdue (due 30 July); Q1 of the second waits.
    assert (figures.overdue, figures.awaiting_review) == (2, 1)


def test_the_section_narrows_with_the_dashboards_status_filter(client, scenario, manager):
    client.force_login(manager)
    response = client.get(reverse("reporting:dashboard"), {"status": ActivityStatus.PIPELINE})
    figures = response.context["results"]["figures"]
    assert figures.counts[Status.ON_TRACK] == 0 and figures.indicators == 2
    assert figures.awaiting_review == 1
    html = response.content.decode()
    assert '<p class="stat" id="stat-indicators">2</p>' in html
    assert '<dd id="stat-reports-waiting">1</dd>' in html


def test_the_page_shows_progress_by_goal(client, scenario, manager):
    client.force_login(manager)
    html = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Indicators by progress" in html
    assert '<th scope="row" data-label="Goal">Peace</th>' in html


def test_the_query_count_stays_flat_as_programmes_grow(
    client, scenario, manager, officer, partner_org, django_assert_max_num_queries
):
    client.force_login(manager)
    client.get(reverse("reporting:dashboard"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("reporting:dashboard"))
    for _ in range(3):
        programme = ProgrammeFactory()
        ParticipationFactory(programme=programme, organisation=partner_org)
        build_framework(programme, partner_org, officer)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("reporting:dashboard"))
