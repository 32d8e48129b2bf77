"""The officers' pages: all documents, uploading one to a programme or a partner, a document's page with its
versions (adding one, changing what it says, withdrawing it) and the download of any version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cooperation.pages import list_page, posted, saved_from, workspace_page
from cooperation.roles import Perm
from partners.selectors import organisation_get
from programs.documents import selectors, services
from programs.documents.files import version_response
from programs.documents.forms import DocumentForm, UploadForm, VersionForm, WithdrawForm
from programs.selectors import programme_get


def _id(value: str) -> int | None:
    """A record id typed in a query string: whole and small enough for the database, or None."""
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _place(request):
    """The programme or partner a new document is for, read through the selectors (404 when not visible)."""
    source = request.POST if request.method == "POST" else request.GET
    programme_id, organisation_id = _id(source.get("programme", "")), _id(source.get("organisation", ""))
    if programme_id is not None:
        return programme_get(user=request.user, pk=programme_id), None
    if organisation_id is not None:
        return None, organisation_get(user=request.user, pk=organisation_id)
    return None, None


def listed_documents(request):
    """The documents the list shows: those the user may see, of one ``programme`` or ``organisation`` (ids) when
    the query names one. ``request`` needs only ``user`` and ``GET`` (the list's export reads it too)."""
    documents = selectors.document_list(user=request.user)
    programme_id, organisation_id = _id(request.GET.get("programme", "")), _id(request.GET.get("organisation", ""))
    if programme_id is not None:
        documents = documents.filter(programme_id=programme_id)
    if organisation_id is not None:
        documents = documents.filter(organisation_id=organisation_id)
    return documents


@workspace_page(perm=Perm.VIEW_DOCUMENT)
def document_list(request):
    return list_page(request, "documents/document_list.html", listed_documents(request), name="documents")


@workspace_page(perm=Perm.ADD_DOCUMENT)
def upload(request):
    programme, organisation = _place(request)
    form = UploadForm(posted(request), request.FILES or None)
    document = saved_from(
        request,
        form,
        services.document_upload,
        uploaded_by=request.user,
        programme=programme,
        organisation=organisation,
    )
    if document is not None:
        messages.success(request, _("%(title)s was uploaded.") % {"title": document.title})
        return redirect("documents:detail", pk=document.pk)
    context = {"form": form, "programme": programme, "organisation": organisation}
    return render(request, "documents/upload.html", context, status=400 if form.errors else 200)


def _detail_page(request, document, *, version_form=None, change_form=None, withdraw_form=None, status=200):
    user = request.user
    refusals = {move: services.document_move_refusal(document, user, move) for move in services.MOVES}
    initial = {field: getattr(document, field) for field in services.EDITABLE_FIELDS}
    context = {
        "document": document,
        "versions": document.version_rows,
        "version_form": (version_form or VersionForm()) if refusals["add_version"] is None else None,
        "change_form": (change_form or DocumentForm(initial=initial)) if refusals["change"] is None else None,
        "withdraw_form": (withdraw_form or WithdrawForm()) if refusals["withdraw"] is None else None,
    }
    return render(request, "documents/document_detail.html", context, status=status)


@workspace_page(object_page=True, perm=Perm.VIEW_DOCUMENT)
def document_detail(request, pk):
    return _detail_page(request, selectors.document_get(user=request.user, pk=pk))


def _move(request, pk, form_class, service, form_name, done, **arguments):
    document = selectors.document_get(user=request.user, pk=pk)
    form = form_class(request.POST, request.FILES or None)
    if saved_from(request, form, service, document=document, **arguments) is None:
        for error in form.non_field_errors():
            messages.error(request, error)
        document = selectors.document_get(user=request.user, pk=pk)
        return _detail_page(request, document, status=400, **{form_name: form})
    messages.success(request, done % {"title": document.title})
    return redirect("documents:detail", pk=document.pk)


@workspace_page(object_page=True, perm=Perm.ADD_DOCUMENT)
def add_version(request, pk):
    if request.method != "POST":
        return redirect("documents:detail", pk=pk)
    return _move(
        request,
        pk,
        VersionForm,
        services.version_add,
        "version_form",
        _("A new version of %(title)s was added."),
        uploaded_by=request.user,
    )


@workspace_page(object_page=True, perm=Perm.CHANGE_DOCUMENT)
def change(request, pk):
    if request.method != "POST":
        return redirect("documents:detail", pk=pk)
    return _move(
        request,
        pk,
        DocumentForm,
        services.document_change,
        "change_form",
        _("%(title)s was saved."),
        changed_by=request.user,
    )


@workspace_page(object_page=True, perm=Perm.CHANGE_DOCUMENT)
def withdraw(request, pk):
    if request.method != "POST":
        return redirect("documents:detail", pk=pk)
    return _move(
        request,
        pk,
        WithdrawForm,
        services.document_withdraw,
        "withdraw_form",
        _("%(title)s was withdrawn."),
        withdrawn_by=request.user,
    )


@require_GET
@login_required
def download(request, pk):
    """Stream one version to whoever may see its document; 404 for anyone else, so nobody learns it exists."""
    return version_response(selectors.version_get(user=request.user, pk=pk))
