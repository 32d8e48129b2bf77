"""A crisis moratorium: the borrowers of one country and area, previewed, approved in one step, reversible per loan."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from lxml import html

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.finance.models import AmortizationMethod, LoanFigures, LoanRestructuring, RestructuringStatus
from programs.finance.reminders import due_installments
from programs.finance.services.moratoria import (
    affected_loans,
    moratorium_approve,
    moratorium_preview,
    moratorium_propose,
)
from programs.finance.services.restructurings import restructuring_reverse
from tests.factories import OrganisationFactory, UserFactory, country
from tests.programs.finance.factories import FinancialProgrammeFactory, disbursed_loan, recorded_repayment

D = Decimal
TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def loan_in(*, borrower_area="", programme_area="", code="ID", paid=3):
    borrower = OrganisationFactory(area=borrower_area, country=country(code))
    programme = FinancialProgrammeFactory(area=programme_area)
    # The programme names no recipient country when ``code`` is TL: the borrower's country counts.
    programme.recipient_countries.set([] if code == "TL" else [country(code)])
    loan = disbursed_loan(
        borrower=borrower,
        programme=programme,
        principal=D("1200.00"),
        annual_rate=D("12"),
        amortization=AmortizationMethod.EQUAL_PRINCIPAL,
        disbursement_date=datetime.date(2026, 1, 15),
        first_repayment_date=datetime.date(2026, 2, 15),
    )
    for number, amount in enumerate(("112.00", "111.00", "110.00")[:paid], start=2):
        recorded_repayment(loan, amount, paid_on=datetime.date(2026, number, 15))
    return loan


@pytest.fixture
def loans(db, frozen):
    return {
        "borrower's area": loan_in(borrower_area="Central Sulawesi"),
        "programme's area": loan_in(borrower_area="Aceh", programme_area="central sulawesi"),
        "programme elsewhere": loan_in(borrower_area="Central Sulawesi", programme_area="Aceh"),
        "other country": loan_in(borrower_area="Central Sulawesi", code="TL"),
    }


def propose(**changes):
    values = {
        "title": "Flood in Central Sulawesi",
        "country": country("ID"),
        "area": " Central Sulawesi ",
        "starts_on": datetime.date(2026, 5, 1),
        "months": 3,
        "arrears": "capitalise",
        "reason": "Floods destroyed the harvest.",
    } | changes
    return moratorium_propose(proposed_by=UserFactory(role=Role.OFFICER), **values)


def test_the_programmes_area_overrides_the_borrowers(loans):
    found = set(affected_loans(country=country("ID"), area="CENTRAL SULAWESI"))
    assert found == {loans["borrower's area"], loans["programme's area"]}


def test_the_preview_shows_each_loan_and_the_totals_per_currency(loans):
    preview = moratorium_preview(propose(), today=TODAY)
    assert {effect.loan for effect in preview.effects} == {loans["borrower's area"], loans["programme's area"]}
    effect = preview.effects[0]
    # Installments 4 to 12 were still to pay (900.00 principal, 45.00 interest); 4 (15 May) falls in the moratorium.
    assert (effect.before.installments, effect.before.total) == (9, D("945.00"))
    assert effect.terms["first_due_date"] == datetime.date(2026, 8, 15) and effect.terms["installments"] == 9
    # 9.00 overdue interest and 27.00 of three months' interest on 900.00 at 12% are capitalised: 936.00.
    assert (effect.plan.moratorium_interest, effect.plan.capitalised, effect.plan.new_principal) == (
        D("27.00"),
        D("36.00"),
        D("936.00"),
    )
    assert effect.after.total == D("936.00") + D("46.80")
    [usd] = preview.totals
    assert (usd.currency.code, usd.loans, usd.before, usd.after) == ("USD", 2, D("1890.00"), D("1965.60"))
    assert (usd.capitalised, usd.waived) == (D("72.00"), D("0"))
    assert not LoanRestructuring.objects.exists()


def test_approval_restructures_every_loan_at_once_and_reminders_pause(loans):
    moratorium = propose()
    moratorium_approve(moratorium=moratorium, approved_by=UserFactory(role=Role.MANAGER))
    moratorium.refresh_from_db()
    assert moratorium.status == RestructuringStatus.APPROVED
    records = LoanRestructuring.objects.filter(moratorium=moratorium)
    assert {record.loan for record in records} == {loans["borrower's area"], loans["programme's area"]}
    assert {record.status for record in records} == {RestructuringStatus.APPROVED}
    loan = loans["borrower's area"]
    new = list(loan.schedule.filter(number__gte=4).order_by("number"))
    assert [(i.number, i.due_date) for i in new][:2] == [
        (4, datetime.date(2026, 8, 15)),
        (5, datetime.date(2026, 9, 15)),
    ]
    assert [i.principal_due for i in new] == [D("104.00")] * 9
    assert [i.interest_due for i in new][:3] == [D("9.36"), D("8.32"), D("7.28")]
    assert LoanFigures.objects.get(loan=loan).principal_outstanding == D("936.00")
    assert loans["programme elsewhere"].schedule.filter(number=13).exists() is False
    assert loans["programme elsewhere"].schedule.get(number=4).due_date == datetime.date(2026, 5, 15)
    # No reminder falls inside the moratorium for the loans it covers; the first comes before 15 August.
    covered = {loans["borrower's area"].pk, loans["programme's area"].pk}
    for day in (TODAY, datetime.date(2026, 6, 10), datetime.date(2026, 7, 20)):
        assert not [i for i in due_installments(day) if i.loan_id in covered]
    assert {i.loan_id for i in due_installments(datetime.date(2026, 8, 5))} >= covered


def test_the_proposer_cannot_approve_the_batch(loans):
    manager = UserFactory(role=Role.MANAGER)
    moratorium = moratorium_propose(
        proposed_by=manager,
        title="Flood",
        country=country("ID"),
        area="Central Sulawesi",
        starts_on=datetime.date(2026, 5, 1),
        months=3,
        arrears="waive",
        reason="Flood.",
    )
    with pytest.raises(ValidationError) as refused:
        moratorium_approve(moratorium=moratorium, approved_by=manager)
    assert refusal_codes(refused.value) == {Refused.OWN_RECORD}
    assert not LoanRestructuring.objects.exists()


def test_each_loan_can_be_reversed_on_its_own_until_paid(loans):
    moratorium = propose(arrears="waive")
    manager = UserFactory(role=Role.MANAGER)
    moratorium_approve(moratorium=moratorium, approved_by=manager)
    first, second = LoanRestructuring.objects.filter(moratorium=moratorium).order_by("loan__reference")
    assert first.waived == D("36.00") and first.new_principal == D("900.00")
    restructuring_reverse(restructuring=first, reversed_by=manager, reason="Borrower not affected.")
    assert first.loan.schedule.get(number=4).due_date == datetime.date(2026, 5, 15)
    assert first.loan.schedule.count() == 12
    recorded_repayment(second.loan, "9.00", paid_on=TODAY)
    with pytest.raises(ValidationError):
        restructuring_reverse(restructuring=second, reversed_by=manager, reason="Undo.")
    second.refresh_from_db()
    assert second.status == RestructuringStatus.APPROVED


def test_the_moratorium_page_sums_what_was_applied_per_currency(loans, client):
    moratorium = propose()
    manager = UserFactory(role=Role.MANAGER)
    moratorium_approve(moratorium=moratorium, approved_by=manager)
    first, second = LoanRestructuring.objects.filter(moratorium=moratorium).order_by("loan__reference")
    restructuring_reverse(restructuring=first, reversed_by=manager, reason="Borrower not affected.")

    client.force_login(manager)
    page = html.fromstring(client.get(f"/finance/moratoria/{moratorium.pk}/").content)

    # Only the loan still restructured counts: 936.00 new principal, of which 36.00 capitalised interest.
    [usd] = page.xpath("//table[@data-applied-totals]/tbody/tr")
    assert [cell.text_content().strip() for cell in usd.xpath("th|td")] == [
        "USD",
        "1",
        "USD 936.00",
        "USD 36.00",
        "USD 0.00",
    ]
    listed = {
        row.get("data-restructured"): row.xpath(".//*[@data-status]")[0].get("data-status")
        for row in page.xpath("//tr[@data-restructured]")
    }
    assert listed == {first.loan.reference: "reversed", second.loan.reference: "approved"}


def test_bad_input_is_refused_next_to_the_field(db):
    with pytest.raises(ValidationError) as refused:
        propose(months=0, area=" ")
    assert set(refused.value.message_dict) == {"months", "area"}


def test_the_api_proposes_and_another_manager_approves_the_batch(loans, partner_user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(UserFactory(role=Role.OFFICER))
    body = {
        "title": "Flood in Central Sulawesi",
        "country": "ID",
        "area": "Central Sulawesi",
        "starts_on": "2026-05-01",
        "months": 3,
        "arrears": "capitalise",
        "reason": "Floods destroyed the harvest.",
    }
    assert api.post("/api/v1/moratoria/", body | {"months": 40}, format="json").status_code == 400
    created = api.post("/api/v1/moratoria/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "proposed" and created.json()["restructurings"] == []
    assert api.post(f"/api/v1/moratoria/{pk}/approve/").status_code == 403  # an officer does not decide
    api.force_authenticate(UserFactory(role=Role.MANAGER))
    approved = api.post(f"/api/v1/moratoria/{pk}/approve/")
    assert approved.status_code == 200, approved.json()
    covered = set(LoanRestructuring.objects.filter(moratorium_id=pk).values_list("pk", flat=True))
    assert approved.json()["status"] == "approved" and set(approved.json()["restructurings"]) == covered
    assert len(covered) == 2
    api.force_authenticate(partner_user)
    assert api.get("/api/v1/moratoria/").json()["results"] == []
    assert api.get(f"/api/v1/moratoria/{pk}/").status_code == 404
