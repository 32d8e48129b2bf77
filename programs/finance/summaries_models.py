"""Figures kept beside the loans so that the dashboard and the managers' digest never add up schedules on a view.

``LoanFigures`` holds what each loan's schedule says as a whole; ``MonthFigures`` holds, per programme, currency
and month, what fell due, what came in and what is still owed. Both only change when a loan's money or status
does, and ``programs.finance.summaries`` changes them in the same transaction (see its docstring).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.money import MONEY_DIGITS


class LoanFigures(models.Model):
    """One loan's schedule in two figures that only a write moves (never the calendar)."""

    loan = models.OneToOneField(
        "finance.Loan", on_delete=models.CASCADE, primary_key=True, related_name="figures", verbose_name=_("loan")
    )
    principal_outstanding = models.DecimalField(_("principal outstanding"), **MONEY_DIGITS, default=0)
    # The due date of the oldest installment with something still owed: the loan is more than N days late
    # on any day after it plus N days, which is all the portfolio at risk needs to know.
    oldest_unpaid_due_date = models.DateField(_("oldest unpaid due date"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan figures")
        verbose_name_plural = _("loan figures")
        # The loans that became late within a few days: the edges of the ageing buckets, read day by day.
        indexes = [models.Index(fields=["oldest_unpaid_due_date"], name="loan_figures_oldest_unpaid")]

    def __str__(self) -> str:
        return f"{self.loan_id}: {self.principal_outstanding} from {self.oldest_unpaid_due_date}"


class MonthFigures(models.Model):
    """A programme's loans in one currency, for one calendar month.

    ``expected`` and ``due_installments``: installments of disbursed loans falling due in the month;
    ``received`` and ``repayments``: confirmed repayments paid in the month; ``arrears`` and
    ``arrears_installments``: what is still owed on the month's installments of active loans (overdue once the
    month has passed); ``late_loans`` and ``late_principal``: the active loans whose oldest unpaid installment fell
    due in the month, and their outstanding principal (how late they are is the calendar's part).
    """

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    currency = models.ForeignKey(
        "reference.Currency", on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    month = models.DateField(_("month"))
    expected = models.DecimalField(_("expected"), **MONEY_DIGITS, default=0)
    due_installments = models.IntegerField(_("installments falling due"), default=0)
    received = models.DecimalField(_("received"), **MONEY_DIGITS, default=0)
    repayments = models.IntegerField(_("repayments"), default=0)
    arrears = models.DecimalField(_("still owed"), **MONEY_DIGITS, default=0)
    arrears_installments = models.IntegerField(_("installments still owed"), default=0)
    late_loans = models.IntegerField(_("loans unpaid since the month"), default=0)
    late_principal = models.DecimalField(_("their principal outstanding"), **MONEY_DIGITS, default=0)

    class Meta:
        verbose_name = _("month figures")
        verbose_name_plural = _("month figures")
        constraints = [
            models.UniqueConstraint(fields=["programme", "currency", "month"], name="month_figures_unique"),
        ]
        indexes = [
            models.Index(fields=["month", "currency"], name="month_figures_month"),
            # The few rows the dashboard reads over every month: those with something still owed, and those of
            # loans late since the month, each read from its index alone.
            models.Index(
                fields=["month"],
                include=["currency", "programme", "arrears"],
                condition=models.Q(arrears_installments__gt=0),
                name="month_figures_owed",
            ),
            models.Index(
                fields=["month"],
                include=["currency", "programme", "late_loans", "late_principal"],
                condition=models.Q(late_loans__gt=0),
                name="month_figures_late",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.currency_id} {self.month:%Y-%m}"


class DacFinding(models.TextChoices):
    """A loan's ``dac_concessional`` as a key that is never null."""

    CONCESSIONAL = "yes", _("Concessional")
    NOT_CONCESSIONAL = "no", _("Not concessional")
    UNTESTED = "untested", _("Not tested")

    @classmethod
    def of(cls, concessional: bool | None) -> "DacFinding":
        if concessional is None:
            return cls.UNTESTED
        return cls.CONCESSIONAL if concessional else cls.NOT_CONCESSIONAL


class LoanTotals(models.Model):
    """A programme's committed loans in one currency, status and DAC finding: how many, their principal, the
    principal of those disbursed, and what is still owed of it."""

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    currency = models.ForeignKey(
        "reference.Currency", on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    status = models.CharField(_("status"), max_length=20)
    dac = models.CharField(_("OECD DAC finding"), max_length=8, choices=DacFinding.choices)
    loans = models.IntegerField(_("loans"), default=0)
    principal = models.DecimalField(_("principal"), **MONEY_DIGITS, default=0)
    disbursed = models.DecimalField(_("disbursed"), **MONEY_DIGITS, default=0)
    principal_outstanding = models.DecimalField(_("principal outstanding"), **MONEY_DIGITS, default=0)

    class Meta:
        verbose_name = _("loan totals")
        verbose_name_plural = _("loan totals")
        constraints = [
            models.UniqueConstraint(fields=["programme", "currency", "status", "dac"], name="loan_totals_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.currency_id} {self.status} {self.dac}"
