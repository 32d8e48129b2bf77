"""The dashboard's body is kept: read back while nothing changes; after a committed change, shown as last computed,
saying when, while the worker computes it afresh; never shared between readers, languages or filters."""

from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation import changes, kept
from cooperation.roles import Role
from cooperation.tasks import refresh_kept
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_db")]

URL = reverse("reporting:dashboard")
UPDATING = "Changes made since then are being added"


@pytest.fixture
def shared_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }


@pytest.fixture
def signed_in(client, shared_cache):
    ProgrammeFactory(code="P-1")
    client.force_login(UserFactory(username="manager", role=Role.MANAGER))
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


def as_of(html: str) -> str:
    return html.split('id="figures-as-of" role="status"><small>', 1)[1].split("</small>", 1)[0]


def test_a_second_view_reads_the_kept_body_back(signed_in):
    first, computed = view(signed_in)
    assert total(first) == "1" and computed
    assert as_of(first).startswith("Figures as of ") and UPDATING not in first

    again, computed = view(signed_in)
    assert body(again) == body(first) and not computed


def test_after_a_change_the_last_figures_show_saying_when_while_the_worker_adds_the_change(signed_in):
    view(signed_in)
    ProgrammeFactory(code="P-2")  # committed: the data has moved on
    with mock.patch("cooperation.tasks.refresh_kept.apply_async") as handed_over:
        stale, computed = view(signed_in)
        again, _ = view(signed_in)
    assert total(stale) == "1" and not computed and UPDATING in as_of(stale)
    assert total(again) == "1" and handed_over.call_count == 1  # handed over once for each state of the data

    # The worker computes the page for the state the change left, as the reader would see it.
    assert refresh_kept(**handed_over.call_args.kwargs["kwargs"])
    fresh, computed = view(signed_in)
    assert total(fresh) == "2" and not computed and UPDATING not in fresh


def test_the_worker_refreshes_the_page_it_is_handed(signed_in, settings):
    """In the tests the broker runs each task at once (a real worker: ``tests/cooperation/test_celery.py``)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    view(signed_in)
    ProgrammeFactory(code="P-2")
    stale, _ = view(signed_in)
    fresh, computed = view(signed_in)
    assert total(stale) == "1" and UPDATING in stale
    assert total(fresh) == "2" and not computed and UPDATING not in fresh


def test_after_the_readers_own_change_the_figures_are_computed_at_once(signed_in):
    view(signed_in)
    ProgrammeFactory(code="P-2")  # someone else's change, then the manager's own
    saved = signed_in.post(
        reverse("exports:saved_view_create"),
        {"save-name": "Weekly", "save-source": "reporting.dashboard", "save-list_path": URL, "save-params": ""},
    )
    assert saved.status_code == 302
    with mock.patch("cooperation.tasks.refresh_kept.apply_async") as handed_over:
        after, computed = view(signed_in)
    assert total(after) == "2" and computed and UPDATING not in after and not handed_over.called


def test_figures_older_than_the_limit_are_computed_while_the_reader_waits(signed_in, monkeypatch):
    view(signed_in)
    ProgrammeFactory(code="P-2")
    monkeypatch.setattr(kept, "STALE_FOR", 0)
    with mock.patch("cooperation.tasks.refresh_kept.apply_async") as handed_over:
        after, computed = view(signed_in)
    assert total(after) == "2" and computed and UPDATING not in after and not handed_over.called


def test_with_the_broker_away_the_reader_waits_for_fresh_figures(signed_in):
    view(signed_in)
    ProgrammeFactory(code="P-2")
    with mock.patch("cooperation.tasks.refresh_kept.apply_async", side_effect=ConnectionError("broker away")):
        after, computed = view(signed_in)
        assert total(after) == "2" and computed and UPDATING not in after
        ProgrammeFactory(code="P-3")
        later, computed = view(signed_in)  # the broker is asked again, and the reader still waits for the figures
    assert total(later) == "3" and computed and UPDATING not in later


def test_a_form_on_a_page_the_worker_computed_carries_the_readers_own_csrf_token(shared_cache, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ProgrammeFactory(code="P-1")
    manager = Client(enforce_csrf_checks=True)
    manager.force_login(UserFactory(username="manager", role=Role.MANAGER))
    view(manager)
    ProgrammeFactory(code="P-2")
    view(manager)  # stale; the worker computes the page meanwhile
    fresh, computed = view(manager)
    assert total(fresh) == "2" and not computed and kept.CSRF_PLACEHOLDER not in fresh
    token = fresh.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    saved = manager.post(
        reverse("exports:saved_view_create"),
        {
            "csrfmiddlewaretoken": token,
            "save-name": "Weekly figures",
            "save-source": "reporting.dashboard",
            "save-list_path": URL,
            "save-params": "",
        },
    )
    assert saved.status_code != 403


def test_each_language_filter_and_reader_has_its_own_body(signed_in):
    auditor = Client()
    auditor.force_login(UserFactory(username="auditor", role=Role.AUDITOR))
    english, computed = view(signed_in)
    assert computed

    indonesian, computed = view(signed_in, HTTP_ACCEPT_LANGUAGE="id")
    assert computed and "Programmes by status" in english and "Program menurut status" in indonesian
    assert as_of(indonesian).startswith("Angka per pukul ")

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
