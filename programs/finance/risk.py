"""Finance's part of a partner's risk flags: the loans it borrowed that are in arrears.

A loan counts under the most serious flag it reaches, so a partner with one loan 120 days late sees one danger
flag, not a warning as well. The thresholds are settings (``FINANCE_ARREARS_WARNING_DAYS``, 30 by default, and
``FINANCE_ARREARS_DANGER_DAYS``, 90); the flags' codes keep the usual names whatever the thresholds.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import ngettext

from cooperation.risk import Level, RiskFlag
from programs.finance.selectors.hub import late_loans

NAMED_LOANS = 3


def _thresholds() -> tuple[int, int]:
    return (
        getattr(settings, "FINANCE_ARREARS_WARNING_DAYS", 30),
        getattr(settings, "FINANCE_ARREARS_DANGER_DAYS", 90),
    )


def _flag(code: str, level: Level, days: int, loans: list[tuple[str, int]], url: str) -> RiskFlag:
    references = ", ".join(reference for reference, _late in loans[:NAMED_LOANS])
    if len(loans) > NAMED_LOANS:
        references += ", …"
    message = ngettext(
        "%(count)d loan more than %(days)d days in arrears (up to %(late)d days late): %(loans)s",
        "%(count)d loans more than %(days)d days in arrears (up to %(late)d days late): %(loans)s",
        len(loans),
    ) % {"count": len(loans), "days": days, "late": max(late for _reference, late in loans), "loans": references}
    return RiskFlag(code=code, message=message, level=level, count=len(loans), url=url)


def partner_flags(organisation) -> list[RiskFlag]:
    """``finance.arrears_90`` (danger) and ``finance.arrears_30`` (warning) for ``organisation``'s loans."""
    warning_days, danger_days = _thresholds()
    late = late_loans(organisation, warning_days)
    if not late:
        return []
    url = reverse("finance:loan_list") + f"?borrower={organisation.pk}&overdue=true"
    danger = [loan for loan in late if loan[1] > danger_days]
    warning = [loan for loan in late if loan[1] <= danger_days]
    flags = []
    if danger:
        flags.append(_flag("finance.arrears_90", Level.DANGER, danger_days, danger, url))
    if warning:
        flags.append(_flag("finance.arrears_30", Level.WARNING, warning_days, warning, url))
    return flags
