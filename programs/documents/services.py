"""Every write to documents: upload one, add a version, change what it says about itself, withdraw it. Nothing is
ever deleted: a withdrawn document keeps its files and its history, and partners no longer see it."""

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.refusals import Refusal, enforce, refuse
from cooperation.roles import Perm
from cooperation.workflow import clean_with, lock_row, permission_refusal, require_reason, save_by, update_by
from programs.documents.files import file_problem
from programs.documents.models import Document, DocumentKind, DocumentVersion, Visibility

EDITABLE_FIELDS = ("title", "kind", "dated", "visibility")
MOVES = ("add_version", "change", "withdraw")


class DocumentRefusal(StrEnum):
    INVALID_FILE = "invalid_file"  # empty, too large, or not a PDF, JPEG or PNG by its content
    WITHDRAWN = "withdrawn"  # a withdrawn document takes no new version and no change
    PLACE = "document_place"  # neither or both of a programme and a partner


def document_move_refusal(document: Document, user, move: str) -> Refusal | None:
    """Why ``user`` may not ``move`` ("add_version", "change", "withdraw") ``document`` now, or None."""
    perm = Perm.ADD_DOCUMENT if move == "add_version" else Perm.CHANGE_DOCUMENT
    refusal = permission_refusal(user, perm)
    if refusal is None and document.is_withdrawn:
        return Refusal(DocumentRefusal.WITHDRAWN, _("This document was withdrawn."), offered=False)
    return refusal


def _checked_file(file) -> str:
    content_type, problem = file_problem(file) if file is not None else ("", _("Choose a file."))
    if problem:
        raise refuse(DocumentRefusal.INVALID_FILE, problem, "file")
    return content_type


def _save_version(document: Document, *, number: int, file, content_type: str, uploaded_by, note: str):
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=(getattr(file, "name", "") or "")[-200:],
        content_type=content_type,
        size=file.size,
        uploaded_by=uploaded_by,
        note=(note or "").strip()[:300],
    )
    version.file.save(file.name, file, save=False)
    version.save()
    return version


@transaction.atomic
def document_upload(
    *,
    uploaded_by,
    title: str,
    dated,
    file,
    kind: str = DocumentKind.OTHER,
    visibility: str = Visibility.STAFF,
    programme=None,
    organisation=None,
    note: str = "",
) -> Document:
    """A new document on ``programme`` or on ``organisation`` (exactly one), with its file as version 1."""
    enforce(permission_refusal(uploaded_by, Perm.ADD_DOCUMENT))
    errors: dict[str, list] = {}
    if (programme is None) == (organisation is None):
        message = _("Attach the document to a programme or to a partner, not both.")
        errors["programme"] = [ValidationError(message, code=DocumentRefusal.PLACE)]
    content_type, problem = file_problem(file) if file is not None else ("", _("Choose a file."))
    if problem:
        errors["file"] = [ValidationError(problem, code=DocumentRefusal.INVALID_FILE)]
    document = Document(
        programme=programme,
        organisation=organisation,
        title=(title or "").strip(),
        kind=kind,
        dated=dated,
        visibility=visibility,
        created_by=uploaded_by,
    )
    clean_with(document, errors, exclude=["created_by"], validate_constraints=False)
    document._history_user = uploaded_by
    document.save()
    _save_version(document, number=1, file=file, content_type=content_type, uploaded_by=uploaded_by, note=note)
    return document


@transaction.atomic
def version_add(*, document: Document, uploaded_by, file, note: str = "") -> DocumentVersion:
    """A new version of ``document``: the next number; the older versions stay."""
    lock_row(document)
    enforce(document_move_refusal(document, uploaded_by, "add_version"))
    content_type = _checked_file(file)
    latest = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = _save_version(
        document, number=latest + 1, file=file, content_type=content_type, uploaded_by=uploaded_by, note=note
    )
    document._change_reason = f"Version {version.number} added"
    save_by(document, uploaded_by, [])
    return version


@transaction.atomic
def document_change(*, document: Document, changed_by, **data) -> Document:
    """Change a document's title, type, date or visibility (those ``data`` gives)."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"document_change() got unexpected fields: {', '.join(sorted(unknown))}")
    lock_row(document)
    enforce(document_move_refusal(document, changed_by, "change"))
    if "title" in data:
        data["title"] = (data["title"] or "").strip()
    return update_by(document, changed_by, EDITABLE_FIELDS, data)


@transaction.atomic
def document_withdraw(*, document: Document, withdrawn_by, reason: str) -> Document:
    """Withdraw ``document``: partners no longer see it; staff still find it, marked withdrawn, with its files."""
    lock_row(document)
    enforce(document_move_refusal(document, withdrawn_by, "withdraw"))
    document.withdrawal_reason = require_reason(reason)
    document.withdrawn_at = timezone.now()
    document.withdrawn_by = withdrawn_by
    return save_by(document, withdrawn_by, ["withdrawal_reason", "withdrawn_at", "withdrawn_by"])
