"""The exchange activity list at scale: its programme filter is a combobox of the technical and cultural programmes
the user sees, not a select of every one, and it still takes a programme's id or code."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProgrammeFactory
from tests.programs.scholarships.factories import ExchangeActivityFactory

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    assert response.status_code == 200
    return [activity.title for activity in response.context["activities"]]


def test_the_programme_filter_is_a_combobox_that_lists_no_programme(client, officer):
    ExchangeActivityFactory(title="Batik residency")
    ProgrammeFactory(code="CUL-777", title="Shadow puppets", is_cultural=True, is_technical=False)
    client.force_login(officer)
    html = client.get(reverse("scholarships:activity_list")).content.decode()
    assert 'role="combobox"' in html and reverse("autocomplete", args=["exchange-programmes"]) in html
    assert "CUL-777" not in html


def test_the_programme_filter_takes_an_id_or_a_code_and_shows_the_programme_chosen(client, officer):
    chosen = ExchangeActivityFactory(title="Batik residency")
    ExchangeActivityFactory(title="Gamelan workshop")
    client.force_login(officer)
    url = reverse("scholarships:activity_list")
    assert _titles(client.get(url, {"programme": chosen.programme_id})) == ["Batik residency"]
    response = client.get(url, {"programme": chosen.programme.code})
    assert _titles(response) == ["Batik residency"]
    assert f'value="{chosen.programme}"' in response.content.decode()


def test_the_combobox_offers_the_technical_and_cultural_programmes_only(client, officer):
    ProgrammeFactory(code="TEC-001", title="Soil science", is_technical=True)
    ProgrammeFactory(code="CUL-001", title="Living traditions", is_cultural=True, is_technical=False)
    ProgrammeFactory(code="INK-001", title="Flood relief", is_in_kind=True, is_technical=False)
    client.force_login(officer)
    found = client.get(reverse("autocomplete", args=["exchange-programmes"]), {"q": "-001"}).json()["results"]
    assert sorted(row["label"].split(" — ")[0] for row in found) == ["CUL-001", "TEC-001"]


def test_the_list_costs_the_same_queries_however_many_programmes_there_are(client, officer):
    ExchangeActivityFactory()
    client.force_login(officer)
    url = reverse("scholarships:activity_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    added = [ProgrammeFactory(is_cultural=True, title=f"Cultural programme {letter}") for letter in "VWXYZ"]
    with CaptureQueriesContext(connection) as more:
        html = client.get(url).content.decode()
    assert len(more) == len(few)
    assert not any(programme.title in html for programme in added)  # the filter asks for a code: no list of them
