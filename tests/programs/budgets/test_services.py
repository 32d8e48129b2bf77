"""Budget lines and expenditures through their services: validations come back as field errors with nothing
saved, a revision needs its reason and the history keeps it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cooperation.money_flows import Category
from cooperation.refusals import refusal_codes
from programs.budgets import services
from programs.budgets.models import BudgetLine, BudgetStatus, BudgetType, Expenditure
from tests.factories import ProgrammeFactory, currency
from tests.programs.budgets.factories import BudgetLineFactory

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _line(programme, user, **changes):
    values = {
        "category": Category.STAFF,
        "period_start": datetime.date(2026, 1, 1),
        "period_end": datetime.date(2026, 12, 31),
        "amount": Decimal("5000"),
        "currency": currency("USD"),
    } | changes
    return services.line_create(programme=programme, created_by=user, **values)


def _expenditure(programme, user, **changes):
    values = {
        "spent_on": datetime.date(2026, 3, 1),
        "amount": Decimal("120"),
        "currency": currency("USD"),
        "category": Category.TRAVEL,
        "payee": "Garuda Indonesia",
    } | changes
    return services.expenditure_create(programme=programme, recorded_by=user, **values)


def _refused(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_an_officer_adds_a_line_kept_with_its_defaults(own_programme, officer):
    line = _line(own_programme, officer)

    line.refresh_from_db()
    assert (line.budget_type, line.status, line.created_by) == (BudgetType.ORIGINAL, BudgetStatus.INDICATIVE, officer)
    assert line.history.get().history_user == officer


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("-1")}, "amount"),
        ({"amount": Decimal("10.555")}, "amount"),
        ({"period_end": datetime.date(2025, 12, 31)}, "period_end"),
        ({"category": "bribes"}, "category"),
    ],
)
def test_a_bad_line_is_refused_on_its_field_and_nothing_is_saved(own_programme, officer, changes, field):
    errors = _refused(lambda: _line(own_programme, officer, **changes))

    assert field in errors
    assert not BudgetLine.objects.exists()


def test_a_line_of_zero_is_allowed(own_programme, officer):
    assert _line(own_programme, officer, amount=Decimal(0)).amount == 0


def test_revising_the_amount_needs_a_reason_kept_in_the_history(own_programme, officer, manager):
    line = _line(own_programme, officer)

    with pytest.raises(ValidationError) as caught:
        services.line_update(line=line, updated_by=manager, amount=Decimal("6000"))
    assert refusal_codes(caught.value) == {"reason_required"}
    line.refresh_from_db()
    assert line.amount == Decimal("5000")

    services.line_update(
        line=line, updated_by=manager, amount=Decimal("6000"), budget_type=BudgetType.REVISED, reason="Two more staff"
    )
    latest = line.history.order_by("-history_date").first()
    assert (latest.amount, latest.budget_type, latest.history_user) == (Decimal("6000"), BudgetType.REVISED, manager)
    assert latest.history_change_reason == "Two more staff"


def test_a_description_is_corrected_without_a_reason(own_programme, officer):
    line = _line(own_programme, officer)

    services.line_update(line=line, updated_by=officer, description="Field staff")

    line.refresh_from_db()
    assert line.description == "Field staff"


def test_an_auditor_may_not_add_a_line(own_programme, auditor):
    with pytest.raises(PermissionDenied):
        _line(own_programme, auditor)


def test_an_expenditure_against_another_programmes_line_is_refused(own_programme, officer):
    other = BudgetLineFactory(programme=ProgrammeFactory(), category=Category.TRAVEL)

    errors = _refused(lambda: _expenditure(own_programme, officer, budget_line=other))

    assert errors["budget_line"] == ["This budget line belongs to another programme."]
    assert not Expenditure.objects.exists()


def test_an_expenditure_must_have_its_lines_category(own_programme, officer):
    line = BudgetLineFactory(programme=own_programme, category=Category.STAFF)

    assert "category" in _refused(lambda: _expenditure(own_programme, officer, budget_line=line))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal(0)}, "amount"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"spent_on": datetime.date(2199, 1, 1)}, "spent_on"),
        ({"payee": ""}, "payee"),
    ],
)
def test_a_bad_expenditure_is_refused_on_its_field(own_programme, officer, changes, field):
    assert field in _refused(lambda: _expenditure(own_programme, officer, **changes))
    assert not Expenditure.objects.exists()


def test_a_receipt_is_kept_privately_with_its_name(own_programme, officer):
    receipt = SimpleUploadedFile("invoice.png", PNG, "image/png")

    expenditure = _expenditure(own_programme, officer, receipt=receipt)

    expenditure.refresh_from_db()
    assert expenditure.has_receipt
    assert (expenditure.receipt_name, expenditure.receipt_type) == ("invoice.png", "image/png")
    assert "invoice" not in expenditure.receipt.name


def test_a_file_that_is_not_a_receipt_is_refused(own_programme, officer):
    receipt = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    errors = _refused(lambda: _expenditure(own_programme, officer, receipt=receipt))

    assert errors["receipt"] == ["invoice.pdf is not a photo (JPEG or PNG) or a PDF document."]
    assert not Expenditure.objects.exists()


def test_a_receipt_added_later_is_in_the_history(own_programme, officer):
    expenditure = _expenditure(own_programme, officer)

    services.expenditure_update(
        expenditure=expenditure, updated_by=officer, receipt=SimpleUploadedFile("late.png", PNG, "image/png")
    )

    expenditure.refresh_from_db()
    assert expenditure.receipt_name == "late.png"
    assert expenditure.history.count() == 2
