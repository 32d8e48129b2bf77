"""Applicants' personal data cannot be read through a side door.

An auditor (no right to personal data) learns nothing about an applicant's email, date of birth or files from the
admin's URL filters, search or sorting: each answers exactly as it does for a value nobody has. A manager who
declared a conflict of interest on an application sees none of its personal data anywhere (page, lists, ranking,
API, admin, history, downloads), while still seeing the other applicants'. A partner asking for another
organisation's file gets exactly the answer of a file that does not exist.
"""

import datetime

import pytest
from django.urls import reverse

from programs.scholarships import services
from programs.scholarships.models import ApplicationStatus
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CallFactory,
    ReviewFactory,
    staff,
)
from tests.responses import comparable

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "siti.rahmawati@mail.example"
SECRET_BIRTH = datetime.date(1997, 3, 14)
SECRET_FILE = "passport-siti-rahmawati.pdf"
MISSING = 987654321


def answer(response, asked: str = "") -> tuple:
    return comparable(response, [asked] if asked else [])


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def applicant(call):
    application = ApplicationFactory(
        call=call,
        applicant_name="Siti Rahmawati",
        email=SECRET_EMAIL,
        email_key=SECRET_EMAIL,
        date_of_birth=SECRET_BIRTH,
        status=ApplicationStatus.ELIGIBLE,
    )
    AttachmentFactory(application=application, original_name=SECRET_FILE)
    return application


@pytest.fixture
def neighbour(call):
    """Another applicant to the same call, from whom nobody is recused."""
    application = ApplicationFactory(
        call=call, applicant_name="Ana Soares", email="ana.soares@mail.example", status=ApplicationStatus.ELIGIBLE
    )
    AttachmentFactory(application=application, original_name="ana-transcript.pdf")
    return application


# --- the auditor and the admin list ------------------------------------------------------------------------------

APPLICATIONS = "admin:scholarships_application_changelist"

# (admin list, a lookup that matches the applicant, the same lookup for a value nobody has)
FILTER_PROBES = [
    (APPLICATIONS, {"email__istartswith": "siti.r"}, {"email__istartswith": "zz.nobody"}),
    (APPLICATIONS, {"email": SECRET_EMAIL}, {"email": "nobody@mail.example"}),
    (APPLICATIONS, {"email__iregex": "^siti"}, {"email__iregex": "^zz"}),
    (APPLICATIONS, {"email_key__startswith": "siti"}, {"email_key__startswith": "zz"}),
    (APPLICATIONS, {"date_of_birth": "1997-03-14"}, {"date_of_birth": "1961-01-01"}),
    (APPLICATIONS, {"date_of_birth__year": "1997"}, {"date_of_birth__year": "1961"}),
    (APPLICATIONS, {"date_of_birth__gte": "1997-03-14"}, {"date_of_birth__gte": "1997-03-15"}),
    (APPLICATIONS, {"attachments__isnull": "False"}, {"attachments__isnull": "True"}),
    (APPLICATIONS, {"attachments": "1"}, {"attachments": str(MISSING)}),
    (
        "admin:scholarships_review_changelist",
        {"application__email__istartswith": "siti"},
        {"application__email__istartswith": "zz"},
    ),
    (
        "admin:scholarships_stipendtranche_changelist",
        {"application__date_of_birth": "1997-03-14"},
        {"application__date_of_birth": "1961-01-01"},
    ),
]


@pytest.mark.parametrize(("changelist", "hit", "miss"), FILTER_PROBES)
def test_an_auditors_filter_on_personal_data_is_refused_whatever_it_would_match(
    client, auditor, applicant, changelist, hit, miss
):
    if "attachments" in hit and hit["attachments"] == "1":
        hit = {"attachments": str(applicant.attachments.get().pk)}
    ReviewFactory(application=applicant)
    client.force_login(auditor)
    url = reverse(changelist)
    matching, not_matching = client.get(url, hit), client.get(url, miss)
    assert matching.status_code == 400
    assert answer(matching) == answer(not_matching)


def test_the_auditor_still_filters_on_what_is_not_personal(client, auditor, applicant):
    client.force_login(auditor)
    page = client.get(reverse(APPLICATIONS), {"status": ApplicationStatus.ELIGIBLE, "gender": applicant.gender})
    assert page.status_code == 200 and "Siti Rahmawati" in page.text


def test_an_auditors_search_does_not_look_into_personal_data(client, auditor, applicant):
    client.force_login(auditor)
    url = reverse(APPLICATIONS)
    by_email, by_nothing = client.get(url, {"q": "siti.rahmawati@"}), client.get(url, {"q": "zz.nobody@"})
    assert by_email.status_code == 200 and "Siti Rahmawati" not in by_email.text
    assert answer(by_email, "siti.rahmawati@") == answer(by_nothing, "zz.nobody@")
    assert "Siti Rahmawati" in client.get(url, {"q": "Rahmawati"}).text  # the name is not personal data here


def test_an_auditor_cannot_sort_by_personal_data(client, auditor, applicant, neighbour):
    """Whatever column index is asked for, the list never comes back in email or birth-date order."""
    client.force_login(auditor)
    url = reverse(APPLICATIONS)
    columns = client.get(url).context["cl"].list_display
    assert not {"email", "email_key", "date_of_birth"} & set(map(str, columns))
    for index in range(-1, len(columns) + 2):
        response = client.get(url, {"o": str(index)})
        assert response.status_code == 200
        ordering = response.context["cl"].get_ordering(response.wsgi_request, response.context["cl"].queryset)
        assert not any("email" in str(field) or "date_of_birth" in str(field) for field in ordering), (
            f"o={index} sorts by {ordering}"
        )
    api = client.get(reverse("api:application-list"), {"ordering": "email"})
    assert [row["email"] for row in api.json()["results"]] == [None, None]


# --- a manager recused from one application ---------------------------------------------------------------------


@pytest.fixture
def recused(manager, applicant, neighbour):
    """The manager declared a conflict of interest on ``applicant``'s application."""
    review = ReviewFactory(application=applicant, reviewer=manager, assigned_by=staff())
    services.review_declare_conflict(review=review, reviewer=manager, note="She is my niece.")
    return manager


def test_the_recused_manager_does_not_see_the_personal_data_on_the_application_page(
    client, recused, applicant, neighbour
):
    client.force_login(recused)
    page = client.get(reverse("scholarships:application_detail", args=[applicant.pk]))
    assert page.status_code == 200 and "Siti Rahmawati" in page.text
    assert SECRET_EMAIL not in page.text and SECRET_FILE not in page.text
    assert SECRET_BIRTH.strftime("%Y") not in page.text
    assert reverse("scholarships:attachment_download", args=[applicant.attachments.get().pk]) not in page.text
    other = client.get(reverse("scholarships:application_detail", args=[neighbour.pk]))
    assert "ana.soares@mail.example" in other.text and "ana-transcript.pdf" in other.text


def test_the_recused_manager_does_not_see_the_email_in_lists_or_the_ranking(client, recused, applicant, call):
    client.force_login(recused)
    listing = client.get(reverse("scholarships:application_list"))
    assert "Siti Rahmawati" in listing.text and SECRET_EMAIL not in listing.text
    assert "ana.soares@mail.example" in listing.text
    ranking = client.get(reverse("scholarships:call_ranking", args=[call.pk]))
    assert "Siti Rahmawati" in ranking.text and SECRET_EMAIL not in ranking.text


def test_the_recused_manager_gets_nulls_from_the_api(client, recused, applicant, neighbour):
    client.force_login(recused)
    detail = client.get(reverse("api:application-detail", args=[applicant.pk])).json()
    assert detail["personal_data_visible"] is False
    assert (detail["email"], detail["date_of_birth"], detail["attachments"]) == (None, None, None)
    rows = {row["id"]: row for row in client.get(reverse("api:application-list")).json()["results"]}
    assert rows[applicant.pk]["email"] is None and rows[applicant.pk]["attachments"] is None
    assert rows[neighbour.pk]["email"] == "ana.soares@mail.example"


def test_the_recused_manager_does_not_see_the_personal_data_in_the_admin(client, recused, applicant, neighbour):
    client.force_login(recused)
    change = client.get(reverse("admin:scholarships_application_change", args=[applicant.pk]))
    assert change.status_code == 200 and "Siti Rahmawati" in change.text
    assert SECRET_EMAIL not in change.text and "1997" not in change.text
    version = applicant.history.first()
    past = client.get(reverse("admin:scholarships_application_simple_history", args=[applicant.pk, version.pk]))
    assert past.status_code == 200 and SECRET_EMAIL not in past.text
    files = client.get(reverse("admin:scholarships_attachment_changelist"))
    assert SECRET_FILE not in files.text and "ana-transcript.pdf" in files.text
    assert (
        "ana.soares@mail.example"
        in client.get(reverse("admin:scholarships_application_change", args=[neighbour.pk])).text
    )


def test_the_recused_managers_admin_search_and_filters_answer_as_for_nobody(client, recused, applicant, neighbour):
    client.force_login(recused)
    url = reverse(APPLICATIONS)
    found = client.get(url, {"q": SECRET_EMAIL})
    assert found.status_code == 200 and "Siti Rahmawati" not in found.text
    assert "Ana Soares" in client.get(url, {"q": "ana.soares@mail.example"}).text  # search by email still works
    hit, miss = client.get(url, {"email__istartswith": "siti"}), client.get(url, {"email__istartswith": "zz"})
    assert hit.status_code == 200
    assert answer(hit, "siti") == answer(miss, "zz")
    hit, miss = client.get(url, {"date_of_birth": "1997-03-14"}), client.get(url, {"date_of_birth": "1961-01-01"})
    assert answer(hit, "1997-03-14") == answer(miss, "1961-01-01")


def fetched(client, url: str) -> tuple:
    """The answer to a GET of ``url``, comparable with another URL's (the page may repeat its own address)."""
    return comparable(client.get(url), [url])


def test_the_recused_manager_cannot_download_the_files(client, recused, applicant, neighbour):
    client.force_login(recused)
    attachment = applicant.attachments.get()
    page = fetched(client, reverse("scholarships:attachment_download", args=[attachment.pk]))
    assert page[0] == 404
    assert page == fetched(client, reverse("scholarships:attachment_download", args=[MISSING]))
    api = fetched(client, reverse("api:application-attachment", args=[applicant.pk, attachment.pk]))
    assert api[0] == 404
    assert api == fetched(client, reverse("api:application-attachment", args=[applicant.pk, MISSING]))
    own = neighbour.attachments.get()
    assert client.get(reverse("scholarships:attachment_download", args=[own.pk])).status_code == 200


# --- another organisation's file --------------------------------------------------------------------------------


@pytest.fixture
def scholar_file(partner_org):
    """A file of a scholar hosted by ``partner``'s organisation (the host sees it from the award on)."""
    application = ApplicationFactory(call=CallFactory(host=partner_org), status=ApplicationStatus.ENROLLED)
    type(application).objects.filter(pk=application.pk).update(
        awarded_at="2026-01-05T09:00:00Z", award_proposed_by=staff()
    )
    return AttachmentFactory(application=application, original_name=SECRET_FILE)


def test_another_organisations_file_answers_as_a_missing_one(client, partner_user, other_partner_user, scholar_file):
    client.force_login(partner_user)
    assert client.get(reverse("scholarships:attachment_download", args=[scholar_file.pk])).status_code == 200
    client.force_login(other_partner_user)
    foreign = fetched(client, reverse("scholarships:attachment_download", args=[scholar_file.pk]))
    assert foreign[0] == 404
    assert foreign == fetched(client, reverse("scholarships:attachment_download", args=[MISSING]))
    application = scholar_file.application_id
    foreign = fetched(client, reverse("api:application-attachment", args=[application, scholar_file.pk]))
    assert foreign[0] == 404
    for other in (
        reverse("api:application-attachment", args=[application, MISSING]),
        reverse("api:application-attachment", args=[MISSING, MISSING]),
        reverse("api:application-attachment", args=[MISSING, scholar_file.pk]),
    ):
        assert foreign == fetched(client, other), other


def test_a_changed_email_stays_out_of_the_admin_history_of_those_who_may_not_see_it(
    client, officer, auditor, recused, applicant
):
    applicant.email = "siti.new@mail.example"
    applicant.date_of_birth = datetime.date(1997, 3, 15)
    applicant.save()
    url = reverse("admin:scholarships_application_history", args=[applicant.pk])
    client.force_login(officer)
    assert "siti.new@mail.example" in client.get(url).text  # the history does list the change
    for user in (auditor, recused):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200 and "Siti Rahmawati" in page.text
        assert SECRET_EMAIL not in page.text and "siti.new@mail.example" not in page.text
        assert "1997" not in page.text


def test_a_recusal_cannot_be_taken_back_by_taking_the_reviewer_off(client, officer, recused, applicant):
    review = applicant.reviews.get(reviewer=recused)
    client.force_login(officer)
    page = client.get(reverse("scholarships:call_reviewers", args=[applicant.call_id]))
    assert reverse("scholarships:review_unassign", args=[review.pk]) not in page.text
    refused = client.post(reverse("scholarships:review_unassign", args=[review.pk]), follow=True)
    assert "declared a conflict of interest" in refused.text
    client.force_login(recused)
    detail = client.get(reverse("api:application-detail", args=[applicant.pk])).json()
    assert detail["email"] is None and detail["personal_data_visible"] is False
