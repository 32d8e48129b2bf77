"""The dashboard's scholarships section: the numbers a manager reads match a scenario worked out by hand, stipends
stay per currency, numbers follow the language, no applicant is named, and the section costs the same queries for
3 applications and activities as for 30."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.roles import Perm
from programs.scholarships import selectors
from programs.scholarships.models import (
    ActivityKind,
    ApplicationStatus,
    ExchangeStatus,
    Gender,
    TrancheStatus,
)
from tests.factories import country, currency
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    CallFactory,
    ExchangeActivityFactory,
    StipendTrancheFactory,
    days_ago,
    staff,
)

pytestmark = pytest.mark.django_db

S = ApplicationStatus


def _application(call, status, gender, nationality, *, awarded=False, **fields):
    if awarded:
        fields |= {"awarded_at": timezone.now(), "award_proposed_by": staff()}
    return ApplicationFactory(call=call, status=status, gender=gender, nationality=country(nationality), **fields)


def _withdrawn_after(application, status):
    """Move an application to ``status`` the way a service saves it, so the history keeps the earlier one."""
    application.status = status
    application.save()
    return application


def _tranche(application, number, amount, code, status, due_in_days):
    fields = {"paid_on": days_ago(0)} if status == TrancheStatus.PAID else {}
    return StipendTrancheFactory(
        application=application,
        number=number,
        amount=Decimal(amount),
        currency=currency(code),
        status=status,
        due_on=days_ago(-due_in_days),
        **fields,
    )


@pytest.fixture
def scenario():
    """Worked out by hand:

    Call "Water" (3 awards, opened 60 days ago), 8 applications:
      submitted F ID; ineligible M TL; eligible then withdrawn before the award F ID; shortlisted M PG;
      completed F ID; completed M ID; enrolled M TL; terminated after the award F TL.
      → applications 8, eligible 6, shortlisted 5, awards held 3 of 3.
    Call "Health" (2 awards, opened 30 days ago), 3 applications, all awarded:
      awarded F PG; declined M ID; withdrawn after the award, other gender, ID.
      → applications 3, eligible 3, shortlisted 3, awards held 1 of 2.
    Scholars (awarded at some point): 7 — awarded 1, accepted 0, declined 1, enrolled 1, completed 2, withdrawn 1,
      terminated 1; women 3, men 3, other 1; Indonesia 4, Timor-Leste 2, Papua New Guinea 1.
    Completion: 2 completed of 4 finished (2 completed + 1 terminated + 1 withdrawn after the award) = 50.00 %;
      the withdrawal before the award does not count.
    Stipends: USD on the enrolled scholar 1,000 paid (due 60 days ago), 1,000 approved (due 30 days ago),
      1,000 scheduled (due in 30 days), 1,000 cancelled → scheduled USD 3,000.00 in 3, due USD 2,000.00 in 2,
      paid USD 1,000.00 in 1, 33.33 %. IDR on the awarded scholar 1,500,000 paid (due 10 days ago), 1,500,000
      scheduled (due in 20 days) → scheduled IDR 3,000,000.00 in 2, due and paid IDR 1,500,000.00 in 1, 50.00 %.
    Activities: two trainings (3 women 2 men; 1 woman 1 man 1 other), a cultural event (10 women 5 men), a
      cancelled internship (4 and 4, left out) → training 2 activities 4/3/1 = 8, cultural event 1 activity
      10/5/0 = 15; 3 activities, 14 women, 8 men, 1 other, 23 in all.
    """
    water = CallFactory(title="Water engineering masters", awards_available=3, opens_on=days_ago(60))
    health = CallFactory(title="Public health short course", awards_available=2, opens_on=days_ago(30))

    _application(water, S.SUBMITTED, Gender.FEMALE, "ID")
    _application(water, S.INELIGIBLE, Gender.MALE, "TL", status_note="Not a national of an eligible country.")
    _withdrawn_after(_application(water, S.ELIGIBLE, Gender.FEMALE, "ID"), S.WITHDRAWN)
    _application(water, S.SHORTLISTED, Gender.MALE, "PG")
    _application(water, S.COMPLETED, Gender.FEMALE, "ID", awarded=True)
    _application(water, S.COMPLETED, Gender.MALE, "ID", awarded=True)
    enrolled = _application(water, S.ENROLLED, Gender.MALE, "TL", awarded=True)
    _application(water, S.TERMINATED, Gender.FEMALE, "TL", awarded=True)

    scholar = _application(health, S.AWARDED, Gender.FEMALE, "PG", awarded=True)
    _application(health, S.DECLINED, Gender.MALE, "ID", awarded=True)
    _application(health, S.WITHDRAWN, Gender.OTHER, "ID", awarded=True)

    _tranche(enrolled, 1, "1000", "USD", TrancheStatus.PAID, -60)
    _tranche(enrolled, 2, "1000", "USD", TrancheStatus.APPROVED, -30)
    _tranche(enrolled, 3, "1000", "USD", TrancheStatus.SCHEDULED, 30)
    _tranche(enrolled, 4, "1000", "USD", TrancheStatus.CANCELLED, 60)
    _tranche(scholar, 1, "1500000", "IDR", TrancheStatus.PAID, -10)
    _tranche(scholar, 2, "1500000", "IDR", TrancheStatus.SCHEDULED, 20)

    training = {"kind": ActivityKind.TRAINING, "status": ExchangeStatus.COMPLETED}
    ExchangeActivityFactory(**training, women=3, men=2)
    ExchangeActivityFactory(**training, women=1, men=1, other_gender=1)
    ExchangeActivityFactory(kind=ActivityKind.CULTURAL_EVENT, status=ExchangeStatus.ONGOING, women=10, men=5)
    ExchangeActivityFactory(kind=ActivityKind.INTERNSHIP, status=ExchangeStatus.CANCELLED, women=4, men=4)
    return {"water": water, "health": health}


def _dashboard(client, user, **headers):
    client.force_login(user)
    response = client.get(reverse("reporting:dashboard"), **headers)
    assert response.status_code == 200
    return response


def _section(html: str) -> str:
    return html.split('id="scholarships"', 1)[1].split('id="updates-heading"', 1)[0]


def _part(html: str, marker: str, end: str = "</section>") -> str:
    return html.split(marker, 1)[1].split(end, 1)[0]


def _cell(label: str, value: str) -> str:
    return f'<td class="num" data-label="{label}">{value}</td>'


def _numbers(row: str) -> dict[str, str]:
    """The number cells of one table row, by their column."""
    return dict(re.findall(r'<td class="num" data-label="([^"]+)">([^<]*)</td>', row))


def test_the_section_shows_the_hand_worked_numbers(client, manager, scenario):
    html = _section(_dashboard(client, manager).content.decode())

    assert '<p class="stat" id="stat-scholarship-calls">2</p>' in html
    assert '<p class="stat" id="stat-scholarship-applications">11</p>' in html
    assert "4 awards made" in html
    assert '<p class="stat" id="stat-scholars">7</p>' in html
    # Per call, the most recent first: applications, eligible, shortlisted, awards held of available.
    health = _part(html, f'<tr data-call="{scenario["health"].pk}">', "</tr>")
    water = _part(html, f'<tr data-call="{scenario["water"].pk}">', "</tr>")
    assert html.index("Public health short course") < html.index("Water engineering masters")
    assert _numbers(water) == {"Applications": "8", "Eligible": "6", "Shortlisted": "5", "Awards made": "3 of 3"}
    assert _numbers(health) == {"Applications": "3", "Eligible": "3", "Shortlisted": "3", "Awards made": "1 of 2"}
    # Scholars by status, gender and nationality: charts with their tables.
    assert '<title id="chart-scholar-status-title">Scholars by status</title>' in html
    for status, count in [
        ("Awarded", 1),
        ("Accepted", 0),
        ("Declined", 1),
        ("Enrolled", 1),
        ("Completed", 2),
        ("Withdrawn", 1),
        ("Terminated", 1),
    ]:
        assert f'<td data-label="Status">{status}</td><td class="num" data-label="Scholars">{count}</td>' in html
    for gender, count in [("Female", 3), ("Male", 3), ("Other / prefer not to say", 1)]:
        assert f'<td data-label="Gender">{gender}</td><td class="num" data-label="Scholars">{count}</td>' in html
    nationalities = _part(html, 'id="chart-scholar-nationality-title"')
    assert nationalities.index("Indonesia") < nationalities.index("Timor-Leste") < nationalities.index("Papua")
    assert '<td data-label="Nationality">Indonesia</td><td class="num" data-label="Scholars">4</td>' in html
    assert '<td data-label="Nationality">Timor-Leste</td><td class="num" data-label="Scholars">2</td>' in html
    assert '<td data-label="Nationality">Papua New Guinea</td><td class="num" data-label="Scholars">1</td>' in html
    # Completion rate, with its n of m.
    assert '<p class="stat" id="stat-completion">50.00%</p>' in html
    assert "2 of 4 scholars who finished completed the scholarship" in html
    # Participants by activity kind and gender; the cancelled internship reached nobody.
    assert '<title id="chart-participants-kind-title">Participants reached by activity kind</title>' in html
    assert '<td data-label="Kind">Training</td><td class="num" data-label="Participants">8</td>' in html
    assert '<td data-label="Kind">Cultural event</td><td class="num" data-label="Participants">15</td>' in html
    assert '<td data-label="Kind">Internship</td><td class="num" data-label="Participants">0</td>' in html
    every_column = ("Activities", "Women", "Men", "Other / not stated", "Total")
    training = _part(html, '<tr data-kind="training">', "</tr>")
    assert _numbers(training) == dict(zip(every_column, ("2", "4", "3", "1", "8"), strict=True))
    internship = _part(html, '<tr data-kind="internship">', "</tr>")
    assert _numbers(internship) == dict(zip(every_column, ("0", "0", "0", "0", "0"), strict=True))
    everything = _part(html, '<tr data-kind="all">', "</tr>")
    assert _numbers(everything) == dict(zip(every_column, ("3", "14", "8", "1", "23"), strict=True))


def test_stipends_stay_per_currency(client, manager, scenario):
    html = _section(_dashboard(client, manager).content.decode())
    usd = _part(html, '<tr data-currency="USD">', "</tr>")
    idr = _part(html, '<tr data-currency="IDR">', "</tr>")

    assert 'USD 3,000.00<br><small class="muted">3 tranches</small>' in usd
    assert 'USD 2,000.00<br><small class="muted">2 tranches</small>' in usd
    assert 'USD 1,000.00<br><small class="muted">1 tranche</small>' in usd
    assert 'data-paid-share="USD">33.33%</td>' in usd
    assert "IDR" not in usd
    assert 'IDR 3,000,000.00<br><small class="muted">2 tranches</small>' in idr
    assert idr.count('IDR 1,500,000.00<br><small class="muted">1 tranche</small>') == 2
    assert 'data-paid-share="IDR">50.00%</td>' in idr
    assert "USD" not in idr
    # Nothing adds the two currencies together.
    assert "3,003,000" not in html and "1,501,000" not in html


def test_the_selector_gives_the_same_figures_in_six_queries(manager, scenario, django_assert_num_queries):
    manager.has_perm(Perm.VIEW_CALL)  # load the permission cache outside the count
    with django_assert_num_queries(6):
        figures = selectors.scholarship_dashboard(user=manager)
    assert (figures.completed_count, figures.finished_count, figures.completion_rate) == (2, 4, Decimal("50.00"))
    assert [
        (row.currency.code, row.scheduled_amount, row.paid_amount, row.paid_percent) for row in figures.stipends
    ] == [
        ("IDR", Decimal("3000000.00"), Decimal("1500000.00"), Decimal("50.00")),
        ("USD", Decimal("3000.00"), Decimal("1000.00"), Decimal("33.33")),
    ]


def test_nationalities_beyond_the_top_are_grouped(manager, scenario, monkeypatch):
    monkeypatch.setattr(selectors.dashboard, "TOP_NATIONALITIES", 2)
    rows = selectors.scholarship_dashboard(user=manager).scholars_by_nationality
    assert [(row.key, str(row.label), row.count) for row in rows] == [
        ("ID", "Indonesia", 4),
        ("TL", "Timor-Leste", 2),
        ("other", "Other nationalities", 1),
    ]


def test_numbers_follow_the_language(client, manager, scenario):
    html = _section(_dashboard(client, manager, HTTP_ACCEPT_LANGUAGE="id").content.decode())
    assert "USD 3.000,00" in html
    assert "IDR 1.500.000,00" in html
    assert "33,33%" in html
    assert '<p class="stat" id="stat-completion">50,00%</p>' in html


def test_no_applicant_is_named(client, manager, scenario):
    html = _section(_dashboard(client, manager).content.decode())
    for application in scenario["water"].applications.all():
        assert application.applicant_name not in html
        assert application.email not in html


def test_auditors_and_administrators_see_the_section(client, auditor, admin_user, scenario):
    assert '<p class="stat" id="stat-scholars">7</p>' in _dashboard(client, auditor).content.decode()
    response = _dashboard(client, admin_user)
    assert response.context["scholarships"]["figures"].scholar_count == 7


@pytest.mark.parametrize("user_fixture", ["officer", "partner_user"])
def test_officers_and_partners_do_not_get_the_dashboard(client, request, user_fixture, scenario):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 403
    assert "Scholars by status" not in response.content.decode()


def test_without_scholarships_the_section_says_so_and_draws_no_chart(client, manager):
    html = _dashboard(client, manager).content.decode()
    assert "No scholarship calls or exchange activities yet." in html
    assert "chart-scholar-status" not in html
    assert 'id="stat-scholars"' not in html


def test_before_any_award_the_cards_say_so(client, manager):
    call = CallFactory()
    ApplicationFactory(call=call)
    html = _section(_dashboard(client, manager).content.decode())
    assert _cell("Awards made", "0 of 2") in html
    assert html.count("No scholars yet.") == 3
    assert "No scholar has finished yet." in html
    assert "No stipend tranches yet." in html
    assert "No exchange activities yet." in html
    assert "chart-scholar-status-title" not in html


def test_only_the_most_recent_calls_are_listed(client, manager):
    for index in range(selectors.CALLS_SHOWN + 1):
        CallFactory(title=f"Call number {index}", opens_on=days_ago(100 - index))
    html = _section(_dashboard(client, manager).content.decode())
    assert "Call number 0<" not in html
    assert "Call number 10<" in html and "Call number 1<" in html
    assert "The 10 most recent of 11 calls." in html


def _records(count, offset=0):
    """``count`` applications and as many activities, in a mix of statuses, genders, nationalities and currencies;
    even the first three reach every query (a scholar with tranches, an activity with participants), and thirty
    give scholars of twelve nationalities, more than the top ten."""
    statuses = [S.ENROLLED, S.ELIGIBLE, S.COMPLETED, S.SHORTLISTED, S.WITHDRAWN, S.SUBMITTED]
    genders = list(Gender)
    codes = ["ID", "TL", "PG", "PH", "VN", "TH", "MY", "LA", "KH", "MM", "FJ", "WS"]
    kinds = list(ActivityKind)
    for index in range(offset, offset + count):
        call = CallFactory(opens_on=days_ago(index))
        status = statuses[index % len(statuses)]
        awarded = status in (S.ENROLLED, S.COMPLETED, S.WITHDRAWN)
        application = _application(
            call, status, genders[index % len(genders)], codes[index // 2 % len(codes)], awarded=awarded
        )
        if awarded:
            code = ("USD", "IDR", "EUR")[index % 3]
            _tranche(application, 1, "500", code, TrancheStatus.PAID, -index - 1)
            _tranche(application, 2, "500", code, TrancheStatus.SCHEDULED, index + 1)
        ExchangeActivityFactory(kind=kinds[index % len(kinds)], women=index, men=1, other_gender=index % 2)


def test_dashboard_query_count_is_the_same_for_3_and_30_applications_and_activities(client, manager):
    client.force_login(manager)
    _records(3)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("reporting:dashboard"))
    assert response.context["scholarships"]["figures"].application_count == 3
    _records(27, offset=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reporting:dashboard"))

    figures = response.context["scholarships"]["figures"]
    assert figures.application_count == 30
    assert response.context["scholarships"]["activity_count"] == 30
    assert len(figures.calls) == selectors.CALLS_SHOWN
    assert len(figures.scholars_by_nationality) == selectors.TOP_NATIONALITIES + 1
    assert len(many.captured_queries) == len(few.captured_queries)


def test_stipends_due_follow_the_day_asked(manager, scenario):
    later = timezone.localdate() + datetime.timedelta(days=31)
    usd = next(
        row for row in selectors.scholarship_dashboard(user=manager, today=later).stipends if row.currency.code == "USD"
    )
    assert (usd.due_amount, usd.due_count) == (Decimal("3000.00"), 3)
