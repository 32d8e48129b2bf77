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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import money_flows
from cooperation.date_spans import DateSpan
from cooperation.exchange import Total
from cooperation.money_flows import Category, Flow, Stage
from programs.budgets.models import BudgetLine, Expenditure
from programs.budgets.rates import LazyTotal, Rates, Sums

HUNDRED = Decimal(100)
PERCENT = Decimal("0.1")
COMMITTED, SPENT = Stage.COMMITTED, Stage.SPENT


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

    @cached_property
    def over_budget_lines(self) -> list[LineFigures]:
        return [figures for figures in self.lines if figures.over_budget]

    @property
    def has_figures(self) -> bool:
        return bool(self.lines or self.unbudgeted)


def events(programme_ids: list[int]) -> Iterator[tuple[Flow, int | None]]:
    """Every flow of the modules and every expenditure (summed per day, currency, category and line) of the
    programmes, each with the line it was recorded against (None for a module's flow)."""
    wanted = set(programme_ids)
    for flow in money_flows.flows(programme_ids):
        if flow.programme_id in wanted:
            yield flow, None
    spent = (
        Expenditure.objects.filter(programme_id__in=programme_ids)
        .order_by()
        .values_list("programme_id", "category", "spent_on", "currency_id", "budget_line_id")
        .annotate(total=Sum("amount"))
    )
    source = _("Expenditures recorded")
    for programme_id, category, on, currency, line_id, amount in spent:
        yield Flow(programme_id, category, Stage.SPENT, on, currency, amount, source), line_id


class _Amounts:
    """The budget, committed and spent amounts of one line or of several, each summed per (currency, date): what
    their totals convert."""

    __slots__ = ("budget", "committed", "spent")

    def __init__(self):
        self.budget: Sums = defaultdict(Decimal)
        self.committed: Sums = defaultdict(Decimal)
        self.spent: Sums = defaultdict(Decimal)

    @property
    def sums(self) -> tuple[Sums, Sums, Sums]:
        return self.budget, self.committed, self.spent

    @classmethod
    def of(cls, parts: Iterable["_Amounts"]) -> "_Amounts":
        together = cls()
        for part in parts:
            for sums, more in zip(together.sums, part.sums, strict=True):
                _add(sums, more)
        return together


def _add(sums: Sums, more: Sums) -> None:
    for pair, amount in more.items():
        sums[pair] += amount


def _summed(parts: Iterable[Sums]) -> Sums:
    together = defaultdict(Decimal)
    for sums in parts:
        _add(together, sums)
    return together


def _line_finder(lines: list[BudgetLine]):
    """``line_of(programme_id, category, on)``: the id of the first line of the programme and category whose period
    holds the date, or None."""
    periods = defaultdict(list)
    for line in lines:
        periods[(line.programme_id, line.category)].append((line.period_start, line.period_end, line.pk))

    def line_of(programme_id: int, category: str, on: datetime.date) -> int | None:
        for start, end, line_id in periods.get((programme_id, category), ()):
            if start <= on <= end:
                return line_id
        return None

    return line_of


def _figures(kind, rates: Rates, amounts: _Amounts, currencies: dict, *, lazy: bool = False, **extra):
    """``kind``'s figures of ``amounts``; ``lazy``, their totals in the reporting currency are worked out when first
    read."""
    total = partial(LazyTotal, rates) if lazy else rates.total
    figures = kind(
        budget_total=total(amounts.budget),
        committed_total=total(amounts.committed),
        actual_total=total(amounts.spent),
        **extra,
    )
    codes = {code for sums in amounts.sums for code, _on in sums}
    if len(codes) == 1:
        (code,) = codes
        figures.currency = currencies.get(code)
        figures.budget = sum(amounts.budget.values(), Decimal(0))
        figures.committed = sum(amounts.committed.values(), Decimal(0))
        figures.actual = sum(amounts.spent.values(), Decimal(0))
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
    budget and its lines over budget) the figures per period are left out and the totals in the reporting currency
    of each line and each programme are worked out only when read."""
    today = today or timezone.localdate()
    programmes = list(programmes)
    # What counts against a line counts against its programme too: both are summed as the amounts are read.
    of_line, of_programme, counted_in = {}, defaultdict(_Amounts), {}
    for line in lines:
        of_line[line.pk] = _Amounts()
        counted_in[line.pk] = (of_line[line.pk], of_programme[line.programme_id])
        budget = (line.currency_id, budget_date(line, today))
        for amounts in counted_in[line.pk]:
            amounts.budget[budget] += line.amount
    line_of = _line_finder(lines)
    # Per programme, what no line holds, per category and source.
    unbudgeted = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    for event, line_id in events([programme.pk for programme in programmes]):
        if event.amount is None or currency is not None and event.currency != currency:
            continue
        if period is not None and event.on not in period:
            continue
        pair = (event.currency, event.on)
        if line_id not in of_line:
            line_id = line_of(event.programme_id, event.category, event.on)
        if line_id is None:
            unbudgeted[event.programme_id][(event.category, str(event.source))][pair] += event.amount
        elif event.stage in (SPENT, COMMITTED):
            for amounts in counted_in[line_id]:
                (amounts.spent if event.stage == SPENT else amounts.committed)[pair] += event.amount
    everything = _Amounts.of(of_programme.values())
    outside = [sums for of_source in unbudgeted.values() for sums in of_source.values()]
    rates = Rates({pair for sums in (*everything.sums, *outside) for pair in sums})
    # The dashboard reads each programme's budget and spent totals to rank them, and the rest only of a few.
    total = partial(LazyTotal, rates) if summary else rates.total
    currencies = {line.currency_id: line.currency for line in lines} | rates.currencies
    lines_of = defaultdict(list)
    for line in lines:
        lines_of[line.programme_id].append(line)
    budgets = []
    for programme in programmes:
        line_figures = [
            _figures(LineFigures, rates, of_line[line.pk], currencies, lazy=summary, line=line)
            for line in lines_of[programme.pk]
        ]
        periods = defaultdict(list)
        for figures in line_figures:
            periods[(figures.line.period_start, figures.line.period_end)].append(figures)
        period_figures = [
            _figures(
                PeriodFigures,
                rates,
                _Amounts.of(of_line[figures.line.pk] for figures in members),
                currencies,
                period_start=start,
                period_end=end,
                lines=members,
            )
            for (start, end), members in sorted(periods.items())
            if not summary
        ]
        of_source = unbudgeted[programme.pk]
        budgets.append(
            ProgrammeBudget(
                programme=programme,
                lines=line_figures,
                periods=period_figures,
                overall=_figures(Figures, rates, of_programme[programme.pk], currencies, lazy=summary),
                unbudgeted=[
                    Unbudgeted(category, source, total(sums)) for (category, source), sums in sorted(of_source.items())
                ],
                unbudgeted_total=total(_summed(of_source.values())),
                reporting_currency=rates.reporting,
            )
        )
    return Overview(budgets, _figures(Figures, rates, everything, currencies), total(_summed(outside)))
