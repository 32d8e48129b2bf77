import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from cooperation.history import HISTORY_LIMIT
from cooperation.reference.codes import OrganisationRole
from programs.selectors import programme_history, responsible_officer_choices
from programs.services import ParticipantInput, programme_create, programme_update
from tests.factories import OrganisationFactory, UserFactory, country, currency

pytestmark = pytest.mark.django_db


def _create(officer, **overrides):
    data = {
        "code": "KSM-2026-900",
        "title": "School meals",
        "forms": ["in_kind"],
        "budget_amount": Decimal("1000"),
        "budget_currency": currency("USD"),
        "recipient_countries": [country("ID")],
    }
    data.update(overrides)
    return programme_create(created_by=officer, **data)


def test_history_lists_field_changes_with_labels_and_readable_values(officer, manager):
    programme = _create(officer)
    programme_update(
        programme=programme,
        updated_by=manager,
        title="School meals in Sumba",
        planned_start=datetime.date(2026, 7, 1),
        budget_currency=currency("EUR"),
        status=2,
    )

    latest = programme_history(user=officer, programme=programme)[0]

    assert latest.who == manager
    assert latest.action == "changed"
    changes = {change.label: (change.old, change.new) for change in latest.changes}
    assert changes["Title"] == ("School meals", "School meals in Sumba")
    assert changes["Planned start"] == ("—", "July 1, 2026")
    assert changes["Budget currency"] == ("USD — US Dollar", "EUR — Euro")
    assert changes["Status"] == ("Pipeline/identification", "Implementation")


def test_history_shows_recipient_country_changes(officer):
    programme = _create(officer)
    programme_update(programme=programme, updated_by=officer, recipient_countries=[country("ID"), country("TL")])
    latest = programme_history(user=officer, programme=programme)[0]
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("Recipient countries", "Indonesia", "Indonesia, Timor-Leste")
    ]


def test_history_includes_partners_added_changed_and_removed(officer):
    funder, implementer = OrganisationFactory(name="Funder Fund"), OrganisationFactory(name="Doers Ltd")
    programme = _create(officer, participants=[ParticipantInput(funder, OrganisationRole.FUNDING)])
    programme_update(
        programme=programme,
        updated_by=officer,
        participants=[ParticipantInput(funder, OrganisationRole.FUNDING, Decimal("300"))],
    )
    programme_update(
        programme=programme,
        updated_by=officer,
        participants=[ParticipantInput(implementer, OrganisationRole.EXTENDING)],
    )

    entries = programme_history(user=officer, programme=programme)

    partner_entries = [(e.action, e.subject) for e in entries if e.subject]
    assert ("created", "Partner: Doers Ltd — Extending") in partner_entries
    assert ("deleted", "Partner: Funder Fund — Funding") in partner_entries
    amount_change = next(e for e in entries if e.subject.startswith("Partner: Funder") and e.action == "changed")
    assert [(c.label, c.old, c.new) for c in amount_change.changes] == [("Committed amount", "—", "300")]
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)


def test_history_is_refused_without_the_history_permission(partner_user, officer):
    programme = _create(officer)
    with pytest.raises(PermissionDenied):
        programme_history(user=partner_user, programme=programme)


def test_history_is_limited_to_the_latest_entries(officer):
    programme = _create(officer)
    for number in range(HISTORY_LIMIT + 5):
        programme_update(programme=programme, updated_by=officer, title=f"Title {number}")
    entries = programme_history(user=officer, programme=programme)
    assert len(entries) == HISTORY_LIMIT
    assert entries[0].changes[0].new == f"Title {HISTORY_LIMIT + 4}"


def test_history_query_count_does_not_grow_with_the_number_of_changes(officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partners = OrganisationFactory.create_batch(3)

    def edits(programme, count):
        for number in range(count):
            programme_update(
                programme=programme,
                updated_by=officer,
                title=f"Title {number}",
                participants=[ParticipantInput(p, OrganisationRole.FUNDING, Decimal(number)) for p in partners],
            )

    def queries(programme):
        with CaptureQueriesContext(connection) as context:
            programme_history(user=officer, programme=programme)
        return len(context.captured_queries)

    few, many = _create(officer, code="FEW-1"), _create(officer, code="MANY-1")
    edits(few, 2)
    edits(many, 15)
    assert queries(few) == queries(many)


def test_responsible_officers_are_active_users_of_the_workspace(officer, manager, auditor, partner_user, admin_user):
    retired = UserFactory(role="Programme officer", is_active=False)
    choices = set(responsible_officer_choices())
    assert {officer, manager, auditor, admin_user} <= choices
    assert partner_user not in choices and retired not in choices
