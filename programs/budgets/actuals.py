"""Budget against actuals: what each budget line of a programme was meant to cost, what the modules committed and
spent against it, and what is left.

The actuals are the modules' money flows (``cooperation.money_flows``: loans and tranches approved and paid out,
stipends, goods dispatched) and the expenditures officers record, all summed per day and currency in SQL, so the
work grows with days, not with records. A flow or expenditure counts against the line of its programme and
category whose period holds its date (an expenditure recorded against a line counts against that line); what no
line holds is "unbudgeted". Each line's figures are in its own currency when every amount against it is too, and
always in the reporting currency, each amount converted at the rate of its own date (the budget at the rate of
the day its period starts, or today's while it has not started).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import money_flows
from cooperation.date_spans import DateSpan
from cooperation.exchange import Total
from cooperation.money_flows import Category, Stage
from programs.budgets.models import BudgetLine, Expenditure
from programs.budgets.rates import LazyTotal, Rates

HUNDRED = Decimal(100)
PERCENT = Decimal("0.1")


@dataclass(frozen=True)
class Event:
    programme_id: int
    category: str
    stage: str
    on: datetime.date
    currency: str
    amount: Decimal
    source: str
    line_id: int | None = None

    @property
    def row(self):
        return (self.amount, self.currency, self.on)


def burn_rate(actual: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """Actual over budget, in percent with one decimal; None when there is no budget to burn."""
    if actual is None or not budget:
        return None
    return (actual * HUNDRED / budget).quantize(PERCENT)


def budget_date(line: BudgetLine, today: datetime.date) -> datetime.date:
    return min(line.period_start, today)


@dataclass
class Figures:
    """Budget, committed, spent and what is left of one line, one period or one programme: in the reporting
    currency always (``*_total``), and in ``currency`` too when every amount is in it."""

    budget_total: Total
    committed_total: Total
    actual_total: Total
    currency: object = None  # the Currency every amount is in, or None when they are not all in one
    budget: Decimal | None = None
    committed: Decimal | None = None
    actual: Decimal | None = None

    @property
    def remaining(self) -> Decimal | None:
        return None if self.currency is None else self.budget - self.actual

    @property
    def burn_rate(self) -> Decimal | None:
        return burn_rate(self.actual, self.budget) if self.currency is not None else None

    @property
    def complete(self) -> bool:
        return self.budget_total.complete and self.actual_total.complete and self.committed_total.complete

    @property
    def remaining_reporting(self) -> Decimal | None:
        if not (self.budget_total.complete and self.actual_total.complete):
            return None
        return self.budget_total.reporting - self.actual_total.reporting

    @property
    def burn_rate_reporting(self) -> Decimal | None:
        if not (self.budget_total.complete and self.actual_total.complete):
            return None
        return burn_rate(self.actual_total.reporting, self.budget_total.reporting)

    @property
    def over_budget(self) -> bool:
        """Spent more than budgeted: in the line's currency when everything is in it, else in the reporting
        currency (as far as the amounts could be converted)."""
        if self.currency is not None:
            return self.actual > self.budget
        return self.actual_total.reporting > self.budget_total.reporting

    @property
    def over_committed(self) -> bool:
        """What is spent and what is committed together pass the budget (not spent yet, but promised)."""
        if self.currency is not None:
            return self.actual + self.committed > self.budget
        spent = self.actual_total.reporting + self.committed_total.reporting
        return spent > self.budget_total.reporting

    @property
    def converted(self) -> bool:
        """Amounts in other currencies were converted to compare them."""
        return self.currency is None


@dataclass
class LineFigures(Figures):
    line: BudgetLine = None


@dataclass
class PeriodFigures(Figures):
    period_start: datetime.date = None
    period_end: datetime.date = None
    lines: list[LineFigures] = field(default_factory=list)


@dataclass
class Unbudgeted:
    """Flows and expenditures of a category that no line's period holds."""

    category: str
    source: str
    total: Total

    @property
    def category_label(self) -> str:
        return Category(self.category).label


@dataclass
class ProgrammeBudget:
    programme: object
    lines: list[LineFigures]
    periods: list[PeriodFigures]
    overall: Figures
    unbudgeted: list[Unbudgeted]
    unbudgeted_total: Total
    reporting_currency: str

    @property
    def over_budget_lines(self) -> list[LineFigures]:
        return [figures for figures in self.lines if figures.over_budget]

    @property
    def has_figures(self) -> bool:
        return bool(self.lines or self.unbudgeted)


def events(programme_ids: list[int]) -> list[Event]:
    """Every flow of the modules and every expenditure (summed per day, currency, category and line) of the
    programmes."""
    wanted = set(programme_ids)
    found = [
        Event(flow.programme_id, flow.category, flow.stage, flow.on, flow.currency, flow.amount, str(flow.source))
        for flow in money_flows.flows(programme_ids)
        if flow.programme_id in wanted
    ]
    spent = (
        Expenditure.objects.filter(programme_id__in=programme_ids)
        .order_by()
        .values_list("programme_id", "category", "spent_on", "currency_id", "budget_line_id")
        .annotate(total=Sum("amount"))
    )
    source = _("Expenditures recorded")
    for programme_id, category, on, currency, line_id, amount in spent:
        found.append(Event(programme_id, category, Stage.SPENT, on, currency, amount, source, line_id))
    return found


def _matched(lines: list[BudgetLine], found: list[Event]) -> tuple[dict[int, list[Event]], list[Event]]:
    by_key = defaultdict(list)
    for line in lines:
        by_key[(line.programme_id, line.category)].append(line)
    line_ids = {line.pk for line in lines}
    matched, unmatched = defaultdict(list), []
    for event in found:
        if event.line_id in line_ids:
            matched[event.line_id].append(event)
            continue
        candidates = by_key[(event.programme_id, event.category)]
        line = next((line for line in candidates if line.covers(event.category, event.on)), None)
        if line is None:
            unmatched.append(event)
        else:
            matched[line.pk].append(event)
    return matched, unmatched


def _figures(kind, rates: Rates, budget_rows, found: list[Event], currencies: dict, *, lazy: bool = False, **extra):
    """``kind``'s figures of ``budget_rows`` and ``found``; ``lazy``, their totals in the reporting currency are summed
    when first read."""
    spent = [event for event in found if event.stage == Stage.SPENT]
    committed = [event for event in found if event.stage == Stage.COMMITTED]
    codes = {currency for _amount, currency, _on in budget_rows} | {event.currency for event in found}
    total = (lambda rows: LazyTotal(rates, list(rows))) if lazy else rates.total
    figures = kind(
        budget_total=total(budget_rows),
        committed_total=total(event.row for event in committed),
        actual_total=total(event.row for event in spent),
        **extra,
    )
    if len(codes) == 1:
        (code,) = codes
        figures.currency = currencies.get(code)
        figures.budget = sum((amount for amount, _currency, _on in budget_rows), Decimal(0))
        figures.committed = sum((event.amount for event in committed), Decimal(0))
        figures.actual = sum((event.amount for event in spent), Decimal(0))
    return figures


@dataclass
class Overview:
    """Several programmes' budgets, and their lines, actuals and unbudgeted amounts added together."""

    budgets: list[ProgrammeBudget]
    overall: Figures
    unbudgeted_total: Total

    @property
    def over_budget_lines(self) -> list[LineFigures]:
        return [figures for budget in self.budgets for figures in budget.over_budget_lines]


def programme_budgets(
    programmes: Iterable,
    lines: list[BudgetLine],
    today: datetime.date | None = None,
    *,
    currency: str | None = None,
    period: DateSpan | None = None,
    summary: bool = False,
) -> Overview:
    """Each programme's ``ProgrammeBudget`` from its ``lines`` (with their currency) and every flow and expenditure
    (only those in ``currency`` and dated within ``period`` when given), and their sum, in a fixed number of
    queries however many programmes, lines and records. As a ``summary`` (the dashboard's: each programme's whole
    budget and its lines over budget) the figures per period are left out and each line's totals in the reporting
    currency are summed only when read."""
    today = today or timezone.localdate()
    programmes = list(programmes)
    found = [
        event
        for event in events([programme.pk for programme in programmes])
        if (currency is None or event.currency == currency) and (period is None or event.on in period)
    ]
    budget_rows = {line.pk: [(line.amount, line.currency_id, budget_date(line, today))] for line in lines}
    rates = Rates([*(row for rows in budget_rows.values() for row in rows), *(event.row for event in found)])
    currencies = {line.currency_id: line.currency for line in lines} | rates.currencies
    matched, unmatched = _matched(lines, found)
    lines_of, unmatched_of = defaultdict(list), defaultdict(list)
    for line in lines:
        lines_of[line.programme_id].append(line)
    for event in unmatched:
        unmatched_of[event.programme_id].append(event)
    budgets = []
    for programme in programmes:
        own = lines_of[programme.pk]
        line_figures = [
            _figures(LineFigures, rates, budget_rows[line.pk], matched[line.pk], currencies, lazy=summary, line=line)
            for line in own
        ]
        periods = defaultdict(list)
        for figures in line_figures:
            periods[(figures.line.period_start, figures.line.period_end)].append(figures)
        period_figures = [
            _figures(
                PeriodFigures,
                rates,
                [row for figures in members for row in budget_rows[figures.line.pk]],
                [event for figures in members for event in matched[figures.line.pk]],
                currencies,
                period_start=start,
                period_end=end,
                lines=members,
            )
            for (start, end), members in sorted(periods.items())
            if not summary
        ]
        outside = unmatched_of[programme.pk]
        overall = _figures(
            Figures,
            rates,
            [row for line in own for row in budget_rows[line.pk]],
            [event for line in own for event in matched[line.pk]],
            currencies,
        )
        by_source = defaultdict(list)
        for event in outside:
            by_source[(event.category, event.source)].append(event.row)
        budgets.append(
            ProgrammeBudget(
                programme=programme,
                lines=line_figures,
                periods=period_figures,
                overall=overall,
                unbudgeted=[
                    Unbudgeted(category, source, rates.total(rows))
                    for (category, source), rows in sorted(by_source.items())
                ],
                unbudgeted_total=rates.total(event.row for event in outside),
                reporting_currency=rates.reporting,
            )
        )
    overall = _figures(
        Figures,
        rates,
        [row for rows in budget_rows.values() for row in rows],
        [event for events_of_line in matched.values() for event in events_of_line],
        currencies,
    )
    return Overview(budgets, overall, rates.total(event.row for event in unmatched))
