from django.urls import path

from programs.finance import portal_views

app_name = "finance_portal"
urlpatterns = [
    path("", portal_views.loan_list, name="loans"),
    path("loans/<int:pk>/", portal_views.loan_detail, name="loan"),
    path("loans/<int:pk>/notify-payment/", portal_views.notify_payment, name="notify_payment"),
    path("grants/", portal_views.grant_list, name="grants"),
    path("grants/<int:pk>/", portal_views.grant_detail, name="grant"),
    path("notifications/", portal_views.notification_list, name="notifications"),
]
