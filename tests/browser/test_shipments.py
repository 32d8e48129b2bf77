"""A humanitarian shipment from the officer's packing list to the consignee's count, in a real browser.

The officer prepares a shipment with two items and locks the packing list; a manager (not the officer) approves
the dispatch; the officer records it; the consignee's partner user, on a phone, confirms the receipt item by
item with part of one item damaged; the officer finds the discrepancy on the shipment and on the list.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cooperation.reference.codes import OrganisationRole
from cooperation.roles import Role
from partners.models import Membership
from programs.models import Participation
from programs.shipments.models import ReceiptLine, Shipment, ShipmentStatus
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def people(reference_data_db):
    consignee = OrganisationFactory(name="Yayasan Air Bersih", acronym="YAB")
    donor = OrganisationFactory(name="Pacific Relief Fund", acronym="PRF")
    consignor = OrganisationFactory(name="Brisbane Logistics Hub", acronym="BLH")
    programme = ProgrammeFactory(
        code="KSM-2026-SHIP", title="Flood relief supplies", is_in_kind=True, is_technical=False
    )
    Participation.objects.create(programme=programme, organisation=consignee, role=OrganisationRole.IMPLEMENTING)
    partner = UserFactory(username="partner", role=Role.PARTNER)
    Membership.objects.create(user=partner, organisation=consignee)
    return {
        "officer": UserFactory(username="officer", role=Role.OFFICER),
        "manager": UserFactory(username="manager", role=Role.MANAGER),
        "partner": partner,
        "consignee": consignee,
        "donor": donor,
        "consignor": consignor,
        "programme": programme,
    }


def fill_item(page, index: int, *, category, description, quantity, unit, weight, value) -> None:
    prefix = f"#id_items-{index}-"
    page.select_option(f"{prefix}category", category)
    page.fill(f"{prefix}description", description)
    page.fill(f"{prefix}quantity", quantity)
    page.fill(f"{prefix}unit", unit)
    page.fill(f"{prefix}unit_weight_kg", weight)
    page.fill(f"{prefix}unit_value", value)
    page.select_option(f"{prefix}currency", "USD")


def status_of(page):
    return page.locator("#status [data-status]")


def test_shipment_prepared_approved_dispatched_and_received_with_damage(browser_page, people):
    page = browser_page
    today = timezone.localdate()

    # 1. The officer prepares the shipment and its packing list on one page, then locks the list.
    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/shipments/new/")
    page.select_option("#id_programme", str(people["programme"].pk))
    page.select_option("#id_donor", str(people["donor"].pk))
    page.select_option("#id_consignor", str(people["consignor"].pk))
    page.select_option("#id_consignee", str(people["consignee"].pk))
    page.select_option("#id_origin_country", "AU")
    page.fill("#id_origin_place", "Brisbane")
    page.select_option("#id_destination_country", "TL")
    page.fill("#id_destination_place", "Dili")
    page.select_option("#id_mode", "sea")
    page.fill("#id_carrier", "Pacific Lines")
    page.fill("#id_planned_dispatch", today.isoformat())
    page.fill("#id_expected_arrival", (today + datetime.timedelta(days=14)).isoformat())
    fill_item(
        page, 0, category="food", description="Rice, 25 kg bags", quantity="100", unit="bag", weight="25", value="20"
    )
    fill_item(
        page, 1, category="wash", description="Water filters", quantity="40", unit="piece", weight="3", value="35"
    )
    page.get_by_role("button", name="Create draft shipment").click()

    shipment = Shipment.objects.get()
    expect(page.locator("h1")).to_contain_text(shipment.waybill)
    expect(status_of(page)).to_have_text("Draft")
    expect(page.locator("#items tbody tr")).to_have_count(2)
    expect(page.locator("[data-shipment-totals]")).to_contain_text("USD 3,400.00")  # 100 × 20 + 40 × 35

    page.get_by_role("button", name="Mark ready (lock the packing list)").click()
    expect(status_of(page)).to_have_text("Ready (packing list locked)")
    # The officer cannot approve the dispatch of what they prepared, and cannot dispatch before approval.
    expect(page.get_by_role("button", name="Approve dispatch")).to_have_count(0)
    expect(page.locator("#why-dispatch")).to_have_text("A manager must approve the dispatch first.")

    # 2. A manager approves the dispatch.
    page.context.clear_cookies()
    log_in(page, "manager", PASSWORD)
    page.goto(f"{page.base_url}/shipments/{shipment.pk}/")
    page.get_by_role("button", name="Approve dispatch").click()
    expect(page.locator(".messages")).to_contain_text(f"The dispatch of {shipment.waybill} was approved.")

    # 3. The officer records the dispatch (the date defaults to today).
    page.context.clear_cookies()
    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/shipments/{shipment.pk}/")
    page.locator("#action-dispatch summary").click()
    page.locator("#action-dispatch").get_by_role("button", name="Record dispatch").click()
    expect(status_of(page)).to_have_text("Dispatched")
    expect(page.locator("#timeline")).to_contain_text("Dispatched")

    # 4. The consignee's partner user counts what arrived, on a phone: 5 bags of rice damaged.
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    log_in(page, "partner", PASSWORD)
    page.goto(f"{page.base_url}/portal/shipments/")
    page.get_by_role("link", name=shipment.waybill).click()
    page.get_by_role("link", name="Confirm what arrived").click()
    rice = page.locator("fieldset.receipt-item", has_text="Rice, 25 kg bags")
    filters = page.locator("fieldset.receipt-item", has_text="Water filters")
    rice.get_by_label("Good condition").fill("95")
    rice.get_by_label("Damaged").fill("5")
    filters.get_by_label("Good condition").fill("40")
    page.get_by_role("button", name="Confirm the receipt").click()
    # A damaged quantity needs a reason: nothing is saved, the error sits on the rice.
    expect(rice).to_contain_text("Give a reason for anything damaged or lost.")
    assert not ReceiptLine.objects.exists()
    rice.get_by_label("Reason for damage or loss").fill("Bags torn and soaked in the hold")
    page.get_by_role("button", name="Confirm the receipt").click()
    expect(page.locator(".messages")).to_contain_text("every item of shipment")
    no_sideways_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_sideways_scroll
    assert Shipment.objects.get().status == ShipmentStatus.RECEIVED

    # 5. The officer sees the discrepancy: on the shipment, and on the list of discrepancies with the value.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/shipments/?has_discrepancy=true")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody tr")).to_contain_text("Discrepancy")
    page.goto(f"{page.base_url}/shipments/discrepancies/")
    row = page.locator("main tbody tr", has_text="Rice, 25 kg bags")
    expect(row).to_contain_text("Bags torn and soaked in the hold")
    expect(row).to_contain_text("USD 100.00")  # 5 bags × 20
    row.get_by_role("link", name=shipment.waybill).click()
    expect(page.locator("#receipts")).to_contain_text("Bags torn and soaked in the hold")
