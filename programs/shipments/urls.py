from django.urls import path

from cooperation.pages import move_paths, record_paths
from programs.shipments import views

app_name = "shipments"

# The moves whose URL segment is not their name with dashes (each move's URL name is its key in ``views.MOVES``).
SEGMENTS = {"mark_in_transit": "in-transit", "mark_lost": "lost", "event_add": "events/new"}

urlpatterns = [
    *record_paths("", views, "shipment"),
    path("discrepancies/", views.discrepancy_list, name="discrepancies"),
    path("<int:pk>/waybill/", views.shipment_waybill, name="waybill"),
    path("receipt-photos/<int:pk>/", views.receipt_photo, name="receipt_photo"),
    *move_paths("<int:pk>/{segment}/", views.shipment_move, views.MOVES, segments=SEGMENTS),
]
