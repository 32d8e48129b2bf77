"""Every list's export, walked as every role over a world with a record in every list: who may export it, that
each of its columns reads every row (as XLSX and CSV), and that no filter value, however hostile, breaks it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from cooperation import registry
from tests.test_access_matrix import EVERYONE, STAFF, world  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db

PARTNERS = {"partner", "partner2"}

# Export source → the roles that may export it (the others get 403; anonymous visitors are sent to sign in).
EXPECTED = {
    "programs.programmes": STAFF,
    "reporting.dashboard": STAFF - {"officer"},
    "partners.organisations": STAFF,
    "reference.exchange_rates": STAFF,
    "finance.loans": STAFF,
    "finance.repayments": STAFF,
    "finance.grants": STAFF,
    "finance.tranches": STAFF,
    "finance_portal.loans": PARTNERS,
    "shipments.shipments": STAFF,
    "shipments.items": STAFF,
    "shipments.discrepancies": STAFF,
    "shipments_portal.shipments": PARTNERS,
    "results.awaiting_review": STAFF,
    "results.overdue": STAFF,
    "results_portal.due": PARTNERS,
    "results_portal.sent": PARTNERS,
    "budgets.lines": STAFF,
    "budgets.expenditures": STAFF,
    "documents.documents": STAFF,
    "documents_portal.documents": PARTNERS,
    "finance_portal.grants": PARTNERS,
    "scholarships.applications": STAFF,
    "scholarships.calls": STAFF,
    "scholarships.tranches": STAFF,
    "scholarships.reports": STAFF,
    "scholarships.reviews": STAFF - {"auditor"},  # a reviewer's own assignments
    "scholarships.awards": STAFF,
    "scholarships.activities": STAFF,
    "scholarships_portal.scholars": PARTNERS,
    "scholarships_portal.activities": PARTNERS,
}

# Filter values a list ignores or shows an error for; its export then holds what the page shows. (A NUL character
# is refused before any view, with 400.)
# Lists the world leaves empty (their columns are read on real rows in the module's own test_exports.py).
EMPTY_IN_THE_WORLD = {
    "shipments.discrepancies",  # the world's receipt counts every item in good condition
    "results.awaiting_review",  # the world's results report is still a draft
    "results_portal.sent",
}

HOSTILE = ["ordering=-nonsense", "status=99", "page=x", "q=' OR 1=1 --", "created_after=2026-13-45", "q=%E2%80%AE"]


def test_every_export_source_has_an_access_rule():
    assert set(registry.export_sources()) == set(EXPECTED)


def _file(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_role_exports_exactly_what_it_may_and_no_filter_value_breaks_an_export(client, world):
    """One walk over one world (building it is the costly part): each source as each role; for the first role
    allowed, each hostile query as CSV; and each source has rows for someone, so every column reads a real row."""
    _objects, users = world
    failures, empty = [], []
    for source, allowed in EXPECTED.items():
        url = reverse("exports:export", args=[source, "xlsx"])
        rows = 0
        for role, user in users.items():
            client.logout()
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            expected = 200 if role in allowed else (302 if user is None else 403)
            if response.status_code != expected:
                failures.append(f"{role} {source}: {response.status_code}, expected {expected}")
            elif expected == 200:
                sheet = openpyxl.load_workbook(io.BytesIO(_file(response))).active
                rows = max(rows, sheet.max_row - 1)
                if not sheet.cell(row=1, column=1).value:
                    failures.append(f"{role} {source}: no header row")
        if not rows and source not in EMPTY_IN_THE_WORLD:
            empty.append(source)
        client.force_login(users[sorted(allowed)[0]])
        for query in HOSTILE:
            response = client.get(reverse("exports:export", args=[source, "csv"]) + "?" + query)
            if response.status_code != 200 or not _file(response):  # a streamed file fails while it is read
                failures.append(f"{source}.csv?{query}: {response.status_code}")
    assert failures == [], "\n".join(failures)
    assert empty == [], f"The world has no row in these lists for anyone: {empty}"
