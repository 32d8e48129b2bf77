"""A programme's results progress over the API: each indicator's baseline, target, approved actual to date, percent
of the way (whichever way it should move) and status, as the framework page computes them, for whoever may read
the framework."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from programs.results import selectors, services
from programs.results.models import ResultLevel
from tests.factories import UserFactory
from tests.programs.results.factories import TODAY, build_framework

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def progress_url(programme) -> str:
    return f"/api/v1/programmes/{programme.pk}/results/progress/"


@pytest.fixture
def framework(own_programme, partner_org, officer):
    """The test framework, plus 'diarrhoea cases' on the outcome: to go down from 50 to 20."""
    framework = build_framework(own_programme, partner_org, officer)
    framework.cases = services.indicator_create(
        result=framework.outcome,
        created_by=officer,
        title="Diarrhoea cases a month",
        direction="decrease",
        cumulative=False,
        baseline_value="50",
        target_value="20",
        reporter=partner_org,
    )
    return framework


def report(framework, partner_org, partner_user, period, values: dict, *, approved_by=None):
    opened = services.report_open(period=period, organisation=partner_org, opened_by=partner_user, today=TODAY)
    values = {indicator.pk: {"value": value} for indicator, value in values.items()}
    services.report_save(report=opened, saved_by=partner_user, values=values)
    services.report_submit(report=opened, submitted_by=partner_user)
    if approved_by is not None:
        services.report_approve(report=opened, approved_by=approved_by)
    return opened


@pytest.fixture
def reported(framework, partner_org, partner_user, manager):
    """The first quarter approved (90 trained, 70% of households, 41 cases); the second sent, not yet approved."""
    first, second = framework.periods[:2]
    values = {framework.trained: "90", framework.rate: "70", framework.cases: "41"}
    report(framework, partner_org, partner_user, first, values, approved_by=manager)
    report(
        framework,
        partner_org,
        partner_user,
        second,
        {framework.trained: "500", framework.rate: "10", framework.cases: "9"},
    )
    return framework


def test_each_indicator_shows_how_far_it_has_come_toward_its_target(officer, reported):
    response = as_user(officer).get(progress_url(reported.programme))

    assert response.status_code == 200
    body = response.json()
    assert (body["programme"], body["programme_code"]) == (reported.programme.pk, reported.programme.code)
    assert (body["on_track_percent"], body["at_risk_percent"]) == ("90.00", "60.00")
    rows = {row["title"]: row for row in body["indicators"]}
    # Only approved values count: the second quarter's report waits for review.
    trained = rows["People trained"]
    assert (trained["baseline"], trained["target"], trained["actual"]) == (None, "100.00", "90.00")
    assert (trained["percent"], trained["status"], trained["status_label"]) == ("90.0", "on_track", "On track")
    rate = rows["Households with safe water"]
    # From 40 toward 80: 70 is three quarters of the way.
    assert (rate["baseline"], rate["target"], rate["actual"], rate["percent"]) == ("40.00", "80.00", "70.00", "75.0")
    assert rate["status"] == "at_risk"
    cases = rows["Diarrhoea cases a month"]
    # Down from 50 toward 20: 41 is 30% of the way.
    assert (cases["direction"], cases["percent"], cases["status"]) == ("decrease", "30.0", "off_track")
    assert body["counts"] == {"on_track": 1, "at_risk": 1, "off_track": 1, "not_measured": 0}
    # Highest-level result first, as the framework page shows them.
    assert [row["result_title"] for row in body["indicators"]][-1] == "Water committees trained"
    first, second = trained["points"][:2]
    assert (first["period"], first["target"], first["actual"]) == (reported.periods[0].pk, "100.00", "90.00")
    assert (second["target"], second["actual"]) == ("100.00", None)
    assert len(trained["points"]) == len(reported.periods)


def test_the_figures_are_those_of_the_framework_page(client, officer, reported):
    client.force_login(officer)
    page = client.get(reverse("results:framework", args=[reported.programme.pk]))
    shown = {block.indicator.pk: block.progress for result in page.context["blocks"] for block in result.indicators}

    body = as_user(officer).get(progress_url(reported.programme)).json()
    for row in body["indicators"]:
        entry = shown[row["indicator"]]
        assert (row["percent"], row["status"]) == (str(entry.percent), entry.status.value)


def test_an_indicator_without_approved_values_is_not_measured_yet(officer, framework):
    body = as_user(officer).get(progress_url(framework.programme)).json()

    assert {row["status"] for row in body["indicators"]} == {"not_measured"}
    assert {row["percent"] for row in body["indicators"]} == {None}
    assert body["counts"]["not_measured"] == 3


def test_a_partner_user_reads_the_progress_of_their_programmes_only(
    partner_user, reported, foreign_programme, other_org, officer
):
    foreign = build_framework(foreign_programme, other_org, officer)

    own = as_user(partner_user).get(progress_url(reported.programme))
    assert own.status_code == 200
    assert own.json()["counts"]["on_track"] == 1
    assert as_user(partner_user).get(progress_url(foreign.programme)).status_code == 404


def test_who_may_not_read_frameworks_gets_404_as_for_a_missing_programme(reported, officer):
    assert as_user(UserFactory(username="nobody")).get(progress_url(reported.programme)).status_code == 404
    assert as_user(officer).get("/api/v1/programmes/999999/results/progress/").status_code == 404
    assert APIClient().get(progress_url(reported.programme)).status_code in (401, 403)


def test_the_progress_url_is_named(own_programme):
    assert reverse("api:programme-results-progress", args=[own_programme.pk]) == progress_url(own_programme)


def test_progress_queries_stay_flat(officer, framework):
    api = as_user(officer)
    url = progress_url(framework.programme)
    api.get(url)  # loads the user's permissions
    with CaptureQueriesContext(connection) as few:
        api.get(url)
    for number in range(4):
        output = services.result_create(
            programme=framework.programme, created_by=officer, level=ResultLevel.OUTPUT, title=f"Output {number}"
        )
        for kind in range(2):
            indicator = services.indicator_create(result=output, created_by=officer, title=f"Indicator {number}.{kind}")
            services.targets_set(indicator=indicator, targets=dict.fromkeys(framework.periods, 10), set_by=officer)
    with CaptureQueriesContext(connection) as many:
        response = api.get(url)
    assert len(response.json()["indicators"]) == 11
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_selector_reads_the_framework_in_a_few_queries(officer, reported, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        progress = selectors.programme_progress(user=officer, programme=reported.programme)
    assert len(progress) == 3
