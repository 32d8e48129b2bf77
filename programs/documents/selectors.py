"""Reads of documents, scoped to who asks.

Staff who see everything (officers, managers, auditors, administrators) see every document, withdrawn ones too.
A partner user sees only documents marked "partner and staff", not withdrawn, that belong to their own
organisation or to a programme their organisation takes part in; any other document or file is a 404.
"""

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.documents.models import Document, DocumentVersion, Visibility
from programs.models import Participation


def _partner_scope(organisation_ids) -> Q:
    programmes = Participation.objects.filter(organisation_id__in=organisation_ids).values("programme_id")
    return Q(visibility=Visibility.PARTNER, withdrawn_at__isnull=True) & (
        Q(organisation_id__in=organisation_ids) | Q(programme_id__in=programmes)
    )


def _latest(field: str):
    latest = DocumentVersion.objects.filter(document_id=OuterRef("pk")).order_by("-number")
    return Subquery(latest.values(field)[:1])


def visible_documents(*, user, portal: bool = False) -> QuerySet[Document]:
    """The documents ``user`` may see, plain (for counting); ``portal``: as a partner sees them, even for a member
    who is staff too (the portal shows one side of things)."""
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_DOCUMENT)):
        return Document.objects.none()
    if sees_everything(user) and not portal:
        return Document.objects.all()
    return Document.objects.filter(_partner_scope(user_organisation_ids(user)))


def listed(documents: QuerySet[Document]) -> QuerySet[Document]:
    """``documents`` as lists show them: with their number of versions and their latest version's id and name (one
    query for a page of them)."""
    return (
        documents.select_related("programme", "organisation", "created_by")
        .annotate(
            version_count=Count("versions"),
            latest_number=Max("versions__number"),
            latest_id=_latest("pk"),
            latest_name=_latest("original_name"),
        )
        .order_by("-dated", "-pk")
    )


def document_list(*, user) -> QuerySet[Document]:
    return listed(visible_documents(user=user))


def portal_document_list(*, user) -> QuerySet[Document]:
    return listed(visible_documents(user=user, portal=True))


def document_get(*, user, pk) -> Document:
    document = get_object_or_404(document_list(user=user), pk=pk)
    return _with_versions(document)


def portal_document_get(*, user, pk) -> Document:
    return _with_versions(get_object_or_404(portal_document_list(user=user), pk=pk))


def _with_versions(document: Document) -> Document:
    document.version_rows = list(document.versions.select_related("uploaded_by").order_by("-number"))
    return document


def version_get(*, user, pk) -> DocumentVersion:
    """A version of a document ``user`` may see; 404 otherwise."""
    return get_object_or_404(
        DocumentVersion.objects.filter(document__in=visible_documents(user=user)).select_related("document"),
        pk=pk,
    )


def portal_version_get(*, user, pk) -> DocumentVersion:
    visible = visible_documents(user=user, portal=True)
    return get_object_or_404(DocumentVersion.objects.filter(document__in=visible).select_related("document"), pk=pk)


def programme_documents(*, user, programme) -> QuerySet[Document]:
    return document_list(user=user).filter(programme=programme)


def organisation_documents(*, user, organisation) -> QuerySet[Document]:
    return document_list(user=user).filter(organisation=organisation)


def kind_counts(documents: QuerySet[Document]) -> dict[str, int]:
    """How many documents of each type among ``documents`` (plain, from ``visible_documents``), in one query."""
    rows = documents.order_by().values("kind").annotate(count=Count("pk"))
    return {row["kind"]: row["count"] for row in rows}
