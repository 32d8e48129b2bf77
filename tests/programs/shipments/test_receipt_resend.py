"""A receipt sent twice is recorded once: every submission carries a key, and the same key again (a retry after a
dropped connection, a second tap, two sendings at the same moment) finds the receipt the first one made. Photos
of what arrived go with it, checked by their content, and are shown only to those who see the shipment."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.shipments import services
from programs.shipments.models import Receipt, ReceiptLine, ReceiptPhoto, ShipmentStatus
from tests.concurrency import run_together
from tests.programs.shipments.factories import add_item, arrived_shipment, consignee_user, draft_shipment, today

pytestmark = pytest.mark.django_db

# The smallest files that begin like a JPEG and a PNG: the server checks the content, not the name.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def arrived(officer, partner_org, own_programme):
    """Arrived at the partner's organisation: 100 bags of rice."""
    shipment = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme, items=0)
    add_item(shipment, officer, description="Rice, 25 kg bags", unit="bag", quantity=Decimal("100"))
    return arrived_shipment(shipment)


@pytest.fixture
def foreign(officer, other_org, foreign_programme):
    return arrived_shipment(draft_shipment(created_by=officer, consignee=other_org, programme=foreign_programme))


def _confirm(shipment, user, *, good="60", damaged="0", key=None, photos=()):
    item = shipment.items.get()
    reason = "Torn bags" if damaged != "0" else ""
    return services.receipt_confirm(
        shipment=shipment,
        received_by=user,
        received_on=today(),
        lines=[{"item": item, "good": good, "damaged": damaged, "lost": "0", "reason": reason}],
        idempotency_key=key,
        photos=photos,
    )


def _codes(error: ValidationError, field: str) -> list[str]:
    return [single.code for single in error.error_dict[field]]


# --- the service --------------------------------------------------------------------------------------------------


def test_the_same_submission_twice_is_one_receipt(arrived, partner_user):
    key = uuid.uuid4()
    first = _confirm(arrived, partner_user, key=key)
    again = _confirm(arrived, partner_user, key=key)

    assert again.pk == first.pk
    assert again.repeated and not first.repeated
    assert Receipt.objects.filter(shipment=arrived).count() == 1
    assert ReceiptLine.objects.get(receipt=first).good == Decimal("60")
    arrived.refresh_from_db()
    assert arrived.status == ShipmentStatus.PARTIALLY_RECEIVED


def test_the_same_submission_again_after_everything_is_counted_is_not_refused(arrived, partner_user):
    key = uuid.uuid4()
    first = _confirm(arrived, partner_user, good="100", key=key)
    arrived.refresh_from_db()
    assert arrived.status == ShipmentStatus.RECEIVED

    assert _confirm(arrived, partner_user, good="100", key=key).pk == first.pk
    assert Receipt.objects.filter(shipment=arrived).count() == 1


def test_submissions_with_different_keys_are_different_receipts(arrived, partner_user):
    _confirm(arrived, partner_user, good="30", key=uuid.uuid4())
    _confirm(arrived, partner_user, good="30", key=uuid.uuid4())
    _confirm(arrived, partner_user, good="30")  # a client that sends no key: a new receipt each time

    assert Receipt.objects.filter(shipment=arrived).count() == 3


def test_a_key_used_for_another_shipment_is_refused(arrived, partner_user, officer, partner_org, own_programme):
    other = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme)
    other = arrived_shipment(other)
    key = uuid.uuid4()
    _confirm(arrived, partner_user, key=key)

    with pytest.raises(ValidationError) as refused:
        _confirm(other, partner_user, key=key)

    assert _codes(refused.value, "idempotency_key") == ["idempotency_key_reused"]
    assert not Receipt.objects.filter(shipment=other).exists()


def test_a_key_that_is_not_one_is_refused(arrived, partner_user):
    with pytest.raises(ValidationError) as refused:
        _confirm(arrived, partner_user, key="not-a-key")

    assert _codes(refused.value, "idempotency_key") == ["idempotency_key_invalid"]
    assert not Receipt.objects.exists()


def test_another_organisation_cannot_replay_a_key(arrived, partner_user, other_partner_user):
    key = uuid.uuid4()
    _confirm(arrived, partner_user, key=key)

    with pytest.raises(PermissionDenied):
        _confirm(arrived, other_partner_user, key=key)

    assert Receipt.objects.count() == 1


def test_photos_are_kept_with_the_receipt(arrived, partner_user):
    receipt = _confirm(
        arrived,
        partner_user,
        damaged="5",
        key=uuid.uuid4(),
        photos=[SimpleUploadedFile("bags.jpg", JPEG), SimpleUploadedFile("seal.png", PNG)],
    )

    photos = list(receipt.photos.order_by("pk"))
    assert [(p.original_name, p.content_type, p.size) for p in photos] == [
        ("bags.jpg", "image/jpeg", len(JPEG)),
        ("seal.png", "image/png", len(PNG)),
    ]
    assert photos[0].file.read() == JPEG


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("bags.jpg", b"%PDF-1.4 not a photo"),
        SimpleUploadedFile("bags.pdf", JPEG),
        SimpleUploadedFile("bags.jpg", b""),
    ],
    ids=["pdf-renamed", "photo-named-pdf", "empty"],
)
def test_a_file_that_is_not_a_photo_records_nothing(arrived, partner_user, upload):
    with pytest.raises(ValidationError) as refused:
        _confirm(arrived, partner_user, key=uuid.uuid4(), photos=[upload])

    assert refused.value.message_dict["photos"]
    assert not Receipt.objects.exists() and not ReceiptPhoto.objects.exists()


def test_a_photo_too_large_or_too_many_photos_are_refused(arrived, partner_user, settings):
    settings.RECEIPT_PHOTO_MAX_BYTES = 50
    with pytest.raises(ValidationError) as too_large:
        _confirm(arrived, partner_user, photos=[SimpleUploadedFile("bags.jpg", JPEG)])
    assert "larger than" in too_large.value.message_dict["photos"][0]

    settings.RECEIPT_PHOTO_MAX_BYTES = 1024
    six = [SimpleUploadedFile(f"bags-{n}.jpg", JPEG) for n in range(6)]
    with pytest.raises(ValidationError) as too_many:
        _confirm(arrived, partner_user, photos=six)
    assert _codes(too_many.value, "photos") == ["too_many_photos"]
    assert not Receipt.objects.exists()


# --- two sendings at the same moment (PostgreSQL runs them together) -------------------------------------------------


def test_the_same_submission_sent_twice_at_once_is_recorded_once(reference_data_db):
    from programs.shipments.models import Shipment
    from tests.factories import OrganisationFactory

    consignee = OrganisationFactory()
    shipment = arrived_shipment(draft_shipment(consignee=consignee))
    user = consignee_user(consignee)
    key = uuid.uuid4()

    def send():
        return _confirm(Shipment.objects.get(pk=shipment.pk), user, good="40", key=key)

    results = run_together(send, send)

    assert all(isinstance(result, Receipt) for result in results), results
    assert results[0].pk == results[1].pk
    assert sorted(result.repeated for result in results) == [False, True]
    assert Receipt.objects.filter(shipment=shipment).count() == 1
    assert ReceiptLine.objects.get(receipt__shipment=shipment).good == Decimal("40")


def test_one_key_sent_at_once_for_two_shipments_is_recorded_once(reference_data_db):
    from programs.shipments.models import Shipment
    from tests.factories import OrganisationFactory

    consignee = OrganisationFactory()
    first = arrived_shipment(draft_shipment(consignee=consignee))
    second = arrived_shipment(draft_shipment(consignee=consignee))
    user = consignee_user(consignee)
    key = uuid.uuid4()

    results = run_together(
        lambda: _confirm(Shipment.objects.get(pk=first.pk), user, key=key),
        lambda: _confirm(Shipment.objects.get(pk=second.pk), user, key=key),
    )

    recorded = [result for result in results if isinstance(result, Receipt)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert (len(recorded), len(refused)) == (1, 1), results
    assert _codes(refused[0], "idempotency_key") == ["idempotency_key_reused"]
    assert Receipt.objects.filter(idempotency_key=key).count() == 1


# --- the portal page ----------------------------------------------------------------------------------------------


def _receive_url(shipment):
    return reverse("shipments_portal:receive", args=[shipment.pk])


def _posted(shipment, *, key, good="60", damaged="", reason="", photos=()):
    item = shipment.items.get()
    return {
        "received_on": today().isoformat(),
        "note": "",
        "idempotency_key": str(key),
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1",
        "lines-0-item": str(item.pk),
        "lines-0-good": good,
        "lines-0-damaged": damaged,
        "lines-0-lost": "",
        "lines-0-reason": reason,
        "photos": list(photos),
    }


def test_the_form_carries_a_new_key_each_time_it_is_shown(client, partner_user, arrived):
    client.force_login(partner_user)

    keys = [client.get(_receive_url(arrived)).context["form"]["idempotency_key"].value() for _ in range(2)]

    assert keys[0] != keys[1]
    assert all(uuid.UUID(str(key)) for key in keys)


def test_posting_the_same_form_twice_records_once_and_answers_the_same(client, partner_user, arrived):
    client.force_login(partner_user)
    key = uuid.uuid4()

    first = client.post(_receive_url(arrived), _posted(arrived, key=key), follow=True)
    again = client.post(_receive_url(arrived), _posted(arrived, key=key), follow=True)

    detail = reverse("shipments_portal:detail", args=[arrived.pk])
    assert first.redirect_chain == again.redirect_chain == [(detail, 302)]
    assert "Thank you: your receipt is recorded." in first.content.decode()
    assert "This receipt was already recorded" in again.content.decode()
    assert "nothing was counted twice" in again.content.decode()
    assert Receipt.objects.filter(shipment=arrived).count() == 1
    assert ReceiptLine.objects.get(receipt__shipment=arrived).good == Decimal("60")


def test_posting_the_same_form_again_once_everything_is_counted_answers_the_same(client, partner_user, arrived):
    client.force_login(partner_user)
    key = uuid.uuid4()
    client.post(_receive_url(arrived), _posted(arrived, key=key, good="100"))

    again = client.post(_receive_url(arrived), _posted(arrived, key=key, good="100"))

    assert again.status_code == 302
    assert again["Location"] == reverse("shipments_portal:detail", args=[arrived.pk])
    assert Receipt.objects.filter(shipment=arrived).count() == 1


def test_a_key_of_another_shipment_is_refused_next_to_the_form(
    client, partner_user, arrived, officer, partner_org, own_programme
):
    other = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme))
    client.force_login(partner_user)
    key = uuid.uuid4()
    client.post(_receive_url(arrived), _posted(arrived, key=key))

    response = client.post(_receive_url(other), _posted(other, key=key))

    assert response.status_code == 200
    assert "This submission key was already used" in response.content.decode()
    assert not Receipt.objects.filter(shipment=other).exists()


def test_photos_posted_with_the_form_are_shown_to_staff_and_the_consignee_only(
    client, partner_user, other_partner_user, officer, arrived
):
    client.force_login(partner_user)
    photos = [SimpleUploadedFile("bags.jpg", JPEG, "image/jpeg"), SimpleUploadedFile("seal.png", PNG, "image/png")]
    posted = _posted(arrived, key=uuid.uuid4(), good="90", damaged="10", reason="Torn bags", photos=photos)
    response = client.post(_receive_url(arrived), posted, follow=True)

    first, second = ReceiptPhoto.objects.order_by("pk")
    portal_url = reverse("shipments_portal:receipt_photo", args=[first.pk])
    assert portal_url in response.content.decode()
    download = client.get(portal_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == JPEG
    assert download["Content-Type"] == "image/jpeg"

    client.force_login(officer)
    staff_page = client.get(reverse("shipments:detail", args=[arrived.pk])).content.decode()
    staff_url = reverse("shipments:receipt_photo", args=[second.pk])
    assert staff_url in staff_page
    assert client.get(staff_url).status_code == 200

    client.force_login(other_partner_user)
    assert client.get(portal_url).status_code == 404
    assert client.get(reverse("shipments:receipt_photo", args=[first.pk])).status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_next_to_the_field(client, partner_user, arrived):
    client.force_login(partner_user)
    posted = _posted(arrived, key=uuid.uuid4(), photos=[SimpleUploadedFile("bags.jpg", b"MZ not a photo")])

    response = client.post(_receive_url(arrived), posted)

    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == ["bags.jpg is not a photo (JPEG or PNG)."]
    assert not Receipt.objects.exists()


def test_another_organisation_cannot_post_to_the_receipt(client, other_partner_user, arrived):
    client.force_login(other_partner_user)

    response = client.post(_receive_url(arrived), _posted(arrived, key=uuid.uuid4()))

    assert response.status_code == 404
    assert not Receipt.objects.exists()


# --- the API ------------------------------------------------------------------------------------------------------

RECEIPTS = "/api/v1/receipts/"


def _api(user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(user)
    return api


def _body(shipment, good="60"):
    item = shipment.items.get()
    return {"shipment": shipment.pk, "received_on": str(today()), "lines": [{"item": item.pk, "good": good}]}


def test_the_api_records_a_receipt_sent_twice_with_one_key_once(partner_user, arrived):
    api = _api(partner_user)
    key = str(uuid.uuid4())

    first = api.post(RECEIPTS, _body(arrived), format="json", headers={"Idempotency-Key": key})
    again = api.post(RECEIPTS, _body(arrived), format="json", headers={"Idempotency-Key": key})
    in_body = api.post(RECEIPTS, _body(arrived) | {"idempotency_key": key}, format="json")

    assert first.status_code == again.status_code == in_body.status_code == 201
    assert first.json() == again.json() == in_body.json()
    assert "Idempotent-Replayed" not in first and again["Idempotent-Replayed"] == "true"
    assert Receipt.objects.filter(shipment=arrived).count() == 1
    assert str(Receipt.objects.get().idempotency_key) == key


def test_the_api_refuses_a_key_of_another_shipment_or_two_different_keys(
    partner_user, arrived, officer, partner_org, own_programme
):
    other = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme))
    api = _api(partner_user)
    key = str(uuid.uuid4())
    api.post(RECEIPTS, _body(arrived), format="json", headers={"Idempotency-Key": key})

    reused = api.post(RECEIPTS, _body(other), format="json", headers={"Idempotency-Key": key})
    differ = api.post(
        RECEIPTS, _body(other) | {"idempotency_key": str(uuid.uuid4())}, format="json", headers={"Idempotency-Key": key}
    )
    not_a_key = api.post(RECEIPTS, _body(other), format="json", headers={"Idempotency-Key": "twice"})

    assert reused.status_code == differ.status_code == not_a_key.status_code == 400
    assert "already used for another shipment" in str(reused.json())
    assert "differ" in str(differ.json())
    assert "not valid" in str(not_a_key.json())
    assert not Receipt.objects.filter(shipment=other).exists()
