"""The partner list over the API at scale: sorted and paged without the counts other apps register, which are read
for the page's rows alone, so a page costs the same queries however many partners there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.pagination import PageNumberPagination
from rest_framework.test import APIClient

from partners.models import Organisation
from tests.factories import OrganisationFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/api/v1/partners/", "/api/v1/partners/?page=2", "/api/v1/partners/?ordering=-name"])
def test_a_page_of_partners_costs_the_same_queries_however_many_there_are(officer, monkeypatch, url):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for _index in range(3):
        ParticipationFactory(organisation=OrganisationFactory())
    client = APIClient()
    client.force_authenticate(officer)
    client.get(url)
    few = _queries(client, url)
    for _index in range(4):
        ParticipationFactory(organisation=OrganisationFactory())
    assert _queries(client, url) == few


@pytest.mark.parametrize("ordering", ["", "-name", "acronym", "-acronym"])
def test_every_page_holds_the_partners_in_the_lists_order(officer, monkeypatch, ordering):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for name in ("Mitra Tani", "Air Bersih", "Zona Hijau", "Bina Desa", "Cahaya Timur"):
        OrganisationFactory(name=name)
    client = APIClient()
    client.force_authenticate(officer)
    expected = list(Organisation.objects.order_by(ordering or "name").values_list("pk", flat=True))
    shown = []
    for page in (1, 2, 3):
        answer = client.get("/api/v1/partners/", {"page": page, "ordering": ordering} if ordering else {"page": page})
        assert answer.json()["count"] == len(expected)
        shown += [row["id"] for row in answer.json()["results"]]
    assert shown == expected
