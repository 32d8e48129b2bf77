from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from programs.results import services
from programs.results.forms import ReportForm
from programs.results.models import ActualValue
from tests.programs.results.factories import TODAY, build_framework, sex_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(own_programme, partner_org, officer):
    return build_framework(own_programme, partner_org, officer)


@pytest.fixture
def report(framework, partner_org, partner_user):
    return services.report_open(
        period=framework.periods[0], organisation=partner_org, opened_by=partner_user, today=TODAY
    )


def _form(report, data=None):
    indicators = services.reported_indicators(report.period, report.organisation_id)
    return ReportForm(report, indicators, data=data)


def test_the_form_gives_the_service_what_it_saves(framework, report, partner_user):
    women, men = sex_values()["female"], sex_values()["male"]
    trained, rate = framework.trained.pk, framework.rate.pk
    form = _form(
        report,
        {
            f"value-{trained}": "90",
            f"part-{trained}-{women}": "50",
            f"part-{trained}-{men}": "40",
            f"comment-{trained}": "Rains",
            f"value-{rate}": "55.5",
            f"narrative-{framework.output.pk}": "Two committees",
        },
    )
    assert form.is_valid(), form.errors
    services.report_save(report=report, saved_by=partner_user, values=form.values(), narratives=form.narratives())

    saved = ActualValue.objects.get(report=report, indicator=framework.trained)
    assert (saved.value, saved.comment) == (Decimal(90), "Rains")
    assert {p.dimension_value_id: p.value for p in saved.breakdown.all()} == {women: 50, men: 40}
    again = _form(report)
    assert again[f"value-{trained}"].value() == Decimal(90)
    assert again[f"narrative-{framework.output.pk}"].value() == "Two committees"


def test_the_service_refusals_go_next_to_their_inputs(framework, report, partner_user):
    women, men = sex_values()["female"], sex_values()["male"]
    trained, rate = framework.trained.pk, framework.rate.pk
    form = _form(
        report,
        {
            f"value-{trained}": "90",
            f"part-{trained}-{women}": "50",
            f"part-{trained}-{men}": "30",
            f"value-{rate}": "150",
        },
    )
    assert form.is_valid()
    with pytest.raises(ValidationError) as caught:
        services.report_save(report=report, saved_by=partner_user, values=form.values(), narratives=form.narratives())
    form.add_service_error(caught.value)

    assert form.errors[f"value-{rate}"] == ["A percentage cannot be more than 100."]
    trained_row = next(row for group in form.rows() for row in group.indicators if row.indicator.pk == trained)
    assert trained_row.dimensions[0].errors == ["The values by sex add up to 80, not to the total of 90."]
    assert form.has_errors
