"""No request, however hostile, gets a server error.

Every URL pattern of the project is walked as every role with nonsense query
strings, empty and garbage form posts (field names read from the forms the
pages really render) and API bodies of the wrong JSON types. A 500 is a bug
whatever the input: bad input deserves a clear 4xx or a form with errors.
Each request runs in a savepoint that is rolled back, so every request meets
the same world and one request's database error cannot poison the next.
"""

import datetime
import json
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.test_access_matrix import _named_patterns, _url_for, world  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db

LONG_TEXT = "x" * 10_000
# Dates at and past the calendar's ends, a date in the future (for events that already happened), and amounts
# with more digits than every database stores exactly (16 significant digits).
TOMORROW = str(datetime.date.today() + datetime.timedelta(days=2))
EDGE_DATES = ["9999-12-31", "9999-12-01", "0001-01-01", TOMORROW]
HUGE_AMOUNTS = ["98765432109876.54", "9876543210987654", "99999999999999.9999"]
HOSTILE_VALUES = [
    "",
    "-1",
    "1e309",
    "NaN",
    "Infinity",
    "9" * 40,
    "abc",
    "2026-02-30",
    "<script>",
    LONG_TEXT,
    "\x00",
    *EDGE_DATES,
    *HUGE_AMOUNTS,
]
# Each alone on a page the role may open; all of them at once everywhere else.
NONSENSE_QUERIES = [
    "page=abc",
    "page=-1",
    "page=99999",
    "page=" + "9" * 40,
    "ordering=-nope",
    "ordering=__",
    "format=nonsense",
    "q=%00&search=%00",
    "q=" + "x" * 2000,
    "status=nonsense&delayed=maybe&call=abc&date=2026-13-45&currency=ZZZ&programme=-1&organisation=abc&year=abc",
    "limit=abc&offset=-5&o=nope&p=abc&all=&from=2026-02-30&to=abc&status=%00&status=<script>",
]
# Values for the filter fields a page's own GET forms (or the API schema) declare.
FILTER_NONSENSE = ["abc", "-1", "9" * 40, "%00", "2026-13-45", "%3Cscript%3E"]
# Generating the OpenAPI schema takes about a second: it gets the combined nonsense only, from the first role that
# opens it.
SLOW_PAGES = {"api-schema"}
# Records that do not exist are asked for by one staff role and one partner role.
ROLES_ASKING_FOR_MISSING_RECORDS = {"officer", "partner"}
# A formset's row count: a huge one makes Django build (and render) its cap of 2,000 rows, which takes
# seconds per request, so it is tampered with by values that stay cheap.
FORMSET_MANAGEMENT = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
MANAGEMENT_NONSENSE = ["abc", "-1", "", "NaN"]
# Stand-ins for the path parts that are not records of the world.
PATH_DEFAULTS = {"app_label": "partners", "content_type_id": "1", "object_id": "1", "uidb64": "MQ", "token": "abc-def"}
SERVER_ERROR = 500
JSON_WRONG_TYPES = [
    None,
    [],
    {},
    "abc",
    "",
    -1,
    10**40,
    1e308,
    True,
    [{"a": 1}],
    "NaN",
    "9" * 40,
    LONG_TEXT,
    "\x00",
    *EDGE_DATES,
    *HUGE_AMOUNTS,
    98765432109876.54,
]
RAW_JSON_BODIES = ["null", "[]", '"abc"', "123", "{}", "[{}]", '{"a": 1e309}', "{not json", "9" * 400]


@dataclass
class Form:
    action: str
    method: str
    fields: list[dict] = field(default_factory=list)


class FormReader(HTMLParser):
    """Collects every form of a page with its fields, as a browser would submit them."""

    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(
                action=urlsplit(attrs.get("action") or self.page_url).path or self.page_url,
                method=(attrs.get("method") or "get").lower(),
            )
            self.forms.append(self._form)
        if self._form is None or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._select["options"].append((attrs.get("value", ""), "selected" in attrs))
            return
        if tag == "input":
            self._form.fields.append(
                {
                    "name": attrs["name"],
                    "type": (attrs.get("type") or "text").lower(),
                    "value": attrs.get("value", ""),
                    "checked": "checked" in attrs,
                }
            )
        elif tag == "select":
            self._select = {"name": attrs["name"], "type": "select", "options": [], "multiple": "multiple" in attrs}
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = {"name": attrs["name"], "type": "textarea", "value": ""}
            self._form.fields.append(self._textarea)
        elif tag == "button" and (attrs.get("type") or "submit") == "submit":
            self._form.fields.append({"name": attrs["name"], "type": "submit", "value": attrs.get("value", "")})

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


TYPED_DEFAULTS = {"date": "2026-06-01", "number": "1", "email": "someone@example.org", "url": "https://example.org"}


def _baseline(form: Form, *, fill_blanks: bool) -> dict:
    """What the form submits as rendered; with `fill_blanks`, empty inputs get a plausible value."""
    data: dict = {}
    submitted_buttons = set()
    for spec in form.fields:
        name, kind = spec["name"], spec["type"]
        if kind == "select":
            chosen = [value for value, selected in spec["options"] if selected]
            if not chosen and fill_blanks:
                chosen = [value for value, _ in spec["options"] if value][:1]
            if chosen:
                data[name] = chosen if spec["multiple"] else chosen[0]
        elif kind in {"checkbox", "radio"}:
            if spec["checked"] or (kind == "radio" and fill_blanks and name not in data):
                data.setdefault(name, []).append(spec["value"] or "on")
        elif kind == "submit":
            if name not in submitted_buttons:
                submitted_buttons.add(name)
                data[name] = spec["value"]
        elif kind == "file":
            if fill_blanks:
                data[name] = None  # replaced by a fresh upload per request
        elif kind in {"hidden", "textarea"} or spec["value"] or not fill_blanks:
            text = spec["value"].strip() if kind == "textarea" else spec["value"]
            data[name] = text or ("Text" if fill_blanks and kind == "textarea" else "")
        else:
            data[name] = TYPED_DEFAULTS.get(kind, "Text")
    return data


def _uploads(data: dict) -> dict:
    """A fresh upload for every file field (an upload is read once), with content that is not what it claims."""
    return {
        name: SimpleUploadedFile("../../evil.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
        if value is None
        else value
        for name, value in data.items()
    }


def _is_blank(form: Form) -> bool:
    visible = [spec for spec in form.fields if spec["type"] not in {"hidden", "submit", "select", "checkbox", "radio"}]
    return not any(spec.get("value", "").strip() for spec in visible)


class Walker:
    """Sends requests as one role, each in a rolled-back savepoint, and notes every server error."""

    def __init__(self, failures):
        self.client = Client(raise_request_exception=False)
        self.failures = failures
        self.role = "anonymous"
        self.requests = 0

    def become(self, role, user):
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        self.role = role

    def send(self, method, url, data=None, **extra):
        self.requests += 1
        with transaction.atomic():
            try:
                response = getattr(self.client, method)(url, data, **extra)
            except Exception as error:  # a crash outside the request handler (the client, a signal) is a failure too
                response = None
                summary = "".join(traceback.format_exception_only(error)).strip()
            transaction.set_rollback(True)
        if response is None or response.status_code >= SERVER_ERROR:
            if response is not None:
                summary = _error_summary(response)
            shown = data if not isinstance(data, dict) else {k: _short(v) for k, v in data.items()}
            self.failures.append(f"{self.role} {method.upper()} {_short(url)} {_short(shown)} → {summary}")
        return response


def _short(value, limit=160):
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} chars)"


def _error_summary(response):
    exc_info = getattr(response, "exc_info", None)
    if exc_info and exc_info[1] is not None:
        frames = traceback.extract_tb(exc_info[2])
        ours = [frame for frame in frames if "site-packages" not in frame.filename] or frames[-1:]
        where = f"{ours[-1].filename.rsplit('site-packages/', 1)[-1]}:{ours[-1].lineno}" if ours else ""
        return f"{response.status_code} {type(exc_info[1]).__name__}: {_short(exc_info[1], 200)} at {where}"
    return str(response.status_code)


def _urls(objects):
    """Every URL pattern of the project with the world's records filled in: (name, url)."""
    admin_objects = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_": model._default_manager.order_by("pk").first()
        for model in admin.site._registry
    }
    for name, pattern in _named_patterns():
        wanted = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
        if name.startswith("admin:"):
            record = next((obj for prefix, obj in admin_objects.items() if name.startswith(prefix)), None)
            kwargs = {key: PATH_DEFAULTS.get(key, "1") for key in wanted}
            if "object_id" in kwargs and record is not None:
                kwargs["object_id"] = str(record.pk)
            positional = pattern.pattern.regex.groups - len(pattern.pattern.regex.groupindex)
            if wanted or not positional:
                yield name, reverse(name, kwargs=kwargs)
            else:  # django-simple-history's history form: (object id, history id)
                history = getattr(record, "history", None)
                version = history.order_by("history_id").first() if history is not None else None
                ids = [record.pk if record else 1, version.history_id if version else 1]
                yield name, reverse(name, args=ids[:positional])
        elif wanted and not any(name.startswith(prefix) for prefix in objects):
            yield name, reverse(name, kwargs={key: PATH_DEFAULTS.get(key, "1") for key in wanted})
        else:
            yield name, _url_for(name, pattern, objects)


def _with_missing_ids(url):
    """The same URL about records that do not exist (zero and an id beyond any integer column)."""
    try:
        match = resolve(url)
    except Resolver404:
        return []
    int_keys = [key for key, value in match.kwargs.items() if isinstance(value, int)]
    if not int_keys:
        return []
    return [reverse(match.view_name, kwargs={**match.kwargs, **{key: bad for key in int_keys}}) for bad in (0, 10**20)]


def _query(url, query):
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _page_forms(response, url):
    if response is None or response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    reader = FormReader(url)
    reader.feed(response.content.decode())
    return reader.forms


def _refused(response):
    if response is None or response.status_code in {401, 403, 404, 405}:
        return True
    return response.status_code == 302 and "login" in response.get("Location", "")


_SCHEMA: dict[str, tuple[dict, set]] = {}


def _schema(admin_user):
    """URL name → ({method: the request body's field names}, the query parameters), from the OpenAPI schema (read
    once per test process: it is the same for every shard)."""
    if not _SCHEMA:
        _SCHEMA.update(_read_schema(admin_user))
    return _SCHEMA


def _read_schema(admin_user):
    client = Client()
    client.force_login(admin_user)
    schema = json.loads(client.get(reverse("api-schema"), {"format": "json"}).content)
    components = schema.get("components", {}).get("schemas", {})
    found: dict[str, tuple[dict, set]] = {}
    for path, operations in schema["paths"].items():
        concrete = path
        while "{" in concrete:
            start, end = concrete.index("{"), concrete.index("}")
            concrete = f"{concrete[:start]}1{concrete[end + 1 :]}"
        try:
            url_name = resolve(concrete).view_name
        except Resolver404:
            continue
        bodies, parameters = found.setdefault(url_name, ({}, set()))
        for method, operation in operations.items():
            parameters.update(p["name"] for p in operation.get("parameters", []) if p.get("in") == "query")
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
            if method in {"post", "put", "patch"}:
                bodies[method] = sorted(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
    return found


class Hunt:
    """One walk of the whole project; each URL gets its most thorough treatment from the first role that opens it."""

    def __init__(self, urls, missing, schema, hostile):
        self.urls = urls
        self.missing = missing
        self.schema = schema
        self.hostile = hostile
        self.failures: list[str] = []
        self.walker = Walker(self.failures)
        self.explored_gets: set[str] = set()
        self.explored_posts: set[tuple] = set()
        self.explored_api: set[tuple] = set()
        self.form_fields: dict[str, list[str]] = {}
        self.slow_pages_opened: set[str] = set()

    def as_role(self, role, user):
        self.walker.become(role, user)
        forms_by_target: dict[str, list[Form]] = {}
        urls = self.urls + (self.missing if role in ROLES_ASKING_FOR_MISSING_RECORDS else [])
        for name, url in urls:
            if name in SLOW_PAGES:
                if name in self.slow_pages_opened:
                    continue
                self.slow_pages_opened.add(name)
            response = self.walker.send("get", url)
            for form in _page_forms(response, url):
                if form.method == "post":
                    forms_by_target.setdefault(form.action, []).append(form)
            self.nonsense_queries(name, url, response)
        for name, url in urls:
            if name.startswith("api:"):
                self.api_bodies(name, url)
            elif name not in {"account:logout", "admin:logout"}:  # signing out would end this role's walk
                self.posts(name, url, forms_by_target.get(url, []))

    def nonsense_queries(self, name, url, response):
        if (
            response is None
            or response.status_code != 200
            or url in self.explored_gets
            or name in SLOW_PAGES
            or (name.startswith("admin:") and not name.endswith("_changelist"))
        ):
            self.walker.send("get", _query(url, "&".join(NONSENSE_QUERIES)))
            return
        self.explored_gets.add(url)
        for query in NONSENSE_QUERIES:
            self.walker.send("get", _query(url, query))
        filters = {spec["name"] for form in _page_forms(response, url) if form.method == "get" for spec in form.fields}
        filters |= self.schema.get(name, ({}, set()))[1]
        for position, filter_name in enumerate(sorted(filters)):
            value = FILTER_NONSENSE[position % len(FILTER_NONSENSE)]
            self.walker.send("get", _query(url, f"{quote(filter_name)}={value}"))
        if filters:
            self.walker.send("get", _query(url, "&".join(f"{quote(f)}=abc" for f in sorted(filters))))

    def posts(self, name, url, forms):
        if _refused(self.walker.send("post", url, {})):
            return
        if name.startswith("admin:") and not name.endswith(("_add", "_change")):
            return  # the admin's own confirmation pages; its add and change forms run our services
        for form in forms:
            self.form_fields[name] = sorted({spec["name"] for spec in form.fields})
        if not forms:
            # A form this role was not shown may still be posted by hand.
            names = self.form_fields.get(name, ["name", "amount", "date", "quantity", "reason", "status"])
            self.walker.send("post", url, {key: self.hostile[i % len(self.hostile)] for i, key in enumerate(names)})
        for form in forms:
            names = sorted({spec["name"] for spec in form.fields if spec["type"] != "submit"})
            baseline = _baseline(form, fill_blanks=_is_blank(form))
            thorough = (url, tuple(names)) not in self.explored_posts
            self.explored_posts.add((url, tuple(names)))
            for round_ in range(2 if thorough else 1):
                garbage = {**baseline}
                for position, field_name in enumerate(names):
                    if not field_name.endswith(FORMSET_MANAGEMENT):
                        garbage[field_name] = self.hostile[(position * 3 + round_ * 7) % len(self.hostile)]
                self.walker.send("post", url, garbage)
            if not thorough:
                continue
            self.walker.send("post", url, _uploads(baseline))
            if name.startswith("admin:"):
                continue  # the admin's forms are Django's; the rounds above reach the services behind them
            # One field at a time in an otherwise plausible form reaches the services, not only the form.
            for position, field_name in enumerate(names):
                value = self.hostile[position % len(self.hostile)]
                if field_name.endswith(FORMSET_MANAGEMENT):
                    value = MANAGEMENT_NONSENSE[position % len(MANAGEMENT_NONSENSE)]
                self.walker.send("post", url, _uploads({**baseline, field_name: value}))
            # Every date field meets the calendar's ends and the future; every number field a 16-digit amount.
            typed = {spec["name"]: spec["type"] for spec in form.fields}
            for field_name, kind in typed.items():
                edge_values = {"date": EDGE_DATES, "number": HUGE_AMOUNTS}.get(kind, [])
                if kind == "text" and any(word in field_name for word in ("amount", "value", "principal")):
                    edge_values = HUGE_AMOUNTS
                for value in edge_values:
                    self.walker.send("post", url, _uploads({**baseline, field_name: value}))

    def api_bodies(self, name, url):
        methods = self.schema.get(name, ({}, set()))[0] or {"post": []}
        for method, field_names in methods.items():
            if _refused(self.walker.send(method, url, "{}", content_type="application/json")):
                continue
            thorough = (name, method) not in self.explored_api
            self.explored_api.add((name, method))
            for raw in RAW_JSON_BODIES if thorough else RAW_JSON_BODIES[:3]:
                self.walker.send(method, url, raw, content_type="application/json")
            for round_ in range(len(JSON_WRONG_TYPES) if thorough else 3):
                payload = {
                    field_name: JSON_WRONG_TYPES[(position + round_) % len(JSON_WRONG_TYPES)]
                    for position, field_name in enumerate(field_names)
                }
                self.walker.send(method, url, json.dumps(payload), content_type="application/json")
                if round_ < 2 and method == "post":
                    as_form = {key: str(value) for key, value in payload.items() if value is not None}
                    self.walker.send(method, url, as_form)  # the same values as a form post (multipart)


# The walk in parts that run side by side (pytest-xdist): the admin, the API, the pages of money and goods, and the
# other pages. A record's page and the moves it posts to share a namespace, so each part still posts the forms it
# was shown.
SHARDS = ("admin", "api", "money-and-goods-pages", "pages")
MONEY_AND_GOODS = (
    "finance",
    "finance_portal",
    "shipments",
    "shipments_portal",
    "budgets",
    "rates",
    "documents",
    "documents_portal",
)


def _shard(url_name: str) -> str:
    namespace = url_name.split(":", 1)[0]
    if namespace in ("admin", "api"):
        return namespace
    return "money-and-goods-pages" if namespace in MONEY_AND_GOODS else "pages"


@pytest.mark.parametrize("shard", SHARDS)
def test_no_request_gives_a_server_error(shard, world, admin_user, other_org, foreign_programme):
    objects, users = world
    urls = [(name, url) for name, url in _urls(objects) if _shard(name) == shard]
    missing = [(name, bad) for name, url in urls if not name.startswith("admin:") for bad in _with_missing_ids(url)]
    hunt = Hunt(urls, missing, _schema(admin_user), [*HOSTILE_VALUES, str(other_org.pk), str(foreign_programme.pk)])
    for role, user in users.items():
        hunt.as_role(role, user)
    assert hunt.failures == [], "\n".join(hunt.failures)
