from django.urls import path

from cooperation.pages import record_paths
from programs.scholarships.views import calls as views

urlpatterns = [
    *record_paths("calls/", views, "call", name="call_{page}"),
    path("calls/<int:pk>/applications/new/", views.call_application_create, name="call_application_create"),
]
