"""Interest for the real first period: each loan's day-count convention against amounts worked out by hand.

Every expected amount is written out from its formula (principal × rate × days ÷ year), never from the code.
30/360 here is 30E/360 (the European "Eurobond basis"): a 31st counts as the 30th at either end, February's last
day counts as it is.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from programs.finance import schedule, services
from programs.finance.models import DayCountConvention, Loan
from programs.finance.schedule import Amortization, DayCount, Terms, build, days_30e_360, grant_element
from programs.finance.selectors.figures import computed_grant_element
from programs.finance.services import loan_schedule_rows
from tests.factories import currency
from tests.programs.finance.factories import LoanFactory, approved_loan

D = Decimal
date = datetime.date


def terms(**overrides) -> Terms:
    """1,000,000.00 at 6% a year, repaid quarterly in four installments, principal at the end (so the balance, and
    the interest of a regular quarter, stay the same: 1,000,000 × 0.06 ÷ 4 = 15,000.00)."""
    values = {
        "principal": D("1000000.00"),
        "minor_unit": 2,
        "annual_rate_percent": D("6"),
        "periods_per_year": 4,
        "installments": 4,
        "amortization": Amortization.BULLET,
        "grace_periods": 0,
        "first_due": date(2026, 4, 30),
        "interest_from": date(2026, 1, 15),
    }
    values.update(overrides)
    return Terms(**values)


def interest(rows) -> list[Decimal]:
    return [row.interest for row in rows]


# --- actual/365 (fixed) -------------------------------------------------------------------------------------------


def test_actual_365_charges_a_long_first_period_for_its_days_and_later_periods_for_theirs():
    # 15 Jan → 30 Apr 2026: 16 + 28 + 31 + 30 = 105 days → 1,000,000 × 0.06 × 105 / 365 = 17,260.2739 → 17,260.27
    # 30 Apr → 30 Jul 2026: 91 days → 1,000,000 × 0.06 × 91 / 365 = 14,958.9041 → 14,958.90
    # 30 Jul → 30 Oct 2026: 92 days → 15,123.2877 → 15,123.29
    # 30 Oct 2026 → 30 Jan 2027: 92 days → 15,123.29
    rows = build(terms(day_count=DayCount.ACTUAL_365))
    assert [row.due_date for row in rows] == [
        date(2026, 4, 30),
        date(2026, 7, 30),
        date(2026, 10, 30),
        date(2027, 1, 30),
    ]
    assert interest(rows) == [D("17260.27"), D("14958.90"), D("15123.29"), D("15123.29")]


def test_actual_365_charges_a_short_first_period_for_its_days():
    # 15 Jan → 31 Mar 2026: 16 + 28 + 31 = 75 days → 1,000,000 × 0.06 × 75 / 365 = 12,328.7671 → 12,328.77
    # then 31 Mar → 30 Jun: 91 days → 14,958.90; 30 Jun → 30 Sep: 92 days → 15,123.29; 30 Sep → 31 Dec: 92 days.
    rows = build(terms(day_count=DayCount.ACTUAL_365, first_due=date(2026, 3, 31)))
    assert [row.due_date for row in rows] == [
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
    ]
    assert interest(rows) == [D("12328.77"), D("14958.90"), D("15123.29"), D("15123.29")]


def test_actual_365_counts_a_leap_year_as_366_days_over_365():
    # 1 Jan 2028 → 1 Jan 2029, annual: 366 days → 1,000,000 × 0.06 × 366 / 365 = 60,164.3836 → 60,164.38
    rows = build(
        terms(
            day_count=DayCount.ACTUAL_365,
            periods_per_year=1,
            installments=1,
            interest_from=date(2028, 1, 1),
            first_due=date(2029, 1, 1),
        )
    )
    assert interest(rows) == [D("60164.38")]


# --- actual/actual (ISDA) -----------------------------------------------------------------------------------------


def test_actual_actual_isda_counts_a_whole_leap_year_as_one_year():
    # 1 Jan 2028 → 1 Jan 2029: 366 days of a leap year / 366 = exactly one year → 60,000.00
    rows = build(
        terms(
            day_count=DayCount.ACTUAL_ACTUAL,
            periods_per_year=1,
            installments=1,
            interest_from=date(2028, 1, 1),
            first_due=date(2029, 1, 1),
        )
    )
    assert interest(rows) == [D("60000.00")]


def test_actual_actual_isda_splits_a_period_across_the_end_of_a_leap_year():
    # 15 Nov 2028 → 15 Feb 2029 (a regular quarter by the calendar, 92 actual days):
    #   in 2028 (leap): 15 Nov → 1 Jan = 16 + 31 = 47 days / 366; in 2029: 1 Jan → 15 Feb = 31 + 14 = 45 days / 365
    #   60,000 × 47 / 366 = 7,704.9180… plus 60,000 × 45 / 365 = 7,397.2603… = 15,102.1783 → 15,102.18
    # (actual/365 would charge 60,000 × 92 / 365 = 15,123.29.)
    quarter = {"interest_from": date(2028, 11, 15), "first_due": date(2029, 2, 15), "installments": 1}
    assert interest(build(terms(day_count=DayCount.ACTUAL_ACTUAL, **quarter))) == [D("15102.18")]
    assert interest(build(terms(day_count=DayCount.ACTUAL_365, **quarter))) == [D("15123.29")]


def test_actual_actual_isda_long_first_period_into_a_leap_year():
    # 10 Dec 2027 → 31 Mar 2028 (a regular first quarter would end on 10 Mar):
    #   in 2027: 10 Dec → 1 Jan = 22 days / 365 → 60,000 × 22 / 365 = 3,616.4384…
    #   in 2028 (leap): 1 Jan → 31 Mar = 31 + 29 + 30 = 90 days / 366 → 60,000 × 90 / 366 = 14,754.0984…
    #   together 18,370.5367 → 18,370.54
    # then 31 Mar → 30 Jun 2028: 91 days, all in 2028: 60,000 × 91 / 366 = 14,918.0328 → 14,918.03
    rows = build(
        terms(
            day_count=DayCount.ACTUAL_ACTUAL,
            installments=2,
            interest_from=date(2027, 12, 10),
            first_due=date(2028, 3, 31),
        )
    )
    assert interest(rows) == [D("18370.54"), D("14918.03")]


# --- 30E/360 ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 1, 15), date(2026, 4, 30), 105),  # 3 × 30 + 30 − 15
        (date(2026, 1, 15), date(2026, 3, 31), 75),  # the 31st counts as the 30th: 2 × 30 + 30 − 15
        (date(2026, 1, 31), date(2026, 3, 31), 60),  # both 31sts count as the 30th
        (date(2026, 2, 28), date(2026, 3, 31), 32),  # February's last day counts as the 28th (not 30: that is US)
        (date(2026, 1, 31), date(2026, 2, 28), 28),  # 30 + 28 − 30
        (date(2025, 12, 31), date(2026, 1, 31), 30),  # across a year: 360 − 330 + 30 − 30
        (date(2028, 2, 29), date(2028, 3, 29), 30),
    ],
)
def test_30e_360_day_count(start, end, days):
    assert days_30e_360(start, end) == days


def test_30e_360_charges_broken_first_periods_and_whole_periods_after():
    # Long: 15 Jan → 30 Apr = 105 days → 1,000,000 × 0.06 × 105 / 360 = 17,500.00; then 15,000.00 a quarter.
    assert interest(build(terms(day_count=DayCount.THIRTY_E_360))) == [D("17500.00")] + [D("15000.00")] * 3
    # Short: 15 Jan → 31 Mar = 75 days → 1,000,000 × 0.06 × 75 / 360 = 12,500.00.
    short = build(terms(day_count=DayCount.THIRTY_E_360, first_due=date(2026, 3, 31)))
    assert interest(short) == [D("12500.00")] + [D("15000.00")] * 3


@pytest.mark.parametrize(
    ("interest_from", "first_due", "first_interest"),
    [
        # Two months from one month-end to another: 60 days → 1,000,000 × 0.06 × 60 / 360 = 10,000.00.
        (date(2026, 1, 31), date(2026, 3, 31), D("10000.00")),
        # End of February to end of March: 32 days under 30E/360 → 60,000 × 32 / 360 = 5,333.333 → 5,333.33.
        (date(2026, 2, 28), date(2026, 3, 31), D("5333.33")),
        # 31 Jan + one month is 28 Feb as due dates are counted: a regular month, 5,000.00 (not 28 days).
        (date(2026, 1, 31), date(2026, 2, 28), D("5000.00")),
        # 10 → 28 Feb: 18 days → 60,000 × 18 / 360 = 3,000.00.
        (date(2026, 2, 10), date(2026, 2, 28), D("3000.00")),
    ],
)
def test_30e_360_end_of_month_first_periods(interest_from, first_due, first_interest):
    rows = build(
        terms(day_count=DayCount.THIRTY_E_360, periods_per_year=12, interest_from=interest_from, first_due=first_due)
    )
    assert rows[0].interest == first_interest
    assert {row.interest for row in rows[1:]} == {D("5000.00")}  # 1,000,000 × 0.06 ÷ 12


def test_a_regular_first_period_under_30e_360_is_todays_schedule():
    regular = {"interest_from": date(2026, 1, 15), "first_due": date(2026, 4, 15), "amortization": Amortization.ANNUITY}
    old = build(terms(**regular, day_count=DayCount.FULL_PERIODS))
    assert build(terms(**regular, day_count=DayCount.THIRTY_E_360)) == old


# --- annuities and the sums -------------------------------------------------------------------------------------


def test_annuity_keeps_its_level_payment_and_the_first_installment_carries_the_broken_interest():
    # 1,000.00 at 12% monthly in 3: level payment 10 / (1 − 1.01⁻³) = 340.0221 → 340.02.
    # 30E/360 from 1 Jan to 16 Feb 2026 = 45 days: interest 1,000 × 0.12 × 45 / 360 = 15.00, principal 325.02,
    # balance 674.98; then 6.7498 → 6.75, principal 333.27, balance 341.71; then 3.4171 → 3.42 and the rest.
    rows = build(
        Terms(
            D("1000.00"),
            2,
            D("12"),
            12,
            3,
            Amortization.ANNUITY,
            0,
            date(2026, 2, 16),
            day_count=DayCount.THIRTY_E_360,
            interest_from=date(2026, 1, 1),
        )
    )
    assert [(row.principal, row.interest, row.balance_after) for row in rows] == [
        (D("325.02"), D("15.00"), D("674.98")),
        (D("333.27"), D("6.75"), D("341.71")),
        (D("341.71"), D("3.42"), D("0.00")),
    ]


@pytest.mark.parametrize("day_count", list(DayCount))
@pytest.mark.parametrize("amortization", list(Amortization))
@pytest.mark.parametrize("first_due", [date(2026, 2, 3), date(2026, 5, 28)])
def test_principal_sums_exactly_and_the_balance_ends_at_zero(day_count, amortization, first_due):
    rows = build(
        Terms(
            D("1234567.89"),
            2,
            D("7.3"),
            12,
            24,
            amortization,
            2,
            first_due,
            day_count=day_count,
            interest_from=date(2026, 1, 19),
        )
    )
    assert sum(row.principal for row in rows) == D("1234567.89")
    assert rows[-1].balance_after == 0
    assert all(row.interest == row.interest.quantize(D("0.01")) for row in rows)


def test_terms_without_a_day_count_build_todays_schedule():
    """Callers that build schedules without the new fields (restructured schedules) keep full periods."""
    legacy = Terms(D("1000000.00"), 2, D("6"), 4, 4, Amortization.BULLET, 0, date(2026, 4, 30))
    assert interest(build(legacy)) == [D("15000.00")] * 4


def test_interest_cannot_run_from_after_the_first_due_date():
    with pytest.raises(ValueError, match="first due date"):
        build(terms(day_count=DayCount.ACTUAL_365, interest_from=date(2026, 5, 1)))


# --- loans: the convention they were recorded with ---------------------------------------------------------------

on_the_database = pytest.mark.django_db

BROKEN = {
    "principal": D("1000000.00"),
    "annual_rate": D("6"),
    "frequency": 4,
    "installments": 4,
    "amortization": "bullet",
    "disbursement_date": date(2026, 1, 15),
    "first_repayment_date": date(2026, 4, 30),
}


@on_the_database
@pytest.mark.parametrize(
    ("day_count", "first_interest"),
    [
        (DayCountConvention.THIRTY_E_360, D("17500.00")),
        (DayCountConvention.ACTUAL_365, D("17260.27")),
        (DayCountConvention.ACTUAL_ACTUAL, D("17260.27")),  # 2026 is not a leap year: the same as actual/365
        (DayCountConvention.FULL_PERIODS, D("15000.00")),
    ],
)
def test_an_approved_loan_fixes_the_first_periods_interest_from_the_disbursement_date(day_count, first_interest):
    loan = LoanFactory(**BROKEN, day_count=day_count)
    loan = approved_loan(loan)
    first = loan.schedule.get(number=1)
    assert first.interest_due == first_interest
    assert first.principal_due == 0


@on_the_database
def test_a_loan_counting_full_periods_keeps_todays_schedule_and_grant_element():
    loan = LoanFactory(**BROKEN, day_count=DayCountConvention.FULL_PERIODS)
    before = build(Terms(D("1000000.00"), 2, D("6"), 4, 4, Amortization.BULLET, 0, date(2026, 4, 30)))
    assert loan_schedule_rows(loan) == before
    assert loan.grant_element == grant_element(before, D("1000000.00"), date(2026, 1, 15), D("5"))
    assert computed_grant_element(Loan.objects.get(pk=loan.pk)) == loan.grant_element


@on_the_database
def test_the_grant_element_follows_the_day_count():
    counted = LoanFactory(**BROKEN, day_count=DayCountConvention.ACTUAL_365)
    full = LoanFactory(**BROKEN, day_count=DayCountConvention.FULL_PERIODS)
    rows = build(terms(day_count=DayCount.ACTUAL_365))
    assert counted.grant_element == grant_element(rows, D("1000000.00"), date(2026, 1, 15), D("5"))
    assert counted.grant_element < full.grant_element  # 105 days of interest cost the borrower more than 90


# --- the services: who may count full periods ----------------------------------------------------------------------


def draft_values(programme, borrower, **overrides) -> dict:
    values = {
        "programme": programme,
        "borrower": borrower,
        **BROKEN,
        "currency": currency("USD"),
        "purpose": "Solar pumps.",
    }
    values.update(overrides)
    return values


@on_the_database
def test_a_new_loan_counts_30e_360_unless_told_otherwise(officer):
    existing = LoanFactory()
    loan = services.loan_create(created_by=officer, **draft_values(existing.programme, existing.borrower))
    assert loan.day_count == DayCountConvention.THIRTY_E_360
    assert loan_schedule_rows(loan)[0].interest == D("17500.00")


@on_the_database
def test_a_new_loan_cannot_count_full_periods_and_nothing_is_saved(officer):
    existing = LoanFactory()
    values = draft_values(existing.programme, existing.borrower, day_count=DayCountConvention.FULL_PERIODS)
    with pytest.raises(ValidationError) as refused:
        services.loan_create(created_by=officer, **values)
    assert "loans recorded before day counts" in " ".join(refused.value.message_dict["day_count"])
    assert Loan.objects.count() == 1


@on_the_database
def test_a_loan_counting_full_periods_keeps_them_until_it_changes_to_a_day_count(officer):
    loan = LoanFactory(created_by=officer, day_count=DayCountConvention.FULL_PERIODS)
    services.loan_update(loan=loan, updated_by=officer, principal=D("15000.00"))  # keeps full periods
    services.loan_update(loan=loan, updated_by=officer, day_count=DayCountConvention.FULL_PERIODS)
    services.loan_update(loan=loan, updated_by=officer, day_count=DayCountConvention.ACTUAL_365)
    with pytest.raises(ValidationError) as refused:
        services.loan_update(loan=loan, updated_by=officer, day_count=DayCountConvention.FULL_PERIODS)
    assert "day_count" in refused.value.message_dict
    assert Loan.objects.get(pk=loan.pk).day_count == DayCountConvention.ACTUAL_365


@on_the_database
def test_an_unknown_day_count_is_refused_on_the_field(officer):
    existing = LoanFactory()
    with pytest.raises(ValidationError) as refused:
        services.loan_create(
            created_by=officer, **draft_values(existing.programme, existing.borrower, day_count="30_360_us")
        )
    assert "30E/360" in " ".join(refused.value.message_dict["day_count"])


# --- the pages ---------------------------------------------------------------------------------------------------


def loan_post(loan: Loan, **overrides) -> dict:
    data = {
        "programme": loan.programme_id,
        "borrower": loan.borrower_id,
        "lender": "",
        "purpose": "Solar pumps.",
        "principal": "1000000",
        "currency": "USD",
        "annual_rate": "6",
        "frequency": "4",
        "installments": "4",
        "amortization": "bullet",
        "grace_periods": "0",
        "disbursement_date": "2026-01-15",
        "first_repayment_date": "2026-04-30",
        "discount_rate": "5",
    }
    data.update(overrides)
    return data


@on_the_database
def test_the_loan_form_offers_full_periods_only_to_a_loan_that_counts_them(client, officer):
    existing = LoanFactory(created_by=officer)
    client.force_login(officer)
    new_form = client.get(reverse("finance:loan_create")).context["form"]
    assert [value for value, _ in new_form.fields["day_count"].choices] == [
        "30e_360",
        "actual_365",
        "actual_actual_isda",
    ]

    response = client.post(reverse("finance:loan_create"), loan_post(existing, day_count="full_periods"))
    assert response.status_code == 200
    assert "day_count" in response.context["form"].errors
    assert Loan.objects.count() == 1

    legacy = LoanFactory(created_by=officer, day_count=DayCountConvention.FULL_PERIODS)
    edit_form = client.get(reverse("finance:loan_edit", args=[legacy.pk])).context["form"]
    assert "full_periods" in [value for value, _ in edit_form.fields["day_count"].choices]
    saved = client.post(reverse("finance:loan_edit", args=[legacy.pk]), loan_post(legacy, day_count="full_periods"))
    assert saved.status_code == 302


@on_the_database
def test_the_loan_form_saves_the_chosen_day_count_and_refuses_an_unknown_one(client, officer):
    existing = LoanFactory(created_by=officer)
    client.force_login(officer)
    refused = client.post(reverse("finance:loan_create"), loan_post(existing, day_count="actual_360"))
    assert "day_count" in refused.context["form"].errors
    assert Loan.objects.count() == 1

    created = client.post(reverse("finance:loan_create"), loan_post(existing, day_count="actual_365"))
    assert created.status_code == 302
    loan = Loan.objects.exclude(pk=existing.pk).get()
    assert loan.day_count == DayCountConvention.ACTUAL_365

    detail = client.get(reverse("finance:loan_detail", args=[loan.pk])).content.decode()
    assert 'data-day-count="actual_365"' in detail
    assert "Actual/365 (fixed)" in detail
    assert "17,260.27" in detail  # the first installment's interest: 105 days of 365


@on_the_database
def test_the_schedule_preview_counts_the_chosen_convention(client, officer):
    existing = LoanFactory(created_by=officer)
    client.force_login(officer)
    url = reverse("finance:loan_preview")
    thirty = client.post(url, loan_post(existing, day_count="30e_360")).content.decode()
    assert "17,500.00" in thirty
    assert "runs 105 days, from the disbursement on Jan. 15, 2026 to April 30, 2026" in thirty
    actual = client.post(url, loan_post(existing, day_count="actual_actual_isda")).content.decode()
    assert "17,260.27" in actual and "17,500.00" not in actual


# --- the API ------------------------------------------------------------------------------------------------------


@on_the_database
def test_the_api_takes_and_gives_the_day_count(officer):
    existing = LoanFactory(created_by=officer)
    api = APIClient()
    api.force_authenticate(officer)
    payload = {
        "programme": existing.programme_id,
        "borrower": existing.borrower_id,
        "principal": "1000000.00",
        "currency": "USD",
        "annual_rate": "6",
        "frequency": 4,
        "installments": 4,
        "amortization": "bullet",
        "disbursement_date": "2026-01-15",
        "first_repayment_date": "2026-04-30",
        "day_count": "actual_actual_isda",
    }
    created = api.post("/api/v1/loans/", payload, format="json")
    assert created.status_code == 201, created.data
    assert created.json()["day_count"] == "actual_actual_isda"
    pk = created.json()["id"]
    assert api.get(f"/api/v1/loans/{pk}/").json()["day_count"] == "actual_actual_isda"
    assert Loan.objects.get(pk=pk).day_count == DayCountConvention.ACTUAL_ACTUAL

    changed = api.patch(f"/api/v1/loans/{pk}/", {"day_count": "30e_360"}, format="json")
    assert changed.status_code == 200, changed.data
    assert changed.json()["day_count"] == "30e_360"

    unknown = api.patch(f"/api/v1/loans/{pk}/", {"day_count": "30_360_us"}, format="json")
    assert unknown.status_code == 400
    legacy = api.patch(f"/api/v1/loans/{pk}/", {"day_count": "full_periods"}, format="json")
    assert legacy.status_code == 400
    assert "loans recorded before day counts" in str(legacy.data)
    assert Loan.objects.get(pk=pk).day_count == DayCountConvention.THIRTY_E_360

    assert api.post("/api/v1/loans/", {**payload, "day_count": None}, format="json").status_code == 400
    defaulted = {key: value for key, value in payload.items() if key != "day_count"}
    assert api.post("/api/v1/loans/", defaulted, format="json").json()["day_count"] == "30e_360"


@on_the_database
def test_the_admin_shows_the_day_count(client, admin_user):
    loan = LoanFactory(day_count=DayCountConvention.ACTUAL_365)
    client.force_login(admin_user)
    page = client.get(reverse("admin:finance_loan_change", args=[loan.pk])).content.decode()
    assert "interest day count" in page.lower()


# --- the migration ------------------------------------------------------------------------------------------------


def test_loans_recorded_before_the_migration_count_full_periods_and_keep_their_figures(reference_data_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("finance", "0010_dac_rules_2018")], [("finance", "0012_day_count")]
    template = LoanFactory(**BROKEN)  # parties, programme and currency the old loan points at
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        OldLoan = apps.get_model("finance", "Loan")  # noqa: N806
        old = OldLoan.objects.select_related("currency").get(pk=template.pk)
        old.reference = "LN-OLD-000001"
        old.pk = None
        old.save()
        # What migration 0007 stored: the grant element the terms gave before day counts existed.
        old.grant_element = computed_grant_element(old)
        old.save(update_fields=["grant_element"])
        old_rows = services.loan_schedule_rows(old)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    migrated = Loan.objects.get(reference="LN-OLD-000001")
    assert migrated.day_count == DayCountConvention.FULL_PERIODS
    assert old_rows[0].interest == D("15000.00")  # one whole quarter, whatever the 105 days
    assert loan_schedule_rows(migrated) == old_rows
    assert migrated.grant_element == old.grant_element == computed_grant_element(migrated)
    assert schedule.build(services.loan_terms(migrated)) == old_rows
