"""The admin reads documents and their history; it changes nothing (writes go through the pages' services)."""

from django.urls import reverse

from programs.documents import services
from tests.programs.documents.factories import make_document


def test_admin_lists_documents_and_shows_their_history(client, admin_user, officer, partner_org):
    document = make_document(officer, organisation=partner_org, title="MoU")
    services.document_change(document=document, changed_by=officer, title="MoU 2026")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:documents_document_changelist"))
    assert listing.status_code == 200 and "MoU 2026" in listing.text
    history = client.get(reverse("admin:documents_document_history", args=[document.pk]))
    assert history.status_code == 200 and "officer" in history.text
    change = client.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert change.status_code == 200 and "agreement.pdf" in change.text
    versions = client.get(reverse("admin:documents_documentversion_changelist"))
    assert versions.status_code == 200 and "agreement.pdf" in versions.text
