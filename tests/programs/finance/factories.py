"""Factories for the finance module, and helpers that walk a loan or grant through its services.

The model factories build rows directly (fast, for reads and pages); ``approved_loan``,
``disbursed_loan``, ``recorded_repayment`` and ``grant_with_tranches`` go through the
services, so the schedule, allocations and history are the real ones.
"""

import datetime
from decimal import Decimal

import factory

from cooperation.reference.codes import OrganisationRole
from cooperation.roles import Role
from partners.models import Notification
from programs.finance import services
from programs.finance.models import (
    Allocation,
    AmortizationMethod,
    Frequency,
    Grant,
    Installment,
    Loan,
    LoanStatus,
    ReminderKind,
    ReminderLog,
    Repayment,
    RepaymentStatus,
    Tranche,
    TrancheStatus,
)
from programs.models import Participation
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory, currency


def _take_part(programme, organisation, role=OrganisationRole.IMPLEMENTING) -> None:
    """Make ``programme`` financial and ``organisation`` one of its participants, as the services require."""
    if not programme.is_financial:
        programme.is_financial = True
        programme.save(update_fields=["is_financial"])
    Participation.objects.get_or_create(programme=programme, organisation=organisation, defaults={"role": role})


class FinancialProgrammeFactory(ProgrammeFactory):
    is_financial = True
    is_technical = False


class LoanFactory(factory.django.DjangoModelFactory):
    """A draft loan on a financial programme in which its borrower takes part."""

    class Meta:
        model = Loan
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"LN-TEST-{n:06d}")
    programme = factory.SubFactory(FinancialProgrammeFactory)
    borrower = factory.SubFactory(OrganisationFactory)
    lender = None
    principal = Decimal("12000.00")
    currency = factory.LazyFunction(lambda: currency("USD"))
    annual_rate = Decimal("6")
    frequency = Frequency.MONTHLY
    installments = 12
    amortization = AmortizationMethod.ANNUITY
    grace_periods = 0
    disbursement_date = datetime.date(2026, 1, 15)
    first_repayment_date = datetime.date(2026, 2, 15)
    discount_rate = Decimal("5")
    purpose = "Water supply equipment."
    status = LoanStatus.DRAFT
    created_by = factory.SubFactory(UserFactory, role=Role.OFFICER)

    @factory.post_generation
    def borrower_takes_part(self, create, extracted, **kwargs):
        if create:
            _take_part(self.programme, self.borrower, OrganisationRole.IMPLEMENTING)


def submitted_loan(loan: Loan | None = None, **loan_fields) -> Loan:
    loan = loan or LoanFactory(**loan_fields)
    return services.loan_submit(loan=loan, submitted_by=loan.created_by)


def approved_loan(loan: Loan | None = None, *, approver=None, **loan_fields) -> Loan:
    """A loan submitted by its creator and approved by another manager: its schedule exists."""
    loan = submitted_loan(loan, **loan_fields)
    approver = approver or UserFactory(role=Role.MANAGER)
    return services.loan_approve(loan=loan, approved_by=approver)


def disbursed_loan(loan: Loan | None = None, *, approver=None, disbursed_on=None, **loan_fields) -> Loan:
    """An active loan: approved, then disbursed on its planned date unless told otherwise."""
    loan = approved_loan(loan, approver=approver, **loan_fields)
    return services.loan_disburse(
        loan=loan, disbursed_by=loan.created_by, disbursed_on=disbursed_on or loan.disbursement_date
    )


def recorded_repayment(loan: Loan, amount, *, paid_on=None, recorded_by=None, reference="") -> Repayment:
    """A confirmed repayment recorded by an officer, allocated to the schedule."""
    return services.repayment_record(
        loan=loan,
        recorded_by=recorded_by or UserFactory(role=Role.OFFICER),
        paid_on=paid_on or loan.first_repayment_date,
        amount=Decimal(amount),
        currency=loan.currency,
        reference=reference,
    )


class InstallmentFactory(factory.django.DjangoModelFactory):
    """A bare schedule row; prefer ``approved_loan`` for a consistent schedule."""

    class Meta:
        model = Installment

    loan = factory.SubFactory(LoanFactory, status=LoanStatus.DISBURSED, disbursed_on=datetime.date(2026, 1, 15))
    number = factory.Sequence(lambda n: n + 1)
    due_date = datetime.date(2026, 2, 15)
    principal_due = Decimal("1000.00")
    interest_due = Decimal("60.00")
    balance_after = Decimal("0.00")


class RepaymentFactory(factory.django.DjangoModelFactory):
    """A repayment row without allocations (a pending notification by default)."""

    class Meta:
        model = Repayment

    loan = factory.SubFactory(LoanFactory, status=LoanStatus.DISBURSED, disbursed_on=datetime.date(2026, 1, 15))
    paid_on = datetime.date(2026, 2, 15)
    amount = Decimal("100.00")
    currency = factory.LazyAttribute(lambda repayment: repayment.loan.currency)
    reference = factory.Sequence(lambda n: f"TRX-{n:05d}")
    status = RepaymentStatus.PENDING
    recorded_by = factory.SubFactory(UserFactory, role=Role.PARTNER)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    repayment = factory.SubFactory(RepaymentFactory, status=RepaymentStatus.CONFIRMED)
    installment = factory.SubFactory(InstallmentFactory, loan=factory.SelfAttribute("..repayment.loan"))
    interest = Decimal("0")
    principal = Decimal("0")


class ReminderLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderLog

    installment = factory.SubFactory(InstallmentFactory)
    kind = ReminderKind.UPCOMING_14


class GrantFactory(factory.django.DjangoModelFactory):
    """A grant on a financial programme in which its recipient takes part (no tranches)."""

    class Meta:
        model = Grant
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"GR-TEST-{n:06d}")
    kind = Grant.Kind.GRANT
    programme = factory.SubFactory(FinancialProgrammeFactory)
    recipient = factory.SubFactory(OrganisationFactory)
    amount = Decimal("30000.00")
    currency = factory.LazyFunction(lambda: currency("USD"))
    purpose = "School rebuilding."
    created_by = factory.SubFactory(UserFactory, role=Role.OFFICER)

    @factory.post_generation
    def recipient_takes_part(self, create, extracted, **kwargs):
        if create:
            _take_part(self.programme, self.recipient, OrganisationRole.IMPLEMENTING)


class TrancheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tranche

    grant = factory.SubFactory(GrantFactory)
    number = factory.Sequence(lambda n: n + 1)
    amount = Decimal("10000.00")
    planned_on = datetime.date(2026, 3, 1)
    status = TrancheStatus.SCHEDULED


def grant_with_tranches(
    *,
    created_by=None,
    programme=None,
    recipient=None,
    amount=Decimal("30000.00"),
    currency_code="USD",
    tranche_count=3,
    first_tranche_on=datetime.date(2026, 3, 1),
    months_between=3,
    kind=Grant.Kind.GRANT,
) -> Grant:
    """A grant created through the service, so its tranches are split as in real use."""
    recipient = recipient or OrganisationFactory()
    programme = programme or FinancialProgrammeFactory()
    _take_part(programme, recipient)
    return services.grant_create(
        created_by=created_by or UserFactory(role=Role.OFFICER),
        programme=programme,
        recipient=recipient,
        kind=kind,
        amount=Decimal(amount),
        currency=currency(currency_code),
        tranche_count=tranche_count,
        first_tranche_on=first_tranche_on,
        months_between=months_between,
        risk_acknowledged=True,  # the recipient may have loans in arrears from other tests' data
    )


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Repayment reminder {n}")
    body = "An installment falls due soon."
    link = ""
