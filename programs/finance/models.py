"""Loans with their repayment schedules and repayments, grants paid in tranches, and reminder logs."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField
from cooperation.fields import (
    currency_link,
    happened_at,
    happened_on,
    not_negative,
    part_of,
    positive_amount,
    protected_link,
    reason_field,
    status_field,
    unique,
    user_link,
)
from cooperation.models import SentLog, TimeStampedModel
from cooperation.money import MONEY_DIGITS, AmountField
from cooperation.tranches import BaseTranche, TrancheStatus  # noqa: F401  (the statuses of a grant's tranches)
from programs.finance.dac_models import RATE_DIGITS, DacRule  # noqa: F401  (DacRule: read through this module)
from programs.finance.schedule import Amortization, DayCount


class Frequency(models.IntegerChoices):
    """Repayment frequency, stored as periods per year."""

    MONTHLY = 12, _("Monthly")
    QUARTERLY = 4, _("Quarterly")
    SEMI_ANNUAL = 2, _("Semi-annual")
    ANNUAL = 1, _("Annual")


class AmortizationMethod(models.TextChoices):
    ANNUITY = Amortization.ANNUITY, _("Annuity (equal installments)")
    EQUAL_PRINCIPAL = Amortization.EQUAL_PRINCIPAL, _("Equal principal")
    BULLET = Amortization.BULLET, _("Bullet (interest only, principal at the end)")


class DayCountConvention(models.TextChoices):
    """How each installment's interest is counted (``schedule.DayCount``)."""

    THIRTY_E_360 = DayCount.THIRTY_E_360, _("30E/360 (European): months of 30 days, a year of 360")
    ACTUAL_365 = DayCount.ACTUAL_365, _("Actual/365 (fixed): actual days, a year of 365")
    ACTUAL_ACTUAL = DayCount.ACTUAL_ACTUAL, _("Actual/actual (ISDA): actual days, a year of 365 or 366")
    FULL_PERIODS = DayCount.FULL_PERIODS, _("Full periods (loans recorded before day counts)")


# What a new loan may choose; a loan that already counts full periods may keep it.
NEW_LOAN_DAY_COUNTS = frozenset(DayCountConvention) - {DayCountConvention.FULL_PERIODS}


class LoanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    DISBURSED = "disbursed", _("Disbursed (active)")
    REPAID = "repaid", _("Repaid (closed)")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    WRITTEN_OFF = "written_off", _("Written off")


# Loans whose principal was committed: approved, then out, then back or lost (as the programme page counts them).
COMMITTED_STATUSES = (LoanStatus.APPROVED, LoanStatus.DISBURSED, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF)


class Loan(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    programme = protected_link("programs.Programme", _("programme"), related_name="loans")
    borrower = protected_link("partners.Organisation", _("borrower"), related_name="loans_borrowed")
    lender = protected_link(
        "partners.Organisation",
        _("lender"),
        optional=True,
        related_name="loans_lent",
        help_text=_("Leave empty when our organisation lends."),
    )
    principal = AmountField(_("principal"), validators=[MinValueValidator(Decimal("0.0001"))])
    currency = currency_link()
    annual_rate = models.DecimalField(
        _("annual interest rate (%)"),
        **RATE_DIGITS,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    frequency = models.PositiveSmallIntegerField(_("repayment frequency"), choices=Frequency.choices)
    installments = models.PositiveSmallIntegerField(
        _("number of installments"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    amortization = models.CharField(_("amortization"), max_length=20, choices=AmortizationMethod.choices)
    grace_periods = models.PositiveSmallIntegerField(
        _("grace period (installments)"),
        default=0,
        help_text=_("Installments at the start that pay interest only."),
    )
    day_count = models.CharField(
        _("interest day count"),
        max_length=20,
        choices=DayCountConvention.choices,
        default=DayCountConvention.THIRTY_E_360,
        help_text=_(
            "How interest is counted. The first installment's interest runs from the disbursement date to the first "
            "repayment date, so a first period shorter or longer than the others costs less or more. 30E/360 counts "
            "every later period as a whole one; the actual conventions count the days between due dates. "
            "“Full periods” charges every installment one whole period of interest however far the first "
            "repayment is from the disbursement: loans recorded before day counts were chosen keep it, so their "
            "schedules do not change."
        ),
    )
    disbursement_date = BoundedDateField(_("disbursement date"))
    first_repayment_date = BoundedDateField(_("first repayment date"))
    discount_rate = models.DecimalField(
        _("discount rate for the grant element (%)"),
        **RATE_DIGITS,
        default=Decimal("5"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    purpose = models.TextField(_("purpose"), max_length=5000, blank=True)
    status = status_field(LoanStatus, LoanStatus.DRAFT)
    created_by = user_link(_("created by"))
    approved_by = user_link(_("approved by"), optional=True)
    approved_at = happened_at(_("approved"))
    disbursed_on = happened_on(_("disbursed on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status_note = reason_field()
    # The OECD DAC grant element of the schedule the terms give, kept with the terms it comes from (see ``save``):
    # a list shows it without computing hundreds of discounted installments per row. Empty when the terms give no
    # schedule.
    grant_element = models.DecimalField(
        _("grant element (%)"), max_digits=9, decimal_places=2, null=True, blank=True, editable=False
    )
    # Whether the loan is concessional under the OECD DAC rules (``selectors.dac``), kept like the grant element for
    # the portfolio's counts: recomputed when its terms, commitment, programme or borrower change here, and by
    # ``services.dac.refresh_dac_figures`` when a recipient category or a rule changes. Empty: not tested (no
    # category recorded, no rule in force, or terms that give no schedule).
    dac_concessional = models.BooleanField(_("concessional (OECD DAC)"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "grant_element", "dac_concessional"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        permissions = [("approve_loan", _("Can approve or reject loans"))]
        # Lists show the newest first, whole or narrowed to a status or a programme (the borrower's and the
        # currency's links have their own indexes); the key breaks ties so a page's rows never swap.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="loan_newest"),
            models.Index(fields=["status", "-created_at", "-id"], name="loan_status_newest"),
            models.Index(fields=["programme", "-created_at", "-id"], name="loan_programme_newest"),
            # The dashboard's "disbursed" within a period, and the active loans' currency and programme read
            # from an index alone.
            models.Index(fields=["disbursed_on"], name="loan_disbursed_on"),
            models.Index(
                fields=["id"],
                include=["currency", "programme"],
                condition=Q(status="disbursed"),
                name="loan_active",
            ),
        ]
        constraints = [
            *positive_amount("principal", prefix="loan_principal"),
            models.CheckConstraint(
                condition=Q(annual_rate__gte=0) & Q(annual_rate__lte=100), name="loan_rate_is_a_percentage"
            ),
            models.CheckConstraint(condition=Q(installments__gte=1), name="loan_has_installments"),
            models.CheckConstraint(
                condition=Q(grace_periods__lt=F("installments")),
                name="loan_grace_leaves_repayments",
                violation_error_message=_("The grace period must be shorter than the number of installments."),
            ),
            models.CheckConstraint(
                condition=Q(first_repayment_date__gt=F("disbursement_date")),
                name="loan_first_repayment_after_disbursement",
                violation_error_message=_("The first repayment must fall after the disbursement date."),
            ),
            models.CheckConstraint(condition=Q(frequency__in=[1, 2, 4, 12]), name="loan_frequency_known"),
            models.CheckConstraint(condition=Q(day_count__in=DayCountConvention.values), name="loan_day_count_known"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.borrower}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        kept = []
        if update_fields is None or GRANT_ELEMENT_INPUTS.intersection(update_fields):
            from programs.finance.selectors.figures import computed_grant_element

            try:
                self.grant_element = computed_grant_element(self)
            except (TypeError, AttributeError, ObjectDoesNotExist):  # terms missing: the database refuses the row
                self.grant_element = None
            kept.append("grant_element")
        if update_fields is None or DAC_INPUTS.intersection(update_fields):
            from programs.finance.selectors.dac import kept_dac_concessional

            try:
                self.dac_concessional = kept_dac_concessional(self)
            except (TypeError, AttributeError, ObjectDoesNotExist):
                self.dac_concessional = None
            kept.append("dac_concessional")
        if update_fields is not None and kept:
            kwargs["update_fields"] = [*update_fields, *kept]
        super().save(*args, **kwargs)


# A loan's terms: what its schedule is built from.
TERM_FIELDS = (
    "principal",
    "currency",
    "annual_rate",
    "frequency",
    "installments",
    "amortization",
    "grace_periods",
    "disbursement_date",
    "first_repayment_date",
    "day_count",
)
# What the grant element is computed from: the terms, the day the money went out, the discount rate.
GRANT_ELEMENT_INPUTS = frozenset({*TERM_FIELDS, "currency_id", "disbursed_on", "discount_rate"})
# What the DAC test is made from: the terms, the commitment (approval) and whose category applies.
DAC_INPUTS = GRANT_ELEMENT_INPUTS | {"approved_at", "programme", "programme_id", "borrower", "borrower_id"}


class Installment(models.Model):
    loan = part_of(Loan, _("loan"), related_name="schedule")
    number = models.PositiveSmallIntegerField(_("number"))
    due_date = models.DateField(_("due date"))
    principal_due = models.DecimalField(_("principal"), **MONEY_DIGITS)
    interest_due = models.DecimalField(_("interest"), **MONEY_DIGITS)
    balance_after = models.DecimalField(_("balance after"), **MONEY_DIGITS)
    principal_paid = models.DecimalField(_("principal paid"), **MONEY_DIGITS, default=0)
    interest_paid = models.DecimalField(_("interest paid"), **MONEY_DIGITS, default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["loan", "number"]
        verbose_name = _("installment")
        verbose_name_plural = _("installments")
        indexes = [
            models.Index(fields=["due_date"], name="installment_due_date"),
            # A window of due dates summed without reading the table (the dashboard's next 30 days, this month).
            models.Index(
                fields=["due_date", "loan", "principal_due", "interest_due", "principal_paid", "interest_paid"],
                name="installment_due_amounts",
            ),
            # The arrears alone: what is overdue on a day reads the unpaid installments due before it, never the
            # paid history (the managers' daily digest).
            models.Index(
                fields=["due_date", "loan"],
                name="installment_unpaid_due_date",
                condition=Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due")),
            ),
        ]
        constraints = [
            unique(("loan", "number"), name="installment_number_unique"),
            not_negative("principal_due", "interest_due", "balance_after", name="installment_amounts_not_negative"),
            models.CheckConstraint(
                condition=Q(principal_paid__gte=0) & Q(principal_paid__lte=F("principal_due")),
                name="installment_principal_paid_within_due",
            ),
            models.CheckConstraint(
                condition=Q(interest_paid__gte=0) & Q(interest_paid__lte=F("interest_due")),
                name="installment_interest_paid_within_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan.reference} #{self.number}"

    @property
    def total_due(self) -> Decimal:
        return self.principal_due + self.interest_due

    @property
    def total_paid(self) -> Decimal:
        return self.principal_paid + self.interest_paid

    @property
    def outstanding(self) -> Decimal:
        return self.total_due - self.total_paid

    @property
    def is_paid(self) -> bool:
        return self.outstanding <= 0


class RepaymentStatus(models.TextChoices):
    PENDING = "pending", _("Notified by the partner, awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not received")
    REVERSED = "reversed", _("Reversed")


class Reversible(models.Model):
    """A money record a reversal undoes without deleting it: who reversed it, when, and why."""

    reversed_by = user_link(_("reversed by"), optional=True)
    reversed_at = happened_at(_("reversed"))
    reversal_reason = reason_field(_("reason for reversal"))

    class Meta:
        abstract = True


class Repayment(Reversible, TimeStampedModel):
    loan = protected_link(Loan, _("loan"), related_name="repayments")
    paid_on = BoundedDateField(_("payment date"), past=True)
    amount = AmountField(_("amount"))
    currency = currency_link()
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    status = status_field(RepaymentStatus)
    recorded_by = user_link(_("recorded by"))
    confirmed_by = user_link(_("confirmed by"), optional=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-paid_on", "-created_at"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        # The lists' order (latest payment first; it also serves the dashboard's window of payment dates), and a
        # loan's or the officers' payments of one status (those waiting for confirmation).
        indexes = [
            models.Index(fields=["-paid_on", "-created_at", "-id"], name="repayment_latest"),
            models.Index(fields=["loan", "status"], name="repayment_loan_status"),
            models.Index(fields=["status", "paid_on", "created_at"], name="repayment_status_oldest"),
        ]
        permissions = [("record_repayment", _("Can record, confirm and reverse repayments"))]
        constraints = positive_amount("amount", prefix="repayment_amount")

    def __str__(self) -> str:
        return f"{self.loan.reference} {self.paid_on} {self.currency_id} {self.amount}"


class LiveAllocationManager(models.Manager):
    """Only the allocations that apply now: a reversal keeps the ones it undid, marked reversed."""

    def get_queryset(self):
        return super().get_queryset().filter(reversed_at__isnull=True)


class Allocation(Reversible):
    """The part of a confirmed repayment applied to one installment.

    Never deleted: when a reversal takes it off the schedule it stays, marked reversed (who, when and
    the reversal's reason), and the re-allocation writes new rows. ``objects`` (the default manager, and
    so ``repayment.allocations``) reads only the live ones; ``with_reversed`` reads every row.
    """

    repayment = models.ForeignKey(Repayment, on_delete=models.CASCADE, related_name="allocations")
    installment = models.ForeignKey(Installment, on_delete=models.PROTECT, related_name="allocations")
    interest = models.DecimalField(_("interest"), **MONEY_DIGITS, default=0)
    principal = models.DecimalField(_("principal"), **MONEY_DIGITS, default=0)
    history = HistoricalRecords()
    with_reversed = models.Manager()
    objects = LiveAllocationManager()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        default_manager_name = "objects"
        base_manager_name = "with_reversed"
        constraints = [
            unique(
                ("repayment", "installment"),
                condition=Q(reversed_at__isnull=True),
                name="allocation_once_per_installment",
            ),
            not_negative("interest", "principal", name="allocation_amounts_not_negative"),
            models.CheckConstraint(
                condition=Q(reversed_at__isnull=True, reversal_reason="")
                | (Q(reversed_at__isnull=False) & ~Q(reversal_reason="")),
                name="allocation_reversal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.repayment} → #{self.installment.number}"

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None


class ReminderKind(models.TextChoices):
    UPCOMING_14 = "upcoming_14", _("Due in 14 days")
    UPCOMING_3 = "upcoming_3", _("Due in 3 days")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE_1 = "overdue_1", _("1 day overdue")
    OVERDUE_7 = "overdue_7", _("7 days overdue")
    OVERDUE_30 = "overdue_30", _("30 days overdue")


class ReminderLog(SentLog):
    """One reminder of one kind per installment, ever: the unique key makes a second run send nothing."""

    installment = models.ForeignKey(Installment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    # The run that claimed it (which rows of a set-based insert are this run's) and the day it ran as.
    run = models.UUIDField(null=True, blank=True, editable=False)
    run_on = models.DateField(_("reminder day"), null=True, blank=True, db_index=True)

    class Meta(SentLog.Meta):
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [unique(("installment", "kind"), name="reminder_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.installment} {self.get_kind_display()}"


class Grant(TimeStampedModel):
    """Non-repayable money (a grant or remittance), paid in tranches."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        REMITTANCE = "remittance", _("Remittance")

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GRANT)
    programme = protected_link("programs.Programme", _("programme"), related_name="grants")
    recipient = protected_link("partners.Organisation", _("recipient"), related_name="grants_received")
    amount = AmountField(_("amount"))
    currency = currency_link()
    purpose = models.TextField(_("purpose"), max_length=5000, blank=True)
    created_by = user_link(_("created by"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        indexes = [models.Index(fields=["-created_at", "-id"], name="grant_newest")]
        constraints = positive_amount("amount", prefix="grant_amount")

    def __str__(self) -> str:
        return f"{self.reference} — {self.recipient}"


class Tranche(BaseTranche):
    grant = part_of(Grant, _("grant"), related_name="tranches")
    planned_on = models.DateField(_("planned date"))

    class Meta:
        ordering = ["grant", "number"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        permissions = [("approve_tranche", _("Can approve grant tranches"))]
        constraints = [
            unique(("grant", "number"), name="tranche_number_unique"),
            *positive_amount("amount", prefix="tranche_amount"),
            BaseTranche.paid_has_date(name="tranche_paid_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.grant.reference} #{self.number}"


# Restructurings, and the summaries kept beside the loans (their own modules: the summaries are read and written only
# by programs.finance.summaries).
from programs.finance.restructuring_models import (  # noqa: E402, F401
    ArrearsChoice,
    LoanRestructuring,
    Moratorium,
    RestructuringStatus,
)
from programs.finance.summaries_models import DacFinding, LoanFigures, LoanTotals, MonthFigures  # noqa: E402, F401
