"""`manage.py generate_bulk`: a data set that grows with the scale, holds together the way the services would have
left it, is written in batches (the statements do not grow with the rows), and never mixes with other data."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cooperation import exchange, registry
from cooperation.outbox.models import OutboxMessage
from cooperation.roles import Role
from partners.models import Organisation
from programs.budgets import selectors as budget_selectors
from programs.budgets.models import BudgetLine, BudgetSummary
from programs.budgets.summaries import SummarisedBudget
from programs.finance import summaries
from programs.finance.models import Allocation, Installment, Loan, LoanStatus, Repayment, RepaymentStatus
from programs.finance.selectors.figures import computed_grant_element
from programs.finance.summaries_models import LoanFigures, MonthFigures
from programs.models import Participation, Programme
from programs.results.models import Indicator, IndicatorStanding, Report
from programs.results.selectors.progress import indicator_percents
from programs.scholarships.models import (
    HOLDS_AN_AWARD,
    UNDER_REVIEW,
    Application,
    Call,
    ExchangeActivity,
    ExchangeStatus,
)
from programs.shipments.models import ReceiptLine, Shipment, ShipmentItem, ShipmentStatus, ShipmentValue
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")
ZERO = Decimal(0)


def generate(scale: float, **options) -> str:
    out = StringIO()
    call_command("generate_bulk", scale=scale, stdout=out, **options)
    return out.getvalue()


class _Undo(Exception):
    """Raised to roll a generation back, so one test can compare two scales."""


def counted(scale: float) -> tuple[dict[str, int], int]:
    """The rows a generation at ``scale`` makes and the statements it runs, then undone."""
    models = (Programme, Loan, Installment, Repayment, Shipment, ShipmentItem, Application, Report)
    with CaptureQueriesContext(connection) as queries:
        try:
            with transaction.atomic():
                generate(scale)
                counts = {model._meta.label: model.objects.count() for model in models}
                raise _Undo
        except _Undo:
            pass
    return counts, len(queries) - len(models)


def owed() -> Q:
    return Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))


def cents(amount) -> Decimal:
    return Decimal(amount or 0).quantize(CENT)


def test_each_module_contributes_its_generator_partners_and_programmes_first():
    from config.management.commands.generate_bulk import generators

    modules = [provider.__module__ for provider in generators()]
    assert modules[:2] == ["partners.bulk", "programs.bulk"]
    assert set(modules[2:]) == {
        f"programs.{name}.bulk" for name in ("finance", "shipments", "scholarships", "results", "budgets")
    }
    assert len(registry.contributors(registry.BULK)) == 7


def test_the_counts_follow_the_scale_and_the_statements_do_not():
    small, small_statements = counted(0.002)
    large, large_statements = counted(0.004)
    assert small["finance.Loan"] == round(45_813 * 0.002)
    assert large["finance.Loan"] == round(45_813 * 0.004)
    assert small["shipments.Shipment"] == 20 and large["shipments.Shipment"] == 40
    assert small["scholarships.Application"] == 40 and large["scholarships.Application"] == 80
    for label in ("finance.Installment", "finance.Repayment", "shipments.ShipmentItem"):
        assert 1.5 <= large[label] / small[label] <= 2.5, label
    # Batched writes: twice the rows, the same statements.
    assert large_statements == small_statements


def test_the_smallest_scale_is_a_portfolio_in_miniature():
    generate(0.001)
    assert Loan.objects.count() == 46
    assert 700 <= Installment.objects.count() <= 1_300  # about 1,001
    assert 200 <= Repayment.objects.count() <= 500  # about 342
    assert Shipment.objects.count() == 10
    assert 50 <= ShipmentItem.objects.count() <= 150  # about 100
    assert Application.objects.count() == 20
    assert Organisation.objects.filter(name__startswith="BULK-").count() == Organisation.objects.count() >= 12


def test_a_loans_schedule_repays_its_principal_and_its_payments_are_allocated_exactly():
    generate(0.003)
    scheduled = Loan.objects.annotate(rows=Count("schedule")).filter(rows__gt=0)
    assert scheduled.exists()
    for loan in scheduled.annotate(scheduled_principal=Sum("schedule__principal_due"), last=Max("schedule__number")):
        assert cents(loan.scheduled_principal) == cents(loan.principal), loan.reference
        assert loan.last == loan.installments
        assert loan.schedule.get(number=loan.last).balance_after == 0

    allocated = Repayment.objects.annotate(
        allocated=Coalesce(Sum("allocations__interest"), ZERO) + Coalesce(Sum("allocations__principal"), ZERO)
    )
    confirmed = allocated.filter(status=RepaymentStatus.CONFIRMED)
    assert confirmed.count() > 50
    assert all(cents(repayment.allocated) == cents(repayment.amount) for repayment in confirmed)
    # Only confirmed money is on the schedule: what a partner notified waits, what never arrived is not there.
    assert not Allocation.objects.exclude(repayment__status=RepaymentStatus.CONFIRMED).exists()
    assert Repayment.objects.filter(status=RepaymentStatus.PENDING, confirmed_by__isnull=True).exists()

    installments = Installment.objects.annotate(
        allocated_interest=Coalesce(Sum("allocations__interest"), ZERO),
        allocated_principal=Coalesce(Sum("allocations__principal"), ZERO),
    )
    for item in installments:
        assert cents(item.interest_paid) == cents(item.allocated_interest)
        assert cents(item.principal_paid) == cents(item.allocated_principal)

    # Repayments come back in the loan's currency, never before the money went out.
    assert not Repayment.objects.exclude(currency=F("loan__currency")).exists()
    assert not Repayment.objects.filter(paid_on__lt=F("loan__disbursed_on")).exists()


def test_a_loans_status_matches_its_records():
    generate(0.003)
    today = timezone.localdate()
    unscheduled = (LoanStatus.DRAFT, LoanStatus.SUBMITTED, LoanStatus.REJECTED, LoanStatus.CANCELLED)
    assert not Installment.objects.filter(loan__status__in=unscheduled).exists()
    assert not Repayment.objects.filter(loan__status__in=(*unscheduled, LoanStatus.APPROVED)).exists()
    assert not Loan.objects.filter(status=LoanStatus.DISBURSED, disbursed_on__isnull=True).exists()
    assert not Loan.objects.filter(approved_by__isnull=False, approved_by=F("created_by")).exists()  # maker-checker

    repaid = Loan.objects.filter(status=LoanStatus.REPAID)
    assert repaid.exists()
    assert not Installment.objects.filter(owed(), loan__in=repaid).exists()
    for loan in repaid:
        last_payment = loan.repayments.filter(status=RepaymentStatus.CONFIRMED).aggregate(day=Max("paid_on"))["day"]
        assert loan.closed_on == last_payment

    active = Loan.objects.filter(status=LoanStatus.DISBURSED)
    assert not active.exclude(pk__in=Installment.objects.filter(owed()).values("loan")).exists()
    in_arrears = Installment.objects.filter(
        owed(), loan__status=LoanStatus.DISBURSED, due_date__lt=today - datetime.timedelta(days=30)
    )
    assert 0 < in_arrears.values("loan").distinct().count() < active.count() / 2

    assert set(Loan.objects.values_list("currency", flat=True)) == {"IDR", "USD", "EUR", "JPY"}
    disbursed_years = set(Loan.objects.exclude(disbursed_on=None).values_list("disbursed_on__year", flat=True))
    assert len(disbursed_years) >= 4
    # Every borrower takes part in the loan's programme, which is a financial one.
    assert not Loan.objects.filter(programme__is_financial=False).exists()
    parties = set(Participation.objects.values_list("programme", "organisation"))
    assert all(pair in parties for pair in Loan.objects.values_list("programme", "borrower"))


def test_receipts_never_exceed_what_was_sent_and_account_for_received_shipments():
    generate(0.004)
    counted = ShipmentItem.objects.annotate(
        counted=Coalesce(Sum("receipt_lines__good") + Sum("receipt_lines__damaged") + Sum("receipt_lines__lost"), ZERO)
    )
    assert not [item for item in counted if item.counted > item.quantity]
    for item in counted.filter(shipment__status=ShipmentStatus.RECEIVED):
        assert item.counted == item.quantity
    partially = Shipment.objects.filter(status=ShipmentStatus.PARTIALLY_RECEIVED)
    for shipment in partially:
        assert any(item.counted < item.quantity for item in counted.filter(shipment=shipment))
    not_arrived = (ShipmentStatus.DRAFT, ShipmentStatus.READY, ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT)
    assert not ReceiptLine.objects.filter(receipt__shipment__status__in=not_arrived).exists()
    assert ReceiptLine.objects.filter(Q(damaged__gt=0) | Q(lost__gt=0)).exclude(reason="").exists()
    assert not ReceiptLine.objects.filter(Q(damaged__gt=0) | Q(lost__gt=0), reason="").exists()
    assert not Shipment.objects.filter(received_on__lt=F("dispatched_on")).exists()
    # Every status change is a tracking event: a received shipment was made ready, dispatched, ..., received.
    for shipment in Shipment.objects.filter(status=ShipmentStatus.RECEIVED)[:5]:
        assert list(shipment.events.values_list("status_after", flat=True)) == [
            "ready", "dispatched", "in_transit", "arrived", "received",
        ]  # fmt: skip


def test_applications_fit_their_calls():
    generate(0.004)
    today = timezone.localdate()
    assert not Application.objects.filter(call__opens_on__gt=today).exists()
    open_calls = Call.objects.filter(opens_on__lte=today, closes_on__gte=today)
    assert (
        not Application.objects.filter(call__in=open_calls)
        .exclude(status__in=(*UNDER_REVIEW, "ineligible", "withdrawn"))
        .exists()
    )
    holders = Call.objects.annotate(holders=Count("applications", filter=Q(applications__status__in=HOLDS_AN_AWARD)))
    assert not holders.filter(holders__gt=F("awards_available")).exists()
    assert holders.filter(holders__gt=0).exists()
    awarded = Application.objects.filter(status__in=HOLDS_AN_AWARD)
    assert not awarded.filter(Q(awarded_at=None) | Q(award_proposed_by=None)).exists()
    assert not awarded.filter(awarded_at__date__lte=F("call__closes_on")).exists()
    assert not Application.objects.exclude(submitted_on__range=(F("call__opens_on"), F("call__closes_on"))).exists()


def test_exchange_activities_are_planned_ongoing_or_completed_as_their_dates_say():
    generate(0.004)
    today = timezone.localdate()
    activities = ExchangeActivity.objects.all()
    assert activities.count() == 8
    assert not activities.filter(status=ExchangeStatus.PLANNED, starts_on__lte=today).exists()
    assert not activities.filter(status=ExchangeStatus.COMPLETED, ends_on__gte=today).exists()
    assert (
        not activities.filter(status=ExchangeStatus.ONGOING).exclude(starts_on__lte=today, ends_on__gte=today).exists()
    )
    began = activities.filter(status__in=(ExchangeStatus.ONGOING, ExchangeStatus.COMPLETED))
    assert not began.filter(women=0, men=0, other_gender=0).exists()
    assert not activities.exclude(programme__is_technical=True).exclude(programme__is_cultural=True).exists()


def test_no_history_and_no_messages_are_written():
    generate(0.002)
    assert Loan.objects.exists()
    assert not Loan.history.exists()
    assert not Installment.history.exists()
    assert not Shipment.history.exists()
    assert not OutboxMessage.objects.exists()


def test_a_database_with_other_partners_is_refused_unless_forced():
    OrganisationFactory(name="Yayasan Air Bersih Nusantara")
    with pytest.raises(CommandError, match="--force"):
        generate(0.001)
    assert Organisation.objects.count() == 1 and not Loan.objects.exists()

    generate(0.001, force=True)
    assert Organisation.objects.filter(name="Yayasan Air Bersih Nusantara").exists()
    assert Loan.objects.count() == 46


def test_a_scale_out_of_range_and_production_mode_are_refused(settings):
    for scale in (0, -1, 11):
        with pytest.raises(CommandError, match="--scale"):
            generate(scale)
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        generate(0.001)
    assert not Organisation.objects.exists()


def test_a_second_run_is_refused_so_two_runs_never_mix():
    generate(0.001)
    loans = Loan.objects.count()
    with pytest.raises(CommandError, match="already holds generated data"):
        generate(0.001)
    with pytest.raises(CommandError, match="already holds generated data"):
        generate(0.001, force=True)
    assert Loan.objects.count() == loans


def test_new_records_after_a_generation_get_fresh_numbers():
    generate(0.001)
    highest = Loan.objects.aggregate(highest=Max("pk"))["highest"]
    loan = Loan.objects.filter(status=LoanStatus.DRAFT).first() or Loan.objects.first()
    loan.pk, loan.reference = None, "KSM-LOAN-NEW"
    loan.save()
    assert loan.pk > highest


def test_loans_carry_their_grant_element_and_the_dashboard_summaries_match_the_schedules():
    generate(0.002)
    loans = list(Loan.objects.select_related("currency"))
    assert loans and all(loan.grant_element is not None for loan in loans)
    for loan in loans:
        assert loan.grant_element == computed_grant_element(loan), loan.reference

    kept_loans = {figures.loan_id: figures for figures in LoanFigures.objects.all()}
    assert kept_loans
    for loan_id, figures in summaries.computed_loan_figures().items():
        kept = kept_loans[loan_id]
        assert (kept.principal_outstanding, kept.oldest_unpaid_due_date) == (
            figures["principal_outstanding"],
            figures["oldest_unpaid_due_date"],
        ), loan_id
    assert MonthFigures.objects.count() == len(summaries.computed_month_figures())


def test_every_day_of_the_generated_years_converts_to_the_reporting_currency():
    generate(0.002)
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=offset) for offset in (0, 1, 15, 31, 400, 1000, 5 * 365, 6 * 365)]
    total = exchange.total([(Decimal(100), code, day) for code in ("IDR", "EUR", "JPY", "USD") for day in days])
    assert total.missing == []
    # Near the rates the generator starts from: ten thousand rupiah are under a dollar, a hundred euros over a
    # hundred dollars (within wide bounds: the rates drift month by month).
    assert Decimal("0.3") < exchange.convert(Decimal(10_000), "IDR", today).amount < Decimal(3)
    assert Decimal(50) < exchange.convert(Decimal(100), "EUR", today).amount < Decimal(300)


def test_the_indicators_progress_is_kept_as_the_framework_pages_work_it_out():
    generate(0.002)
    kept = {
        standing.indicator_id: (standing.programme_id, standing.percent) for standing in IndicatorStanding.objects.all()
    }
    assert kept and Indicator.objects.count() == len(kept)
    assert kept == {pk: (programme_id, percent) for pk, programme_id, percent in indicator_percents()}


def test_each_shipments_value_per_currency_matches_its_items_and_receipt_lines():
    generate(0.002)
    live: dict[tuple, list] = {}
    for item in ShipmentItem.objects.all():
        live.setdefault((item.shipment_id, item.currency_id), [ZERO, None, None])[0] += item.quantity * item.unit_value
    for line in ReceiptLine.objects.select_related("item", "receipt"):
        row = live[(line.receipt.shipment_id, line.item.currency_id)]
        row[1] = (row[1] or ZERO) + line.good * line.item.unit_value
        row[2] = (row[2] or ZERO) + (line.damaged + line.lost) * line.item.unit_value
    kept = {
        (row.shipment_id, row.currency_id): [row.sent, row.good, row.not_good] for row in ShipmentValue.objects.all()
    }
    assert kept and any(row[1] is not None for row in kept.values())
    assert kept == live


def test_every_budgeted_programme_has_a_fresh_budget_summary_that_shows_the_live_figures():
    generate(0.002)
    manager = UserFactory(username="bulk-manager", role=Role.MANAGER)
    budgeted = set(BudgetLine.objects.values_list("programme_id", flat=True))
    assert (
        budgeted and set(BudgetSummary.objects.filter(stale=False).values_list("programme_id", flat=True)) >= budgeted
    )

    everything = Programme.objects.values("pk")
    kept = budget_selectors.dashboard_budget_overview(user=manager, programmes=everything)
    live = budget_selectors.dashboard_budgets(user=manager, programmes=everything)
    kept.read_figures(kept.budgets)
    assert all(isinstance(budget, SummarisedBudget) for budget in kept.budgets)

    def shown(overview):
        totals = [(budget.overall.budget_total, budget.overall.actual_total) for budget in overview.budgets]
        return (
            [(budget.programme.pk, budget.overall.burn_rate_reporting) for budget in overview.budgets],
            [(a.per_currency, a.reporting, b.per_currency, b.reporting, b.missing) for a, b in totals],
            [total.reporting for total in (overview.overall.budget_total, overview.overall.committed_total)],
            [figures.line.pk for figures in overview.over_budget_lines],
        )

    assert shown(kept) == shown(live)
