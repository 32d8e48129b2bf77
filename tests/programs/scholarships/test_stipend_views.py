"""The officers' stipend tranche list (with the progress report each tranche waits for) and its approve, pay and
cancel moves; the progress reports to accept or return."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.scholarships import selectors, services
from programs.scholarships.models import ReportStatus, TrancheStatus
from programs.scholarships.terms import add_months
from tests.programs.scholarships.factories import CallFactory, days_ago, enrolled, host_user, submit, today

pytestmark = pytest.mark.django_db
LIST = "scholarships:tranche_list"


def enrolled_scholar(call=None, name="Maria da Costa"):
    """Enrolled 200 days ago on a 12-month call paying monthly: the report due at month 6 is already due."""
    return enrolled(submit(call or CallFactory(duration_months=12), applicant_name=name), on=days_ago(200))


@pytest.fixture
def scholar():
    return enrolled_scholar()


def report_for(scholar, period_end=None):
    return services.progress_report_submit(
        application=scholar,
        submitted_by=host_user(scholar.call.host),
        term_label="Semester 1",
        period_end=period_end or days_ago(1),
        result="GPA 3.6",
    )


def row(response, tranche) -> str:
    match = re.search(rf'<tr id="tranche-{tranche.pk}" data-tranche="{tranche.pk}">(.*?)</tr>', response.text, re.S)
    return match.group(1) if match else ""


def field_errors(response, name: str) -> list[str]:
    block = re.search(rf'<div class="field[^"]* field-error" id="field-{name}">(.*?)</div>', response.text, re.S)
    return re.findall(r"<li>(.*?)</li>", block.group(1)) if block else []


def test_the_list_shows_which_report_each_tranche_waits_for(client, officer, scholar):
    first, seventh = scholar.tranches.get(number=1), scholar.tranches.get(number=7)
    client.force_login(officer)
    page = client.get(reverse(LIST))
    assert page.status_code == 200
    assert 'data-gate="none"' in row(page, first) and "None needed yet" in row(page, first)
    assert 'data-gate="missing"' in row(page, seventh) and "not in yet" in row(page, seventh)
    assert "The host institution has not submitted the progress report due on" in row(page, seventh)

    report = report_for(scholar)
    waiting = row(client.get(reverse(LIST)), seventh)
    assert "in, awaiting review" in waiting
    assert "is in but not accepted yet: accept it, then approve this tranche." in waiting
    assert reverse("scholarships:report_detail", args=[report.pk]) in waiting

    services.progress_report_return(report=report, returned_by=officer, reason="The transcript is missing.")
    returned = row(client.get(reverse(LIST)), seventh)
    assert 'data-gate="returned"' in returned and "a corrected report is in and accepted" in returned


def test_tranches_to_approve_or_pay_come_before_those_already_paid(client, officer, scholar):
    first, second = scholar.tranches.get(number=1), scholar.tranches.get(number=2)
    services.tranche_approve(tranche=first, approved_by=officer)
    services.tranche_pay(tranche=first, paid_by=officer, paid_on=today())
    client.force_login(officer)
    page = client.get(reverse(LIST)).text
    assert page.index(f'id="tranche-{second.pk}"') < page.index(f'id="tranche-{first.pk}"')


def test_a_blocked_tranche_offers_no_approve_button_until_its_report_is_accepted(client, officer, scholar):
    first, seventh = scholar.tranches.get(number=1), scholar.tranches.get(number=7)
    approve_url = reverse("scholarships:tranche_approve", args=[seventh.pk])
    client.force_login(officer)
    page = client.get(reverse(LIST))
    assert approve_url not in row(page, seventh) and "data-blocked" in row(page, seventh)
    assert reverse("scholarships:tranche_approve", args=[first.pk]) in row(page, first)

    services.progress_report_accept(report=report_for(scholar), accepted_by=officer)
    assert approve_url in row(client.get(reverse(LIST)), seventh)


def test_approval_is_refused_without_the_accepted_report_and_allowed_after(client, officer, scholar):
    seventh = scholar.tranches.get(number=7)
    client.force_login(officer)
    refused = client.post(reverse("scholarships:tranche_approve", args=[seventh.pk]))
    assert refused.status_code == 200
    assert "has not submitted the progress report due on" in row(refused, seventh)
    assert "Nothing was changed" in refused.text
    seventh.refresh_from_db()
    assert seventh.status == TrancheStatus.SCHEDULED

    report = report_for(scholar)
    assert client.post(reverse("scholarships:report_accept", args=[report.pk])).status_code == 302
    assert 'data-gate="accepted"' in row(client.get(reverse(LIST)), seventh)
    approved = client.post(reverse("scholarships:tranche_approve", args=[seventh.pk]), follow=True)
    assert "Tranche 7 of Maria da Costa was approved for payment." in approved.text
    seventh.refresh_from_db()
    assert seventh.status == TrancheStatus.APPROVED and seventh.approved_by == officer


def test_paying_an_approved_tranche(client, officer, scholar):
    first = scholar.tranches.get(number=1)
    services.tranche_approve(tranche=first, approved_by=officer)
    client.force_login(officer)
    url = reverse("scholarships:tranche_pay", args=[first.pk])
    prefix = f"pay-{first.pk}"

    future = client.post(url, {f"{prefix}-paid_on": (today() + datetime.timedelta(days=3)).isoformat()})
    assert future.status_code == 200
    assert field_errors(future, f"{prefix}-paid_on") == ["This date is in the future."]
    missing = client.post(url, {f"{prefix}-paid_on": "not a date"})
    assert field_errors(missing, f"{prefix}-paid_on") == ["Enter a valid date."]
    first.refresh_from_db()
    assert first.status == TrancheStatus.APPROVED and first.paid_on is None

    paid = client.post(url, {f"{prefix}-paid_on": today().isoformat(), f"{prefix}-payment_reference": "TRX-0042"})
    assert paid.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.paid_on, first.payment_reference) == (TrancheStatus.PAID, today(), "TRX-0042")
    assert "TRX-0042" in row(client.get(reverse(LIST)), first)


def test_a_scheduled_tranche_cannot_be_paid(client, officer, scholar):
    first = scholar.tranches.get(number=1)
    client.force_login(officer)
    response = client.post(
        reverse("scholarships:tranche_pay", args=[first.pk]), {f"pay-{first.pk}-paid_on": today().isoformat()}
    )
    assert response.status_code == 200
    assert "Only an approved tranche can be paid; this one is Scheduled." in response.text
    first.refresh_from_db()
    assert first.status == TrancheStatus.SCHEDULED


def test_cancelling_needs_a_reason(client, officer, scholar):
    last = scholar.tranches.get(number=12)
    client.force_login(officer)
    url = reverse("scholarships:tranche_cancel", args=[last.pk])
    refused = client.post(url, {f"cancel-{last.pk}-reason": ""})
    assert field_errors(refused, f"cancel-{last.pk}-reason") == ["Give the reason; it is kept in the history."]
    last.refresh_from_db()
    assert last.status == TrancheStatus.SCHEDULED
    assert client.post(url, {f"cancel-{last.pk}-reason": "Scholar finished early."}).status_code == 302
    last.refresh_from_db()
    assert (last.status, last.status_note) == (TrancheStatus.CANCELLED, "Scholar finished early.")


def test_auditors_and_partners_change_nothing(client, auditor, scholar):
    first = scholar.tranches.get(number=1)
    client.force_login(auditor)
    page = client.get(reverse(LIST))
    assert page.status_code == 200 and '<form method="post"' not in row(page, first)
    assert client.post(reverse("scholarships:tranche_approve", args=[first.pk])).status_code == 403
    host = host_user(scholar.call.host)
    client.force_login(host)
    assert client.get(reverse(LIST)).status_code == 403
    assert client.post(reverse("scholarships:tranche_approve", args=[first.pk])).status_code == 404
    first.refresh_from_db()
    assert first.status == TrancheStatus.SCHEDULED


def test_filters(client, officer, scholar):
    other = enrolled_scholar(name="Ana Soares")
    services.tranche_approve(tranche=scholar.tranches.get(number=1), approved_by=officer)
    client.force_login(officer)
    approved = client.get(reverse(LIST), {"status": "approved"})
    assert approved.text.count("data-tranche=") == 1
    by_call = client.get(reverse(LIST), {"call": other.call_id})
    assert by_call.text.count("data-tranche=") == 12 and "Maria da Costa" not in by_call.text
    due_by = add_months(scholar.enrolled_on, 1)
    early = client.get(reverse(LIST), {"due_before": due_by.isoformat(), "call": scholar.call_id})
    assert early.text.count("data-tranche=") == 2
    assert client.get(reverse(LIST), {"status": "nonsense", "due_before": "x"}).status_code == 200


def test_the_tranche_list_reads_a_constant_number_of_queries(client, officer, scholar):
    report_for(scholar)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(LIST))
    for name in ("Ana Soares", "Rui Lopes"):
        report_for(enrolled_scholar(name=name))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(LIST))
    assert response.text.count("data-tranche=") == 25  # a full page
    assert len(many) == len(few)


def test_the_lists_report_gate_agrees_with_the_approval_rule(officer, scholar):
    report = report_for(scholar, period_end=add_months(scholar.enrolled_on, 6))
    for accepted in (False, True):
        if accepted:
            services.progress_report_accept(report=report, accepted_by=officer)
        for tranche in selectors.tranche_queue(user=officer).filter(application=scholar):
            due, state = selectors.tranche_report_gate(tranche)
            assert (due, state in ("none", "accepted")) == services.report_gate(tranche), tranche.number


# --- progress reports ---------------------------------------------------------------------------------------------


def test_reports_awaiting_a_decision_come_first(client, officer, scholar):
    older = report_for(scholar, period_end=days_ago(30))
    services.progress_report_accept(report=older, accepted_by=officer)
    newer = report_for(scholar, period_end=days_ago(2))
    client.force_login(officer)
    page = client.get(reverse("scholarships:report_list"))
    assert page.text.index(f'data-report="{newer.pk}"') < page.text.index(f'data-report="{older.pk}"')
    assert "awaiting your decision" in page.text


def test_accepting_a_report(client, officer, scholar):
    report = report_for(scholar)
    client.force_login(officer)
    detail = client.get(reverse("scholarships:report_detail", args=[report.pk]))
    assert detail.status_code == 200 and "GPA 3.6" in detail.text and "Accept the report" in detail.text
    assert client.post(reverse("scholarships:report_accept", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == officer
    again = client.post(reverse("scholarships:report_accept", args=[report.pk]))
    assert again.status_code == 200
    assert "Only a submitted report can be accepted or returned; this one is Accepted." in again.text


def test_returning_a_report_needs_a_reason(client, officer, scholar):
    report = report_for(scholar)
    client.force_login(officer)
    url = reverse("scholarships:report_return", args=[report.pk])
    refused = client.post(url, {"return-reason": " "})
    assert refused.status_code == 200
    assert field_errors(refused, "return-reason") == ["Give the reason; it is kept in the history."]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert client.post(url, {"return-reason": "The transcript is missing."}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "The transcript is missing.")
    assert "The transcript is missing." in client.get(reverse("scholarships:report_detail", args=[report.pk])).text


def test_auditors_read_reports_but_do_not_decide(client, auditor, other_partner_user, scholar):
    report = report_for(scholar)
    client.force_login(auditor)
    page = client.get(reverse("scholarships:report_detail", args=[report.pk]))
    assert page.status_code == 200 and "Accept the report" not in page.text
    assert client.post(reverse("scholarships:report_accept", args=[report.pk])).status_code == 403
    client.force_login(other_partner_user)
    assert client.get(reverse("scholarships:report_detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("scholarships:report_accept", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_report_list_reads_a_constant_number_of_queries(client, officer, scholar):
    report_for(scholar)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("scholarships:report_list"))
    for name in ("Ana Soares", "Rui Lopes", "Joana Pinto"):
        report_for(enrolled_scholar(name=name))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("scholarships:report_list"))
    assert response.text.count("data-report=") == 4
    assert len(many) == len(few)
