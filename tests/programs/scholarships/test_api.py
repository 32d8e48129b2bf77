"""The scholarships API: calls, applications, reviews, stipend tranches, progress reports and exchange activities,
with the pages' permissions and scoping, applicants' personal data only for those allowed (per role, on every
endpoint), every write and move through the services, errors next to the fields, and flat query counts."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cooperation.roles import Role
from programs.scholarships import services
from programs.scholarships.models import (
    Application,
    ApplicationStatus,
    Call,
    ExchangeActivity,
    Review,
    StipendTranche,
    TrancheStatus,
)
from tests.api_errors import error_fields
from tests.factories import OrganisationFactory, UserFactory
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CallFactory,
    ExchangeActivityFactory,
    ParticipantFactory,
    ProgressReportFactory,
    ReviewFactory,
    ScoreFactory,
    StipendTrancheFactory,
    awarded,
    days_ago,
    eligible,
    enrolled,
    pdf,
    shortlisted,
    staff,
    submit,
    take_part,
    today,
)

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/scholarship-calls/"
APPLICATIONS = "/api/v1/scholarship-applications/"
REVIEWS = "/api/v1/scholarship-reviews/"
TRANCHES = "/api/v1/stipend-tranches/"
REPORTS = "/api/v1/progress-reports/"
ACTIVITIES = "/api/v1/exchange-activities/"
PERSONAL = ("email", "date_of_birth", "attachments")


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def as_user(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def messages(response, field="non_field_errors") -> str:
    return " ".join(str(message) for message in error_fields(response)[field])


def rows(response) -> dict[int, dict]:
    assert response.status_code == 200, response.data
    return {row["id"]: row for row in response.json()["results"]}


@pytest.fixture
def call(partner_org):
    return CallFactory(host=partner_org)


@pytest.fixture
def scholar(call, officer, partner_user):
    """Enrolled at `partner`'s organisation 200 days ago, with a CV on file."""
    application = submit(call, by=officer, email="scholar@mail.example")
    services.attachment_add(application=application, uploaded_by=officer, file=pdf("cv.pdf"))
    return enrolled(application, on=days_ago(200), by=partner_user)


@pytest.fixture
def applicant(call, officer):
    """Under review: no award, so not the host's business yet."""
    return submit(call, by=officer, email="applicant@mail.example")


@pytest.fixture
def foreign_scholar(other_org, other_partner_user, officer):
    application = submit(CallFactory(host=other_org), by=officer, email="elsewhere@mail.example")
    return enrolled(application, on=days_ago(100), by=other_partner_user)


@pytest.fixture
def reviewer_only(db):
    """Staff who may review and read what is assigned to them, without seeing every applicant's data."""
    user = UserFactory(is_staff=True)
    codenames = ["view_application", "review_application", "view_review", "view_call"]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="scholarships", codename__in=codenames))
    return user


# --- privacy, per role and endpoint ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "manager", "admin_user"])
def test_officers_managers_and_admins_see_applicants_personal_data(request, role, scholar, applicant):
    api = as_user(request.getfixturevalue(role))
    listed = rows(api.get(APPLICATIONS))

    assert set(listed) == {scholar.pk, applicant.pk}
    assert listed[applicant.pk]["email"] == "applicant@mail.example"
    assert listed[applicant.pk]["date_of_birth"] == "1999-02-03"
    assert listed[applicant.pk]["personal_data_visible"] is True
    detail = api.get(f"{APPLICATIONS}{scholar.pk}/").json()
    assert detail["email"] == "scholar@mail.example"
    [attachment] = detail["attachments"]
    assert attachment["name"] == "cv.pdf"
    download = api.get(attachment["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_auditors_read_every_application_without_personal_data(auditor, scholar, applicant):
    api = as_user(auditor)
    listed = rows(api.get(APPLICATIONS))

    assert set(listed) == {scholar.pk, applicant.pk}
    for row in listed.values():
        assert row["applicant_name"] and row["personal_data_visible"] is False
        assert all(row[field] is None for field in PERSONAL)
    detail = api.get(f"{APPLICATIONS}{scholar.pk}/").json()
    assert all(detail[field] is None for field in PERSONAL)
    attachment = scholar.attachments.get()
    assert api.get(f"{APPLICATIONS}{scholar.pk}/attachments/{attachment.pk}/").status_code == 404
    # Filtering on a personal field reveals nothing either: there is no such filter.
    assert rows(api.get(APPLICATIONS, {"email": "scholar@mail.example"})).keys() == {scholar.pk, applicant.pk}


def test_the_host_sees_its_scholars_with_personal_data_and_nothing_else(
    partner_user, scholar, applicant, foreign_scholar
):
    api = as_user(partner_user)
    listed = rows(api.get(APPLICATIONS))

    assert set(listed) == {scholar.pk}
    assert listed[scholar.pk]["email"] == "scholar@mail.example"
    assert listed[scholar.pk]["attachments"][0]["name"] == "cv.pdf"
    assert api.get(f"{APPLICATIONS}{applicant.pk}/").status_code == 404  # not awarded: not theirs yet
    assert api.get(f"{APPLICATIONS}{foreign_scholar.pk}/").status_code == 404
    foreign_file = AttachmentFactory(application=foreign_scholar)
    assert api.get(f"{APPLICATIONS}{foreign_scholar.pk}/attachments/{foreign_file.pk}/").status_code == 404
    own_file = scholar.attachments.get()
    assert api.get(f"{APPLICATIONS}{scholar.pk}/attachments/{own_file.pk}/").status_code == 200
    # The right file under the wrong application is not found either.
    assert api.get(f"{APPLICATIONS}{applicant.pk}/attachments/{own_file.pk}/").status_code == 404


def test_a_reviewer_sees_personal_data_of_assigned_applications_until_recused(reviewer_only, call, officer):
    mine = submit(call, by=officer, email="mine@mail.example")
    other = submit(call, by=officer, email="other@mail.example")
    review = services.review_assign(application=mine, reviewer=reviewer_only, assigned_by=officer)
    api = as_user(reviewer_only)

    listed = rows(api.get(APPLICATIONS))
    assert set(listed) == {mine.pk}
    assert listed[mine.pk]["email"] == "mine@mail.example"
    assert api.get(f"{APPLICATIONS}{other.pk}/").status_code == 404
    assert set(rows(api.get(REVIEWS))) == {review.pk}

    declared = api.post(f"{REVIEWS}{review.pk}/declare-conflict/", {"conflict_note": "My cousin."}, format="json")
    assert declared.status_code == 200 and declared.json()["state"] == "recused"
    detail = api.get(f"{APPLICATIONS}{mine.pk}/").json()
    assert detail["personal_data_visible"] is False and all(detail[field] is None for field in PERSONAL)


def test_every_scholarship_list_is_scoped_to_the_partners_institution(
    partner_user, other_partner_user, scholar, foreign_scholar, partner_org, other_org
):
    own_report = ProgressReportFactory(application=scholar, submitted_by=partner_user, period_end=days_ago(20))
    foreign_report = ProgressReportFactory(application=foreign_scholar, submitted_by=other_partner_user)
    own_activity = ExchangeActivityFactory(host=partner_org)
    foreign_activity = ExchangeActivityFactory(host=other_org)
    api = as_user(partner_user)

    assert set(rows(api.get(CALLS))) == {scholar.call_id}
    assert {row["application"] for row in rows(api.get(TRANCHES)).values()} == {scholar.pk}
    assert set(rows(api.get(REPORTS))) == {own_report.pk}
    assert set(rows(api.get(ACTIVITIES))) == {own_activity.pk}
    assert api.get(REVIEWS).status_code == 403  # reviews are the agency's business
    foreign_tranche = foreign_scholar.tranches.first()
    for url in (
        f"{CALLS}{foreign_scholar.call_id}/",
        f"{TRANCHES}{foreign_tranche.pk}/",
        f"{REPORTS}{foreign_report.pk}/",
        f"{ACTIVITIES}{foreign_activity.pk}/",
    ):
        assert api.get(url).status_code == 404, url


def test_anonymous_clients_get_nothing(scholar):
    for url in (CALLS, APPLICATIONS, REVIEWS, TRANCHES, REPORTS, ACTIVITIES, f"{APPLICATIONS}{scholar.pk}/"):
        assert as_user(None).get(url).status_code in (401, 403), url


# --- calls ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def technical_programme(own_programme):
    own_programme.is_technical = True
    own_programme.save(update_fields=["is_technical"])
    return own_programme


def call_payload(programme, host, **overrides) -> dict:
    payload = {
        "programme": programme.pk,
        "title": "Master's in hydrology 2027",
        "host": host.pk,
        "fields_of_study": ["Hydrology", "Water engineering"],
        "eligible_countries": ["TL", "KE"],
        "level": "master",
        "opens_on": str(days_ago(5)),
        "closes_on": str(days_ago(-40)),
        "awards_available": 2,
        "stipend": {"amount": "950.00", "currency": "USD", "frequency": "monthly"},
        "duration_months": 12,
        "criteria": [{"name": "Academic record", "weight": "2"}, {"name": "Motivation", "weight": "1"}],
    }
    payload.update(overrides)
    return payload


def test_officer_opens_a_call_with_its_rubric_and_changes_it(officer, technical_programme, partner_org):
    api = as_user(officer)
    response = api.post(CALLS, call_payload(technical_programme, partner_org), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["status"] == "open" and body["application_count"] == 0
    assert set(body["eligible_countries"]) == {"TL", "KE"}
    assert body["stipend"] == {"amount": "950.00", "currency": "USD", "frequency": "monthly"}
    assert [(line["name"], line["weight"]) for line in body["criteria"]] == [
        ("Academic record", "2.00"),
        ("Motivation", "1.00"),
    ]
    call = Call.objects.get()
    assert call.created_by == officer and call.host == partner_org

    changed = api.patch(
        f"{CALLS}{call.pk}/",
        {"awards_available": 4, "criteria": [{"name": "Research plan", "weight": "1"}]},
        format="json",
    )
    assert changed.status_code == 200, changed.data
    assert changed.json()["awards_available"] == 4
    assert [line["name"] for line in changed.json()["criteria"]] == ["Research plan"]


def test_a_calls_page_in_the_browsable_api_prefills_its_edit_form_in_the_input_shape(officer, call):
    response = as_user(officer).get(f"{CALLS}{call.pk}/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    html = response.content.decode()
    assert "&quot;stipend&quot;: {" in html
    assert f"&quot;awards_available&quot;: {call.awards_available}" in html


@pytest.mark.parametrize(
    ("overrides", "path", "words"),
    [
        ({"closes_on": str(days_ago(10))}, ("closes_on",), "before the opening"),
        ({"stipend": {"amount": "10.001", "currency": "USD", "frequency": "monthly"}}, ("stipend", "amount"), "2"),
        ({"stipend": {"amount": "10", "currency": "XXX", "frequency": "monthly"}}, ("stipend", "currency"), "no code"),
        ({"criteria": [{"name": "Merit", "weight": "0"}]}, ("criteria",), "more than zero"),
        ({"criteria": [{"name": "Merit", "weight": "1e400"}]}, ("criteria",), "below 1000"),
        ({"eligible_countries": []}, ("eligible_countries",), "at least one"),
        ({"level": "kindergarten"}, ("level",), "valid choice"),
    ],
)
def test_bad_call_details_are_a_400_on_the_field_and_nothing_is_saved(
    officer, technical_programme, partner_org, overrides, path, words
):
    response = as_user(officer).post(CALLS, call_payload(technical_programme, partner_org, **overrides), format="json")

    assert response.status_code == 400
    messages = error_fields(response)[".".join(path)]
    assert words in " ".join(messages), response.data
    assert not Call.objects.exists()


def test_only_officers_write_calls(auditor, partner_user, technical_programme, partner_org, call):
    for user in (auditor, partner_user):
        api = as_user(user)
        assert api.post(CALLS, call_payload(technical_programme, partner_org), format="json").status_code == 403
        assert api.patch(f"{CALLS}{call.pk}/", {"title": "Renamed"}, format="json").status_code == 403
    assert Call.objects.get().title == call.title


def test_calls_filter_by_state_and_host(officer, call, other_org):
    closed = CallFactory(host=other_org, opens_on=days_ago(60), closes_on=days_ago(30))
    api = as_user(officer)

    assert set(rows(api.get(CALLS, {"state": "closed"}))) == {closed.pk}
    assert set(rows(api.get(CALLS, {"state": "open"}))) == {call.pk}
    assert set(rows(api.get(CALLS, {"host": other_org.pk}))) == {closed.pk}


# --- applications ---------------------------------------------------------------------------------------------------


def application_payload(call, **overrides) -> dict:
    payload = {
        "call": call.pk,
        "applicant_name": "Rosa Amaral",
        "email": "rosa@mail.example",
        "nationality": "TL",
        "gender": "female",
        "date_of_birth": "1998-05-06",
        "current_institution": "UNTL",
        "degree": "BSc Civil Engineering",
        "field_of_study": "Water engineering",
        "motivation": "Water for Baucau.",
    }
    payload.update(overrides)
    return payload


def test_officer_records_an_application_and_adds_a_pdf(officer, call):
    api = as_user(officer)
    response = api.post(APPLICATIONS, application_payload(call), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["status"] == "submitted" and body["email"] == "rosa@mail.example" and body["attachments"] == []
    application = Application.objects.get()

    added = api.post(f"{APPLICATIONS}{application.pk}/attachments/", {"file": pdf("plan.pdf")}, format="multipart")
    assert added.status_code == 201, added.data
    assert [attachment["name"] for attachment in added.json()["attachments"]] == ["plan.pdf"]

    image = SimpleUploadedFile("photo.pdf", b"\x89PNG fake", content_type="application/pdf")
    refused = api.post(f"{APPLICATIONS}{application.pk}/attachments/", {"file": image}, format="multipart")
    assert refused.status_code == 400 and "not a PDF" in messages(refused, "file")
    assert application.attachments.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"nationality": "BR"}, "nationality", "not eligible"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"gender": "unknown"}, "gender", "valid choice"),
        ({"field_of_study": "Astrology"}, "field_of_study", "fields of study"),
    ],
)
def test_bad_applications_are_a_400_on_the_field(officer, call, overrides, field, words):
    response = as_user(officer).post(APPLICATIONS, application_payload(call, **overrides), format="json")

    assert response.status_code == 400
    assert words in messages(response, field), response.data
    assert not Application.objects.exists()


def test_applications_after_the_close_and_duplicates_are_refused(officer, call, other_org):
    api = as_user(officer)
    assert api.post(APPLICATIONS, application_payload(call), format="json").status_code == 201
    again = api.post(APPLICATIONS, application_payload(call, email=" ROSA@mail.example "), format="json")
    assert again.status_code == 400 and "already applied" in messages(again, "email")

    closed = CallFactory(host=other_org, opens_on=days_ago(60), closes_on=days_ago(1))
    late = api.post(APPLICATIONS, application_payload(closed), format="json")
    assert late.status_code == 400 and "closed" in messages(late, "call")
    assert Application.objects.count() == 1


def test_applications_filter_by_call_status_nationality_gender_and_field(officer, call, other_org):
    first = submit(call, by=officer, nationality="TL", gender="male")
    second = submit(call, by=officer, nationality="ID", field_of_study="Public health")
    elsewhere = submit(CallFactory(host=other_org), by=officer)
    services.application_mark_eligible(application=second, decided_by=officer)
    api = as_user(officer)

    assert set(rows(api.get(APPLICATIONS, {"call": call.pk}))) == {first.pk, second.pk}
    assert set(rows(api.get(APPLICATIONS, {"status": "eligible"}))) == {second.pk}
    assert set(rows(api.get(APPLICATIONS, {"nationality": "TL"}))) == {first.pk}
    assert elsewhere.pk in rows(api.get(APPLICATIONS, {"nationality": "ID"}))
    assert set(rows(api.get(APPLICATIONS, {"gender": "male"}))) == {first.pk}
    assert set(rows(api.get(APPLICATIONS, {"field": "public"}))) == {second.pk}


def test_an_application_goes_from_submission_to_enrolment_through_the_api(
    officer, manager, partner_user, call, applicant
):
    officer_api, manager_api, host_api = as_user(officer), as_user(manager), as_user(partner_user)
    url = f"{APPLICATIONS}{applicant.pk}/"

    assert officer_api.post(f"{url}mark-eligible/").json()["status"] == "eligible"
    assigned = officer_api.post(REVIEWS, {"application": applicant.pk, "reviewer": officer.pk}, format="json")
    assert assigned.status_code == 201, assigned.data
    review_url = f"{REVIEWS}{assigned.json()['id']}/"
    criteria = list(call.criteria.all())

    out_of_range = officer_api.post(
        f"{review_url}score/", {"scores": {str(criteria[0].pk): "11", str(criteria[1].pk): "7"}}, format="json"
    )
    assert out_of_range.status_code == 400
    assert "0 to 10" in " ".join(error_fields(out_of_range)[f"scores.{criteria[0].pk}"])
    scored_now = officer_api.post(
        f"{review_url}score/",
        {"scores": {str(criteria[0].pk): "8.5", str(criteria[1].pk): "7"}, "comments": "Strong."},
        format="json",
    )
    assert scored_now.status_code == 200 and scored_now.json()["state"] == "completed"
    assert [score["score"] for score in scored_now.json()["scores"]] == ["8.5", "7.0"]

    assert officer_api.post(f"{url}shortlist/", {}, format="json").json()["status"] == "shortlisted"
    assert officer_api.post(f"{url}propose-award/", {}, format="json").json()["award_pending"] is True
    own = officer_api.post(f"{url}approve-award/")
    assert own.status_code == 403  # officers do not approve awards
    approved = manager_api.post(f"{url}approve-award/")
    assert approved.status_code == 200 and approved.json()["status"] == "awarded"

    # Now the host institution sees the scholar, personal data included.
    assert host_api.get(url).json()["email"] == applicant.email
    assert host_api.post(f"{url}accept-award/").json()["status"] == "accepted"
    future = host_api.post(f"{url}confirm-enrolment/", {"enrolled_on": str(days_ago(-3))}, format="json")
    assert future.status_code == 400 and "future" in messages(future, "enrolled_on")
    enrolled_now = host_api.post(f"{url}confirm-enrolment/", {"enrolled_on": str(today())}, format="json")
    assert enrolled_now.status_code == 200 and enrolled_now.json()["status"] == "enrolled"
    assert StipendTranche.objects.filter(application=applicant).count() == 12


def test_maker_checker_and_order_of_moves_are_400s(manager, officer, call):
    proposer = staff(Role.MANAGER)
    application = shortlisted(submit(call, by=officer))
    services.application_propose_award(application=application, proposed_by=proposer)

    own = as_user(proposer).post(f"{APPLICATIONS}{application.pk}/approve-award/")
    assert own.status_code == 400 and "another manager" in messages(own)
    early = as_user(officer).post(f"{APPLICATIONS}{application.pk}/complete/", {"completed_on": str(today())})
    assert early.status_code == 400 and "enrolled" in messages(early)
    no_reason = as_user(officer).post(f"{APPLICATIONS}{application.pk}/withdraw/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400 and "reason" in error_fields(no_reason)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED


def test_moves_answer_404_to_those_who_cannot_see_and_403_to_those_who_may_not(
    partner_user, other_partner_user, auditor, scholar, applicant
):
    url = f"{APPLICATIONS}{scholar.pk}/"
    # Another institution never learns the scholar exists.
    assert as_user(other_partner_user).post(f"{url}terminate/", {"reason": "x"}).status_code == 404
    assert (
        as_user(other_partner_user).post(f"{url}confirm-enrolment/", {"enrolled_on": "2020-01-01"}).status_code == 404
    )
    assert as_user(partner_user).post(f"{APPLICATIONS}{applicant.pk}/mark-eligible/").status_code == 404
    # The host sees its scholar but does not run the agency's moves; auditors change nothing.
    assert as_user(partner_user).post(f"{url}terminate/", {"reason": "x"}).status_code == 403
    assert as_user(auditor).post(f"{url}terminate/", {"reason": "x"}).status_code == 403
    assert as_user(auditor).post(APPLICATIONS, {}, format="json").status_code == 403
    assert as_user(partner_user).post(f"{url}attachments/", {"file": pdf()}, format="multipart").status_code == 403
    scholar.refresh_from_db()
    assert scholar.status == ApplicationStatus.ENROLLED and scholar.attachments.count() == 1


def test_a_manager_rejects_a_proposal_and_the_scholar_may_decline(manager, officer, partner_user, call):
    proposed = shortlisted(submit(call, by=officer))
    services.application_propose_award(application=proposed, proposed_by=officer)
    rejected = as_user(manager).post(f"{APPLICATIONS}{proposed.pk}/reject-award/", {"reason": "Budget."}, format="json")
    assert rejected.status_code == 200 and rejected.json()["award_pending"] is False

    offered = awarded(submit(call, by=officer))
    declined = as_user(partner_user).post(
        f"{APPLICATIONS}{offered.pk}/decline-award/", {"reason": "Another offer."}, format="json"
    )
    assert declined.status_code == 200 and declined.json()["status"] == "declined"


# --- reviews --------------------------------------------------------------------------------------------------------


def test_reviewers_see_only_their_own_assignments_and_score_only_their_own(officer, manager, auditor, call):
    application = eligible(submit(call, by=officer))
    other_reviewer = staff()
    theirs = services.review_assign(application=application, reviewer=other_reviewer, assigned_by=officer)
    mine = Review.objects.filter(application=application).exclude(pk=theirs.pk).get()

    assert set(rows(as_user(manager).get(REVIEWS))) == {mine.pk, theirs.pk}
    assert set(rows(as_user(auditor).get(REVIEWS))) == {mine.pk, theirs.pk}
    assert set(rows(as_user(other_reviewer).get(REVIEWS, {"state": "pending"}))) == {theirs.pk}
    scores = {str(criterion.pk): "5" for criterion in call.criteria.all()}
    refused = as_user(manager).post(f"{REVIEWS}{theirs.pk}/score/", {"scores": scores}, format="json")
    assert refused.status_code == 403
    assert as_user(auditor).post(REVIEWS, {"application": application.pk, "reviewer": manager.pk}).status_code == 403


def test_a_recused_reviewer_cannot_score(officer, call):
    application = eligible(submit(call, by=officer))
    review = services.review_assign(application=application, reviewer=officer, assigned_by=officer)
    api = as_user(officer)
    blank = api.post(f"{REVIEWS}{review.pk}/declare-conflict/", {"conflict_note": ""}, format="json")
    assert blank.status_code == 400 and "conflict_note" in error_fields(blank)
    assert api.post(f"{REVIEWS}{review.pk}/declare-conflict/", {"conflict_note": "Former student."}).status_code == 200

    scores = {str(criterion.pk): "9" for criterion in call.criteria.all()}
    refused = api.post(f"{REVIEWS}{review.pk}/score/", {"scores": scores}, format="json")
    assert refused.status_code == 400 and "conflict of interest" in messages(refused)
    assert not review.scores.exists()


def test_assigning_a_partner_user_as_reviewer_is_refused(officer, applicant, partner_user):
    response = as_user(officer).post(REVIEWS, {"application": applicant.pk, "reviewer": partner_user.pk}, format="json")
    assert response.status_code == 400 and "reviewer" in error_fields(response)
    assert not Review.objects.filter(application=applicant).exists()


# --- stipends and progress reports ----------------------------------------------------------------------------------


def test_the_host_reports_progress_the_officer_accepts_and_the_manager_approves_the_tranche(
    officer, manager, partner_user, other_partner_user, scholar
):
    gated = scholar.tranches.get(number=7)  # month 6: waits for the first term's report
    refused = as_user(manager).post(f"{TRANCHES}{gated.pk}/approve/")
    assert refused.status_code == 400 and "progress report" in messages(refused)

    payload = {"application": scholar.pk, "term_label": "Semester 1", "period_end": str(days_ago(15)), "result": "3.5"}
    assert as_user(other_partner_user).post(REPORTS, payload, format="json").status_code == 404
    assert as_user(officer).post(REPORTS, payload, format="json").status_code == 403
    future = as_user(partner_user).post(REPORTS, {**payload, "period_end": str(days_ago(-5))}, format="json")
    assert future.status_code == 400 and "period_end" in error_fields(future)
    created = as_user(partner_user).post(REPORTS, payload, format="json")
    assert created.status_code == 201, created.data
    report_url = f"{REPORTS}{created.json()['id']}/"

    assert as_user(partner_user).post(f"{report_url}accept/").status_code == 403
    assert as_user(officer).post(f"{report_url}accept/").json()["status"] == "accepted"
    approved = as_user(manager).post(f"{TRANCHES}{gated.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    paid = as_user(officer).post(
        f"{TRANCHES}{gated.pk}/pay/", {"paid_on": str(today()), "payment_reference": "BNI-1"}, format="json"
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid" and paid.json()["amount"] == "1000.00"


def test_a_returned_report_needs_a_reason_and_a_tranche_can_be_cancelled(officer, partner_user, scholar):
    report = services.progress_report_submit(
        application=scholar, submitted_by=partner_user, term_label="S1", period_end=days_ago(10), result="Pass"
    )
    api = as_user(officer)
    assert api.post(f"{REPORTS}{report.pk}/return/", {"reason": ""}, format="json").status_code == 400
    returned = api.post(f"{REPORTS}{report.pk}/return/", {"reason": "Transcript missing."}, format="json")
    assert returned.status_code == 200 and returned.json()["return_reason"] == "Transcript missing."
    assert set(rows(as_user(partner_user).get(REPORTS, {"status": "returned"}))) == {report.pk}

    last = scholar.tranches.order_by("number").last()
    cancelled = api.post(f"{TRANCHES}{last.pk}/cancel/", {"reason": "Scholar left early."}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert set(rows(api.get(TRANCHES, {"status": "cancelled"}))) == {last.pk}
    assert as_user(partner_user).post(f"{TRANCHES}{last.pk}/pay/", {"paid_on": str(today())}).status_code == 403
    assert StipendTranche.objects.get(pk=last.pk).status == TrancheStatus.CANCELLED


# --- exchange activities --------------------------------------------------------------------------------------------


def activity_payload(programme, host, **overrides) -> dict:
    payload = {
        "programme": programme.pk,
        "title": "Weaving workshop",
        "kind": "cultural_exchange",
        "starts_on": str(days_ago(10)),
        "ends_on": str(days_ago(8)),
        "country": "TL",
        "city": "Dili",
        "host": host.pk,
        "partners": [],
    }
    payload.update(overrides)
    return payload


def test_officer_plans_an_activity_and_the_host_reports_participants(
    officer, partner_user, other_partner_user, technical_programme, partner_org
):
    created = as_user(officer).post(ACTIVITIES, activity_payload(technical_programme, partner_org), format="json")
    assert created.status_code == 201, created.data
    url = f"{ACTIVITIES}{created.json()['id']}/"
    late = as_user(officer).patch(url, {"ends_on": str(days_ago(20))}, format="json")
    assert late.status_code == 400 and "before the start" in messages(late, "ends_on")

    report = {
        "women": 3,
        "men": 1,
        "other_gender": 0,
        "outcome_notes": "Two new patterns.",
        "participants": [{"name": "Rosa", "gender": "female", "country": "TL"}, {"name": "Ana", "gender": "female"}],
    }
    assert as_user(other_partner_user).post(f"{url}report/", report, format="json").status_code == 404
    too_many = as_user(partner_user).post(f"{url}report/", {**report, "women": 1}, format="json")
    assert too_many.status_code == 400 and "more than this count" in messages(too_many, "women")
    reported = as_user(partner_user).post(f"{url}report/", report, format="json")
    assert reported.status_code == 200, reported.data
    assert (reported.json()["participants_count"], reported.json()["listed_participants"]) == (4, 2)
    detail = as_user(partner_user).get(url).json()
    assert [(row["name"], row["country"]) for row in detail["participants"]] == [("Ana", None), ("Rosa", "TL")]
    assert as_user(partner_user).patch(url, {"title": "Mine now"}, format="json").status_code == 403


def test_a_participant_count_too_large_to_store_is_a_400_on_the_field(partner_user, partner_org):
    activity = ExchangeActivityFactory(host=partner_org)
    report = {"women": 10**20, "men": 1, "other_gender": 0}

    response = as_user(partner_user).post(f"{ACTIVITIES}{activity.pk}/report/", report, format="json")

    assert response.status_code == 400 and "women" in error_fields(response)
    activity.refresh_from_db()
    assert (activity.women, activity.men) == (0, 0)


def test_activities_filter_by_kind_programme_and_country(officer, partner_org, other_org):
    training = ExchangeActivityFactory(host=partner_org, kind="training")
    event = ExchangeActivityFactory(host=other_org, kind="cultural_event", country_id="TL")
    api = as_user(officer)

    assert set(rows(api.get(ACTIVITIES, {"kind": "training"}))) == {training.pk}
    assert set(rows(api.get(ACTIVITIES, {"programme": event.programme_id}))) == {event.pk}
    assert set(rows(api.get(ACTIVITIES, {"country": "TL"}))) == {event.pk}


def test_activity_partners_must_take_part_in_the_programme(officer, technical_programme, partner_org, other_org):
    outsider = OrganisationFactory()
    payload = activity_payload(technical_programme, partner_org, partners=[outsider.pk])
    response = as_user(officer).post(ACTIVITIES, payload, format="json")
    assert response.status_code == 400 and "Not taking part" in messages(response, "partners")
    assert not ExchangeActivity.objects.exists()


# --- query counts ---------------------------------------------------------------------------------------------------


def _calls(count, org, officer):
    for _ in range(count):
        CallFactory(host=org)


def _applications(count, org, officer):
    call = CallFactory(host=org)
    for _ in range(count):
        application = ApplicationFactory(call=call, awarded_at=call.created_at, award_proposed_by=officer)
        AttachmentFactory(application=application)


def _reviews(count, org, officer):
    call = CallFactory(host=org)
    for _ in range(count):
        review = ReviewFactory(application=ApplicationFactory(call=call), reviewer=officer)
        ScoreFactory(review=review)


def _tranches(count, org, officer):
    call = CallFactory(host=org)
    for _ in range(count):
        application = ApplicationFactory(
            call=call, status="enrolled", awarded_at=call.created_at, award_proposed_by=officer
        )
        StipendTrancheFactory(application=application, number=1)


def _reports(count, org, officer):
    call = CallFactory(host=org)
    for _ in range(count):
        application = ApplicationFactory(
            call=call, status="enrolled", awarded_at=call.created_at, award_proposed_by=officer
        )
        ProgressReportFactory(application=application)


def _activities(count, org, officer):
    for _ in range(count):
        activity = ExchangeActivityFactory(host=org)
        partner = OrganisationFactory()
        take_part(activity.programme, partner)
        activity.partners.add(partner)
        ParticipantFactory(activity=activity)


LISTS = [
    (CALLS, _calls),
    (APPLICATIONS, _applications),
    (REVIEWS, _reviews),
    (TRANCHES, _tranches),
    (REPORTS, _reports),
    (ACTIVITIES, _activities),
]
# Partner users do not read reviews (403); every other list is read by each role.
CASES = [(url, build, role) for url, build in LISTS for role in ("officer", "auditor", "partner_user")]
CASES = [case for case in CASES if case[::2] != (REVIEWS, "partner_user")]


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("url", "build", "role"), CASES, ids=[f"{url.split('/')[3]}-{role}" for url, _, role in CASES])
def test_list_query_counts_stay_flat(request, url, build, role, officer, partner_org):
    api = as_user(request.getfixturevalue(role))
    build(3, partner_org, officer)
    assert api.get(url).json()["count"] == 3  # and the user's permissions are loaded once
    few = _queries(api, url)
    build(27, partner_org, officer)
    assert _queries(api, url) == few
    assert api.get(url).json()["count"] == 30


# --- schema -----------------------------------------------------------------------------------------------------------


def test_schema_documents_the_personal_fields_as_nullable(officer):
    api = as_user(officer)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    application = schema["components"]["schemas"]["Application"]["properties"]
    for field in PERSONAL:
        assert application[field]["nullable"] is True
        assert "personal_data_visible" in application[field]["description"]
    paths = schema["paths"]
    assert set(paths["/api/v1/scholarship-calls/{id}/"]) == {"get", "put", "patch"}
    assert set(paths["/api/v1/scholarship-applications/{id}/confirm-enrolment/"]) == {"post"}
    assert set(paths["/api/v1/stipend-tranches/{id}/"]) == {"get"}
    parameters = {parameter["name"] for parameter in paths["/api/v1/scholarship-applications/"]["get"]["parameters"]}
    assert {"call", "status", "nationality", "gender", "field", "source"} <= parameters
    parameters = {parameter["name"] for parameter in paths["/api/v1/exchange-activities/"]["get"]["parameters"]}
    assert {"kind", "programme", "country"} <= parameters


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (ACTIVITIES, "programme"),
        (ACTIVITIES, "host"),
        (REVIEWS, "reviewer"),
        (REVIEWS, "application"),
        (REPORTS, "application"),
        (TRANCHES, "call"),
    ],
)
def test_an_id_too_large_for_the_database_is_a_400_on_the_filter(officer, url, parameter):
    response = as_user(officer).get(url, {parameter: "9" * 40})

    assert response.status_code == 400
    assert parameter in error_fields(response)
