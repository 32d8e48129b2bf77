"""Walk every URL pattern of the project as every role and check who may see what.

A new URL pattern that is missing from EXPECTED fails the test, so access is
decided on purpose for every page and endpoint, never by accident.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from cooperation.accounts.models import key_digest
from cooperation.accounts.services import api_token_issue
from cooperation.exports import jobs as export_jobs
from cooperation.exports.scheduled import unsubscribe_token
from cooperation.exports.services import saved_view_create, schedule_create
from cooperation.money_flows import Category
from cooperation.outbox.models import MessageStatus
from cooperation.reference.services import exchange_rate_create
from cooperation.roles import Role
from programs.budgets import services as budget_services
from programs.finance.services.moratoria import moratorium_propose
from programs.finance.services.restructurings import restructuring_propose
from programs.results import services as results_services
from programs.scholarships.models import AlumniInvitation
from programs.shipments import services as shipment_services
from tests.factories import (
    ContactFactory,
    OutboxMessageFactory,
    ParticipationFactory,
    ProgrammeUpdateFactory,
    UserFactory,
    currency,
)
from tests.programs.documents.factories import make_document
from tests.programs.finance.factories import (
    GrantFactory,
    LoanFactory,
    RepaymentFactory,
    TrancheFactory,
    disbursed_loan,
    submitted_loan,
)
from tests.programs.results.factories import build_framework
from tests.programs.results.test_evidence import PNG
from tests.programs.scholarships import factories as scholarship
from tests.programs.shipments.factories import arrived_shipment, confirm, draft_shipment

pytestmark = pytest.mark.django_db

STAFF = {"officer", "manager", "auditor", "admin"}
EVERYONE = {"anonymous", "officer", "manager", "auditor", "partner", "partner2", "admin"}
SIGNED_IN = EVERYONE - {"anonymous"}

# URL name → the roles that get 200 on GET. Object URLs point at a programme of
# `partner`'s organisation (and at that organisation), never at `partner2`'s.
EXPECTED = {
    "healthz": EVERYONE,
    "waiting": SIGNED_IN,
    "waiting_count": SIGNED_IN,
    "search": STAFF,
    "autocomplete": SIGNED_IN,  # each user's own matches: a partner user's are those of their own lists
    "exports:jobs": SIGNED_IN,
    "exports:saved_views": SIGNED_IN,
    "exports:saved_view_create": set(),  # POST only
    "exports:saved_view_rename": set(),  # POST only
    "exports:saved_view_delete": set(),  # POST only
    "exports:schedule": set(),  # POST only
    "exports:schedule_delete": set(),  # POST only
    "exports:unsubscribe": {"manager"},  # the recipient the signed link names
    "reporting:iati": {"manager", "auditor", "admin"},
    "api:loan-portfolio": STAFF | {"partner", "partner2"},
    "api:loan-ageing": STAFF | {"partner", "partner2"},
    "api:shipment-discrepancy-summary": STAFF | {"partner", "partner2"},
    "api:programme-results-progress": STAFF | {"partner"},
    "reporting:iati_activities": {"manager", "auditor", "admin"},
    "reporting:iati_organisation": {"manager", "auditor", "admin"},
    "exports:job": {"manager"},  # the requester's own export only
    "exports:job_status": {"manager"},
    "exports:job_download": {"manager"},
    "exports:export": STAFF,  # the programme list; every list's export: tests/cooperation/exports/test_sources.py
    "partners:list": STAFF,
    "partners:create": {"officer", "manager", "admin"},
    "partners:detail": STAFF,
    "partners:edit": {"officer", "manager", "admin"},
    "partners:contact_create": {"officer", "manager", "admin"},
    "partners:contact_edit": {"officer", "manager", "admin"},
    "programs:list": STAFF,
    "programs:create": {"officer", "manager", "admin"},
    "programs:detail": STAFF,
    "programs:edit": {"officer", "manager", "admin"},
    "programs:post_update": set(),  # POST only
    "portal:home": {"partner", "partner2"},
    "portal:programme": {"partner"},
    "portal:post_update": set(),  # POST only
    "outbox:resend": set(),  # POST only
    "reporting:dashboard": {"manager", "auditor", "admin"},
    "reporting:programmes_csv": {"manager", "auditor", "admin"},
    "finance:loan_list": STAFF,
    "finance:loan_create": {"officer", "manager", "admin"},
    "finance:loan_preview": {"officer", "manager", "admin"},
    "finance:loan_detail": STAFF,
    "finance:loan_edit": {"officer", "manager", "admin"},  # a draft loan
    "finance:loan_submit": set(),  # POST only
    "finance:loan_approve": set(),  # POST only
    "finance:loan_reject": set(),  # POST only
    "finance:loan_disburse": set(),  # POST only
    "finance:loan_cancel": set(),  # POST only
    "finance:loan_write_off": set(),  # POST only
    "finance:loan_repayment_create": {"officer", "manager", "admin"},
    "finance:loan_restructure": {"officer", "manager", "admin"},  # an active loan with no proposal waiting
    "finance:restructuring_detail": STAFF,
    "finance:restructuring_approve": set(),  # POST only
    "finance:restructuring_reject": set(),  # POST only
    "finance:restructuring_reverse": set(),  # POST only
    "finance:moratorium_list": STAFF,
    "finance:moratorium_create": {"officer", "manager", "admin"},
    "finance:moratorium_detail": STAFF,
    "finance:moratorium_approve": set(),  # POST only
    "finance:moratorium_reject": set(),  # POST only
    "finance:loan_repayment_confirm": set(),  # POST only
    "finance:loan_repayment_reject": set(),  # POST only
    "finance:loan_repayment_reverse": set(),  # POST only
    "finance:grant_list": STAFF,
    "finance:grant_create": {"officer", "manager", "admin"},
    "finance:grant_detail": STAFF,
    "finance:grant_tranche_approve": set(),  # POST only
    "finance:grant_tranche_pay": set(),  # POST only
    "finance:grant_tranche_cancel": set(),  # POST only
    "finance_portal:loans": {"partner", "partner2"},
    "finance_portal:loan": {"partner"},
    "finance_portal:notify_payment": set(),  # POST only
    "finance_portal:grants": {"partner", "partner2"},
    "finance_portal:grant": {"partner"},
    "finance_portal:notifications": {"partner", "partner2"},
    "shipments_portal:list": {"partner", "partner2"},
    "shipments_portal:detail": {"partner"},
    "shipments_portal:receive": {"partner"},  # GET shows the form; POST confirms
    "shipments_portal:receipt_photo": {"partner"},
    "api:api-token": set(),  # POST only
    "api:api-logout": set(),  # POST only
    "api:auth-token-list": SIGNED_IN,  # each user's own tokens
    "api:auth-token-detail": set(),  # a token of a user outside the walk: nobody else's token is ever found
    "api:api-root": SIGNED_IN,
    "api:organisation-list": STAFF | {"partner", "partner2"},
    "api:organisation-detail": STAFF | {"partner"},
    "api:programme-list": STAFF | {"partner", "partner2"},
    "api:programme-detail": STAFF | {"partner"},
    "api:programme-post-update": set(),  # POST only
    "api:participation-list": STAFF | {"partner", "partner2"},
    "api:participation-detail": STAFF | {"partner"},
    "api:programme-update-list": STAFF | {"partner", "partner2"},
    "api:programme-update-detail": STAFF | {"partner"},
    "api:loan-list": STAFF | {"partner", "partner2"},
    "api:loan-detail": STAFF | {"partner"},
    "api:loan-submit": set(),  # POST only
    "api:loan-approve": set(),  # POST only
    "api:loan-reject": set(),  # POST only
    "api:loan-disburse": set(),  # POST only
    "api:loan-cancel": set(),  # POST only
    "api:loan-write-off": set(),  # POST only
    "api:restructuring-list": STAFF | {"partner", "partner2"},
    "api:restructuring-detail": STAFF | {"partner"},
    "api:restructuring-approve": set(),  # POST only
    "api:restructuring-reject": set(),  # POST only
    "api:restructuring-reverse": set(),  # POST only
    "api:moratorium-list": STAFF | {"partner", "partner2"},  # a partner user's list is empty
    "api:moratorium-detail": STAFF,
    "api:moratorium-approve": set(),  # POST only
    "api:moratorium-reject": set(),  # POST only
    "api:repayment-list": STAFF | {"partner", "partner2"},
    "api:repayment-detail": STAFF | {"partner"},
    "api:repayment-confirm": set(),  # POST only
    "api:repayment-reject": set(),  # POST only
    "api:repayment-reverse": set(),  # POST only
    "api:grant-list": STAFF | {"partner", "partner2"},
    "api:grant-detail": STAFF | {"partner"},
    "api:tranche-list": STAFF | {"partner", "partner2"},
    "api:tranche-detail": STAFF | {"partner"},
    "api:tranche-approve": set(),  # POST only
    "api:tranche-pay": set(),  # POST only
    "api:tranche-cancel": set(),  # POST only
    "shipments:list": STAFF,
    "shipments:create": {"officer", "manager", "admin"},
    "shipments:discrepancies": STAFF,
    "shipments:detail": STAFF,
    "shipments:edit": {"officer", "manager", "admin"},  # a draft shipment
    "shipments:waybill": STAFF,
    "shipments:receipt_photo": STAFF | {"partner"},
    "shipments:mark_ready": set(),  # POST only
    "shipments:reopen": set(),  # POST only
    "shipments:approve_dispatch": set(),  # POST only
    "shipments:dispatch": set(),  # POST only
    "shipments:mark_in_transit": set(),  # POST only
    "shipments:arrive": set(),  # POST only
    "shipments:reschedule": set(),  # POST only
    "shipments:cancel": set(),  # POST only
    "shipments:mark_lost": set(),  # POST only
    "shipments:event_add": set(),  # POST only
    "api:shipment-list": STAFF | {"partner", "partner2"},
    "api:shipment-detail": STAFF | {"partner"},
    "api:shipment-mark-ready": set(),  # POST only
    "api:shipment-reopen": set(),  # POST only
    "api:shipment-approve-dispatch": set(),  # POST only
    "api:shipment-dispatch": set(),  # POST only
    "api:shipment-mark-in-transit": set(),  # POST only
    "api:shipment-arrive": set(),  # POST only
    "api:shipment-reschedule": set(),  # POST only
    "api:shipment-cancel": set(),  # POST only
    "api:shipment-mark-lost": set(),  # POST only
    "api:shipment-item-list": STAFF | {"partner", "partner2"},
    "api:shipment-item-detail": STAFF | {"partner"},
    "api:tracking-event-list": STAFF | {"partner", "partner2"},
    "api:tracking-event-detail": STAFF | {"partner"},
    "api:receipt-list": STAFF | {"partner", "partner2"},
    "api:receipt-detail": STAFF | {"partner"},
    "api:call-list": STAFF | {"partner", "partner2"},
    "api:call-detail": STAFF | {"partner"},
    "api:application-list": STAFF | {"partner", "partner2"},
    "api:application-detail": STAFF | {"partner"},
    # The enrolled scholar's file: staff who may see personal data, and the host institution after award.
    "api:application-attachment": {"officer", "manager", "admin", "partner"},
    "api:application-attachments": set(),  # POST only
    "api:application-mark-eligible": set(),  # POST only
    "api:application-mark-ineligible": set(),  # POST only
    "api:application-shortlist": set(),  # POST only
    "api:application-propose-award": set(),  # POST only
    "api:application-approve-award": set(),  # POST only
    "api:application-reject-award": set(),  # POST only
    "api:application-accept-award": set(),  # POST only
    "api:application-decline-award": set(),  # POST only
    "api:application-confirm-enrolment": set(),  # POST only
    "api:application-withdraw": set(),  # POST only
    "api:application-terminate": set(),  # POST only
    "api:application-complete": set(),  # POST only
    "api:review-list": STAFF,
    "api:review-detail": STAFF,
    "api:review-score": set(),  # POST only
    "api:review-declare-conflict": set(),  # POST only
    "api:stipend-tranche-list": STAFF | {"partner", "partner2"},
    "api:stipend-tranche-detail": STAFF | {"partner"},
    "api:stipend-tranche-approve": set(),  # POST only
    "api:stipend-tranche-pay": set(),  # POST only
    "api:stipend-tranche-cancel": set(),  # POST only
    "api:progress-report-list": STAFF | {"partner", "partner2"},
    "api:progress-report-detail": STAFF | {"partner"},
    "api:progress-report-accept": set(),  # POST only
    "api:progress-report-return": set(),  # POST only
    "api:activity-list": STAFF | {"partner", "partner2"},
    "api:activity-detail": STAFF | {"partner"},
    "api:activity-report": set(),  # POST only
    "scholarships:activity_list": STAFF,
    "scholarships:activity_create": {"officer", "manager", "admin"},
    "scholarships:activity_detail": STAFF,
    "scholarships:activity_edit": {"officer", "manager", "admin"},
    "scholarships:activity_report": {"officer", "manager", "admin"},
    "scholarships:call_list": STAFF,
    "scholarships:call_create": {"officer", "manager", "admin"},
    "scholarships:call_detail": STAFF,
    "scholarships:call_edit": {"officer", "manager", "admin"},
    "scholarships:call_application_create": {"officer", "manager", "admin"},  # an open call
    "scholarships:application_list": STAFF,
    "scholarships:application_detail": STAFF,
    # The enrolled scholar's file: staff who may see personal data, and the host institution after award.
    "scholarships:attachment_download": {"officer", "manager", "admin", "partner"},
    "scholarships:application_mark_eligible": set(),  # POST only
    "scholarships:application_mark_ineligible": set(),  # POST only
    "scholarships:application_shortlist": set(),  # POST only
    "scholarships:application_propose_award": set(),  # POST only
    "scholarships:application_approve_award": set(),  # POST only
    "scholarships:application_reject_award": set(),  # POST only
    "scholarships:application_accept_award": set(),  # POST only
    "scholarships:application_decline_award": set(),  # POST only
    "scholarships:application_withdraw": set(),  # POST only
    "scholarships:application_terminate": set(),  # POST only
    "scholarships:application_complete": set(),  # POST only
    "scholarships:application_attachment_add": set(),  # POST only
    "scholarships:call_ranking": STAFF,
    "scholarships:call_reviewers": {"officer", "manager", "admin"},
    "scholarships:application_review_assign": set(),  # POST only
    "scholarships:review_list": {"officer", "manager", "admin"},
    "scholarships:review_detail": {"officer"},  # only the assigned reviewer
    "scholarships:review_conflict": set(),  # POST only
    "scholarships:review_unassign": set(),  # POST only
    "scholarships:award_list": STAFF,
    "scholarships:tranche_list": STAFF,
    "scholarships:tranche_approve": set(),  # POST only
    "scholarships:tranche_pay": set(),  # POST only
    "scholarships:tranche_cancel": set(),  # POST only
    "scholarships:report_list": STAFF,
    "scholarships:report_detail": STAFF,
    "scholarships:report_accept": set(),  # POST only
    "scholarships:report_return": set(),  # POST only
    # The public pages of a call open to online applications: nobody signs in. The confirmation link registers the
    # application (the first to open it) and says so to the others; the status link shows its own application.
    "scholarships_public:calls": EVERYONE,
    "scholarships_public:call": EVERYONE,
    "scholarships_public:sent": EVERYONE,
    "scholarships_public:confirm": EVERYONE,
    "scholarships_public:status": EVERYONE,
    "scholarships_portal:scholar_list": {"partner", "partner2"},
    "scholarships_portal:scholar_detail": {"partner"},
    "scholarships_portal:scholar_enrol": {"partner"},  # already enrolled: says so, no form
    "scholarships_portal:scholar_report": {"partner"},
    "scholarships_portal:report_detail": {"partner"},
    "scholarships_portal:activity_list": {"partner", "partner2"},
    "scholarships_portal:activity_detail": {"partner"},
    "scholarships_portal:activity_report": {"partner"},
    "results:framework": STAFF,
    "results:plan_set": set(),  # POST only
    "results:result_create": {"officer", "manager", "admin"},
    "results:result_edit": {"officer", "manager", "admin"},
    "results:result_remove": set(),  # POST only
    "results:result_up": set(),  # POST only
    "results:result_down": set(),  # POST only
    "results:indicator_create": {"officer", "manager", "admin"},
    "results:indicator_edit": {"officer", "manager", "admin"},
    "results:indicator_targets": {"officer", "manager", "admin"},
    "results:indicator_remove": set(),  # POST only
    "results:indicator_up": set(),  # POST only
    "results:indicator_down": set(),  # POST only
    "results:review_list": STAFF,
    "results:report_detail": STAFF,
    "results:report_approve": set(),  # POST only
    "results:report_return": set(),  # POST only
    "results:evidence_download": STAFF | {"partner"},
    "results:report_enter": {"officer", "manager", "admin"},  # on the partner's behalf
    "results_portal:due": {"partner", "partner2"},
    "results_portal:report": {"partner"},
    "results_portal:report_detail": {"partner"},
    "results_portal:evidence_add": set(),  # POST only
    "results_portal:evidence_download": {"partner"},
    "results_portal:evidence_remove": set(),  # POST only
    "api:result-list": SIGNED_IN,
    "api:result-detail": STAFF | {"partner"},
    "api:indicator-list": SIGNED_IN,
    "api:indicator-detail": STAFF | {"partner"},
    "api:indicator-targets": set(),  # POST only
    "api:reporting-period-list": SIGNED_IN,
    "api:reporting-period-plan": set(),  # POST only
    "api:reporting-period-detail": STAFF | {"partner"},
    "api:results-report-list": SIGNED_IN,
    "api:results-report-detail": STAFF | {"partner"},
    "api:results-report-approve": set(),  # POST only
    "api:results-report-return": set(),  # POST only
    "api:results-report-submit": set(),  # POST only
    "api:results-report-values": set(),  # POST only
    "scholarships_portal:scholar_respond": {"partner"},
    "scholarships_portal:scholar_outcome": {"partner"},  # its alumnus's outcome, still open to correction
    "scholarships:outcome_list": STAFF,
    "scholarships:outcome_detail": STAFF,
    "scholarships:outcome_lock": set(),  # POST only
    "scholarships:invitation_renew": set(),  # POST only
    "scholarships:alumni_link": EVERYONE,  # the alumnus's private link: the key is the credential
    "api:alumni-outcome-list": STAFF | {"partner", "partner2"},
    "api:alumni-outcome-detail": STAFF | {"partner"},
    "documents:list": STAFF,
    "documents:upload": {"officer", "manager", "admin"},
    "documents:detail": STAFF,
    "documents:add_version": set(),  # POST only
    "documents:change": set(),  # POST only
    "documents:withdraw": set(),  # POST only
    "documents:download": STAFF | {"partner"},  # a document shared with the partner's organisation
    "documents_portal:list": {"partner", "partner2"},
    "documents_portal:detail": {"partner"},
    "documents_portal:download": {"partner"},
    "api:document-list": SIGNED_IN,
    "api:document-detail": STAFF | {"partner"},
    "api:document-versions": set(),  # POST only
    "api:document-withdraw": set(),  # POST only
    "rates:list": STAFF,
    "rates:create": {"officer", "manager", "admin"},
    "rates:import": {"officer", "manager", "admin"},
    "rates:edit": {"officer", "manager", "admin"},
    "api:exchange-rate-list": STAFF,
    "api:exchange-rate-detail": STAFF,
    "api:exchange-rate-convert": STAFF,
    "budgets:programme": STAFF,
    "budgets:line_create": {"officer", "manager", "admin"},
    "budgets:expenditure_create": {"officer", "manager", "admin"},
    "budgets:line_detail": STAFF,
    "budgets:line_edit": {"officer", "manager", "admin"},
    "budgets:expenditure_list": STAFF,
    "budgets:expenditure_detail": STAFF,
    "budgets:expenditure_edit": {"officer", "manager", "admin"},
    "budgets:receipt_download": STAFF,
    "api:budget-line-list": STAFF,
    "api:budget-line-detail": STAFF,
    "api:expenditure-list": STAFF,
    "api:expenditure-detail": STAFF,
    "api:expenditure-receipt": set(),  # POST only
    "api:programme-budget": STAFF,
    "api-schema": SIGNED_IN,
    "api-docs": SIGNED_IN,
}

# Covered by their own tests (login, password reset, language switch, home redirects, admin).
NOT_WALKED_PREFIXES = ("account:", "admin:", "set_language", "home")


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


@pytest.fixture
def world(officer, manager, auditor, admin_user, partner_user, other_partner_user, own_programme, partner_org):
    # The token login's throttle counts in the cache: an earlier test's logins must not answer 429 here.
    cache.clear()
    participation = own_programme.participations.get()
    update = ProgrammeUpdateFactory(programme=own_programme, author=officer)
    contact = ContactFactory(organisation=partner_org)
    ParticipationFactory(organisation=other_partner_user.memberships.get().organisation)
    loan = LoanFactory(programme=own_programme, borrower=partner_org, created_by=officer)  # a draft
    # Partners see a loan once it is submitted (a draft is the officer's working copy).
    submitted = submitted_loan(LoanFactory(programme=own_programme, borrower=partner_org, created_by=officer))
    repayment = RepaymentFactory(loan=submitted, recorded_by=partner_user)
    # Two active loans of `partner`'s organisation: one with a restructuring waiting for a manager, one without.
    restructured = disbursed_loan(programme=own_programme, borrower=partner_org, created_by=officer)
    restructuring = restructuring_propose(
        loan=restructured,
        proposed_by=officer,
        annual_rate=Decimal("3"),
        installments=6,
        grace_periods=0,
        first_due_date=timezone.localdate() + datetime.timedelta(days=30),
        arrears="waive",
        reason="Flood.",
    )
    active = disbursed_loan(programme=own_programme, borrower=partner_org, created_by=officer)
    moratorium = moratorium_propose(
        proposed_by=officer,
        title="Flood",
        country=partner_org.country,
        area="Central Sulawesi",
        starts_on=timezone.localdate(),
        months=3,
        arrears="capitalise",
        reason="Flood.",
    )
    grant = GrantFactory(programme=own_programme, recipient=partner_org, created_by=officer)
    tranche = TrancheFactory(grant=grant)
    # Shipments to `partner`'s organisation: a draft (the officer's working copy, hidden from the consignee) and
    # one that has arrived and is partly counted, so the consignee can still confirm the rest.
    draft = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme, items=1)
    shipment = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme))
    item = shipment.items.get()
    receipt = confirm(shipment, partner_user, {item: (1, 0, 0)})
    receipt_photo = shipment_services.receipt_confirm(
        shipment=shipment,
        received_by=partner_user,
        received_on=receipt.received_on,
        lines=[{"item": item, "damaged": 1, "reason": "Torn bag"}],
        photos=[SimpleUploadedFile("torn.png", PNG)],
    ).photos.get()
    event = shipment.events.first()
    # A scholarship call hosted by `partner`'s organisation, and a scholar enrolled there (so the host sees them),
    # reviewed by the officer, with an attachment, stipend tranches and a progress report; an activity it hosts.
    call = scholarship.CallFactory(host=partner_org)
    application = scholarship.submit(call, by=officer)
    attachment = scholarship.services.attachment_add(
        application=application, uploaded_by=officer, file=scholarship.pdf()
    )
    scholarship.services.application_mark_eligible(application=application, decided_by=officer)
    review = scholarship.scored(application, reviewer=officer)
    scholarship.services.application_shortlist(application=application, decided_by=officer)
    scholarship.enrolled(application, on=scholarship.days_ago(200), by=partner_user)
    stipend = application.tranches.order_by("number").first()
    report = scholarship.services.progress_report_submit(
        application=application,
        submitted_by=partner_user,
        term_label="Semester 1",
        period_end=scholarship.days_ago(20),
        result="GPA 3.6",
    )
    activity = scholarship.ExchangeActivityFactory(host=partner_org)
    # A call published for online applications: one application waiting for its confirmation, one confirmed.
    public_call = scholarship.CallFactory(host=partner_org, online_applications=True, eligibility_questions=["Ready?"])
    _waiting, confirm_key = scholarship.send_online(public_call, email="waiting@mail.example")
    _confirmed, status_key = scholarship.online.online_application_confirm(
        key=scholarship.send_online(public_call, email="confirmed@mail.example", client_ip="203.0.113.9")[1]
    )
    # An alumnus of a call `partner`'s organisation hosted: their outcome one year on, recorded by the host, and
    # the private link of the three-year milestone, not used yet.
    alumnus = scholarship.alumnus(scholarship.CallFactory(host=partner_org))
    outcome = scholarship.services.alumni_outcome_record(
        application=alumnus, milestone=1, recorded_by=partner_user, **scholarship.outcome_answers()
    )
    alumni_key = "k" * 43
    invitation = AlumniInvitation.objects.create(
        application=alumnus,
        milestone=3,
        due_on=scholarship.today(),
        key_digest=key_digest(alumni_key),
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    # A results framework the partner's organisation reports on: its first quarter's report begun (a draft) with
    # a photo as evidence.
    framework = build_framework(own_programme, partner_org, officer)
    period = framework.periods[0]
    results_report = results_services.report_open(period=period, organisation=partner_org, opened_by=partner_user)
    evidence = results_services.evidence_add(
        report=results_report, uploaded_by=partner_user, file=SimpleUploadedFile("well.png", PNG)
    )
    document = make_document(officer, programme=own_programme)
    rate = exchange_rate_create(
        created_by=officer,
        on=datetime.date(2026, 1, 5),
        from_currency=currency("EUR"),
        to_currency=currency("USD"),
        rate=Decimal("1.08"),
        source="ECB",
    )
    line = budget_services.line_create(
        programme=own_programme,
        created_by=officer,
        category=Category.FINANCIAL,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        amount=Decimal("50000"),
        currency=currency("USD"),
    )
    expenditure = budget_services.expenditure_create(
        programme=own_programme,
        recorded_by=officer,
        spent_on=datetime.date(2026, 2, 3),
        amount=Decimal("120"),
        currency=currency("USD"),
        category=Category.TRAVEL,
        payee="Garuda Indonesia",
        receipt=SimpleUploadedFile("ticket.png", PNG),
    )
    version = document.versions.get()
    export = export_jobs.export_job_queue(
        user=manager, source="programs.programmes", title="Programmes", params="", file_format="csv", total_rows=1
    )
    export_jobs.run(export.pk)
    saved_view = saved_view_create(
        user=manager,
        name="Mine",
        source="programs.programmes",
        list_path=reverse("programs:list"),
        shared_with_role=Role.MANAGER,
    )
    schedule = schedule_create(
        view=saved_view,
        user=manager,
        frequency="weekly",
        weekday=0,
        day_of_month=None,
        recipients=[manager],
        active=True,
    )
    token, _key = api_token_issue(user=UserFactory(username="script"), name="nightly")
    failed_email = OutboxMessageFactory(about=update, status=MessageStatus.FAILED, last_error="550 No such user")
    objects = {
        "finance:loan_restructure": {"pk": active.pk},
        "finance:restructuring": {"pk": restructuring.pk},
        "finance:moratorium": {"pk": moratorium.pk},
        "api:restructuring": {"pk": restructuring.pk},
        "api:moratorium": {"pk": moratorium.pk},
        "outbox:": {"pk": failed_email.pk},
        "exports:export": {"source": "programs.programmes", "file_format": "xlsx"},
        "exports:saved_view_": {"pk": saved_view.pk},
        "exports:schedule": {"pk": saved_view.pk},
        "exports:unsubscribe": {"token": unsubscribe_token(schedule, manager)},
        "autocomplete": {"kind": "partners"},
        "exports:": {"pk": export.pk},
        "partners:": {"pk": partner_org.pk, "contact_pk": contact.pk},
        "programs:": {"pk": own_programme.pk},
        "portal:": {"pk": own_programme.pk},
        "api:organisation": {"pk": partner_org.pk},
        "api:programme-update": {"pk": update.pk},
        "api:programme": {"pk": own_programme.pk},
        "api:participation": {"pk": participation.pk},
        "finance:loan": {"pk": loan.pk, "repayment_pk": repayment.pk},
        "finance:grant": {"pk": grant.pk, "tranche_pk": tranche.pk},
        "finance_portal:loan": {"pk": submitted.pk},
        "finance_portal:notify": {"pk": submitted.pk},
        "finance_portal:grant": {"pk": grant.pk},
        "api:loan": {"pk": submitted.pk},
        "api:repayment": {"pk": repayment.pk},
        "api:grant": {"pk": grant.pk},
        "api:tranche": {"pk": tranche.pk},
        "shipments:edit": {"pk": draft.pk},
        "shipments:receipt_photo": {"pk": receipt_photo.pk},
        "shipments_portal:receipt_photo": {"pk": receipt_photo.pk},
        "shipments:": {"pk": shipment.pk},
        "shipments_portal:": {"pk": shipment.pk},
        "api:shipment-item": {"pk": item.pk},
        "api:shipment": {"pk": shipment.pk},
        "api:tracking-event": {"pk": event.pk},
        "api:receipt": {"pk": receipt.pk},
        "scholarships:outcome": {"pk": outcome.pk},
        "scholarships:invitation_renew": {"pk": invitation.pk},
        "scholarships:alumni_link": {"key": alumni_key},
        "scholarships_portal:scholar_outcome": {"pk": alumnus.pk, "milestone": 1},
        "api:alumni-outcome": {"pk": outcome.pk},
        "scholarships:call": {"pk": call.pk},
        "scholarships:application": {"pk": application.pk},
        "scholarships:attachment": {"pk": attachment.pk},
        "scholarships:review": {"pk": review.pk},
        "scholarships:tranche": {"pk": stipend.pk},
        "scholarships:report": {"pk": report.pk},
        "scholarships:activit": {"pk": activity.pk},
        "scholarships_public:confirm": {"key": confirm_key},
        "scholarships_public:status": {"key": status_key},
        "scholarships_public:": {"pk": public_call.pk},
        "scholarships_portal:scholar": {"pk": application.pk},
        "scholarships_portal:report": {"pk": report.pk},
        "scholarships_portal:activit": {"pk": activity.pk},
        "api:call": {"pk": call.pk},
        "api:application": {"pk": application.pk, "attachment_pk": attachment.pk},
        "api:review": {"pk": review.pk},
        "api:stipend-tranche": {"pk": stipend.pk},
        "api:progress-report": {"pk": report.pk},
        "api:activity": {"pk": activity.pk},
        "api:auth-token": {"pk": token.pk},
        "results:framework": {"pk": own_programme.pk},
        "results:plan_set": {"pk": own_programme.pk},
        "results:result_create": {"pk": own_programme.pk},
        "results:result_": {"pk": framework.output.pk},
        "results:indicator_create": {"pk": framework.output.pk},
        "results:indicator_": {"pk": framework.trained.pk},
        "results:report_enter": {"period": period.pk, "organisation": partner_org.pk},
        "results:report_": {"pk": results_report.pk},
        "results:evidence": {"pk": evidence.pk},
        "results_portal:report_detail": {"pk": results_report.pk},
        "results_portal:report": {"pk": period.pk},
        "results_portal:evidence_add": {"pk": results_report.pk},
        "results_portal:evidence": {"pk": evidence.pk},
        "api:results-report": {"pk": results_report.pk},
        "api:result": {"pk": framework.output.pk},
        "api:indicator": {"pk": framework.trained.pk},
        "api:reporting-period": {"pk": period.pk},
        "rates:": {"pk": rate.pk},
        "api:exchange-rate": {"pk": rate.pk},
        "budgets:programme": {"pk": own_programme.pk},
        "budgets:line_create": {"pk": own_programme.pk},
        "budgets:expenditure_create": {"pk": own_programme.pk},
        "budgets:line_": {"pk": line.pk},
        "budgets:expenditure_": {"pk": expenditure.pk},
        "budgets:receipt": {"pk": expenditure.pk},
        "api:budget-line": {"pk": line.pk},
        "api:expenditure": {"pk": expenditure.pk},
        "documents:download": {"pk": version.pk},
        "documents_portal:download": {"pk": version.pk},
        "documents": {"pk": document.pk},
        "api:document": {"pk": document.pk},
    }
    users = {
        "anonymous": None,
        "officer": officer,
        "manager": manager,
        "auditor": auditor,
        "admin": admin_user,
        "partner": partner_user,
        "partner2": other_partner_user,
    }
    return objects, users


# URLs whose arguments name a list, not a record: a refusal there is a 403, as on the list page itself.
NAMED_LISTS = {"exports:export", "autocomplete"}

# What an endpoint reads from its query string, to be answered at all.
QUERIES = {"api:exchange-rate-convert": "?amount=100&currency=EUR&on=2026-01-06"}


def _url_for(name, pattern, objects):
    wanted = set(pattern.pattern.converters)
    if not wanted:
        return reverse(name) + QUERIES.get(name, "")
    for prefix, kwargs in objects.items():
        if name.startswith(prefix):
            return reverse(name, kwargs={key: kwargs[key] for key in wanted})
    raise AssertionError(f"No object to fill in {name}")


def test_every_url_pattern_has_an_access_rule():
    names = {name for name, _ in _named_patterns() if not name.startswith(NOT_WALKED_PREFIXES)}
    assert names - set(EXPECTED) == set(), "Decide who may open these URLs"
    assert set(EXPECTED) - names == set(), "These rules name URLs that no longer exist"


def test_every_role_sees_exactly_what_it_may(client, world):
    objects, users = world
    failures = []
    for name, pattern in _named_patterns():
        if name.startswith(NOT_WALKED_PREFIXES):
            continue
        url = _url_for(name, pattern, objects)
        has_object = bool(pattern.pattern.converters) and name not in NAMED_LISTS
        for role, user in users.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            status = client.get(url).status_code
            allowed = role in EXPECTED[name]
            if allowed and status != 200:
                failures.append(f"{role} GET {url} ({name}) → {status}, expected 200")
            elif not allowed:
                refused = {302, 401, 403, 404, 405}
                if role.startswith("partner") and has_object and role not in EXPECTED[name] and EXPECTED[name]:
                    # Another organisation's record is never admitted to exist.
                    refused = {404, 405}
                if status not in refused:
                    failures.append(f"{role} GET {url} ({name}) → {status}, expected one of {sorted(refused)}")
    assert failures == [], "\n".join(failures)


def test_partner_writes_to_another_organisations_programme_get_404(client, world, own_programme):
    _, users = world
    client.force_login(users["partner2"])
    before = own_programme.updates.count()
    payload = {"reported_on": "2026-06-01", "title": "Intrusion", "body": "Should not land"}
    for url in (
        reverse("portal:post_update", kwargs={"pk": own_programme.pk}),
        reverse("programs:post_update", kwargs={"pk": own_programme.pk}),
        reverse("api:programme-post-update", kwargs={"pk": own_programme.pk}),
    ):
        assert client.post(url, payload).status_code == 404, url
    assert client.patch(
        reverse("api:programme-detail", kwargs={"pk": own_programme.pk}),
        {"title": "Hijacked"},
        content_type="application/json",
    ).status_code in {403, 404}
    own_programme.refresh_from_db()
    assert own_programme.title != "Hijacked"
    assert own_programme.updates.count() == before
