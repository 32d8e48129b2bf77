"""The kernel's workflow pieces every module builds on: refusals with codes, move tables, saving with history."""

from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from cooperation.reference.codes import ActivityStatus as ProgrammeStatus
from cooperation.refusals import Refusal, Refused, raise_refusal, refusal_codes, refuse
from cooperation.roles import Perm
from cooperation.workflow import (
    Move,
    as_decimal,
    clean_with,
    create_unique,
    current_value,
    lock_for,
    maker_checker_refusal,
    move_refusal,
    only_fields,
    permission_refusal,
    require_reason,
    save_by,
    update_by,
)
from programs.models import Programme
from tests.factories import ProgrammeFactory

MOVES = {
    "activate": Move({ProgrammeStatus.PIPELINE}, "Only a programme in the pipeline can start; this one is %s."),
}


def test_a_refusal_is_a_validation_error_with_its_code_and_field():
    error = refuse("over_budget", "The amount is over the budget.", "amount")

    assert error.message_dict == {"amount": ["The amount is over the budget."]}
    assert refusal_codes(error) == {"over_budget"}


def test_a_refusal_without_a_field_is_about_the_whole_record():
    refusal = Refusal(Refused.OWN_RECORD, "Another manager must approve it.")

    with pytest.raises(ValidationError) as raised:
        raise_refusal(refusal)

    assert raised.value.message_dict == {NON_FIELD_ERRORS: ["Another manager must approve it."]}
    assert refusal_codes(raised.value) == {"own_record"}
    raise_refusal(None)  # nothing against the move: nothing raised


def test_a_plain_error_without_a_code_counts_as_invalid():
    assert refusal_codes(ValidationError("no")) == {"invalid"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(" 12.50 ", Decimal("12.50")), (7, Decimal(7)), ("1e3", Decimal("1e3")), (Decimal("3"), Decimal("3"))],
)
def test_numbers_are_read_as_decimals(typed, expected):
    assert as_decimal(typed) == expected


@pytest.mark.parametrize("typed", ["", None, "abc", "NaN", "Infinity", "-inf", Decimal("NaN")])
def test_what_is_not_a_finite_number_reads_as_none(typed):
    assert as_decimal(typed) is None


def test_a_reason_is_required_and_stripped():
    assert require_reason("  flood  ") == "flood"
    with pytest.raises(ValidationError) as raised:
        require_reason("   ", field="note")
    assert raised.value.message_dict == {"note": ["Give a reason."]}
    assert refusal_codes(raised.value) == {"reason_required"}


@pytest.mark.django_db
def test_a_move_the_status_does_not_allow_is_refused_and_not_offered():
    programme = ProgrammeFactory(status=ProgrammeStatus.IMPLEMENTATION)

    refusal = move_refusal(programme, MOVES, "activate")

    assert refusal.code == Refused.WRONG_STATUS
    assert (
        refusal.message == f"Only a programme in the pipeline can start; this one is {programme.get_status_display()}."
    )
    assert refusal.offered is False
    assert move_refusal(ProgrammeFactory(status=ProgrammeStatus.PIPELINE), MOVES, "activate") is None


@pytest.mark.django_db
def test_lock_for_reads_the_stored_status_not_the_one_in_memory():
    programme = ProgrammeFactory(status=ProgrammeStatus.PIPELINE)
    Programme.objects.filter(pk=programme.pk).update(status=ProgrammeStatus.CLOSED)  # someone else moved it

    with pytest.raises(ValidationError) as raised:
        lock_for(programme, MOVES, "activate")

    assert refusal_codes(raised.value) == {"wrong_status"}
    assert programme.status == ProgrammeStatus.CLOSED


@pytest.mark.django_db
def test_save_by_records_who_changed_the_record(officer):
    programme = ProgrammeFactory(status=ProgrammeStatus.PIPELINE)
    programme.status = ProgrammeStatus.IMPLEMENTATION

    save_by(programme, officer, ["status"])

    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.IMPLEMENTATION
    assert programme.history.latest().history_user == officer


@pytest.mark.django_db
def test_permission_and_maker_checker_refusals(officer, manager):
    assert permission_refusal(manager, Perm.VIEW_DASHBOARD) is None
    hidden = permission_refusal(officer, Perm.VIEW_DASHBOARD)
    assert (hidden.code, hidden.offered) == ("permission_denied", False)
    explained = permission_refusal(officer, Perm.VIEW_DASHBOARD, "Only a manager can do this.")
    assert (explained.message, explained.offered) == ("Only a manager can do this.", True)

    own = maker_checker_refusal(manager.pk, manager, "You created it.")
    assert (own.code, own.message, own.offered) == ("own_record", "You created it.", True)
    assert maker_checker_refusal(officer.pk, manager, "You created it.") is None
    assert maker_checker_refusal(None, manager, "You created it.") is None


@pytest.mark.django_db
def test_update_by_validates_and_saves_only_what_changed(officer):
    programme = ProgrammeFactory(title="Old title")
    checked = []

    update_by(programme, officer, ("title", "description"), {"title": "Old title"}, validate=checked.append)
    assert checked == []  # nothing changed: neither validated nor saved

    update_by(programme, officer, ("title", "description"), {"title": "New title"}, validate=checked.append)
    programme.refresh_from_db()
    assert (checked, programme.title) == ([programme], "New title")
    assert programme.history.latest().history_user == officer


@pytest.mark.django_db
def test_update_by_runs_the_models_own_validation_by_default(officer):
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError) as refused:
        update_by(programme, officer, ("title",), {"title": ""})
    assert "title" in refused.value.error_dict


def test_only_the_fields_a_service_changes_may_be_passed():
    only_fields("thing_update", {"title": "x"}, ("title",))
    with pytest.raises(TypeError, match=r"thing_update\(\) got unexpected fields: colour, size"):
        only_fields("thing_update", {"size": 1, "colour": 2, "title": "x"}, ("title",))


def test_a_relation_not_set_yet_reads_as_none():
    assert current_value(Programme(), "budget_currency") is None
    assert current_value(Programme(title="T"), "title") == "T"


@pytest.mark.django_db
def test_clean_with_raises_the_services_errors_with_the_models_own():
    programme = ProgrammeFactory.build(title="", code="X-1")
    with pytest.raises(ValidationError) as refused:
        clean_with(programme, {"code": "Taken."}, exclude=["responsible_officer", "budget_currency"])
    assert refused.value.message_dict["code"] == ["Taken."]
    assert "title" in refused.value.message_dict


@pytest.mark.django_db
def test_create_unique_refuses_what_a_unique_constraint_stops(officer):
    taken = Refusal("duplicate", "This code is taken.", "code")
    first = ProgrammeFactory.build(code="DUP-1", budget_currency=ProgrammeFactory().budget_currency)
    assert create_unique(first, officer, taken).history.latest().history_user == officer
    second = ProgrammeFactory.build(code="DUP-1", budget_currency=first.budget_currency)
    with pytest.raises(ValidationError) as refused:
        create_unique(second, officer, taken)
    assert refusal_codes(refused.value) == {"duplicate"}
    assert refused.value.message_dict == {"code": ["This code is taken."]}
