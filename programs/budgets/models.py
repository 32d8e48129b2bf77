"""A programme's budget lines and the expenditures recorded against them.

A line is an amount in one currency for one category of spending over one period, of IATI budget type original or
revised and status indicative or committed. Its actuals are read from the modules' money flows and the expenditures
whenever they are shown (see ``actuals``); the dashboard reads each programme's from a summary (``BudgetSummary``)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField
from cooperation.fields import (
    currency_link,
    ends_after,
    known_choice,
    not_negative_amount,
    positive_amount,
    protected_link,
    user_link,
)
from cooperation.files import private_storage
from cooperation.models import TimeStampedModel
from cooperation.money import AmountField
from cooperation.money_flows import Category
from cooperation.workflow import current_value


class BudgetType(models.IntegerChoices):
    """IATI BudgetType."""

    ORIGINAL = 1, _("Original")
    REVISED = 2, _("Revised")


class BudgetStatus(models.IntegerChoices):
    """IATI BudgetStatus."""

    INDICATIVE = 1, _("Indicative")
    COMMITTED = 2, _("Committed")


class BudgetLine(TimeStampedModel):
    programme = protected_link("programs.Programme", _("programme"), related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    period_start = BoundedDateField(_("period start"))
    period_end = BoundedDateField(_("period end"))
    amount = AmountField(_("amount"))
    currency = currency_link()
    budget_type = models.PositiveSmallIntegerField(
        _("budget type"), choices=BudgetType.choices, default=BudgetType.ORIGINAL
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=BudgetStatus.choices, default=BudgetStatus.INDICATIVE
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    created_by = user_link(_("created by"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["programme", "period_start", "category", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            *not_negative_amount("amount", prefix="budget_line_amount"),
            ends_after(
                "period_end",
                "period_start",
                name="budget_line_period_ends_after_start",
                message=_("The period cannot end before it starts."),
            ),
            known_choice("category", Category, name="budget_line_known_category"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    @property
    def currency_or_none(self):
        return current_value(self, "currency")


def receipt_path(instance, filename: str) -> str:
    # The stored name never comes from the user: the original name is kept in its own column.
    return f"budgets/receipts/{uuid.uuid4().hex}"


class Expenditure(TimeStampedModel):
    """Money an officer records as spent on a programme (a consultant's invoice, a flight, a generator), with its
    receipt. A partner paid (``payee_organisation``) who has not sent a receipt in time is flagged (see ``risk``)."""

    programme = protected_link("programs.Programme", _("programme"), related_name="expenditures")
    budget_line = protected_link(BudgetLine, _("budget line"), optional=True, related_name="expenditures")
    spent_on = BoundedDateField(_("spent on"), past=True)
    amount = AmountField(_("amount"))
    currency = currency_link()
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    payee = models.CharField(_("payee"), max_length=200)
    payee_organisation = protected_link(
        "partners.Organisation", _("payee partner"), optional=True, related_name="budget_expenditures"
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True, help_text=_("Invoice or voucher number."))
    receipt = models.FileField(
        _("receipt"), storage=private_storage, upload_to=receipt_path, max_length=200, blank=True
    )
    receipt_name = models.CharField(_("receipt file name"), max_length=200, blank=True)
    receipt_type = models.CharField(_("receipt type"), max_length=50, blank=True)
    recorded_by = user_link(_("recorded by"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [
            *positive_amount("amount", prefix="expenditure_amount"),
            known_choice("category", Category, name="expenditure_known_category"),
        ]
        indexes = [models.Index(fields=("programme", "spent_on"), name="expenditure_programme_day")]

    def __str__(self) -> str:
        return f"{self.payee} {self.spent_on:%Y-%m-%d} {self.currency_id} {self.amount}"

    @property
    def currency_or_none(self):
        return current_value(self, "currency")

    @property
    def has_receipt(self) -> bool:
        return bool(self.receipt)


class SummaryAmountKind(models.TextChoices):
    BUDGET = "budget", _("Budget")
    COMMITTED = "committed", _("Committed")
    SPENT = "spent", _("Spent")
    UNBUDGETED = "unbudgeted", _("Unbudgeted")


class BudgetSummary(models.Model):
    """A programme's budget against its actuals as the dashboard reads it, kept so that the dashboard need not
    read every money flow of the portfolio (see ``summaries``). Its amounts (``BudgetSummaryAmount``) are the sums
    per currency and date that the live figures convert; beside them, what ranks the programme on the dashboard
    (its burn rate) and its lines over budget.

    ``stale`` is set, and ``version`` moved on, in the transaction of every change that moves the figures; a
    summary computed on an earlier day, or for another reporting currency, counts as stale too (a line not yet
    started converts its budget at today's rate). A stale summary is never shown: the dashboard computes those
    programmes live."""

    programme = models.OneToOneField(
        "programs.Programme", on_delete=models.CASCADE, related_name="budget_summary", verbose_name=_("programme")
    )
    stale = models.BooleanField(_("stale"), default=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    computed_on = models.DateField(_("computed on"), null=True, blank=True)
    # When its figures were stored: with the version, what tells one state of them from another, even in a database
    # restored from a copy whose versions then moved on differently (see ``overall``).
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    reporting_currency = models.CharField(_("reporting currency"), max_length=3, blank=True)
    burn_rate = models.DecimalField(_("burn rate"), max_digits=40, decimal_places=1, null=True, blank=True)
    over_budget_lines = models.JSONField(_("lines over budget"), default=list, blank=True)

    class Meta:
        verbose_name = _("budget summary")
        verbose_name_plural = _("budget summaries")
        indexes = [models.Index(fields=("stale", "computed_on"), name="budget_summary_freshness")]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.computed_on}"


class BudgetSummaryAmount(models.Model):
    """What one programme's figures sum in one currency on one date: its budget (at the date each line's budget
    converts on), what is committed and spent against its lines, and what no line holds."""

    summary = models.ForeignKey(BudgetSummary, on_delete=models.CASCADE, related_name="amounts")
    kind = models.CharField(_("kind"), max_length=12, choices=SummaryAmountKind.choices)
    currency_code = models.CharField(_("currency"), max_length=3)
    on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=24, decimal_places=4)
    # The decimal places the live figures write the amount with (a sum keeps the most of its parts'), so that what
    # is read back is written as they write it ("1500.00", not "1500.0000"), in an export as on the page.
    places = models.PositiveSmallIntegerField(_("decimal places"))

    class Meta:
        verbose_name = _("budget summary amount")
        verbose_name_plural = _("budget summary amounts")

    def __str__(self) -> str:
        return f"{self.kind} {self.currency_code} {self.on} {self.amount}"
