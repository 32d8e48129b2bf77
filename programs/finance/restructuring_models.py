"""A loan's restructurings: new terms for an active loan, proposed by an officer and decided by another manager.

The installments a restructuring replaced are kept on it as they stood (``old_schedule``), so that it can be read
later and, when nothing was paid on the new installments, undone.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.fields import (
    happened_at,
    known_choice,
    protected_link,
    reason_field,
    status_field,
    unique,
    user_link,
)
from cooperation.money import MONEY_DIGITS
from programs.finance.restructuring import ArrearsTreatment

RATE_DIGITS = {"max_digits": 7, "decimal_places": 4}


class RestructuringStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved (applied)")
    REJECTED = "rejected", _("Rejected")
    REVERSED = "reversed", _("Reversed")


class ArrearsChoice(models.TextChoices):
    CAPITALISE = ArrearsTreatment.CAPITALISE, _("Capitalise: overdue interest is added to the new principal")
    WAIVE = ArrearsTreatment.WAIVE, _("Waive: overdue interest is forgiven")


class Moratorium(models.Model):
    """A crisis moratorium: no payments for ``months`` months from ``starts_on`` on every active loan to recipients
    in one country and administrative area, proposed by an officer and approved by another manager in one step."""

    title = models.CharField(_("title"), max_length=200)
    country = protected_link("reference.Country", _("recipient country"))
    area = models.CharField(
        _("administrative area"),
        max_length=100,
        help_text=_("The programme's area where it names one, else the borrower's; case does not matter."),
    )
    starts_on = models.DateField(_("first day without payments"))
    months = models.PositiveSmallIntegerField(
        _("months without payments"), validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    arrears = models.CharField(_("interest"), max_length=12, choices=ArrearsChoice.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    status = status_field(RestructuringStatus, RestructuringStatus.PROPOSED)
    proposed_by = user_link(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = user_link(_("decided by"), optional=True)
    decided_at = happened_at(_("decided"))
    decision_note = reason_field(_("reason for the decision"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("moratorium")
        verbose_name_plural = _("moratoria")
        constraints = [
            known_choice("arrears", ArrearsChoice, name="moratorium_arrears_known"),
            models.CheckConstraint(condition=Q(months__gte=1) & Q(months__lte=36), name="moratorium_months_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on:%Y-%m-%d}, {self.months})"


class LoanRestructuring(models.Model):
    loan = models.ForeignKey(
        "finance.Loan", on_delete=models.PROTECT, related_name="restructurings", verbose_name=_("loan")
    )
    moratorium = models.ForeignKey(
        Moratorium,
        on_delete=models.PROTECT,
        related_name="restructurings",
        null=True,
        blank=True,
        verbose_name=_("moratorium"),
    )
    moratorium_months = models.PositiveSmallIntegerField(
        _("months of moratorium interest"),
        default=0,
        help_text=_("Months of interest on the outstanding principal the moratorium capitalises or waives."),
    )
    status = status_field(RestructuringStatus, RestructuringStatus.PROPOSED)
    annual_rate = models.DecimalField(
        _("new annual interest rate (%)"), **RATE_DIGITS, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    installments = models.PositiveSmallIntegerField(
        _("remaining installments"),
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text=_("How many installments the new schedule has, at the loan's repayment frequency."),
    )
    grace_periods = models.PositiveSmallIntegerField(
        _("interest-only installments"),
        default=0,
        help_text=_("Installments at the start of the new schedule that pay interest only."),
    )
    first_due_date = models.DateField(_("first new due date"))
    arrears = models.CharField(_("overdue interest"), max_length=12, choices=ArrearsChoice.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    proposed_by = user_link(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = user_link(_("decided by"), optional=True)
    decided_at = happened_at(_("decided"))
    decision_note = reason_field(_("reason for the decision"))
    # What the approval did, fixed then: the day it took effect and its amounts.
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    capitalised = models.DecimalField(_("interest capitalised"), **MONEY_DIGITS, default=0)
    waived = models.DecimalField(_("interest waived"), **MONEY_DIGITS, default=0)
    new_principal = models.DecimalField(_("new principal"), **MONEY_DIGITS, null=True, blank=True)
    first_new_number = models.PositiveSmallIntegerField(_("first new installment"), null=True, blank=True)
    # Every installment as it stood before the approval (amounts as decimal strings, dates ISO), with whether it was
    # kept (reduced to what was paid) or replaced.
    old_schedule = models.JSONField(_("schedule before"), default=list, blank=True, editable=False)
    reversed_by = user_link(_("reversed by"), optional=True)
    reversed_at = happened_at(_("reversed"))
    reversal_reason = reason_field(_("reason for reversal"))
    history = HistoricalRecords(excluded_fields=["old_schedule"])

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("loan restructuring")
        verbose_name_plural = _("loan restructurings")
        constraints = [
            known_choice("status", RestructuringStatus, name="restructuring_status_known"),
            known_choice("arrears", ArrearsChoice, name="restructuring_arrears_known"),
            models.CheckConstraint(
                condition=Q(annual_rate__gte=0) & Q(annual_rate__lte=100), name="restructuring_rate_is_a_percentage"
            ),
            models.CheckConstraint(
                condition=Q(installments__gte=1) & Q(grace_periods__lt=models.F("installments")),
                name="restructuring_grace_leaves_repayments",
            ),
            models.CheckConstraint(
                condition=Q(capitalised__gte=0) & Q(waived__gte=0), name="restructuring_amounts_not_negative"
            ),
            # One proposal waits on a loan at a time.
            unique(
                ("loan",),
                condition=Q(status=RestructuringStatus.PROPOSED),
                name="restructuring_one_proposed_per_loan",
                message=_("This loan already has a restructuring waiting for a decision."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan.reference} — {self.get_status_display()} ({self.proposed_at:%Y-%m-%d})"

    @property
    def arrears_treatment(self) -> ArrearsTreatment:
        return ArrearsTreatment(self.arrears)

    @property
    def kept_count(self) -> int:
        return sum(1 for row in self.old_schedule if row.get("kept"))
