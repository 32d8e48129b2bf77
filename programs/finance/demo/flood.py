"""The demonstration's crisis moratorium: floods in Central Sulawesi. Three farming and fishing co-operatives there
borrow from the Sumba sanitation programme's revolving fund; after the flood the officer proposes six months without
payments, interest capitalised, and the manager approves the batch.

Natural keys make a second run change nothing: an organisation's name, a loan's borrower and purpose, the
moratorium's title.
"""

import datetime
from decimal import Decimal

from cooperation.reference.codes import OrganisationRole, OrganisationType
from cooperation.reference.models import Country, Currency
from partners import services as partner_services
from partners.models import Organisation
from programs import services as programme_services
from programs.finance import services
from programs.finance.models import Frequency, Loan, Moratorium
from programs.finance.schedule import Amortization, add_months
from programs.finance.services import moratoria
from programs.models import Participation, Programme

AREA = "Central Sulawesi"
PROGRAMME = "KSM-2026-015"
TITLE = "Floods in Central Sulawesi"
BORROWERS = (
    ("Koperasi Tani Sejahtera Palu", "KTSP", "Jl. Diponegoro No. 8, Palu", "180000000.00"),
    ("Koperasi Nelayan Donggala", "KND", "Jl. Pelabuhan No. 3, Donggala", "120000000.00"),
    ("Koperasi Perempuan Sigi Mandiri", "KPSM", "Jl. Poros Palu–Bora, Sigi", "90000000.00"),
)
# Each co-operative's treasurer, who receives the loan reminders in Bahasa Indonesia.
TREASURERS = {
    "KTSP": ("Andi Mappaseng", "bendahara@ktsp.example"),
    "KND": ("Nurhayati Lamasitudju", "bendahara@knd.example"),
    "KPSM": ("Sri Rahayu Pettalolo", "bendahara@kpsm.example"),
}
PURPOSE = "Revolving fund for the co-operative's members: seed, nets and small equipment."


def _borrower(name, acronym, address, officer, country) -> Organisation:
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = partner_services.organisation_create(
            created_by=officer,
            name=name,
            acronym=acronym,
            kind=OrganisationType.NATIONAL_NGO,
            country=country,
            area=AREA,
            address=address,
        )
        name, email = TREASURERS[acronym]
        partner_services.contact_create(
            organisation=organisation,
            created_by=officer,
            name=name,
            email=email,
            position="Bendahara",
            receives_reminders=True,
            preferred_language="id",
        )
    return organisation


def _active_loan(programme, borrower, principal, users, today) -> Loan:
    officer, manager = users["officer"], users["manager"]
    loan = Loan.objects.filter(borrower=borrower, purpose=PURPOSE).first()
    if loan is not None:
        return loan
    if not Participation.objects.filter(programme=programme, organisation=borrower).exists():
        programme_services.participation_create(
            programme=programme, organisation=borrower, created_by=officer, role=OrganisationRole.IMPLEMENTING
        )
    disbursed = today - datetime.timedelta(days=200)
    loan = services.loan_create(
        created_by=officer,
        programme=programme,
        borrower=borrower,
        principal=Decimal(principal),
        currency=Currency.objects.get(code="IDR"),
        annual_rate=Decimal("4"),
        frequency=Frequency.MONTHLY,
        installments=24,
        amortization=Amortization.ANNUITY,
        disbursement_date=disbursed,
        first_repayment_date=add_months(disbursed, 1),
        purpose=PURPOSE,
        risk_acknowledged=True,
    )
    services.loan_submit(loan=loan, submitted_by=officer)
    services.loan_approve(loan=loan, approved_by=manager)
    services.loan_disburse(loan=loan, disbursed_by=officer, disbursed_on=disbursed)
    # Paid on time until the month before the flood.
    flood = today - datetime.timedelta(days=30)
    for item in loan.schedule.filter(due_date__lt=flood).order_by("number"):
        services.repayment_record(
            loan=loan,
            recorded_by=officer,
            paid_on=item.due_date,
            amount=item.total_due,
            currency=loan.currency,
            reference=f"BRI {borrower.acronym}-{item.number:02d}",
        )
    return loan


def load(*, run) -> None:
    """The three co-operatives' loans and the approved moratorium over them, when missing."""
    if Moratorium.objects.filter(title=TITLE).exists():
        return
    officer, manager = run.users["officer"], run.users["manager"]
    country = Country.objects.get(code="ID")
    programme = Programme.objects.get(code=PROGRAMME)
    for name, acronym, address, principal in BORROWERS:
        borrower = _borrower(name, acronym, address, officer, country)
        _active_loan(programme, borrower, principal, run.users, run.today)
    moratorium = moratoria.moratorium_propose(
        proposed_by=officer,
        title=TITLE,
        country=country,
        area=AREA,
        starts_on=run.today - datetime.timedelta(days=30),
        months=6,
        arrears="capitalise",
        reason="Flash floods destroyed harvests, boats and nets across the province; members cannot repay for now.",
    )
    moratoria.moratorium_approve(moratorium=moratorium, approved_by=manager)
    run.log(f"  moratorium {moratorium.title} approved over {moratorium.restructurings.count()} loans")
