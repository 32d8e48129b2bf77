"""The results module in a real browser: a framework built on its pages, a partner's report on a phone, returned,
corrected and approved; and the report form keeping what was typed on a weak link.

The journey: an officer sets the programme's reporting plan, adds an output and its indicator "People trained"
(a number broken down by sex, reported by the partner) and its quarterly targets; the partner's user, on a phone,
reports the first quarter; the officer returns it with a comment on the indicator; the partner corrects it and
submits it again; a manager approves it; the framework, the programme page and the dashboard then count it.
"""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from playwright.sync_api import expect

from programs.results import services
from programs.results.models import ActualValue, Indicator, Period, Report, ReportingPlan, ReportStatus, Result
from tests.browser.conftest import browser_page, chromium_browser, close_and_settle, log_in  # noqa: F401 (fixtures)
from tests.factories import PASSWORD
from tests.programs.results.factories import build_framework
from tests.programs.results.portal_factories import report_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
KEPT = "keep-draft:results-report-{pk}"
COMMENT = "Count only the people who finished every session."


@pytest.fixture
def phone_page(chromium_browser, live_server):  # noqa: F811 (fixture)
    """A second browser, phone-sized, with a session of its own."""
    context = chromium_browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    close_and_settle(context, live_server.url)


def visit(page, name: str, *args) -> None:
    page.goto(f"{page.base_url}{reverse(name, args=args)}")


def period_text(period: Period) -> str:
    return f"{formats.date_format(period.starts_on)} – {formats.date_format(period.ends_on)}"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def fill_report(page, indicator: Indicator, *, total: str, female: str, male: str) -> None:
    block = page.locator(f"#indicator-{indicator.pk}")
    block.get_by_label("Value", exact=True).fill(total)
    block.get_by_label("Female", exact=True).fill(female)
    block.get_by_label("Male", exact=True).fill(male)


def test_indicator_framed_reported_on_a_phone_returned_corrected_and_approved(
    browser_page, phone_page, own_programme, partner_org, partner_user, officer, manager
):
    page, phone = browser_page, phone_page
    programme = own_programme
    today = timezone.localdate()

    # 1. The officer opens the programme's framework: no plan yet, so no periods; sets a quarterly plan.
    log_in(page, officer.username, PASSWORD)
    visit(page, "results:framework", programme.pk)
    expect(page.locator("h1")).to_have_text(f"Results framework of {programme.code}")
    expect(page.locator("#plan")).to_contain_text("No reporting plan yet")
    expect(page.locator("#periods")).to_contain_text("No reporting period yet.")
    plan = page.locator("#plan")
    plan.locator("#id_frequency").select_option(label="Quarterly")
    plan.locator("#id_due_after_days").fill("30")
    plan.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".messages")).to_contain_text("The reporting plan was saved and the periods cut again.")
    expect(page.locator("#plan dl")).to_contain_text("Quarterly")
    expect(page.locator("#periods summary")).to_have_text("8 periods")  # 2026 and 2027 in quarters
    periods = list(programme.reporting_periods.order_by("starts_on"))
    first = periods[0]
    assert (first.starts_on.isoformat(), first.ends_on.isoformat(), first.due_on.isoformat()) == (
        "2026-01-01",
        "2026-03-31",
        "2026-04-30",
    )

    # 2. An output result, then its indicator: people trained, by sex, reported by the partner.
    page.get_by_role("link", name="Add a result").click()
    expect(page.locator("h1")).to_have_text("New result")
    page.select_option("#id_level", label="Output")
    page.fill("#id_title", "Water committees trained")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("The result “Water committees trained” was saved.")
    output = Result.objects.get(programme=programme)
    result_card = page.locator(f"#result-{output.pk}")
    expect(result_card.locator("h3")).to_have_text("Output Water committees trained")
    expect(result_card).to_contain_text("No indicator measures this result yet.")

    result_card.get_by_role("link", name="Add an indicator").click()
    expect(page.locator("h1")).to_have_text("New indicator")
    page.fill("#id_title", "People trained")
    page.select_option("#id_unit", label="Number")
    expect(page.locator("#id_cumulative")).to_be_checked()
    page.fill("#id_target_value", "800")
    page.select_option("#id_reporter", str(partner_org.pk))
    page.get_by_role("checkbox", name="Sex", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("The indicator “People trained” was saved.")
    trained = Indicator.objects.get(result=output)
    card = page.locator(f"#indicator-{trained.pk}")
    expect(card.locator("h4")).to_contain_text("People trained")
    expect(card.locator("[data-status]")).to_have_text("Not measured yet")
    expect(card).to_contain_text(partner_org.name)
    expect(card).to_contain_text("Sex")

    # 3. Its quarterly targets: 100 people a quarter.
    card.get_by_role("link", name="Targets by period").click()
    expect(page.locator("h1")).to_have_text("Targets of People trained")
    for period in periods:
        expect(page.locator(f"label[for=id_target-{period.pk}]")).to_have_text(period_text(period))
        page.fill(f"#id_target-{period.pk}", "100")
    page.get_by_role("button", name="Save the targets").click()
    expect(page.locator(".messages")).to_contain_text("The targets of “People trained” were saved.")
    assert [target.value for target in trained.targets.order_by("period__starts_on")] == [Decimal(100)] * 8

    # 4. The partner's user, on a phone, finds the reports due and fills in the first quarter's.
    begun = [period for period in periods if period.starts_on <= today]
    log_in(phone, partner_user.username, PASSWORD)
    visit(phone, "portal:home")
    late = [period for period in begun if period.due_on < today]
    home_block = phone.locator("#portal-results-link")
    expect(home_block.locator("#results-reports-due")).to_have_text(f"{len(begun)} reports due, {len(late)} overdue")
    home_block.get_by_role("link", name="Results reports").click()
    expect(phone.locator("h1")).to_have_text("Results reports")
    due = phone.locator("#reports-due li.due-report")
    expect(due).to_have_count(len(begun))
    first_due = due.first
    expect(first_due).to_contain_text(f"{programme.code} · {period_text(first)}")
    expect(first_due).to_contain_text("overdue")
    expect(first_due).to_contain_text("Not begun")
    expect(phone.locator("#reports-sent")).to_contain_text("No report sent yet.")
    assert no_sideways_scroll(phone)

    first_due.get_by_role("link").click()
    expect(phone.locator("h1")).to_have_text(f"{programme.code} · {period_text(first)}")
    expect(phone.locator("#report-status")).to_have_text("Draft")
    block = phone.locator(f"#indicator-{trained.pk}")
    expect(block).to_contain_text("target for the period: 100")
    fill_report(phone, trained, total="120", female="70", male="50")
    phone.get_by_label("What happened for this result").fill("Six committees trained in Kupang.")
    assert no_sideways_scroll(phone)
    phone.get_by_role("button", name="Submit", exact=True).click()
    expect(phone.locator(".messages")).to_contain_text("Thank you: the report is submitted for the agency to review.")
    expect(phone.locator("#report-status")).to_have_text("Submitted")
    expect(phone.locator(f"#indicator-{trained.pk} .indicator-value")).to_have_text("120")
    report = Report.objects.get()
    assert (report.status, report.organisation, report.period) == (ReportStatus.SUBMITTED, partner_org, first)

    # 5. The officer opens it from the reports awaiting review and returns it with a comment on the indicator.
    visit(page, "results:review_list")
    row = page.locator(f"#awaiting tr[data-report='{report.pk}']")
    expect(row).to_contain_text(programme.code)
    expect(row).to_contain_text(period_text(first))
    row.get_by_role("link", name=partner_org.name).click()
    expect(page.locator("#status [data-status]")).to_have_text("Submitted")
    value_row = page.locator(f"#value-{trained.pk}")
    expect(value_row).to_contain_text("120")
    expect(value_row).to_contain_text("Sex: Female 70")
    expect(value_row).to_contain_text("Sex: Male 50")
    expect(page.locator("#narratives")).to_contain_text("Six committees trained in Kupang.")
    action = page.locator("#action-return")
    action.locator("summary").click()
    action.get_by_label("People trained").fill(COMMENT)
    action.get_by_role("button", name="Return to the partner").click()
    expect(page.locator(".messages")).to_contain_text(
        f"The report of {partner_org.name} for {first} was returned to the partner."
    )
    expect(page.locator("#status [data-status]")).to_have_text("Returned for revision")
    expect(page.locator(f"#value-{trained.pk}")).to_contain_text(COMMENT)
    visit(page, "results:review_list")
    expect(page.locator("#awaiting")).to_contain_text("No report awaits review.")

    # 6. The partner sees the comment, corrects the value and its breakdown, and submits again.
    visit(phone, "results_portal:due")
    returned = phone.locator("#reports-due li.due-report").first
    expect(returned).to_contain_text(period_text(first))
    expect(returned).to_contain_text("Returned for revision")
    returned.get_by_role("link").click()
    expect(phone.locator("#report-status")).to_have_text("Returned for revision")
    block = phone.locator(f"#indicator-{trained.pk}")
    expect(block.locator(".review-comment")).to_have_text(f"Reviewer: {COMMENT}")
    expect(block.get_by_label("Value", exact=True)).to_have_value("120")
    expect(block.get_by_label("Female", exact=True)).to_have_value("70")
    fill_report(phone, trained, total="95", female="55", male="40")
    phone.get_by_role("button", name="Submit", exact=True).click()
    expect(phone.locator(".messages")).to_contain_text("Thank you: the report is submitted for the agency to review.")
    expect(phone.locator("#report-status")).to_have_text("Submitted")
    expect(phone.locator(f"#indicator-{trained.pk} .indicator-value")).to_have_text("95")
    expect(phone.locator(f"#indicator-{trained.pk}")).to_contain_text("Female")
    visit(phone, "results_portal:due")
    expect(phone.locator("#reports-due li.due-report")).to_have_count(len(begun) - 1)
    expect(phone.locator("#reports-sent")).to_contain_text(period_text(first))
    expect(phone.locator("#reports-sent .badge")).to_have_text("Submitted")

    # 7. A manager, not the officer, approves it.
    page.context.clear_cookies()
    log_in(page, manager.username, PASSWORD)
    visit(page, "results:review_list")
    page.locator(f"#awaiting tr[data-report='{report.pk}']").get_by_role("link", name=partner_org.name).click()
    value_row = page.locator(f"#value-{trained.pk}")
    expect(value_row).to_contain_text("95")
    expect(value_row).to_contain_text("Sex: Female 55")
    expect(value_row).to_contain_text("Sex: Male 40")
    page.locator("#action-approve").get_by_role("button", name="Approve the report").click()
    expect(page.locator(".messages")).to_contain_text(f"The report of {partner_org.name} for {first} was approved.")
    expect(page.locator("#status [data-status]")).to_have_text("Approved")
    expect(page.locator("#status")).to_contain_text(f"by {manager.get_full_name()}")
    expect(page.locator("#action-return")).to_have_count(0)
    expect(page.locator("#action-approve")).to_have_count(0)

    # 8. The framework counts the approved value: 95 of the 100 due by the first quarter, on track.
    visit(page, "results:framework", programme.pk)
    card = page.locator(f"#indicator-{trained.pk}")
    expect(card.locator("[data-status]")).to_have_text("On track")
    facts = card.locator("dl.facts")
    expect(facts).to_contain_text(re.compile(r"Target to date\s*100\s*overall target 800\s*Actual to date"))
    expect(facts).to_contain_text(re.compile(r"Actual to date\s*95\s*Percent of target\s*95 %\s*Reported by"))
    expect(page.locator("#status-counts li[data-status=on_track]")).to_have_text("On track 1")

    # 9. The programme page's Results panel counts the indicator, with nothing awaiting review.
    visit(page, "programs:detail", programme.pk)
    panel = page.locator("section#results")
    expect(panel).to_contain_text("1 indicator:")
    expect(panel.locator("li[data-status=on_track]")).to_have_text("On track 1")
    expect(panel.locator("li[data-status=not_measured]")).to_have_text("Not measured yet 0")
    expect(panel.locator("#results-awaiting")).to_have_text("0")

    # 10. The manager's dashboard shows it in its Results section.
    visit(page, "reporting:dashboard")
    section = page.locator("section#results")
    expect(section.locator("h2")).to_have_text("Results")
    expect(section.locator("#stat-indicators")).to_have_text("1")
    expect(section.locator("#stat-reports-waiting")).to_have_text("0")
    chart = page.locator("#indicator-status-heading").locator("xpath=..")
    expect(chart.locator("desc")).to_contain_text("On track: 1")

    # The report is approved, its values locked, and its history names who did what.
    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.reviewed_by) == (ReportStatus.APPROVED, partner_user, manager)
    assert report.on_behalf is False and report.review_comment == ""
    actual = ActualValue.objects.get(report=report, indicator=trained)
    assert actual.value == 95 and actual.review_comment == ""
    assert {part.dimension_value.code: part.value for part in actual.breakdown.all()} == {"female": 55, "male": 40}
    refusal = services.report_move_refusal(report, partner_user, "save")
    assert refusal is not None and "can no longer be changed" in refusal.message
    with pytest.raises(ValidationError):
        services.report_save(report=report, saved_by=partner_user, values={trained.pk: {"value": 1}})
    actual.refresh_from_db()
    assert actual.value == 95
    records = [(entry.status, entry.history_user) for entry in report.history.order_by("history_date", "history_id")]
    moves = [record for index, record in enumerate(records) if index == 0 or record[0] != records[index - 1][0]]
    assert moves == [
        (ReportStatus.DRAFT, partner_user),
        (ReportStatus.SUBMITTED, partner_user),
        (ReportStatus.RETURNED, officer),
        (ReportStatus.SUBMITTED, partner_user),
        (ReportStatus.APPROVED, manager),
    ]
    value_history = [(entry.value, entry.review_comment, entry.history_user) for entry in actual.history.all()]
    assert (Decimal(120), COMMENT, officer) in value_history
    assert (Decimal(95), COMMENT, partner_user) in value_history
    assert ReportingPlan.history.get().history_user == officer
    assert {entry.history_user for entry in Indicator.history.filter(id=trained.pk)} == {officer}


def _kept(page, report_pk):
    return page.evaluate("key => window.localStorage.getItem(key)", KEPT.format(pk=report_pk))


def test_typed_values_survive_a_reload_until_the_server_has_them(
    browser_page, own_programme, partner_org, partner_user, officer
):
    framework = build_framework(own_programme, partner_org, officer)
    page = browser_page
    log_in(page, partner_user.username, PASSWORD)
    url = f"{page.base_url}{report_url(framework.periods[0])}"
    page.goto(url)
    trained, rate = f"#id_value-{framework.trained.pk}", f"#id_value-{framework.rate.pk}"
    expect(page.locator("#draft-restored")).to_be_hidden()

    page.fill(trained, "77")
    page.press(trained, "Tab")
    page.reload()  # the connection dropped before anything was sent: the server has an empty draft
    expect(page.locator(trained)).to_have_value("77")
    expect(page.locator("#draft-restored")).to_be_visible()
    assert not ActualValue.objects.exists()

    page.fill(rate, "55")
    page.click("button[value=save]")
    expect(page.locator(".message-success")).to_be_visible()
    report_pk = int(page.get_attribute("#report-form", "data-keep-draft").rsplit("-", 1)[1])
    assert _kept(page, report_pk) is None
    assert {actual.indicator_id: actual.value for actual in ActualValue.objects.all()} == {
        framework.trained.pk: 77,
        framework.rate.pk: 55,
    }
    page.reload()
    expect(page.locator(trained)).to_have_value("77")
    expect(page.locator("#draft-restored")).to_be_hidden()

    page.fill(trained, "80")
    page.press(trained, "Tab")
    assert _kept(page, report_pk) is not None
    page.click("button[value=submit]")
    expect(page.locator("#report-status")).to_have_text("Submitted")
    assert _kept(page, report_pk) is None
    report = framework.trained.actuals.get().report
    assert report.status == ReportStatus.SUBMITTED and report.values.get(indicator=framework.trained).value == 80
    page.goto(url)  # a sent report is read back
    expect(page.locator("#report-status")).to_have_text("Submitted")
