"""Documents in the IATI file: links to the portal download of the documents meant for partners, valid against the
IATI 2.03 schema; staff-only, withdrawn and untyped documents are never named."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation import registry
from programs.documents import services
from programs.documents.iati import parts
from programs.documents.models import DocumentKind, Visibility
from tests.factories import OrganisationFactory, ProgrammeFactory
from tests.programs.documents.factories import make_document, pdf, png
from tests.programs.iati_helpers import split, validated

pytestmark = pytest.mark.django_db


def test_documents_contribute_to_the_iati_file():
    assert parts in registry.contributors(registry.IATI)


def test_a_partner_document_links_to_its_current_version_in_the_portal(officer, manager, settings):
    settings.SITE_URL = "https://kerjasama.example.org"
    programme = ProgrammeFactory()
    agreement = make_document(officer, programme=programme, title="Loan agreement", dated=datetime.date(2026, 2, 3))
    newest = services.version_add(document=agreement, uploaded_by=officer, file=pdf("agreement-signed.pdf"))
    make_document(officer, programme=programme, title="New pump", kind=DocumentKind.PHOTO, file=png())
    make_document(officer, programme=programme, title="Internal memo", visibility=Visibility.STAFF)
    make_document(officer, programme=programme, title="Miscellaneous", kind=DocumentKind.OTHER)
    withdrawn = make_document(officer, programme=programme, title="Draft MoU")
    services.document_withdraw(document=withdrawn, withdrawn_by=manager, reason="Superseded")
    make_document(officer, organisation=OrganisationFactory(), title="Partner statutes")

    found, problems = split(parts([programme]))
    activity = validated(programme, found)

    assert problems == []
    links = activity.findall("document-link")
    assert [link.findtext("title/narrative") for link in links] == ["New pump", "Loan agreement"]
    photo, agreement_link = links
    assert agreement_link.get("url") == f"https://kerjasama.example.org/portal/documents/versions/{newest.pk}/download/"
    assert agreement_link.get("format") == "application/pdf"
    assert agreement_link.find("category").get("code") == "A09"
    assert agreement_link.find("document-date").get("iso-date") == "2026-02-03"
    assert (photo.get("format"), photo.find("category").get("code")) == ("image/png", "A08")


def test_the_queries_do_not_grow_with_the_documents(officer):
    counts = []
    for size in (2, 10):
        programme = ProgrammeFactory()
        for index in range(size):
            make_document(officer, programme=programme, title=f"Report {index}", kind=DocumentKind.REPORT)
        with CaptureQueriesContext(connection) as queries:
            assert len(parts([programme])) == size
        counts.append(len(queries))

    assert counts == [1, 1]
