"""Loans and grants on the programme page, the partner page and the partner portal's home: the figures a reader
checks by hand, per currency and never summed across currencies, in the same number of queries at 10 and 200
records."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.finance.models import LoanStatus
from tests.factories import currency
from tests.programs.finance.factories import FinancialProgrammeFactory, GrantFactory, LoanFactory
from tests.programs.finance.hub_data import grant_in_three_tranches, late_loan

pytestmark = pytest.mark.django_db


def _section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def programme(partner_org):
    programme = FinancialProgrammeFactory(code="FIN-001")
    late_loan(days_late=40, programme=programme, borrower=partner_org)
    LoanFactory(programme=programme, status=LoanStatus.APPROVED, principal=Decimal("5000"), currency=currency("EUR"))
    LoanFactory(programme=programme, status=LoanStatus.DRAFT, principal=Decimal("3000"))
    LoanFactory(programme=programme, status=LoanStatus.SUBMITTED, principal=Decimal("2000"))
    grant_in_three_tranches(programme=programme, recipient=partner_org)
    return programme


def test_the_programme_page_shows_loans_and_grants_per_currency(client, officer, programme):
    client.force_login(officer)

    html = _section(client.get(reverse("programs:detail", args=[programme.pk])).content.decode(), "finance")

    for status, count in (("draft", 1), ("submitted", 1), ("approved", 1), ("disbursed", 1)):
        assert f'data-status="{status}"' in html and f"</span> {count}</li>" in html
    usd = html[html.index('<tr data-currency="USD">') :]
    assert 'data-figure="committed">USD 12,000.00' in usd  # the draft and the submitted loan are not committed
    assert 'data-figure="outstanding">USD 12,000.00' in usd
    assert 'data-figure="at-risk">USD 12,000.00' in usd
    eur = html[html.index('<tr data-currency="EUR">') :]
    assert 'data-figure="committed">EUR 5,000.00' in eur and 'data-figure="outstanding">EUR 0.00' in eur
    assert "1 active loan has an installment more than 30 days late." in html
    assert 'data-figure="total">USD 30,000.00' in html
    assert 'data-figure="paid">USD 10,000.00 (1)' in html
    assert 'data-figure="approved">USD 10,000.00 (1)' in html
    assert 'data-figure="scheduled">USD 10,000.00 (1)' in html
    assert f'href="{reverse("finance:loan_list")}?programme={programme.pk}"' in html
    assert f'href="{reverse("finance:grant_list")}?programme={programme.pk}"' in html
    assert f'href="{reverse("finance:loan_create")}?programme={programme.pk}"' in html


def test_the_programme_links_list_only_its_loans_and_grants(client, officer, programme):
    other = LoanFactory(reference="LN-ELSEWHERE")
    GrantFactory(reference="GR-ELSEWHERE")
    client.force_login(officer)

    loans = client.get(reverse("finance:loan_list") + f"?programme={programme.pk}").content.decode()
    grants = client.get(reverse("finance:grant_list") + f"?programme={programme.pk}").content.decode()

    assert other.reference not in loans
    assert "GR-ELSEWHERE" not in grants and "GR-TEST" in grants


def test_a_programme_without_financial_cooperation_and_without_loans_has_no_panel(client, officer, own_programme):
    client.force_login(officer)

    html = client.get(reverse("programs:detail", args=[own_programme.pk])).content.decode()

    assert 'id="finance-heading"' not in html


def test_the_partner_page_shows_its_loans_in_arrears_and_its_grants(client, officer, programme, partner_org):
    late_loan(days_late=100, programme=programme, borrower=partner_org, code="EUR", principal="8000.00")
    client.force_login(officer)

    html = _section(client.get(reverse("partners:detail", args=[partner_org.pk])).content.decode(), "finance")

    assert "2 loans in arrears, overdue:" in html
    assert '<strong data-currency="EUR">EUR 1,060.00</strong>' in html
    assert '<strong data-currency="USD">USD 1,060.00</strong>' in html
    arrears = html[html.index('id="finance-arrears"') :]
    assert arrears.index(">100</td>") < arrears.index(">40</td>")  # the longest late first
    assert 'data-figure="paid">USD 10,000.00 (1)' in html
    assert f"?borrower={partner_org.pk}&amp;overdue=true" in html


def test_the_portal_home_shows_the_partners_own_figures_only(client, partner_user, partner_org, other_org, programme):
    late_loan(days_late=50, borrower=other_org, reference="LN-OTHER")
    client.force_login(partner_user)

    html = _section(client.get(reverse("portal:home")).content.decode(), "portal-finance")

    assert "1 loan in arrears, overdue:" in html
    assert "LN-OTHER" not in html
    loan = programme.loans.get(status=LoanStatus.DISBURSED)
    assert f'href="{reverse("finance_portal:loan", args=[loan.pk])}"' in html
    assert 'data-figure="scheduled">USD 10,000.00 (1)' in html


def _portfolio(programme, borrower, count: int) -> None:
    for _index in range(count):
        late_loan(days_late=45, programme=programme, borrower=borrower)
        grant_in_three_tranches(programme=programme, recipient=borrower)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("officer", lambda programme, organisation: reverse("programs:detail", args=[programme.pk])),
        ("officer", lambda programme, organisation: reverse("partners:detail", args=[organisation.pk])),
        ("partner_user", lambda programme, organisation: reverse("portal:home")),
    ],
    ids=["programme", "partner", "portal-home"],
)
def test_each_hub_costs_the_same_queries_at_10_and_200_loans_and_grants(
    client, request, who, page, partner_org, own_programme
):
    programme = own_programme
    programme.is_financial = True
    programme.save(update_fields=["is_financial"])
    client.force_login(request.getfixturevalue(who))
    url = page(programme, partner_org)
    _portfolio(programme, partner_org, 10)
    client.get(url)  # the first request warms the per-process caches (permissions, content types)
    few = _queries(client, url)

    _portfolio(programme, partner_org, 190)
    many = _queries(client, url)

    assert many == few
    html = client.get(url).content.decode()
    assert "200 loans in arrears" in html or "200 active loans have an installment" in html


def test_the_programme_page_totals_what_was_disbursed_at_each_days_rate(client, officer, settings):
    import datetime

    from cooperation.reference.services import exchange_rate_create

    settings.REPORTING_CURRENCY = "USD"
    programme = FinancialProgrammeFactory(code="FIN-FX")
    march, june = datetime.date(2026, 3, 2), datetime.date(2026, 6, 1)
    for principal, code, on in (("1000.00", "USD", march), ("2000.00", "EUR", march), ("500.00", "EUR", june)):
        LoanFactory(
            programme=programme,
            status=LoanStatus.DISBURSED,
            principal=Decimal(principal),
            currency=currency(code),
            disbursed_on=on,
        )
    exchange_rate_create(
        created_by=officer,
        on=march,
        from_currency=currency("EUR"),
        to_currency=currency("USD"),
        rate=Decimal("1.10"),
        source="ECB",
    )
    client.force_login(officer)

    html = _section(client.get(reverse("programs:detail", args=[programme.pk])).content.decode(), "finance")
    disbursed = html[html.index('id="finance-disbursed"') :]
    assert "EUR 2,500.00" in disbursed and "USD 1,000.00" in disbursed
    # 1,000 + 2,000 × 1.10; June's 500 euros have no rate within 31 days and are named, not counted as zero.
    assert "Total in USD, without the amounts below: USD 3,200.00" in disbursed
    assert "no rate for EUR on 1 June 2026" in disbursed


def test_only_the_programmes_own_late_loans_count_at_risk(client, officer, partner_org, other_org):
    """Late installments elsewhere in the portfolio put none of this programme's loans at risk."""
    mine, elsewhere = FinancialProgrammeFactory(code="FIN-MINE"), FinancialProgrammeFactory(code="FIN-ELSE")
    late_loan(days_late=10, programme=mine, borrower=partner_org)  # late, but not 30 days
    late_loan(days_late=40, programme=elsewhere, borrower=other_org, principal="7000.00")
    client.force_login(officer)

    html = _section(client.get(reverse("programs:detail", args=[mine.pk])).content.decode(), "finance")
    other = _section(client.get(reverse("programs:detail", args=[elsewhere.pk])).content.decode(), "finance")

    assert 'data-figure="outstanding">USD 12,000.00' in html and 'data-figure="at-risk">USD 0.00' in html
    assert "0 active loans have an installment more than 30 days late." in html
    assert 'data-figure="at-risk">USD 7,000.00' in other
    assert "1 active loan has an installment more than 30 days late." in other
