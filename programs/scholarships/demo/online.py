"""A demonstration application sent from a call's public page and confirmed, through the online services."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from cooperation.reference.models import Country
from programs.scholarships.models import Application, Call, Gender
from programs.scholarships.services import online


def _one_page_pdf(name: str) -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def apply_online(call: Call, today: datetime.date) -> Application:
    """Sent yesterday in Bahasa Indonesia (a form filled in over ten minutes), confirmed from the email's link."""
    # Yesterday morning, as the demo's day counts (its calls open and close around ``today``, whatever the clock).
    sent_at = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(10)))
    _submission, key = online.online_application_send(
        call=call,
        language="id",
        applicant_name="Dewi Lestari",
        email="dewi.lestari@radio-komunitas.example",
        nationality=call.eligible_countries.order_by("code").first() or Country.objects.get(code="ID"),
        gender=Gender.FEMALE,
        date_of_birth=datetime.date(1996, 8, 17),
        current_institution="Radio Komunitas Suara Timur",
        degree="Diploma in Broadcasting",
        field_of_study=(call.fields_of_study or ["Radio journalism"])[0],
        motivation="Our station went on air this year; I want to run its evening programme and keep it on air.",
        answers=[True] * len(call.eligibility_questions),
        attachments=[_one_page_pdf("cv-dewi-lestari.pdf")],
        started=online.form_started(sent_at - datetime.timedelta(minutes=10)),
        now=sent_at,
    )
    application, _status_key = online.online_application_confirm(key=key, now=sent_at + datetime.timedelta(hours=2))
    return application
