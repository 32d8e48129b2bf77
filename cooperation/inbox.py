""" "Waiting for me": what each module has for this user to act on, on one page and as a count in the navigation.

Each module contributes ``(user) -> list[InboxGroup]`` through ``registry.contribute(registry.INBOX, ...)``, one
group per kind of move (loans to approve, repayments partners notified, reports to review). A group lists a
record only when the module's own guard lets this user make the move on it now (the maker of a loan never sees
it among the loans to approve), so the page and the record pages agree. Partner users get their side (reports
due, receipts to count, awards to answer) the same way.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from cooperation import registry

ITEMS_PER_GROUP = 25


@dataclass(frozen=True)
class InboxItem:
    title: str  # "LN-2026-0007 · Bank of Flores"
    url: str  # the record page where the move is made
    detail: str = ""  # "USD 250,000.00, proposed by Siti"
    since: date | datetime | None = None  # waiting since (proposed, notified, submitted, due)


@dataclass(frozen=True)
class InboxGroup:
    """``key`` is stable ("finance.loan_approvals"); ``total`` counts every record waiting, ``items`` shows the
    oldest ``ITEMS_PER_GROUP``; ``url`` lists them all (a filtered list page), or is empty."""

    key: str
    label: str
    items: list[InboxItem] = field(default_factory=list)
    total: int = 0
    url: str = ""


def waiting_for(user) -> list[InboxGroup]:
    """Every module's groups with something in them for ``user``, in the modules' order."""
    if not (user and user.is_authenticated):
        return []
    return [group for provider in registry.contributors(registry.INBOX) for group in provider(user) if group.total]


def waiting_count(user) -> int:
    return sum(group.total for group in waiting_for(user))
