"""The application list and its API at scale: pages read their rows first and the figures of those rows alone (review
counts, the weighted score, the personal data flag), so a page costs the same queries however many applications
there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.pagination import PageNumberPagination

from tests.programs.scholarships.factories import ApplicationFactory, CallFactory, ReviewFactory, days_ago

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/scholarships/applications/",
        "/scholarships/applications/?page=2",
        "/scholarships/applications/?ordering=-score",
        "/api/v1/scholarship-applications/?page=2",
    ],
)
def test_a_page_of_applications_costs_the_same_queries_however_many_there_are(client, manager, monkeypatch, url):
    monkeypatch.setattr("cooperation.pages.PAGE_SIZE", 2)
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    call = CallFactory()
    for _ in range(3):
        ReviewFactory(application=ApplicationFactory(call=call))
    client.force_login(manager)
    client.get(url)
    few = _queries(client, url)
    for _ in range(4):
        ReviewFactory(application=ApplicationFactory(call=CallFactory()))
    assert _queries(client, url) == few


def test_every_page_shows_its_own_applications_latest_first_with_their_review_counts(client, manager, monkeypatch):
    monkeypatch.setattr("cooperation.pages.PAGE_SIZE", 2)
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    oldest, middle, newest = (ApplicationFactory(submitted_on=days_ago(days)) for days in (3, 2, 1))
    for _ in range(2):
        ReviewFactory(application=oldest)
    client.force_login(manager)

    first = client.get(reverse("scholarships:application_list")).context["applications"]
    last = client.get(reverse("scholarships:application_list"), {"page": 2}).context["applications"]
    assert [(a.pk, a.reviews_assigned) for a in first] == [(newest.pk, 0), (middle.pk, 0)]
    assert [(a.pk, a.reviews_assigned, a.personal_data_visible) for a in last] == [(oldest.pk, 2, True)]

    api = client.get("/api/v1/scholarship-applications/", {"page": 2}).json()
    assert api["count"] == 3
    assert [row["id"] for row in api["results"]] == [oldest.pk]
    assert "email" in api["results"][0]


def test_the_call_filter_takes_the_call_chosen_in_the_combobox_or_typed_by_its_title(client, manager):
    water = CallFactory(title="Water engineering masters")
    chosen = ApplicationFactory(call=water)
    ApplicationFactory(call=CallFactory(title="Public health fellowships"))
    client.force_login(manager)
    for typed in (str(water.pk), "water engineering masters"):
        response = client.get(reverse("scholarships:application_list"), {"call": typed})
        assert [a.pk for a in response.context["applications"]] == [chosen.pk]
    page = response.content.decode()
    assert 'role="combobox"' in page and "Public health fellowships" not in page
