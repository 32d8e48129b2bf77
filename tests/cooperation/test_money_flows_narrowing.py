"""Every module's money flows narrowed to a currency or a span of days in SQL are exactly the flows it gives
unnarrowed that are in that currency or dated within that span: the budgets read a narrowed dashboard from them."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from cooperation import money_flows
from cooperation.date_spans import DateSpan

pytestmark = pytest.mark.django_db


def _sorted(flows) -> list:
    return sorted(flows, key=lambda flow: (flow.programme_id, flow.category, flow.stage, flow.on, flow.currency))


def test_narrowed_flows_are_the_flows_in_the_currency_and_span():
    call_command("load_demo", stdout=StringIO())
    every = _sorted(money_flows.flows(None))
    days = sorted({flow.on for flow in every})
    middle = days[len(days) // 2]
    spans = [
        DateSpan(days[0], middle),
        DateSpan(middle + datetime.timedelta(days=1), None),
        DateSpan(None, middle),
        DateSpan(middle, middle),
    ]
    currencies = sorted({flow.currency for flow in every})
    sources = {flow.source for flow in every}
    assert len(currencies) > 1 and len(sources) > 3  # several modules' flows, in several currencies

    for code in [*currencies, None]:
        for span in [*spans, None]:
            narrowed = _sorted(money_flows.flows(None, currency=code, span=span))
            expected = [
                flow for flow in every if (code is None or flow.currency == code) and (span is None or flow.on in span)
            ]
            assert narrowed == expected, (code, span)
    assert _sorted(money_flows.flows(None, currency=currencies[0], span=spans[0])) != every
