"""How far each indicator has come, kept beside it for the dashboard: after every kind of change that moves it (a
report approved or returned, targets changed, an indicator revised, periods cut again, a partner renamed) what is
stored equals the live computation and the framework page, and the dashboard counts the new figures; the rebuild
repairs a wrong figure; the dashboard's queries stay as many whatever the number of programmes."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners import services as partner_services
from programs.models import Objective, Programme
from programs.results import selectors, services, summaries
from programs.results.models import Indicator, IndicatorStanding, Period
from programs.results.selectors import Status
from programs.results.selectors.dashboard import _statuses
from programs.results.selectors.progress import _status, indicator_percents, indicator_progress
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    ProgrammeObjectiveFactory,
)
from tests.programs.results.factories import build_framework

pytestmark = pytest.mark.django_db

LATER = datetime.date(2026, 11, 20)


def stored() -> dict[int, tuple[int, Status]]:
    return {
        standing.indicator_id: (standing.programme_id, _status(standing.percent))
        for standing in IndicatorStanding.objects.all()
    }


def live() -> dict[int, tuple[int, Status]]:
    return {pk: (programme_id, _status(percent)) for pk, programme_id, percent in indicator_percents()}


def framework_page(programme) -> dict[int, Status]:
    """Each indicator's status as the programme's framework page shows it."""
    indicators = list(Indicator.objects.filter(result__programme=programme).prefetch_related("targets"))
    periods = list(Period.objects.filter(programme=programme).order_by("starts_on"))
    return {entry.indicator.pk: entry.status for entry in indicator_progress(indicators, periods)}


def assert_kept(*programmes) -> dict[int, Status]:
    """What is stored is what the live computation and the framework pages give: the indicators' statuses."""
    kept = stored()
    assert kept == live()
    shown = {}
    for programme in programmes:
        shown |= framework_page(programme)
    assert {pk: status for pk, (_programme, status) in kept.items()} == shown
    return shown


def counts(manager, **options) -> dict[Status, int]:
    return selectors.results_dashboard(user=manager, today=LATER, **options).counts


def expected(*statuses: Status) -> dict[Status, int]:
    tally = dict.fromkeys(Status, 0)
    for status in statuses:
        tally[status] += 1
    return tally


def _report(period, organisation, user, values, *, approve_by=None):
    report = services.report_open(period=period, organisation=organisation, opened_by=user, today=LATER)
    services.report_save(report=report, saved_by=user, values=values)
    services.report_submit(report=report, submitted_by=user)
    if approve_by is not None:
        services.report_approve(report=report, approved_by=approve_by)
    return report


@pytest.fixture
def framework(own_programme, partner_org, officer):
    ProgrammeObjectiveFactory(programme=own_programme, objective=Objective.PEACE)
    return build_framework(own_programme, partner_org, officer, today=LATER)


def test_new_indicators_are_not_measured_yet(framework, manager):
    shown = assert_kept(framework.programme)
    assert shown == {framework.trained.pk: Status.NOT_MEASURED, framework.rate.pk: Status.NOT_MEASURED}
    assert counts(manager) == expected(Status.NOT_MEASURED, Status.NOT_MEASURED)


def test_an_approved_report_moves_its_indicators(framework, partner_org, partner_user, manager):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    report = _report(framework.periods[0], partner_org, partner_user, values)
    assert counts(manager) == expected(Status.NOT_MEASURED, Status.NOT_MEASURED)  # submitted: not counted yet

    services.report_approve(report=report, approved_by=manager)

    shown = assert_kept(framework.programme)
    assert shown == {framework.trained.pk: Status.ON_TRACK, framework.rate.pk: Status.OFF_TRACK}
    assert counts(manager) == expected(Status.ON_TRACK, Status.OFF_TRACK)
    (goal,) = selectors.results_dashboard(user=manager, today=LATER).by_goal
    assert (goal.objective, goal.counts) == (Objective.PEACE, expected(Status.ON_TRACK, Status.OFF_TRACK))


def test_a_returned_report_and_its_corrected_approval(framework, partner_org, partner_user, officer, manager):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)
    values = {framework.trained.pk: {"value": "20"}, framework.rate.pk: {"value": "50"}}
    second = _report(framework.periods[1], partner_org, partner_user, values)

    services.report_return(report=second, returned_by=manager, comment="The attendance lists are missing.")

    assert_kept(framework.programme)
    assert counts(manager) == expected(Status.ON_TRACK, Status.OFF_TRACK)

    services.report_save(report=second, saved_by=partner_user, values={framework.rate.pk: {"value": "70"}})
    services.report_submit(report=second, submitted_by=partner_user)
    services.report_approve(report=second, approved_by=manager)

    # 115 of 200 people trained (57.5%, off track); the rate at 70 of 40→80 (75%, at risk).
    shown = assert_kept(framework.programme)
    assert shown == {framework.trained.pk: Status.OFF_TRACK, framework.rate.pk: Status.AT_RISK}
    assert counts(manager) == expected(Status.OFF_TRACK, Status.AT_RISK)


def test_changed_targets_move_the_indicator(framework, partner_org, partner_user, officer, manager):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)

    services.targets_set(
        indicator=framework.trained,
        targets={framework.periods[0]: "150"},
        set_by=officer,
        revision_reason="The district doubled the classes.",
    )

    shown = assert_kept(framework.programme)
    assert shown[framework.trained.pk] == Status.AT_RISK  # 95 of 150: 63.3%
    assert counts(manager) == expected(Status.AT_RISK, Status.OFF_TRACK)

    services.targets_set(
        indicator=framework.trained, targets={framework.periods[0]: ""}, set_by=officer, revision_reason="Undone."
    )

    shown = assert_kept(framework.programme)
    assert shown[framework.trained.pk] == Status.OFF_TRACK  # no period target: 95 of the overall 800
    assert counts(manager) == expected(Status.OFF_TRACK, Status.OFF_TRACK)


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"target_value": "45"}, Status.AT_RISK),  # 4 of 40→45: 80%
        ({"baseline_value": "30"}, Status.OFF_TRACK),  # 44 of 30→80: 28%
        ({"direction": "decrease", "target_value": "30"}, Status.OFF_TRACK),  # rising when it should fall
        ({"target_value": "44"}, Status.ON_TRACK),  # reached
        ({"target_value": "46"}, Status.AT_RISK),  # 4 of 40→46: 66.7%
    ],
)
def test_a_revised_indicator_moves(framework, partner_org, partner_user, officer, manager, change, status):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)
    assert counts(manager) == expected(Status.ON_TRACK, Status.OFF_TRACK)

    services.indicator_update(indicator=framework.rate, updated_by=officer, revision_reason="Re-surveyed.", **change)

    shown = assert_kept(framework.programme)
    assert shown[framework.rate.pk] == status
    assert counts(manager) == expected(Status.ON_TRACK, status)


def test_periods_cut_again_and_indicators_added_and_removed(framework, partner_org, partner_user, officer, manager):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)

    # Monthly from now on: the later quarters (and their targets) give way to months.
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)):
        services.plan_set(programme=framework.programme, set_by=officer, frequency=1, due_after_days=30)
    assert Period.objects.filter(programme=framework.programme).count() > len(framework.periods)
    assert_kept(framework.programme)

    extra = services.indicator_create(
        result=framework.output, created_by=officer, title="Committees formed", target_value=10, reporter=partner_org
    )
    assert stored()[extra.pk] == (framework.programme.pk, Status.NOT_MEASURED)
    assert_kept(framework.programme)
    assert counts(manager) == expected(Status.ON_TRACK, Status.OFF_TRACK, Status.NOT_MEASURED)

    services.indicator_delete(indicator=extra, deleted_by=officer)

    assert extra.pk not in stored()
    assert counts(manager) == expected(Status.ON_TRACK, Status.OFF_TRACK)


@pytest.mark.parametrize(("renamed_to", "counted"), [("Aceh Water Trust", "44"), ("Zulu Water Trust", "78")])
def test_a_renamed_partner_changes_which_of_two_approved_values_counts(
    framework, partner_org, partner_user, officer, manager, renamed_to, counted
):
    """Where two partners' approved reports of a period hold a value, the alphabetically last partner's counts:
    renaming one can change which."""
    values = {framework.trained.pk: {"value": "100"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)
    successor = OrganisationFactory(name="Zamrud Water Trust")
    ParticipationFactory(programme=framework.programme, organisation=successor)
    services.indicator_update(
        indicator=framework.rate, updated_by=officer, revision_reason="Handed over", reporter=successor
    )
    successor_user = MembershipFactory(organisation=successor).user
    _report(framework.periods[0], successor, successor_user, {framework.rate.pk: {"value": "78"}}, approve_by=manager)
    assert counts(manager) == expected(Status.ON_TRACK, Status.ON_TRACK)  # 78 of 40→80: 95%

    partner_services.organisation_update(organisation=successor, updated_by=officer, name=renamed_to)

    (rate,) = [
        entry
        for entry in selectors.programme_progress(user=manager, programme=framework.programme)
        if entry.indicator.pk == framework.rate.pk
    ]
    assert rate.actual == Decimal(counted)
    shown = assert_kept(framework.programme)
    assert counts(manager) == expected(Status.ON_TRACK, shown[framework.rate.pk])


def test_the_rebuild_repairs_a_wrong_figure(framework, partner_org, partner_user, manager):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)
    right = stored()
    # Written around the services: one figure wrong, one missing.
    IndicatorStanding.objects.filter(indicator=framework.trained).update(percent=Decimal("12.5"))
    IndicatorStanding.objects.filter(indicator=framework.rate).delete()
    assert counts(manager) == expected(Status.OFF_TRACK)

    assert summaries.rebuild() == 2

    assert stored() == right == live()
    assert counts(manager) == expected(Status.ON_TRACK, Status.OFF_TRACK)


def test_the_command_rebuilds_every_figure(framework, partner_org, partner_user, manager):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)
    IndicatorStanding.objects.update(percent=None)
    out = StringIO()

    call_command("refresh_results", stdout=out)

    assert "2 indicators" in out.getvalue()
    assert_kept(framework.programme)
    assert counts(manager) == expected(Status.ON_TRACK, Status.OFF_TRACK)


def test_the_thresholds_are_applied_when_counting(framework, partner_org, partner_user, manager, settings):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)
    settings.RESULTS_ON_TRACK_PERCENT = 96
    settings.RESULTS_AT_RISK_PERCENT = 10

    assert counts(manager) == expected(Status.AT_RISK, Status.AT_RISK)
    assert counts(manager) == {
        status: sum(1 for _pk, (_programme, found) in live().items() if found == status) for status in Status
    }


def test_narrowed_the_counts_are_those_of_the_live_computation(framework, partner_org, partner_user, officer, manager):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)
    second = ProgrammeFactory()
    ParticipationFactory(programme=second, organisation=partner_org)
    build_framework(second, partner_org, officer, today=LATER)
    for programme in (framework.programme, second):
        narrowed = counts(manager, programmes=Programme.objects.filter(pk=programme.pk))
        assert narrowed == expected(*_statuses([programme.pk])[programme.pk])
    assert counts(manager) == expected(*[s for statuses in _statuses(None).values() for s in statuses])


def test_the_queries_stay_as_many_as_programmes_grow(framework, partner_org, partner_user, officer, manager):
    values = {framework.trained.pk: {"value": "95"}, framework.rate.pk: {"value": "44"}}
    _report(framework.periods[0], partner_org, partner_user, values, approve_by=manager)
    narrowed = Programme.objects.filter(pk__in=[framework.programme.pk])
    with CaptureQueriesContext(connection) as few:
        selectors.results_dashboard(user=manager, today=LATER)
        selectors.results_dashboard(user=manager, today=LATER, programmes=narrowed)
    for _ in range(3):
        programme = ProgrammeFactory()
        ParticipationFactory(programme=programme, organisation=partner_org)
        ProgrammeObjectiveFactory(programme=programme, objective=Objective.HUMANITARIAN_AID)
        more = build_framework(programme, partner_org, officer, today=LATER)
        typed = {more.trained.pk: {"value": "95"}, more.rate.pk: {"value": "44"}}
        _report(more.periods[0], partner_org, partner_user, typed, approve_by=manager)
    narrowed = Programme.objects.exclude(pk=framework.programme.pk)

    with CaptureQueriesContext(connection) as many:
        figures = selectors.results_dashboard(user=manager, today=LATER)
        selectors.results_dashboard(user=manager, today=LATER, programmes=narrowed)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert figures.counts == expected(*[Status.ON_TRACK, Status.OFF_TRACK] * 4)
    assert_kept(*Programme.objects.all())
