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
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType

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
NOTHING: "Sums" = MappingProxyType({})


def burn_rate(actual: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """Actual over budget, in percent with one decimal; None when there is no budget to burn."""
    if actual is None or not budget:
        return None
    return (actual * HUNDRED / budget).quantize(PERCENT)


def budget_date(line: BudgetLine, today: datetime.date) -> datetime.date:
    return min(line.period_start, today)


class Amounts:
    """The budget, committed and spent amounts of one line or of several, each summed per (currency, date): what
    their totals convert."""

    __slots__ = ("budget", "committed", "spent")

    def __init__(self, budget: Sums | None = None, committed: Sums | None = None, spent: Sums | None = None):
        self.budget: Sums = defaultdict(Decimal) if budget is None else budget
        self.committed: Sums = defaultdict(Decimal) if committed is None else committed
        self.spent: Sums = defaultdict(Decimal) if spent is None else spent

    @property
    def sums(self) -> tuple[Sums, Sums, Sums]:
        return self.budget, self.committed, self.spent

    @classmethod
    def of(cls, parts: Iterable["Amounts"]) -> "Amounts":
        together = cls()
        for part in parts:
            for sums, more in zip(together.sums, part.sums, strict=True):
                _add(sums, more)
        return together


def _add(sums: Sums, more: Sums) -> None:
    for pair, amount in more.items():
        sums[pair] += amount


class Figures:
    """Budget, committed, spent and what is left of one line, one period or one programme: in the reporting
    currency always (``*_total``), and in ``currency`` too when every amount is in it. Each is worked out when first
    read: of most of a portfolio's lines the dashboard reads only whether they are over budget."""

    def __init__(self, amounts: Amounts, rates: Rates, currencies: dict):
        self.amounts, self._rates, self._currencies = amounts, rates, currencies

    @cached_property
    def budget_total(self) -> Total:
        return LazyTotal(self._rates, self.amounts.budget)

    @cached_property
    def committed_total(self) -> Total:
        return LazyTotal(self._rates, self.amounts.committed)

    @cached_property
    def actual_total(self) -> Total:
        return LazyTotal(self._rates, self.amounts.spent)

    @cached_property
    def _code(self) -> str | None:
        """The code of the one currency every amount is in, or None."""
        codes = {code for sums in self.amounts.sums for code, _on in sums}
        return codes.pop() if len(codes) == 1 else None

    @property
    def currency(self):
        """The Currency every amount is in, or None when they are not all in one."""
        return None if self._code is None else self._currencies.get(self._code)

    @cached_property
    def budget(self) -> Decimal | None:
        return self._in_its_currency(self.amounts.budget)

    @cached_property
    def committed(self) -> Decimal | None:
        return self._in_its_currency(self.amounts.committed)

    @cached_property
    def actual(self) -> Decimal | None:
        return self._in_its_currency(self.amounts.spent)

    def _in_its_currency(self, sums: Sums) -> Decimal | None:
        return None if self._code is None else sum(sums.values(), Decimal(0))

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


class LineFigures(Figures):
    def __init__(self, amounts: Amounts, rates: Rates, currencies: dict, *, line: BudgetLine):
        super().__init__(amounts, rates, currencies)
        self.line = line


class PeriodFigures(Figures):
    def __init__(self, amounts: Amounts, rates: Rates, currencies: dict, *, start, end, lines: list[LineFigures]):
        super().__init__(amounts, rates, currencies)
        self.period_start, self.period_end, self.lines = start, end, lines


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


def events(
    programme_ids: list[int], *, currency: str | None = None, period: DateSpan | None = None
) -> Iterator[tuple[Flow, int | None]]:
    """Every flow of the modules and every expenditure (summed per day, currency, category and line) of the
    programmes (only those in ``currency`` and dated within ``period``, when given), each with the line it was
    recorded against (None for a module's flow)."""
    wanted = set(programme_ids)
    for flow in money_flows.flows(programme_ids, currency=currency, span=period):
        if flow.programme_id in wanted:
            yield flow, None
    spent = Expenditure.objects.filter(programme_id__in=programme_ids)
    if currency is not None:
        spent = spent.filter(currency_id=currency)
    if period is not None:
        spent = spent.filter(period.within("spent_on"))
    spent = (
        spent.order_by()
        .values_list("programme_id", "category", "spent_on", "currency_id", "budget_line_id")
        .annotate(total=Sum("amount"))
    )
    source = _("Expenditures recorded")
    for programme_id, category, on, currency, line_id, amount in spent:
        yield Flow(programme_id, category, Stage.SPENT, on, currency, amount, source), line_id


def _period_figures(line_figures: list[LineFigures], rates: Rates, currencies: dict) -> list[PeriodFigures]:
    periods = defaultdict(list)
    for figures in line_figures:
        periods[(figures.line.period_start, figures.line.period_end)].append(figures)
    return [
        PeriodFigures(
            Amounts.of(figures.amounts for figures in members), rates, currencies, start=start, end=end, lines=members
        )
        for (start, end), members in sorted(periods.items())
    ]


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


@dataclass
class Overview:
    """Several programmes' budgets, and their lines, actuals and unbudgeted amounts added together."""

    budgets: list[ProgrammeBudget]
    overall: Figures
    unbudgeted_total: Total

    @property
    def over_budget_lines(self) -> list[LineFigures]:
        return [figures for budget in self.budgets for figures in budget.over_budget_lines]

    def read_figures(self, budgets: Iterable[ProgrammeBudget]) -> None:
        """Have the figures of ``budgets`` at hand before they are read: they already are (the summaries' overview
        loads them at once, see ``summaries``)."""


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
    budget and its lines over budget) the figures per period are left out."""
    today = today or timezone.localdate()
    programmes = list(programmes)
    # What counts against a line counts against its programme and the whole too: each is summed as it is read. A
    # line's own amounts are kept apart only for the lines something counts against.
    everything, of_programme, of_line = Amounts(), defaultdict(Amounts), defaultdict(Amounts)
    budget_of, programme_of, lines_of = {}, {}, defaultdict(list)
    for line in lines:
        line_id, budget = line.pk, (line.currency_id, budget_date(line, today))
        budget_of[line_id], programme_of[line_id] = {budget: line.amount}, line.programme_id
        lines_of[programme_of[line_id]].append(line)
        for amounts in (of_programme[programme_of[line_id]], everything):
            amounts.budget[budget] += line.amount
    line_of = _line_finder(lines)
    # What no line holds: per programme, category and source, per programme, and in all.
    unbudgeted = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    outside_of, outside = defaultdict(lambda: defaultdict(Decimal)), defaultdict(Decimal)
    for event, line_id in events([programme.pk for programme in programmes], currency=currency, period=period):
        if event.amount is None or currency is not None and event.currency != currency:
            continue
        if period is not None and event.on not in period:
            continue
        pair = (event.currency, event.on)
        if line_id not in programme_of:
            line_id = line_of(event.programme_id, event.category, event.on)
        if line_id is None:
            of_source = unbudgeted[event.programme_id][(event.category, str(event.source))]
            for sums in (of_source, outside_of[event.programme_id], outside):
                sums[pair] += event.amount
        elif event.stage in (SPENT, COMMITTED):
            for amounts in (of_line[line_id], of_programme[programme_of[line_id]], everything):
                (amounts.spent if event.stage == SPENT else amounts.committed)[pair] += event.amount
    rates = Rates({pair for sums in (*everything.sums, outside) for pair in sums})
    currencies = rates.currencies  # every line's currency among them, as every line's budget is converted

    def amounts_of(line: BudgetLine) -> Amounts:
        found = of_line.get(line.pk)
        return Amounts(budget_of[line.pk], *((NOTHING, NOTHING) if found is None else (found.committed, found.spent)))

    budgets = []
    for programme in programmes:
        line_figures = [LineFigures(amounts_of(line), rates, currencies, line=line) for line in lines_of[programme.pk]]
        period_figures = [] if summary else _period_figures(line_figures, rates, currencies)
        of_source = unbudgeted[programme.pk]
        budgets.append(
            ProgrammeBudget(
                programme=programme,
                lines=line_figures,
                periods=period_figures,
                overall=Figures(of_programme[programme.pk], rates, currencies),
                unbudgeted=[
                    Unbudgeted(category, source, LazyTotal(rates, sums))
                    for (category, source), sums in sorted(of_source.items())
                ],
                unbudgeted_total=LazyTotal(rates, outside_of[programme.pk]),
                reporting_currency=rates.reporting,
            )
        )
    return Overview(budgets, Figures(everything, rates, currencies), LazyTotal(rates, outside))
