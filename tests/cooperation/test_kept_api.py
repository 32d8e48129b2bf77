"""An API list answered as JSON is kept for each state of the data, per user and query: read back until a write is
committed; after someone else's write, answered as last computed, saying when, while the worker computes it afresh;
after the client's own write, computed at once. The browsable API and every write are answered afresh."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cooperation.kept import FIGURES_AS_OF
from cooperation.roles import Role
from cooperation.tasks import refresh_kept
from tests.cooperation.test_kept import refreshes_handed_over
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_db")]

PARTNERS = "/api/v1/partners/"


@pytest.fixture(autouse=True)
def shared_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }


def as_user(username: str, role: Role) -> APIClient:
    api = APIClient()
    api.force_authenticate(UserFactory(username=username, role=role))
    return api


def listed(api, url=PARTNERS, **headers):
    """The names listed, and whether the list was read from the database."""
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, **headers)
    assert response.status_code == 200
    read = any('"partners_organisation"' in query["sql"] for query in queries.captured_queries)
    names = [row["name"] for row in response.json()["results"]] if "json" in response["Content-Type"] else None
    return names, read


def test_a_list_is_read_back_until_a_write_then_answered_as_it_was_until_the_worker_adds_it():
    OrganisationFactory(name="Yayasan Air Bersih")
    officer = as_user("officer", Role.OFFICER)
    names, read = listed(officer)
    assert names == ["Yayasan Air Bersih"] and read
    names, read = listed(officer)
    assert names == ["Yayasan Air Bersih"] and not read
    assert FIGURES_AS_OF not in officer.get(PARTNERS)

    OrganisationFactory(name="Palang Merah")  # by someone else
    with refreshes_handed_over() as handed_over:
        stale = officer.get(PARTNERS)
        names, read = listed(officer)
    assert names == ["Yayasan Air Bersih"] and not read and handed_over.call_count == 1
    assert datetime.datetime.fromisoformat(stale[FIGURES_AS_OF]) <= datetime.datetime.now(datetime.UTC)

    assert refresh_kept(**handed_over.call_args.kwargs["kwargs"])  # the worker, as the officer would see it
    fresh = officer.get(PARTNERS)
    names, read = listed(officer)
    assert sorted(names) == ["Palang Merah", "Yayasan Air Bersih"] and not read and FIGURES_AS_OF not in fresh


def test_a_clients_own_write_shows_in_its_next_list_at_once():
    OrganisationFactory(name="Yayasan Air Bersih")
    officer = as_user("officer", Role.OFFICER)
    listed(officer)
    created = officer.post(PARTNERS, {"name": "Palang Merah", "kind": "22", "country": "ID"}, format="json")
    assert created.status_code == 201, created.content
    with refreshes_handed_over() as handed_over:
        names, read = listed(officer)
    assert sorted(names) == ["Palang Merah", "Yayasan Air Bersih"] and read and not handed_over.called


def test_each_query_and_user_has_its_own_answer_and_the_browsable_api_is_not_kept():
    OrganisationFactory(name="Yayasan Air Bersih")
    officer = as_user("officer", Role.OFFICER)
    manager = as_user("manager", Role.MANAGER)
    listed(officer)
    names, read = listed(officer, f"{PARTNERS}?q=Palang")
    assert names == [] and read
    names, read = listed(manager)
    assert names == ["Yayasan Air Bersih"] and read

    for _ in range(2):
        _, read = listed(officer, PARTNERS, HTTP_ACCEPT="text/html")
        assert read
