import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.refusals import refusal_codes
from programs.results import services
from programs.results.models import Period, ReportStatus, ResultLevel, Unit
from programs.results.services import ResultsRefusal
from tests.factories import ProgrammeFactory, currency
from tests.programs.results.factories import TODAY, build_framework

pytestmark = pytest.mark.django_db


def test_quarters_follow_the_calendar_and_are_clipped_to_the_programme():
    periods = services.cut_periods(datetime.date(2026, 2, 10), datetime.date(2026, 11, 30), 3, 30)
    assert periods == [
        (datetime.date(2026, 2, 10), datetime.date(2026, 3, 31), datetime.date(2026, 4, 30)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30), datetime.date(2026, 7, 30)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), datetime.date(2026, 10, 30)),
        (datetime.date(2026, 10, 1), datetime.date(2026, 11, 30), datetime.date(2026, 12, 30)),
    ]


@pytest.mark.parametrize(("months", "count"), [(1, 24), (3, 8), (6, 4), (12, 2)])
def test_each_frequency_cuts_the_programme_into_its_periods(months, count):
    assert len(services.cut_periods(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31), months, 0)) == count


def test_a_programme_without_dates_has_no_periods(officer):
    programme = ProgrammeFactory(planned_start=None, planned_end=None)
    with pytest.raises(ValidationError) as caught:
        services.plan_set(programme=programme, set_by=officer, frequency=3, due_after_days=30)
    assert refusal_codes(caught.value) == {ResultsRefusal.NO_PERIODS}
    assert not Period.objects.filter(programme=programme).exists()


def test_new_dates_recut_only_the_future_unreported_periods_and_keep_their_targets(own_programme, partner_org, officer):
    framework = build_framework(own_programme, partner_org, officer)
    first = framework.periods[0]
    report = services.report_open(period=first, organisation=partner_org, opened_by=officer, today=TODAY)
    own_programme.planned_end = datetime.date(2027, 6, 30)
    own_programme.save()

    periods = services.periods_sync(own_programme, today=TODAY)

    assert [p.starts_on for p in periods] == [datetime.date(2026, month, 1) for month in (1, 4, 7, 10)] + [
        datetime.date(2027, 1, 1),
        datetime.date(2027, 4, 1),
    ]
    assert periods[0].pk == first.pk and report.period_id == first.pk
    assert framework.trained.targets.count() == 6  # the two quarters after the new end went, with their targets


def test_a_started_period_is_never_cut_again(own_programme, partner_org, officer):
    framework = build_framework(own_programme, partner_org, officer)
    started = framework.periods[2]  # July–September 2026, begun on TODAY
    own_programme.planned_start = datetime.date(2026, 8, 15)
    own_programme.save()

    periods = services.periods_sync(own_programme, today=TODAY)

    assert started.pk in [p.pk for p in periods]
    assert Period.objects.get(pk=started.pk).starts_on == datetime.date(2026, 7, 1)


def test_an_output_serves_an_outcome_of_the_same_programme(own_programme, foreign_programme, partner_org, officer):
    framework = build_framework(own_programme, partner_org, officer)
    elsewhere = services.result_create(
        programme=foreign_programme, created_by=officer, level=ResultLevel.OUTCOME, title="Elsewhere"
    )
    with pytest.raises(ValidationError) as caught:
        services.result_create(
            programme=own_programme, created_by=officer, level=ResultLevel.OUTPUT, title="x", parent=elsewhere
        )
    assert "parent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.result_create(
            programme=own_programme, created_by=officer, level=ResultLevel.OUTCOME, title="x", parent=framework.output
        )
    assert "parent" in caught.value.message_dict


def test_partners_do_not_build_frameworks(own_programme, partner_user):
    with pytest.raises(PermissionDenied):
        services.result_create(programme=own_programme, created_by=partner_user, level=ResultLevel.IMPACT, title="x")


@pytest.mark.parametrize(
    ("unit", "field", "value", "message"),
    [
        (Unit.PERCENTAGE, "target_value", "120", "A percentage cannot be more than 100."),
        (Unit.NUMBER, "baseline_value", "-3", "The value cannot be negative."),
        (Unit.YES_NO, "target_value", "2", "Give 1 for yes or 0 for no."),
        (Unit.NUMBER, "target_value", "many", "Give a number."),
    ],
)
def test_an_indicator_refuses_impossible_values(own_programme, partner_org, officer, unit, field, value, message):
    framework = build_framework(own_programme, partner_org, officer)
    with pytest.raises(ValidationError) as caught:
        services.indicator_create(result=framework.output, created_by=officer, title="x", unit=unit, **{field: value})
    assert caught.value.message_dict[field] == [message]
    assert framework.output.indicators.count() == 1


def test_a_money_indicator_needs_its_currency(own_programme, partner_org, officer):
    framework = build_framework(own_programme, partner_org, officer)
    with pytest.raises(ValidationError) as caught:
        services.indicator_create(result=framework.outcome, created_by=officer, title="Income", unit=Unit.MONEY)
    assert "currency" in caught.value.message_dict
    income = services.indicator_create(
        result=framework.outcome, created_by=officer, title="Income", unit=Unit.MONEY, currency=currency("IDR")
    )
    assert income.iati_measure == 1


def test_the_reporter_must_take_part_in_the_programme(own_programme, partner_org, other_org, officer):
    framework = build_framework(own_programme, partner_org, officer)
    with pytest.raises(ValidationError) as caught:
        services.indicator_update(indicator=framework.trained, updated_by=officer, reporter=other_org)
    assert "reporter" in caught.value.message_dict


def test_a_target_for_another_programmes_period_is_refused(own_programme, foreign_programme, partner_org, officer):
    framework = build_framework(own_programme, partner_org, officer)
    services.plan_set(programme=foreign_programme, set_by=officer, frequency=12, due_after_days=30)
    foreign = foreign_programme.reporting_periods.first()
    with pytest.raises(ValidationError) as caught:
        services.targets_set(indicator=framework.trained, targets={foreign: 5}, set_by=officer)
    assert list(caught.value.message_dict) == [f"target-{foreign.pk}"]


def _approve_first_quarter(framework, partner_org, partner_user, manager):
    report = services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )
    services.report_save(
        report=report,
        saved_by=partner_user,
        values={framework.trained.pk: {"value": "90"}, framework.rate.pk: {"value": "50"}},
    )
    services.report_submit(report=report, submitted_by=partner_user)
    return services.report_approve(report=report, approved_by=manager)


def test_after_values_are_approved_a_change_is_a_revision_with_its_reason(
    own_programme, partner_org, partner_user, officer, manager
):
    framework = build_framework(own_programme, partner_org, officer)
    _approve_first_quarter(framework, partner_org, partner_user, manager)

    with pytest.raises(ValidationError) as caught:
        services.indicator_update(indicator=framework.trained, updated_by=officer, target_value="900")
    assert refusal_codes(caught.value) == {ResultsRefusal.REVISION_REASON_REQUIRED}
    framework.trained.refresh_from_db()
    assert framework.trained.target_value == 800

    services.indicator_update(
        indicator=framework.trained, updated_by=officer, target_value="900", revision_reason="Second district added"
    )
    latest = framework.trained.history.first()
    assert (latest.target_value, latest.revision_reason, latest.history_user) == (900, "Second district added", officer)


def test_targets_of_approved_values_change_only_with_a_reason(
    own_programme, partner_org, partner_user, officer, manager
):
    framework = build_framework(own_programme, partner_org, officer)
    _approve_first_quarter(framework, partner_org, partner_user, manager)
    first = framework.periods[0]
    with pytest.raises(ValidationError) as caught:
        services.targets_set(indicator=framework.trained, targets={first: 80}, set_by=officer)
    assert refusal_codes(caught.value) == {ResultsRefusal.REVISION_REASON_REQUIRED}
    services.targets_set(indicator=framework.trained, targets={first: 80}, set_by=officer, revision_reason="Flood")
    assert framework.trained.targets.get(period=first).value == Decimal(80)


def test_a_result_with_reported_values_cannot_be_removed(own_programme, partner_org, partner_user, officer, manager):
    framework = build_framework(own_programme, partner_org, officer)
    report = _approve_first_quarter(framework, partner_org, partner_user, manager)
    assert report.status == ReportStatus.APPROVED
    with pytest.raises(ValidationError) as caught:
        services.result_delete(result=framework.output, deleted_by=officer)
    assert refusal_codes(caught.value) == {ResultsRefusal.LOCKED}


def test_results_are_reordered_within_their_level(own_programme, officer):
    first = services.result_create(programme=own_programme, created_by=officer, level=ResultLevel.OUTPUT, title="A")
    second = services.result_create(programme=own_programme, created_by=officer, level=ResultLevel.OUTPUT, title="B")
    services.result_move(result=second, step=-1, moved_by=officer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.position < first.position


def test_a_programme_whose_end_moves_gets_its_later_periods_cut_again(own_programme, partner_org, officer):
    from programs import services as programme_services

    framework = build_framework(own_programme, partner_org, officer)
    assert len(framework.periods) == 8
    programme_services.programme_update(
        programme=own_programme, updated_by=officer, planned_end=datetime.date(2028, 6, 30)
    )
    periods = list(own_programme.reporting_periods.order_by("starts_on"))
    assert len(periods) == 10 and periods[-1].ends_on == datetime.date(2028, 6, 30)
    # A programme without a reporting plan has no periods to cut.
    other = ProgrammeFactory()
    programme_services.programme_update(programme=other, updated_by=officer, planned_end=datetime.date(2028, 6, 30))
    assert not Period.objects.filter(programme=other).exists()


def test_a_value_keeps_at_most_two_decimals(own_programme, partner_org, officer):
    framework = build_framework(own_programme, partner_org, officer)
    with pytest.raises(ValidationError) as caught:
        services.indicator_update(indicator=framework.rate, updated_by=officer, target_value="80.125")
    assert caught.value.message_dict == {"target_value": ["Give at most two decimals."]}
    services.indicator_update(indicator=framework.rate, updated_by=officer, target_value="80.50")
    framework.rate.refresh_from_db()
    assert framework.rate.target_value == Decimal("80.50")
