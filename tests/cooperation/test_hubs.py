"""The kernel's cross-module pages — "waiting for me", search, a partner's risk flags — with providers of the
test's own, so what is asserted is the kernel's part: who may open the pages, what they show, what is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperation import registry
from cooperation.inbox import InboxGroup, InboxItem, waiting_count
from cooperation.risk import Level, RiskFlag, RiskRefusal, acknowledge, acknowledgement_text, partner_risk_flags
from cooperation.search import SearchGroup, SearchHit, cleaned, group, matching
from partners.models import Organisation
from tests.factories import OrganisationFactory


def loans_to_approve(user):
    if not user.has_perm("finance.approve_loan"):
        return []
    items = [InboxItem("LN-2026-0007 · Bank of Flores", "/finance/loans/7/", "USD 250,000.00")]
    return [InboxGroup("test.loans", "Loans to approve", items, total=3, url="/finance/loans/?status=submitted")]


def nothing_waiting(user):
    return [InboxGroup("test.empty", "Nothing here", [], total=0)]


def flags_for(organisation):
    if organisation.acronym == "LATE":
        return [
            RiskFlag("test.arrears_30", "1 loan more than 30 days in arrears", Level.WARNING),
            RiskFlag("test.arrears_90", "1 loan more than 90 days in arrears: LN-2026-0004", Level.DANGER, url="/x/"),
        ]
    return []


def search_organisations(user, query):
    found = matching(Organisation.objects.order_by("name"), query, text=("name", "acronym"), codes=("iati_identifier",))
    return [group("test.partners", "Partners", found, lambda row: SearchHit(row.name, f"/partners/{row.pk}/"))]


@pytest.fixture(autouse=True)
def test_providers(monkeypatch):
    monkeypatch.setattr(
        registry,
        "_contributors",
        {
            registry.INBOX: [f"{__name__}.loans_to_approve", f"{__name__}.nothing_waiting"],
            registry.RISK: [f"{__name__}.flags_for"],
            registry.SEARCH: [f"{__name__}.search_organisations"],
        },
    )


@pytest.fixture
def late_partner(db):
    return OrganisationFactory(name="Koperasi Tani Flores", acronym="LATE")


class TestWaitingForMe:
    def test_a_manager_sees_each_group_with_its_total_and_items(self, client, manager):
        client.force_login(manager)
        response = client.get(reverse("waiting"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Loans to approve" in page
        assert "LN-2026-0007 · Bank of Flores" in page
        assert "The oldest 1 of 3 are shown." in page
        assert "Nothing here" not in page  # an empty group is left out

    def test_an_officer_without_the_move_is_told_nothing_waits(self, client, officer):
        client.force_login(officer)
        response = client.get(reverse("waiting"))
        assert "Nothing is waiting for you." in response.content.decode()

    def test_the_navigation_count_is_the_sum_of_the_groups(self, client, manager, officer):
        client.force_login(manager)
        assert client.get(reverse("waiting_count")).json() == {"count": 3}
        assert waiting_count(officer) == 0

    def test_every_page_links_to_it_and_fetches_the_count_afterwards(self, client, officer, partner_user):
        for user in (officer, partner_user):
            client.force_login(user)
            page = client.get(reverse("home"), follow=True).content.decode()
            assert f'data-waiting-count="{reverse("waiting_count")}"' in page

    def test_partner_users_have_their_own_side(self, client, partner_user):
        client.force_login(partner_user)
        assert client.get(reverse("waiting")).status_code == 200
        assert client.get(reverse("waiting_count")).json() == {"count": 0}

    def test_anonymous_users_are_sent_to_log_in(self, client):
        response = client.get(reverse("waiting_count"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_a_user_without_a_role_is_refused(self, client, django_user_model):
        client.force_login(django_user_model.objects.create_user("nobody", password="x"))
        assert client.get(reverse("waiting")).status_code == 403
        assert client.get(reverse("waiting_count")).status_code == 403


class TestSearch:
    def test_words_are_matched_as_prefixes_in_any_order(self, client, officer, late_partner):
        OrganisationFactory(name="Pacific Relief Network", acronym="PRN")
        client.force_login(officer)
        page = client.get(reverse("search"), {"q": "flor kopera"}).content.decode()
        assert "Koperasi Tani Flores" in page
        assert "Pacific Relief Network" not in page

    def test_codes_are_matched_as_typed(self, officer):
        organisation = OrganisationFactory(name="Bank of Flores", iati_identifier="ID-KTP-0042")
        found = matching(Organisation.objects.all(), "KTP-0042", text=("name",), codes=("iati_identifier",))
        assert list(found) == [organisation]

    def test_nothing_found_is_said_with_the_query(self, client, officer):
        client.force_login(officer)
        page = client.get(reverse("search"), {"q": "zzzz"}).content.decode()
        assert "Nothing matches “zzzz”." in page

    @pytest.mark.parametrize("query", ["' OR 1=1 --", "&|!:*()", "x" * 5000, "   ", "LN-", "ñandú 東京"])
    def test_odd_queries_are_answered_not_a_server_error(self, client, officer, late_partner, query):
        client.force_login(officer)
        assert client.get(reverse("search"), {"q": query}).status_code == 200

    def test_a_query_with_a_nul_is_refused_as_bad_input(self, client, officer):
        client.force_login(officer)
        assert client.get(reverse("search"), {"q": "a\x00b"}).status_code == 400

    def test_the_query_is_cleaned_of_control_characters_and_capped(self):
        assert cleaned("  LN-2026\x00-0007 \n x ") == "LN-2026 -0007 x"
        assert len(cleaned("y" * 900)) == 200

    def test_partner_users_get_no_staff_search(self, client, partner_user):
        client.force_login(partner_user)
        assert client.get(reverse("search"), {"q": "flores"}).status_code == 403

    def test_the_search_box_is_on_staff_pages_only(self, client, officer, partner_user):
        client.force_login(officer)
        assert 'id="topbar-search-q"' in client.get(reverse("programs:list")).content.decode()
        client.force_login(partner_user)
        assert 'id="topbar-search-q"' not in client.get(reverse("portal:home")).content.decode()

    def test_a_group_counts_every_match_and_shows_the_first_ones(self, db):
        for number in range(12):
            OrganisationFactory(name=f"Flores cooperative {number:02}")
        result = search_organisations(None, "flores")[0]
        assert isinstance(result, SearchGroup)
        assert result.total == 12
        assert len(result.hits) == 10


class TestRiskFlags:
    def test_the_most_serious_flag_comes_first(self, late_partner):
        assert [flag.code for flag in partner_risk_flags(late_partner)] == ["test.arrears_90", "test.arrears_30"]

    def test_a_commitment_to_a_flagged_partner_needs_the_acknowledgement(self, late_partner):
        with pytest.raises(ValidationError) as refused:
            acknowledge(late_partner, False)
        assert refused.value.error_dict["risk_acknowledged"][0].code == RiskRefusal.NOT_ACKNOWLEDGED

    def test_the_acknowledgement_is_kept_as_the_reason_of_the_first_history_entry(self, late_partner):
        record = Organisation(name="New record")
        flags = acknowledge(late_partner, True, record=record)
        assert len(flags) == 2
        assert record._change_reason == "Risk acknowledged: test.arrears_90, test.arrears_30"

    def test_a_partner_without_flags_needs_no_acknowledgement(self, partner_org):
        assert acknowledge(partner_org, False) == []

    def test_a_long_list_of_flags_fits_the_history_reason(self):
        flags = [RiskFlag(f"module.flag_number_{n}", "x") for n in range(10)]
        assert len(acknowledgement_text(flags)) == 100

    def test_the_partner_page_shows_the_flags_or_says_there_are_none(self, client, officer, late_partner, partner_org):
        client.force_login(officer)
        page = client.get(reverse("partners:detail", args=[late_partner.pk])).content.decode()
        assert "1 loan more than 90 days in arrears: LN-2026-0004" in page
        assert 'data-code="test.arrears_30"' in page
        page = client.get(reverse("partners:detail", args=[partner_org.pk])).content.decode()
        assert "No risk flag." in page

    def test_the_portal_home_shows_a_partner_its_own_flags(self, client, late_partner, partner_user):
        client.force_login(partner_user)
        assert "What needs attention" not in client.get(reverse("portal:home")).content.decode()
        partner_user.memberships.update(organisation=late_partner)
        page = client.get(reverse("portal:home")).content.decode()
        assert "What needs attention at Koperasi Tani Flores" in page
        assert "1 loan more than 30 days in arrears" in page

    def test_the_portal_home_does_not_link_a_flag_to_the_workspace(self, client, late_partner, partner_user):
        partner_user.memberships.update(organisation=late_partner)
        client.force_login(partner_user)
        page = client.get(reverse("portal:home")).content.decode()
        assert "1 loan more than 90 days in arrears: LN-2026-0004" in page
        assert 'href="/x/"' not in page  # the officers' list, which answers a partner 403
