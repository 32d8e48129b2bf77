"""The loan list's programme filter at scale: a combobox of the financial programmes the user sees, not a select of
every one, that still takes a programme's id or code."""

import pytest
from django.urls import reverse

from tests.factories import ProgrammeFactory
from tests.programs.finance.factories import FinancialProgrammeFactory, LoanFactory

pytestmark = pytest.mark.django_db


def test_the_programme_filter_is_a_combobox_that_lists_no_programme(client, officer):
    FinancialProgrammeFactory(code="FIN-777")
    client.force_login(officer)
    html = client.get(reverse("finance:loan_list")).content.decode()
    assert 'role="combobox"' in html and reverse("autocomplete", args=["financial-programmes"]) in html
    assert "FIN-777" not in html


def test_the_programme_filter_takes_an_id_or_a_code(client, officer):
    chosen = LoanFactory(programme=FinancialProgrammeFactory(code="FIN-001"), created_by=officer)
    LoanFactory(programme=FinancialProgrammeFactory(code="FIN-002"), created_by=officer)
    client.force_login(officer)
    url = reverse("finance:loan_list")
    for value in (chosen.programme_id, "FIN-001"):
        response = client.get(url, {"programme": value})
        assert [loan.reference for loan in response.context["loans"]] == [chosen.reference]
    assert f'value="{chosen.programme}"' in response.content.decode()


def test_the_combobox_offers_the_financial_programmes_only(client, officer):
    FinancialProgrammeFactory(code="FIN-001")
    ProgrammeFactory(code="TEC-001", is_technical=True)
    client.force_login(officer)
    found = client.get(reverse("autocomplete", args=["financial-programmes"]), {"q": "-001"}).json()["results"]
    assert [row["label"].split(" — ")[0] for row in found] == ["FIN-001"]
