"""The kinds of message modules send: a label for people, and an optional "still wanted" check.

A module registers its kinds from its AppConfig.ready(), the way an app contributes to the admin:

    outbox.register_kind("finance.loan_reminder", label=_("Loan reminder"), still_wanted=reminder_still_wanted)

``still_wanted(message)`` is asked right before each delivery; False cancels the message instead of sending
it (a reminder whose installment was paid meanwhile, a delay alert whose goods arrived). It reads the record
the message is about (``message.about``) and must not write.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PASSWORD_RESET = "accounts.password_reset"  # noqa: S105 - a kind of message, not a password


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    still_wanted: Callable | None = None


_KINDS: dict[str, Kind] = {}


def register_kind(name: str, *, label, still_wanted: Callable | None = None) -> Kind:
    """Declare a kind of message (dotted, "module.what"); registering the same name again replaces it."""
    if "." not in name or len(name) > 60:
        raise ValueError(f"Outbox kinds are dotted names of at most 60 characters, not {name!r}.")
    kind = Kind(name, label, still_wanted)
    _KINDS[name] = kind
    return kind


def kind_label(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind else name


def kind_choices() -> list[tuple[str, str]]:
    return sorted(((name, str(kind.label)) for name, kind in _KINDS.items()), key=lambda choice: choice[1])


def still_wanted(message) -> bool:
    """Whether the module behind ``message`` still wants it sent; a kind without a check always does."""
    kind = _KINDS.get(message.kind)
    if kind is None or kind.still_wanted is None:
        return True
    return bool(kind.still_wanted(message))


def register_password_reset() -> None:
    register_kind(PASSWORD_RESET, label=_("Password reset"))
