"""Shipment routes of the REST API, mounted under /api/v1/ through the registry."""

from rest_framework.routers import SimpleRouter

from programs.shipments.api.views import ReceiptViewSet, ShipmentItemViewSet, ShipmentViewSet, TrackingEventViewSet

router = SimpleRouter(use_regex_path=False)
router.register("shipments", ShipmentViewSet, basename="shipment")
router.register("shipment-items", ShipmentItemViewSet, basename="shipment-item")
router.register("tracking-events", TrackingEventViewSet, basename="tracking-event")
router.register("receipts", ReceiptViewSet, basename="receipt")
