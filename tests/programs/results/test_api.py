"""The results API: frameworks read by whoever may see the programme and built by officers, partners' reports scoped
to their organisation, filled in, submitted, returned with comments, corrected and approved, every write through
the services with their refusal codes beside the fields, and list query counts flat as rows grow."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cooperation.refusals import Refused
from programs.results import services
from programs.results.models import Indicator, PeriodTarget, Report, ReportStatus, Result, ResultLevel, Unit
from programs.results.services import ResultsRefusal
from tests.api_errors import error_codes, error_fields
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory
from tests.programs.results.factories import TODAY, build_framework, sex_values

pytestmark = pytest.mark.django_db

RESULTS = "/api/v1/results/"
INDICATORS = "/api/v1/indicators/"
PERIODS = "/api/v1/reporting-periods/"
REPORTS = "/api/v1/results-reports/"


@pytest.fixture(autouse=True)
def _on_the_framework_day():
    cache.clear()  # fresh throttle counts
    with time_machine.travel(datetime.datetime(2026, 7, 15, 10, tzinfo=datetime.UTC), tick=False):
        yield


def as_user(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def framework(own_programme, partner_org, officer):
    return build_framework(own_programme, partner_org, officer)


@pytest.fixture
def report(framework, partner_org, partner_user):
    return services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )


def values_body(framework, trained="90", rate="50", **trained_extra) -> dict:
    return {
        "values": [
            {"indicator": framework.trained.pk, "value": trained, **trained_extra},
            {"indicator": framework.rate.pk, "value": rate},
        ],
        "narratives": [{"result": framework.output.pk, "text": "Two committees trained in Kupang."}],
    }


# --- scoping ------------------------------------------------------------------------------------------------------


def test_a_partner_reads_only_its_own_reports_and_frameworks(framework, report, other_partner_user, partner_user):
    other = as_user(other_partner_user)
    assert other.get(f"{REPORTS}{report.pk}/").status_code == 404
    assert ids(other.get(REPORTS)) == set()
    assert other.post(f"{REPORTS}{report.pk}/values/", values_body(framework), format="json").status_code == 404
    assert other.post(f"{REPORTS}{report.pk}/submit/").status_code == 404
    # Another organisation's programme: its framework does not exist for this partner.
    assert ids(other.get(RESULTS)) == set() and ids(other.get(INDICATORS)) == set() and ids(other.get(PERIODS)) == set()
    assert other.get(f"{INDICATORS}{framework.trained.pk}/").status_code == 404
    assert other.get(f"{RESULTS}{framework.output.pk}/").status_code == 404

    own = as_user(partner_user)
    assert ids(own.get(REPORTS)) == {report.pk}
    assert ids(own.get(RESULTS)) == {framework.outcome.pk, framework.output.pk}
    assert own.get(f"{REPORTS}{report.pk}/").json()["moves"] == ["save", "submit"]


def test_a_partner_does_not_open_a_report_for_another_organisation(framework, partner_user, other_org):
    ParticipationFactory(programme=framework.programme, organisation=other_org)
    response = as_user(partner_user).post(
        REPORTS, {"period": framework.periods[0].pk, "organisation": other_org.pk}, format="json"
    )
    # A partner user names only its own organisation: any other is no choice at all.
    assert error_codes(response) == {"organisation": ["does_not_exist"]}
    assert not Report.objects.exists()


def test_partners_and_auditors_do_not_build_frameworks(framework, partner_user, auditor):
    for user in (partner_user, auditor):
        api = as_user(user)
        body = {"programme": framework.programme.pk, "level": ResultLevel.OUTPUT, "title": "Wells dug"}
        assert api.post(RESULTS, body, format="json").status_code == 403
        assert api.patch(f"{INDICATORS}{framework.trained.pk}/", {"title": "x"}, format="json").status_code == 403
        assert api.post(f"{PERIODS}plan/", {"programme": framework.programme.pk, "frequency": 6}).status_code == 403
    assert Result.objects.count() == 2
    assert ids(as_user(auditor).get(RESULTS)) == {framework.outcome.pk, framework.output.pk}


# --- building a framework -----------------------------------------------------------------------------------------


def test_an_officer_builds_a_result_an_indicator_and_its_targets(own_programme, partner_org, officer):
    api = as_user(officer)
    plan = api.post(f"{PERIODS}plan/", {"programme": own_programme.pk, "frequency": 6, "due_after_days": 45})
    assert plan.status_code == 200, plan.content
    periods = plan.json()["periods"]
    assert plan.json()["frequency"] == 6
    assert [(p["starts_on"], p["due_on"]) for p in periods[:2]] == [
        ("2026-01-01", "2026-08-14"),
        ("2026-07-01", "2027-02-14"),
    ]
    assert ids(api.get(PERIODS, {"programme": own_programme.pk})) == {p["id"] for p in periods}

    outcome = api.post(
        RESULTS, {"programme": own_programme.pk, "level": ResultLevel.OUTCOME, "title": "Safe water"}, format="json"
    )
    assert outcome.status_code == 201, outcome.content
    created = api.post(
        RESULTS,
        {"programme": own_programme.pk, "level": ResultLevel.OUTPUT, "title": "Wells", "parent": outcome.json()["id"]},
        format="json",
    )
    assert created.status_code == 201 and created.json()["parent"] == outcome.json()["id"]
    result = created.json()["id"]

    indicator = api.post(
        INDICATORS,
        {
            "result": result,
            "title": "Wells dug",
            "unit": Unit.NUMBER,
            "baseline_value": "0",
            "target_value": "40",
            "reporter": partner_org.pk,
            "dimensions": ["location"],
        },
        format="json",
    )
    assert indicator.status_code == 201, indicator.content
    shown = indicator.json()
    assert (shown["iati_measure"], shown["direction"], shown["ascending"]) == (1, "increase", True)
    assert (shown["target_value"], shown["reporter"], shown["dimensions"]) == ("40.00", partner_org.pk, ["location"])

    targets = api.post(
        f"{INDICATORS}{shown['id']}/targets/",
        {"targets": [{"period": periods[0]["id"], "value": "10"}, {"period": periods[1]["id"], "value": "15"}]},
        format="json",
    )
    assert targets.status_code == 200, targets.content
    assert [(t["period"], t["value"]) for t in targets.json()["targets"]] == [
        (periods[0]["id"], "10.00"),
        (periods[1]["id"], "15.00"),
    ]
    stored = Indicator.objects.get(pk=shown["id"])
    assert stored.history.first().history_user == officer
    assert (
        PeriodTarget.objects.get(indicator=stored, period_id=periods[1]["id"]).history.first().history_user == officer
    )

    assert api.get(RESULTS, {"programme": own_programme.pk, "level": ResultLevel.OUTPUT}).json()["count"] == 1
    assert ids(api.get(INDICATORS, {"result": result})) == {shown["id"]}


def test_framework_errors_are_400s_beside_their_fields(framework, officer, foreign_programme):
    api = as_user(officer)
    money = api.post(INDICATORS, {"result": framework.output.pk, "title": "Spent", "unit": "money"}, format="json")
    assert error_fields(money) == {"currency": ["Choose the currency of a money indicator."]}
    bad_dimension = api.post(
        INDICATORS, {"result": framework.output.pk, "title": "x", "dimensions": ["shoe-size"]}, format="json"
    )
    assert error_codes(bad_dimension) == {"dimensions.0": ["does_not_exist"]}
    wrong_parent = api.post(
        RESULTS,
        {"programme": foreign_programme.pk, "level": ResultLevel.OUTPUT, "title": "x", "parent": framework.outcome.pk},
        format="json",
    )
    assert set(error_fields(wrong_parent)) == {"parent"}
    percent = api.post(
        f"{INDICATORS}{framework.rate.pk}/targets/",
        {"targets": [{"period": framework.periods[0].pk, "value": "120"}]},
        format="json",
    )
    assert error_fields(percent) == {"targets.0.value": ["A percentage cannot be more than 100."]}
    unknown = api.post(
        f"{INDICATORS}{framework.rate.pk}/targets/", {"targets": [{"period": 10**12, "value": "50"}]}, format="json"
    )
    assert set(error_fields(unknown)) == {"targets.0.period"}
    assert not framework.rate.targets.exists()
    assert Result.objects.count() == 2


def test_a_result_reported_against_is_not_removed(framework, report, partner_user, officer):
    as_user(partner_user).post(f"{REPORTS}{report.pk}/values/", values_body(framework), format="json")
    response = as_user(officer).delete(f"{RESULTS}{framework.output.pk}/")
    assert error_codes(response) == {"non_field_errors": [ResultsRefusal.LOCKED]}
    assert Result.objects.filter(pk=framework.output.pk).exists()


def test_an_approved_indicator_is_revised_only_with_a_reason(framework, report, partner_user, officer, manager):
    partner = as_user(partner_user)
    partner.post(f"{REPORTS}{report.pk}/values/", values_body(framework), format="json")
    partner.post(f"{REPORTS}{report.pk}/submit/")
    assert as_user(manager).post(f"{REPORTS}{report.pk}/approve/").status_code == 200

    api = as_user(officer)
    refused = api.patch(f"{INDICATORS}{framework.trained.pk}/", {"target_value": "900"}, format="json")
    assert error_codes(refused) == {"revision_reason": [ResultsRefusal.REVISION_REASON_REQUIRED]}
    revised = api.patch(
        f"{INDICATORS}{framework.trained.pk}/",
        {"target_value": "900", "revision_reason": "A second district joined."},
        format="json",
    )
    assert revised.status_code == 200, revised.content
    assert (revised.json()["target_value"], revised.json()["revision_reason"]) == (
        "900.00",
        "A second district joined.",
    )


# --- a report from draft to approval ------------------------------------------------------------------------------


def test_a_report_is_filled_submitted_returned_corrected_and_approved(
    framework, partner_org, partner_user, officer, manager
):
    partner = as_user(partner_user)
    opened = partner.post(REPORTS, {"period": framework.periods[0].pk, "organisation": partner_org.pk}, format="json")
    assert opened.status_code == 201, opened.content
    url = f"{REPORTS}{opened.json()['id']}/"
    women, men = sex_values()["female"], sex_values()["male"]

    saved = partner.post(
        f"{url}values/",
        values_body(framework, breakdown={str(women): "50", str(men): "40"}, comment="Rains delayed one session"),
        format="json",
    )
    assert saved.status_code == 200, saved.content
    trained = next(v for v in saved.json()["values"] if v["indicator"] == framework.trained.pk)
    assert (trained["value"], trained["comment"]) == ("90.00", "Rains delayed one session")
    assert {(part["dimension"], part["code"], part["value"]) for part in trained["breakdown"]} == {
        ("sex", "female", "50.00"),
        ("sex", "male", "40.00"),
    }
    assert saved.json()["narratives"] == [{"result": framework.output.pk, "text": "Two committees trained in Kupang."}]

    assert partner.post(f"{url}submit/").json()["status"] == ReportStatus.SUBMITTED
    assert partner.post(f"{url}approve/").status_code == 403  # partners do not review

    returned = as_user(officer).post(
        f"{url}return/",
        {"comment": "Check the lists.", "indicator_comments": {str(framework.trained.pk): "The lists show 80."}},
        format="json",
    )
    assert returned.status_code == 200, returned.content
    assert (returned.json()["status"], returned.json()["review_comment"]) == (ReportStatus.RETURNED, "Check the lists.")

    seen = partner.get(url).json()
    comments = {value["indicator"]: value["review_comment"] for value in seen["values"]}
    assert comments[framework.trained.pk] == "The lists show 80."
    corrected = partner.post(
        f"{url}values/",
        values_body(framework, trained="80", breakdown={str(women): "45", str(men): "35"}),
        format="json",
    )
    assert corrected.status_code == 200, corrected.content
    assert partner.post(f"{url}submit/").json()["status"] == ReportStatus.SUBMITTED

    approved = as_user(manager).post(f"{url}approve/")
    assert approved.status_code == 200, approved.content
    assert (approved.json()["status"], approved.json()["reviewed_by"]) == (ReportStatus.APPROVED, manager.pk)
    report = Report.objects.get()
    assert report.values.get(indicator=framework.trained).value == Decimal(80)
    assert report.history.first().history_user == manager


def test_parts_that_do_not_add_up_are_refused_with_their_code(framework, report, partner_user):
    women, men = sex_values()["female"], sex_values()["male"]
    response = as_user(partner_user).post(
        f"{REPORTS}{report.pk}/values/",
        values_body(framework, rate="101", breakdown={str(women): "50", str(men): "30"}),
        format="json",
    )
    assert error_codes(response) == {
        "values.0.breakdown.sex": [ResultsRefusal.NOT_ADDING_UP],
        "values.1.value": [ResultsRefusal.OUT_OF_RANGE],
    }
    assert error_fields(response)["values.0.breakdown.sex"] == [
        "The values by sex add up to 80, not to the total of 90."
    ]
    assert not report.values.exists()


@pytest.mark.parametrize(
    ("row", "field", "code"),
    [
        ({"value": "1.23456"}, "values.0.value", "max_decimal_places"),
        ({"value": "ninety"}, "values.0.value", "invalid"),
        ({"value": "90", "breakdown": {"women": "50"}}, "values.0.breakdown.women", "invalid"),
    ],
)
def test_malformed_values_are_400s_beside_the_row(framework, report, partner_user, row, field, code):
    body = {"values": [{"indicator": framework.trained.pk, **row}]}
    response = as_user(partner_user).post(f"{REPORTS}{report.pk}/values/", body, format="json")
    assert error_codes(response) == {field: [code]}


def test_moves_out_of_order_are_refused_with_wrong_status(framework, report, partner_user, officer):
    partner = as_user(partner_user)
    incomplete = partner.post(f"{REPORTS}{report.pk}/submit/")
    assert error_codes(incomplete) == {
        f"value-{framework.trained.pk}": [ResultsRefusal.VALUE_REQUIRED],
        f"value-{framework.rate.pk}": [ResultsRefusal.VALUE_REQUIRED],
    }
    assert error_codes(as_user(officer).post(f"{REPORTS}{report.pk}/approve/")) == {
        "non_field_errors": [Refused.WRONG_STATUS]
    }
    partner.post(f"{REPORTS}{report.pk}/values/", values_body(framework), format="json")
    partner.post(f"{REPORTS}{report.pk}/submit/")
    again = partner.post(f"{REPORTS}{report.pk}/values/", values_body(framework, trained="5"), format="json")
    assert error_codes(again) == {"non_field_errors": [Refused.WRONG_STATUS]}
    unsaid = as_user(officer).post(f"{REPORTS}{report.pk}/return/", {}, format="json")
    assert error_codes(unsaid) == {"comment": [ResultsRefusal.VALUE_REQUIRED]}
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_reports_open_only_for_periods_begun_and_filter_by_programme_status_and_organisation(
    framework, report, officer, partner_org
):
    api = as_user(officer)
    not_begun = api.post(REPORTS, {"period": framework.periods[-1].pk, "organisation": partner_org.pk}, format="json")
    assert error_codes(not_begun) == {"non_field_errors": [ResultsRefusal.PERIOD_NOT_BEGUN]}
    assert ids(api.get(REPORTS, {"programme": framework.programme.pk, "status": "draft"})) == {report.pk}
    assert ids(api.get(REPORTS, {"status": "approved"})) == set()
    assert ids(api.get(REPORTS, {"organisation": partner_org.pk})) == {report.pk}
    assert api.get(REPORTS, {"period": "9" * 30}).status_code == 400


# --- query counts -------------------------------------------------------------------------------------------------


def _frameworks(count, officer):
    """``count`` programmes, each with a framework and a draft report of its partner."""
    for _ in range(count):
        organisation = OrganisationFactory()
        programme = ProgrammeFactory()
        ParticipationFactory(programme=programme, organisation=organisation)
        built = build_framework(programme, organisation, officer)
        services.report_open(period=built.periods[0], organisation=organisation, opened_by=officer, today=TODAY)


@pytest.mark.parametrize("url", [RESULTS, INDICATORS, PERIODS, REPORTS])
def test_list_query_counts_stay_flat(url, officer):
    api = as_user(officer)
    _frameworks(1, officer)
    api.get(url)  # the user's permissions are loaded once
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).status_code == 200
    _frameworks(4, officer)
    with CaptureQueriesContext(connection) as many:
        response = api.get(url)
    assert response.status_code == 200 and response.json()["count"] > 4
    assert len(many) == len(few)


def test_the_reports_list_pages_in_its_order_with_each_reports_programme_and_partner(officer):
    _frameworks(3, officer)
    rows = as_user(officer).get(REPORTS).json()["results"]
    expected = Report.objects.order_by("-period__starts_on", "organisation__name", "pk").values_list(
        "pk", "period__programme__code", "organisation__name"
    )
    assert [(row["id"], row["programme_code"], row["organisation_name"]) for row in rows] == list(expected)


# --- schema -------------------------------------------------------------------------------------------------------


def test_the_schema_documents_the_results_endpoints(officer):
    schema = as_user(officer).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/results/{id}/"]) == {"get", "put", "patch", "delete"}
    assert set(paths["/api/v1/indicators/{id}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/reporting-periods/{id}/"]) == {"get"}
    assert set(paths["/api/v1/results-reports/{id}/"]) == {"get"}
    for action in ("values", "submit", "approve", "return"):
        assert set(paths[f"/api/v1/results-reports/{{id}}/{action}/"]) == {"post"}
    parameters = {p["name"] for p in paths["/api/v1/results-reports/"]["get"]["parameters"]}
    assert {"programme", "period", "organisation", "status"} <= parameters
    indicator = schema["components"]["schemas"]["Indicator"]["properties"]
    assert {"unit", "iati_measure", "direction", "baseline_value", "targets", "reporter", "dimensions"} <= set(
        indicator
    )


def test_a_dimension_named_out_of_every_range_is_refused_not_a_server_error(officer, framework):
    for name in ("48420140000", "-4698562273", "se\x00x", "x" * 500):
        response = as_user(officer).post(
            "/api/v1/indicators/",
            {"result": framework.output.pk, "title": "Wells", "dimensions": [name]},
            format="json",
        )
        assert response.status_code == 400, (name, response.content)
