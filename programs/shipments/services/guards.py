"""Guards beside the moves: may this user make this move on this shipment now, and if not, why (a ``Refusal``).

The services call them first; the shipment's page, the portal and the API ask the same ones."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cooperation.refusals import Refusal, Refused
from cooperation.roles import Perm
from cooperation.workflow import lock_for, maker_checker_refusal, move_refusal, permission_refusal
from partners.selectors import user_organisation_ids
from programs.shipments.models import Shipment
from programs.shipments.services._common import SHIPMENT_MOVES, ShipmentRefusal

# --- guards: may this user make this move on this shipment now, and if not, why -----------------------------------

MOVE_PERMS = {
    "update": Perm.CHANGE_SHIPMENT,
    "mark_ready": Perm.CHANGE_SHIPMENT,
    "reopen": Perm.CHANGE_SHIPMENT,
    "approve_dispatch": Perm.APPROVE_DISPATCH,
    "dispatch": Perm.CHANGE_SHIPMENT,
    "mark_in_transit": Perm.CHANGE_SHIPMENT,
    "arrive": Perm.CHANGE_SHIPMENT,
    "reschedule": Perm.CHANGE_SHIPMENT,
    "cancel": Perm.CHANGE_SHIPMENT,
    "mark_lost": Perm.CHANGE_SHIPMENT,
    "event_add": Perm.ADD_TRACKING_EVENT,  # a tracking event on its timeline: any status (``tracking_event_add``)
}
# Refusals about who the user is, not about the shipment: a 403 (as before the guards), not a 400.
FORBIDDING = (Refused.NOT_PERMITTED, ShipmentRefusal.NOT_CONSIGNEE)


def _approval_refusal(shipment: Shipment, user, move: str) -> Refusal | None:
    if move == "approve_dispatch":
        if shipment.dispatch_approved_by_id is not None:
            return Refusal(
                ShipmentRefusal.DISPATCH_ALREADY_APPROVED,
                _("The dispatch of this shipment is already approved."),
                offered=False,
            )
        return maker_checker_refusal(
            shipment.prepared_by_id,
            user,
            _("You prepared this packing list, so another manager must approve its dispatch."),
        )
    if move == "dispatch" and shipment.dispatch_approved_by_id is None:
        return Refusal(ShipmentRefusal.DISPATCH_NOT_APPROVED, _("A manager must approve the dispatch first."))
    return None


def shipment_move_refusal(shipment: Shipment, user, move: str) -> Refusal | None:
    """Why ``user`` may not make ``move`` on ``shipment`` now (their role, its status, maker–checker), or None.

    A refusal with ``offered=False`` is a move the page does not show; the others are shown disabled with the
    message (another manager must approve, a manager must approve first)."""
    return (
        permission_refusal(user, MOVE_PERMS[move])
        or move_refusal(shipment, SHIPMENT_MOVES, move)
        or _approval_refusal(shipment, user, move)
    )


def receipt_refusal(shipment: Shipment, user) -> Refusal | None:
    """Why ``user`` may not confirm a receipt of ``shipment`` now, or None: only the consignee's staff, once the
    shipment is on its way or arrived and not yet fully received."""
    if (refusal := permission_refusal(user, Perm.ADD_RECEIPT)) is not None:
        return refusal
    if shipment.consignee_id not in user_organisation_ids(user):
        return Refusal(
            ShipmentRefusal.NOT_CONSIGNEE,
            _("Only the consignee's staff can confirm the receipt of this shipment."),
            offered=False,
        )
    return move_refusal(shipment, SHIPMENT_MOVES, "receive")


def _check(refusal: Refusal | None) -> None:
    if refusal is None:
        return
    if refusal.code in FORBIDDING:
        raise PermissionDenied(refusal.message)
    raise refusal.error()


def _check_locked(refusal_of, shipment: Shipment, user, move: str) -> None:
    """Ask the guard ``refusal_of(shipment, user)``: who the user is at once, the shipment's state on its row as it
    is now, under the lock (the instance the caller holds may be older than the row)."""
    refusal = refusal_of(shipment, user)
    if refusal is not None and refusal.code in FORBIDDING:
        _check(refusal)
    lock_for(shipment, SHIPMENT_MOVES, move)
    _check(refusal_of(shipment, user))


def _lock_checked(shipment: Shipment, user, move: str) -> None:
    """The move's guard, with the shipment's row locked for the rest of the transaction."""
    _check_locked(lambda record, by: shipment_move_refusal(record, by, move), shipment, user, move)
