"""The consignee's receipt on a weak link, on a phone: opened from the waybill's QR code, typed, confirmed while
the network is down, kept on the phone through a reload, and sent, once, when the connection returns; a photo
of the damage goes with it, made smaller on the phone before it travels."""

import struct
import zlib
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programs.shipments import services
from programs.shipments.models import Receipt, ReceiptLine, ReceiptPhoto, ShipmentStatus
from programs.shipments.waybills import receipt_link
from tests.browser.conftest import close_and_settle
from tests.factories import PASSWORD
from tests.programs.shipments.factories import add_item, dispatched_shipment, draft_shipment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ORIGINAL_SIZE = (2400, 1800)


@pytest.fixture
def phone(chromium_browser, live_server, reference_data_db):
    context = chromium_browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    close_and_settle(context, live_server.url)


@pytest.fixture
def on_the_road(officer, partner_org, own_programme):
    """On its way to the partner's organisation: 100 bags of rice, in transit."""
    shipment = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme, items=0)
    add_item(shipment, officer, description="Rice, 25 kg bags", unit="bag", quantity=Decimal("100"))
    shipment = dispatched_shipment(shipment)
    return services.shipment_mark_in_transit(shipment=shipment, updated_by=officer)


def photo_png(width: int, height: int) -> bytes:
    """A photo-sized PNG (a colour gradient), built without an imaging library."""
    red = bytes(x * 255 // width for x in range(width))
    stripes = bytes(i % 256 for i in range(width + 256))
    rows = bytearray()
    for y in range(height):
        row = bytearray(width * 3)
        row[0::3], row[1::3], row[2::3] = red, bytes([y * 255 // height]) * width, stripes[y % 256 : y % 256 + width]
        rows += b"\x00" + row

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 1))
        + chunk(b"IEND", b"")
    )


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's frame header."""
    assert data[:3] == b"\xff\xd8\xff", "not a JPEG"
    position = 2
    while position < len(data):
        marker, length = data[position + 1], struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    raise AssertionError("no frame header")


def kept(page, shipment):
    return page.evaluate(f"window.localStorage.getItem('offline-receipt:shipment-{shipment.pk}')")


def sign_in_from_the_waybill(page, shipment, user, settings, live_server):
    settings.SITE_URL = live_server.url  # the address printed in the QR code
    page.goto(receipt_link(shipment))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", name="Confirm what arrived")).to_be_visible()
    assert page.url.endswith(reverse("shipments_portal:receive", args=[shipment.pk]))


def test_a_receipt_confirmed_offline_is_kept_and_sent_once_when_the_connection_returns(
    phone, on_the_road, partner_user, settings, live_server
):
    page = phone
    sign_in_from_the_waybill(page, on_the_road, partner_user, settings, live_server)
    original = photo_png(*ORIGINAL_SIZE)

    page.get_by_label("Good condition").fill("90")
    page.get_by_label("Damaged").fill("10")
    page.get_by_label("Reason for damage or loss").fill("Ten bags torn by the forklift")
    page.set_input_files("#id_photos", files=[{"name": "torn.png", "mimeType": "image/png", "buffer": original}])
    expect(page.locator("[data-photo-list]")).to_contain_text("torn.jpg")

    # Opened again (a closed tab, a crash): what was typed and the photo are still there.
    page.reload()
    expect(page.get_by_label("Good condition")).to_have_value("90")
    expect(page.get_by_label("Reason for damage or loss")).to_have_value("Ten bags torn by the forklift")
    expect(page.locator("#receipt-restored")).to_be_visible()
    expect(page.locator("[data-photo-list]")).to_contain_text("torn.jpg")

    # The network is cut; the consignee confirms anyway.
    page.context.set_offline(True)
    page.get_by_role("button", name="Confirm the receipt").click()
    expect(page.locator("#receipt-queued")).to_be_visible()
    expect(page.locator("#receipt-queued")).to_contain_text("saved on this device")
    expect(page.get_by_label("Damaged")).to_have_value("10")  # nothing lost on the page either
    assert kept(page, on_the_road) is not None
    assert not Receipt.objects.exists()

    # The connection returns: the receipt is sent by itself, and the result is shown.
    page.context.set_offline(False)
    expect(page.locator(".message-success")).to_contain_text("every item of shipment")
    assert page.url.endswith(reverse("shipments_portal:detail", args=[on_the_road.pk]))
    expect(page.locator("#receipts")).to_contain_text("Ten bags torn by the forklift")
    expect(page.locator("#receipts img")).to_have_count(1)
    assert kept(page, on_the_road) is None

    receipt = Receipt.objects.get()
    line = ReceiptLine.objects.get()
    assert (line.good, line.damaged, line.reason) == (Decimal(90), Decimal(10), "Ten bags torn by the forklift")
    assert receipt.idempotency_key is not None
    on_the_road.refresh_from_db()
    assert on_the_road.status == ShipmentStatus.RECEIVED

    # The photo travelled as a JPEG at most 1600 pixels on its longest side, smaller than the one taken.
    photo = ReceiptPhoto.objects.get(receipt=receipt)
    stored = photo.file.read()
    assert photo.content_type == "image/jpeg" and photo.original_name == "torn.jpg"
    assert jpeg_size(stored) == (1600, 1200)
    assert len(stored) < len(original)

    # The page shows the result once: coming back online again sends nothing more.
    page.context.set_offline(True)
    page.context.set_offline(False)
    page.reload()
    expect(page.locator("#receipts .receipt")).to_have_count(1)
    assert Receipt.objects.count() == 1


def test_a_receipt_whose_sending_failed_is_sent_when_the_page_is_opened_again(
    phone, on_the_road, partner_user, settings, live_server
):
    page = phone
    sign_in_from_the_waybill(page, on_the_road, partner_user, settings, live_server)
    receive_path = reverse("shipments_portal:receive", args=[on_the_road.pk])

    def drop_posts(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(f"**{receive_path}", drop_posts)
    page.get_by_label("Good condition").fill("40")
    page.get_by_role("button", name="Confirm the receipt").click()
    expect(page.locator("#receipt-queued")).to_be_visible()
    assert not Receipt.objects.exists()

    page.unroute(f"**{receive_path}")
    page.reload()  # the page opened again with a connection sends what waited on the phone
    expect(page.locator(".message-success")).to_contain_text("Thank you: your receipt is recorded.")
    assert kept(page, on_the_road) is None
    assert Receipt.objects.count() == 1
    assert ReceiptLine.objects.get().good == Decimal(40)
    on_the_road.refresh_from_db()
    assert on_the_road.status == ShipmentStatus.PARTIALLY_RECEIVED
