"""List pages split long lists into pages a user can walk with Previous / Next."""

import re

import pytest
from django.urls import reverse

from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _next_link(html: str) -> str | None:
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*rel="next"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_next_link_leads_to_the_rest_of_the_programmes(client, officer):
    for number in range(30):
        ProgrammeFactory(code=f"PG-{number:03d}", title=f"Paged programme {number:03d}")
    client.force_login(officer)
    list_url = reverse("programs:list")

    first = client.get(list_url, {"ordering": "code", "q": "Paged"}).content.decode()
    assert "PG-000" in first and "PG-025" not in first
    next_href = _next_link(first)
    assert next_href and next_href.startswith("?") and not next_href.startswith("??")

    second = client.get(list_url + next_href).content.decode()
    assert "PG-025" in second and "PG-029" in second and "PG-000" not in second
    assert _next_link(second) is None
