"""The pieces every entry uses: table and column names from the models, SQL that runs on either database, the
rows of a list page, and the signed-in client."""

# The statements are put together from table names (the models' metadata) and this file's own SQL; every value
# goes in as a parameter.
# ruff: noqa: S608

import datetime
import gzip
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.test import Client

PAGE_SIZE = 25  # the web lists' pages (cooperation.pages.PAGE_SIZE) and the API's (REST_FRAMEWORK PAGE_SIZE)


def table(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def column(label: str, name: str) -> str:
    return apps.get_model(label)._meta.get_field(name).column


def sql(statement: str) -> str:
    """``statement`` with the DB-API's placeholder: psycopg takes ``%s``, sqlite3 ``?``."""
    return statement.replace("%s", "?") if connection.vendor == "sqlite" else statement


def values(params) -> list:
    """``params`` as the DB-API takes them: sqlite3 gets dates and times as the text Django stores (its own
    adapters for them are deprecated); psycopg adapts them itself."""
    if connection.vendor != "sqlite":
        return list(params)
    adapted = []
    for value in params:
        if isinstance(value, datetime.datetime):
            value = connection.ops.adapt_datetimefield_value(value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        adapted.append(value)
    return adapted


def fetch(cursor, statement: str, params=()) -> list:
    cursor.execute(sql(statement), values(params))
    return cursor.fetchall()


def insert(cursor, statement: str, rows: list) -> None:
    cursor.executemany(sql(statement), [values(row) for row in rows])


@dataclass
class Rows:
    """A list's floor: ``SELECT count(*)`` and one page of rows, sorted as the list sorts, with the labels of the
    records it points at (``labels``: field -> the related table's column shown)."""

    model: str
    order: str
    labels: dict = field(default_factory=dict)
    where: str = "TRUE"
    params: tuple = ()
    count_joins: str = ""
    page_extra: Callable | None = None  # (cursor, rows) -> extra rows the page shows for its own records

    def _joins(self) -> tuple[str, str]:
        selected, joins = ["t.*"], []
        model = apps.get_model(self.model)
        for number, (name, label_column) in enumerate(self.labels.items()):
            relation = model._meta.get_field(name)
            alias = f"j{number}"
            joins.append(
                f"LEFT JOIN {relation.related_model._meta.db_table} {alias} "
                f"ON {alias}.{relation.target_field.column} = t.{relation.column}"
            )
            selected.append(f"{alias}.{label_column}")
        return ", ".join(selected), " ".join(joins)

    def count(self, cursor) -> int:
        statement = f"SELECT count(*) FROM {table(self.model)} t {self.count_joins} WHERE {self.where}"
        return fetch(cursor, statement, self.params)[0][0]

    def page(self, cursor, number: int) -> list:
        selected, joins = self._joins()
        statement = (
            f"SELECT {selected} FROM {table(self.model)} t {joins} {self.count_joins} WHERE {self.where} "
            f"ORDER BY {self.order} LIMIT {PAGE_SIZE} OFFSET {(number - 1) * PAGE_SIZE}"
        )
        rows = fetch(cursor, statement, self.params)
        if self.page_extra is not None and rows:
            rows = rows + self.page_extra(cursor, rows)
        return rows

    def floor(self, number: int) -> Callable:
        def run(cursor) -> int:
            self.count(cursor)
            return len(self.page(cursor, number))

        return run


def loan_sums(cursor, rows) -> list:
    """What the loan list shows beside each loan of its page: the installments' totals, for those 25 loans only."""
    ids = [row[0] for row in rows if isinstance(row[0], int)]
    marks = ", ".join(["%s"] * len(ids))
    return fetch(
        cursor,
        f"SELECT loan_id, sum(principal_due), sum(principal_paid), sum(interest_due), sum(interest_paid), "
        f"min(CASE WHEN principal_paid < principal_due THEN due_date END) "
        f"FROM {table('finance.Installment')} WHERE loan_id IN ({marks}) GROUP BY loan_id",
        ids,
    )


# (entry name, web list URL or None, API URL or None, the floor's rows)


@dataclass
class Entry:
    name: str
    kind: str  # page, api, record, hub, dashboard, export, job
    app: Callable[[], int]  # one request (or run): the bytes (or reminders) it produced; raises on a failure
    floor: Callable  # (cursor) -> rows fetched by hand-written SQL
    url: str = ""
    note: str = ""
    rolled_back: bool = False  # app and floor run in a transaction that is rolled back (they write)
    before: Callable[[], None] | None = None  # run before each app round, outside its time (what others did)


AFTER_A_CHANGE = "after a change"


def after_a_change(name: str, kind: str, ctx: "Context", floor: Callable, url: str) -> Entry:
    """The page ``url`` as its first view after someone else's committed change (before each view, outside its
    time, the state of the data moves on and the reader's session forgets any write of theirs): a page or list the
    worker refreshes (``cooperation.kept.latest_kept``) is shown as last computed, saying when, and handed to the
    worker; a page kept only for each state of the data is computed."""

    def someone_else_changed() -> None:
        from cooperation import changes, kept

        changes.moved()
        session = ctx.client.session
        if kept.WROTE_AT in session:
            del session[kept.WROTE_AT]
            session.save()

    return Entry(f"{name}, {AFTER_A_CHANGE}", kind, lambda: ctx.get(url), floor, url, before=someone_else_changed)


AFTER_OWN_CHANGE = "after the reader's own change"


def after_own_change(name: str, kind: str, ctx: "Context", floor: Callable, url: str) -> Entry:
    """The page ``url`` as its first view after a change its reader made: a page or list the worker refreshes
    (``cooperation.kept.latest_kept``) is computed while they wait, so that their own change shows. The time
    includes noting the write in the reader's session, as answering their write would."""

    def app() -> int:
        from cooperation import changes, kept

        changes.moved()
        session = ctx.client.session
        session[kept.WROTE_AT] = time.time()
        session.save()
        return ctx.get(url)

    return Entry(f"{name}, {AFTER_OWN_CHANGE}", kind, app, floor, url)


REFRESHED_BY_THE_WORKER = "refreshed by the worker"


def refreshed_by_the_worker(name: str, kind: str, ctx: "Context", floor: Callable, url: str, page: str) -> Entry:
    """What the worker does after a change for a page it refreshes (``cooperation.kept.render_refreshed``):
    computing and rendering page ``page`` at ``url``. Its time is how long after a change the
    page is shown as last computed, saying when (the reader meanwhile waits no longer than for a page read back)."""
    from django.conf import settings

    path, _question, query = url.partition("?")

    def app() -> int:
        from django.utils import timezone, translation

        from cooperation import kept

        request = kept.request_as(ctx.user, path=path, query=query, host="testserver")
        with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
            return len(kept.computed(request, page, None)["body"])

    return Entry(f"{name}, {REFRESHED_BY_THE_WORKER}", kind, app, floor, "")


class Failed(Exception):
    pass


@dataclass
class Context:
    """The client, signed in as a manager, and the records the entries point at."""

    client: Client
    user: object = None  # whom the client is signed in as
    weights: dict = field(default_factory=dict)  # url -> (bytes, gzipped bytes)

    def get(self, url: str) -> int:
        response = self.client.get(url)
        if response.status_code != 200:
            raise Failed(f"{url} answered {response.status_code}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url not in self.weights:
            self.weights[url] = (len(body), len(gzip.compress(body, 6)))
        return len(body)

    def api_count(self, url: str) -> int:
        response = self.client.get(url)
        if response.status_code != 200:
            raise Failed(f"{url} answered {response.status_code}")
        return int(response.json().get("count", 0))


def with_page(url: str, number: int) -> str:
    return url if number <= 1 else f"{url}{'&' if '?' in url else '?'}page={number}"


def first_id(cursor, label: str, where: str = "TRUE", order: str = "t.id") -> int | None:
    rows = fetch(cursor, f"SELECT t.id FROM {table(label)} t WHERE {where} ORDER BY {order} LIMIT 1")
    return rows[0][0] if rows else None


def record_floor(statements: list[tuple[str, tuple]]) -> Callable:
    def run(cursor) -> int:
        return sum(len(fetch(cursor, statement, params)) for statement, params in statements)

    return run
