"""Generated loans with their schedules, repayments and allocations (see ``generate_bulk``).

45,813 loans at scale 1.0 under the generated financial programmes, borrowed by partners taking part in them.
Each loan's status matches its data the way the services would have left it:

- drafts, submitted, rejected and cancelled loans are recent and have no schedule;
- approved loans have their schedule (built by ``schedule.build``, as on approval) and no money moved yet;
- disbursed loans are still running: their borrowers pay each installment around its due date (sometimes two at
  once, sometimes in two parts), a few pay late and some stopped paying (in arrears); the last payment a partner
  notified may still wait for an officer's confirmation;
- repaid loans were paid in full (some early, with a final payment of all that was owed) and closed on the day of
  their last payment; written-off loans stopped paying and were closed long after.

Confirmed repayments are allocated as ``allocation.allocate`` does, oldest installment first and interest before
principal, so a repayment's allocations add up to its amount and an installment's paid amounts to its
allocations. The portfolio grows: recent loans outnumber old ones.
"""

import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import accumulate

from cooperation.dates import add_months
from cooperation.reference.codes import OrganisationRole
from cooperation.reference.models import Currency
from partners.bulk import MARK
from programs.bulk import CURRENCIES, CURRENCY_WEIGHTS, generated_programmes, money, participants
from programs.finance import schedule, summaries
from programs.finance.models import Allocation, Installment, Loan, LoanStatus, Repayment, RepaymentStatus

ORDER = 30
LOANS_AT_FULL_SCALE = 45_813
ZERO = Decimal(0)
S = LoanStatus
STATUS_WEIGHTS = {
    S.DRAFT: 25, S.SUBMITTED: 25, S.REJECTED: 15, S.CANCELLED: 10, S.APPROVED: 30,
    S.DISBURSED: 720, S.REPAID: 125, S.WRITTEN_OFF: 50,
}  # fmt: skip
# (periods per year, installments, weight): the terms of concessional loans.
TERMS = (
    (12, 12, 9),
    (12, 24, 12),
    (12, 36, 14),
    (12, 48, 10),
    (12, 60, 8),
    (4, 8, 11),
    (4, 12, 10),
    (4, 20, 8),
    (2, 6, 7),
    (2, 10, 6),
    (1, 3, 1),
    (1, 5, 4),
)
AMORTIZATIONS = (
    (schedule.Amortization.ANNUITY,) * 6
    + (schedule.Amortization.EQUAL_PRINCIPAL,) * 3
    + (schedule.Amortization.BULLET,)
)
# How the loans count interest, in turn (their first period is one whole period: the actual conventions still count
# each period's own days).
DAY_COUNTS = (
    schedule.DayCount.THIRTY_E_360,
    schedule.DayCount.THIRTY_E_360,
    schedule.DayCount.ACTUAL_365,
    schedule.DayCount.ACTUAL_ACTUAL,
)
RATES = tuple(Decimal(rate) for rate in ("0", "0.75", "1", "1.5", "2", "2.5", "3", "4", "5"))
PURPOSES = (
    "Working capital for smallholder cooperatives", "Rehabilitation of village water systems",
    "Solar mini-grid for an island community", "Equipment for a district hospital", "Rural road maintenance",
    "Microfinance on-lending to women entrepreneurs", "Reconstruction after the earthquake",
)  # fmt: skip
REASONS = {
    S.REJECTED: "The borrower's financial statements did not support the amount.",
    S.CANCELLED: "The borrower withdrew the request.",
    S.WRITTEN_OFF: "No payment for over a year; recovery abandoned after the borrower was dissolved.",
}
NOT_RECEIVED = "The money did not arrive on the account."
# How strongly the loans lean to recent dates: the share disbursed in the last x of the window is about x^(1/SKEW).
GROWTH_SKEW = 1.6
PENDING_WITHIN_DAYS = 20


def _quantum(minor_unit: int) -> Decimal:
    return Decimal(1).scaleb(-minor_unit)


class LoanWriter:
    """Writes one loan at a time: its row, its schedule, its repayments and their allocations."""

    def __init__(self, run):
        self.run = run
        programmes = generated_programmes(is_financial=True)
        self.parties = participants(programmes)
        self.programme_ids = sorted(self.parties)
        self.minor_units = dict(Currency.objects.filter(code__in=CURRENCIES).values_list("code", "minor_unit"))
        self.loan_ids, self.installment_ids = run.ids(Loan), run.ids(Installment)
        self.repayment_ids = run.ids(Repayment)
        self.statuses = [status for status, weight in STATUS_WEIGHTS.items() for _ in range(weight)]
        self.terms = [(frequency, count) for frequency, count, weight in TERMS for _ in range(weight)]
        self.officer, self.manager = run.users["officer"].pk, run.users["manager"].pk
        self.partner_user = run.users["partner"].pk
        self.loans = run.table(
            Loan,
            (
                "id", "reference", "programme_id", "borrower_id", "lender_id", "principal", "currency_id",
                "annual_rate", "frequency", "installments", "amortization", "grace_periods", "disbursement_date",
                "first_repayment_date", "day_count", "purpose", "status", "created_by_id", "approved_by_id",
                "approved_at", "disbursed_on", "closed_on", "status_note", "created_at", "updated_at", "grant_element",
            ),
        )  # fmt: skip
        self.installments = run.table(
            Installment,
            (
                "id", "loan_id", "number", "due_date", "principal_due", "interest_due", "balance_after",
                "principal_paid", "interest_paid",
            ),
        )  # fmt: skip
        self.repayments = run.table(
            Repayment,
            (
                "id", "loan_id", "paid_on", "amount", "currency_id", "reference", "status", "recorded_by_id",
                "confirmed_by_id", "reversal_reason", "created_at", "updated_at",
            ),
        )  # fmt: skip
        self.allocations = run.table(Allocation, ("repayment_id", "installment_id", "interest", "principal"))
        self.window_start = run.today.replace(year=run.today.year - 5)
        self.discount_rate = Loan._meta.get_field("discount_rate").default

    # --- the loan and its terms ---------------------------------------------------------------------------------
    def write(self, number: int) -> None:
        run = self.run
        status = run.random.choice(self.statuses)
        programme = run.random.choice(self.programme_ids)
        borrower, lender = self._parties(programme)
        currency = run.random.choices(CURRENCIES, CURRENCY_WEIGHTS)[0]
        frequency, count = run.random.choice(self.terms)
        amortization = run.random.choice(AMORTIZATIONS)
        grace = run.random.choice((0, 0, 0, 1, 2)) if count > 4 else 0
        principal = money(run, currency, 0.05, 3)
        rate = run.random.choice(RATES)
        term_months = 12 // frequency * count
        disbursement, created = self._dates(status, term_months)
        first_due = add_months(disbursement, 12 // frequency)
        pk = next(self.loan_ids)
        approved_at = closed_on = disbursed_on = None
        if status in (S.DRAFT, S.SUBMITTED, S.REJECTED, S.CANCELLED):
            if status in (S.REJECTED, S.CANCELLED):
                closed_on = min(run.today, created.date() + datetime.timedelta(days=run.random.randint(3, 30)))
            updated = max(created, run.moment(closed_on)) if closed_on else created
        # The schedule the terms give, saved from approval on; a draft's grant element is read from it too.
        day_count = DAY_COUNTS[number % len(DAY_COUNTS)]
        terms = schedule.Terms(
            principal, self.minor_units[currency], rate, frequency, count, amortization, grace, first_due,
            day_count=day_count, interest_from=disbursement,
        )  # fmt: skip
        rows = schedule.build(terms)
        if status not in (S.DRAFT, S.SUBMITTED, S.REJECTED, S.CANCELLED):
            approved_at = min(run.now, created + datetime.timedelta(days=run.random.randint(5, 25)))
            installment_ids = [next(self.installment_ids) for _ in rows]
            paid = [[ZERO, ZERO] for _ in rows]  # interest, principal
            if status != S.APPROVED:
                disbursed_on = disbursement
                closed_on = self._repay(pk, status, rows, installment_ids, paid, currency, disbursed_on)
            for row, installment_id, (interest_paid, principal_paid) in zip(rows, installment_ids, paid, strict=True):
                self.installments.add(
                    installment_id, pk, row.number, row.due_date, row.principal, row.interest, row.balance_after,
                    principal_paid, interest_paid,
                )  # fmt: skip
            updated = run.moment(closed_on) if closed_on else approved_at
        self.loans.add(
            pk, f"{MARK}L-{number:07d}", programme, borrower, lender, principal, currency, rate, frequency, count,
            amortization.value, grace, disbursement, first_due, day_count.value, run.random.choice(PURPOSES),
            status.value, self.officer, self.manager if approved_at else None, approved_at, disbursed_on, closed_on,
            REASONS.get(status, ""), created, max(created, updated),
            schedule.grant_element(rows, principal, disbursed_on or disbursement, self.discount_rate),
        )  # fmt: skip

    def _parties(self, programme: int) -> tuple[int, int | None]:
        """A borrower among the programme's implementers; a funder lends one loan in five, we lend the others."""
        taking_part = self.parties[programme]
        implementers = [pk for pk, role in taking_part if role != OrganisationRole.FUNDING] or [taking_part[0][0]]
        borrower = self.run.random.choice(implementers)
        funders = [pk for pk, role in taking_part if role == OrganisationRole.FUNDING and pk != borrower]
        lender = self.run.random.choice(funders) if funders and self.run.random.random() < 0.2 else None
        return borrower, lender

    def _dates(self, status: S, term_months: int) -> tuple[datetime.date, datetime.datetime]:
        """The disbursement date (planned, or when the money went out) and the moment the loan was created."""
        run, today = self.run, self.run.today
        if status in (S.DRAFT, S.SUBMITTED, S.REJECTED, S.CANCELLED, S.APPROVED):
            created = today - datetime.timedelta(days=run.random.randint(1, 120))
            return created + datetime.timedelta(days=run.random.randint(20, 90)), run.moment(created)
        if status == S.DISBURSED:  # still running: its last installment falls due after today
            earliest = max(self.window_start, add_months(today, -term_months) + datetime.timedelta(days=30))
            latest = today - datetime.timedelta(days=10)
        elif status == S.REPAID:
            earliest, latest = self.window_start, today - datetime.timedelta(days=200)
        else:
            earliest, latest = self.window_start, today - datetime.timedelta(days=730)
        span = max(0, (latest - earliest).days)
        disbursed = latest - datetime.timedelta(days=round(span * run.random.random() ** GROWTH_SKEW))
        created = disbursed - datetime.timedelta(days=run.random.randint(30, 90))
        return disbursed, run.moment(created)

    # --- repayments ---------------------------------------------------------------------------------------------
    def _repay(self, loan, status, rows, installment_ids, paid, currency, disbursed_on) -> datetime.date | None:
        """Write the loan's repayments and allocations, fill ``paid``; return the day the loan closed, if it did."""
        run, today = self.run, self.run.today
        quantum = _quantum(self.minor_units[currency])
        due_rows = [index for index, row in enumerate(rows) if row.due_date <= today - datetime.timedelta(days=3)]
        stop = len(due_rows)
        behaviour = run.random.random()
        if status == S.WRITTEN_OFF:
            stop = max(0, int(len(due_rows) * run.random.uniform(0.2, 0.6)) - 1)
        elif status == S.DISBURSED and behaviour < 0.12 and due_rows:  # in arrears: stopped paying some time ago
            stop = run.random.randint(0, len(due_rows) - 1)
        late = status == S.DISBURSED and behaviour > 0.9
        # Each payment: (day, index of the last installment it settles, whether it settles only half of what is due).
        plan = []
        position = 0
        while position < stop:
            index = due_rows[position]
            if position + 1 < stop and run.random.random() < 0.12:
                position += 1  # two installments paid at once, on the second's due date
                index = due_rows[position]
            delay = run.random.randint(0, 45) if late else run.random.randint(-7, 5)
            day = min(
                today,
                max(disbursed_on + datetime.timedelta(days=1), rows[index].due_date + datetime.timedelta(days=delay)),
            )
            if run.random.random() < 0.05:
                plan.append((day, index, True))
                day = min(today, day + datetime.timedelta(days=run.random.randint(5, 20)))
            plan.append((day, index, False))
            position += 1
        if status == S.REPAID:
            last_due = rows[-1].due_date
            first_possible = max([day for day, _, _ in plan] + [disbursed_on + datetime.timedelta(days=180)])
            payoff = last_due if last_due <= today else self.run.day_between(first_possible, today)
            plan.append((min(today, max(payoff, first_possible)), len(rows) - 1, False))
        plan.sort(key=lambda step: step[0])

        settled_through = list(accumulate(row.interest + row.principal for row in rows))
        paid_total, cursor, last_paid_on = ZERO, 0, None
        for step, (day, index, half) in enumerate(plan):
            amount = settled_through[index] - paid_total
            if half:
                amount = (amount / 2).quantize(quantum, rounding=ROUND_HALF_EVEN)
            if amount <= 0:
                continue
            repayment = next(self.repayment_ids)
            recorded = run.moment(min(today, day + datetime.timedelta(days=run.random.randint(0, 2))))
            by_partner = run.random.random() < 0.3
            is_last = step == len(plan) - 1
            if (
                status == S.DISBURSED
                and is_last
                and by_partner
                and day >= today - datetime.timedelta(days=PENDING_WITHIN_DAYS)
            ):
                self._repayment(repayment, loan, day, amount, currency, RepaymentStatus.PENDING, recorded, by_partner)
                continue
            if run.random.random() < 0.01:  # a notification that never arrived, before the real payment
                self._repayment(
                    next(self.repayment_ids), loan, day, amount, currency, RepaymentStatus.REJECTED, recorded, True
                )
            self._repayment(repayment, loan, day, amount, currency, RepaymentStatus.CONFIRMED, recorded, by_partner)
            cursor = self._allocate(repayment, amount, rows, installment_ids, paid, cursor)
            paid_total += amount
            last_paid_on = day
        if status == S.REPAID:
            return last_paid_on
        if status == S.WRITTEN_OFF:
            unpaid_since = rows[due_rows[stop]].due_date if stop < len(due_rows) else rows[-1].due_date
            return min(today, unpaid_since + datetime.timedelta(days=run.random.randint(365, 540)))
        return None

    def _repayment(self, pk, loan, day, amount, currency, status, recorded, by_partner) -> None:
        confirmed = status == RepaymentStatus.CONFIRMED
        self.repayments.add(
            pk, loan, day, amount, currency, f"TRX-{pk:09d}", status.value,
            self.partner_user if by_partner else self.officer, self.officer if confirmed else None,
            NOT_RECEIVED if status == RepaymentStatus.REJECTED else "", recorded, recorded,
        )  # fmt: skip

    def _allocate(self, repayment, amount, rows, installment_ids, paid, cursor) -> int:
        """Oldest installment first, interest before principal (``allocation.allocate``'s waterfall), carried on
        from ``cursor``, the first installment not fully paid; return the new cursor."""
        left = amount
        while left > 0 and cursor < len(rows):
            row, done = rows[cursor], paid[cursor]
            interest = min(left, row.interest - done[0])
            principal = min(left - interest, row.principal - done[1])
            if interest or principal:
                self.allocations.add(repayment, installment_ids[cursor], interest, principal)
                done[0] += interest
                done[1] += principal
                left -= interest + principal
            if done[0] == row.interest and done[1] == row.principal:
                cursor += 1
        return cursor


def generate(*, run) -> None:
    writer = LoanWriter(run)
    if not writer.programme_ids:
        return
    for number in range(1, run.count(LOANS_AT_FULL_SCALE) + 1):
        writer.write(number)
    # The dashboard's summaries, which the services keep current, are made here from what was written.
    run.flush()
    summaries.rebuild()
