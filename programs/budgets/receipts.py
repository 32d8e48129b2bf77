"""Receipts: a photo (JPEG, PNG) or a PDF of the invoice or voucher, checked by its content (a renamed file is
refused; a PDF must only show pages) within a size limit; private, streamed only to those who may see expenditures."""

from django.conf import settings
from django.http import FileResponse, Http404

from cooperation.files import photo_or_pdf_problem, private_download


def max_receipt_bytes() -> int:
    return int(getattr(settings, "BUDGET_RECEIPT_MAX_BYTES", 8 * 1024 * 1024))


def receipt_problem(upload) -> tuple[str, str | None]:
    """(content type, what is wrong or None) for an uploaded receipt."""
    return photo_or_pdf_problem(upload, max_bytes=max_receipt_bytes())


def receipt_response(expenditure) -> FileResponse:
    """The receipt as a private download; a 404 when there is none or it is gone from the storage."""
    if not expenditure.receipt:
        raise Http404
    return private_download(
        expenditure.receipt, filename=expenditure.receipt_name, content_type=expenditure.receipt_type
    )
