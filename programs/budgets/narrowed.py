"""The dashboard's budgets narrowed to a currency or a period, kept for each state of the programmes' summaries.

Narrowed, the figures are computed live (``selectors.dashboard_budgets``): a summary holds a programme's whole
budget, not what a currency or a span of days leaves of it. Yet they depend on nothing a summary does not follow:
every change that moves a programme's figures (a line, an expenditure, a module's money, a rate) marks its summary
stale and counts its version up, and a summary is fresh for one day. So while every programme in the section has a
fresh summary, what the section reads of all of them is kept in the cache under their summaries' states (see
``overall.cache_key``), the currency, the period and the day: each programme's rank (its lines over budget and its
burn rate), the totals and the lines over budget. The few programmes the page shows are computed live for
themselves alone when their figures are read, and what no line holds when it is read. A programme whose summary is
stale has the whole section computed live, as does a state not seen before.
"""

import datetime
from collections.abc import Callable

from django.db.models import QuerySet

from cooperation import exchange
from cooperation.date_spans import DateSpan
from programs.budgets.actuals import Overview, programme_budgets
from programs.budgets.models import BudgetLine, BudgetSummary
from programs.budgets.overall import cache_key, figures_of_kept, keep, kept_totals, read_kept
from programs.budgets.summaries import (
    CurrencyLoader,
    LinesOverBudget,
    OverBudget,
    SummarisedBudget,
    SummarisedFigures,
    SummarisedOverview,
    fresh_on,
    over_budget_entry,
)
from programs.models import Programme


def _narrowing(currency: str | None, period: DateSpan | None) -> str:
    return f"currency={currency or ''}|period={period.start if period else ''}..{period.end if period else ''}"


def narrowed_overview(
    programmes: list[Programme],
    lines: QuerySet[BudgetLine],
    today: datetime.date,
    *,
    currency: str | None,
    period: DateSpan | None,
    compute: Callable[[], Overview],
) -> Overview:
    """The section's overview of ``programmes`` (those with ``lines`` in the narrowing, in the dashboard's order):
    ``compute()`` (the live overview), or what was kept of it for the same state of their summaries."""
    states = list(
        BudgetSummary.objects.filter(fresh_on(today))
        .filter(programme_id__in=[programme.pk for programme in programmes])
        .values_list("pk", "version", "computed_at")
    )
    if not programmes or len(states) < len(programmes):
        return compute()
    key = cache_key(today, exchange.reporting_currency(), states, _narrowing(currency, period))
    kept = read_kept(key)
    if kept is None:
        overview = compute()
        keep(key, _kept(overview))
        return overview
    return KeptOverview(programmes, kept, lines=lines, today=today, currency=currency, period=period, compute=compute)


def _kept(overview: Overview) -> dict:
    overall = overview.overall
    return {
        "ranks": [
            (budget.programme.pk, len(budget.over_budget_lines), budget.overall.burn_rate_reporting)
            for budget in overview.budgets
        ],
        "totals": kept_totals(overall.amounts, overall._rates),
        "over_budget": [over_budget_entry(figures) for figures in overview.over_budget_lines],
    }


class KeptOverview(SummarisedOverview):
    """The section's overview from what was kept: the programmes ranked, the totals and the lines over budget; the
    figures of a programme computed live for it when read (``read_figures``)."""

    def __init__(self, programmes, kept: dict, *, lines, today, currency, period, compute):
        super().__init__([], figures_of_kept(kept["totals"]), _LiveUnbudgeted(compute), summary_ids={})
        self._lines, self._today, self._currency, self._period = lines, today, currency, period
        by_id = {programme.pk: programme for programme in programmes}
        over_budget = iter(kept["over_budget"])
        lines_over_budget = LinesOverBudget(programmes, [entry[0] for entry in kept["over_budget"]])
        currencies = CurrencyLoader()
        for programme_id, over_budget_count, burn_rate in kept["ranks"]:
            entries = [next(over_budget) for _index in range(over_budget_count)]
            self.budgets.append(
                SummarisedBudget(
                    by_id[programme_id],
                    SummarisedFigures(self, programme_id, burn_rate),
                    [OverBudget(entry, lines_over_budget, currencies) for entry in entries],
                )
            )

    def read_figures(self, budgets) -> None:
        wanted = [budget.programme for budget in budgets if budget.programme.pk not in self._figures]
        if not wanted:
            return
        by_id = {programme.pk: programme for programme in wanted}
        lines = list(
            self._lines.filter(programme_id__in=list(by_id))
            .only("programme", "category", "period_start", "period_end", "amount", "currency")
            .order_by("programme_id", "period_start", "category", "pk")
        )
        for line in lines:
            line.programme = by_id[line.programme_id]
        live = programme_budgets(wanted, lines, self._today, currency=self._currency, period=self._period, summary=True)
        for budget in live.budgets:
            self._figures[budget.programme.pk] = budget.overall


class _LiveUnbudgeted:
    """What no line holds, which the section does not show: computed live when read."""

    def __init__(self, compute: Callable[[], Overview]):
        self._compute, self._total = compute, None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._total is None:
            self._total = self._compute().unbudgeted_total
        return getattr(self._total, name)
