"""What the dashboard is narrowed to: one object built from its filter form and handed to every section.

The programme filters (status, recipient country, form of cooperation, goal, one programme) become a single
subquery of programme ids, so each section narrows in SQL whatever the number of programmes. The currency and the
period are passed on as they are: each module decides which of its amounts are in the currency and which of its
dates fall in the period.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import QuerySet, TextChoices
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.date_spans import DateSpan
from cooperation.reference.codes import ActivityStatus
from cooperation.reference.models import Country, Currency
from programs.models import FORM_FIELDS, CooperationForm, Objective, Programme
from programs.selectors import programme_list


class PeriodPreset(TextChoices):
    THIS_MONTH = "this_month", gettext_lazy("This month")
    LAST_MONTH = "last_month", gettext_lazy("Last month")
    THIS_QUARTER = "this_quarter", gettext_lazy("This quarter")
    LAST_QUARTER = "last_quarter", gettext_lazy("Last quarter")
    THIS_YEAR = "this_year", gettext_lazy("This year")
    LAST_YEAR = "last_year", gettext_lazy("Last year")
    CUSTOM = "custom", gettext_lazy("Dates below")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def preset_span(preset: str, today: datetime.date) -> DateSpan:
    """The calendar month, quarter or year ``preset`` names, counted from ``today``."""
    year, month = today.year, today.month
    if preset in (PeriodPreset.THIS_MONTH, PeriodPreset.LAST_MONTH):
        if preset == PeriodPreset.LAST_MONTH:
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return DateSpan(datetime.date(year, month, 1), _month_end(year, month))
    if preset in (PeriodPreset.THIS_QUARTER, PeriodPreset.LAST_QUARTER):
        quarter = (month - 1) // 3
        if preset == PeriodPreset.LAST_QUARTER:
            year, quarter = (year - 1, 3) if quarter == 0 else (year, quarter - 1)
        return DateSpan(datetime.date(year, quarter * 3 + 1, 1), _month_end(year, quarter * 3 + 3))
    if preset == PeriodPreset.LAST_YEAR:
        year -= 1
    return DateSpan(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@dataclass(frozen=True)
class DashboardScope:
    """The programmes, currency and period every dashboard section narrows to.

    ``programme_ids`` selects the programmes the user may see, narrowed by the programme filters; it is a
    subquery, never a list. ``currency`` and ``period`` are None when every currency and any time count.
    """

    programme_ids: QuerySet
    currency: Currency | None = None
    period: DateSpan | None = None
    status: int | None = None
    country: Country | None = None
    form: str | None = None
    objective: str | None = None
    programme: Programme | None = None

    @property
    def narrows_programmes(self) -> bool:
        filters = (self.status, self.country, self.form, self.objective, self.programme)
        return any(value is not None for value in filters)

    @property
    def currency_code(self) -> str | None:
        return self.currency.code if self.currency is not None else None

    @property
    def is_filtered(self) -> bool:
        return self.narrows_programmes or self.currency is not None or self.period is not None

    def module_arguments(self, *, currency: bool = True, period: bool = True) -> dict:
        """The keyword arguments the modules' dashboard selectors take: ``programmes`` (a query of programme ids,
        or None for every programme the user may see), ``currency`` (a code or None) and ``period``."""
        arguments = {"programmes": self.programme_ids if self.narrows_programmes else None}
        if currency:
            arguments["currency"] = self.currency_code
        if period:
            arguments["period"] = self.period
        return arguments

    def narrowed_to(self, *, currency: bool = True, period: bool = True) -> str:
        """What a section is narrowed to, in a line ("USD · Indonesia · 1 January 2026 to 30 June 2026"); empty
        when nothing narrows it. ``currency`` and ``period`` say whether the section narrows by them."""
        parts = []
        if currency and self.currency is not None:
            parts.append(self.currency.code)
        if self.status is not None:
            parts.append(str(ActivityStatus(self.status).label))
        if self.country is not None:
            parts.append(self.country.name)
        if self.form is not None:
            parts.append(str(CooperationForm(self.form).label))
        if self.objective is not None:
            parts.append(str(Objective(self.objective).label))
        if self.programme is not None:
            parts.append(self.programme.code)
        if period and self.period is not None:
            parts.append(describe_span(self.period))
        if not parts:
            return ""
        return _("Narrowed to: %(filters)s") % {"filters": " · ".join(parts)}


def describe_span(span: DateSpan) -> str:
    def day(value: datetime.date) -> str:
        return formats.date_format(value, "DATE_FORMAT")

    if span.start is not None and span.end is not None:
        return _("%(start)s to %(end)s") % {"start": day(span.start), "end": day(span.end)}
    if span.start is not None:
        return _("from %(start)s") % {"start": day(span.start)}
    return _("until %(end)s") % {"end": day(span.end)}


def dashboard_scope(
    *,
    user,
    status: int | None = None,
    currency: Currency | None = None,
    country: Country | None = None,
    form: str | None = None,
    objective: str | None = None,
    programme: Programme | None = None,
    period: DateSpan | None = None,
) -> DashboardScope:
    """The scope of the programmes ``user`` may see, narrowed by the given filters (None: not narrowed)."""
    programmes = programme_list(user=user).select_related(None).prefetch_related(None).order_by()
    if status is not None:
        programmes = programmes.filter(status=status)
    if country is not None:
        programmes = programmes.filter(recipient_countries=country)
    if form is not None:
        programmes = programmes.filter(**{FORM_FIELDS[CooperationForm(form)]: True})
    if objective is not None:
        programmes = programmes.filter(objectives__objective=objective)
    if programme is not None:
        programmes = programmes.filter(pk=programme.pk)
    return DashboardScope(
        programme_ids=programmes.values("pk"),
        currency=currency,
        period=period,
        status=status,
        country=country,
        form=form,
        objective=objective,
        programme=programme,
    )
