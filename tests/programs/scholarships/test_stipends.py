"""Stipend tranches are scheduled on enrolment from the call's frequency and duration; a tranche is approved
only when the latest progress report due by then is in and accepted; reports come from the host only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.scholarships import services
from programs.scholarships.models import ReportStatus, StipendFrequency, TrancheStatus
from programs.scholarships.services import ScholarshipRefusal as Code
from programs.scholarships.terms import add_months, report_due_dates, stipend_plan
from tests.factories import currency
from tests.programs.scholarships.factories import CallFactory, days_ago, enrolled, host_user, staff, submit, today

pytestmark = pytest.mark.django_db
D = Decimal


def test_months_are_added_to_the_calendar_not_as_30_days():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


def test_reports_are_due_every_six_months_and_at_the_end():
    start = datetime.date(2026, 1, 10)
    assert report_due_dates(start, 12) == [datetime.date(2026, 7, 10), datetime.date(2027, 1, 10)]
    assert report_due_dates(start, 9) == [datetime.date(2026, 7, 10), datetime.date(2026, 10, 10)]
    assert report_due_dates(start, 2) == [datetime.date(2026, 3, 10)]


@pytest.mark.parametrize(
    ("frequency", "months", "code", "amount", "expected"),
    [
        (
            StipendFrequency.QUARTERLY,
            10,
            "USD",
            "1000.00",
            [(0, "1000.00"), (3, "1000.00"), (6, "1000.00"), (9, "333.33")],
        ),
        (StipendFrequency.ANNUAL, 24, "USD", "12000.00", [(0, "12000.00"), (12, "12000.00")]),
        (StipendFrequency.SEMI_ANNUAL, 9, "JPY", "100000", [(0, "100000"), (6, "50000")]),
        (StipendFrequency.QUARTERLY, 10, "JPY", "100000", [(0, "100000"), (3, "100000"), (6, "100000"), (9, "33333")]),
        (StipendFrequency.ONCE, 3, "USD", "2500.00", [(0, "2500.00")]),
    ],
)
def test_the_stipend_plan(frequency, months, code, amount, expected):
    start = datetime.date(2026, 1, 10)
    plan = stipend_plan(
        enrolled_on=start, frequency=frequency, duration_months=months, amount=D(amount), currency=currency(code)
    )
    assert [(p.number, p.due_on, p.amount) for p in plan] == [
        (n, add_months(start, month), D(value)) for n, (month, value) in enumerate(expected, start=1)
    ]


@pytest.fixture
def scholar():
    """Enrolled a little over six months ago on a 12-month call paying 1000.00 USD monthly."""
    return enrolled(submit(CallFactory(duration_months=12)), on=days_ago(200))


def test_enrolment_schedules_the_tranches_once(scholar):
    tranches = list(scholar.tranches.order_by("number"))
    assert len(tranches) == 12
    assert {t.amount for t in tranches} == {D("1000.00")} and {t.status for t in tranches} == {TrancheStatus.SCHEDULED}
    assert tranches[0].due_on == scholar.enrolled_on
    assert tranches[6].due_on == add_months(scholar.enrolled_on, 6)


def test_the_first_tranche_needs_no_report(scholar):
    tranche = services.tranche_approve(tranche=scholar.tranches.get(number=1), approved_by=staff())
    assert tranche.status == TrancheStatus.APPROVED


def test_a_tranche_after_a_report_fell_due_waits_for_the_report_to_be_accepted(scholar):
    seventh = scholar.tranches.get(number=7)
    report_due = add_months(scholar.enrolled_on, 6)
    with pytest.raises(ValidationError) as refused:
        services.tranche_approve(tranche=seventh, approved_by=staff())
    assert refused.value.messages[0].startswith("The host institution has not submitted the progress report due on")
    assert str(report_due.year) in refused.value.messages[0]

    host = host_user(scholar.call.host)
    report = services.progress_report_submit(
        application=scholar, submitted_by=host, term_label="Semester 1", period_end=report_due, result="GPA 3.5"
    )
    with pytest.raises(
        ValidationError, match="is in but not accepted yet: accept it, then approve this tranche"
    ) as refused:
        services.tranche_approve(tranche=seventh, approved_by=staff())
    assert Code.REPORT_NOT_ACCEPTED in refusal_codes(refused.value)
    services.progress_report_return(report=report, returned_by=staff(), reason="Transcript missing.")
    with pytest.raises(
        ValidationError, match="was returned to the host institution: .* once a corrected report"
    ) as refused:
        services.tranche_approve(tranche=seventh, approved_by=staff())
    assert Code.REPORT_NOT_ACCEPTED in refusal_codes(refused.value)

    again = services.progress_report_submit(
        application=scholar, submitted_by=host, term_label="Semester 1", period_end=report_due, result="GPA 3.5"
    )
    services.progress_report_accept(report=again, accepted_by=staff())
    assert services.tranche_approve(tranche=seventh, approved_by=staff()).status == TrancheStatus.APPROVED
    assert services.tranche_approve(tranche=scholar.tranches.get(number=6), approved_by=staff()).status == "approved"


def test_paying_needs_an_approval_and_a_date_not_in_the_future(scholar):
    first = scholar.tranches.get(number=1)
    with pytest.raises(ValidationError) as refused:
        services.tranche_pay(tranche=first, paid_by=staff(), paid_on=today())
    assert Refused.WRONG_STATUS in refusal_codes(refused.value)
    services.tranche_approve(tranche=first, approved_by=staff())
    with pytest.raises(ValidationError) as refused:
        services.tranche_pay(tranche=first, paid_by=staff(), paid_on=days_ago(-1))
    assert refused.value.message_dict == {"paid_on": ["This date is in the future."]}
    paid = services.tranche_pay(tranche=first, paid_by=staff(), paid_on=today(), payment_reference="TRX-1")
    assert (paid.status, paid.payment_reference) == (TrancheStatus.PAID, "TRX-1")
    with pytest.raises(ValidationError) as refused:
        services.tranche_cancel(tranche=first, cancelled_by=staff(), reason="Mistake.")
    assert Refused.WRONG_STATUS in refusal_codes(refused.value)


def test_partners_and_auditors_cannot_approve_tranches(scholar, auditor):
    for user in (host_user(scholar.call.host), auditor):
        with pytest.raises(PermissionDenied):
            services.tranche_approve(tranche=scholar.tranches.get(number=1), approved_by=user)


def test_another_institution_cannot_report_on_this_scholar(scholar, other_partner_user):
    with pytest.raises(PermissionDenied):
        services.progress_report_submit(
            application=scholar, submitted_by=other_partner_user, term_label="S1", period_end=days_ago(1), result="P"
        )
    assert scholar.progress_reports.count() == 0


def test_officers_do_not_write_the_hosts_reports(scholar):
    with pytest.raises(PermissionDenied):
        services.progress_report_submit(
            application=scholar, submitted_by=staff(Role.MANAGER), term_label="S1", period_end=days_ago(1), result="P"
        )


def test_a_report_period_must_have_ended_and_follow_enrolment(scholar):
    host = host_user(scholar.call.host)
    for period_end, message in [
        (days_ago(-1), "Report a term once it has ended: this date is in the future."),
        (days_ago(300), "The scholar enrolled on"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.progress_report_submit(
                application=scholar, submitted_by=host, term_label="S1", period_end=period_end, result="Pass"
            )
        assert refused.value.message_dict["period_end"][0].startswith(message)
    with pytest.raises(ValidationError) as refused:
        services.progress_report_submit(
            application=scholar, submitted_by=host, term_label="", period_end=days_ago(1), result=""
        )
    assert {"term_label", "result"} <= set(refused.value.message_dict)


def test_a_returned_report_needs_a_reason_and_cannot_be_accepted_after(scholar):
    report = services.progress_report_submit(
        application=scholar,
        submitted_by=host_user(scholar.call.host),
        term_label="S1",
        period_end=days_ago(1),
        result="P",
    )
    with pytest.raises(ValidationError) as refused:
        services.progress_report_return(report=report, returned_by=staff(), reason="")
    assert Refused.REASON_REQUIRED in refusal_codes(refused.value)
    services.progress_report_return(report=report, returned_by=staff(), reason="Unsigned.")
    with pytest.raises(ValidationError) as refused:
        services.progress_report_accept(report=report, accepted_by=staff())
    assert Refused.WRONG_STATUS in refusal_codes(refused.value)
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (ReportStatus.RETURNED, "Unsigned.")
