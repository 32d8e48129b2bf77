"""Every date a person types is refused outside 1 January 1900 – 31 December 2199 (and after today for what
already happened), next to the field, with nothing saved: through the pages and through the API, for every
family of dates (loans, repayments, grants, shipments and their items and receipts, calls, applications,
programmes, exchange activities)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.dates import LATEST_DATE
from programs.finance.models import Grant, Loan, Repayment
from programs.models import Programme
from programs.scholarships.models import Application, Call, ExchangeActivity
from programs.shipments.models import Receipt, Shipment, ShipmentItem
from tests.api_errors import error_fields
from tests.programs.finance.factories import FinancialProgrammeFactory, disbursed_loan
from tests.programs.scholarships.factories import CallFactory
from tests.programs.scholarships.factories import take_part as host_takes_part
from tests.programs.shipments.factories import arrived_shipment, draft_shipment
from tests.programs.shipments.factories import take_part as consignee_takes_part
from tests.test_no_server_errors import _baseline, _page_forms, _uploads

pytestmark = pytest.mark.django_db

RANGE = "Enter a date between Jan. 1, 1900 and Dec. 31, 2199."
FUTURE = "This date is in the future."
FAR = "9999-12-01"


def tomorrow() -> str:
    from django.utils import timezone

    return str(timezone.localdate() + datetime.timedelta(days=1))


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_form(client, page_url, action_url, field, value):
    """Fill the form for ``action_url`` as the page renders it, with ``field`` set to ``value``, and post it."""
    forms = [form for form in _page_forms(client.get(page_url), page_url) if form.action == action_url]
    assert forms, f"no form for {action_url} on {page_url}"
    for form in forms:
        names = [spec["name"] for spec in form.fields if spec["name"] == field or spec["name"].endswith(f"-{field}")]
        if names:
            data = _baseline(form, fill_blanks=True)
            data[names[0]] = value
            return client.post(action_url, _uploads(data))
    raise AssertionError(f"no field {field} in the form for {action_url}")


def refused_on_page(response, message) -> bool:
    return response.status_code in (200, 400) and message in response.content.decode()


def refused_in_api(response, field, message) -> bool:
    return response.status_code == 400 and message in " ".join(error_fields(response).get(field, []))


# --- the fixtures of each family ----------------------------------------------------------------------------------


@pytest.fixture
def financial_programme(partner_org):
    programme = FinancialProgrammeFactory(code="FIN-BOUNDS")
    programme.participations.create(organisation=partner_org, role=1)
    return programme


@pytest.fixture
def active_loan(partner_org, financial_programme):
    return disbursed_loan(borrower=partner_org, programme=financial_programme)


@pytest.fixture
def in_kind_programme(own_programme, partner_org):
    consignee_takes_part(own_programme, partner_org)
    return own_programme


@pytest.fixture
def technical_programme(own_programme, partner_org):
    own_programme.is_technical = True
    own_programme.save(update_fields=["is_technical"])
    host_takes_part(own_programme, partner_org)
    return own_programme


def loan_payload(programme, borrower, **overrides) -> dict:
    return {
        "programme": programme.pk,
        "borrower": borrower.pk,
        "principal": "12000.00",
        "currency": "USD",
        "annual_rate": "6",
        "frequency": 12,
        "installments": 12,
        "amortization": "annuity",
        "disbursement_date": "2026-01-15",
        "first_repayment_date": "2026-02-15",
        **overrides,
    }


# --- loans, repayments, grants ------------------------------------------------------------------------------------


def test_a_loan_in_year_9999_is_refused_on_the_page_and_in_the_api(officer, financial_programme, partner_org):
    url = reverse("finance:loan_create")
    response = post_form(page_client(officer), url, url, "first_repayment_date", FAR)
    assert refused_on_page(response, RANGE)

    payload = loan_payload(financial_programme, partner_org, first_repayment_date=FAR)
    response = api(officer).post("/api/v1/loans/", payload, format="json")
    assert refused_in_api(response, "first_repayment_date", RANGE), response.content
    response = api(officer).post(
        "/api/v1/loans/", loan_payload(financial_programme, partner_org, disbursement_date="0001-01-01"), format="json"
    )
    assert refused_in_api(response, "disbursement_date", RANGE)
    assert not Loan.objects.exists()


def test_a_repayment_dated_in_the_future_or_in_9999_is_refused(officer, active_loan):
    page = action = reverse("finance:loan_repayment_create", args=[active_loan.pk])
    assert refused_on_page(post_form(page_client(officer), page, action, "paid_on", tomorrow()), FUTURE)
    assert refused_on_page(post_form(page_client(officer), page, action, "paid_on", "9999-12-31"), RANGE)

    for paid_on, message in ((tomorrow(), FUTURE), ("9999-12-31", RANGE)):
        payload = {"loan": active_loan.pk, "paid_on": paid_on, "amount": "10.00", "currency": "USD"}
        response = api(officer).post("/api/v1/repayments/", payload, format="json")
        assert refused_in_api(response, "paid_on", message), response.content
    assert not Repayment.objects.exists()
    assert not active_loan.schedule.filter(principal_paid__gt=0).exists()


def test_a_grant_whose_first_tranche_is_in_9999_is_refused(officer, financial_programme, partner_org):
    url = reverse("finance:grant_create")
    assert refused_on_page(post_form(page_client(officer), url, url, "first_tranche_on", FAR), RANGE)

    payload = {
        "programme": financial_programme.pk,
        "recipient": partner_org.pk,
        "amount": "1000.00",
        "currency": "USD",
        "tranche_count": 3,
        "first_tranche_on": FAR,
        "months_between": 3,
    }
    response = api(officer).post("/api/v1/grants/", payload, format="json")
    assert refused_in_api(response, "first_tranche_on", RANGE), response.content
    assert not Grant.objects.exists()


# --- shipments, items, receipts -----------------------------------------------------------------------------------


def test_a_shipment_planned_for_9999_is_refused(officer, in_kind_programme, partner_org):
    url = reverse("shipments:create")
    for field in ("planned_dispatch", "expected_arrival"):
        assert refused_on_page(post_form(page_client(officer), url, url, field, FAR), RANGE), field

    payload = {
        "programme": in_kind_programme.pk,
        "donor": partner_org.pk,
        "consignor": partner_org.pk,
        "consignee": partner_org.pk,
        "origin_country": "AU",
        "origin_place": "Brisbane",
        "destination_country": "ID",
        "destination_place": "Kupang",
        "mode": "sea",
        "planned_dispatch": FAR,
        "expected_arrival": "9999-12-31",
    }
    response = api(officer).post("/api/v1/shipments/", payload, format="json")
    assert refused_in_api(response, "planned_dispatch", RANGE), response.content
    assert refused_in_api(response, "expected_arrival", RANGE)
    assert not Shipment.objects.exists()


def test_an_item_expiring_in_9999_is_refused(officer, in_kind_programme, partner_org):
    shipment = draft_shipment(created_by=officer, consignee=partner_org, programme=in_kind_programme, items=0)
    url = reverse("shipments:edit", args=[shipment.pk])
    assert refused_on_page(post_form(page_client(officer), url, url, "expiry_date", FAR), RANGE)

    payload = {
        "shipment": shipment.pk,
        "category": "food",
        "description": "Rice, 25 kg bag",
        "unit": "bag",
        "quantity": "10",
        "currency": "USD",
        "expiry_date": FAR,
    }
    response = api(officer).post("/api/v1/shipment-items/", payload, format="json")
    assert refused_in_api(response, "expiry_date", RANGE), response.content
    assert not ShipmentItem.objects.filter(shipment=shipment).exists()


def test_a_receipt_dated_in_the_future_is_refused(officer, partner_user, in_kind_programme, partner_org):
    shipment = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=in_kind_programme))
    item = shipment.items.get()
    url = reverse("shipments_portal:receive", args=[shipment.pk])
    assert refused_on_page(post_form(page_client(partner_user), url, url, "received_on", tomorrow()), FUTURE)

    line = {"item": item.pk, "good": "1", "damaged": "0", "lost": "0"}
    for received_on, message in ((tomorrow(), FUTURE), (FAR, RANGE)):
        payload = {"shipment": shipment.pk, "received_on": received_on, "lines": [line]}
        response = api(partner_user).post("/api/v1/receipts/", payload, format="json")
        assert refused_in_api(response, "received_on", message), response.content
    assert not Receipt.objects.exists()


# --- scholarships, programmes, activities -------------------------------------------------------------------------


def test_call_dates_in_9999_are_refused(officer, technical_programme, partner_org):
    url = reverse("scholarships:call_create")
    assert refused_on_page(post_form(page_client(officer), url, url, "closes_on", FAR), RANGE)

    payload = {
        "programme": technical_programme.pk,
        "title": "Hydrology",
        "host": partner_org.pk,
        "eligible_countries": ["TL"],
        "level": "master",
        "opens_on": "2026-01-01",
        "closes_on": FAR,
        "awards_available": 1,
        "stipend": {"amount": "950.00", "currency": "USD", "frequency": "monthly"},
        "duration_months": 12,
        "criteria": [{"name": "Academic record", "weight": "1"}],
    }
    response = api(officer).post("/api/v1/scholarship-calls/", payload, format="json")
    assert refused_in_api(response, "closes_on", RANGE), response.content
    assert not Call.objects.filter(title="Hydrology").exists()


def test_a_date_of_birth_in_the_future_or_before_1900_is_refused(officer, technical_programme, partner_org):
    call = CallFactory(programme=technical_programme, host=partner_org)
    url = reverse("scholarships:call_application_create", args=[call.pk])
    assert refused_on_page(post_form(page_client(officer), url, url, "date_of_birth", "1850-01-01"), RANGE)

    payload = {
        "call": call.pk,
        "applicant_name": "Rosa Amaral",
        "email": "rosa@mail.example",
        "nationality": "ID",
        "gender": "female",
        "current_institution": "UNTL",
        "degree": "BSc",
        "field_of_study": call.fields_of_study[0] if call.fields_of_study else "Hydrology",
        "motivation": "Water.",
    }
    for born, message in ((tomorrow(), FUTURE), ("0001-01-01", RANGE)):
        response = api(officer).post("/api/v1/scholarship-applications/", {**payload, "date_of_birth": born})
        assert refused_in_api(response, "date_of_birth", message), response.content
    assert not Application.objects.exists()


def test_programme_dates_are_bounded_and_actual_dates_are_not_in_the_future(officer):
    url = reverse("programs:create")
    assert refused_on_page(post_form(page_client(officer), url, url, "planned_end", FAR), RANGE)
    assert refused_on_page(post_form(page_client(officer), url, url, "actual_start", tomorrow()), FUTURE)

    payload = {
        "code": "KSM-BOUNDS-1",
        "title": "Bounded",
        "forms": ["financial"],
        "planned_start": "2026-03-01",
        "planned_end": FAR,
        "actual_start": tomorrow(),
        "budget": {"amount": "1000.00", "currency": "USD"},
    }
    response = api(officer).post("/api/v1/programmes/", payload, format="json")
    assert refused_in_api(response, "planned_end", RANGE), response.content
    assert refused_in_api(response, "actual_start", FUTURE)
    assert not Programme.objects.filter(code="KSM-BOUNDS-1").exists()


def test_activity_dates_in_9999_are_refused(officer, technical_programme, partner_org):
    url = reverse("scholarships:activity_create")
    assert refused_on_page(post_form(page_client(officer), url, url, "ends_on", FAR), RANGE)

    payload = {
        "programme": technical_programme.pk,
        "title": "Weaving workshop",
        "kind": "cultural_exchange",
        "starts_on": "2026-01-10",
        "ends_on": FAR,
        "country": "TL",
        "city": "Dili",
        "host": partner_org.pk,
        "partners": [],
    }
    response = api(officer).post("/api/v1/exchange-activities/", payload, format="json")
    assert refused_in_api(response, "ends_on", RANGE), response.content
    assert not ExchangeActivity.objects.exists()


def test_the_bound_itself_is_accepted(officer, financial_programme, partner_org):
    payload = loan_payload(financial_programme, partner_org, first_repayment_date=str(LATEST_DATE))
    response = api(officer).post("/api/v1/loans/", payload, format="json")
    assert response.status_code == 201, response.content
    assert Loan.objects.get().first_repayment_date == LATEST_DATE


def test_a_tracking_event_at_the_calendars_ends_or_in_the_future_is_refused(officer, in_kind_programme, partner_org):
    shipment = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=in_kind_programme))
    before = shipment.events.count()
    for occurred_at, message in (("0001-01-01", RANGE), ("9999-12-31T23:00", RANGE), (f"{tomorrow()}T12:00", "future")):
        payload = {"shipment": shipment.pk, "kind": "note", "note": "Held at the port", "occurred_at": occurred_at}
        response = api(officer).post("/api/v1/tracking-events/", payload, format="json")
        assert refused_in_api(response, "occurred_at", message), response.content
    assert shipment.events.count() == before
