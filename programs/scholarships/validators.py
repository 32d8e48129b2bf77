"""Checks on what applicants send: attachments must really be PDF files that only show pages, and not too large."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.pdf import MAX_PAGES, inspect_pdf

PDF_MAGIC = b"%PDF-"
MAX_ATTACHMENTS = 3
REFUSALS = {
    "unreadable": gettext_lazy("%(name)s cannot be read as a PDF file: only PDF files are accepted."),
    "encrypted": gettext_lazy("%(name)s is protected by a password, so it cannot be checked: attach it unprotected."),
    "no_pages": gettext_lazy("%(name)s has no pages."),
    "too_many_pages": gettext_lazy("%(name)s has more than %(pages)d pages."),
    "too_complex": gettext_lazy("%(name)s is too complex to be checked: save it again as a plain PDF and attach it."),
    "javascript": gettext_lazy(
        "%(name)s contains JavaScript, which could run on the reader's computer: attach a PDF without it "
        "(print it to PDF, for example)."
    ),
    "launch": gettext_lazy(
        "%(name)s contains an action that opens programs or other files: attach a PDF without it "
        "(print it to PDF, for example)."
    ),
    "embedded_file": gettext_lazy(
        "%(name)s carries other files inside it: attach each document as its own PDF, without embedded files."
    ),
    "form": gettext_lazy(
        "%(name)s contains a form that sends or loads data: attach a PDF without it (print it to PDF, for example)."
    ),
    "media": gettext_lazy(
        "%(name)s contains media that plays when opened: attach a PDF without it (print it to PDF, for example)."
    ),
}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_attachment_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def validate_pdf(upload) -> None:
    """Refuse anything but a PDF within the size limit: the name must end in .pdf, the content must start with
    the PDF signature (a renamed image or document is refused), and it must read as a PDF with pages and
    nothing that acts on the reader's computer (``cooperation.pdf``: JavaScript, launch actions, embedded
    files, forms that send data, playing media)."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError(_("%(name)s is not a PDF file: only PDF files are accepted.") % {"name": name})
    limit = max_attachment_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(_("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)})
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            _("%(name)s is not a PDF file (its content is something else): only PDF files are accepted.")
            % {"name": name}
        )
    problem = inspect_pdf(upload)
    if problem is not None:
        raise ValidationError(
            str(REFUSALS[problem.code]) % {"name": name, "pages": MAX_PAGES}, code=f"pdf_{problem.code}"
        )
