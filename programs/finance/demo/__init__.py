"""Demonstration loans, grants and remittances for ``manage.py load_demo``, taken through their lives with the
same services and roles as the pages, and the reminders they owe today.

Natural keys make a second run change nothing: a loan's or a grant's programme, borrower or recipient, and purpose.
"""

import datetime
from decimal import Decimal

from django.core.management.base import CommandError

from cooperation.demo import counted, status_counts
from cooperation.reference.models import Currency
from programs.finance import services
from programs.finance.demo import flood
from programs.finance.demo.portfolio import DISBURSED_STATUSES, GRANTS, LOANS, DemoGrant
from programs.finance.demo.stories import DemoLoan
from programs.finance.models import Grant, Loan, LoanStatus, Tranche, TrancheStatus
from programs.finance.reminders import send_due_reminders
from programs.finance.schedule import add_months
from programs.models import Programme


def load(*, run) -> str:
    """Create the loans and grants that are missing, send the reminders owed today, and return the summary line."""
    for demo in LOANS:
        programme = Programme.objects.get(code=demo.programme)
        borrower = run.organisations[demo.borrower]
        if Loan.objects.filter(programme=programme, borrower=borrower, purpose=demo.purpose).exists():
            continue
        loan = _create_loan(demo, programme, borrower, run.users, run.organisations, run.today)
        run.log(f"  loan {loan.reference} created ({loan.get_status_display()})")
    for demo in GRANTS:
        programme = Programme.objects.get(code=demo.programme)
        recipient = run.organisations[demo.recipient]
        if Grant.objects.filter(programme=programme, recipient=recipient, purpose=demo.purpose).exists():
            continue
        grant = _create_grant(demo, programme, recipient, run.users, run.today)
        run.log(f"  {grant.get_kind_display().lower()} {grant.reference} created")
    flood.load(run=run)
    # The same service as the daily job: portal notifications and emails for what is due today.
    # Safe to repeat: each reminder is logged once per installment and kind.
    return _summary(len(send_due_reminders(today=run.today)))


def _create_loan(demo: DemoLoan, programme, borrower, users, organisations, today) -> Loan:
    """Take a loan through its life with the same services and roles as the pages: the officer drafts,
    submits, disburses and records; the manager approves, rejects and writes off (maker–checker)."""
    officer, manager = users["officer"], users["manager"]
    disbursement = today - datetime.timedelta(days=demo.disbursed_days_ago)
    loan = services.loan_create(
        created_by=officer,
        programme=programme,
        borrower=borrower,
        lender=organisations[demo.lender] if demo.lender else None,
        principal=Decimal(demo.principal),
        currency=Currency.objects.get(code=demo.currency),
        annual_rate=Decimal(demo.annual_rate),
        frequency=demo.frequency,
        installments=demo.installments,
        amortization=demo.amortization,
        grace_periods=demo.grace_periods,
        disbursement_date=disbursement,
        first_repayment_date=add_months(disbursement, 12 // demo.frequency)
        + datetime.timedelta(days=demo.first_period_days),
        day_count=demo.day_count,
        purpose=demo.purpose,
        risk_acknowledged=True,  # the demo's officer has read the borrower's flags (earlier loans in arrears)
    )
    if demo.status != LoanStatus.DRAFT:
        services.loan_submit(loan=loan, submitted_by=officer)
    if demo.status == LoanStatus.REJECTED:
        services.loan_reject(loan=loan, rejected_by=manager, reason=demo.reason)
    if demo.status in {LoanStatus.APPROVED, LoanStatus.CANCELLED, *DISBURSED_STATUSES}:
        services.loan_approve(loan=loan, approved_by=manager)
    if demo.status == LoanStatus.CANCELLED:
        services.loan_cancel(loan=loan, cancelled_by=officer, reason=demo.reason)
    if demo.status in DISBURSED_STATUSES:
        services.loan_disburse(loan=loan, disbursed_by=officer, disbursed_on=disbursement)
        for step in demo.story:
            step.apply(loan, users, today)
        loan.refresh_from_db()
    if demo.status == LoanStatus.WRITTEN_OFF:
        services.loan_write_off(loan=loan, written_off_by=manager, reason=demo.reason)
    if loan.status != demo.status:
        raise CommandError(f"Demo loan {demo.purpose!r} ended {loan.status}, not {demo.status}.")
    return loan


def _create_grant(demo: DemoGrant, programme, recipient, users, today: datetime.date) -> Grant:
    officer, manager = users["officer"], users["manager"]
    grant = services.grant_create(
        created_by=officer,
        programme=programme,
        recipient=recipient,
        kind=demo.kind,
        amount=Decimal(demo.amount),
        currency=Currency.objects.get(code=demo.currency),
        purpose=demo.purpose,
        tranche_count=len(demo.tranches),
        first_tranche_on=today - datetime.timedelta(days=demo.first_tranche_days_ago),
        months_between=demo.months_between,
        risk_acknowledged=True,  # as for loans: a partner with loans in arrears still receives its grants
    )
    for tranche, status in zip(grant.tranches.order_by("number"), demo.tranches, strict=True):
        if status in {TrancheStatus.APPROVED, TrancheStatus.PAID}:
            services.tranche_approve(tranche=tranche, approved_by=manager)
        if status == TrancheStatus.PAID:
            services.tranche_pay(
                tranche=tranche,
                paid_by=officer,
                paid_on=min(tranche.planned_on, today),
                payment_reference=f"{grant.reference}/{tranche.number}",
            )
        if status == TrancheStatus.CANCELLED:
            services.tranche_cancel(tranche=tranche, cancelled_by=officer)
    return grant


def _summary(reminders_sent: int) -> str:
    by_status = status_counts(Loan.objects)
    return (
        f"Finance: {sum(by_status.values())} loans ({counted(by_status, LoanStatus)}); "
        f"{Grant.objects.count()} grants and remittances in {Tranche.objects.count()} tranches; "
        f"{reminders_sent} reminder(s) sent today."
    )
