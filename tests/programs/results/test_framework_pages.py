"""The results framework page of a programme: who reads it, and building it through its forms; bad input shows
its message next to the field and saves nothing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.results import selectors, services
from programs.results.charts import indicator_chart
from programs.results.models import Dimension, Indicator, ReportingPlan, Result, ResultLevel, Unit
from tests.programs.results.factories import TODAY, build_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(own_programme, partner_org, officer):
    return build_framework(own_programme, partner_org, officer)


def page_url(framework):
    return reverse("results:framework", args=[framework.programme.pk])


def indicator_data(partner_org, **changes):
    data = {
        "title": "Wells built",
        "definition": "",
        "unit": Unit.NUMBER,
        "currency": "",
        "direction": "increase",
        "cumulative": "on",
        "baseline_value": "0",
        "target_value": "20",
        "reporter": partner_org.pk,
        "measure": "",
    }
    return data | changes


def approve_first_report(framework, partner_org, partner_user, manager):
    report = services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )
    services.report_save(
        report=report,
        saved_by=partner_user,
        values={framework.trained.pk: {"value": "90"}, framework.rate.pk: {"value": "70"}},
    )
    services.report_submit(report=report, submitted_by=partner_user)
    services.report_approve(report=report, approved_by=manager)
    return report


# --- Reading -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "manager", "auditor", "admin_user"])
def test_staff_read_the_framework_with_each_indicator_s_progress(client, request, framework, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(page_url(framework))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Households use safe water" in body and "Water committees trained" in body
    assert "People trained" in body and "Households with safe water" in body
    assert "Not measured yet" in body
    assert 'class="chart"' in body and "Targets and actual values by period" in body
    can_change = role != "auditor"
    assert ("Add a result" in body) is can_change
    assert (reverse("results:indicator_edit", args=[framework.trained.pk]) in body) is can_change


def test_an_approved_value_shows_as_actual_percent_and_status(client, framework, partner_org, partner_user, manager):
    approve_first_report(framework, partner_org, partner_user, manager)
    client.force_login(manager)
    body = client.get(page_url(framework)).content.decode()
    # People trained: 90 of the 100 due by the first period: on track. Safe water: from 40 to 70 of 80: 75 %.
    assert "<dd>90 %</dd>" in body and "<dd>75 %</dd>" in body
    assert "On track" in body and "At risk" in body


@pytest.mark.parametrize("fixture", ["partner_user", "other_partner_user"])
def test_partner_users_get_404_for_the_workspace_framework_page(client, request, framework, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(page_url(framework)).status_code == 404
    assert client.get(reverse("results:indicator_edit", args=[framework.trained.pk])).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, framework):
    response = client.get(page_url(framework))
    assert response.status_code == 302 and "login" in response["Location"]


def test_auditors_read_but_may_not_open_or_post_the_framework_forms(client, framework, auditor):
    client.force_login(auditor)
    assert client.get(reverse("results:result_create", args=[framework.programme.pk])).status_code == 403
    assert client.get(reverse("results:indicator_targets", args=[framework.trained.pk])).status_code == 403
    response = client.post(reverse("results:result_remove", args=[framework.output.pk]))
    assert response.status_code == 403
    assert Result.objects.filter(pk=framework.output.pk).exists()


def test_the_page_of_an_unknown_programme_is_404(client, officer):
    client.force_login(officer)
    assert client.get(reverse("results:framework", args=[999999])).status_code == 404


# --- The reporting plan ------------------------------------------------------------------------------------------


def test_the_plan_is_set_and_the_periods_cut_again(client, framework, officer):
    client.force_login(officer)
    response = client.post(
        reverse("results:plan_set", args=[framework.programme.pk]), {"frequency": 6, "due_after_days": 45}
    )
    assert response.status_code == 302
    plan = ReportingPlan.objects.get(programme=framework.programme)
    assert (plan.frequency, plan.due_after_days) == (6, 45)
    body = client.get(response["Location"]).content.decode()
    assert "Semi-annual" in body


def test_a_plan_with_too_many_days_shows_the_message_and_changes_nothing(client, framework, officer):
    client.force_login(officer)
    response = client.post(
        reverse("results:plan_set", args=[framework.programme.pk]), {"frequency": 1, "due_after_days": 400}
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 365." in response.content.decode()
    plan = ReportingPlan.objects.get(programme=framework.programme)
    assert (plan.frequency, plan.due_after_days) == (3, 30)


# --- Results -----------------------------------------------------------------------------------------------------


def test_an_officer_adds_edits_moves_and_removes_a_result(client, framework, officer):
    client.force_login(officer)
    programme = framework.programme
    response = client.post(
        reverse("results:result_create", args=[programme.pk]),
        {"level": ResultLevel.OUTPUT, "title": "Wells built", "description": "", "parent": framework.outcome.pk},
    )
    assert response.status_code == 302
    wells = Result.objects.get(title="Wells built")
    assert (wells.parent, wells.level) == (framework.outcome, ResultLevel.OUTPUT)

    client.post(reverse("results:result_up", args=[wells.pk]))
    outputs = list(programme.results.filter(level=ResultLevel.OUTPUT).order_by("position"))
    assert outputs == [wells, framework.output]

    response = client.post(
        reverse("results:result_edit", args=[wells.pk]),
        {"level": ResultLevel.OUTPUT, "title": "Wells dug", "description": "By hand", "parent": framework.outcome.pk},
    )
    assert response.status_code == 302
    wells.refresh_from_db()
    assert (wells.title, wells.description) == ("Wells dug", "By hand")

    client.post(reverse("results:result_remove", args=[wells.pk]))
    assert not Result.objects.filter(pk=wells.pk).exists()


def test_an_outcome_serving_an_outcome_is_refused_next_to_its_field(client, framework, officer):
    client.force_login(officer)
    response = client.post(
        reverse("results:result_create", args=[framework.programme.pk]),
        {"level": ResultLevel.OUTCOME, "title": "Another outcome", "parent": framework.outcome.pk},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "An output serves an outcome, and an outcome an impact: choose a higher level." in body
    assert 'id="field-parent"' in body and "field-error" in body
    assert not Result.objects.filter(title="Another outcome").exists()


def test_a_result_with_reported_values_cannot_be_removed(client, framework, partner_org, partner_user, manager):
    approve_first_report(framework, partner_org, partner_user, manager)
    client.force_login(manager)
    response = client.post(reverse("results:result_remove", args=[framework.output.pk]), follow=True)
    assert "Values were reported against this result: it can no longer be removed." in response.content.decode()
    assert Result.objects.filter(pk=framework.output.pk).exists()


def test_an_indicator_is_removed_until_values_are_reported_against_it(
    client, framework, partner_org, partner_user, officer, manager
):
    client.force_login(officer)
    spare = services.indicator_create(result=framework.output, created_by=officer, title="Spare")
    response = client.post(reverse("results:indicator_remove", args=[spare.pk]), follow=True)
    assert "The indicator “Spare” was removed." in response.content.decode()
    assert not Indicator.objects.filter(pk=spare.pk).exists()

    approve_first_report(framework, partner_org, partner_user, manager)
    response = client.post(reverse("results:indicator_remove", args=[framework.trained.pk]), follow=True)
    assert "Values were reported against this indicator: it can no longer be removed." in response.content.decode()
    assert Indicator.objects.filter(pk=framework.trained.pk).exists()


# --- Indicators --------------------------------------------------------------------------------------------------


def test_an_officer_adds_an_indicator_with_dimensions(client, framework, partner_org, officer):
    client.force_login(officer)
    sex = Dimension.objects.get(code="sex")
    response = client.post(
        reverse("results:indicator_create", args=[framework.output.pk]),
        indicator_data(partner_org, dimensions=[sex.pk], baseline_on="2025-12-31"),
    )
    assert response.status_code == 302
    wells = Indicator.objects.get(title="Wells built")
    assert (wells.result, wells.reporter, wells.target_value) == (framework.output, partner_org, Decimal(20))
    assert list(wells.dimensions.all()) == [sex]


def test_a_percentage_target_over_100_is_refused_next_to_it(client, framework, partner_org, officer):
    client.force_login(officer)
    response = client.post(
        reverse("results:indicator_create", args=[framework.output.pk]),
        indicator_data(partner_org, unit=Unit.PERCENTAGE, target_value="150"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A percentage cannot be more than 100." in body
    assert 'id="field-target_value"' in body and "nothing was saved" in body
    assert not Indicator.objects.filter(title="Wells built").exists()


def test_money_without_a_currency_is_refused_next_to_the_currency(client, framework, partner_org, officer):
    client.force_login(officer)
    response = client.post(
        reverse("results:indicator_create", args=[framework.output.pk]), indicator_data(partner_org, unit=Unit.MONEY)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose the currency of a money indicator." in body
    assert not Indicator.objects.filter(title="Wells built").exists()


def test_a_reporter_outside_the_programme_cannot_be_chosen(client, framework, other_org, officer):
    client.force_login(officer)
    response = client.post(reverse("results:indicator_create", args=[framework.output.pk]), indicator_data(other_org))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Indicator.objects.filter(title="Wells built").exists()


def test_an_indicator_is_edited_freely_before_any_approval(client, framework, partner_org, officer):
    client.force_login(officer)
    url = reverse("results:indicator_edit", args=[framework.trained.pk])
    assert "Reason for the revision" not in client.get(url).content.decode()
    response = client.post(url, indicator_data(partner_org, title="People trained in hygiene", target_value="900"))
    assert response.status_code == 302
    framework.trained.refresh_from_db()
    assert (framework.trained.title, framework.trained.target_value) == ("People trained in hygiene", 900)


def test_a_revision_after_approval_needs_its_reason(client, framework, partner_org, partner_user, manager):
    approve_first_report(framework, partner_org, partner_user, manager)
    client.force_login(manager)
    url = reverse("results:indicator_edit", args=[framework.trained.pk])
    assert "Reason for the revision" in client.get(url).content.decode()
    changed = indicator_data(partner_org, title="People trained in hygiene", target_value="900")

    response = client.post(url, changed)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Values reported against this indicator were approved: say why it is revised." in body
    assert 'id="field-revision_reason"' in body and "revision_reason_error" in body
    framework.trained.refresh_from_db()
    assert (framework.trained.title, framework.trained.target_value) == ("People trained", 800)

    response = client.post(url, changed | {"revision_reason": "The donor doubled the training budget."})
    assert response.status_code == 302
    framework.trained.refresh_from_db()
    assert framework.trained.title == "People trained in hygiene"
    assert framework.trained.revision_reason == "The donor doubled the training budget."


def test_indicators_move_within_their_result(client, framework, partner_org, officer):
    second = services.indicator_create(result=framework.output, created_by=officer, title="Sessions held")
    client.force_login(officer)
    client.post(reverse("results:indicator_up", args=[second.pk]))
    assert list(framework.output.indicators.order_by("position")) == [second, framework.trained]
    client.post(reverse("results:indicator_down", args=[second.pk]))
    assert list(framework.output.indicators.order_by("position")) == [framework.trained, second]


# --- Targets -------------------------------------------------------------------------------------------------------


def test_targets_are_set_per_period(client, framework, officer):
    client.force_login(officer)
    first, second = framework.periods[:2]
    url = reverse("results:indicator_targets", args=[framework.rate.pk])
    response = client.post(url, {f"target-{first.pk}": "50", f"target-{second.pk}": "55.5"})
    assert response.status_code == 302
    assert {t.period_id: t.value for t in framework.rate.targets.all()} == {first.pk: 50, second.pk: Decimal("55.5")}


def test_a_percentage_target_over_100_in_a_period_is_refused_next_to_it(client, framework, officer):
    client.force_login(officer)
    first = framework.periods[0]
    response = client.post(
        reverse("results:indicator_targets", args=[framework.rate.pk]), {f"target-{first.pk}": "120"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A percentage cannot be more than 100." in body and f'id="field-target-{first.pk}"' in body
    assert not framework.rate.targets.exists()


def test_changing_targets_after_approval_needs_its_reason(client, framework, partner_org, partner_user, manager):
    approve_first_report(framework, partner_org, partner_user, manager)
    client.force_login(manager)
    first = framework.periods[0]
    url = reverse("results:indicator_targets", args=[framework.trained.pk])
    response = client.post(url, {f"target-{first.pk}": "120"})
    assert "Values reported against this indicator were approved: say why it is revised." in response.content.decode()
    assert framework.trained.targets.get(period=first).value == 100
    client.post(url, {f"target-{first.pk}": "120", "revision_reason": "A second trainer joined."})
    assert framework.trained.targets.get(period=first).value == 120


# --- Queries -------------------------------------------------------------------------------------------------------


def test_the_framework_page_reads_in_as_many_queries_however_large(
    client, framework, partner_org, partner_user, manager, officer, django_assert_max_num_queries
):
    approve_first_report(framework, partner_org, partner_user, manager)
    client.force_login(manager)
    url = page_url(framework)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    sex = Dimension.objects.get(code="sex")
    for number in range(5):
        output = services.result_create(
            programme=framework.programme,
            created_by=officer,
            level=ResultLevel.OUTPUT,
            title=f"Output {number}",
            parent=framework.outcome,
        )
        for kind in range(2):
            indicator = services.indicator_create(
                result=output,
                created_by=officer,
                title=f"Indicator {number}.{kind}",
                reporter=partner_org,
                dimensions=[sex],
            )
            services.targets_set(indicator=indicator, targets=dict.fromkeys(framework.periods, 10), set_by=officer)
    with django_assert_max_num_queries(len(small)):
        body = client.get(url).content.decode()
    assert "Indicator 4.1" in body


def test_the_framework_page_speaks_indonesian(client, framework, partner_org, partner_user, manager):
    approve_first_report(framework, partner_org, partner_user, manager)
    client.force_login(manager)
    response = client.get(page_url(framework), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert 'lang="id"' in response.content.decode()


def test_the_chart_scales_a_percentage_to_100_and_marks_each_target(framework, partner_org, partner_user, manager):
    approve_first_report(framework, partner_org, partner_user, manager)
    periods = list(framework.programme.reporting_periods.order_by("starts_on"))
    indicators = [framework.trained, framework.rate]
    trained, rate = selectors.indicator_progress(indicators, periods)

    rate_chart = indicator_chart(rate, slug="rate", title="Households with safe water")
    first = rate_chart.columns[0]
    # 70 % of a scale that reaches 100: the bar stands 70 % of the 120 pixels high.
    assert (first.has_actual, first.bar_height, first.actual_display) == (True, 84.0, "70")
    assert [column.has_actual for column in rate_chart.columns[1:]] == [False] * 7

    trained_chart = indicator_chart(trained, slug="trained", title="People trained")
    # The overall target (800) sets the scale; each quarter's target of 100 is marked at an eighth of the height.
    assert {column.target_y for column in trained_chart.columns} == {113.0}
    assert trained_chart.columns[0].bar_height == 13.5 and trained_chart.has_values
