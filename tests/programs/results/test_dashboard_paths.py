"""The dashboard's results figures, read as plain values and counted in SQL, against the framework pages' own
computation (``indicator_progress`` per programme) and the partners' list of reports due, on varied frameworks:
values that add up and values that stand alone, a falling indicator without targets, several reports approved,
one submitted, partners who owe and partners who sent."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest

from programs.models import Objective
from programs.results import selectors, services
from programs.results.models import Indicator, Period, Unit
from programs.results.selectors import Status
from programs.results.selectors.progress import indicator_progress, status_counts
from programs.results.selectors.reports import overdue_count, reports_due
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    ProgrammeObjectiveFactory,
)
from tests.programs.results.factories import TODAY, build_framework

pytestmark = pytest.mark.django_db

LATER = datetime.date(2026, 11, 20)


def _report(period, organisation, user, values, *, approve_by=None):
    report = services.report_open(period=period, organisation=organisation, opened_by=user, today=LATER)
    services.report_save(report=report, saved_by=user, values=values)
    services.report_submit(report=report, submitted_by=user)
    if approve_by is not None:
        services.report_approve(report=report, approved_by=approve_by)
    return report


@pytest.fixture
def portfolio(own_programme, partner_org, partner_user, officer, manager):
    first = build_framework(own_programme, partner_org, officer, today=LATER)
    ProgrammeObjectiveFactory(programme=own_programme, objective=Objective.PEACE)
    ProgrammeObjectiveFactory(programme=own_programme, objective=Objective.DEVELOPMENT)
    _report(
        first.periods[0],
        partner_org,
        partner_user,
        {first.trained.pk: {"value": "95"}, first.rate.pk: {"value": "44"}},
        approve_by=manager,
    )
    _report(
        first.periods[1],
        partner_org,
        partner_user,
        {first.trained.pk: {"value": "30"}, first.rate.pk: {"value": "75"}},
        approve_by=manager,
    )
    second_programme = ProgrammeFactory()
    ParticipationFactory(programme=second_programme, organisation=partner_org)
    ProgrammeObjectiveFactory(programme=second_programme, objective=Objective.PEACE)
    second = build_framework(second_programme, partner_org, officer, today=LATER)
    falling = services.indicator_create(
        result=second.outcome,
        created_by=officer,
        title="Days without water",
        unit=Unit.NUMBER,
        direction="decrease",
        cumulative=False,
        baseline_value="30",
        target_value="10",
        reporter=partner_org,
    )
    _report(
        second.periods[0],
        partner_org,
        partner_user,
        {second.trained.pk: {"value": "100"}, second.rate.pk: {"value": "50"}, falling.pk: {"value": "12"}},
        approve_by=manager,
    )
    _report(  # submitted, not approved: its values do not count
        second.periods[1],
        partner_org,
        partner_user,
        {second.trained.pk: {"value": "10"}, second.rate.pk: {"value": "41"}, falling.pk: {"value": "11"}},
    )
    third_programme = ProgrammeFactory()
    other = OrganisationFactory()
    ParticipationFactory(programme=third_programme, organisation=other)
    ParticipationFactory(programme=third_programme, organisation=partner_org)
    third = build_framework(third_programme, other, officer, today=LATER)
    services.indicator_create(
        result=third.output, created_by=officer, title="Wells dug", unit=Unit.NUMBER, reporter=partner_org
    )
    return [own_programme, second_programme, third_programme]


def _reference(user, today, programme_ids):
    """The figures as the framework pages compute them, one programme at a time."""
    counts, goals = dict.fromkeys(Status, 0), defaultdict(lambda: dict.fromkeys(Status, 0))
    for programme_id in programme_ids:
        indicators = list(
            Indicator.objects.filter(result__programme_id=programme_id).select_related("result").order_by("pk")
        )
        periods = list(Period.objects.filter(programme_id=programme_id).order_by("starts_on"))
        own = status_counts(indicator_progress(indicators, periods))
        for status, count in own.items():
            counts[status] += count
            if indicators:
                for objective in Objective.values:
                    if ProgrammeObjectiveFactory._meta.model.objects.filter(
                        programme_id=programme_id, objective=objective
                    ).exists():
                        goals[objective][status] += count
    overdue = sum(1 for due in reports_due(user=user, today=today) if due.period.programme_id in programme_ids)
    overdue_only = sum(
        1 for due in reports_due(user=user, today=today) if due.period.programme_id in programme_ids and due.overdue
    )
    return counts, dict(goals), overdue_only, overdue


@pytest.mark.parametrize("today", [TODAY, LATER, datetime.date(2027, 6, 1)])
def test_the_figures_match_the_framework_pages_computation(portfolio, manager, today):
    ids = [programme.pk for programme in portfolio]
    counts, goals, overdue, _due = _reference(manager, today, ids)

    figures = selectors.results_dashboard(user=manager, today=today)

    assert figures.counts == counts
    assert {row.objective.value: row.counts for row in figures.by_goal} == goals
    assert figures.overdue == overdue
    assert sum(figures.counts.values()) == 8 and figures.counts[Status.ON_TRACK] > 0  # not all zero


def test_narrowed_to_some_programmes_the_figures_match_too(portfolio, manager):
    ids = [portfolio[1].pk, portfolio[2].pk]
    counts, _goals, overdue, _due = _reference(manager, LATER, ids)

    figures = selectors.results_dashboard(
        user=manager, today=LATER, programmes=ProgrammeFactory._meta.model.objects.filter(pk__in=ids)
    )

    assert figures.counts == counts
    assert figures.overdue == overdue > 0


def test_a_partner_user_counts_only_their_organisations_overdue_reports(portfolio, partner_user, manager):
    ids = [programme.pk for programme in portfolio]
    mine = sum(1 for due in reports_due(user=partner_user, today=LATER) if due.overdue)
    everyone = sum(1 for due in reports_due(user=manager, today=LATER) if due.overdue)

    assert overdue_count(user=partner_user, today=LATER, programme_ids=ids) == mine
    assert overdue_count(user=manager, today=LATER, programme_ids=ids) == everyone
    assert 0 < mine < everyone


@pytest.mark.parametrize(("new_reporter", "counted"), [("Zamrud Water Trust", "78"), ("Air Minum Bersama", "44")])
def test_where_two_approved_reports_hold_a_value_the_dashboard_counts_the_one_the_framework_page_shows(
    own_programme, partner_org, partner_user, officer, manager, new_reporter, counted
):
    framework = build_framework(own_programme, partner_org, officer, today=LATER)
    first_period = framework.periods[0]
    values = {framework.trained.pk: {"value": "100"}, framework.rate.pk: {"value": "44"}}
    _report(first_period, partner_org, partner_user, values, approve_by=manager)
    # The indicator passes to another partner, who reports the same period again.
    successor = OrganisationFactory(name=new_reporter)
    ParticipationFactory(programme=own_programme, organisation=successor)
    services.indicator_update(
        indicator=framework.rate, updated_by=officer, revision_reason="Handed over", reporter=successor
    )
    successor_user = MembershipFactory(organisation=successor).user
    _report(first_period, successor, successor_user, {framework.rate.pk: {"value": "78"}}, approve_by=manager)
    periods = list(Period.objects.filter(programme=own_programme).order_by("starts_on"))
    (shown,) = indicator_progress([framework.rate], periods)
    counts, _goals, _overdue, _due = _reference(manager, LATER, [own_programme.pk])

    figures = selectors.results_dashboard(user=manager, today=LATER)

    assert shown.actual == Decimal(counted)
    assert figures.counts == counts
