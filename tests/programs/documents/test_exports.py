"""The document lists as files: the officers' list with its programme and partner filters, and the portal's,
which holds only what is shared with the partner's own organisation and programmes."""

import datetime

import pytest
from django.urls import reverse

from programs.documents import services
from programs.documents.models import DocumentKind, Visibility
from tests.factories import ProgrammeFactory
from tests.programs.documents.factories import make_document, png
from tests.programs.export_sheets import export_queries, export_url, exported

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(officer, own_programme, foreign_programme, partner_org):
    agreement = make_document(officer, programme=own_programme, title="Grant agreement")
    services.version_add(document=agreement, uploaded_by=officer, file=png("signed.png"))
    memo = make_document(
        officer, programme=own_programme, title="Internal memo", visibility=Visibility.STAFF, kind=DocumentKind.OTHER
    )
    profile = make_document(officer, organisation=partner_org, title="Partner profile", dated=datetime.date(2026, 5, 2))
    foreign = make_document(officer, programme=foreign_programme, title="Cyclone plan")
    withdrawn = make_document(officer, programme=own_programme, title="Old budget")
    services.document_withdraw(document=withdrawn, withdrawn_by=officer, reason="Superseded")
    return agreement, memo, profile, foreign, withdrawn


def test_documents_export_as_the_list_shows_them(client, officer, documents):
    client.force_login(officer)

    header, rows = exported(client, "documents.documents")

    assert header[:5] == ("Title", "Type", "Date", "Programme", "Partner")
    by_title = {row["Title"]: row for row in rows}
    assert set(by_title) == {"Grant agreement", "Internal memo", "Partner profile", "Cyclone plan", "Old budget"}
    agreement = by_title["Grant agreement"]
    assert agreement["Type"] == "Agreement or MoU"
    assert agreement["Date"] == datetime.datetime(2026, 3, 1)
    assert agreement["Programme"] == "OWN-001" and agreement["Partner"] is None
    assert (agreement["Versions"], agreement["Latest version"], agreement["Latest file"]) == (2, 2, "signed.png")
    assert by_title["Internal memo"]["Visible to"] == "Staff only"
    assert by_title["Partner profile"]["Partner"] == "Yayasan Air Bersih"
    assert isinstance(by_title["Old budget"]["Withdrawn"], datetime.datetime)
    assert agreement["Withdrawn"] is None


def test_documents_export_follows_the_lists_filters(client, officer, documents, own_programme, partner_org):
    client.force_login(officer)

    _, of_programme = exported(client, "documents.documents", {"programme": own_programme.pk})
    _, of_partner = exported(client, "documents.documents", {"organisation": partner_org.pk})

    assert {row["Title"] for row in of_programme} == {"Grant agreement", "Internal memo", "Old budget"}
    assert [row["Title"] for row in of_partner] == ["Partner profile"]


def test_the_list_offers_the_export_with_its_filter(client, officer, documents, own_programme):
    client.force_login(officer)

    html = client.get(reverse("documents:list"), {"programme": own_programme.pk}).content.decode()

    assert f'href="{export_url("documents.documents")}?programme={own_programme.pk}"' in html


def test_partner_users_cannot_export_the_workspace_list(client, partner_user, documents):
    client.force_login(partner_user)

    assert client.get(export_url("documents.documents")).status_code == 403


@pytest.mark.parametrize("role", ["manager", "auditor", "admin_user"])
def test_staff_export_every_document(client, request, documents, role):
    client.force_login(request.getfixturevalue(role))

    assert len(exported(client, "documents.documents")[1]) == 5


def test_portal_export_holds_only_what_is_shared_with_the_partner(client, partner_user, other_partner_user, documents):
    client.force_login(partner_user)

    header, rows = exported(client, "documents_portal.documents")

    assert "Visible to" not in header and "Withdrawn" not in header
    assert {row["Title"] for row in rows} == {"Grant agreement", "Partner profile"}
    client.force_login(other_partner_user)
    assert [row["Title"] for row in exported(client, "documents_portal.documents")[1]] == ["Cyclone plan"]


def test_the_portal_list_offers_the_export(client, partner_user, documents):
    client.force_login(partner_user)

    html = client.get(reverse("documents_portal:list")).content.decode()

    assert f'href="{export_url("documents_portal.documents")}"' in html


def test_staff_without_an_organisation_cannot_export_the_portal_list(client, officer, admin_user, documents):
    for user in (officer, admin_user):
        client.force_login(user)
        assert client.get(export_url("documents_portal.documents")).status_code == 403


@pytest.mark.parametrize("source", ["documents.documents", "documents_portal.documents"])
def test_document_exports_cost_the_same_for_2_and_8_documents(client, officer, partner_user, partner_org, source):
    client.force_login(partner_user if source.startswith("documents_portal") else officer)

    def upload(count):
        for _number in range(count):
            make_document(officer, organisation=partner_org)
            make_document(officer, programme=ProgrammeFactory(), visibility=Visibility.STAFF)

    upload(2)
    few = export_queries(client, source)
    upload(6)

    assert export_queries(client, source) == few
