"""An API list answered as JSON is kept for each state of the data: read back until a write is committed, per user
and query; the browsable API and every write are answered afresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cooperation.roles import Role
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


def test_a_list_is_read_back_until_a_write_is_committed():
    OrganisationFactory(name="Yayasan Air Bersih")
    officer = as_user("officer", Role.OFFICER)
    names, read = listed(officer)
    assert names == ["Yayasan Air Bersih"] and read
    names, read = listed(officer)
    assert names == ["Yayasan Air Bersih"] and not read

    OrganisationFactory(name="Palang Merah")
    names, read = listed(officer)
    assert sorted(names) == ["Palang Merah", "Yayasan Air Bersih"] and read


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
