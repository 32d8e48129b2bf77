"""Recording an application: refused before opening, after closing, for a nationality the call does not
accept, twice with the same email (any letter case), or with files that are not PDF or too large."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from cooperation.refusals import Refused, refusal_codes
from programs.scholarships.models import Application, Attachment
from programs.scholarships.validators import validate_pdf
from tests.programs.scholarships.factories import (
    PDF_BYTES,
    ApplicationFactory,
    CallFactory,
    days_ago,
    pdf,
    staff,
    submit,
)

pytestmark = pytest.mark.django_db


def refusal(**kwargs) -> dict:
    call = kwargs.pop("call", None) or CallFactory()
    with pytest.raises(ValidationError) as refused:
        submit(call, **kwargs)
    return refused.value.message_dict


def test_an_officer_records_an_application_with_its_pdf_files(settings):
    call = CallFactory()
    application = submit(call, email="  Maria@Mail.Example ", attachments=[pdf("cv.pdf"), pdf("Transcript.PDF")])
    assert (application.email, application.email_key) == ("Maria@Mail.Example", "maria@mail.example")
    files = list(application.attachments.order_by("pk"))
    assert [f.original_name for f in files] == ["cv.pdf", "Transcript.PDF"]
    stored = settings.PRIVATE_MEDIA_ROOT / files[0].file.name
    assert stored.read_bytes() == PDF_BYTES
    assert "Maria" not in files[0].file.name  # the stored name tells nothing about the applicant
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))


def test_after_the_close_date_nothing_is_saved():
    errors = refusal(call=CallFactory(opens_on=days_ago(60), closes_on=days_ago(1)))
    assert errors["call"][0].startswith("This call closed on")
    assert Application.objects.count() == 0


def test_before_the_opening_date():
    errors = refusal(call=CallFactory(opens_on=days_ago(-5), closes_on=days_ago(-30)))
    assert errors["call"][0].startswith("This call opens on")


def test_on_the_closing_day_it_is_still_accepted():
    assert submit(CallFactory(closes_on=days_ago(0))).pk


def test_a_nationality_the_call_does_not_accept():
    errors = refusal(nationality="AU")
    assert errors == {"nationality": ["Nationals of Australia are not eligible for this call."]}


@pytest.mark.parametrize("second", ["maria@mail.example", "MARIA@mail.EXAMPLE", "  maria@mail.example  "])
def test_a_second_application_with_the_same_email_whatever_its_case(second):
    call = CallFactory()
    submit(call, email="Maria@Mail.example")
    assert refusal(call=call, email=second) == {"email": ["Someone with this email has already applied to this call."]}
    assert Application.objects.filter(call=call).count() == 1


def test_the_same_email_may_apply_to_another_call():
    submit(CallFactory(), email="maria@mail.example")
    assert submit(CallFactory(), email="maria@mail.example").pk


def test_the_database_itself_refuses_a_duplicate_email_key():
    first = ApplicationFactory(email="a@x.example")
    with pytest.raises(IntegrityError):
        ApplicationFactory(call=first.call, email="A@X.example")


def test_a_field_of_study_the_call_does_not_offer():
    errors = refusal(field_of_study="Astrophysics")
    assert errors["field_of_study"][0].startswith("Choose one of the call's fields of study")


def test_missing_fields_are_reported_together():
    errors = refusal(applicant_name="", motivation="", email="not-an-email")
    assert {"applicant_name", "motivation", "email"} <= set(errors)


def test_a_partner_user_cannot_record_applications(partner_user):
    with pytest.raises(PermissionDenied):
        submit(CallFactory(), by=partner_user)


# --- attachments --------------------------------------------------------------------------------------------------


def test_a_renamed_image_is_not_a_pdf_and_nothing_is_saved(settings):
    png = pdf("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    errors = refusal(attachments=[pdf("cv.pdf"), png])
    assert errors == {
        "attachments": ["photo.pdf is not a PDF file (its content is something else): only PDF files are accepted."]
    }
    assert Application.objects.count() == Attachment.objects.count() == 0
    assert not (settings.PRIVATE_MEDIA_ROOT / "scholarships").exists()


def test_a_pdf_with_another_extension_is_refused():
    assert refusal(attachments=[pdf("cv.docx")]) == {
        "attachments": ["cv.docx is not a PDF file: only PDF files are accepted."]
    }


def test_an_oversized_file_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = pdf("thesis.pdf", PDF_BYTES + b"0" * 1024)
    assert refusal(attachments=[big]) == {"attachments": ["thesis.pdf is larger than 1.0\xa0KB."]}


def test_a_file_exactly_at_the_limit_is_accepted(settings):
    settings.ATTACHMENT_MAX_BYTES = len(PDF_BYTES)
    validate_pdf(pdf())


def test_files_can_be_added_while_the_application_is_reviewed_only():
    from programs.scholarships import services

    application = submit(CallFactory())
    services.attachment_add(application=application, uploaded_by=staff(), file=pdf("letter.pdf"))
    assert application.attachments.count() == 1
    services.application_withdraw(application=application, withdrawn_by=staff(), reason="Withdrew.")
    with pytest.raises(ValidationError) as refused:
        services.attachment_add(application=application, uploaded_by=staff(), file=pdf("late.pdf"))
    assert Refused.WRONG_STATUS in refusal_codes(refused.value)
