"""The public pages of scholarship calls (mounted at /apply/): no login, in English or Bahasa Indonesia."""

from django.urls import path

from programs.scholarships import public_views as views

app_name = "scholarships_public"
urlpatterns = [
    path("", views.call_list, name="calls"),
    path("<int:pk>/", views.call_page, name="call"),
    path("<int:pk>/sent/", views.sent, name="sent"),
    path("confirm/<str:key>/", views.confirm, name="confirm"),
    path("status/<str:key>/", views.status, name="status"),
]
