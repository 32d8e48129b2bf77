"""The reviewer's pages (my reviews, the rubric, the conflict declaration), assigning reviewers, the ranking and
the awards queue, as the people who use them see them."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.roles import Perm, Role
from programs.scholarships import services
from programs.scholarships.models import Review, Score
from tests.factories import MembershipFactory, UserFactory
from tests.programs.scholarships.factories import CallFactory, pdf, scored, shortlisted, staff, submit

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def call():
    return CallFactory(awards_available=2)  # rubric: Academic merit × 3, Motivation × 1


@pytest.fixture
def application(call, officer):
    application = submit(call, applicant_name="Maria da Costa", email="maria@mail.example")
    services.attachment_add(application=application, uploaded_by=officer, file=pdf("transcript.pdf"))
    services.application_mark_eligible(application=application, decided_by=officer)
    return application


@pytest.fixture
def review(application, officer):
    return services.review_assign(application=application, reviewer=officer, assigned_by=staff())


def detail(review):
    return reverse("scholarships:review_detail", args=[review.pk])


def field_errors(response, name: str) -> list[str]:
    """The error messages shown inside the field block of ``name``."""
    html = response.content.decode()
    block = re.search(rf'<div class="field[^"]* field-error" id="field-{name}">(.*?)</div>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def rubric_post(review, merit, motivation, comments=""):
    first, second = review.application.call.criteria.all()
    return {f"criterion_{first.pk}": merit, f"criterion_{second.pk}": motivation, "comments": comments}


def grant(user, *perms: Perm):
    for perm in perms:
        app_label, codename = perm.value.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


# --- the reviewer's side ------------------------------------------------------------------------------------------


def test_the_assigned_reviewer_scores_the_rubric(client, officer, review):
    client.force_login(officer)
    page = client.get(detail(review))
    assert page.status_code == 200
    assert "Maria da Costa" in page.text and "maria@mail.example" in page.text and "transcript.pdf" in page.text
    assert "Academic merit (weight 3)" in page.text and "Motivation (weight 1)" in page.text

    response = client.post(detail(review), rubric_post(review, "8", "6.5", "Strong transcript."))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.completed_at is not None and review.comments == "Strong transcript."
    assert sorted(Score.objects.filter(review=review).values_list("score", flat=True)) == [D("6.5"), D("8")]
    listing = client.get(reverse("scholarships:review_list"))
    assert 'data-state="completed"' in listing.text and "Scored" in listing.text


@pytest.mark.parametrize(
    ("merit", "message"),
    [
        ("10.5", "A score is from 0 to 10."),
        ("-1", "A score is from 0 to 10."),
        ("abc", "Enter a number."),
        ("7.25", "Use at most one decimal place."),
        ("", "Score Academic merit."),
    ],
)
def test_bad_scores_are_refused_next_to_their_criterion(client, officer, review, merit, message):
    client.force_login(officer)
    response = client.post(detail(review), rubric_post(review, merit, "6"))
    assert response.status_code == 200
    merit_criterion = review.application.call.criteria.get(name="Academic merit")
    assert field_errors(response, f"criterion_{merit_criterion.pk}") == [message]
    assert Score.objects.count() == 0
    review.refresh_from_db()
    assert review.completed_at is None


def test_declaring_a_conflict_recuses_the_reviewer_who_then_cannot_score(client, officer, review):
    client.force_login(officer)
    response = client.post(
        reverse("scholarships:review_conflict", args=[review.pk]), {"conflict_note": "She is my niece."}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_recused and review.conflict_note == "She is my niece."

    page = client.get(detail(review))
    assert "Recused" in page.text and "She is my niece." in page.text
    assert "Save scores" not in page.text  # no rubric form
    # Officers may see personal data elsewhere, but not on the file they stepped away from.
    assert "maria@mail.example" not in page.text and "transcript.pdf" not in page.text

    refused = client.post(detail(review), rubric_post(review, "8", "8"))
    assert refused.status_code == 200
    assert "You declared a conflict of interest on this application, so you cannot score it." in refused.text
    assert Score.objects.count() == 0
    assert 'data-state="recused"' in client.get(reverse("scholarships:review_list")).text


def test_a_conflict_needs_a_note(client, officer, review):
    client.force_login(officer)
    response = client.post(reverse("scholarships:review_conflict", args=[review.pk]), {"conflict_note": "  "})
    assert response.status_code == 200
    assert field_errors(response, "conflict_note") == ["Say what the conflict of interest is."]
    review.refresh_from_db()
    assert not review.is_recused


def test_a_reviewer_without_general_access_to_personal_data_loses_it_when_recused(client, application):
    reviewer = UserFactory(is_staff=True)
    grant(reviewer, Perm.ACCESS_WORKSPACE, Perm.VIEW_APPLICATION, Perm.REVIEW_APPLICATION)
    review = services.review_assign(application=application, reviewer=reviewer, assigned_by=staff())
    client.force_login(reviewer)
    assert "maria@mail.example" in client.get(detail(review)).text
    services.review_declare_conflict(review=review, reviewer=reviewer, note="Former student.")
    page = client.get(detail(review))
    assert page.status_code == 200
    assert "maria@mail.example" not in page.text and "transcript.pdf" not in page.text
    assert "Email, date of birth and files are shown only to those who need them." in page.text


def test_only_the_assigned_reviewer_opens_a_review(client, review, manager, auditor, admin_user, partner_user):
    for user in (manager, auditor, admin_user, partner_user, staff()):
        client.force_login(user)
        assert client.get(detail(review)).status_code == 404, user
        conflict = client.post(reverse("scholarships:review_conflict", args=[review.pk]), {"conflict_note": "x"})
        assert conflict.status_code == 404
        assert client.post(detail(review), rubric_post(review, "5", "5")).status_code == 404
    review.refresh_from_db()
    assert not review.is_recused and review.completed_at is None


def test_a_closed_review_is_read_only(client, officer, application):
    review = scored(application, D("8"), D("6"), reviewer=officer)
    services.application_shortlist(application=application, decided_by=staff())
    services.application_withdraw(application=application, withdrawn_by=staff(), reason="Took another offer.")
    client.force_login(officer)
    page = client.get(detail(review))
    assert page.status_code == 200
    assert "reviews are closed" in page.text and "Save scores" not in page.text and "Save new scores" not in page.text
    assert "<dd>8.0</dd>" in page.text


def test_my_reviews_reads_a_constant_number_of_queries(client, officer, call):
    def assign(count):
        for _ in range(count):
            services.review_assign(application=submit(call), reviewer=officer, assigned_by=staff())

    client.force_login(officer)
    assign(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("scholarships:review_list")).status_code == 200
    assign(8)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("scholarships:review_list"))
    assert response.text.count('data-state="pending"') == 10
    assert len(many) == len(few)


# --- assigning reviewers ------------------------------------------------------------------------------------------


def test_officers_assign_reviewers_to_many_applications_at_once(client, officer, manager, call, application):
    second = submit(call, applicant_name="Ana Soares")
    client.force_login(officer)
    url = reverse("scholarships:call_reviewers", args=[call.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Maria da Costa" in page.text and "Ana Soares" in page.text
    response = client.post(
        url, {f"reviewers_{application.pk}": [officer.pk, manager.pk], f"reviewers_{second.pk}": [manager.pk]}
    )
    assert response.status_code == 302
    assert set(Review.objects.values_list("application_id", "reviewer_id")) == {
        (application.pk, officer.pk),
        (application.pk, manager.pk),
        (second.pk, manager.pk),
    }


def test_one_refused_assignment_saves_none(client, officer, manager, call, application, monkeypatch):
    second = submit(call, applicant_name="Ana Soares")
    real_assign = services.review_assign

    def refusing_the_second(*, application, reviewer, assigned_by):
        if application.pk == second.pk:
            raise ValidationError({"reviewer": "This reviewer is already assigned to this application."})
        return real_assign(application=application, reviewer=reviewer, assigned_by=assigned_by)

    monkeypatch.setattr(services, "review_assign", refusing_the_second)
    client.force_login(officer)
    url = reverse("scholarships:call_reviewers", args=[call.pk])
    response = client.post(url, {f"reviewers_{application.pk}": [officer.pk], f"reviewers_{second.pk}": [manager.pk]})
    assert response.status_code == 200
    assert "This reviewer is already assigned to this application." in response.text
    assert "Nothing was assigned" in response.text
    assert Review.objects.count() == 0


def test_only_reviewers_can_be_chosen(client, officer, auditor, application, call):
    client.force_login(officer)
    url = reverse("scholarships:call_reviewers", args=[call.pk])
    response = client.post(url, {f"reviewers_{application.pk}": [auditor.pk]})
    assert response.status_code == 200
    assert field_errors(response, f"reviewers_{application.pk}") == [
        f"Select a valid choice. {auditor.pk} is not one of the available choices."
    ]
    assert Review.objects.count() == 0


def test_assigning_one_reviewer_from_the_application_page(client, officer, manager, application):
    client.force_login(officer)
    url = reverse("scholarships:application_review_assign", args=[application.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"reviewer": manager.pk}).status_code == 302
    assert Review.objects.filter(application=application, reviewer=manager).exists()
    again = client.post(url, {"reviewer": manager.pk}, follow=True)
    assert "This reviewer is already assigned to this application." in again.text
    assert Review.objects.filter(application=application).count() == 1


def test_a_reviewer_who_has_not_scored_can_be_taken_off(client, officer, manager, application, review):
    scored_review = scored(application, D("7"), D("7"), reviewer=manager)
    client.force_login(officer)
    assert client.post(reverse("scholarships:review_unassign", args=[review.pk])).status_code == 302
    assert not Review.objects.filter(pk=review.pk).exists()
    refused = client.post(reverse("scholarships:review_unassign", args=[scored_review.pk]), follow=True)
    assert "This reviewer has already scored the application: the review stays." in refused.text
    assert Review.objects.filter(pk=scored_review.pk).exists()


def test_auditors_and_partners_cannot_assign(client, auditor, partner_user, manager, application, review, call):
    client.force_login(auditor)
    assert client.get(reverse("scholarships:call_reviewers", args=[call.pk])).status_code == 403
    assert client.post(reverse("scholarships:review_unassign", args=[review.pk])).status_code == 403
    assign = reverse("scholarships:application_review_assign", args=[application.pk])
    assert client.post(assign, {"reviewer": manager.pk}).status_code == 403
    client.force_login(partner_user)
    assert client.post(reverse("scholarships:review_unassign", args=[review.pk])).status_code == 404
    assert client.post(assign, {"reviewer": manager.pk}).status_code == 404
    assert Review.objects.count() == 1


# --- ranking and awards -------------------------------------------------------------------------------------------


def _score_cells(response) -> dict[str, str]:
    html = response.content.decode()
    rows = re.findall(r'<tr data-application="(\d+)">(.*?)</tr>', html, re.S)
    return {pk: re.search(r"data-score>(.*?)</td>", row, re.S).group(1).strip() for pk, row in rows}


def test_the_ranking_shows_the_hand_computed_weighted_averages(client, auditor, call):
    first = submit(call, applicant_name="First")
    second = submit(call, applicant_name="Second")
    unscored = submit(call, applicant_name="Unscored")
    # Merit × 3, motivation × 1: (8·3 + 6)/4 = 7.5 and (9·3 + 5)/4 = 8.0, mean 7.75; (7·3 + 8)/4 = 7.25.
    scored(first, D("8"), D("6"))
    scored(first, D("9"), D("5"))
    scored(second, D("7"), D("8"))
    recused = services.review_assign(application=second, reviewer=staff(), assigned_by=staff())
    services.review_declare_conflict(review=recused, reviewer=recused.reviewer, note="Colleague.")
    services.review_assign(application=unscored, reviewer=staff(), assigned_by=staff())

    client.force_login(auditor)
    response = client.get(reverse("scholarships:call_ranking", args=[call.pk]))
    assert response.status_code == 200
    assert _score_cells(response) == {str(first.pk): "7.75", str(second.pk): "7.25", str(unscored.pk): "—"}
    text = response.text
    assert text.index("First") < text.index("Second") < text.index("Unscored")
    assert "2 of 2" in text and "1 of 2" in text and "0 of 1" in text and "1 recused" in text
    assert "0 of 2" in text  # awards made of available
    assert "Next step" not in text and "<form" not in text.split("<main")[1]  # auditors change nothing


def test_the_ranking_offers_the_next_step_in_ranking_order(client, officer, call):
    ready = shortlisted(submit(call, applicant_name="Shortlisted one"), D("6"), D("6"))
    eligible = submit(call, applicant_name="Eligible one")
    services.application_mark_eligible(application=eligible, decided_by=staff())
    scored(eligible, D("9"), D("9"))
    client.force_login(officer)
    html = client.get(reverse("scholarships:call_ranking", args=[call.pk])).text
    assert reverse("scholarships:application_shortlist", args=[eligible.pk]) in html
    assert reverse("scholarships:application_propose_award", args=[ready.pk]) in html


def test_the_ranking_reads_a_constant_number_of_queries(client, officer, call):
    def add(count):
        for _ in range(count):
            scored(submit(call), D("7"), D("6"))

    client.force_login(officer)
    url = reverse("scholarships:call_ranking", args=[call.pk])
    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(_score_cells(response)) == 8
    assert len(many) == len(few)


def test_the_awards_queue(client, call):
    proposer, other_manager = staff(Role.MANAGER), staff(Role.MANAGER)
    proposed = shortlisted(submit(call, applicant_name="Proposed scholar"))
    services.application_propose_award(application=proposed, proposed_by=proposer, reason="Top of the ranking.")
    url = reverse("scholarships:award_list")

    client.force_login(proposer)
    own = client.get(url)
    assert "Proposed scholar" in own.text and "Top of the ranking." in own.text
    assert "You proposed this award, so another manager must approve it." in own.text
    assert reverse("scholarships:application_approve_award", args=[proposed.pk]) not in own.text

    client.force_login(other_manager)
    page = client.get(url)
    assert reverse("scholarships:application_approve_award", args=[proposed.pk]) in page.text
    assert 'name="reject_award-reason"' in page.text
    quota = re.search(rf'<tr data-call="{call.pk}">(.*?)</tr>', page.text, re.S).group(1)
    assert re.findall(r'class="num"[^>]*>(\d+)</td>', quota) == ["0", "2", "1"]

    services.application_approve_award(application=proposed, approved_by=other_manager)
    after = client.get(url)
    assert "No award is waiting for approval." in after.text
    assert "Recently approved awards" in after.text and "Proposed scholar" in after.text
    quota = re.search(rf'<tr data-call="{call.pk}">(.*?)</tr>', after.text, re.S).group(1)
    assert re.findall(r'class="num"[^>]*>(\d+)</td>', quota) == ["1", "2", "0"]


def test_the_awards_queue_offers_no_approval_once_the_quota_is_full(client):
    call = CallFactory(awards_available=1)
    proposer, other_manager = staff(Role.MANAGER), staff(Role.MANAGER)
    first = shortlisted(submit(call, applicant_name="First scholar"), D("9"), D("9"))
    second = shortlisted(submit(call, applicant_name="Second scholar"), D("6"), D("6"))
    services.application_propose_award(application=first, proposed_by=proposer, reason="")
    services.application_propose_award(application=second, proposed_by=proposer, reason="")
    services.application_approve_award(application=first, approved_by=other_manager)

    client.force_login(other_manager)
    page = client.get(reverse("scholarships:award_list")).text
    waiting = re.search(rf'<tr data-application="{second.pk}">(.*?)</tr>', page, re.S).group(1)
    assert reverse("scholarships:application_approve_award", args=[second.pk]) not in waiting
    assert "The only award of this call is taken: no further award can be made." in waiting
    assert reverse("scholarships:application_reject_award", args=[second.pk]) in waiting


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("scholarships:review_list", {"officer", "manager", "admin"}),
        ("scholarships:award_list", {"officer", "manager", "auditor", "admin"}),
    ],
)
def test_who_opens_the_lists(client, officer, manager, auditor, admin_user, partner_user, name, allowed):
    for role, user in {
        "officer": officer,
        "manager": manager,
        "auditor": auditor,
        "admin": admin_user,
        "partner": partner_user,
    }.items():
        client.force_login(user)
        status = client.get(reverse(name)).status_code
        assert (status == 200) == (role in allowed), (role, status)


def test_partners_never_see_the_ranking(client, call, partner_org):
    host = MembershipFactory(organisation=call.host).user
    client.force_login(host)
    assert client.get(reverse("scholarships:call_ranking", args=[call.pk])).status_code == 404
    assert client.get(reverse("scholarships:call_reviewers", args=[call.pk])).status_code == 404
