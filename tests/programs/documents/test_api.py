"""Documents over the API: listed as the user may see them, uploaded as multipart, given versions, withdrawn."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from programs.documents.models import Document, Visibility
from tests.programs.documents.factories import make_document, pdf

URL = "/api/v1/documents/"


@pytest.fixture
def api():
    return APIClient()


def test_partner_user_lists_only_documents_shared_with_their_organisation(
    api, officer, partner_user, partner_org, other_org, own_programme
):
    shared = make_document(officer, organisation=partner_org, title="MoU")
    on_programme = make_document(officer, programme=own_programme, title="Agreement")
    make_document(officer, organisation=partner_org, title="Internal", visibility=Visibility.STAFF)
    other = make_document(officer, organisation=other_org, title="Other MoU")
    api.force_authenticate(partner_user)
    listed = api.get(URL).json()
    titles = {row["title"] for row in listed["results"]} if "results" in listed else {row["title"] for row in listed}
    assert titles == {"MoU", "Agreement"}
    assert api.get(f"{URL}{shared.pk}/").status_code == 200
    assert api.get(f"{URL}{on_programme.pk}/").status_code == 200
    assert api.get(f"{URL}{other.pk}/").status_code == 404


def test_officer_uploads_with_multipart_and_adds_a_version(api, officer, own_programme):
    api.force_authenticate(officer)
    created = api.post(
        URL,
        {
            "programme": own_programme.pk,
            "title": "Grant agreement",
            "kind": "agreement",
            "dated": "2026-03-01",
            "visibility": "partner",
            "file": pdf("draft.pdf"),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["programme"] == own_programme.pk and body["version_count"] == 1
    assert [version["name"] for version in body["versions"]] == ["draft.pdf"]
    added = api.post(f"{URL}{body['id']}/versions/", {"file": pdf("signed.pdf"), "note": "Signed"}, format="multipart")
    assert added.status_code == 201, added.json()
    versions = added.json()["versions"]
    assert [(version["number"], version["name"]) for version in versions] == [(2, "signed.pdf"), (1, "draft.pdf")]
    assert added.json()["latest_version"] == 2


def test_bad_upload_over_the_api_is_a_field_error(api, officer, own_programme):
    api.force_authenticate(officer)
    data = {"programme": own_programme.pk, "title": "Photo", "dated": "2026-03-01"}
    refused = api.post(URL, {**data, "file": SimpleUploadedFile("a.png", b"not a png")}, format="multipart")
    assert refused.status_code == 400
    assert "file" in str(refused.json())
    assert not Document.objects.exists()


def test_partner_user_cannot_upload_or_add_a_version(api, officer, partner_user, own_programme):
    api.force_authenticate(partner_user)
    data = {"programme": own_programme.pk, "title": "Mine", "dated": "2026-03-01", "file": pdf()}
    assert api.post(URL, data, format="multipart").status_code == 403
    document = make_document(officer, programme=own_programme)
    assert api.post(f"{URL}{document.pk}/versions/", {"file": pdf()}, format="multipart").status_code == 403
    assert not Document.objects.filter(title="Mine").exists()


def test_officer_withdraws_and_changes_a_document(api, officer, partner_user, own_programme):
    document = make_document(officer, programme=own_programme)
    api.force_authenticate(officer)
    changed = api.patch(f"{URL}{document.pk}/", {"title": "Agreement v2"}, format="json")
    assert changed.status_code == 200 and changed.json()["title"] == "Agreement v2"
    withdrawn = api.post(f"{URL}{document.pk}/withdraw/", {"reason": "Replaced"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn"] is True
    api.force_authenticate(partner_user)
    assert api.get(f"{URL}{document.pk}/").status_code == 404
