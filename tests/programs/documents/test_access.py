"""Who may download which document: staff every one; a partner user only "partner and staff" documents of their
own organisation or of a programme it takes part in, and never a withdrawn one; anyone else gets a 404."""

import pytest
from django.urls import reverse

from programs.documents import services
from programs.documents.models import Visibility
from tests.programs.documents.factories import PDF, make_document


@pytest.fixture
def documents(officer, partner_org, other_org, own_programme, foreign_programme):
    return {
        "own_org_shared": make_document(officer, organisation=partner_org, title="MoU"),
        "own_org_staff": make_document(officer, organisation=partner_org, title="Due diligence", visibility="staff"),
        "own_programme_shared": make_document(officer, programme=own_programme, title="Agreement"),
        "own_programme_staff": make_document(
            officer, programme=own_programme, title="Internal memo", visibility=Visibility.STAFF
        ),
        "other_org_shared": make_document(officer, organisation=other_org, title="Other MoU"),
        "foreign_programme_shared": make_document(officer, programme=foreign_programme, title="Other agreement"),
    }


def _download(client, name, document, url_name):
    version = document.versions.get()
    return client.get(reverse(url_name, args=[version.pk]))


PARTNER_SEES = {"own_org_shared", "own_programme_shared"}


@pytest.mark.parametrize("url_name", ["documents:download", "documents_portal:download"])
def test_partner_user_downloads_only_shared_documents_of_their_own(client, partner_user, documents, url_name):
    client.force_login(partner_user)
    for name, document in documents.items():
        response = _download(client, name, document, url_name)
        expected = 200 if name in PARTNER_SEES else 404
        assert response.status_code == expected, name
        if expected == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Cache-Control"] == "private, no-store"
            assert "attachment" in response["Content-Disposition"]


def test_partner_of_another_organisation_gets_404_for_our_documents(client, other_partner_user, documents):
    client.force_login(other_partner_user)
    for name in ("own_org_shared", "own_programme_shared", "own_org_staff"):
        assert _download(client, name, documents[name], "documents:download").status_code == 404
        assert _download(client, name, documents[name], "documents_portal:download").status_code == 404
        assert client.get(reverse("documents_portal:detail", args=[documents[name].pk])).status_code == 404
    assert _download(client, "", documents["other_org_shared"], "documents_portal:download").status_code == 200


@pytest.mark.parametrize("role", ["officer", "manager", "auditor"])
def test_staff_download_every_document(client, role, request, documents):
    client.force_login(request.getfixturevalue(role))
    for name, document in documents.items():
        assert _download(client, name, document, "documents:download").status_code == 200, name


def test_anonymous_visitor_is_sent_to_log_in(client, documents):
    response = _download(client, "", documents["own_org_shared"], "documents:download")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_withdrawn_document_is_gone_for_the_partner_but_kept_for_staff(client, officer, partner_user, documents):
    document = documents["own_org_shared"]
    services.document_withdraw(document=document, withdrawn_by=officer, reason="Superseded by the 2027 MoU")
    client.force_login(partner_user)
    assert _download(client, "", document, "documents_portal:download").status_code == 404
    assert client.get(reverse("documents_portal:detail", args=[document.pk])).status_code == 404
    client.force_login(officer)
    page = client.get(reverse("documents:detail", args=[document.pk]))
    assert "Withdrawn" in page.text and "Superseded by the 2027 MoU" in page.text
    assert _download(client, "", document, "documents:download").status_code == 200


def test_partner_user_cannot_open_the_workspace_pages(client, partner_user, documents):
    client.force_login(partner_user)
    assert client.get(reverse("documents:detail", args=[documents["own_org_shared"].pk])).status_code == 404
    assert client.get(reverse("documents:list")).status_code == 403
    assert client.get(reverse("documents:upload")).status_code == 403


def test_auditor_reads_but_cannot_upload(client, auditor, documents):
    client.force_login(auditor)
    page = client.get(reverse("documents:detail", args=[documents["own_org_staff"].pk]))
    assert page.status_code == 200
    assert "Add a version" not in page.text and "Withdraw" not in page.text
    assert client.get(reverse("documents:upload")).status_code == 403
