"""The scholarships admin is read-only, lists what the selectors allow, and never shows applicants'
personal data to those who may not see it (auditors), on the record or in its history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.programs.scholarships.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CallFactory,
    ExchangeActivityFactory,
    ProgressReportFactory,
    ReminderLogFactory,
    ReviewFactory,
    ScoreFactory,
    StipendTrancheFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "call",
    "criterion",
    "application",
    "attachment",
    "review",
    "score",
    "progressreport",
    "stipendtranche",
    "reminderlog",
    "exchangeactivity",
    "participant",
]


@pytest.fixture
def rows():
    application = ApplicationFactory(email="secret.applicant@mail.example")
    AttachmentFactory(application=application, original_name="passport.pdf")
    ScoreFactory(review=ReviewFactory(application=application))
    ProgressReportFactory()
    StipendTrancheFactory()
    ReminderLogFactory()
    ExchangeActivityFactory()
    return application


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_read_only_changelist(client, admin_user, rows, model):
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:scholarships_{model}_changelist"))
    assert response.status_code == 200
    assert client.get(reverse(f"admin:scholarships_{model}_add")).status_code == 403


def test_auditors_see_applications_without_email_or_files(client, auditor, rows):
    client.force_login(auditor)
    page = client.get(reverse("admin:scholarships_application_change", args=[rows.pk]))
    assert page.status_code == 200
    assert rows.applicant_name in page.text and "secret.applicant@mail.example" not in page.text
    history = rows.history.first()
    past = client.get(reverse("admin:scholarships_application_simple_history", args=[rows.pk, history.pk]))
    assert past.status_code == 200 and "secret.applicant@mail.example" not in past.text
    files = client.get(reverse("admin:scholarships_attachment_changelist"))
    assert "passport.pdf" not in files.text
    found = client.get(reverse("admin:scholarships_application_changelist"), {"q": "secret.applicant"})
    assert rows.applicant_name not in found.text


def test_officers_see_the_email(client, officer, rows):
    client.force_login(officer)
    page = client.get(reverse("admin:scholarships_application_change", args=[rows.pk]))
    assert "secret.applicant@mail.example" in page.text
    assert "passport.pdf" in client.get(reverse("admin:scholarships_attachment_changelist")).text


def test_the_application_changelist_costs_the_same_for_few_and_many(client, officer):
    client.force_login(officer)
    url = reverse("admin:scholarships_application_changelist")
    call = CallFactory()
    ApplicationFactory(call=call)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(10):
        ApplicationFactory(call=CallFactory())
    assert count() == few
