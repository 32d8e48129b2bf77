"""Every page of Kerjasama loads in a real browser under the real Content-Security-Policy, with a clean console.

The pages are every named URL of the project (from the URL resolver, like tests/test_no_server_errors.py), filled
with the records of the access matrix's world: the workspace, the portal, the dashboard, the browsable API, the API
docs and every screen of the Django admin. Each page is opened once, by one of the roles that may open it (spread
over the roles, so each role's variant of the shared templates is drawn), in one browser context per role. The
browser reports every blocked inline script or style, every blocked source, and every console error.
"""

import pytest
from django.contrib import admin
from django.template.loader import select_template
from django.test import RequestFactory
from django.urls import resolve
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import close_and_settle, log_in
from tests.factories import PASSWORD
from tests.test_access_matrix import EXPECTED, world  # noqa: F401 (world is a fixture)
from tests.test_no_server_errors import _urls

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("officer", "manager", "auditor", "partner", "admin")
# URL names outside the access matrix, and who opens them here; None: not a page (a POST, or a redirect).
OUTSIDE_THE_MATRIX = {
    "home": None,  # sends each role to its own start page
    "set_language": None,  # POST only
    "account:logout": None,  # POST only
    "account:login": "anonymous",
    "account:password_reset": "anonymous",
    "account:password_reset_done": "anonymous",
    "account:password_reset_confirm": "anonymous",  # an unknown link: the page says so
    "account:password_reset_complete": "anonymous",
    "account:password_change": "officer",
    "account:password_change_done": "officer",
    "account:profile": "partner",
    "account:login_code": None,  # only after the password step: the two-factor journey opens it
    "account:two_factor": "officer",
    "account:two_factor_enrol": "officer",  # the QR code, drawn as inline SVG
    "account:recovery_codes": None,  # POST only
    "account:two_factor_disable": None,  # POST only
    "account:api_tokens": "officer",
    "account:api_token_revoke": None,  # POST only
    "account:api_tokens_revoke_all": None,  # POST only
}
# The admin's URLs that are no pages: a POST, a JSON lookup that needs its query, a script, and redirects.
ADMIN_NOT_PAGES = {"admin:logout", "admin:autocomplete", "admin:jsi18n", "admin:view_on_site", "admin:login"}
# A model's admin screens that show one record.
RECORD_SCREENS = {"change", "history", "simple_history", "delete", "password_change"}
# Admin screens whose page is one template shared by many models: each template is opened once (every model's
# changelist and change page are opened: they carry each model's own columns, filters, fields and widgets).
# screen → (the ModelAdmin attribute naming its template, the admin's template otherwise)
SHARED_SCREENS = {
    "add": ("add_form_template", "change_form.html"),
    "delete": ("delete_confirmation_template", "delete_confirmation.html"),
    "history": ("object_history_template", "object_history.html"),
    "simple_history": ("object_history_form_template", "object_history_form.html"),
}
# Pages that draw themselves after loading: what shows they are done.
DRAWN_WHEN = {"api-docs": "#swagger-ui .opblock"}

LISTEN_FOR_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "an inline block"}`
    + ` (${event.sourceFile || "the page"}:${event.lineNumber}) ${event.sample || ""}`.trimEnd()
  );
});
"""
# One round of the page's task queue: violation events raised while the page was drawn have been delivered.
SETTLE = "() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))"


def _admin_screen(name):
    """(model, its admin, the screen) of a model's admin URL name; None for the admin's other URLs."""
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model, model_admin, name.removeprefix(prefix)
    return None


def _admin_shows(name, url, request):
    """Whether the admin shows this screen to the administrator: the add and delete screens of records that only
    services write are refused by design, and a model without records has no record screens."""
    if name in ADMIN_NOT_PAGES:
        return False
    if (found := _admin_screen(name)) is None:
        return True  # the index, an application's index, the administrator's password pages
    model, model_admin, screen = found
    if screen == "changelist":
        return model_admin.has_view_or_change_permission(request)
    if screen == "add":
        return model_admin.has_add_permission(request)
    if screen not in RECORD_SCREENS:
        return False
    match = resolve(url)
    record = model._default_manager.filter(pk=match.kwargs.get("object_id") or next(iter(match.args), None)).first()
    if record is None:
        return False
    if screen == "delete":
        return model_admin.has_delete_permission(request, record)
    return model_admin.has_view_or_change_permission(request, record)


def _admin_pages(urls, admin_user):
    """The admin screens to open: every one the administrator is shown, each shared template drawn once."""
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    drawn = set()
    for name, url in urls:
        if not name.startswith("admin:") or not _admin_shows(name, url, request):
            continue
        found = _admin_screen(name)
        if found is not None and found[2] in SHARED_SCREENS:
            template = _template_of(*found)
            if template in drawn:
                continue
            drawn.add(template)
        yield name, url


def _template_of(model, model_admin, screen):
    """The template the admin draws this screen with, looked up the way the admin looks it up."""
    attribute, default = SHARED_SCREENS[screen]
    named = getattr(model_admin, attribute, None) or (model_admin.change_form_template if screen == "add" else None)
    if named:
        candidates = [named] if isinstance(named, str) else list(named)
    else:
        opts = model._meta
        candidates = [f"admin/{opts.app_label}/{opts.model_name}/{default}", f"admin/{opts.app_label}/{default}"]
        candidates.append(f"admin/{default}")
    return select_template(candidates).origin.name


def _plan(urls, admin_user):
    """Role → [(name, url)], each page once; and the names nobody has decided about."""
    plan: dict[str, list] = {"admin": list(_admin_pages(urls, admin_user))}
    undecided = []
    for index, (name, url) in enumerate(urls):
        if name.startswith("admin:"):
            continue
        if name in EXPECTED:
            allowed = [role for role in ROLES if role in EXPECTED[name]]
            role = allowed[index % len(allowed)] if allowed else None  # none: a POST-only URL
        elif name in OUTSIDE_THE_MATRIX:
            role = OUTSIDE_THE_MATRIX[name]
        else:
            undecided.append(name)
            continue
        if role is not None:
            plan.setdefault(role, []).append((name, url))
    return plan, undecided


class Watcher:
    """One browser context for one role: what its pages report."""

    def __init__(self, browser, base_url, role, problems):
        self.role = role
        self.problems = problems
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        self.context.set_default_timeout(20_000)
        self.context.expose_binding("reportViolation", self._violation)
        self.context.add_init_script(LISTEN_FOR_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.base_url = base_url
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self._note(f"script error: {error}"))
        self.page.on("response", self._response)
        self.opened = 0

    def _note(self, text):
        self.problems.append(f"{self.role} {self.page.url}: {text}")

    def _violation(self, source, text):
        self.problems.append(f"{self.role} {source['page'].url}: CSP violation: {text}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self._note(f"{response.request.resource_type} {response.url} answered {response.status}")

    def _console(self, message):
        if message.type == "error":
            self._note(f"console error: {message.text}")

    def open(self, name, url):
        try:
            response = self.page.goto(self.page.base_url + url, wait_until="load")
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                return  # a file (CSV, PDF, the schema's YAML), not a page
            raise
        if response is None or response.status != 200 or response.request.redirected_from is not None:
            status = response.status if response else "no answer"
            self._note(f"{name} answered {status} at {response.url if response else url}, not the page")
            return
        policy = response.headers.get("content-security-policy", "")
        if "text/html" in response.headers.get("content-type", "") and "default-src 'self'" not in policy:
            self._note(f"{name} came without the Content-Security-Policy (got {policy!r})")
        if name in DRAWN_WHEN:
            self.page.wait_for_selector(DRAWN_WHEN[name])
        self.page.evaluate(SETTLE)
        self.opened += 1

    def close(self):
        close_and_settle(self.context, self.page.base_url)


def test_every_page_loads_without_a_csp_violation_or_console_error(
    chromium_browser, live_server, reference_data_db, world, admin_user
):
    plan, undecided = _plan(list(_urls(world[0])), admin_user)
    assert undecided == [], "Decide who opens these pages in OUTSIDE_THE_MATRIX"

    problems: list[str] = []
    opened = {}
    for role in ("anonymous", *ROLES):
        watcher = Watcher(chromium_browser, live_server.url, role, problems)
        try:
            if role != "anonymous":
                log_in(watcher.page, role, PASSWORD)
            for name, url in plan.get(role, []):
                watcher.open(name, url)
            opened[role] = watcher.opened
        finally:
            watcher.close()

    assert problems == [], "\n".join(problems)
    # Each role drew its share of the pages, and the admin every screen of every model.
    assert all(opened[role] >= 5 for role in ROLES), opened
    changelists = [name for name, _ in plan["admin"] if name.endswith("_changelist")]
    assert len(changelists) == len(admin.site._registry), "every model's list in the admin"
