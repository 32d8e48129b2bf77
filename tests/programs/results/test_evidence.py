import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cooperation.refusals import Refused, refusal_codes
from programs.results import services
from programs.results.models import Evidence
from programs.results.services import ResultsRefusal
from tests.programs.results.factories import TODAY, build_framework
from tests.programs.scholarships.factories import PDF_BYTES

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def report(own_programme, partner_org, partner_user, officer):
    framework = build_framework(own_programme, partner_org, officer)
    return services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )


def test_a_photo_and_a_pdf_are_kept_privately_with_their_names(report, partner_user, settings):
    photo = services.evidence_add(report=report, uploaded_by=partner_user, file=SimpleUploadedFile("well.png", PNG))
    document = services.evidence_add(
        report=report, uploaded_by=partner_user, file=SimpleUploadedFile("attendance.pdf", PDF_BYTES)
    )
    assert [(e.original_name, e.content_type) for e in report.evidence.all()] == [
        ("well.png", "image/png"),
        ("attendance.pdf", "application/pdf"),
    ]
    assert photo.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "well" not in photo.file.name and document.file.read() == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.docx", b"PK\x03\x04 a word document", "notes.docx is not a photo (JPEG or PNG) or a PDF document."),
        ("well.pdf", PNG, "well.pdf is not a photo (JPEG or PNG) or a PDF document."),
    ],
)
def test_anything_but_a_photo_or_a_pdf_is_refused(report, partner_user, name, content, message):
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(report=report, uploaded_by=partner_user, file=SimpleUploadedFile(name, content))
    assert caught.value.message_dict == {"file": [message]}
    assert refusal_codes(caught.value) == {ResultsRefusal.INVALID_FILE}
    assert not Evidence.objects.exists()


def test_a_file_over_the_limit_is_refused(report, partner_user, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(report=report, uploaded_by=partner_user, file=SimpleUploadedFile("well.png", PNG))
    assert caught.value.message_dict == {"file": ["well.png is larger than 10\xa0bytes."]}


def test_evidence_changes_only_while_the_report_does(report, partner_user, other_partner_user, manager):
    with pytest.raises(PermissionDenied):
        services.evidence_add(report=report, uploaded_by=other_partner_user, file=SimpleUploadedFile("a.png", PNG))
    report.status = "approved"
    report.save()
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(report=report, uploaded_by=partner_user, file=SimpleUploadedFile("a.png", PNG))
    assert refusal_codes(caught.value) == {Refused.WRONG_STATUS}
