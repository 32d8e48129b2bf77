"""Demonstration loans, grants and remittances (these from the tables in grants.toml): every status of a loan,
late and current repayments."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from programs.demo.tables import read_records
from programs.finance.demo.stories import DemoLoan, Notify, Pay, Reverse
from programs.finance.models import AmortizationMethod, DayCountConvention, Frequency, Grant, LoanStatus, TrancheStatus

MONTHLY, QUARTERLY, SEMI_ANNUAL, ANNUAL = (
    Frequency.MONTHLY,
    Frequency.QUARTERLY,
    Frequency.SEMI_ANNUAL,
    Frequency.ANNUAL,
)
THIRTY_E_360, ACTUAL_365, ACTUAL_ACTUAL = (
    DayCountConvention.THIRTY_E_360,
    DayCountConvention.ACTUAL_365,
    DayCountConvention.ACTUAL_ACTUAL,
)
ANNUITY, EQUAL_PRINCIPAL, BULLET = (
    AmortizationMethod.ANNUITY,
    AmortizationMethod.EQUAL_PRINCIPAL,
    AmortizationMethod.BULLET,
)

LOANS = (
    DemoLoan(
        "Revolving fund for household water connections: villagers repay their connection fee in monthly instalments.",
        "KSM-2025-001",
        "YABN",
        "120000.00",
        "USD",
        "3",
        MONTHLY,
        24,
        ANNUITY,
        LoanStatus.DISBURSED,
        215,
        story=(
            Pay(through=1, reference="BNI 0001-7781"),
            Pay(through=2, days=3, reference="BNI 0001-8130"),
            Pay(through=3, reference="Cheque 448812"),
            Reverse("The bank returned cheque 448812 unpaid: it was drawn on a closed account."),
            Pay(through=3, days=12, reference="BNI 0001-8745"),
            Pay(through=4, part=Decimal("0.4"), on=5, days=4, reference="BNI 0001-9022"),
            # About two months late by now (PAR30); the partner says more is on its way.
            Notify("partner", Decimal("0.6"), ago=2, reference="BNI 0002-0147"),
        ),
    ),
    DemoLoan(
        "Credit line for women-led micro and small enterprises, on-lent by the co-operative bank.",
        "KSM-2025-004",
        "MCB",
        "500000.00",
        "USD",
        "2",
        QUARTERLY,
        12,
        EQUAL_PRINCIPAL,
        LoanStatus.DISBURSED,
        370,
        grace_periods=2,
        lender="APDF",
        day_count=ACTUAL_365,
        # The fourth installment fell due a few days ago and is not paid yet.
        story=(
            Pay(through=1, reference="SWIFT MCB-0311"),
            Pay(through=2, reference="SWIFT MCB-0612"),
            Pay(through=3, days=1, reference="SWIFT MCB-0913"),
        ),
    ),
    DemoLoan(
        "Yen refinancing of the co-operative bank's agricultural portfolio, principal repaid at maturity.",
        "KSM-2025-004",
        "MCB",
        "30000000",
        "JPY",
        "1.5",
        ANNUAL,
        5,
        BULLET,
        LoanStatus.DISBURSED,
        900,
        day_count=ACTUAL_ACTUAL,
        lender="APDF",
        # Last year's interest was never paid: well over 90 days late (PAR90).
        story=(Pay(through=1, days=2, reference="SWIFT MCB-Y001"),),
    ),
    DemoLoan(
        "Market-stall credit for vendors in Surigao del Norte.",
        "KSM-2025-004",
        "MCB",
        "150000.00",
        "USD",
        "4",
        MONTHLY,
        24,
        ANNUITY,
        LoanStatus.DISBURSED,
        420,
        # Repaid for eight months, then nothing: more than 90 days late.
        story=tuple(Pay(through=number, days=2, reference=f"SWIFT MCB-S{number:03d}") for number in range(1, 9)),
    ),
    DemoLoan(
        "Equipment credit for tais weaving and coffee-processing co-operatives in Ermera.",
        "KSM-2025-008",
        "FHK",
        "60000.00",
        "USD",
        "1",
        QUARTERLY,
        8,
        ANNUITY,
        LoanStatus.DISBURSED,
        264,
        grace_periods=1,
        # Up to date, and part of the next installment paid ahead of schedule.
        story=(
            Pay(through=1, reference="BNCTL 77-0102"),
            Pay(through=2, days=-2, reference="BNCTL 77-0388"),
            Pay(through=2, part=Decimal("0.5"), ago=20, reference="BNCTL 77-0517"),
        ),
    ),
    DemoLoan(
        "Interest-free bridge loan for the legal aid clinics' first year, until the donor's grant arrived.",
        "KSM-2026-010",
        "YABN",
        "30000.00",
        "EUR",
        "0",
        SEMI_ANNUAL,
        2,
        EQUAL_PRINCIPAL,
        LoanStatus.REPAID,
        300,
        # The second half was repaid early, once the grant came in.
        story=(Pay(through=1, reference="SEPA YABN-01"), Pay(everything=True, ago=20, reference="SEPA YABN-02")),
    ),
    DemoLoan(
        "Co-financing loan for the village councils' share of the school latrines.",
        "KSM-2026-015",
        "YABN",
        "1500000000.00",
        "IDR",
        "2",
        MONTHLY,
        12,
        ANNUITY,
        LoanStatus.DISBURSED,
        130,
        grace_periods=3,
        # Disbursed nine days later than a whole month before the first repayment: a short first period.
        day_count=ACTUAL_365,
        first_period_days=-9,
        story=tuple(Pay(through=number, days=1, reference=f"BRI 5521-{number:02d}") for number in range(1, 5)),
    ),
    DemoLoan(
        "Sovereign concessional loan for GeneXpert diagnostics and treatment support.",
        "KSM-2026-011",
        "MS-TL",
        "400000.00",
        "USD",
        "0.75",
        SEMI_ANNUAL,
        20,
        ANNUITY,
        LoanStatus.SUBMITTED,
        -60,
        grace_periods=4,
        lender="APDF",
        # The first repayment waits for the ministry's budget year: a long first period, counted in actual days.
        day_count=ACTUAL_ACTUAL,
        first_period_days=75,
    ),
    DemoLoan(
        "Battery storage for the island mini-grids, repaid from electricity tariffs.",
        "KSM-2026-001",
        "YABN",
        "250000.00",
        "EUR",
        "1.25",
        ANNUAL,
        8,
        ANNUITY,
        LoanStatus.APPROVED,
        -21,
        lender="APDF",
        day_count=ACTUAL_365,
        first_period_days=-40,
    ),
    DemoLoan(
        "Second credit line for agricultural co-operatives (terms under discussion).",
        "KSM-2025-004",
        "MCB",
        "750000.00",
        "USD",
        "2.5",
        MONTHLY,
        36,
        BULLET,
        LoanStatus.DRAFT,
        -45,
        lender="APDF",
        first_period_days=-12,  # 30E/360: a short first period
    ),
    DemoLoan(
        "Working capital for installing the ice plants in Ambon and Tual.",
        "KSM-2026-007",
        "Sakura Eng.",
        "2400000000.00",
        "IDR",
        "3",
        QUARTERLY,
        16,
        ANNUITY,
        LoanStatus.REJECTED,
        -30,
        reason="The programme is suspended pending a new site survey; resubmit once the harbour site is confirmed.",
    ),
    DemoLoan(
        "Bridge loan for GeneXpert cartridges before the programme starts.",
        "KSM-2026-011",
        "FHK",
        "25000.00",
        "USD",
        "0",
        MONTHLY,
        6,
        EQUAL_PRINCIPAL,
        LoanStatus.CANCELLED,
        -14,
        reason="The Ministry of Health bought the cartridges from its own budget; the loan is no longer needed.",
    ),
    DemoLoan(
        "Recovery credit for fish vendors in Siargao after the typhoon.",
        "KSM-2025-004",
        "MCB",
        "80000.00",
        "USD",
        "2.5",
        MONTHLY,
        18,
        EQUAL_PRINCIPAL,
        LoanStatus.WRITTEN_OFF,
        540,
        story=tuple(Pay(through=number, days=5, reference=f"SWIFT MCB-T{number:03d}") for number in range(1, 5)),
        reason="A second typhoon destroyed the vendors' stalls; restructuring failed and recovery was abandoned.",
    ),
)


@dataclass(frozen=True)
class DemoGrant:
    purpose: str  # with the programme and the recipient, the demo grant's natural key
    programme: str
    recipient: str
    amount: str
    currency: str
    first_tranche_days_ago: int
    months_between: int
    tranches: tuple[TrancheStatus, ...]  # where each tranche's story ends
    kind: Grant.Kind = Grant.Kind.GRANT


DISBURSED_STATUSES = {LoanStatus.DISBURSED, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF}

GRANTS = read_records(Path(__file__).with_name("grants.toml"), "grant", DemoGrant)
