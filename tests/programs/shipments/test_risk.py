"""A consignee that leaves arrived goods uncounted past the grace period is flagged, and a new shipment to it
asks the officer to acknowledge the flag, on the page and in the API; the shipment's history names it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.risk import partner_risk_flags
from programs.shipments import services
from programs.shipments.models import Shipment
from programs.shipments.risk import partner_flags
from tests.api_errors import error_codes
from tests.factories import ContactFactory, OrganisationFactory
from tests.programs.shipments.factories import (
    InKindProgrammeFactory,
    arrived_shipment,
    confirm,
    consignee_user,
    days_ago,
    draft_shipment,
    take_part,
    today,
)

pytestmark = pytest.mark.django_db


def arrived_days_ago(days: int, consignee, **fields):
    """Dispatched five days before it arrived ``days`` ago, through the services."""
    dates = {"planned_dispatch": days_ago(days + 5), "expected_arrival": days_ago(days)}
    shipment = draft_shipment(consignee=consignee, risk_acknowledged=True, **dates | fields)
    return arrived_shipment(shipment, dispatched_on=days_ago(days + 5), arrived_on=days_ago(days))


def test_goods_arrived_and_not_counted_after_14_days_flag_the_consignee(partner_org):
    late = arrived_days_ago(20, partner_org)
    arrived_days_ago(10, partner_org)  # within the grace period

    flags = partner_flags(partner_org)

    assert [(flag.code, flag.count) for flag in flags] == [("shipments.unconfirmed", 1)]
    assert flags[0].message == f"1 shipment arrived and not confirmed after 20 days: {late.waybill}"
    assert flags[0].url == f"{reverse('shipments:list')}?consignee={partner_org.pk}&status=arrived"
    assert [flag.code for flag in partner_risk_flags(partner_org)] == ["shipments.unconfirmed"]


def test_the_flag_names_the_first_three_waybills_the_oldest_first(partner_org):
    shipments = [arrived_days_ago(days, partner_org) for days in (16, 40, 30, 25)]

    (flag,) = partner_flags(partner_org)

    oldest = [shipments[1], shipments[2], shipments[3]]
    waybills = ", ".join(shipment.waybill for shipment in oldest)
    assert flag.count == 4
    assert flag.message == f"4 shipments arrived and not confirmed, the oldest after 40 days: {waybills}, …"


def test_a_receipt_clears_the_flag_and_other_consignees_are_not_flagged(partner_org, other_org):
    shipment = arrived_days_ago(20, partner_org)
    arrived_days_ago(20, other_org)
    confirm(shipment, consignee_user(partner_org), {shipment.items.get(): (50, 0, 0)})

    assert partner_flags(partner_org) == []
    assert [flag.count for flag in partner_flags(other_org)] == [1]


def test_the_grace_period_comes_from_the_settings(settings, partner_org):
    arrived_days_ago(5, partner_org)
    assert partner_flags(partner_org) == []
    settings.SHIPMENT_RECEIPT_GRACE_DAYS = 3
    assert "after 5 days" in partner_flags(partner_org)[0].message


@pytest.fixture
def flagged(partner_org):
    arrived_days_ago(20, partner_org)
    return partner_org


def _values(consignee, programme) -> dict:
    take_part(programme, consignee)
    return {
        "programme": programme,
        "donor": OrganisationFactory(),
        "consignor": OrganisationFactory(),
        "consignee": consignee,
        "origin_country": Shipment._meta.get_field("origin_country").related_model.objects.get(code="AU"),
        "origin_place": "Brisbane",
        "destination_country": Shipment._meta.get_field("destination_country").related_model.objects.get(code="TL"),
        "destination_place": "Dili",
        "mode": "sea",
        "planned_dispatch": today(),
        "expected_arrival": today() + datetime.timedelta(days=10),
    }


def test_the_service_refuses_a_flagged_consignee_without_acknowledgement(officer, flagged):
    before = Shipment.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.shipment_create(created_by=officer, **_values(flagged, InKindProgrammeFactory()))
    assert refused.value.error_dict["risk_acknowledged"][0].code == "risk_not_acknowledged"
    assert Shipment.objects.count() == before

    shipment = services.shipment_create(
        created_by=officer, risk_acknowledged=True, **_values(flagged, InKindProgrammeFactory())
    )
    assert shipment.history.earliest().history_change_reason == "Risk acknowledged: shipments.unconfirmed"


def test_an_unflagged_consignee_needs_no_acknowledgement(officer, other_org):
    shipment = services.shipment_create(created_by=officer, **_values(other_org, InKindProgrammeFactory()))
    assert shipment.history.earliest().history_change_reason is None


def _form_data(consignee, **fields) -> dict:
    programme = InKindProgrammeFactory()
    take_part(programme, consignee)
    return {
        "programme": programme.pk,
        "donor": OrganisationFactory().pk,
        "consignor": OrganisationFactory().pk,
        "consignee": consignee.pk,
        "consignee_contact": ContactFactory(organisation=consignee).pk,
        "origin_country": "AU",
        "origin_place": "Brisbane",
        "destination_country": "TL",
        "destination_place": "Dili",
        "mode": "sea",
        "planned_dispatch": today().isoformat(),
        "expected_arrival": (today() + datetime.timedelta(days=14)).isoformat(),
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    } | fields


def test_the_create_page_shows_the_flags_and_asks_for_the_acknowledgement(client, officer, flagged):
    client.force_login(officer)
    before = Shipment.objects.count()
    data = _form_data(flagged)

    response = client.post(reverse("shipments:create"), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert Shipment.objects.count() == before
    assert '<div class="risk-flags"' in html and "1 shipment arrived and not confirmed after 20 days" in html
    assert 'name="risk_acknowledged"' in html
    assert response.context["form"].errors["risk_acknowledged"] == [
        "Yayasan Air Bersih (YAB) has risk flags; confirm that you have seen them."
    ]

    response = client.post(reverse("shipments:create"), data | {"risk_acknowledged": "on"})

    assert response.status_code == 302
    shipment = Shipment.objects.latest("pk")
    assert shipment.consignee == flagged
    assert shipment.history.earliest().history_change_reason == "Risk acknowledged: shipments.unconfirmed"


def test_the_create_page_shows_no_box_for_an_unflagged_consignee(client, officer, other_org):
    client.force_login(officer)
    assert 'name="risk_acknowledged"' not in client.get(reverse("shipments:create")).content.decode()
    response = client.post(reverse("shipments:create"), _form_data(other_org))
    assert response.status_code == 302


def test_the_api_asks_for_the_acknowledgement_too(officer, flagged):
    api = APIClient()
    api.force_authenticate(officer)
    data = _form_data(flagged)
    payload = {key: value for key, value in data.items() if not key.startswith("items-")}

    refused = api.post("/api/v1/shipments/", payload, format="json")

    assert refused.status_code == 400
    assert error_codes(refused) == {"risk_acknowledged": ["risk_not_acknowledged"]}
    created = api.post("/api/v1/shipments/", payload | {"risk_acknowledged": True}, format="json")
    assert created.status_code == 201
    shipment = Shipment.objects.get(pk=created.json()["id"])
    assert shipment.history.earliest().history_change_reason == "Risk acknowledged: shipments.unconfirmed"
