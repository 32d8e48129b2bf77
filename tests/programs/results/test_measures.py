"""Indicators computed from the modules' own records: each measure against records counted by hand, the span's
boundaries (the last day counts, the day after does not), another programme's records never counted, money only in
the indicator's currency, and the values filled into reports as they are opened, saved and submitted."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cooperation.measures import MeasuredValue
from cooperation.tranches import TrancheStatus
from programs.finance.models import LoanStatus, RepaymentStatus
from programs.results import services
from programs.results.measures import measure
from programs.results.models import Dimension, ResultLevel, Unit
from programs.scholarships.models import ApplicationStatus, ExchangeStatus, Gender
from tests.factories import ParticipationFactory, ProgrammeFactory, currency
from tests.programs.finance.factories import GrantFactory, LoanFactory, RepaymentFactory, TrancheFactory
from tests.programs.results.factories import TODAY, build_framework, sex_values
from tests.programs.scholarships.factories import ApplicationFactory, CallFactory, ExchangeActivityFactory
from tests.programs.shipments.factories import ReceiptFactory, ReceiptLineFactory, ShipmentFactory, ShipmentItemFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
AFTER = END + datetime.timedelta(days=1)
BEFORE = START - datetime.timedelta(days=1)


@pytest.fixture
def programme(db):
    return ProgrammeFactory(is_financial=True, is_technical=True, is_cultural=True, is_in_kind=True)


@pytest.fixture
def other_programme(db):
    return ProgrammeFactory(is_financial=True, is_technical=True, is_cultural=True, is_in_kind=True)


def computed(programme, officer, key, unit=Unit.NUMBER, code=None, reporter=None, dimensions=()):
    result = services.result_create(programme=programme, created_by=officer, level=ResultLevel.OUTPUT, title="Out")
    return services.indicator_create(
        result=result,
        created_by=officer,
        title=key,
        unit=unit,
        currency=currency(code) if code else None,
        measure=key,
        reporter=reporter,
        dimensions=list(dimensions),
    )


def over_q1(indicator) -> MeasuredValue:
    return measure(indicator, START, END)


# --- scholarships -------------------------------------------------------------------------------------------------


def test_scholars_who_completed_in_the_span_by_sex(programme, other_programme, officer):
    call = CallFactory(programme=programme)
    for gender, completed_on in [
        (Gender.FEMALE, START),
        (Gender.FEMALE, END),
        (Gender.MALE, datetime.date(2026, 2, 10)),
        (Gender.FEMALE, AFTER),
        (Gender.MALE, BEFORE),
    ]:
        ApplicationFactory(call=call, gender=gender, status=ApplicationStatus.COMPLETED, completed_on=completed_on)
    ApplicationFactory(call=call, status=ApplicationStatus.ENROLLED)
    ApplicationFactory(
        call=CallFactory(programme=other_programme), status=ApplicationStatus.COMPLETED, completed_on=END
    )

    measured = over_q1(computed(programme, officer, "scholarships.completed"))

    assert measured.value == 3
    assert measured.breakdown == {("sex", "female"): 2, ("sex", "male"): 1, ("sex", "other"): 0}
    assert measured.records_url == f"/programmes/{programme.pk}/"


def test_participants_of_activities_that_ended_in_the_span_by_sex(programme, other_programme, officer):
    ExchangeActivityFactory(programme=programme, starts_on=BEFORE, ends_on=END, women=5, men=3, other_gender=1)
    ExchangeActivityFactory(programme=programme, starts_on=START, ends_on=START, women=2, men=2)
    ExchangeActivityFactory(programme=programme, starts_on=START, ends_on=AFTER, women=50)
    ExchangeActivityFactory(programme=programme, starts_on=START, ends_on=END, men=40, status=ExchangeStatus.CANCELLED)
    ExchangeActivityFactory(programme=other_programme, starts_on=START, ends_on=END, women=70)

    measured = over_q1(computed(programme, officer, "scholarships.participants"))

    assert measured.value == 13
    assert measured.breakdown == {("sex", "female"): 7, ("sex", "male"): 5, ("sex", "other"): 1}
    assert measured.records_url == f"/scholarships/activities/?programme={programme.pk}"


# --- shipments ----------------------------------------------------------------------------------------------------


def _received(programme, on, good, unit_value="20.00", code="USD", damaged="0"):
    receipt = ReceiptFactory(shipment=ShipmentFactory(programme=programme), received_on=on)
    item = ShipmentItemFactory(shipment=receipt.shipment, unit_value=Decimal(unit_value), currency=currency(code))
    reason = "Crushed in the hold" if Decimal(damaged) else ""
    ReceiptLineFactory(receipt=receipt, item=item, good=Decimal(good), damaged=Decimal(damaged), reason=reason)


@pytest.fixture
def receipts(programme, other_programme):
    _received(programme, START, "10", damaged="4")  # 10 good × 20 USD
    _received(programme, END, "2.5", unit_value="100.00")  # 2.5 × 100 USD
    _received(programme, END, "7", unit_value="30.00", code="EUR")  # counted, not valued in USD
    _received(programme, AFTER, "1000")
    _received(other_programme, END, "500")


def test_goods_received_in_good_condition_counted(receipts, programme, officer):
    measured = over_q1(computed(programme, officer, "shipments.goods_received"))
    assert measured.value == Decimal("19.5")
    assert measured.records_url == f"/shipments/?programme={programme.pk}"


def test_goods_received_valued_only_in_the_indicators_currency(receipts, programme, officer):
    in_usd = over_q1(computed(programme, officer, "shipments.goods_received", Unit.MONEY, "USD"))
    in_eur = over_q1(computed(programme, officer, "shipments.goods_received", Unit.MONEY, "EUR"))
    assert (in_usd.value, in_eur.value) == (Decimal("450"), Decimal("210"))


# --- finance ------------------------------------------------------------------------------------------------------


@pytest.fixture
def loans(programme, other_programme):
    def disbursed(on, principal, code="USD", target=programme):
        return LoanFactory(
            programme=target,
            status=LoanStatus.DISBURSED,
            disbursed_on=on,
            disbursement_date=on,
            first_repayment_date=on + datetime.timedelta(days=30),
            principal=Decimal(principal),
            currency=currency(code),
        )

    return [
        disbursed(START, "1000.00"),
        disbursed(END, "250.50"),
        disbursed(END, "9000.00", code="EUR"),
        disbursed(AFTER, "7777.00"),
        disbursed(BEFORE, "6666.00"),
        disbursed(END, "5555.00", target=other_programme),
    ]


def test_loan_principal_disbursed_in_the_indicators_currency(loans, programme, officer):
    measured = over_q1(computed(programme, officer, "finance.loans_disbursed", Unit.MONEY, "USD"))
    assert measured.value == Decimal("1250.50")
    assert measured.records_url == f"/finance/loans/?programme={programme.pk}&currency=USD"


def test_loans_disbursed_counted_whatever_their_currency(loans, programme, officer):
    measured = over_q1(computed(programme, officer, "finance.loans_disbursed"))
    assert measured.value == 3
    assert measured.records_url == f"/finance/loans/?programme={programme.pk}"


def test_confirmed_repayments_received_in_the_indicators_currency(loans, programme, officer):
    usd, _second, eur, *_rest = loans
    foreign = loans[-1]
    for loan, paid_on, amount, status in [
        (usd, START, "100.00", RepaymentStatus.CONFIRMED),
        (usd, END, "20.25", RepaymentStatus.CONFIRMED),
        (usd, END, "300.00", RepaymentStatus.PENDING),
        (usd, END, "400.00", RepaymentStatus.REVERSED),
        (usd, AFTER, "500.00", RepaymentStatus.CONFIRMED),
        (eur, END, "600.00", RepaymentStatus.CONFIRMED),
        (foreign, END, "700.00", RepaymentStatus.CONFIRMED),
    ]:
        RepaymentFactory(loan=loan, paid_on=paid_on, amount=Decimal(amount), status=status)

    usd_value = over_q1(computed(programme, officer, "finance.repayments_received", Unit.MONEY, "USD")).value
    eur_value = over_q1(computed(programme, officer, "finance.repayments_received", Unit.MONEY, "EUR")).value
    assert (usd_value, eur_value) == (Decimal("120.25"), Decimal("600.00"))


def test_grant_tranches_paid_in_the_indicators_currency(programme, other_programme, officer):
    grant = GrantFactory(programme=programme, currency=currency("USD"))
    euro_grant = GrantFactory(programme=programme, currency=currency("EUR"))
    for target, paid_on, amount, status in [
        (grant, START, "1000.00", TrancheStatus.PAID),
        (grant, END, "2000.00", TrancheStatus.PAID),
        (grant, AFTER, "4000.00", TrancheStatus.PAID),
        (grant, None, "8000.00", TrancheStatus.APPROVED),
        (euro_grant, END, "16000.00", TrancheStatus.PAID),
        (GrantFactory(programme=other_programme), END, "32000.00", TrancheStatus.PAID),
    ]:
        TrancheFactory(grant=target, paid_on=paid_on, amount=Decimal(amount), status=status)

    measured = over_q1(computed(programme, officer, "finance.tranches_paid", Unit.MONEY, "USD"))
    assert measured.value == Decimal("3000.00")
    assert measured.records_url == f"/programmes/{programme.pk}/"


# --- programmes ---------------------------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int = 12):
    return time_machine.travel(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), tick=False)


def test_partners_taking_part_at_the_end_of_the_span(programme, other_programme, officer):
    with _at(START):
        ParticipationFactory(programme=programme)
        leaving = ParticipationFactory(programme=programme)
        ParticipationFactory(programme=other_programme)
    with _at(END, hour=23):
        ParticipationFactory(programme=programme)
    with _at(AFTER, hour=0):
        ParticipationFactory(programme=programme)
        leaving.delete()

    measured = over_q1(computed(programme, officer, "programs.partners_engaged"))
    assert measured.value == 3
    assert measure(computed(programme, officer, "programs.partners_engaged"), AFTER, AFTER).value == 3
    assert measured.records_url == f"/programmes/{programme.pk}/"


# --- computed values in reports -----------------------------------------------------------------------------------


@pytest.fixture
def framework(own_programme, partner_org, officer):
    return build_framework(own_programme, partner_org, officer)


@pytest.fixture
def completed(framework, officer, partner_org):
    """Scholars who completed, by sex, reported by the partner: computed from the programme's calls."""
    return computed(
        framework.programme,
        officer,
        "scholarships.completed",
        reporter=partner_org,
        dimensions=[Dimension.objects.get(code="sex")],
    )


def _complete(programme, gender, on):
    ApplicationFactory(
        call=CallFactory(programme=programme), gender=gender, status=ApplicationStatus.COMPLETED, completed_on=on
    )


def test_a_report_opened_carries_the_computed_value_and_its_breakdown(framework, completed, partner_org, partner_user):
    period = framework.periods[0]
    _complete(framework.programme, Gender.FEMALE, period.ends_on)
    _complete(framework.programme, Gender.FEMALE, period.starts_on)
    _complete(framework.programme, Gender.MALE, period.ends_on + datetime.timedelta(days=1))

    report = services.report_open(period=period, organisation=partner_org, opened_by=partner_user, today=TODAY)

    actual = report.values.get(indicator=completed)
    assert (actual.value, actual.computed) == (Decimal(2), True)
    sex = sex_values()
    assert {part.dimension_value_id: part.value for part in actual.breakdown.all()} == {
        sex["female"]: 2,
        sex["male"]: 0,
        sex["other"]: 0,
    }


def test_the_computed_value_follows_the_records_until_submitted(framework, completed, partner_org, partner_user):
    period = framework.periods[0]
    report = services.report_open(period=period, organisation=partner_org, opened_by=partner_user, today=TODAY)
    assert report.values.get(indicator=completed).value == 0

    _complete(framework.programme, Gender.MALE, period.ends_on)
    services.report_save(
        report=report,
        saved_by=partner_user,
        values={
            framework.trained.pk: {"value": "90"},
            framework.rate.pk: {"value": "50"},
            completed.pk: {"value": "999"},  # typed over a computed value: ignored
        },
    )
    assert report.values.get(indicator=completed).value == 1

    _complete(framework.programme, Gender.OTHER, period.starts_on)
    services.report_submit(report=report, submitted_by=partner_user)
    actual = report.values.get(indicator=completed)
    assert (actual.value, actual.computed) == (Decimal(2), True)
    sex = sex_values()
    assert {part.dimension_value_id: part.value for part in actual.breakdown.all()} == {
        sex["female"]: 0,
        sex["male"]: 1,
        sex["other"]: 1,
    }

    _complete(framework.programme, Gender.FEMALE, period.starts_on)
    services.report_open(period=period, organisation=partner_org, opened_by=partner_user, today=TODAY)
    assert report.values.get(indicator=completed).value == 2  # a submitted report keeps what it was sent with


def test_a_report_without_a_computed_indicator_gets_no_computed_value(framework, partner_org, partner_user):
    report = services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )
    assert not report.values.filter(computed=True).exists()


def test_opening_a_report_again_writes_nothing_when_the_records_did_not_change(
    framework, completed, partner_org, partner_user
):
    period = framework.periods[0]
    _complete(framework.programme, Gender.FEMALE, period.ends_on)
    services.report_open(period=period, organisation=partner_org, opened_by=partner_user, today=TODAY)
    actual = completed.actuals.get()
    history = actual.history.count()
    services.report_open(period=period, organisation=partner_org, opened_by=partner_user, today=TODAY)
    assert actual.history.count() == history


def test_the_officer_drills_down_from_a_computed_value_to_its_records(
    client, framework, completed, partner_org, partner_user, officer
):
    period = framework.periods[0]
    _complete(framework.programme, Gender.FEMALE, period.ends_on)
    report = services.report_open(period=period, organisation=partner_org, opened_by=partner_user, today=TODAY)
    actual = report.values.get(indicator=completed)
    assert actual.records_url == f"/programmes/{framework.programme.pk}/"

    client.force_login(officer)
    html = client.get(reverse("results:report_detail", args=[report.pk])).content.decode()
    assert f'<a href="/programmes/{framework.programme.pk}/">See the records</a>' in html
