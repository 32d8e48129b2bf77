"""The officers' report pages: what awaits review and what is overdue, a report's page with its approve and return
moves, evidence downloads, a report entered on the partner's behalf, and the Results panel of a programme's page."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import cooperation.pages
from cooperation.roles import Role
from programs.results import services
from programs.results.models import ActualValue, Dimension, Report, ReportStatus, ResultLevel
from tests.factories import UserFactory
from tests.programs.results.factories import TODAY, build_framework, sex_values

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def framework(own_programme, partner_org, officer):
    return build_framework(own_programme, partner_org, officer)


@pytest.fixture
def submitted(framework, partner_org, partner_user):
    """The partner's report for the first quarter, with a breakdown, a comment, a narrative and a photo."""
    women, men = sex_values()["female"], sex_values()["male"]
    report = services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )
    services.report_save(
        report=report,
        saved_by=partner_user,
        values={
            framework.trained.pk: {"value": "90", "breakdown": {women: "50", men: "40"}, "comment": "Rains delayed"},
            framework.rate.pk: {"value": "55"},
        },
        narratives={framework.output.pk: "Two committees trained in Kupang."},
    )
    services.evidence_add(report=report, uploaded_by=partner_user, file=SimpleUploadedFile("well.png", PNG))
    return services.report_submit(report=report, submitted_by=partner_user)


def detail_url(report):
    return reverse("results:report_detail", args=[report.pk])


# --- What awaits review -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "manager", "auditor", "admin_user"])
def test_staff_see_reports_awaiting_review_and_overdue(client, request, submitted, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("results:review_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert detail_url(submitted) in body and "Yayasan Air Bersih" in body and "OWN-001" in body
    # The second quarter of 2026 is long past its due date and nothing was sent for it.
    assert "Not begun" in body


def test_partner_users_may_not_open_the_review_list(client, partner_user):
    client.force_login(partner_user)
    assert client.get(reverse("results:review_list")).status_code == 403


def test_the_reports_awaiting_review_are_paginated(
    client, framework, submitted, partner_org, partner_user, officer, monkeypatch
):
    second = services.report_open(
        period=framework.periods[1], organisation=partner_org, opened_by=partner_user, today=TODAY
    )
    services.report_save(
        report=second,
        saved_by=partner_user,
        values={framework.trained.pk: {"value": "100"}, framework.rate.pk: {"value": "60"}},
    )
    services.report_submit(report=second, submitted_by=partner_user)
    client.force_login(officer)
    monkeypatch.setattr(cooperation.pages, "PAGE_SIZE", 1)
    first_page = client.get(reverse("results:review_list")).content.decode()
    second_page = client.get(reverse("results:review_list") + "?page=2").content.decode()
    assert detail_url(submitted) in first_page and detail_url(second) not in first_page
    assert detail_url(second) in second_page and "Page 2 of 2" in second_page


# --- A report's page ------------------------------------------------------------------------------------------------


def test_the_report_page_shows_values_breakdown_narratives_evidence_and_history(client, submitted, officer):
    client.force_login(officer)
    response = client.get(detail_url(submitted))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Rains delayed" in body and "Female 50" in body and "Two committees trained in Kupang." in body
    assert reverse("results:evidence_download", args=[submitted.evidence.get().pk]) in body and "well.png" in body
    assert "Change history" in body and "Value: People trained" in body
    assert "Approve the report" in body and "Return to the partner" in body


def test_auditors_read_the_report_without_its_moves(client, submitted, auditor):
    client.force_login(auditor)
    body = client.get(detail_url(submitted)).content.decode()
    assert "Rains delayed" in body
    assert "Approve the report" not in body and "Enter on the partner" not in body
    assert client.post(reverse("results:report_approve", args=[submitted.pk])).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("fixture", ["partner_user", "other_partner_user"])
def test_partner_users_get_404_for_the_workspace_report_page(client, request, submitted, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(detail_url(submitted)).status_code == 404


def test_an_officer_approves_a_submitted_report(client, submitted, manager):
    client.force_login(manager)
    response = client.post(reverse("results:report_approve", args=[submitted.pk]), follow=True)
    assert "was approved" in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reviewed_by) == (ReportStatus.APPROVED, manager)


def test_a_report_is_returned_with_a_comment_on_an_indicator(client, framework, submitted, officer):
    client.force_login(officer)
    response = client.post(
        reverse("results:report_return", args=[submitted.pk]),
        {"return-comment": "", f"return-comment-{framework.rate.pk}": "Which survey gave 55 %?"},
        follow=True,
    )
    assert "was returned to the partner" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.RETURNED
    rate = ActualValue.objects.get(report=submitted, indicator=framework.rate)
    assert rate.review_comment == "Which survey gave 55 %?"
    assert "Which survey gave 55 %?" in client.get(detail_url(submitted)).content.decode()


def test_returning_without_any_comment_is_refused_next_to_the_comment(client, submitted, officer):
    client.force_login(officer)
    response = client.post(reverse("results:report_return", args=[submitted.pk]), {"return-comment": " "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Say what the partner should correct: a comment on the report or on an indicator." in body
    assert 'id="field-return-comment"' in body
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


# --- Evidence -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fixture", "status"), [("officer", 200), ("auditor", 200), ("partner_user", 200)])
def test_evidence_is_streamed_to_those_who_may_see_the_report(client, request, submitted, fixture, status):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("results:evidence_download", args=[submitted.evidence.get().pk]))
    assert response.status_code == status
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png" and "well.png" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_evidence_of_another_partner_s_report_is_404(client, submitted, other_partner_user):
    client.force_login(other_partner_user)
    assert client.get(reverse("results:evidence_download", args=[submitted.evidence.get().pk])).status_code == 404
    assert client.get(reverse("results:evidence_download", args=[999999])).status_code == 404


# --- Entering a report on the partner's behalf ----------------------------------------------------------------------


def enter_url(framework, organisation, period=0):
    return reverse("results:report_enter", args=[framework.periods[period].pk, organisation.pk])


def test_an_officer_saves_a_draft_then_submits_on_the_partner_s_behalf(client, framework, partner_org, officer):
    women, men = sex_values()["female"], sex_values()["male"]
    trained, rate = framework.trained.pk, framework.rate.pk
    client.force_login(officer)
    url = enter_url(framework, partner_org)
    assert client.get(url).status_code == 200
    assert not Report.objects.exists()  # opening the page writes nothing
    typed = {
        f"value-{trained}": "90",
        f"part-{trained}-{women}": "45",
        f"part-{trained}-{men}": "45",
        f"comment-{trained}": "Sent by email",
        f"narrative-{framework.output.pk}": "Two committees trained.",
    }
    response = client.post(url, typed | {"save": "1"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.status, report.on_behalf) == (ReportStatus.DRAFT, True)
    assert report.values.get(indicator_id=trained).comment == "Sent by email"

    response = client.post(url, typed | {"submit": "1"})
    assert response.status_code == 200
    assert "Give a value before submitting." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT  # the rate has no value yet
    response = client.post(url, typed | {f"value-{rate}": "55", "submit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.on_behalf) == (ReportStatus.SUBMITTED, officer, True)


def test_submitting_without_every_value_shows_which_is_missing(client, framework, partner_org, officer):
    client.force_login(officer)
    response = client.post(enter_url(framework, partner_org), {f"value-{framework.trained.pk}": "90", "submit": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Give a value before submitting." in body and f'id="field-value-{framework.rate.pk}"' in body
    assert not Report.objects.exists()


def test_parts_that_do_not_add_up_are_shown_beside_the_dimension(client, framework, partner_org, officer):
    women, men = sex_values()["female"], sex_values()["male"]
    trained = framework.trained.pk
    client.force_login(officer)
    response = client.post(
        enter_url(framework, partner_org),
        {
            f"value-{trained}": "90",
            f"part-{trained}-{women}": "50",
            f"part-{trained}-{men}": "30",
            f"value-{framework.rate.pk}": "140",
            "save": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The values by sex add up to 80, not to the total of 90." in body
    assert f'id="dimension-{trained}-sex"' in body
    assert "A percentage cannot be more than 100." in body
    assert not Report.objects.exists() and not ActualValue.objects.exists()


def test_a_submitted_report_is_no_longer_entered(client, framework, submitted, partner_org, officer):
    client.force_login(officer)
    response = client.get(enter_url(framework, partner_org), follow=True)
    assert response.redirect_chain[-1][0] == detail_url(submitted)
    assert "it can no longer be changed" in response.content.decode()


def test_the_officer_who_entered_a_report_does_not_approve_it(client, framework, partner_org, officer, manager):
    client.force_login(officer)
    client.post(
        enter_url(framework, partner_org),
        {f"value-{framework.trained.pk}": "90", f"value-{framework.rate.pk}": "55", "submit": "1"},
    )
    report = Report.objects.get()
    body = client.get(detail_url(report)).content.decode()
    assert "another officer must review it" in body
    client.force_login(manager)
    client.post(reverse("results:report_approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


@pytest.mark.parametrize(("fixture", "status"), [("auditor", 403), ("partner_user", 404)])
def test_only_those_who_may_report_enter_a_report(client, request, framework, partner_org, fixture, status):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(enter_url(framework, partner_org)).status_code == status


def test_a_partner_that_reports_nothing_has_no_form(client, framework, other_org, officer):
    client.force_login(officer)
    body = client.get(enter_url(framework, other_org)).content.decode()
    assert "This partner reports no indicator of the programme." in body


# --- The programme's page -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "manager", "auditor"])
def test_the_programme_page_shows_the_results_panel(client, request, framework, submitted, role):
    client.force_login(request.getfixturevalue(role))
    body = client.get(reverse("programs:detail", args=[framework.programme.pk])).content.decode()
    assert 'id="results-heading"' in body
    assert reverse("results:framework", args=[framework.programme.pk]) in body
    assert '<dd id="results-awaiting">1</dd>' in body
    assert "2 indicators" in body and "Not measured yet</span> 2" in body
    # Each indicator's baseline, target and actual to date; nothing approved yet, so no actual and no percent.
    rate = body[body.index('<td data-label="Indicator">Households with safe water</td>') :]
    assert '<td class="num" data-label="Baseline">40</td>' in rate[: rate.index("</tr>")]
    assert '<td class="num" data-label="Actual to date">—</td>' in rate[: rate.index("</tr>")]


def test_a_user_without_the_results_permission_sees_no_panel(client, framework, officer):
    someone = UserFactory(username="reader", role=Role.OFFICER)
    for group in someone.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_result", content_type__app_label="results"))
    client.force_login(someone)
    response = client.get(reverse("programs:detail", args=[framework.programme.pk]))
    assert response.status_code == 200 and "Clean water for Nusa Tenggara" in response.content.decode()
    assert 'id="results-heading"' not in response.content.decode()


def test_the_programme_page_reads_in_as_many_queries_as_the_framework_grows(
    client, framework, submitted, partner_org, officer, manager, django_assert_max_num_queries
):
    services.report_approve(report=submitted, approved_by=manager)
    client.force_login(manager)
    url = reverse("programs:detail", args=[framework.programme.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    sex = Dimension.objects.get(code="sex")
    for number in range(4):
        output = services.result_create(
            programme=framework.programme, created_by=officer, level=ResultLevel.OUTPUT, title=f"Output {number}"
        )
        for kind in range(2):
            indicator = services.indicator_create(
                result=output, created_by=officer, title=f"I{number}.{kind}", reporter=partner_org, dimensions=[sex]
            )
            services.targets_set(indicator=indicator, targets=dict.fromkeys(framework.periods, 5), set_by=officer)
    with django_assert_max_num_queries(len(small)):
        body = client.get(url).content.decode()
    assert "10 indicators" in body


def test_a_period_that_has_not_begun_is_refused_at_the_top_of_the_form(client, framework, partner_org, officer):
    client.force_login(officer)
    response = client.post(
        enter_url(framework, partner_org, period=-1), {f"value-{framework.trained.pk}": "90", "save": "1"}
    )
    assert response.status_code == 200
    assert "This period has not begun: there is nothing to report yet." in response.content.decode()
    assert not Report.objects.exists()


def test_the_report_page_reads_in_as_many_queries_however_many_values(
    client, framework, partner_org, partner_user, officer, django_assert_max_num_queries
):
    report = services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )
    women, men = sex_values()["female"], sex_values()["male"]
    client.force_login(officer)

    def fill():
        indicators = services.reported_indicators(report.period, partner_org.pk)
        values = {
            indicator.pk: {"value": "50", "comment": "ok"}
            | ({"breakdown": {women: "20", men: "30"}} if indicator.dimensions.exists() else {})
            for indicator in indicators
        }
        services.report_save(report=report, saved_by=partner_user, values=values, narratives={})

    fill()
    client.get(detail_url(report))
    with CaptureQueriesContext(connection) as small:
        client.get(detail_url(report))
    sex = Dimension.objects.get(code="sex")
    for number in range(4):
        output = services.result_create(
            programme=framework.programme, created_by=officer, level=ResultLevel.OUTPUT, title=f"Output {number}"
        )
        for kind in range(2):
            services.indicator_create(
                result=output, created_by=officer, title=f"I{number}.{kind}", reporter=partner_org, dimensions=[sex]
            )
    fill()
    with django_assert_max_num_queries(len(small)):
        body = client.get(detail_url(report)).content.decode()
    assert "I3.1" in body
