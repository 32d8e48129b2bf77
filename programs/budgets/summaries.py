"""Each programme's budget against its actuals, kept as the dashboard reads it (``BudgetSummary``).

The live figures (``actuals.programme_budgets``) read every money flow and expenditure of every programme shown: at
national scale tens of thousands of them, most of a second. A summary keeps what those figures are made of for one
programme, the sums per currency and date of its budget, of what is committed and spent against its lines and of
what no line holds (``BudgetSummaryAmount``), with its burn rate and its lines over budget, all computed by
``programme_budgets`` itself. The dashboard adds the fresh summaries' sums per currency and date in SQL and converts
them as the live figures do, each (currency, date) sum once, so the totals are the same to the last digit.

Kept current: every change that moves a programme's figures marks its summary stale in its own transaction, the
budget services directly, the other modules by announcing ``money_flows.changed`` (``cooperation.money_flows``),
and a new or corrected exchange rate marks every summary stale. A summary computed on an earlier day, or for
another reporting currency, is stale too: a line not started yet converts its budget at today's rate. A stale
summary is never shown: the dashboard computes those programmes live. After the commit a task recomputes what is
stale (``refresh``), beat does it every night, and ``rebuild`` (``manage.py refresh_budget_summaries``) recomputes
every summary from scratch.

A recomputation keeps each summary's ``version`` as it read it and stores its figures only where it is unchanged:
a change committed meanwhile leaves the summary stale rather than overwritten with figures that miss it.
"""

import datetime
from collections import defaultdict
from decimal import Context, Decimal

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Sum
from django.utils import timezone

from cooperation import exchange
from cooperation.reference.models import Currency
from programs.budgets.actuals import Amounts, Figures, Overview, ProgrammeBudget, programme_budgets
from programs.budgets.models import BudgetLine, BudgetSummary, BudgetSummaryAmount, SummaryAmountKind
from programs.budgets.overall import cache_key, known_figures
from programs.budgets.rates import LazyTotal, Rates
from programs.models import Programme

Kind = SummaryAmountKind
# The amounts' column keeps four decimals: a programme with finer amounts is always computed live. An amount may be
# written with more places than it needs ("12.500000", as SQLite gives some sums): they are kept beside it.
_STORED = Decimal("0.0001")
_MOST_PLACES = 20
_WIDE = Context(prec=60)
BATCH = 5000
# What a programme's figures are made of; what no line holds is read apart.
_FIGURES = (SummaryAmountKind.BUDGET, SummaryAmountKind.COMMITTED, SummaryAmountKind.SPENT)


# Marking stale: in the transaction of the change.


def mark_stale(programme_id: int) -> None:
    """The programme's figures moved: its summary (created if it has none yet) is stale until recomputed."""
    BudgetSummary.objects.bulk_create([BudgetSummary(programme_id=programme_id)], ignore_conflicts=True)
    BudgetSummary.objects.filter(programme_id=programme_id).update(stale=True, version=F("version") + 1)
    _refresh_after_commit()


def mark_all_stale() -> None:
    """Every programme's converted figures may have moved (an exchange rate was entered or corrected)."""
    # Locked in programme order, as a recomputation locks them: the two queue rather than deadlock.
    locked = list(BudgetSummary.objects.select_for_update().order_by("programme_id").values_list("pk", flat=True))
    BudgetSummary.objects.filter(pk__in=locked).update(stale=True, version=F("version") + 1)
    _refresh_after_commit()


def money_flows_changed(*, programme_id: int, **_ignored) -> None:
    """Follows ``money_flows.changed``: a module committed or spent money of the programme, or took it back."""
    mark_stale(programme_id)


def exchange_rates_changed(**_ignored) -> None:
    """Follows ``exchange_rates.changed``."""
    mark_all_stale()


def _refresh_after_commit() -> None:
    from programs.budgets.tasks import refresh_budget_summaries

    # The dashboard is exact without it (it computes stale programmes live): a broker that is down costs speed only.
    transaction.on_commit(refresh_budget_summaries.delay, robust=True)


# Recomputing.


def fresh_on(today: datetime.date) -> Q:
    return Q(stale=False, computed_on=today, reporting_currency=exchange.reporting_currency())


def _lines(programme_ids) -> list[BudgetLine]:
    """The programmes' lines as the dashboard reads them, in its order."""
    lines = BudgetLine.objects.filter(programme_id__in=programme_ids)
    lines = lines.only("programme", "category", "period_start", "period_end", "amount", "currency")
    return list(lines.order_by("programme_id", "period_start", "category", "pk"))


def live_budgets(programmes: list[Programme], lines: list[BudgetLine], today: datetime.date) -> Overview:
    """The live figures of ``programmes`` (in the dashboard's order) from their ``lines``, as the dashboard shows
    them, each line given its programme."""
    by_id = {programme.pk: programme for programme in programmes}
    for line in lines:
        line.programme = by_id[line.programme_id]
    return programme_budgets(programmes, lines, today, summary=True)


def _places(amount: Decimal) -> int:
    return max(-amount.as_tuple().exponent, 0)


def _as_written(amount: Decimal, places: int) -> Decimal:
    """``amount`` read back, written with the decimal places the live figures give it."""
    return amount.quantize(Decimal(1).scaleb(-places), context=_WIDE)


def _amount_rows(budget: ProgrammeBudget) -> list[tuple[str, str, datetime.date, Decimal]] | None:
    """(kind, currency, date, amount) of the programme's figures; None when an amount has more decimals than the
    column keeps."""
    amounts = budget.overall.amounts
    rows = []
    for kind, sums in (
        (Kind.BUDGET, amounts.budget),
        (Kind.COMMITTED, amounts.committed),
        (Kind.SPENT, amounts.spent),
        (Kind.UNBUDGETED, budget.unbudgeted_total.sums),
    ):
        for (code, on), amount in sums.items():
            if amount != amount.quantize(_STORED) or _places(amount) > _MOST_PLACES:
                return None
            rows.append((kind, code, on, amount))
    return rows


def over_budget_entry(figures) -> list:
    """A line over budget as its summary keeps it: its id, and its budget and spent amounts in its currency (None
    when its amounts are in several), as the dashboard's export lists them."""
    currency = figures.currency
    return [
        figures.line.pk,
        None if currency is None else str(figures.budget),
        None if currency is None else str(figures.actual),
        None if currency is None else currency.code,
    ]


def refresh(programme_ids=None, today: datetime.date | None = None) -> int:
    """Recompute the summaries not fresh today (of ``programme_ids`` only, when given); how many were stored."""
    today = today or timezone.localdate()
    due = BudgetSummary.objects.exclude(fresh_on(today))
    if programme_ids is not None:
        due = due.filter(programme_id__in=list(programme_ids))
    versions = dict(due.values_list("programme_id", "version"))
    if not versions:
        return 0
    programmes = list(Programme.objects.filter(pk__in=list(versions)).order_by("code"))
    overview = live_budgets(programmes, _lines(list(versions)), today)
    return _store(overview, versions, today)


@transaction.atomic
def _store(overview: Overview, versions: dict[int, int], today: datetime.date) -> int:
    locked = BudgetSummary.objects.select_for_update().filter(programme_id__in=list(versions)).order_by("programme_id")
    summaries = {summary.programme_id: summary for summary in locked.only("pk", "programme", "version")}
    stored, amounts, stored_at = [], [], timezone.now()
    for budget in overview.budgets:
        summary = summaries.get(budget.programme.pk)
        rows = _amount_rows(budget)
        if summary is None or summary.version != versions[budget.programme.pk] or rows is None:
            continue  # changed meanwhile (or not storable): stays stale, shown live
        summary.stale, summary.computed_on, summary.computed_at = False, today, stored_at
        summary.reporting_currency = budget.reporting_currency
        summary.burn_rate = budget.overall.burn_rate_reporting
        summary.over_budget_lines = [over_budget_entry(figures) for figures in budget.over_budget_lines]
        stored.append(summary)
        amounts.extend(
            BudgetSummaryAmount(
                summary=summary, kind=kind, currency_code=code, on=on, amount=amount, places=_places(amount)
            )
            for kind, code, on, amount in rows
        )
    ids = [summary.pk for summary in stored]
    for start in range(0, len(ids), BATCH):
        BudgetSummaryAmount.objects.filter(summary_id__in=ids[start : start + BATCH]).delete()
    BudgetSummaryAmount.objects.bulk_create(amounts, batch_size=BATCH)
    fields = ["stale", "computed_on", "computed_at", "reporting_currency", "burn_rate", "over_budget_lines"]
    BudgetSummary.objects.bulk_update(stored, fields, batch_size=BATCH)
    return len(stored)


def total_every_programme(today: datetime.date | None = None) -> bool:
    """Have the totals of every budgeted programme (the dashboard of a reader who sees them all) worked out and kept
    (see ``overall``), unless a summary is stale: a change is still waiting for its recomputation. Whether they were."""
    today = today or timezone.localdate()
    if BudgetSummary.objects.exclude(fresh_on(today)).exists():
        return False
    budgeted = Programme.objects.filter(Exists(BudgetLine.objects.filter(programme=OuterRef("pk"))))
    dashboard_overview(list(budgeted.only("code").order_by("code")), BudgetLine.objects.all(), today)
    return True


def rebuild(today: datetime.date | None = None) -> int:
    """Recompute every summary from scratch (and give every programme with budget lines one); how many."""
    with transaction.atomic():
        budgeted = BudgetLine.objects.order_by().values_list("programme_id", flat=True).distinct()
        BudgetSummary.objects.bulk_create(
            [BudgetSummary(programme_id=programme_id) for programme_id in budgeted],
            ignore_conflicts=True,
            batch_size=BATCH,
        )
        BudgetSummary.objects.update(stale=True, version=F("version") + 1)
    return refresh(today=today)


# Reading, for the dashboard.


class OverBudget:
    """A line over budget as the dashboard lists it, read from a summary: its budget and spent amounts in its
    currency (None when its amounts are in several), and the line itself, loaded when first read with the next ones
    in the list (the page shows the first few of thousands). Its amounts are read from the entry when asked for: the
    page counts the lines of every programme and names ten."""

    __slots__ = ("_entry", "_lines", "_currencies")

    def __init__(self, entry: list, lines: "LinesOverBudget", currencies: dict):
        self._entry, self._lines, self._currencies = entry, lines, currencies

    @property
    def line_id(self) -> int:
        return self._entry[0]

    @property
    def budget(self) -> Decimal | None:
        return _decimal(self._entry[1])

    @property
    def actual(self) -> Decimal | None:
        return _decimal(self._entry[2])

    @property
    def currency(self):
        return None if self._entry[3] is None else self._currencies.get(self._entry[3])

    @property
    def line(self) -> BudgetLine:
        return self._lines.line(self._entry[0])


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


class LinesOverBudget:
    AT_ONCE = 100

    def __init__(self, programmes: list[Programme], line_ids: list[int]):
        self._programmes = {programme.pk: programme for programme in programmes}
        self._ids, self._position = line_ids, {line_id: index for index, line_id in enumerate(line_ids)}
        self._loaded: dict[int, BudgetLine] = {}

    def line(self, line_id: int) -> BudgetLine:
        if line_id not in self._loaded:
            start = self._position[line_id]
            wanted = [pk for pk in self._ids[start : start + self.AT_ONCE] if pk not in self._loaded]
            lines = BudgetLine.objects.filter(pk__in=wanted)
            for line in lines.only("programme", "category", "period_start", "period_end"):
                line.programme = self._programmes[line.programme_id]
                self._loaded[line.pk] = line
        return self._loaded[line_id]


class SummarisedFigures:
    """A programme's figures read from its summary: its burn rate at once (every programme is ranked by it), the
    rest from its amounts, loaded for the programmes the dashboard shows (``SummarisedOverview.read_figures``)."""

    def __init__(self, overview: "SummarisedOverview", programme_id: int, burn_rate: Decimal | None):
        self._overview, self._programme_id = overview, programme_id
        self.burn_rate_reporting = burn_rate

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._overview.figures_of(self._programme_id), name)


class SummarisedBudget:
    """What the dashboard reads of a programme's budget (``ProgrammeBudget``), from its summary: its figures and
    its lines over budget; not its lines one by one nor its unbudgeted amounts per source."""

    has_figures = True

    def __init__(self, programme: Programme, overall: SummarisedFigures, over_budget_lines: list[OverBudget]):
        self.programme, self.overall, self.over_budget_lines = programme, overall, over_budget_lines


class SummarisedOverview(Overview):
    """``Overview`` of programmes read from their summaries where fresh (``SummarisedBudget``) and computed live
    where not (``ProgrammeBudget``); ``overall`` sums both."""

    def __init__(self, budgets, overall: Figures, unbudgeted_total, *, summary_ids: dict[int, int]):
        super().__init__(budgets, overall, unbudgeted_total)
        self._summary_ids, self._figures = summary_ids, {}

    def read_figures(self, budgets) -> None:
        wanted = [
            budget.programme.pk
            for budget in budgets
            if budget.programme.pk in self._summary_ids and budget.programme.pk not in self._figures
        ]
        if not wanted:
            return
        amounts = {programme_id: Amounts() for programme_id in wanted}
        targets = {self._summary_ids[programme_id]: _sums_by_kind(amounts[programme_id]) for programme_id in wanted}
        rows = BudgetSummaryAmount.objects.filter(summary_id__in=list(targets), kind__in=_FIGURES)
        fields = ("summary_id", "kind", "currency_code", "on", "amount", "places")
        for summary_id, kind, code, on, amount, places in rows.values_list(*fields):
            targets[summary_id][kind][(code, on)] += _as_written(amount, places)
        # Each (currency, date) sum is converted on its own: a rate read for these programmes' pairs alone converts
        # them as the rates of every pair would.
        rates = Rates({pair for programme_id in wanted for sums in amounts[programme_id].sums for pair in sums})
        for programme_id in wanted:
            self._figures[programme_id] = Figures(amounts[programme_id], rates, rates.currencies)

    def figures_of(self, programme_id: int) -> Figures:
        if programme_id not in self._figures:
            self.read_figures([budget for budget in self.budgets if budget.programme.pk == programme_id])
        return self._figures[programme_id]


def _sums_by_kind(amounts: Amounts, outside=None) -> dict:
    """Where an amount of each kind is added."""
    return {
        Kind.BUDGET: amounts.budget,
        Kind.COMMITTED: amounts.committed,
        Kind.SPENT: amounts.spent,
        Kind.UNBUDGETED: outside,
    }


def dashboard_overview(programmes: list[Programme], lines, today: datetime.date) -> Overview:
    """The budgets of ``programmes`` (those with lines, in the dashboard's order; ``lines`` a queryset of their
    lines) as the dashboard shows them: fresh summaries summed in SQL, the other programmes computed live; in a
    fixed number of queries however many programmes. When every one is fresh, the totals of them all are read from
    the cache where this state of their summaries was totalled before (``overall``)."""
    ids = [programme.pk for programme in programmes]
    fresh = {
        programme_id: (pk, (pk, version, computed_at), burn_rate, line_ids)
        for programme_id, pk, version, computed_at, burn_rate, line_ids in BudgetSummary.objects.filter(fresh_on(today))
        .filter(programme_id__in=ids)
        .values_list("programme_id", "pk", "version", "computed_at", "burn_rate", "over_budget_lines")
    }
    stale = [programme for programme in programmes if programme.pk not in fresh]
    summary_ids = [pk for pk, _state, _rate, _lines in fresh.values()]
    everything, outside = Amounts(), defaultdict(Decimal)
    live = None
    if stale:
        stale_lines = list(
            lines.filter(programme_id__in=[programme.pk for programme in stale])
            .only("programme", "category", "period_start", "period_end", "amount", "currency")
            .order_by("programme_id", "period_start", "category", "pk")
        )
        live = live_budgets(stale, stale_lines, today)
        everything = Amounts.of([live.overall.amounts])
        for pair, amount in live.unbudgeted_total.sums.items():
            outside[pair] += amount

    def summed() -> Amounts:
        # What no line holds is not on the page: it is summed only if read. The other sums convert each (currency,
        # date) pair on its own, so leaving its pairs out of the rates changes no figure.
        targets = _sums_by_kind(everything)
        for kind, code, on, amount, places in _sums(summary_ids, Q(kind__in=_FIGURES)):
            targets[kind][(code, on)] += _as_written(amount, places)
        return everything

    if live is None and fresh:  # with nothing to add there is nothing to keep
        states = [state for _pk, state, _rate, _lines in fresh.values()]
        overall = known_figures(cache_key(today, exchange.reporting_currency(), states), summed)
    else:
        summed()
        rates = Rates({pair for sums in everything.sums for pair in sums})
        overall = Figures(everything, rates, rates.currencies)
    overview = SummarisedOverview(
        [],
        overall,
        _UnbudgetedTotal(summary_ids, outside),
        summary_ids={programme_id: entry[0] for programme_id, entry in fresh.items()},
    )
    ordered_ids = [entry[0] for programme in programmes if programme.pk in fresh for entry in fresh[programme.pk][3]]
    lines_over_budget = LinesOverBudget(programmes, ordered_ids)
    live_of = {budget.programme.pk: budget for budget in live.budgets} if live else {}
    currencies = CurrencyLoader()
    for programme in programmes:
        if programme.pk in live_of:
            overview.budgets.append(live_of[programme.pk])
            continue
        _pk, _state, burn_rate, entries = fresh[programme.pk]
        overview.budgets.append(
            SummarisedBudget(
                programme,
                SummarisedFigures(overview, programme.pk, burn_rate),
                [OverBudget(entry, lines_over_budget, currencies) for entry in entries],
            )
        )
    return overview


class CurrencyLoader:
    """The currencies of the lines over budget that are read, loaded at the first."""

    def __init__(self):
        self._loaded = None

    def get(self, code: str):
        if self._loaded is None:
            self._loaded = {currency.code: currency for currency in Currency.objects.all()}
        return self._loaded.get(code)


def _sums(summary_ids: list[int], kinds: Q):
    """(kind, currency, date, amount, decimal places) of the summaries' amounts of ``kinds``, summed per kind, currency
    and date."""
    if not summary_ids:
        return []
    return (
        BudgetSummaryAmount.objects.filter(kinds, summary_id__in=summary_ids)
        .order_by()
        .values_list("kind", "currency_code", "on")
        .annotate(total=Sum("amount"), places=Max("places"))
    )


class _UnbudgetedTotal:
    """The overview's ``unbudgeted_total``, summed from the summaries when first read."""

    def __init__(self, summary_ids: list[int], live: dict):
        self._summary_ids, self._live, self._total = summary_ids, live, None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._total is None:
            outside = defaultdict(Decimal, self._live)
            for _kind, code, on, amount, places in _sums(self._summary_ids, Q(kind=Kind.UNBUDGETED)):
                outside[(code, on)] += _as_written(amount, places)
            self._total = LazyTotal(Rates(outside), outside)
        return getattr(self._total, name)
