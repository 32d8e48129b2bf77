"""The stylesheet in a real browser: the first page carries it inside (one request draws the page), the browser then
fetches the file into its cache, and the pages after that link it. Every page is drawn with the same styles."""

import pytest
from playwright.sync_api import expect

from cooperation.roles import Role
from cooperation.stylesheet import COOKIE
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOOK = """() => {
    const bar = getComputedStyle(document.querySelector('.topbar'));
    const body = getComputedStyle(document.body);
    return [bar.backgroundColor, bar.display, body.fontFamily, body.margin];
}"""


def _stylesheet_cookie(page):
    return [cookie for cookie in page.context.cookies() if cookie["name"] == COOKIE]


def test_the_first_page_carries_the_stylesheet_and_the_next_ones_link_it(browser_page):
    UserFactory(username="officer", role=Role.OFFICER)
    page = browser_page

    page.goto(f"{page.base_url}/accounts/login/")
    first_look = page.evaluate(LOOK)
    assert page.locator("style[data-stylesheet]").count() == 1
    assert page.locator("link[rel=stylesheet]").count() == 0
    page.wait_for_function(f"document.cookie.includes('{COOKIE}=')")

    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/programmes/")

    assert page.locator("style[data-stylesheet]").count() == 0
    assert page.locator("link[rel=stylesheet]").count() == 1
    assert page.evaluate(LOOK) == first_look
    assert first_look[1] != "block" or first_look[0] != "rgba(0, 0, 0, 0)"  # styled, not the browser's defaults
    [cookie] = _stylesheet_cookie(page)
    assert cookie["sameSite"] == "Lax" and cookie["path"] == "/"


def test_a_count_with_nothing_to_count_stays_out_of_sight(browser_page):
    """The navigation's "Waiting for me" badge is hidden until there is something waiting: an officer with nothing
    to do sees no empty pill beside the link, whatever the badge's own display."""
    UserFactory(username="officer", role=Role.OFFICER)
    page = browser_page
    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/programmes/")
    waiting = page.locator("a[data-waiting-count]")
    expect(waiting).to_be_visible()
    page.wait_for_load_state("networkidle")  # the count has been asked for and answered: nothing waits
    expect(waiting.locator(".badge-count")).to_be_hidden()
