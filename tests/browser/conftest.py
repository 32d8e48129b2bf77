"""Headless Chromium through Playwright, against the live test server.

Playwright drives Debian's Chromium (``/usr/bin/chromium`` or ``CHROMIUM_PATH``);
it never downloads a browser. Where no Chromium exists the browser tests skip,
except under CI, where they are mandatory.
"""

import contextlib
import os
import shutil
import urllib.request

import pytest
from django.core.servers.basehttp import WSGIServer
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


# A page the live server answers while the other test process keeps both cores busy can take longer than
# Playwright's default five seconds to arrive: assertions wait as long as actions do.
expect.set_options(timeout=15_000)


class OneRequestAtATime(WSGIServer):
    """The live server's WSGI server without a thread per request. On SQLite the test database lives in memory and
    the server's threads share its one connection: two requests at once (a page and the count it fetches after
    loading) could read each other's rows. Answered one at a time, each gets its own; Django closes each
    connection after its response, so the browser is never kept waiting on an idle one."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session")
def live_server():
    server = LiveServer("localhost", start=False)
    server.thread.server_class = OneRequestAtATime
    server.start()
    yield server
    server.stop()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def chromium_browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required under CI but {CHROMIUM} does not exist")
        pytest.skip("no Chromium on this machine")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the
    # browser is open; the ORM calls the tests make to arrange data stay synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser, live_server, reference_data_db):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    close_and_settle(context, live_server.url)


def close_and_settle(context, base_url: str) -> None:
    """Close a browser context, then wait until the live server has finished what its pages still had in flight.

    A closed page may leave a request running (the count a page fetches, a queued receipt being sent); the test
    database is emptied as soon as the test ends, and a request caught in the middle deadlocks with that. The
    server answers one request at a time, so once it has answered one more, none of the closed pages' is left."""
    context.close()
    with contextlib.suppress(OSError):
        urllib.request.urlopen(f"{base_url}/accounts/login/", timeout=60).close()  # noqa: S310 (the live server)


def log_in(page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
