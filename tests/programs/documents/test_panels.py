"""The Documents sections of the programme page, the partner page and the partner portal: counts by type, the
latest documents with their newest file, and the same number of queries at 10 and at 200 documents."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.documents.models import Document, DocumentVersion, Visibility
from tests.programs.documents.factories import make_document, png


def test_programme_page_lists_its_documents_with_counts_and_upload_link(client, officer, own_programme):
    make_document(officer, programme=own_programme, title="Grant agreement")
    make_document(officer, programme=own_programme, title="Well photo", kind="photo", file=png())
    client.force_login(officer)
    page = client.get(reverse("programs:detail", args=[own_programme.pk])).text
    assert 'id="documents"' in page
    assert "2 documents" in page and "Agreement or MoU 1" in page and "Photo 1" in page
    assert "Grant agreement" in page and "Well photo" in page
    assert f"{reverse('documents:upload')}?programme={own_programme.pk}" in page


def test_partner_page_lists_the_partners_documents(client, officer, auditor, partner_org):
    make_document(officer, organisation=partner_org, title="Memorandum of understanding")
    client.force_login(officer)
    page = client.get(reverse("partners:detail", args=[partner_org.pk])).text
    assert "Memorandum of understanding" in page and "1 document" in page
    client.force_login(auditor)
    page = client.get(reverse("partners:detail", args=[partner_org.pk])).text
    assert "Memorandum of understanding" in page and "Upload a document" not in page


def test_portal_shows_only_documents_shared_with_the_partner(client, officer, partner_user, partner_org, own_programme):
    make_document(officer, organisation=partner_org, title="MoU with the partner")
    make_document(officer, organisation=partner_org, title="Due diligence note", visibility=Visibility.STAFF)
    make_document(officer, programme=own_programme, title="Programme agreement")
    make_document(officer, programme=own_programme, title="Staff memo", visibility=Visibility.STAFF)
    client.force_login(partner_user)
    home = client.get(reverse("portal:home")).text
    assert "MoU with the partner" in home and "Programme agreement" in home
    assert "Due diligence note" not in home and "Staff memo" not in home
    programme_page = client.get(reverse("portal:programme", args=[own_programme.pk])).text
    assert "Programme agreement" in programme_page and "MoU with the partner" not in programme_page
    assert "Staff memo" not in programme_page
    listing = client.get(reverse("documents_portal:list")).text
    assert "MoU with the partner" in listing and "Due diligence note" not in listing


def test_portal_home_says_nothing_of_documents_when_none_is_shared(client, officer, partner_user, partner_org):
    make_document(officer, organisation=partner_org, title="Due diligence note", visibility=Visibility.STAFF)
    client.force_login(partner_user)
    assert 'id="documents"' not in client.get(reverse("portal:home")).text


def _grow(officer, count: int, **place):
    """``count`` more documents with two versions each, written in bulk (the service is tested elsewhere)."""
    model = make_document(officer, **place)
    version = model.versions.get()
    documents = Document.objects.bulk_create(
        Document(
            title=f"Report {n}",
            kind="report",
            dated=model.dated,
            visibility=Visibility.PARTNER,
            created_by=officer,
            **place,
        )
        for n in range(count - 1)
    )
    DocumentVersion.objects.bulk_create(
        DocumentVersion(
            document=document,
            number=number,
            file=version.file.name,
            original_name=f"report-{number}.pdf",
            content_type="application/pdf",
            size=version.size,
            uploaded_by=officer,
        )
        for document in documents
        for number in (1, 2)
    )


def _queries(client, url) -> int:
    client.get(url)  # the first page of a session fills caches (content types, the session row)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("user", "page", "place"),
    [
        ("officer", "programme", "programme"),
        ("officer", "partner", "organisation"),
        ("partner_user", "portal_home", "organisation"),
        ("partner_user", "portal_programme", "programme"),
    ],
)
def test_query_count_stays_flat_from_10_to_200_documents(
    client, request, officer, partner_org, own_programme, user, page, place
):
    record = own_programme if place == "programme" else partner_org
    url = {
        "programme": reverse("programs:detail", args=[own_programme.pk]),
        "partner": reverse("partners:detail", args=[partner_org.pk]),
        "portal_home": reverse("portal:home"),
        "portal_programme": reverse("portal:programme", args=[own_programme.pk]),
    }[page]
    client.force_login(request.getfixturevalue(user))
    _grow(officer, 10, **{place: record})
    few = _queries(client, url)
    _grow(officer, 190, **{place: record})
    assert "200 documents" in client.get(url).text
    assert _queries(client, url) == few
