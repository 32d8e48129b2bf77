"""A programme's loans in its IATI activity.

Each loan once committed (approved, then disbursed, repaid or written off; not one still in draft, rejected or
cancelled) is an outgoing commitment on the day it was approved and a disbursement of its principal on the day it
was paid out, to its borrower. Each confirmed repayment is split as it was allocated to the schedule: the principal
it paid back is a loan repayment, the interest an interest payment, both from the borrower (the borrower's own
payment reference stays out of the public file). An approved loan not
yet paid out is a planned disbursement on its planned date.

IATI allows one ``crs-add`` per activity, so it describes the programme's principal loan: the largest by
principal (the first approved among equals). Its ``loan-terms`` carry the interest rate, the repayment type and
plan, the approval day and the first and last repayment days of the schedule; its ``loan-status`` the year so
far (the schedule and repayments as they stand today, in the loan's currency): interest received this year,
principal still owed, and principal and interest past due.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from cooperation.iati import Part, Problem, decimal_text
from programs.finance.iati.elements import (
    STANDARD_LOAN,
    TransactionType,
    iso,
    planned_disbursement,
    transaction,
)
from programs.finance.models import Allocation, AmortizationMethod, Installment, Loan, LoanStatus, RepaymentStatus

COMMITTED = (LoanStatus.APPROVED, LoanStatus.DISBURSED, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF)
# IATI RepaymentType: 1 equal principal payments, 2 annuity, 3 lump sum. Its RepaymentPlan codes are the number
# of repayments a year (1, 2, 4, 12), as the loan's frequency is stored.
REPAYMENT_TYPE = {
    AmortizationMethod.EQUAL_PRINCIPAL: "1",
    AmortizationMethod.ANNUITY: "2",
    AmortizationMethod.BULLET: "3",
}
ZERO = Decimal(0)


def _approved_on(loan: Loan) -> datetime.date | None:
    return timezone.localdate(loan.approved_at) if loan.approved_at else None


def _schedules(programme_ids, today: datetime.date) -> dict[int, dict]:
    """Per loan: the last due date of its schedule, and the principal and interest past due and unpaid."""
    past_due = Q(due_date__lt=today)
    rows = (
        Installment.objects.filter(loan__programme_id__in=programme_ids, loan__status__in=COMMITTED)
        .order_by()
        .values("loan_id")
        .annotate(
            final=Max("due_date"),
            principal_arrears=Sum(F("principal_due") - F("principal_paid"), filter=past_due),
            interest_arrears=Sum(F("interest_due") - F("interest_paid"), filter=past_due),
        )
    )
    return {row["loan_id"]: row for row in rows}


def _repayments(programme_ids) -> list[dict]:
    """Each confirmed repayment with the principal and interest its live allocations paid."""
    return list(
        Allocation.objects.filter(
            repayment__loan__programme_id__in=programme_ids, repayment__status=RepaymentStatus.CONFIRMED
        )
        .order_by()
        .values("repayment_id", "repayment__loan_id", "repayment__paid_on", "repayment__currency_id")
        .annotate(principal=Sum("principal"), interest=Sum("interest"))
        .order_by("repayment__paid_on", "repayment_id")
    )


def _loan_transactions(loan: Loan, approved_on) -> list[tuple[datetime.date, etree._Element]]:
    found = []
    if approved_on is not None:
        found.append(
            (
                approved_on,
                transaction(
                    code=TransactionType.COMMITMENT,
                    on=approved_on,
                    amount=loan.principal,
                    currency=loan.currency_id,
                    description=_("Loan %(reference)s approved") % {"reference": loan.reference},
                    finance_type=STANDARD_LOAN,
                    provider=loan.lender,
                    receiver=loan.borrower,
                    ref=loan.reference,
                ),
            )
        )
    if loan.disbursed_on is not None:
        found.append(
            (
                loan.disbursed_on,
                transaction(
                    code=TransactionType.DISBURSEMENT,
                    on=loan.disbursed_on,
                    amount=loan.principal,
                    currency=loan.currency_id,
                    description=_("Loan %(reference)s disbursed") % {"reference": loan.reference},
                    finance_type=STANDARD_LOAN,
                    provider=loan.lender,
                    receiver=loan.borrower,
                    ref=loan.reference,
                ),
            )
        )
    return found


def _repayment_transactions(loan: Loan, row: dict) -> list[tuple[datetime.date, etree._Element]]:
    paid_on = row["repayment__paid_on"]
    split = (
        (TransactionType.REPAYMENT, row["principal"], _("Principal repaid on loan %(reference)s")),
        (TransactionType.INTEREST, row["interest"], _("Interest paid on loan %(reference)s")),
    )
    return [
        (
            paid_on,
            transaction(
                code=code,
                on=paid_on,
                amount=amount,
                currency=row["repayment__currency_id"],
                description=description % {"reference": loan.reference},
                finance_type=STANDARD_LOAN,
                provider=loan.borrower,
                receiver=loan.lender,
            ),
        )
        for code, amount, description in split
        if amount and amount > 0
    ]


def _principal_loan(loans: list[Loan]) -> Loan:
    return max(loans, key=lambda loan: (loan.principal, -(loan.approved_at or timezone.now()).timestamp(), -loan.pk))


def crs_add(loan: Loan, schedule: dict | None, repayments: list[dict], today: datetime.date) -> etree._Element:
    """The principal loan's terms and, once it was paid out, its status this year (see the module's docstring)."""
    element = etree.Element("crs-add")
    terms = etree.SubElement(element, "loan-terms", **{"rate-1": decimal_text(loan.annual_rate)})
    etree.SubElement(terms, "repayment-type", code=REPAYMENT_TYPE[AmortizationMethod(loan.amortization)])
    etree.SubElement(terms, "repayment-plan", code=str(loan.frequency))
    if (approved_on := _approved_on(loan)) is not None:
        etree.SubElement(terms, "commitment-date", **{"iso-date": iso(approved_on)})
    etree.SubElement(terms, "repayment-first-date", **{"iso-date": iso(loan.first_repayment_date)})
    if schedule and schedule["final"]:
        etree.SubElement(terms, "repayment-final-date", **{"iso-date": iso(schedule["final"])})
    if loan.disbursed_on is None:
        return element
    written_off = loan.status == LoanStatus.WRITTEN_OFF
    interest_received = sum(
        (row["interest"] or ZERO for row in repayments if row["repayment__paid_on"].year == today.year), ZERO
    )
    repaid = sum((row["principal"] or ZERO for row in repayments), ZERO)
    figures = (
        ("interest-received", interest_received),
        ("principal-outstanding", ZERO if written_off else max(loan.principal - repaid, ZERO)),
        ("principal-arrears", ZERO if written_off else (schedule or {}).get("principal_arrears") or ZERO),
        ("interest-arrears", ZERO if written_off else (schedule or {}).get("interest_arrears") or ZERO),
    )
    status = etree.SubElement(
        element, "loan-status", year=str(today.year), currency=loan.currency_id, **{"value-date": iso(today)}
    )
    for tag, amount in figures:
        etree.SubElement(status, tag).text = decimal_text(amount)
    return element


def loan_parts(programme_ids) -> list[Part | Problem]:
    """The loans' transactions, planned disbursements and each programme's ``crs-add``: three queries."""
    today = timezone.localdate()
    loans = list(
        Loan.objects.filter(programme_id__in=programme_ids, status__in=COMMITTED)
        .select_related("borrower", "lender")
        .order_by("programme_id", "approved_at", "pk")
    )
    if not loans:
        return []
    schedules = _schedules(programme_ids, today)
    repayments = defaultdict(list)
    for row in _repayments(programme_ids):
        repayments[row["repayment__loan_id"]].append(row)
    found: list[Part | Problem] = []
    dated = []
    by_programme = defaultdict(list)
    for loan in loans:
        by_programme[loan.programme_id].append(loan)
        approved_on = _approved_on(loan)
        if approved_on is None:
            found.append(
                Problem(
                    loan.programme_id,
                    _("Loan %(reference)s has no approval date: its commitment cannot be reported.")
                    % {"reference": loan.reference},
                )
            )
        entries = _loan_transactions(loan, approved_on)
        for row in repayments.get(loan.pk, ()):
            entries += _repayment_transactions(loan, row)
        dated += [(loan.programme_id, on, element) for on, element in entries]
        if loan.status == LoanStatus.APPROVED and loan.disbursed_on is None:
            planned = planned_disbursement(
                on=loan.disbursement_date,
                amount=loan.principal,
                currency=loan.currency_id,
                provider=loan.lender,
                receiver=loan.borrower,
            )
            found.append(Part(loan.programme_id, planned))
    found += [Part(programme_id, element) for programme_id, _on, element in sorted(dated, key=lambda e: e[:2])]
    for programme_id, programme_loans in by_programme.items():
        loan = _principal_loan(programme_loans)
        found.append(Part(programme_id, crs_add(loan, schedules.get(loan.pk), repayments.get(loan.pk, []), today)))
    return found
