"""The dashboard's budgets section read from each programme's budget summary: after every kind of change that moves
the figures (a line added or revised, an expenditure recorded or corrected, a loan approved and disbursed, a grant
tranche paid, goods dispatched, a rate entered, the day turning) the section shows exactly what the live
computation shows, a stale summary is never read, the task recomputes what is stale, a recomputation never stores
figures a change made meanwhile has outdated, and the section costs the same queries for 3 programmes as for 12."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.money_flows import Category, Stage
from cooperation.reference.services import exchange_rate_create
from cooperation.roles import Role
from programs.budgets import selectors, services, summaries, tasks
from programs.budgets.models import BudgetSummary
from programs.finance.services import grants as grant_services
from programs.models import Programme
from tests.cooperation.reference.rates import rate
from tests.factories import ProgrammeFactory, UserFactory, currency
from tests.programs.budgets.factories import (  # noqa: F401
    BudgetLineFactory,
    ExpenditureFactory,
    budgeted_programmes,
    flow,
    flows,
)
from tests.programs.finance.factories import approved_loan, disbursed_loan, grant_with_tranches
from tests.programs.shipments.factories import dispatched_shipment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.REPORTING_CURRENCY = "USD"
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 400
    rate(datetime.date(2026, 1, 1), "IDR", "USD", "0.0000625")


def _overview(manager):
    return selectors.dashboard_budget_overview(user=manager, programmes=Programme.objects.values("pk"))


def _live(manager):
    return selectors.dashboard_budgets(user=manager, programmes=Programme.objects.values("pk"))


def _total(total) -> tuple:
    return (total.per_currency, total.reporting, total.complete, total.missing, total.rate_dates)


def _shown(overview) -> dict:
    """Everything the section shows of an overview (and what ranks its programmes)."""
    overview.read_figures(overview.budgets)
    overall = overview.overall
    return {
        "programmes": [
            (
                budget.programme.code,
                _total(budget.overall.budget_total),
                _total(budget.overall.committed_total),
                _total(budget.overall.actual_total),
                budget.overall.burn_rate_reporting,
                len(budget.over_budget_lines),
            )
            for budget in overview.budgets
        ],
        "totals": [_total(total) for total in (overall.budget_total, overall.committed_total, overall.actual_total)],
        "unbudgeted": _total(overview.unbudgeted_total),
        "over_budget": [
            (figures.line.pk, figures.line.programme.code, figures.line.period_start)
            for figures in overview.over_budget_lines
        ],
    }


def _summarised(overview) -> int:
    return sum(isinstance(budget, summaries.SummarisedBudget) for budget in overview.budgets)


def _assert_exact(manager, *, summarised: int) -> None:
    overview = _overview(manager)
    assert _summarised(overview) == summarised
    assert _shown(overview) == _shown(_live(manager))


@pytest.fixture
def portfolio(flows):
    """Lines in one currency and in several, over budget or not, a line that starts after today, flows without a
    rate, and money no line holds."""
    return budgeted_programmes(flows, count=3, prefix="S", spent_step=600, technical_idr="1600000.5")


def test_after_a_rebuild_the_section_reads_every_summary_and_shows_the_live_figures(client, manager, portfolio):
    client.force_login(manager)
    url = reverse("reporting:dashboard")

    assert summaries.rebuild() == 3

    _assert_exact(manager, summarised=3)
    shown = _shown(_overview(manager))
    assert shown["over_budget"]  # the data has lines over budget, and days without a rate, to compare
    assert shown["totals"][2][3]
    fast = _section(client.get(url).content.decode())
    BudgetSummary.objects.update(stale=True)
    assert _section(client.get(url).content.decode()) == fast


def _section(body: str) -> str:
    start = body.index('id="budgets"')
    return body[start : body.index("</section>", start)]


def test_the_section_without_summaries_is_the_live_computation(manager, portfolio):
    _assert_exact(manager, summarised=0)


@pytest.mark.parametrize("change", ["line added", "line revised", "expenditure recorded", "expenditure corrected"])
def test_after_a_budget_change_the_summary_is_stale_and_the_section_still_exact(manager, officer, portfolio, change):
    summaries.rebuild()
    programme = portfolio[1]
    line = programme.budget_lines.get(category=Category.TECHNICAL)
    if change == "line added":
        services.line_create(
            programme=programme,
            created_by=officer,
            category=Category.EQUIPMENT,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            amount=Decimal("50"),
            currency=currency("USD"),
        )
    elif change == "line revised":
        services.line_update(line=line, updated_by=officer, amount=Decimal("200"), reason="Cut")
    elif change == "expenditure recorded":
        services.expenditure_create(
            programme=programme,
            recorded_by=officer,
            spent_on=datetime.date(2026, 3, 1),
            amount=Decimal("2500"),
            currency=currency("USD"),
            category=Category.TECHNICAL,
            payee="Hotel Nusa Indah",
        )
    else:
        expenditure = programme.expenditures.get()
        services.expenditure_update(expenditure=expenditure, updated_by=officer, amount=Decimal("7"))

    _assert_exact(manager, summarised=2)
    assert summaries.refresh() == 1
    _assert_exact(manager, summarised=3)


def test_an_expenditure_corrected_only_in_its_reference_keeps_the_summary(manager, officer, portfolio):
    summaries.rebuild()
    expenditure = portfolio[0].expenditures.get()

    services.expenditure_update(expenditure=expenditure, updated_by=officer, reference="INV-FIXED")

    _assert_exact(manager, summarised=3)


def _budgeted(programme, category: Category) -> None:
    BudgetLineFactory(
        programme=programme,
        category=category,
        amount=Decimal("40000"),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )


def _loan_approved(programme):
    return approved_loan(programme=programme, principal=Decimal("12000.00"))


def _loan_disbursed(programme):
    return disbursed_loan(programme=programme, principal=Decimal("12000.00"))


def _tranche_paid(programme):
    grant = grant_with_tranches(programme=programme, amount=Decimal("9000"), tranche_count=3)
    tranche = grant.tranches.order_by("number").first()
    manager = UserFactory(role=Role.MANAGER)
    tranche = grant_services.tranche_approve(tranche=tranche, approved_by=manager)
    return grant_services.tranche_pay(tranche=tranche, paid_by=manager, paid_on=datetime.date(2026, 3, 2))


def _goods_dispatched(programme):
    return dispatched_shipment(programme=programme)


@pytest.mark.parametrize(
    ("category", "move"),
    [
        (Category.FINANCIAL, _loan_approved),
        (Category.FINANCIAL, _loan_disbursed),
        (Category.FINANCIAL, _tranche_paid),
        (Category.IN_KIND, _goods_dispatched),
    ],
)
def test_after_a_modules_money_moves_the_summary_is_stale_and_the_section_still_exact(manager, category, move):
    programmes = [ProgrammeFactory(code=f"KSM-M{index}") for index in range(2)]
    for programme in programmes:
        _budgeted(programme, category)
    summaries.rebuild()
    before = _shown(_overview(manager))

    move(programmes[0])

    _assert_exact(manager, summarised=1)
    assert _shown(_overview(manager)) != before  # the money moved the figures
    assert tasks.refresh_budget_summaries() == 1
    _assert_exact(manager, summarised=2)


def test_a_rate_entered_makes_every_summary_stale_and_the_section_still_exact(manager, portfolio):
    summaries.rebuild()
    before = _shown(_overview(manager))

    exchange_rate_create(
        created_by=UserFactory(role=Role.ADMINISTRATOR, is_superuser=True),
        on=datetime.date(2026, 5, 1),
        from_currency=currency("EUR"),
        to_currency=currency("USD"),
        rate=Decimal("1.1"),
        source="Bank Indonesia",
    )

    _assert_exact(manager, summarised=0)
    assert _shown(_overview(manager)) != before  # the euros now convert
    summaries.refresh()
    _assert_exact(manager, summarised=3)


def test_a_summary_computed_on_an_earlier_day_is_not_read(manager, portfolio):
    """A line that has not started converts its budget at today's rate: yesterday's summary may be wrong today."""
    summaries.rebuild(today=TODAY - datetime.timedelta(days=1))

    _assert_exact(manager, summarised=0)
    assert tasks.refresh_budget_summaries() == 3
    _assert_exact(manager, summarised=3)


def test_a_summary_for_another_reporting_currency_is_not_read(manager, portfolio, settings):
    summaries.rebuild()
    settings.REPORTING_CURRENCY = "IDR"
    rate(datetime.date(2026, 1, 1), "USD", "IDR", "16000")

    _assert_exact(manager, summarised=0)


def test_a_stale_summary_is_computed_live_beside_the_fresh_ones(manager, portfolio, flows):
    summaries.rebuild()
    flows.append(flow(portfolio[2], Category.STAFF, Stage.SPENT, datetime.date(2026, 6, 1), "USD", "5000"))
    summaries.money_flows_changed(programme_id=portfolio[2].pk)

    _assert_exact(manager, summarised=2)
    assert tasks.refresh_budget_summaries([portfolio[0].pk]) == 0  # only the programmes asked for
    assert tasks.refresh_budget_summaries() == 1
    _assert_exact(manager, summarised=3)


def test_a_change_made_during_a_recomputation_leaves_the_summary_stale(manager, portfolio, flows, monkeypatch):
    summaries.rebuild()
    summaries.mark_stale(portfolio[0].pk)
    computed = summaries.live_budgets

    moved = []

    def computed_while_money_moves(programmes, lines, today):
        overview = computed(programmes, lines, today)
        if not moved:  # once: the section computes stale programmes live through it too
            flows.append(flow(portfolio[0], Category.STAFF, Stage.SPENT, datetime.date(2026, 6, 1), "USD", "5000"))
            summaries.mark_stale(portfolio[0].pk)
            moved.append(True)
        return overview

    monkeypatch.setattr(summaries, "live_budgets", computed_while_money_moves)

    assert summaries.refresh() == 0
    _assert_exact(manager, summarised=2)


def test_a_change_committed_asks_the_task_to_recompute(manager, officer, portfolio, django_capture_on_commit_callbacks):
    summaries.rebuild()

    with django_capture_on_commit_callbacks(execute=True):
        _spent(portfolio[0], officer, "10")

    _assert_exact(manager, summarised=3)


def test_the_command_recomputes_every_summary(manager, portfolio, capsys):
    call_command("refresh_budget_summaries")

    assert "3 programmes" in capsys.readouterr().out
    _assert_exact(manager, summarised=3)


def test_the_section_from_summaries_costs_the_same_queries_for_3_or_12_programmes(client, manager, flows):
    client.force_login(manager)
    url = reverse("reporting:dashboard")

    def queries(count, *, stale: int):
        for index in range(count):
            programme = ProgrammeFactory(code=f"KSM-Q{count}-{stale}-{index}")
            line = BudgetLineFactory(programme=programme, amount=Decimal("1000"))
            ExpenditureFactory(programme=programme, amount=Decimal("1500"), budget_line=line)
            flows.append(flow(programme, Category.STAFF, Stage.SPENT, datetime.date(2026, 2, index + 1), "IDR", "16"))
        summaries.rebuild()
        for programme in Programme.objects.order_by("pk")[:stale]:
            summaries.mark_stale(programme.pk)
        client.get(url)  # fixes the rates of the new dates
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries(3, stale=0)
    assert queries(12, stale=0) == few
    with_stale = queries(3, stale=1)
    assert queries(12, stale=2) == with_stale


def test_the_dashboards_export_from_summaries_is_the_live_one(client, manager, portfolio):
    client.force_login(manager)
    url = reverse("exports:export", args=["reporting.dashboard", "csv"])
    live = _export_text(client.get(url))
    summaries.rebuild()

    assert _summarised(_overview(manager)) == 3
    exported = _export_text(client.get(url))
    assert "Budget lines over budget" in exported and "KSM-S2" in exported
    assert exported == live


def _export_text(response) -> str:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def test_the_totals_of_unchanged_summaries_are_read_from_the_cache(manager, portfolio, monkeypatch):
    summaries.rebuild()
    first = _shown(_overview(manager))
    summed = _kinds_summed(monkeypatch)

    assert _shown(_overview(manager)) == first == _shown(_live(manager))
    assert summed == [Q(kind=summaries.Kind.UNBUDGETED)]  # only what no line holds, which the cache does not keep


def test_after_money_moves_the_cached_totals_are_not_read(manager, officer, portfolio):
    summaries.rebuild()
    before = _shown(_overview(manager))
    _spent(portfolio[0], officer, "2500")
    assert summaries.refresh() == 1

    _assert_exact(manager, summarised=3)
    assert _shown(_overview(manager))["totals"] != before["totals"]


def test_figures_stored_again_under_a_version_already_totalled_are_totalled_again(manager, portfolio, flows):
    """As in a database restored from a copy, whose versions then move on with other figures."""
    summaries.rebuild()
    before = _shown(_overview(manager))
    flows.append(flow(portfolio[2], Category.STAFF, Stage.SPENT, datetime.date(2026, 6, 1), "USD", "5000"))
    summaries.money_flows_changed(programme_id=portfolio[2].pk)
    BudgetSummary.objects.filter(programme=portfolio[2]).update(version=F("version") - 1)  # the version totalled
    assert summaries.refresh() == 1

    _assert_exact(manager, summarised=3)
    assert _shown(_overview(manager))["totals"] != before["totals"]


def test_after_recomputing_the_task_totals_every_programme_for_the_next_dashboard(manager, portfolio, monkeypatch):
    summaries.rebuild()
    summaries.mark_stale(portfolio[0].pk)
    assert tasks.refresh_budget_summaries() == 1
    summed = _kinds_summed(monkeypatch)

    assert _shown(_overview(manager)) == _shown(_live(manager))
    assert summed == [Q(kind=summaries.Kind.UNBUDGETED)]


def test_while_a_summary_is_stale_the_task_does_not_total_every_programme(portfolio):
    summaries.rebuild()
    summaries.mark_stale(portfolio[0].pk)

    assert summaries.total_every_programme() is False


def _spent(programme, officer, amount: str) -> None:
    services.expenditure_create(
        programme=programme,
        recorded_by=officer,
        spent_on=datetime.date(2026, 3, 1),
        amount=Decimal(amount),
        currency=currency("USD"),
        category=Category.STAFF,
        payee="Hotel Nusa Indah",
    )


def _kinds_summed(monkeypatch) -> list:
    """The kinds of amount each later read of the summaries' sums asks for."""
    summed = []
    sums = summaries._sums
    monkeypatch.setattr(summaries, "_sums", lambda ids, kinds: summed.append(kinds) or sums(ids, kinds))
    return summed
