"""Uploading a document, adding versions, changing and withdrawing it, as an officer does it on the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.documents.models import Document, DocumentVersion
from tests.programs.documents.factories import PDF, make_document, pdf, png


def _upload(client, place: dict, file, **fields):
    data = {"title": "Grant agreement", "kind": "agreement", "dated": "2026-03-01", "visibility": "partner"}
    return client.post(reverse("documents:upload"), {**data, **fields, **place, "file": file})


def test_officer_uploads_a_document_on_a_programme(client, officer, own_programme):
    client.force_login(officer)
    form = client.get(reverse("documents:upload"), {"programme": own_programme.pk})
    assert own_programme.code in form.text
    response = _upload(client, {"programme": own_programme.pk}, pdf("Signed agreement.pdf"))
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[document.pk])
    assert document.programme == own_programme and document.organisation is None
    assert document.visibility == "partner" and document.created_by == officer
    version = document.versions.get()
    assert (version.number, version.original_name, version.content_type) == (
        1,
        "Signed agreement.pdf",
        "application/pdf",
    )
    assert version.file.read() == PDF
    page = client.get(response["Location"])
    assert "Signed agreement.pdf" in page.text and "Partner and staff" in page.text


def test_officer_uploads_a_photo_on_a_partner(client, officer, partner_org):
    client.force_login(officer)
    _upload(client, {"organisation": partner_org.pk}, png("well.png"), kind="photo", visibility="staff")
    document = Document.objects.get()
    assert document.organisation == partner_org and document.kind == "photo"
    assert document.versions.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
        (SimpleUploadedFile("script.pdf", b"#!/bin/sh\nrm -rf /\n"), "not a photo (JPEG or PNG) or a PDF"),
        (
            SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50),
            "is not a photo (JPEG or PNG) or a PDF document",
        ),
        (SimpleUploadedFile("big.pdf", PDF + b" " * 2048), "is larger than"),
    ],
)
def test_bad_upload_is_a_field_error_and_saves_nothing(client, settings, officer, own_programme, file, message):
    settings.DOCUMENT_MAX_BYTES = len(PDF) + 1024
    client.force_login(officer)
    response = _upload(client, {"programme": own_programme.pk}, file)
    assert response.status_code == 400
    assert message in response.text
    assert 'id="field-file"' in response.text and "field-error" in response.text
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_a_document_needs_a_programme_or_a_partner(client, officer):
    client.force_login(officer)
    response = _upload(client, {}, pdf())
    assert response.status_code == 400
    assert "Attach the document to a programme or to a partner" in response.text
    assert not Document.objects.exists()


def test_a_new_version_keeps_the_old_ones_and_shows_as_latest(client, officer, own_programme):
    document = make_document(officer, programme=own_programme)
    client.force_login(officer)
    response = client.post(
        reverse("documents:add_version", args=[document.pk]), {"file": pdf("agreement-signed.pdf"), "note": "Signed"}
    )
    assert response.status_code == 302
    assert list(document.versions.values_list("number", "original_name")) == [
        (2, "agreement-signed.pdf"),
        (1, "agreement.pdf"),
    ]
    page = client.get(reverse("documents:detail", args=[document.pk]))
    latest = page.text.index("agreement-signed.pdf")
    assert latest < page.text.index("agreement.pdf<")
    assert "Latest" in page.text and "Signed" in page.text
    listing = client.get(reverse("documents:list"), {"programme": own_programme.pk})
    assert "agreement-signed.pdf" in listing.text and "(v2)" in listing.text


def test_a_bad_new_version_is_refused_beside_the_file(client, officer, own_programme):
    document = make_document(officer, programme=own_programme)
    client.force_login(officer)
    response = client.post(reverse("documents:add_version", args=[document.pk]), {"file": png("photo.jpg")})
    assert response.status_code == 400
    assert "is not a photo (JPEG or PNG) or a PDF document" in response.text
    assert document.versions.count() == 1


def test_changing_a_document_is_kept_in_its_history(client, officer, own_programme):
    document = make_document(officer, programme=own_programme, visibility="partner")
    client.force_login(officer)
    data = {"title": "Grant agreement (amended)", "kind": "agreement", "dated": "2026-04-01", "visibility": "staff"}
    assert client.post(reverse("documents:change", args=[document.pk]), data).status_code == 302
    document.refresh_from_db()
    assert document.title == "Grant agreement (amended)" and document.visibility == "staff"
    assert [entry.visibility for entry in document.history.order_by("history_id")] == ["partner", "staff"]


def test_withdrawing_needs_a_reason_and_deletes_nothing(client, officer, own_programme):
    document = make_document(officer, programme=own_programme)
    client.force_login(officer)
    refused = client.post(reverse("documents:withdraw", args=[document.pk]), {"reason": ""})
    assert refused.status_code == 400 and "Say why the document is withdrawn." in refused.text
    client.post(reverse("documents:withdraw", args=[document.pk]), {"reason": "Replaced"})
    document.refresh_from_db()
    assert document.is_withdrawn and document.withdrawn_by == officer
    assert document.versions.count() == 1
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert "Add a version" not in page.text
    refused = client.post(reverse("documents:add_version", args=[document.pk]), {"file": pdf()})
    assert refused.status_code == 400 and "This document was withdrawn." in refused.text
    assert document.versions.count() == 1


@pytest.mark.parametrize("value", ["9" * 40, "-1", "abc", "", "\x00"])
def test_nonsense_ids_in_the_address_are_not_server_errors(client, officer, value):
    client.force_login(officer)
    # A NUL in the address is refused by the middleware before any view (400).
    assert client.get(reverse("documents:upload"), {"programme": value}).status_code in (200, 400, 404)
    listing = client.get(reverse("documents:list"), {"organisation": value, "programme": value})
    assert listing.status_code in (200, 400)
    response = client.post(
        reverse("documents:upload"),
        {"programme": value, "title": "x" * 300, "dated": "9999-12-31", "kind": "nope", "visibility": "", "file": ""},
    )
    assert response.status_code in (400, 404)
    assert not Document.objects.exists()


def test_hostile_values_in_the_api_are_field_errors(officer, own_programme):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(officer)
    for programme in ("9" * 40, "-1", "abc"):
        body = {"programme": programme, "title": "T", "dated": "2026-01-01", "file": pdf()}
        assert api.post("/api/v1/documents/", body, format="multipart").status_code == 400
    body = {"programme": own_programme.pk, "title": "T", "dated": "9999-12-31", "file": pdf()}
    assert api.post("/api/v1/documents/", body, format="multipart").status_code == 400
    assert not Document.objects.exists()
