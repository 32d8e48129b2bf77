"""Choosing a partner or a programme in a list's filter by typing: the matches a user may pick, and the input that
works without JavaScript."""

import pytest
from django.urls import reverse

from cooperation.autocomplete import LIMIT
from tests.factories import OrganisationFactory, ProgrammeFactory
from tests.programs.shipments.factories import InKindProgrammeFactory, draft_shipment

pytestmark = pytest.mark.django_db


def _matches(client, kind, term):
    response = client.get(reverse("autocomplete", args=[kind]), {"q": term})
    assert response.status_code == 200
    return [match["label"] for match in response.json()["results"]]


def test_staff_find_partners_by_part_of_their_name_acronym_or_iati_identifier(client, officer, partner_org, other_org):
    OrganisationFactory(name="Bina Desa", acronym="BD", iati_identifier="ID-AHU-0042")
    client.force_login(officer)
    assert _matches(client, "partners", "relief") == ["Pacific Relief Network (PRN)"]
    assert _matches(client, "partners", "yab") == ["Yayasan Air Bersih (YAB)"]
    assert _matches(client, "partners", "AHU-0042") == ["Bina Desa (BD)"]


def test_a_partner_user_finds_only_what_their_own_lists_show(
    client, partner_user, partner_org, other_org, own_programme, foreign_programme
):
    client.force_login(partner_user)
    assert _matches(client, "partners", "") == ["Yayasan Air Bersih (YAB)"]
    assert _matches(client, "partners", "Pacific") == []
    assert _matches(client, "programmes", "") == ["OWN-001 — Clean water for Nusa Tenggara"]
    assert _matches(client, "programmes", "FOREIGN") == []


def test_matches_are_few_and_in_order_whatever_the_table_holds(client, officer):
    for number in range(LIMIT + 5):
        ProgrammeFactory(code=f"BIG-{number:03d}", title=f"Relief {number}")
    client.force_login(officer)
    found = _matches(client, "programmes", "big-")
    assert len(found) == LIMIT
    assert found[:2] == ["BIG-000 — Relief 0", "BIG-001 — Relief 1"]


@pytest.mark.parametrize("term", ["x" * 5000, "9" * 40, "%", "'; drop table", "-1"])
def test_nonsense_finds_nothing_and_breaks_nothing(client, officer, partner_org, term):
    client.force_login(officer)
    response = client.get(reverse("autocomplete", args=["partners"]), {"q": term})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_an_unknown_kind_is_not_found_and_signed_out_users_are_sent_to_log_in(client, officer):
    assert client.get(reverse("autocomplete", args=["partners"])).status_code == 302
    client.force_login(officer)
    assert client.get(reverse("autocomplete", args=["passwords"])).status_code == 404


def test_the_filter_is_a_combobox_showing_the_chosen_partner_not_a_dropdown_of_every_one(
    client, officer, own_programme, partner_org, other_org
):
    client.force_login(officer)
    page = client.get(reverse("programs:list"), {"partner": partner_org.pk}).content.decode()
    assert 'role="combobox"' in page
    assert 'value="Yayasan Air Bersih (YAB)"' in page
    assert "Pacific Relief Network" not in page  # no option for every other partner
    assert f'data-autocomplete="{reverse("autocomplete", args=["partners"])}"' in page


@pytest.mark.parametrize("typed", ["Yayasan Air Bersih", "yab", "Yayasan Air Bersih (YAB)", "{pk}"])
def test_without_javascript_a_typed_name_acronym_or_id_still_filters(
    client, officer, own_programme, foreign_programme, partner_org, typed
):
    client.force_login(officer)
    response = client.get(reverse("programs:list"), {"partner": typed.format(pk=partner_org.pk)})
    assert [programme.code for programme in response.context["programmes"]] == ["OWN-001"]


def test_a_programme_is_named_by_its_code_or_its_whole_label(client, officer):
    relief = InKindProgrammeFactory(code="RELIEF-01", title="Flood relief")
    own = draft_shipment(programme=relief)
    draft_shipment(programme=InKindProgrammeFactory(code="RELIEF-02"))
    client.force_login(officer)
    for typed in ("relief-01", "RELIEF-01 — Flood relief", str(relief.pk)):
        response = client.get(reverse("shipments:list"), {"programme": typed})
        assert [shipment.pk for shipment in response.context["shipments"]] == [own.pk]


def test_a_name_that_names_nothing_is_a_clear_error_and_filters_nothing_out(client, officer, own_programme):
    client.force_login(officer)
    response = client.get(reverse("programs:list"), {"partner": "Nobody at all"})
    assert response.status_code == 200
    assert response.context["filterset"].errors["partner"]
