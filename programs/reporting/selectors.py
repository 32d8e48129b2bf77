"""Dashboard figures. Each read is one aggregate query over the programmes the user may see.

The number of queries never depends on the number of programmes: grouping and
summing happen in SQL, and only one row per group comes back.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from cooperation.money import quantize
from cooperation.reference.codes import ActivityStatus
from cooperation.reference.models import Country, Currency
from programs.models import FORM_FIELDS, CooperationForm, Programme, ProgrammeUpdate
from programs.reporting.scope import DashboardScope
from programs.selectors import CountRow, programme_list, programme_updates

TOP_COUNTRIES = 10


@dataclass(frozen=True)
class BudgetTotal:
    currency: Currency
    total: Decimal
    programmes: int


def dashboard_programmes(*, user, scope: DashboardScope | None = None) -> QuerySet[Programme]:
    """The programmes behind the programme figures: those the user may see, or those of ``scope`` budgeted in its
    currency and planned to run during its period (planned to start by its last day and to end on or after its
    first day: the programme export's ``starts_until`` and ``ends_from``)."""
    if scope is None:
        return programme_list(user=user).select_related(None).prefetch_related(None).order_by()
    programmes = Programme.objects.filter(pk__in=scope.programme_ids).order_by()
    if scope.currency is not None:
        programmes = programmes.filter(budget_currency=scope.currency)
    if scope.period is not None and scope.period.end is not None:
        programmes = programmes.filter(planned_start__lte=scope.period.end)
    if scope.period is not None and scope.period.start is not None:
        programmes = programmes.filter(planned_end__gte=scope.period.start)
    return programmes


def programme_counts_by_form(*, user, scope: DashboardScope | None = None) -> tuple[int, list[CountRow]]:
    """The number of programmes, and how many take each form (a programme may take several)."""
    totals = dashboard_programmes(user=user, scope=scope).aggregate(
        total=Count("pk"),
        **{form.value: Count("pk", filter=Q(**{field: True})) for form, field in FORM_FIELDS.items()},
    )
    rows = [CountRow(form.value, form.label, totals[form.value]) for form in CooperationForm]
    return totals["total"], rows


def programme_counts_by_status(*, user, scope: DashboardScope | None = None) -> list[CountRow]:
    """Every IATI activity status in codelist order, with zero where no programme has it."""
    counts = dict(
        dashboard_programmes(user=user, scope=scope)
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return [CountRow(str(status.value), status.label, counts.get(status.value, 0)) for status in ActivityStatus]


def programme_counts_by_country(
    *, user, top: int = TOP_COUNTRIES, scope: DashboardScope | None = None
) -> list[CountRow]:
    """Programmes per recipient country, the ``top`` largest, then one row for all other countries.

    A programme in several countries counts once in each; the "other" row counts
    each programme once however many of the other countries it covers.
    """
    programme_ids = dashboard_programmes(user=user, scope=scope).values("pk")
    links = Programme.recipient_countries.through.objects.filter(programme_id__in=programme_ids)
    # One row per country at most (a bounded reference list), whatever the number of programmes.
    per_country = list(
        links.values("country_id", "country__name")
        .annotate(count=Count("programme_id", distinct=True))
        .order_by("-count", "country__name")
    )
    rows = [CountRow(row["country_id"], row["country__name"], row["count"]) for row in per_country[:top]]
    if len(per_country) > top:
        shown = [row.key for row in rows]
        others = links.exclude(country_id__in=shown).aggregate(count=Count("programme_id", distinct=True))["count"]
        rows.append(CountRow("other", _("Other countries"), others))
    return rows


def budget_totals_by_currency(*, user, scope: DashboardScope | None = None) -> list[BudgetTotal]:
    """Total planned budget per currency; amounts in different currencies are never added together."""
    rows = (
        dashboard_programmes(user=user, scope=scope)
        .values("budget_currency_id", "budget_currency__name", "budget_currency__minor_unit")
        .annotate(total=Sum("budget_amount"), programmes=Count("pk"))
        .order_by("budget_currency_id")
    )
    totals = []
    for row in rows:
        currency = Currency(
            code=row["budget_currency_id"],
            name=row["budget_currency__name"],
            minor_unit=row["budget_currency__minor_unit"],
        )
        totals.append(BudgetTotal(currency, quantize(Decimal(row["total"] or 0), currency), row["programmes"]))
    return totals


def latest_programme_updates(*, user, limit: int = 10, scope: DashboardScope | None = None) -> list[ProgrammeUpdate]:
    """The newest updates; narrowed, those of the scope's programmes (budgeted in its currency) reported within
    its period."""
    updates = programme_updates(user=user)
    if scope is not None and scope.is_filtered:
        # The period narrows the updates by their own date, not the programmes by their planned dates.
        programmes = dashboard_programmes(user=user, scope=replace(scope, period=None))
        updates = updates.filter(programme__in=programmes.values("pk"))
    if scope is not None and scope.period is not None:
        updates = updates.filter(scope.period.within("reported_on"))
    return list(updates.order_by("-created_at", "-pk")[:limit])


def dashboard_currencies(*, user) -> QuerySet[Currency]:
    """The currencies the user's programmes are budgeted in, for the dashboard's currency filter."""
    return Currency.objects.filter(code__in=dashboard_programmes(user=user).values("budget_currency_id"))


def dashboard_countries(*, user) -> QuerySet[Country]:
    """The recipient countries of the user's programmes, for the dashboard's country filter."""
    links = Programme.recipient_countries.through.objects.filter(
        programme_id__in=dashboard_programmes(user=user).values("pk")
    )
    return Country.objects.filter(code__in=links.values("country_id")).order_by("name")


def dashboard_programme_choices(*, user) -> QuerySet[Programme]:
    """The programmes the dashboard's programme filter accepts: those the user may see."""
    return dashboard_programmes(user=user)
