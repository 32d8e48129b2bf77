"""A programme's budget lines and the expenditures recorded against them.

A line is an amount in one currency for one category of spending over one period, of IATI budget type original or
revised and status indicative or committed. Its actuals are not stored: they are read from the modules' money flows
and the expenditures whenever they are shown (see ``actuals``)."""

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
