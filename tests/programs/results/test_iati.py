"""Results in the IATI file: the framework as ``result`` elements with their indicators, baselines, targets and
approved actuals by dimension, valid against the IATI 2.03 schema."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation import registry
from cooperation.roles import Role
from programs.results import services
from programs.results.iati import parts
from programs.results.models import ResultLevel
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.programs.iati_helpers import split, validated
from tests.programs.results.factories import TODAY, build_framework, sex_values

pytestmark = pytest.mark.django_db


def _report(framework, period, partner_user, reviewer, *, trained, rate, breakdown=None, approve=True):
    report = services.report_open(
        period=period, organisation=framework.trained.reporter, opened_by=partner_user, today=TODAY
    )
    values = {
        framework.trained.pk: {"value": trained, "breakdown": breakdown or {}},
        framework.rate.pk: {"value": rate, "comment": "Measured in two districts"},
    }
    services.report_save(report=report, saved_by=partner_user, values=values)
    services.report_submit(report=report, submitted_by=partner_user)
    if approve:
        services.report_approve(report=report, approved_by=reviewer)
    return report


@pytest.fixture
def framework(own_programme, partner_org, officer):
    framework = build_framework(own_programme, partner_org, officer)
    framework.rate.baseline_on = datetime.date(2025, 11, 30)
    framework.rate.save(update_fields=["baseline_on"])
    return framework


def test_results_contribute_to_the_iati_file():
    assert parts in registry.contributors(registry.IATI)


def test_a_framework_with_targets_and_approved_actuals(framework, partner_user, manager):
    women, men = sex_values()["female"], sex_values()["male"]
    first, second = framework.periods[:2]
    _report(framework, first, partner_user, manager, trained="90", rate="55", breakdown={women: "50", men: "40"})
    _report(framework, second, partner_user, manager, trained="70", rate="60", approve=False)  # not yet approved

    found, problems = split(parts([framework.programme]))
    activity = validated(framework.programme, found)

    assert problems == []
    outcome, output = activity.findall("result")
    assert (outcome.get("type"), outcome.findtext("title/narrative")) == ("2", "Households use safe water")
    assert (output.get("type"), output.get("aggregation-status")) == ("1", "true")
    rate = outcome.find("indicator")
    assert (rate.get("measure"), rate.get("ascending"), rate.get("aggregation-status")) == ("2", "true", "false")
    baseline = rate.find("baseline")
    assert (baseline.get("year"), baseline.get("iso-date"), Decimal(baseline.get("value"))) == (
        "2025",
        "2025-11-30",
        Decimal(40),
    )
    measured = rate.find("period")
    assert measured.find("period-start").get("iso-date") == first.starts_on.isoformat()
    assert measured.find("period-end").get("iso-date") == first.ends_on.isoformat()
    assert Decimal(measured.find("actual").get("value")) == Decimal(55)
    assert measured.findtext("actual/comment/narrative") == "Measured in two districts"

    trained = output.find("indicator")
    assert trained.findtext("title/narrative") == "People trained"
    periods = trained.findall("period")
    assert len(periods) == len(framework.periods)  # a target in each
    reported = periods[0]
    assert Decimal(reported.find("target").get("value")) == Decimal(100)
    assert [
        (Decimal(actual.get("value")), [(d.get("name"), d.get("value")) for d in actual.findall("dimension")])
        for actual in reported.findall("actual")
    ] == [(Decimal(90), []), (Decimal(50), [("Sex", "Female")]), (Decimal(40), [("Sex", "Male")])]
    assert periods[1].find("actual") is None  # submitted, not approved
    assert Decimal(periods[1].find("target").get("value")) == Decimal(100)


def test_a_baseline_without_its_date_is_a_problem(own_programme, partner_org, officer):
    framework = build_framework(own_programme, partner_org, officer)  # the rate's baseline 40 has no date

    found, problems = split(parts([framework.programme]))

    assert [problem.programme_id for problem in problems] == [own_programme.pk]
    assert "Households with safe water" in str(problems[0].message)


def test_a_result_without_indicators_is_left_out(officer):
    programme = ProgrammeFactory()
    services.result_create(programme=programme, created_by=officer, level=ResultLevel.IMPACT, title="Fewer illnesses")

    assert parts([programme]) == []


def _framework_reported(index: int, manager):
    partner = OrganisationFactory()
    programme = ProgrammeFactory()
    ParticipationFactory(programme=programme, organisation=partner)
    officer = UserFactory(username=f"results-officer-{index}", role=Role.OFFICER)
    reporter = UserFactory(username=f"results-partner-{index}", role=Role.PARTNER)
    MembershipFactory(user=reporter, organisation=partner)
    framework = build_framework(programme, partner, officer)
    framework.rate.baseline_on = datetime.date(2025, 1, 1)
    framework.rate.save(update_fields=["baseline_on"])
    women, men = sex_values()["female"], sex_values()["male"]
    _report(framework, framework.periods[0], reporter, manager, trained="9", rate="50", breakdown={women: 5, men: 4})
    return programme


def test_the_queries_do_not_grow_with_the_records(manager):
    counts = []
    for size in (1, 3):
        programmes = [_framework_reported(size * 10 + index, manager) for index in range(size)]
        with CaptureQueriesContext(connection) as queries:
            assert split(parts(programmes))[0]
        counts.append(len(queries))

    assert counts == [5, 5]
