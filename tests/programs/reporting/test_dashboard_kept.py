"""The dashboard's body is kept for each state of the data: read back while nothing changes, computed afresh
after any committed change, and never shared between readers, languages or filters."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation import changes
from cooperation.roles import Role
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_db")]

URL = reverse("reporting:dashboard")


@pytest.fixture
def shared_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }


@pytest.fixture
def signed_in(client, shared_cache):
    ProgrammeFactory(code="P-1")
    client.force_login(UserFactory(username="manager", role=Role.MANAGER))
    client.get(URL)  # the browser's first page sets its CSRF cookie; a request without one keeps nothing
    return client


def view(client, url=URL, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    read_programmes = any('"programs_programme"' in query["sql"] for query in queries.captured_queries)
    return response.content.decode(), read_programmes


def body(html: str) -> str:
    """The kept part: from the filters to the end of the page's main content (the layout around it, with its
    per-request nonce, is rendered for every request)."""
    return html.split('<form method="get" class="filters"', 1)[1].split("</main>", 1)[0]


def total(html: str) -> str:
    return html.split('id="stat-total">', 1)[1].split("<", 1)[0]


def test_a_second_view_reads_the_kept_body_and_a_committed_change_shows_at_once(signed_in):
    first, computed = view(signed_in)
    assert total(first) == "1" and computed

    again, computed = view(signed_in)
    assert body(again) == body(first) and not computed

    ProgrammeFactory(code="P-2")  # committed: the data has moved on
    after, computed = view(signed_in)
    assert total(after) == "2" and computed


def test_each_language_filter_and_reader_has_its_own_body(signed_in):
    auditor = Client()
    auditor.force_login(UserFactory(username="auditor", role=Role.AUDITOR))
    auditor.get(URL)
    english, computed = view(signed_in)
    assert computed  # the auditor's sign-in was written after the manager's first view

    indonesian, computed = view(signed_in, HTTP_ACCEPT_LANGUAGE="id")
    assert computed and "Programmes by status" in english and "Program menurut status" in indonesian

    narrowed, computed = view(signed_in, f"{URL}?status=2")
    assert computed and 'id="clear-filters"' in narrowed and 'id="clear-filters"' not in english

    _, computed = view(auditor)
    assert computed  # nothing was written since the manager's view: the auditor's body is their own
    _, computed = view(auditor)
    assert not computed


def test_uncommitted_writes_are_shown_to_their_own_transaction_and_never_kept(signed_in):
    view(signed_in)
    with transaction.atomic():
        ProgrammeFactory(code="P-2")
        inside, computed = view(signed_in)
        assert total(inside) == "2" and computed
        transaction.set_rollback(True)
    after, computed = view(signed_in)
    assert total(after) == "1"


def test_an_invalid_filter_keeps_its_error_next_to_the_field(signed_in):
    first, _ = view(signed_in, f"{URL}?currency=XXX")
    again, computed = view(signed_in, f"{URL}?currency=XXX")
    assert body(again) == body(first) and not computed
    assert '<div class="field field-error" id="field-currency">' in again
    assert '<ul class="errorlist" id="id_currency_error">' in again


def test_without_a_shared_cache_every_view_is_computed(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ProgrammeFactory(code="P-1")
    client.force_login(UserFactory(username="manager", role=Role.MANAGER))
    view(client)
    _, computed = view(client)
    assert computed and not changes.is_shared()
