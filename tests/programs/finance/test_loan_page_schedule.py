"""A loan's page with a long schedule: two years of installments from the oldest still owed, the whole schedule a
link away, totals over the whole schedule, and the same queries for 12 installments as for 240."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.finance.selectors import SCHEDULE_SHOWN
from programs.finance.views.loans import REPAYMENTS_SHOWN
from tests.programs.finance.factories import FinancialProgrammeFactory, disbursed_loan, recorded_repayment

pytestmark = pytest.mark.django_db


def _schedule(html: str) -> str:
    start = html.index('id="schedule"')
    return html[start : html.index("</section>", start)]


def _numbers(html: str) -> list[int]:
    """The installment numbers the schedule table lists, in order."""
    body = _schedule(html).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [int(number) for number in re.findall(r'<td class="num" data-label="No.">(\d+)</td>', body)]


def _totals(html: str) -> str:
    return _schedule(html).split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]


def _paid_through(loan, last: int) -> None:
    """A repayment covering installments 1 to ``last`` exactly."""
    owed = sum(item.total_due for item in loan.schedule.filter(number__lte=last))
    recorded_repayment(loan, owed)


@pytest.fixture
def programme():
    return FinancialProgrammeFactory(code="FIN-LONG")


def test_a_long_schedule_lists_two_years_from_the_oldest_installment_owed(client, officer, partner_org, programme):
    loan = disbursed_loan(borrower=partner_org, programme=programme, installments=60, principal=Decimal("60000"))
    _paid_through(loan, 10)
    client.force_login(officer)

    html = client.get(reverse("finance:loan_detail", args=[loan.pk])).content.decode()

    assert _numbers(html) == list(range(10, 10 + SCHEDULE_SHOWN))  # the last one paid, then those owed
    assert "Installments 10 to 33 of 60" in _schedule(html)
    assert f'href="{reverse("finance:loan_detail", args=[loan.pk])}?schedule=all#schedule"' in _schedule(html)
    principal, interest = (
        sum(getattr(item, name) for item in loan.schedule.all()) for name in ("principal_due", "interest_due")
    )
    totals = _totals(html)
    assert "USD 60,000.00" in totals and f"USD {interest:,.2f}" in totals  # the whole schedule, not the rows shown
    assert principal == Decimal("60000.00")
    paid = sum(item.total_due for item in loan.schedule.filter(number__lte=10))
    assert f"USD {paid:,.2f}" in totals


def test_the_whole_schedule_is_a_link_away(client, officer, partner_org, programme):
    loan = disbursed_loan(borrower=partner_org, programme=programme, installments=60)
    client.force_login(officer)

    html = client.get(reverse("finance:loan_detail", args=[loan.pk]) + "?schedule=all").content.decode()

    assert _numbers(html) == list(range(1, 61))
    assert "Installments" not in _schedule(html).split("</table>", 1)[1]
    assert f'href="{reverse("finance:loan_detail", args=[loan.pk])}#schedule"' in _schedule(html)


def test_a_fully_paid_schedule_shows_its_last_installments(client, officer, partner_org, programme):
    loan = disbursed_loan(borrower=partner_org, programme=programme, installments=36)
    _paid_through(loan, 36)
    client.force_login(officer)

    html = client.get(reverse("finance:loan_detail", args=[loan.pk])).content.decode()

    assert _numbers(html) == list(range(36 - SCHEDULE_SHOWN + 1, 37))


def test_a_short_schedule_is_listed_whole_without_a_note(client, officer, partner_org, programme):
    loan = disbursed_loan(borrower=partner_org, programme=programme, installments=12)
    client.force_login(officer)

    html = client.get(reverse("finance:loan_detail", args=[loan.pk])).content.decode()

    assert _numbers(html) == list(range(1, 13))
    assert "?schedule=all" not in html and "USD 12,000.00" in _totals(html)


def test_the_loan_page_costs_the_same_queries_for_12_and_240_installments(client, officer, partner_org, programme):
    short = disbursed_loan(borrower=partner_org, programme=programme, installments=12)
    long = disbursed_loan(borrower=partner_org, programme=programme, installments=240)
    client.force_login(officer)
    client.get(reverse("finance:loan_detail", args=[short.pk]))  # the session and the permissions, once

    counts = []
    for url in (
        reverse("finance:loan_detail", args=[short.pk]),
        reverse("finance:loan_detail", args=[long.pk]),
        reverse("finance:loan_detail", args=[long.pk]) + "?schedule=all",
    ):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1] == counts[2]


def _repayment_dates(html: str) -> list[str]:
    start = html.index('id="repayments"')
    section = html[start : html.index("</section>", start)]
    return re.findall(r'<td class="nowrap" data-label="Payment date">([^<]+)</td>', section)


def test_the_page_lists_the_latest_repayments_and_every_one_is_a_link_away(client, officer, partner_org, programme):
    loan = disbursed_loan(borrower=partner_org, programme=programme, installments=24)
    for day, item in enumerate(loan.schedule.order_by("number")[: REPAYMENTS_SHOWN + 3]):
        recorded_repayment(loan, item.total_due, paid_on=loan.first_repayment_date + datetime.timedelta(days=day))
    client.force_login(officer)
    url = reverse("finance:loan_detail", args=[loan.pk])

    html = client.get(url).content.decode()
    every = client.get(url + "?repayments=all").content.decode()

    assert len(_repayment_dates(html)) == REPAYMENTS_SHOWN
    assert f"The latest {REPAYMENTS_SHOWN} of {REPAYMENTS_SHOWN + 3} repayments." in html
    assert f'href="{url}?repayments=all#repayments"' in html
    assert len(_repayment_dates(every)) == REPAYMENTS_SHOWN + 3
    assert _repayment_dates(every)[:REPAYMENTS_SHOWN] == _repayment_dates(html)  # the latest first
    assert "repayments." not in every.split('id="repayments"', 1)[1].split("</section>", 1)[0].split("</table>")[1]


def test_the_loan_page_costs_the_same_queries_for_2_and_20_repayments(client, officer, partner_org, programme):
    few = disbursed_loan(borrower=partner_org, programme=programme, installments=24)
    many = disbursed_loan(borrower=partner_org, programme=programme, installments=24)
    for loan, count in ((few, 2), (many, 20)):
        for item in loan.schedule.order_by("number")[:count]:
            recorded_repayment(loan, item.total_due)
    client.force_login(officer)
    client.get(reverse("finance:loan_detail", args=[few.pk]))

    counts = []
    for loan in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("finance:loan_detail", args=[loan.pk])).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def test_the_partner_sees_the_same_part_of_a_long_schedule_on_the_portal(client, partner_user, partner_org, programme):
    loan = disbursed_loan(borrower=partner_org, programme=programme, installments=60, principal=Decimal("60000"))
    _paid_through(loan, 30)
    client.force_login(partner_user)
    url = reverse("finance_portal:loan", args=[loan.pk])

    html = client.get(url).content.decode()
    whole = client.get(url + "?schedule=all").content.decode()

    assert _numbers(html) == list(range(30, 30 + SCHEDULE_SHOWN))
    assert f'href="{url}?schedule=all#schedule"' in html and "USD 60,000.00" not in _totals(html)  # due, not principal
    assert _totals(html) == _totals(whole)
    assert _numbers(whole) == list(range(1, 61))
