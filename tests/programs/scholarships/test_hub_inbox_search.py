"""What waits for whom (award approvals under maker–checker and the call's places, reports to review, stipend
tranches the report gate lets through; the host's enrolments, reports and awards to answer), the search box
(no applicant's name for who may not see personal data) and stipends as money flows."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cooperation.inbox import waiting_for
from cooperation.money_flows import Category, Flow, Stage
from cooperation.roles import Role
from cooperation.search import search
from cooperation.tranches import TrancheStatus
from programs.scholarships import inbox, services
from programs.scholarships.flows import money_flows
from programs.scholarships.references import application_reference
from programs.scholarships.search import search as scholarship_search
from tests.factories import currency
from tests.programs.scholarships.factories import (
    CallFactory,
    ProgressReportFactory,
    StipendTrancheFactory,
    accepted,
    awarded,
    days_ago,
    enrolled,
    shortlisted,
    staff,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(partner_org):
    return CallFactory(host=partner_org, awards_available=5, title="Water engineering masters")


def _group(user, key):
    return next((group for group in waiting_for(user) if group.key == key), None)


def _titles(group) -> list[str]:
    return [item.title for item in group.items] if group else []


# --- staff --------------------------------------------------------------------------------------------------------


def test_an_award_waits_for_a_manager_who_did_not_propose_it(call, manager, officer):
    proposer = staff(Role.MANAGER)
    application = shortlisted(submit(call))
    services.application_propose_award(application=application, proposed_by=proposer)
    [item] = _group(manager, "scholarships.award_approvals").items
    assert item.title == f"{application_reference(application.pk)} · Water engineering masters"
    assert _group(proposer, "scholarships.award_approvals") is None  # maker–checker
    assert _group(officer, "scholarships.award_approvals") is None  # officers do not approve


def test_a_proposal_on_a_call_with_every_place_taken_is_not_waiting(manager, partner_org):
    full = CallFactory(host=partner_org, awards_available=1)
    proposed = shortlisted(submit(full))
    services.application_propose_award(application=proposed, proposed_by=staff(), reason="Second choice.")
    awarded(submit(full))
    assert _group(manager, "scholarships.award_approvals") is None


def test_the_totals_agree_with_the_guard_item_by_item(call, manager):
    for _index in range(3):
        services.application_propose_award(application=shortlisted(submit(call)), proposed_by=staff())
    group = inbox.award_approvals(manager)
    assert group.total == len(group.items) == 3


def test_a_submitted_progress_report_waits_for_an_officer(call, officer, partner_user):
    scholar = enrolled(submit(call), on=days_ago(200))
    ProgressReportFactory(application=scholar, term_label="Semester 1", period_end=days_ago(15))
    group = _group(officer, "scholarships.reports_to_review")
    assert group.total == 1 and group.items[0].title.endswith("Semester 1")
    assert _group(partner_user, "scholarships.reports_to_review") is None


def test_a_tranche_waits_for_approval_only_once_the_report_before_it_is_accepted(call, officer):
    fresh = enrolled(submit(call), on=days_ago(0))  # its first tranche is due today and needs no report
    owing = enrolled(submit(call), on=days_ago(200))  # its tranches after month 6 wait for the report
    group = _group(officer, "scholarships.tranche_approvals")
    titles = _titles(group)
    assert any(title.startswith(application_reference(fresh.pk)) for title in titles)
    owing_titles = [title for title in titles if title.startswith(application_reference(owing.pk))]
    assert owing_titles[0].endswith("#1")  # due before the first report
    assert not any(title.endswith("#7") for title in owing_titles)  # due with the month-6 report, not in
    assert group.total == len(titles)


# --- the host institution -----------------------------------------------------------------------------------------


def test_the_host_sees_its_enrolments_reports_and_awards_to_answer(call, partner_user, other_partner_user):
    accepted(submit(call, applicant_name="Budi Santoso"))
    enrolled(submit(call, applicant_name="Ana Soares"), on=days_ago(200))
    awarded(submit(call, applicant_name="Lani Kealoha"))
    assert _titles(_group(partner_user, "scholarships.enrolments_to_confirm")) == [
        "Budi Santoso · Water engineering masters"
    ]
    assert _titles(_group(partner_user, "scholarships.reports_due")) == ["Ana Soares · Water engineering masters"]
    [answer] = _group(partner_user, "scholarships.award_responses").items
    assert answer.title == "Lani Kealoha · Water engineering masters" and "/respond/" in answer.url
    assert waiting_for(other_partner_user) == []


# --- search -------------------------------------------------------------------------------------------------------


def _hits(user, query, key) -> list[str]:
    group = next((group for group in search(user, query) if group.key == key), None)
    return [hit.title for hit in group.hits] if group else []


def test_staff_find_calls_by_title(call, auditor):
    assert _hits(auditor, "water", "scholarships.calls") == ["Water engineering masters"]


def test_officers_find_applications_by_name_and_see_it(call, officer):
    application = submit(call, applicant_name="Maria da Costa")
    assert _hits(officer, "costa", "scholarships.applications") == [
        f"{application_reference(application.pk)} · Maria da Costa"
    ]


def test_auditors_find_applications_only_by_reference_and_never_see_a_name(call, auditor):
    application = submit(call, applicant_name="Maria da Costa", email="maria@mail.example")
    assert _hits(auditor, "costa", "scholarships.applications") == []
    reference = application_reference(application.pk)
    assert _hits(auditor, reference, "scholarships.applications") == [reference]
    hits = str(search(auditor, reference))
    assert "Maria" not in hits and "maria@mail.example" not in hits


def test_partner_users_get_nothing_from_the_staff_search(call, partner_user):
    awarded(submit(call, applicant_name="Maria da Costa"))
    assert scholarship_search(partner_user, "costa") == []


# --- money flows --------------------------------------------------------------------------------------------------


def test_stipends_approved_are_committed_and_paid_are_spent_per_day_and_currency(call):
    approved_at = timezone.make_aware(datetime.datetime(2026, 3, 2, 10))
    common = {"application__call": call}
    for _index in range(2):
        StipendTrancheFactory(status=TrancheStatus.APPROVED, approved_at=approved_at, **common)
    StipendTrancheFactory(status=TrancheStatus.PAID, paid_on=days_ago(3), amount=Decimal("250.00"), **common)
    StipendTrancheFactory(status=TrancheStatus.PAID, paid_on=days_ago(3), amount=Decimal("750.00"), **common)
    StipendTrancheFactory(
        status=TrancheStatus.PAID, paid_on=days_ago(3), amount=Decimal("80.00"), currency=currency("EUR"), **common
    )
    StipendTrancheFactory(**common)  # scheduled: neither
    StipendTrancheFactory(status=TrancheStatus.PAID, paid_on=days_ago(3))  # another programme's
    programme = call.programme_id
    flows = sorted(money_flows([programme]), key=lambda flow: (flow.stage, flow.currency))
    technical = Category.TECHNICAL
    assert flows == [
        Flow(
            programme, technical, Stage.COMMITTED, datetime.date(2026, 3, 2), "USD", Decimal("2000.00"), flows[0].source
        ),
        Flow(programme, technical, Stage.SPENT, days_ago(3), "EUR", Decimal("80.00"), flows[1].source),
        Flow(programme, technical, Stage.SPENT, days_ago(3), "USD", Decimal("1000.00"), flows[2].source),
    ]
    assert len(list(money_flows(None))) == 4
