"""The framework lists over the API at scale: staff count and page the table itself, a partner still reads only the
frameworks of their programmes, and each indicator's targets come in period order in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.programs.results.factories import build_framework

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_indicators_list_their_targets_in_period_order(
    own_programme, foreign_programme, partner_org, other_org, officer
):
    first = build_framework(own_programme, partner_org, officer)
    build_framework(foreign_programme, other_org, officer)
    answer = _client(officer).get("/api/v1/indicators/").json()
    assert answer["count"] == 4
    trained = next(row for row in answer["results"] if row["id"] == first.trained.pk)
    assert [target["period"] for target in trained["targets"]] == [period.pk for period in first.periods]


def test_a_partner_reads_the_frameworks_of_their_programmes_only(
    own_programme, foreign_programme, partner_org, other_org, officer, partner_user
):
    own = build_framework(own_programme, partner_org, officer)
    build_framework(foreign_programme, other_org, officer)
    client = _client(partner_user)
    assert {row["id"] for row in client.get("/api/v1/indicators/").json()["results"]} == {own.trained.pk, own.rate.pk}
    assert {row["id"] for row in client.get("/api/v1/results/").json()["results"]} == {own.outcome.pk, own.output.pk}
    assert client.get("/api/v1/reporting-periods/").json()["count"] == len(own.periods)


def test_a_page_of_indicators_costs_the_same_queries_however_many_frameworks(
    own_programme, foreign_programme, partner_org, other_org, officer
):
    build_framework(own_programme, partner_org, officer)
    client = _client(officer)
    client.get("/api/v1/indicators/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/indicators/").status_code == 200
    build_framework(foreign_programme, other_org, officer)
    with CaptureQueriesContext(connection) as more:
        assert client.get("/api/v1/indicators/").status_code == 200
    assert len(more) == len(few)
