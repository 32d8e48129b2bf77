from django.urls import path

from cooperation.pages import move_paths
from programs.shipments import views

app_name = "shipments"

# Each move on a shipment: URL segment → URL name (and the key of ``views.MOVES``).
MOVE_PATHS = {
    "mark-ready": "mark_ready",
    "reopen": "reopen",
    "approve-dispatch": "approve_dispatch",
    "dispatch": "dispatch",
    "in-transit": "mark_in_transit",
    "arrive": "arrive",
    "reschedule": "reschedule",
    "cancel": "cancel",
    "lost": "mark_lost",
    "events/new": "event_add",
}

urlpatterns = [
    path("", views.shipment_list, name="list"),
    path("new/", views.shipment_create, name="create"),
    path("discrepancies/", views.discrepancy_list, name="discrepancies"),
    path("<int:pk>/", views.shipment_detail, name="detail"),
    path("<int:pk>/edit/", views.shipment_edit, name="edit"),
    path("<int:pk>/waybill/", views.shipment_waybill, name="waybill"),
    *move_paths("<int:pk>/{segment}/", views.shipment_move, MOVE_PATHS),
]
