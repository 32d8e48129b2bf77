"""Receipts: a photo (JPEG, PNG) or a PDF of the invoice or voucher, checked by its content (a renamed file is
refused; a PDF must only show pages) within a size limit; private, streamed only to those who may see expenditures."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cooperation.pdf import inspect_pdf

# Content signature → (what the file is, the extensions its name may have).
KINDS = {
    b"\xff\xd8\xff": ("image/jpeg", (".jpg", ".jpeg")),
    b"\x89PNG\r\n\x1a\n": ("image/png", (".png",)),
    b"%PDF-": ("application/pdf", (".pdf",)),
}


def max_receipt_bytes() -> int:
    return int(getattr(settings, "BUDGET_RECEIPT_MAX_BYTES", 8 * 1024 * 1024))


def receipt_problem(upload) -> tuple[str, str | None]:
    """(content type, what is wrong or None) for an uploaded receipt."""
    name = getattr(upload, "name", "") or ""
    limit = max_receipt_bytes()
    if upload.size is None or upload.size > limit:
        return "", _("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)}
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, (content_type, extensions) in KINDS.items():
        if head.startswith(signature):
            if not name.lower().endswith(extensions):
                break
            if content_type == "application/pdf" and inspect_pdf(upload) is not None:
                return content_type, _(
                    "%(name)s cannot be accepted: save it again as a plain PDF, without scripts, forms or files "
                    "inside it."
                ) % {"name": name}
            return content_type, None
    return "", _("%(name)s is not a photo (JPEG or PNG) or a PDF document.") % {"name": name}


def receipt_response(expenditure) -> FileResponse:
    """The receipt as a private download; a 404 when there is none or it is gone from the storage."""
    if not expenditure.receipt:
        raise Http404
    try:
        handle = expenditure.receipt.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=expenditure.receipt_name, content_type=expenditure.receipt_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
