"""The partner portal's results pages: what is due, filling a report in (drafts kept, then submitted), correcting a
returned one, its evidence files, and the panels on the portal's home and programme pages. Nothing of another
organisation is shown or written, and bad input comes back next to its field with nothing saved."""

from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.results import services
from programs.results.models import ActualValue, Evidence, Narrative, Report, ReportStatus, Unit
from tests.factories import MembershipFactory, ParticipationFactory
from tests.programs.results.factories import TODAY, build_framework, sex_values
from tests.programs.results.portal_factories import NOON_OF_TODAY, add_indicators, form_data, report_url
from tests.programs.scholarships.factories import PDF_BYTES

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _on_the_day():
    with time_machine.travel(NOON_OF_TODAY, tick=False):
        yield


@pytest.fixture
def framework(own_programme, partner_org, officer):
    return build_framework(own_programme, partner_org, officer)


@pytest.fixture
def partner(client, partner_user):
    client.force_login(partner_user)
    return client


@pytest.fixture
def first(framework):
    """The first quarter: over, and its report overdue."""
    return framework.periods[0]


def _report(first, partner_org) -> Report:
    return Report.objects.get(period=first, organisation=partner_org)


def _submitted(framework, first, partner_org, partner_user) -> Report:
    report = services.report_open(period=first, organisation=partner_org, opened_by=partner_user, today=TODAY)
    women, men = sex_values()["female"], sex_values()["male"]
    services.report_save(
        report=report,
        saved_by=partner_user,
        values={
            framework.trained.pk: {"value": "90", "breakdown": {women: "50", men: "40"}},
            framework.rate.pk: {"value": "70"},
        },
    )
    return services.report_submit(report=report, submitted_by=partner_user)


# --- filling in, saving, submitting ------------------------------------------------------------------------------


def test_a_partner_fills_saves_a_draft_and_submits(partner, framework, first, partner_org):
    page = partner.get(report_url(first))
    assert page.status_code == 200
    html = page.content.decode()
    assert "People trained" in html and "Households with safe water" in html
    assert "target for the period: 100" in html
    assert 'data-keep-draft="results-report-' in html and "js/keep-draft.js" in html

    women, men = sex_values()["female"], sex_values()["male"]
    saved = partner.post(report_url(first), form_data(framework, parts={women: "50", men: "40"}))
    assert saved.status_code == 302
    report = _report(first, partner_org)
    assert report.status == ReportStatus.DRAFT
    trained = report.values.get(indicator=framework.trained)
    assert (trained.value, trained.comment) == (Decimal(90), "Rains delayed one session")
    assert {part.dimension_value_id: part.value for part in trained.breakdown.all()} == {women: 50, men: 40}

    again = partner.get(saved.url).content.decode()
    assert "Your draft is saved" in again
    assert 'value="90"' in again and 'value="50"' in again and "Two committees trained in Kupang." in again
    draft = partner.get(reverse("results_portal:report_detail", args=[report.pk])).content.decode()
    assert "Continue the report" in draft and "data-keep-draft-clear" not in draft

    sent = partner.post(
        report_url(first), form_data(framework, trained="95", parts={women: "50", men: "45"}, action="submit")
    )
    assert sent.status_code == 302 and sent.url == reverse("results_portal:report_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.values.get(indicator=framework.trained).value == 95
    detail = partner.get(sent.url).content.decode()
    assert "Submitted" in detail and "Thank you" in detail and "data-keep-draft-clear" in detail

    # A sent report is read back, not edited again.
    assert partner.get(report_url(first)).url == sent.url
    due = partner.get(reverse("results_portal:due")).content.decode()
    assert reverse("results_portal:report_detail", args=[report.pk]) in due


def test_submitting_without_every_value_keeps_the_draft_and_says_what_is_missing(
    partner, framework, first, partner_org
):
    response = partner.post(report_url(first), form_data(framework, rate="", action="submit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give a value before submitting." in html and "cannot be submitted yet" in html
    report = _report(first, partner_org)
    assert report.status == ReportStatus.DRAFT
    assert report.values.get(indicator=framework.trained).value == 90


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"parts": "30"}, "dimension-{trained}-sex", "The values by sex add up to 80, not to the total of 90."),
        ({"rate": "101"}, "field-value-{rate}", "A percentage cannot be more than 100."),
        ({"trained": "-5"}, "field-value-{trained}", "The value cannot be negative."),
        ({"trained": "many"}, "field-value-{trained}", "Enter a number."),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_saved(
    partner, framework, first, partner_org, change, field, message
):
    women, men = sex_values()["female"], sex_values()["male"]
    parts = {women: "50", men: change.pop("parts", "40")}
    response = partner.post(report_url(first), form_data(framework, parts=parts, **change))
    assert response.status_code == 200
    html = response.content.decode()
    anchor = field.format(trained=framework.trained.pk, rate=framework.rate.pk)
    after = html[html.index(f'id="{anchor}"') :]
    assert message in after[: after.index("</fieldset>") if anchor.startswith("dimension") else after.index("</div>")]
    assert "Please correct the errors below." in html
    assert not ActualValue.objects.exists() and not Narrative.objects.exists()


def test_a_returned_report_shows_the_comments_and_is_corrected_and_sent_again(
    partner, framework, first, partner_org, partner_user, officer
):
    report = _submitted(framework, first, partner_org, partner_user)
    services.report_return(
        report=report,
        returned_by=officer,
        comment="Please check the training figures.",
        indicator_comments={framework.trained.pk: "The attendance lists show 80."},
    )
    due = partner.get(reverse("results_portal:due")).content.decode()
    assert "Returned for revision" in due and "Please check the training figures." in due

    html = partner.get(report_url(first)).content.decode()
    assert "Please check the training figures." in html
    indicator = html[html.index(f'id="indicator-{framework.trained.pk}"') :]
    assert "The attendance lists show 80." in indicator[: indicator.index(f'id="field-value-{framework.trained.pk}"')]

    women, men = sex_values()["female"], sex_values()["male"]
    sent = partner.post(
        report_url(first), form_data(framework, trained="80", parts={women: "40", men: "40"}, action="submit")
    )
    assert sent.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.values.get(indicator=framework.trained).value == 80


# --- who sees what -----------------------------------------------------------------------------------------------


def test_another_partner_gets_404_for_everything_of_the_report(
    client, framework, first, partner_org, partner_user, other_partner_user
):
    report = services.report_open(period=first, organisation=partner_org, opened_by=partner_user, today=TODAY)
    evidence = services.evidence_add(report=report, uploaded_by=partner_user, file=SimpleUploadedFile("a.png", PNG))
    client.force_login(other_partner_user)
    assert client.get(report_url(first)).status_code == 404
    assert client.post(report_url(first), form_data(framework)).status_code == 404
    assert client.get(report_url(first, partner_org)).status_code == 404
    assert client.get(reverse("results_portal:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("results_portal:evidence_download", args=[evidence.pk])).status_code == 404
    assert client.post(reverse("results_portal:evidence_remove", args=[evidence.pk])).status_code == 404
    upload = {"file": SimpleUploadedFile("b.png", PNG)}
    assert client.post(reverse("results_portal:evidence_add", args=[report.pk]), upload).status_code == 404
    assert not ActualValue.objects.exists() and Evidence.objects.count() == 1


def test_a_partner_of_the_programme_that_reports_nothing_gets_404(client, framework, first, own_programme, other_org):
    ParticipationFactory(programme=own_programme, organisation=other_org)
    client.force_login(MembershipFactory(organisation=other_org).user)
    assert client.get(report_url(first)).status_code == 404
    assert not Report.objects.exists()


def test_a_period_not_begun_says_so(partner, framework):
    response = partner.get(report_url(framework.periods[-1]))
    assert response.status_code == 200
    assert "This period has not begun" in response.content.decode()
    assert not Report.objects.exists()


def test_a_member_of_two_reporting_organisations_chooses_which_one_reports(
    client, framework, first, partner_org, partner_user, other_org, own_programme, officer
):
    ParticipationFactory(programme=own_programme, organisation=other_org)
    services.indicator_update(indicator=framework.rate, updated_by=officer, reporter=other_org)
    MembershipFactory(user=partner_user, organisation=other_org)
    client.force_login(partner_user)
    choose = client.get(report_url(first)).content.decode()
    assert report_url(first, partner_org).replace("&", "&amp;") in choose and report_url(first, other_org) in choose
    page = client.get(report_url(first, other_org)).content.decode()
    assert "Households with safe water" in page and "People trained" not in page
    assert client.get(f"{report_url(first)}?organisation=999999").status_code == 404
    assert list(Report.objects.values_list("organisation", flat=True)) == [other_org.pk]


# --- evidence ----------------------------------------------------------------------------------------------------


def test_evidence_is_added_downloaded_and_removed(partner, framework, first, partner_org):
    partner.get(report_url(first))
    report = _report(first, partner_org)
    added = partner.post(
        reverse("results_portal:evidence_add", args=[report.pk]),
        {"file": SimpleUploadedFile("attendance.pdf", PDF_BYTES)},
    )
    assert added.status_code == 302
    evidence = report.evidence.get()
    html = partner.get(added.url).content.decode()
    assert "attendance.pdf" in html

    download = partner.get(reverse("results_portal:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"

    removed = partner.post(reverse("results_portal:evidence_remove", args=[evidence.pk]))
    assert removed.status_code == 302 and not Evidence.objects.exists()
    assert partner.get(reverse("results_portal:evidence_download", args=[evidence.pk])).status_code == 404


def test_a_file_that_is_not_a_photo_or_a_pdf_is_refused_beside_the_upload(partner, framework, first, partner_org):
    partner.get(report_url(first))
    report = _report(first, partner_org)
    response = partner.post(
        reverse("results_portal:evidence_add", args=[report.pk]),
        {"file": SimpleUploadedFile("notes.docx", b"PK\x03\x04 a word document")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    upload = html[html.index('id="evidence-form"') :]
    assert "notes.docx is not a photo (JPEG or PNG) or a PDF document." in upload
    assert not Evidence.objects.exists()


# --- panels ------------------------------------------------------------------------------------------------------


def test_the_portal_home_counts_the_reports_due_and_overdue(partner, framework, client, other_partner_user):
    html = partner.get(reverse("portal:home")).content.decode()
    assert "3 reports due, 1 overdue" in html and reverse("results_portal:due") in html

    client.force_login(other_partner_user)
    assert 'id="portal-results-link"' not in client.get(reverse("portal:home")).content.decode()


def test_the_programme_page_shows_progress_and_reports_due(
    partner, framework, first, own_programme, partner_org, partner_user, manager
):
    report = _submitted(framework, first, partner_org, partner_user)
    services.report_approve(report=report, approved_by=manager)
    html = partner.get(reverse("portal:programme", args=[own_programme.pk])).content.decode()
    assert 'id="programme-results"' in html
    rate = html[html.index(f'id="progress-{framework.rate.pk}"') :]
    rate = rate[: rate.index("</tr>")]
    assert ">40<" in rate and ">80<" in rate and "70" in rate and "At risk" in rate
    trained = html[html.index(f'id="progress-{framework.trained.pk}"') :]
    assert "90" in trained[: trained.index("</tr>")] and "On track" in trained[: trained.index("</tr>")]
    assert report_url(framework.periods[1], partner_org).replace("&", "&amp;") in html


def test_a_programme_without_a_framework_shows_no_results(partner, own_programme):
    html = partner.get(reverse("portal:programme", args=[own_programme.pk])).content.decode()
    assert 'id="programme-results"' not in html


# --- light pages -------------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_stay_flat_as_indicators_grow(partner, framework, first, partner_org, officer, own_programme):
    partner.get(report_url(first))
    pages = [
        report_url(first),
        reverse("results_portal:due"),
        reverse("portal:home"),
        reverse("portal:programme", args=[own_programme.pk]),
    ]
    before = [_queries(partner, url) for url in pages]
    add_indicators(framework, partner_org, officer, 6)
    after = [_queries(partner, url) for url in pages]
    assert after == before


def test_the_report_form_stays_small(partner, framework, first, partner_org, officer):
    add_indicators(framework, partner_org, officer, 6)
    html = partner.get(report_url(first)).content
    assert html.count(b'class="indicator"') == 8
    assert len(html) < 60_000


def test_text_yes_no_and_computed_indicators(partner, framework, first, partner_org, officer):
    text = services.indicator_create(
        result=framework.outcome, created_by=officer, title="How committees work", unit=Unit.TEXT, reporter=partner_org
    )
    policy = services.indicator_create(
        result=framework.outcome,
        created_by=officer,
        title="Water policy adopted",
        unit=Unit.YES_NO,
        reporter=partner_org,
    )
    computed = services.indicator_create(
        result=framework.output,
        created_by=officer,
        title="Goods received in good condition",
        unit=Unit.NUMBER,
        reporter=partner_org,
        measure="shipments.goods_received",
    )
    html = partner.get(report_url(first)).content.decode()
    pumps = html[html.index(f'id="indicator-{computed.pk}"') :]
    assert "computed" in pumps[: pumps.index("</div>")] and f'name="value-{computed.pk}"' not in html
    assert f'<select name="value-{policy.pk}"' in html and f'<textarea name="value-{text.pk}"' in html

    data = form_data(framework, **{f"value-{text.pk}": "They meet every month.", f"value-{policy.pk}": "1"})
    assert partner.post(report_url(first), {**data, f"value-{computed.pk}": "999"}).status_code == 302
    values = {actual.indicator_id: actual for actual in ActualValue.objects.all()}
    assert values[text.pk].text == "They meet every month." and values[policy.pk].value == 1
    # Computed from the shipments received (none here), never from what was typed.
    assert values[computed.pk].computed and values[computed.pk].value == 0
    again = partner.get(report_url(first)).content.decode()
    assert '<option value="1" selected>Yes</option>' in again and "They meet every month." in again


def test_a_sent_report_takes_no_more_files(partner, framework, first, partner_org, partner_user):
    report = _submitted(framework, first, partner_org, partner_user)
    response = partner.post(
        reverse("results_portal:evidence_add", args=[report.pk]), {"file": SimpleUploadedFile("late.png", PNG)}
    )
    assert response.status_code == 302 and response.url == reverse("results_portal:report_detail", args=[report.pk])
    assert "This report is Submitted: it can no longer be changed." in partner.get(response.url).content.decode()
    assert not Evidence.objects.exists()
