"""Documents to test against, made through the upload service with small real files."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from programs.documents import services
from programs.documents.demo import pdf_bytes, png_bytes
from programs.documents.models import DocumentKind, Visibility

PDF = pdf_bytes()
PNG = png_bytes()


def pdf(name: str = "agreement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def make_document(
    officer, *, programme=None, organisation=None, title="Grant agreement", visibility=Visibility.PARTNER, **extra
):
    return services.document_upload(
        uploaded_by=officer,
        title=title,
        kind=extra.pop("kind", DocumentKind.AGREEMENT),
        dated=extra.pop("dated", datetime.date(2026, 3, 1)),
        visibility=visibility,
        file=extra.pop("file", None) or pdf(),
        programme=programme,
        organisation=organisation,
        **extra,
    )
