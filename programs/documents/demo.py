"""Demonstration documents for ``manage.py load_demo``: a partnership agreement on the demo partner's first
programme, in two versions, visible to the partner; an MoU with the demo partner; and a staff-only site photo. A
document already there is left as it is, so a second run changes nothing."""

import datetime
import io
import struct
import zlib

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import Organisation
from partners.selectors import user_organisation_ids
from programs.documents import services
from programs.documents.models import Document, DocumentKind, Visibility
from programs.models import Programme


def pdf_bytes() -> bytes:
    """A one-page blank PDF, plain enough for the upload checks."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x2a\x8c\xc8")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _file(name: str) -> SimpleUploadedFile:
    content = png_bytes() if name.endswith(".png") else pdf_bytes()
    return SimpleUploadedFile(name, content)


def load(*, run) -> str:
    officer = run.users["officer"]
    partner_ids = user_organisation_ids(run.users["partner"])
    programme = Programme.objects.filter(participations__organisation_id__in=partner_ids).order_by("code").first()
    organisation = Organisation.objects.filter(pk__in=partner_ids).order_by("pk").first()
    if programme is None or organisation is None:
        return "Documents: no partner programme to attach them to."
    today: datetime.date = run.today
    made, shared = 0, Visibility.PARTNER
    wanted = (
        ("Partnership agreement", DocumentKind.AGREEMENT, shared, {"programme": programme}, "pdf"),
        ("Memorandum of understanding", DocumentKind.AGREEMENT, shared, {"organisation": organisation}, "pdf"),
        ("Site visit photo", DocumentKind.PHOTO, Visibility.STAFF, {"programme": programme}, "png"),
    )
    for title, kind, visibility, place, extension in wanted:
        if Document.objects.filter(title=title, **place).exists():
            continue
        document = services.document_upload(
            uploaded_by=officer,
            title=title,
            kind=kind,
            visibility=visibility,
            dated=today - datetime.timedelta(days=90),
            file=_file(f"{title.lower().replace(' ', '-')}.{extension}"),
            note="First draft" if kind == DocumentKind.AGREEMENT and "programme" in place else "",
            **place,
        )
        if title == "Partnership agreement":
            services.version_add(
                document=document, uploaded_by=officer, file=_file("partnership-agreement-signed.pdf"), note="Signed"
            )
        made += 1
        run.log(f"  document {title} created")
    return f"Documents: {Document.objects.count()} ({made} created now)."
