"""The guards beside the shipment moves and the receipt: who may make each move now, who may not, and why (a code
and a message). The services, the shipment's page, the portal and the API give the same answer."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.shipments import services
from programs.shipments.services import SHIPMENT_MOVES, ShipmentRefusal
from tests.api_errors import error_codes, error_fields
from tests.factories import OrganisationFactory, UserFactory
from tests.programs.shipments.factories import (
    approved_shipment,
    arrived_shipment,
    consignee_user,
    days_ago,
    dispatched_shipment,
    draft_shipment,
    ready_shipment,
    today,
)

pytestmark = pytest.mark.django_db

OWN_PACKING_LIST = "You prepared this packing list, so another manager must approve its dispatch."
NOT_APPROVED = "A manager must approve the dispatch first."


def in_status(status: str, officer):
    shipment = draft_shipment(created_by=officer)
    if status == "draft":
        return shipment
    if status == "ready":
        return ready_shipment(shipment)
    if status == "approved":
        return approved_shipment(shipment)
    return dispatched_shipment(shipment, dispatched_on=days_ago(3))


# move: (a status it may start from, a status it may not, what the service needs besides the shipment and user)
MOVES = {
    "mark_ready": ("draft", "ready", lambda s, u: services.shipment_mark_ready(shipment=s, prepared_by=u)),
    "reopen": ("ready", "draft", lambda s, u: services.shipment_reopen(shipment=s, reopened_by=u, reason="Fix")),
    "approve_dispatch": (
        "ready",
        "draft",
        lambda s, u: services.shipment_approve_dispatch(shipment=s, approved_by=u),
    ),
    "dispatch": (
        "approved",
        "draft",
        lambda s, u: services.shipment_dispatch(shipment=s, dispatched_by=u, dispatched_on=today()),
    ),
    "mark_in_transit": (
        "dispatched",
        "ready",
        lambda s, u: services.shipment_mark_in_transit(shipment=s, updated_by=u),
    ),
    "arrive": (
        "dispatched",
        "draft",
        lambda s, u: services.shipment_arrive(shipment=s, updated_by=u, arrived_on=today()),
    ),
    "reschedule": (
        "ready",
        "draft",
        lambda s, u: services.shipment_reschedule(shipment=s, updated_by=u, expected_arrival=days_ago(-20)),
    ),
    "cancel": ("draft", "dispatched", lambda s, u: services.shipment_cancel(shipment=s, cancelled_by=u, reason="No")),
    "mark_lost": (
        "dispatched",
        "draft",
        lambda s, u: services.shipment_mark_lost(shipment=s, updated_by=u, reason="Sunk"),
    ),
}


def mover(move: str):
    """Who makes the move: a manager approves the dispatch (not the officer who prepared it), an officer the rest."""
    return UserFactory(role=Role.MANAGER if move == "approve_dispatch" else Role.OFFICER)


@pytest.mark.parametrize("move", MOVES)
def test_who_may_make_the_move_from_its_status(move):
    start, _wrong, call = MOVES[move]
    shipment = in_status(start, UserFactory(role=Role.OFFICER))
    user = mover(move)
    assert services.shipment_move_refusal(shipment, user, move) is None
    call(shipment, user)


@pytest.mark.parametrize("move", MOVES)
def test_a_status_that_does_not_allow_the_move_is_refused_naming_it(move):
    _start, wrong, call = MOVES[move]
    shipment = in_status(wrong, UserFactory(role=Role.OFFICER))
    user = mover(move)
    refusal = services.shipment_move_refusal(shipment, user, move)
    assert refusal.code == Refused.WRONG_STATUS and not refusal.offered
    assert refusal.message == str(SHIPMENT_MOVES[move].message) % shipment.get_status_display()
    with pytest.raises(ValidationError) as refused:
        call(shipment, user)
    assert refusal_codes(refused.value) == {Refused.WRONG_STATUS}


@pytest.mark.parametrize("move", MOVES)
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PARTNER])
def test_a_role_without_the_permission_is_not_offered_the_move(move, role):
    start, _wrong, call = MOVES[move]
    shipment = in_status(start, UserFactory(role=Role.OFFICER))
    user = UserFactory(role=role)
    refusal = services.shipment_move_refusal(shipment, user, move)
    assert refusal.code == Refused.NOT_PERMITTED and not refusal.offered
    assert refusal.message == "You do not have permission to do this."
    with pytest.raises(PermissionDenied):
        call(shipment, user)


def test_an_officer_may_not_approve_a_dispatch():
    shipment = ready_shipment(draft_shipment(created_by=UserFactory(role=Role.OFFICER)))
    refusal = services.shipment_move_refusal(shipment, UserFactory(role=Role.OFFICER), "approve_dispatch")
    assert refusal.code == Refused.NOT_PERMITTED


def test_the_manager_who_prepared_the_packing_list_may_not_approve_its_dispatch():
    manager = UserFactory(role=Role.MANAGER)
    shipment = ready_shipment(draft_shipment(created_by=manager))
    refusal = services.shipment_move_refusal(shipment, manager, "approve_dispatch")
    assert (refusal.code, refusal.message, refusal.offered) == (Refused.OWN_RECORD, OWN_PACKING_LIST, True)
    with pytest.raises(ValidationError) as refused:
        services.shipment_approve_dispatch(shipment=shipment, approved_by=manager)
    assert refusal_codes(refused.value) == {Refused.OWN_RECORD}


def test_an_approved_dispatch_is_not_offered_again():
    shipment = approved_shipment(draft_shipment())
    refusal = services.shipment_move_refusal(shipment, UserFactory(role=Role.MANAGER), "approve_dispatch")
    assert (refusal.code, refusal.offered) == (ShipmentRefusal.DISPATCH_ALREADY_APPROVED, False)
    assert refusal.message == "The dispatch of this shipment is already approved."


def test_a_dispatch_before_its_approval_is_shown_but_refused():
    officer = UserFactory(role=Role.OFFICER)
    shipment = ready_shipment(draft_shipment(created_by=officer))
    refusal = services.shipment_move_refusal(shipment, officer, "dispatch")
    assert (refusal.code, refusal.offered) == (ShipmentRefusal.DISPATCH_NOT_APPROVED, True)
    assert refusal.message == NOT_APPROVED
    with pytest.raises(ValidationError) as refused:
        services.shipment_dispatch(shipment=shipment, dispatched_by=officer, dispatched_on=today())
    assert refusal_codes(refused.value) == {ShipmentRefusal.DISPATCH_NOT_APPROVED}


# --- the same refusal of the approval on the page and in the API ----------------------------------------------


def test_the_page_shows_and_the_api_gives_the_same_maker_checker_refusal(client):
    manager = UserFactory(role=Role.MANAGER)
    shipment = ready_shipment(draft_shipment(created_by=manager))
    client.force_login(manager)
    page = client.get(reverse("shipments:detail", args=[shipment.pk]))
    action = next(action for action in page.context["actions"] if action.name == "approve_dispatch")
    assert action.disabled_reason == OWN_PACKING_LIST
    response = client.post(reverse("shipments:approve_dispatch", args=[shipment.pk]), follow=True)
    assert OWN_PACKING_LIST in [str(message) for message in response.context["messages"]]
    api = APIClient()
    api.force_authenticate(manager)
    answer = api.post(f"/api/v1/shipments/{shipment.pk}/approve-dispatch/")
    assert answer.status_code == 400
    assert error_codes(answer) == {"non_field_errors": [Refused.OWN_RECORD]}
    assert error_fields(answer) == {"non_field_errors": [OWN_PACKING_LIST]}
    shipment.refresh_from_db()
    assert shipment.dispatch_approved_by is None


# --- the receipt ------------------------------------------------------------------------------------------------


def test_the_consignees_staff_may_confirm_a_receipt_once_the_goods_are_on_their_way():
    consignee = OrganisationFactory()
    shipment = arrived_shipment(consignee=consignee)
    assert services.receipt_refusal(shipment, consignee_user(consignee)) is None


def test_another_organisations_staff_may_not_confirm_the_receipt():
    shipment = arrived_shipment()
    outsider = consignee_user(OrganisationFactory())
    refusal = services.receipt_refusal(shipment, outsider)
    assert (refusal.code, refusal.offered) == (ShipmentRefusal.NOT_CONSIGNEE, False)
    assert refusal.message == "Only the consignee's staff can confirm the receipt of this shipment."
    with pytest.raises(PermissionDenied):
        services.receipt_confirm(shipment=shipment, received_by=outsider, received_on=today(), lines=[])


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUDITOR])
def test_staff_without_the_receipt_permission_may_not_confirm_it(role):
    refusal = services.receipt_refusal(arrived_shipment(), UserFactory(role=role))
    assert (refusal.code, refusal.offered) == (Refused.NOT_PERMITTED, False)


def test_a_receipt_before_the_dispatch_is_refused_naming_the_status():
    consignee = OrganisationFactory()
    shipment = ready_shipment(draft_shipment(consignee=consignee))
    refusal = services.receipt_refusal(shipment, consignee_user(consignee))
    assert refusal.code == Refused.WRONG_STATUS
    assert refusal.message == (
        "Receipt can be confirmed only once the shipment is dispatched and not fully received; "
        f"this one is {shipment.get_status_display()}."
    )


def test_the_portal_and_the_api_refuse_a_receipt_before_the_dispatch_alike(client):
    consignee = OrganisationFactory()
    partner = consignee_user(consignee)
    shipment = ready_shipment(draft_shipment(consignee=consignee))
    client.force_login(partner)
    assert client.get(reverse("shipments_portal:detail", args=[shipment.pk])).context["can_receive"] is False
    page = client.get(reverse("shipments_portal:receive", args=[shipment.pk]))
    assert page.status_code == 200 and "form" not in page.context
    api = APIClient()
    api.force_authenticate(partner)
    item = shipment.items.get()
    body = {"shipment": shipment.pk, "received_on": str(today()), "lines": [{"item": item.pk, "good": "1"}]}
    answer = api.post("/api/v1/receipts/", body, format="json")
    assert answer.status_code == 400
    assert error_codes(answer) == {"non_field_errors": [Refused.WRONG_STATUS]}
    assert not shipment.receipts.exists()
