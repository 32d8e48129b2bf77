from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cooperation.refusals import Refused, refusal_codes
from programs.results import selectors, services
from programs.results.models import ActualValue, Report, ReportStatus
from programs.results.selectors import Status
from programs.results.services import ResultsRefusal
from tests.programs.results.factories import TODAY, build_framework, sex_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(own_programme, partner_org, officer):
    return build_framework(own_programme, partner_org, officer)


@pytest.fixture
def report(framework, partner_org, partner_user):
    return services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )


def _fill(framework, report, user, trained="90", rate="50", **trained_extra):
    return services.report_save(
        report=report,
        saved_by=user,
        values={framework.trained.pk: {"value": trained, **trained_extra}, framework.rate.pk: {"value": rate}},
        narratives={framework.output.pk: "Two committees trained in Kupang."},
    )


def test_a_partner_fills_saves_and_submits_its_report(framework, report, partner_user):
    women, men = sex_values()["female"], sex_values()["male"]
    _fill(framework, report, partner_user, breakdown={women: "50", men: "40"}, comment="Rains delayed one session")
    services.report_submit(report=report, submitted_by=partner_user)

    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.on_behalf) == (ReportStatus.SUBMITTED, partner_user, False)
    trained = report.values.get(indicator=framework.trained)
    assert trained.value == Decimal(90) and trained.comment == "Rains delayed one session"
    assert {part.dimension_value_id: part.value for part in trained.breakdown.all()} == {women: 50, men: 40}
    assert report.narratives.get(result=framework.output).text == "Two committees trained in Kupang."


def test_parts_that_do_not_add_up_are_refused_and_nothing_is_saved(framework, report, partner_user):
    women, men = sex_values()["female"], sex_values()["male"]
    with pytest.raises(ValidationError) as caught:
        _fill(framework, report, partner_user, breakdown={women: "50", men: "30"})
    assert caught.value.message_dict[f"dimension-{framework.trained.pk}-sex"] == [
        "The values by sex add up to 80, not to the total of 90."
    ]
    assert not ActualValue.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    ("rate", "message"), [("101", "A percentage cannot be more than 100."), ("-1", "The value cannot be negative.")]
)
def test_impossible_values_are_refused_beside_their_indicator(framework, report, partner_user, rate, message):
    with pytest.raises(ValidationError) as caught:
        _fill(framework, report, partner_user, rate=rate)
    assert caught.value.message_dict == {f"value-{framework.rate.pk}": [message]}


def test_a_report_is_submitted_only_with_every_value(framework, report, partner_user):
    services.report_save(report=report, saved_by=partner_user, values={framework.trained.pk: {"value": "5"}})
    with pytest.raises(ValidationError) as caught:
        services.report_submit(report=report, submitted_by=partner_user)
    assert refusal_codes(caught.value) == {ResultsRefusal.VALUE_REQUIRED}
    assert list(caught.value.message_dict) == [f"value-{framework.rate.pk}"]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_returned_with_comments_corrected_and_approved(framework, report, partner_user, officer, manager):
    _fill(framework, report, partner_user)
    services.report_submit(report=report, submitted_by=partner_user)
    services.report_return(
        report=report, returned_by=officer, indicator_comments={framework.trained.pk: "The attendance lists show 80."}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.values.get(indicator=framework.trained).review_comment == "The attendance lists show 80."

    _fill(framework, report, partner_user, trained="80")
    services.report_submit(report=report, submitted_by=partner_user)
    services.report_approve(report=report, approved_by=manager)

    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ReportStatus.APPROVED, manager)
    steps = [(entry.history_user, entry.status) for entry in report.history.order_by("history_date", "history_id")]
    assert [step for index, step in enumerate(steps) if index == 0 or step != steps[index - 1]] == [
        (partner_user, ReportStatus.DRAFT),
        (partner_user, ReportStatus.SUBMITTED),
        (officer, ReportStatus.RETURNED),
        (partner_user, ReportStatus.RETURNED),
        (partner_user, ReportStatus.SUBMITTED),
        (manager, ReportStatus.APPROVED),
    ]


def test_a_return_must_say_what_to_correct(framework, report, partner_user, officer):
    _fill(framework, report, partner_user)
    services.report_submit(report=report, submitted_by=partner_user)
    with pytest.raises(ValidationError) as caught:
        services.report_return(report=report, returned_by=officer)
    assert "comment" in caught.value.message_dict
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_approved_values_are_locked(framework, report, partner_user, manager):
    _fill(framework, report, partner_user)
    services.report_submit(report=report, submitted_by=partner_user)
    services.report_approve(report=report, approved_by=manager)
    with pytest.raises(ValidationError) as caught:
        _fill(framework, report, partner_user, trained="500")
    assert refusal_codes(caught.value) == {Refused.WRONG_STATUS}
    assert report.values.get(indicator=framework.trained).value == 90


def test_partners_cannot_review_reports(framework, report, partner_user):
    _fill(framework, report, partner_user)
    services.report_submit(report=report, submitted_by=partner_user)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, approved_by=partner_user)


def test_another_partner_cannot_fill_the_report(framework, report, other_partner_user):
    with pytest.raises(PermissionDenied):
        _fill(framework, report, other_partner_user)
    with pytest.raises(Http404):
        selectors.report_get(user=other_partner_user, pk=report.pk)


def test_no_report_for_a_period_that_has_not_begun(framework, partner_org, partner_user):
    later = framework.periods[-1]
    with pytest.raises(ValidationError) as caught:
        services.report_open(period=later, organisation=partner_org, opened_by=partner_user, today=TODAY)
    assert refusal_codes(caught.value) == {ResultsRefusal.PERIOD_NOT_BEGUN}
    assert not Report.objects.exists()


def test_an_officer_who_entered_a_report_for_the_partner_does_not_approve_it(framework, partner_org, officer, manager):
    report = services.report_open(period=framework.periods[0], organisation=partner_org, opened_by=officer, today=TODAY)
    _fill(framework, report, officer)
    services.report_submit(report=report, submitted_by=officer)
    report.refresh_from_db()
    assert report.on_behalf
    refusal = services.report_move_refusal(report, officer, "approve")
    assert refusal is not None and refusal.code == Refused.OWN_RECORD
    services.report_approve(report=report, approved_by=manager)


def test_reports_due_and_awaiting_review(framework, report, partner_user, other_partner_user, officer):
    due = selectors.reports_due(user=partner_user, today=TODAY)
    assert [(entry.period, entry.report, entry.overdue) for entry in due] == [
        (framework.periods[0], report, True),
        (framework.periods[1], None, False),
        (framework.periods[2], None, False),
    ]
    assert selectors.reports_due(user=other_partner_user, today=TODAY) == []
    _fill(framework, report, partner_user)
    services.report_submit(report=report, submitted_by=partner_user)
    assert list(selectors.awaiting_review(user=officer)) == [report]
    assert [entry.period for entry in selectors.reports_due(user=partner_user, today=TODAY)] == framework.periods[1:3]


def test_progress_counts_only_approved_values(framework, report, partner_user, manager, officer):
    _fill(framework, report, partner_user, trained="90", rate="70")
    services.report_submit(report=report, submitted_by=partner_user)
    results = selectors.framework(user=officer, programme=framework.programme)
    indicators = [indicator for result in results for indicator in result.indicators.all()]
    before = {entry.indicator.pk: entry for entry in selectors.indicator_progress(indicators, framework.periods)}
    assert before[framework.trained.pk].status == Status.NOT_MEASURED

    services.report_approve(report=report, approved_by=manager)
    after = {entry.indicator.pk: entry for entry in selectors.indicator_progress(indicators, framework.periods)}
    trained, rate = after[framework.trained.pk], after[framework.rate.pk]
    assert (trained.actual, trained.target, trained.percent, trained.status) == (
        90,
        100,
        Decimal("90.0"),
        Status.ON_TRACK,
    )
    # 40 → 80 is the way; 70 is three quarters of it.
    assert (rate.actual, rate.target, rate.percent, rate.status) == (70, 80, Decimal("75.0"), Status.AT_RISK)


def test_a_partner_sees_only_frameworks_of_its_programmes(framework, other_partner_user, partner_user):
    assert selectors.framework(user=partner_user, programme=framework.programme)
    with pytest.raises(Http404):
        selectors.framework(user=other_partner_user, programme=framework.programme)
