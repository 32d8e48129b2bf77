"""A partner's risk flags: what every module finds wrong with an organisation now, asked before any new commitment.

Each module contributes ``(organisation) -> list[RiskFlag]`` through ``registry.contribute(registry.RISK, ...)``:
finance its loans in arrears, results its overdue reports, shipments what arrived and was never confirmed, and
so on. The flags concern the organisation itself, so they are the same for every viewer allowed to see the
organisation at all (its own staff in the portal, the organisation's officers in the workspace).

Creating a loan, a grant, a shipment or a scholarship award for a flagged partner asks for an acknowledgement:
the form carries ``risk_acknowledged`` (see ``AcknowledgementField``), the service calls ``acknowledge`` first,
which refuses when flags exist and were not acknowledged, and records on the new record's history which flags
the user saw.
"""

from dataclasses import dataclass
from enum import StrEnum

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation import registry
from cooperation.refusals import refuse


class Level(StrEnum):
    WARNING = "warning"  # worth a look (30 days late, a report overdue)
    DANGER = "danger"  # think twice (90 days late)


class RiskRefusal(StrEnum):
    NOT_ACKNOWLEDGED = "risk_not_acknowledged"


@dataclass(frozen=True)
class RiskFlag:
    """One thing wrong: ``code`` is stable ("finance.arrears_90"), ``message`` says it in the user's language
    with its figures ("2 loans more than 90 days in arrears: LN-2026-0004, LN-2026-0011"), ``url`` leads to the
    records behind it (or is empty)."""

    code: str
    message: str
    level: Level = Level.WARNING
    count: int = 1
    url: str = ""


ACKNOWLEDGEMENT_FIELD = "risk_acknowledged"


def partner_risk_flags(organisation) -> list[RiskFlag]:
    """Every module's flags for ``organisation``, the most serious first. Callers have already fetched the
    organisation through a selector that takes the user, so only someone who may see it gets here."""
    if organisation is None:
        return []
    flags = [flag for provider in registry.contributors(registry.RISK) for flag in provider(organisation)]
    return sorted(flags, key=lambda flag: flag.level != Level.DANGER)


def acknowledge(organisation, acknowledged: bool, record=None) -> list[RiskFlag]:
    """A create service's first step when it commits something new to ``organisation``: refuse when the partner
    has risk flags the user did not acknowledge; otherwise return the flags, and when ``record`` is given (not
    yet saved) have its first history entry say which flags were acknowledged."""
    flags = partner_risk_flags(organisation)
    if flags and not acknowledged:
        raise refuse(
            RiskRefusal.NOT_ACKNOWLEDGED,
            _("%(partner)s has risk flags; confirm that you have seen them.") % {"partner": organisation},
            ACKNOWLEDGEMENT_FIELD,
        )
    if flags and record is not None:
        record._change_reason = acknowledgement_text(flags)
    return flags


def acknowledgement_text(flags: list[RiskFlag]) -> str:
    """What the history keeps (its reason column holds 100 characters): the flags' codes, in English."""
    text = "Risk acknowledged: " + ", ".join(flag.code for flag in flags)
    return text if len(text) <= 100 else text[:99] + "…"


class AcknowledgementField(forms.BooleanField):
    """The box a create form shows under a flagged partner's risk flags; the service decides whether it was
    needed, so the box itself is never required by the form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("I have seen this partner's risk flags and still want to go ahead"))
        super().__init__(**kwargs)


def flags_message(flags: list[RiskFlag]) -> str:
    """One line for an email or a log: the flags' messages joined."""
    return "; ".join(str(flag.message) for flag in flags) or gettext("No risk flag")
