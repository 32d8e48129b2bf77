"""Helpers for the partner portal's results pages: the day the tests live on, more indicators, and what the report
form posts."""

import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from programs.results import services
from programs.results.models import Dimension, Unit
from tests.programs.results.factories import TODAY

NOON_OF_TODAY = datetime.datetime.combine(TODAY, datetime.time(12), tzinfo=ZoneInfo("Asia/Jakarta"))


def add_indicators(framework, partner_org, officer, count: int) -> list:
    """``count`` more numbers by sex, reported by ``partner_org`` against the output, each with period targets."""
    sex = Dimension.objects.get(code="sex")
    added = []
    for number in range(count):
        indicator = services.indicator_create(
            result=framework.output,
            created_by=officer,
            title=f"Latrines built in village {number + 1}",
            unit=Unit.NUMBER,
            target_value=40,
            reporter=partner_org,
            dimensions=[sex],
        )
        services.targets_set(indicator=indicator, targets=dict.fromkeys(framework.periods, 10), set_by=officer)
        added.append(indicator)
    return added


def report_url(period, organisation=None) -> str:
    url = reverse("results_portal:report", args=[period.pk])
    return f"{url}?organisation={organisation.pk}" if organisation is not None else url


def form_data(framework, *, trained="90", rate="50", parts=None, action="save", **extra) -> dict:
    """What the report form posts for the framework's two indicators (``parts``: dimension value id → number)."""
    data = {
        f"value-{framework.trained.pk}": trained,
        f"comment-{framework.trained.pk}": "Rains delayed one session",
        f"value-{framework.rate.pk}": rate,
        f"comment-{framework.rate.pk}": "",
        f"narrative-{framework.output.pk}": "Two committees trained in Kupang.",
        f"narrative-{framework.outcome.pk}": "",
        "action": action,
    }
    for value_id, number in (parts or {}).items():
        data[f"part-{framework.trained.pk}-{value_id}"] = number
    data.update(extra)
    return data
