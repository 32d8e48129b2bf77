"""The dashboard's budgets narrowed to a currency or a period: computed live, and kept for the same state of the
programmes' summaries, the next view shows exactly the live figures again without computing every programme; a
change that moves the figures is never hidden by what was kept, a stale summary means a live computation, and the
kept view costs the same queries for 3 programmes as for 12."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.date_spans import DateSpan
from cooperation.money_flows import Category, Stage
from programs.budgets import narrowed, overall, selectors, services, summaries
from programs.models import Programme
from tests.factories import ProgrammeFactory, currency
from tests.programs.budgets.factories import (  # noqa: F401
    BudgetLineFactory,
    ExpenditureFactory,
    budgeted_programmes,
    flow,
    flows,
)
from tests.programs.budgets.test_summaries import _rates, _shown  # noqa: F401

pytestmark = pytest.mark.django_db

SPRING = DateSpan(datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
NARROWINGS = [("IDR", None), ("USD", None), (None, SPRING), ("IDR", SPRING)]


@pytest.fixture
def portfolio(flows):
    return budgeted_programmes(flows, count=3, prefix="N", spent_step=600, technical_idr="1600000.5")


def _overview(manager, code, period):
    return selectors.dashboard_budget_overview(
        user=manager, programmes=Programme.objects.values("pk"), currency=code, period=period
    )


def _live(manager, code, period):
    return selectors.dashboard_budgets(
        user=manager, programmes=Programme.objects.values("pk"), currency=code, period=period
    )


@pytest.mark.parametrize(("code", "period"), NARROWINGS)
def test_a_narrowed_section_seen_again_shows_the_live_figures_from_what_was_kept(manager, portfolio, code, period):
    summaries.rebuild()
    first = _overview(manager, code, period)
    again = _overview(manager, code, period)

    assert not isinstance(first, narrowed.KeptOverview)
    assert isinstance(again, narrowed.KeptOverview)
    assert _shown(again) == _shown(first) == _shown(_live(manager, code, period))
    assert _shown(again)["programmes"]


def test_the_narrowed_page_is_the_same_from_what_was_kept(client, manager, portfolio):
    summaries.rebuild()
    client.force_login(manager)
    url = reverse("reporting:dashboard") + "?currency=USD"

    first, again = client.get(url).content.decode(), client.get(url).content.decode()

    assert _section(again) == _section(first)
    assert "KSM-N2" in _section(again) and 'id="budgets-over"' in _section(again)


def _section(body: str) -> str:
    start = body.index('id="budgets"')
    return body[start : body.index("</section>", start)]


@pytest.mark.parametrize(("code", "period"), NARROWINGS)
def test_after_money_moves_what_was_kept_is_not_read(manager, officer, portfolio, code, period):
    summaries.rebuild()
    before = _shown(_overview(manager, code, period))
    _overview(manager, code, period)
    services.expenditure_create(
        programme=portfolio[0],
        recorded_by=officer,
        spent_on=datetime.date(2026, 3, 10),
        amount=Decimal("2500000"),
        currency=currency(code or "IDR"),
        category=Category.STAFF,
        payee="Hotel Nusa Indah",
    )

    stale = _overview(manager, code, period)
    assert not isinstance(stale, narrowed.KeptOverview)
    assert _shown(stale) == _shown(_live(manager, code, period)) != before
    assert summaries.refresh() == 1
    assert not isinstance(_overview(manager, code, period), narrowed.KeptOverview)  # a new state: computed again
    kept = _overview(manager, code, period)
    assert isinstance(kept, narrowed.KeptOverview)
    assert _shown(kept) == _shown(_live(manager, code, period)) != before


def test_a_stale_summary_means_the_narrowed_section_is_computed_live(manager, portfolio, flows):
    summaries.rebuild()
    _overview(manager, "IDR", None)
    flows.append(flow(portfolio[1], Category.STAFF, Stage.SPENT, datetime.date(2026, 6, 1), "IDR", "5000"))
    summaries.money_flows_changed(programme_id=portfolio[1].pk)

    for _view in range(2):
        overview = _overview(manager, "IDR", None)
        assert not isinstance(overview, narrowed.KeptOverview)
        assert _shown(overview) == _shown(_live(manager, "IDR", None))


def test_the_kept_narrowed_section_costs_the_same_queries_for_3_or_12_programmes(client, manager, flows):
    client.force_login(manager)
    url = reverse("reporting:dashboard") + "?currency=USD"

    def queries(count):
        for index in range(count):
            programme = ProgrammeFactory(code=f"KSM-Q{count}-{index}")
            line = BudgetLineFactory(programme=programme, amount=Decimal("1000"))
            ExpenditureFactory(programme=programme, amount=Decimal("1500"), budget_line=line)
            flows.append(flow(programme, Category.STAFF, Stage.SPENT, datetime.date(2026, 2, index + 1), "IDR", "16"))
        summaries.rebuild()
        client.get(url)  # computes and keeps
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(3) == queries(12)


class _CacheAway:
    def get(self, *args, **kwargs):
        raise ConnectionError("cache server away")

    set = get


@pytest.mark.parametrize(("code", "period"), [(None, None), ("USD", None)])
def test_a_cache_that_is_away_costs_speed_only(manager, portfolio, monkeypatch, code, period, caplog):
    summaries.rebuild()
    monkeypatch.setattr(overall, "cache", _CacheAway())

    for _view in range(2):
        assert _shown(_overview(manager, code, period)) == _shown(_live(manager, code, period))
    assert "not read from the cache" in caplog.text
