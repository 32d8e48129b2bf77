"""Reads of the budgets, scoped to who asks: officers, managers and auditors read every programme's budget;
partner users none (a 404, as for a record that does not exist)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cooperation.date_spans import DateSpan
from cooperation.history import HistoryEntry, HistorySource, history_entries
from cooperation.reference.models import Currency
from cooperation.roles import Perm
from programs.budgets.actuals import Overview, ProgrammeBudget, programme_budgets
from programs.budgets.models import BudgetLine, Expenditure
from programs.budgets.narrowed import narrowed_overview
from programs.budgets.summaries import dashboard_overview
from programs.models import Programme
from programs.selectors import programme_list


def budget_programmes(*, user, perm: str = Perm.VIEW_BUDGET_LINE) -> QuerySet[Programme]:
    """The programmes whose budget ``user`` may read."""
    if not (user and user.is_authenticated and user.is_active and user.has_perm(perm)):
        return Programme.objects.none()
    return programme_list(user=user).select_related(None).prefetch_related(None)


def programme_for_budget(*, user, pk, perm: str = Perm.VIEW_BUDGET_LINE) -> Programme:
    """The programme whose budget (or, with ``perm``, expenditures) ``user`` asks for; 404 unless they may see it."""
    return get_object_or_404(budget_programmes(user=user, perm=perm).select_related("budget_currency"), pk=pk)


def line_list(*, user) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(programme__in=budget_programmes(user=user)).select_related(
        "programme", "currency", "created_by"
    )


def line_get(*, user, pk) -> BudgetLine:
    return get_object_or_404(line_list(user=user), pk=pk)


def expenditure_list(*, user) -> QuerySet[Expenditure]:
    programmes = budget_programmes(user=user, perm=Perm.VIEW_EXPENDITURE)
    return Expenditure.objects.filter(programme__in=programmes).select_related(
        "programme", "currency", "budget_line", "payee_organisation", "recorded_by"
    )


def expenditure_get(*, user, pk) -> Expenditure:
    return get_object_or_404(expenditure_list(user=user), pk=pk)


def without_receipt_before(before) -> Q:
    """Expenditures paid before ``before`` that still have no receipt."""
    return Q(receipt="", spent_on__lt=before)


def line_revisions(line: BudgetLine) -> list:
    """The line's history, newest first, with who changed it and the reason given (one query)."""
    return list(line.history.select_related("history_user", "currency").order_by("-history_date", "-history_id"))


def expenditure_history(*, user, expenditure: Expenditure) -> list[HistoryEntry] | None:
    """The expenditure's changes, amounts in its currency; None for a reader without the history permission."""
    if not user.has_perm(Perm.VIEW_HISTORY):
        return None
    source = HistorySource(
        Expenditure.history.filter(id=expenditure.pk),
        currency=expenditure.currency,
        money_fields=frozenset({"amount"}),
    )
    return history_entries([source])


def programme_budget(*, user, programme: Programme) -> ProgrammeBudget:
    """The programme's budget against its actuals (see ``actuals``); the caller found ``programme`` through
    ``programme_for_budget``."""
    lines = list(line_list(user=user).filter(programme=programme).select_related(None).select_related("currency"))
    return programme_budgets([programme], lines, timezone.localdate()).budgets[0]


def _narrowing(currency: str | None, period: DateSpan | None) -> Q:
    """The lines the dashboard counts, narrowed: budgeted in ``currency`` and running during ``period``."""
    condition = Q()
    if currency is not None:
        condition &= Q(currency_id=currency)
    if period is not None:
        condition &= period.overlaps("period_start", "period_end")
    return condition


def _dashboard_programmes(*, user, programmes: QuerySet) -> QuerySet[Programme]:
    """The programmes ``programmes`` selects whose budget ``user`` may read."""
    return Programme.objects.filter(pk__in=programmes).filter(pk__in=budget_programmes(user=user).values("pk"))


def dashboard_budgets(
    *, user, programmes: QuerySet, currency: str | None = None, period: DateSpan | None = None
) -> Overview:
    """Budget against actuals of the programmes whose ids ``programmes`` selects (those with a budget line), in a
    fixed number of queries however many programmes.

    With a ``currency`` (a code) only the lines budgeted in it and the amounts in it count; with a ``period`` only
    the lines whose period meets it and the amounts dated within it.
    """
    lines = BudgetLine.objects.filter(
        _narrowing(currency, period), programme__in=_dashboard_programmes(user=user, programmes=programmes)
    )
    # A national portfolio has thousands of lines: only what the figures and the section read is loaded.
    lines = lines.only("programme", "category", "period_start", "period_end", "amount", "currency")
    lines = list(lines.order_by("programme_id", "period_start", "category", "pk"))
    # Each programme and currency is read once and shared by its lines, not once per line; the section names each
    # programme by its code, so a portfolio's hundreds of programmes are read without the rest.
    with_lines = list(
        Programme.objects.filter(pk__in={line.programme_id for line in lines}).only("code").order_by("code")
    )
    programmes_by_id = {programme.pk: programme for programme in with_lines}
    currencies = Currency.objects.in_bulk({line.currency_id for line in lines})
    for line in lines:
        line.programme = programmes_by_id[line.programme_id]
        line.currency = currencies[line.currency_id]
    return programme_budgets(with_lines, lines, timezone.localdate(), currency=currency, period=period, summary=True)


def dashboard_budget_overview(
    *, user, programmes: QuerySet, currency: str | None = None, period: DateSpan | None = None
) -> Overview:
    """What the dashboard's budgets section shows: ``dashboard_budgets``, read from the programmes' summaries.

    Each programme's fresh summary is read and the sums of all of them are converted as the live figures would be;
    a programme whose summary is stale or missing is computed live, so the figures are always exact (see
    ``summaries``). Narrowed to a currency or a period, the figures are computed live (a summary holds a programme's
    whole budget only), and what the section reads of them is kept for the same state of the summaries
    (``narrowed``)."""
    readable = _dashboard_programmes(user=user, programmes=programmes)
    lines = BudgetLine.objects.filter(_narrowing(currency, period), programme__in=readable)
    # Each programme asked whether it has a line (one probe of the lines' index each), not every line read.
    counted = BudgetLine.objects.filter(_narrowing(currency, period), programme=OuterRef("pk"))
    with_lines = list(readable.filter(Exists(counted)).only("code").order_by("code"))
    today = timezone.localdate()
    if currency is None and period is None:
        return dashboard_overview(with_lines, lines, today)
    return narrowed_overview(
        with_lines,
        lines,
        today,
        currency=currency,
        period=period,
        compute=lambda: dashboard_budgets(user=user, programmes=programmes, currency=currency, period=period),
    )
