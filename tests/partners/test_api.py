"""The partner organisations API: same permissions and scoping as the pages, writes through the services."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cooperation.reference.codes import OrganisationType
from partners.models import Organisation
from tests.api_errors import error_fields
from tests.factories import OrganisationFactory, ParticipationFactory, country

pytestmark = pytest.mark.django_db

PARTNERS = "/api/v1/partners/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def detail(organisation) -> str:
    return f"{PARTNERS}{organisation.pk}/"


def partner_payload(**overrides) -> dict:
    payload = {
        "name": "Lembaga Pangan Nusantara",
        "acronym": "LPN",
        "kind": OrganisationType.NATIONAL_NGO,
        "country": "ID",
        "iati_identifier": "ID-KHM-123456",
        "website": "https://lpn.example.org",
        "address": "Jl. Merdeka 1, Jakarta",
    }
    payload.update(overrides)
    return payload


# --- Officers write, through the services -----------------------------------------------------


def test_officer_creates_a_partner(officer):
    response = as_user(officer).post(PARTNERS, partner_payload(), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body == {
        "id": body["id"],
        "name": "Lembaga Pangan Nusantara",
        "acronym": "LPN",
        "kind": "22",
        "kind_label": "National NGO",
        "country": "ID",
        "iati_identifier": "ID-KHM-123456",
        "website": "https://lpn.example.org",
        "address": "Jl. Merdeka 1, Jakarta",
        "is_active": True,
        "dac_category": "",
        "area": "",
    }
    organisation = Organisation.objects.get(pk=body["id"])
    assert organisation.history.first().history_user == officer


def test_officer_updates_with_put_and_patch(officer, partner_org):
    api = as_user(officer)

    replaced = api.put(detail(partner_org), partner_payload(name="Yayasan Air Bersih Indonesia"), format="json")
    patched = api.patch(detail(partner_org), {"is_active": False, "country": "TL"}, format="json")

    assert replaced.status_code == 200, replaced.data
    assert patched.status_code == 200, patched.data
    partner_org.refresh_from_db()
    assert partner_org.name == "Yayasan Air Bersih Indonesia"
    assert partner_org.is_active is False
    assert partner_org.country == country("TL")
    assert patched.json()["country"] == "TL"
    assert partner_org.history.first().history_user == officer


def test_partners_are_never_deleted(officer, partner_org):
    response = as_user(officer).delete(detail(partner_org))

    assert response.status_code == 405
    assert Organisation.objects.filter(pk=partner_org.pk).exists()


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"acronym": "x" * 31}, "acronym"),
        ({"kind": "99"}, "kind"),
        ({"country": "QQ"}, "country"),
        ({"country": ["ID"]}, "country"),
        ({"iati_identifier": "not an identifier"}, "iati_identifier"),
        ({"website": "not a url"}, "website"),
        ({"address": "x" * 1001}, "address"),
        ({"is_active": "perhaps"}, "is_active"),
    ],
)
def test_bad_partner_input_is_a_400_keyed_by_field(officer, overrides, field):
    response = as_user(officer).post(PARTNERS, partner_payload(**overrides), format="json")

    assert response.status_code == 400, response.data
    assert field in error_fields(response)
    assert not Organisation.objects.exists()


def test_duplicate_name_is_refused_on_the_name(officer, partner_org):
    response = as_user(officer).post(PARTNERS, partner_payload(name=partner_org.name), format="json")

    assert response.status_code == 400
    assert "name" in error_fields(response)
    assert Organisation.objects.count() == 1


def test_duplicate_iati_identifier_is_refused_with_a_clear_message(officer):
    OrganisationFactory(iati_identifier="ID-KHM-123456")

    response = as_user(officer).post(PARTNERS, partner_payload(), format="json")

    assert response.status_code == 400
    assert error_fields(response) == {"non_field_errors": ["Another partner already has this IATI identifier."]}


@pytest.mark.parametrize("body", ['{"name": "Broken', "[]", "42"])
def test_malformed_json_is_a_400(officer, body):
    response = as_user(officer).generic("POST", PARTNERS, body, content_type="application/json")

    assert response.status_code == 400
    assert not Organisation.objects.exists()


# --- Who reads what ---------------------------------------------------------------------------


def test_auditor_reads_every_partner_but_cannot_write(auditor, partner_org, other_org):
    api = as_user(auditor)

    assert api.get(PARTNERS).json()["count"] == 2
    assert api.get(detail(other_org)).status_code == 200
    assert api.post(PARTNERS, partner_payload(), format="json").status_code == 403
    assert api.patch(detail(partner_org), {"name": "Audited"}, format="json").status_code == 403
    assert api.put(detail(partner_org), partner_payload(), format="json").status_code == 403
    partner_org.refresh_from_db()
    assert partner_org.name == "Yayasan Air Bersih"
    assert Organisation.objects.count() == 2


def test_partner_user_sees_only_their_own_organisation(partner_user, partner_org, other_org):
    api = as_user(partner_user)

    listed = api.get(PARTNERS)

    assert [o["name"] for o in listed.json()["results"]] == ["Yayasan Air Bersih"]
    assert api.get(detail(partner_org)).status_code == 200
    assert api.get(detail(other_org)).status_code == 404


def test_partner_user_cannot_change_even_their_own_organisation(partner_user, partner_org):
    response = as_user(partner_user).patch(detail(partner_org), {"name": "Renamed"}, format="json")

    assert response.status_code == 403
    partner_org.refresh_from_db()
    assert partner_org.name == "Yayasan Air Bersih"


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_refused(partner_org, method):
    response = getattr(APIClient(), method)(PARTNERS, partner_payload(), format="json")

    assert response.status_code in (401, 403)
    assert Organisation.objects.count() == 1


# --- Filters: the list page's filterset, one search and one ordering parameter ----------------


def test_search_kind_and_ordering(officer):
    # Created out of alphabetical order, so the default order by name shows.
    OrganisationFactory(name="Gamma Aid", acronym="GA", kind=OrganisationType.FOUNDATION, country=country("TL"))
    OrganisationFactory(name="Alpha Relief", acronym="AR", kind=OrganisationType.INTERNATIONAL_NGO)
    OrganisationFactory(name="Beta Foundation", acronym="BF", kind=OrganisationType.FOUNDATION)
    api = as_user(officer)

    def names(**params):
        response = api.get(PARTNERS, params)
        assert response.status_code == 200, response.data
        return [o["name"] for o in response.json()["results"]]

    assert names() == ["Alpha Relief", "Beta Foundation", "Gamma Aid"]
    assert names(q="relief") == ["Alpha Relief"]
    assert names(kind=OrganisationType.FOUNDATION) == ["Beta Foundation", "Gamma Aid"]
    assert names(country="TL") == ["Gamma Aid"]
    assert names(ordering="-name") == ["Gamma Aid", "Beta Foundation", "Alpha Relief"]
    # Only the filterset's parameters exist: DRF's own `search` is not a second search box.
    assert names(search="relief") == ["Alpha Relief", "Beta Foundation", "Gamma Aid"]


@pytest.mark.parametrize("params", [{"kind": "99"}, {"ordering": "password"}, {"country": "QQ"}])
def test_invalid_filters_are_a_400(officer, params):
    response = as_user(officer).get(PARTNERS, params)

    assert response.status_code == 400
    assert set(params) <= set(error_fields(response))


# --- Query count ------------------------------------------------------------------------------


def _count_list_queries(user) -> tuple[int, int]:
    api = as_user(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        response = api.get(PARTNERS)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def _make_partners(count: int) -> None:
    for _ in range(count):
        ParticipationFactory(organisation=OrganisationFactory(country=country("TL")))


def test_partner_list_query_count_is_the_same_for_5_and_50_partners(officer):
    _make_partners(5)
    few, shown = _count_list_queries(officer)
    assert shown == 5

    _make_partners(45)
    many, shown = _count_list_queries(officer)
    assert shown == 25

    assert few == many


def test_browsable_pages_render_with_the_edit_form(officer, partner_org):
    api = as_user(officer)

    for url in (PARTNERS, detail(partner_org)):
        response = api.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
    assert 'value="Yayasan Air Bersih"' in response.content.decode()
