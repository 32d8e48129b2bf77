"""The officers' application pages: the list and its filters, the application's page, its moves and its files,
as officers, managers, auditors, assigned reviewers and partner users see them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats

from cooperation.roles import Role
from programs.scholarships import services
from programs.scholarships.models import Application, ApplicationStatus, Attachment
from tests.factories import UserFactory, country
from tests.programs.scholarships.factories import (
    PDF_BYTES,
    ApplicationFactory,
    AttachmentFactory,
    CallFactory,
    ReviewFactory,
    StipendTrancheFactory,
    awarded,
    days_ago,
    eligible,
    enrolled,
    host_user,
    pdf,
    shortlisted,
    staff,
    submit,
    today,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def text(response) -> str:
    return response.content.decode()


def list_page(client, **params):
    return client.get(reverse("scholarships:application_list"), params)


def detail(client, application):
    return client.get(reverse("scholarships:application_detail", args=[application.pk]))


def move(client, name, application, data=None):
    return client.post(reverse(f"scholarships:application_{name}", args=[application.pk]), data or {})


def reload(application) -> Application:
    return Application.objects.get(pk=application.pk)


def reviewer_without_personal_data_rights():
    """An auditor who also reviews: sees every application, but personal data only where assigned."""
    user = UserFactory(role=Role.AUDITOR)
    user.user_permissions.add(Permission.objects.get(codename="review_application"))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def call(partner_org):
    return CallFactory(host=partner_org, title="Water engineering masters")


@pytest.fixture
def applicant(call):
    application = ApplicationFactory(call=call, applicant_name="Ana Soares", email="ana.soares@mail.example")
    AttachmentFactory(application=application, original_name="ana-cv.pdf")
    return application


# --- the list -----------------------------------------------------------------------------------------------------


def test_list_filters_by_call_status_nationality_gender_field_and_name(client, officer, call):
    other_call = CallFactory(title="Public health doctorates")
    ApplicationFactory(call=call, applicant_name="Ana Soares", nationality=country("TL"), gender="female")
    ApplicationFactory(
        call=call, applicant_name="Budi Santoso", status=S.ELIGIBLE, gender="male", field_of_study="Public health"
    )
    ApplicationFactory(call=other_call, applicant_name="Cita Lestari", status=S.SHORTLISTED)
    client.force_login(officer)

    def names(**params) -> set[str]:
        body = text(list_page(client, **params))
        return {name for name in ("Ana Soares", "Budi Santoso", "Cita Lestari") if name in body}

    assert names() == {"Ana Soares", "Budi Santoso", "Cita Lestari"}
    assert names(call=call.pk) == {"Ana Soares", "Budi Santoso"}
    assert names(status=["eligible", "shortlisted"]) == {"Budi Santoso", "Cita Lestari"}
    assert names(nationality="TL") == {"Ana Soares"}
    assert names(gender="male") == {"Budi Santoso"}
    assert names(field="health") == {"Budi Santoso"}
    assert names(q="cita") == {"Cita Lestari"}


def test_list_shows_weighted_score_and_reviews_in(client, officer, call):
    application = submit(call)
    eligible(application, Decimal("8"), Decimal("4"))  # (8×3 + 4×1) / 4 = 7.00
    ReviewFactory(application=application)  # assigned, not scored yet
    client.force_login(officer)
    body = text(list_page(client))
    assert "7.00" in body
    assert "1 of 2" in body


def test_the_list_sorts_by_a_column_header_and_keeps_the_filters(client, officer, call):
    low, high = submit(call, applicant_name="Low Score"), submit(call, applicant_name="High Score")
    unscored = submit(call, applicant_name="Not Scored")
    eligible(low, Decimal("4"), Decimal("4"))
    eligible(high, Decimal("9"), Decimal("9"))
    ApplicationFactory(call=CallFactory(), applicant_name="Other Call")
    client.force_login(officer)

    def order(**params) -> list[str]:
        body = text(list_page(client, call=call.pk, **params))
        names = [low.applicant_name, high.applicant_name, unscored.applicant_name, "Other Call"]
        return sorted((name for name in names if name in body), key=body.index)

    assert order(ordering="-score") == ["High Score", "Low Score", "Not Scored"]
    assert order(ordering="score") == ["Low Score", "High Score", "Not Scored"]
    assert order(ordering="applicant") == ["High Score", "Low Score", "Not Scored"]
    header = text(list_page(client, call=call.pk, ordering="score"))
    assert 'aria-sort="ascending"' in header and "ordering=-score" in header
    assert list_page(client, ordering="nonsense").status_code == 200


def test_garbage_filters_never_fail(client, officer, applicant):
    client.force_login(officer)
    response = list_page(client, call="x", status="nonsense", nationality="ZZ", gender="?", page="abc")
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER])
def test_officers_and_managers_see_emails_in_the_list(client, role, applicant):
    client.force_login(staff(role))
    assert "ana.soares@mail.example" in text(list_page(client))


def test_auditors_see_the_list_without_emails(client, auditor, applicant):
    client.force_login(auditor)
    body = text(list_page(client))
    assert "Ana Soares" in body
    assert "ana.soares@mail.example" not in body
    assert ">Email<" not in body


def test_an_assigned_reviewer_sees_the_email_of_their_application_only(client, call, applicant):
    other = ApplicationFactory(call=call, applicant_name="Budi Santoso", email="budi@mail.example")
    reviewer = reviewer_without_personal_data_rights()
    ReviewFactory(application=applicant, reviewer=reviewer)
    client.force_login(reviewer)
    body = text(list_page(client))
    assert "ana.soares@mail.example" in body
    assert "Budi Santoso" in body and "budi@mail.example" not in body
    assert "budi@mail.example" not in text(detail(client, other))


def test_partner_users_cannot_open_the_list(client, partner_user, applicant):
    client.force_login(partner_user)
    assert list_page(client).status_code == 403


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert list_page(client).status_code == 200
    return len(queries)


def test_list_query_count_stays_flat(client, officer):
    client.force_login(officer)
    call = CallFactory()
    ReviewFactory(application=ApplicationFactory(call=call))
    few = _list_queries(client)
    for _ in range(3):
        other_call = CallFactory()
        for _ in range(4):
            application = ApplicationFactory(call=other_call)
            ReviewFactory(application=application)
            AttachmentFactory(application=application)
    assert _list_queries(client) == few


# --- the application's page and its files -------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER])
def test_staff_who_need_it_see_email_birth_date_and_file_links(client, role, applicant):
    client.force_login(staff(role))
    body = text(detail(client, applicant))
    attachment = applicant.attachments.get()
    assert "ana.soares@mail.example" in body
    assert "12 April 1998" in body or "April 12, 1998" in body
    assert reverse("scholarships:attachment_download", args=[attachment.pk]) in body
    assert "ana-cv.pdf" in body


def test_auditors_see_the_application_without_personal_data(client, auditor, applicant):
    client.force_login(auditor)
    response = detail(client, applicant)
    body = text(response)
    assert response.status_code == 200
    assert "Ana Soares" in body and "Water engineering" in body
    assert "ana.soares@mail.example" not in body
    # The date of birth, as the page would show it (a bare "1998" could be part of a timestamp in the history).
    assert formats.date_format(applicant.date_of_birth, "DATE_FORMAT") not in body
    assert applicant.date_of_birth.isoformat() not in body
    assert "ana-cv.pdf" not in body
    assert "/applications/attachments/" not in body
    assert "1 file, shown only to those who need it." in body


def test_a_recused_reviewer_no_longer_sees_personal_data(client, applicant):
    reviewer = reviewer_without_personal_data_rights()
    review = ReviewFactory(application=applicant, reviewer=reviewer)
    client.force_login(reviewer)
    assert "ana.soares@mail.example" in text(detail(client, applicant))
    services.review_declare_conflict(review=review, reviewer=reviewer, note="My cousin.")
    assert "ana.soares@mail.example" not in text(detail(client, applicant))


def test_partner_users_get_404_on_the_application_page(client, partner_user, applicant):
    client.force_login(partner_user)
    assert detail(client, applicant).status_code == 404


def test_the_page_shows_reviews_with_scores_and_recusals(client, officer, call):
    application = submit(call)
    eligible(application, Decimal("9"), Decimal("5"))
    recused = staff()
    review = services.review_assign(application=application, reviewer=recused, assigned_by=officer)
    services.review_declare_conflict(review=review, reviewer=recused, note="Former student.")
    client.force_login(officer)
    body = text(detail(client, application))
    assert "Academic merit: 9" in body and "Motivation: 5" in body
    assert "Recused (conflict of interest)" in body
    assert "8.00" in body  # (9×3 + 5) / 4


def test_the_page_lists_tranches_and_reports_read_only(client, officer, call):
    application = enrolled(submit(call), on=days_ago(100))
    client.force_login(officer)
    body = text(detail(client, application))
    assert 'data-tranche="' in body
    assert "Enrolled" in body


def test_each_progress_report_links_to_its_page_where_the_officer_decides(client, officer, call):
    application = enrolled(submit(call), on=days_ago(100))
    report = services.progress_report_submit(
        application=application,
        submitted_by=host_user(call.host),
        term_label="First term",
        period_end=days_ago(2),
        result="Pass",
    )
    client.force_login(officer)
    assert reverse("scholarships:report_detail", args=[report.pk]) in text(detail(client, application))


def _download(client, attachment):
    return client.get(reverse("scholarships:attachment_download", args=[attachment.pk]))


def test_download_streams_the_file_as_an_attachment_to_officers(client, officer, applicant):
    client.force_login(officer)
    response = _download(client, applicant.attachments.get())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "ana-cv.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_download_is_404_for_auditors_and_other_partners_and_login_first_for_strangers(
    client, auditor, other_partner_user, partner_user, applicant
):
    attachment = applicant.attachments.get()
    for user in (auditor, other_partner_user, partner_user):  # the host: not awarded yet
        client.force_login(user)
        assert _download(client, attachment).status_code == 404
    client.logout()
    assert _download(client, attachment).status_code == 302


def test_the_host_institution_downloads_after_the_award(client, call, partner_user, other_partner_user):
    application = awarded(submit(call))
    attachment = AttachmentFactory(application=application)
    client.force_login(partner_user)
    assert _download(client, attachment).status_code == 200
    client.force_login(other_partner_user)
    assert _download(client, attachment).status_code == 404


def test_an_assigned_reviewer_downloads_until_recused(client, applicant):
    reviewer = reviewer_without_personal_data_rights()
    review = ReviewFactory(application=applicant, reviewer=reviewer)
    attachment = applicant.attachments.get()
    client.force_login(reviewer)
    assert _download(client, attachment).status_code == 200
    services.review_declare_conflict(review=review, reviewer=reviewer, note="Conflict.")
    assert _download(client, attachment).status_code == 404


def _detail_queries(client, application) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert detail(client, application).status_code == 200
    return len(queries)


def test_detail_query_count_stays_flat(client, officer):
    client.force_login(officer)
    few = ApplicationFactory(status=S.ENROLLED, enrolled_on=days_ago(30))
    AttachmentFactory(application=few)
    ReviewFactory(application=few)
    StipendTrancheFactory(application=few)
    many = ApplicationFactory(status=S.ENROLLED, enrolled_on=days_ago(30))
    for number in range(1, 5):
        AttachmentFactory(application=many)
        ReviewFactory(application=many)
        StipendTrancheFactory(application=many, number=number)
    assert _detail_queries(client, many) == _detail_queries(client, few)


# --- the moves ----------------------------------------------------------------------------------------------------


def test_moves_are_post_only(client, officer, applicant):
    client.force_login(officer)
    for name in ("mark_eligible", "withdraw", "approve_award", "attachment_add"):
        response = client.get(reverse(f"scholarships:application_{name}", args=[applicant.pk]))
        assert response.status_code == 405


def test_officer_marks_eligible_and_ineligible_with_a_reason(client, officer, call):
    first, second = submit(call), submit(call)
    client.force_login(officer)
    page = text(detail(client, first))
    assert "Mark eligible" in page and "Mark ineligible" in page
    assert move(client, "mark_eligible", first).status_code == 302
    assert reload(first).status == S.ELIGIBLE

    refused = move(client, "mark_ineligible", second, {"mark_ineligible-reason": "  "})
    assert refused.status_code == 200
    assert "Give the reason; it is kept with the application." in text(refused)
    assert reload(second).status == S.SUBMITTED

    move(client, "mark_ineligible", second, {"mark_ineligible-reason": "No bachelor degree."})
    assert reload(second).status == S.INELIGIBLE
    assert "No bachelor degree." in text(detail(client, second))


def test_a_move_out_of_order_is_refused_with_the_status_named(client, officer, applicant):
    client.force_login(officer)
    response = move(client, "complete", applicant, {"complete-completed_on": today().isoformat()})
    assert response.status_code == 200
    assert "Only an enrolled scholar can complete; this application is Submitted." in text(response)
    assert reload(applicant).status == S.SUBMITTED


def test_shortlisting_out_of_ranking_order_needs_a_reason(client, officer, call):
    best, weaker = submit(call), submit(call, applicant_name="Budi Santoso")
    eligible(best, Decimal("9"), Decimal("9"))
    eligible(weaker, Decimal("5"), Decimal("5"))
    client.force_login(officer)
    refused = move(client, "shortlist", weaker, {"shortlist-reason": ""})
    body = text(refused)
    assert "Better-ranked applications are not shortlisted yet" in body
    assert '<details class="action" open id="action-shortlist">' in body  # the form with its error stays unfolded
    assert reload(weaker).status == S.ELIGIBLE

    move(client, "shortlist", weaker, {"shortlist-reason": "Gender balance of the cohort."})
    assert reload(weaker).status == S.SHORTLISTED
    assert reload(weaker).status_note == "Gender balance of the cohort."


def test_an_application_nobody_scored_cannot_be_shortlisted(client, officer, call):
    application = submit(call)
    services.application_mark_eligible(application=application, decided_by=officer)
    client.force_login(officer)
    response = move(client, "shortlist", application, {"shortlist-reason": ""})
    assert "No reviewer has scored this application yet" in text(response)
    assert reload(application).status == S.ELIGIBLE


def test_propose_then_another_manager_approves(client, officer, manager, call):
    application = shortlisted(submit(call))
    client.force_login(officer)
    move(client, "propose_award", application, {"propose_award-reason": ""})
    assert reload(application).award_proposed_by == officer
    assert "Approve the award" not in text(detail(client, application))  # officers do not approve

    client.force_login(manager)
    assert move(client, "approve_award", application).status_code == 302
    application = reload(application)
    assert application.status == S.AWARDED and application.awarded_by == manager


def test_officers_cannot_approve_an_award(client, officer, call):
    application = shortlisted(submit(call))
    services.application_propose_award(application=application, proposed_by=staff(), reason="")
    client.force_login(officer)
    assert move(client, "approve_award", application).status_code == 403
    assert reload(application).status == S.SHORTLISTED


def test_a_manager_cannot_approve_their_own_proposal(client, manager, call):
    application = shortlisted(submit(call))
    client.force_login(manager)
    move(client, "propose_award", application, {"propose_award-reason": ""})
    page = text(detail(client, application))
    assert "You proposed this award, so another manager must approve it." in page
    response = move(client, "approve_award", application)
    assert "You proposed this award, so another manager must approve it." in text(response)
    assert reload(application).status == S.SHORTLISTED


def test_approving_beyond_the_quota_is_refused(client, manager, partner_org):
    call = CallFactory(host=partner_org, awards_available=1)
    first, second = submit(call), submit(call)
    shortlisted(first, Decimal("9"), Decimal("9"))
    shortlisted(second, Decimal("6"), Decimal("6"))
    services.application_propose_award(application=second, proposed_by=staff(), reason="Field of study needed.")
    awarded(first)
    client.force_login(manager)
    assert "The only award of this call is taken" in text(detail(client, second))
    response = move(client, "approve_award", second)
    assert "The only award of this call is taken: no further award can be made." in text(response)
    assert reload(second).status == S.SHORTLISTED and reload(second).awarded_at is None


def test_a_manager_rejects_a_proposal_with_a_reason(client, manager, call):
    application = shortlisted(submit(call))
    services.application_propose_award(application=application, proposed_by=staff(), reason="")
    client.force_login(manager)
    refused = move(client, "reject_award", application, {"reject_award-reason": ""})
    assert "Give the reason" in text(refused)
    assert reload(application).award_proposed_by is not None
    move(client, "reject_award", application, {"reject_award-reason": "Budget not confirmed."})
    application = reload(application)
    assert application.award_proposed_by is None and application.status == S.SHORTLISTED


def test_officer_records_the_scholars_answer(client, officer, call):
    yes, no = awarded(submit(call)), awarded(submit(call))
    client.force_login(officer)
    move(client, "accept_award", yes)
    move(client, "decline_award", no, {"decline_award-reason": "Took another offer."})
    assert reload(yes).status == S.ACCEPTED
    assert reload(no).status == S.DECLINED and reload(no).status_note == "Took another offer."


def test_withdraw_and_terminate_need_a_reason(client, officer, call):
    first, second = submit(call), enrolled(submit(call), on=days_ago(40))
    client.force_login(officer)
    move(client, "withdraw", first, {"withdraw-reason": ""})
    assert reload(first).status == S.SUBMITTED
    move(client, "withdraw", first, {"withdraw-reason": "Applicant asked to withdraw."})
    assert reload(first).status == S.WITHDRAWN
    move(client, "terminate", second, {"terminate-reason": "Left the university."})
    assert reload(second).status == S.TERMINATED
    assert 'id="action-' not in text(detail(client, first))  # a final status offers no move


def test_completion_needs_a_date_that_is_not_in_the_future(client, officer, call):
    application = enrolled(submit(call), on=days_ago(40))
    client.force_login(officer)
    future = (today() + datetime.timedelta(days=3)).isoformat()
    response = move(client, "complete", application, {"complete-completed_on": future})
    assert "This date is in the future." in text(response)
    response = move(client, "complete", application, {"complete-completed_on": "not a date"})
    assert response.status_code == 200 and "Enter a valid date." in text(response)
    assert reload(application).status == S.ENROLLED
    move(client, "complete", application, {"complete-completed_on": today().isoformat()})
    assert reload(application).status == S.COMPLETED


def test_auditors_see_no_moves_and_cannot_make_them(client, auditor, applicant):
    client.force_login(auditor)
    assert "Mark eligible" not in text(detail(client, applicant))
    assert move(client, "mark_eligible", applicant).status_code == 403
    assert reload(applicant).status == S.SUBMITTED


def test_partner_users_get_404_on_moves(client, partner_user, call):
    application = awarded(submit(call))
    client.force_login(partner_user)
    assert move(client, "accept_award", application).status_code == 404
    assert reload(application).status == S.AWARDED


def test_officer_adds_a_pdf_and_a_non_pdf_is_refused(client, officer, applicant):
    client.force_login(officer)
    url = reverse("scholarships:application_attachment_add", args=[applicant.pk])
    assert client.post(url, {"attachment_add-file": pdf("letter.pdf")}).status_code == 302
    assert applicant.attachments.count() == 2

    fake = pdf("photo.pdf", b"\x89PNG\r\n\x1a\n not a pdf")
    response = client.post(url, {"attachment_add-file": fake})
    assert "photo.pdf is not a PDF file" in text(response)
    response = client.post(url, {})
    assert "Choose a PDF file." in text(response)
    assert applicant.attachments.count() == 2


def test_an_oversized_file_is_refused_and_nothing_lands_on_disk(client, officer, applicant, settings):
    settings.ATTACHMENT_MAX_BYTES = 200
    client.force_login(officer)
    on_disk = {path.name for path in settings.PRIVATE_MEDIA_ROOT.rglob("*.pdf")}
    url = reverse("scholarships:application_attachment_add", args=[applicant.pk])
    response = client.post(url, {"attachment_add-file": pdf("thesis.pdf", PDF_BYTES + b"0" * 500)})
    assert "thesis.pdf is larger than" in text(response)
    assert Attachment.objects.filter(application=applicant).count() == 1
    assert {path.name for path in settings.PRIVATE_MEDIA_ROOT.rglob("*.pdf")} == on_disk


def test_the_host_sees_its_scholar_only_through_the_portal(client, call):
    application = awarded(submit(call))
    client.force_login(host_user(call.host))
    assert detail(client, application).status_code == 404


def test_the_change_history_hides_personal_values_from_auditors(client, officer, auditor, applicant):
    applicant.email = "ana.new@mail.example"
    applicant._history_user = officer
    applicant.save()
    client.force_login(officer)
    assert "ana.new@mail.example" in text(detail(client, applicant)).split('id="history"')[1]
    client.force_login(auditor)
    history = text(detail(client, applicant)).split('id="history"')[1]
    assert "Email:" in history
    assert "ana.new@mail.example" not in history and "ana.soares@mail.example" not in history
