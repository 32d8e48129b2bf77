"""A programme's documents in its IATI activity: each ``document-link`` names a document meant for partners.

Documents are private files. Only those shown to partners and staff, not withdrawn, are linked, and the link is
the partner portal's download of the current version (absolute, from ``SITE_URL``): it asks for a login, and opens
only to members of the programme's partners. A staff-only document is never named in the public file.

The document's type gives its IATI DocumentCategory: an agreement or MoU is A09 (memorandum of understanding), a
report A07 (review of project performance and evaluation), a photo A08 (results, outcomes and outputs: what the
programme made or did). The codelist has no category for "other", so a document of that type stays out of the
file until it is given a type that says what it is.
"""

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from lxml import etree

from cooperation.iati import Part, narrative
from programs.documents.models import Document, DocumentKind, DocumentVersion, Visibility

CATEGORY = {DocumentKind.AGREEMENT: "A09", DocumentKind.REPORT: "A07", DocumentKind.PHOTO: "A08"}
UNKNOWN_FORMAT = "application/octet-stream"


def _latest(field: str) -> Subquery:
    latest = DocumentVersion.objects.filter(document_id=OuterRef("pk")).order_by("-number")
    return Subquery(latest.values(field)[:1])


def download_url(version_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("documents_portal:download", args=[version_id])


def _link(document: Document) -> etree._Element:
    element = etree.Element(
        "document-link", url=download_url(document.latest_id), format=document.latest_type or UNKNOWN_FORMAT
    )
    narrative(etree.SubElement(element, "title"), document.title)
    etree.SubElement(element, "category", code=CATEGORY[DocumentKind(document.kind)])
    etree.SubElement(element, "document-date", **{"iso-date": document.dated.isoformat()})
    return element


def parts(programmes) -> list[Part]:
    """Documents' contribution to the IATI file for ``programmes``: one query however many documents."""
    documents = (
        Document.objects.filter(
            programme_id__in=[programme.pk for programme in programmes],
            visibility=Visibility.PARTNER,
            withdrawn_at__isnull=True,
            kind__in=list(CATEGORY),
        )
        .annotate(latest_id=_latest("pk"), latest_type=_latest("content_type"))
        .filter(latest_id__isnull=False)
        .order_by("programme_id", "-dated", "-pk")
    )
    return [Part(document.programme_id, _link(document)) for document in documents]
