"""The scholarships section of the programme page, the partner page and the partner portal's home: calls by
status and awards made of those offered, scholars by status, progress reports due and overdue, stipends paid per
currency (never summed across currencies), exchange activities by status with participants by gender; and the
same number of queries at 10 and at 200 records."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.tranches import TrancheStatus
from programs.scholarships.models import Application, ApplicationStatus, ExchangeActivity, ExchangeStatus
from programs.scholarships.models import StipendTranche as Tranche
from programs.scholarships.panels import programme_hub
from programs.scholarships.references import application_reference
from tests.factories import ProgrammeFactory, UserFactory, currency
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    CallFactory,
    ExchangeActivityFactory,
    ProgressReportFactory,
    StipendTrancheFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture
def programme():
    return ProgrammeFactory(is_cultural=True)


def scholar(call, status, *, enrolled_days_ago=None, **fields) -> Application:
    return ApplicationFactory(
        call=call,
        status=status,
        award_proposed_by=call.created_by,
        awarded_by=call.created_by,
        awarded_at=timezone.now() - datetime.timedelta(days=300),
        enrolled_on=days_ago(enrolled_days_ago) if enrolled_days_ago else None,
        **fields,
    )


@pytest.fixture
def records(programme, partner_org, other_org):
    """Two calls of the programme hosted by the partner (one open with 3 places, one upcoming with 2), four
    scholars and an applicant; stipends paid in two currencies; two activities with 6 participants."""
    open_call = CallFactory(programme=programme, host=partner_org, awards_available=3)
    CallFactory(
        programme=programme, host=partner_org, awards_available=2, opens_on=days_ago(-10), closes_on=days_ago(-40)
    )
    ApplicationFactory(call=open_call)  # an applicant, not a scholar
    scholar(open_call, S.AWARDED)
    late = scholar(open_call, S.ENROLLED, enrolled_days_ago=200)  # report due at month 6: overdue
    on_time = scholar(open_call, S.ENROLLED, enrolled_days_ago=170)  # report due within 30 days
    scholar(open_call, S.COMPLETED)
    ProgressReportFactory(application=on_time, period_end=days_ago(400), status="accepted")  # an older term
    paid = {"status": TrancheStatus.PAID, "paid_on": days_ago(5)}
    StipendTrancheFactory(application=late, amount=Decimal("1000.00"), **paid)
    StipendTrancheFactory(application=on_time, amount=Decimal("1000.00"), **paid)
    StipendTrancheFactory(application=on_time, amount=Decimal("500.00"), currency=currency("EUR"), **paid)
    StipendTrancheFactory(application=on_time, amount=Decimal("999.00"))  # scheduled: not paid
    ExchangeActivityFactory(programme=programme, host=partner_org, status=ExchangeStatus.COMPLETED, women=3, men=2)
    involved = ExchangeActivityFactory(programme=programme, host=other_org, other_gender=1)
    involved.partners.add(partner_org)
    return late


def _html(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_programme_page_shows_calls_scholars_stipends_and_activities(client, officer, programme, records):
    html = _html(client, officer, reverse("programs:detail", args=[programme.pk]))
    assert 'id="scholarships-hub"' in html
    assert 'id="programme-calls">2 (' in html
    assert 'data-call-status="open">Open: 1<' in html and 'data-call-status="upcoming">Upcoming: 1<' in html
    assert 'id="programme-awards">4 / 5<' in html
    assert 'data-scholar-status="enrolled">Enrolled: 2<' in html
    assert 'id="programme-reports">1 / 1<' in html
    assert "USD 2,000.00" in html and "EUR 500.00" in html
    assert 'data-gender="female">Female: 3<' in html and 'data-gender="male">Male: 2<' in html
    assert f"{reverse('scholarships:call_list')}?programme={programme.pk}" in html
    assert reverse("scholarships:call_create") in html


def test_auditor_sees_the_figures_without_the_new_links(client, auditor, programme, records):
    html = _html(client, auditor, reverse("programs:detail", args=[programme.pk]))
    assert 'id="programme-awards">4 / 5<' in html
    assert reverse("scholarships:call_create") not in html


def test_a_user_who_may_see_no_scholarship_record_gets_no_section(programme, officer, records):
    request = RequestFactory().get("/")
    request.user = UserFactory()  # no role: no permission on this module
    assert programme_hub(request, programme) is None
    request.user = officer
    assert programme_hub(request, programme)["figures"].scholar_total == 4


def test_a_programme_without_technical_or_cultural_cooperation_and_without_calls_has_no_section(officer):
    request = RequestFactory().get("/")
    request.user = officer
    assert programme_hub(request, ProgrammeFactory(is_financial=True, is_technical=False, is_cultural=False)) is None
    assert programme_hub(request, ProgrammeFactory(is_technical=True)) is not None


def test_partner_page_shows_the_scholars_it_hosts_and_the_activities_it_takes_part_in(
    client, officer, partner_org, records
):
    html = _html(client, officer, reverse("partners:detail", args=[partner_org.pk]))
    assert 'id="partner-scholars">4 (' in html
    assert 'id="partner-reports">1 / 1<' in html
    assert application_reference(records.pk) in html  # the scholar whose report is overdue
    assert 'id="partner-activities">2 (' in html
    assert 'id="partner-participants">6 (' in html


def test_portal_home_shows_the_same_for_the_partners_own_organisation(client, partner_user, records):
    html = _html(client, partner_user, reverse("portal:home"))
    assert 'id="portal-awards">4 / 5<' in html
    assert "2 progress reports due, 1 overdue" in html
    assert "1 award to accept or decline" in html
    assert reverse("scholarships_portal:scholar_list") in html


def test_portal_home_of_another_partner_shows_none_of_it(client, other_partner_user, records):
    html = _html(client, other_partner_user, reverse("portal:home"))
    assert 'id="portal-scholars">0<' in html
    assert "USD 2,000.00" not in html
    assert 'id="portal-activities">1 (' in html  # the one it hosts


# --- flat query counts --------------------------------------------------------------------------------------------


def _grow(programme, host, count: int) -> None:
    """``count`` more scholars (each with a paid tranche) and activities, written in bulk."""
    call = CallFactory(programme=programme, host=host)
    officer = call.created_by
    start = Application.objects.count()
    Application.objects.bulk_create(
        ApplicationFactory.build(
            call=call,
            email=f"bulk{start + index}@mail.example",
            email_key=f"bulk{start + index}@mail.example",
            status=S.ENROLLED,
            award_proposed_by=officer,
            awarded_by=officer,
            awarded_at=timezone.now(),
            enrolled_on=days_ago(200),
            submitted_by=officer,
        )
        for index in range(count)
    )
    scholars = Application.objects.filter(call=call)
    usd = currency("USD")
    Tranche.objects.bulk_create(
        Tranche(
            application=row,
            number=1,
            due_on=days_ago(3),
            amount=Decimal(10),
            currency=usd,
            status="paid",
            paid_on=days_ago(3),
        )
        for row in scholars
    )
    ExchangeActivity.objects.bulk_create(
        ExchangeActivityFactory.build(programme=programme, host=host, created_by=officer, women=1)
        for _index in range(count)
    )


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["programme", "partner", "portal"])
def test_each_hub_counts_in_a_fixed_number_of_queries(client, officer, partner_user, programme, partner_org, page):
    user, url = {
        "programme": (officer, reverse("programs:detail", args=[programme.pk])),
        "partner": (officer, reverse("partners:detail", args=[partner_org.pk])),
        "portal": (partner_user, reverse("portal:home")),
    }[page]
    _grow(programme, partner_org, 10)
    few = _queries(client, user, url)
    _grow(programme, partner_org, 190)
    assert _queries(client, user, url) == few
