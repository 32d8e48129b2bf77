from django.urls import path

from cooperation.pages import record_paths
from programs.scholarships.views import activities

urlpatterns = [
    *record_paths("activities/", activities, "activity", name="activity_{page}"),
    path("activities/<int:pk>/report/", activities.activity_report, name="activity_report"),
]
