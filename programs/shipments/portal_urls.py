from django.urls import path

from programs.shipments import portal_views

app_name = "shipments_portal"
urlpatterns = [
    path("", portal_views.shipment_list, name="list"),
    path("<int:pk>/", portal_views.shipment_detail, name="detail"),
    path("<int:pk>/receive/", portal_views.receive, name="receive"),
    path("receipt-photos/<int:pk>/", portal_views.receipt_photo, name="receipt_photo"),
]
