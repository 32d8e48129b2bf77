"""Every module's IATI parts for one programme, together, make a valid activity: each element in its section,
the sections in the schema's order."""

import datetime
from decimal import Decimal

import pytest

from cooperation import registry
from programs.documents.models import DocumentKind
from tests.factories import ParticipationFactory
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory
from tests.programs.documents.factories import make_document
from tests.programs.finance.factories import FinancialProgrammeFactory, disbursed_loan, grant_with_tranches
from tests.programs.iati_helpers import split, validated
from tests.programs.results.factories import build_framework

pytestmark = pytest.mark.django_db


def test_the_modules_parts_together_make_a_valid_activity(officer, partner_org):
    programme = FinancialProgrammeFactory()
    ParticipationFactory(programme=programme, organisation=partner_org)
    disbursed_loan(programme=programme, principal=Decimal("5000.00"))
    grant_with_tranches(programme=programme, amount=Decimal("900.00"))
    BudgetLineFactory(
        programme=programme, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )
    ExpenditureFactory(programme=programme, payee="Hotel Kupang")
    framework = build_framework(programme, partner_org, officer)
    framework.rate.baseline_on = datetime.date(2025, 12, 1)
    framework.rate.save(update_fields=["baseline_on"])
    make_document(officer, programme=programme, kind=DocumentKind.REPORT, title="Mid-term review")

    found, problems = [], []
    # The modules' parts only: the programme's own (identifier, title, sectors, ...) come from the test's wrapper.
    for contributor in (each for each in registry.contributors(registry.IATI) if each.__module__ != "programs.iati"):
        module_parts, module_problems = split(contributor([programme]))
        found += module_parts
        problems += module_problems
    activity = validated(programme, found)

    assert problems == []
    sections = [child.tag for child in activity][7:]
    assert sorted(set(sections), key=sections.index) == [
        "budget",
        "planned-disbursement",
        "transaction",
        "document-link",
        "result",
        "crs-add",
    ]
