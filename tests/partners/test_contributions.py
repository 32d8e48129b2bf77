"""What programmes add to the partner pages through registration: the programme count on the list and in the
admin, and the partner's programmes on its page. Partners' own code knows nothing of programmes."""

import pathlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation import registry
from cooperation.reference.codes import OrganisationRole
from partners.contributions import organisation_counts
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

PARTNERS = pathlib.Path(__file__).resolve().parents[2] / "partners"


def test_programmes_register_their_count_and_their_panel_on_the_partner_page():
    assert [(count.name, count.relation) for count in organisation_counts()] == [("programme_count", "participations")]
    assert [panel.template for panel in registry.panels("partner.detail")][0] == "programs/_partner_programmes.html"


def test_partners_code_names_no_programme():
    for path in PARTNERS.rglob("*.py"):
        if "migrations" in path.parts or path.name == "demo.py":
            continue
        text = path.read_text().lower()
        assert "participation" not in text and "programme" not in text, path


def test_the_partner_list_counts_each_partners_programmes(client, officer, own_programme, partner_org, other_org):
    ParticipationFactory(programme=ProgrammeFactory(code="OWN-002"), organisation=partner_org)
    client.force_login(officer)

    response = client.get(reverse("partners:list"))

    counts = {organisation.name: organisation.counts for organisation in response.context["organisations"]}
    assert counts == {partner_org.name: [("Programmes", 2)], other_org.name: [("Programmes", 0)]}
    assert [cell.label for cell in response.context["columns"]][-2:] == ["Programmes", "Active"]
    assert 'data-label="Programmes" class="num">2</td>' in response.content.decode()


def test_the_partner_list_costs_as_many_queries_for_many_partners(client, officer):
    client.force_login(officer)
    OrganisationFactory()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("partners:list"))
    for _ in range(10):
        ParticipationFactory(organisation=OrganisationFactory())
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("partners:list"))
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_admin_lists_and_sorts_partners_by_programme_count(client, admin_user, own_programme, other_org):
    client.force_login(admin_user)
    url = reverse("admin:partners_organisation_changelist")

    page = client.get(url).content.decode()
    assert "column-programme_count" in page
    # Sorted by the count, fewest first: the partner without a programme comes first.
    columns = client.get(url).context["cl"].list_display
    index = [getattr(column, "__name__", column) for column in columns].index("programme_count")
    ordered = [organisation.name for organisation in client.get(url, {"o": str(index)}).context["cl"].result_list]
    assert ordered == [other_org.name, "Yayasan Air Bersih"]


def test_the_partner_page_lists_its_programmes_with_its_role(client, officer, partner_org):
    programme = ProgrammeFactory(code="OWN-009", title="Seeds for Sumba")
    ParticipationFactory(programme=programme, organisation=partner_org, role=OrganisationRole.IMPLEMENTING)
    client.force_login(officer)

    page = client.get(reverse("partners:detail", args=[partner_org.pk])).content.decode()

    assert reverse("programs:detail", args=[programme.pk]) in page
    assert "Seeds for Sumba" in page
    assert str(OrganisationRole.IMPLEMENTING.label) in page


def test_a_partner_without_programmes_says_so(client, officer, other_org):
    client.force_login(officer)
    page = client.get(reverse("partners:detail", args=[other_org.pk])).content.decode()
    assert "This partner takes part in no programme yet." in page
