"""On a weak link nothing typed in the report form is lost: the browser keeps it until the server has it, puts it
back when the page is loaded again over an older draft, and forgets it once a save or the submission went
through. Driven in a real browser, since this is the one script of the form."""

import pytest
from playwright.sync_api import expect

from programs.results.models import ActualValue, ReportStatus
from tests.browser.conftest import browser_page, chromium_browser, log_in  # noqa: F401 (fixtures)
from tests.factories import PASSWORD
from tests.programs.results.factories import build_framework
from tests.programs.results.portal_factories import report_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEPT = "keep-draft:results-report-{pk}"


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
