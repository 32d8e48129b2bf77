"""The partner portal's documents: those visible to the partner, of its own organisations and programmes, each with
its versions to download. Another organisation's document, or a staff-only one, is a 404."""

from django.shortcuts import render

from cooperation.pages import paginate
from cooperation.roles import Perm
from programs.documents import selectors
from programs.documents.files import version_response
from programs.portal.access import portal_page


@portal_page(perm=Perm.VIEW_DOCUMENT)
def document_list(request):
    page_obj = paginate(request, selectors.portal_document_list(user=request.user))
    return render(request, "documents/portal/document_list.html", {"page_obj": page_obj, "documents": page_obj})


@portal_page(perm=Perm.VIEW_DOCUMENT)
def document_detail(request, pk):
    document = selectors.portal_document_get(user=request.user, pk=pk)
    return render(request, "documents/portal/document_detail.html", {"document": document})


@portal_page(perm=Perm.VIEW_DOCUMENT)
def download(request, pk):
    return version_response(selectors.portal_version_get(user=request.user, pk=pk))
