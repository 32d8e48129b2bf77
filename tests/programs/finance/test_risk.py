"""A borrower's loans in arrears are its risk flags, and creating a loan or a grant for a flagged partner asks for
an acknowledgement, on the page, in the service and in the API, which the new record's history keeps."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.risk import Level, partner_risk_flags
from programs.finance import services
from programs.finance.models import Grant, Loan
from programs.finance.risk import partner_flags
from tests.api_errors import error_codes
from tests.factories import currency
from tests.programs.finance.factories import FinancialProgrammeFactory
from tests.programs.finance.hub_data import days_ago, late_loan
from tests.programs.finance.test_admin import loan_post as admin_loan_post
from tests.programs.finance.test_views import loan_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(partner_org):
    programme = FinancialProgrammeFactory(code="FIN-RISK")
    programme.participations.create(organisation=partner_org, role=1)
    return programme


def test_a_partner_without_loans_late_over_30_days_has_no_flag(partner_org, programme):
    late_loan(days_late=30, borrower=partner_org, programme=programme)

    assert partner_flags(partner_org) == []


def test_loans_over_30_and_over_90_days_late_are_a_warning_and_a_danger(partner_org, programme, other_org):
    late_loan(days_late=45, borrower=partner_org, programme=programme, reference="LN-2026-0001")
    late_loan(days_late=120, borrower=partner_org, programme=programme, reference="LN-2026-0002")
    late_loan(days_late=200, borrower=other_org, reference="LN-2026-0003")

    flags = partner_risk_flags(partner_org)

    assert [(flag.code, flag.level, flag.count) for flag in flags] == [
        ("finance.arrears_90", Level.DANGER, 1),
        ("finance.arrears_30", Level.WARNING, 1),
    ]
    assert flags[0].message == "1 loan more than 90 days in arrears (up to 120 days late): LN-2026-0002"
    assert flags[1].message == "1 loan more than 30 days in arrears (up to 45 days late): LN-2026-0001"
    assert flags[0].url == reverse("finance:loan_list") + f"?borrower={partner_org.pk}&overdue=true"


def test_a_flag_names_the_three_latest_loans(partner_org, programme):
    for number, days in enumerate((40, 50, 60, 70), start=1):
        late_loan(days_late=days, borrower=partner_org, programme=programme, reference=f"LN-2026-000{number}")

    (flag,) = partner_flags(partner_org)

    assert flag.message == (
        "4 loans more than 30 days in arrears (up to 70 days late): LN-2026-0004, LN-2026-0003, LN-2026-0002, …"
    )


def test_the_thresholds_are_settings(settings, partner_org, programme):
    settings.FINANCE_ARREARS_WARNING_DAYS = 60
    settings.FINANCE_ARREARS_DANGER_DAYS = 100
    late_loan(days_late=45, borrower=partner_org, programme=programme)
    assert partner_flags(partner_org) == []

    late_loan(days_late=101, borrower=partner_org, programme=programme)
    assert [flag.code for flag in partner_flags(partner_org)] == ["finance.arrears_90"]


def test_a_paid_or_written_off_history_does_not_flag_but_a_written_off_arrear_does(partner_org, programme):
    loan = late_loan(days_late=45, borrower=partner_org, programme=programme)
    loan.schedule.filter(number=1).update(principal_paid=1000, interest_paid=60)
    assert partner_flags(partner_org) == []

    loan.schedule.filter(number=1).update(principal_paid=0, interest_paid=0)
    loan.status = "written_off"
    loan.save(update_fields=["status"])
    assert [flag.code for flag in partner_flags(partner_org)] == ["finance.arrears_30"]


# --- acknowledgement on creation ---------------------------------------------------------------------------------


def _grant_post(programme, recipient, **overrides) -> dict:
    data = {
        "programme": programme.pk,
        "recipient": recipient.pk,
        "kind": "grant",
        "purpose": "Schools.",
        "amount": "1000.00",
        "currency": "USD",
        "tranche_count": "2",
        "first_tranche_on": "2026-03-31",
        "months_between": "1",
    }
    return data | overrides


@pytest.mark.parametrize(
    ("url", "post", "model"),
    [("finance:loan_create", loan_post, Loan), ("finance:grant_create", _grant_post, Grant)],
    ids=["loan", "grant"],
)
def test_creating_for_a_flagged_partner_needs_the_acknowledgement(
    client, officer, partner_org, programme, url, post, model
):
    late = late_loan(days_late=95, borrower=partner_org, programme=programme)
    before = model.objects.count()
    client.force_login(officer)

    refused = client.post(reverse(url), post(programme, partner_org))

    assert refused.status_code == 200 and model.objects.count() == before
    html = refused.content.decode()
    box = html[html.index('id="risk-flags"') :]
    assert f"1 loan more than 90 days in arrears (up to 95 days late): {late.reference}" in box
    assert "has risk flags; confirm that you have seen them." in box[box.index('id="field-risk_acknowledged"') :]

    saved = client.post(reverse(url), post(programme, partner_org, risk_acknowledged="on"))

    assert saved.status_code == 302 and model.objects.count() == before + 1
    record = model.objects.order_by("-pk").first()
    assert record.history.earliest().history_change_reason == "Risk acknowledged: finance.arrears_90"


def test_a_partner_without_flags_gets_no_box_and_no_question(client, officer, partner_org, programme):
    client.force_login(officer)

    response = client.post(reverse("finance:grant_create"), _grant_post(programme, partner_org))

    assert response.status_code == 302
    assert Grant.objects.get().history.earliest().history_change_reason is None
    assert 'id="risk-flags"' not in client.get(reverse("finance:loan_create")).content.decode()


def test_the_service_refuses_without_the_acknowledgement(officer, partner_org, programme):
    late_loan(days_late=40, borrower=partner_org, programme=programme)
    arguments = {
        "created_by": officer,
        "programme": programme,
        "recipient": partner_org,
        "amount": "500",
        "currency": currency("USD"),
        "first_tranche_on": days_ago(-30),
    }

    with pytest.raises(ValidationError) as refused:
        services.grant_create(**arguments)

    assert refused.value.error_dict["risk_acknowledged"][0].code == "risk_not_acknowledged"
    assert not Grant.objects.exists()
    assert services.grant_create(**arguments, risk_acknowledged=True).reference.startswith("GR-")


def test_the_api_asks_for_the_acknowledgement_too(officer, partner_org, programme):
    late_loan(days_late=40, borrower=partner_org, programme=programme)
    api = APIClient()
    api.force_authenticate(officer)
    payload = {k: v for k, v in loan_post(programme, partner_org).items() if v != ""} | {
        "frequency": 12,
        "installments": 12,
    }
    before = Loan.objects.count()

    refused = api.post("/api/v1/loans/", payload, format="json")

    assert refused.status_code == 400
    assert error_codes(refused) == {"risk_acknowledged": ["risk_not_acknowledged"]}
    assert Loan.objects.count() == before

    created = api.post("/api/v1/loans/", payload | {"risk_acknowledged": True}, format="json")

    assert created.status_code == 201
    assert Loan.objects.get(pk=created.data["id"]).history.earliest().history_change_reason == (
        "Risk acknowledged: finance.arrears_30"
    )


def test_the_admin_asks_for_the_acknowledgement_too(client, officer, partner_org, programme):
    late_loan(days_late=40, borrower=partner_org, programme=programme)
    before = Loan.objects.count()
    client.force_login(officer)

    refused = client.post(reverse("admin:finance_loan_add"), admin_loan_post(programme, partner_org))

    assert refused.status_code == 200 and Loan.objects.count() == before
    assert "has risk flags; confirm that you have seen them." in refused.content.decode()

    saved = client.post(
        reverse("admin:finance_loan_add"), admin_loan_post(programme, partner_org, risk_acknowledged="on")
    )

    assert saved.status_code == 302 and Loan.objects.count() == before + 1


def test_a_link_from_the_partner_page_shows_the_flags_before_anything_is_typed(client, officer, partner_org, programme):
    late_loan(days_late=95, borrower=partner_org, programme=programme, reference="LN-2026-0042")
    client.force_login(officer)
    partner_page = client.get(reverse("partners:detail", args=[partner_org.pk])).content.decode()
    new_loan = reverse("finance:loan_create") + f"?borrower={partner_org.pk}"
    assert f'href="{new_loan}"' in partner_page

    html = client.get(new_loan).content.decode()

    assert "1 loan more than 90 days in arrears (up to 95 days late): LN-2026-0042" in html
    assert 'name="risk_acknowledged"' in html
    nonsense = client.get(reverse("finance:grant_create") + "?recipient=99999999999999999999&programme=x")
    assert nonsense.status_code == 200 and 'id="risk-flags"' not in nonsense.content.decode()


def test_the_loan_page_shows_the_borrowers_flags_until_the_money_leaves(client, manager, partner_org, programme):
    from tests.programs.finance.factories import LoanFactory, submitted_loan

    late = late_loan(days_late=120, borrower=partner_org, programme=programme, reference="LN-2026-0002")
    proposed = submitted_loan(LoanFactory(programme=programme, borrower=partner_org))
    client.force_login(manager)

    page = client.get(reverse("finance:loan_detail", args=[proposed.pk])).content.decode()
    assert 'data-code="finance.arrears_90"' in page
    assert "LN-2026-0002" in page
    page = client.get(reverse("finance:loan_detail", args=[late.pk])).content.decode()
    assert 'data-code="finance.arrears_90"' not in page  # disbursed: the money has left
