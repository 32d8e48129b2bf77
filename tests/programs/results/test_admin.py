"""The results admin: every screen loads for an administrator, framework saves go through the services (their
history names who saved, their refusals show on the form), reports are read-only, and lists stay flat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.results import services
from programs.results.models import (
    ActualValue,
    Breakdown,
    Dimension,
    Indicator,
    Narrative,
    PeriodTarget,
    ReportingPlan,
    ReportStatus,
    Result,
    ResultLevel,
)
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory
from tests.programs.results.factories import TODAY, build_framework, sex_values

pytestmark = pytest.mark.django_db

MODELS = [
    "result",
    "indicator",
    "periodtarget",
    "reportingplan",
    "period",
    "dimension",
    "report",
    "actualvalue",
    "breakdown",
    "narrative",
    "evidence",
]


def changelist(model: str) -> str:
    return reverse(f"admin:results_{model}_changelist")


def change(record) -> str:
    return reverse(f"admin:results_{record._meta.model_name}_change", args=[record.pk])


@pytest.fixture
def framework(own_programme, partner_org, officer):
    return build_framework(own_programme, partner_org, officer)


@pytest.fixture
def report(framework, partner_org, partner_user):
    report = services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )
    women, men = sex_values()["female"], sex_values()["male"]
    services.report_save(
        report=report,
        saved_by=partner_user,
        values={
            framework.trained.pk: {"value": "90", "breakdown": {women: "50", men: "40"}},
            framework.rate.pk: {"value": "55"},
        },
        narratives={framework.output.pk: "Two committees trained in Kupang."},
    )
    services.report_submit(report=report, submitted_by=partner_user)
    return report


def test_every_changelist_and_change_form_loads_for_an_administrator(client, admin_user, framework, report):
    client.force_login(admin_user)
    records = [
        framework.output,
        framework.trained,
        framework.trained.targets.first(),
        ReportingPlan.objects.get(programme=framework.programme),
        framework.periods[0],
        Dimension.objects.get(code="sex"),
        report,
        ActualValue.objects.get(indicator=framework.trained),
        Breakdown.objects.first(),
        Narrative.objects.get(),
    ]
    for model in MODELS:
        assert client.get(changelist(model)).status_code == 200, model
    for record in records:
        page = client.get(change(record))
        assert page.status_code == 200, record._meta.model_name
    report_page = client.get(change(report)).content.decode()
    assert "Two committees trained in Kupang." in report_page
    assert 'name="_save"' not in report_page  # read-only: reports move through the review
    assert client.get(reverse("admin:results_result_history", args=[framework.output.pk])).status_code == 200


def test_adding_a_result_goes_through_the_service(client, admin_user, framework):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:results_result_add"),
        {
            "programme": framework.programme.pk,
            "level": ResultLevel.OUTPUT,
            "title": "Wells dug",
            "description": "",
            "parent": framework.outcome.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    result = Result.objects.get(title="Wells dug")
    # The service placed it after the programme's other output and recorded who added it.
    assert (result.position, result.history.first().history_user) == (2, admin_user)


def test_a_refusal_of_the_service_shows_on_the_form_and_nothing_is_saved(client, admin_user, framework):
    client.force_login(admin_user)
    response = client.post(
        change(framework.outcome),
        {"level": ResultLevel.OUTCOME, "title": "Renamed", "description": "", "parent": framework.output.pk},
    )
    assert response.status_code == 200
    assert "choose a higher level" in response.content.decode()
    framework.outcome.refresh_from_db()
    assert framework.outcome.title == "Households use safe water"


def _indicator_form(indicator, **changes) -> dict:
    form = {
        "title": indicator.title,
        "definition": indicator.definition,
        "unit": indicator.unit,
        "currency": "",
        "direction": indicator.direction,
        "cumulative": "on" if indicator.cumulative else "",
        "baseline_value": "" if indicator.baseline_value is None else str(indicator.baseline_value),
        "baseline_text": "",
        "baseline_on": "",
        "baseline_note": "",
        "target_value": "" if indicator.target_value is None else str(indicator.target_value),
        "target_text": "",
        "reporter": indicator.reporter_id or "",
        "dimensions": [dimension.pk for dimension in indicator.dimensions.all()],
        "measure": "",
        "revision_reason": "",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def test_changing_an_indicator_goes_through_the_service_and_its_rules(client, admin_user, framework, report, manager):
    client.force_login(admin_user)
    age = Dimension.objects.get(code="age")
    changed = client.post(
        change(framework.trained), _indicator_form(framework.trained, target_value="900", dimensions=[age.pk])
    )
    assert changed.status_code == 302, changed.content.decode()
    framework.trained.refresh_from_db()
    assert framework.trained.target_value == 900
    assert list(framework.trained.dimensions.values_list("code", flat=True)) == ["age"]
    assert framework.trained.history.first().history_user == admin_user

    services.report_approve(report=report, approved_by=manager)
    refused = client.post(change(framework.trained), _indicator_form(framework.trained, target_value="1000"))
    assert refused.status_code == 200
    assert "say why it is revised" in refused.content.decode()
    assert Indicator.objects.get(pk=framework.trained.pk).target_value == 900


def test_targets_and_plans_are_saved_through_the_services(client, admin_user, framework):
    client.force_login(admin_user)
    target = framework.trained.targets.get(period=framework.periods[1])
    response = client.post(change(target), {"value": "120", "text": ""})
    assert response.status_code == 302, response.content.decode()
    target.refresh_from_db()
    assert (target.value, target.history.first().history_user) == (120, admin_user)
    refused = client.post(
        reverse("admin:results_periodtarget_add"),
        {"indicator": framework.rate.pk, "period": framework.periods[1].pk, "value": "150", "text": ""},
    )
    assert refused.status_code == 200
    assert "A percentage cannot be more than 100." in refused.content.decode()
    assert not PeriodTarget.objects.filter(indicator=framework.rate).exists()

    plan = ReportingPlan.objects.get(programme=framework.programme)
    saved = client.post(change(plan), {"frequency": 6, "due_after_days": 20})
    assert saved.status_code == 302, saved.content.decode()
    plan.refresh_from_db()
    assert (plan.frequency, plan.history.first().history_user) == (6, admin_user)


def test_reports_are_read_only_even_for_an_administrator(client, admin_user, report):
    client.force_login(admin_user)
    assert client.post(change(report), {"status": ReportStatus.APPROVED}).status_code == 403
    assert client.get(reverse("admin:results_report_add")).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_officers_read_the_framework_and_reports_and_auditors_change_nothing(client, officer, auditor, report):
    client.force_login(officer)
    for model in ("result", "indicator", "periodtarget", "reportingplan", "period", "report"):
        assert client.get(changelist(model)).status_code == 200, model
    client.force_login(auditor)
    assert client.get(changelist("result")).status_code == 200
    assert client.get(reverse("admin:results_result_add")).status_code == 403


def _more(count, officer):
    for _ in range(count):
        organisation = OrganisationFactory()
        programme = ProgrammeFactory()
        ParticipationFactory(programme=programme, organisation=organisation)
        built = build_framework(programme, organisation, officer)
        services.report_open(period=built.periods[0], organisation=organisation, opened_by=officer, today=TODAY)


def test_changelists_stay_flat_as_rows_grow(client, admin_user, officer):
    client.force_login(admin_user)
    _more(1, officer)
    for model in MODELS:
        client.get(changelist(model))
    few = {}
    for model in MODELS:
        with CaptureQueriesContext(connection) as queries:
            client.get(changelist(model))
        few[model] = len(queries)
    _more(3, officer)
    for model in MODELS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(changelist(model)).status_code == 200
        assert len(queries) == few[model], model
