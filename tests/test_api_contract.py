"""The API keeps its OpenAPI contract: every answer, success or error, is one the schema documents.

Schemathesis generates requests for every operation of the schema served at ``/api/schema/`` and sends them to a
live server (a real HTTP server thread, token authentication) as an officer and as a partner user. Each answer is
checked: no server error, a status code the operation documents, a documented content type, and a body that
matches the documented schema. Each seeded record (the partner's own in several states, another organisation's)
and a missing id is visited in turn; negative cases generate ids too; and each write is also sent with a valid
body, so the success answers are checked as well as the refusals.

The run is deterministic and bounded: a fixed Hypothesis seed and number of examples per operation, operations in
a fixed order, failures collected rather than shrunk, and nothing leaves the machine. Writes change the seeded
records; the database is emptied after each test (transactional), so nothing leaks into other tests. Run with
``pytest -s`` to see the answers each operation gave.
"""

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import hypothesis
import pytest
import requests
import schemathesis
from django.core.cache import cache
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cooperation.reference.services import exchange_rate_create
from cooperation.roles import Role
from programs.documents.models import Visibility
from programs.finance import services as finance_services
from programs.results import services as results_services
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    UserFactory,
    currency,
)
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory
from tests.programs.documents.factories import make_document
from tests.programs.finance.factories import (
    LoanFactory,
    approved_loan,
    disbursed_loan,
    grant_with_tranches,
    recorded_repayment,
    submitted_loan,
)
from tests.programs.results.factories import build_framework
from tests.programs.scholarships import factories as scholarship
from tests.programs.shipments.factories import (
    approved_shipment,
    arrived_shipment,
    confirm,
    dispatched_shipment,
    draft_shipment,
    ready_shipment,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Generated requests per operation and user: schema-valid ones, and ones the schema forbids (a 4xx is expected).
POSITIVE_EXAMPLES = 5
POSITIVE_EXAMPLES_PER_ID = 2
NEGATIVE_EXAMPLES = 3
# Every run draws the same requests: a fixed seed (which also makes Hypothesis derandomized).
SEED = 20260901
MISSING_ID = 999_999_999
REQUEST_TIMEOUT = 60
JSON, MULTIPART = "application/json", "multipart/form-data"
UPLOADS = {"POST /api/v1/scholarship-applications/{id}/attachments/"}
AREAS = {
    "core": ("auth", "partners", "programmes", "participations", "programme-updates"),
    "finance": ("loans", "repayments", "grants", "tranches"),
    "shipments": ("shipments", "shipment-items", "tracking-events", "receipts"),
    "scholarships": (
        "scholarship-calls",
        "scholarship-applications",
        "scholarship-reviews",
        "stipend-tranches",
        "progress-reports",
        "exchange-activities",
    ),
    "results": ("results", "indicators", "reporting-periods", "results-reports"),
    "budgets": ("exchange-rates", "budget-lines", "expenditures", "documents"),
}


@dataclass
class World:
    """The seeded records: ids per collection (``loans``) and path parameter, and valid bodies per operation."""

    ids: dict[str, list[int]] = field(default_factory=dict)
    bodies: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, collection: str, *records) -> None:
        self.ids.setdefault(collection, []).extend(record.pk for record in records)


def _day(offset: int) -> str:
    return str(scholarship.days_ago(-offset))


def seed_world(*, officer, manager, partner_user, partner_org, other_org) -> World:
    """Records in several states for both organisations, so detail routes and actions meet real rows."""
    world = World()
    own_programme = ProgrammeFactory(code="OWN-001", is_financial=True, is_in_kind=True, is_technical=True)
    foreign_programme = ProgrammeFactory(code="FOREIGN-001", is_financial=True, is_in_kind=True, is_technical=True)
    own_part = ParticipationFactory(programme=own_programme, organisation=partner_org)
    foreign_part = ParticipationFactory(programme=foreign_programme, organisation=other_org)
    world.add("partners", partner_org, other_org)
    world.add("programmes", own_programme, foreign_programme)
    world.add("participations", own_part, foreign_part)
    world.add(
        "programme-updates",
        ProgrammeUpdateFactory(programme=own_programme, author=officer),
        ProgrammeUpdateFactory(programme=foreign_programme, author=officer),
    )

    # Finance: loans in each state for the partner, one of another organisation.
    def loan(programme=own_programme, borrower=partner_org):
        return LoanFactory(programme=programme, borrower=borrower, created_by=officer)

    active = disbursed_loan(loan(), approver=manager)
    world.add(
        "loans",
        submitted_loan(loan()),
        approved_loan(loan(), approver=manager),
        active,
        loan(),
        submitted_loan(loan(foreign_programme, other_org)),
    )
    confirmed = recorded_repayment(active, "100.00", recorded_by=officer)
    notified = finance_services.repayment_notify(
        loan=active,
        notified_by=partner_user,
        paid_on=active.disbursed_on,
        amount=Decimal("10.00"),
        currency=active.currency,
    )
    world.add("repayments", confirmed, notified)
    own_grant = grant_with_tranches(created_by=officer, programme=own_programme, recipient=partner_org)
    finance_services.tranche_approve(tranche=own_grant.tranches.order_by("number").last(), approved_by=manager)
    foreign_grant = grant_with_tranches(created_by=officer, programme=foreign_programme, recipient=other_org)
    world.add("grants", own_grant, foreign_grant)
    world.add("tranches", *own_grant.tranches.order_by("number"), foreign_grant.tranches.first())

    # Shipments to the partner in every stage, and one to another organisation.
    def shipment(consignee=partner_org, programme=own_programme, items=1):
        return draft_shipment(created_by=officer, consignee=consignee, programme=programme, items=items)

    arrived = arrived_shipment(shipment(items=2), approver=manager)
    item = arrived.items.order_by("pk").first()
    receipt = confirm(arrived, partner_user, {item: (1, 0, 0)})
    draft = shipment()
    world.add(
        "shipments",
        draft,
        ready_shipment(shipment()),
        approved_shipment(shipment(), approver=manager),
        dispatched_shipment(shipment(), approver=manager),
        arrived,
        arrived_shipment(shipment(other_org, foreign_programme), approver=manager),
    )
    world.add("shipment-items", draft.items.get(), item)
    world.add("tracking-events", arrived.events.order_by("pk").first())
    world.add("receipts", receipt)

    # Scholarships: a call hosted by the partner with a scholar enrolled there, and one of another host.
    call = scholarship.CallFactory(host=partner_org, programme=own_programme)
    foreign_call = scholarship.CallFactory(host=other_org, programme=foreign_programme)
    scholar = scholarship.submit(call, by=officer)
    attachment = scholarship.services.attachment_add(application=scholar, uploaded_by=officer, file=scholarship.pdf())
    scholarship.services.application_mark_eligible(application=scholar, decided_by=officer)
    review = scholarship.scored(scholar, reviewer=officer)
    scholarship.services.application_shortlist(application=scholar, decided_by=officer)
    scholarship.enrolled(scholar, on=scholarship.days_ago(200), by=partner_user)
    fresh = scholarship.submit(call, by=officer)
    scholarship.services.application_mark_eligible(application=fresh, decided_by=officer)
    pending = scholarship.services.review_assign(application=fresh, reviewer=officer, assigned_by=manager)
    world.add("scholarship-calls", call, foreign_call)
    world.add("scholarship-applications", scholar, fresh, scholarship.submit(foreign_call, by=officer))
    world.ids["attachment_pk"] = [attachment.pk]
    world.add("scholarship-reviews", pending, review)
    world.add("stipend-tranches", *scholar.tranches.order_by("number")[:2])
    report = scholarship.services.progress_report_submit(
        application=scholar,
        submitted_by=partner_user,
        term_label="Semester 1",
        period_end=scholarship.days_ago(20),
        result="GPA 3.6",
    )
    world.add("progress-reports", report)
    world.add(
        "exchange-activities",
        scholarship.ExchangeActivityFactory(host=partner_org, programme=own_programme),
        scholarship.ExchangeActivityFactory(host=other_org, programme=foreign_programme),
    )

    # Results: the partner reports on its programme's framework (a draft for the first quarter, the second sent);
    # another organisation's programme has a framework of its own.
    own_framework = build_framework(own_programme, partner_org, officer)
    foreign_framework = build_framework(foreign_programme, other_org, officer)
    first, second = own_framework.periods[:2]
    draft_report = results_services.report_open(period=first, organisation=partner_org, opened_by=partner_user)
    sent_report = results_services.report_open(period=second, organisation=partner_org, opened_by=partner_user)
    results_services.report_save(
        report=sent_report,
        saved_by=partner_user,
        values={own_framework.trained.pk: {"value": "90"}, own_framework.rate.pk: {"value": "50"}},
    )
    results_services.report_submit(report=sent_report, submitted_by=partner_user)
    world.add("results", own_framework.outcome, own_framework.output, foreign_framework.output)
    world.add("indicators", own_framework.trained, own_framework.rate, foreign_framework.trained)
    world.add("reporting-periods", first, second, foreign_framework.periods[0])
    world.add("results-reports", draft_report, sent_report)

    # Budgets: a rate, a line and an expenditure on each programme; documents shared with the partner or not.
    world.add(
        "exchange-rates",
        exchange_rate_create(
            created_by=officer,
            on=scholarship.days_ago(10),
            from_currency=currency("EUR"),
            to_currency=currency("USD"),
            rate=Decimal("1.0825"),
            source="ECB",
        ),
    )
    for programme in (own_programme, foreign_programme):
        world.add("budget-lines", BudgetLineFactory(programme=programme, created_by=officer))
        world.add("expenditures", ExpenditureFactory(programme=programme, recorded_by=officer))
    world.add(
        "documents",
        make_document(officer, programme=own_programme),
        make_document(officer, organisation=partner_org, visibility=Visibility.STAFF),
        make_document(officer, programme=foreign_programme),
    )

    world.bodies = valid_bodies(
        officer=officer,
        manager=manager,
        partner_org=partner_org,
        own_programme=own_programme,
        draft=draft,
        arrived=arrived,
        active=active,
        call=call,
        fresh=fresh,
        scholar=scholar,
    )
    return world


def valid_bodies(*, officer, manager, partner_org, own_programme, draft, arrived, active, call, fresh, scholar) -> dict:
    """One body per write that the API accepts from the user allowed to make it."""
    newcomer = OrganisationFactory(name="Lembaga Baru")
    remaining = arrived.items.order_by("pk").last()
    return {
        "POST /api/v1/partners/": [{"name": "Lembaga Pangan", "kind": "22", "country": "ID", "website": ""}],
        "PATCH /api/v1/partners/{id}/": [{"website": ""}],
        "POST /api/v1/programmes/": [
            {
                "code": "KSM-2026-500",
                "title": "Water and sanitation in Kupang",
                "forms": ["financial", "in_kind"],
                "planned_start": "2026-03-01",
                "recipient_countries": ["ID"],
                "sectors": ["14030"],
                "budget": {"amount": "250000.50", "currency": "USD"},
                "participants": [{"organisation": partner_org.pk, "role": 1, "committed_amount": None}],
            }
        ],
        "POST /api/v1/programmes/{id}/updates/": [
            {"reported_on": _day(-1), "title": "Wells finished", "body": "Twelve wells dug."}
        ],
        "POST /api/v1/participations/": [{"programme": own_programme.pk, "organisation": newcomer.pk, "role": 2}],
        "POST /api/v1/loans/": [
            {
                "programme": own_programme.pk,
                "borrower": partner_org.pk,
                "principal": "12000.00",
                "currency": "USD",
                "annual_rate": "6",
                "frequency": 12,
                "installments": 12,
                "amortization": "annuity",
                "disbursement_date": _day(10),
                "first_repayment_date": _day(40),
            }
        ],
        "POST /api/v1/repayments/": [
            {"loan": active.pk, "paid_on": _day(-1), "amount": "50.00", "currency": "USD", "reference": "TRX-1"}
        ],
        "POST /api/v1/grants/": [
            {
                "programme": own_programme.pk,
                "recipient": partner_org.pk,
                "amount": "1000.00",
                "currency": "USD",
                "tranche_count": 3,
                "first_tranche_on": _day(30),
            }
        ],
        "POST /api/v1/shipments/": [
            {
                "programme": own_programme.pk,
                "donor": newcomer.pk,
                "consignor": newcomer.pk,
                "consignee": partner_org.pk,
                "origin_country": "AU",
                "origin_place": "Brisbane",
                "destination_country": "ID",
                "destination_place": "Kupang",
                "mode": "sea",
                "planned_dispatch": _day(3),
                "expected_arrival": _day(20),
            }
        ],
        "POST /api/v1/shipment-items/": [
            {
                "shipment": draft.pk,
                "category": "medical",
                "description": "Oral rehydration salts",
                "unit": "carton",
                "quantity": "40",
                "unit_weight_kg": "2.5",
                "unit_value": "35.50",
                "currency": "EUR",
            }
        ],
        "POST /api/v1/tracking-events/": [{"shipment": arrived.pk, "kind": "note", "note": "Pallets wrapped"}],
        "POST /api/v1/receipts/": [
            {"shipment": arrived.pk, "received_on": _day(0), "lines": [{"item": remaining.pk, "good": "1"}]}
        ],
        "POST /api/v1/scholarship-calls/": [
            {
                "programme": own_programme.pk,
                "title": "Master's in hydrology 2027",
                "host": partner_org.pk,
                "eligible_countries": ["TL"],
                "level": "master",
                "opens_on": _day(-5),
                "closes_on": _day(40),
                "awards_available": 2,
                "stipend": {"amount": "950.00", "currency": "USD", "frequency": "monthly"},
                "duration_months": 12,
                "criteria": [{"name": "Academic record", "weight": "2"}],
            }
        ],
        "POST /api/v1/scholarship-applications/": [
            {
                "call": call.pk,
                "applicant_name": "Rosa Amaral",
                "email": "rosa@mail.example",
                "nationality": "TL",
                "gender": "female",
                "date_of_birth": "1998-05-06",
                "current_institution": "UNTL",
                "degree": "BSc Civil Engineering",
                "field_of_study": "Water engineering",
                "motivation": "Water for Baucau.",
            }
        ],
        "POST /api/v1/scholarship-applications/{id}/attachments/": [{"file": scholarship.PDF_BYTES}],
        "POST /api/v1/scholarship-reviews/": [{"application": fresh.pk, "reviewer": manager.pk}],
        "POST /api/v1/progress-reports/": [
            {"application": scholar.pk, "term_label": "Semester 2", "period_end": _day(-2), "result": "GPA 3.7"}
        ],
        "POST /api/v1/exchange-activities/": [
            {
                "programme": own_programme.pk,
                "title": "Rainwater harvesting workshop",
                "kind": "training",
                "starts_on": _day(10),
                "ends_on": _day(12),
                "country": "ID",
                "city": "Kupang",
                "host": partner_org.pk,
            }
        ],
        # Moves whose body a generator rarely gets right: dates the rules accept.
        "POST /api/v1/loans/{id}/disburse/": [{"disbursed_on": _day(0)}],
        "POST /api/v1/tranches/{id}/pay/": [{"paid_on": _day(0), "payment_reference": "TRF-1"}],
        "POST /api/v1/shipments/{id}/dispatch/": [{"dispatched_on": _day(0)}],
        "POST /api/v1/shipments/{id}/arrive/": [{"arrived_on": _day(0)}],
        "POST /api/v1/shipments/{id}/reschedule/": [{"expected_arrival": _day(30)}],
        "POST /api/v1/scholarship-applications/{id}/confirm-enrolment/": [{"enrolled_on": _day(0)}],
        "POST /api/v1/scholarship-applications/{id}/complete/": [{"completed_on": _day(0)}],
        "POST /api/v1/scholarship-reviews/{id}/score/": [
            {"scores": {str(criterion.pk): "7" for criterion in call.criteria.all()}, "comments": "Strong."}
        ],
        "POST /api/v1/stipend-tranches/{id}/pay/": [{"paid_on": _day(0)}],
        "POST /api/v1/exchange-activities/{id}/report/": [
            {"women": 2, "men": 1, "other_gender": 0, "participants": [{"name": "Ana", "gender": "female"}]}
        ],
    }


# --- Running schemathesis ------------------------------------------------------------------------------------------


def _collection(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/", 1)[0]


def _token(base_url: str, username: str) -> str:
    response = requests.post(
        f"{base_url}/api/v1/auth/token/", json={"username": username, "password": PASSWORD}, timeout=REQUEST_TIMEOUT
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


_SCHEMA_CACHE: dict = {}


def _raw_schema(base_url: str, session: requests.Session) -> dict:
    # The schema depends on the code only; fetching it once per worker saves a few seconds per test.
    if "schema" not in _SCHEMA_CACHE:
        response = session.get(f"{base_url}/api/schema/", params={"format": "json"}, timeout=REQUEST_TIMEOUT)
        assert response.status_code == 200, response.text
        _SCHEMA_CACHE["schema"] = response.json()
    return _SCHEMA_CACHE["schema"]


def _strategies(operation, world: World) -> list[tuple[str, st.SearchStrategy, int]]:
    """(name, strategy, examples) to run for one operation: valid bodies first, then generated requests.

    Each seeded record (and a missing id) is visited in turn; only negative cases also generate the ids.
    """
    names = [parameter.name for parameter in operation.path_parameters]
    pools = [world.ids.get(name if name != "id" else _collection(operation.path), []) + [MISSING_ID] for name in names]
    id_choices = [dict(zip(names, chosen, strict=True)) for chosen in itertools.product(*pools)]
    positive, negative = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE
    runs = []
    for ids in id_choices:
        label = f" at {ids}" if ids else ""
        for body in world.bodies.get(operation.label, []):
            media_type = MULTIPART if operation.label in UPLOADS else JSON
            strategy = operation.as_strategy(positive, path_parameters=ids, body=body, media_type=media_type)
            runs.append((f"valid body{label}", strategy, 1))
        examples = POSITIVE_EXAMPLES_PER_ID if ids else POSITIVE_EXAMPLES
        runs.append((f"positive{label}", operation.as_strategy(positive, path_parameters=ids), examples))
    # The schema's integers and what it forbids, as ids too: a wrong address must answer a documented 404.
    runs.append(("negative", operation.as_strategy(negative), NEGATIVE_EXAMPLES))
    return runs


# Moves after which a record accepts almost nothing else: run last, so the other operations meet live records.
ENDING_MOVES = {
    "cancel",
    "reject",
    "write-off",
    "reverse",
    "withdraw",
    "terminate",
    "mark-ineligible",
    "reject-award",
    "decline-award",
    "mark-lost",
    "return",
    "declare-conflict",
}


def _run_order(operation) -> int:
    """Reads, then creates and changes, then moves, then the moves that end a record, then deletes.

    Login and session endpoints come last of all: signing out would end the session the run uses.
    """
    method, last = operation.method.upper(), operation.path.rstrip("/").rsplit("/", 1)[-1]
    if _collection(operation.path) == "auth":
        return 5
    if method == "GET":
        return 0
    if method == "DELETE":
        return 4
    if last in ENDING_MOVES:
        return 3
    return 1 if method in ("PUT", "PATCH") or last in ("{id}", _collection(operation.path)) else 2


def _first_failure(strategy: st.SearchStrategy, examples: int, send: Callable) -> str | None:
    """Send ``examples`` cases drawn from ``strategy``; the report of the first that breaks the contract."""
    found: list[str] = []

    @hypothesis.seed(SEED)
    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
        print_blob=False,
    )
    def call(case):
        try:
            send(case)
        except FailureGroup as group:
            # Collected, not raised: every operation runs, and no time goes to shrinking.
            if not found:
                found.append(str(group))

    call()
    return found[0] if found else None


def run_contract(base_url: str, token: str, world: World, collections: tuple[str, ...]) -> tuple[list[str], Counter]:
    """Every operation on ``collections`` as the token's user: the failures found, and the answers by status."""
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    schema = schemathesis.openapi.from_dict(_raw_schema(base_url, session))
    failures: list[str] = []
    answers: Counter = Counter()

    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in sorted(
        (operation for operation in operations if _collection(operation.path) in collections), key=_run_order
    ):

        def send(case, operation=operation) -> None:
            response = case.call(base_url=base_url, session=session, timeout=REQUEST_TIMEOUT)
            answers[operation.label, response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

        for name, strategy, examples in _strategies(operation, world):
            failure = _first_failure(strategy, examples, send)
            if failure:
                failures.append(f"{operation.label} ({name}):\n{failure}")
    return failures, answers


def _summary(answers: Counter) -> str:
    """Answers by operation and status (shown with ``pytest -s``): which successes the run reached."""
    by_operation: dict[str, list[str]] = {}
    for (label, status), count in sorted(answers.items()):
        by_operation.setdefault(label, []).append(f"{status}×{count}")
    return "\n".join(f"  {label}: {' '.join(statuses)}" for label, statuses in by_operation.items())


# --- The tests -----------------------------------------------------------------------------------------------------


@pytest.fixture
def contract(live_server, reference_data_db, settings):
    """The live server's address and a seeded world; the database is emptied after the test."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    officer = UserFactory(username="officer", role=Role.OFFICER)
    manager = UserFactory(username="manager", role=Role.MANAGER)
    partner_org = OrganisationFactory(name="Yayasan Air Bersih", acronym="YAB")
    other_org = OrganisationFactory(name="Pacific Relief Network", acronym="PRN")
    partner_user = MembershipFactory(user__username="partner", organisation=partner_org).user
    MembershipFactory(user__username="partner2", organisation=other_org)
    world = seed_world(
        officer=officer, manager=manager, partner_user=partner_user, partner_org=partner_org, other_org=other_org
    )
    # The token throttle counts in the cache: each run starts from zero and leaves nothing behind.
    cache.clear()
    yield live_server.url, world
    cache.clear()


@pytest.mark.parametrize("username", ["officer", "partner"])
@pytest.mark.parametrize("area", list(AREAS))
def test_every_answer_matches_the_schema(contract, area, username):
    base_url, world = contract
    failures, answers = run_contract(base_url, _token(base_url, username), world, AREAS[area])

    print(f"\n{area} as {username}: {answers.total()} requests\n{_summary(answers)}")
    assert answers.total() > 0
    assert not failures, f"{len(failures)} operations broke the contract:\n\n" + "\n\n".join(failures)


def test_a_response_that_breaks_its_schema_is_caught(contract, monkeypatch):
    """The contract run is no rubber stamp: a partner answered with a field the schema does not allow fails it."""
    from partners.api.serializers import OrganisationSerializer

    base_url, world = contract
    original: Callable = OrganisationSerializer.to_representation

    def wrong_type(self, instance):
        data = original(self, instance)
        data["is_active"] = "yes"  # documented as a boolean
        return data

    monkeypatch.setattr(OrganisationSerializer, "to_representation", wrong_type)
    failures, _answers = run_contract(base_url, _token(base_url, "officer"), world, ("partners",))

    assert any("GET /api/v1/partners/{id}/" in failure for failure in failures), failures
    assert any("is_active" in failure for failure in failures), failures
