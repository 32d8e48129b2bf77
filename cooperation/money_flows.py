"""Money a programme commits and spends through the modules, for budgets against actuals.

Each module contributes ``(programme_ids, *, currency=None, span=None) -> Iterable[Flow]`` through
``registry.contribute(registry.MONEY_FLOWS, ...)``: finance its loans (committed when approved, spent when disbursed)
and grant tranches (committed when approved, spent when paid), scholarships its stipends, shipments the value of the
goods dispatched. A provider sums in SQL by programme, category, stage, date and currency, so the rows grow with days,
not with records; each row keeps its own currency and is brought to the reporting currency at the rate of its own date
by the budgets.
``programme_ids`` None means every programme; a ``currency`` (a code) leaves out the flows in other currencies, a
``span`` (``cooperation.date_spans.DateSpan``) those dated outside it, in SQL, so a narrowed reading costs what it
reads.

A service that moves what a provider gives for a programme (approves, pays out, dispatches, cancels) calls
``changed`` in its transaction: the budgets keep summaries of these figures and follow ``CHANGED``.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation import registry


class Category(models.TextChoices):
    """What a budget line is for: the four forms of cooperation, then the costs of running them."""

    FINANCIAL = "financial", _("Financial cooperation (loans and grants)")
    TECHNICAL = "technical", _("Technical cooperation (scholarships, training)")
    CULTURAL = "cultural", _("Cultural cooperation (exchanges)")
    IN_KIND = "in_kind", _("In-kind cooperation (goods)")
    STAFF = "staff", _("Staff")
    TRAVEL = "travel", _("Travel")
    EQUIPMENT = "equipment", _("Equipment")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    COMMITTED = "committed", _("Committed")  # approved, not yet paid out
    SPENT = "spent", _("Spent")  # disbursed, paid, dispatched


class Flow(NamedTuple):
    """A tuple, not a dataclass: a national portfolio has tens of thousands of them on a dashboard."""

    programme_id: int
    category: str  # a Category value
    stage: str  # a Stage value
    on: date  # the money event's own date (approval, disbursement, payment, dispatch)
    currency: str
    amount: Decimal
    source: str = ""  # what it is, for the reader: "Loans disbursed"


CHANGED = "money_flows.changed"  # programme_id=: what the money flows give for the programme may have moved


def changed(programme_id: int) -> None:
    """Announce, inside the service's transaction, that the programme's money flows may have moved."""
    registry.announce(CHANGED, programme_id=programme_id)


def flows(programme_ids: list[int] | None = None, *, currency: str | None = None, span=None) -> Iterable[Flow]:
    for provider in registry.contributors(registry.MONEY_FLOWS):
        yield from provider(programme_ids, currency=currency, span=span)
